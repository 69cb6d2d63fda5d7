import { api } from '../api.js';
import { href } from '../router.js';
import { fmtDate, stepName, useI18n } from '../i18n.js';
import { ErrorBox, useLoad } from './common.js';

/** What the API gives a training centre about a candidate (GET /api/candidates/:id, `view: 'training_centre'`). */
export interface CentreCandidate {
  id: string;
  fullName: string;
  dateOfBirth: string;
  view: 'training_centre';
  openTasks: { id: string; type: string; dueDate: string | null }[];
  classes: { classId: string; className: string; kind: string; startsOn: string; endsOn: string; status: string; result: string | null; certificateNo: string | null; issuedOn: string | null }[];
}

const L = {
  vi: { classes: 'Lớp bồi dưỡng', none: 'Chưa học lớp nào của trung tâm', certificate: 'Giấy chứng nhận', reduced: 'Trung tâm bồi dưỡng chỉ xem họ tên, ngày sinh và lớp học; lịch sử, thẩm tra, tài liệu và ý kiến thuộc cấp ủy.' },
  en: { classes: 'Training classes', none: 'No class at this centre yet', certificate: 'Certificate', reduced: 'A training centre sees the name, date of birth and classes only; the history, verification, documents and comments belong to the party committees.' },
};

/** The training centre's view of a candidate: name, date of birth, its own open steps, the classes. */
export function CentreProfile({ c }: { c: CentreCandidate }) {
  const { t, lang } = useI18n();
  const l = L[lang];
  return (
    <div>
      <dl className="profile">
        <div>
          <dt>{t.fullName}</dt>
          <dd>{c.fullName}</dd>
        </div>
        <div>
          <dt>{t.dateOfBirth}</dt>
          <dd>{fmtDate(c.dateOfBirth)}</dd>
        </div>
      </dl>
      {c.openTasks.map((task) => (
        <a key={task.id} href={href(`tasks/${encodeURIComponent(task.id)}`)} className="chip">
          {stepName(task.type, lang)}
          {task.dueDate ? ` · ${fmtDate(task.dueDate)}` : ''}
        </a>
      ))}
      <h3>{l.classes}</h3>
      {c.classes.length === 0 ? (
        <p className="muted">{l.none}</p>
      ) : (
        <ul>
          {c.classes.map((k) => (
            <li key={k.classId}>
              <a href={href(`classes/${k.classId}`)}>{k.className}</a> ({fmtDate(k.startsOn)}–{fmtDate(k.endsOn)}) · {k.status}
              {k.result ? ` · ${k.result}` : ''}
              {k.certificateNo ? ` · ${l.certificate} ${k.certificateNo} (${fmtDate(k.issuedOn)})` : ''}
            </li>
          ))}
        </ul>
      )}
      <p className="muted small">{l.reduced}</p>
    </div>
  );
}

/** The candidate page as a training centre sees it. */
export function CentreCandidatePage({ candidateId }: { candidateId: string }) {
  const { t } = useI18n();
  const data = useLoad(() => api<CentreCandidate>('GET', `/candidates/${candidateId}`), [candidateId]);
  if (data.error) return <ErrorBox error={data.error} />;
  if (!data.data) return <p className="muted">{t.loading}</p>;
  return (
    <section className="card">
      <h1>{data.data.fullName}</h1>
      <CentreProfile c={data.data} />
    </section>
  );
}
