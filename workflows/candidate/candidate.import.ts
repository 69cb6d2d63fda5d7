/**
 * The dry run of an imported case (issue 16): the case's own state machine started on the import's input,
 * without Temporal, at a given instant. The API's preview and the import job run it before anything is written,
 * so a row is refused with the same rules, in the same order, as the workflow would apply them when it starts.
 * Pure and deterministic, like `CandidateCase` itself.
 */
import type { Violation } from '../../libs/domain/src/decisions.js';
import type { Stage, TaskType } from '../../libs/domain/src/procedure.js';
import { CandidateCase, CaseRefusal, ImportRefusal } from './candidate.case.js';
import type { CandidateWorkflowInput, TaskSnapshot } from './candidate.messages.js';

export type ImportDryRun =
  | { ok: true; stage: Stage; openTasks: TaskSnapshot[]; probationEndsOn?: string }
  /** `index`: the refused step's place in `input.imported.steps` (a step type may recur: the cell's recognition votes). */
  | { ok: false; step?: TaskType; index?: number; violations: Violation[] };

export function dryRunImport(input: CandidateWorkflowInput, nowMs: number): ImportDryRun {
  const c = new CandidateCase(input, () => nowMs);
  // As a case started today: reminders and derived clocks on.
  c.remindersEnabled = true;
  c.derivedClocksEnabled = true;
  // The introductions with the routes of §2.3, as a workflow started now checks them (introduction-routes-v1).
  c.introductionRoutesEnabled = true;
  // T6 on the probation review and failed recognition votes reported up (clocks-routes-v1, which the two patches
  // above and below come after in the workflow), and probation ended at start when its 12 months are over.
  c.clocksRoutesEnabled = true;
  c.importedRecognitionEnabled = true;
  try {
    c.start();
  } catch (e) {
    if (e instanceof ImportRefusal) return { ok: false, step: e.step, index: e.index, violations: e.violations };
    if (e instanceof CaseRefusal) return { ok: false, violations: e.violations };
    throw e;
  }
  const s = c.summary();
  return { ok: true, stage: s.stage, openTasks: s.openTasks, probationEndsOn: s.probationEndsOn };
}
