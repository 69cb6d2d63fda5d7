import { useEffect, useState, type FormEvent } from 'react';
import { api, download } from '../api.js';
import { ErrorBox, Field, useLoad, UnitOptions } from '../components/common.js';
import { DateInput } from '../components/DateInput.js';
import { fmtDate, fmtNumber, useI18n, type Lang } from '../i18n.js';
import { orgUnits, unitsInJurisdiction, type OrgUnit } from '../orgunits.js';
import { useMe } from '../session.js';

interface AdmissionRow {
  orgUnitId: string;
  name: string;
  admitted: number;
  quota: number | null;
  percentOfQuota: number | null;
  women: number;
  ethnicMinority: number;
  youthUnion: number;
  religious: number;
  age30OrUnder: number;
  membershipAtStart?: number | null;
  percentOfMembership: number | null;
}
interface Admissions {
  rows: AdmissionRow[];
  total: AdmissionRow;
}
interface Funnel {
  steps: { step: string; name: { vi: string; en: string }; count: number; conversionPercent: number | null; medianDaysFromPrevious: number | null }[];
}
interface Grassroots {
  total: number;
  withAdmissions: number;
  percent: number | null;
}
interface Places {
  start: { total: number; withoutMembers: number; withoutCell: number };
  end: { total: number; withoutMembers: number; withoutCell: number };
  change: { withoutMembers: number; withoutCell: number };
}

const L = {
  vi: {
    unit: 'Đơn vị',
    from: 'Từ ngày',
    to: 'Đến ngày',
    show: 'Xem báo cáo',
    quotaVsAdmitted: 'Kết nạp so với chỉ tiêu theo đơn vị',
    admitted: 'Kết nạp',
    quota: 'Chỉ tiêu',
    ofQuota: 'so với chỉ tiêu',
    funnel: 'Nguồn phát triển đảng viên đến đảng viên chính thức',
    composition: 'Cơ cấu đảng viên mới kết nạp',
    women: 'Nữ',
    ethnicMinority: 'Dân tộc thiểu số',
    youthUnion: 'Đoàn viên',
    religious: 'Có tôn giáo',
    age30: 'Tuổi đời từ 30 trở xuống',
    grassroots: 'Tổ chức cơ sở đảng kết nạp được đảng viên',
    places: 'Thôn, bản, tổ dân phố chưa có đảng viên / chưa có chi bộ',
    noMembers: 'Chưa có đảng viên',
    noCell: 'Chưa có chi bộ',
    medianDays: 'ngày (trung vị)',
    export: 'Xuất',
    total: 'Tổng cộng',
    noQuota: 'chưa giao',
  },
  en: {
    unit: 'Unit',
    from: 'From',
    to: 'To',
    show: 'Show report',
    quotaVsAdmitted: 'Admissions against quota by unit',
    admitted: 'Admitted',
    quota: 'Quota',
    ofQuota: 'of quota',
    funnel: 'From sources to official members',
    composition: 'Composition of new members',
    women: 'Women',
    ethnicMinority: 'Ethnic minorities',
    youthUnion: 'Youth Union members',
    religious: 'Religious believers',
    age30: 'Aged 30 or under',
    grassroots: 'Grassroots organisations that admitted a member',
    places: 'Hamlets and residential groups without a member / without a cell',
    noMembers: 'No party member',
    noCell: 'No cell',
    medianDays: 'days (median)',
    export: 'Export',
    total: 'Total',
    noQuota: 'none set',
  },
};

const pct = (v: number | null | undefined, lang: Lang) => (v === null || v === undefined ? '—' : `${fmtNumber(v, lang)}%`);

