import { useState } from 'react';
import { STEPS, TASK_TYPES, type TaskType } from '../../../../libs/domain/src/procedure.js';
import { EDUCATION_NAMES, EVENT_NAMES, FACT_NAMES, fmtDate, fmtDateTime, FORM_REASONS, label, OUTCOME_NAMES, ROLE_NAMES, STAGE_NAMES, stepName, useI18n } from '../i18n.js';
import { api, download } from '../api.js';
import { DueBadge, ErrorBox, useLoad } from './common.js';

interface Outline {
  steps: { type: string; timeLimit: { vi: string; en: string } | null }[];
}
let outline: Promise<Outline> | undefined;
/** The procedure with each step's statutory time limit (GET /api/procedure), fetched once per page load. */
const procedure = () => (outline ??= api<Outline>('GET', '/procedure').catch((e) => ((outline = undefined), Promise.reject(e))));

export interface HistoryEvent {
  seq: number;
  type: string;
  at: string;
  businessDate: string | null;
  actor: { fullName?: string; username?: string; role?: string } | null;
  ruleSetId: string | null;
  data: Record<string, any>;
}

export interface Candidate {
  id: string;
  fullName: string;
  dateOfBirth: string;
  gender: string;
  ethnicity: string;
  religion: string | null;
  education: string;
  youthUnionMember: boolean;
  hardshipArea?: boolean;
  source: { organization?: string; introducedOn?: string };
  stage: string;
  status: string;
  partyAgeFrom: string | null;
  probationEndsOn: string | null;
  officialFrom: string | null;
  openTasks: { id: string; type: string; dueDate: string | null; dueState?: string; dueInWorkingDays?: number | null; overdue?: boolean }[];
}

/** The procedure in order (admission, probation, recognition): the domain's steps, side tasks left out. */
const PATH: TaskType[] = TASK_TYPES.filter((t) => STEPS[t].stage);

/** A visual timeline of the whole procedure: done, current and upcoming steps, with dates and deadlines. */
export function ProcedureTimeline({ candidate, history }: { candidate: Candidate; history: HistoryEvent[] }) {
  const { t, lang } = useI18n();
  const decided = new Map<string, HistoryEvent>();
  for (const e of history) if (e.type === 'decision_recorded') decided.set(e.data.taskType, e);
  const open = new Map(candidate.openTasks.map((task) => [task.type, task]));
  const ended = candidate.status !== 'active';
  const limits = useLoad(procedure, []);
  const limitOf = (type: string) => limits.data?.steps.find((s) => s.type === type)?.timeLimit?.[lang];
  return (
    <ol className="timeline" aria-label={t.timeline}>
      {PATH.map((type) => {
        const done = decided.get(type);
        const cur = open.get(type);
        const state = cur ? 'current' : done ? 'done' : ended ? 'skipped' : 'upcoming';
        return (
          <li key={type} className={state} aria-current={cur ? 'step' : undefined}>
            <span className="dot" aria-hidden="true" />
            <div>
              <strong>{stepName(type, lang)}</strong>
              {STEPS[type].form && <span className="muted"> · {STEPS[type].form}</span>}
              <div className="muted small">
                {state === 'done' && (
                  <>
                    {t.done} {fmtDate(done!.businessDate)} — {label(OUTCOME_NAMES, done!.data.outcome, lang)}
                    {done!.actor?.fullName ? ` — ${done!.actor.fullName}` : ''}
                  </>
                )}
                {state === 'current' && (
                  <>
                    {t.current}
                    {cur!.dueDate ? ` — ${t.due} ${fmtDate(cur!.dueDate)} ` : ' '}
                    <DueBadge state={cur!.dueState ?? (cur!.overdue ? 'overdue' : cur!.dueDate ? 'ok' : 'none')} days={cur!.dueInWorkingDays} />
                  </>
                )}
                {state === 'upcoming' && t.upcoming}
                {(state === 'upcoming' || state === 'current') && limitOf(type) && <div className="limit">
                    {lang === 'vi' ? 'Thời hạn' : 'Time limit'}: {limitOf(type)}
                  </div>}
                {state === 'skipped' && t.skipped}
              </div>
            </div>
          </li>
        );
      })}
      <li className={candidate.status === 'official' ? 'done' : ended ? 'ended' : 'upcoming'}>
        <span className="dot" aria-hidden="true" />
        <div>
          <strong>{label(STAGE_NAMES, ended ? candidate.stage : 'official', lang)}</strong>
          {candidate.officialFrom && <div className="muted small">{fmtDate(candidate.officialFrom)}</div>}
        </div>
      </li>
    </ol>
  );
}

