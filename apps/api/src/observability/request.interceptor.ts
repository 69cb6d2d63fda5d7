import { HttpException, Inject, Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { tap, type Observable } from 'rxjs';
import { CandidateRepository } from '../../../../libs/persistence/src/repositories/candidate.repository.js';
import { candidateWorkflowId } from '../../../../workflows/candidate/candidate.messages.js';
import { DomainError, statusFor } from '../common/domain-error.js';
import { ApiMetrics } from './metrics.js';
import { currentRequest, type RequestContext } from './request-context.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The candidate a routed request is about, from its path: `/candidates/:id…`, or a task `<candidateId>.<n>`. */
export function candidateOf(route: string | undefined, params: Record<string, string> | undefined): string | undefined {
  const id = params?.id;
  if (!route || !id) return undefined;
  if (/\/candidates\/:id(\/|$)/.test(route) && UUID.test(id)) return id;
  if (/\/tasks\/:id(\/|$)/.test(route)) {
    const c = id.split('.')[0];
    return UUID.test(c) ? c : undefined;
  }
  return undefined;
}

type Outcome = { taskId: string; ok: true } | { taskId: string; ok: false; status: number; code: string };

/**
 * Completes the request's log context once routed and authenticated (route template, user, candidate and its
 * workflow id), and counts decisions: applied, or refused with their code, labelled by task type (looked up
 * after the answer, off its path).
 */
@Injectable()
export class RequestObservabilityInterceptor implements NestInterceptor {
  private readonly log = new Logger('metrics');

  constructor(
    @Inject(ApiMetrics) private readonly metrics: ApiMetrics,
    @Inject(CandidateRepository) private readonly candidates: CandidateRepository,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest();
    const res = context.switchToHttp().getResponse();
    const ctx = currentRequest();
    const route: string | undefined = req.route?.path;
    if (ctx) {
      ctx.route = route;
      ctx.userId = req.user?.id;
      setCandidate(ctx, candidateOf(route, req.params));
    }
    const decision = req.method === 'POST' && route ? (route.endsWith('/tasks/:id/complete') ? 'one' : route.endsWith('/tasks/bulk-complete') ? 'bulk' : undefined) : undefined;
    return next.handle().pipe(
      tap({
        next: (body: any) => {
          if (ctx && typeof body?.candidateId === 'string') setCandidate(ctx, body.candidateId);
          if (decision === 'one') {
            const status = res.statusCode as number;
            this.count([status < 300 ? { taskId: req.params.id, ok: true } : { taskId: req.params.id, ok: false, status, code: String(body?.code ?? 'unknown') }]);
          } else if (decision === 'bulk' && Array.isArray(body?.results)) {
            this.count(body.results.map((r: any) => (r.ok ? { taskId: r.taskId, ok: true } : { taskId: r.taskId, ok: false, status: r.status, code: String(r.error?.code ?? 'unknown') })));
          }
        },
        error: (e: unknown) => {
          if (decision !== 'one') return;
          const status = e instanceof DomainError ? statusFor(e.code) : e instanceof HttpException ? e.getStatus() : 500;
          this.count([{ taskId: req.params.id, ok: false, status, code: e instanceof DomainError ? e.code : `http_${status}` }]);
        },
      }),
    );
  }

  /** Applied, and refused (4xx) decisions; a 5xx is the server's failure, seen in the request metrics. */
  private count(outcomes: Outcome[]): void {
    const counted = outcomes.filter((o) => o.ok || o.status < 500);
    if (!counted.length) return;
    this.candidates
      .taskTypes([...new Set(counted.map((o) => o.taskId).filter((id) => typeof id === 'string'))])
      .catch(() => new Map<string, string>())
      .then((types) => {
        for (const o of counted) {
          const type = types.get(o.taskId) ?? 'unknown';
          if (o.ok) this.metrics.decisionApplied(type);
          else this.metrics.decisionRefused(type, o.code);
        }
      })
      .catch((e) => this.log.warn(`decision metrics: ${(e as Error).message}`));
  }
}

function setCandidate(ctx: RequestContext, candidateId: string | undefined): void {
  if (!candidateId) return;
  ctx.candidateId = candidateId;
  ctx.workflowId = candidateWorkflowId(candidateId);
}
