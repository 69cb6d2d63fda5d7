import { useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { useI18n } from '../i18n.js';
import type { OrgUnit } from '../orgunits.js';
import { Field, UnitOptions } from './common.js';

type Action = 'rename' | 'move' | 'merge' | 'dissolve' | 'authorise' | 'deauthorise';
const ACTIONS: readonly Action[] = ['rename', 'move', 'merge', 'dissolve', 'authorise', 'deauthorise'];

const TEXT = {
  title: { vi: 'Sắp xếp lại tổ chức', en: 'Reorganise' },
  action: { vi: 'Thao tác', en: 'Action' },
  unit: { vi: 'Tổ chức', en: 'Unit' },
  rename: { vi: 'Đổi tên', en: 'Rename' },
  move: { vi: 'Chuyển sang trực thuộc', en: 'Move under' },
  merge: { vi: 'Hợp nhất vào', en: 'Merge into' },
  dissolve: { vi: 'Giải thể, chuyển các tổ chức trực thuộc sang', en: 'Dissolve, moving its units under' },
  authorise: { vi: 'Ủy quyền cho đảng ủy cơ sở kết nạp đảng viên', en: 'Authorise the grassroots committee to admit' },
  deauthorise: { vi: 'Thôi ủy quyền kết nạp đảng viên', en: 'Withdraw the authority to admit' },
  newName: { vi: 'Tên mới', en: 'New name' },
  target: { vi: 'Tổ chức đích', en: 'Target unit' },
  top: { vi: '— (cấp cao nhất)', en: '— (top level)' },
  submit: { vi: 'Thực hiện', en: 'Apply' },
  renamed: { vi: 'Đã đổi tên.', en: 'Renamed.' },
  job: { vi: 'Đang chuyển hồ sơ: {done}/{total} (lỗi {failed}) — {status}', en: 'Moving cases: {done}/{total} ({failed} failed) — {status}' },
} as const;

/**
 * Rename, move, merge or dissolve an org unit (issue 16): the tree changes at once; the active cases move in a
 * job whose progress is shown here (GET /api/jobs/:id).
 */
export function Reorganise({ units, onDone, onError }: { units: OrgUnit[]; onDone: () => void; onError: (e: unknown) => void }) {
  const { lang } = useI18n();
  const tx = (k: keyof typeof TEXT) => TEXT[k][lang];
  const [action, setAction] = useState<Action>('move');
  const [unitId, setUnitId] = useState('');
  const [target, setTarget] = useState('');
  const [name, setName] = useState('');
  const [status, setStatus] = useState('');

  async function follow(jobId: string) {
    for (let i = 0; i < 120; i++) {
      const job = await api('GET', `/jobs/${jobId}`);
      setStatus(tx('job').replace('{done}', job.done).replace('{total}', job.total).replace('{failed}', job.failed).replace('{status}', job.status));
      if (job.status !== 'running') return;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    onError(undefined);
    setStatus('');
    try {
      if (action === 'rename') {
        await api('POST', `/org-units/${unitId}/rename`, { name });
        setStatus(tx('renamed'));
        onDone();
        return;
      }
      const authority = action === 'authorise' || action === 'deauthorise';
      const body = authority ? { authorisedToAdmit: action === 'authorise' } : action === 'move' ? { parentId: target || null } : action === 'merge' ? { intoId: target } : { childrenTo: target || null };
      const job = await api('POST', `/org-units/${unitId}/${authority ? 'admission-authority' : action}`, body, { 'Idempotency-Key': `reorg-${Date.now()}-${Math.random().toString(36).slice(2)}` });
      onDone();
      await follow(job.jobId);
    } catch (err) {
      onError(err);
    }
  }

  return (
    <form onSubmit={submit} aria-labelledby="reorganise-title">
      <h3 id="reorganise-title">{tx('title')}</h3>
      <Field label={tx('unit')} id="reorg-unit">
        <select id="reorg-unit" required value={unitId} onChange={(e) => setUnitId(e.target.value)}>
          <option value="">—</option>
          <UnitOptions units={units} />
        </select>
      </Field>
      <Field label={tx('action')} id="reorg-action">
        <select id="reorg-action" value={action} onChange={(e) => setAction(e.target.value as Action)}>
          {ACTIONS.map((a) => (
            <option key={a} value={a}>
              {tx(a)}
            </option>
          ))}
        </select>
      </Field>
      {action === 'rename' ? (
        <Field label={tx('newName')} id="reorg-name">
          <input id="reorg-name" required value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
      ) : action === 'authorise' || action === 'deauthorise' ? null : (
        <Field label={tx('target')} id="reorg-target">
          <select id="reorg-target" required={action === 'merge'} value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value="">{tx('top')}</option>
            <UnitOptions units={units.filter((u) => u.id !== unitId)} />
          </select>
        </Field>
      )}
      <button type="submit" className="primary">
        {tx('submit')}
      </button>
      {status && (
        <p className="success" role="status">
          {status}
        </p>
      )}
    </form>
  );
}
