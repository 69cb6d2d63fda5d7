import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { KetnapConfig } from '../../../libs/config/src/config.js';
import { repoRoot } from '../../../infra/src/repo.js';
import { AppModule } from './app.module.js';

/** The web app's page and assets may only load from this origin and never be framed. */
const WEB_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/**
 * Builds the HTTP app: all routes under /api and, when it has been built (`npm run build` → dist/web, or
 * KETNAP_WEB_DIR), the approvers' web app on the same origin at /. Used by main.ts and by the tests.
 */
export async function createApi(config?: KetnapConfig, opts: { logger?: false | ('error' | 'warn' | 'log')[] } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { logger: opts.logger ?? ['error', 'warn', 'log'], bodyParser: false });
  // JSON up to 1 MB (a bulk of 200 decisions); attachments are read raw by their own endpoint, never parsed.
  app.useBodyParser('json', { limit: '1mb' });
  app.useBodyParser('urlencoded', { limit: '1mb', extended: false });
  app.setGlobalPrefix('api');
  app.disable('x-powered-by');
  const webDir = webDirectory(config);
  if (webDir) {
    app.useStaticAssets(webDir, {
      index: 'index.html',
      setHeaders: (res, file) => {
        res.setHeader('Content-Security-Policy', WEB_CSP);
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Referrer-Policy', 'same-origin');
        // Hashed asset names can be cached for long; the page itself is always revalidated.
        res.setHeader('Cache-Control', file.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
      },
    });
  }
  app.enableShutdownHooks();
  return app;
}

/** The built web app's folder, when there is one. */
export function webDirectory(config?: KetnapConfig): string | undefined {
  const dir = config?.webDir ?? path.join(repoRoot(), 'dist/web');
  return fs.existsSync(path.join(dir, 'index.html')) ? dir : undefined;
}
