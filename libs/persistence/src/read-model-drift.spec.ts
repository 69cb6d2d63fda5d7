import type { CaseState } from '../../../workflows/candidate/candidate.messages.js';
import { readModelDrift, repairable, workflowSide, type EventFacts, type ReadModelSide, type TaskFacts, type WorkflowSide } from './read-model-drift.js';

const routing = { cellId: 'cell-1', grassrootsId: 'gr-1', grassrootsIsCell: false, superiorId: 'sup-1', trainingCentreId: 'tc-1' };

function events(): EventFacts[] {
  return [
    { seq: 1, type: 'candidate_created', at: '2025-01-06T03:00:00.000Z', businessDate: '2025-01-06', recordedOn: '2025-01-06', actor: { userId: 'u1', username: 'a' }, data: { routing } },
    { seq: 2, type: 'task_opened', at: '2025-01-06T03:00:00.000Z', businessDate: '2025-01-06', recordedOn: '2025-01-06', data: { taskId: 'c.1', taskType: 'recognize_sympathiser' } },
    { seq: 3, type: 'decision_recorded', at: '2025-01-07T03:00:00.000Z', businessDate: '2025-01-07', recordedOn: '2025-01-07', ruleSetId: 'r1', data: { taskId: 'c.1', outcome: 'approve' } },
    { seq: 4, type: 'task_opened', at: '2025-01-07T03:00:00.000Z', businessDate: '2025-01-07', recordedOn: '2025-01-07', data: { taskId: 'c.2', taskType: 'cell_admission_vote' } },
  ];
}

function tasks(): TaskFacts[] {
  return [
    { id: 'c.1', type: 'recognize_sympathiser', role: 'cell_secretary', orgUnitId: 'cell-1', status: 'done', dueDate: null, dueAt: null },
    { id: 'c.2', type: 'cell_admission_vote', role: 'cell_secretary', orgUnitId: 'cell-1', status: 'open', dueDate: '2025-02-14', dueAt: '2025-02-15T00:00:00+07:00' },
  ];
}

function workflow(): WorkflowSide {
  return {
    candidate: { stage: 'admission', status: 'active', version: 4, cellId: 'cell-1', routing, partyAgeFrom: null, probationEndsOn: null, officialFrom: null },
    tasks: tasks(),
    events: events(),
  };
}

/** The read model as PostgreSQL returns it: instants as Dates, absent values as null, jsonb keys reordered. */
function readModel(): ReadModelSide {
  return {
    candidate: { stage: 'admission', status: 'active', version: 4, cellId: 'cell-1', routing: { ...routing }, partyAgeFrom: null, probationEndsOn: null, officialFrom: null },
    tasks: tasks().map((t) => ({ ...t, dueAt: t.dueAt ? new Date(t.dueAt as string) : null })),
    events: events().map((e) => ({ ...e, at: new Date(e.at as string), actor: e.actor ?? null, ruleSetId: e.ruleSetId ?? null, data: Object.fromEntries(Object.entries(e.data as object).reverse()) })),
  };
}

