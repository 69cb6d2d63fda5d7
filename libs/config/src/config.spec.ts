import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('applies defaults for an environment with only DATABASE_URL', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x' });
    expect(c.port).toBe(3000);
    expect(c.clockSpeed).toBe(1);
    expect(c.temporal.address).toBe('127.0.0.1:7233');
    expect(c.admin).toBeUndefined();
  });

  it('migrates as the owner (KETNAP_MIGRATION_DATABASE_URL, else DATABASE_URL); a privileged app role only with KETNAP_DEV_DATABASE=true', () => {
    const app = 'postgres://ketnap_app_login:pw@db:5432/ketnap';
    expect(loadConfig({ DATABASE_URL: app })).toMatchObject({ databaseUrl: app, migrationDatabaseUrl: app, devDatabase: false });
    expect(loadConfig({ DATABASE_URL: app, KETNAP_MIGRATION_DATABASE_URL: 'postgres://ketnap_owner@db/ketnap', KETNAP_DEV_DATABASE: 'true' })).toMatchObject({
      databaseUrl: app,
      migrationDatabaseUrl: 'postgres://ketnap_owner@db/ketnap',
      devDatabase: true,
    });
    expect(() => loadConfig({ DATABASE_URL: app, KETNAP_MIGRATION_DATABASE_URL: 'mysql://x', KETNAP_DEV_DATABASE: 'yes' })).toThrow(/KETNAP_MIGRATION_DATABASE_URL: must be a postgres:\/\/ URL[\s\S]*KETNAP_DEV_DATABASE/);
  });

  it('lists every bad key at once', () => {
    try {
      loadConfig({ PORT: 'abc', KETNAP_CLOCK_SPEED: '-2' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const keys = (e as ConfigError).problems.map((p) => p.split(':')[0]);
      expect(keys).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'KETNAP_CLOCK_SPEED']));
    }
  });

  it('reads per-user limits of the heavy endpoints and names a bad one', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://x/y' }).rateLimits).toEqual({});
    expect(loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_RATE_LIMITS: '{"audit_replay":{"limit":5,"windowSeconds":60}}' }).rateLimits).toEqual({ audit_replay: { limit: 5, windowSeconds: 60 } });
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_RATE_LIMITS: '{"audit_replay":{"limit":0,"windowSeconds":60}}' })).toThrow(/KETNAP_RATE_LIMITS.audit_replay.limit/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_RATE_LIMITS: '{' })).toThrow(/KETNAP_RATE_LIMITS: not valid JSON/);
  });

  it('refuses a bootstrap admin password under 12 characters', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_ADMIN_USERNAME: 'admin', KETNAP_ADMIN_PASSWORD: 'admin-pass1' })).toThrow(/KETNAP_ADMIN_PASSWORD: must be at least 12 characters/);
    expect(loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_ADMIN_USERNAME: 'admin', KETNAP_ADMIN_PASSWORD: 'admin-pass12' }).admin?.password).toBe('admin-pass12');
  });

  it('reads the password hash cost and the sign-in throttle, and refuses a cost out of range', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_LOGIN_MAX_FAILURES: '3' });
    expect(c.passwordHashCost).toEqual({ log2N: 15, r: 8, p: 3 });
    expect(c.loginThrottle).toEqual({ maxFailures: 3, maxFailuresPerAddress: 20, lockSeconds: 30, maxLockSeconds: 900, windowSeconds: 900 });
    expect(loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_PASSWORD_HASH_COST: '12:8:1' }).passwordHashCost).toEqual({ log2N: 12, r: 8, p: 1 });
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_PASSWORD_HASH_COST: '8:8:1' })).toThrow(/KETNAP_PASSWORD_HASH_COST/);
  });

  it('refuses an admin username without a password', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_ADMIN_USERNAME: 'admin' })).toThrow(/set together/);
  });

  it('reads reminder points per task type from KETNAP_REMINDER_POLICY', () => {
    const policy = { beforeWorkingDays: [10, 3], onDueDate: true, repeatEveryWorkingDays: 2, maxRepeats: 5 };
    const c = loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_REMINDER_POLICY: JSON.stringify({ superior_admission_decision: policy }) });
    expect(c.reminders?.byTaskType.superior_admission_decision).toEqual(policy);
    expect(c.reminders?.default).toBeUndefined();
  });

  it('names the bad part of a reminder policy', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_REMINDER_POLICY: '{"no_such_step": {}}' })).toThrow(/KETNAP_REMINDER_POLICY/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_REMINDER_POLICY: 'not json' })).toThrow(/not valid JSON/);
  });

  it('leaves the worker sizing to the SDK unless set, and reads it when set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://x/y' }).worker).toEqual({});
    const c = loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_WORKER_CACHE_SIZE: '8000', KETNAP_WORKFLOW_THREADS: '4' });
    expect(c.worker).toEqual({ maxCachedWorkflows: 8000, workflowThreadPoolSize: 4 });
    expect(loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_WORKFLOW_TASK_SLOTS: '12' }).worker).toEqual({ workflowTaskSlots: 12 });
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_WORKFLOW_TASK_SLOTS: '1' })).toThrow(/KETNAP_WORKFLOW_TASK_SLOTS/);
    expect(loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_WORKER_CACHE_SIZE: '0' }).worker).toEqual({ maxCachedWorkflows: 0 });
  });

  it('refuses a worker size that is not a whole number in range', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_WORKER_CACHE_SIZE: '-1' })).toThrow(/KETNAP_WORKER_CACHE_SIZE/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_WORKFLOW_THREADS: '0' })).toThrow(/KETNAP_WORKFLOW_THREADS/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_WORKFLOW_THREADS: '1.5' })).toThrow(/KETNAP_WORKFLOW_THREADS/);
  });
});

