import { useState, type FormEvent } from 'react';
import { ROLES } from '../../../../libs/domain/src/procedure.js';
import { api } from '../api.js';
import { fmtDateTime, label, ROLE_NAMES, useI18n } from '../i18n.js';
import type { OrgUnit } from '../orgunits.js';
import { ErrorBox, Field, useLoad, UnitOptions } from './common.js';

export interface AdminUser {
  id: string;
  username: string;
  fullName: string;
  email: string | null;
  active: boolean;
  roles: { role: string; orgUnitId: string | null; scope?: 'global' | 'subtree' }[];
}

type Grant = { role: string; orgUnitId: string | null };

const TEXT = {
  vi: {
    status: 'Trạng thái',
    active: 'Đang hoạt động',
    inactive: 'Đã khóa',
    edit: 'Sửa',
    editing: 'Sửa người dùng',
    close: 'Đóng',
    email: 'Thư điện tử',
    global: 'toàn hệ thống',
    addRole: 'Thêm vai trò',
    removeRole: 'Bỏ vai trò',
    save: 'Lưu',
    saved: 'Đã lưu.',
    rolesNote: 'Đổi vai trò sẽ kết thúc mọi phiên đăng nhập của người dùng này.',
    deactivate: 'Khóa tài khoản',
    reactivate: 'Mở khóa tài khoản',
    deactivated: 'Đã khóa tài khoản và kết thúc mọi phiên đăng nhập.',
    reactivated: 'Đã mở khóa tài khoản.',
    newPassword: 'Mật khẩu mới',
    resetPassword: 'Đặt lại mật khẩu',
    passwordReset: 'Đã đặt lại mật khẩu; mọi phiên đăng nhập cũ đã kết thúc.',
    revoke: 'Đăng xuất khỏi mọi nơi',
    revoked: (n: number) => `Đã kết thúc ${n} phiên đăng nhập.`,
    atLeast12: 'Ít nhất 12 ký tự',
    search: 'Tìm người dùng',
    securityLog: 'Nhật ký an ninh',
    when: 'Thời điểm',
    event: 'Sự kiện',
    user: 'Người dùng',
    by: 'Người thực hiện',
    address: 'Địa chỉ',
    newer: 'Mới hơn',
    older: 'Cũ hơn',
  },
  en: {
    status: 'Status',
    active: 'Active',
    inactive: 'Deactivated',
    edit: 'Edit',
    editing: 'Edit user',
    close: 'Close',
    email: 'E-mail',
    global: 'global',
    addRole: 'Add role',
    removeRole: 'Remove role',
    save: 'Save',
    saved: 'Saved.',
    rolesNote: 'Changing roles ends every session of this user.',
    deactivate: 'Deactivate account',
    reactivate: 'Reactivate account',
    deactivated: 'Account deactivated; every session ended.',
    reactivated: 'Account reactivated.',
    newPassword: 'New password',
    resetPassword: 'Reset password',
    passwordReset: 'Password reset; every earlier session ended.',
    revoke: 'Sign out everywhere',
    revoked: (n: number) => `${n} session(s) ended.`,
    atLeast12: 'At least 12 characters',
    search: 'Find a user',
    securityLog: 'Security log',
    when: 'When',
    event: 'Event',
    user: 'User',
    by: 'By',
    address: 'Address',
    newer: 'Newer',
    older: 'Older',
  },
};

const EVENT_NAMES: Record<string, { vi: string; en: string }> = {
  login_succeeded: { vi: 'Đăng nhập', en: 'Signed in' },
  login_failed: { vi: 'Đăng nhập thất bại', en: 'Sign-in failed' },
  login_throttled: { vi: 'Bị chặn do sai nhiều lần', en: 'Locked out' },
  logout: { vi: 'Đăng xuất', en: 'Signed out' },
  user_created: { vi: 'Tạo người dùng', en: 'User created' },
  user_updated: { vi: 'Sửa thông tin', en: 'Profile changed' },
  user_deactivated: { vi: 'Khóa tài khoản', en: 'Deactivated' },
  user_reactivated: { vi: 'Mở khóa tài khoản', en: 'Reactivated' },
  roles_changed: { vi: 'Đổi vai trò', en: 'Roles changed' },
  password_reset: { vi: 'Đặt lại mật khẩu', en: 'Password reset' },
  password_changed: { vi: 'Tự đổi mật khẩu', en: 'Password changed' },
  sessions_revoked: { vi: 'Kết thúc các phiên', en: 'Sessions ended' },
};

