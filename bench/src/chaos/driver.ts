/**
 * The chaos run's load, all through the HTTP API as a real client would send it:
 * - cases created (`POST /api/candidates`) and driven along the path, a decision (`POST /api/tasks/:id/complete`)
 *   offered every 1/rate seconds to a case that has a decidable task, each with an Idempotency-Key of its own;
 *   an unanswered, 5xx, 429, 401 or `idempotency_in_progress` answer (or a refused connection) is retried with
 *   the SAME key and body until answered or the retry deadline passes. Every decision goes into the ledger;
 * - every third case parks at the grassroots review (clock T3), so its reminders, the missed deadline and the
 *   escalation fire on the compressed business clock while the run goes on; once the escalation is open the
 *   late review is decided (a decision on a case whose reminders are being delivered);
 * - a class of cases held at the party-awareness step, certified in bulk (`POST /training-classes/:id/certify`);
 * - a calendar update (`PUT /api/calendar/:year`, one more day off soon) signalled to every active case.
 */
import { randomUUID } from 'node:crypto';
import { BUILT_IN_YEAR_DATA } from '../../../libs/domain/src/calendar/index.js';
import { addDays, vnDateOf } from '../../../libs/domain/src/dates.js';
import { businessNowMs, type BusinessClock } from '../../../libs/domain/src/clock.js';
import { TASK_TYPES, type TaskType } from '../../../libs/domain/src/procedure.js';
import { withClient } from '../../../infra/src/postgres.js';
import { validDecision } from '../decisions.js';
import { Api, type HttpResult } from '../http.js';
import { delay } from '../load.js';
import { candidateBody } from '../scenarios/case-starts.js';
import { say } from './log.js';
import { ADMIN, type ChaosStack } from './stack.js';

export type ApproverRole = 'cell_secretary' | 'training_centre' | 'grassroots_committee' | 'superior_board';

/** Every step a person decides (the escalation items are followed up, not decided, here). */
const DECIDABLE = new Set<string>(TASK_TYPES.filter((t) => t !== 'overdue_escalation'));

export interface TaskRef {
  id: string;
  type: TaskType;
  role: ApproverRole;
  notBefore?: string;
  status?: string;
}

export interface CaseRec {
  id: string;
  n: number;
  openTasks: TaskRef[];
  status: string;
  busy: boolean;
  /** Parks at the grassroots review until its deadline is missed: its T3 reminders and escalation fire. */
  parks: boolean;
  /** Held at the party-awareness step for the class certify. */
  inClass: boolean;
  recheckAt: number;
}

export type Outcome = 'pending' | 'ok' | 'refused' | 'unanswered';

export interface DecisionRec {
  key: string;
  caseId: string;
  taskId: string;
  taskType: string;
  firstSentAt: number;
  /** Start of the attempt that got the final answer. */
  answeredAttemptAt?: number;
  answeredAt?: number;
  attempts: number;
  status?: number;
  code?: string;
  outcome: Outcome;
  /** The last retryable answer of an unanswered decision: `409 idempotency_in_progress`, `503 …`, `no connection`. */
  lastError?: string;
  /** Index of the fault window the decision was first sent in (0: before the first fault). */
  window: number;
  /** 'path' (the driver) or 'certify' (applied by the class certify). */
  via: 'path' | 'certify';
}

export interface FanOut {
  kind: 'certify' | 'calendar';
  sentAt: number;
  answeredAt?: number;
  /** When a 202's job was seen finished. */
  finishedAt?: number;
  /** The job's last view (202 answers). */
  job?: { status: string; total: number; done: number; failed: number };
  status?: number;
  attempts: number;
  detail: Record<string, unknown>;
}

export interface DriverOptions {
  rate: number;
  /** Retry deadline of one request (ms from its first attempt). */
  retryMs: number;
  /** Cases created before the load starts. */
  initialCases: number;
  classSize: number;
}

const ATTEMPT_TIMEOUT_MS = 20_000;

function retryable(r: HttpResult): boolean {
  return r.status >= 500 || r.status === 429 || r.status === 401 || (r.status === 409 && r.body?.code === 'idempotency_in_progress');
}

export class Driver {
  readonly cases = new Map<string, CaseRec>();
  readonly decisions: DecisionRec[] = [];
  readonly fanOuts: FanOut[] = [];
  /** Decision slots offered when no case had a decidable task. */
  skipped = 0;
  creations = { ok: 0, failed: 0 };
  window = 0;

