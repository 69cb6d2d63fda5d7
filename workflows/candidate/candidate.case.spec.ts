import { addWorkingDays } from '../../libs/domain/src/calendar/index.js';
import { addDays } from '../../libs/domain/src/dates.js';
import type { Routing, TaskType } from '../../libs/domain/src/procedure.js';
import { CandidateCase, CaseRefusal } from './candidate.case.js';
import type { Actor, CandidateWorkflowInput, CaseEvent, TaskSnapshot } from './candidate.messages.js';

// ------------------------------------------------------------------------------------------ driver

const T0 = Date.UTC(2030, 5, 1, 3, 0, 0); // real (workflow) time at the anchor
const B0 = Date.UTC(2025, 0, 6); // business time at the anchor: 2025-01-06 07:00 in Vietnam
const HOUR = 3_600_000;

const ACTOR: Actor = { userId: 'u-1', username: 'bithu', fullName: 'Lê Văn Cường' };

const ROUTING: Routing = { cellId: 'cell-1', grassrootsId: 'gr-1', grassrootsIsCell: false, superiorId: 'sup-1', trainingCentreId: 'tc-1' };
const GRASSROOTS_CELL_ROUTING: Routing = { cellId: 'gcell-1', grassrootsId: 'gcell-1', grassrootsIsCell: true, superiorId: 'sup-1', trainingCentreId: 'tc-1' };

/** Valid decision data for each step, dated `today`. */
function defaults(type: TaskType, today: string): { outcome?: string; data: Record<string, unknown> } {
  switch (type) {
    case 'overdue_escalation':
      return { data: {} };
    case 'province_political_exception':
      return { outcome: 'approve', data: { boardMembers: 15, inFavour: 9, decisionNo: '88-CV/TU', decisionDate: today } };
    case 'province_readmission_approval':
      return { outcome: 'approve', data: { boardMembers: 15, inFavour: 9, decisionNo: '95-CV/TU', decisionDate: today } };
    case 'receive_transfer':
      return { outcome: 'received', data: { presentedOn: today, letterNo: 'GGT-1' } };
    case 'recognize_sympathiser':
      return { outcome: 'approve', data: { meetingDate: today, mentor: { fullName: 'Trần Thị Bình' } } };
    case 'record_training_certificate':
      return { outcome: 'pass', data: { certificateNo: `CN-${today}`, issuedOn: today } };
    case 'submit_application':
      return { data: { applicationDate: today, cvSubmittedOn: today } };
    case 'verify_background':
      return { data: { conclusion: 'meets', relativesChecked: [{ relation: 'father', result: 'clear' }], concludedOn: today } };
    case 'record_introductions':
      return {
        data: {
          introducers: [
            { fullName: 'Lê Văn Cường', official: true, monthsTogether: 24 },
            { fullName: 'Phạm Thị Dung', official: true, monthsTogether: 14 },
          ],
          opinions: { massOrganizations: 'Công đoàn: nhất trí', residence: 'Chi bộ nơi cư trú: nhất trí' },
          compiledOn: today,
        },
      };
    case 'cell_admission_vote':
      return { outcome: 'approve', data: { meetingDate: today, officialMembers: 9, inFavour: 7 } };
    case 'partial_admission_appraisal':
    case 'partial_recognition_appraisal':
      return { outcome: 'submit', data: { appraisedOn: today, opinion: 'agree' } };
    case 'grassroots_admission_review':
      return { outcome: 'approve', data: { committeeMembers: 7, inFavour: 6, resolutionDate: today } };
    case 'superior_admission_decision':
      return { outcome: 'approve', data: { boardMembers: 9, inFavour: 7, decisionNo: '123-QĐ/ĐU', decisionDate: today } };
    case 'admission_ceremony':
      return { data: { ceremonyDate: today } };
    case 'record_new_member_training':
      return { outcome: 'pass', data: { certificateNo: `DVM-${today}`, issuedOn: today } };
    case 'probation_review':
      return { data: { selfReviewOn: today, mentorReviewOn: today, opinions: { massOrganizations: 'Nhất trí', residence: 'Nhất trí' } } };
    case 'cell_recognition_vote':
      return { outcome: 'recognize', data: { meetingDate: today, officialMembers: 9, inFavour: 8 } };
    case 'grassroots_recognition_review':
      return { outcome: 'recognize', data: { committeeMembers: 7, inFavour: 7, resolutionDate: today } };
    case 'superior_recognition_decision':
      return { outcome: 'recognize', data: { boardMembers: 9, inFavour: 6, decisionNo: '45-QĐ/ĐU', decisionDate: today } };
  }
}

class Driver {
  now = T0;
  readonly input: CandidateWorkflowInput;
  readonly c: CandidateCase;

  constructor(routing: Routing = ROUTING, extra: Partial<CandidateWorkflowInput> = {}) {
    this.input = {
      ...extra,
      candidateId: 'cand-1',
      fullName: 'Nguyễn Văn An',
      facts: { dateOfBirth: '1998-03-15', youthUnionMember: true, education: 'university' },
      routing,
      clock: { anchorRealMs: T0, anchorBusinessMs: B0, speed: 1 },
      source: { organization: 'Đoàn cơ sở', introducedOn: '2025-01-06' },
      createdBy: ACTOR,
    };
    this.c = new CandidateCase(this.input, () => this.now);
    this.c.start();
  }

  /** Moves the fake wall clock so that business today is `date` (09:00 in Vietnam). */
  goTo(date: string): void {
    const target = T0 + (Date.parse(`${date}T00:00:00Z`) - B0) + 2 * HOUR;
    if (target < this.now) throw new Error(`time only moves forward (${date})`);
    this.now = target;
    expect(this.c.businessToday()).toBe(date);
  }

  open(type: TaskType): TaskSnapshot {
    const t = this.c.summary().openTasks.find((x) => x.type === type);
    if (!t) throw new Error(`no open ${type}; open: ${this.c.summary().openTasks.map((x) => x.type).join(', ')}`);
    return t;
  }

  /** Decides the open task of `type` on `date` with valid defaults, overridden by `outcome`/`data`. */
  decide(type: TaskType, date: string, over: { outcome?: string; data?: Record<string, unknown> } = {}): TaskSnapshot {
    this.goTo(date);
    const task = this.open(type);
    const d = defaults(type, date);
    this.c.apply({ taskId: task.id, outcome: over.outcome ?? d.outcome, data: { ...d.data, ...over.data }, actor: ACTOR });
    return task;
  }

  task(id: string): TaskSnapshot {
    const t = this.c.state().tasks.find((x) => x.id === id);
    if (!t) throw new Error(`no task ${id}`);
    return t;
  }

  tasksOf(type: TaskType): TaskSnapshot[] {
    return this.c.state().tasks.filter((t) => t.type === type);
  }

  eventsOf(type: CaseEvent['type']): CaseEvent[] {
    return this.c.events.filter((e) => e.type === type);
  }

  /** Drives the admission chain up to and including the ceremony on 2025-05-26. */
  admit(): void {
    this.toCellResolution();
    if (!this.input.routing.grassrootsIsCell) this.decide('grassroots_admission_review', '2025-04-21');
    this.decide('superior_admission_decision', '2025-05-12');
    this.decide('admission_ceremony', '2025-05-26');
  }

  /** Drives the case up to and including the cell's admission resolution of 2025-04-07. */
  toCellResolution(): void {
    this.decide('recognize_sympathiser', '2025-01-06');
    this.decide('record_training_certificate', '2025-01-20');
    this.decide('submit_application', '2025-02-03');
    this.decide('verify_background', '2025-03-03');
    this.decide('record_introductions', '2025-03-17');
    this.decide('cell_admission_vote', '2025-04-07');
  }

  /** Lets the 12 months pass and opens the probation review, as the workflow's timer does. */
  passProbation(): void {
    this.goTo(this.c.probationEndsOn!);
    this.c.endProbation();
  }
}

function refusalOf(fn: () => unknown): CaseRefusal {
  try {
    fn();
  } catch (e) {
    if (e instanceof CaseRefusal) return e;
    throw e;
  }
  throw new Error('expected a CaseRefusal');
}

// ------------------------------------------------------------------------------------------ tests

