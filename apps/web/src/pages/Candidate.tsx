import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, download, newIdempotencyKey } from '../api.js';
import { orgUnits, unitsInJurisdiction, type OrgUnit } from '../orgunits.js';
import { ErrorBox, useLoad, UnitOptions } from '../components/common.js';
import { CentreCandidatePage } from '../components/CentreView.js';
import { ClockExtensions } from '../components/ClockExtension.js';
import { DossierForms, HistoryTable, ProcedureTimeline, ProfileSummary, type Candidate, type HistoryEvent } from '../components/Dossier.js';
import { FORM_CODES, FORMS } from '../../../../libs/domain/src/dossier-forms.js';
import { EDUCATION_NAMES, fmtDateTime, label, stepName, useI18n } from '../i18n.js';
import { EDUCATION_LEVELS } from '../../../../libs/domain/src/procedure.js';
import { DateInput } from '../components/DateInput.js';
import { href } from '../router.js';
import { useMe } from '../session.js';

interface Comment {
  id: string;
  body: string;
  author: { userId: string; fullName: string };
  createdAt: string;
}
interface Attachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  kind: string | null;
  formCode?: string | null;
  uploadedBy: { fullName: string };
  createdAt: string;
}

const MAX_BYTES = 10 * 1024 * 1024;
const TYPES = ['application/pdf', 'image/jpeg', 'image/png'];

/** A user who is only a training centre gets its reduced view (name, date of birth, classes); everyone else the dossier. */
export function CandidatePage({ candidateId }: { candidateId: string }) {
  const me = useMe()!;
  const centreOnly = me.roles.length > 0 && me.roles.every((r) => r.role === 'training_centre');
  return centreOnly ? <CentreCandidatePage candidateId={candidateId} /> : <DossierPage candidateId={candidateId} />;
}

