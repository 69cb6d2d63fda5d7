import type { Routing, TaskType } from '../../libs/domain/src/procedure.js';
import { CandidateCase, CaseRefusal } from './candidate.case.js';
import type { Actor, CandidateWorkflowInput, ReorganisationRequest } from './candidate.messages.js';

const T0 = Date.UTC(2030, 5, 1, 3, 0, 0);
const B0 = Date.UTC(2025, 0, 6);
const HOUR = 3_600_000;
const ACTOR: Actor = { userId: 'u-1', username: 'bithu', fullName: 'Lê Văn Cường' };
const ADMIN: Actor = { userId: 'admin-1', username: 'admin', role: 'admin' };
const ROUTING: Routing = { cellId: 'cell-1', provinceId: 'prov-1', grassrootsId: 'gr-1', grassrootsIsCell: false, superiorId: 'sup-1', trainingCentreId: 'tc-1' };
/** The district `sup-1` dissolved: its grassroots committee now under `sup-2`, in the same province. */
const AFTER_DISSOLUTION: Routing = { ...ROUTING, superiorId: 'sup-2', trainingCentreId: 'tc-2' };

const DATA: Partial<Record<TaskType, { outcome?: string; data: (d: string) => Record<string, unknown> }>> = {
  recognize_sympathiser: { outcome: 'approve', data: (d) => ({ meetingDate: d, mentor: { fullName: 'Trần Thị Bình' } }) },
  record_training_certificate: { outcome: 'pass', data: (d) => ({ certificateNo: `CN-${d}`, issuedOn: d }) },
  submit_application: { data: (d) => ({ applicationDate: d, cvSubmittedOn: d }) },
  verify_background: { data: (d) => ({ conclusion: 'meets', relativesChecked: [{ relation: 'father', result: 'clear' }], concludedOn: d }) },
  record_introductions: {
    data: (d) => ({
      introducers: [
        { fullName: 'Lê Văn Cường', official: true, monthsTogether: 24 },
        { fullName: 'Phạm Thị Dung', official: true, monthsTogether: 14 },
      ],
      opinions: { massOrganizations: 'Công đoàn: nhất trí', residence: 'Chi bộ nơi cư trú: nhất trí' },
      compiledOn: d,
    }),
  },
  cell_admission_vote: { outcome: 'approve', data: (d) => ({ meetingDate: d, officialMembers: 9, inFavour: 7 }) },
  grassroots_admission_review: { outcome: 'approve', data: (d) => ({ committeeMembers: 7, inFavour: 6, resolutionDate: d }) },
};

class Driver {
  now = T0;
  readonly c: CandidateCase;

  constructor() {
    const input: CandidateWorkflowInput = {
      candidateId: 'cand-1',
      fullName: 'Nguyễn Văn An',
      facts: { dateOfBirth: '1998-03-15', youthUnionMember: true, education: 'university' },
      routing: ROUTING,
      clock: { anchorRealMs: T0, anchorBusinessMs: B0, speed: 1 },
      source: { organization: 'Đoàn cơ sở', introducedOn: '2025-01-06' },
      createdBy: ACTOR,
    };
    this.c = new CandidateCase(input, () => this.now);
    this.c.remindersEnabled = true;
    this.c.start();
  }

  goTo(date: string): void {
    this.now = T0 + (Date.parse(`${date}T00:00:00Z`) - B0) + 2 * HOUR;
  }

  open(type: TaskType) {
    const t = this.c.summary().openTasks.find((x) => x.type === type);
    if (!t) throw new Error(`no open ${type}`);
    return t;
  }

  decide(type: TaskType, date: string): void {
    this.goTo(date);
    const d = DATA[type]!;
    this.c.apply({ taskId: this.open(type).id, outcome: d.outcome, data: d.data(date), actor: ACTOR });
  }

  /** Up to the superior's admission decision, open at `sup-1` (T3 running). */
  toSuperiorDecision(): void {
    const steps: [TaskType, string][] = [
      ['recognize_sympathiser', '2025-01-06'],
      ['record_training_certificate', '2025-01-20'],
      ['submit_application', '2025-02-03'],
      ['verify_background', '2025-03-03'],
      ['record_introductions', '2025-03-17'],
      ['cell_admission_vote', '2025-04-07'],
      ['grassroots_admission_review', '2025-04-21'],
    ];
    for (const [t, d] of steps) this.decide(t, d);
  }
}

