import { existsSync } from 'node:fs';
import { z } from 'zod';
import type { ReminderPolicy } from '../../domain/src/reminders.js';
import { TASK_TYPES, type TaskType } from '../../domain/src/procedure.js';

/** The one place that reads process.env. Bad values fail at start with the list of bad keys. */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** The API's and worker's connection: a least-privileged role, member of ketnap_app (README, Security). */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  /** The owner's connection, used only by `cli.js migrate|revert`; unset: DATABASE_URL. */
  KETNAP_MIGRATION_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  /** PostgreSQL cancels any statement of the app's connections running longer than this (0: no limit). */
  KETNAP_DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** true: the app may run as a superuser or the tables' owner (a development machine only; logged as a warning). */
  KETNAP_DEV_DATABASE: z.enum(['true', 'false']).default('false'),
  TEMPORAL_ADDRESS: z.string().min(3).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  KETNAP_TASK_QUEUE: z.string().min(1).default('ketnap-candidates'),
  /** Temporal connection security (README, Security): mTLS client certificate and key (PEM files, set together), CA, SNI name. */
  TEMPORAL_TLS_CERT: z.string().min(1).refine(fileExists, 'file not found').optional(),
  TEMPORAL_TLS_KEY: z.string().min(1).refine(fileExists, 'file not found').optional(),
  TEMPORAL_TLS_CA: z.string().min(1).refine(fileExists, 'file not found').optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** Temporal Cloud / server API key (sent as a bearer token; implies TLS). */
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  /** Keyring of Temporal payload encryption keys: `id:base64(32 bytes)`, comma-separated. Unset: payloads in clear. */
  KETNAP_PAYLOAD_KEYS: z.string().optional(),
  /** The key new payloads are encrypted with (default: the first of KETNAP_PAYLOAD_KEYS). */
  KETNAP_PAYLOAD_KEY_ID: z.string().min(1).optional(),
  /** The worker refuses unencrypted payloads (default: true when keys are configured). */
  KETNAP_REQUIRE_ENCRYPTED_PAYLOADS: z.enum(['true', 'false']).optional(),
  /** The Temporal UI's origin allowed to call /api/temporal-codec from the browser (CORS); unset: none. */
  KETNAP_CODEC_CORS_ORIGIN: z.url().refine((u) => new URL(u).origin === u.replace(/\/$/, ''), 'must be an origin (scheme://host[:port])').optional(),
  KETNAP_ADMIN_USERNAME: z.string().min(3).max(64).optional(),
  KETNAP_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').max(200).optional(),
  KETNAP_CLOCK_SPEED: z.coerce.number().positive().max(1e9).default(1),
  /** A session lasts this long from sign-in (absolute), unless signed out or revoked earlier. */
  KETNAP_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().max(30 * 86400).default(8 * 3600),
  /** scrypt cost of new password hashes: log2(N):r:p (OWASP: 15:8:3 for 32 MiB, or 17:8:1). */
  KETNAP_PASSWORD_HASH_COST: z
    .string()
    .regex(/^(1[0-9]|20):([1-9]|1[0-6]):([1-9]|1[0-6])$/, 'must be log2N:r:p, e.g. 15:8:3 (log2N 10–20, r and p 1–16)')
    .default('15:8:3'),
  /** Failed sign-ins before an account, or a client address, is locked; the lock doubles with each further failure. */
  KETNAP_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  KETNAP_LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(20),
  KETNAP_LOGIN_LOCK_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  KETNAP_LOGIN_MAX_LOCK_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** Failures older than this no longer count (unless a lock is running). */
  KETNAP_LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  KETNAP_WEB_DIR: z.string().optional(),
  /**
   * Behind a reverse proxy that terminates TLS: which X-Forwarded-* senders to believe (Express "trust proxy"):
   * `true`, a hop count, or a comma-separated list of addresses/CIDRs or loopback|linklocal|uniquelocal.
   * Unset: none, so req.secure (and Strict-Transport-Security) only on a direct TLS connection.
   */
  KETNAP_TRUST_PROXY: z
    .string()
    .refine((v) => parseTrustProxy(v) !== undefined, 'must be false, a hop count, or a comma-separated list of the proxies\' addresses, CIDRs, loopback, linklocal, uniquelocal (not true: the client could choose its own address)')
    .optional(),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(25),
  SMTP_SECURE: z.enum(['true', 'false']).default('false'),
  /**
   * Refuse to send unless the server offers STARTTLS (it is used whenever offered). Unset: required when
   * SMTP_USER is set, so a man in the middle cannot strip STARTTLS and read the password.
   */
  SMTP_REQUIRE_TLS: z.enum(['true', 'false']).optional(),
  /** Check the SMTP server's certificate (false only for a test server with a self-signed one). */
  SMTP_TLS_REJECT_UNAUTHORIZED: z.enum(['true', 'false']).default('true'),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().min(3).default('ketnap <no-reply@ketnap.local>'),
  /** The worker's e-mail outbox: attempts before an e-mail is marked failed (README, Notifications). */
  KETNAP_EMAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  /** Wait after the first failed attempt; doubled after each (at most an hour). */
  KETNAP_EMAIL_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  /** How often the outbox is polled when idle. */
  KETNAP_EMAIL_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(2_000),
  /** A claimed e-mail not confirmed sent after this long is marked in doubt, never resent. */
  KETNAP_EMAIL_CLAIM_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(600_000),
  KETNAP_PUBLIC_URL: z.string().url().default('http://127.0.0.1:3000'),
  /** JSON: {"default": {beforeWorkingDays, onDueDate, repeatEveryWorkingDays, maxRepeats}, "<task_type>": {...}} */
  KETNAP_REMINDER_POLICY: z.string().optional(),
  /**
   * Minutes over which a morning's 08:00 reminders are spread, each case at a fixed offset from its id (issue 17:
   * thousands of cases reminded at one instant would each be replayed at once). 0: all at 08:00. Pinned per case.
   */
  KETNAP_REMINDER_SPREAD_MINUTES: z.coerce.number().int().min(0).max(120).default(10),
  /** JSON: per-user limits of the heavy endpoints, {"<bucket>": {"limit": n, "windowSeconds": s}} (README, Security). */
  KETNAP_RATE_LIMITS: z.string().optional(),
  /**
   * Worker sizing. Cached cases answer a timer or a decision without replaying their history; a case out of the
   * cache replays it first (BENCHMARKS.md §8, a storm on cold cases). Unset: the SDK's default from the heap size.
   */
  KETNAP_WORKER_CACHE_SIZE: z.coerce.number().int().min(0).max(1_000_000).optional(),
  /** Threads that run workflow code (replays included). Unset: the SDK's default (1, one shared V8 context). */
  KETNAP_WORKFLOW_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  /**
   * Workflow tasks the worker holds at once (2 at least, the cache at most). Unset: half the cache, at most the
   * SDK's 40 (workflowTaskSlots in libs/temporal/src/worker-factory.ts: as many as the cache drops tasks under
   * load, BENCHMARKS.md §9).
   */
  KETNAP_WORKFLOW_TASK_SLOTS: z.coerce.number().int().min(2).max(1000).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `json`: one JSON object per line (pino); `text`: Nest's coloured lines. Unset: json when NODE_ENV=production, else text. */
  KETNAP_LOG_FORMAT: z.enum(['json', 'text']).optional(),
  NODE_ENV: z.string().optional(),
  /** Bearer token Prometheus sends to GET /api/metrics. Unset: the endpoint answers 404 (README, Operations). */
  KETNAP_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').max(512).optional(),
  /** The worker's Prometheus endpoint (the Temporal SDK's runtime telemetry and ketnap's worker metrics), host:port. Unset: off. */
  KETNAP_WORKER_METRICS_ADDRESS: z.string().regex(/^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, 'must be host:port, e.g. 0.0.0.0:9464').optional(),
  /** The worker's health listener (GET /live, GET /ready). 0: off. */
  KETNAP_WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** 1: OpenTelemetry tracing of API requests, Temporal client calls, workflows and activities. Unset/0: off, nothing installed. */
  KETNAP_TRACING: z.enum(['0', '1', 'false', 'true']).default('0'),
  /** Where traces go (OTLP over HTTP; `/v1/traces` is appended). Unset: OTEL_EXPORTER_OTLP_ENDPOINT, else http://localhost:4318. */
  KETNAP_OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
});

