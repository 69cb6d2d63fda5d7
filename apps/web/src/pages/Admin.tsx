import { useState, type FormEvent } from 'react';
import { ORG_UNIT_KINDS } from '../../../../libs/domain/src/procedure.js';
import { api } from '../api.js';
import { ErrorBox, Field, useLoad, UnitOptions } from '../components/common.js';
import { EmailFailures } from '../components/EmailFailures.js';
import { Reorganise } from '../components/Reorganise.js';
import { GrantFields, SecurityLog, UserAdmin } from '../components/UserAdmin.js';
import { label, useI18n } from '../i18n.js';
import { orgUnits, type OrgUnit } from '../orgunits.js';

const KIND_NAMES: Record<string, { vi: string; en: string }> = {
  province: { vi: 'Đảng bộ tỉnh, thành phố', en: 'Province' },
  superior: { vi: 'Cấp ủy cấp trên cơ sở', en: 'Superior (district level)' },
  grassroots_committee: { vi: 'Đảng bộ cơ sở', en: 'Grassroots committee' },
  grassroots_cell: { vi: 'Chi bộ cơ sở', en: 'Grassroots cell' },
  partial_committee: { vi: 'Đảng bộ bộ phận', en: 'Partial committee' },
  cell: { vi: 'Chi bộ', en: 'Cell' },
  training_centre: { vi: 'Trung tâm chính trị', en: 'Training centre' },
};

function tree(units: OrgUnit[]): { unit: OrgUnit; depth: number }[] {
  const kids = new Map<string | null, OrgUnit[]>();
  for (const u of units) kids.set(u.parentId, [...(kids.get(u.parentId) ?? []), u]);
  const out: { unit: OrgUnit; depth: number }[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const u of (kids.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name, 'vi'))) {
      out.push({ unit: u, depth });
      walk(u.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

export function AdminPage() {
  const { t, lang } = useI18n();
  const units = useLoad(() => orgUnits(true), []);
  // Bumped after a user is created, so the users table loads again.
  const [usersVersion, setUsersVersion] = useState(0);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState('');
  const [unit, setUnit] = useState({ name: '', kind: 'cell', parentId: '' });
  const [user, setUser] = useState({ username: '', fullName: '', password: '', role: 'cell_secretary', orgUnitId: '' });
  const all = units.data ?? [];

  async function createUnit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setNotice('');
    try {
      await api('POST', '/org-units', { name: unit.name, kind: unit.kind, ...(unit.parentId ? { parentId: unit.parentId } : {}) });
      setUnit({ ...unit, name: '' });
      setNotice(t.created);
      units.reload();
    } catch (err) {
      setError(err);
    }
  }
  async function createUser(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setNotice('');
    try {
      await api('POST', '/users', { username: user.username, fullName: user.fullName, password: user.password, roles: [{ role: user.role, orgUnitId: user.role === 'admin' ? null : user.orgUnitId }] });
      setUser({ ...user, username: '', fullName: '', password: '' });
      setNotice(t.created);
      setUsersVersion((v) => v + 1);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section>
      <h1>{t.admin}</h1>
      <ErrorBox error={error ?? units.error} />
      {notice && (
        <p className="success" role="status">
          {notice}
        </p>
      )}
      <div className="split">
        <section className="card" aria-labelledby="units-title">
          <h2 id="units-title">{t.orgUnits}</h2>
          <ul className="tree">
            {tree(all).map(({ unit: u, depth }) => (
              <li key={u.id} style={{ paddingLeft: `${depth * 1.2}rem` }}>
                {u.name} <span className="muted small">({label(KIND_NAMES, u.kind, lang)}{u.authorisedToAdmit ? (lang === 'vi' ? ', được ủy quyền kết nạp' : ', authorised to admit') : ''})</span>
              </li>
            ))}
          </ul>
          <form onSubmit={createUnit}>
            <h3>{t.create}</h3>
            <Field label={t.name} id="unit-name">
              <input id="unit-name" required value={unit.name} onChange={(e) => setUnit({ ...unit, name: e.target.value })} />
            </Field>
            <Field label={lang === 'vi' ? 'Loại tổ chức' : 'Kind'} id="unit-kind">
              <select id="unit-kind" value={unit.kind} onChange={(e) => setUnit({ ...unit, kind: e.target.value })}>
                {ORG_UNIT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {label(KIND_NAMES, k, lang)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t.parent} id="unit-parent">
              <select id="unit-parent" value={unit.parentId} onChange={(e) => setUnit({ ...unit, parentId: e.target.value })}>
                <option value="">—</option>
                <UnitOptions units={all} />
              </select>
            </Field>
            <button type="submit" className="primary">
              {t.create}
            </button>
          </form>
          <Reorganise units={all} onDone={units.reload} onError={setError} />
        </section>
        <section className="card" aria-labelledby="users-title">
          <h2 id="users-title">{t.users}</h2>
          <UserAdmin key={usersVersion} units={all} onError={setError} />
          <form onSubmit={createUser}>
            <h3>{t.create}</h3>
            <Field label={t.username} id="user-username">
              <input id="user-username" required value={user.username} onChange={(e) => setUser({ ...user, username: e.target.value })} />
            </Field>
            <Field label={t.fullName} id="user-fullname">
              <input id="user-fullname" required value={user.fullName} onChange={(e) => setUser({ ...user, fullName: e.target.value })} />
            </Field>
            <Field label={t.password} id="user-password" hint={lang === 'vi' ? 'Ít nhất 12 ký tự' : 'At least 12 characters'}>
              <input id="user-password" type="password" autoComplete="new-password" required minLength={12} value={user.password} onChange={(e) => setUser({ ...user, password: e.target.value })} />
            </Field>
            <GrantFields idPrefix="user" grant={user} units={all} onChange={(g) => setUser({ ...user, ...g })} />
            <button type="submit" className="primary">
              {t.create}
            </button>
          </form>
        </section>
      </div>
      <EmailFailures />
      <SecurityLog />
    </section>
  );
}
