import { awaitJob } from '../support/jobs.js';
import { waitFor } from '../support/fixtures.js';
import { TestSystem } from '../support/system.js';

/**
 * Reorganisation of the org tree (issue 16), what the first cut left out, on the running system: what a merged
 * or dissolved unit held of its own (settings, quotas, membership, places, training classes) goes with it in
 * the reorganisation's transaction, and a case created while its unit is merged or dissolved never escapes the
 * job that moves the cases.
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

let n = 0;
async function unit(kind: string, parentId: string, name = kind): Promise<string> {
  return (await ok(sys.admin.post('/api/org-units', { name: `${name} ${++n} ${sys.tag}`, kind, parentId }), 201)).id;
}

async function liveUnits(): Promise<Set<string>> {
  return new Set((await ok(sys.admin.get('/api/org-units?limit=1000'))).items.map((u: any) => u.id));
}

const settingsOf = async (id: string) => ({
  policy: (await ok(sys.admin.get(`/api/org-units/${id}/dossier-forms-policy`))).own,
  route: (await ok(sys.admin.get(`/api/org-units/${id}/trade-union-route`))).own,
});

const quotaOf = async (id: string, year: number) => (await ok(sys.admin.get(`/api/quotas?orgUnitId=${id}&year=${year}`))).quota;

describe('reorganisation: what a merged or dissolved unit held of its own', () => {
  it('merges a grassroots committee: quotas of a period add up, members, places and its settings go to the successor where it has none', async () => {
    const { admin, units } = sys;
    const merged = await unit('grassroots_committee', units.superior);
    const into = await unit('grassroots_committee', units.superior);
    await ok(admin.call('PUT', `/api/org-units/${merged}/dossier-forms-policy`, { policy: 'require' }));
    await ok(admin.call('PUT', `/api/org-units/${merged}/trade-union-route`, { allowed: true }));
    await ok(admin.call('PUT', `/api/org-units/${into}/dossier-forms-policy`, { policy: 'warn' }));
    await ok(admin.call('PUT', `/api/quotas/${merged}/2031`, { quota: 5 }));
    await ok(admin.call('PUT', `/api/quotas/${into}/2031`, { quota: 3 }));
    await ok(admin.call('PUT', `/api/quotas/${merged}/2032`, { quota: 4 }));
    await ok(admin.call('PUT', `/api/quotas/${merged}/term/2030-2035`, { quota: 20 }));
    await ok(admin.call('PUT', `/api/membership/${merged}`, { asOf: '2020-01-01', partyMembers: 40 }));
    await ok(admin.call('PUT', `/api/membership/${into}`, { asOf: '2020-01-01', partyMembers: 60 }));
    const place = (await ok(admin.post('/api/places', { name: `Thôn Hợp Nhất ${sys.tag}`, kind: 'hamlet', orgUnitId: merged }), 201)).id;
    const superiorBefore = (await ok(admin.get(`/api/membership?orgUnitId=${units.superior}`))).total;

    const started = await ok(admin.post(`/api/org-units/${merged}/merge`, { intoId: into }), 202);
    expect((await awaitJob(admin, started.jobId)).status).toBe('succeeded');
    expect(started.handover).toMatchObject({ places: [place], membership: { partyMembers: 40, to: into, total: 100 } });

    // The successor keeps its own policy; it had no trade-union route of its own, so it takes the merged unit's.
    expect(await settingsOf(into)).toEqual({ policy: 'warn', route: true });
    // A period both had adds up; one only the merged unit had is the successor's now; the merged unit has none.
    expect(await quotaOf(into, 2031)).toBe(8);
    expect(await quotaOf(into, 2032)).toBe(4);
    expect((await ok(admin.get(`/api/quotas?orgUnitId=${into}&term=2030-2035`))).quota).toBe(20);
    const parent = await ok(admin.get(`/api/quotas?orgUnitId=${units.superior}&year=2031`));
    expect(parent.children.map((c: any) => c.orgUnitId)).not.toContain(merged);
    expect(parent.children.find((c: any) => c.orgUnitId === into).quota).toBe(8);
    // The members are counted once: in the successor from today, the superior's total unchanged.
    expect((await ok(admin.get(`/api/membership?orgUnitId=${into}`))).total).toBe(100);
    expect((await ok(admin.get(`/api/membership?orgUnitId=${units.superior}`))).total).toBe(superiorBefore);
    expect((await ok(admin.get(`/api/membership?orgUnitId=${into}&asOf=2020-06-01`))).total).toBe(60);
    expect((await ok(admin.get(`/api/places/${place}`))).orgUnitId).toBe(into);

    const log = await ok(admin.get('/api/security-log?kind=org_unit_reorganised&limit=100'));
    const entry = log.items.find((e: any) => e.details?.reorganisationId === started.jobId);
    expect(entry.details.handover.settings).toEqual(
      expect.arrayContaining([
        { setting: 'dossierFormsPolicy', unitId: into, merged: 'require', before: 'warn', after: 'warn' },
        { setting: 'tradeUnionRoute', unitId: into, merged: true, before: null, after: true },
      ]),
    );
  });

  it('merges a training centre: its classes are run by the centre it is merged into', async () => {
    const { admin, units } = sys;
    const centre = await unit('training_centre', units.superior, 'Trung tâm sáp nhập');
    const today = await sys.today();
    const cls = (await ok(admin.post('/api/training-classes', { kind: 'party_awareness', name: `Lớp sáp nhập ${sys.tag}`, startsOn: today, endsOn: today, capacity: 30, orgUnitId: centre }), 201)).id;
    const started = await ok(admin.post(`/api/org-units/${centre}/merge`, { intoId: units.centre }), 202);
    expect((await awaitJob(admin, started.jobId)).status).toBe('succeeded');
    expect(started.handover.trainingClasses).toEqual([cls]);
    expect((await ok(admin.get(`/api/training-classes/${cls}`))).orgUnitId).toBe(units.centre);
    // The centre's own staff (its grants moved) see the class.
    expect((await ok(sys.users.centre.get('/api/training-classes'))).items.map((c: any) => c.id)).toContain(cls);
  });

  it('dissolves a superior: its own settings pass to the children without one, its quota to the sibling taking them, not back to the province', async () => {
    const { admin, units } = sys;
    const dissolved = await unit('superior', units.province);
    const plain = await unit('grassroots_committee', dissolved);
    const ownPolicy = await unit('grassroots_committee', dissolved);
    const centre = await unit('training_centre', dissolved);
    await ok(admin.call('PUT', `/api/org-units/${dissolved}/dossier-forms-policy`, { policy: 'require' }));
    await ok(admin.call('PUT', `/api/org-units/${dissolved}/trade-union-route`, { allowed: true }));
    await ok(admin.call('PUT', `/api/org-units/${ownPolicy}/dossier-forms-policy`, { policy: 'warn' }));
    await ok(admin.call('PUT', `/api/quotas/${dissolved}/2033`, { quota: 10 }));
    await ok(admin.call('PUT', `/api/quotas/${units.otherSuperior}/2033`, { quota: 7 }));
    await ok(admin.call('PUT', `/api/membership/${dissolved}`, { asOf: '2020-01-01', partyMembers: 12 }));
    const place = (await ok(admin.post('/api/places', { name: `Khu phố giải thể ${sys.tag}`, kind: 'residential_group', orgUnitId: dissolved }), 201)).id;

    const started = await ok(admin.post(`/api/org-units/${dissolved}/dissolve`, { childrenTo: units.otherSuperior }), 202);
    expect((await awaitJob(admin, started.jobId)).status).toBe('succeeded');
    expect(await settingsOf(plain)).toEqual({ policy: 'require', route: true });
    expect(await settingsOf(ownPolicy)).toEqual({ policy: 'warn', route: true });
    // A training centre cannot hold the trade-union route: only the policy passes to it.
    expect(await settingsOf(centre)).toEqual({ policy: 'require', route: null });
    expect(await quotaOf(units.otherSuperior, 2033)).toBe(17);
    expect((await ok(admin.get(`/api/membership?orgUnitId=${units.otherSuperior}`))).units).toEqual(expect.arrayContaining([expect.objectContaining({ orgUnitId: units.otherSuperior, partyMembers: 12 })]));
    expect((await ok(admin.get(`/api/places/${place}`))).orgUnitId).toBe(units.otherSuperior);

    // Dissolved into the province it was allocated from: the share is the province's again, nothing is added.
    const under = await unit('superior', units.province);
    await unit('training_centre', under);
    await ok(admin.call('PUT', `/api/quotas/${units.province}/2034`, { quota: 50 }));
    await ok(admin.call('PUT', `/api/quotas/${under}/2034`, { quota: 9 }));
    const second = await ok(admin.post(`/api/org-units/${under}/dissolve`, { childrenTo: units.province }), 202);
    expect((await awaitJob(admin, second.jobId)).status).toBe('succeeded');
    const province = await ok(admin.get(`/api/quotas?orgUnitId=${units.province}&year=2034`));
    expect(province.quota).toBe(50);
    expect(province.children.map((c: any) => c.orgUnitId)).not.toContain(under);
    expect(province.allocated).toBe(0);
  });
});

describe('reorganisation: a case created at the same moment', () => {
  const candidate = (cellId: string, today: string, i: number) => ({
    cellId,
    fullName: `Nguyễn Văn Đua ${i}`,
    dateOfBirth: '1999-04-12',
    gender: 'male',
    ethnicity: 'Kinh',
    education: 'university',
    youthUnionMember: true,
    source: { organization: 'Đoàn trường', introducedOn: today },
  });

  it('never leaves an active case on a merged cell or a dissolved superior, whichever comes first', async () => {
    const { admin, units } = sys;
    const today = await sys.today();
    const created: { id: string; expect: { cellId?: string; superiorId?: string } }[] = [];
    let refused = 0;
    for (let round = 0; round < 12; round++) {
      const superior = await unit('superior', units.province, 'Đảng ủy đua');
      const grassroots = await unit('grassroots_committee', superior, 'Đảng ủy cơ sở đua');
      const cell = await unit('cell', grassroots, 'Chi bộ đua');
      const other = await unit('cell', grassroots, 'Chi bộ nhận');
      const merge = round % 2 === 0;
      // Vary which side reaches the server first.
      const jitter = (round % 4) * 15;
      const [c, r] = await Promise.all([
        new Promise((res) => setTimeout(res, merge ? jitter : 0)).then(() => admin.post('/api/candidates', candidate(cell, today, round))),
        new Promise((res) => setTimeout(res, merge ? 0 : jitter)).then(() =>
          merge ? admin.post(`/api/org-units/${cell}/merge`, { intoId: other }) : admin.post(`/api/org-units/${superior}/dissolve`, { childrenTo: units.otherSuperior }),
        ),
      ]);
      expect(r.status).toBe(202);
      expect((await awaitJob(admin, r.body.jobId)).status).toBe('succeeded');
      if (c.status === 201) created.push({ id: c.body.id, expect: merge ? { cellId: other } : { superiorId: units.otherSuperior } });
      else {
        // Only the merged cell refuses a case: it came after the merge.
        expect(c.body.code).toBe('org_unit_dissolved');
        refused++;
      }
    }
    expect(created.length).toBeGreaterThan(0);
    const live = await liveUnits();
    for (const { id, expect: want } of created) {
      const c = await waitFor(`case ${id} on its routing after the reorganisation`, async () => {
        const r = await ok(admin.get(`/api/candidates/${id}`));
        return Object.entries(want).every(([k, v]) => r.routing[k] === v) ? r : undefined;
      }, 15_000);
      expect(c.status).toBe('active');
      for (const k of ['cellId', 'grassrootsId', 'superiorId', 'provinceId', 'trainingCentreId']) if (c.routing[k]) expect(live.has(c.routing[k])).toBe(true);
    }
    expect(created.length + refused).toBe(12);
  });
});
