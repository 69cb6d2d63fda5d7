/**
 * The candidate's case as a deterministic state machine: no Temporal, no I/O. The workflow feeds it
 * decisions and timer firings; it records events and keeps the tasks. Unit-testable on its own.
 */
import { addWorkingDays, BUILT_IN_YEAR_DATA, buildCalendar, DEFAULT_CALENDAR, type HolidayCalendar } from '../../libs/domain/src/calendar/index.js';
import type { CalendarYearData } from '../../libs/domain/src/calendar/types.js';
import { businessNowMs } from '../../libs/domain/src/clock.js';
import { DEADLINE_CLOCKS, type DeadlineClock } from '../../libs/domain/src/deadlines.js';
import { addDays, addMonths, maxDate, vnDateOf, vnEndOfDayIso, vnStartOfDayMs, type IsoDate } from '../../libs/domain/src/dates.js';
import { isOverMaximumAge, validateDecision, type AcceptedDecision, type DecisionContext, type Violation } from '../../libs/domain/src/decisions.js';
import { renderMessage } from '../../libs/domain/src/messages.js';
import { DEFAULT_REMINDER_POLICY, escalationTarget, reminderPoints, spreadOffsetMs, type ReminderPoint } from '../../libs/domain/src/reminders.js';
import { isEndStage, roleFor, STEPS, unitFor, type CandidateStatus, type EndStage, type Role, type Routing, type Stage, type TaskType } from '../../libs/domain/src/procedure.js';
import { ruleSetFor, type RuleSet } from '../../libs/domain/src/rule-sets.js';
import type {
  Actor,
  CandidateSummary,
  CandidateWorkflowInput,
  CaseEvent,
  CaseEventType,
  CaseState,
  CompleteTaskRequest,
  DueRule,
  ExtendDeadlineRequest,
  ImportedCase,
  NotificationRequest,
  ProjectionBatch,
  TaskSnapshot,
  TransferRequest,
  WithdrawRequest,
} from './candidate.messages.js';
import type { ReorganisationRequest } from './candidate.messages.js';
import type { UpdateFactsRequest } from './candidate.messages.js';
import { applyFactChanges, factChanges, factsInForce, type FactsInForce } from '../../libs/domain/src/candidate-facts.js';
import { routingChanges, sameRouting, ROUTING_KEYS } from '../../libs/domain/src/reorganisation.js';
import { formsToRedoWhenStale } from '../../libs/domain/src/dossier-forms.js';

/** A decision the rules refuse; the workflow turns it into an ApplicationFailure. */
export class CaseRefusal extends Error {
  constructor(readonly violations: Violation[]) {
    super(violations.map((v) => renderMessage(v.code, v.params, 'vi')).join('; '));
    this.name = 'CaseRefusal';
  }
  get code(): string {
    return this.violations[0]?.code ?? 'invalid_field';
  }
}

/** A refused imported step: which one (its index in `ImportedCase.steps`), with the rules' violations. */
export class ImportRefusal extends CaseRefusal {
  constructor(
    violations: Violation[],
    readonly step: TaskType | undefined,
    readonly index: number,
  ) {
    super(violations);
    this.name = 'ImportRefusal';
  }
}

type CaseAlarmKind = 'certificate_expiring' | 'certificate_expired' | 'dossier_stale';
interface CaseAlarm {
  key: string;
  kind: CaseAlarmKind;
  date: IsoDate;
  atMs: number;
}

/** Warn the cell this many months before the party-awareness certificate lapses (T1). */
export const CERTIFICATE_WARNING_MONTHS = 3;

/** Which clocks an authorised extension may move once, and by how much at most: as `GET /procedure` says. */
const EXTENDABLE: Partial<Record<DeadlineClock, (r: RuleSet) => number>> = Object.fromEntries(
  Object.entries(DEADLINE_CLOCKS).flatMap(([clock, c]) => (c.extensionMax ? [[clock, c.extensionMax]] : [])),
);

/** The statutory clocks (names recorded in due rules), shared with the API's description of the procedure. */
const CLOCKS = DEADLINE_CLOCKS;

export class CandidateCase {
  stage: Stage = 'source_review';
  status: CandidateStatus = 'active';
  private seq = 0;
  private taskCounter = 0;
  readonly events: CaseEvent[] = [];
  private readonly tasks = new Map<string, TaskSnapshot>();
  private pendingEvents: CaseEvent[] = [];
  private readonly dirtyTasks = new Set<string>();
  private endedReason?: Record<string, unknown>;
  /** Set by a transfer: the units the candidate belongs to now. */
  private transferredRouting?: Routing;
  /** Set by a change of the candidate's facts (issue 16): the facts in force for every later decision. */
  private changedFacts?: FactsInForce;

  // Facts gathered along the path.
  private lastChainDate?: IsoDate;
  private trainingCertificate?: { certificateNo: string; issuedOn: IsoDate };
  private newMemberCertificate?: { certificateNo: string; issuedOn: IsoDate };
  private dossierPreparedOn?: IsoDate;
  /** The organisations' resolutions the last recorded introductions carried (4-KNĐ, 4A-KNĐ): what T2 asks to redo. */
  private introductionResolutions?: { youthUnionResolution?: unknown; tradeUnionResolution?: unknown };
  private cellAdmissionResolutionDate?: IsoDate;
  /** A re-admission the province standing board has approved in writing (§2.4). */
  private readmissionApproved = false;
  private cellRecognitionResolutionDate?: IsoDate;
  private partyAgeFrom?: IsoDate;
  private ceremonyDate?: IsoDate;
  probationEndsOn?: IsoDate;
  private officialFrom?: IsoDate;
  private probationEnded = false;
  private inconclusiveRecognitionVotes = 0;
  /** Over 60 at the cell meeting: the admission is decided by the province-level committee (§2.2). */
  private admissionByProvince = false;
  /** Reminder points still to fire, per open task with a due date (only when reminders are enabled). */
  private readonly alarms = new Map<string, ReminderPoint[]>();
  private pendingNotifications: NotificationRequest[] = [];
  /** Working days added to a clock by an authorised extension (each clock moves once). */
  private readonly extensions = new Map<DeadlineClock, number>();
  /** Set by the workflow for cases started after reminders were introduced (patched). */
  remindersEnabled = false;
  /** Set by the workflow for cases started after the certificate and dossier clocks were introduced (patched). */
  derivedClocksEnabled = false;
  /**
   * Set by the workflow for cases started after issue 16 (patched): T6 runs on the probation review too, and
   * three failed recognition votes are reported to the direct superior and the competent committee.
   */
  clocksRoutesEnabled = false;
  /**
   * Set by the workflow for cases started after the introduction routes (patch `introduction-routes-v1`): the
   * introductions of an imported case are checked with them. Live decisions always are (validator only).
   */
  introductionRoutesEnabled = false;
  /**
   * Set by the workflow for cases imported after patch `imported-recognition-v1`: an imported case whose 12 months
   * of probation have ended starts past them (`probation_ended` on its real date, the review open on T6), so its
   * probation review and recognition steps can be imported too.
   */
  importedRecognitionEnabled = false;
  /**
   * Set by the workflow for cases started after patch `transfer-clocks-v1`: a probationary member's transfer is
   * checked against T9 (recorded as late or not) and opens the destination's receipt of the letter on T10 (§7.7).
   */
  transferClocksEnabled = false;
  /** Patch reminder-spread-v1: the 08:00 reminders at this case's offset in `input.reminderSpreadSeconds`. */
  reminderSpreadEnabled = false;
  /** True while an imported case's past decisions are applied at start. */
  private applyingImport = false;
  /** Derived clocks of the case itself (certificate validity, dossier freshness) until the cell admits. */
  private caseAlarms: CaseAlarm[] = [];
  /** A lapsed certificate is being renewed while the case stays where it is. */
  private retakingCertificate = false;

