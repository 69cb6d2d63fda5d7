import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { createApi } from '../../apps/api/src/bootstrap.js';
import { startWorker, type RunningWorker } from '../../apps/worker/src/run-worker.js';
import { loadConfig, type KetnapConfig } from '../../libs/config/src/config.js';
import type { TaskType } from '../../libs/domain/src/procedure.js';
import { validDecision, type DecisionPayload } from './decisions.js';
import { databaseUrl, temporalAddress } from './env.js';
import { openDataSource, waitFor } from './fixtures.js';
import { Api } from './http.js';

/** The system tests' Temporal payload keyring (KETNAP_PAYLOAD_KEYS): one fixed, test-only key. */
export const TEST_PAYLOAD_KEYS = `test-1:${Buffer.alloc(32, 7).toString('base64')}`;

export type UserKey = 'secretary' | 'grassroots' | 'board' | 'centre' | 'outsider' | 'outsiderBoard' | 'provinceBoard' | 'auditor' | 'otherAuditor';

/**
 * The running system for end-to-end tests: API and worker built from the production modules, on the real
 * Temporal server and PostgreSQL, an org tree and one user per role, each test file with its own names.
 */
export class TestSystem {
  readonly tag = randomUUID().slice(0, 8);
  readonly users = {} as Record<UserKey, Api>;
  readonly units: Record<string, string> = {};
  anon!: Api;
  admin!: Api;
  app!: INestApplication;
  worker?: RunningWorker;
  config!: KetnapConfig;

  async start(env: Record<string, string> = {}): Promise<this> {
    this.config = {
      ...loadConfig({
        DATABASE_URL: databaseUrl(),
        TEMPORAL_ADDRESS: temporalAddress(),
        KETNAP_TASK_QUEUE: `e2e-${this.tag}`,
        KETNAP_ADMIN_USERNAME: `admin-${this.tag}`,
        KETNAP_ADMIN_PASSWORD: 'admin-password',
        // A cheaper scrypt than production's (15:8:3) keeps the many sign-ins of the suite fast; auth-security.e2e-spec.ts runs the default.
        KETNAP_PASSWORD_HASH_COST: '12:8:1',
        // Temporal payloads encrypted as in production (the worker then refuses unencrypted ones); '' for clear.
        KETNAP_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
        ...env,
      }),
      port: 0,
    };
    // Each test file owns its business clock: start it at today's date (the anchor persists in the database).
    const ds = await openDataSource();
    await ds.query(`DELETE FROM app_settings WHERE key = 'business_clock'`);
    await ds.destroy();
    await this.startWorker();
    this.app = await createApi(this.config, { logger: ['error'] });
    await this.app.listen(0, '127.0.0.1');
    this.anon = new Api(`http://127.0.0.1:${this.app.getHttpServer().address().port}`);
    this.admin = await this.anon.login(`admin-${this.tag}`, 'admin-password');
    await this.seed();
    return this;
  }

  async startWorker(): Promise<void> {
    this.worker = await startWorker(this.config);
  }

  async stopWorker(): Promise<void> {
    await this.worker?.stop();
    this.worker = undefined;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.stopWorker();
  }

  email(key: UserKey): string {
    return `${key}-${this.tag}@ketnap.test`;
  }

