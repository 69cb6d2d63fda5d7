import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('applies defaults for an environment with only DATABASE_URL', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x' });
    expect(c.port).toBe(3000);
    expect(c.clockSpeed).toBe(1);
    expect(c.temporal.address).toBe('127.0.0.1:7233');
    expect(c.admin).toBeUndefined();
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
    expect(loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_WORKER_CACHE_SIZE: '0' }).worker).toEqual({ maxCachedWorkflows: 0 });
  });

  it('refuses a worker size that is not a whole number in range', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_WORKER_CACHE_SIZE: '-1' })).toThrow(/KETNAP_WORKER_CACHE_SIZE/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_WORKFLOW_THREADS: '0' })).toThrow(/KETNAP_WORKFLOW_THREADS/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x/y', KETNAP_WORKFLOW_THREADS: '1.5' })).toThrow(/KETNAP_WORKFLOW_THREADS/);
  });
});