  private calendar: HolidayCalendar;

  constructor(
    private readonly input: CandidateWorkflowInput,
    private readonly nowMs: () => number,
  ) {
    // Cases without administrator overrides share the built-in calendar instead of building their own.
    this.calendar = input.calendar?.length ? buildCalendar([...BUILT_IN_YEAR_DATA, ...input.calendar]) : DEFAULT_CALENDAR;
  }

  /** Sequence number of the last event: changes whenever anything happens. */
  get version(): number {
    return this.seq;
  }

  get ended(): boolean {
    return isEndStage(this.stage);
  }

  /** True while the case waits for the end of the 12 months of probation. */
  get awaitingProbationEnd(): boolean {
    return !this.ended && this.probationEndsOn !== undefined && !this.probationEnded;
  }

  businessToday(): IsoDate {
    return vnDateOf(businessNowMs(this.input.clock, this.nowMs()));
  }

  start(): void {
    const { candidateId, fullName, source, routing, createdBy, readmission } = this.input;
    this.record('candidate_created', { candidateId, fullName, source, routing, ...(readmission ? { readmission } : {}) }, { actor: createdBy, businessDate: source.introducedOn });
    this.lastChainDate = source.introducedOn;
    this.openTask('recognize_sympathiser');
    if (this.input.imported) {
      this.applyingImport = true;
      try {
        this.applyImportedPast(this.input.imported);
      } finally {
        this.applyingImport = false;
      }
    }
  }

  /**
   * A case already under way, imported from a file (issue 16): its past decisions are applied in order through
   * the same validator and transitions as live ones (`validate`: thresholds, age, certificate, introducers,
   * dates not in the future nor before the previous step, a late ceremony…), each recorded as an
   * imported `decision_recorded` (actor: the importer; `imported`: file, hash, row). Clocks count from the real
   * past dates, so a limit already passed is overdue at once. A refusal stops the start (`ImportRefusal`).
   */
  private applyImportedPast(imp: ImportedCase): void {
    const source = { fileName: imp.source.fileName, sha256: imp.source.sha256, row: imp.source.row, ...(imp.source.jobId ? { jobId: imp.source.jobId } : {}) };
    this.record('case_imported', { source, stage: imp.stage, steps: imp.steps.map((s) => s.taskType) }, { actor: imp.importedBy, businessDate: this.businessToday() });
    const cellVote = imp.steps.find((s) => s.taskType === 'cell_admission_vote')?.data.meetingDate as IsoDate | undefined;
    imp.steps.forEach((step, index) => {
      if (this.importedRecognitionEnabled && step.taskType === 'probation_review') this.endImportedProbation();
      const task = [...this.tasks.values()].find((t) => t.status === 'open' && t.type === step.taskType && !t.escalatedTaskId);
      if (!task) throw new ImportRefusal([{ code: 'import_step_out_of_order', params: { step: step.taskType } }], step.taskType, index);
      let decision: AcceptedDecision;
      if (task.type === 'record_training_certificate' && cellVote) {
        // A certificate the cell already considered counts as it stood on the cell's meeting date, not today
        // (the live rule: valid when recorded, and the cell vote checks it again on its date).
        const result = validateDecision({ taskType: task.type, outcome: step.outcome, data: step.data }, { ...this.contextFor(task), today: cellVote });
        if (!result.ok) throw new ImportRefusal(result.violations, step.taskType, index);
        decision = result.decision;
      } else {
        // Exactly the validator of a live decision on this task.
        try {
          decision = this.validate({ taskId: task.id, outcome: step.outcome, data: step.data, actor: imp.importedBy });
        } catch (e) {
          if (e instanceof CaseRefusal) throw new ImportRefusal(e.violations, step.taskType, index);
          throw e;
        }
      }
      const ev = this.record(
        'decision_recorded',
        { taskId: task.id, taskType: task.type, outcome: decision.outcome, decision: decision.data, attempt: task.attempt, imported: source },
        { actor: imp.importedBy, businessDate: decision.businessDate, ruleSetId: decision.ruleSetId },
      );
      Object.assign(task, { status: 'done', closedAt: ev.at, outcome: decision.outcome, decidedBy: imp.importedBy, version: ev.seq });
      this.dirtyTasks.add(task.id);
      this.closed(task);
      this.transition(task, decision);
    });
    if (this.importedRecognitionEnabled) this.endImportedProbation();
    if (this.stage !== imp.stage) throw new ImportRefusal([{ code: 'import_stage_mismatch', params: { stage: this.stage, expected: imp.stage } }], imp.steps[imp.steps.length - 1]?.taskType, imp.steps.length);
  }

  // ---------------------------------------------------------------- decisions

  private openTaskOrRefuse(taskId: string): TaskSnapshot {
    if (this.ended) throw new CaseRefusal([{ code: 'candidate_ended', params: { stage: this.stage } }]);
    const task = this.tasks.get(taskId);
    if (!task) throw new CaseRefusal([{ code: 'task_not_found' }]);
    if (task.status !== 'open') throw new CaseRefusal([{ code: 'task_not_open' }]);
    return task;
  }

  private contextFor(task: TaskSnapshot, recheck = false): DecisionContext {
    return {
      recheck,
      // An import recorded before patch introduction-routes-v1 replays its introductions as they were checked.
      introductionsAsBefore: this.applyingImport && !this.introductionRoutesEnabled,
      provinceCommittee: this.routing.provinceId !== undefined,
      route: task.route,
      today: this.businessToday(),
      notBefore: task.notBefore,
      candidate: this.facts,
      trainingCertificate: this.trainingCertificate,
      newMemberCertificate: this.newMemberCertificate,
      dossierPreparedOn: this.dossierPreparedOn,
      probationEndsOn: this.probationEndsOn,
    };
  }

  /** Throws CaseRefusal when the decision cannot be applied; returns the decision it would record. */
  validate(req: CompleteTaskRequest): AcceptedDecision {
    return this.check(req, false);
  }

