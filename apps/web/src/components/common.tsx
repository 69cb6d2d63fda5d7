import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError } from '../api.js';
import { useI18n } from '../i18n.js';

/** An API refusal in the user's language, with each violated rule on its own line. */
export function ErrorBox({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  const e = error instanceof ApiError ? error : undefined;
  const violations = e?.body.violations ?? [];
  return (
    <div className="error" role="alert">
      <strong>{t.errorPrefix}</strong>{' '}
      {violations.length > 1 ? (
        <ul>
          {violations.map((v, i) => (
            <li key={i}>{v.message}</li>
          ))}
        </ul>
      ) : (
        <span>{e ? e.body.message : String((error as Error)?.message ?? error)}</span>
      )}
    </div>
  );
}

/** Loads data once per dependency change; `reload` fetches again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data?: T; error?: unknown; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

export function Field({ label, children, hint, id }: { label: string; children: ReactNode; hint?: string; id?: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <small className="muted">{hint}</small>}
    </div>
  );
}

export function DueBadge({ state, days }: { state?: string | null; days?: number | null }) {
  const { t } = useI18n();
  if (!state || state === 'none') return <span className="badge none">{t.noDue}</span>;
  const text = state === 'overdue' ? t.overdue : state === 'due_soon' ? t.dueSoon : t.onTime;
  return (
    <span className={`badge ${state}`} title={days != null ? t.workingDaysLeft(days) : undefined}>
      {text}
      {days != null && <span className="days"> · {t.workingDaysLeft(days)}</span>}
    </span>
  );
}

/** The <option>s of a unit picker (org units, cells, centres), in the order given. */
export function UnitOptions({ units }: { units: { id: string; name: string }[] }) {
  return (
    <>
      {units.map((u) => (
        <option key={u.id} value={u.id}>
          {u.name}
        </option>
      ))}
    </>
  );
}

/** Business "today" (Vietnam) from the API's clock; undefined until it has answered. */
export function useToday(): string | undefined {
  const [today, setToday] = useState<string>();
  useEffect(() => {
    api<{ today: string }>('GET', '/clock').then((c) => setToday(c.today), () => undefined);
  }, []);
  return today;
}
