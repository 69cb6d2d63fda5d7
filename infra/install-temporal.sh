#!/usr/bin/env bash
# Installs the pinned Temporal CLI (which contains the Temporal dev server) into <repo>/.tools/bin/temporal.
#
#   bash infra/install-temporal.sh
#
# Idempotent: does nothing when .tools/bin/temporal already is v1.5.1. Otherwise it builds the CLI
# from source through the Go module proxy (no GitHub release download needed), which takes ~6 min.
#
# Why the pin: newer CLI tags carry a `replace` directive in go.mod, and `go install pkg@version`
# refuses modules with replace directives. v1.5.1 is the newest tag that installs this way.
set -euo pipefail

TEMPORAL_CLI_VERSION=1.5.1
MODULE=github.com/temporalio/cli

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN_DIR="$ROOT/.tools/bin"
BIN="$BIN_DIR/temporal"

log() { printf '[install-temporal] %s\n' "$*"; }

find_go() {
  if command -v go >/dev/null 2>&1; then command -v go; return 0; fi
  if [ -x /usr/local/go/bin/go ]; then echo /usr/local/go/bin/go; return 0; fi
  return 1
}

# True when $BIN exists and is the pinned version. `temporal --version` prints
# "temporal version 1.5.1 (Server …)" for binaries built by this script (the version is stamped
# with -ldflags). A plain `go install` leaves the CLI's version string at "0.0.0-DEV", so for such
# binaries we fall back to the Go build info (`go version -m`), which records the module version.
is_installed() {
  [ -x "$BIN" ] || return 1
  local out
  out="$("$BIN" --version 2>/dev/null || true)"
  if printf '%s\n' "$out" | grep -Eq "^temporal version v?${TEMPORAL_CLI_VERSION//./\\.}( |$)"; then
    return 0
  fi
  local go
  if go="$(find_go)"; then
    if "$go" version -m "$BIN" 2>/dev/null | grep -Eq "^[[:space:]]+mod[[:space:]]+${MODULE//./\\.}[[:space:]]+v${TEMPORAL_CLI_VERSION//./\\.}([[:space:]]|$)"; then
      return 0
    fi
  fi
  return 1
}

if is_installed; then
  log "Temporal CLI v${TEMPORAL_CLI_VERSION} already installed at ${BIN#"$ROOT"/} ($("$BIN" --version 2>/dev/null | head -n1))"
  exit 0
fi

if ! GO="$(find_go)"; then
  log "ERROR: Go toolchain not found (neither 'go' on PATH nor /usr/local/go/bin/go)." >&2
  log "Install Go (https://go.dev/dl/) or put a Temporal CLI v${TEMPORAL_CLI_VERSION} binary at $BIN." >&2
  exit 1
fi

if [ -e "$BIN" ]; then
  log "replacing $BIN (not v${TEMPORAL_CLI_VERSION}: $("$BIN" --version 2>/dev/null | head -n1 || echo 'unreadable'))"
fi

mkdir -p "$BIN_DIR"
log "building Temporal CLI v${TEMPORAL_CLI_VERSION} from the Go module proxy (takes ~6 min)…"
log "using $("$GO" version)"
start=$(date +%s)
# Build into a temporary GOBIN and move into place only on success, so an interrupted build
# never leaves a half-written binary that a later run would mistake for an installed one.
tmp_bin="$(mktemp -d "$BIN_DIR/.build.XXXXXX")"
trap 'rm -rf "$tmp_bin"' EXIT
GOBIN="$tmp_bin" "$GO" install \
  -ldflags "-s -w -X ${MODULE}/temporalcli.Version=${TEMPORAL_CLI_VERSION}" \
  "${MODULE}/cmd/temporal@v${TEMPORAL_CLI_VERSION}"
mv -f "$tmp_bin/temporal" "$BIN"
log "built in $(( $(date +%s) - start ))s: $("$BIN" --version | head -n1)"

if ! is_installed; then
  log "ERROR: $BIN does not report v${TEMPORAL_CLI_VERSION} after the build." >&2
  exit 1
fi
