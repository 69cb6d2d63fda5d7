/**
 * reports: the statistics reports over 200,000 candidates. The read model is seeded with SQL
 * (generate_series): an org tree of 1 province → 20 superiors → 10 grassroots committees each → 10 cells
 * each; 200,000 candidates with their attributes and ~530,000 business events (introduced, sympathiser,
 * certified, admitted, official) — inserted into candidate_events in one statement, so the milestones
 * trigger folds them as the projection's inserts would be folded; quotas, membership counts, 1,000 places
 * with snapshots and 20,000 overdue tasks. Then each report is requested through the API by the province's
 * administrator (the whole tree, the heaviest scope), sequentially, and its latency measured: target p95 < 1 s.
 */
import pg from 'pg';
import { progress } from '../log.js';
import { fmtLat, round, summarize, type LatencySummary } from '../stats.js';
import type { Ctx, Row, Scenario, ScenarioOutput } from '../types.js';

const SUPERIORS = 20;
const GRASSROOTS_PER_SUPERIOR = 10;
const CELLS_PER_GRASSROOTS = 10;
const CELLS = SUPERIORS * GRASSROOTS_PER_SUPERIOR * CELLS_PER_GRASSROOTS; // 2000
const LAST_DAY = '2026-11-30';

function seedSql(T: string, candidates: number): { what: string; sql: string }[] {
  // md5-derived, stamped as version-4 UUIDs (the API checks ids as RFC 4122 v4).
  const id = (kind: string, n: string) => `overlay(overlay(md5('${T}:${kind}:' || (${n})) placing '4' from 13) placing '8' from 17)::uuid`;
  const P = id('p', '0');
  const S = (n: string) => id('s', n);
  const G = (n: string) => id('g', n);
  const C = (n: string) => id('c', n);
  const C_PER_S = GRASSROOTS_PER_SUPERIOR * CELLS_PER_GRASSROOTS;
  const cellPath = (k: string) => `'/' || ${P} || '/' || ${S(`${k} / ${C_PER_S}`)} || '/' || ${G(`${k} / ${CELLS_PER_GRASSROOTS}`)} || '/' || ${C(k)} || '/'`;
  const capped = (d: string) => `CASE WHEN ${d} <= DATE '${LAST_DAY}' THEN ${d} END`;
  return [
    {
      what: 'org tree',
      sql: `INSERT INTO org_units (id, name, kind, parent_id, path)
        SELECT ${P}, 'Bench tỉnh ${T}', 'province', NULL, '/' || ${P} || '/'
        UNION ALL
        SELECT ${S('s')}, 'Bench đảng ủy ' || s, 'superior', ${P}, '/' || ${P} || '/' || ${S('s')} || '/' FROM generate_series(0, ${SUPERIORS - 1}) s
        UNION ALL
        SELECT ${G('g')}, 'Bench đảng ủy cơ sở ' || g, 'grassroots_committee', ${S(`g / ${GRASSROOTS_PER_SUPERIOR}`)},
               '/' || ${P} || '/' || ${S(`g / ${GRASSROOTS_PER_SUPERIOR}`)} || '/' || ${G('g')} || '/' FROM generate_series(0, ${SUPERIORS * GRASSROOTS_PER_SUPERIOR - 1}) g
        UNION ALL
        SELECT ${C('k')}, 'Bench chi bộ ' || k, 'cell', ${G(`k / ${CELLS_PER_GRASSROOTS}`)}, ${cellPath('k')} FROM generate_series(0, ${CELLS - 1}) k`,
    },
    {
      what: 'candidate dates',
      sql: `CREATE TEMP TABLE bench_candidates AS
        SELECT n, ${id('cand', 'n')} AS id, n % ${CELLS} AS k, intro,
               CASE WHEN n % 10 < 8 THEN ${capped('s1')} END AS s1,
               CASE WHEN n % 10 < 6 THEN ${capped('s2')} END AS s2,
               CASE WHEN n % 10 < 3 THEN ${capped('s3')} END AS s3,
               CASE WHEN n % 20 = 0 THEN ${capped('s4')} END AS s4
          FROM (SELECT n, intro, intro + 20 + n % 60 AS s1, intro + 50 + n % 60 + n % 90 AS s2,
                       intro + 150 + n % 60 + n % 90 + n % 200 AS s3, intro + 515 + n % 60 + n % 90 + n % 200 AS s4
                  FROM (SELECT n, DATE '2019-01-01' + ((n::bigint * 7919) % 2880)::int AS intro FROM generate_series(0, ${candidates - 1}) n) a) b`,
    },
    {
      what: 'candidates',
      sql: `INSERT INTO candidates (id, cell_id, full_name, search_name, date_of_birth, gender, ethnicity, religion, education, youth_union_member,
                                   occupation, source, routing, stage, status, version, workflow_id)
        SELECT id, ${C('k')}, 'Bench ứng viên ' || n, 'bench ung vien ' || n, DATE '1975-01-01' + ((n::bigint * 104729) % 9000)::int,
               CASE WHEN (n * 7) % 3 = 0 THEN 'male' ELSE 'female' END, CASE WHEN n % 10 = 0 THEN 'Tày' ELSE 'Kinh' END,
               CASE WHEN n % 17 = 0 THEN 'Phật giáo' END, (ARRAY['upper_secondary','university','lower_secondary','college'])[n % 4 + 1], n % 3 <> 0,
               (ARRAY['civil_servant','worker','farmer','student','private_enterprise'])[n % 5 + 1],
               jsonb_build_object('organization', 'Đoàn thanh niên', 'introducedOn', intro),
               jsonb_build_object('cellId', ${C('k')}, 'grassrootsId', ${G(`k / ${CELLS_PER_GRASSROOTS}`)}),
               CASE WHEN s4 IS NOT NULL THEN 'official' WHEN s3 IS NOT NULL THEN 'probation' ELSE 'application' END,
               CASE WHEN s4 IS NOT NULL THEN 'official' ELSE 'active' END, 5, 'bench-' || id
          FROM bench_candidates`,
    },
    {
      what: 'business events (one statement: the milestones trigger folds them at once)',
      sql: `INSERT INTO candidate_events (candidate_id, seq, type, at, business_date, data, hash)
        SELECT id, seq, type, d::timestamptz, d, data, md5(id::text || seq) FROM (
          SELECT id, 1 AS seq, 'candidate_created' AS type, intro AS d, jsonb_build_object('source', jsonb_build_object('introducedOn', intro)) AS data FROM bench_candidates
          UNION ALL SELECT id, 2, 'decision_recorded', s1, '{"taskType":"recognize_sympathiser","outcome":"approve"}'::jsonb FROM bench_candidates WHERE s1 IS NOT NULL
          UNION ALL SELECT id, 3, 'decision_recorded', s2, '{"taskType":"record_training_certificate","outcome":"pass"}'::jsonb FROM bench_candidates WHERE s2 IS NOT NULL
          UNION ALL SELECT id, 4, 'decision_recorded', s3, '{"taskType":"superior_admission_decision","outcome":"approve"}'::jsonb FROM bench_candidates WHERE s3 IS NOT NULL
          UNION ALL SELECT id, 5, 'path_ended', s4, jsonb_build_object('endState', 'official', 'officialFrom', s4) FROM bench_candidates WHERE s4 IS NOT NULL
        ) e`,
    },
    {
      what: 'quotas and membership',
      sql: `INSERT INTO admission_quotas (org_unit_id, period_kind, period, quota)
          SELECT ${P}, 'year', y::text, 80000 FROM generate_series(2019, 2026) y
          UNION ALL SELECT ${S('s')}, 'year', y::text, 3000 + s * 10 FROM generate_series(0, ${SUPERIORS - 1}) s, generate_series(2019, 2026) y
          UNION ALL SELECT ${S('s')}, 'term', '2020-2025', 12000 FROM generate_series(0, ${SUPERIORS - 1}) s;
        INSERT INTO membership_counts (org_unit_id, as_of, party_members)
          SELECT ${C('k')}, (y || '-12-31')::date, 40 + (k + y) % 50 FROM generate_series(0, ${CELLS - 1}) k, generate_series(2018, 2025) y`,
    },
    {
      what: 'places and snapshots',
      sql: `INSERT INTO places (id, name, kind, org_unit_id, party_members, has_cell)
          SELECT ${id('pl', 'i')}, 'Bench thôn ' || i, (ARRAY['hamlet','village','residential_group','school'])[i % 4 + 1], ${G('i / 5')}, i % 3, i % 4 = 0
            FROM generate_series(0, ${SUPERIORS * GRASSROOTS_PER_SUPERIOR * 5 - 1}) i;
        INSERT INTO place_snapshots (place_id, as_of, party_members, has_cell, active)
          SELECT ${id('pl', 'i')}, DATE '2025-12-31', 0, false, true FROM generate_series(0, ${SUPERIORS * GRASSROOTS_PER_SUPERIOR * 5 - 1}) i
          UNION ALL SELECT ${id('pl', 'i')}, DATE '2026-06-01', i % 3, i % 4 = 0, true FROM generate_series(0, ${SUPERIORS * GRASSROOTS_PER_SUPERIOR * 5 - 1}) i`,
    },
    {
      what: 'overdue tasks',
      sql: `INSERT INTO tasks (id, candidate_id, type, role, org_unit_id, status, attempt, opened_at, opened_on, due_date, due_at, version)
        SELECT 'bench-' || id || '-t', id, 'superior_admission_decision', 'superior_board', ${S(`k / ${C_PER_S}`)}, 'open', 1,
               now() - interval '120 days', current_date - 120, current_date - (n % 30), now() - ((n % 30) || ' days')::interval - interval '1 hour', 1
          FROM bench_candidates WHERE n % 10 = 9`,
    },
  ];
}

