import { z } from 'zod';
import { TASK_TYPES } from '../../../../libs/domain/src/procedure.js';

export const CompleteTask = z.object({
  outcome: z.string().max(50).optional(),
  data: z.record(z.string(), z.unknown()).default({}),
  note: z.string().max(5000).optional(),
});
export type CompleteTaskDto = z.infer<typeof CompleteTask>;

export const InboxQuery = z.object({
  type: z.enum(TASK_TYPES).optional(),
  orgUnitId: z.uuid().optional(),
  due: z.enum(['overdue', 'has_due', 'none']).optional(),
  search: z.string().trim().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type InboxQueryDto = z.infer<typeof InboxQuery>;
