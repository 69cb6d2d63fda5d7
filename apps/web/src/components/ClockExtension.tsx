import { useEffect, useState, type FormEvent } from 'react';
import { DEADLINE_CLOCKS, clockOfStep, type DeadlineClock } from '../../../../libs/domain/src/deadlines.js';
import { ruleSetFor } from '../../../../libs/domain/src/rule-sets.js';
import type { TaskType } from '../../../../libs/domain/src/procedure.js';
import { api, ApiError, newIdempotencyKey } from '../api.js';
import { fmtDate, fmtDateTime, stepName, useI18n, type Lang } from '../i18n.js';
import { orgUnits, type OrgUnit } from '../orgunits.js';
import type { Me } from '../session.js';
import { DueBadge, ErrorBox } from './common.js';
import type { HistoryEvent } from './Dossier.js';

/** An open task as GET /api/candidates/:id gives it (the task view), with what its statutory clock needs. */
export interface ClockTask {
  id: string;
  type: string;
  orgUnitId?: string;
  status?: string;
  dueDate: string | null;
  dueState?: string;
  dueInWorkingDays?: number | null;
  overdue?: boolean;
  dueRule?: { clock?: string; workingDays?: number; anchorDate?: string } | null;
}

/** The answer of POST /api/tasks/:id/extend: the case after the extension. */
interface ExtendOutcome {
  openTasks: { id: string; type: string; dueDate?: string | null }[];
}

/** The text of this screen, Vietnamese first. */
const TEXT = {
  vi: {
    title: 'Thời hạn theo quy định',
    consentTitle: 'Đồng ý tổ chức lễ kết nạp quá hạn',
    extendTitle: (clock: string) => `Gia hạn thời hạn ${clock}`,
    consentHint: (max: number) =>
      `Quá 30 ngày làm việc kể từ ngày chi bộ nhận quyết định, lễ kết nạp chỉ được tổ chức khi đã báo cáo và được cấp ủy cấp trên trực tiếp của chi bộ đồng ý. Sự đồng ý được ghi nhận là gia hạn thời hạn T4, một lần, tối đa ${max} ngày làm việc.`,
    extendHint: (max: number) => `Trường hợp đặc biệt, ban thường vụ cấp ủy cấp trên gia hạn một lần, tối đa ${max} ngày làm việc, có nêu lý do.`,
    due: 'Hạn hiện tại',
    workingDays: (max: number) => `Số ngày làm việc gia hạn (tối đa ${max})`,
    reason: 'Lý do',
    consent: 'Đồng ý và gia hạn',
    extend: 'Gia hạn',
    sending: 'Đang gửi…',
    done: (clock: string, days: number, from: string, to: string) => `Đã gia hạn thời hạn ${clock} thêm ${days} ngày làm việc: hạn cũ ${from}, hạn mới ${to}.`,
    used: (clock: string, days: number) => `Thời hạn ${clock} đã được gia hạn ${days} ngày làm việc; mỗi thời hạn chỉ được gia hạn một lần.`,
    usedBy: (who: string, when: string) => `Người gia hạn: ${who}, ${when}.`,
    reasonWas: 'Lý do',
  },
  en: {
    title: 'Statutory time limits',
    consentTitle: 'Consent to a late admission ceremony',
    extendTitle: (clock: string) => `Extend time limit ${clock}`,
    consentHint: (max: number) =>
      `After 30 working days from the day the cell received the decision, the ceremony may be held only after reporting to and obtaining the agreement of the cell's direct superior committee. The agreement is recorded as the one extension of time limit T4, of at most ${max} working days.`,
    extendHint: (max: number) => `In special cases the superior standing board extends it once, by at most ${max} working days, with a reason.`,
    due: 'Due now',
    workingDays: (max: number) => `Working days to add (at most ${max})`,
    reason: 'Reason',
    consent: 'Consent and extend',
    extend: 'Extend',
    sending: 'Sending…',
    done: (clock: string, days: number, from: string, to: string) => `Time limit ${clock} extended by ${days} working days: was due ${from}, now due ${to}.`,
    used: (clock: string, days: number) => `Time limit ${clock} was extended by ${days} working days; each time limit may be extended only once.`,
    usedBy: (who: string, when: string) => `Extended by ${who}, ${when}.`,
    reasonWas: 'Reason',
  },
} satisfies Record<Lang, unknown>;

/** The clock a task runs on: the one its due rule records (`T4: …`), else the step's. */
function clockOf(task: ClockTask): DeadlineClock | undefined {
  const recorded = task.dueRule?.clock?.split(':')[0];
  if (recorded && recorded in DEADLINE_CLOCKS) return recorded as DeadlineClock;
  return clockOfStep(task.type as TaskType);
}

/**
 * Who may extend a task's clock (libs/domain/src/deadlines.ts `extensionBy`): the superior standing board over
 * the task's unit, or — for the ceremony (T4) — the cell's direct superior committee: the grassroots committee
 * for an ordinary cell, the superior board for a grassroots-level cell. The workflow checks it again.
 */
function mayExtend(me: Me, units: Map<string, OrgUnit>, task: ClockTask, clock: DeadlineClock): boolean {
  const by = DEADLINE_CLOCKS[clock].extensionBy;
  if (!by || !task.orgUnitId) return false;
  const unit = units.get(task.orgUnitId);
  const role = by === 'direct_superior' && unit?.kind !== 'grassroots_cell' ? 'grassroots_committee' : 'superior_board';
  // The grant covers its subtree: one on the task's unit or on any unit above it.
  const chain = new Set<string>();
  for (let u = unit; u && !chain.has(u.id); u = u.parentId ? units.get(u.parentId) : undefined) chain.add(u.id);
  return me.roles.some((r) => r.role === role && r.orgUnitId !== null && chain.has(r.orgUnitId));
}

