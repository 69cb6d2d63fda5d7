import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { ReconcileService, type ReconcileSummary } from '../../apps/api/src/audit/reconcile.service.js';
import { dropDatabase, ensureDatabase, withDatabase } from '../../infra/src/postgres.js';
import { STEPS, type Role } from '../../libs/domain/src/procedure.js';
import { createDataSource } from '../../libs/persistence/src/data-source.js';
import { migrate } from '../../libs/persistence/src/migrate.js';
import { AuditRepository } from '../../libs/persistence/src/repositories/audit.repository.js';
import { OrgUnitRepository } from '../../libs/persistence/src/repositories/org-unit.repository.js';
import { ProjectionRepository } from '../../libs/persistence/src/repositories/projection.repository.js';
import { ReconcileRepository } from '../../libs/persistence/src/repositories/reconcile.repository.js';
import { EncryptionCodec } from '../../libs/temporal/src/encryption-codec.js';
import { adminDatabaseUrl, databaseUrl, ownerDatabaseUrl, temporalAddress } from '../support/env.js';
import { openDataSource } from '../support/fixtures.js';
import { TEST_PAYLOAD_KEYS, TestSystem, type UserKey } from '../support/system.js';
import { ADMISSION_STEPS } from '../support/decisions.js';

/**
 * Self-healing read model on the running system: `npm run reconcile` compares every case of a jurisdiction
 * with its workflow, names the drift field by field, repairs it from the workflow (its Temporal history and its
 * `state` query), finds a case the read model lost entirely through Temporal's visibility, refuses to rewrite
 * the append-only history, and rebuilds the whole read model from Temporal into an empty database with the
 * same rows.
 */
const sys = new TestSystem();
let owner: DataSource;
let service: ReconcileService;
/** Four cases under the superior: at source review, at the grassroots review (a due date), withdrawn, transferred. */
const c = { fresh: '', voting: '', withdrawn: '', moved: '' };
let cell2 = '';

const cliPath = () => path.join(process.env.KETNAP_DIST_DIR ?? path.join(process.cwd(), 'dist'), 'apps/api/src/cli/reconcile.js');

async function ok(p: Promise<{ status: number; body: any }>, status = 200) {
  const r = await p;
  if (r.status !== status) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

async function newCandidateIn(cellId: string, name: string): Promise<string> {
  const body = await ok(
    sys.admin.post('/api/candidates', {
      cellId,
      fullName: name,
      dateOfBirth: '1999-04-12',
      gender: 'female',
      ethnicity: 'Tày',
      religion: 'Phật giáo',
      education: 'university',
      youthUnionMember: true,
      occupation: 'public_employee',
      source: { organization: 'Đoàn trường', introducedOn: await sys.today() },
    }),
    201,
  );
  return body.id;
}

/**
 * The rows a case has in the read model, without the columns that legitimately differ between the original
 * and a rebuild from Temporal: candidates.created_at (the API inserts the row just before it starts the
 * workflow; a rebuild has only the workflow's start time, milliseconds later), candidates.updated_at (when the
 * row was last written) and candidate_events.recorded_at (when the event was inserted). Everything else must
 * be equal — the hash chain (prev_hash, hash) included: it covers `at` and `recorded_on`, which the workflow
 * sets, not the database clock — and temporal_ref (workflow, run and activity id, and the attempt of the
 * activity that wrote it: a rebuild takes the last attempt from the history, so a batch whose write succeeded
 * in an attempt that then failed would differ there; none does in this test).
 */
async function rowsOf(ds: DataSource, ids: string[]) {
  const strip = (rows: Record<string, unknown>[], cols: string[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !cols.includes(k))));
  const q = (sql: string) => ds.query(sql, [ids]);
  return {
    candidates: strip(await q(`SELECT * FROM candidates WHERE id = ANY($1::uuid[]) ORDER BY id`), ['created_at', 'updated_at']),
    tasks: await q(`SELECT * FROM tasks WHERE candidate_id = ANY($1::uuid[]) ORDER BY id`),
    events: strip(await q(`SELECT * FROM candidate_events WHERE candidate_id = ANY($1::uuid[]) ORDER BY candidate_id, seq`), ['recorded_at']),
    milestones: await q(`SELECT * FROM candidate_milestones WHERE candidate_id = ANY($1::uuid[]) ORDER BY candidate_id`),
  };
}

/** Behind the application's back, as a superuser with triggers off (the append-only history included): the damage reconcile must find. */
async function asSuperuserWithoutTriggers(fn: (q: (sql: string, params?: unknown[]) => Promise<any>) => Promise<void>): Promise<void> {
  await owner.transaction(async (m) => {
    await m.query(`SET LOCAL session_replication_role = replica`);
    await fn((sql, params) => m.query(sql, params));
  });
}

