import { loadConfig } from '../../../libs/config/src/config.js';
import { createApi, webDirectory } from './bootstrap.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApi(config);
  await app.listen(config.port, '0.0.0.0');
  console.log(`[api] listening on http://127.0.0.1:${config.port}/api`);
  if (webDirectory(config)) console.log(`[api] web app on http://127.0.0.1:${config.port}/`);
  else console.log('[api] web app not built (npm run build:web): serving the API only');
}

main().catch((e) => {
  console.error('[api] failed to start:', e instanceof Error ? e.message : e);
  process.exit(1);
});