export interface KetnapConfig {
  port: number;
  databaseUrl: string;
  /** The owner's connection for migrations (KETNAP_MIGRATION_DATABASE_URL, else DATABASE_URL). */
  migrationDatabaseUrl: string;
  /** KETNAP_DEV_DATABASE=true: the start-up check of the database role only warns. */
  devDatabase: boolean;
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    /** File paths; present when any TEMPORAL_TLS_* is set. */
    tls?: { certPath?: string; keyPath?: string; caPath?: string; serverName?: string };
    apiKey?: string;
  };
  /** Temporal payload encryption (libs/temporal/src/encryption-codec.ts). `keys` empty: payloads in clear. */
  payloadEncryption: { keys: ReadonlyMap<string, Uint8Array>; encryptKeyId?: string; requireEncrypted: boolean };
  /** Origin of the Temporal UI allowed to call the codec endpoint from a browser. */
  codecCorsOrigin?: string;
  admin?: { username: string; password: string };
  clockSpeed: number;
  tokenTtlSeconds: number;
  passwordHashCost: { log2N: number; r: number; p: number };
  loginThrottle: { maxFailures: number; maxFailuresPerAddress: number; lockSeconds: number; maxLockSeconds: number; windowSeconds: number };
  webDir?: string;
  logLevel: string;
  /** KETNAP_LOG_FORMAT, resolved (json in production by default). */
  logFormat: 'json' | 'text';
  /** Operations endpoints (README, Operations). `metricsToken` unset: /api/metrics is off. */
  observability: { metricsToken?: string; workerMetricsAddress?: string; workerHealthPort: number };
  /** OpenTelemetry tracing (libs/temporal/src/tracing.ts); absent: off. `tracesUrl`: the OTLP/HTTP traces endpoint. */
  tracing?: { tracesUrl: string };
  /** E-mail is off when no SMTP host is configured (the in-app feed still works). */
  reminders?: { default?: ReminderPolicy; byTaskType: Partial<Record<TaskType, ReminderPolicy>> };
  /** KETNAP_REMINDER_SPREAD_MINUTES in seconds: pinned in each new case's input (reminderSpreadSeconds). */
  reminderSpreadSeconds: number;
  /** Overrides of the heavy endpoints' per-user limits, by bucket name. */
  rateLimits: Record<string, { limit: number; windowSeconds: number }>;
  smtp?: { host: string; port: number; secure: boolean; requireTls: boolean; rejectUnauthorized: boolean; user?: string; password?: string; from: string };
  /** The e-mail outbox's sender in the worker (apps/worker/src/email-outbox.sender.ts). */
  emailOutbox: { maxAttempts: number; retryBaseMs: number; pollMs: number; claimTimeoutMs: number };
  /** Milliseconds; 0: no limit. */
  dbStatementTimeoutMs: number;
  /** Express "trust proxy" (false: X-Forwarded-* ignored). */
  trustProxy: boolean | number | string;
  publicUrl: string;
  /** Unset fields keep the Temporal SDK's defaults. */
  worker: { maxCachedWorkflows?: number; workflowThreadPoolSize?: number; workflowTaskSlots?: number };
}

