import type { CaseEvent, TaskSnapshot } from '../../../workflows/candidate/candidate.messages.js';
import { checkDecisions, checkMails, decisionCounts, isStuck, repeatedReminders } from './compare.js';

const task = (over: Partial<TaskSnapshot> = {}): TaskSnapshot => ({
  id: 't1',
  candidateId: 'c1',
  type: 'grassroots_admission_review',
  role: 'grassroots_committee',
  orgUnitId: 'u1',
  status: 'open',
  attempt: 1,
  openedAt: '2027-01-01T00:00:00.000Z',
  openedOn: '2027-01-01',
  dueDate: '2027-03-31',
  dueAt: '2027-03-31T23:59:59+07:00',
  version: 3,
  ...over,
});
const event = (seq: number, type: CaseEvent['type'], data: Record<string, unknown> = {}): CaseEvent => ({ seq, type, at: '2027-01-01T00:00:00.000Z', data });

describe('repeatedReminders', () => {
  it('flags a reminder point recorded twice for one task and ignores events without a key', () => {
    const evs = [
      event(1, 'reminder_sent', { taskId: 't1', key: '2027-03-31:before:5' }),
      event(2, 'reminder_sent', { taskId: 't1', key: '2027-03-31:before:1' }),
      event(3, 'reminder_sent', { taskId: 't1', key: '2027-03-31:before:5' }),
      event(4, 'decision_recorded', {}),
    ];
    expect(repeatedReminders(evs)).toEqual(['reminder_sent 2027-03-31:before:5 (task t1) ×2']);
  });

  it('does not count the same point of two tasks sharing a clock as a repeat', () => {
    const evs = [event(1, 'deadline_missed', { taskId: 'review', key: '2027-03-31:overdue' }), event(2, 'deadline_missed', { taskId: 'decision', key: '2027-03-31:overdue' })];
    expect(repeatedReminders(evs)).toEqual([]);
  });
});

describe('checkMails', () => {
  const row = (key: string, email = 'a@x.test') => ({ email, key, title: 'Sắp đến hạn: Xét', body: 'Hạn / Due: 31/03/2027' });

  it('allows identical texts once per key of the recipient and flags one more', () => {
    const mail = { to: ['A@x.test'], subject: 'Sắp đến hạn: Xét', text: 'Hạn / Due: 31/03/2027\r\n' };
    expect(checkMails([mail, mail], [row('k5'), row('k1')])).toEqual({ received: 2, duplicates: [], unexpected: 0 });
    const three = checkMails([mail, mail, mail], [row('k5'), row('k1')]);
    expect(three.duplicates).toEqual(['a@x.test "Sắp đến hạn: Xét" (k5, k1) ×3 for 2 key(s)']);
  });

  it('counts by the key header when the e-mail carries one, and flags mails matching no row', () => {
    const keyed = { to: ['a@x.test'], subject: 's', text: 't', key: 'k5' };
    expect(checkMails([keyed, keyed], [row('k5')]).duplicates).toEqual(['a@x.test k5 ×2']);
    expect(checkMails([{ to: ['b@x.test'], subject: 's', text: 't' }], [row('k5')]).unexpected).toBe(1);
  });
});

describe('checkDecisions', () => {
  const d = (key: string, outcome: 'ok' | 'refused' | 'unanswered') => ({ key, caseId: 'c', taskId: key, taskType: 'x', outcome });

  it('counts an acknowledged decision missing from the history as lost and any decision recorded twice as duplicated', () => {
    const times: Record<string, number> = { a: 1, b: 0, c: 2, e: 1, f: 0 };
    const r = checkDecisions([d('a', 'ok'), d('b', 'ok'), d('c', 'refused'), d('e', 'unanswered'), d('f', 'unanswered')], (x) => times[x.key]);
    expect(r.acknowledged).toBe(2);
    expect(r.lost.map((x) => x.key)).toEqual(['b']);
    expect(r.duplicated.map((x) => x.key)).toEqual(['c']);
    expect(r.appliedAnyway).toBe(1);
  });

  it('counts decision_recorded events per task and per task type', () => {
    const { byTask, byType } = decisionCounts([
      event(1, 'decision_recorded', { taskId: 't1', taskType: 'a' }),
      event(2, 'decision_recorded', { taskId: 't1', taskType: 'a' }),
      event(3, 'reminder_sent', { taskId: 't2' }),
    ]);
    expect(byTask.get('t1')).toBe(2);
    expect(byTask.has('t2')).toBe(false);
    expect(byType.get('a')).toBe(2);
  });
});

describe('isStuck', () => {
  const base = { status: 'active' as const, stage: 'probation' as const, openTasks: [] as TaskSnapshot[], events: [] as CaseEvent[], probationEndsOn: '2028-01-01' };

  it('does not count a case waiting for the end of probation, nor one with an open task, nor an ended one', () => {
    expect(isStuck(base)).toBe(false);
    expect(isStuck({ ...base, stage: 'grassroots_admission_review' as never, openTasks: [task()] })).toBe(false);
    expect(isStuck({ ...base, status: 'official' as never, stage: 'official' as never })).toBe(false);
  });

  it('counts an active case with no open task and no probation timer', () => {
    expect(isStuck({ ...base, stage: 'grassroots_admission_review' as never })).toBe(true);
    expect(isStuck({ ...base, events: [event(9, 'probation_ended')] })).toBe(true);
  });
});
