import type { LoggerService } from '@nestjs/common';
import { ApiMetrics } from './metrics.js';
import { logFields, requestIdFrom, runInRequest, type RequestContext } from './request-context.js';

interface Req {
  method: string;
  originalUrl?: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  route?: { path?: string };
  user?: { id?: string };
}
interface Res {
  statusCode: number;
  writableFinished: boolean;
  setHeader(name: string, value: string): void;
  once(event: 'close', fn: () => void): void;
}

/** Probes and scrapes: counted, never written to the access log (a line every few seconds says nothing). */
const QUIET_ROUTES = new Set(['/api/health', '/api/health/live', '/api/health/ready', '/api/metrics']);

/**
 * The first middleware of the API: takes or makes the request id (X-Request-Id, echoed in the answer), runs
 * the request in its context (every log line written meanwhile carries it), and when the answer is sent
 * counts it (route template, status, latency) and writes one access-log line.
 */
export function httpObservability(metrics: ApiMetrics, logger: LoggerService) {
  return (req: Req, res: Res, next: () => void): void => {
    const start = process.hrtime.bigint();
    const key = req.headers['idempotency-key'];
    const ctx: RequestContext = {
      requestId: requestIdFrom(req.headers['x-request-id']),
      method: req.method,
      ...(typeof key === 'string' && key ? { idempotencyKey: key.slice(0, 200) } : {}),
    };
    res.setHeader('X-Request-Id', ctx.requestId);
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      // 499 (nginx's "client closed request"): the caller went away before the answer was complete.
      const status = res.writableFinished ? res.statusCode : 499;
      const route = ctx.route ?? req.route?.path ?? ((req.originalUrl ?? req.url).startsWith('/api') ? 'unmatched' : 'static');
      ctx.userId ??= req.user?.id;
      metrics.request(req.method, route, status, seconds);
      if (QUIET_ROUTES.has(route)) return;
      const path = (req.originalUrl ?? req.url).split('?')[0];
      logger.log({ msg: 'request', ...logFields(ctx), method: req.method, route, path, status, durationMs: Math.round(seconds * 1e4) / 10 }, 'http');
    });
    runInRequest(ctx, next);
  };
}
