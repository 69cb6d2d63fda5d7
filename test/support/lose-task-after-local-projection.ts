/**
 * Workflow interceptors (bundled into a test worker's workflow code, never into the product): after the
 * projection's local activity has written its batch, the workflow task fails instead of completing. To the
 * database and to Temporal this is what `kill -9` of the worker in that instant leaves behind: the rows are
 * written, the workflow task that made them is not recorded, and Temporal runs it again (issue 17, patch
 * `local-projection-v1`; test/workflow/lost-workflow-task.workflow.int-spec.ts).
 */
import { workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      async scheduleLocalActivity(input, next) {
        const result = await next(input);
        // Replaying, the result comes from the history (the task that wrote it was recorded): nothing to lose.
        if (input.activityType === 'projectCandidate' && !workflowInfo().unsafe.isReplaying) throw new Error('test: the worker was lost after the local projection wrote, before its workflow task completed');
        return result;
      },
    },
  ],
});
