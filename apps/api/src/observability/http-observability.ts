import type { LoggerService } from '@nestjs/common';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
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
 *
 * With a tracer (KETNAP_TRACING=1) it also opens the request's server span (a caller's W3C `traceparent`
 * continues its trace), active while the request is served, so the Temporal client's spans (an update, a
 * start) and through them the workflow's and the activities' join it; the request id is one of its
 * attributes and the trace id one of the log fields. Probes and scrapes are not traced. Without one, no span.
 */
export function httpObservability(metrics: ApiMetrics, logger: LoggerService, tracer?: Tracer) {
  return (req: Req, res: Res, next: () => void): void => {
    const start = process.hrtime.bigint();
    const key = req.headers['idempotency-key'];
    const ctx: RequestContext = {
      requestId: requestIdFrom(req.headers['x-request-id']),
      method: req.method,
      ...(typeof key === 'string' && key ? { idempotencyKey: key.slice(0, 200) } : {}),
    };
    const path = (req.originalUrl ?? req.url).split('?')[0];
    const span = tracer && !QUIET_ROUTES.has(path)
      ? tracer.startSpan(
          req.method,
          { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': path, 'ketnap.request_id': ctx.requestId } },
          propagation.extract(context.active(), req.headers),
        )
      : undefined;
    if (span) ctx.traceId = span.spanContext().traceId;
    res.setHeader('X-Request-Id', ctx.requestId);
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      // 499 (nginx's "client closed request"): the caller went away before the answer was complete.
      const status = res.writableFinished ? res.statusCode : 499;
      const route = ctx.route ?? req.route?.path ?? ((req.originalUrl ?? req.url).startsWith('/api') ? 'unmatched' : 'static');
      ctx.userId ??= req.user?.id;
      metrics.request(req.method, route, status, seconds);
      if (span) endServerSpan(span, req.method, route, status, ctx);
      if (QUIET_ROUTES.has(route)) return;
      logger.log({ msg: 'request', ...logFields(ctx), method: req.method, route, path, status, durationMs: Math.round(seconds * 1e4) / 10 }, 'http');
    });
    if (span) context.with(trace.setSpan(context.active(), span), () => runInRequest(ctx, next));
    else runInRequest(ctx, next);
  };
}

function endServerSpan(span: ReturnType<Tracer['startSpan']>, method: string, route: string, status: number, ctx: RequestContext): void {
  span.updateName(`${method} ${route}`);
  span.setAttributes({
    'http.route': route,
    'http.response.status_code': status,
    ...(ctx.userId ? { 'enduser.id': ctx.userId } : {}),
    ...(ctx.candidateId ? { 'ketnap.candidate_id': ctx.candidateId } : {}),
    ...(ctx.workflowId ? { 'temporal.workflow_id': ctx.workflowId } : {}),
    ...(ctx.idempotencyKey ? { 'ketnap.idempotency_key': ctx.idempotencyKey } : {}),
  });
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