/**
 * The statutory clocks of the candidate's open tasks that the signed-in user may extend: the superior board's
 * extension of its decision clocks (T3, T7) and the direct superior committee's consent to a late ceremony (T4).
 * Each clock is extended once (its `deadline_extended` event in the history), by at most the rule's maximum.
 */
export function ClockExtensions({ me, tasks, history, onExtended }: { me: Me; tasks: ClockTask[]; history: HistoryEvent[]; onExtended: () => void }) {
  const { lang } = useI18n();
  const may = me.roles.some((r) => r.role === 'grassroots_committee' || r.role === 'superior_board');
  const [units, setUnits] = useState<Map<string, OrgUnit>>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    if (may) orgUnits().then((all) => setUnits(new Map(all.map((u) => [u.id, u]))), setError);
  }, [may]);
  if (!may) return null;
  if (!units) return error ? <ErrorBox error={error} /> : null;
  const items = tasks.flatMap((task) => {
    const clock = clockOf(task);
    if (!clock || !task.dueRule?.anchorDate || !task.dueDate || !DEADLINE_CLOCKS[clock].extensionMax) return [];
    if (task.status && task.status !== 'open') return [];
    return mayExtend(me, units, task, clock) ? [{ task, clock }] : [];
  });
  if (items.length === 0) return null;
  const x = TEXT[lang];
  return (
    <section className="card" aria-labelledby="clocks-title" data-testid="clock-extensions">
      <h2 id="clocks-title">{x.title}</h2>
      {items.map(({ task, clock }) => (
        <ClockExtension key={task.id} task={task} clock={clock} used={history.filter((e) => e.type === 'deadline_extended' && e.data.clock === clock).at(-1)} onExtended={onExtended} />
      ))}
    </section>
  );
}

function ClockExtension({ task, clock, used, onExtended }: { task: ClockTask; clock: DeadlineClock; used?: HistoryEvent; onExtended: () => void }) {
  const { lang } = useI18n();
  const x = TEXT[lang];
  // The workflow bounds the extension by the rule set in force on the clock's anchor date.
  const max = DEADLINE_CLOCKS[clock].extensionMax!(ruleSetFor(task.dueRule!.anchorDate!));
  const consent = DEADLINE_CLOCKS[clock].extensionBy === 'direct_superior';
  const [workingDays, setWorkingDays] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<{ days: number; from: string; to: string }>();
  // One key per extension being written: a double click or a retried request is applied once.
  const [idemKey, setIdemKey] = useState(newIdempotencyKey);
  const headingId = `clock-${task.id}`;
  const fieldId = (f: string) => `extend-${task.id}-${f}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    const days = Number(workingDays);
    try {
      const r = await api<ExtendOutcome>('POST', `/tasks/${encodeURIComponent(task.id)}/extend`, { workingDays: days, reason: reason.trim() }, { 'Idempotency-Key': idemKey });
      const moved = r.openTasks.find((o) => o.id === task.id);
      setDone({ days, from: task.dueDate!, to: moved?.dueDate ?? '' });
      onExtended();
    } catch (err) {
      setError(err);
      // A refused extension was not applied: the next attempt is a new request.
      setIdemKey(newIdempotencyKey());
      // Someone else used the clock's one extension meanwhile: reload, so the page shows it.
      if (err instanceof ApiError && err.body.code === 'extension_already_used') onExtended();
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="clock-extension" data-testid={`clock-${clock}`} aria-labelledby={headingId} role="group">
      <h3 id={headingId}>
        {consent ? x.consentTitle : x.extendTitle(clock)} — {stepName(task.type, lang)}
      </h3>
      <p className="muted small">
        {x.due}: {fmtDate(task.dueDate)} <DueBadge state={task.dueState ?? (task.overdue ? 'overdue' : 'ok')} days={task.dueInWorkingDays} />
      </p>
      {done && (
        <div className="success" role="status" data-testid="extension-result">
          {x.done(clock, done.days, fmtDate(done.from), fmtDate(done.to))}
        </div>
      )}
      <ErrorBox error={error} />
      {used ? (
        !done && (
          <div className="muted" data-testid="extension-used">
            <p>{x.used(clock, Number(used.data.workingDays))}</p>
            <p className="small">
              {used.actor?.fullName ? `${x.usedBy(used.actor.fullName, fmtDateTime(used.at))} ` : ''}
              {used.data.reason ? `${x.reasonWas}: ${used.data.reason}` : ''}
            </p>
          </div>
        )
      ) : done ? null : (
        <form onSubmit={submit}>
          <p className="muted small">{consent ? x.consentHint(max) : x.extendHint(max)}</p>
          <div className="row">
            <div className="field">
              <label htmlFor={fieldId('days')}>{x.workingDays(max)}</label>
              <input id={fieldId('days')} type="number" inputMode="numeric" required min={1} max={max} step={1} value={workingDays} onChange={(e) => setWorkingDays(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={fieldId('reason')}>{x.reason}</label>
              <textarea id={fieldId('reason')} rows={2} required minLength={3} maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} />
            </div>
            <button type="submit" disabled={busy}>
              {busy ? x.sending : consent ? x.consent : x.extend}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
