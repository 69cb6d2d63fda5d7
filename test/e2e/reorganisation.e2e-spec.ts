import { randomUUID } from 'node:crypto';
import type { Api } from '../support/http.js';
import { awaitJob } from '../support/jobs.js';
import { waitFor } from '../support/fixtures.js';
import { TestSystem } from '../support/system.js';

/**
 * Reorganisation of the org tree (issue 16) on the running system: the tree changes in one transaction and a
 * durable job moves every active case routed through the affected units (the `reorganise` update,
 * `org_restructured` in the history), its open steps following to the new units' inboxes.
 */
const sys = new TestSystem();

beforeAll(async () => {
  await sys.start();
});

afterAll(async () => {
  await sys.stop();
});

async function ok<T = any>(p: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const r = await p;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** The caller's open tasks of `type` for the candidate (none: an empty list, whatever the caller's grants). */
async function inboxOf(as: Api, candidateId: string, type: string): Promise<any[]> {
  const r = await as.get(`/api/tasks?type=${type}&limit=500`);
  if (r.status !== 200) throw new Error(`inbox: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.items.filter((t: any) => t.candidateId === candidateId);
}

async function tree(): Promise<any[]> {
  return (await ok(sys.admin.get('/api/org-units?limit=1000'))).items;
}

describe('reorganisation of the org tree', () => {
  it('refuses a cell under a superior and a unit under its own descendant, in Vietnamese and English', async () => {
    const { units, admin } = sys;
    const kind = await admin.post(`/api/org-units/${units.otherCell}/move`, { parentId: units.otherSuperior });
    expect(kind.status).toBe(400);
    expect(kind.body.code).toBe('org_unit_parent_invalid');
    expect(kind.body.message).toContain('không thể trực thuộc');
    const cycle = await admin.post(`/api/org-units/${units.otherSuperior}/move`, { parentId: units.otherGrassroots }, { 'accept-language': 'en' });
    expect(cycle.status).toBe(422);
    expect(cycle.body.code).toBe('org_unit_cycle');
    expect(cycle.body.message).toContain('lies within it');
    const mixed = await admin.post(`/api/org-units/${units.otherCell}/merge`, { intoId: units.otherGrassroots });
    expect(mixed.body.code).toBe('org_unit_merge_kind');
    const cell = await admin.post(`/api/org-units/${units.otherCell}/dissolve`, {});
    expect(cell.body.code).toBe('org_unit_dissolve_cell');
    expect((await sys.users.provinceBoard.post(`/api/org-units/${units.otherCell}/rename`, { name: 'Không được' })).status).toBe(403);
    // Nothing changed.
    const other = (await tree()).find((u) => u.id === units.otherCell);
    expect(other.parentId).toBe(units.otherGrassroots);
  });

  it('renames a unit without touching any case: views read the new name, the security log has the old one', async () => {
    const { units, admin } = sys;
    const before = (await tree()).find((u) => u.id === units.otherGrassroots).name;
    const r = await ok(admin.post(`/api/org-units/${units.otherGrassroots}/rename`, { name: `Đảng ủy cơ sở mới ${sys.tag}` }));
    expect(r).toMatchObject({ id: units.otherGrassroots, name: `Đảng ủy cơ sở mới ${sys.tag}`, previousName: before });
    expect((await tree()).find((u) => u.id === units.otherGrassroots).name).toBe(`Đảng ủy cơ sở mới ${sys.tag}`);
    const log = await ok(admin.get('/api/security-log?kind=org_unit_renamed&limit=100'));
    expect(log.items.some((e: any) => e.details?.unitId === units.otherGrassroots && e.details.from === before)).toBe(true);
  });

  it('dissolves a superior: its grassroots committee goes under another superior, the case and its open step follow', async () => {
    const { users, units, admin } = sys;
    const id = await sys.toCellResolution('Trần Văn Giải Thể');
    await sys.decideOk(users.grassroots, id, 'grassroots_admission_review');
    const task = await sys.openTask(users.board, id, 'superior_admission_decision');
    expect(task.orgUnitId).toBe(units.superior);
    expect(await inboxOf(users.outsiderBoard, id, 'superior_admission_decision')).toEqual([]);

    const key = randomUUID();
    const started = await ok(admin.post(`/api/org-units/${units.superior}/dissolve`, { childrenTo: units.otherSuperior }, { 'idempotency-key': key }), 202);
    expect(started).toMatchObject({ kind: 'org_reorganisation', action: 'dissolve', unitId: units.superior, targetId: units.otherSuperior });
    expect(started.total).toBeGreaterThanOrEqual(1);
    // The dissolved level's grants are removed (the board's), not handed to the other superior.
    expect(started.grants).toEqual(expect.arrayContaining([expect.objectContaining({ role: 'superior_board', from: units.superior, to: null })]));
    const job = await awaitJob(admin, started.jobId);
    expect(job.status).toBe('succeeded');
    expect(job.result.moved).toBeGreaterThanOrEqual(1);
    expect(job.result.refused).toBe(0);
    // A retry of the same request (same Idempotency-Key) is the same reorganisation: nothing is done twice.
    const again = await ok(admin.post(`/api/org-units/${units.superior}/dissolve`, { childrenTo: units.otherSuperior }, { 'idempotency-key': key }), 202);
    expect(again.jobId).toBe(started.jobId);

    // The tree: the superior is gone, its grassroots committee and centre under the other superior.
    const units2 = await tree();
    expect(units2.find((u) => u.id === units.superior)).toBeUndefined();
    expect(units2.find((u) => u.id === units.grassroots).parentId).toBe(units.otherSuperior);
    expect(units2.find((u) => u.id === units.centre).parentId).toBe(units.otherSuperior);

    // The open step is in the new superior's inbox, not the old one's, with its clock unchanged.
    const moved = await sys.openTask(users.outsiderBoard, id, 'superior_admission_decision');
    expect(moved).toMatchObject({ id: task.id, orgUnitId: units.otherSuperior, dueAt: task.dueAt });
    expect(await inboxOf(users.board, id, 'superior_admission_decision')).toEqual([]);
    expect((await users.board.get(`/api/candidates/${id}`)).status).toBe(403);
    // The grassroots committee and the cell keep their case.
    expect((await users.grassroots.get(`/api/candidates/${id}`)).status).toBe(200);

    const events = await sys.history(id);
    const restructured = events.filter((e) => e.type === 'org_restructured');
    expect(restructured).toHaveLength(1);
    expect(restructured[0].actor).toMatchObject({ username: `admin-${sys.tag}`, role: 'admin' });
    expect(restructured[0].data).toMatchObject({ reorganisationId: started.jobId, action: 'dissolve', tasks: [expect.objectContaining({ taskId: task.id, fromOrgUnitId: units.superior, orgUnitId: units.otherSuperior })] });
    expect(restructured[0].data.units).toEqual(
      expect.arrayContaining([{ slot: 'superiorId', from: units.superior, to: units.otherSuperior, fromName: `Đảng ủy phường ${sys.tag}`, toName: `Đảng ủy xã khác ${sys.tag}` }]),
    );

    // The new superior decides the step.
    await sys.decideOk(users.outsiderBoard, id, 'superior_admission_decision');
    await sys.openTask(users.secretary, id, 'admission_ceremony');

    const log = await ok(admin.get('/api/security-log?kind=org_unit_reorganised&limit=100'));
    expect(log.items.some((e: any) => e.details?.reorganisationId === started.jobId)).toBe(true);
  });

  it('merges two cells: the case, its open step and the cell secretary’s grant go to the surviving cell', async () => {
    const { users, units, admin } = sys;
    const cellB = (await ok(admin.post('/api/org-units', { name: `Chi bộ hợp nhất ${sys.tag}`, kind: 'cell', parentId: units.grassroots }), 201)).id;
    await ok(admin.post('/api/users', { username: `secretaryB-${sys.tag}`, password: 'password-0001', fullName: 'Bí thư chi bộ B', roles: [{ role: 'cell_secretary', orgUnitId: cellB }] }), 201);
    const secretaryB = await sys.anon.login(`secretaryB-${sys.tag}`, 'password-0001');
    const id = await sys.newCandidate(users.secretary, 'Lê Thị Hợp Nhất');
    const task = await sys.openTask(users.secretary, id, 'recognize_sympathiser');
    expect(task.orgUnitId).toBe(units.cell);
    expect(await inboxOf(secretaryB, id, 'recognize_sympathiser')).toEqual([]);

    const started = await ok(admin.post(`/api/org-units/${units.cell}/merge`, { intoId: cellB }), 202);
    expect(started.grants).toEqual(expect.arrayContaining([expect.objectContaining({ role: 'cell_secretary', from: units.cell, to: cellB })]));
    const job = await awaitJob(admin, started.jobId);
    expect(job).toMatchObject({ status: 'succeeded', result: expect.objectContaining({ refused: 0 }) });
    expect(job.result.moved).toBeGreaterThanOrEqual(1);

    const moved = await sys.openTask(secretaryB, id, 'recognize_sympathiser');
    expect(moved).toMatchObject({ id: task.id, orgUnitId: cellB });
    const c = await waitFor('the candidate row on the new cell', async () => {
      const r = await ok(secretaryB.get(`/api/candidates/${id}`));
      return r.cellId === cellB ? r : undefined;
    });
    expect(c.cellId).toBe(cellB);
    // The old cell's secretary holds the same role on the surviving cell now.
    expect((await inboxOf(users.secretary, id, 'recognize_sympathiser')).map((t) => t.orgUnitId)).toEqual([cellB]);
    expect((await tree()).find((u) => u.id === units.cell)).toBeUndefined();

    const events = await sys.history(id);
    const restructured = events.find((e) => e.type === 'org_restructured');
    expect(restructured.data).toMatchObject({ action: 'merge', fromCellId: units.cell, toCellId: cellB, reorganisationId: started.jobId });
    // A merged cell is closed: no rename, no new candidate.
    const renamed = await admin.post(`/api/org-units/${units.cell}/rename`, { name: 'Không còn' });
    expect(renamed.status).toBe(409);
    expect(renamed.body.code).toBe('org_unit_dissolved');
    const created = await admin.post('/api/candidates', {
      cellId: units.cell,
      fullName: 'Không được tạo',
      dateOfBirth: '1999-04-12',
      gender: 'male',
      ethnicity: 'Kinh',
      education: 'university',
      youthUnionMember: true,
      source: { organization: 'Đoàn trường', introducedOn: await sys.today() },
    });
    expect(created.body.code).toBe('org_unit_dissolved');
  });
});
