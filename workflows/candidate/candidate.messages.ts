/**
 * The candidate workflow's wire contract: type name, task queue, messages and payload shapes.
 * The API imports this file (never the implementation). Names are stable wire names: renaming one breaks
 * running cases.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CalendarYearData } from '../../libs/domain/src/calendar/types.js';
import type { BusinessClock } from '../../libs/domain/src/clock.js';
import type { CandidateFacts, Violation } from '../../libs/domain/src/decisions.js';
import type { FactsChange, FactsInForce } from '../../libs/domain/src/candidate-facts.js';
import type { ReminderKind, ReminderPolicy } from '../../libs/domain/src/reminders.js';
import type { CandidateStatus, Role, Routing, Stage, TaskType } from '../../libs/domain/src/procedure.js';
import type { Readmission } from '../../libs/domain/src/readmission.js';

export const CANDIDATE_WORKFLOW_TYPE = 'candidateWorkflow';
export const DEFAULT_TASK_QUEUE = 'ketnap-candidates';

export function candidateWorkflowId(candidateId: string): string {
  return `candidate-${candidateId}`;
}

/**
 * Binds a decision to its case and makes it single-use. With payload encryption a request can only be made by
 * a holder of the data key, but a copy of an encrypted request from any case's history would still decode:
 * the workflow refuses one whose `workflowId` is not its own, or whose `requestId` it has already applied.
 * Both are inside the (authenticated) payload. Required of every new request; recorded ones replay without.
 */
export interface RequestEnvelope {
  workflowId?: string;
  requestId?: string;
}

export function requestEnvelope(workflowId: string, requestId: string): Required<RequestEnvelope> {
  return { workflowId, requestId };
}

export interface Actor {
  userId: string;
  username: string;
  fullName?: string;
  role?: Role;
  orgUnitId?: string;
}

export interface CandidateWorkflowInput {
  candidateId: string;
  fullName: string;
  facts: CandidateFacts;
  routing: Routing;
  clock: BusinessClock;
  source: { organization: string; introducedOn: string };
  createdBy: Actor;
  /** Reminder points for statutory deadlines; the domain default when absent. */
  reminders?: ReminderPolicy;
  /** Reminder points for particular task types, overriding `reminders` for those types. */
  remindersByTaskType?: Partial<Record<TaskType, ReminderPolicy>>;
  /**
   * The window (seconds) over which a morning's 08:00 reminders are spread (issue 17): this case's fall at a
   * fixed offset inside it (`spreadOffsetMs` of its id). Pinned when the case starts (KETNAP_REMINDER_SPREAD_MINUTES);
   * absent (cases started before): exactly 08:00, as recorded.
   */
  reminderSpreadSeconds?: number;
  /** Administrator-updated calendar years in force when the case started (on top of the built-in data). */
  calendar?: CalendarYearData[];
  /**
   * The rest of the profile as entered. The workflow never reads it: it is in the (encrypted) history so the
   * read model can be rebuilt from Temporal alone (`npm run reconcile -- --rebuild`). Absent on cases started
   * before it was added.
   */
  profile?: CandidateProfile;
  /**
   * A case already under way, imported from a file (issue 16): the case starts with these past decisions applied
   * in order, each checked by the same rules as a live one and recorded as imported, its clocks running from the
   * real past dates. Absent: a new case, as before (old histories replay unchanged).
   */
  imported?: ImportedCase;
  /**
   * A re-admission (§2.4): checked by the API when the case is opened (T11: 36 months, once in a lifetime); the
   * province standing board approves in writing before the competent committee decides. Absent: a first admission.
   */
  readmission?: Readmission;
}

/** The past of an imported case: where it came from and the steps already taken (see libs/domain/src/candidate-import.ts). */
export interface ImportedCase {
  source: { fileName: string; sha256: string; row: number; jobId?: string };
  /** Who imported it (recorded as the actor of the imported events). */
  importedBy: Actor;
  /** The stage the case must be in once the steps are applied (checked). */
  stage: Stage;
  steps: { taskType: TaskType; outcome?: string; data: Record<string, unknown> }[];
}