  private ready: CaseRec[] = [];
  private inFlight = new Set<Promise<unknown>>();
  private creating = 0;
  private stopped = false;
  private clock!: BusinessClock;
  admin!: Api;
  users!: Record<ApproverRole, Api>;
  units!: { province: string; superior: string; grassroots: string; cell: string; centre: string };
  classCases: string[] = [];

  constructor(
    private readonly stack: ChaosStack,
    private readonly o: DriverOptions,
    private readonly signal: AbortSignal,
  ) {}

  today(): string {
    return vnDateOf(businessNowMs(this.clock, Date.now()));
  }

  /** Org tree, one approver per role (with an e-mail address), the business clock and the first cases. */
  async setup(): Promise<void> {
    const anon = new Api(this.stack.apiUrl);
    this.admin = await anon.login(ADMIN.username, ADMIN.password);
    // The clock the API anchored in the database: decisions are dated by the same business "today".
    const stored = await withClient(this.stack.dbUrl, async (c) => (await c.query(`SELECT value FROM app_settings WHERE key = 'business_clock'`)).rows[0]?.value);
    if (!stored) throw new Error('no business clock in app_settings (did the API start?)');
    this.clock = typeof stored === 'string' ? JSON.parse(stored) : stored;
    const units = {} as Driver['units'];
    const unit = async (key: keyof Driver['units'], name: string, kind: string, parent?: keyof Driver['units']) => {
      const r = await this.admin.post('/api/org-units', { name: `${name} chaos`, kind, parentId: parent ? units[parent] : undefined });
      if (r.status !== 201) throw new Error(`org unit ${key}: ${r.status} ${JSON.stringify(r.body)}`);
      units[key] = r.body.id;
    };
    await unit('province', 'Tỉnh ủy', 'province');
    await unit('superior', 'Đảng ủy phường', 'superior', 'province');
    await unit('grassroots', 'Đảng ủy trường', 'grassroots_committee', 'superior');
    await unit('cell', 'Chi bộ giáo viên', 'cell', 'grassroots');
    await unit('centre', 'Trung tâm chính trị', 'training_centre', 'superior');
    this.units = units;
    const users = {} as Record<ApproverRole, Api>;
    const roleUnit: Record<ApproverRole, keyof Driver['units']> = { cell_secretary: 'cell', training_centre: 'centre', grassroots_committee: 'grassroots', superior_board: 'superior' };
    for (const [role, key] of Object.entries(roleUnit) as [ApproverRole, keyof Driver['units']][]) {
      const username = `chaos-${role.replace(/_/g, '-')}`;
      const password = 'chaos-password-1';
      const r = await this.admin.post('/api/users', { username, password, fullName: `Chaos ${role}`, email: `${username}@chaos.test`, roles: [{ role, orgUnitId: units[key] }] });
      if (r.status !== 201) throw new Error(`user ${role}: ${r.status} ${JSON.stringify(r.body)}`);
      users[role] = await anon.login(username, password);
    }
    // The province level gets the superior board's escalations.
    const prov = await this.admin.post('/api/users', {
      username: 'chaos-province',
      password: 'chaos-password-1',
      fullName: 'Chaos province',
      email: 'chaos-province@chaos.test',
      roles: [{ role: 'superior_board', orgUnitId: units.province }],
    });
    if (prov.status !== 201) throw new Error(`user province: ${prov.status} ${JSON.stringify(prov.body)}`);
    this.users = users;
    say(`org tree and ${Object.keys(users).length + 1} approvers (with e-mail addresses) created through the API`);

    const ids: string[] = [];
    for (let i = 0; i < this.o.initialCases; i += 4) {
      const batch = await Promise.all(Array.from({ length: Math.min(4, this.o.initialCases - i) }, () => this.createCase()));
      for (const c of batch) if (c) ids.push(c.id);
    }
    say(`${ids.length} cases created; ${this.o.classSize} of them wait for the party-awareness class`);
  }

  /** A request retried with the same key until answered (not retryable) or the deadline. */
  async send(
    api: Api,
    method: string,
    path: string,
    body: unknown,
    key: string | undefined,
    deadline: number,
    onAttempt?: (at: number) => void,
    onRetryable?: (why: string) => void,
  ): Promise<(HttpResult & { attemptAt: number }) | undefined> {
    let backoff = 200;
    for (;;) {
      const attemptAt = Date.now();
      onAttempt?.(attemptAt);
      try {
        const r = await api.call(method, path, body, key ? { 'idempotency-key': key } : {}, ATTEMPT_TIMEOUT_MS);
        if (!retryable(r)) return { ...r, attemptAt };
        onRetryable?.(`${r.status} ${r.body?.code ?? ''}`.trim());
      } catch (e) {
        /* refused, reset, timed out, or not JSON: retry */
        onRetryable?.((e as Error).name === 'TimeoutError' ? 'no answer within 20 s' : 'no connection');
      }
      if (this.signal.aborted || Date.now() + backoff > deadline) return undefined;
      await delay(backoff, this.signal);
      backoff = Math.min(backoff * 2, 2_000);
    }
  }

