import { useEffect, useState, type FormEvent } from 'react';
import { TASK_TYPES } from '../../../../libs/domain/src/procedure.js';
import { api } from '../api.js';
import { DueBadge, ErrorBox, useLoad, UnitOptions } from '../components/common.js';
import { fmtDate, stepName, useI18n } from '../i18n.js';
import { orgUnits, unitsInJurisdiction, type OrgUnit } from '../orgunits.js';
import { href } from '../router.js';
import { canCreateCandidates } from './NewCandidate.js';
import { useMe } from '../session.js';

export interface InboxFilter {
  type?: string;
  orgUnitId?: string;
  due?: string;
  search?: string;
  dueWithin?: number;
  sort?: 'due' | 'opened';
}

export interface TaskItem {
  id: string;
  candidateId: string;
  candidateName: string;
  type: string;
  orgUnitId: string;
  orgUnitName: string;
  /** Who acts on it (a superior step with `grassroots_committee`: a committee authorised to admit). */
  role?: string;
  status: string;
  dueDate: string | null;
  dueAt: string | null;
  openedOn: string;
  overdue: boolean;
  dueState?: 'overdue' | 'due_soon' | 'ok' | 'none';
  dueInWorkingDays?: number | null;
}

interface SavedFilter {
  id: string;
  name: string;
  query: InboxFilter;
}

const PAGE = 50;

export function toQuery(f: InboxFilter, extra: Record<string, string | number> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...f, ...extra })) if (v !== undefined && v !== '' && v !== null) p.set(k, String(v));
  return p.toString();
}

/** The filter as the API's inbox query understands it ("due soon" = due within 3 working days). */
function apiFilter(f: InboxFilter): InboxFilter {
  if (f.due === 'due_soon') return { ...f, due: undefined, dueWithin: 3 };
  return f;
}