interface Timed {
  name: string;
  path: string;
  lat: LatencySummary;
  bytes: number;
}

export const reports: Scenario = {
  name: 'reports',
  title: 'GET /api/reports/* over 200k candidates and ~530k events, whole province, p50/p95 per report',
  byDefault: true,
  async run({ env, quick, signal }: Ctx): Promise<ScenarioOutput> {
    const candidates = quick ? 50_000 : 200_000;
    const samples = quick ? 8 : 20;
    const T = Math.random().toString(16).slice(2, 10);
    const { admin } = await env.api();
    const db = new pg.Client({ connectionString: env.dbUrl });
    await db.connect();
    const details: Record<string, unknown> = { candidates, samples };
    try {
      const seedMs: Record<string, number> = {};
      for (const step of seedSql(T, candidates)) {
        if (signal.aborted) throw new Error('aborted');
        const t = Date.now();
        await db.query(step.sql);
        seedMs[step.what] = Date.now() - t;
        progress(`reports: ${step.what} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      }
      await db.query('ANALYZE');
      const counts = (await db.query(`SELECT (SELECT count(*) FROM candidates)::int AS candidates, (SELECT count(*) FROM candidate_events)::int AS events,
          (SELECT count(*) FROM candidate_milestones WHERE admitted_on IS NOT NULL)::int AS admitted`)).rows[0];
      Object.assign(details, { seedMs, counts });
      progress(`reports: ${counts.candidates} candidates, ${counts.events} events, ${counts.admitted} admitted`);
      const province = (await db.query(`SELECT id FROM org_units WHERE name = $1`, [`Bench tỉnh ${T}`])).rows[0].id as string;
      const superior = (await db.query(`SELECT id FROM org_units WHERE parent_id = $1 ORDER BY name LIMIT 1`, [province])).rows[0].id as string;

      const u = `orgUnitId=${province}`;
      const targets: [string, string][] = [
        ['admissions, one year', `/api/reports/admissions?${u}&from=2025-01-01&to=2025-12-31`],
        ['admissions, 2020–2025 term', `/api/reports/admissions?${u}&from=2020-10-01&to=2025-09-30&term=2020-2025`],
        ['admissions, one ward, one year', `/api/reports/admissions?orgUnitId=${superior}&from=2025-01-01&to=2025-12-31`],
        ['funnel, 2024 cohort', `/api/reports/funnel?${u}&from=2024-01-01&to=2024-12-31`],
        ['funnel, all years', `/api/reports/funnel?${u}&from=2019-01-01&to=${LAST_DAY}`],
        ['grassroots share, one year', `/api/reports/grassroots?${u}&from=2025-01-01&to=2025-12-31`],
        ['overdue steps', `/api/reports/overdue?${u}`],
        ['places and trend', `/api/reports/places?${u}&from=2026-01-01&to=2026-06-30`],
        ['admissions as XLSX', `/api/reports/admissions?${u}&from=2025-01-01&to=2025-12-31&format=xlsx`],
        ['admissions as CSV', `/api/reports/admissions?${u}&from=2025-01-01&to=2025-12-31&format=csv`],
      ];
      const fetchOnce = async (path: string) => {
        const t = performance.now();
        const res = await fetch(`${admin.baseUrl}${path}`, { headers: { authorization: `Bearer ${admin.token}` }, signal: AbortSignal.timeout(30_000) });
        const body = Buffer.from(await res.arrayBuffer());
        if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${body.toString('utf8').slice(0, 300)}`);
        return { ms: performance.now() - t, bytes: body.length, body };
      };
      const timed: Timed[] = [];
      for (const [name, path] of targets) {
        for (let i = 0; i < 2; i++) await fetchOnce(path); // warm-up
        const ms: number[] = [];
        let bytes = 0;
        for (let i = 0; i < samples; i++) {
          if (signal.aborted) throw new Error('aborted');
          const r = await fetchOnce(path);
          ms.push(r.ms);
          bytes = r.bytes;
        }
        const lat = summarize(ms);
        timed.push({ name, path, lat, bytes });
        progress(`reports: ${name}: ${fmtLat(lat)}`);
      }
      const sample = JSON.parse((await fetchOnce(targets[0][1])).body.toString('utf8'));
      details.sampleTotal = sample.total;
      details.latencyMs = Object.fromEntries(timed.map((t) => [t.name, t.lat]));
      const rows: Row[] = timed.map((t) => ({
        scenario: 'reports',
        metric: `${t.name} (${counts.candidates.toLocaleString('en')} candidates)`,
        figure: fmtLat(t.lat),
        value: round(t.lat.p95, 1),
        unit: 'ms (p95)',
        baseline: '—',
        baselineValue: NaN,
        ratio: NaN,
        target: 'p95 < 1000 ms',
        pass: t.lat.p95 < 1000,
      }));
      return { rows, details };
    } finally {
      await db.end();
    }
  },
};