  private async createCase(): Promise<CaseRec | undefined> {
    const n = this.cases.size + this.creating;
    this.creating++;
    try {
      // A creation is given up after 30 s (a new one with a new key follows): while a stale Idempotency-Key is
      // answered `idempotency_in_progress`, the pool of cases must not run dry.
      const r = await this.send(this.users.cell_secretary, 'POST', '/api/candidates', candidateBody(this.units.cell, this.today(), n), randomUUID(), Date.now() + Math.min(30_000, this.o.retryMs));
      if (!r || r.status !== 201) {
        this.creations.failed++;
        return undefined;
      }
      this.creations.ok++;
      const c: CaseRec = {
        id: r.body.id,
        n,
        openTasks: r.body.openTasks ?? [],
        status: r.body.status ?? 'active',
        busy: false,
        parks: n % 3 === 2,
        inClass: this.classCases.length < this.o.classSize && n % 3 !== 2,
        recheckAt: 0,
      };
      if (c.inClass) this.classCases.push(c.id);
      this.cases.set(c.id, c);
      this.place(c);
      return c;
    } finally {
      this.creating--;
    }
  }

  private nextTask(c: CaseRec): TaskRef | undefined {
    if (c.status !== 'active') return undefined;
    const today = this.today();
    return c.openTasks.find(
      (t) =>
        (t.status ?? 'open') === 'open' &&
        DECIDABLE.has(t.type) &&
        (!t.notBefore || t.notBefore <= today) &&
        !(c.parks && t.type === 'grassroots_admission_review') &&
        !(c.inClass && t.type === 'record_training_certificate'),
    );
  }

  /** Waiting for the class: nothing to read again until the certify. */
  private holding(c: CaseRec): boolean {
    return c.inClass && c.openTasks.some((t) => t.type === 'record_training_certificate');
  }

  /** A parked case goes on once its deadline was missed (the escalation is open): the late review is decided. */
  private unparkIfEscalated(c: CaseRec): void {
    if (c.parks && c.openTasks.some((t) => t.type === 'overdue_escalation' && (t.status ?? 'open') === 'open')) c.parks = false;
  }

  private place(c: CaseRec): void {
    if (c.busy || this.ready.includes(c)) return;
    if (this.nextTask(c)) this.ready.push(c);
    else c.recheckAt = Date.now() + 3_000;
  }

  private async refresh(c: CaseRec, deadlineMs = 30_000): Promise<void> {
    const r = await this.send(this.admin, 'GET', `/api/candidates/${c.id}`, undefined, undefined, Date.now() + deadlineMs);
    if (r?.status === 200) {
      c.openTasks = r.body.openTasks ?? [];
      c.status = r.body.status ?? c.status;
      this.unparkIfEscalated(c);
    }
  }

  private async decide(c: CaseRec, task: TaskRef): Promise<void> {
    c.busy = true;
    const body = validDecision(task.type, this.today());
    const d: DecisionRec = { key: randomUUID(), caseId: c.id, taskId: task.id, taskType: task.type, firstSentAt: Date.now(), attempts: 0, outcome: 'pending', window: this.window, via: 'path' };
    this.decisions.push(d);
    const r = await this.send(
      this.users[task.role],
      'POST',
      `/api/tasks/${task.id}/complete`,
      body,
      d.key,
      d.firstSentAt + this.o.retryMs,
      () => d.attempts++,
      (why) => (d.lastError = why),
    );
    if (r) {
      d.status = r.status;
      d.answeredAt = Date.now();
      d.answeredAttemptAt = r.attemptAt;
      d.code = r.body?.code;
    }
    if (r?.status === 200) {
      d.outcome = 'ok';
      c.openTasks = (r.body.openTasks ?? []).filter((t: TaskRef) => t.id !== task.id);
      c.status = r.body.status ?? c.status;
    } else {
      d.outcome = r ? 'refused' : 'unanswered';
      await this.refresh(c);
    }
    c.busy = false;
    this.place(c);
  }