describe('CandidateCase: start', () => {
  it('records the creation on the source date and opens the sympathiser review at the cell', () => {
    const d = new Driver();
    expect(d.c.events.map((e) => [e.seq, e.type, e.businessDate])).toEqual([
      [1, 'candidate_created', '2025-01-06'],
      [2, 'task_opened', '2025-01-06'],
    ]);
    expect(d.c.summary()).toMatchObject({ stage: 'source_review', status: 'active', version: 2 });
    expect(d.open('recognize_sympathiser')).toMatchObject({ id: 'cand-1.1', role: 'cell_secretary', orgUnitId: 'cell-1', attempt: 1, notBefore: '2025-01-06' });
  });

  it('derives business today from the clock input and the fake wall clock', () => {
    const d = new Driver();
    expect(d.c.businessToday()).toBe('2025-01-06');
    d.now += 17 * HOUR; // 2025-01-07 00:00 in Vietnam
    expect(d.c.businessToday()).toBe('2025-01-07');
  });
});

describe('CandidateCase: happy path to official', () => {
  let d: Driver;
  beforeAll(() => {
    d = new Driver();
    d.admit();
    d.decide('record_new_member_training', '2025-08-04');
    d.passProbation();
    d.decide('probation_review', '2026-05-26');
    d.decide('cell_recognition_vote', '2026-06-01');
    d.decide('grassroots_recognition_review', '2026-06-08');
    d.decide('superior_recognition_decision', '2026-06-15');
  });

  it('ends as an official member with no open tasks', () => {
    expect(d.c.summary()).toMatchObject({ stage: 'official', status: 'official', openTasks: [] });
    expect(d.c.ended).toBe(true);
    expect(d.c.state().tasks.every((t) => t.status === 'done')).toBe(true);
  });

  it('makes the member official from the end of the 12 months of probation, not from the decision date', () => {
    expect(d.c.summary().probationEndsOn).toBe('2026-05-26');
    expect(d.c.summary().officialFrom).toBe(d.c.summary().probationEndsOn);
  });

  it("counts party age from the superior's admission decision date, not the ceremony", () => {
    expect(d.c.summary().partyAgeFrom).toBe('2025-05-12');
  });

  it('goes through every stage of the procedure in order', () => {
    expect(d.eventsOf('stage_changed').map((e) => e.data.to)).toEqual([
      'awareness_training',
      'application',
      'verification',
      'introductions',
      'cell_admission_vote',
      'grassroots_admission_review',
      'superior_admission_decision',
      'ceremony',
      'probation',
      'probation_review',
      'cell_recognition_vote',
      'grassroots_recognition_review',
      'superior_recognition_decision',
      'official',
    ]);
  });

  it('routes each step to its unit and role', () => {
    const byType = new Map(d.c.state().tasks.map((t) => [t.type, t]));
    expect(byType.get('verify_background')).toMatchObject({ role: 'grassroots_committee', orgUnitId: 'gr-1' });
    expect(byType.get('grassroots_admission_review')).toMatchObject({ role: 'grassroots_committee', orgUnitId: 'gr-1' });
    expect(byType.get('superior_admission_decision')).toMatchObject({ role: 'superior_board', orgUnitId: 'sup-1' });
    expect(byType.get('record_training_certificate')).toMatchObject({ role: 'training_centre', orgUnitId: 'tc-1' });
    expect(byType.get('cell_admission_vote')).toMatchObject({ role: 'cell_secretary', orgUnitId: 'cell-1' });
  });

  it('records the probation from the ceremony date for 12 months', () => {
    const [started] = d.eventsOf('probation_started');
    expect(started).toMatchObject({ businessDate: '2025-05-26', ruleSetId: 'QD232-2025', data: { startsOn: '2025-05-26', endsOn: '2026-05-26', months: 12 } });
    expect(d.eventsOf('probation_ended')).toEqual([expect.objectContaining({ businessDate: '2026-05-26', data: { endsOn: '2026-05-26' } })]);
  });

  it('pins each recorded decision to the rule set of its business date', () => {
    const pinned = d.eventsOf('decision_recorded').map((e) => [e.data.taskType, e.businessDate, e.ruleSetId]);
    expect(pinned).toEqual([
      ['recognize_sympathiser', '2025-01-06', 'QD24-2021'],
      ['record_training_certificate', '2025-01-20', 'QD232-2025'],
      ['submit_application', '2025-02-03', 'QD232-2025'],
      ['verify_background', '2025-03-03', 'QD232-2025'],
      ['record_introductions', '2025-03-17', 'QD232-2025'],
      ['cell_admission_vote', '2025-04-07', 'QD232-2025'],
      ['grassroots_admission_review', '2025-04-21', 'QD232-2025'],
      ['superior_admission_decision', '2025-05-12', 'QD232-2025'],
      ['admission_ceremony', '2025-05-26', 'QD232-2025'],
      ['record_new_member_training', '2025-08-04', 'QD294-2025'],
      ['probation_review', '2026-05-26', 'QD294-2025'],
      ['cell_recognition_vote', '2026-06-01', 'QD294-2025'],
      ['grassroots_recognition_review', '2026-06-08', 'QD294-2025'],
      ['superior_recognition_decision', '2026-06-15', 'QD294-2025'],
    ]);
  });

  it('records who decided each task', () => {
    for (const e of d.eventsOf('decision_recorded')) expect(e.actor).toEqual(ACTOR);
    for (const t of d.c.state().tasks) expect(t.decidedBy).toEqual(ACTOR);
  });

  it('states the end in the path_ended event', () => {
    const [ended] = d.eventsOf('path_ended');
    expect(ended).toMatchObject({
      businessDate: '2026-06-15',
      data: { endState: 'official', step: 'superior_recognition_decision', officialFrom: '2026-05-26', partyAgeFrom: '2025-05-12', decisionNo: '45-QĐ/ĐU' },
    });
    expect(d.c.events[d.c.events.length - 1]).toBe(ended);
  });

  it('numbers events strictly increasing from 1 without gaps', () => {
    expect(d.c.events.map((e) => e.seq)).toEqual(d.c.events.map((_, i) => i + 1));
    expect(d.c.summary().version).toBe(d.c.events.length);
  });

  it('gives each task the sequence number of the event that last changed it', () => {
    for (const t of d.c.state().tasks) {
      const last = d.c.events.filter((e) => e.data.taskId === t.id).pop()!;
      expect(t.version).toBe(last.seq);
    }
  });
});

describe('CandidateCase: grassroots cell path', () => {
  let d: Driver;
  beforeAll(() => {
    d = new Driver(GRASSROOTS_CELL_ROUTING);
    d.admit();
    d.decide('record_new_member_training', '2025-08-04');
    d.passProbation();
    d.decide('probation_review', '2026-05-26');
    d.decide('cell_recognition_vote', '2026-06-01');
    d.decide('superior_recognition_decision', '2026-06-15');
  });

  it('reaches official without any grassroots review task', () => {
    expect(d.c.summary().status).toBe('official');
    const types = d.c.state().tasks.map((t) => t.type);
    expect(types).not.toContain('grassroots_admission_review');
    expect(types).not.toContain('grassroots_recognition_review');
  });

  it('has grassroots steps acted on by the cell secretary of the grassroots cell itself', () => {
    expect(d.tasksOf('verify_background')[0]).toMatchObject({ role: 'cell_secretary', orgUnitId: 'gcell-1' });
  });

  it('sends the cell resolution straight to the superior with the 60-working-day deadline', () => {
    const t = d.tasksOf('superior_admission_decision')[0];
    expect(t.dueDate).toBe(addWorkingDays('2025-04-07', 60));
    expect(t.dueRule).toMatchObject({ anchorEvent: 'cell_admission_resolution', anchorDate: '2025-04-07', workingDays: 60 });
  });

  it('skips the grassroots stages', () => {
    const stages = d.eventsOf('stage_changed').map((e) => e.data.to);
    expect(stages).not.toContain('grassroots_admission_review');
    expect(stages).not.toContain('grassroots_recognition_review');
  });
});

