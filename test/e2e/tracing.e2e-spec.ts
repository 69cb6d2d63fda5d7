import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { createApi } from '../../apps/api/src/bootstrap.js';
import { candidateWorkflowId } from '../../workflows/candidate/candidate.messages.js';
import { validDecision } from '../support/decisions.js';
import { waitFor } from '../support/fixtures.js';
import { TestSystem } from '../support/system.js';

/**
 * OpenTelemetry tracing (README, Operations): with KETNAP_TRACING=1 a decision made over HTTP is one trace,
 * from the API's server span through the Temporal client's update, the workflow's update handler and the
 * activity it schedules to the projection activity run by the worker, exported over OTLP/HTTP to a collector
 * (here a listener of the test's own that reads the exporter's JSON). Off (the default), nothing is exported
 * and no interceptor runs: the update carries no trace header.
 */

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Record<string, unknown>;
}

/** A collector's OTLP/HTTP traces endpoint, for JSON bodies (what @opentelemetry/exporter-trace-otlp-http sends). */
class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly posts: string[] = [];
  private server!: http.Server;
  endpoint = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.posts.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
        if (req.method === 'POST' && req.url === '/v1/traces') this.read(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private read(body: any): void {
    for (const rs of body.resourceSpans ?? []) {
      const service = attributes(rs.resource?.attributes)['service.name'] as string;
      for (const ss of rs.scopeSpans ?? []) {
        for (const s of ss.spans ?? []) {
          this.spans.push({ service, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined, name: s.name, attributes: attributes(s.attributes) });
        }
      }
    }
  }
}

function attributes(list: Array<{ key: string; value: Record<string, unknown> }> | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((a) => [a.key, Object.values(a.value)[0]]));
}

/** The `_tracer-data` header of the candidate's accepted updates (undefined where absent). */
async function updateTraceHeaders(sys: TestSystem, candidateId: string): Promise<unknown[]> {
  const history = await sys.app.get(Client).workflow.getHandle(candidateWorkflowId(candidateId)).fetchHistory();
  return (history.events ?? [])
    .filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)
    .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest?.input?.header?.fields?.['_tracer-data']);
}

/** One decision over HTTP, with our own request id; the candidate's id. */
async function decide(sys: TestSystem, requestId: string): Promise<string> {
  const candidateId = await sys.newCandidate(sys.users.secretary, 'Lê Văn Vết');
  const task = await sys.openTask(sys.users.secretary, candidateId, 'recognize_sympathiser');
  const r = await sys.users.secretary.post(`/api/tasks/${task.id}/complete`, validDecision('recognize_sympathiser', await sys.today()), { 'x-request-id': requestId });
  expect(r.status).toBe(200);
  return candidateId;
}

describe('OpenTelemetry tracing, on (KETNAP_TRACING=1)', () => {
  const sys = new TestSystem();
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await new OtlpReceiver().start();
    await sys.start({ KETNAP_TRACING: '1', KETNAP_OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint });
  });

  afterAll(async () => {
    await sys.stop();
    await receiver?.stop();
  });

  it('links the API request span, the client update, the workflow update handler and the projection activity in one trace, over OTLP/HTTP', async () => {
    const requestId = `trace-${sys.tag}`;
    const candidateId = await decide(sys, requestId);
    const server = await waitFor('the request span', async () => receiver.spans.find((s) => s.attributes['ketnap.request_id'] === requestId), 30_000);
    expect(server).toMatchObject({ service: 'ketnap-api', name: 'POST /api/tasks/:id/complete' });
    expect(server.attributes).toMatchObject({ 'http.route': '/api/tasks/:id/complete', 'http.response.status_code': 200, 'temporal.workflow_id': candidateWorkflowId(candidateId) });
    const trace = () => receiver.spans.filter((s) => s.traceId === server.traceId);
    const activity = await waitFor('the projection activity span in the same trace', async () => trace().find((s) => s.name === 'RunActivity:projectCandidate'), 30_000);
    expect(activity.service).toBe('ketnap-worker');

    // Walk from the activity up to the request: every step is the parent of the one before.
    const byId = new Map(trace().map((s) => [s.spanId, s]));
    const chain: string[] = [];
    for (let s: ReceivedSpan | undefined = activity; s; s = s.parentSpanId ? byId.get(s.parentSpanId) : undefined) chain.push(`${s.service} ${s.name}`);
    expect(chain).toEqual([
      'ketnap-worker RunActivity:projectCandidate',
      'ketnap-worker StartActivity:projectCandidate',
      'ketnap-worker HandleUpdate:completeTask',
      'ketnap-api StartWorkflowUpdate:completeTask',
      'ketnap-api POST /api/tasks/:id/complete',
    ]);
    // The validator ran in the same trace, under the client's update.
    expect(trace().some((s) => s.name === 'ValidateUpdate:completeTask')).toBe(true);
    expect(receiver.posts.every((p) => p === 'POST /v1/traces application/json')).toBe(true);
    expect((await updateTraceHeaders(sys, candidateId)).every((h) => h !== undefined)).toBe(true);
  });

  it('continues a caller\'s W3C trace, writes the trace id in the JSON log line, and does not trace the probes', async () => {
    // An API of its own writing JSON lines, on the same configuration (tracing on).
    const lines: string[] = [];
    const api: INestApplication = await createApi({ ...sys.config, logFormat: 'json' }, { logger: ['error', 'warn', 'log'], logDestination: { write: (l: string) => void lines.push(l) } });
    try {
      await api.listen(0, '127.0.0.1');
      const base = `http://127.0.0.1:${api.getHttpServer().address().port}`;
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const r = await fetch(`${base}/api/clock`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, 'x-request-id': `caller-${sys.tag}` } });
      expect(r.status).toBe(200);
      await fetch(`${base}/api/health/live`, { headers: { 'x-request-id': `probe-${sys.tag}` } });
      const span = await waitFor('the clock request span', async () => receiver.spans.find((s) => s.attributes['ketnap.request_id'] === `caller-${sys.tag}`), 30_000);
      expect(span).toMatchObject({ service: 'ketnap-api', traceId, parentSpanId: '00f067aa0ba902b7', name: 'GET /api/clock' });
      const line = lines.map((l) => JSON.parse(l)).find((l) => l.requestId === `caller-${sys.tag}` && l.msg === 'request');
      expect(line).toMatchObject({ traceId, route: '/api/clock' });
      expect(receiver.spans.some((s) => s.attributes['ketnap.request_id'] === `probe-${sys.tag}`)).toBe(false);
    } finally {
      await api.close();
    }
  });
});

describe('OpenTelemetry tracing, off (the default)', () => {
  const sys = new TestSystem();
  let receiver: OtlpReceiver;
  let stopped = false;

  beforeAll(async () => {
    receiver = await new OtlpReceiver().start();
    // An endpoint alone does not switch tracing on.
    await sys.start({ KETNAP_OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint });
  });

  afterAll(async () => {
    if (!stopped) await sys.stop();
    await receiver?.stop();
  });

  it('exports no span and installs no interceptor: the decision\'s update carries no trace header', async () => {
    const candidateId = await decide(sys, `untraced-${sys.tag}`);
    expect(await updateTraceHeaders(sys, candidateId)).toEqual([undefined]);
    // Longer than the batch exporter's delay (5 s), and through the apps' shutdown, which would flush.
    await new Promise((r) => setTimeout(r, 6_000));
    await sys.stop();
    stopped = true;
    expect(receiver.posts).toEqual([]);
    expect(receiver.spans).toEqual([]);
  });
});