  private async seed(): Promise<void> {
    const unit = async (key: string, name: string, kind: string, parent?: string) => {
      const r = await this.admin.post('/api/org-units', { name: `${name} ${this.tag}`, kind, parentId: parent ? this.units[parent] : undefined });
      if (r.status !== 201) throw new Error(`org unit ${key}: ${r.status} ${JSON.stringify(r.body)}`);
      this.units[key] = r.body.id;
    };
    await unit('province', 'Tỉnh ủy', 'province');
    await unit('superior', 'Đảng ủy phường', 'superior', 'province');
    await unit('grassroots', 'Đảng ủy trường', 'grassroots_committee', 'superior');
    await unit('cell', 'Chi bộ giáo viên', 'cell', 'grassroots');
    await unit('centre', 'Trung tâm chính trị', 'training_centre', 'superior');
    await unit('otherSuperior', 'Đảng ủy xã khác', 'superior', 'province');
    await unit('otherGrassroots', 'Đảng ủy cơ sở khác', 'grassroots_committee', 'otherSuperior');
    await unit('otherCell', 'Chi bộ khác', 'cell', 'otherGrassroots');
    const user = async (key: UserKey, role: string, unitKey: string) => {
      const username = `${key}-${this.tag}`;
      const r = await this.admin.post('/api/users', { username, password: 'password-0001', fullName: `Người dùng ${key}`, email: this.email(key), roles: [{ role, orgUnitId: this.units[unitKey] }] });
      if (r.status !== 201) throw new Error(`user ${key}: ${r.status} ${JSON.stringify(r.body)}`);
      this.users[key] = await this.anon.login(username, 'password-0001');
    };
    await user('secretary', 'cell_secretary', 'cell');
    await user('grassroots', 'grassroots_committee', 'grassroots');
    await user('board', 'superior_board', 'superior');
    await user('centre', 'training_centre', 'centre');
    await user('outsider', 'cell_secretary', 'otherCell');
    await user('outsiderBoard', 'superior_board', 'otherSuperior');
    await user('provinceBoard', 'superior_board', 'province');
    await user('auditor', 'auditor', 'province');
    await user('otherAuditor', 'auditor', 'otherSuperior');
  }

  async today(): Promise<string> {
    return (await this.anon.get('/api/clock')).body.today;
  }

  async openTask(as: Api, candidateId: string, type: TaskType, timeoutMs = 20_000) {
    return waitFor(
      `${type} in the inbox`,
      async () => {
        const r = await as.get(`/api/tasks?type=${type}&limit=500`);
        if (r.status !== 200) throw new Error(`inbox: ${r.status} ${JSON.stringify(r.body)}`);
        return r.body.items.find((t: any) => t.candidateId === candidateId);
      },
      timeoutMs,
    );
  }

  async decide(as: Api, candidateId: string, type: TaskType, overrides: Partial<DecisionPayload> = {}, headers: Record<string, string> = {}) {
    const task = await this.openTask(as, candidateId, type);
    return as.post(`/api/tasks/${task.id}/complete`, validDecision(type, await this.today(), overrides), headers);
  }

  async decideOk(as: Api, candidateId: string, type: TaskType, overrides: Partial<DecisionPayload> = {}) {
    const r = await this.decide(as, candidateId, type, overrides);
    if (r.status !== 200) throw new Error(`${type}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** The candidate's business history, as the cell secretary reads it. */
  async history(candidateId: string): Promise<any[]> {
    const r = await this.users.secretary.get(`/api/candidates/${candidateId}/history`);
    if (r.status !== 200) throw new Error(`history: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.events;
  }

  /** A new candidate taken through the admission steps up to the cell's resolution (the grassroots review opens, with T3). */
  async toCellResolution(name: string): Promise<string> {
    const { users } = this;
    const id = await this.newCandidate(users.secretary, name);
    await this.decideOk(users.secretary, id, 'recognize_sympathiser');
    await this.decideOk(users.centre, id, 'record_training_certificate');
    await this.decideOk(users.secretary, id, 'submit_application');
    await this.decideOk(users.grassroots, id, 'verify_background');
    await this.decideOk(users.secretary, id, 'record_introductions');
    await this.decideOk(users.secretary, id, 'cell_admission_vote');
    return id;
  }

  async newCandidate(as: Api, name = 'Nguyễn Văn An'): Promise<string> {
    const r = await as.post('/api/candidates', {
      cellId: this.units.cell,
      fullName: name,
      dateOfBirth: '1999-04-12',
      gender: 'male',
      ethnicity: 'Kinh',
      education: 'university',
      youthUnionMember: true,
      source: { organization: 'Đoàn trường', introducedOn: await this.today() },
    });
    if (r.status !== 201) throw new Error(`create candidate: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  }
}