  /**
   * `recheck`: the handler applying a decision its validator accepted, or replaying a recorded one. Rules for
   * new requests only (added after cases were recorded; they only refuse) are skipped then, so stored
   * histories replay: Temporal does not run validators on replay.
   */
  private check(req: CompleteTaskRequest, recheck: boolean): AcceptedDecision {
    const task = this.openTaskOrRefuse(req.taskId);
    const result = validateDecision({ taskType: task.type, outcome: req.outcome, data: req.data }, this.contextFor(task, recheck));
    if (!result.ok) throw new CaseRefusal(result.violations);
    if (!recheck && task.type === 'receive_transfer') {
      // Past T10 the member reports the reasons (§7.7): recorded with the receipt.
      const data = result.decision.data as { presentedOn: IsoDate; lateReason?: string };
      if (task.dueDate && data.presentedOn > task.dueDate && !data.lateReason) {
        throw new CaseRefusal([{ code: 'transfer_late_reason_required', field: 'lateReason', params: { presentedOn: data.presentedOn, dueDate: task.dueDate } }]);
      }
    }
    if (!recheck && task.type === 'admission_ceremony') {
      // T4: after 30 working days from receiving the decision, only with the agreement of the direct superior
      // committee, recorded as the clock's one extension (§3.3, §6).
      const ceremonyDate = (result.decision.data as { ceremonyDate: IsoDate }).ceremonyDate;
      if (task.dueDate && ceremonyDate > task.dueDate && !this.extensions.has('T4')) {
        const { orgUnitId, role } = this.directSuperior();
        throw new CaseRefusal([{ code: 'ceremony_late_without_consent', field: 'ceremonyDate', params: { ceremonyDate, dueDate: task.dueDate, role, orgUnitId } }]);
      }
    }
    return result.decision;
  }

  /** The cell's direct superior committee: the grassroots committee, or the superior for a grassroots cell. */
  private directSuperior(): { orgUnitId: string; role: Role } {
    return escalationTarget('cell', this.routing);
  }

  apply(req: CompleteTaskRequest): void {
    const decision = this.check(req, true);
    const task = this.tasks.get(req.taskId)!;
    const ev = this.record(
      'decision_recorded',
      { taskId: task.id, taskType: task.type, outcome: decision.outcome, decision: decision.data, note: req.note, attempt: task.attempt },
      { actor: req.actor, businessDate: decision.businessDate, ruleSetId: decision.ruleSetId },
    );
    Object.assign(task, { status: 'done', closedAt: ev.at, outcome: decision.outcome, decidedBy: req.actor, version: ev.seq });
    this.dirtyTasks.add(task.id);
    this.closed(task);
    this.transition(task, decision);
  }

  private transition(task: TaskSnapshot, d: AcceptedDecision): void {
    const data = d.data as Record<string, any>;
    const date = d.businessDate;
    // Side steps do not date the chain (their dates bound nothing after them).
    if (task.type !== 'record_new_member_training' && task.type !== 'overdue_escalation' && task.type !== 'receive_transfer') this.lastChainDate = maxDate(this.lastChainDate, date);
    const reject = (reason: string) => this.end('rejected', { step: task.type, reason, outcome: d.outcome }, date);

    switch (task.type) {
      case 'overdue_escalation':
      case 'receive_transfer':
        return;
      case 'recognize_sympathiser':
        if (d.outcome === 'reject') return reject('cell_did_not_list_sympathiser');
        // A certificate from an earlier class counts while valid (60 months), so no lower date bound here.
        return this.openTask('record_training_certificate', { unbounded: true });
      case 'record_training_certificate':
        if (d.outcome === 'fail') return this.openTask('record_training_certificate', { attempt: task.attempt + 1, unbounded: true, keepStage: this.retakingCertificate });
        this.trainingCertificate = { certificateNo: data.certificateNo, issuedOn: data.issuedOn };
        this.armCertificateClock();
        if (this.retakingCertificate) {
          this.retakingCertificate = false;
          return;
        }
        return this.openTask('submit_application');
      case 'submit_application':
        return this.openTask('verify_background');
      case 'verify_background':
        if (data.conclusion === 'does_not_meet') {
          // §5.5: relatives' past, an outstanding record, their acts condemned — the province standing board may
          // approve in writing. Only decisions that ask for it (issue 16; none recorded before) take this branch.
          if (data.provinceException) return this.openProvinceException();
          return reject('political_standards_not_met');
        }
        return this.openTask('record_introductions');
      case 'province_political_exception':
        if (d.outcome === 'reject') return reject('province_did_not_approve_exception');
        return this.openTask('record_introductions');
      case 'province_readmission_approval':
        if (d.outcome === 'reject') return reject('province_did_not_approve_readmission');
        this.readmissionApproved = true;
        return this.openSuperiorAdmissionDecision();
      case 'record_introductions':
        this.dossierPreparedOn = data.compiledOn;
        this.introductionResolutions = { youthUnionResolution: data.youthUnionResolution, tradeUnionResolution: data.tradeUnionResolution };
        this.armDossierClock();
        return this.openTask('cell_admission_vote');
      case 'cell_admission_vote':
        if (d.outcome === 'reject') return reject('cell_vote_below_two_thirds');
        this.cellAdmissionResolutionDate = data.meetingDate;
        this.caseAlarms = []; // the cell has considered the candidate: T1 and T2 no longer run
        this.admissionByProvince = this.routing.provinceId !== undefined && isOverMaximumAge(this.input.facts.dateOfBirth, data.meetingDate, ruleSetFor(data.meetingDate));
        if (this.routing.grassrootsIsCell) return this.openSuperiorAdmissionDecision();
        // A partial committee appraises first (S7, 7-KNĐ), within the chain's one clock (T3).
        if (this.routing.partialCommitteeId) return this.openTask('partial_admission_appraisal', { due: this.deadline('T3', data.meetingDate) });
        return this.openGrassrootsAdmission();
      case 'partial_admission_appraisal':
        return this.openGrassrootsAdmission();
      case 'grassroots_admission_review':
        if (d.outcome === 'reject') return reject('grassroots_committee_did_not_approve');
        return this.openSuperiorAdmissionDecision();
      case 'superior_admission_decision':
        if (d.outcome === 'reject') return reject('superior_did_not_admit');
        this.partyAgeFrom = data.decisionDate;
        // T4 runs from the day the cell receives the decision (§3.3); party age from its signature (§7.6).
        return this.openTask('admission_ceremony', { notBefore: data.receivedOn, due: this.deadline('T4', data.receivedOn ?? data.decisionDate) });
      case 'admission_ceremony': {
        this.ceremonyDate = data.ceremonyDate;
        const rules = ruleSetFor(data.ceremonyDate);
        this.probationEndsOn = addMonths(data.ceremonyDate, rules.probationMonths);
        this.setStage('probation');
        this.record('probation_started', { startsOn: data.ceremonyDate, endsOn: this.probationEndsOn, months: rules.probationMonths }, { businessDate: data.ceremonyDate, ruleSetId: rules.id });
        return this.openTask('record_new_member_training', {
          keepStage: true,
          notBefore: data.ceremonyDate,
          due: { dueDate: this.probationEndsOn, dueRule: undefined },
        });
      }
      case 'record_new_member_training':
        if (d.outcome === 'fail') return this.openTask('record_new_member_training', { attempt: task.attempt + 1, keepStage: true, notBefore: this.ceremonyDate });
        this.newMemberCertificate = { certificateNo: data.certificateNo, issuedOn: data.issuedOn };
        return;
      case 'probation_review':
        return this.openTask('cell_recognition_vote', {
          notBefore: this.probationEndsOn,
          due: this.deadline('T6', this.probationEndsOn!),
        });
      case 'cell_recognition_vote':
        if (d.outcome === 'inconclusive') {
          this.inconclusiveRecognitionVotes += 1;
          const limit = ruleSetFor(date).inconclusiveRecognitionVotesBeforeEscalation;
          if (this.inconclusiveRecognitionVotes >= limit) {
            this.cellRecognitionResolutionDate = data.meetingDate;
            if (this.clocksRoutesEnabled) this.reportFailedRecognitionVotes(task, date, d.ruleSetId);
            else this.record('recognition_escalated', { votes: this.inconclusiveRecognitionVotes, to: this.routing.superiorId }, { businessDate: date, ruleSetId: d.ruleSetId });
            return this.openTask('superior_recognition_decision', { due: this.deadline('T7', data.meetingDate), escalated: true, unit: this.authorisedUnit() });
          }
          return this.openTask('cell_recognition_vote', { attempt: task.attempt + 1, notBefore: data.meetingDate, due: { dueDate: task.dueDate, dueAt: task.dueAt, dueRule: task.dueRule } });
        }
        this.cellRecognitionResolutionDate = data.meetingDate;
        if (this.routing.grassrootsIsCell) return this.openTask('superior_recognition_decision', { due: this.deadline('T7', data.meetingDate) });
        if (this.routing.partialCommitteeId) return this.openTask('partial_recognition_appraisal', { due: this.deadline('T7', data.meetingDate) });
        return this.openGrassrootsRecognition();
      case 'partial_recognition_appraisal':
        return this.openGrassrootsRecognition();
      case 'grassroots_recognition_review':
        // Inconclusive (neither side two thirds): reported up all the same; the competent committee decides.
        return this.openTask('superior_recognition_decision', { due: this.deadline('T7', this.cellRecognitionResolutionDate!), escalated: d.outcome === 'inconclusive' || undefined });
      case 'superior_recognition_decision':
        if (d.outcome === 'inconclusive') {
          // No majority either way: no decision is issued; the board votes again, on the same clock.
          return this.openTask('superior_recognition_decision', {
            attempt: task.attempt + 1,
            notBefore: date,
            due: { dueDate: task.dueDate, dueAt: task.dueAt, dueRule: task.dueRule },
            unit: task.route ? { orgUnitId: task.orgUnitId, role: task.role, route: task.route } : undefined,
          });
        }
        if (d.outcome === 'remove') return this.end('removed', { step: task.type, reason: 'removed_from_probationary_list', decisionNo: data.decisionNo }, date);
        // Official status takes effect at the end of the 12th month, however late the decision.
        this.officialFrom = this.probationEndsOn;
        // A re-admitted member's party age also counts the first membership, up to the day they left (§7.6).
        const readmitted = this.input.readmission && { firstAdmittedOn: this.input.readmission.firstAdmittedOn, leftOn: this.input.readmission.leftOn };
        return this.end('official', { step: task.type, officialFrom: this.officialFrom, partyAgeFrom: this.partyAgeFrom, decisionNo: data.decisionNo, ...(readmitted ? { readmitted } : {}) }, date);
    }
  }

