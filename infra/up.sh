#!/usr/bin/env bash
# Brings the whole ketnap system up on this machine, in the foreground (Ctrl-C stops everything):
#
#   bash infra/up.sh          (or: npm run up)
#
# Installs dependencies when needed, installs the pinned Temporal CLI, builds, then runs
# dist/infra/src/up.js, which starts Temporal + PostgreSQL + migrations + worker + API and seeds
# demo data. KETNAP_TEMPORAL=server runs the scale-out topology instead of the dev server (the real
# Temporal server, its state in PostgreSQL; built once by infra/install-temporal-server.sh). See infra/README.md for ports, data folders and environment variables.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# shellcheck source=infra/lib.sh
source infra/lib.sh

ensure_node_modules
bash infra/install-temporal.sh
# The scale-out topology (KETNAP_TEMPORAL=server): the real Temporal server on PostgreSQL.
if [ "${KETNAP_TEMPORAL:-dev}" = "server" ]; then bash infra/install-temporal-server.sh; fi
step "npm run build"
npm run build
step "starting the system"
exec node --enable-source-maps dist/infra/src/up.js
