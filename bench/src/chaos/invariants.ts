/**
 * The checks after the load, over every case of the run's database:
 * 1. decisions: every one answered 200 is in the business history exactly once (the workflow's own events
 *    and the read model's candidate_events); every refused or unanswered one at most once;
 * 2. the read model equals the workflow's state: readModelDrift of libs/persistence/src/read-model-drift.ts, the
 *    comparison `npm run reconcile` makes (candidate row, every task, every event) — a drifted case is read
 *    again twice, 2 s apart, before it counts (a timer may fire between the query and the SQL);
 * 3. reminders and escalations once in the history; e-mail at most once per recipient and key;
 * 4. no stuck case: every active case has an open task or waits for the end of probation, its workflow is
 *    running, and no activity of it keeps failing (a pending activity on its 3rd attempt or later);
 * 5. the hash chain verifies (GET /api/audit/verify, every page);
 * 6. fan-outs complete: the calendar update reached every case active when it was stored (a calendarUpdated
 *    signal in its history), and the certify applied every enrolled candidate's step.
 */
import pg from 'pg';
import { withClient } from '../../../infra/src/postgres.js';
import { WorkflowNotFoundError } from '@temporalio/client';
import { candidateWorkflowId, stateQuery, type CaseState } from '../../../workflows/candidate/candidate.messages.js';
import { delay, mapLimit } from '../load.js';
import type { DataSource } from 'typeorm';
import { readModelDrift, workflowSide, type Drift, type ReadModelSide } from '../../../libs/persistence/src/read-model-drift.js';
import { ReconcileRepository } from '../../../libs/persistence/src/repositories/reconcile.repository.js';
import { checkDecisions, checkMails, decisionCounts, isStuck, repeatedReminders } from './compare.js';
import type { DecisionRec, Driver } from './driver.js';
import { say } from './log.js';
import type { ChaosStack } from './stack.js';

export interface Invariant {
  name: string;
  pass: boolean;
  detail: string;
  examples: string[];
}

export interface CaseFacts {
  id: string;
  state?: CaseState;
  running: boolean;
  error?: string;
  /** Pending activities on their 3rd attempt or later: `type attempt n: last failure`. */
  failing: string[];
}

export interface CheckResult {
  invariants: Invariant[];
  cases: number;
  stuckIds: Set<string>;
  /** Per decision: times recorded in the workflow history. */
  recorded: Map<DecisionRec, number>;
  lostKeys: Set<string>;
  duplicatedKeys: Set<string>;
  mailsReceived: number;
  notificationsUnsent: number;
  remindersInHistory: number;
}

async function readModel(dbUrl: string) {
  const db = new pg.Client({ connectionString: dbUrl });
  db.on('error', () => undefined); // a query then fails and says why
  await db.connect();
  try {
    const cands = (await db.query(`SELECT id, stage, status, created_at FROM candidates ORDER BY created_at`)).rows as { id: string; stage: string; status: string }[];
    return { db, cands };
  } catch (e) {
    await db.end();
    throw e;
  }
}

/** The rows of one case as `npm run reconcile` reads them (its repository, over this pg client). */
function readCase(db: pg.Client, id: string): Promise<ReadModelSide> {
  const ds = { query: async (sql: string, params?: unknown[]) => (await db.query(sql, params)).rows } as unknown as DataSource;
  return new ReconcileRepository(ds).readModel(id);
}

/** Drift in words: `field: workflow … / read model …`. */
function describeDrift(d: Drift): string {
  const v = (x: unknown) => (typeof x === 'string' ? x : JSON.stringify(x))?.slice(0, 80);
  return `${d.field}: workflow ${v(d.workflow)}, read model ${v(d.readModel)}`;
}

async function caseFacts(stack: ChaosStack, id: string): Promise<CaseFacts> {
  const h = stack.client.workflow.getHandle(candidateWorkflowId(id));
  try {
    const d = await h.describe();
    const failing = (d.raw.pendingActivities ?? [])
      .filter((a) => (a.attempt ?? 0) >= 3)
      .map((a) => `${a.activityType?.name} attempt ${a.attempt}: ${a.lastFailure?.message ?? ''}`.slice(0, 300));
    const state = await h.query(stateQuery);
    return { id, state, running: d.status.name === 'RUNNING', failing };
  } catch (e) {
    return { id, running: false, failing: [], error: e instanceof WorkflowNotFoundError ? 'no workflow' : (e as Error).message };
  }
}

/**
 * Cases whose workflow has an activity failing because of e-mail (attempt ≥ 2, last failure naming SMTP or a
 * 5xx reply): while SMTP is down, such a case's later decisions wait behind the failing delivery.
 */