describe('CandidateCase: rejection', () => {
  function expectRejectedAt(d: Driver, step: TaskType, reason: string): void {
    expect(d.c.summary()).toMatchObject({ stage: 'rejected', status: 'rejected', openTasks: [] });
    expect(d.c.state().tasks.filter((t) => t.status === 'open')).toEqual([]);
    const ended = d.eventsOf('path_ended');
    expect(ended).toHaveLength(1);
    expect(ended[0].data).toMatchObject({ endState: 'rejected', step, reason });
    expect(d.c.ended).toBe(true);
  }

  it('rejects when verification concludes the political standards are not met', () => {
    const d = new Driver();
    d.decide('recognize_sympathiser', '2025-01-06');
    d.decide('record_training_certificate', '2025-01-20');
    d.decide('submit_application', '2025-02-03');
    d.decide('verify_background', '2025-03-03', { data: { conclusion: 'does_not_meet' } });
    expectRejectedAt(d, 'verify_background', 'political_standards_not_met');
    expect(d.tasksOf('record_introductions')).toEqual([]);
  });

  it('rejects when the cell does not reach two thirds', () => {
    const d = new Driver();
    d.decide('recognize_sympathiser', '2025-01-06');
    d.decide('record_training_certificate', '2025-01-20');
    d.decide('submit_application', '2025-02-03');
    d.decide('verify_background', '2025-03-03');
    d.decide('record_introductions', '2025-03-17');
    d.decide('cell_admission_vote', '2025-04-07', { outcome: 'reject', data: { inFavour: 5 } });
    expectRejectedAt(d, 'cell_admission_vote', 'cell_vote_below_two_thirds');
  });

  it('rejects when the superior standing board does not admit', () => {
    const d = new Driver();
    d.toCellResolution();
    d.decide('grassroots_admission_review', '2025-04-21');
    d.decide('superior_admission_decision', '2025-05-12', { outcome: 'reject', data: { inFavour: 4, decisionNo: undefined } });
    expectRejectedAt(d, 'superior_admission_decision', 'superior_did_not_admit');
    expect(d.c.summary().partyAgeFrom).toBeUndefined();
  });

  it('rejects when the cell declines to list the candidate as a sympathiser', () => {
    const d = new Driver();
    d.decide('recognize_sympathiser', '2025-01-06', { outcome: 'reject', data: { mentor: undefined } });
    expectRejectedAt(d, 'recognize_sympathiser', 'cell_did_not_list_sympathiser');
  });
});

describe('CandidateCase: introduction routes (issue 16, §2.3)', () => {
  // The candidate (born 1998-03-15) is 26 on 2025-03-17: youth age, a Youth Union member.
  function atIntroductions(): Driver {
    const d = new Driver();
    d.decide('recognize_sympathiser', '2025-01-06');
    d.decide('record_training_certificate', '2025-01-20');
    d.decide('submit_application', '2025-02-03');
    d.decide('verify_background', '2025-03-03');
    d.goTo('2025-03-17');
    return d;
  }
  const members = [
    { fullName: 'Lê Văn Cường', official: true, monthsTogether: 24, sameGrassroots: true },
    { fullName: 'Phạm Thị Dung', official: true, monthsTogether: 14, sameGrassroots: true },
  ];
  const base = { opinions: { massOrganizations: 'Nhất trí', residence: 'Nhất trí' }, compiledOn: '2025-03-17' };

  it('refuses two members in the validator where a Youth Union organisation exists, naming the Youth Union route', () => {
    const d = atIntroductions();
    const task = d.open('record_introductions');
    const e = refusalOf(() => d.c.validate({ taskId: task.id, data: { ...base, introducers: members, youthUnionAtGrassroots: true }, actor: ACTOR }));
    expect(e.code).toBe('youth_union_route_required');
    expect(d.c.stage).toBe('introductions');
  });

  it('replays a decision recorded before the routes existed (no membership facts): the handler does not refuse it', () => {
    const d = atIntroductions();
    const task = d.open('record_introductions');
    const old = { ...base, introducers: members.map(({ sameGrassroots: _s, ...i }) => i) };
    expect(() => d.c.validate({ taskId: task.id, data: old, actor: ACTOR })).toThrow(CaseRefusal);
    d.c.apply({ taskId: task.id, data: old, actor: ACTOR });
    expect(d.c.stage).toBe('cell_admission_vote');
    expect(d.eventsOf('decision_recorded').at(-1)!.data.decision).toMatchObject({ route: 'party_members' });
  });

  it('records the trade-union route with its 4A-KNĐ resolution and one member, then opens the cell vote', () => {
    const d = atIntroductions();
    const task = d.open('record_introductions');
    const req = {
      taskId: task.id,
      data: { ...base, introducers: [members[0]], youthUnionAtGrassroots: false, tradeUnionResolution: { number: '07-NQ/CĐCS', date: '2025-03-10', tradeUnionMember: true } },
      actor: ACTOR,
    };
    d.c.validate(req);
    d.c.apply(req);
    expect(d.c.stage).toBe('cell_admission_vote');
    expect(d.eventsOf('decision_recorded').at(-1)!.data.decision).toMatchObject({
      route: 'trade_union',
      youthUnionAtGrassroots: false,
      tradeUnionResolution: { number: '07-NQ/CĐCS', date: '2025-03-10', tradeUnionMember: true },
      introducers: [{ fullName: 'Lê Văn Cường', sameGrassroots: true }],
    });
  });
});

describe('CandidateCase: the province exception to a failed verification (§5.5, issue 16)', () => {
  const PROVINCE_ROUTING: Routing = { ...ROUTING, provinceId: 'prov-1' };
  const EXCEPTION = { outstandingRecord: 'Chiến sĩ thi đua cơ sở 2023, 2024', condemnedRelativesActs: true };
  function concluded(request: boolean): Driver {
    const d = new Driver(PROVINCE_ROUTING);
    d.decide('recognize_sympathiser', '2025-01-06');
    d.decide('record_training_certificate', '2025-01-20');
    d.decide('submit_application', '2025-02-03');
    d.decide('verify_background', '2025-03-03', {
      data: { conclusion: 'does_not_meet', relativesChecked: [{ relation: 'father', result: 'issue' }], ...(request ? { provinceException: EXCEPTION } : {}) },
    });
    return d;
  }

  it("opens the province standing board's decision in the province's inbox, the case still in verification", () => {
    const d = concluded(true);
    expect(d.c.summary()).toMatchObject({ stage: 'verification', status: 'active' });
    const t = d.open('province_political_exception');
    expect(t).toMatchObject({ orgUnitId: 'prov-1', role: 'superior_board', notBefore: '2025-03-03' });
    expect(d.eventsOf('task_opened').at(-1)!.data).toMatchObject({ taskType: 'province_political_exception', route: 'province_political_exception' });
  });

  it('goes on to the introductions once the province approves in writing', () => {
    const d = concluded(true);
    d.decide('province_political_exception', '2025-03-24');
    expect(d.c.stage).toBe('introductions');
    expect(d.open('record_introductions').notBefore).toBe('2025-03-24');
    expect(d.eventsOf('decision_recorded').at(-1)!.data).toMatchObject({ taskType: 'province_political_exception', outcome: 'approve', decision: { decisionNo: '88-CV/TU' } });
  });

  it('ends the path as rejected when the province does not approve', () => {
    const d = concluded(true);
    d.decide('province_political_exception', '2025-03-24', { outcome: 'reject', data: { inFavour: 7 } });
    expect(d.c.summary()).toMatchObject({ stage: 'rejected', openTasks: [] });
    expect(d.eventsOf('path_ended')[0].data).toMatchObject({ endState: 'rejected', step: 'province_political_exception', reason: 'province_did_not_approve_exception' });
  });

  it('still ends the path at once when the exception is not asked for', () => {
    const d = concluded(false);
    expect(d.c.summary()).toMatchObject({ stage: 'rejected' });
    expect(d.eventsOf('path_ended')[0].data).toMatchObject({ step: 'verify_background', reason: 'political_standards_not_met' });
    expect(d.tasksOf('province_political_exception')).toEqual([]);
  });

  it('refuses the request without a province above the units (validator and handler alike)', () => {
    const d = new Driver();
    d.decide('recognize_sympathiser', '2025-01-06');
    d.decide('record_training_certificate', '2025-01-20');
    d.decide('submit_application', '2025-02-03');
    d.goTo('2025-03-03');
    const task = d.open('verify_background');
    const req = { taskId: task.id, data: { conclusion: 'does_not_meet', relativesChecked: [{ relation: 'father', result: 'issue' }], concludedOn: '2025-03-03', provinceException: EXCEPTION }, actor: ACTOR };
    expect(refusalOf(() => d.c.validate(req)).code).toBe('province_exception_no_province');
    expect(refusalOf(() => d.c.apply(req)).code).toBe('province_exception_no_province');
  });
});