export function InboxPage() {
  const { t, lang } = useI18n();
  const me = useMe()!;
  const [draft, setDraft] = useState<InboxFilter>({ sort: 'due' });
  const [filter, setFilter] = useState<InboxFilter>({ sort: 'due' });
  const [page, setPage] = useState(0);
  const [units, setUnits] = useState<OrgUnit[]>([]);
  const [saved, setSaved] = useState<SavedFilter[]>([]);
  const [filterName, setFilterName] = useState('');
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    orgUnits().then((all) => setUnits(unitsInJurisdiction(all, me)), setError);
    loadSaved();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function loadSaved() {
    api<SavedFilter[] | { items: SavedFilter[] }>('GET', '/saved-filters').then((r) => setSaved(Array.isArray(r) ? r : r.items), setError);
  }

  const inbox = useLoad(
    () => api<{ items: TaskItem[]; total: number }>('GET', `/tasks?${toQuery(apiFilter(filter), { limit: PAGE, offset: page * PAGE })}`),
    [JSON.stringify(filter), page],
  );

  function apply(e?: FormEvent) {
    e?.preventDefault();
    setPage(0);
    setFilter({ ...draft, search: draft.search?.trim() || undefined });
  }
  function clear() {
    setDraft({ sort: 'due' });
    setFilter({ sort: 'due' });
    setPage(0);
  }
  function applySaved(s: SavedFilter) {
    // Stored as the API's query: "due soon" is kept as dueWithin 3.
    const q: InboxFilter = s.query.dueWithin === 3 && !s.query.due ? { ...s.query, dueWithin: undefined, due: 'due_soon' } : s.query;
    setDraft(q);
    setFilter(q);
    setPage(0);
  }
  async function save() {
    setError(undefined);
    try {
      await api('POST', '/saved-filters', { name: filterName.trim(), query: apiFilter(filter) });
      setFilterName('');
      loadSaved();
    } catch (e) {
      setError(e);
    }
  }
  async function remove(s: SavedFilter) {
    setError(undefined);
    try {
      await api('DELETE', `/saved-filters/${s.id}`);
      loadSaved();
    } catch (e) {
      setError(e);
    }
  }

  const total = inbox.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE));
  const set = (k: keyof InboxFilter) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value || undefined });

  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">{t.inbox}</h1>
      {canCreateCandidates(me) && (
        <p>
          <a href={href('new-candidate')} data-testid="new-candidate-link">+ {lang === 'vi' ? 'Lập hồ sơ quần chúng mới' : 'Open a new candidate\'s case'}</a>
        </p>
      )}
      <form className="filters" onSubmit={apply} role="search">
        <label>
          {t.search}
          <input type="search" name="search" value={draft.search ?? ''} onChange={set('search')} placeholder="nguyen van an" />
        </label>
        <label>
          {t.step}
          <select name="type" value={draft.type ?? ''} onChange={set('type')}>
            <option value="">{t.all}</option>
            {TASK_TYPES.map((ty) => (
              <option key={ty} value={ty}>
                {stepName(ty, lang)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.orgUnit}
          <select name="orgUnitId" value={draft.orgUnitId ?? ''} onChange={set('orgUnitId')}>
            <option value="">{t.all}</option>
            <UnitOptions units={units} />
          </select>
        </label>
        <label>
          {t.dueState}
          <select name="due" value={draft.due ?? ''} onChange={set('due')}>
            <option value="">{t.all}</option>
            <option value="overdue">{t.overdue}</option>
            <option value="due_soon">{t.dueSoon}</option>
            <option value="has_due">{t.onTime + ' / ' + t.dueSoon}</option>
            <option value="none">{t.noDue}</option>
          </select>
        </label>
        <label>
          {t.sort}
          <select name="sort" value={draft.sort ?? 'due'} onChange={set('sort')}>
            <option value="due">{t.sortDue}</option>
            <option value="opened">{t.sortOpened}</option>
          </select>
        </label>
        <div className="actions">
          <button type="submit" className="primary">
            {t.filter}
          </button>
          <button type="button" onClick={clear}>
            {t.clear}
          </button>
        </div>
      </form>

      <div className="saved" aria-label={t.savedFilters}>
        <strong>{t.savedFilters}:</strong>
        {saved.map((s) => (
          <span key={s.id} className="chip">
            <button type="button" className="link" onClick={() => applySaved(s)}>
              {s.name}
            </button>
            <button type="button" className="link danger" aria-label={`${t.deleteFilter} ${s.name}`} onClick={() => remove(s)}>
              ×
            </button>
          </span>
        ))}
        <label className="inline">
          <span className="sr-only">{t.filterName}</span>
          <input value={filterName} onChange={(e) => setFilterName(e.target.value)} placeholder={t.filterName} aria-label={t.filterName} />
        </label>
        <button type="button" onClick={save} disabled={!filterName.trim()}>
          {t.saveFilter}
        </button>
      </div>

      <ErrorBox error={error ?? inbox.error} />
      <p className="muted" aria-live="polite">
        {inbox.loading ? t.loading : t.tasksTotal(total)}
      </p>
      <div className="table-wrap">
        <table className="tasks">
          <thead>
            <tr>
              <th scope="col">{t.candidate}</th>
              <th scope="col">{t.step}</th>
              <th scope="col">{t.orgUnit}</th>
              <th scope="col">{t.due}</th>
            </tr>
          </thead>
          <tbody>
            {inbox.data?.items.map((task) => (
              <tr key={task.id} className={task.dueState ?? (task.overdue ? 'overdue' : '')}>
                <td data-label={t.candidate}>
                  <a href={href(`tasks/${encodeURIComponent(task.id)}`)}>{task.candidateName}</a>
                </td>
                <td data-label={t.step}>{stepName(task.type, lang)}</td>
                <td data-label={t.orgUnit}>{task.orgUnitName}</td>
                <td data-label={t.due}>
                  {task.dueDate ? fmtDate(task.dueDate) + ' ' : ''}
                  <DueBadge state={task.dueState ?? (task.overdue ? 'overdue' : task.dueDate ? 'ok' : 'none')} days={task.dueInWorkingDays} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {inbox.data && inbox.data.items.length === 0 && <p>{t.noTasks}</p>}
      </div>
      <nav className="pager" aria-label="pagination">
        <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
          {t.previous}
        </button>
        <span>{t.page(page + 1, pages)}</span>
        <button type="button" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
          {t.next}
        </button>
      </nav>
    </section>
  );
}
