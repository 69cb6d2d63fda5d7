#!/usr/bin/env bash
# Installs the pinned Temporal *server* (the scale-out topology: Temporal's state in PostgreSQL) and its
# SQL schema tool into <repo>/.tools/bin:
#
#   bash infra/install-temporal-server.sh
#
#   .tools/bin/temporal-server     go.temporal.io/server/cmd/server     (frontend, history, matching, worker)
#   .tools/bin/temporal-sql-tool   go.temporal.io/server/cmd/tools/sql  (creates and migrates its schema;
#                                  the schema files are embedded in the binary)
#
# Idempotent: does nothing when both binaries already are v1.29.1 (read from their Go build info).
# Otherwise builds them from source through the Go module proxy (no release download): ~5 min here, less
# after infra/install-temporal.sh, whose CLI embeds the same server version and fills the Go build cache.
#
# Why 1.29.1: it is the server inside the pinned CLI v1.5.1 (the embedded default), so the dev server and the
# scale-out server run the same history, matching and persistence code, and ketnap's stored histories and
# dynamic-config settings mean the same on both. Its go.mod has no `replace` directive: `go install` takes it.
set -euo pipefail

TEMPORAL_SERVER_VERSION=1.29.1
MODULE=go.temporal.io/server

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN_DIR="$ROOT/.tools/bin"

log() { printf '[install-temporal-server] %s\n' "$*"; }

find_go() {
  if command -v go >/dev/null 2>&1; then command -v go; return 0; fi
  if [ -x /usr/local/go/bin/go ]; then echo /usr/local/go/bin/go; return 0; fi
  return 1
}

if ! GO="$(find_go)"; then
  log "ERROR: Go toolchain not found (neither 'go' on PATH nor /usr/local/go/bin/go)." >&2
  exit 1
fi

# <binary> is v$TEMPORAL_SERVER_VERSION of $MODULE (Go build info).
is_installed() {
  [ -x "$1" ] || return 1
  "$GO" version -m "$1" 2>/dev/null | grep -Eq "^[[:space:]]+mod[[:space:]]+${MODULE//./\\.}[[:space:]]+v${TEMPORAL_SERVER_VERSION//./\\.}([[:space:]]|$)"
}

if is_installed "$BIN_DIR/temporal-server" && is_installed "$BIN_DIR/temporal-sql-tool"; then
  log "Temporal server v${TEMPORAL_SERVER_VERSION} already installed at .tools/bin/temporal-server (+ temporal-sql-tool)"
  exit 0
fi

mkdir -p "$BIN_DIR"
log "building Temporal server v${TEMPORAL_SERVER_VERSION} and its SQL tool from the Go module proxy (takes ~5 min)…"
start=$(date +%s)
# Built into a temporary GOBIN and moved into place only on success: an interrupted build never leaves a
# half-written binary that a later run would take for an installed one.
tmp_bin="$(mktemp -d "$BIN_DIR/.build-server.XXXXXX")"
trap 'rm -rf "$tmp_bin"' EXIT
GOBIN="$tmp_bin" "$GO" install -ldflags "-s -w" \
  "${MODULE}/cmd/server@v${TEMPORAL_SERVER_VERSION}" \
  "${MODULE}/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}"
mv -f "$tmp_bin/server" "$BIN_DIR/temporal-server"
mv -f "$tmp_bin/sql" "$BIN_DIR/temporal-sql-tool"
log "built in $(( $(date +%s) - start ))s"

for b in temporal-server temporal-sql-tool; do
  if ! is_installed "$BIN_DIR/$b"; then
    log "ERROR: $BIN_DIR/$b does not report ${MODULE} v${TEMPORAL_SERVER_VERSION} after the build." >&2
    exit 1
  fi
done
