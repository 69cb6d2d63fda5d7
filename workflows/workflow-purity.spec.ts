import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The workflow bundle must stay deterministic and free of I/O: workflow code and the domain rules it
 * bundles may not import Node built-ins or server libraries, and the domain rules may not read the clock
 * or randomness (the workflow passes time in).
 */
const root = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.spec.ts') ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g), ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
}

const FORBIDDEN = /^(node:|fs$|path$|crypto$|os$|child_process$|http|net$|typeorm|pg$|@nestjs\/|@temporalio\/(client|worker|activity|testing)|pino|jsonwebtoken|bcryptjs)/;
const bundled = [...sources(join(root, 'workflows')), ...sources(join(root, 'libs/domain/src'))];

describe('workflow bundle purity', () => {
  it('finds the files it checks', () => {
    expect(bundled.length).toBeGreaterThan(10);
  });

  it.each(bundled.map((f) => [relative(root, f)]))('%s imports no Node built-in or server library', (file) => {
    const bad = importsOf(join(root, file)).filter((s) => FORBIDDEN.test(s));
    expect(bad).toEqual([]);
  });

  it('keeps clock and randomness out of the domain rules', () => {
    const offenders = sources(join(root, 'libs/domain/src')).filter((f) => {
      const code = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      return /Date\.now\(|Math\.random\(|new Date\(\s*\)|performance\.now\(/.test(code);
    });
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
  });

  it('imports workflow-side code only through relative paths (the bundler reads no tsconfig aliases)', () => {
    const aliased = bundled.flatMap((f) => importsOf(f).filter((s) => !s.startsWith('.') && !s.startsWith('@temporalio/') && s !== 'zod').map((s) => `${relative(root, f)}: ${s}`));
    expect(aliased).toEqual([]);
  });
});
