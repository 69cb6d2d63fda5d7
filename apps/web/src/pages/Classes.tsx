import { useEffect, useState, type FormEvent } from 'react';
import { api, newIdempotencyKey } from '../api.js';
import { ErrorBox, Field, UnitOptions, useLoad, useToday } from '../components/common.js';
import { DateInput } from '../components/DateInput.js';
import { fmtDate, label, STAGE_NAMES, useI18n, type Lang } from '../i18n.js';
import { orgUnits, unitsInJurisdiction } from '../orgunits.js';
import { href } from '../router.js';
import { useMe } from '../session.js';

interface TrainingClass {
  id: string;
  kind: 'party_awareness' | 'new_member';
  name: string;
  startsOn: string;
  endsOn: string;
  capacity: number;
  orgUnitName: string;
  certifiedOn: string | null;
  taken: number;
  enrolled: number;
  certified: number;
}
interface Enrolment {
  candidateId: string;
  fullName: string;
  stage: string;
  status: 'proposed' | 'enrolled' | 'declined';
  result: 'pass' | 'fail' | null;
  certificateNo: string | null;
  appliedAt: string | null;
}
interface Eligible {
  candidateId: string;
  fullName: string;
  cellName: string;
}
interface CertifyLine {
  candidateId: string;
  certificateNo?: string;
  status: string;
  stage?: string;
  error?: { message: string };
}
interface CertifyOutcome {
  applied: number;
  alreadyApplied: number;
  refused: number;
  results: CertifyLine[];
}
/** The durable job a certify starts (GET /api/jobs/:id): progress, then the result. */
interface CertifyJob {
  jobId: string;
  status: 'running' | 'succeeded' | 'failed';
  total: number;
  done: number;
  failed: number;
  result: (CertifyOutcome & { failure?: string }) | null;
}

/** The job of a class's certify still being followed, kept across a reload of the page. */
const jobKey = (classId: string) => `ketnap.certify-job.${classId}`;
const POLL_MS = 1000;

const L = {
  vi: {
    title: 'Lớp bồi dưỡng',
    kind: 'Loại lớp',
    party_awareness: 'Bồi dưỡng nhận thức về Đảng',
    new_member: 'Bồi dưỡng đảng viên mới',
    name: 'Tên lớp',
    person: 'Học viên',
    startsOn: 'Khai giảng',
    endsOn: 'Bế giảng',
    capacity: 'Sĩ số tối đa',
    create: 'Mở lớp',
    places: 'Đã đăng ký / đã xác nhận / đã cấp giấy',
    open: 'Mở',
    propose: 'Đề nghị cử đi học',
    proposeSelected: (n: number) => `Đề nghị ${n} người đã chọn`,
    none: 'Không có ai đang chờ học lớp này trong phạm vi của đồng chí.',
    enrolments: 'Danh sách học viên',
    status: 'Trạng thái',
    proposed: 'Được đề nghị',
    enrolled: 'Đã xác nhận',
    declined: 'Không nhận',
    confirm: 'Xác nhận tất cả người được đề nghị',
    certify: 'Cấp giấy chứng nhận cho cả lớp',
    issuedOn: 'Ngày cấp',
    result: 'Kết quả',
    pass: 'Đạt',
    fail: 'Không đạt',
    certificate: 'Số giấy chứng nhận',
    certified: (a: number, b: number, r: number) => `${a} được ghi nhận, ${b} đã ghi nhận từ trước, ${r} bị từ chối.`,
    processed: (n: number, total: number) => `Đã xử lý ${n}/${total}`,
    jobFailed: 'Tác vụ cấp giấy chứng nhận bị dừng:',
    back: '← Danh sách lớp',
  },
  en: {
    title: 'Training classes',
    kind: 'Kind',
    party_awareness: 'Party awareness',
    new_member: 'New members',
    name: 'Class name',
    person: 'Participant',
    startsOn: 'Starts',
    endsOn: 'Ends',
    capacity: 'Capacity',
    create: 'Open a class',
    places: 'Taken / enrolled / certified',
    open: 'Open',
    propose: 'Propose candidates',
    proposeSelected: (n: number) => `Propose ${n} selected`,
    none: 'Nobody in your jurisdiction is waiting for this class.',
    enrolments: 'Participants',
    status: 'Status',
    proposed: 'Proposed',
    enrolled: 'Enrolled',
    declined: 'Declined',
    confirm: 'Enrol everyone proposed',
    certify: 'Certify the whole class',
    issuedOn: 'Issued on',
    result: 'Result',
    pass: 'Pass',
    fail: 'Fail',
    certificate: 'Certificate',
    certified: (a: number, b: number, r: number) => `${a} recorded, ${b} already recorded, ${r} refused.`,
    processed: (n: number, total: number) => `Processed ${n}/${total}`,
    jobFailed: 'The certification job stopped:',
    back: '← All classes',
  },
};
type Dict = (typeof L)['vi'];
const kindName = (l: Dict, k: string) => (k === 'new_member' ? l.new_member : l.party_awareness);

