import { stateAsOf, type HistoryEventLike } from './history-fold.js';

const ev = (seq: number, type: string, recordedOn: string, data: Record<string, unknown> = {}): HistoryEventLike => ({ seq, type, recordedOn, data });

const history: HistoryEventLike[] = [
  ev(1, 'candidate_created', '2025-03-01'),
  ev(2, 'task_opened', '2025-03-01', { taskId: 't1', taskType: 'recognize_sympathiser', orgUnitId: 'cell' }),
  ev(3, 'decision_recorded', '2025-03-10', { taskId: 't1' }),
  ev(4, 'stage_changed', '2025-03-10', { from: 'source_review', to: 'awareness_training' }),
  ev(5, 'task_opened', '2025-03-10', { taskId: 't2', taskType: 'record_training_certificate', dueAt: '2025-04-01T23:59:59+07:00' }),
  ev(6, 'deadline_extended', '2025-04-20', { taskId: 't2', dueAt: '2025-05-15T23:59:59+07:00' }),
  ev(7, 'task_cancelled', '2025-05-02', { taskId: 't2' }),
  ev(8, 'stage_changed', '2025-05-02', { from: 'awareness_training', to: 'withdrawn' }),
  ev(9, 'path_ended', '2025-05-02', { endState: 'withdrawn' }),
];

describe('stateAsOf', () => {
  it('says the candidate did not exist before the first event', () => {
    expect(stateAsOf(history, '2025-02-28')).toMatchObject({ exists: false, openTasks: [], lastSeq: 0 });
  });

  it('gives the stage and open task on the day the case opened', () => {
    const s = stateAsOf(history, '2025-03-01');
    expect(s).toMatchObject({ exists: true, stage: 'source_review', status: 'active', decisions: 0 });
    expect(s.openTasks.map((t) => t.type)).toEqual(['recognize_sympathiser']);
  });

  it('shows a clock as overdue after its due date and moved by an extension afterwards', () => {
    expect(stateAsOf(history, '2025-04-10').openTasks).toEqual([expect.objectContaining({ id: 't2', overdue: true, dueAt: '2025-04-01T23:59:59+07:00' })]);
    expect(stateAsOf(history, '2025-04-25').openTasks).toEqual([expect.objectContaining({ id: 't2', overdue: false, dueAt: '2025-05-15T23:59:59+07:00' })]);
  });

  it('ends the case on the day it ended, with nothing open', () => {
    expect(stateAsOf(history, '2025-12-31')).toMatchObject({ stage: 'withdrawn', status: 'withdrawn', endedOn: '2025-05-02', openTasks: [], lastSeq: 9 });
  });

  it('puts the candidate and the moved open step in the new cell from the day of a transfer', () => {
    const moved: HistoryEventLike[] = [
      ev(1, 'candidate_created', '2025-03-01', { routing: { cellId: 'cellA' } }),
      ev(2, 'task_opened', '2025-03-01', { taskId: 't1', taskType: 'recognize_sympathiser', orgUnitId: 'cellA', role: 'cell_secretary' }),
      ev(3, 'candidate_transferred', '2025-03-05', { fromCellId: 'cellA', toCellId: 'cellB', tasks: [{ taskId: 't1', orgUnitId: 'cellB', role: 'cell_secretary' }] }),
    ];
    expect(stateAsOf(moved, '2025-03-04')).toMatchObject({ cellId: 'cellA', openTasks: [expect.objectContaining({ id: 't1', orgUnitId: 'cellA' })] });
    expect(stateAsOf(moved, '2025-03-05')).toMatchObject({ cellId: 'cellB', openTasks: [expect.objectContaining({ id: 't1', orgUnitId: 'cellB' })] });
  });

  it('falls back to the business date for events recorded before recordedOn existed', () => {
    const old = [{ seq: 1, type: 'candidate_created', businessDate: '2024-01-05', data: {} }];
    expect(stateAsOf(old, '2024-01-04').exists).toBe(false);
    expect(stateAsOf(old, '2024-01-05').exists).toBe(true);
  });
});
