/**
 * inbox-at-scale: 1,000,000 task rows (100,000 open) over 5,000 users spread across an org tree, inserted
 * with SQL (generate_series); then GET /api/tasks (first page + total count) by 50 concurrent users for a
 * bounded time, vs the very SQL the repository runs (captured from CandidateRepository.inbox()) run
 * directly with pg through a pool of the API's size. Also one client alone, and EXPLAIN ANALYZE of the
 * query for the heaviest and a typical inbox, and the query the repository sent before migration
 * 1764600000000 (before/after in the same run).
 *
 * Org tree: 1 province → 20 superiors (each with a training centre) → 10 grassroots committees each →
 * 10 cells each (2,000 cells). Users: 2,000 cell secretaries (one per cell), 2,000 grassroots committee
 * members (10 per committee), 600 superior board members (30 per superior), 400 training-centre staff
 * (20 per centre). Tasks follow the 14 task types and land on the unit their step belongs to.
 */
import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { CandidateRepository, type InboxQuery } from '../../../libs/persistence/src/repositories/candidate.repository.js';
import { decisionLoad, withDecisions } from '../decision-load.js';
import { BENCH_PASSWORD } from '../env.js';
import type { Api } from '../http.js';
import { describeCpu, measureCpu, type CpuUse } from '../cpu.js';
import { closedLoop, mapLimit, now, openLoop, type LoopResult } from '../load.js';
import { progress } from '../log.js';
import { fmtLat, round, summarize, type LatencySummary } from '../stats.js';
import type { Ctx, Row, Scenario, ScenarioOutput } from '../types.js';

const SUPERIORS = 20;
const GRASSROOTS_PER_SUPERIOR = 10;
const CELLS_PER_GRASSROOTS = 10;
const CELLS = SUPERIORS * GRASSROOTS_PER_SUPERIOR * CELLS_PER_GRASSROOTS; // 2000
const USERS = 5000;
const CONCURRENT_USERS = 50;
/** The API's TypeORM pool (libs/persistence/src/data-source.ts default); the raw baseline gets the same. */
const POOL_SIZE = 10;
/** Scenario 2's decisions offered meanwhile (the issue: "while scenario 2 runs at 10/s"). */
const DECISION_RATE = 10;

/** [type, role, slot, has a statutory clock] for the 14 task types. */
const TYPES: [string, string, 'cell' | 'grassroots' | 'superior' | 'centre', boolean][] = [
  ['recognize_sympathiser', 'cell_secretary', 'cell', false],
  ['record_training_certificate', 'training_centre', 'centre', false],
  ['submit_application', 'cell_secretary', 'cell', false],
  ['verify_background', 'grassroots_committee', 'grassroots', false],
  ['record_introductions', 'cell_secretary', 'cell', false],
  ['cell_admission_vote', 'cell_secretary', 'cell', false],
  ['grassroots_admission_review', 'grassroots_committee', 'grassroots', true],
  ['superior_admission_decision', 'superior_board', 'superior', true],
  ['admission_ceremony', 'cell_secretary', 'cell', true],
  ['record_new_member_training', 'training_centre', 'centre', false],
  ['probation_review', 'cell_secretary', 'cell', false],
  ['cell_recognition_vote', 'cell_secretary', 'cell', true],
  ['grassroots_recognition_review', 'grassroots_committee', 'grassroots', true],
  ['superior_recognition_decision', 'superior_board', 'superior', true],
];