describe('readModelDrift', () => {
  it('finds nothing when the rows say what the workflow says, whatever the representation of instants, nulls and key order', () => {
    expect(readModelDrift(workflow(), readModel())).toEqual([]);
  });

  it('names a wrong stage and status with both values', () => {
    const rm = readModel();
    rm.candidate = { ...rm.candidate!, stage: 'official', status: 'official' };
    expect(readModelDrift(workflow(), rm)).toEqual([
      { field: 'stage', workflow: 'admission', readModel: 'official', repairable: true },
      { field: 'status', workflow: 'active', readModel: 'official', repairable: true },
    ]);
  });

  it('names a cell and routing that differ (a transfer the read model missed)', () => {
    const rm = readModel();
    rm.candidate = { ...rm.candidate!, cellId: 'cell-0', routing: { ...routing, cellId: 'cell-0' } };
    expect(readModelDrift(workflow(), rm).map((d) => d.field)).toEqual(['cellId', 'routing']);
  });

  it('reports an open task missing from the read model', () => {
    const rm = readModel();
    rm.tasks = rm.tasks.filter((t) => t.id !== 'c.2');
    expect(readModelDrift(workflow(), rm)).toEqual([
      { field: 'tasks[c.2]', workflow: { type: 'cell_admission_vote', status: 'open', orgUnitId: 'cell-1' }, readModel: null, repairable: true },
    ]);
  });

  it('reports a task the workflow does not know', () => {
    const rm = readModel();
    rm.tasks.push({ id: 'c.9', type: 'verify_background', role: 'grassroots_committee', orgUnitId: 'gr-1', status: 'open' });
    expect(readModelDrift(workflow(), rm)).toEqual([{ field: 'tasks[c.9]', workflow: null, readModel: { type: 'verify_background', status: 'open', orgUnitId: 'gr-1' }, repairable: true }]);
  });

  it('compares a due instant as an instant and reports a changed due date and time', () => {
    const rm = readModel();
    rm.tasks[1] = { ...rm.tasks[1], dueDate: '2025-03-01', dueAt: new Date('2025-03-01T17:00:00Z') };
    expect(readModelDrift(workflow(), rm)).toEqual([
      { field: 'tasks[c.2].dueDate', workflow: '2025-02-14', readModel: '2025-03-01', repairable: true },
      { field: 'tasks[c.2].dueAt', workflow: '2025-02-14T17:00:00.000Z', readModel: '2025-03-01T17:00:00.000Z', repairable: true },
    ]);
  });

  it('reports a task still open in the read model that the workflow closed, with the fields of an open task', () => {
    const rm = readModel();
    rm.tasks[0] = { ...rm.tasks[0], status: 'open', orgUnitId: 'cell-2' };
    expect(readModelDrift(workflow(), rm).map((d) => d.field)).toEqual(['tasks[c.1].status', 'tasks[c.1].orgUnitId']);
  });

  it('ignores the unit of a task both sides have closed', () => {
    const rm = readModel();
    rm.tasks[0] = { ...rm.tasks[0], orgUnitId: 'cell-2' };
    expect(readModelDrift(workflow(), rm)).toEqual([]);
  });

  it('reports missing events as repairable, with the count and last sequence', () => {
    const rm = readModel();
    rm.events = rm.events.slice(0, 2);
    expect(readModelDrift(workflow(), rm)).toEqual([
      { field: 'events.count', workflow: 4, readModel: 2, repairable: true },
      { field: 'events.lastSeq', workflow: 4, readModel: 2, repairable: true },
      { field: 'events[3]', workflow: 'decision_recorded', readModel: null, repairable: true },
      { field: 'events[4]', workflow: 'task_opened', readModel: null, repairable: true },
    ]);
  });

  it('reports a recorded event that differs from the workflow as unrepairable (the history is append-only)', () => {
    const rm = readModel();
    rm.events[2] = { ...rm.events[2], data: { taskId: 'c.1', outcome: 'reject' } };
    const drift = readModelDrift(workflow(), rm);
    expect(drift).toEqual([{ field: 'events[3].data', workflow: { taskId: 'c.1', outcome: 'approve' }, readModel: { taskId: 'c.1', outcome: 'reject' }, repairable: false }]);
    expect(repairable(drift)).toBe(false);
  });

  it('reports an event the workflow never produced as unrepairable, its count too', () => {
    const rm = readModel();
    rm.events.push({ seq: 5, type: 'path_ended', at: new Date('2025-01-08T00:00:00Z'), data: {} });
    expect(readModelDrift(workflow(), rm)).toEqual([
      { field: 'events.count', workflow: 4, readModel: 5, repairable: false },
      { field: 'events.lastSeq', workflow: 4, readModel: 5, repairable: false },
      { field: 'events[5]', workflow: null, readModel: 'path_ended', repairable: false },
    ]);
  });

  it('reports a wall-clock time that differs by a millisecond', () => {
    const rm = readModel();
    rm.events[0] = { ...rm.events[0], at: new Date('2025-01-06T03:00:00.001Z') };
    expect(readModelDrift(workflow(), rm).map((d) => [d.field, d.repairable])).toEqual([['events[1].at', false]]);
  });

  it('reports a lost candidate row as one repairable drift', () => {
    expect(readModelDrift(workflow(), { tasks: [], events: [] })).toEqual([
      { field: 'candidate', workflow: { stage: 'admission', status: 'active', events: 4 }, readModel: null, repairable: true },
    ]);
  });
});

describe('workflowSide', () => {
  const state = (extra: Partial<CaseState> = {}): CaseState => ({
    candidateId: 'c',
    stage: 'source_review',
    status: 'active',
    version: 2,
    openTasks: [],
    tasks: [{ id: 'c.1', candidateId: 'c', type: 'recognize_sympathiser', role: 'cell_secretary', orgUnitId: 'cell-1', status: 'open', attempt: 1, openedAt: 'x', openedOn: '2025-01-06', version: 2 }],
    events: events().slice(0, 2) as CaseState['events'],
    inconclusiveRecognitionVotes: 0,
    ...extra,
  });

  it('takes the routing of the case from its creation event', () => {
    expect(workflowSide(state()).candidate).toMatchObject({ cellId: 'cell-1', routing, partyAgeFrom: null });
    expect(workflowSide(state()).tasks).toEqual([{ id: 'c.1', type: 'recognize_sympathiser', role: 'cell_secretary', orgUnitId: 'cell-1', status: 'open', dueDate: null, dueAt: null }]);
  });

  it('takes the routing of a transfer over the creation event', () => {
    const moved = { ...routing, cellId: 'cell-2' };
    expect(workflowSide(state({ routing: moved })).candidate).toMatchObject({ cellId: 'cell-2', routing: moved });
  });
});
