import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

/**
 * The approvers' web app. `npm run build` writes it to dist/web, which the API serves on its own origin;
 * `npm run dev:web` serves it with hot reload and proxies /api to the API (PORT, default 3000).
 */
export default defineConfig({
  root: here,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: path.join(repo, 'dist/web'), emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 800 },
  server: {
    port: 5173,
    fs: { allow: [repo] },
    proxy: { '/api': `http://127.0.0.1:${process.env.PORT ?? 3000}` },
  },
});
