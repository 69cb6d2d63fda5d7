import type { ProjectionBatch, TaskSnapshot } from '../../workflows/candidate/candidate.messages.js';
import { decisionBatch, rebaseBatch, restatedTarget } from './decision-baseline.js';

const CASE = '11111111-1111-4111-8111-111111111111';
const CELL = '22222222-2222-4222-8222-222222222222';
const GRASSROOTS = '33333333-3333-4333-8333-333333333333';
const COPY = '44444444-4444-4444-8444-444444444444';
const BARE_UNIT = '55555555-5555-4555-8555-555555555555';

function task(n: number, over: Partial<TaskSnapshot> = {}): TaskSnapshot {
  return {
    id: `${CASE}.${n}`,
    candidateId: CASE,
    type: 'submit_application',
    role: 'cell_secretary',
    orgUnitId: CELL,
    status: 'open',
    attempt: 1,
    openedAt: '2026-12-03T10:00:00.000Z',
    openedOn: '2026-12-03',
    version: 7,
    ...over,
  };
}

/** The batch of the decision on task 3 (submit_application): it closes 3 and opens 4 on the grassroots committee. */
function decision(): ProjectionBatch {
  return {
    candidate: { candidateId: CASE, stage: 'application', status: 'active', version: 10, openTasks: [task(4, { version: 10, orgUnitId: GRASSROOTS })] },
    events: [
      { seq: 9, type: 'decision_recorded', at: '2026-12-03T10:05:00.000Z', data: { taskId: `${CASE}.3`, taskType: 'submit_application' } },
      { seq: 10, type: 'task_opened', at: '2026-12-03T10:05:00.000Z', data: { taskId: `${CASE}.4`, taskType: 'verify_background', orgUnitId: GRASSROOTS } },
    ],
    tasks: [
      task(3, { status: 'done', closedAt: '2026-12-03T10:05:00.000Z', version: 9 }),
      task(4, { type: 'verify_background', role: 'grassroots_committee', orgUnitId: GRASSROOTS, version: 10 }),
    ],
  };
}

describe('decisionBatch', () => {
  const opening: ProjectionBatch = { ...decision(), events: [], tasks: [task(3)] };

  it('finds the batch that closes the task, not the one that opened it', () => {
    const b = decision();
    expect(decisionBatch([opening, b], `${CASE}.3`)).toBe(b);
  });

  it('finds nothing for a task no batch closes', () => {
    expect(decisionBatch([opening, decision()], `${CASE}.4`)).toBeUndefined();
    expect(decisionBatch([], `${CASE}.3`)).toBeUndefined();
  });
});

describe('rebaseBatch', () => {
  it('moves every mention of the case and of its tasks’ units onto the copy', () => {
    const { batch } = rebaseBatch(decision(), COPY, BARE_UNIT);
    const json = JSON.stringify(batch);
    expect(json).not.toContain(CASE);
    expect(json).not.toContain(CELL);
    expect(json).not.toContain(GRASSROOTS);
    expect(batch.candidate.candidateId).toBe(COPY);
    expect(batch.tasks.map((t) => [t.id, t.candidateId, t.orgUnitId])).toEqual([
      [`${COPY}.3`, COPY, BARE_UNIT],
      [`${COPY}.4`, COPY, BARE_UNIT],
    ]);
    expect(batch.events[1].data).toEqual({ taskId: `${COPY}.4`, taskType: 'verify_background', orgUnitId: BARE_UNIT });
  });

  it('keeps everything else, sizes included', () => {
    const source = decision();
    const { batch } = rebaseBatch(source, COPY, BARE_UNIT);
    expect(JSON.stringify(batch).length).toBe(JSON.stringify(source).length);
    expect(batch.events.map((e) => [e.seq, e.type, e.at])).toEqual(source.events.map((e) => [e.seq, e.type, e.at]));
    expect(batch.tasks.map((t) => [t.status, t.version, t.closedAt])).toEqual(source.tasks.map((t) => [t.status, t.version, t.closedAt]));
    expect(source.candidate.candidateId).toBe(CASE); // the source is left alone
  });

  it('names the tasks that existed before the batch (the decided one) and the version before it', () => {
    const r = rebaseBatch(decision(), COPY, BARE_UNIT);
    expect(r.priorTasks).toEqual([[`${CASE}.3`, `${COPY}.3`]]);
    expect(r.priorVersion).toBe(8);
  });

  it('falls back on the candidate’s version for a batch without events', () => {
    expect(rebaseBatch({ ...decision(), events: [] }, COPY, BARE_UNIT).priorVersion).toBe(9);
  });
});

describe('restatedTarget', () => {
  it('passes at up to twice the sum of the bare parts and 500 ms', () => {
    expect(restatedTarget(80, { update: 15, projection: 15, inbox: 10 })).toEqual({ sum: 40, ratio: 2, pass: true });
    expect(restatedTarget(81, { update: 15, projection: 15, inbox: 10 }).pass).toBe(false);
  });

  it('fails above 500 ms whatever the ratio', () => {
    const r = restatedTarget(501, { update: 200, projection: 100, inbox: 100 });
    expect(r.ratio).toBeLessThan(2);
    expect(r.pass).toBe(false);
  });

  it('fails when a part was not measured', () => {
    expect(restatedTarget(50, { update: 15, projection: NaN, inbox: 10 }).pass).toBe(false);
    expect(restatedTarget(50, { update: 0, projection: 0, inbox: 0 }).pass).toBe(false);
  });
});