const ACTOR: Partial<Record<Role, UserKey>> = { cell_secretary: 'secretary', training_centre: 'centre', grassroots_committee: 'grassroots' };

const byCase = (s: ReconcileSummary) => Object.fromEntries(s.cases.map((r) => [r.candidateId, r]));

beforeAll(async () => {
  await sys.start();
  owner = await openDataSource();
  service = sys.app.get(ReconcileService);
  cell2 = (await ok(sys.admin.post('/api/org-units', { name: `Chi bộ 2 ${sys.tag}`, kind: 'cell', parentId: sys.units.grassroots }), 201)).id;
  const { users } = sys;
  c.fresh = await newCandidateIn(sys.units.cell, 'Hoàng Thị Mai');
  c.voting = await newCandidateIn(sys.units.cell, 'Đỗ Văn Hùng');
  // Every step up to the cell's admission vote: the grassroots review then waits on a statutory clock.
  for (const step of ADMISSION_STEPS.slice(0, ADMISSION_STEPS.indexOf('cell_admission_vote') + 1)) await sys.decideOk(users[ACTOR[STEPS[step].role]!], c.voting, step);
  c.withdrawn = await newCandidateIn(sys.units.cell, 'Lý Thị Hoa');
  await sys.decideOk(users.secretary, c.withdrawn, 'recognize_sympathiser');
  await ok(users.secretary.post(`/api/candidates/${c.withdrawn}/withdraw`, { reason: 'Xin rút khỏi danh sách' }));
  c.moved = await newCandidateIn(sys.units.cell, 'Trịnh Văn Nam');
  await sys.decideOk(users.secretary, c.moved, 'recognize_sympathiser');
  await ok(sys.admin.post(`/api/candidates/${c.moved}/transfer`, { toCellId: cell2, reason: 'Chuyển công tác về đơn vị mới' }));
});

afterAll(async () => {
  await owner?.destroy();
  await sys.stop();
});

