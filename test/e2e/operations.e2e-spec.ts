import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApi } from '../../apps/api/src/bootstrap.js';
import { serveWorkerHealth, type WorkerHealth } from '../../apps/worker/src/health.js';
import { installWorkerRuntime } from '../../apps/worker/src/telemetry.js';
import { findFreePort } from '../../infra/src/processes.js';
import { validDecision } from '../support/decisions.js';
import { waitFor } from '../support/fixtures.js';
import { Api } from '../support/http.js';
import { TestSystem } from '../support/system.js';

/**
 * What operators run the system with (README, Operations): the API's probes and Prometheus metrics, its JSON
 * log lines carrying the request id, and the worker's probes and the Temporal SDK's Prometheus exporter, on
 * the real Temporal server and PostgreSQL.
 */
const sys = new TestSystem();
const METRICS_TOKEN = `metrics-${sys.tag}-0123456789abcdef`;
/** The API under test: its own instance, so its metrics and its log lines are this file's alone. */
let ops: INestApplication;
let base: string;
const lines: string[] = [];
let workerMetricsAddress: string;
let workerHealth: WorkerHealth;

const scrape = async (token = METRICS_TOKEN) => {
  const res = await fetch(`${base}/api/metrics`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
};

/** The value of one sample of the exposition text (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m && m[1] === name && want.every((l) => (m[2] ?? '').split(',').includes(l))) return Number(m[3]);
  }
  return 0;
}

const logged = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  // As apps/worker/src/main.ts does, before the worker's connection: the SDK's exporter on a port of our own.
  workerMetricsAddress = `127.0.0.1:${await findFreePort()}`;
  installWorkerRuntime({ observability: { workerMetricsAddress, workerHealthPort: 0 } });
  await sys.start({ KETNAP_METRICS_TOKEN: METRICS_TOKEN, KETNAP_LOG_FORMAT: 'json' });
  ops = await createApi(sys.config, { logger: ['error', 'warn', 'log'], logDestination: { write: (line: string) => void lines.push(line) } });
  await ops.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${ops.getHttpServer().address().port}`;
  workerHealth = await serveWorkerHealth(0, { worker: sys.worker!.worker, ds: sys.worker!.dataSource }, '127.0.0.1');
});

afterAll(async () => {
  await workerHealth?.close();
  await ops?.close();
  await sys.stop();
});

describe('API probes', () => {
  it('answers live and ready (PostgreSQL migrated, Temporal reachable) without a session', async () => {
    const live = await fetch(`${base}/api/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/api/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', database: 'up', temporal: 'up' });
  });
});

describe('API request id and JSON logs', () => {
  it('echoes a caller X-Request-Id, makes one otherwise, and refuses to echo a malformed one', async () => {
    const given = await fetch(`${base}/api/clock`, { headers: { 'x-request-id': `probe-${sys.tag}` } });
    expect(given.headers.get('x-request-id')).toBe(`probe-${sys.tag}`);
    const made = await fetch(`${base}/api/clock`);
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await fetch(`${base}/api/clock`, { headers: { 'x-request-id': 'a b"c' } });
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // A refusal from the router or the auth guard carries it too.
    expect((await fetch(`${base}/api/tasks`, { headers: { 'x-request-id': `anon-${sys.tag}` } })).headers.get('x-request-id')).toBe(`anon-${sys.tag}`);
  });

  it('writes one JSON line per request with the request id, the user, the candidate and its workflow, the Idempotency-Key', async () => {
    const candidateId = await sys.newCandidate(sys.users.secretary, 'Trần Văn Nhật Ký');
    const task = await sys.openTask(sys.users.secretary, candidateId, 'recognize_sympathiser');
    const secretary = new Api(base, sys.users.secretary.token);
    const requestId = `log-${sys.tag}`;
    const key = `idem-log-${sys.tag}`;
    const r = await secretary.post(`/api/tasks/${task.id}/complete`, validDecision('recognize_sympathiser', await sys.today()), { 'x-request-id': requestId, 'idempotency-key': key });
    expect(r.status).toBe(200);
    const me = (await secretary.get('/api/auth/me')).body.id;
    const line = await waitFor('the access-log line', async () => logged().find((l) => l.requestId === requestId && l.msg === 'request'));
    expect(line).toMatchObject({
      level: 'info',
      context: 'http',
      service: 'ketnap-api',
      requestId,
      userId: me,
      candidateId,
      workflowId: `candidate-${candidateId}`,
      idempotencyKey: key,
      method: 'POST',
      route: '/api/tasks/:id/complete',
      status: 200,
    });
    expect(typeof line.time).toBe('string');
    expect(typeof line.durationMs).toBe('number');
    // Every line the app wrote is one JSON object (JSON.parse above would have thrown otherwise).
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
  });
});

describe('API metrics', () => {
  it('is off to the public: 401 with a wrong token or a session token, 404 on an API without KETNAP_METRICS_TOKEN', async () => {
    expect((await scrape('not-the-metrics-token')).status).toBe(401);
    expect((await scrape(sys.users.auditor.token!)).status).toBe(401);
    expect((await fetch(`${base}/api/metrics`)).status).toBe(401);
    expect((await fetch(`${sys.anon.baseUrl}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(200);
    const off = await createApi({ ...sys.config, observability: { ...sys.config.observability, metricsToken: undefined } }, { logger: false });
    await off.listen(0, '127.0.0.1');
    try {
      const res = await fetch(`http://127.0.0.1:${off.getHttpServer().address().port}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(res.status).toBe(404);
    } finally {
      await off.close();
    }
  });

  it('counts requests by route and status, their latency, a decision applied and one refused with its code', async () => {
    const before = (await scrape()).text;
    const candidateId = await sys.newCandidate(sys.users.secretary, 'Lê Thị Đo Lường');
    const task = await sys.openTask(sys.users.secretary, candidateId, 'recognize_sympathiser');
    const secretary = new Api(base, sys.users.secretary.token);
    const decision = validDecision('recognize_sympathiser', await sys.today());
    expect((await secretary.post(`/api/tasks/${task.id}/complete`, decision)).status).toBe(200);
    // The same task again: closed, refused before Temporal.
    const refused = await secretary.post(`/api/tasks/${task.id}/complete`, decision);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('task_not_open');

    const applied = { task_type: 'recognize_sympathiser' };
    const notOpen = { task_type: 'recognize_sympathiser', code: 'task_not_open' };
    const after = await waitFor('the decision counters', async () => {
      const s = await scrape();
      return sample(s.text, 'ketnap_decisions_refused_total', notOpen) > sample(before, 'ketnap_decisions_refused_total', notOpen) ? s : undefined;
    });
    expect(after.status).toBe(200);
    expect(after.type).toMatch(/^text\/plain/);
    expect(sample(after.text, 'ketnap_decisions_applied_total', applied) - sample(before, 'ketnap_decisions_applied_total', applied)).toBe(1);
    expect(sample(after.text, 'ketnap_decisions_refused_total', notOpen) - sample(before, 'ketnap_decisions_refused_total', notOpen)).toBe(1);
    const route = { method: 'POST', route: '/api/tasks/:id/complete' };
    expect(sample(after.text, 'ketnap_http_requests_total', { ...route, status: '200' }) - sample(before, 'ketnap_http_requests_total', { ...route, status: '200' })).toBe(1);
    expect(sample(after.text, 'ketnap_http_requests_total', { ...route, status: '409' }) - sample(before, 'ketnap_http_requests_total', { ...route, status: '409' })).toBe(1);
    expect(sample(after.text, 'ketnap_http_request_duration_seconds_count', route) - sample(before, 'ketnap_http_request_duration_seconds_count', route)).toBe(2);
    expect(sample(after.text, 'ketnap_http_request_duration_seconds_bucket', { ...route, le: '+Inf' })).toBeGreaterThanOrEqual(2);
    // Ids never become labels: the route template does.
    expect(after.text).not.toContain(task.id);
  });
});

describe('worker probes and metrics', () => {
  it('exports the Temporal SDK runtime metrics and the projection lag on KETNAP_WORKER_METRICS_ADDRESS', async () => {
    const text = await waitFor('the worker exporter with activity metrics', async () => {
      const t = await (await fetch(`http://${workerMetricsAddress}/metrics`)).text();
      return /ketnap_projection_lag_seconds/.test(t) ? t : undefined;
    });
    expect(text).toMatch(/^temporal_worker_task_slots_available\{/m);
    // The projection is a local activity (local-projection-v1): the SDK times it as one.
    expect(text).toMatch(/^temporal_local_activity_execution_latency_(seconds_)?count\{.*activity_type="projectCandidate"/m);
    // ketnap's own, through the activity's meter: tagged by the SDK (activityType, taskQueue), in seconds.
    const lag = /^ketnap_projection_lag_seconds_count\{.*activityType="projectCandidate".*\} (\S+)$/m.exec(text);
    expect(Number(lag?.[1])).toBeGreaterThan(0);
    expect(text).toMatch(/^ketnap_projection_lag_seconds_bucket\{.*le="0\.5"\} [1-9]/m);
  });

  it('is ready while the worker polls and its database answers; not once it has stopped', async () => {
    const url = `http://127.0.0.1:${workerHealth.port}`;
    expect((await fetch(`${url}/live`)).status).toBe(200);
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', worker: 'RUNNING', database: 'up' });
    const worker = sys.worker!;
    await sys.stopWorker();
    const down = await fetch(`${url}/ready`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'unavailable', worker: 'STOPPED', database: expect.stringMatching(/^down: /) });
    expect(worker.dataSource.isInitialized).toBe(false);
  });
});

describe('API readiness without its database', () => {
  it('answers ready 503 naming the database while live stays 200', async () => {
    await ops.get(DataSource).destroy();
    const ready = await fetch(`${base}/api/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', database: expect.stringMatching(/^down: /), temporal: 'up' });
    expect((await fetch(`${base}/api/health/live`)).status).toBe(200);
  });
});