/** The SQL statements that build the data set; `T` is a per-run tag (hex), ids are md5-derived uuids. */
export function generationSql(T: string, rows: number, open: number): { what: string; sql: string; params?: unknown[] }[] {
  const candidates = Math.max(open, Math.floor(rows / 4));
  const id = (kind: string, n: string) => `md5('${T}:${kind}:' || (${n}))::uuid`;
  const P = id('p', '0');
  const S = (n: string) => id('s', n);
  const TC = (n: string) => id('tc', n);
  const G = (n: string) => id('g', n);
  const C = (n: string) => id('c', n);
  const G_PER_S = GRASSROOTS_PER_SUPERIOR;
  const C_PER_S = GRASSROOTS_PER_SUPERIOR * CELLS_PER_GRASSROOTS;
  const types = TYPES.map(([t, r, slot, due], i) => `(${i}, '${t}', '${r}', '${slot}', ${due})`).join(', ');
  return [
    {
      what: 'org tree',
      sql: `INSERT INTO org_units (id, name, kind, parent_id, path)
        SELECT ${P}, 'Bench tỉnh ${T}', 'province', NULL, '/' || ${P} || '/'
        UNION ALL
        SELECT ${S('s')}, 'Bench đảng ủy ' || s, 'superior', ${P}, '/' || ${P} || '/' || ${S('s')} || '/' FROM generate_series(0, ${SUPERIORS - 1}) s
        UNION ALL
        SELECT ${TC('s')}, 'Bench trung tâm ' || s, 'training_centre', ${S('s')}, '/' || ${P} || '/' || ${S('s')} || '/' || ${TC('s')} || '/' FROM generate_series(0, ${SUPERIORS - 1}) s
        UNION ALL
        SELECT ${G('g')}, 'Bench đảng ủy cơ sở ' || g, 'grassroots_committee', ${S(`g / ${G_PER_S}`)},
               '/' || ${P} || '/' || ${S(`g / ${G_PER_S}`)} || '/' || ${G('g')} || '/' FROM generate_series(0, ${SUPERIORS * G_PER_S - 1}) g
        UNION ALL
        SELECT ${C('k')}, 'Bench chi bộ ' || k, 'cell', ${G(`k / ${CELLS_PER_GRASSROOTS}`)},
               '/' || ${P} || '/' || ${S(`k / ${C_PER_S}`)} || '/' || ${G(`k / ${CELLS_PER_GRASSROOTS}`)} || '/' || ${C('k')} || '/' FROM generate_series(0, ${CELLS - 1}) k`,
    },
    {
      what: `${USERS} users`,
      sql: `INSERT INTO users (id, username, password_hash, full_name)
        SELECT ${id('u', 'u')}, 'bench-${T}-' || u, $1, 'Bench người dùng ' || u FROM generate_series(0, ${USERS - 1}) u`,
    },
    {
      what: 'user roles',
      sql: `INSERT INTO user_roles (user_id, role, org_unit_id)
        SELECT ${id('u', 'u')},
               CASE WHEN u < 2000 THEN 'cell_secretary' WHEN u < 4000 THEN 'grassroots_committee' WHEN u < 4600 THEN 'superior_board' ELSE 'training_centre' END,
               CASE WHEN u < 2000 THEN ${C('u')} WHEN u < 4000 THEN ${G('(u - 2000) / 10')} WHEN u < 4600 THEN ${S('(u - 4000) / 30')} ELSE ${TC('(u - 4600) / 20')} END
          FROM generate_series(0, ${USERS - 1}) u`,
    },
    {
      what: `${candidates.toLocaleString('en')} candidates`,
      sql: `INSERT INTO candidates (id, cell_id, full_name, search_name, date_of_birth, gender, ethnicity, education, youth_union_member,
                                    source, routing, stage, status, version, workflow_id)
        SELECT ${id('cand', 'c')}, ${C(`c % ${CELLS}`)}, 'Nguyễn Văn ' || c, 'nguyen van ' || c, DATE '1990-01-01' + (c % 4000), 'male', 'Kinh',
               'university', true, '{}'::jsonb, '{}'::jsonb, 'application', 'active', 1, 'bench-${T}-' || c
          FROM generate_series(0, ${candidates - 1}) c`,
    },
    {
      what: `${rows.toLocaleString('en')} tasks (${open.toLocaleString('en')} open)`,
      sql: `WITH types(st, type, role, slot, has_due) AS (VALUES ${types}),
        src AS (SELECT i, i % ${candidates} AS c, (i % ${candidates}) % ${CELLS} AS k, ((i::bigint * 2654435761) % 4294967296) % ${TYPES.length} AS st
                  FROM generate_series(0, ${rows - 1}) i)
        INSERT INTO tasks (id, candidate_id, type, role, org_unit_id, status, attempt, opened_at, opened_on, due_date, due_at, closed_at, outcome, version)
        SELECT 'bench-${T}-' || i, ${id('cand', 'c')}, t.type, t.role,
               CASE t.slot WHEN 'cell' THEN ${C('k')} WHEN 'grassroots' THEN ${G(`k / ${CELLS_PER_GRASSROOTS}`)}
                           WHEN 'superior' THEN ${S(`k / ${C_PER_S}`)} ELSE ${TC(`k / ${C_PER_S}`)} END,
               CASE WHEN i < ${open} THEN 'open' ELSE 'done' END, 1,
               now() - make_interval(days => (i % 700)::int), (now() - make_interval(days => (i % 700)::int))::date,
               CASE WHEN t.has_due THEN (now() + make_interval(days => (i % 120)::int - 30))::date END,
               CASE WHEN t.has_due THEN now() + make_interval(days => (i % 120)::int - 30) END,
               CASE WHEN i >= ${open} THEN now() - make_interval(days => (i % 300)::int) END,
               CASE WHEN i >= ${open} THEN 'approve' END, 1
          FROM src JOIN types t USING (st)`,
    },
    // VACUUM too: otherwise autovacuum processes the million new rows during the measurement.
    { what: 'VACUUM (ANALYZE)', sql: `VACUUM (ANALYZE) org_units, users, user_roles, candidates, tasks` },
  ];
}