  /**
   * T8: after three votes without two thirds either way the cell reports to the direct superior and the
   * competent committee, which decide (§3.3). Both are told; the competent committee gets the decision.
   */
  private reportFailedRecognitionVotes(task: TaskSnapshot, date: IsoDate, ruleSetId: string): void {
    const direct = this.directSuperior();
    const competent = this.authorisedUnit() ?? { orgUnitId: this.routing.superiorId, role: 'superior_board' as Role };
    const told = [{ orgUnitId: direct.orgUnitId, role: direct.role }];
    if (competent.orgUnitId !== direct.orgUnitId) told.push(competent);
    this.record('recognition_escalated', { votes: this.inconclusiveRecognitionVotes, to: this.routing.superiorId, notified: told }, { businessDate: date, ruleSetId });
    for (const t of told) {
      this.pendingNotifications.push({
        candidateId: this.input.candidateId,
        candidateName: this.input.fullName,
        taskId: task.id,
        taskType: task.type,
        kind: 'escalation',
        key: `recognition-votes:${this.inconclusiveRecognitionVotes}:escalation`,
        orgUnitId: t.orgUnitId,
        role: t.role,
        businessDate: date,
      });
    }
  }

  /**
   * A `does_not_meet` conclusion with the exception requested (§5.5): the province standing board decides in
   * writing, in its own inbox; the case stays in verification meanwhile.
   */
  private openProvinceException(): void {
    this.openTask('province_political_exception', { unit: { orgUnitId: this.routing.provinceId!, role: 'superior_board', route: 'province_political_exception' } });
  }

  /**
   * The admitting decision: the superior standing board, the grassroots committee itself where it is authorised
   * to admit, or the province's standing board for a candidate over 60 (§2.2, §3.2 S9).
   */
  private openSuperiorAdmissionDecision(): void {
    const due = this.deadline('T3', this.cellAdmissionResolutionDate!);
    // A re-admission: the province standing board's written approval first (§2.4), within the chain's clock.
    if (this.input.readmission && !this.readmissionApproved) {
      return this.openTask('province_readmission_approval', { due, unit: { orgUnitId: this.routing.provinceId!, role: 'superior_board', route: 'province_readmission' } });
    }
    if (this.admissionByProvince) {
      return this.openTask('superior_admission_decision', { due, unit: { orgUnitId: this.routing.provinceId!, role: 'superior_board', route: 'province_over_60' } });
    }
    this.openTask('superior_admission_decision', { due, unit: this.authorisedUnit() });
  }

  /**
   * The grassroots step above the cell (and its partial committee): a review proposing admission (8-KNĐ) to the
   * superior, or — for a committee authorised to admit — its own decision, in one meeting (S8).
   */
  private openGrassrootsAdmission(): void {
    if (this.routing.grassrootsAuthorised && !this.admissionByProvince) return this.openSuperiorAdmissionDecision();
    this.openTask('grassroots_admission_review', { due: this.deadline('T3', this.cellAdmissionResolutionDate!) });
  }

  /** The same for recognition: the grassroots review (15-KNĐ), or the authorised committee's own decision. */
  private openGrassrootsRecognition(): void {
    const due = this.deadline('T7', this.cellRecognitionResolutionDate!);
    if (this.routing.grassrootsAuthorised) return this.openTask('superior_recognition_decision', { due, unit: this.authorisedUnit() });
    this.openTask('grassroots_recognition_review', { due });
  }

  /** Where a grassroots committee authorised to admit decides in place of the superior board; undefined otherwise. */
  private authorisedUnit(routing: Routing = this.routing): { orgUnitId: string; role: Role; route: string } | undefined {
    if (!routing.grassrootsAuthorised || routing.grassrootsIsCell) return undefined;
    return { orgUnitId: routing.grassrootsId, role: 'grassroots_committee', route: 'authorised_grassroots' };
  }

  /** An imported case whose 12 months ended by today: they end now, on their real date, as the timer would. */
  private endImportedProbation(): void {
    if (this.awaitingProbationEnd && this.probationEndsOn! <= this.businessToday()) this.endProbation();
  }

  /** The 12 months of probation are over: the probation review opens (on the T6 clock, from issue 16). */
  endProbation(): void {
    if (this.ended || this.probationEnded || !this.probationEndsOn) return;
    this.probationEnded = true;
    this.record('probation_ended', { endsOn: this.probationEndsOn }, { businessDate: this.probationEndsOn });
    this.openTask('probation_review', { notBefore: this.probationEndsOn, due: this.clocksRoutesEnabled ? this.deadline('T6', this.probationEndsOn) : undefined });
  }