export function ReportsPage() {
  const { t, lang } = useI18n();
  const l = L[lang];
  const me = useMe()!;
  const [units, setUnits] = useState<OrgUnit[]>([]);
  const [q, setQ] = useState<{ orgUnitId: string; from: string; to: string }>();
  const [draft, setDraft] = useState({ orgUnitId: '', from: '', to: '' });
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    Promise.all([orgUnits(), api<{ today: string }>('GET', '/clock')]).then(([all, clock]) => {
      const mine = unitsInJurisdiction(all, me).filter((u) => u.kind !== 'training_centre');
      setUnits(mine);
      const first = { orgUnitId: mine[0]?.id ?? '', from: `${clock.today.slice(0, 4)}-01-01`, to: clock.today };
      setDraft(first);
      if (first.orgUnitId) setQ(first);
    }, setError);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const qs = q ? new URLSearchParams(q).toString() : '';
  const data = useLoad(async () => {
    if (!q) return undefined;
    const [admissions, funnel, grassroots, places] = await Promise.all([
      api<Admissions>('GET', `/reports/admissions?${qs}`),
      api<Funnel>('GET', `/reports/funnel?${qs}`),
      api<Grassroots>('GET', `/reports/grassroots?${qs}`),
      api<Places>('GET', `/reports/places?${qs}`),
    ]);
    return { admissions, funnel, grassroots, places };
  }, [qs]);

  function show(e: FormEvent) {
    e.preventDefault();
    setQ({ ...draft });
  }
  const exportLinks = (report: string, name: string) => (
    <span className="exports">
      {(['csv', 'xlsx'] as const).map((f) => (
        <button key={f} type="button" className="link" onClick={() => download(`/reports/${report}?${qs}&format=${f}`, `${name}.${f}`).catch(setError)}>
          {l.export} {f.toUpperCase()}
        </button>
      ))}
    </span>
  );

  const d = data.data;
  const rows = d?.admissions.rows ?? [];
  const max = Math.max(1, ...rows.map((r) => Math.max(r.admitted, r.quota ?? 0)));
  const total = d?.admissions.total;
  return (
    <section>
      <h1>{t.reports}</h1>
      <form className="filters" onSubmit={show}>
        <label>
          {l.unit}
          <select value={draft.orgUnitId} onChange={(e) => setDraft({ ...draft, orgUnitId: e.target.value })}>
            <UnitOptions units={units} />
          </select>
        </label>
        <Field label={l.from} id="rep-from">
          <DateInput id="rep-from" required value={draft.from} onChange={(v) => setDraft({ ...draft, from: v })} />
        </Field>
        <Field label={l.to} id="rep-to">
          <DateInput id="rep-to" required value={draft.to} onChange={(v) => setDraft({ ...draft, to: v })} />
        </Field>
        <div className="actions">
          <button type="submit" className="primary">
            {l.show}
          </button>
        </div>
      </form>
      <ErrorBox error={error ?? data.error} />
      {data.loading && <p className="muted">{t.loading}</p>}
      {d && q && (
        <>
          <p className="muted">
            {fmtDate(q.from)} – {fmtDate(q.to)}
          </p>
          <section className="card" aria-labelledby="rep-quota">
            <h2 id="rep-quota">
              {l.quotaVsAdmitted} {exportLinks('admissions', `ket-nap-${q.from}-${q.to}`)}
            </h2>
            <div className="bars" role="img" aria-label={l.quotaVsAdmitted} data-testid="quota-chart">
              {rows.map((r) => (
                <div className="bar" key={r.orgUnitId}>
                  <span>{r.name}</span>
                  <span className="track" title={`${l.admitted} ${r.admitted} / ${l.quota} ${r.quota ?? l.noQuota}`}>
                    <span className="fill" style={{ width: `${(r.admitted / max) * 100}%` }} />
                    {r.quota !== null && <span className="quota" style={{ left: `${(r.quota / max) * 100}%` }} />}
                  </span>
                  <span>
                    {r.admitted}/{r.quota ?? '—'}
                  </span>
                </div>
              ))}
            </div>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{l.unit}</th>
                    <th scope="col">{l.admitted}</th>
                    <th scope="col">{l.quota}</th>
                    <th scope="col">% {l.ofQuota}</th>
                    <th scope="col">{l.women}</th>
                    <th scope="col">{l.ethnicMinority}</th>
                    <th scope="col">{l.youthUnion}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...rows, ...(total ? [{ ...total, name: l.total }] : [])].map((r, i) => (
                    <tr key={r.orgUnitId + i} className={i === rows.length ? 'total' : ''}>
                      <td>{r.name}</td>
                      <td>{fmtNumber(r.admitted, lang)}</td>
                      <td>{r.quota ?? '—'}</td>
                      <td>{pct(r.percentOfQuota, lang)}</td>
                      <td>{r.women}</td>
                      <td>{r.ethnicMinority}</td>
                      <td>{r.youthUnion}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <div className="split">
            <section className="card" aria-labelledby="rep-funnel">
              <h2 id="rep-funnel">
                {l.funnel} {exportLinks('funnel', `pheu-${q.from}-${q.to}`)}
              </h2>
              <div className="bars" role="img" aria-label={l.funnel} data-testid="funnel-chart">
                {d.funnel.steps.map((s) => {
                  const top = Math.max(1, d.funnel.steps[0]?.count ?? 1);
                  return (
                    <div className="bar" key={s.step}>
                      <span>{s.name[lang]}</span>
                      <span className="track">
                        <span className="fill" style={{ width: `${(s.count / top) * 100}%` }} />
                      </span>
                      <span title={s.medianDaysFromPrevious !== null ? `${s.medianDaysFromPrevious} ${l.medianDays}` : undefined}>
                        {s.count} {s.conversionPercent !== null ? `(${pct(s.conversionPercent, lang)})` : ''}
                      </span>
                    </div>
                  );
                })}
              </div>
            </section>
            <section className="card" aria-labelledby="rep-comp">
              <h2 id="rep-comp">{l.composition}</h2>
              {total && (
                <div className="bars" role="img" aria-label={l.composition} data-testid="composition-chart">
                  {(
                    [
                      [l.women, total.women],
                      [l.ethnicMinority, total.ethnicMinority],
                      [l.youthUnion, total.youthUnion],
                      [l.religious, total.religious],
                      [l.age30, total.age30OrUnder],
                    ] as const
                  ).map(([name, n]) => (
                    <div className="bar" key={name}>
                      <span>{name}</span>
                      <span className="track">
                        <span className="fill" style={{ width: `${total.admitted ? (n / total.admitted) * 100 : 0}%` }} />
                      </span>
                      <span>
                        {n} ({total.admitted ? pct(Math.round((n / total.admitted) * 1000) / 10, lang) : '—'})
                      </span>
                    </div>
                  ))}
                </div>
              )}
              <p>
                {l.grassroots}: <strong>{d.grassroots.withAdmissions}/{d.grassroots.total}</strong> ({pct(d.grassroots.percent, lang)})
              </p>
              <p>
                {l.places}: {l.noMembers} <strong>{d.places.start.withoutMembers} → {d.places.end.withoutMembers}</strong>, {l.noCell}{' '}
                <strong>
                  {d.places.start.withoutCell} → {d.places.end.withoutCell}
                </strong>
              </p>
            </section>
          </div>
        </>
      )}
    </section>
  );
}