function DossierPage({ candidateId }: { candidateId: string }) {
  const { t, lang } = useI18n();
  const me = useMe()!;
  const readOnly = me.roles.every((r) => r.role === 'auditor');
  const data = useLoad(async () => {
    const [candidate, history] = await Promise.all([api<Candidate>('GET', `/candidates/${candidateId}`), api<{ events: HistoryEvent[] }>('GET', `/candidates/${candidateId}/history`)]);
    return { candidate, history: history.events };
  }, [candidateId]);
  const comments = useLoad(() => api<{ items: Comment[] }>('GET', `/candidates/${candidateId}/comments?limit=500`).then((r) => r.items), [candidateId]);
  const files = useLoad(() => api<Attachment[] | { items: Attachment[] }>('GET', `/candidates/${candidateId}/attachments`).then((r) => (Array.isArray(r) ? r : r.items)), [candidateId]);
  const [comment, setComment] = useState('');
  const [kind, setKind] = useState('');
  const [formCode, setFormCode] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const [move, setMove] = useState({ toCellId: '', reason: '', effectiveOn: '' });
  const [moveKey, setMoveKey] = useState(newIdempotencyKey);
  const [cells, setCells] = useState<OrgUnit[]>([]);
  const canTransfer = me.roles.some((r) => r.role === 'grassroots_committee' || r.role === 'superior_board' || r.role === 'admin');
  // Who may create a candidate over the cell may change its facts (issue 16); the API checks the jurisdiction.
  const canEditFacts = canTransfer || me.roles.some((r) => r.role === 'cell_secretary');
  const [facts, setFacts] = useState<{ education?: string; youthUnionMember?: boolean; hardshipArea?: boolean; reason: string; effectiveOn: string }>({ reason: '', effectiveOn: '' });
  const [factsKey, setFactsKey] = useState(newIdempotencyKey);
  useEffect(() => {
    if (canTransfer) orgUnits().then((all) => setCells(unitsInJurisdiction(all, me).filter((u) => u.kind === 'cell' || u.kind === 'grassroots_cell')), setError);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [canTransfer]);

  async function postComment(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      await api('POST', `/candidates/${candidateId}/comments`, { body: comment });
      setComment('');
      comments.reload();
    } catch (err) {
      setError(err);
    }
  }

  async function transfer(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      // The effective date of the job, retirement or residence change: T9 (§7.7) counts from it; left empty, today.
      const body = { toCellId: move.toCellId, reason: move.reason, ...(move.effectiveOn ? { effectiveOn: move.effectiveOn } : {}) };
      await api('POST', `/candidates/${candidateId}/transfer`, body, { 'Idempotency-Key': moveKey });
      setMove({ toCellId: '', reason: '', effectiveOn: '' });
      setMoveKey(newIdempotencyKey());
      data.reload();
    } catch (err) {
      // A refusal is this key's answer (replayed as is): a corrected form is a new request with a new key.
      if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.body.code !== 'idempotency_in_progress') setMoveKey(newIdempotencyKey());
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  /** Sends only the facts that differ from the candidate's; the workflow records each from → to. */
  async function updateFacts(e: FormEvent, current: Candidate) {
    e.preventDefault();
    setError(undefined);
    const body: Record<string, unknown> = { reason: facts.reason };
    if (facts.education !== undefined && facts.education !== current.education) body.education = facts.education;
    if (facts.youthUnionMember !== undefined && facts.youthUnionMember !== current.youthUnionMember) body.youthUnionMember = facts.youthUnionMember;
    if (facts.hardshipArea !== undefined && facts.hardshipArea !== Boolean(current.hardshipArea)) body.hardshipArea = facts.hardshipArea;
    if (facts.effectiveOn) body.effectiveOn = facts.effectiveOn;
    setBusy(true);
    try {
      await api('PATCH', `/candidates/${candidateId}/facts`, body, { 'Idempotency-Key': factsKey });
      setFacts({ reason: '', effectiveOn: '' });
      setFactsKey(newIdempotencyKey());
      data.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function upload(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    const file = fileRef.current?.files?.[0];
    if (!file) return;
    // Checked here for a quick answer; the API checks again (size, declared type and the file's content).
    if (file.size > MAX_BYTES) return setError(new Error(lang === 'vi' ? 'Tệp lớn hơn 10 MB.' : 'The file is larger than 10 MB.'));
    if (!TYPES.includes(file.type)) return setError(new Error(lang === 'vi' ? 'Chỉ nhận tệp PDF, JPEG hoặc PNG.' : 'Only PDF, JPEG or PNG files are accepted.'));
    setBusy(true);
    try {
      const q = new URLSearchParams({ filename: file.name, ...(kind.trim() ? { kind: kind.trim() } : {}), ...(formCode ? { formCode } : {}) });
      await api('POST', `/candidates/${candidateId}/attachments?${q}`, file, { 'Content-Type': file.type });
      if (fileRef.current) fileRef.current.value = '';
      setKind('');
      setFormCode('');
      files.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (data.error) return <ErrorBox error={data.error} />;
  if (!data.data) return <p className="muted">{t.loading}</p>;
  const { candidate, history } = data.data;
  return (
    <div className="candidate-page">
      <p>
        <a href={href('inbox')}>{t.backToInbox}</a>
      </p>
      <h1>{candidate.fullName}</h1>
      <p>
        {candidate.openTasks.map((task) => (
          <a key={task.id} className="chip" href={href(`tasks/${encodeURIComponent(task.id)}`)}>
            {t.open}: {stepName(task.type, lang)}
          </a>
        ))}
        <button type="button" onClick={() => download(`/candidates/${candidateId}/export?format=pdf`, `ho-so-${candidateId}.pdf`).catch(setError)}>
          {t.exportPdf}
        </button>
      </p>
      <ErrorBox error={error} />
      {!readOnly && candidate.status === 'active' && <ClockExtensions me={me} tasks={candidate.openTasks} history={history} onExtended={data.reload} />}
      <div className="split">
        <section className="card" aria-labelledby="profile-title">
          <h2 id="profile-title">{t.dossier}</h2>
          <ProfileSummary c={candidate} />
        </section>
        <section className="card" aria-labelledby="timeline-title">
          <h2 id="timeline-title">{t.timeline}</h2>
          <ProcedureTimeline candidate={candidate} history={history} />
        </section>
      </div>
      <section className="card" aria-labelledby="forms-title">
        <h2 id="forms-title">{t.dossierForms}</h2>
        <DossierForms candidateId={candidateId} reload={(files.data?.length ?? 0) + history.length} />
      </section>
      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">{t.history}</h2>
        <HistoryTable events={history} />
      </section>
      {canEditFacts && !readOnly && candidate.status === 'active' && (
        <form className="card" onSubmit={(e) => updateFacts(e, candidate)} aria-labelledby="facts-title" data-testid="facts-form">
          <h2 id="facts-title">{lang === 'vi' ? 'Cập nhật thông tin người vào Đảng' : 'Update the candidate\'s facts'}</h2>
          <p className="muted small">
            {lang === 'vi'
              ? 'Các bước sau được kiểm tra theo thông tin mới (học vấn, đoàn viên, nơi cư trú); thay đổi được ghi vào lịch sử.'
              : 'Later steps are checked against the new facts (education, Youth Union, residence); the change is recorded in the history.'}
          </p>
          <div className="row">
            <div className="field">
              <label htmlFor="facts-education">{lang === 'vi' ? 'Trình độ học vấn' : 'Education'}</label>
              <select id="facts-education" value={facts.education ?? candidate.education} onChange={(e) => setFacts({ ...facts, education: e.target.value })}>
                {EDUCATION_LEVELS.map((level) => (
                  <option key={level} value={level}>
                    {label(EDUCATION_NAMES, level, lang)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field check">
              <input id="facts-youth" type="checkbox" checked={facts.youthUnionMember ?? candidate.youthUnionMember} onChange={(e) => setFacts({ ...facts, youthUnionMember: e.target.checked })} />
              <label htmlFor="facts-youth">{lang === 'vi' ? 'Là đoàn viên' : 'Youth Union member'}</label>
            </div>
            <div className="field check">
              <input id="facts-hardship" type="checkbox" checked={facts.hardshipArea ?? Boolean(candidate.hardshipArea)} onChange={(e) => setFacts({ ...facts, hardshipArea: e.target.checked })} />
              <label htmlFor="facts-hardship">{lang === 'vi' ? 'Cư trú, công tác ở vùng khó khăn (miền núi, biên giới, hải đảo…)' : 'Lives or works in a hardship area (mountains, border, islands…)'}</label>
            </div>
            <div className="field">
              <label htmlFor="facts-effective">{lang === 'vi' ? 'Ngày thay đổi (nếu khác hôm nay)' : 'Changed on (if not today)'}</label>
              <DateInput id="facts-effective" value={facts.effectiveOn} onChange={(v) => setFacts({ ...facts, effectiveOn: v })} />
            </div>
            <div className="field">
              <label htmlFor="facts-reason">{lang === 'vi' ? 'Căn cứ (ví dụ số bằng tốt nghiệp)' : 'Basis (e.g. diploma number)'}</label>
              <input id="facts-reason" required minLength={3} maxLength={2000} value={facts.reason} onChange={(e) => setFacts({ ...facts, reason: e.target.value })} />
            </div>
            <button type="submit" disabled={busy}>
              {lang === 'vi' ? 'Cập nhật' : 'Update'}
            </button>
          </div>
        </form>
      )}
      {canTransfer && candidate.status === 'active' && (
        <form className="card" onSubmit={transfer} aria-labelledby="transfer-title">
          <h2 id="transfer-title">{lang === 'vi' ? 'Chuyển sinh hoạt sang chi bộ khác' : 'Transfer to another cell'}</h2>
          <div className="row">
            <div className="field">
              <label htmlFor="transfer-cell">{lang === 'vi' ? 'Chi bộ chuyển đến' : 'Destination cell'}</label>
              <select id="transfer-cell" required value={move.toCellId} onChange={(e) => setMove({ ...move, toCellId: e.target.value })}>
                <option value="">—</option>
                <UnitOptions units={cells} />
              </select>
            </div>
            <div className="field">
              <label htmlFor="transfer-reason">{lang === 'vi' ? 'Lý do (ví dụ chuyển công tác)' : 'Reason (e.g. new job)'}</label>
              <input id="transfer-reason" required minLength={3} maxLength={2000} value={move.reason} onChange={(e) => setMove({ ...move, reason: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor="transfer-effective">{lang === 'vi' ? 'Ngày thay đổi công tác, nơi cư trú có hiệu lực (nếu khác hôm nay)' : 'Date the job or residence change took effect (if not today)'}</label>
              <DateInput id="transfer-effective" value={move.effectiveOn} onChange={(v) => setMove({ ...move, effectiveOn: v })} />
              <small className="muted">{lang === 'vi' ? 'Thời hạn 60 ngày làm việc làm thủ tục chuyển sinh hoạt (T9) tính từ ngày này.' : 'The 60 working days to start the transfer (T9) count from this date.'}</small>
            </div>
            <button type="submit" disabled={busy}>
              {lang === 'vi' ? 'Chuyển sinh hoạt' : 'Transfer'}
            </button>
          </div>
        </form>
      )}
      <div className="split">
        <section className="card" aria-labelledby="comments-title">
          <h2 id="comments-title">{t.comments}</h2>
          <ErrorBox error={comments.error} />
          <ul className="comments">
            {comments.data?.map((c) => (
              <li key={c.id}>
                <strong>{c.author.fullName}</strong> <span className="muted small">{fmtDateTime(c.createdAt)}</span>
                <p>{c.body}</p>
              </li>
            ))}
          </ul>
          {!readOnly && (
            <form onSubmit={postComment}>
              <div className="field">
                <label htmlFor="comment">{t.commentText}</label>
                <textarea id="comment" rows={3} required maxLength={5000} value={comment} onChange={(e) => setComment(e.target.value)} />
              </div>
              <button type="submit" disabled={!comment.trim()}>
                {t.addComment}
              </button>
            </form>
          )}
        </section>
        <section className="card" aria-labelledby="files-title">
          <h2 id="files-title">{t.attachments}</h2>
          <ErrorBox error={files.error} />
          <ul className="files">
            {files.data?.map((f) => (
              <li key={f.id}>
                <button type="button" className="link" onClick={() => download(`/candidates/${candidateId}/attachments/${f.id}`, f.filename).catch(setError)}>
                  {f.filename}
                </button>{' '}
                <span className="muted small">
                  {f.formCode ? `${f.formCode} · ` : ''}
                  {f.kind && f.kind !== f.formCode ? `${f.kind} · ` : ''}
                  {f.size < 1024 ? `${f.size} B` : f.size < 1024 * 1024 ? `${Math.round(f.size / 1024)} KB` : `${(f.size / 1048576).toFixed(1)} MB`} · {f.uploadedBy.fullName} · {fmtDateTime(f.createdAt)}
                </span>
              </li>
            ))}
          </ul>
          {!readOnly && (
            <form onSubmit={upload}>
              <div className="field">
                <label htmlFor="file">{t.file}</label>
                <input id="file" type="file" accept="application/pdf,image/jpeg,image/png" ref={fileRef} required />
                <small className="muted">{t.uploadHint}</small>
              </div>
              <div className="field">
                <label htmlFor="formCode">{t.formOfScan}</label>
                <select id="formCode" value={formCode} onChange={(e) => setFormCode(e.target.value)}>
                  <option value="">{t.formNone}</option>
                  {FORM_CODES.map((c) => (
                    <option key={c} value={c}>
                      {c} — {FORMS[c][lang]}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="kind">{t.kind}</label>
                <input id="kind" value={kind} maxLength={50} onChange={(e) => setKind(e.target.value)} />
              </div>
              <button type="submit" disabled={busy}>
                {busy ? t.submitting : t.upload}
              </button>
            </form>
          )}
        </section>
      </div>
    </div>
  );
}
