import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { pendingMigrations } from '../../../libs/persistence/src/schema-status.js';

export interface WorkerHealth {
  readonly port: number;
  close(): Promise<void>;
}

/** `up`, or `down: <why>`, within a deadline: a hung database must not hang the probe. */
async function check(f: () => Promise<unknown>, timeoutMs = 3000): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([f(), new Promise((_, rej) => (timer = setTimeout(() => rej(new Error('timeout')), timeoutMs)))]);
    return 'up';
  } catch (e) {
    return `down: ${(e as Error).message}`;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The worker's probes (KETNAP_WORKER_HEALTH_PORT), on a listener of their own: GET /live answers 200 while
 * the process runs; GET /ready 200 only while the Temporal worker is RUNNING (polling) and PostgreSQL
 * answers with every migration applied, else 503 with the failing part. Nothing else is served.
 */
export function serveWorkerHealth(port: number, parts: { worker: Pick<Worker, 'getState'>; ds: DataSource }, host = '0.0.0.0'): Promise<WorkerHealth> {
  const server = http.createServer((req, res) => {
    const answer = (status: number, body: object) => {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(405, { status: 'method not allowed' });
    if (path === '/live') return answer(200, { status: 'ok' });
    if (path !== '/ready') return answer(404, { status: 'not found' });
    void (async () => {
      const state = parts.worker.getState();
      const database = await check(async () => {
        const pending = await pendingMigrations(parts.ds);
        if (pending.length) throw new Error(`migrations not applied: ${pending.join(', ')}`);
      });
      const ok = state === 'RUNNING' && database === 'up';
      answer(ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable', worker: state, database });
    })().catch((e) => answer(500, { status: 'error', message: (e as Error).message }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
