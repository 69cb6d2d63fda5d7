import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What the log lines of one HTTP request carry, filled as it becomes known (route, user, candidate). */
export interface RequestContext {
  requestId: string;
  method: string;
  /** The matched route's template (`/api/tasks/:id/complete`), once routed. */
  route?: string;
  userId?: string;
  idempotencyKey?: string;
  candidateId?: string;
  workflowId?: string;
  /** The request's OpenTelemetry trace, when tracing is on (KETNAP_TRACING=1): logs and traces meet on it. */
  traceId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The context of the request being served, if any (a log line outside a request has none). */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

export function runInRequest<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/**
 * The caller's X-Request-Id when it is a plausible one (a proxy's or a client's: 1–128 characters of letters,
 * digits and `._:-`), else a new UUID: a header is never echoed into logs or answers unchecked.
 */
export function requestIdFrom(header: string | string[] | undefined): string {
  const v = Array.isArray(header) ? header[0] : header;
  return v && /^[A-Za-z0-9._:-]{1,128}$/.test(v) ? v : randomUUID();
}

/** The log fields of a context, without the ones not known (yet). */
export function logFields(ctx: RequestContext | undefined): Record<string, string> {
  if (!ctx) return {};
  const out: Record<string, string> = { requestId: ctx.requestId };
  if (ctx.userId) out.userId = ctx.userId;
  if (ctx.candidateId) out.candidateId = ctx.candidateId;
  if (ctx.workflowId) out.workflowId = ctx.workflowId;
  if (ctx.idempotencyKey) out.idempotencyKey = ctx.idempotencyKey;
  if (ctx.traceId) out.traceId = ctx.traceId;
  return out;
}