  validateWithdraw(req: WithdrawRequest): void {
    if (this.ended) throw new CaseRefusal([{ code: 'candidate_ended', params: { stage: this.stage } }]);
    if (!req.reason || !req.reason.trim()) throw new CaseRefusal([{ code: 'missing_field', field: 'reason', params: { field: 'reason' } }]);
  }

  withdraw(req: WithdrawRequest): void {
    this.validateWithdraw(req);
    const today = this.businessToday();
    this.record('candidate_withdrawn', { reason: req.reason, stage: this.stage }, { actor: req.actor, businessDate: today });
    this.end('withdrawn', { step: this.stage, reason: req.reason }, today);
  }

  validateTransfer(req: TransferRequest): void {
    if (this.ended) throw new CaseRefusal([{ code: 'candidate_ended', params: { stage: this.stage } }]);
    if (!req.reason || !req.reason.trim()) throw new CaseRefusal([{ code: 'missing_field', field: 'reason', params: { field: 'reason' } }]);
    if (req.routing.cellId === this.routing.cellId) throw new CaseRefusal([{ code: 'transfer_same_cell', field: 'toCellId' }]);
    const today = this.businessToday();
    if (req.effectiveOn && req.effectiveOn > today) {
      throw new CaseRefusal([{ code: 'date_in_future', field: 'effectiveOn', params: { field: 'effectiveOn', date: req.effectiveOn, today } }]);
    }
  }

  /**
   * The candidate moves to another cell: each open step that belonged to the old cell's units moves to the
   * same slot in the new ones (cell, grassroots, superior, training centre), keeping its clock; follow-up
   * items at a higher level stay where they are. The new cell runs the rest of the path (§7.7 default).
   */
  transfer(req: TransferRequest): void {
    this.validateTransfer(req);
    const from = this.routing;
    const moved: { taskId: string; taskType: TaskType; fromOrgUnitId: string; orgUnitId: string; role: Role; route?: string }[] = [];
    for (const t of this.tasks.values()) {
      if (t.status !== 'open' || t.escalatedTaskId) continue;
      if (t.route === 'authorised_grassroots') {
        // An authorised committee's decision: the new grassroots committee's if it is authorised too, else the
        // new superior board's (§3.2 S9).
        const to = this.authorisedUnit(req.routing) ?? { orgUnitId: req.routing.superiorId, role: 'superior_board' as Role, route: undefined };
        moved.push({ taskId: t.id, taskType: t.type, fromOrgUnitId: t.orgUnitId, orgUnitId: to.orgUnitId, role: to.role, route: to.route });
        continue;
      }
      const slot = STEPS[t.type].slot;
      if (t.orgUnitId !== unitFor(from, slot)) continue;
      moved.push({ taskId: t.id, taskType: t.type, fromOrgUnitId: t.orgUnitId, orgUnitId: unitFor(req.routing, slot), role: roleFor(t.type, req.routing) });
    }
    // A probationary member's party transfer (§7.7): initiated within T9 of the change taking effect.
    const today = this.businessToday();
    const member = this.transferClocksEnabled && this.ceremonyDate !== undefined;
    const t9 = member ? this.deadline('T9', req.effectiveOn ?? today) : undefined;
    const ev = this.record(
      'candidate_transferred',
      {
        fromCellId: from.cellId,
        toCellId: req.routing.cellId,
        from,
        to: req.routing,
        reason: req.reason,
        effectiveOn: req.effectiveOn,
        tasks: moved,
        ...(t9 ? { initiation: { dueDate: t9.dueDate, late: today > t9.dueDate, dueRule: t9.dueRule } } : {}),
      },
      { actor: req.actor, businessDate: today },
    );
    this.transferredRouting = req.routing;
    for (const m of moved) {
      const task = this.tasks.get(m.taskId)!;
      Object.assign(task, { orgUnitId: m.orgUnitId, role: m.role, version: ev.seq });
      if (task.route === 'authorised_grassroots' && m.route === undefined) delete task.route;
      this.dirtyTasks.add(m.taskId);
    }
    if (!member) return;
    // The letter of an earlier transfer not yet presented is superseded by this one.
    for (const t of this.tasks.values()) {
      if (t.status !== 'open' || t.type !== 'receive_transfer') continue;
      const cancelled = this.record('task_cancelled', { taskId: t.id, taskType: t.type, because: 'transferred_again' }, { businessDate: today });
      Object.assign(t, { status: 'cancelled', closedAt: cancelled.at, version: cancelled.seq });
      this.dirtyTasks.add(t.id);
      this.closed(t);
    }
    // T10: the destination cell records the letter, due 30 working days from the introduction (this transfer).
    this.openTask('receive_transfer', { keepStage: true, notBefore: today, due: this.deadline('T10', today) });
  }

  /** The candidate's facts in force: as started, or as last changed (issue 16). */
  get facts(): DecisionContext['candidate'] {
    if (!this.changedFacts) return this.input.facts;
    const { education, youthUnionMember, hardshipArea } = this.changedFacts;
    return { ...this.input.facts, education, youthUnionMember, hardshipArea };
  }

  private factsInForce(): FactsInForce {
    return this.changedFacts ?? factsInForce(this.input.facts, this.input.profile?.placeId);
  }

  /** Refuses a change of facts that cannot be applied (the validator and the handler both run it). */
  validateFactsUpdate(req: UpdateFactsRequest): ReturnType<typeof factChanges> & { ok: true } {
    if (this.ended) throw new CaseRefusal([{ code: 'candidate_ended', params: { stage: this.stage } }]);
    const r = factChanges(this.factsInForce(), req.changes, { today: this.businessToday(), effectiveOn: req.effectiveOn, reason: req.reason });
    if (!r.ok) throw new CaseRefusal(r.violations);
    return r;
  }

  /**
   * The candidate's facts changed (issue 16): recorded with who, when, and each field from → to; every later
   * decision is checked against the facts in force (the education and Youth Union rules at the cell vote and
   * the introductions). A new update only: no command of an old history changes.
   */
  updateFacts(req: UpdateFactsRequest): void {
    const { changes } = this.validateFactsUpdate(req);
    const today = this.businessToday();
    this.record(
      'candidate_facts_changed',
      { changes, reason: req.reason.trim(), effectiveOn: req.effectiveOn ?? today, stage: this.stage },
      { actor: req.actor, businessDate: req.effectiveOn ?? today },
    );
    this.changedFacts = applyFactChanges(this.factsInForce(), changes);
  }

  /** Where the candidate is now: the starting units, or those of the last transfer. */
  get routing(): Routing {
    return this.transferredRouting ?? this.input.routing;
  }

  validateReorganisation(req: ReorganisationRequest): void {
    if (this.ended) throw new CaseRefusal([{ code: 'candidate_ended', params: { stage: this.stage } }]);
    if (!req.reorganisationId) throw new CaseRefusal([{ code: 'missing_field', field: 'reorganisationId', params: { field: 'reorganisationId' } }]);
    if (sameRouting(req.routing, this.routing)) throw new CaseRefusal([{ code: 'org_restructure_no_change' }]);
  }