const policy = z.object({
  beforeWorkingDays: z.array(z.number().int().min(1).max(60)).max(10),
  onDueDate: z.boolean(),
  repeatEveryWorkingDays: z.number().int().min(0).max(60),
  maxRepeats: z.number().int().min(0).max(100),
});
const reminderPolicies = z.partialRecord(z.enum(['default', ...TASK_TYPES]), policy);

function parseReminderPolicy(raw: string | undefined): KetnapConfig['reminders'] {
  const parsed = parseJsonSetting('KETNAP_REMINDER_POLICY', raw, reminderPolicies);
  if (!parsed) return undefined;
  const { default: def, ...byTaskType } = parsed;
  return { default: def, byTaskType: byTaskType as Partial<Record<TaskType, ReminderPolicy>> };
}

/** KETNAP_TRUST_PROXY as Express takes it; undefined when it is not valid. */
export function parseTrustProxy(v: string): boolean | number | string | undefined {
  const t = v.trim();
  // `true` would believe the left-most X-Forwarded-For, which the client writes: anyone could pick their own
  // address and escape the per-address sign-in limit. Name the proxies (or count the hops) instead.
  if (t === 'true') return undefined;
  if (t === 'false') return false;
  if (/^\d{1,2}$/.test(t)) return Number(t);
  const parts = t.split(',').map((p) => p.trim());
  const ok = parts.every((p) => ['loopback', 'linklocal', 'uniquelocal'].includes(p) || /^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(p));
  return parts.length && ok ? parts.join(',') : undefined;
}

