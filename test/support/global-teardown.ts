/**
 * Jest global teardown of the "system" project: stops the Temporal dev server started by
 * global-setup.ts (and removes its SQLite file) and drops the test database — both kept when
 * KETNAP_KEEP_TEST_DB=1, for post-mortem inspection.
 *
 * global-setup.ts ran earlier in this same process (jest guarantees it), so this module loads in
 * the same CommonJS mode with the `./x.js` → `./x.ts` fallback already installed.
 */
import { cleanUp, type KetnapTestGlobals } from './global-setup.js';

export default async function globalTeardown(): Promise<void> {
  const globals: KetnapTestGlobals | undefined = globalThis.__KETNAP_TEST__;
  if (!globals) return;
  globalThis.__KETNAP_TEST__ = undefined;
  const problems = await cleanUp(globals, (m) => process.stdout.write(`[system-tests] ${m}\n`));
  if (problems.length) throw new Error(`system test teardown: ${problems.join('; ')}`);
}