  /**
   * The org tree was reorganised (issue 16): the case's units are now `req.routing`. Every open item at an old
   * unit moves to the unit that replaces it — a step in its slot as a transfer does, an overdue item to the new
   * level above, a step decided elsewhere (the province) by the unit that replaced that one — keeping its role
   * and clock. Reminders still to fire are kept by task and go to the task's unit when they fire, and an
   * escalation goes a level above the new units, so nothing else is re-planned.
   */
  reorganise(req: ReorganisationRequest): void {
    this.validateReorganisation(req);
    const from = this.routing;
    const to = req.routing;
    const moved: { taskId: string; taskType: TaskType; fromOrgUnitId: string; orgUnitId: string; role: Role }[] = [];
    for (const t of this.tasks.values()) {
      if (t.status !== 'open') continue;
      let target: string | undefined;
      const escalated = t.escalatedTaskId ? this.tasks.get(t.escalatedTaskId) : undefined;
      if (escalated) {
        const slot = STEPS[escalated.type].slot;
        if (escalationTarget(slot, from).orgUnitId === t.orgUnitId) target = escalationTarget(slot, to).orgUnitId;
      } else if (t.orgUnitId === unitFor(from, STEPS[t.type].slot)) {
        target = unitFor(to, STEPS[t.type].slot);
      }
      if (target === undefined) {
        const key = ROUTING_KEYS.find((k) => from[k] === t.orgUnitId && to[k] !== undefined);
        if (key) target = to[key];
      }
      if (target !== undefined && target !== t.orgUnitId) moved.push({ taskId: t.id, taskType: t.type, fromOrgUnitId: t.orgUnitId, orgUnitId: target, role: t.role });
    }
    const name = (id: string | null) => (id ? req.unitNames[id] : undefined);
    const units = routingChanges(from, to).map((c) => ({ ...c, fromName: name(c.from), toName: name(c.to) }));
    const ev = this.record(
      'org_restructured',
      {
        reorganisationId: req.reorganisationId,
        action: req.action,
        fromCellId: from.cellId,
        toCellId: to.cellId,
        from,
        to,
        units,
        tasks: moved,
        // Only when it changed: steps opened from now on follow it (§3.2 S8–S9); open ones stay where they are.
        ...(!from.grassrootsAuthorised !== !to.grassrootsAuthorised ? { grassrootsAuthorised: !!to.grassrootsAuthorised } : {}),
      },
      { actor: req.actor, businessDate: this.businessToday() },
    );
    this.transferredRouting = to;
    for (const m of moved) {
      Object.assign(this.tasks.get(m.taskId)!, { orgUnitId: m.orgUnitId, version: ev.seq });
      this.dirtyTasks.add(m.taskId);
    }
  }

  // ---------------------------------------------------------------- internals

  private deadline(clock: DeadlineClock, anchorDate: IsoDate): { dueDate: IsoDate; dueAt: string; dueRule: DueRule } {
    const rules = ruleSetFor(anchorDate);
    const c = CLOCKS[clock];
    const days = c.days(rules) + (this.extensions.get(clock) ?? 0);
    const dueDate = addWorkingDays(anchorDate, days, this.calendar);
    return {
      dueDate,
      dueAt: vnEndOfDayIso(dueDate),
      dueRule: {
        ruleSetId: rules.id,
        citation: rules.citation,
        effectiveFrom: rules.effectiveFrom,
        effectiveTo: rules.effectiveTo,
        clock: `${clock}: ${c.name}`,
        workingDays: days,
        anchorEvent: c.anchorEvent,
        anchorDate,
      },
    };
  }

  private openTask(
    type: TaskType,
    opts: {
      attempt?: number;
      keepStage?: boolean;
      notBefore?: IsoDate;
      /** No lower bound from earlier steps (a document that may predate them). */
      unbounded?: boolean;
      escalated?: boolean;
      due?: { dueDate?: IsoDate; dueAt?: string; dueRule?: DueRule };
      /** For overdue_escalation items: where it goes and which task it follows. */
      target?: { orgUnitId: string; role: Role; escalatedTaskId: string };
      /** A step decided elsewhere than its usual unit, and why (e.g. over 60: the province). */
      unit?: { orgUnitId: string; role: Role; route: string };
    } = {},
  ): void {
    const step = STEPS[type];
    if (!opts.keepStage && step.stage) this.setStage(step.stage);
    this.taskCounter += 1;
    const id = `${this.input.candidateId}.${this.taskCounter}`;
    const notBefore = opts.unbounded ? undefined : maxDate(this.lastChainDate, opts.notBefore);
    const dueDate = opts.due?.dueDate;
    const dueAt = opts.due?.dueAt ?? (dueDate ? vnEndOfDayIso(dueDate) : undefined);
    const orgUnitId = opts.target?.orgUnitId ?? opts.unit?.orgUnitId ?? unitFor(this.routing, step.slot);
    const role = opts.target?.role ?? opts.unit?.role ?? roleFor(type, this.routing);
    const ev = this.record(
      'task_opened',
      { taskId: id, taskType: type, orgUnitId, role, attempt: opts.attempt ?? 1, dueAt, dueRule: opts.due?.dueRule, escalated: opts.escalated || undefined, escalatedTaskId: opts.target?.escalatedTaskId, route: opts.unit?.route },
      { businessDate: this.businessToday() },
    );
    const task: TaskSnapshot = {
      id,
      candidateId: this.input.candidateId,
      type,
      role,
      orgUnitId,
      escalatedTaskId: opts.target?.escalatedTaskId,
      ...(opts.unit ? { route: opts.unit.route } : {}),
      status: 'open',
      attempt: opts.attempt ?? 1,
      openedAt: ev.at,
      openedOn: ev.businessDate!,
      notBefore,
      dueDate,
      dueAt,
      dueRule: opts.due?.dueRule,
      version: ev.seq,
    };
    this.tasks.set(id, task);
    this.dirtyTasks.add(id);
    this.scheduleReminders(task);
  }

  // ---------------------------------------------------------------- reminders, escalation, extension

  private scheduleReminders(task: TaskSnapshot): void {
    if (!this.remindersEnabled || !task.dueDate || task.type === 'overdue_escalation') return;
    const now = businessNowMs(this.input.clock, this.nowMs());
    // Points already past when the task opens are skipped, except the overdue escalation itself.
    const policy = this.input.remindersByTaskType?.[task.type] ?? this.input.reminders ?? DEFAULT_REMINDER_POLICY;
    const offset = this.reminderSpreadEnabled ? spreadOffsetMs(this.input.candidateId, (this.input.reminderSpreadSeconds ?? 0) * 1000) : 0;
    const points = reminderPoints(task.dueDate, policy, this.calendar, offset).filter((p) => p.kind === 'overdue' || p.atMs > now);
    this.alarms.set(task.id, points);
  }

  /** A task was decided or cancelled: its reminders stop and its overdue items close. */
  private closed(task: TaskSnapshot): void {
    this.alarms.delete(task.id);
    for (const t of this.tasks.values()) {
      if (t.status === 'open' && t.type === 'overdue_escalation' && t.escalatedTaskId === task.id) {
        const ev = this.record('task_cancelled', { taskId: t.id, taskType: t.type, because: 'resolved', escalatedTaskId: task.id });
        Object.assign(t, { status: 'cancelled', closedAt: ev.at, version: ev.seq });
        this.dirtyTasks.add(t.id);
      }
    }
  }