/**
 * The SQL and parameters CandidateRepository.inbox() sends for these grants (captured, not copied): the first
 * page of 50 sorted by due date, as `GET /api/tasks` asks without parameters; `extra` as its query sets them.
 */
export async function captureInboxSql(grants: { role: string; path: string }[], extra: Partial<Omit<InboxQuery, 'grants'>> = {}): Promise<{ sql: string; params: unknown[] }> {
  let captured: { sql: string; params: unknown[] } | undefined;
  const fake = { query: async (sql: string, params: unknown[]) => ((captured = { sql, params }), []) } as unknown as DataSource;
  await new CandidateRepository(fake).inbox({ grants, nowIso: new Date().toISOString(), sort: 'due', limit: 50, offset: 0, ...extra });
  return captured!;
}

/**
 * The inbox SQL the repository sent before migration 1764600000000 (kept here to measure the change in the
 * same run): every open task joined to its unit, then role and path prefix checked per task. Same select
 * list, order and paging; parameters $1 roles, $2 paths, $3 limit, $4 offset.
 */
function previousInboxSql(current: string): string {
  const select = current.slice(0, current.indexOf('FROM (SELECT DISTINCT'));
  if (!select.includes('count(*) OVER ()')) throw new Error('inbox SQL changed shape: update previousInboxSql');
  return `${select}
         FROM tasks t JOIN org_units ou ON ou.id = t.org_unit_id JOIN candidates c ON c.id = t.candidate_id
        WHERE t.status = 'open'
          AND EXISTS (SELECT 1 FROM unnest($1::text[], $2::text[]) AS g(role, path) WHERE g.role = t.role AND ou.path LIKE g.path || '%')
        ORDER BY t.due_at ASC NULLS LAST, t.opened_at ASC, t.id
        LIMIT $3 OFFSET $4`;
}

interface BenchUser {
  username: string;
  role: string;
  path: string;
  api?: Api;
  query?: { sql: string; params: unknown[] };
}

