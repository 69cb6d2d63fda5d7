import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Seconds: from a cached read (ms) to a decision on a cold case behind a storm (BENCHMARKS.md §8). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The API's Prometheus metrics, on a registry of its own (two API instances in one process, as in the
 * tests, never share counters). Exposed at GET /api/metrics (metrics.controller.ts).
 */
@Injectable()
export class ApiMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'ketnap_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'ketnap_http_request_duration_seconds',
    help: 'Time from the request arriving to the answer being sent, by method and route template.',
    labelNames: ['method', 'route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly applied = new Counter({
    name: 'ketnap_decisions_applied_total',
    help: 'Decisions accepted by the candidate workflow (POST /api/tasks/:id/complete and bulk items), by task type.',
    labelNames: ['task_type'] as const,
    registers: [this.registry],
  });
  private readonly refused = new Counter({
    name: 'ketnap_decisions_refused_total',
    help: 'Decisions refused (4xx), by task type and refusal code; task_type "unknown" when the task does not exist.',
    labelNames: ['task_type', 'code'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  request(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.latency.observe({ method, route }, seconds);
  }

  decisionApplied(taskType: string): void {
    this.applied.inc({ task_type: taskType });
  }

  decisionRefused(taskType: string, code: string): void {
    this.refused.inc({ task_type: taskType, code });
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