describe('reconcile', () => {
  it('finds every case of the jurisdiction in sync after normal operation', async () => {
    const progress: string[] = [];
    const s = await service.run({ orgUnitId: sys.units.superior }, (done, total) => progress.push(`${done}/${total}`));
    expect(s).toMatchObject({ mode: 'check', total: 4, inSync: 4, drifted: 0, failed: 0, cases: [] });
    expect(progress).toEqual(['1/4', '2/4', '3/4', '4/4']);
    const due = (await owner.query(`SELECT due_date FROM tasks WHERE candidate_id = $1 AND status = 'open'`, [c.voting]))[0];
    expect(due.due_date).not.toBeNull(); // the grassroots review runs on a statutory clock: its due date is checked below
  });

  it('reports a wrong stage, a deleted open task and a moved due date field by field, repairs them from the workflow, and then finds nothing', async () => {
    const ids = Object.values(c);
    const before = await rowsOf(owner, ids);
    const movedTask = (await owner.query(`SELECT id FROM tasks WHERE candidate_id = $1 AND status = 'open'`, [c.moved]))[0].id;
    const votingTask = (await owner.query(`SELECT id, due_date, due_at FROM tasks WHERE candidate_id = $1 AND status = 'open'`, [c.voting]))[0];
    await owner.query(`UPDATE candidates SET stage = 'official', status = 'official' WHERE id = $1`, [c.fresh]);
    await owner.query(`DELETE FROM tasks WHERE id = $1`, [movedTask]);
    await owner.query(`UPDATE tasks SET due_date = due_date + 7, due_at = due_at + interval '7 days' WHERE id = $1`, [votingTask.id]);

    const found = await service.run({ orgUnitId: sys.units.superior });
    expect(found).toMatchObject({ total: 4, inSync: 1, drifted: 3, repaired: 0 });
    const drift = byCase(found);
    expect(drift[c.fresh].drift).toEqual([
      { field: 'stage', workflow: 'source_review', readModel: 'official', repairable: true },
      { field: 'status', workflow: 'active', readModel: 'official', repairable: true },
    ]);
    expect(drift[c.moved].drift).toEqual([{ field: `tasks[${movedTask}]`, workflow: expect.objectContaining({ type: 'record_training_certificate', status: 'open' }), readModel: null, repairable: true }]);
    expect(drift[c.voting].drift.map((d) => d.field)).toEqual([`tasks[${votingTask.id}].dueDate`, `tasks[${votingTask.id}].dueAt`]);
    expect(drift[c.voting].drift[1]).toMatchObject({ workflow: new Date(votingTask.due_at).toISOString() });

    const repaired = await service.run({ orgUnitId: sys.units.superior, repair: true });
    expect(repaired).toMatchObject({ total: 4, inSync: 1, repaired: 3, drifted: 0, unrepairable: 0, failed: 0 });
    for (const r of repaired.cases) expect(r.remaining).toEqual([]);
    expect(await rowsOf(owner, ids)).toEqual(before);
    expect(await service.run({ orgUnitId: sys.units.superior })).toMatchObject({ total: 4, inSync: 4, drifted: 0 });
    // The inbox shows the restored step again.
    expect((await sys.users.centre.get(`/api/tasks?type=record_training_certificate&limit=500`)).body.items.map((t: any) => t.id)).toContain(movedTask);
  });

  it('inserts a history event the read model lost again, with the same chain hash', async () => {
    const before = await rowsOf(owner, [c.withdrawn]);
    const last = before.events.at(-1) as { seq: number; type: string };
    await asSuperuserWithoutTriggers((q) => q(`DELETE FROM candidate_events WHERE candidate_id = $1 AND seq = $2`, [c.withdrawn, last.seq]));

    const found = byCase(await service.run({ orgUnitId: sys.units.superior }))[c.withdrawn];
    expect(found.drift).toEqual([
      { field: 'events.count', workflow: last.seq, readModel: last.seq - 1, repairable: true },
      { field: 'events.lastSeq', workflow: last.seq, readModel: last.seq - 1, repairable: true },
      { field: `events[${last.seq}]`, workflow: last.type, readModel: null, repairable: true },
    ]);
    expect(await service.run({ orgUnitId: sys.units.superior, repair: true })).toMatchObject({ repaired: 1, inSync: 3 });
    expect(await rowsOf(owner, [c.withdrawn])).toEqual(before);
    expect((await sys.users.auditor.get(`/api/audit/verify?orgUnitId=${sys.units.superior}`)).body).toMatchObject({ ok: true, candidates: 4 });
  });

  it('finds a case missing entirely from the read model through Temporal and rebuilds its rows', async () => {
    const before = await rowsOf(owner, [c.voting]);
    await asSuperuserWithoutTriggers(async (q) => {
      for (const t of ['candidate_events', 'tasks', 'candidate_milestones', 'pii_reads', 'notifications']) await q(`DELETE FROM ${t} WHERE candidate_id = $1`, [c.voting]);
      await q(`DELETE FROM candidates WHERE id = $1`, [c.voting]);
    });
    expect((await sys.users.auditor.get(`/api/audit/verify?orgUnitId=${sys.units.superior}`)).body).toMatchObject({ candidates: 3 });

    const found = await service.run({ orgUnitId: sys.units.superior });
    expect(found).toMatchObject({ total: 4, inSync: 3, drifted: 1 });
    expect(byCase(found)[c.voting].drift).toEqual([
      { field: 'candidate', workflow: { stage: 'grassroots_admission_review', status: 'active', events: before.events.length }, readModel: null, repairable: true },
    ]);
    const repaired = await service.run({ orgUnitId: sys.units.superior, repair: true });
    expect(repaired).toMatchObject({ repaired: 1, inSync: 3, failed: 0 });
    expect(byCase(repaired)[c.voting].warnings).toBeUndefined(); // the profile came from the history
    expect(await rowsOf(owner, [c.voting])).toEqual(before);
    expect((await sys.users.auditor.get(`/api/audit/verify?orgUnitId=${sys.units.superior}`)).body).toMatchObject({ ok: true, candidates: 4 });
    const profile = (await sys.admin.get(`/api/candidates/${c.voting}`)).body;
    expect(profile).toMatchObject({ fullName: 'Đỗ Văn Hùng', gender: 'female', ethnicity: 'Tày', religion: 'Phật giáo', occupation: 'public_employee' });
  });

  it('refuses to rewrite a recorded event that differs from the workflow: unrepairable, and the hash chain shows it', async () => {
    const tampered = await newCandidateIn(sys.units.otherCell, 'Phan Văn Tú');
    await asSuperuserWithoutTriggers((q) => q(`UPDATE candidate_events SET data = jsonb_set(data, '{fullName}', '"Phan Văn Tuấn"') WHERE candidate_id = $1 AND seq = 1`, [tampered]));

    const s = await service.run({ orgUnitId: sys.units.otherSuperior, repair: true });
    expect(s).toMatchObject({ total: 1, unrepairable: 1, repaired: 0 });
    const r = byCase(s)[tampered];
    expect(r.remaining).toEqual([
      { field: 'events[1].data', workflow: expect.objectContaining({ fullName: 'Phan Văn Tú' }), readModel: expect.objectContaining({ fullName: 'Phan Văn Tuấn' }), repairable: false },
    ]);
    expect((await owner.query(`SELECT data->>'fullName' AS name FROM candidate_events WHERE candidate_id = $1 AND seq = 1`, [tampered]))[0].name).toBe('Phan Văn Tuấn');
    expect((await sys.users.auditor.get(`/api/audit/verify?orgUnitId=${sys.units.otherSuperior}`)).body).toMatchObject({ ok: false, firstBroken: { candidateId: tampered, seq: 1, reason: 'hash_mismatch' } });
  });

  it('runs as `npm run reconcile`: exit 1 and the drifted fields, then --repair exits 0, then --json says all in sync', async () => {
    const cli = cliPath();
    if (!existsSync(cli)) throw new Error(`${cli} is missing: build first (npm run build), or point KETNAP_DIST_DIR at a build`);
    const env = { PATH: process.env.PATH!, DATABASE_URL: databaseUrl(), TEMPORAL_ADDRESS: temporalAddress(), KETNAP_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS, KETNAP_TASK_QUEUE: sys.config.temporal.taskQueue };
    const run = async (...args: string[]) => {
      try {
        const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args], { env, timeout: 120_000 });
        return { code: 0, stdout, stderr };
      } catch (e: any) {
        if (typeof e.code !== 'number') throw e;
        return { code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string };
      }
    };
    await owner.query(`UPDATE candidates SET stage = 'probation' WHERE id = $1`, [c.fresh]);

    const check = await run('--org-unit', sys.units.superior);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/summary: 4 kiểm tra\/checked, 3 khớp\/in sync, 1 lệch\/drifted, 0 đã sửa\/repaired/);
    expect(check.stdout).toContain(`LỆCH/DRIFTED ${c.fresh}`);
    expect(check.stdout).toContain('stage: workflow="source_review" read model="probation"');
    expect(check.stderr).toContain('4/4');

    const repair = await run('--org-unit', sys.units.superior, '--repair');
    expect(repair.code).toBe(0);
    expect(repair.stdout).toMatch(/summary: 4 kiểm tra\/checked, 3 khớp\/in sync, 0 lệch\/drifted, 1 đã sửa\/repaired/);

    const again = await run('--org-unit', sys.units.superior, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ mode: 'check', total: 4, inSync: 4, drifted: 0, cases: [] });

    expect((await run()).code).toBe(2);
    expect((await run('--org-unit', sys.units.superior, '--rebuild', '--repair')).code).toBe(2);
  });

  it('rebuilds the read model from Temporal into an empty database with the same rows', async () => {
    const name = `${new URL(ownerDatabaseUrl()).pathname.slice(1)}_rebuild`;
    await dropDatabase(adminDatabaseUrl(), name);
    await ensureDatabase(adminDatabaseUrl(), name);
    const freshOwner = await createDataSource(withDatabase(ownerDatabaseUrl(), name), { poolSize: 2 });
    const freshApp = await createDataSource(withDatabase(databaseUrl(), name), { poolSize: 2 });
    try {
      await migrate(withDatabase(ownerDatabaseUrl(), name));
      await freshOwner.initialize();
      // The org tree and the users are not candidate data: they are copied as they are.
      for (const t of ['org_units', 'users', 'user_roles']) {
        const [{ rows }] = await owner.query(`SELECT coalesce(jsonb_agg(to_jsonb(x)), '[]'::jsonb) AS rows FROM ${t} x`);
        await freshOwner.query(`INSERT INTO ${t} SELECT * FROM jsonb_populate_recordset(NULL::${t}, $1::jsonb)`, [JSON.stringify(rows)]);
      }
      expect((await freshOwner.query(`SELECT (SELECT count(*) FROM candidates)::int + (SELECT count(*) FROM tasks)::int + (SELECT count(*) FROM candidate_events)::int AS n`))[0].n).toBe(0);

      // As the app's role, like the CLI: the same service, on the empty database.
      await freshApp.initialize();
      const rebuild = new ReconcileService(
        sys.app.get(Client),
        sys.app.get(EncryptionCodec),
        new ReconcileRepository(freshApp),
        new ProjectionRepository(freshApp),
        new OrgUnitRepository(freshApp),
        new AuditRepository(freshApp),
        sys.config,
      );
      const s = await rebuild.run({ rebuild: true, orgUnitId: sys.units.superior });
      expect(s).toMatchObject({ mode: 'rebuild', total: 4, rebuilt: 4, failed: 0, cases: [] });
      expect(s.skipped).toBeGreaterThanOrEqual(1); // the tampered case, under another superior

      const ids = Object.values(c);
      const original = await rowsOf(owner, ids);
      expect(original.candidates).toHaveLength(4);
      expect(original.events.length).toBeGreaterThan(20);
      expect(await rowsOf(freshOwner, ids)).toEqual(original);
      // And the rebuilt database is consistent with the workflows by the same check.
      expect(await rebuild.run({ orgUnitId: sys.units.superior })).toMatchObject({ total: 4, inSync: 4 });
    } finally {
      if (freshApp.isInitialized) await freshApp.destroy();
      if (freshOwner.isInitialized) await freshOwner.destroy();
      await dropDatabase(adminDatabaseUrl(), name);
    }
  });
});