export const inboxAtScale: Scenario = {
  name: 'inbox-at-scale',
  title: 'GET /api/tasks over 1M tasks / 100k open / 5k users, 50 concurrent, vs the raw SQL',
  byDefault: true,
  async run({ env, quick, signal }: Ctx): Promise<ScenarioOutput> {
    const rows = quick ? 100_000 : 1_000_000;
    const open = quick ? 10_000 : 100_000;
    const durationMs = quick ? 6_000 : 15_000;
    const soloMs = quick ? 2_000 : 3_000;
    const pacedMs = quick ? 4_000 : 6_000;
    const beforeMs = quick ? 3_000 : 6_000;
    const T = randomBytes(4).toString('hex');
    const { anon } = await env.api();

    const db = new pg.Client({ connectionString: env.dbUrl });
    await db.connect();
    const details: Record<string, unknown> = { rows, open, users: USERS, cells: CELLS, concurrentUsers: CONCURRENT_USERS, poolSize: POOL_SIZE };
    let pool: pg.Pool | undefined;
    try {
      const hash = await bcrypt.hash(BENCH_PASSWORD, 4); // cheap logins; the request path never runs bcrypt
      const gen: Record<string, number> = {};
      for (const step of generationSql(T, rows, open)) {
        const t0 = Date.now();
        progress(`inbox-at-scale: inserting ${step.what}`);
        await db.query(step.sql, step.what.endsWith('users') ? [hash] : undefined);
        gen[step.what] = Date.now() - t0;
        if (signal.aborted) throw new Error('aborted');
      }
      details.generationMs = gen;

      // 50 users across the roles: 20 cell secretaries, 20 grassroots committee members, 5 boards, 5 centres.
      const picks = [
        ...Array.from({ length: 20 }, (_, i) => i * 100),
        ...Array.from({ length: 20 }, (_, i) => 2000 + i * 100),
        ...Array.from({ length: 5 }, (_, i) => 4000 + i * 120),
        ...Array.from({ length: 5 }, (_, i) => 4600 + i * 80),
      ];
      const users: BenchUser[] = (
        await db.query(
          `SELECT u.username, r.role, o.path FROM users u JOIN user_roles r ON r.user_id = u.id JOIN org_units o ON o.id = r.org_unit_id
            WHERE u.username = ANY($1::text[]) ORDER BY u.username`,
          [picks.map((u) => `bench-${T}-${u}`)],
        )
      ).rows;
      if (users.length !== CONCURRENT_USERS) throw new Error(`expected ${CONCURRENT_USERS} users, found ${users.length}`);
      progress(`inbox-at-scale: logging in ${users.length} users`);
      const loginStart = Date.now();
      const loginMs: number[] = [];
      await mapLimit(users, 5, signal, async (u) => {
        const t = now();
        u.api = await anon.login(u.username, BENCH_PASSWORD);
        loginMs.push(now() - t);
        u.query = await captureInboxSql([{ role: u.role, path: u.path }]);
      });
      details.logins = { totalMs: Date.now() - loginStart, eachMs: summarize(loginMs) };
      progress(`inbox-at-scale: logins ${fmtLat(summarize(loginMs))}`);

      // What each role sees (total open tasks in the inbox).
      const totals: Record<string, number[]> = {};
      for (const u of users) {
        const r = await u.api!.get('/api/tasks');
        if (r.status !== 200) throw new Error(`GET /api/tasks as ${u.username}: ${r.status} ${JSON.stringify(r.body)}`);
        (totals[u.role] ??= []).push(r.body.total);
      }
      details.inboxTotalsByRole = Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, { min: Math.min(...v), max: Math.max(...v) }]));

      pool = new pg.Pool({ connectionString: env.dbUrl, max: POOL_SIZE });
      pool.on('error', () => undefined);
      const raw = (u: BenchUser) => pool!.query(u.query!.sql, u.query!.params);
      const viaApi = async (u: BenchUser) => {
        const r = await u.api!.get('/api/tasks');
        if (r.status !== 200) throw new Error(`GET /api/tasks: ${r.status}`);
      };
      for (let i = 0; i < 3; i++) for (const u of users) await Promise.all([raw(u), viaApi(u)]); // warm caches

      const heaviest = users.find((u) => u.role === 'superior_board')!;
      const typical = users.find((u) => u.role === 'cell_secretary')!;
      type Measured = LoopResult & { lat: LatencySummary; cpu: CpuUse };
      const report = (label: string, r: LoopResult, cpu: CpuUse): Measured => {
        const lat = summarize(r.latencies);
        progress(`inbox-at-scale: ${label}: ${fmtLat(lat)}, ${r.perSecond.toFixed(0)}/s, ${r.errors} errors; ${describeCpu(cpu)}`);
        return { ...r, lat, cpu };
      };
      /** Closed loop: `clients` users back to back (one user alone when `only`). */
      const run = async (label: string, clients: number, ms: number, op: (u: BenchUser) => Promise<unknown>, only?: BenchUser) => {
        progress(`inbox-at-scale: ${label}, ${clients} client(s) back to back, ${ms / 1000} s`);
        const { result, cpu } = await measureCpu(env, () =>
          closedLoop({ clients, durationMs: ms, maxCount: 500_000, signal, op: async (c) => void (await op(only ?? users[c % users.length])) }),
        );
        return report(label, result, cpu);
      };
      /** Open loop: the 50 users each asking once per second (50/s offered), latency from the scheduled time. */
      const paced = async (label: string, ms: number, op: (u: BenchUser) => Promise<unknown>) => {
        progress(`inbox-at-scale: ${label}, ${CONCURRENT_USERS} users × 1/s, ${ms / 1000} s`);
        const { result, cpu } = await measureCpu(env, () =>
          openLoop({ rate: CONCURRENT_USERS, count: (CONCURRENT_USERS * ms) / 1000, signal, drainMs: 10_000, op: async (i, at) => (await op(users[i % users.length]), now() - at) }),
        );
        return report(label, result, cpu);
      };
      const soloRawHeavy = await run('raw SQL, superior board alone', 1, soloMs, raw, heaviest);
      const soloApiHeavy = await run('API, superior board alone', 1, soloMs, viaApi, heaviest);
      const soloRawTypical = await run('raw SQL, cell secretary alone', 1, soloMs, raw, typical);
      const soloApiTypical = await run('API, cell secretary alone', 1, soloMs, viaApi, typical);
      // The issue's condition: the 50-user measurements run while scenario 2's decisions arrive at 10/s
      // through the API (their own cases, on the bench tree's units), for the raw SQL as for the API.
      const decisions = await decisionLoad(env, 'inbox-at-scale', quick ? 40 : 90, signal, 300_000);
      const busy: Record<string, LoopResult> = {};
      const duringDecisions = async (label: string, fn: () => Promise<Measured>): Promise<Measured> => {
        const { result, decisions: d } = await withDecisions(decisions, DECISION_RATE, signal, fn);
        busy[label] = d;
        progress(`inbox-at-scale: decisions at ${DECISION_RATE}/s meanwhile: ${fmtLat(summarize(d.latencies))}, ${d.errors} errors${d.firstError ? ` (${d.firstError})` : ''}`);
        return result;
      };
      const pacedRaw = await duringDecisions('pacedRaw', () => paced('raw SQL, 50 users at 1/s', pacedMs, raw));
      const pacedApi = await duringDecisions('pacedApi', () => paced('API, 50 users at 1/s', pacedMs, viaApi));
      const rawConc = await duringDecisions('concurrentRaw', () => run('raw SQL, 50 users', CONCURRENT_USERS, durationMs, raw));
      const apiConc = await duringDecisions('concurrentApi', () => run('API, 50 users', CONCURRENT_USERS, durationMs, viaApi));
      details.decisionsMeanwhile = Object.fromEntries(
        Object.entries(busy).map(([k, d]) => [k, { rate: DECISION_RATE, latencyMs: summarize(d.latencies), errors: d.errors, firstError: d.firstError }]),
      );

      // Where the time goes in the database.
      const explain = async (u: BenchUser, q = u.query!) => (await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, q.params)).rows.map((r) => r['QUERY PLAN']).join('\n');
      const execTime = (plan: string) => /Execution Time: ([\d.]+ ms)/.exec(plan)?.[1];
      const plans: Record<string, string> = { superior_board: await explain(heaviest), cell_secretary: await explain(typical) };
      for (const [who, plan] of Object.entries(plans)) progress(`inbox-at-scale: EXPLAIN ANALYZE (${who}): ${execTime(plan)}`);

      // Before/after in the same run: the query the repository sent before migration 1764600000000, checked to
      // return the same page and total for every user, run the same way.
      const previous = (u: BenchUser) => ({ sql: previousInboxSql(u.query!.sql), params: u.query!.params });
      let mismatches = 0;
      for (const u of users) {
        const a = await pool.query(u.query!.sql, u.query!.params);
        const b = await pool.query(previous(u).sql, previous(u).params);
        const key = (r: pg.QueryResult) => JSON.stringify([r.rows.map((x) => x.id), r.rows[0]?.total ?? '0']);
        if (key(a) !== key(b)) mismatches++;
      }
      progress(`inbox-at-scale: the previous query returns the same page and total for ${users.length - mismatches}/${users.length} users`);
      const rawPrevious = (u: BenchUser) => pool!.query(previous(u).sql, previous(u).params);
      const before = await run('before: previous inbox SQL, raw, 50 users', CONCURRENT_USERS, beforeMs, rawPrevious);
      plans.previous_superior_board = await explain(heaviest, previous(heaviest));
      // A name search in the heaviest inbox (LIKE '%…%' on the folded name of the inbox's candidates only).
      plans.search_superior_board = await explain(heaviest, await captureInboxSql([{ role: heaviest.role, path: heaviest.path }], { search: 'van 1' }));
      progress(`inbox-at-scale: EXPLAIN ANALYZE (previous SQL, superior_board): ${execTime(plans.previous_superior_board)}; search: ${execTime(plans.search_superior_board)}`);

      const ratio = apiConc.lat.p95 / rawConc.lat.p95;
      const line = (metric: string, a: Measured, b: Measured | undefined, target: string, pass: boolean | null, baseLabel = 'raw SQL'): Row => ({
        scenario: 'inbox-at-scale',
        metric,
        figure: `${fmtLat(a.lat)}, ${a.perSecond.toFixed(0)}/s`,
        value: round(a.lat.p95, 1),
        unit: 'ms (p95)',
        baseline: b ? `${fmtLat(b.lat)}, ${b.perSecond.toFixed(0)}/s ${baseLabel}` : '—',
        baselineValue: b ? round(b.lat.p95, 1) : NaN,
        ratio: b ? round(a.lat.p95 / b.lat.p95, 2) : NaN,
        target,
        pass,
      });
      const sizeNote = `${(rows / 1e6).toLocaleString('en')}M tasks / ${(open / 1000).toLocaleString('en')}k open`;
      const result: Row[] = [
        line(`GET /api/tasks, superior board alone (${Math.max(...(totals.superior_board ?? [0]))} open)`, soloApiHeavy, soloRawHeavy, '(info)', null),
        line(`GET /api/tasks, cell secretary alone (${Math.max(...(totals.cell_secretary ?? [0]))} open)`, soloApiTypical, soloRawTypical, '(info)', null),
        // Issue 17's targets: p95 ≤ 50 ms at a human pace; back to back, throughput ≥ 40% of the raw SQL's.
        line(`GET /api/tasks, 50 users × 1/s (open loop), decisions at ${DECISION_RATE}/s`, pacedApi, pacedRaw, 'p95 ≤ 50 ms', pacedApi.lat.p95 <= 50 && pacedApi.errors === 0),
        line(
          `GET /api/tasks, ${CONCURRENT_USERS} users back to back, decisions at ${DECISION_RATE}/s, ${sizeNote} (throughput ${round(apiConc.perSecond / rawConc.perSecond, 2)}× raw, p95 ${round(ratio, 2)}×)`,
          apiConc,
          rawConc,
          'throughput ≥ 0.4× raw SQL',
          apiConc.perSecond >= 0.4 * rawConc.perSecond && apiConc.errors === 0,
        ),
        line(`raw SQL now vs before 1764600000000, 50 concurrent (${mismatches} mismatches)`, rawConc, before, '(info)', null, 'previous SQL'),
      ];
      Object.assign(details, {
        durationMs,
        latencyMs: {
          soloApiSuperiorBoard: soloApiHeavy.lat,
          soloRawSuperiorBoard: soloRawHeavy.lat,
          soloApiCellSecretary: soloApiTypical.lat,
          soloRawCellSecretary: soloRawTypical.lat,
          pacedApi: pacedApi.lat,
          pacedRaw: pacedRaw.lat,
          concurrentApi: apiConc.lat,
          concurrentRaw: rawConc.lat,
          previousSqlConcurrent: before.lat,
        },
        throughputPerSecond: {
          concurrentApi: round(apiConc.perSecond),
          concurrentRaw: round(rawConc.perSecond),
          previousSqlConcurrent: round(before.perSecond),
        },
        cpuCores: { concurrentApi: apiConc.cpu, concurrentRaw: rawConc.cpu, pacedApi: pacedApi.cpu, soloApiSuperiorBoard: soloApiHeavy.cpu } satisfies Record<string, CpuUse>,
        errors: { api: apiConc.errors, raw: rawConc.errors, paced: pacedApi.errors, firstError: apiConc.firstError ?? rawConc.firstError ?? pacedApi.firstError },
        inboxSql: heaviest.query,
        previous: { sql: previous(heaviest).sql, mismatches },
        explainAnalyze: plans,
      });
      return { rows: result, details };
    } finally {
      await pool?.end().catch(() => undefined);
      await db.end().catch(() => undefined);
    }
  },
};