function fileExists(p: string): boolean {
  return existsSync(p);
}

/**
 * KETNAP_PAYLOAD_KEYS `id:base64,id:base64` (ids: letters, digits, `.`, `_`, `-`; keys: 32 bytes, base64),
 * KETNAP_PAYLOAD_KEY_ID (default the first), KETNAP_REQUIRE_ENCRYPTED_PAYLOADS (default: true with keys).
 */
export function parsePayloadEncryption(rawKeys: string | undefined, keyId: string | undefined, require: string | undefined): KetnapConfig['payloadEncryption'] {
  const problems: string[] = [];
  const keys = new Map<string, Uint8Array>();
  for (const entry of (rawKeys ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const i = entry.indexOf(':');
    const id = i > 0 ? entry.slice(0, i) : '';
    const b64 = entry.slice(i + 1);
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id)) {
      problems.push(`KETNAP_PAYLOAD_KEYS: an entry is not "id:base64key" with an id of letters, digits, ".", "_" or "-"`);
      continue;
    }
    const key = Buffer.from(b64, 'base64');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || key.length !== 32) problems.push(`KETNAP_PAYLOAD_KEYS: key "${id}" must be 32 bytes in base64 (openssl rand -base64 32)`);
    else if (keys.has(id)) problems.push(`KETNAP_PAYLOAD_KEYS: key id "${id}" appears twice`);
    else keys.set(id, new Uint8Array(key));
  }
  if (keyId !== undefined && !keys.has(keyId)) problems.push(`KETNAP_PAYLOAD_KEY_ID: "${keyId}" is not an id in KETNAP_PAYLOAD_KEYS`);
  if (require === 'true' && keys.size === 0) problems.push('KETNAP_REQUIRE_ENCRYPTED_PAYLOADS: true needs KETNAP_PAYLOAD_KEYS');
  if (problems.length) throw new ConfigError(problems);
  return {
    keys,
    ...(keys.size ? { encryptKeyId: keyId ?? keys.keys().next().value } : {}),
    requireEncrypted: require === undefined ? keys.size > 0 : require === 'true',
  };
}

const rateLimits = z.record(z.string().regex(/^[a-z_]{1,40}$/), z.object({ limit: z.number().int().min(1).max(100_000), windowSeconds: z.number().int().min(1).max(86_400) }).strict());

