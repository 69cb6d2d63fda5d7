import { z } from 'zod';
import { TASK_TYPES } from '../../../../libs/domain/src/procedure.js';

export const CompleteTask = z.object({
  outcome: z.string().max(50).optional(),
  data: z.record(z.string(), z.unknown()).default({}),
  note: z.string().max(5000).optional(),
});
export type CompleteTaskDto = z.infer<typeof CompleteTask>;

/** One decision per task, each with its own Idempotency-Key, as POST /tasks/:id/complete would take it. */
export const BulkComplete = z.object({
  items: z
    .array(CompleteTask.extend({ taskId: z.string().min(1).max(200), idempotencyKey: z.string().min(1).max(200) }))
    .min(1)
    .max(200),
});
export type BulkCompleteDto = z.infer<typeof BulkComplete>;

export const InboxQuery = z.object({
  type: z.enum(TASK_TYPES).optional(),
  orgUnitId: z.uuid().optional(),
  due: z.enum(['overdue', 'has_due', 'none']).optional(),
  search: z.string().trim().min(1).max(200).optional(),
  /** Only tasks due within this many working days from today (overdue ones included). */
  dueWithin: z.coerce.number().int().min(0).max(365).optional(),
  sort: z.enum(['due', 'opened']).default('due'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type InboxQueryDto = z.infer<typeof InboxQuery>;

export const ExtendBody = z.object({
  workingDays: z.number().int().min(1).max(60),
  reason: z.string().trim().min(3).max(2000),
});
export type ExtendDto = z.infer<typeof ExtendBody>;
