#!/usr/bin/env bash
# Runs the whole test suite on this machine, from a fresh checkout:
#
#   bash infra/test.sh          (or: npm test)
#
#   1. npm ci when node_modules is missing or older than package-lock.json
#   2. Temporal CLI v1.5.1 into .tools/bin (infra/install-temporal.sh), and the scale-out Temporal server
#      v1.29.1 with its SQL tool (infra/install-temporal-server.sh; test/e2e/scale-out.e2e-spec.ts uses it)
#   3. Debian's Chromium for the browser tests (apt-get install chromium when missing)
#   4. npm run typecheck
#   5. npm run build (server code with SWC, the web app with Vite into dist/web)
#   6. npm run test:unit
#   7. npm run test:system, with TEMPORAL_BIN=.tools/bin/temporal; the jest global setup starts a
#      Temporal dev server and creates a fresh database. Without DATABASE_URL, an embedded
#      PostgreSQL is started for the run (127.0.0.1:5434, cluster in .data/test-pg) and stopped after.
#      The browser tests (test/browser, Playwright driving /usr/bin/chromium against the web app served
#      by the API) run in this step; their screenshots go to .data/test-results/screenshots/.
#   8. bench smoke: `node dist/bench/src/run.js --smoke case-starts decision-round-trip` on the same
#      PostgreSQL server (a database of its own) and its own Temporal dev server: the benchmark harness
#      must still run end to end (no timing assertion; output in .data/test-results/bench-smoke.txt); then the
#      same on the scale-out Temporal server (BENCH_TEMPORAL=server, .data/test-results/bench-smoke-scale-out.txt).
#   9. the quick fault-injection run, `node dist/bench/src/chaos/run.js --quick` (own embedded PostgreSQL and
#      Temporal dev server; output in .data/test-results/chaos-quick.txt); KETNAP_CI_CHAOS=0 skips it.
#
# Every step runs even if an earlier one failed (except 1-2, which the rest depend on); the exit
# code is non-zero if any step failed. The last line is always `N passed, M failed`: the sum of
# the jest runs' passed/failed tests; a step that fails without test results (typecheck, build,
# a jest run that crashed, the test database) counts as one failure.
#
# Environment: DATABASE_URL (use that server instead of the embedded one), TEMPORAL_ADDRESS (use
# that Temporal server instead of starting one), KETNAP_TEST_PG_PORT (5434), KETNAP_KEEP_TEST_DB=1.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# shellcheck source=infra/lib.sh
source infra/lib.sh

RESULTS_DIR="$ROOT/.data/test-results"
PASSED=0
FAILED=0
FAILED_STEPS=()
PG_PID=""

summary_and_exit() {
  stop_test_postgres
  echo
  if [ "${#FAILED_STEPS[@]}" -gt 0 ]; then
    echo "failed steps: ${FAILED_STEPS[*]}"
  else
    echo "all steps passed"
  fi
  echo "${PASSED} passed, ${FAILED} failed"
  if [ "${#FAILED_STEPS[@]}" -gt 0 ] || [ "$FAILED" -gt 0 ]; then exit 1; fi
  exit 0
}

step_failed() { # <step name>: a failure without test counts
  FAILED_STEPS+=("$1")
  FAILED=$((FAILED + 1))
}

# Prints "<passed> <failed>" of a jest --json result file, or "missing". Failed = failed tests +
# test files that could not run at all (syntax/import errors).
jest_counts() { # <json file>
  node -e '
    const fs = require("fs");
    const f = process.argv[1];
    if (!fs.existsSync(f)) { console.log("missing"); process.exit(0); }
    const r = JSON.parse(fs.readFileSync(f, "utf8"));
    console.log(`${r.numPassedTests ?? 0} ${(r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0)}`);
  ' "$1" 2>/dev/null || echo missing
}