/** Profile fields of the candidate row that the procedure does not use (see `CandidateWorkflowInput.profile`). */
export interface CandidateProfile {
  gender: string;
  ethnicity: string;
  religion?: string | null;
  occupation?: string | null;
  sector?: string | null;
  professionalQualification?: string | null;
  placeId?: string | null;
}

export interface ExtendDeadlineRequest extends RequestEnvelope {
  taskId: string;
  workingDays: number;
  reason: string;
  actor: Actor;
}

/** One reminder or escalation to deliver to everyone who holds `role` over `orgUnitId`. */
export interface NotificationRequest {
  candidateId: string;
  candidateName: string;
  taskId: string;
  taskType: TaskType;
  kind: ReminderKind | 'escalation' | 'certificate_expiring' | 'certificate_expired' | 'dossier_stale';
  /** Unique per task and reminder point: delivery is idempotent on it. */
  key: string;
  orgUnitId: string;
  role: Role;
  dueDate?: string;
  dueAt?: string;
  businessDate: string;
}

export interface CompleteTaskRequest extends RequestEnvelope {
  taskId: string;
  outcome?: string;
  data: unknown;
  note?: string;
  actor: Actor;
}

export interface WithdrawRequest extends RequestEnvelope {
  reason: string;
  actor: Actor;
}

/**
 * The candidate moves to another cell (chuyển sinh hoạt: new job, study or residence). The API resolves the
 * destination's routing from the org tree; open steps move to the new units with their clocks unchanged.
 */
export interface TransferRequest extends RequestEnvelope {
  routing: Routing;
  reason: string;
  /** Effective date of the job/study/residence change (T9 counts from it); business today when absent. */
  effectiveOn?: string;
  actor: Actor;
}

/**
 * The org tree was reorganised (issue 16: a unit moved, merged or dissolved) and the case's units changed. The
 * durable reorganisation job resolves the new routing from the tree and sends it once per case (update ID
 * `reorg-<reorganisationId>`); open steps at the old units move to the new ones, their clocks unchanged.
 */
export interface ReorganisationRequest extends RequestEnvelope {
  reorganisationId: string;
  /** `authorise`: the grassroots committee's authority to admit changed (no unit moved). */
  action: 'move' | 'merge' | 'dissolve' | 'authorise';
  routing: Routing;
  /** Names of the units involved (old and new) as they were when the job ran, by id: recorded in the history. */
  unitNames: Record<string, string>;
  actor: Actor;
}

/**
 * The candidate's facts changed over the path (issue 16: education, Youth Union membership, place of residence or
 * work). Recorded as `candidate_facts_changed` (who, when, each field from → to); every later decision is checked
 * against the facts in force.
 */
export interface UpdateFactsRequest extends RequestEnvelope {
  changes: FactsChange;
  reason: string;
  /** The date the change took effect (a diploma's date, a move); business today when absent. Not in the future. */
  effectiveOn?: string;
  actor: Actor;
}

export interface DueRule {
  ruleSetId: string;
  citation: string;
  /** The rule set's effective dates (inclusive; no end while in force). */
  effectiveFrom?: string;
  effectiveTo?: string;
  clock: string;
  workingDays: number;
  anchorEvent: string;
  anchorDate: string;
}

export type TaskStatus = 'open' | 'done' | 'cancelled';

export interface TaskSnapshot {
  id: string;
  candidateId: string;
  type: TaskType;
  role: Role;
  orgUnitId: string;
  status: TaskStatus;
  attempt: number;
  openedAt: string;
  openedOn: string;
  notBefore?: string;
  dueDate?: string;
  dueAt?: string;
  dueRule?: DueRule;
  closedAt?: string;
  outcome?: string;
  decidedBy?: Actor;
  /** For an overdue_escalation item: the task that is overdue. */
  escalatedTaskId?: string;
  /** Why the task sits elsewhere than its step's usual unit (`province_over_60`, `authorised_grassroots`, …). */
  route?: string;
  /** Sequence number of the event that last changed this task (projection version guard). */
  version: number;
}