/** How a grant reads: the role and its unit, or "global" for the admin role (it covers the whole system). */
export function grantText(g: Grant & { scope?: string }, names: Map<string, string>, lang: 'vi' | 'en'): string {
  const t = TEXT[lang];
  return `${label(ROLE_NAMES, g.role, lang)} — ${g.orgUnitId ? (names.get(g.orgUnitId) ?? g.orgUnitId) : t.global}`;
}

/** A role and the unit it is granted on (none for admin: its grant is global). */
export function GrantFields(props: { idPrefix: string; grant: { role: string; orgUnitId: string }; units: OrgUnit[]; onChange: (g: { role: string; orgUnitId: string }) => void }) {
  const { idPrefix, grant, units, onChange } = props;
  const { t, lang } = useI18n();
  return (
    <>
      <Field label={t.role} id={`${idPrefix}-role`}>
        <select id={`${idPrefix}-role`} value={grant.role} onChange={(e) => onChange({ ...grant, role: e.target.value })}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {label(ROLE_NAMES, r, lang)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t.orgUnit} id={`${idPrefix}-unit`}>
        <select id={`${idPrefix}-unit`} value={grant.orgUnitId} onChange={(e) => onChange({ ...grant, orgUnitId: e.target.value })} disabled={grant.role === 'admin'}>
          <option value="">{grant.role === 'admin' ? TEXT[lang].global : '—'}</option>
          <UnitOptions units={units} />
        </select>
      </Field>
    </>
  );
}