describe('CandidateCase: removal at recognition', () => {
  let d: Driver;
  let trainingTask: TaskSnapshot;
  beforeAll(() => {
    d = new Driver();
    d.admit();
    trainingTask = d.open('record_new_member_training');
    d.passProbation();
    d.decide('probation_review', '2026-05-26');
    d.decide('cell_recognition_vote', '2026-06-01', { outcome: 'remove', data: { inFavour: 7 } });
    d.decide('grassroots_recognition_review', '2026-06-08', { outcome: 'remove' });
    d.decide('superior_recognition_decision', '2026-06-15', { outcome: 'remove', data: { inFavour: 5, decisionNo: '46-QĐ/ĐU' } });
  });

  it('ends as removed from the probationary list, never official', () => {
    expect(d.c.summary()).toMatchObject({ stage: 'removed', status: 'removed', openTasks: [] });
    expect(d.c.summary().officialFrom).toBeUndefined();
    expect(d.eventsOf('path_ended')[0].data).toMatchObject({ endState: 'removed', reason: 'removed_from_probationary_list', decisionNo: '46-QĐ/ĐU' });
  });

  it('cancels the still-open new-member class task', () => {
    expect(d.task(trainingTask.id).status).toBe('cancelled');
    expect(d.eventsOf('task_cancelled').map((e) => e.data)).toEqual([
      { taskId: trainingTask.id, taskType: 'record_new_member_training', because: 'removed' },
    ]);
  });
});

describe('CandidateCase: three inconclusive recognition votes', () => {
  let d: Driver;
  beforeAll(() => {
    d = new Driver();
    d.admit();
    d.decide('record_new_member_training', '2025-08-04');
    d.passProbation();
    d.decide('probation_review', '2026-05-26');
    d.decide('cell_recognition_vote', '2026-06-01', { outcome: 'inconclusive', data: { inFavour: 5 } });
    d.decide('cell_recognition_vote', '2026-06-08', { outcome: 'inconclusive', data: { inFavour: 5 } });
  });

  it('reopens the cell vote after each of the first two inconclusive votes, keeping the T6 deadline', () => {
    const votes = d.tasksOf('cell_recognition_vote');
    expect(votes.map((t) => [t.attempt, t.status])).toEqual([
      [1, 'done'],
      [2, 'done'],
      [3, 'open'],
    ]);
    expect(new Set(votes.map((t) => t.dueDate)).size).toBe(1);
    expect(votes[2].notBefore).toBe('2026-06-08');
    expect(d.eventsOf('recognition_escalated')).toEqual([]);
  });

  it('escalates to the superior on the third inconclusive vote', () => {
    d.decide('cell_recognition_vote', '2026-06-15', { outcome: 'inconclusive', data: { inFavour: 4 } });
    expect(d.eventsOf('recognition_escalated')).toEqual([
      expect.objectContaining({ businessDate: '2026-06-15', data: { votes: 3, to: 'sup-1' } }),
    ]);
    expect(d.c.state().inconclusiveRecognitionVotes).toBe(3);
    const superior = d.open('superior_recognition_decision');
    expect(superior.dueDate).toBe(addWorkingDays('2026-06-15', 30));
    expect(d.c.events.find((e) => e.type === 'task_opened' && e.data.taskId === superior.id)?.data.escalated).toBe(true);
    expect(d.c.summary().openTasks.map((t) => t.type)).toEqual(['superior_recognition_decision']);
    expect(d.tasksOf('grassroots_recognition_review')).toEqual([]);
  });

  it('lets the superior decide the escalated case', () => {
    d.decide('superior_recognition_decision', '2026-06-22');
    expect(d.c.summary()).toMatchObject({ status: 'official', officialFrom: '2026-05-26' });
  });
});

describe('CandidateCase: withdrawal', () => {
  it('ends the case as withdrawn and cancels the open task', () => {
    const d = new Driver();
    d.decide('recognize_sympathiser', '2025-01-06');
    d.decide('record_training_certificate', '2025-01-20');
    const open = d.open('submit_application');
    d.goTo('2025-02-10');
    const before = d.c.events.length;
    d.c.withdraw({ reason: 'Chuyển công tác', actor: ACTOR });

    expect(d.c.summary()).toMatchObject({ stage: 'withdrawn', status: 'withdrawn', openTasks: [] });
    expect(d.task(open.id).status).toBe('cancelled');
    expect(d.c.events.slice(before).map((e) => [e.type, e.businessDate])).toEqual([
      ['candidate_withdrawn', '2025-02-10'],
      ['task_cancelled', '2025-02-10'],
      ['stage_changed', '2025-02-10'],
      ['path_ended', '2025-02-10'],
    ]);
    expect(d.eventsOf('candidate_withdrawn')[0]).toMatchObject({ actor: ACTOR, data: { reason: 'Chuyển công tác', stage: 'application' } });
  });

  it('refuses a withdrawal without a reason', () => {
    const d = new Driver();
    const e = refusalOf(() => d.c.withdraw({ reason: '  ', actor: ACTOR }));
    expect(e.code).toBe('missing_field');
    expect(d.c.status).toBe('active');
  });

  it('refuses to withdraw a case that has ended', () => {
    const d = new Driver();
    d.c.withdraw({ reason: 'Không đủ điều kiện', actor: ACTOR });
    expect(refusalOf(() => d.c.withdraw({ reason: 'again', actor: ACTOR })).code).toBe('candidate_ended');
  });
});

describe('CandidateCase: training attempts', () => {
  it('reopens the party-awareness class task with attempt 2 after a fail', () => {
    const d = new Driver();
    d.decide('recognize_sympathiser', '2025-01-06');
    const first = d.decide('record_training_certificate', '2025-01-20', { outcome: 'fail', data: { certificateNo: undefined } });
    const second = d.open('record_training_certificate');
    expect(second.id).not.toBe(first.id);
    expect(second.attempt).toBe(2);
    expect(d.task(first.id)).toMatchObject({ status: 'done', outcome: 'fail', attempt: 1 });
    expect(d.c.stage).toBe('awareness_training');

    d.decide('record_training_certificate', '2025-03-03');
    expect(d.open('submit_application').attempt).toBe(1);
  });

  it('reopens the new-member class task with attempt 2 after a fail, staying in probation', () => {
    const d = new Driver();
    d.admit();
    d.decide('record_new_member_training', '2025-08-04', { outcome: 'fail', data: { certificateNo: undefined } });
    expect(d.open('record_new_member_training')).toMatchObject({ attempt: 2, notBefore: '2025-05-26' });
    expect(d.c.stage).toBe('probation');
  });
});

describe('CandidateCase: probation', () => {
  it('waits for the end of probation after the ceremony and opens the review only when told', () => {
    const d = new Driver();
    expect(d.c.awaitingProbationEnd).toBe(false);
    d.admit();
    expect(d.c.awaitingProbationEnd).toBe(true);
    expect(d.c.summary().openTasks.map((t) => t.type)).toEqual(['record_new_member_training']);
    d.passProbation();
    expect(d.c.awaitingProbationEnd).toBe(false);
    expect(d.open('probation_review').notBefore).toBe('2026-05-26');
    expect(d.c.stage).toBe('probation_review');
  });

  it('gives the new-member class task the end of probation as its due date', () => {
    const d = new Driver();
    d.admit();
    expect(d.open('record_new_member_training')).toMatchObject({ dueDate: '2026-05-26', dueAt: '2026-05-26T23:59:59+07:00' });
  });

  it('ignores a second endProbation', () => {
    const d = new Driver();
    d.admit();
    d.passProbation();
    const n = d.c.events.length;
    d.c.endProbation();
    expect(d.c.events.length).toBe(n);
    expect(d.tasksOf('probation_review')).toHaveLength(1);
  });

  it('ignores endProbation before any ceremony', () => {
    const d = new Driver();
    const n = d.c.events.length;
    d.c.endProbation();
    expect(d.c.events.length).toBe(n);
  });

  it('refuses recognition when the new-member class certificate was never recorded', () => {
    const d = new Driver();
    d.admit();
    d.passProbation();
    d.decide('probation_review', '2026-05-26');
    expect(refusalOf(() => d.decide('cell_recognition_vote', '2026-06-01')).code).toBe('new_member_certificate_missing');
  });
});

