import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { businessNowMs, realMsForBusiness } from '../../libs/domain/src/clock.js';
import { vnStartOfDayMs } from '../../libs/domain/src/dates.js';
import type { CandidateActivities } from './activities.js';
import { CandidateCase, CaseRefusal } from './candidate.case.js';
import { candidateCreated } from './candidate-row.js';
import {
  calendarUpdatedSignal,
  completeTaskUpdate,
  extendDeadlineUpdate,
  stateQuery,
  syncUpdate,
  transferUpdate,
  reorganiseUpdate,
  updateFactsUpdate,
  withdrawUpdate,
  type CandidateSummary,
  type CandidateWorkflowInput,
  type NotificationRequest,
  type RefusalDetails,
  type RequestEnvelope,
} from './candidate.messages.js';

const projectionOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
} as const;
const scheduled = proxyActivities<CandidateActivities>(projectionOptions);
const local = proxyLocalActivities<CandidateActivities>(projectionOptions);

/** Patch id: cases started before reminders existed replay exactly as recorded (test/replay/histories). */
export const REMINDERS_PATCH = 'deadline-reminders-v1';
/** Patch id: certificate-validity and dossier-freshness alarms (T1, T2). */
export const DERIVED_CLOCKS_PATCH = 'derived-clocks-v1';
/**
 * Patch id: a fired reminder is recorded and delivered by one activity (`projectCandidate` with its
 * notifications), and the next timer is armed in the same workflow task instead of after both activities:
 * three tasks per reminder instead of five (BENCHMARKS.md, timer-storm).
 */
export const REMINDER_DELIVERY_PATCH = 'reminder-delivery-v1';
/** Patch id: a calendar signal keeps, per year, the newest version the case has seen (an older one is ignored). */
export const CALENDAR_NEWEST_WINS_PATCH = 'calendar-newest-wins-v1';
/**
 * Patch id (issue 16, clocks and routes): T6 runs on the probation review too (reminders, escalation), and three
 * failed recognition votes are reported to the direct superior and the competent committee (notifications).
 */
export const CLOCKS_ROUTES_PATCH = 'clocks-routes-v1';
/**
 * Patch id (issue 16, introduction routes §2.3): the past decisions of an imported case, applied when it starts,
 * are checked with the introduction rules (route, same grassroots organisation). Cases imported before it replay
 * their introductions as they were checked then. Live decisions need no patch: those rules only refuse, in the
 * validator (DecisionContext.recheck).
 */
export const INTRODUCTION_ROUTES_PATCH = 'introduction-routes-v1';
/**
 * Patch id (issue 16, imports past probation): an imported case whose 12 months have ended starts past them
 * (`probation_ended` on its real date, the probation review open on T6), and its probation review and recognition
 * steps may be imported. Asked for imported cases only; cases imported before it replay as they started.
 */
export const IMPORTED_RECOGNITION_PATCH = 'imported-recognition-v1';
/**
 * Patch id (issue 16, transfers §7.7): a probationary member's transfer records whether it was initiated within
 * T9 and opens the destination cell's receipt of the transfer letter on T10 (reminders, escalation). Cases started
 * before it replay their transfers as recorded.
 */
export const TRANSFER_CLOCKS_PATCH = 'transfer-clocks-v1';
/**
 * Patch id (issue 17, cold cases): the projection write (and a reminder's delivery) runs as a local activity in
 * the workflow task that made the events, instead of an activity task and a second workflow task: a decision
 * records 8 history events in one workflow task instead of 13 in two, so a case evicted from the worker's cache
 * replays about half the activations (BENCHMARKS.md §9). The batch is recorded as the local activity's result
 * (the marker), where the audit replay reads it. Asked at each write, so a case started before it switches at its
 * next write after the deployment; its earlier writes replay as the activities they were.
 */
