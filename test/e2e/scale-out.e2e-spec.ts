import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { dropDatabase, isAlive, withClient, withDatabase } from '../../infra/src/postgres.js';
import { findFreePort } from '../../infra/src/processes.js';
import { startTemporalServer, type TemporalServerHandle } from '../../infra/src/temporal-server.js';
import { adminDatabaseUrl } from '../support/env.js';
import { TestSystem } from '../support/system.js';

/**
 * The scale-out topology (infra/src/temporal-server.ts): the real Temporal server, its state in PostgreSQL,
 * runs the whole system — API, worker, read model — and keeps a case through a restart of the server.
 * The binaries come from infra/install-temporal-server.sh (infra/test.sh runs it before the system tests).
 */
const sys = new TestSystem();
const database = `temporal_e2e_${process.pid}_${sys.tag.replace(/[^a-z0-9]/g, '')}`;
const binDir = process.env.TEMPORAL_SERVER_BIN_DIR ?? path.join(process.cwd(), '.tools', 'bin');
const workDir = path.join(process.cwd(), '.data', 'test-temporal-server', sys.tag);
let server: TemporalServerHandle | undefined;
let port: number;

const start = async () =>
  startTemporalServer({ binDir, workDir, postgresUrl: adminDatabaseUrl(), database, port, retentionDays: 1, logLevel: 'error', logName: 'temporal-server' });

/** Rows of Temporal's own tables for a workflow: its execution and its history, in PostgreSQL. */
async function temporalRows(workflowId: string): Promise<{ executions: number; historyNodes: number }> {
  const c = new pg.Client({ connectionString: withDatabase(adminDatabaseUrl(), database) });
  await c.connect();
  try {
    const ex = await c.query(`SELECT shard_id, run_id FROM executions WHERE workflow_id = $1`, [workflowId]);
    if (!ex.rowCount) return { executions: 0, historyNodes: 0 };
    // History branches are keyed by tree id, which is the run id.
    const nodes = await c.query(`SELECT count(*)::int AS n FROM history_node WHERE shard_id = $1 AND tree_id = $2`, [ex.rows[0].shard_id, ex.rows[0].run_id]);
    return { executions: ex.rowCount, historyNodes: nodes.rows[0].n };
  } finally {
    await c.end();
  }
}

/** Databases of earlier runs of this file that were killed before their cleanup (their jest process is gone). */
async function dropStaleDatabases(): Promise<void> {
  const names = await withClient(adminDatabaseUrl(), async (c) => (await c.query(`SELECT datname FROM pg_database WHERE datname LIKE 'temporal\\_e2e\\_%'`)).rows.map((r) => r.datname as string));
  for (const name of names) {
    const pid = Number(/^temporal_e2e_(\d+)_/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) await dropDatabase(adminDatabaseUrl(), name);
  }
}

beforeAll(async () => {
  await dropStaleDatabases();
  port = await findFreePort();
  server = await start();
  await sys.start({ TEMPORAL_ADDRESS: server.address });
}, 240_000);

afterAll(async () => {
  await sys.stop();
  await server?.stop();
  await dropDatabase(adminDatabaseUrl(), `${database}_visibility`);
  await dropDatabase(adminDatabaseUrl(), database);
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe('the scale-out topology: Temporal server on PostgreSQL', () => {
  let candidateId: string;

  it('runs a case through the API, with the workflow and its history stored in PostgreSQL', async () => {
    expect((await sys.anon.get('/api/health')).body).toMatchObject({ database: 'up', temporal: 'up' });
    candidateId = await sys.newCandidate(sys.users.secretary);
    expect((await sys.decideOk(sys.users.secretary, candidateId, 'recognize_sympathiser')).stage).toBe('awareness_training');
    await sys.decideOk(sys.users.centre, candidateId, 'record_training_certificate');
    await sys.openTask(sys.users.secretary, candidateId, 'submit_application');

    const rows = await temporalRows(`candidate-${candidateId}`);
    expect(rows.executions).toBe(1);
    expect(rows.historyNodes).toBeGreaterThan(3);
  });

  it('keeps the case through a restart of the Temporal server: the next decision lands once', async () => {
    const before = (await sys.users.secretary.get(`/api/candidates/${candidateId}/history`)).body;
    await sys.stopWorker();
    await server!.stop();
    server = await start(); // same databases, same frontend port
    await sys.startWorker();

    await sys.decideOk(sys.users.secretary, candidateId, 'submit_application');
    await sys.openTask(sys.users.grassroots, candidateId, 'verify_background');
    const after = (await sys.users.secretary.get(`/api/candidates/${candidateId}/history`)).body;
    const decisions = (h: { events: any[] }) => h.events.filter((e) => e.type === 'decision_recorded').map((e) => e.data.taskType);
    expect(decisions(before)).toEqual(['recognize_sympathiser', 'record_training_certificate']);
    expect(decisions(after)).toEqual(['recognize_sympathiser', 'record_training_certificate', 'submit_application']);
    expect(after.events.map((e: { seq: number }) => e.seq)).toEqual(after.events.map((_: unknown, i: number) => i + 1));
    expect((await temporalRows(`candidate-${candidateId}`)).executions).toBe(1);
  });
});