  private track(p: Promise<unknown>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** Offers decisions at the rate until stop(); keeps a few cases ready; rechecks waiting cases. */
  async run(): Promise<void> {
    const period = 1000 / this.o.rate;
    let next = Date.now();
    let lastRecheck = 0;
    while (!this.stopped && !this.signal.aborted) {
      const c = this.ready.shift();
      const task = c && this.nextTask(c);
      if (c && task) this.track(this.decide(c, task));
      else {
        if (c) this.place(c);
        this.skipped++;
      }
      if (this.ready.length < 8 && this.creating < 4) this.track(this.createCase());
      if (Date.now() - lastRecheck > 1_000) {
        lastRecheck = Date.now();
        const due = [...this.cases.values()].filter((x) => !x.busy && x.status === 'active' && !this.ready.includes(x) && x.recheckAt <= Date.now());
        let reads = 0;
        for (const x of due) {
          if (this.nextTask(x)) this.ready.push(x);
          else if (reads < 6 && !this.holding(x)) {
            reads++;
            x.recheckAt = Date.now() + 5_000;
            this.track(this.refresh(x, 5_000).then(() => this.place(x)));
          } else x.recheckAt = Date.now() + 5_000;
        }
      }
      next += period;
      await delay(next - Date.now(), this.signal);
    }
  }

  /** Stops offering decisions and waits for those in flight (each ends by its retry deadline). */
  async stop(): Promise<void> {
    this.stopped = true;
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /** Decisions still waiting for an answer (for progress lines). */
  pending(): number {
    return this.decisions.filter((d) => d.outcome === 'pending').length;
  }

  /** The class: created, proposed, enrolled and graded for the held cases (before any fault). */
  async prepareClass(): Promise<string> {
    const today = this.today();
    const ok = async (p: Promise<HttpResult>, status = 200) => {
      const r = await p;
      if (r.status !== status) throw new Error(`class setup: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    // The cases held for the class must have their party-awareness task open (recognize_sympathiser decided).
    const deadline = Date.now() + 60_000;
    for (;;) {
      await Promise.all(this.classCases.map((id) => this.refresh(this.cases.get(id)!)));
      const waiting = this.classCases.filter((id) => !this.cases.get(id)!.openTasks.some((t) => t.type === 'record_training_certificate'));
      if (!waiting.length) break;
      if (Date.now() > deadline) throw new Error(`${waiting.length} class cases never reached the party-awareness step`);
      await delay(1_000, this.signal);
    }
    const cls = await ok(
      this.users.training_centre.post('/api/training-classes', { kind: 'party_awareness', name: 'Lớp chaos', startsOn: today, endsOn: today, capacity: this.classCases.length, orgUnitId: this.units.centre }),
      201,
    );
    await ok(this.users.grassroots_committee.post(`/api/training-classes/${cls.id}/proposals`, { candidateIds: this.classCases }));
    await ok(this.users.training_centre.post(`/api/training-classes/${cls.id}/enrolments`, { candidateIds: this.classCases, status: 'enrolled' }));
    await ok(this.users.training_centre.post(`/api/training-classes/${cls.id}/attendance`, { records: this.classCases.map((candidateId) => ({ candidateId, attendance: 'full', result: 'pass' })) }));
    say(`class of ${this.classCases.length} ready for the bulk certify`);
    return cls.id;
  }

  /**
   * Follows a fan-out's answer: 200 is the whole result at once (before fan-outs became jobs); 202 names a job,
   * polled (GET /api/jobs/:id, retried through faults) until it is no longer running. Returns the result.
   */
  private async followJob(f: FanOut, r: HttpResult): Promise<Record<string, any> | undefined> {
    if (r.status === 200) return r.body;
    if (r.status !== 202 || !r.body?.jobId) return undefined;
    const jobId = r.body.jobId as string;
    f.detail = { ...f.detail, jobId };
    const deadline = Date.now() + Math.max(this.o.retryMs, 120_000);
    let last: Record<string, any> | undefined;
    while (Date.now() < deadline && !this.signal.aborted) {
      const g = await this.send(this.admin, 'GET', `/api/jobs/${jobId}`, undefined, undefined, deadline);
      if (g?.status === 200) {
        last = g.body;
        if (g.body.status !== 'running') break;
      }
      await delay(500, this.signal);
    }
    f.job = last ? { status: last.status, total: last.total, done: last.done, failed: last.failed } : undefined;
    f.finishedAt = last && last.status !== 'running' ? Date.now() : undefined;
    return last?.status === 'running' ? undefined : last?.result;
  }

  /**
   * Certifies the class as the centre would: one request with an Idempotency-Key, retried with that key while
   * unanswered, then followed to its end; pressed again (a new request) while some candidates were refused (3
   * presses at most). Then the class cases go on along the path.
   */
  async certify(classId: string): Promise<void> {
    const f: FanOut = { kind: 'certify', sentAt: Date.now(), attempts: 0, detail: { classId, candidates: this.classCases.length } };
    this.fanOuts.push(f);
    const body = { issuedOn: this.today() };
    for (let press = 1; press <= 3; press++) {
      const r = await this.send(this.users.training_centre, 'POST', `/api/training-classes/${classId}/certify`, body, randomUUID(), Date.now() + this.o.retryMs, () => f.attempts++);
      f.status = r?.status;
      if (!r) continue;
      f.answeredAt ??= Date.now();
      const result = await this.followJob(f, r);
      if (!result) {
        f.detail = { ...f.detail, code: r.body?.code, presses: press };
        continue;
      }
      f.detail = { ...f.detail, applied: result.applied, alreadyApplied: result.alreadyApplied, refused: result.refused, presses: press };
      for (const line of result.results ?? []) {
        if (line.status !== 'applied' && line.status !== 'already_applied') continue;
        if (this.decisions.some((d) => d.via === 'certify' && d.caseId === line.candidateId)) continue;
        this.decisions.push({ key: `certify:${classId}:${line.candidateId}`, caseId: line.candidateId, taskId: '', taskType: 'record_training_certificate', firstSentAt: f.sentAt, answeredAt: f.answeredAt, attempts: f.attempts, status: 200, outcome: 'ok', window: this.window, via: 'certify' });
      }
      if (!result.refused) break;
    }
    say(`certify: ${f.answeredAt ? `answered ${f.status} after ${f.attempts} attempt(s)${f.job ? `, job ${f.job.status} ${f.job.done}/${f.job.total}` : ''}: ${JSON.stringify(f.detail)}` : 'no answer'}`);
    for (const id of this.classCases) {
      const c = this.cases.get(id)!;
      c.inClass = false;
      await this.refresh(c);
      this.place(c);
    }
  }

  /** One more day off soon (a 'special' day), as an administrator would send it; retried until answered. */
  async calendarUpdate(): Promise<void> {
    let date = addDays(this.today(), 6);
    const year = () => Number(date.slice(0, 4));
    const current = async () => (await this.send(this.admin, 'GET', `/api/calendar/${year()}`, undefined, undefined, Date.now() + 30_000))?.body;
    let cal = await current();
    const isOff = (d: string) => cal.holidays.some((h: { date: string }) => h.date === d) || [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());
    while (isOff(date)) {
      date = addDays(date, 1);
      if (String(year()) !== String(cal.year)) cal = await current();
    }
    const builtIn = BUILT_IN_YEAR_DATA.filter((d) => d.year === year()).map((d) => d.version);
    const version = Math.max(0, ...builtIn, ...(cal.versions ?? []).map((v: { version: number }) => v.version)) + 1;
    const body = {
      version,
      source: `chaos run ${this.stack.runId}: one more day off`,
      holidays: [
        ...cal.holidays.map((h: Record<string, unknown>) => ({ date: h.date, name_vi: h.name_vi, name_en: h.name_en, kind: h.kind, ...(h.confirmed === false ? { confirmed: false } : {}) })),
        { date, name_vi: 'Nghỉ đột xuất (chaos)', name_en: 'Special day off (chaos)', kind: 'special' },
      ].sort((a, b) => String(a.date).localeCompare(String(b.date))),
      extraWorkingDays: (cal.extraWorkingDays ?? []).map((e: Record<string, unknown>) => ({ date: e.date, reason: e.reason, ...(e.confirmed === false ? { confirmed: false } : {}) })),
    };
    const f: FanOut = { kind: 'calendar', sentAt: Date.now(), attempts: 0, detail: { year: year(), version, dayOff: date } };
    this.fanOuts.push(f);
    const r = await this.send(this.admin, 'PUT', `/api/calendar/${year()}`, body, randomUUID(), Date.now() + this.o.retryMs, () => f.attempts++);
    f.status = r?.status;
    if (r) {
      f.answeredAt = Date.now();
      const result = await this.followJob(f, r);
      f.detail = { ...f.detail, ...(result ? { signalled: result.signalled, failed: Array.isArray(result.failed) ? result.failed.length : result.failed } : { code: r.body?.code }) };
    }
    say(`calendar update ${year()} v${version} (day off ${date}): ${r ? `${r.status} after ${f.attempts} attempt(s)${f.job ? `, job ${f.job.status} ${f.job.done}/${f.job.total}` : ''} ${JSON.stringify(f.detail)}` : 'no answer'}`);
  }
}