describe('CandidateCase: deadlines', () => {
  let d: Driver;
  beforeAll(() => {
    d = new Driver();
    d.admit();
    d.decide('record_new_member_training', '2025-08-04');
    d.passProbation();
    d.decide('probation_review', '2026-05-26');
    d.decide('cell_recognition_vote', '2026-06-01');
  });

  it('gives the superior admission decision 60 working days from the cell resolution date (T3)', () => {
    const t = d.tasksOf('superior_admission_decision')[0];
    expect(t.dueDate).toBe(addWorkingDays('2025-04-07', 60));
    // 60 working days are at least 12 calendar weeks.
    expect(t.dueDate! > addDays('2025-04-07', 83)).toBe(true);
    expect(t.dueAt).toBe(`${t.dueDate}T23:59:59+07:00`);
    expect(t.dueAt!.endsWith('+07:00')).toBe(true);
    expect(t.dueRule).toMatchObject({
      ruleSetId: 'QD232-2025',
      workingDays: 60,
      anchorEvent: 'cell_admission_resolution',
      anchorDate: '2025-04-07',
    });
    expect(t.dueRule!.clock.startsWith('T3')).toBe(true);
    expect(t.dueRule!.citation).toContain('232-QĐ/TW');
  });

  it('gives the grassroots review the same T3 deadline, anchored on the cell resolution', () => {
    const g = d.tasksOf('grassroots_admission_review')[0];
    const s = d.tasksOf('superior_admission_decision')[0];
    expect(g.dueDate).toBe(s.dueDate);
    expect(g.dueRule).toEqual(s.dueRule);
  });

  it('gives the ceremony 30 working days from the admission decision (T4)', () => {
    const t = d.tasksOf('admission_ceremony')[0];
    expect(t.dueDate).toBe(addWorkingDays('2025-05-12', 30));
    expect(t.dueRule).toMatchObject({ workingDays: 30, anchorEvent: 'admission_decision', anchorDate: '2025-05-12' });
  });

  it('gives the cell recognition vote 30 working days from the end of probation (T6)', () => {
    const t = d.tasksOf('cell_recognition_vote')[0];
    expect(t.dueDate).toBe(addWorkingDays('2026-05-26', 30));
    expect(t.dueRule).toMatchObject({ ruleSetId: 'QD294-2025', workingDays: 30, anchorEvent: 'probation_end', anchorDate: '2026-05-26' });
  });

  it('gives the recognition reviews 30 working days from the cell recognition resolution (T7)', () => {
    const t = d.open('grassroots_recognition_review');
    expect(t.dueDate).toBe(addWorkingDays('2026-06-01', 30));
    expect(t.dueRule).toMatchObject({ workingDays: 30, anchorEvent: 'cell_recognition_resolution', anchorDate: '2026-06-01' });
  });

  it('puts the due instant in the task_opened event as well', () => {
    const t = d.tasksOf('superior_admission_decision')[0];
    const opened = d.c.events.find((e) => e.type === 'task_opened' && e.data.taskId === t.id)!;
    expect(opened.data.dueAt).toBe(t.dueAt);
    expect(opened.data.dueRule).toEqual(t.dueRule);
  });

  it('sets no deadline on steps without a statutory time limit', () => {
    for (const type of ['recognize_sympathiser', 'submit_application', 'verify_background', 'record_introductions', 'cell_admission_vote'] as const) {
      expect(d.tasksOf(type)[0].dueDate).toBeUndefined();
    }
  });
});

describe('CandidateCase: refusals', () => {
  it('throws task_not_open when deciding a task that is already closed', () => {
    const d = new Driver();
    const t = d.decide('recognize_sympathiser', '2025-01-06');
    const before = d.c.events.length;
    const e = refusalOf(() => d.c.apply({ taskId: t.id, outcome: 'approve', data: defaults('recognize_sympathiser', '2025-01-06').data, actor: ACTOR }));
    expect(e).toBeInstanceOf(CaseRefusal);
    expect(e.code).toBe('task_not_open');
    expect(e.name).toBe('CaseRefusal');
    expect(d.c.events.length).toBe(before);
  });

  it('throws task_not_found for an unknown task', () => {
    const d = new Driver();
    expect(refusalOf(() => d.c.validate({ taskId: 'cand-1.99', data: {}, actor: ACTOR })).code).toBe('task_not_found');
  });

  it('throws candidate_ended when deciding after the end, naming the end stage', () => {
    const d = new Driver();
    const t = d.open('recognize_sympathiser');
    d.c.withdraw({ reason: 'Tự nguyện rút', actor: ACTOR });
    const e = refusalOf(() => d.c.apply({ taskId: t.id, outcome: 'approve', data: {}, actor: ACTOR }));
    expect(e.code).toBe('candidate_ended');
    expect(e.violations[0].params).toEqual({ stage: 'withdrawn' });
    expect(e.message).toContain('withdrawn');
  });

  it('carries every violation of a refused decision and renders them in Vietnamese', () => {
    const d = new Driver();
    d.decide('recognize_sympathiser', '2025-01-06');
    d.decide('record_training_certificate', '2025-01-20');
    d.decide('submit_application', '2025-02-03');
    d.decide('verify_background', '2025-03-03');
    d.decide('record_introductions', '2025-03-17');
    const e = refusalOf(() => d.decide('cell_admission_vote', '2025-04-07', { data: { officialMembers: 9, inFavour: 5 } }));
    expect(e.code).toBe('two_thirds_not_reached');
    expect(e.violations).toEqual([
      { code: 'two_thirds_not_reached', field: 'inFavour', params: { inFavour: 5, members: 9, needed: 6, outcome: 'approve' } },
    ]);
    expect(e.message).toBe('Chưa đạt ít nhất hai phần ba: 5/9 tán thành, cần tối thiểu 6');
  });

  it('refuses a decision dated before the previous step', () => {
    const d = new Driver();
    d.decide('recognize_sympathiser', '2025-01-06');
    d.decide('record_training_certificate', '2025-01-20');
    d.goTo('2025-02-10');
    const t = d.open('submit_application');
    const e = refusalOf(() => d.c.apply({ taskId: t.id, data: { applicationDate: '2025-01-15', cvSubmittedOn: '2025-01-19' }, actor: ACTOR }));
    expect(e.violations.map((v) => [v.code, v.field])).toEqual([
      ['date_before_previous_step', 'applicationDate'],
      ['date_before_previous_step', 'cvSubmittedOn'],
    ]);
  });

  it('refuses a decision dated after business today', () => {
    const d = new Driver();
    const t = d.open('recognize_sympathiser');
    const e = refusalOf(() => d.c.apply({ taskId: t.id, outcome: 'approve', data: defaults('recognize_sympathiser', '2025-01-07').data, actor: ACTOR }));
    expect(e.code).toBe('date_in_future');
  });

  it('leaves no trace of a refused decision: no events, no batch, task still open', () => {
    const d = new Driver();
    d.c.takeBatch();
    const t = d.open('recognize_sympathiser');
    refusalOf(() => d.c.apply({ taskId: t.id, outcome: 'approve', data: { meetingDate: '2025-01-06' }, actor: ACTOR }));
    expect(d.c.events).toHaveLength(2);
    expect(d.c.takeBatch()).toBeUndefined();
    expect(d.open('recognize_sympathiser').id).toBe(t.id);
  });

  it('validate() accepts without recording anything and returns the decision it would record', () => {
    const d = new Driver();
    const t = d.open('recognize_sympathiser');
    const decision = d.c.validate({ taskId: t.id, outcome: 'approve', data: defaults('recognize_sympathiser', '2025-01-06').data, actor: ACTOR });
    expect(decision).toMatchObject({ taskType: 'recognize_sympathiser', outcome: 'approve', businessDate: '2025-01-06', ruleSetId: 'QD24-2021' });
    expect(d.c.events).toHaveLength(2);
  });
});