describe('loadConfig: operations (logs, metrics, probes)', () => {
  const db = { DATABASE_URL: 'postgres://x/y' };

  it('logs JSON lines in production and text elsewhere unless KETNAP_LOG_FORMAT says', () => {
    expect(loadConfig(db).logFormat).toBe('text');
    expect(loadConfig({ ...db, NODE_ENV: 'production' }).logFormat).toBe('json');
    expect(loadConfig({ ...db, NODE_ENV: 'production', KETNAP_LOG_FORMAT: 'text' }).logFormat).toBe('text');
    expect(() => loadConfig({ ...db, KETNAP_LOG_FORMAT: 'xml' })).toThrow(/KETNAP_LOG_FORMAT/);
  });

  it('keeps the metrics endpoints and the worker probes off unless configured, and refuses a short token or a bad address', () => {
    expect(loadConfig(db).observability).toEqual({ workerHealthPort: 0 });
    const c = loadConfig({ ...db, KETNAP_METRICS_TOKEN: 'a'.repeat(32), KETNAP_WORKER_METRICS_ADDRESS: '0.0.0.0:9464', KETNAP_WORKER_HEALTH_PORT: '9465' });
    expect(c.observability).toEqual({ metricsToken: 'a'.repeat(32), workerMetricsAddress: '0.0.0.0:9464', workerHealthPort: 9465 });
    expect(() => loadConfig({ ...db, KETNAP_METRICS_TOKEN: 'short' })).toThrow(/KETNAP_METRICS_TOKEN/);
    expect(() => loadConfig({ ...db, KETNAP_WORKER_METRICS_ADDRESS: '9464' })).toThrow(/KETNAP_WORKER_METRICS_ADDRESS/);
  });

  it('keeps tracing off unless KETNAP_TRACING=1, even with an endpoint; sends to KETNAP_OTEL_…, else OTEL_…, else localhost:4318', () => {
    expect(loadConfig({ ...db, KETNAP_OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing).toBeUndefined();
    expect(loadConfig({ ...db, KETNAP_TRACING: '0' }).tracing).toBeUndefined();
    expect(loadConfig({ ...db, KETNAP_TRACING: '1' }).tracing).toEqual({ tracesUrl: 'http://localhost:4318/v1/traces' });
    expect(loadConfig({ ...db, KETNAP_TRACING: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318/' }).tracing).toEqual({ tracesUrl: 'http://otel:4318/v1/traces' });
    const both = { ...db, KETNAP_TRACING: '1', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318', KETNAP_OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example/otlp' };
    expect(loadConfig(both).tracing).toEqual({ tracesUrl: 'https://collector.example/otlp/v1/traces' });
    expect(() => loadConfig({ ...db, KETNAP_TRACING: 'yes' })).toThrow(/KETNAP_TRACING/);
    expect(() => loadConfig({ ...db, KETNAP_TRACING: '1', KETNAP_OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/KETNAP_OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});

describe('loadConfig: HTTP, database and SMTP hardening', () => {
  const base = { DATABASE_URL: 'postgres://x/y' };

  it('trusts no proxy unless told, and takes Express trust-proxy values', () => {
    expect(loadConfig(base).trustProxy).toBe(false);
    // `true` believes any X-Forwarded-For a client writes: refused.
    expect(() => loadConfig({ ...base, KETNAP_TRUST_PROXY: 'true' })).toThrow(/KETNAP_TRUST_PROXY: .*not true/);
    expect(loadConfig({ ...base, KETNAP_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ ...base, KETNAP_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback,10.0.0.0/8');
    expect(() => loadConfig({ ...base, KETNAP_TRUST_PROXY: 'everyone' })).toThrow(/KETNAP_TRUST_PROXY/);
  });

  it('limits statements to 30 s unless configured', () => {
    expect(loadConfig(base).dbStatementTimeoutMs).toBe(30_000);
    expect(loadConfig({ ...base, KETNAP_DB_STATEMENT_TIMEOUT_MS: '0' }).dbStatementTimeoutMs).toBe(0);
    expect(() => loadConfig({ ...base, KETNAP_DB_STATEMENT_TIMEOUT_MS: '-1' })).toThrow(/KETNAP_DB_STATEMENT_TIMEOUT_MS/);
  });

  it('checks the SMTP certificate and takes STARTTLS when offered by default; can require it', () => {
    expect(loadConfig({ ...base, SMTP_HOST: 'mail' }).smtp).toMatchObject({ requireTls: false, rejectUnauthorized: true });
    // With credentials, STARTTLS is required unless said otherwise: stripping it must not expose the password.
    expect(loadConfig({ ...base, SMTP_HOST: 'mail', SMTP_USER: 'u', SMTP_PASSWORD: 'p' }).smtp).toMatchObject({ requireTls: true });
    expect(loadConfig({ ...base, SMTP_HOST: 'mail', SMTP_USER: 'u', SMTP_REQUIRE_TLS: 'false' }).smtp).toMatchObject({ requireTls: false });
    expect(loadConfig({ ...base, SMTP_HOST: 'mail', SMTP_REQUIRE_TLS: 'true', SMTP_TLS_REJECT_UNAUTHORIZED: 'false' }).smtp).toMatchObject({ requireTls: true, rejectUnauthorized: false });
  });
});

describe('loadConfig: Temporal payload encryption and connection security', () => {
  const db = { DATABASE_URL: 'postgres://x/y' };
  const k1 = Buffer.alloc(32, 1).toString('base64');
  const k2 = Buffer.alloc(32, 2).toString('base64');

  it('leaves payloads in clear without keys (nothing required)', () => {
    const c = loadConfig(db);
    expect(c.payloadEncryption.keys.size).toBe(0);
    expect(c.payloadEncryption.encryptKeyId).toBeUndefined();
    expect(c.payloadEncryption.requireEncrypted).toBe(false);
    expect(loadConfig({ ...db, KETNAP_PAYLOAD_KEYS: '' }).payloadEncryption.keys.size).toBe(0);
  });

  it('reads a keyring, encrypts with the first key by default and then requires encryption', () => {
    const c = loadConfig({ ...db, KETNAP_PAYLOAD_KEYS: `2026-01:${k1}, 2025-06:${k2}` });
    expect([...c.payloadEncryption.keys.keys()]).toEqual(['2026-01', '2025-06']);
    expect(Buffer.from(c.payloadEncryption.keys.get('2025-06')!).equals(Buffer.alloc(32, 2))).toBe(true);
    expect(c.payloadEncryption.encryptKeyId).toBe('2026-01');
    expect(c.payloadEncryption.requireEncrypted).toBe(true);
    // The keys do not show when the config is logged as JSON.
    expect(JSON.stringify(c)).not.toContain(k1);
  });

  it('encrypts with KETNAP_PAYLOAD_KEY_ID and lets the requirement be switched off', () => {
    const c = loadConfig({ ...db, KETNAP_PAYLOAD_KEYS: `a:${k1},b:${k2}`, KETNAP_PAYLOAD_KEY_ID: 'b', KETNAP_REQUIRE_ENCRYPTED_PAYLOADS: 'false' });
    expect(c.payloadEncryption.encryptKeyId).toBe('b');
    expect(c.payloadEncryption.requireEncrypted).toBe(false);
  });

  it('refuses keys that are not 32 bytes of base64, bad or repeated ids, an unknown current key, a requirement without keys', () => {
    const bad = (env: Record<string, string>, re: RegExp) => expect(() => loadConfig({ ...db, ...env })).toThrow(re);
    bad({ KETNAP_PAYLOAD_KEYS: `a:${Buffer.alloc(16).toString('base64')}` }, /key "a" must be 32 bytes/);
    bad({ KETNAP_PAYLOAD_KEYS: 'a:not base64!' }, /key "a" must be 32 bytes/);
    bad({ KETNAP_PAYLOAD_KEYS: k1 }, /not "id:base64key"/);
    bad({ KETNAP_PAYLOAD_KEYS: `a b:${k1}` }, /not "id:base64key"/);
    bad({ KETNAP_PAYLOAD_KEYS: `a:${k1},a:${k2}` }, /"a" appears twice/);
    bad({ KETNAP_PAYLOAD_KEYS: `a:${k1}`, KETNAP_PAYLOAD_KEY_ID: 'b' }, /KETNAP_PAYLOAD_KEY_ID: "b" is not an id/);
    bad({ KETNAP_REQUIRE_ENCRYPTED_PAYLOADS: 'true' }, /needs KETNAP_PAYLOAD_KEYS/);
    bad({ KETNAP_REQUIRE_ENCRYPTED_PAYLOADS: 'yes' }, /KETNAP_REQUIRE_ENCRYPTED_PAYLOADS/);
  });

  it('reads the Temporal TLS files, server name and API key; a certificate needs its key; missing files are named', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ketnap-tls-'));
    const file = (n: string) => {
      writeFileSync(path.join(dir, n), 'PEM');
      return path.join(dir, n);
    };
    const c = loadConfig({ ...db, TEMPORAL_TLS_CERT: file('c.pem'), TEMPORAL_TLS_KEY: file('k.pem'), TEMPORAL_TLS_CA: file('ca.pem'), TEMPORAL_TLS_SERVER_NAME: 'temporal.internal', TEMPORAL_API_KEY: 'secret-key' });
    expect(c.temporal.tls).toEqual({ certPath: path.join(dir, 'c.pem'), keyPath: path.join(dir, 'k.pem'), caPath: path.join(dir, 'ca.pem'), serverName: 'temporal.internal' });
    expect(c.temporal.apiKey).toBe('secret-key');
    expect(loadConfig(db).temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'ketnap-candidates' });
    expect(() => loadConfig({ ...db, TEMPORAL_TLS_CERT: file('c.pem') })).toThrow(/TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together/);
    expect(() => loadConfig({ ...db, TEMPORAL_TLS_CA: path.join(dir, 'missing.pem') })).toThrow(/TEMPORAL_TLS_CA: file not found/);
  });

  it('takes the Temporal UI origin for the codec endpoint as an origin only', () => {
    expect(loadConfig(db).codecCorsOrigin).toBeUndefined();
    expect(loadConfig({ ...db, KETNAP_CODEC_CORS_ORIGIN: 'https://temporal-ui.example.org/' }).codecCorsOrigin).toBe('https://temporal-ui.example.org');
    expect(() => loadConfig({ ...db, KETNAP_CODEC_CORS_ORIGIN: 'https://temporal-ui.example.org/namespaces' })).toThrow(/KETNAP_CODEC_CORS_ORIGIN/);
  });
});