run_jest_step() { # <name> <npm script> [extra env assignments…]
  local name="$1" script="$2"
  shift 2
  local out="$RESULTS_DIR/$name.json"
  rm -f "$out"
  step "npm run $script"
  local rc=0
  env "$@" npm run "$script" -- --json --outputFile="$out" || rc=$?
  local counts passed failed
  counts="$(jest_counts "$out")"
  if [ "$counts" = "missing" ]; then
    echo "[test] $name: jest wrote no results (exit code $rc)"
    step_failed "$name"
    return
  fi
  passed="${counts% *}"
  failed="${counts#* }"
  PASSED=$((PASSED + passed))
  FAILED=$((FAILED + failed))
  if [ "$rc" -ne 0 ]; then
    echo "[test] $name: $passed passed, $failed failed (exit code $rc)"
    FAILED_STEPS+=("$name")
    # jest failed although no test failed (e.g. a global setup/teardown error): count it once.
    if [ "$failed" = "0" ]; then FAILED=$((FAILED + 1)); fi
  else
    echo "[test] $name: $passed passed, $failed failed"
  fi
}

# --- embedded PostgreSQL for the system tests (only when DATABASE_URL is unset) ----------------
# The helper (dist/infra/src/postgres-server.js) stops PostgreSQL when its stdin closes. Its stdin
# is a FIFO whose only writer is fd 9 of this script: when this script ends — normally, by error
# or killed — fd 9 closes and PostgreSQL is stopped.
start_test_postgres() {
  local port="${KETNAP_TEST_PG_PORT:-5434}"
  local log="$ROOT/.data/test-pg.log"
  step "embedded PostgreSQL for the system tests (127.0.0.1:$port, .data/test-pg; log .data/test-pg.log)"
  if [ ! -f dist/infra/src/postgres-server.js ]; then
    echo "[test] dist/infra/src/postgres-server.js is missing (build failed?)"
    return 1
  fi
  local fifo
  fifo="$(mktemp -u "${TMPDIR:-/tmp}/ketnap-test-pg.XXXXXX")"
  mkfifo "$fifo"
  node dist/infra/src/postgres-server.js --data-dir .data/test-pg --port "$port" <"$fifo" >"$log" 2>&1 &
  PG_PID=$!
  exec 9>"$fifo"
  rm -f "$fifo"
  local url="" i
  for i in $(seq 1 720); do # up to 3 minutes (the first run initialises the cluster)
    url="$(sed -n 's/^DATABASE_URL=//p' "$log" | head -n1)"
    [ -n "$url" ] && break
    if ! kill -0 "$PG_PID" 2>/dev/null; then break; fi
    sleep 0.25
  done
  if [ -z "$url" ]; then
    echo "[test] embedded PostgreSQL did not start; last lines of .data/test-pg.log:"
    tail -n 30 "$log" | sed 's/^/  /'
    stop_test_postgres
    return 1
  fi
  export DATABASE_URL="$url"
  echo "[test] PostgreSQL ready: DATABASE_URL=${url/:ketnap-dev@/:***@}"
}

stop_test_postgres() {
  [ -n "$PG_PID" ] || return 0
  exec 9>&- # EOF on the helper's stdin: it stops PostgreSQL and exits
  local i
  for i in $(seq 1 120); do
    kill -0 "$PG_PID" 2>/dev/null || break
    sleep 0.25
  done
  if kill -0 "$PG_PID" 2>/dev/null; then
    kill -TERM "$PG_PID" 2>/dev/null || true
    sleep 5
    kill -KILL "$PG_PID" 2>/dev/null || true
  fi
  wait "$PG_PID" 2>/dev/null || true
  PG_PID=""
  unset DATABASE_URL
  echo "[test] embedded PostgreSQL stopped"
}

trap 'stop_test_postgres' EXIT
trap 'echo "[test] interrupted"; FAILED_STEPS+=("interrupted"); summary_and_exit' INT TERM

