import { z } from 'zod';
import type { ReminderPolicy } from '../../domain/src/reminders.js';
import { TASK_TYPES, type TaskType } from '../../domain/src/procedure.js';

/** The one place that reads process.env. Bad values fail at start with the list of bad keys. */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  TEMPORAL_ADDRESS: z.string().min(3).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  KETNAP_TASK_QUEUE: z.string().min(1).default('ketnap-candidates'),
  KETNAP_ADMIN_USERNAME: z.string().min(3).max(64).optional(),
  KETNAP_ADMIN_PASSWORD: z.string().min(6, 'must be at least 6 characters').optional(),
  KETNAP_CLOCK_SPEED: z.coerce.number().positive().max(1e9).default(1),
  KETNAP_JWT_SECRET: z.string().min(16).optional(),
  KETNAP_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(8 * 3600),
  KETNAP_WEB_DIR: z.string().optional(),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(25),
  SMTP_SECURE: z.enum(['true', 'false']).default('false'),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().min(3).default('ketnap <no-reply@ketnap.local>'),
  KETNAP_PUBLIC_URL: z.string().url().default('http://127.0.0.1:3000'),
  /** JSON: {"default": {beforeWorkingDays, onDueDate, repeatEveryWorkingDays, maxRepeats}, "<task_type>": {...}} */
  KETNAP_REMINDER_POLICY: z.string().optional(),
  /**
   * Worker sizing. Cached cases answer a timer or a decision without replaying their history; a case out of the
   * cache replays it first (BENCHMARKS.md §8, a storm on cold cases). Unset: the SDK's default from the heap size.
   */
  KETNAP_WORKER_CACHE_SIZE: z.coerce.number().int().min(0).max(1_000_000).optional(),
  /** Threads that run workflow code (replays included). Unset: the SDK's default (1, one shared V8 context). */
  KETNAP_WORKFLOW_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface KetnapConfig {
  port: number;
  databaseUrl: string;
  temporal: { address: string; namespace: string; taskQueue: string };
  admin?: { username: string; password: string };
  clockSpeed: number;
  jwtSecret?: string;
  tokenTtlSeconds: number;
  webDir?: string;
  logLevel: string;
  /** E-mail is off when no SMTP host is configured (the in-app feed still works). */
  reminders?: { default?: ReminderPolicy; byTaskType: Partial<Record<TaskType, ReminderPolicy>> };
  smtp?: { host: string; port: number; secure: boolean; user?: string; password?: string; from: string };
  publicUrl: string;
  /** Unset fields keep the Temporal SDK's defaults. */
  worker: { maxCachedWorkflows?: number; workflowThreadPoolSize?: number };
}

const policy = z.object({
  beforeWorkingDays: z.array(z.number().int().min(1).max(60)).max(10),
  onDueDate: z.boolean(),
  repeatEveryWorkingDays: z.number().int().min(0).max(60),
  maxRepeats: z.number().int().min(0).max(100),
});
const reminderPolicies = z.partialRecord(z.enum(['default', ...TASK_TYPES]), policy);

function parseReminderPolicy(raw: string | undefined): KetnapConfig['reminders'] {
  if (!raw) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ConfigError(['KETNAP_REMINDER_POLICY: not valid JSON']);
  }
  const r = reminderPolicies.safeParse(json);
  if (!r.success) throw new ConfigError(r.error.issues.map((i) => `KETNAP_REMINDER_POLICY.${i.path.join('.')}: ${i.message}`));
  const { default: def, ...byTaskType } = r.data;
  return { default: def, byTaskType: byTaskType as Partial<Record<TaskType, ReminderPolicy>> };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): KetnapConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if ((e.KETNAP_ADMIN_USERNAME === undefined) !== (e.KETNAP_ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(['KETNAP_ADMIN_USERNAME and KETNAP_ADMIN_PASSWORD must be set together']);
  }
  return {
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, taskQueue: e.KETNAP_TASK_QUEUE },
    admin: e.KETNAP_ADMIN_USERNAME ? { username: e.KETNAP_ADMIN_USERNAME, password: e.KETNAP_ADMIN_PASSWORD! } : undefined,
    clockSpeed: e.KETNAP_CLOCK_SPEED,
    jwtSecret: e.KETNAP_JWT_SECRET,
    tokenTtlSeconds: e.KETNAP_TOKEN_TTL_SECONDS,
    webDir: e.KETNAP_WEB_DIR,
    logLevel: e.LOG_LEVEL,
    smtp: e.SMTP_HOST
      ? { host: e.SMTP_HOST, port: e.SMTP_PORT, secure: e.SMTP_SECURE === 'true', user: e.SMTP_USER, password: e.SMTP_PASSWORD, from: e.SMTP_FROM }
      : undefined,
    reminders: parseReminderPolicy(e.KETNAP_REMINDER_POLICY),
    publicUrl: e.KETNAP_PUBLIC_URL.replace(/\/$/, ''),
    worker: {
      ...(e.KETNAP_WORKER_CACHE_SIZE !== undefined ? { maxCachedWorkflows: e.KETNAP_WORKER_CACHE_SIZE } : {}),
      ...(e.KETNAP_WORKFLOW_THREADS !== undefined ? { workflowThreadPoolSize: e.KETNAP_WORKFLOW_THREADS } : {}),
    },
  };
}

/** Injection token for the config in Nest modules. */
export const KETNAP_CONFIG = Symbol('KETNAP_CONFIG');