export type CaseEventType =
  | 'candidate_created'
  | 'task_opened'
  | 'decision_recorded'
  | 'task_cancelled'
  | 'stage_changed'
  | 'probation_started'
  | 'probation_ended'
  | 'recognition_escalated'
  | 'candidate_withdrawn'
  | 'candidate_transferred'
  | 'path_ended'
  | 'reminder_sent'
  | 'deadline_missed'
  | 'deadline_extended'
  | 'certificate_expiring'
  | 'certificate_expired'
  | 'dossier_stale'
  | 'calendar_changed'
  | 'case_imported'
  | 'org_restructured'
  | 'candidate_facts_changed';

export interface CaseEvent {
  seq: number;
  type: CaseEventType;
  /** Wall-clock (workflow) time of the event. */
  at: string;
  /** Business date the event carries, where it has one. */
  businessDate?: string;
  /** Business date (Vietnam) on which the system recorded the event: the axis "as of" states fold on. */
  recordedOn?: string;
  actor?: Actor;
  ruleSetId?: string;
  data: Record<string, unknown>;
}

export interface CandidateSummary {
  candidateId: string;
  stage: Stage;
  status: CandidateStatus;
  version: number;
  openTasks: TaskSnapshot[];
  partyAgeFrom?: string;
  probationEndsOn?: string;
  officialFrom?: string;
  /** The candidate's units, present only once they differ from the start (after a transfer). */
  routing?: Routing;
  /** The facts in force, present only once they changed (issue 16): the read-model row follows them. */
  facts?: FactsInForce;
}

/** What the projection activity writes: new events, changed tasks and the candidate row. */
export interface ProjectionBatch {
  candidate: CandidateSummary & { endedReason?: Record<string, unknown> };
  events: CaseEvent[];
  tasks: TaskSnapshot[];
  /**
   * The case's read-model row, on the first batch of a case started with its profile: the projection inserts
   * it (the API writes nothing before the workflow exists, so a failed start leaves no row behind).
   */
  created?: CandidateCreated;
}

/** The candidate row as the case starts (see `candidate-row.ts`). */
export interface CandidateCreated {
  cellId: string;
  fullName: string;
  dateOfBirth: string;
  gender: string;
  ethnicity: string;
  religion: string | null;
  education: string;
  youthUnionMember: boolean;
  hardshipArea: boolean;
  occupation: string | null;
  sector: string | null;
  professionalQualification: string | null;
  placeId: string | null;
  source: { organization: string; introducedOn: string };
  routing: Routing;
  createdBy: string | null;
  /** The workflow's start time (ISO). */
  createdAt: string;
}

export interface CaseState extends CandidateSummary {
  tasks: TaskSnapshot[];
  events: CaseEvent[];
  inconclusiveRecognitionVotes: number;
}

/** The refusal a validator gives: `type` of the ApplicationFailure is the first violation's code. */
export interface RefusalDetails {
  violations: Violation[];
}

export const completeTaskUpdate = defineUpdate<CandidateSummary, [CompleteTaskRequest]>('completeTask');
export const withdrawUpdate = defineUpdate<CandidateSummary, [WithdrawRequest]>('withdraw');
/** Returns once everything the workflow has done so far is in the read model. */
export const extendDeadlineUpdate = defineUpdate<CandidateSummary, [ExtendDeadlineRequest]>('extendDeadline');
export const transferUpdate = defineUpdate<CandidateSummary, [TransferRequest]>('transfer');
export const reorganiseUpdate = defineUpdate<CandidateSummary, [ReorganisationRequest]>('reorganise');
export const updateFactsUpdate = defineUpdate<CandidateSummary, [UpdateFactsRequest]>('updateFacts');
/** The administrator changed the working-day calendar: all updated years, latest versions included. */
export const calendarUpdatedSignal = defineSignal<[CalendarYearData[]]>('calendarUpdated');
export const syncUpdate = defineUpdate<CandidateSummary, []>('sync');
export const stateQuery = defineQuery<CaseState>('state');
