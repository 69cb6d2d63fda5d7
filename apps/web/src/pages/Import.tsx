import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, download, newIdempotencyKey } from '../api.js';
import { ErrorBox, Field, UnitOptions, useLoad } from '../components/common.js';
import { fmtDate, label, STAGE_NAMES, stepName, useI18n } from '../i18n.js';
import { orgUnits, unitsInJurisdiction } from '../orgunits.js';
import { href } from '../router.js';
import { useMe } from '../session.js';

/** The roles that create candidates, and so may import cases under way (issue 16). */
export const IMPORTER_ROLES = ['cell_secretary', 'grassroots_committee', 'superior_board'];

interface RowError {
  column?: string;
  code: string;
  message: { vi: string; en: string };
}
interface PreviewRow {
  row: number;
  fullName: string;
  cell?: { id: string; name: string };
  candidateId?: string;
  stage?: string;
  status: 'ok' | 'error' | 'already_imported';
  errors: RowError[];
  notice?: RowError;
  openTasks?: { type: string; dueDate?: string; overdue: boolean }[];
}
interface Preview {
  fileName: string;
  sha256: string;
  total: number;
  ok: number;
  errors: number;
  alreadyImported: number;
  fileErrors: RowError[];
  rows: PreviewRow[];
}
interface ImportLine {
  row: number;
  candidateId: string;
  fullName: string;
  status: 'created' | 'already_imported' | 'refused';
  stage?: string;
  error?: { code: string; message: string };
}
interface ImportJob {
  jobId: string;
  status: 'running' | 'succeeded' | 'failed';
  total: number;
  done: number;
  failed: number;
  result: { created: number; alreadyImported: number; refused: number; results: ImportLine[]; failure?: string } | null;
}

const POLL_MS = 700;
const JOB_KEY = 'ketnap.import.job';

const TEXT = {
  vi: {
    title: 'Nhập hồ sơ đang xử lý',
    intro:
      'Mỗi dòng là một người với các bước đã làm (ngày, số quyết định). Hồ sơ bắt đầu ở giai đoạn hiện tại; các bước cũ được ghi là "đã nhập" kèm người nhập, tên và mã băm của tệp, số dòng; thời hạn tính từ ngày thật. Phạm vi: từ quần chúng ưu tú đến khi cấp ủy có thẩm quyền quyết định công nhận đảng viên chính thức — đảng viên dự bị, kiểm điểm cuối thời gian dự bị (tự động khi hết 12 tháng kể từ ngày kết nạp), chi bộ xét công nhận (kể cả các lần biểu quyết chưa đạt hai phần ba, cột recognitionInconclusiveVotes: ngày:số đảng viên chính thức:số tán thành công nhận:số tán thành xóa tên; …), đảng ủy cơ sở xét công nhận. Chi bộ trực thuộc đảng ủy bộ phận: thêm các cột thẩm định của đảng ủy bộ phận (ngày, ý kiến đồng ý/không đồng ý, số báo cáo); đảng ủy cơ sở được ủy quyền kết nạp: không có bước đảng ủy cơ sở xét, các cột quyết định kết nạp là quyết định của đảng ủy cơ sở. Tệp CSV UTF-8 hoặc XLSX (trang tính đầu tiên).',
    template: 'Tải tệp mẫu (CSV)',
    templateXlsx: 'Tệp mẫu Excel (XLSX)',
    unit: 'Đơn vị nhập vào',
    file: 'Tệp CSV hoặc XLSX',
    preview: 'Xem trước',
    import: 'Nhập',
    summary: (p: Preview) => `${p.total} dòng: ${p.ok} hợp lệ, ${p.errors} lỗi, ${p.alreadyImported} đã nhập trước đây`,
    fixFirst: 'Sửa các dòng lỗi trong tệp rồi xem trước lại; chưa có gì được ghi.',
    row: 'Dòng',
    person: 'Họ và tên',
    cell: 'Chi bộ',
    stage: 'Giai đoạn',
    check: 'Kiểm tra',
    open: 'Bước đang mở',
    ok: 'Hợp lệ',
    already: 'Đã nhập',
    overdue: 'quá hạn',
    processed: (n: number, total: number) => `Đã xử lý ${n}/${total}`,
    done: (r: NonNullable<ImportJob['result']>) => `Đã tạo ${r.created}, đã có ${r.alreadyImported}, bị từ chối ${r.refused}`,
    created: 'Đã tạo',
    refused: 'Bị từ chối',
    fileHash: 'SHA-256 của tệp',
  },
  en: {
    title: 'Import cases under way',
    intro:
      'One candidate a row with the steps already taken (dates, decision numbers). Each case starts at its current stage; its past is recorded as imported events with the importer, the file name and hash, and the row; clocks run from the real dates. Scope: from the source up to the competent committee’s recognition decision — probationary member, the end-of-probation review (opened by itself once the 12 months from the ceremony have ended), the cell recognition vote (with the votes held without two thirds, column recognitionInconclusiveVotes: date:official members:for recognition:for removal; …), the grassroots recognition review. A cell under a partial committee adds the partial committee’s appraisal columns (date, opinion agree/disagree, report number); under a grassroots committee authorised to admit there is no grassroots review and the admission decision columns are the committee’s own decision. CSV (UTF-8) or XLSX (first sheet).',
    template: 'Download the template (CSV)',
    templateXlsx: 'Excel template (XLSX)',
    unit: 'Import into',
    file: 'CSV or XLSX file',
    preview: 'Preview',
    import: 'Import',
    summary: (p: Preview) => `${p.total} rows: ${p.ok} valid, ${p.errors} with errors, ${p.alreadyImported} imported before`,
    fixFirst: 'Fix the rows with errors in the file and preview again; nothing has been written.',
    row: 'Row',
    person: 'Full name',
    cell: 'Cell',
    stage: 'Stage',
    check: 'Check',
    open: 'Open step',
    ok: 'Valid',
    already: 'Imported before',
    overdue: 'overdue',
    processed: (n: number, total: number) => `Processed ${n}/${total}`,
    done: (r: NonNullable<ImportJob['result']>) => `Created ${r.created}, already there ${r.alreadyImported}, refused ${r.refused}`,
    created: 'Created',
    refused: 'Refused',
    fileHash: 'File SHA-256',
  },
};