function describe(e: HistoryEvent, lang: 'vi' | 'en'): string {
  const d = e.data ?? {};
  switch (e.type) {
    case 'task_opened':
    case 'task_cancelled':
      return stepName(d.taskType, lang);
    case 'decision_recorded':
      return `${stepName(d.taskType, lang)}: ${label(OUTCOME_NAMES, d.outcome, lang)}`;
    case 'stage_changed':
      return `${label(STAGE_NAMES, d.from, lang)} → ${label(STAGE_NAMES, d.to, lang)}`;
    case 'path_ended':
      return label(STAGE_NAMES, d.endState, lang);
    case 'candidate_transferred':
      return d.reason ?? '';
    case 'candidate_facts_changed': {
      // Each fact from → to, then the reason.
      const value = (field: string, v: unknown) =>
        field === 'education' ? label(EDUCATION_NAMES, String(v), lang) : typeof v === 'boolean' ? (v ? (lang === 'vi' ? 'có' : 'yes') : lang === 'vi' ? 'không' : 'no') : String(v ?? '—');
      const changes = (d.changes ?? []).map((c: { field: string; from: unknown; to: unknown }) => `${label(FACT_NAMES, c.field, lang)}: ${value(c.field, c.from)} → ${value(c.field, c.to)}`);
      return [...changes, d.reason].filter(Boolean).join('; ');
    }
    case 'org_restructured':
      // Old → new unit of each slot that changed, by the names recorded when the reorganisation ran.
      return (d.units ?? []).map((u: { fromName?: string; toName?: string; from?: string; to?: string }) => `${u.fromName ?? u.from ?? '—'} → ${u.toName ?? u.to ?? '—'}`).join('; ');
    case 'deadline_extended':
      return `${d.workingDays ?? ''} ${lang === 'vi' ? 'ngày làm việc' : 'working days'}${d.reason ? ` — ${d.reason}` : ''}`;
    default:
      return d.taskType ? stepName(d.taskType, lang) : '';
  }
}