const request = (routing: Routing, over: Partial<ReorganisationRequest> = {}): ReorganisationRequest => ({
  reorganisationId: 'reorg-1',
  action: 'dissolve',
  routing,
  unitNames: { 'sup-1': 'Đảng ủy quận 1', 'sup-2': 'Đảng ủy phường Sài Gòn', 'tc-1': 'Trung tâm quận 1', 'tc-2': 'Trung tâm phường' },
  actor: ADMIN,
  ...over,
});

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof CaseRefusal) return e.code;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('CandidateCase.reorganise', () => {
  it('moves the superior step to the new superior and records org_restructured with old and new units and names', () => {
    const d = new Driver();
    d.toSuperiorDecision();
    const task = d.open('superior_admission_decision');
    expect(task.orgUnitId).toBe('sup-1');
    d.goTo('2025-04-22');
    d.c.reorganise(request(AFTER_DISSOLUTION));
    const moved = d.open('superior_admission_decision');
    expect(moved).toMatchObject({ id: task.id, orgUnitId: 'sup-2', role: 'superior_board', dueAt: task.dueAt });
    const ev = d.c.events.find((e) => e.type === 'org_restructured')!;
    expect(ev.actor).toEqual(ADMIN);
    expect(ev.data).toMatchObject({
      reorganisationId: 'reorg-1',
      action: 'dissolve',
      from: ROUTING,
      to: AFTER_DISSOLUTION,
      tasks: [{ taskId: task.id, taskType: 'superior_admission_decision', fromOrgUnitId: 'sup-1', orgUnitId: 'sup-2', role: 'superior_board' }],
    });
    expect(ev.data.units).toEqual([
      { slot: 'superiorId', from: 'sup-1', to: 'sup-2', fromName: 'Đảng ủy quận 1', toName: 'Đảng ủy phường Sài Gòn' },
      { slot: 'trainingCentreId', from: 'tc-1', to: 'tc-2', fromName: 'Trung tâm quận 1', toName: 'Trung tâm phường' },
    ]);
    // The candidate row follows (the projection writes the routing of the summary).
    expect(d.c.summary().routing).toEqual(AFTER_DISSOLUTION);
    const batch = d.c.takeBatch()!;
    expect(batch.tasks.map((t) => [t.id, t.orgUnitId])).toContainEqual([task.id, 'sup-2']);
  });

  it('moves an overdue item to the new level above, and later reminders and escalations go to the new units', () => {
    const d = new Driver();
    d.toSuperiorDecision();
    const task = d.open('superior_admission_decision');
    d.goTo('2025-08-01');
    d.c.fireDueAlarms();
    d.c.takeNotifications();
    const overdue = d.open('overdue_escalation');
    expect(overdue.orgUnitId).toBe('prov-1');
    d.c.reorganise(request({ ...AFTER_DISSOLUTION, provinceId: 'prov-2' }, { action: 'move' }));
    expect(d.open('overdue_escalation').orgUnitId).toBe('prov-2');
    expect(d.open('superior_admission_decision').orgUnitId).toBe('sup-2');
    // The next repeat reminder goes to the task's new unit.
    d.goTo('2025-09-30');
    d.c.fireDueAlarms();
    const sent = d.c.takeNotifications();
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((n) => n.orgUnitId === 'sup-2' && n.taskId === task.id)).toBe(true);
  });

  it('moves a cell step to the cell a merged cell went into', () => {
    const d = new Driver();
    const t = d.open('recognize_sympathiser');
    d.c.reorganise(request({ ...ROUTING, cellId: 'cell-2' }, { action: 'merge' }));
    expect(d.open('recognize_sympathiser')).toMatchObject({ id: t.id, orgUnitId: 'cell-2', role: 'cell_secretary' });
    // A later transfer starts from the new cell.
    expect(refusal(() => d.c.validateTransfer({ routing: { ...ROUTING, cellId: 'cell-2' }, reason: 'x', actor: ACTOR }))).toBe('transfer_same_cell');
  });

  it('refuses a reorganisation that changes none of the case’s units, and one of an ended case', () => {
    const d = new Driver();
    expect(refusal(() => d.c.validateReorganisation(request(ROUTING)))).toBe('org_restructure_no_change');
    d.c.withdraw({ reason: 'Tự nguyện rút', actor: ACTOR });
    expect(refusal(() => d.c.validateReorganisation(request(AFTER_DISSOLUTION)))).toBe('candidate_ended');
  });
});