function Errors({ errors }: { errors: RowError[] }) {
  return (
    <ul className="plain">
      {errors.map((e, i) => (
        <li key={i}>
          {e.column && <code>{e.column}</code>} {e.message.vi}
          <br />
          <span className="muted small" lang="en">
            {e.message.en}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** #/import: a CSV of cases under way → a preview with each row's errors → a durable import job with progress. */
export function ImportPage() {
  const { lang } = useI18n();
  const l = TEXT[lang];
  const me = useMe();
  const units = useLoad(() => orgUnits(), []);
  const importerUnits = useMemo(() => {
    if (!units.data || !me) return [];
    return unitsInJurisdiction(units.data, { ...me, roles: me.roles.filter((r) => r.role === 'admin' || IMPORTER_ROLES.includes(r.role)) });
  }, [units.data, me]);
  const [orgUnitId, setOrgUnitId] = useState('');
  const [file, setFile] = useState<File>();
  const [preview, setPreview] = useState<Preview>();
  const [job, setJob] = useState<ImportJob>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!orgUnitId && importerUnits.length) setOrgUnitId(importerUnits[0].id);
  }, [importerUnits, orgUnitId]);
  // An import still running when the page was left: follow it again.
  useEffect(() => {
    const saved = localStorage.getItem(JOB_KEY);
    if (saved) api<ImportJob>('GET', `/jobs/${saved}`).then(setJob, () => localStorage.removeItem(JOB_KEY));
  }, []);
  useEffect(() => {
    if (!job) return;
    if (job.status !== 'running') {
      localStorage.removeItem(JOB_KEY);
      return;
    }
    localStorage.setItem(JOB_KEY, job.jobId);
    const timer = setTimeout(() => api<ImportJob>('GET', `/jobs/${job.jobId}`).then(setJob, setError), POLL_MS);
    return () => clearTimeout(timer);
  }, [job]);

  const query = () => `orgUnitId=${encodeURIComponent(orgUnitId)}&filename=${encodeURIComponent(file?.name ?? 'import.csv')}`;
  // The bytes as they are (the server hashes them), typed by their extension whatever the browser guessed.
  const body = () => new Blob([file!], { type: /\.xlsx$/i.test(file!.name) ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv' });
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
  const doPreview = (e: FormEvent) => {
    e.preventDefault();
    return act(async () => {
      setJob(undefined);
      setPreview(await api<Preview>('POST', `/candidate-imports/preview?${query()}`, body()));
    });
  };
  const doImport = () =>
    act(async () => {
      setJob(await api<ImportJob>('POST', `/candidate-imports?${query()}`, body(), { 'Idempotency-Key': newIdempotencyKey() }));
    });

  const canImport = preview && preview.errors === 0 && preview.fileErrors.length === 0 && preview.total > 0 && !job;
  return (
    <section aria-labelledby="import-title">
      <h1 id="import-title">{l.title}</h1>
      <p className="muted">{l.intro}</p>
      <p>
        <button type="button" className="link" onClick={() => void download('/candidate-imports/template.csv', 'mau-nhap-ho-so.csv').catch(setError)}>
          {l.template}
        </button>{' '}
        <button type="button" className="link" onClick={() => void download('/candidate-imports/template.xlsx', 'mau-nhap-ho-so.xlsx').catch(setError)}>
          {l.templateXlsx}
        </button>
      </p>
      <form className="card row" onSubmit={doPreview}>
        <Field label={l.unit} id="import-unit">
          <select id="import-unit" required value={orgUnitId} onChange={(e) => setOrgUnitId(e.target.value)}>
            <UnitOptions units={importerUnits} />
          </select>
        </Field>
        <Field label={l.file} id="import-file">
          <input
            id="import-file"
            type="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            required
            onChange={(e) => {
              setFile(e.target.files?.[0]);
              setPreview(undefined);
              setJob(undefined);
            }}
          />
        </Field>
        <button type="submit" disabled={busy || !file || !orgUnitId}>
          {l.preview}
        </button>
      </form>
      <ErrorBox error={error} />
      {preview && (
        <section className="card" aria-labelledby="preview-title">
          <h2 id="preview-title">
            {preview.fileName} — {l.summary(preview)}
          </h2>
          <p className="muted small">
            {l.fileHash}: <code>{preview.sha256}</code>
          </p>
          {preview.fileErrors.length > 0 && (
            <div className="error" role="alert">
              <Errors errors={preview.fileErrors} />
            </div>
          )}
          {preview.errors > 0 && <p role="status">{l.fixFirst}</p>}
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{l.row}</th>
                  <th scope="col">{l.person}</th>
                  <th scope="col">{l.cell}</th>
                  <th scope="col">{l.stage}</th>
                  <th scope="col">{l.check}</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r) => (
                  <tr key={r.row} className={r.status === 'error' ? 'row-error' : undefined}>
                    <td>{r.row}</td>
                    <td>{r.fullName}</td>
                    <td>{r.cell?.name ?? ''}</td>
                    <td>{r.stage ? label(STAGE_NAMES, r.stage, lang) : ''}</td>
                    <td>
                      {r.status === 'error' ? (
                        <Errors errors={r.errors} />
                      ) : r.status === 'already_imported' ? (
                        <span>{l.already}</span>
                      ) : (
                        <span>
                          {l.ok}
                          {r.openTasks?.map((t) => (
                            <span key={t.type} className="muted small">
                              <br />
                              {l.open}: {stepName(t.type, lang)}
                              {t.dueDate ? ` · ${fmtDate(t.dueDate)}` : ''}
                              {t.overdue && <span className="badge overdue"> {l.overdue}</span>}
                            </span>
                          ))}
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <button type="button" className="primary" onClick={doImport} disabled={busy || !canImport}>
            {l.import} ({preview.ok})
          </button>
        </section>
      )}
      {job && (
        <section className="card" aria-labelledby="job-title" aria-live="polite">
          <h2 id="job-title">{l.processed(job.done, job.total)}</h2>
          <progress max={job.total || 1} value={job.done} aria-label={l.processed(job.done, job.total)} />
          {job.result && job.status !== 'running' && (
            <>
              <p role="status">{job.result.failure ?? l.done(job.result)}</p>
              <ul className="plain">
                {job.result.results?.map((x) => (
                  <li key={x.candidateId}>
                    {l.row} {x.row}: <a href={href(`candidates/${x.candidateId}`)}>{x.fullName}</a> —{' '}
                    {x.status === 'created' ? l.created : x.status === 'already_imported' ? l.already : l.refused}
                    {x.stage ? ` · ${label(STAGE_NAMES, x.stage, lang)}` : ''}
                    {x.error ? ` · ${x.error.message}` : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
    </section>
  );
}