/** Who decided what, when, under which rule version. */
export function HistoryTable({ events }: { events: HistoryEvent[] }) {
  const { t, lang } = useI18n();
  return (
    <div className="table-wrap">
      <table className="history">
        <thead>
          <tr>
            <th scope="col">{t.when}</th>
            <th scope="col">{t.what}</th>
            <th scope="col">{t.who}</th>
            <th scope="col">{t.ruleSet}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.seq} className={e.type}>
              <td data-label={t.when}>
                {fmtDate(e.businessDate)}
                <div className="muted small">{fmtDateTime(e.at)}</div>
              </td>
              <td data-label={t.what}>
                <strong>{label(EVENT_NAMES, e.type, lang)}</strong> {describe(e, lang)}
              </td>
              <td data-label={t.who}>{e.actor?.fullName ? `${e.actor.fullName}${e.actor.role ? ` (${label(ROLE_NAMES, e.actor.role, lang)})` : ''}` : ''}</td>
              <td data-label={t.ruleSet}>{e.ruleSetId ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ProfileSummary({ c }: { c: Candidate }) {
  const { t, lang } = useI18n();
  const rows: [string, string][] = [
    [t.stage, label(STAGE_NAMES, c.stage, lang)],
    [t.dateOfBirth, fmtDate(c.dateOfBirth)],
    [t.gender, c.gender === 'female' ? t.female : t.male],
    [t.ethnicity, c.ethnicity],
    [t.religion, c.religion || (lang === 'vi' ? 'Không' : 'None')],
    [t.youthUnion, c.youthUnionMember ? t.yes : t.no],
    [t.source, `${c.source?.organization ?? ''}${c.source?.introducedOn ? ` (${fmtDate(c.source.introducedOn)})` : ''}`],
  ];
  if (c.partyAgeFrom) rows.push([t.partyAgeFrom, fmtDate(c.partyAgeFrom)]);
  if (c.probationEndsOn) rows.push([t.probationEndsOn, fmtDate(c.probationEndsOn)]);
  if (c.officialFrom) rows.push([t.officialFrom, fmtDate(c.officialFrom)]);
  return (
    <dl className="profile">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export interface DossierFormItem {
  code: string;
  title: { vi: string; en: string };
  producedBy: { vi: string; en: string };
  status: 'present' | 'missing' | 'not_applicable';
  reason?: string;
  due: boolean;
  scans: { id: string; filename: string }[];
  recorded?: { taskType: string; outcome: string; date: string | null; ref?: string };
  generated: boolean;
  download?: string;
}

/**
 * The dossier as the form catalogue (CN-NTVĐ, 1- to 16-KNĐ with 4A, 20-KNĐ): present, missing or not applicable,
 * each linked to its scans and, for the organisation's forms, to the PDF printed from the recorded decisions.
 * `reload` changes when the dossier may have changed (an upload, a decision).
 */
export function DossierForms({ candidateId, reload = 0 }: { candidateId: string; reload?: number }) {
  const { t, lang } = useI18n();
  const data = useLoad(() => api<{ forms: DossierFormItem[]; summary: { present: number; missing: number; notApplicable: number } }>('GET', `/candidates/${candidateId}/dossier-forms`), [candidateId, reload]);
  const [error, setError] = useState<unknown>();
  if (data.error) return <ErrorBox error={data.error} />;
  if (!data.data) return <p className="muted">{t.loading}</p>;
  const statusName = { present: t.formPresent, missing: t.formMissing, not_applicable: t.formNotApplicable };
  const { forms, summary } = data.data;
  return (
    <>
      <p className="muted small" data-testid="forms-summary">
        {t.formsSummary(summary.present, summary.missing, summary.notApplicable)}
      </p>
      <ErrorBox error={error} />
      <div className="table-wrap">
        <table className="dossier-forms" aria-label={t.dossierForms}>
          <thead>
            <tr>
              <th scope="col">{t.formCode}</th>
              <th scope="col">{t.formTitle}</th>
              <th scope="col">{t.formStatus}</th>
              <th scope="col">{t.formDocuments}</th>
            </tr>
          </thead>
          <tbody>
            {forms.map((f) => (
              <tr key={f.code} className={`form-${f.status}`} data-form={f.code} data-status={f.status}>
                <td data-label={t.formCode}>
                  <strong>{f.code}</strong>
                </td>
                <td data-label={t.formTitle}>
                  {f.title[lang]}
                  <div className="muted small">{f.producedBy[lang]}</div>
                </td>
                <td data-label={t.formStatus}>
                  <span className={`badge ${f.status === 'present' ? 'ok' : f.status === 'missing' && f.due ? 'overdue' : 'none'}`}>{statusName[f.status]}</span>
                  {f.reason && <div className="muted small">{label(FORM_REASONS, f.reason, lang)}</div>}
                  {f.recorded && (
                    <div className="muted small">
                      {t.formRecorded} {fmtDate(f.recorded.date)}
                      {f.recorded.ref ? ` — ${f.recorded.ref}` : ''}
                    </div>
                  )}
                </td>
                <td data-label={t.formDocuments}>
                  {f.scans.map((a) => (
                    <div key={a.id}>
                      <button type="button" className="link" onClick={() => download(`/candidates/${candidateId}/attachments/${a.id}`, a.filename).catch(setError)}>
                        {a.filename}
                      </button>
                    </div>
                  ))}
                  {f.generated && (
                    <button type="button" className="link" onClick={() => download(`/candidates/${candidateId}/forms/${encodeURIComponent(f.code)}.pdf`, `mau-${f.code}.pdf`).catch(setError)}>
                      {t.formPrint}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
