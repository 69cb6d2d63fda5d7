/**
 * Locating the repository root from compiled (dist/infra/src) or source (infra/src) code, without
 * `import.meta` (this module is also loaded as CommonJS by jest's global setup): walk up from a
 * start folder (default: the current directory, then this module's folder when known) until a
 * package.json named "ketnap" is found.
 */
import fs from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

function findFrom(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if (JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'ketnap') return dir;
      } catch {
        /* keep looking */
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The repository root. `hint` is a folder inside the repository (e.g. the calling module's folder). */
export function repoRoot(hint?: string): string {
  if (hint) {
    const found = findFrom(hint);
    if (found) return found;
  }
  if (cached) return cached;
  const candidates = [process.argv[1] && path.dirname(process.argv[1]), process.cwd()];
  for (const c of candidates) {
    if (!c) continue;
    const found = findFrom(c);
    if (found) return (cached = found);
  }
  throw new Error('cannot find the ketnap repository root (no package.json named "ketnap" above the current folder)');
}

/** Absolute path of a repo-relative path. */
export function fromRoot(...segments: string[]): string {
  return path.join(repoRoot(), ...segments);
}
