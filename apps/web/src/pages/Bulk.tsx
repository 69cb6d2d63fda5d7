import { useEffect, useState, type FormEvent } from 'react';
import { reachesTwoThirds, twoThirdsNeeded } from '../../../../libs/domain/src/thresholds.js';
import { api, newIdempotencyKey } from '../api.js';
import { ErrorBox, Field, useLoad, useToday } from '../components/common.js';
import { DateInput } from '../components/DateInput.js';
import { fmtDate, label, OUTCOME_NAMES, STAGE_NAMES, useI18n } from '../i18n.js';
import { useMe } from '../session.js';
import type { TaskItem } from './Inbox.js';

interface BulkResult {
  taskId: string;
  ok: boolean;
  stage?: string;
  error?: { code: string; message: string };
}

export function BulkPage() {
  const { t } = useI18n();
  const me = useMe()!;
  const roles = new Set(me.roles.map((r) => r.role));
  return (
    <section>
      <h1>{t.bulk}</h1>
      {(roles.has('training_centre') || roles.has('admin')) && <Certificates />}
      {(roles.has('cell_secretary') || roles.has('admin')) && <CellMeeting />}
      {!roles.has('training_centre') && !roles.has('cell_secretary') && !roles.has('admin') && <p className="muted">{t.noTasks}</p>}
    </section>
  );
}