export async function casesBlockedByEmail(stack: ChaosStack, signal: AbortSignal): Promise<string[]> {
  const ids = await withClient(stack.dbUrl, async (c) => (await c.query(`SELECT id FROM candidates WHERE status = 'active'`)).rows.map((r) => r.id as string));
  const blocked: string[] = [];
  await mapLimit(ids, 8, signal, async (id) => {
    try {
      const d = await stack.client.workflow.getHandle(candidateWorkflowId(id)).describe();
      const failing = (d.raw.pendingActivities ?? []).find((a) => (a.attempt ?? 0) >= 2 && /smtp|554|mail/i.test(a.lastFailure?.message ?? ''));
      if (failing) blocked.push(`case ${id}: ${failing.activityType?.name} attempt ${failing.attempt}: ${(failing.lastFailure?.message ?? '').slice(0, 160)}`);
    } catch {
      /* gone or not started: not blocked by e-mail */
    }
  });
  return blocked;
}

export async function checkInvariants(stack: ChaosStack, driver: Driver, signal: AbortSignal): Promise<CheckResult> {
  const checkStartedAt = Date.now();
  const { db, cands } = await readModel(stack.dbUrl);
  try {
    say(`checks: ${cands.length} cases in the read model; querying each workflow`);
    const facts = await mapLimit(cands, 8, signal, (c) => caseFacts(stack, c.id));
    const byId = new Map(facts.map((f) => [f.id, f]));
    const invariants: Invariant[] = [];

    // 1. Decisions against the workflow's history and the read model's.
    const rmDecisions = new Map<string, number>();
    const rmByType = new Map<string, number>();
    for (const r of (await db.query(`SELECT candidate_id, data->>'taskId' AS task, data->>'taskType' AS type FROM candidate_events WHERE type = 'decision_recorded'`)).rows) {
      rmDecisions.set(r.task, (rmDecisions.get(r.task) ?? 0) + 1);
      rmByType.set(`${r.candidate_id} ${r.type}`, (rmByType.get(`${r.candidate_id} ${r.type}`) ?? 0) + 1);
    }
    const counts = new Map(facts.map((f) => [f.id, decisionCounts(f.state?.events ?? [])]));
    const recordedWf = (d: DecisionRec) => {
      const c = counts.get(d.caseId);
      if (!c) return 0;
      return d.taskId ? (c.byTask.get(d.taskId) ?? 0) : (c.byType.get(d.taskType) ?? 0);
    };
    const recordedRm = (d: DecisionRec) => (d.taskId ? (rmDecisions.get(d.taskId) ?? 0) : (rmByType.get(`${d.caseId} ${d.taskType}`) ?? 0));
    const wf = checkDecisions(driver.decisions, recordedWf);
    const rm = checkDecisions(driver.decisions, recordedRm);
    // Any task decided twice, whoever sent it.
    const twice: string[] = [];
    for (const f of facts) for (const [task, n] of counts.get(f.id)?.byTask ?? []) if (n > 1) twice.push(`case ${f.id} task ${task} ×${n}`);
    const fmt = (d: DecisionRec) => `${d.taskType} key ${d.key} case ${d.caseId} (${d.outcome}, ${d.attempts} attempt(s))`;
    invariants.push({
      name: 'acknowledged decisions in the history exactly once, others at most once',
      pass: wf.lost.length === 0 && wf.duplicated.length === 0 && rm.lost.length === 0 && rm.duplicated.length === 0 && twice.length === 0,
      detail: `${wf.acknowledged} acknowledged (${driver.decisions.filter((d) => d.via === 'certify').length} of them by the class certify): ${wf.lost.length} lost, ${wf.duplicated.length} duplicated (workflow); ${rm.lost.length} lost, ${rm.duplicated.length} duplicated (read model); ${wf.appliedAnyway} refused/unanswered yet applied once (allowed); ${twice.length} tasks decided twice`,
      examples: [...wf.lost.map((d) => `lost: ${fmt(d)}`), ...wf.duplicated.map((d) => `duplicated: ${fmt(d)}`), ...rm.lost.map((d) => `not in the read model: ${fmt(d)}`), ...twice].slice(0, 8),
    });

    // 2. Read model = workflow state (drift read again before it counts).
    const drifted: string[] = [];
    let driftCases = 0;
    await mapLimit(facts, 8, signal, async (f) => {
      if (!f.state) return;
      const drift = async (state: CaseState) => readModelDrift(workflowSide(state), await readCase(db, f.id)).map(describeDrift);
      let diffs = await drift(f.state);
      for (let i = 0; i < 2 && diffs.length; i++) {
        await delay(2_000, signal);
        const again = await caseFacts(stack, f.id);
        if (again.state) {
          f.state = again.state;
          diffs = await drift(again.state);
        }
      }
      if (diffs.length) {
        driftCases++;
        drifted.push(`case ${f.id}: ${diffs.slice(0, 3).join('; ')}`);
      }
    });
    const noWorkflow = facts.filter((f) => !f.state);
    invariants.push({
      name: 'read model equals the workflow state (readModelDrift: candidate row, tasks, due dates, events)',
      pass: driftCases === 0 && noWorkflow.length === 0,
      detail: `${facts.length - noWorkflow.length} cases compared, ${driftCases} drifted; ${noWorkflow.length} rows without a workflow or unqueryable`,
      examples: [...drifted, ...noWorkflow.map((f) => `case ${f.id}: ${f.error}`)].slice(0, 8),
    });

    // 3. Reminders once in the history; e-mails at most once per recipient and key.
    const repeated: string[] = [];
    let reminders = 0;
    for (const f of facts) {
      const evs = f.state?.events ?? [];
      reminders += evs.filter((e) => e.type === 'reminder_sent' || e.type === 'deadline_missed').length;
      for (const r of repeatedReminders(evs)) repeated.push(`case ${f.id}: ${r}`);
    }
    const rows = (
      await db.query(
        `SELECT u.email, n.dedupe_key AS key, n.title, n.body, n.emailed_at, n.candidate_id, n.task_id FROM notifications n JOIN users u ON u.id = n.user_id`,
      )
    ).rows as { email: string | null; key: string; title: string; body: string; emailed_at: Date | null; candidate_id: string | null; task_id: string | null }[];
    const mails = checkMails(stack.smtp.mails, rows);
    const unsent = rows.filter((r) => r.email && !r.emailed_at).length;
    // Every reminder event has its in-app rows for its own case and task (the delivery happened). Events of the
    // last 20 s may still be on their way.
    const rowKeys = new Map<string, string[]>();
    for (const r of rows) {
      const k = `${r.candidate_id} ${r.task_id}`;
      if (!rowKeys.has(k)) rowKeys.set(k, []);
      rowKeys.get(k)!.push(r.key);
    }
    const undelivered: string[] = [];
    const recentFrom = checkStartedAt - 20_000;
    for (const f of facts) {
      for (const e of f.state?.events ?? []) {
        if (e.type !== 'reminder_sent' && e.type !== 'deadline_missed') continue;
        const key = e.data.key;
        if (typeof key !== 'string' || Date.parse(e.at) > recentFrom) continue;
        const keys = rowKeys.get(`${f.id} ${e.data.taskId}`) ?? [];
        if (keys.some((k) => k === key || k.includes(key))) continue;
        const other = rows.find((r) => r.key === key && r.candidate_id !== f.id);
        undelivered.push(`case ${f.id}: ${e.type} ${key} (task ${e.data.taskId}) has no notification row${other ? ` (the same key holds case ${other.candidate_id}'s row)` : ''}`);
      }
    }
    invariants.push({
      name: 'each reminder/escalation once in the history, delivered (in-app row), e-mailed at most once per recipient',
      pass: repeated.length === 0 && mails.duplicates.length === 0 && mails.unexpected === 0 && undelivered.length === 0,
      detail: `${reminders} reminder/escalation events, ${repeated.length} repeated, ${undelivered.length} without a notification row for their case and task; ${mails.received} e-mails, ${mails.duplicates.length} duplicated, ${mails.unexpected} matching no notification row (another text than the feed's); ${unsent} rows not (yet) e-mailed (info)`,
      examples: [...repeated, ...undelivered.slice(0, 4), ...mails.duplicates.map((d) => `e-mail ${d}`)].slice(0, 8),
    });

    // 4. No stuck case.
    const stuck: string[] = [];
    const stuckIds = new Set<string>();
    for (const f of facts) {
      const rowStatus = cands.find((c) => c.id === f.id)?.status;
      let why: string | undefined;
      if (!f.state) why = f.error ?? 'no workflow state';
      else if (f.state.status === 'active' && !f.running) why = 'workflow not running while the case is active';
      else if (isStuck(f.state)) why = `no open task in stage ${f.state.stage}, no pending timer`;
      else if (f.failing.length) why = `activity keeps failing: ${f.failing[0]}`;
      if (why && (rowStatus === 'active' || f.state?.status === 'active' || !f.state)) {
        stuckIds.add(f.id);
        stuck.push(`case ${f.id}: ${why}`);
      }
    }
    invariants.push({ name: 'no stuck case (open task or pending timer; no activity failing over and over)', pass: stuck.length === 0, detail: `${stuck.length} stuck of ${facts.filter((f) => f.state?.status === 'active').length} active`, examples: stuck.slice(0, 8) });

    // 5. Hash chain.
    let verified = 0;
    let broken: unknown;
    let verifyError: string | undefined;
    for (let offset: number | undefined = 0; offset !== undefined; ) {
      const r = await driver.send(driver.admin, 'GET', `/api/audit/verify?orgUnitId=${driver.units.province}&limit=1000&offset=${offset}`, undefined, undefined, Date.now() + 60_000);
      if (r?.status !== 200) {
        verifyError = `GET /api/audit/verify: ${r?.status ?? 'no answer'} ${JSON.stringify(r?.body ?? '')}`.slice(0, 300);
        break;
      }
      verified += r.body.checked ?? 0;
      if (!r.body.ok) broken ??= r.body.firstBroken;
      offset = r.body.next ?? undefined;
    }
    // Rows a lost workflow task wrote (a worker killed between its local projection write and the task's
    // completion) and its retry replaced: kept aside, not part of the chain (info).
    const [{ n: withdrawnRows, cases: withdrawnCases }] = (
      await db.query(`SELECT count(*)::int AS n, count(DISTINCT candidate_id)::int AS cases FROM candidate_events_withdrawn`)
    ).rows;
    invariants.push({
      name: 'hash chain verifies',
      pass: !verifyError && broken === undefined,
      detail:
        verifyError ??
        `${verified} events checked${broken ? `, first broken: ${JSON.stringify(broken)}` : ''}; ${withdrawnRows} row(s) of lost workflow tasks withdrawn (${withdrawnCases} case(s), info)`,
      examples: broken ? [JSON.stringify(broken).slice(0, 300)] : [],
    });

    // 6. Fan-outs.
    const fan: string[] = [];
    let fanDetail = '';
    const cal = driver.fanOuts.find((f) => f.kind === 'calendar');
    if (cal) {
      const stored = (await db.query(`SELECT created_at FROM calendar_years WHERE year = $1 AND version = $2`, [cal.detail.year, cal.detail.version])).rows[0];
      if (!stored) fanDetail += `calendar update ${cal.detail.year} v${cal.detail.version} never stored (${cal.status ?? 'no answer'}); `;
      else {
        const storedAt = new Date(stored.created_at).getTime();
        // Active when the version was stored: started before and not ended before (the workflow's own event times).
        const due = facts.filter((f) => {
          const evs = f.state?.events ?? [];
          const created = evs.find((e) => e.type === 'candidate_created');
          const ended = evs.find((e) => e.type === 'path_ended');
          return created && Date.parse(created.at) < storedAt && (!ended || Date.parse(ended.at) > storedAt);
        });
        const missing: string[] = [];
        await mapLimit(due, 8, signal, async (f) => {
          const history = await stack.client.workflow.getHandle(candidateWorkflowId(f.id)).fetchHistory();
          const got = (history.events ?? []).some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'calendarUpdated');
          if (!got) missing.push(f.id);
        });
        fanDetail += `calendar update reached ${due.length - missing.length}/${due.length} cases active when it was stored; `;
        for (const id of missing.slice(0, 4)) fan.push(`case ${id}: no calendarUpdated signal`);
        if (missing.length) fan.unshift(`calendar: ${missing.length} cases never told`);
      }
    }
    const cert = driver.fanOuts.find((f) => f.kind === 'certify');
    if (cert) {
      const notApplied = driver.classCases.filter((id) => (counts.get(id)?.byType.get('record_training_certificate') ?? 0) !== 1);
      const answered = cert.status === 200 || cert.status === 202 ? `answered ${cert.status}${cert.job ? `, job ${cert.job.status}` : ''}` : `answer ${cert.status ?? 'none'}`;
      fanDetail += `certify applied ${driver.classCases.length - notApplied.length}/${driver.classCases.length} (${answered})`;
      for (const id of notApplied.slice(0, 4)) fan.push(`certify: case ${id} party-awareness step recorded ${counts.get(id)?.byType.get('record_training_certificate') ?? 0} times`);
    }
    invariants.push({ name: 'fan-outs complete (calendar update to every active case; class certify)', pass: fan.length === 0, detail: fanDetail || 'none run', examples: fan.slice(0, 8) });

    const recorded = new Map(driver.decisions.map((d) => [d, recordedWf(d)]));
    return {
      invariants,
      cases: facts.length,
      stuckIds,
      recorded,
      lostKeys: new Set(wf.lost.map((d) => d.key)),
      duplicatedKeys: new Set(wf.duplicated.map((d) => d.key)),
      mailsReceived: mails.received,
      notificationsUnsent: unsent,
      remindersInHistory: reminders,
    };
  } finally {
    await db.end().catch(() => undefined);
  }
}
