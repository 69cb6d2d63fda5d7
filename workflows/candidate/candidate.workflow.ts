import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { realMsForBusiness } from '../../libs/domain/src/clock.js';
import { vnStartOfDayMs } from '../../libs/domain/src/dates.js';
import type { CandidateActivities } from './activities.js';
import { CandidateCase, CaseRefusal } from './candidate.case.js';
import {
  completeTaskUpdate,
  stateQuery,
  syncUpdate,
  withdrawUpdate,
  type CandidateSummary,
  type CandidateWorkflowInput,
  type RefusalDetails,
} from './candidate.messages.js';

const { projectCandidate } = proxyActivities<CandidateActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

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

  // Projection writes are serialised in order of the events they carry.
  let chain: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    chain = chain.then(async () => {
      const batch = c.takeBatch();
      if (batch) await projectCandidate(batch);
    });
    return chain;
  };

  /** An update whose validator and handler both go through the case; refusals become ApplicationFailures. */
  const validatedUpdate = <A>(def: UpdateDefinition<CandidateSummary, [A]>, validate: (a: A) => void, apply: (a: A) => void) =>
    setHandler(
      def,
      async (arg) => {
        try {
          apply(arg);
        } catch (e) {
          refuse(e);
        }
        await flush();
        return c.summary();
      },
      {
        validator: (arg) => {
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
  setHandler(syncUpdate, async () => {
    await flush();
    return c.summary();
  });
  setHandler(stateQuery, () => c.state());

  c.start();
  await flush();

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

  await condition(allHandlersFinished);
  await flush();
  return c.summary();
}