# --- 1-2: dependencies and tools (everything else depends on them) ------------------------------
if ! ensure_node_modules; then step_failed "npm-ci"; summary_and_exit; fi
if ! bash infra/install-temporal.sh; then step_failed "install-temporal"; summary_and_exit; fi
# The scale-out server (test/e2e/scale-out.e2e-spec.ts runs the system on it); without it that file fails, the rest runs.
bash infra/install-temporal-server.sh || step_failed "install-temporal-server"
ensure_chromium || step_failed "chromium" # the browser tests then fail with the reason; the rest still runs
mkdir -p "$RESULTS_DIR"

# --- 3-4: typecheck and build (failures are recorded; the tests still run) ----------------------
step "npm run typecheck"
npm run typecheck || step_failed "typecheck"
step "npm run build"
npm run build || step_failed "build"

# --- 5: unit tests -------------------------------------------------------------------------------
run_jest_step unit test:unit

# --- 8: smoke form of the benchmarks (scenarios 1 and 2 at their smallest): the harness must still run.
# Counts as one test. Fails only when a scenario could not run; missed targets do not fail it.
bench_smoke() { # <name> <output file> [env assignments…]
  local name="$1" out="$2"
  shift 2
  step "$name: $* node dist/bench/src/run.js --smoke case-starts decision-round-trip (output: ${out#"$ROOT"/})"
  if env "$@" node --enable-source-maps dist/bench/src/run.js --smoke case-starts decision-round-trip >"$out" 2>&1; then
    PASSED=$((PASSED + 1))
    sed -n '/^| scenario/,/^$/p' "$out"
    echo "[test] $name: passed"
  else
    echo "[test] $name: failed; last lines of $out:"
    tail -n 30 "$out" | sed 's/^/  /'
    step_failed "$name"
  fi
}
run_bench_smoke() {
  bench_smoke bench-smoke "$RESULTS_DIR/bench-smoke.txt" TEMPORAL_BIN="$ROOT/.tools/bin/temporal"
  # The same on the scale-out topology (the Temporal server on this PostgreSQL server).
  bench_smoke bench-smoke-scale-out "$RESULTS_DIR/bench-smoke-scale-out.txt" BENCH_TEMPORAL=server
}

# --- 6: system tests (real Temporal dev server, real PostgreSQL) ---------------------------------
if [ -n "${DATABASE_URL:-}" ]; then
  echo "[test] using DATABASE_URL for the system tests (a fresh database is created on that server)"
  run_jest_step system test:system TEMPORAL_BIN="$ROOT/.tools/bin/temporal"
  run_bench_smoke
elif start_test_postgres; then
  run_jest_step system test:system TEMPORAL_BIN="$ROOT/.tools/bin/temporal"
  run_bench_smoke
  stop_test_postgres
else
  step_failed "system (no test database)"
fi

# --- 9: quick form of the fault-injection run (BENCHMARKS.md, "Chaos"): kill -9 of the API, the worker and
# Temporal and an SMTP outage under load, then the invariants over every case. Counts as one test; ~3 min.
# KETNAP_CI_CHAOS=0 skips it (a quick local run).
if [ "${KETNAP_CI_CHAOS:-1}" = "1" ]; then
  out="$RESULTS_DIR/chaos-quick.txt"
  step "chaos-quick: node dist/bench/src/chaos/run.js --quick (output: ${out#"$ROOT"/})"
  if TEMPORAL_BIN="$ROOT/.tools/bin/temporal" node --enable-source-maps dist/bench/src/chaos/run.js --quick >"$out" 2>&1; then
    PASSED=$((PASSED + 1))
    sed -n '/^| fault/,$p' "$out"
    echo "[test] chaos-quick: passed"
  else
    echo "[test] chaos-quick: failed; the tables and the last lines of $out:"
    sed -n '/^| fault/,$p' "$out" | head -n 60
    tail -n 20 "$out" | sed 's/^/  /'
    step_failed "chaos-quick"
  fi
fi

summary_and_exit
