import { useState } from 'react';
import type { TaskType } from '../../../../libs/domain/src/procedure.js';
import { api, ApiError, newIdempotencyKey } from '../api.js';
import { DueBadge, ErrorBox, useLoad } from '../components/common.js';
import { DecisionForm, type Decision } from '../components/DecisionForm.js';
import { CentreProfile, type CentreCandidate } from '../components/CentreView.js';
import { ClockExtensions, type ClockTask } from '../components/ClockExtension.js';
import { DossierForms, ProcedureTimeline, ProfileSummary, type Candidate, type HistoryEvent } from '../components/Dossier.js';
import { fmtDate, label, STAGE_NAMES, stepName, useI18n } from '../i18n.js';
import type { TaskItem } from './Inbox.js';
import { href } from '../router.js';
import { useMe } from '../session.js';

/** GET /api/tasks/:id of a step that considers forms: what the dossier lacks and the unit's policy. */
interface DossierCheck {
  dossier?: { policy: 'warn' | 'require'; missing: { code: string; title: { vi: string; en: string } }[] };
}

interface Outcome {
  stage: string;
  status: string;
  openTasks: { id: string; type: string }[];
}

export function TaskPage({ taskId }: { taskId: string }) {
  const { t, lang } = useI18n();
  const me = useMe()!;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [stale, setStale] = useState(false);
  const [result, setResult] = useState<Outcome>();
  // One key per decision being written: a double click or a retried request is applied once.
  const [idemKey, setIdemKey] = useState(newIdempotencyKey);
  const loaded = useLoad(async () => {
    const task = await api<TaskItem>('GET', `/tasks/${encodeURIComponent(taskId)}`);
    const [candidate, clock, history] = await Promise.all([
      api<Candidate | CentreCandidate>('GET', `/candidates/${task.candidateId}`),
      api<{ today: string }>('GET', '/clock'),
      // A training centre reads no history (403): its task page shows its reduced view instead.
      api<{ events: HistoryEvent[] }>('GET', `/candidates/${task.candidateId}/history`).catch((e) => (e instanceof ApiError && e.status === 403 ? { events: [] } : Promise.reject(e))),
    ]);
    return { task, candidate, today: clock.today, history: history.events };
  }, [taskId]);

  async function submit(d: Decision) {
    setBusy(true);
    setError(undefined);
    setStale(false);
    try {
      const r = await api<Outcome>('POST', `/tasks/${encodeURIComponent(taskId)}/complete`, d, { 'Idempotency-Key': idemKey });
      setResult(r);
      loaded.reload();
    } catch (e) {
      if (e instanceof ApiError && e.body.code === 'task_not_open') {
        setStale(true);
        loaded.reload();
      } else setError(e);
      // A refused decision was not applied: the next attempt is a new decision.
      setIdemKey(newIdempotencyKey());
    } finally {
      setBusy(false);
    }
  }

  if (loaded.error) return <ErrorBox error={loaded.error} />;
  if (!loaded.data) return <p className="muted">{t.loading}</p>;
  const { task, candidate, today, history } = loaded.data;
  const type = task.type as TaskType;
  return (
    <div className="task-page">
      <p>
        <a href={href('inbox')}>{t.backToInbox}</a>
      </p>
      <h1>
        {stepName(type, lang)} — <a href={href(`candidates/${candidate.id}`)}>{candidate.fullName}</a>
      </h1>
      <p className="muted">
        {task.orgUnitName}
        {task.dueDate && (
          <>
            {' · '}
            {t.due} {fmtDate(task.dueDate)} <DueBadge state={task.dueState ?? (task.overdue ? 'overdue' : 'ok')} days={task.dueInWorkingDays} />
          </>
        )}
      </p>
      {/* The superior board deciding on its own clock (T3, T7) may extend it here as on the candidate page. */}
      {task.status === 'open' && !result && <ClockExtensions me={me} tasks={[task as TaskItem & ClockTask]} history={history} onExtended={loaded.reload} />}
      <div className="split">
        <section aria-labelledby="form-title" className="card">
          <h2 id="form-title">{t.decision}</h2>
          {result && (
            <div className="success" role="status" data-testid="decision-result">
              {t.recorded} <strong>{label(STAGE_NAMES, result.stage, lang)}</strong>
              {result.openTasks.length > 0 && (
                <div>
                  {t.nextTasks}:{' '}
                  {result.openTasks.map((o) => (
                    <a key={o.id} href={href(`tasks/${encodeURIComponent(o.id)}`)} className="chip">
                      {stepName(o.type, lang)}
                    </a>
                  ))}
                </div>
              )}
            </div>
          )}
          {stale && (
            <div className="warning" role="alert">
              {t.staleTask}
            </div>
          )}
          <ErrorBox error={error} />
          {task.status === 'open' && !result && (task as DossierCheck).dossier?.missing.length ? (
            <div className={(task as DossierCheck).dossier!.policy === 'require' ? 'warning error' : 'warning'} role="status" data-testid="dossier-warning">
              {(task as DossierCheck).dossier!.policy === 'require' ? t.dossierRequired : t.dossierWarn}{' '}
              <strong>{(task as DossierCheck).dossier!.missing.map((f) => f.code).join(', ')}</strong>
            </div>
          ) : null}
          {task.status === 'open' && !result ? (
            <DecisionForm key={task.id} type={type} role={task.role} today={today} busy={busy} onSubmit={submit} />
          ) : (
            !result && 'stage' in candidate && <p className="muted">{label(STAGE_NAMES, candidate.stage, lang)}</p>
          )}
        </section>
        <section aria-labelledby="dossier-title" className="card">
          <h2 id="dossier-title">{t.dossier}</h2>
          {'view' in candidate && candidate.view === 'training_centre' ? (
            <CentreProfile c={candidate} />
          ) : (
            <>
              <ProfileSummary c={candidate as Candidate} />
              <h3>{t.timeline}</h3>
              <ProcedureTimeline candidate={candidate as Candidate} history={history} />
              <h3>{t.dossierForms}</h3>
              <DossierForms candidateId={candidate.id} reload={history.length} />
            </>
          )}
        </section>
      </div>
    </div>
  );
}
