import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import type { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { KetnapConfig } from '../../../libs/config/src/config.js';
import { repoRoot } from '../../../infra/src/repo.js';
import { KetnapTracing } from '../../../libs/temporal/src/tracing.js';
import { AppModule } from './app.module.js';
import { JSON_BODY_LIMIT, securityHeaders } from './common/http-hardening.js';
import { NoNulPipe } from './common/no-nul.pipe.js';
import { httpObservability } from './observability/http-observability.js';
import { createLogger } from './observability/logger.js';
import { ApiMetrics } from './observability/metrics.js';

/**
 * Builds the HTTP app: all routes under /api and, when it has been built (`npm run build` → dist/web, or
 * KETNAP_WEB_DIR), the approvers' web app on the same origin at /. Used by main.ts and by the tests.
 */
export async function createApi(
  config?: KetnapConfig,
  opts: { logger?: false | LogLevel[]; /** Where JSON log lines go (tests); default stdout. */ logDestination?: { write(line: string): void } } = {},
): Promise<INestApplication> {
  // KETNAP_LOG_FORMAT: JSON lines (pino) or Nest's text; the levels as before (tests pass fewer).
  const levels: LogLevel[] = opts.logger === false ? [] : (opts.logger ?? ['error', 'warn', 'log']);
  const logger = createLogger(config?.logFormat ?? 'text', levels, opts.logDestination);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger,
    bodyParser: false,
    // A failed start (e.g. the database role check) rejects, for main.ts to report, instead of exiting the process.
    abortOnError: false,
  });
  // Behind a TLS-terminating proxy, which X-Forwarded-Proto/-For to believe (KETNAP_TRUST_PROXY; default none).
  app.set('trust proxy', config?.trustProxy ?? false);
  // First: the request id (X-Request-Id), the log context, the request metrics, the access log and, with
  // KETNAP_TRACING=1, the request's server span.
  app.use(httpObservability(app.get(ApiMetrics), logger, app.get(KetnapTracing).tracer));
  // Before everything else, so that every answer carries them: errors of the body parser and the router too.
  for (const mw of securityHeaders()) app.use(mw);
  // JSON up to 1 MB (a bulk of 200 decisions); attachments are read raw by their own endpoint, never parsed.
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: JSON_BODY_LIMIT, extended: false });
  app.setGlobalPrefix('api');
  app.useGlobalPipes(new NoNulPipe());
  app.disable('x-powered-by');
  const webDir = webDirectory(config);
  if (webDir) {
    app.useStaticAssets(webDir, {
      index: 'index.html',
      // CSP, nosniff and the rest come from securityHeaders(), as for every answer.
      setHeaders: (res, file) => {
        // Hashed asset names can be cached for long; the page itself is always revalidated.
        res.setHeader('Cache-Control', file.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
      },
    });
  }
  serveLegacyPageLinks(app);
  app.enableShutdownHooks();
  return app;
}

/**
 * The web app routes on the hash (`/#/tasks/<id>`, apps/web/src/router.ts); e-mails sent before their links
 * said so point to `/tasks/<id>` and `/candidates/<id>`: those answer a redirect to the page, whether or not
 * the web app is served here (no session needed: the page asks for one).
 */
export function serveLegacyPageLinks(app: NestExpressApplication): void {
  const express = app.getHttpAdapter().getInstance();
  for (const page of ['tasks', 'candidates']) {
    express.get(`/${page}/:id`, (req: { params: { id: string } }, res: { redirect(status: number, url: string): void; status(code: number): { end(): void } }) => {
      const id = req.params.id;
      if (id.length > 200) return res.status(404).end();
      res.redirect(302, `/#/${page}/${encodeURIComponent(id)}`);
    });
  }
}

/** The built web app's folder, when there is one. */
export function webDirectory(config?: KetnapConfig): string | undefined {
  const dir = config?.webDir ?? path.join(repoRoot(), 'dist/web');
  return fs.existsSync(path.join(dir, 'index.html')) ? dir : undefined;
}
