import { useState } from 'react';
import { api } from '../api.js';
import { fmtDateTime, label, useI18n } from '../i18n.js';
import { href } from '../router.js';
import { ErrorBox, useLoad } from './common.js';

/** One e-mail of the outbox that failed for good or is in doubt (GET /api/notifications/email-failures). */
export interface EmailFailure {
  id: string;
  status: 'failed' | 'in_doubt';
  emailTo: string;
  username: string;
  userFullName: string;
  candidateId: string | null;
  candidateName: string | null;
  taskId: string | null;
  kind: string;
  key: string;
  title: string;
  error: string | null;
  attempts: number;
  lastAttemptAt: string | null;
  createdAt: string;
}

const TEXT = {
  vi: {
    title: 'Thư điện tử gửi không được',
    intro: 'Thông báo vẫn có trong hộp thư của người dùng; chỉ thư điện tử chưa đến được. Thư “chưa rõ” có thể đã được gửi: gửi lại có thể gây trùng.',
    none: 'Không có thư nào gửi thất bại.',
    when: 'Thời điểm',
    recipient: 'Người nhận',
    candidate: 'Người vào Đảng',
    notice: 'Thông báo',
    status: 'Trạng thái',
    attempts: 'Số lần thử',
    error: 'Lỗi',
    retry: 'Gửi lại',
    requeued: 'Đã đưa thư vào hàng đợi gửi lại.',
    newer: 'Mới hơn',
    older: 'Cũ hơn',
  },
  en: {
    title: 'E-mails that could not be sent',
    intro: 'The notice is still in the user’s feed; only the e-mail did not get through. An e-mail “in doubt” may have been sent: sending it again may duplicate it.',
    none: 'No failed e-mails.',
    when: 'When',
    recipient: 'Recipient',
    candidate: 'Candidate',
    notice: 'Notice',
    status: 'Status',
    attempts: 'Attempts',
    error: 'Error',
    retry: 'Send again',
    requeued: 'The e-mail is queued again.',
    newer: 'Newer',
    older: 'Older',
  },
};

const STATUS_NAMES: Record<string, { vi: string; en: string }> = {
  failed: { vi: 'Thất bại', en: 'Failed' },
  in_doubt: { vi: 'Chưa rõ đã gửi', en: 'In doubt' },
};

const PAGE = 20;

/** The administrators' list of e-mails the outbox gave up on, with a button to queue one again. */
export function EmailFailures() {
  const { lang } = useI18n();
  const t = TEXT[lang];
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState('');
  const list = useLoad(() => api<{ items: EmailFailure[]; total: number }>('GET', `/notifications/email-failures?limit=${PAGE}&offset=${offset}`), [offset]);

  async function retry(id: string) {
    setError(undefined);
    setNotice('');
    try {
      await api('POST', `/notifications/email-failures/${id}/retry`);
      setNotice(t.requeued);
      list.reload();
    } catch (err) {
      setError(err);
    }
  }

  const items = list.data?.items ?? [];
  return (
    <section className="card" aria-labelledby="email-failures-title">
      <h2 id="email-failures-title">{t.title}</h2>
      <p className="muted small">{t.intro}</p>
      <ErrorBox error={error ?? list.error} />
      {notice && (
        <p className="success" role="status">
          {notice}
        </p>
      )}
      {list.data && items.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t.when}</th>
              <th scope="col">{t.recipient}</th>
              <th scope="col">{t.candidate}</th>
              <th scope="col">{t.notice}</th>
              <th scope="col">{t.status}</th>
              <th scope="col">{t.attempts}</th>
              <th scope="col">{t.error}</th>
              <th scope="col">
                <span className="sr-only">{t.retry}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((f) => (
              <tr key={f.id} data-testid="email-failure">
                <td>{fmtDateTime(f.createdAt)}</td>
                <td>
                  {f.userFullName} ({f.username})<br />
                  <span className="muted small">{f.emailTo}</span>
                </td>
                <td>{f.candidateId ? <a href={href(`candidates/${f.candidateId}`)}>{f.candidateName ?? f.candidateId}</a> : '—'}</td>
                <td>
                  {f.taskId ? <a href={href(`tasks/${encodeURIComponent(f.taskId)}`)}>{f.title}</a> : f.title}
                  <br />
                  <span className="muted small">{f.key}</span>
                </td>
                <td>{label(STATUS_NAMES, f.status, lang)}</td>
                <td>{f.attempts}</td>
                <td className="small">{f.error ?? '—'}</td>
                <td>
                  <button type="button" onClick={() => retry(f.id)}>
                    {t.retry}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          {t.newer}
        </button>{' '}
        <button type="button" disabled={!list.data || offset + PAGE >= list.data.total} onClick={() => setOffset(offset + PAGE)}>
          {t.older}
        </button>
      </p>
    </section>
  );
}