export function ClassesPage({ classId }: { classId?: string }) {
  return classId ? <ClassDetail id={classId} /> : <ClassList />;
}

function ClassList() {
  const { lang } = useI18n();
  const l = L[lang];
  const me = useMe()!;
  const classes = useLoad(() => api<{ items: TrainingClass[] }>('GET', '/training-classes').then((r) => r.items), []);
  const [centres, setCentres] = useState<{ id: string; name: string }[]>([]);
  const [form, setForm] = useState({ kind: 'party_awareness', name: '', startsOn: '', endsOn: '', capacity: '40', orgUnitId: '' });
  const [error, setError] = useState<unknown>();
  const runsClasses = me.roles.some((r) => r.role === 'training_centre' || r.role === 'admin');
  useEffect(() => {
    if (!runsClasses) return;
    orgUnits().then((all) => {
      const mine = unitsInJurisdiction(all, me).filter((u) => u.kind === 'training_centre');
      setCentres(mine);
      setForm((f) => ({ ...f, orgUnitId: f.orgUnitId || mine[0]?.id || '' }));
    }, setError);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runsClasses]);

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      await api('POST', '/training-classes', { ...form, capacity: Number(form.capacity) });
      setForm({ ...form, name: '' });
      classes.reload();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section>
      <h1>{l.title}</h1>
      <ErrorBox error={error ?? classes.error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{l.name}</th>
              <th scope="col">{l.kind}</th>
              <th scope="col">{l.startsOn}</th>
              <th scope="col">{l.places}</th>
            </tr>
          </thead>
          <tbody>
            {classes.data?.map((c) => (
              <tr key={c.id}>
                <td>
                  <a href={href(`classes/${c.id}`)}>{c.name}</a>
                  <div className="muted small">{c.orgUnitName}</div>
                </td>
                <td>{kindName(l, c.kind)}</td>
                <td>
                  {fmtDate(c.startsOn)} – {fmtDate(c.endsOn)}
                </td>
                <td>
                  {c.taken}/{c.capacity} · {c.enrolled} · {c.certified}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {runsClasses && centres.length > 0 && (
        <form className="card" onSubmit={create} aria-labelledby="new-class">
          <h2 id="new-class">{l.create}</h2>
          <div className="row">
            <Field label={l.kind} id="class-kind">
              <select id="class-kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
                <option value="party_awareness">{l.party_awareness}</option>
                <option value="new_member">{l.new_member}</option>
              </select>
            </Field>
            <Field label={l.name} id="class-name">
              <input id="class-name" required minLength={2} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
            </Field>
            <Field label={l.startsOn} id="class-starts">
              <DateInput id="class-starts" required value={form.startsOn} onChange={(v) => setForm({ ...form, startsOn: v })} />
            </Field>
            <Field label={l.endsOn} id="class-ends">
              <DateInput id="class-ends" required value={form.endsOn} onChange={(v) => setForm({ ...form, endsOn: v })} />
            </Field>
            <Field label={l.capacity} id="class-capacity">
              <input id="class-capacity" type="number" min={1} max={2000} required value={form.capacity} onChange={(e) => setForm({ ...form, capacity: e.target.value })} />
            </Field>
            {centres.length > 1 && (
              <Field label={lang === 'vi' ? 'Trung tâm' : 'Centre'} id="class-centre">
                <select id="class-centre" value={form.orgUnitId} onChange={(e) => setForm({ ...form, orgUnitId: e.target.value })}>
                  <UnitOptions units={centres} />
                </select>
              </Field>
            )}
            <button type="submit" className="primary">
              {l.create}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function ClassDetail({ id }: { id: string }) {
  const { lang } = useI18n();
  const l = L[lang];
  const me = useMe()!;
  const cls = useLoad(() => api<TrainingClass & { enrolments: Enrolment[] }>('GET', `/training-classes/${id}`), [id]);
  const proposes = me.roles.some((r) => r.role === 'grassroots_committee' || r.role === 'superior_board' || r.role === 'admin');
  const runs = me.roles.some((r) => r.role === 'training_centre' || r.role === 'admin');
  const eligible = useLoad(() => (proposes ? api<{ items: Eligible[] }>('GET', `/training-classes/${id}/eligible`).then((r) => r.items) : Promise.resolve([])), [id]);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [results, setResults] = useState<Record<string, 'pass' | 'fail'>>({});
  const [issuedOn, setIssuedOn] = useState('');
  const [certKey, setCertKey] = useState(newIdempotencyKey);
  const [job, setJob] = useState<CertifyJob>();
  const outcome = job?.status === 'succeeded' ? job.result ?? undefined : undefined;
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const today = useToday();
  useEffect(() => {
    if (today) setIssuedOn(today);
  }, [today]);
  // A certify still running when the page was left: follow it again.
  useEffect(() => {
    const saved = localStorage.getItem(jobKey(id));
    if (saved) api<CertifyJob>('GET', `/jobs/${saved}`).then(setJob, () => localStorage.removeItem(jobKey(id)));
  }, [id]);
  // Poll the job until it finishes, then show each participant's line and reload the class.
  useEffect(() => {
    if (!job) return;
    if (job.status !== 'running') {
      localStorage.removeItem(jobKey(id));
      cls.reload();
      return;
    }
    localStorage.setItem(jobKey(id), job.jobId);
    const timer = setTimeout(() => api<CertifyJob>('GET', `/jobs/${job.jobId}`).then(setJob, setError), POLL_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [job, id]);

  const act = async (f: () => Promise<void>) => {
    setError(undefined);
    setBusy(true);
    try {
      await f();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const propose = (e: FormEvent) => {
    e.preventDefault();
    return act(async () => {
      await api('POST', `/training-classes/${id}/proposals`, { candidateIds: [...picked] });
      setPicked(new Set());
      cls.reload();
      eligible.reload();
    });
  };
  const enrolAll = () =>
    act(async () => {
      const ids = (cls.data?.enrolments ?? []).filter((e) => e.status === 'proposed').map((e) => e.candidateId);
      if (ids.length) await api('POST', `/training-classes/${id}/enrolments`, { candidateIds: ids, status: 'enrolled' });
      cls.reload();
    });
  const certify = (e: FormEvent) => {
    e.preventDefault();
    return act(async () => {
      const enrolled = (cls.data?.enrolments ?? []).filter((x) => x.status === 'enrolled' && !x.certificateNo);
      const r = await api<CertifyJob>('POST', `/training-classes/${id}/certify`, { issuedOn, results: enrolled.map((x) => ({ candidateId: x.candidateId, result: results[x.candidateId] ?? 'pass' })) }, { 'Idempotency-Key': certKey });
      setJob(r);
      setCertKey(newIdempotencyKey());
      cls.reload();
    });
  };

  if (cls.error) return <ErrorBox error={cls.error} />;
  if (!cls.data) return <p className="muted">{lang === 'vi' ? 'Đang tải…' : 'Loading…'}</p>;
  const c = cls.data;
  const names = new Map(c.enrolments.map((x) => [x.candidateId, x.fullName]));
  const waiting = c.enrolments.filter((x) => x.status === 'enrolled' && !x.certificateNo);
  return (
    <section>
      <p>
        <a href={href('classes')}>{l.back}</a>
      </p>
      <h1>{c.name}</h1>
      <p className="muted">
        {kindName(l, c.kind)} · {c.orgUnitName} · {fmtDate(c.startsOn)} – {fmtDate(c.endsOn)} · {c.taken}/{c.capacity}
      </p>
      <ErrorBox error={error} />
      {job && (
        <p className="muted" role="status" data-testid="certify-progress">
          <progress max={job.total} value={job.done} aria-hidden="true" /> {l.processed(job.done, job.total)}
        </p>
      )}
      {job?.status === 'failed' && (
        <p className="warning" role="alert">
          {l.jobFailed} {job.result?.failure}
        </p>
      )}
      {outcome && (
        <div className={outcome.refused ? 'warning' : 'success'} role="status" data-testid="certify-result">
          <p>{l.certified(outcome.applied, outcome.alreadyApplied, outcome.refused)}</p>
          <ul>
            {outcome.results.map((r) => (
              <li key={r.candidateId}>
                <strong>{names.get(r.candidateId)}</strong> {r.certificateNo ?? ''} — {r.error ? r.error.message : label(STAGE_NAMES, r.stage, lang as Lang)}
              </li>
            ))}
          </ul>
        </div>
      )}
      <section className="card" aria-labelledby="participants">
        <h2 id="participants">{l.enrolments}</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{l.person}</th>
                <th scope="col">{l.status}</th>
                <th scope="col">{l.result}</th>
                <th scope="col">{l.certificate}</th>
              </tr>
            </thead>
            <tbody>
              {c.enrolments.map((x) => (
                <tr key={x.candidateId}>
                  <td>
                    <a href={href(`candidates/${x.candidateId}`)}>{x.fullName}</a>
                  </td>
                  <td>{l[x.status]}</td>
                  <td>
                    {runs && x.status === 'enrolled' && !x.certificateNo ? (
                      <select aria-label={`${l.result} ${x.fullName}`} value={results[x.candidateId] ?? 'pass'} onChange={(e) => setResults({ ...results, [x.candidateId]: e.target.value as 'pass' | 'fail' })}>
                        <option value="pass">{l.pass}</option>
                        <option value="fail">{l.fail}</option>
                      </select>
                    ) : x.result ? (
                      l[x.result]
                    ) : (
                      ''
                    )}
                  </td>
                  <td>{x.certificateNo ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {runs && c.enrolments.some((x) => x.status === 'proposed') && (
          <button type="button" onClick={enrolAll} disabled={busy}>
            {l.confirm}
          </button>
        )}
        {runs && waiting.length > 0 && (
          <form onSubmit={certify} className="row">
            <Field label={l.issuedOn} id="certify-issued">
              <DateInput id="certify-issued" required value={issuedOn} onChange={setIssuedOn} />
            </Field>
            <button type="submit" className="primary" disabled={busy || job?.status === 'running'}>
              {l.certify} ({waiting.length})
            </button>
          </form>
        )}
      </section>
      {proposes && (
        <form className="card" onSubmit={propose} aria-labelledby="propose-title">
          <h2 id="propose-title">{l.propose}</h2>
          {eligible.data?.length === 0 && <p className="muted">{l.none}</p>}
          <ul className="files">
            {eligible.data?.map((x) => (
              <li key={x.candidateId}>
                <label>
                  <input
                    type="checkbox"
                    checked={picked.has(x.candidateId)}
                    onChange={(e) => {
                      const s = new Set(picked);
                      if (e.target.checked) s.add(x.candidateId);
                      else s.delete(x.candidateId);
                      setPicked(s);
                    }}
                  />{' '}
                  {x.fullName} <span className="muted small">{x.cellName}</span>
                </label>
              </li>
            ))}
          </ul>
          <button type="submit" className="primary" disabled={busy || picked.size === 0}>
            {l.proposeSelected(picked.size)}
          </button>
        </form>
      )}
    </section>
  );
}
