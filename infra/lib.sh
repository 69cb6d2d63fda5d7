# Shared helpers for infra/up.sh and infra/test.sh (sourced, not executed).

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
else
  step() { printf '\n==> %s\n' "$*"; }
fi

# `npm ci` when node_modules is missing, or package-lock.json is newer than the lock npm wrote
# into node_modules at the last install (node_modules/.package-lock.json).
#
# If `npm ci` refuses the lock file, fall back to `npm install --no-save`, which installs the
# versions of package-lock.json without rewriting package.json or package-lock.json. Why: npm ci
# also checks that the lock lists every platform's optional binaries (e.g. @swc/core-darwin-arm64),
# and on a registry that does not carry some of them (as on our build machines) no lock can satisfy
# that check, while the install itself is fine.
ensure_node_modules() {
  local why=""
  if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ]; then
    why="node_modules missing"
  elif [ package-lock.json -nt node_modules/.package-lock.json ]; then
    why="package-lock.json is newer than node_modules"
  else
    echo "[deps] node_modules is up to date with package-lock.json"
    return 0
  fi
  step "npm ci ($why)"
  mkdir -p .data
  if npm ci > .data/npm-ci.log 2>&1; then
    tail -n 3 .data/npm-ci.log
    return 0
  fi
  if grep -q "Missing: .* from lock file" .data/npm-ci.log; then
    echo "[deps] npm ci wants other platforms' optional binaries that this registry does not carry (details: .data/npm-ci.log);"
    echo "[deps] installing the locked versions with: npm install --no-save (package files are left unchanged)"
  else
    cat .data/npm-ci.log >&2
    echo "[deps] WARNING: npm ci failed (see above); falling back to: npm install --no-save" >&2
  fi
  step "npm install --no-save"
  npm install --no-save
}

# Debian's Chromium for the browser tests (Playwright drives it; no browser is downloaded). Installed
# with apt-get when missing (as root, or through sudo); the log goes to .data/apt-chromium.log.
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then
    echo "[browser] $(/usr/bin/chromium --version 2>/dev/null | tail -n 1)"
    return 0
  fi
  step "apt-get install chromium (Debian's, for the browser tests)"
  mkdir -p .data
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; else
      echo "[browser] /usr/bin/chromium is missing and this user cannot install it: run 'apt-get install -y chromium' as root" >&2
      return 1
    fi
  fi
  if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y chromium >.data/apt-chromium.log 2>&1; then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get update >>.data/apt-chromium.log 2>&1 || true
    if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y chromium >>.data/apt-chromium.log 2>&1; then
      tail -n 20 .data/apt-chromium.log >&2
      echo "[browser] could not install chromium (log: .data/apt-chromium.log)" >&2
      return 1
    fi
  fi
  echo "[browser] installed: $(/usr/bin/chromium --version 2>/dev/null | tail -n 1)"
}