function Results({ results, names }: { results: BulkResult[]; names: Map<string, string> }) {
  const { t, lang } = useI18n();
  const ok = results.filter((r) => r.ok).length;
  return (
    <div role="status" className={ok === results.length ? 'success' : 'warning'} data-testid="bulk-results">
      <p>{t.bulkResult(ok, results.length - ok)}</p>
      <ul>
        {results.map((r) => (
          <li key={r.taskId}>
            <strong>{names.get(r.taskId)}</strong>: {r.ok ? label(STAGE_NAMES, r.stage, lang) : r.error?.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The training centre records a class's certificates in one action (numbered in order). */
function Certificates() {
  const { t } = useI18n();
  const today = useToday();
  const tasks = useLoad(() => api<{ items: TaskItem[] }>('GET', '/tasks?type=record_training_certificate&sort=opened&limit=500'), []);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [issuedOn, setIssuedOn] = useState('');
  const [first, setFirst] = useState('1');
  const [suffix, setSuffix] = useState('');
  const [results, setResults] = useState<BulkResult[]>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!today) return;
    setIssuedOn(today);
    setSuffix(`CN-${today.slice(0, 4)}`);
  }, [today]);
  const items = tasks.data?.items ?? [];
  const names = new Map(items.map((i) => [i.id, i.candidateName]));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    const chosen = items.filter((i) => selected.has(i.id));
    if (chosen.length === 0) return setError(new Error(t.nothingSelected));
    setBusy(true);
    try {
      const start = Number(first);
      const r = await api<{ results: BulkResult[] }>('POST', '/tasks/bulk-complete', {
        items: chosen.map((task, i) => ({
          taskId: task.id,
          outcome: 'pass',
          data: { certificateNo: `${start + i}/${suffix}`, issuedOn },
          idempotencyKey: newIdempotencyKey(),
        })),
      });
      setResults(r.results);
      setSelected(new Set());
      tasks.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={submit} aria-labelledby="cert-title">
      <h2 id="cert-title">{t.bulkCertificates}</h2>
      <div className="row">
        <Field label={t.issuedOn} id="bulk-issued">
          <DateInput id="bulk-issued" required value={issuedOn} onChange={setIssuedOn} />
        </Field>
        <Field label={t.firstNumber} id="bulk-first">
          <input id="bulk-first" type="number" min={1} required value={first} onChange={(e) => setFirst(e.target.value)} />
        </Field>
        <Field label={t.prefix} id="bulk-suffix">
          <input id="bulk-suffix" required value={suffix} onChange={(e) => setSuffix(e.target.value)} />
        </Field>
      </div>
      <ErrorBox error={error ?? tasks.error} />
      {results && <Results results={results} names={names} />}
      <table>
        <thead>
          <tr>
            <th scope="col">
              <input
                type="checkbox"
                aria-label={t.selectAll}
                checked={items.length > 0 && selected.size === items.length}
                onChange={(e) => setSelected(e.target.checked ? new Set(items.map((i) => i.id)) : new Set())}
              />
            </th>
            <th scope="col">{t.candidate}</th>
            <th scope="col">{t.orgUnit}</th>
            <th scope="col">{t.certificateNo}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((task) => {
            const idx = items.filter((i) => selected.has(i.id)).findIndex((i) => i.id === task.id);
            return (
              <tr key={task.id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${t.select} ${task.candidateName}`}
                    checked={selected.has(task.id)}
                    onChange={(e) => {
                      const s = new Set(selected);
                      if (e.target.checked) s.add(task.id);
                      else s.delete(task.id);
                      setSelected(s);
                    }}
                  />
                </td>
                <td>{task.candidateName}</td>
                <td>{task.orgUnitName}</td>
                <td>{idx >= 0 ? `${Number(first) + idx}/${suffix}` : ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button type="submit" className="primary" disabled={busy}>
        {t.recordSelected(selected.size)}
      </button>
    </form>
  );
}

interface VoteRow {
  include: boolean;
  inFavour: string;
  outcome: string;
}

/** One cell meeting: the same date and membership, one vote and one resolution per candidate. */
function CellMeeting() {
  const { t, lang } = useI18n();
  const today = useToday();
  const tasks = useLoad(() => api<{ items: TaskItem[] }>('GET', '/tasks?type=cell_admission_vote&sort=opened&limit=500'), []);
  const [meetingDate, setMeetingDate] = useState('');
  const [members, setMembers] = useState('');
  const [rows, setRows] = useState<Record<string, VoteRow>>({});
  const [results, setResults] = useState<BulkResult[]>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (today) setMeetingDate(today);
  }, [today]);
  const items = tasks.data?.items ?? [];
  const names = new Map(items.map((i) => [i.id, i.candidateName]));
  const row = (id: string): VoteRow => rows[id] ?? { include: false, inFavour: '', outcome: 'approve' };
  const setRow = (id: string, patch: Partial<VoteRow>) => setRows({ ...rows, [id]: { ...row(id), ...patch } });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    const chosen = items.filter((i) => row(i.id).include);
    if (chosen.length === 0) return setError(new Error(t.nothingSelected));
    setBusy(true);
    try {
      const r = await api<{ results: BulkResult[] }>('POST', '/tasks/bulk-complete', {
        items: chosen.map((task) => ({
          taskId: task.id,
          outcome: row(task.id).outcome,
          data: { meetingDate, officialMembers: Number(members), inFavour: Number(row(task.id).inFavour) },
          idempotencyKey: newIdempotencyKey(),
        })),
      });
      setResults(r.results);
      setRows({});
      tasks.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const m = Number(members);
  return (
    <form className="card" onSubmit={submit} aria-labelledby="meeting-title">
      <h2 id="meeting-title">{t.bulkVotes}</h2>
      <p className="muted">{t.bulkHintVotes}</p>
      <div className="row">
        <Field label={lang === 'vi' ? 'Ngày họp chi bộ' : 'Meeting date'} id="meeting-date">
          <DateInput id="meeting-date" required value={meetingDate} onChange={setMeetingDate} />
        </Field>
        <Field label={lang === 'vi' ? 'Số đảng viên chính thức của chi bộ' : 'Official members of the cell'} id="meeting-members">
          <input id="meeting-members" type="number" min={3} required value={members} onChange={(e) => setMembers(e.target.value)} />
        </Field>
      </div>
      <ErrorBox error={error ?? tasks.error} />
      {results && <Results results={results} names={names} />}
      <table>
        <thead>
          <tr>
            <th scope="col">{t.select}</th>
            <th scope="col">{t.candidate}</th>
            <th scope="col">{lang === 'vi' ? 'Số tán thành' : 'In favour'}</th>
            <th scope="col">{t.outcome}</th>
            <th scope="col">{lang === 'vi' ? 'Hai phần ba' : 'Two thirds'}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((task) => {
            const r = row(task.id);
            const f = Number(r.inFavour);
            const ok = r.inFavour !== '' && m > 0 && f <= m && reachesTwoThirds(f, m);
            return (
              <tr key={task.id}>
                <td>
                  <input type="checkbox" aria-label={`${t.select} ${task.candidateName}`} checked={r.include} onChange={(e) => setRow(task.id, { include: e.target.checked })} />
                </td>
                <td>
                  {task.candidateName} <span className="muted small">{fmtDate(task.openedOn)}</span>
                </td>
                <td>
                  <input type="number" min={0} aria-label={`${lang === 'vi' ? 'Số tán thành' : 'In favour'} ${task.candidateName}`} value={r.inFavour} onChange={(e) => setRow(task.id, { inFavour: e.target.value, include: true })} />
                </td>
                <td>
                  <select aria-label={`${t.outcome} ${task.candidateName}`} value={r.outcome} onChange={(e) => setRow(task.id, { outcome: e.target.value })}>
                    {['approve', 'reject'].map((o) => (
                      <option key={o} value={o}>
                        {label(OUTCOME_NAMES, o, lang)}
                      </option>
                    ))}
                  </select>
                </td>
                <td className={r.inFavour === '' || !m ? '' : ok ? 'good' : 'bad'}>{r.inFavour === '' || !m ? '' : ok ? '✓' : `✗ (${twoThirdsNeeded(m)})`}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button type="submit" className="primary" disabled={busy}>
        {t.recordSelected(items.filter((i) => row(i.id).include).length)}
      </button>
    </form>
  );
}