function parseJsonSetting<T>(key: string, raw: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (!raw) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ConfigError([`${key}: not valid JSON`]);
  }
  const r = schema.safeParse(json);
  if (!r.success) throw new ConfigError(r.error.issues.map((i) => `${key}.${i.path.join('.')}: ${i.message}`));
  return r.data;
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
  if ((e.TEMPORAL_TLS_CERT === undefined) !== (e.TEMPORAL_TLS_KEY === undefined)) {
    throw new ConfigError(['TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together']);
  }
  const payloadEncryption = parsePayloadEncryption(e.KETNAP_PAYLOAD_KEYS, e.KETNAP_PAYLOAD_KEY_ID, e.KETNAP_REQUIRE_ENCRYPTED_PAYLOADS);
  return {
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    migrationDatabaseUrl: e.KETNAP_MIGRATION_DATABASE_URL ?? e.DATABASE_URL,
    devDatabase: e.KETNAP_DEV_DATABASE === 'true',
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.KETNAP_TASK_QUEUE,
      ...(e.TEMPORAL_TLS_CERT || e.TEMPORAL_TLS_KEY || e.TEMPORAL_TLS_CA || e.TEMPORAL_TLS_SERVER_NAME
        ? { tls: { certPath: e.TEMPORAL_TLS_CERT, keyPath: e.TEMPORAL_TLS_KEY, caPath: e.TEMPORAL_TLS_CA, serverName: e.TEMPORAL_TLS_SERVER_NAME } }
        : {}),
      ...(e.TEMPORAL_API_KEY ? { apiKey: e.TEMPORAL_API_KEY } : {}),
    },
    payloadEncryption,
    codecCorsOrigin: e.KETNAP_CODEC_CORS_ORIGIN?.replace(/\/$/, ''),
    admin: e.KETNAP_ADMIN_USERNAME ? { username: e.KETNAP_ADMIN_USERNAME, password: e.KETNAP_ADMIN_PASSWORD! } : undefined,
    clockSpeed: e.KETNAP_CLOCK_SPEED,
    tokenTtlSeconds: e.KETNAP_TOKEN_TTL_SECONDS,
    passwordHashCost: (([log2N, r, p]) => ({ log2N, r, p }))(e.KETNAP_PASSWORD_HASH_COST.split(':').map(Number)),
    loginThrottle: {
      maxFailures: e.KETNAP_LOGIN_MAX_FAILURES,
      maxFailuresPerAddress: e.KETNAP_LOGIN_MAX_FAILURES_PER_ADDRESS,
      lockSeconds: e.KETNAP_LOGIN_LOCK_SECONDS,
      maxLockSeconds: e.KETNAP_LOGIN_MAX_LOCK_SECONDS,
      windowSeconds: e.KETNAP_LOGIN_WINDOW_SECONDS,
    },
    webDir: e.KETNAP_WEB_DIR,
    trustProxy: e.KETNAP_TRUST_PROXY === undefined ? false : parseTrustProxy(e.KETNAP_TRUST_PROXY)!,
    dbStatementTimeoutMs: e.KETNAP_DB_STATEMENT_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
    logFormat: e.KETNAP_LOG_FORMAT ?? (e.NODE_ENV === 'production' ? 'json' : 'text'),
    observability: {
      ...(e.KETNAP_METRICS_TOKEN ? { metricsToken: e.KETNAP_METRICS_TOKEN } : {}),
      ...(e.KETNAP_WORKER_METRICS_ADDRESS ? { workerMetricsAddress: e.KETNAP_WORKER_METRICS_ADDRESS } : {}),
      workerHealthPort: e.KETNAP_WORKER_HEALTH_PORT,
    },
    ...(e.KETNAP_TRACING === '1' || e.KETNAP_TRACING === 'true'
      ? { tracing: { tracesUrl: `${(e.KETNAP_OTEL_EXPORTER_OTLP_ENDPOINT ?? e.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://localhost:4318').replace(/\/+$/, '')}/v1/traces` } }
      : {}),
    smtp: e.SMTP_HOST
      ? {
          host: e.SMTP_HOST,
          port: e.SMTP_PORT,
          secure: e.SMTP_SECURE === 'true',
          requireTls: e.SMTP_REQUIRE_TLS ? e.SMTP_REQUIRE_TLS === 'true' : Boolean(e.SMTP_USER),
          rejectUnauthorized: e.SMTP_TLS_REJECT_UNAUTHORIZED === 'true',
          user: e.SMTP_USER,
          password: e.SMTP_PASSWORD,
          from: e.SMTP_FROM,
        }
      : undefined,
    emailOutbox: { maxAttempts: e.KETNAP_EMAIL_MAX_ATTEMPTS, retryBaseMs: e.KETNAP_EMAIL_RETRY_BASE_MS, pollMs: e.KETNAP_EMAIL_POLL_MS, claimTimeoutMs: e.KETNAP_EMAIL_CLAIM_TIMEOUT_MS },
    reminders: parseReminderPolicy(e.KETNAP_REMINDER_POLICY),
    reminderSpreadSeconds: e.KETNAP_REMINDER_SPREAD_MINUTES * 60,
    rateLimits: parseJsonSetting('KETNAP_RATE_LIMITS', e.KETNAP_RATE_LIMITS, rateLimits) ?? {},
    publicUrl: e.KETNAP_PUBLIC_URL.replace(/\/$/, ''),
    worker: {
      ...(e.KETNAP_WORKER_CACHE_SIZE !== undefined ? { maxCachedWorkflows: e.KETNAP_WORKER_CACHE_SIZE } : {}),
      ...(e.KETNAP_WORKFLOW_THREADS !== undefined ? { workflowThreadPoolSize: e.KETNAP_WORKFLOW_THREADS } : {}),
      ...(e.KETNAP_WORKFLOW_TASK_SLOTS !== undefined ? { workflowTaskSlots: e.KETNAP_WORKFLOW_TASK_SLOTS } : {}),
    },
  };
}

/** Injection token for the config in Nest modules. */
export const KETNAP_CONFIG = Symbol('KETNAP_CONFIG');