export const LOCAL_PROJECTION_PATCH = 'local-projection-v1';
/**
 * Patch id (issue 17, the morning run): a case started with `reminderSpreadSeconds` in its input puts its 08:00
 * reminders at its offset in that window. Asked at start, and only for such a case: a case an older worker began
 * (it ignores the field and reminds at 08:00) replays without the marker and keeps 08:00, whichever worker runs it
 * next — a rolling deployment or a rollback mixes versions without a nondeterminism error.
 */
export const REMINDER_SPREAD_PATCH = 'reminder-spread-v1';

function refuse(e: unknown): never {
  if (e instanceof CaseRefusal) {
    const details: RefusalDetails = { violations: e.violations };
    throw ApplicationFailure.create({ type: e.code, message: e.message, nonRetryable: true, details: [details] });
  }
  throw e;
}

/**
 * One candidate's path from source review to an end state. Human decisions arrive as validated updates;
 * the 12 months of probation are a durable timer on the business clock.
 */
export async function candidateWorkflow(input: CandidateWorkflowInput): Promise<CandidateSummary> {
  const c = new CandidateCase(input, () => Date.now());

  // Projection writes are serialised in order of the events they carry. With reminder-delivery-v1 the
  // pending reminders travel with the events that announce them, taken together when the write runs, and the
  // same activity delivers them after writing.
  let deliverWithProjection = false;
  // The first batch carries the case's read-model row: the case exists in the read model once its workflow
  // does, whatever happened to the API that started it (activity arguments are not part of replay checks).
  let created = input.profile ? candidateCreated(input, workflowInfo().startTime.getTime()) : undefined;
  let chain: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    chain = chain.then(async () => {
      const batch = c.takeBatch();
      if (batch && created) {
        batch.created = created;
        created = undefined;
      }
      const notifications: NotificationRequest[] = deliverWithProjection ? c.takeNotifications() : [];
      if (!batch && !notifications.length) return;
      const { projectCandidate, notify } = patched(LOCAL_PROJECTION_PATCH) ? local : scheduled;
      if (batch && notifications.length) await projectCandidate(batch, notifications);
      else if (batch) await projectCandidate(batch);
      else await notify(notifications);
    });
    return chain;
  };

  // Requests applied, by their one-time id (RequestEnvelope). Rebuilt on replay from the recorded updates; the
  // validator (which is not run on replay) refuses a request for another case or one already applied.
  const applied = new Set<string>();
  const ownId = workflowInfo().workflowId;
  const checkEnvelope = (r: RequestEnvelope) => {
    const refusal = (type: 'request_not_for_this_case' | 'request_replayed', message: string) =>
      ApplicationFailure.create({ type, message, nonRetryable: true, details: [{ violations: [] } satisfies RefusalDetails] });
    if (r.workflowId !== ownId) throw refusal('request_not_for_this_case', `request for ${r.workflowId ?? 'no case'} sent to ${ownId}`);
    if (!r.requestId || applied.has(r.requestId)) throw refusal('request_replayed', `request ${r.requestId ?? '(no id)'} already applied or without an id`);
  };

  /** An update whose validator and handler both go through the case; refusals become ApplicationFailures. */
  const validatedUpdate = <A extends RequestEnvelope>(def: UpdateDefinition<CandidateSummary, [A]>, validate: (a: A) => void, apply: (a: A) => void) =>
    setHandler(
      def,
      async (arg) => {
        try {
          apply(arg);
        } catch (e) {
          refuse(e);
        }
        if (arg.requestId) applied.add(arg.requestId);
        await flush();
        return c.summary();
      },
      {
        validator: (arg) => {
          checkEnvelope(arg);
          try {
            validate(arg);
          } catch (e) {
            refuse(e);
          }
        },
      },
    );
  validatedUpdate(completeTaskUpdate, (r) => c.validate(r), (r) => c.apply(r));
  validatedUpdate(withdrawUpdate, (r) => c.validateWithdraw(r), (r) => c.withdraw(r));
  validatedUpdate(extendDeadlineUpdate, (r) => c.validateExtension(r), (r) => c.extend(r));
  validatedUpdate(transferUpdate, (r) => c.validateTransfer(r), (r) => c.transfer(r));
  // Issue 16, reorganisation: a new handler only (no command of an old history changes, no patch needed).
  validatedUpdate(reorganiseUpdate, (r) => c.validateReorganisation(r), (r) => c.reorganise(r));
  // Issue 16, facts changing over a long path: a new handler only (no command of an old history changes).
  validatedUpdate(updateFactsUpdate, (r) => void c.validateFactsUpdate(r), (r) => c.updateFacts(r));
  setHandler(syncUpdate, async () => {
    await flush();
    return c.summary();
  });
  setHandler(stateQuery, () => c.state());
  setHandler(calendarUpdatedSignal, async (years) => {
    c.updateCalendar(years, patched(CALENDAR_NEWEST_WINS_PATCH));
    await flush();
  });

  c.remindersEnabled = patched(REMINDERS_PATCH);
  c.derivedClocksEnabled = c.remindersEnabled && patched(DERIVED_CLOCKS_PATCH);
  deliverWithProjection = c.remindersEnabled && patched(REMINDER_DELIVERY_PATCH);
  c.clocksRoutesEnabled = deliverWithProjection && patched(CLOCKS_ROUTES_PATCH);
  c.introductionRoutesEnabled = c.clocksRoutesEnabled && patched(INTRODUCTION_ROUTES_PATCH);
  if (input.imported) c.importedRecognitionEnabled = c.introductionRoutesEnabled && patched(IMPORTED_RECOGNITION_PATCH);
  c.transferClocksEnabled = c.introductionRoutesEnabled && patched(TRANSFER_CLOCKS_PATCH);
  c.reminderSpreadEnabled = c.remindersEnabled && Boolean(input.reminderSpreadSeconds) && patched(REMINDER_SPREAD_PATCH);
  // Only an imported case (input.imported) can be refused at start: the workflow then fails, writing nothing.
  try {
    c.start();
  } catch (e) {
    refuse(e);
  }
  await flush();

  if (c.remindersEnabled) {
    // One durable timer at a time, to the next business instant something is due: the end of probation
    // or a reminder point. Any event (a decision, an extension) re-plans; nothing loops hot.
    while (!c.ended) {
      const seen = c.version;
      const targets = [c.awaitingProbationEnd ? vnStartOfDayMs(c.probationEndsOn!) : undefined, c.nextAlarmMs()].filter((t): t is number => t !== undefined);
      if (targets.length === 0) {
        await condition(() => c.ended || c.version !== seen);
        continue;
      }
      const waitMs = Math.ceil(realMsForBusiness(input.clock, Math.min(...targets)) - Date.now());
      if (waitMs > 0 && (await condition(() => c.ended || c.version !== seen, waitMs))) continue;
      if (c.ended) break;
      if (c.awaitingProbationEnd && businessNowMs(input.clock, Date.now()) >= vnStartOfDayMs(c.probationEndsOn!)) c.endProbation();
      c.fireDueAlarms();
      if (deliverWithProjection) {
        // Not awaited: the chain keeps the writes in order, and the next timer is armed in this same
        // workflow task. A decision's flush (or the end of the case) waits for it through the chain.
        void flush();
        continue;
      }
      await flush();
      const notifications = c.takeNotifications();
      if (notifications.length) await scheduled.notify(notifications);
    }
  } else {
    while (!c.ended) {
      await condition(() => c.ended || c.awaitingProbationEnd);
      if (c.ended) break;
      const endsAtReal = realMsForBusiness(input.clock, vnStartOfDayMs(c.probationEndsOn!));
      const waitMs = Math.ceil(endsAtReal - Date.now());
      if (waitMs > 0) await condition(() => c.ended, waitMs);
      if (!c.ended) {
        c.endProbation();
        await flush();
      }
    }
  }

  await condition(allHandlersFinished);
  await flush();
  return c.summary();
}