describe('CandidateCase: takeBatch', () => {
  it('hands over the start, then nothing until something new happens', () => {
    const d = new Driver();
    const first = d.c.takeBatch()!;
    expect(first.events.map((e) => [e.seq, e.type])).toEqual([
      [1, 'candidate_created'],
      [2, 'task_opened'],
    ]);
    expect(first.tasks.map((t) => [t.type, t.status])).toEqual([['recognize_sympathiser', 'open']]);
    expect(first.candidate).toMatchObject({ candidateId: 'cand-1', stage: 'source_review', status: 'active', version: 2, openTasks: [] });
    expect(d.c.takeBatch()).toBeUndefined();
  });

  it('hands over the events of a decision in seq order with both the closed and the new task', () => {
    const d = new Driver();
    d.c.takeBatch();
    const t = d.decide('recognize_sympathiser', '2025-01-06');
    const batch = d.c.takeBatch()!;
    const seqs = batch.events.map((e) => e.seq);
    expect(seqs[0]).toBe(3);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs).toEqual(seqs.map((_, i) => 3 + i));
    expect(batch.events.map((e) => e.type)).toEqual(['decision_recorded', 'stage_changed', 'task_opened']);
    expect(batch.tasks.map((x) => [x.id, x.status])).toEqual([
      [t.id, 'done'],
      ['cand-1.2', 'open'],
    ]);
    expect(batch.candidate.version).toBe(seqs[seqs.length - 1]);
    expect(d.c.takeBatch()).toBeUndefined();
  });

  it('carries the end reason once the case has ended', () => {
    const d = new Driver();
    d.c.takeBatch();
    d.c.withdraw({ reason: 'Chuyển vùng', actor: ACTOR });
    const batch = d.c.takeBatch()!;
    expect(batch.candidate).toMatchObject({ status: 'withdrawn', endedReason: { step: 'source_review', reason: 'Chuyển vùng' } });
    expect(batch.tasks.map((t) => t.status)).toEqual(['cancelled']);
  });

  it('hands over every event exactly once across a whole path, in seq order', () => {
    const d = new Driver();
    const seen: number[] = [];
    const drain = () => {
      const b = d.c.takeBatch();
      if (b) seen.push(...b.events.map((e) => e.seq));
    };
    drain();
    for (const [type, date] of [
      ['recognize_sympathiser', '2025-01-06'],
      ['record_training_certificate', '2025-01-20'],
      ['submit_application', '2025-02-03'],
    ] as const) {
      d.decide(type, date);
      drain();
    }
    expect(seen).toEqual(d.c.events.map((e) => e.seq));
    expect(seen).toEqual(seen.map((_, i) => i + 1));
  });
});

describe('CandidateCase: vote denominator (§3.2 S6)', () => {
  function toCellVote(): Driver {
    const d = new Driver();
    d.decide('recognize_sympathiser', '2025-01-06');
    d.decide('record_training_certificate', '2025-01-20');
    d.decide('submit_application', '2025-02-03');
    d.decide('verify_background', '2025-03-03');
    d.decide('record_introductions', '2025-03-17');
    return d;
  }

  it('records the official members, each exclusion and the denominator with the cell vote, and admits 6 of 12 − 3 left out', () => {
    const d = toCellVote();
    // 12 − 2 exempted and absent − 1 detained = 9; two thirds of 9 = 6.
    d.decide('cell_admission_vote', '2025-04-07', { data: { officialMembers: 12, exclusions: { exemptedAbsent: 2, detained: 1 }, inFavour: 6 } });
    const vote = d.eventsOf('decision_recorded').find((e) => e.data.taskType === 'cell_admission_vote')!;
    expect(vote.data.decision).toMatchObject({
      officialMembers: 12,
      exclusions: { temporarilyAttached: 0, exemptedAbsent: 2, suspended: 0, prosecuted: 0, detained: 1 },
      denominator: 9,
      inFavour: 6,
    });
    expect(d.c.summary().stage).toBe('grassroots_admission_review');
  });

  it('refuses more exclusions than official members before anything is recorded', () => {
    const d = toCellVote();
    const before = d.c.events.length;
    const e = refusalOf(() => d.decide('cell_admission_vote', '2025-04-07', { data: { officialMembers: 4, exclusions: { suspended: 5 }, inFavour: 0 }, outcome: 'reject' }));
    expect(e.code).toBe('vote_exclusions_exceed_members');
    expect(e.message).toContain('(5: sinh hoạt tạm thời nơi khác');
    expect(d.c.events.length).toBe(before);
  });
});

describe('CandidateCase: facts changing over the path (issue 16)', () => {
  const SECRETARY: Actor = { userId: 'u-2', username: 'bithu2', fullName: 'Phạm Thị Dung', role: 'cell_secretary', orgUnitId: 'cell-1' };
  /** A candidate with primary education only, outside a hardship area, taken to the cell vote. */
  function primaryEducated(): Driver {
    const d = new Driver();
    (d.input.facts as { education: string }).education = 'primary';
    d.decide('recognize_sympathiser', '2025-01-06');
    d.decide('record_training_certificate', '2025-01-20');
    d.decide('submit_application', '2025-02-03');
    d.decide('verify_background', '2025-03-03');
    d.decide('record_introductions', '2025-03-17');
    return d;
  }

  it('records who changed which fact, when, from → to, and the summary carries the facts in force', () => {
    const d = primaryEducated();
    d.goTo('2025-04-01');
    d.c.updateFacts({ changes: { education: 'lower_secondary', youthUnionMember: true }, reason: 'Bằng tốt nghiệp THCS số 45/2025', effectiveOn: '2025-03-28', actor: SECRETARY });
    const [ev] = d.eventsOf('candidate_facts_changed');
    expect(ev).toMatchObject({
      type: 'candidate_facts_changed',
      businessDate: '2025-03-28',
      actor: SECRETARY,
      data: { changes: [{ field: 'education', from: 'primary', to: 'lower_secondary' }], reason: 'Bằng tốt nghiệp THCS số 45/2025', effectiveOn: '2025-03-28', stage: 'cell_admission_vote' },
    });
    expect(d.c.summary().facts).toEqual({ education: 'lower_secondary', youthUnionMember: true, hardshipArea: false, placeId: null });
    expect(d.c.takeBatch()!.candidate.facts).toEqual({ education: 'lower_secondary', youthUnionMember: true, hardshipArea: false, placeId: null });
  });

  it('checks the cell vote against the updated education: refused with primary, accepted after the diploma', () => {
    const d = primaryEducated();
    // QĐ 294 (from 2025-07-01) and QĐ 232 before it: a lower-secondary diploma outside hardship areas.
    const e = refusalOf(() => d.decide('cell_admission_vote', '2025-04-07'));
    expect(e.code).toBe('education_insufficient');
    d.c.updateFacts({ changes: { education: 'lower_secondary' }, reason: 'Bằng THCS', actor: SECRETARY });
    d.decide('cell_admission_vote', '2025-04-07');
    expect(d.c.summary().stage).toBe('grassroots_admission_review');
  });

  it('accepts primary education once the candidate lives in a hardship area (§2.2)', () => {
    const d = primaryEducated();
    d.goTo('2025-04-07');
    d.c.updateFacts({ changes: { hardshipArea: true }, reason: 'Chuyển về xã biên giới', actor: SECRETARY });
    d.decide('cell_admission_vote', '2025-04-07');
    expect(d.eventsOf('candidate_facts_changed')[0].data.changes).toEqual([{ field: 'hardshipArea', from: false, to: true }]);
  });

  it('checks the Youth Union route against the membership in force', () => {
    const d = new Driver();
    d.decide('recognize_sympathiser', '2025-01-06');
    d.decide('record_training_certificate', '2025-01-20');
    d.decide('submit_application', '2025-02-03');
    d.decide('verify_background', '2025-03-03');
    d.goTo('2025-03-17');
    d.c.updateFacts({ changes: { youthUnionMember: false }, reason: 'Hết tuổi đoàn, đã trưởng thành đoàn', actor: SECRETARY });
    const e = refusalOf(() =>
      d.decide('record_introductions', '2025-03-17', {
        data: {
          introducers: [{ fullName: 'Lê Văn Cường', official: true, monthsTogether: 24, sameGrassroots: true }],
          youthUnionResolution: { number: '12-NQ/ĐTN', date: '2025-03-01' },
          youthUnionAtGrassroots: true,
        },
      }),
    );
    expect(e.violations.map((v) => v.code)).toContain('youth_union_route_not_allowed');
  });

  it('refuses a change that changes nothing, one dated in the future, and one after the path ended', () => {
    const d = primaryEducated();
    d.goTo('2025-04-01');
    expect(refusalOf(() => d.c.validateFactsUpdate({ changes: { education: 'primary' }, reason: 'x', actor: SECRETARY })).code).toBe('facts_unchanged');
    expect(refusalOf(() => d.c.validateFactsUpdate({ changes: { education: 'university' }, reason: 'x', effectiveOn: '2025-04-02', actor: SECRETARY })).code).toBe('date_in_future');
    d.c.withdraw({ reason: 'Xin rút', actor: SECRETARY });
    expect(refusalOf(() => d.c.validateFactsUpdate({ changes: { education: 'university' }, reason: 'x', actor: SECRETARY })).code).toBe('candidate_ended');
    expect(d.eventsOf('candidate_facts_changed')).toHaveLength(0);
  });
});