/** The users table with an editor per user (profile, roles, deactivate, reset password, sign out everywhere). */
export function UserAdmin({ units, onError }: { units: OrgUnit[]; onError: (e: unknown) => void }) {
  const { t: common, lang } = useI18n();
  const t = TEXT[lang];
  const [search, setSearch] = useState('');
  const users = useLoad(() => api<{ items: AdminUser[] }>('GET', `/users?limit=500${search ? `&search=${encodeURIComponent(search)}` : ''}`).then((r) => r.items), [search]);
  const [editing, setEditing] = useState<string>();
  const names = new Map(units.map((u) => [u.id, u.name]));
  const current = users.data?.find((u) => u.id === editing);

  return (
    <>
      <ErrorBox error={users.error} />
      <Field label={t.search} id="user-search">
        <input id="user-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
      </Field>
      <table>
        <thead>
          <tr>
            <th scope="col">{common.username}</th>
            <th scope="col">{common.fullName}</th>
            <th scope="col">{common.roles}</th>
            <th scope="col">{t.status}</th>
            <th scope="col">
              <span className="sr-only">{t.edit}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.data?.map((u) => (
            <tr key={u.id}>
              <td>{u.username}</td>
              <td>{u.fullName}</td>
              <td>{u.roles.map((r) => grantText(r, names, lang)).join('; ')}</td>
              <td>{u.active ? t.active : <span className="badge overdue">{t.inactive}</span>}</td>
              <td>
                <button type="button" className="link" onClick={() => setEditing(u.id)} aria-label={`${t.edit} ${u.username}`}>
                  {t.edit}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {current && <UserEditor key={current.id} user={current} units={units} names={names} onChanged={users.reload} onClose={() => setEditing(undefined)} onError={onError} />}
    </>
  );
}

function UserEditor(props: { user: AdminUser; units: OrgUnit[]; names: Map<string, string>; onChanged: () => void; onClose: () => void; onError: (e: unknown) => void }) {
  const { user, units, names, onChanged, onClose, onError } = props;
  const { t: common, lang } = useI18n();
  const t = TEXT[lang];
  const [profile, setProfile] = useState({ fullName: user.fullName, email: user.email ?? '' });
  const [roles, setRoles] = useState<Grant[]>(user.roles.map(({ role, orgUnitId }) => ({ role, orgUnitId })));
  const [grant, setGrant] = useState({ role: 'cell_secretary', orgUnitId: '' });
  const [password, setPassword] = useState('');
  const [notice, setNotice] = useState('');

  async function run<T>(action: () => Promise<T>, done: string | ((result: T) => string)) {
    onError(undefined);
    setNotice('');
    try {
      const result = await action();
      setNotice(typeof done === 'string' ? done : done(result));
      onChanged();
    } catch (e) {
      onError(e);
    }
  }
  const save = (e: FormEvent) => {
    e.preventDefault();
    void run(() => api('PATCH', `/users/${user.id}`, { fullName: profile.fullName, email: profile.email || null, roles }), t.saved);
  };
  const addGrant = () => {
    const g = { role: grant.role, orgUnitId: grant.role === 'admin' ? null : grant.orgUnitId || null };
    if (g.role !== 'admin' && !g.orgUnitId) return;
    if (!roles.some((r) => r.role === g.role && r.orgUnitId === g.orgUnitId)) setRoles([...roles, g]);
  };
  const resetPassword = (e: FormEvent) => {
    e.preventDefault();
    void run(() => api('POST', `/users/${user.id}/password`, { password }).then(() => setPassword('')), t.passwordReset);
  };

  return (
    <section className="card" aria-labelledby="user-editor-title">
      <h3 id="user-editor-title">
        {t.editing}: {user.username}
      </h3>
      {notice && (
        <p className="success" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={save}>
        <Field label={common.fullName} id="edit-fullname">
          <input id="edit-fullname" required value={profile.fullName} onChange={(e) => setProfile({ ...profile, fullName: e.target.value })} />
        </Field>
        <Field label={t.email} id="edit-email">
          <input id="edit-email" type="email" value={profile.email} onChange={(e) => setProfile({ ...profile, email: e.target.value })} />
        </Field>
        <fieldset>
          <legend>{common.roles}</legend>
          <ul>
            {roles.map((r) => (
              <li key={`${r.role}@${r.orgUnitId}`}>
                {grantText(r, names, lang)}{' '}
                <button type="button" className="link" onClick={() => setRoles(roles.filter((x) => x !== r))} aria-label={`${t.removeRole}: ${grantText(r, names, lang)}`}>
                  {t.removeRole}
                </button>
              </li>
            ))}
          </ul>
          <GrantFields idPrefix="edit" grant={grant} units={units} onChange={setGrant} />
          <button type="button" onClick={addGrant}>
            {t.addRole}
          </button>
          <p className="muted small">{t.rolesNote}</p>
        </fieldset>
        <button type="submit" className="primary">
          {t.save}
        </button>
      </form>
      <form onSubmit={resetPassword}>
        <Field label={t.newPassword} id="edit-password" hint={t.atLeast12}>
          <input id="edit-password" type="password" autoComplete="new-password" required minLength={12} value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        <button type="submit">{t.resetPassword}</button>
      </form>
      <p>
        {user.active ? (
          <button type="button" onClick={() => void run(() => api('PATCH', `/users/${user.id}`, { active: false }), t.deactivated)}>
            {t.deactivate}
          </button>
        ) : (
          <button type="button" onClick={() => void run(() => api('PATCH', `/users/${user.id}`, { active: true }), t.reactivated)}>
            {t.reactivate}
          </button>
        )}{' '}
        <button type="button" onClick={() => void run(() => api<{ sessionsEnded: number }>('POST', `/users/${user.id}/revoke-sessions`), (r) => t.revoked(r.sessionsEnded))}>
          {t.revoke}
        </button>{' '}
        <button type="button" className="link" onClick={onClose}>
          {t.close}
        </button>
      </p>
    </section>
  );
}

interface SecurityEvent {
  id: string;
  at: string;
  kind: string;
  username: string | null;
  actorUsername: string | null;
  clientAddress: string | null;
}

/** The newest entries of the security log, 50 a page. */
export function SecurityLog() {
  const { lang } = useI18n();
  const t = TEXT[lang];
  const [offset, setOffset] = useState(0);
  const log = useLoad(() => api<{ items: SecurityEvent[]; total: number }>('GET', `/security-log?limit=50&offset=${offset}`), [offset]);
  return (
    <section className="card" aria-labelledby="security-log-title">
      <h2 id="security-log-title">{t.securityLog}</h2>
      <ErrorBox error={log.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">{t.when}</th>
            <th scope="col">{t.event}</th>
            <th scope="col">{t.user}</th>
            <th scope="col">{t.by}</th>
            <th scope="col">{t.address}</th>
          </tr>
        </thead>
        <tbody>
          {log.data?.items.map((e) => (
            <tr key={e.id}>
              <td>{fmtDateTime(e.at)}</td>
              <td>{label(EVENT_NAMES, e.kind, lang)}</td>
              <td>{e.username ?? '—'}</td>
              <td>{e.actorUsername ?? '—'}</td>
              <td>{e.clientAddress ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - 50))}>
          {t.newer}
        </button>{' '}
        <button type="button" disabled={!log.data || offset + 50 >= log.data.total} onClick={() => setOffset(offset + 50)}>
          {t.older}
        </button>
      </p>
    </section>
  );
}