  private armCertificateClock(): void {
    if (!this.remindersEnabled || !this.derivedClocksEnabled || !this.trainingCertificate) return;
    const { issuedOn } = this.trainingCertificate;
    const rules = ruleSetFor(issuedOn);
    const expires = addMonths(issuedOn, rules.certificateValidityMonths);
    const warn = addMonths(expires, -CERTIFICATE_WARNING_MONTHS);
    this.caseAlarms = this.caseAlarms.filter((a) => !a.kind.startsWith('certificate'));
    this.caseAlarms.push(
      { key: `certificate:${issuedOn}:warning`, kind: 'certificate_expiring', date: warn, atMs: vnStartOfDayMs(warn) + 8 * 3600_000 },
      { key: `certificate:${issuedOn}:expired`, kind: 'certificate_expired', date: expires, atMs: vnStartOfDayMs(expires) },
    );
  }

  private armDossierClock(): void {
    if (!this.remindersEnabled || !this.derivedClocksEnabled || !this.dossierPreparedOn) return;
    const rules = ruleSetFor(this.dossierPreparedOn);
    // Stale once the meeting date would be more than 12 months after the dossier was prepared (T2).
    const stale = addDays(addMonths(this.dossierPreparedOn, rules.dossierFreshnessMonths), 1);
    this.caseAlarms = this.caseAlarms.filter((a) => a.kind !== 'dossier_stale');
    this.caseAlarms.push({ key: `dossier:${this.dossierPreparedOn}:stale`, kind: 'dossier_stale', date: stale, atMs: vnStartOfDayMs(stale) });
  }

  private fireCaseAlarms(now: number): void {
    const due = this.caseAlarms.filter((a) => a.atMs <= now).sort((a, b) => a.atMs - b.atMs);
    this.caseAlarms = this.caseAlarms.filter((a) => a.atMs > now);
    for (const a of due) {
      const cellTask = [...this.tasks.values()].find((t) => t.status === 'open' && STEPS[t.type].slot === 'cell');
      const data: Record<string, unknown> = { key: a.key, kind: a.kind, certificate: this.trainingCertificate, dossierPreparedOn: this.dossierPreparedOn };
      if (a.kind === 'dossier_stale') {
        // T2: introductions, the Youth Union or trade-union resolution used, and the summary of opinions must be redone.
        data.redo = formsToRedoWhenStale(this.introductionResolutions);
        this.record('dossier_stale', data, { businessDate: a.date });
        const vote = [...this.tasks.values()].find((t) => t.status === 'open' && t.type === 'cell_admission_vote');
        if (vote) {
          const ev = this.record('task_cancelled', { taskId: vote.id, taskType: vote.type, because: 'dossier_stale' }, { businessDate: a.date });
          Object.assign(vote, { status: 'cancelled', closedAt: ev.at, version: ev.seq });
          this.dirtyTasks.add(vote.id);
          this.closed(vote);
          this.openTask('record_introductions', { attempt: 2 });
        }
      } else {
        this.record(a.kind, data, { businessDate: a.date });
        const retakeOpen = [...this.tasks.values()].some((t) => t.status === 'open' && t.type === 'record_training_certificate');
        if (a.kind === 'certificate_expired' && !retakeOpen) {
          // T1: the candidate retakes the class; the new certificate renews the clock, the case stays put.
          this.retakingCertificate = true;
          const attempts = [...this.tasks.values()].filter((t) => t.type === 'record_training_certificate').length;
          this.openTask('record_training_certificate', { attempt: attempts + 1, unbounded: true, keepStage: true });
        }
      }
      const target = cellTask ?? [...this.tasks.values()].find((t) => t.status === 'open');
      this.pendingNotifications.push({
        candidateId: this.input.candidateId,
        candidateName: this.input.fullName,
        taskId: target?.id ?? '',
        taskType: target?.type ?? 'cell_admission_vote',
        kind: a.kind,
        key: a.key,
        orgUnitId: this.routing.cellId,
        role: roleFor('cell_admission_vote', this.routing),
        dueDate: a.date,
        businessDate: a.date,
      });
    }
  }

  /**
   * The administrator changed the calendar: clocks not yet expired are recomputed on the new calendar and the
   * change is recorded; expired clocks and decisions already taken stay as they were. Invalid data is ignored
   * (the API validates before sending).
   */
  /**
   * A new calendar (the administrator's `PUT /calendar/:year`, fanned out to every case). With `newestWins`
   * (patch `calendar-newest-wins-v1`) each year keeps the highest version the case has seen, so a calendar signal
   * replayed from an older history cannot roll the clocks back; before it, the signal replaced the stored years.
   */
  updateCalendar(years: CalendarYearData[], newestWins = false): void {
    let next: HolidayCalendar;
    try {
      if (newestWins) {
        const newest = new Map<number, CalendarYearData>();
        for (const d of [...this.calendar.years.values(), ...years]) if (!newest.has(d.year) || d.version > newest.get(d.year)!.version) newest.set(d.year, d);
        next = buildCalendar([...newest.values()]);
      } else {
        next = buildCalendar([...BUILT_IN_YEAR_DATA, ...years]);
      }
    } catch {
      return;
    }
    if (next.versionTag === this.calendar.versionTag) return;
    this.calendar = next;
    const now = businessNowMs(this.input.clock, this.nowMs());
    const changes: Record<string, unknown>[] = [];
    for (const t of this.tasks.values()) {
      const clock = this.clockOf(t);
      if (t.status !== 'open' || !clock || !t.dueRule || !t.dueAt || Date.parse(t.dueAt) < now) continue;
      const due = this.deadline(clock, t.dueRule.anchorDate);
      if (due.dueDate === t.dueDate) continue;
      changes.push({ taskId: t.id, taskType: t.type, clock, previousDueAt: t.dueAt, dueAt: due.dueAt });
      Object.assign(t, { dueDate: due.dueDate, dueAt: due.dueAt, dueRule: due.dueRule });
      this.dirtyTasks.add(t.id);
      this.scheduleReminders(t);
    }
    if (changes.length === 0) return;
    const ev = this.record('calendar_changed', { calendarVersion: next.versionTag, changes });
    for (const c of changes) this.tasks.get(c.taskId as string)!.version = ev.seq;
  }

  /** Business instant of the next reminder to fire, if any. */
  nextAlarmMs(): number | undefined {
    let next: number | undefined = this.caseAlarms.length ? Math.min(...this.caseAlarms.map((a) => a.atMs)) : undefined;
    for (const points of this.alarms.values()) if (points.length && (next === undefined || points[0].atMs < next)) next = points[0].atMs;
    return next;
  }