describe('CandidateCase: a partial committee between the cell and the grassroots committee (§3.2 S7, issue 16)', () => {
  const PARTIAL_ROUTING: Routing = { ...ROUTING, partialCommitteeId: 'pc-1' };
  let d: Driver;
  beforeAll(() => {
    d = new Driver(PARTIAL_ROUTING);
    d.toCellResolution();
  });

  it("sends the cell's resolution to the partial committee's inbox for its appraisal (7-KNĐ), on the chain's one clock", () => {
    const t = d.open('partial_admission_appraisal');
    expect(t).toMatchObject({ orgUnitId: 'pc-1', role: 'partial_committee' });
    expect(t.dueRule).toMatchObject({ anchorEvent: 'cell_admission_resolution', anchorDate: '2025-04-07', workingDays: 60 });
    expect(d.c.summary().stage).toBe('partial_admission_appraisal');
    expect(d.tasksOf('grassroots_admission_review')).toEqual([]);
  });

  it('refuses an appraisal without its conclusion', () => {
    d.goTo('2025-04-14');
    const t = d.open('partial_admission_appraisal');
    const r = refusalOf(() => d.c.validate({ taskId: t.id, outcome: 'submit', data: { appraisedOn: '2025-04-14' }, actor: ACTOR }));
    expect(r.violations.map((v) => v.field)).toContain('opinion');
  });

  it('then goes to the grassroots committee, whose review keeps the same due date', () => {
    const appraisal = d.decide('partial_admission_appraisal', '2025-04-14', { data: { opinion: 'disagree', grounds: 'Chưa đủ thời gian thử thách' } });
    const review = d.open('grassroots_admission_review');
    expect(review).toMatchObject({ orgUnitId: 'gr-1', role: 'grassroots_committee', notBefore: '2025-04-14' });
    expect(review.dueDate).toBe(d.task(appraisal.id).dueDate);
    // The appraisal is an opinion reported up, not a veto: the committee still decides.
    expect(d.eventsOf('decision_recorded').at(-1)!.data).toMatchObject({ taskType: 'partial_admission_appraisal', decision: { opinion: 'disagree' } });
  });

  it('escalates a missed appraisal to the grassroots committee, not past it', () => {
    const late = new Driver(PARTIAL_ROUTING);
    late.c.remindersEnabled = true;
    late.toCellResolution();
    const t = late.open('partial_admission_appraisal');
    late.goTo('2025-08-01'); // well past 60 working days from 7 April
    late.c.fireDueAlarms();
    expect(late.eventsOf('deadline_missed')[0].data).toMatchObject({ taskId: t.id, escalatedTo: { orgUnitId: 'gr-1', role: 'grassroots_committee' } });
  });

  it('appraises the recognition as well (14-KNĐ) before the grassroots review', () => {
    d.decide('grassroots_admission_review', '2025-04-21');
    d.decide('superior_admission_decision', '2025-05-12');
    d.decide('admission_ceremony', '2025-05-26');
    d.decide('record_new_member_training', '2025-08-04');
    d.passProbation();
    d.decide('probation_review', '2026-05-26');
    d.decide('cell_recognition_vote', '2026-06-01');
    expect(d.open('partial_recognition_appraisal')).toMatchObject({ orgUnitId: 'pc-1', role: 'partial_committee' });
    d.decide('partial_recognition_appraisal', '2026-06-04');
    d.decide('grassroots_recognition_review', '2026-06-08');
    d.decide('superior_recognition_decision', '2026-06-15');
    expect(d.c.summary()).toMatchObject({ status: 'official', officialFrom: '2026-05-26' });
  });
});

describe('CandidateCase: a grassroots committee authorised to admit (§3.2 S8–S9, §7.5, issue 16)', () => {
  const AUTHORISED: Routing = { ...ROUTING, grassrootsAuthorised: true };
  let d: Driver;
  beforeAll(() => {
    d = new Driver(AUTHORISED);
    d.toCellResolution();
  });

  it('has the grassroots committee decide the admission itself, with no proposal of its own to the superior', () => {
    expect(d.tasksOf('grassroots_admission_review')).toEqual([]);
    expect(d.open('superior_admission_decision')).toMatchObject({ orgUnitId: 'gr-1', role: 'grassroots_committee', route: 'authorised_grassroots' });
  });

  it('needs two thirds of all committee members: 6 of 9 is valid, 5 of 9 (more than half) is not', () => {
    d.goTo('2025-04-21');
    const t = d.open('superior_admission_decision');
    const data = { boardMembers: 9, inFavour: 5, decisionNo: '12-QĐ/ĐU', decisionDate: '2025-04-21' };
    const r = refusalOf(() => d.c.validate({ taskId: t.id, outcome: 'approve', data, actor: ACTOR }));
    expect(r.violations).toEqual([expect.objectContaining({ code: 'two_thirds_not_reached', params: expect.objectContaining({ needed: 6, members: 9 }) })]);
    expect(() => d.c.validate({ taskId: t.id, outcome: 'approve', data: { ...data, inFavour: 6 }, actor: ACTOR })).not.toThrow();
  });

  it('escalates a missed decision to the superior standing board', () => {
    const late = new Driver(AUTHORISED);
    late.c.remindersEnabled = true;
    late.toCellResolution();
    late.goTo('2025-08-01');
    late.c.fireDueAlarms();
    expect(late.eventsOf('deadline_missed')[0].data).toMatchObject({ escalatedTo: { orgUnitId: 'sup-1', role: 'superior_board' } });
  });

  it('decides the recognition itself too, again at two thirds, and a removal likewise', () => {
    d.decide('superior_admission_decision', '2025-04-21', { data: { boardMembers: 9, inFavour: 6 } });
    d.decide('admission_ceremony', '2025-05-26');
    d.decide('record_new_member_training', '2025-08-04');
    d.passProbation();
    d.decide('probation_review', '2026-05-26');
    d.decide('cell_recognition_vote', '2026-06-01');
    expect(d.tasksOf('grassroots_recognition_review')).toEqual([]);
    const t = d.open('superior_recognition_decision');
    expect(t).toMatchObject({ orgUnitId: 'gr-1', role: 'grassroots_committee', route: 'authorised_grassroots' });
    d.goTo('2026-06-08');
    const refused = refusalOf(() => d.c.validate({ taskId: t.id, outcome: 'remove', data: { boardMembers: 9, inFavour: 5, decisionNo: '3-QĐ/ĐU', decisionDate: '2026-06-08' }, actor: ACTOR }));
    expect(refused.violations[0].code).toBe('two_thirds_not_reached');
    d.decide('superior_recognition_decision', '2026-06-08', { data: { boardMembers: 9, inFavour: 6 } });
    expect(d.c.summary()).toMatchObject({ status: 'official', officialFrom: '2026-05-26', partyAgeFrom: '2025-04-21' });
  });

});

