#!/usr/bin/env bash
# The browser agrees with probe. Headless Chromium (system binary, fresh
# profiles) opens the threaded export served by nginx, all inside one
# loopback-only network and PID namespace:
#   - with the configuration `headers --host nginx` wrote: isolated from the
#     first load, the game runs (probe: clean);
#   - with the headers removed: not isolated, the game does not start
#     (probe: WD402);
#   - on a server that sends no headers, with the service worker
#     `headers --host github-pages --write` installed: not isolated at first,
#     crossOriginIsolated becomes true after the reload, the game runs
#     (probe: WD402 as a note);
# Needs root (unshare --net) like tests/oracle.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ "$(id -u)" -ne 0 ]; then
  echo "browser_oracle: browsers run in a loopback-only network namespace, which needs root (unshare --net)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
if [ -z "${WD_NET_NS:-}" ]; then
  exec env WD_NET_NS=1 unshare --net --pid --fork --kill-child --mount-proc \
    sh -c 'ip link set lo up && exec "$@"' _ bash "${BASH_SOURCE[0]}" "$@"
fi
# shellcheck source=lib.sh
. "$here/lib.sh"
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2)
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/wd-net-browser-XXXXXX")"
export WD_NET_TMP="$WORK"
trap 'stop_servers; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

make_threaded "$WORK/good"
"$WEBDOCTOR" headers --host nginx --dir "$WORK/good" --write >/dev/null
cp -r "$WORK/good" "$WORK/plain"
cp -r "$WORK/plain" "$WORK/shim"
"$WEBDOCTOR" headers --host github-pages --dir "$WORK/shim" --write >/dev/null
start_nginx "$WORK/good" 18301 "$WORK/good.webdoctor/godot-web.nginx.conf"
start_nginx "$WORK/plain" 18302 -
start_nginx "$WORK/shim" 18303 -

probe_rc() { "$WEBDOCTOR" probe --json "$1" >"$WORK/probe.json" 2>/dev/null; echo $?; }
ids() { python3 -c 'import json,sys; print(" ".join(sorted(f["id"]+":"+f["severity"] for f in json.load(open(sys.argv[1]))["findings"] if f["id"].startswith("WD4"))))' "$WORK/probe.json"; }
rc=$(probe_rc http://127.0.0.1:18301/); check "probe, nginx configured: exit 0 (rc $rc, $(ids))" test "$rc" = 0
rc=$(probe_rc http://127.0.0.1:18302/); check "probe, nginx without headers: WD402 error (rc $rc, $(ids))" bash -c '[ "$1" = 1 ] && [[ "$2" == *WD402:error* ]]' _ "$rc" "$(ids)"
rc=$(probe_rc http://127.0.0.1:18303/); check "probe, no headers + service worker: WD402 note (rc $rc, $(ids))" bash -c '[ "$1" = 0 ] && [[ "$2" == *WD402:note* ]]' _ "$rc" "$(ids)"

cat >"$WORK/cases.json" <<EOF
[
  {"name": "configured", "url": "http://127.0.0.1:18301/"},
  {"name": "plain", "url": "http://127.0.0.1:18302/"},
  {"name": "shim", "url": "http://127.0.0.1:18303/"}
]
EOF
start=$(date +%s)
node "$here/browser.js" "$WORK/cases.json" "$WORK/out.json" || { echo "FAIL browser driver"; fail=$((fail + 1)); }
echo "chromium: $(( $(date +%s) - start )) s"
get() { python3 -c "import json,sys; r={c['name']: c for c in json.load(open(sys.argv[1]))}[sys.argv[2]]; v=($2); print(*(v if isinstance(v, tuple) else (v,)))" "$WORK/out.json" "$1" 2>/dev/null; }
if [ -n "${WD_NET_VERBOSE:-}" ]; then cat "$WORK/out.json"; fi

check "chromium, nginx configured: isolated at the first load, the game runs" \
  test "$(get configured 'r.get("isolatedAtStart"), r.get("ready"), r.get("navigations")')" = "True True 1"
check "chromium, nginx without headers: not isolated, the game does not start" \
  test "$(get plain 'r.get("crossOriginIsolated"), r.get("ready")')" = "False False"
check "chromium, service worker: not isolated before the reload" \
  test "$(get shim 'r.get("console") and any("reloading to become cross-origin isolated" in l for l in r["console"])')" = True
check "chromium, service worker: crossOriginIsolated after the reload, the game runs ($(get shim 'r.get("navigations"), r.get("status")'))" \
  test "$(get shim 'r.get("crossOriginIsolated"), r.get("isolatedAtStart"), r.get("ready"), r.get("navigations")')" = "True True True 2"
summary