  /** Fires every reminder due by now (each once), records it, and opens the overdue item a level up. */
  fireDueAlarms(): void {
    const now = businessNowMs(this.input.clock, this.nowMs());
    this.fireCaseAlarms(now);
    for (const [taskId, points] of [...this.alarms.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const task = this.tasks.get(taskId)!;
      while (points.length && points[0].atMs <= now) {
        const p = points.shift()!;
        const base = { taskId, taskType: task.type, kind: p.kind, key: p.key, dueDate: task.dueDate, dueAt: task.dueAt };
        const notify = (orgUnitId: string, role: Role, kind: NotificationRequest['kind'], key: string) =>
          this.pendingNotifications.push({
            candidateId: this.input.candidateId,
            candidateName: this.input.fullName,
            taskId,
            taskType: task.type,
            kind,
            key,
            orgUnitId,
            role,
            dueDate: task.dueDate,
            dueAt: task.dueAt,
            businessDate: p.date,
          });
        if (p.kind === 'overdue') {
          // A decision taken by an authorised grassroots committee escalates as a grassroots step does.
          const target = escalationTarget(task.route === 'authorised_grassroots' ? 'grassroots' : STEPS[task.type].slot, this.routing);
          this.record('deadline_missed', { ...base, escalatedTo: target }, { businessDate: p.date });
          this.openTask('overdue_escalation', { keepStage: true, target: { ...target, escalatedTaskId: taskId } });
          notify(target.orgUnitId, target.role, 'escalation', `${p.key}:escalation`);
        } else {
          this.record('reminder_sent', base, { businessDate: p.date });
        }
        notify(task.orgUnitId, task.role, p.kind, p.key);
      }
    }
  }

  takeNotifications(): NotificationRequest[] {
    const out = this.pendingNotifications;
    this.pendingNotifications = [];
    return out;
  }

  private clockOf(task: TaskSnapshot): DeadlineClock | undefined {
    const c = task.dueRule?.clock.slice(0, 2);
    return c && c in CLOCKS ? (c as DeadlineClock) : undefined;
  }

  validateExtension(req: ExtendDeadlineRequest): void {
    this.checkExtension(req);
    // New requests only (validator; see check()): who may grant it follows the clock (deadlines.ts extensionBy).
    const clock = this.clockOf(this.tasks.get(req.taskId)!)!;
    const by = DEADLINE_CLOCKS[clock].extensionBy;
    const role: Role = by === 'direct_superior' ? this.directSuperior().role : 'superior_board';
    // An actor without a role is an internal caller (tests, tools); the API always sends the grant it checked.
    if (req.actor.role !== undefined && req.actor.role !== role) {
      throw new CaseRefusal([{ code: 'extension_not_authorised', field: 'taskId', params: { clock, role } }]);
    }
  }

  private checkExtension(req: ExtendDeadlineRequest): void {
    const task = this.openTaskOrRefuse(req.taskId);
    const clock = this.clockOf(task);
    const maxOf = clock ? EXTENDABLE[clock] : undefined;
    if (!clock || !maxOf || !task.dueRule) throw new CaseRefusal([{ code: 'extension_not_allowed', field: 'taskId' }]);
    const used = this.extensions.get(clock);
    if (used !== undefined) throw new CaseRefusal([{ code: 'extension_already_used', params: { clock, workingDays: used } }]);
    const max = maxOf(ruleSetFor(task.dueRule.anchorDate));
    if (!Number.isInteger(req.workingDays) || req.workingDays < 1 || req.workingDays > max) {
      throw new CaseRefusal([{ code: 'extension_too_long', field: 'workingDays', params: { max, workingDays: req.workingDays } }]);
    }
    if (!req.reason || !req.reason.trim()) throw new CaseRefusal([{ code: 'missing_field', field: 'reason', params: { field: 'reason' } }]);
  }

  /** An authorised extension: moves the task's clock once, by at most the rule's limit, with a reason. */
  extend(req: ExtendDeadlineRequest): void {
    this.checkExtension(req);
    const task = this.tasks.get(req.taskId)!;
    const clock = this.clockOf(task)!;
    this.extensions.set(clock, req.workingDays);
    const previous = { dueDate: task.dueDate, dueAt: task.dueAt };
    const due = this.deadline(clock, task.dueRule!.anchorDate);
    const ev = this.record(
      'deadline_extended',
      { taskId: task.id, taskType: task.type, clock, workingDays: req.workingDays, reason: req.reason, previousDueAt: previous.dueAt, dueAt: due.dueAt },
      { actor: req.actor, ruleSetId: due.dueRule.ruleSetId },
    );
    Object.assign(task, { dueDate: due.dueDate, dueAt: due.dueAt, dueRule: due.dueRule, version: ev.seq });
    this.dirtyTasks.add(task.id);
    // The overdue item (if any) closes; reminders restart for the new due date.
    this.closed(task);
    this.scheduleReminders(task);
  }

  private end(stage: EndStage, reason: Record<string, unknown>, businessDate: IsoDate): void {
    for (const t of this.tasks.values()) {
      if (t.status !== 'open') continue;
      const ev = this.record('task_cancelled', { taskId: t.id, taskType: t.type, because: stage }, { businessDate });
      Object.assign(t, { status: 'cancelled', closedAt: ev.at, version: ev.seq });
      this.dirtyTasks.add(t.id);
      this.alarms.delete(t.id);
    }
    this.endedReason = reason;
    // Party age exists only for a member who is recognised (§7.6).
    if (stage !== 'official') this.partyAgeFrom = undefined;
    this.setStage(stage);
    this.status = stage;
    this.record('path_ended', { endState: stage, ...reason }, { businessDate });
  }

  private setStage(stage: Stage): void {
    if (stage === this.stage) return;
    const from = this.stage;
    this.stage = stage;
    this.record('stage_changed', { from, to: stage });
  }

  private record(
    type: CaseEventType,
    data: Record<string, unknown>,
    extra: { actor?: Actor; businessDate?: IsoDate; ruleSetId?: string } = {},
  ): CaseEvent {
    this.seq += 1;
    const ev: CaseEvent = {
      seq: this.seq,
      type,
      at: new Date(this.nowMs()).toISOString(),
      businessDate: extra.businessDate ?? this.businessToday(),
      recordedOn: this.businessToday(),
      actor: extra.actor,
      ruleSetId: extra.ruleSetId,
      data: stripUndefined(data),
    };
    this.events.push(ev);
    this.pendingEvents.push(ev);
    return ev;
  }

  // ---------------------------------------------------------------- views

  summary(): CandidateSummary {
    return {
      candidateId: this.input.candidateId,
      stage: this.stage,
      status: this.status,
      version: this.seq,
      openTasks: [...this.tasks.values()].filter((t) => t.status === 'open').map((t) => ({ ...t })),
      partyAgeFrom: this.partyAgeFrom,
      probationEndsOn: this.probationEndsOn,
      officialFrom: this.officialFrom,
      routing: this.transferredRouting,
      ...(this.changedFacts ? { facts: { ...this.changedFacts } } : {}),
    };
  }

  state(): CaseState {
    return {
      ...this.summary(),
      tasks: [...this.tasks.values()].map((t) => ({ ...t })),
      events: this.events.slice(),
      inconclusiveRecognitionVotes: this.inconclusiveRecognitionVotes,
    };
  }

  /** Everything not yet handed to the projection; undefined when there is nothing new. */
  takeBatch(): ProjectionBatch | undefined {
    if (this.pendingEvents.length === 0 && this.dirtyTasks.size === 0) return undefined;
    const batch: ProjectionBatch = {
      candidate: { ...this.summary(), openTasks: [], endedReason: this.endedReason },
      events: this.pendingEvents,
      tasks: [...this.dirtyTasks].map((id) => ({ ...this.tasks.get(id)! })),
    };
    this.pendingEvents = [];
    this.dirtyTasks.clear();
    return batch;
  }
}

function stripUndefined(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}