describe('CandidateCase: re-admission (§2.4, T11, issue 16)', () => {
  const PROVINCE_ROUTING: Routing = { ...ROUTING, provinceId: 'prov-1' };
  const readmission = { leftOn: '2020-02-03', leftHow: 'removed' as const, previouslyReadmitted: false, firstAdmittedOn: '2012-09-02' };
  const toGrassrootsReview = (d: Driver) => {
    d.toCellResolution();
    d.decide('grassroots_admission_review', '2025-04-21');
  };

  it('records the re-admission with the creation and asks the province standing board before the competent committee', () => {
    const d = new Driver(PROVINCE_ROUTING, { readmission });
    expect(d.eventsOf('candidate_created')[0].data.readmission).toEqual(readmission);
    toGrassrootsReview(d);
    const approval = d.open('province_readmission_approval');
    expect(approval).toMatchObject({ orgUnitId: 'prov-1', role: 'superior_board', route: 'province_readmission' });
    expect(d.tasksOf('superior_admission_decision')).toEqual([]);
    // Within the chain's one clock (T3, from the cell resolution of 7 April).
    expect(approval.dueRule).toMatchObject({ anchorDate: '2025-04-07', workingDays: 60 });
    // The written approval needs its number.
    d.goTo('2025-05-05');
    const r = refusalOf(() => d.c.validate({ taskId: approval.id, outcome: 'approve', data: { boardMembers: 15, inFavour: 9, decisionDate: '2025-05-05' }, actor: ACTOR }));
    expect(r.violations[0].code).toBe('decision_number_required');
  });

  it('goes on to the competent committee once approved, and the official member keeps the first membership for party age', () => {
    const d = new Driver(PROVINCE_ROUTING, { readmission });
    toGrassrootsReview(d);
    d.decide('province_readmission_approval', '2025-05-05');
    expect(d.open('superior_admission_decision')).toMatchObject({ orgUnitId: 'sup-1' });
    d.decide('superior_admission_decision', '2025-05-12');
    d.decide('admission_ceremony', '2025-05-26');
    d.decide('record_new_member_training', '2025-08-04');
    // Probation is served again (§2.4): 12 months from the ceremony.
    expect(d.c.probationEndsOn).toBe('2026-05-26');
    d.passProbation();
    d.decide('probation_review', '2026-05-26');
    d.decide('cell_recognition_vote', '2026-06-01');
    d.decide('grassroots_recognition_review', '2026-06-08');
    d.decide('superior_recognition_decision', '2026-06-15');
    expect(d.eventsOf('path_ended')[0].data).toMatchObject({ endState: 'official', partyAgeFrom: '2025-05-12', readmitted: { firstAdmittedOn: '2012-09-02', leftOn: '2020-02-03' } });
  });

  it('ends as not admitted when the province does not approve', () => {
    const d = new Driver(PROVINCE_ROUTING, { readmission });
    toGrassrootsReview(d);
    d.decide('province_readmission_approval', '2025-05-05', { outcome: 'reject', data: { inFavour: 5 } });
    expect(d.c.summary().status).toBe('rejected');
    expect(d.eventsOf('path_ended')[0].data).toMatchObject({ reason: 'province_did_not_approve_readmission' });
  });

  it('asks nothing of the province for a first admission', () => {
    const d = new Driver(PROVINCE_ROUTING);
    toGrassrootsReview(d);
    expect(d.tasksOf('province_readmission_approval')).toEqual([]);
    expect(d.open('superior_admission_decision')).toMatchObject({ orgUnitId: 'sup-1' });
  });
});

describe("CandidateCase: an authorised committee's open decision follows a transfer (§3.2 S9, issue 16)", () => {
  const transfer = (d: Driver, routing: Routing) => d.c.transfer({ requestId: 'r', routing, reason: 'Chuyển nơi công tác', actor: ACTOR } as any);
  const pending = () => {
    const d = new Driver({ ...ROUTING, grassrootsAuthorised: true });
    d.toCellResolution();
    return d;
  };

  it("goes to the new superior's standing board, decided by more than half, where the new committee is not authorised", () => {
    const d = pending();
    const t = d.open('superior_admission_decision');
    transfer(d, { cellId: 'cell-2', grassrootsId: 'gr-2', grassrootsIsCell: false, superiorId: 'sup-2', trainingCentreId: 'tc-1' });
    expect(d.task(t.id)).toMatchObject({ orgUnitId: 'sup-2', role: 'superior_board' });
    expect(d.task(t.id)).not.toHaveProperty('route');
    d.goTo('2025-04-21');
    expect(() => d.c.validate({ taskId: t.id, outcome: 'approve', data: { boardMembers: 9, inFavour: 5, decisionNo: '1-QĐ', decisionDate: '2025-04-21' }, actor: ACTOR })).not.toThrow();
  });

  it('stays a committee decision at two thirds where the new committee is authorised too', () => {
    const d = pending();
    const t = d.open('superior_admission_decision');
    transfer(d, { cellId: 'cell-2', grassrootsId: 'gr-2', grassrootsIsCell: false, grassrootsAuthorised: true, superiorId: 'sup-2', trainingCentreId: 'tc-1' });
    expect(d.task(t.id)).toMatchObject({ orgUnitId: 'gr-2', role: 'grassroots_committee', route: 'authorised_grassroots' });
  });
});

describe("CandidateCase: a probationary member's transfer (§7.7, T9/T10, issue 16)", () => {
  const OTHER: Routing = { cellId: 'cell-2', grassrootsId: 'gr-2', grassrootsIsCell: false, superiorId: 'sup-1', trainingCentreId: 'tc-1' };
  const member = () => {
    const d = new Driver();
    d.c.transferClocksEnabled = true;
    d.c.remindersEnabled = true;
    d.admit(); // ceremony 2025-05-26
    return d;
  };
  const transfer = (d: Driver, effectiveOn?: string) =>
    d.c.transfer({ requestId: 'r', routing: OTHER, reason: 'Chuyển công tác về trường khác', effectiveOn, actor: { ...ACTOR, role: 'grassroots_committee' } } as any);

  it('records a transfer initiated within 60 working days of the change (2 June 2025 → 25 August 2025) as on time', () => {
    const d = member();
    d.goTo('2025-08-20');
    transfer(d, '2025-06-02');
    expect(d.eventsOf('candidate_transferred')[0].data.initiation).toMatchObject({ dueDate: '2025-08-25', late: false });
  });

  it('records one initiated after it as late, and still moves the member', () => {
    const d = member();
    d.goTo('2025-08-26');
    transfer(d, '2025-06-02');
    expect(d.eventsOf('candidate_transferred')[0].data.initiation).toMatchObject({ dueDate: '2025-08-25', late: true });
    expect(d.c.routing.cellId).toBe('cell-2');
  });

  it("opens the destination cell's receipt of the letter, due 30 working days from the introduction (20 August → 3 October 2025, 1–2 September being holidays)", () => {
    const d = member();
    d.goTo('2025-08-20');
    transfer(d, '2025-06-02');
    const receipt = d.open('receive_transfer');
    expect(receipt).toMatchObject({ orgUnitId: 'cell-2', role: 'cell_secretary', dueDate: '2025-10-03', notBefore: '2025-08-20' });
    expect(d.c.summary().stage).toBe('probation');
    // Past the limit the reasons are required (new requests), then recorded.
    d.goTo('2025-10-06');
    const r = refusalOf(() => d.c.validate({ taskId: receipt.id, outcome: 'received', data: { presentedOn: '2025-10-06' }, actor: ACTOR }));
    expect(r.violations[0]).toMatchObject({ code: 'transfer_late_reason_required', params: { dueDate: '2025-10-03' } });
    d.decide('receive_transfer', '2025-10-06', { data: { lateReason: 'Ốm phải điều trị dài ngày' } });
    expect(d.task(receipt.id).status).toBe('done');
  });

  it('escalates a letter never presented to the new grassroots committee', () => {
    const d = member();
    d.goTo('2025-08-20');
    transfer(d);
    d.goTo('2025-10-10');
    d.c.fireDueAlarms();
    expect(d.eventsOf('deadline_missed').map((e) => e.data)).toContainEqual(expect.objectContaining({ taskType: 'receive_transfer', escalatedTo: { orgUnitId: 'gr-2', role: 'grassroots_committee' } }));
  });

  it('leaves transfers before admission, and cases started before the patch, as they were', () => {
    const before = new Driver();
    before.c.transferClocksEnabled = true;
    before.decide('recognize_sympathiser', '2025-01-06');
    transfer(before);
    expect(before.eventsOf('candidate_transferred')[0].data).not.toHaveProperty('initiation');
    expect(before.tasksOf('receive_transfer')).toEqual([]);
    const unpatched = new Driver();
    unpatched.admit();
    transfer(unpatched);
    expect(unpatched.tasksOf('receive_transfer')).toEqual([]);
  });
});
