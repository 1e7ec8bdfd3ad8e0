#!/usr/bin/env bash
# `webdoctor probe` against deliberately broken servers (nginx on 127.0.0.1,
# in a loopback-only network namespace as root): every WD4xx finding from a
# real server, the network errors (exit 2), the limits, the output formats.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ "$(id -u)" -eq 0 ] && [ -z "${WD_NET_NS:-}" ]; then
  exec env WD_NET_NS=1 unshare --net --pid --fork --kill-child --mount-proc \
    sh -c 'ip link set lo up && exec "$@"' _ bash "${BASH_SOURCE[0]}" "$@"
fi
# shellcheck source=lib.sh
. "$here/lib.sh"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/wd-probe-XXXXXX")"
helper_pid=""
trap 'stop_servers; [ -n "$helper_pid" ] && kill "$helper_pid" 2>/dev/null; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
port=$((20000 + RANDOM % 20000))
[ -n "${WD_NET_NS:-}" ] && port=18180

make_threaded "$WORK/thr"
"$WEBDOCTOR" headers --host nginx --dir "$WORK/thr" --write >/dev/null
good="$WORK/thr.webdoctor/godot-web.nginx.conf"

ids() { python3 -c 'import json,sys; print(" ".join(sorted(f["id"]+":"+f["severity"]+":"+str(f["file"]) for f in json.load(open(sys.argv[1]))["findings"])))' "$1"; }

# serve ROOT "nginx lines": a server block with the given configuration
serve() {
  port=$((port + 1))
  printf '%s\n' "$2" >"$WORK/conf-$port.conf"
  start_nginx "$1" "$port" "$WORK/conf-$port.conf"
}

# probe_case NAME ROOT "nginx lines" EXPECTED_RC "grep -E pattern over the finding ids" [probe options]
probe_case() {
  local name="$1" root="$2" conf="$3" want_rc="$4" pat="$5"
  shift 5
  serve "$root" "$conf" || { fail=$((fail + 1)); echo "FAIL $name: nginx did not start"; return; }
  "$WEBDOCTOR" probe --json "$@" "http://127.0.0.1:$port/" >"$WORK/out.json" 2>"$WORK/err.txt"
  local rc=$?
  stop_servers
  local got
  got="$(ids "$WORK/out.json" 2>/dev/null)"
  check "$name: exit $want_rc (rc $rc)" test "$rc" = "$want_rc"
  check "$name: $pat ($got)" grep -Eq "$pat" <<<"$got"
}

# ---- every WD4xx from a real server
probe_case "clean threaded export" "$WORK/thr" "include $good;" 0 '^WD113:note:None$'

cp -r "$WORK/thr" "$WORK/t1" && rm "$WORK/t1/libext.web.template_release.wasm32.wasm"
probe_case "a GDExtension not uploaded" "$WORK/t1" "include $good;" 1 'WD401:error:libext.web.template_release.wasm32.wasm'

probe_case "only the page gets COOP/COEP" "$WORK/thr" '
location = /index.html {
  add_header Cross-Origin-Opener-Policy same-origin;
  add_header Cross-Origin-Embedder-Policy require-corp;
}' 1 'WD403:error:index.worker.js'

probe_case "COOP without COEP" "$WORK/thr" 'add_header Cross-Origin-Opener-Policy same-origin;' 1 'WD402:error:index.html'

probe_case "wasm as application/octet-stream" "$WORK/thr" "include $good;
location = /index.wasm { types { } default_type application/octet-stream; }" 0 'WD405:warning:index.wasm'

probe_case "worker script as text/plain" "$WORK/thr" "include $good;
location = /index.worker.js { types { } default_type text/plain; }" 1 'WD405:error:index.worker.js'

probe_case "Content-Encoding: gzip on bytes that are not" "$WORK/thr" "include $good;
location = /index.pck { add_header Content-Encoding gzip; }" 1 'WD406:error:index.pck'

# the same in Chinese: the JSON's English text is English throughout (the decoding
# failure quoted in it too), the localized one Chinese
if serve "$WORK/thr" "include $good;
location = /index.pck { add_header Content-Encoding gzip; }"; then
  "$WEBDOCTOR" probe --json --lang zh_CN "http://127.0.0.1:$port/" >"$WORK/zh.json" 2>/dev/null
  stop_servers
  check "WD406 in zh_CN: English message without Chinese, Chinese localized message" python3 -c '
import json, re, sys
f = [f for f in json.load(open(sys.argv[1]))["findings"] if f["id"] == "WD406"][0]
cjk = re.compile("[\u4e00-\u9fff]")
sys.exit(0 if not cjk.search(f["message"]) and "not gzip data" in f["message"] and cjk.search(f["message_localized"]) else 1)' "$WORK/zh.json"
else
  fail=$((fail + 1)); echo "FAIL WD406 in zh_CN: nginx did not start"
fi

cp -r "$WORK/thr" "$WORK/t2" && gzip -9 -c "$WORK/thr/index.wasm" >"$WORK/t2/index.wasm"
probe_case "a gzipped index.wasm without Content-Encoding" "$WORK/t2" "include $good;" 1 '^WD113:note:None WD406:error:index.wasm$'

# a gzip plugin's output: the page names index.pck.gz and inflates it itself; a host that unpacks
# it, or labels it Content-Encoding: gzip, hands the page bytes that are not gzip (WD221)
cp -r "$WORK/thr" "$WORK/gz" && gzip -9 -n -c "$WORK/thr/index.pck" >"$WORK/gz/index.pck.gz"
sed -i 's|^<script src="index.js"></script>$|<script>const PACK_GZ = "index.pck.gz"; /* inflated by the page */</script>\n<script src="index.js"></script>|' "$WORK/gz/index.html"
check "the page names index.pck.gz" grep -q 'PACK_GZ = "index.pck.gz"' "$WORK/gz/index.html"
probe_case "a .gz the page inflates, served as it is" "$WORK/gz" "include $good;" 0 '^WD113:note:None$'
probe_case "a .gz sent with Content-Encoding: gzip" "$WORK/gz" "include $good;
location = /index.pck.gz { add_header Content-Encoding gzip; }" 1 ' WD221:error:index.pck.gz( |$)'
cp -r "$WORK/gz" "$WORK/gz2" && cp "$WORK/thr/index.pck" "$WORK/gz2/index.pck.gz"
# (gzip_static serves the unpacked copy for index.pck too, labelled gzip: WD406 there)
probe_case "a .gz the host unpacked (itch.io)" "$WORK/gz2" "include $good;" 1 ' WD221:error:index.pck.gz( |$)'
serve "$WORK/gz2" "include $good;" && {
  "$WEBDOCTOR" probe --json "http://127.0.0.1:$port/" >"$WORK/gz.json" 2>/dev/null
  stop_servers
  check "WD221 quotes the inflate's text" python3 -c '
import json, sys
f = [f for f in json.load(open(sys.argv[1]))["findings"] if f["id"] == "WD221"]
sys.exit(0 if f and f[0].get("engine_message") == "Uncaught (in promise) incorrect header check" else 1)' "$WORK/gz.json"
}

cp -r "$WORK/thr" "$WORK/t3" && rm "$WORK/t3/index.pck"
probe_case "a catch-all fallback answers the missing .pck with the page" "$WORK/t3" "
add_header Cross-Origin-Opener-Policy same-origin;
add_header Cross-Origin-Embedder-Policy require-corp;
location / { try_files \$uri /index.html; }" 1 'WD405:error:index.pck'

probe_case "a year of immutable caching" "$WORK/thr" '
add_header Cross-Origin-Opener-Policy same-origin;
add_header Cross-Origin-Embedder-Policy require-corp;
add_header Cache-Control "public, max-age=31536000, immutable";' 0 '^WD113:note:None WD407:warning:None$'
probe_case "a day-long cache on the .pck alone" "$WORK/thr" "include $good;
location = /index.pck { add_header Cache-Control max-age=172800; }" 0 'WD407:warning:index.pck'

probe_case "a 4 KiB size limit" "$WORK/thr" "include $good;" 1 'WD408:error:index.js' --max-size 0.004

big="$WORK/big" && cp -r "$WORK/thr" "$big"
head -c 2000000 /dev/urandom >>"$big/index.pck"
probe_case "a 2 MB .pck sent uncompressed, of the wrong size" "$big" "
add_header Cross-Origin-Opener-Policy same-origin;
add_header Cross-Origin-Embedder-Policy require-corp;" 0 'WD202:warning:index.pck.*WD409:note:index.pck'

# http:// under a name that is not localhost (resolved to 127.0.0.1)
serve "$WORK/thr" "include $good;"
"$WEBDOCTOR" probe --json --resolve "game.test:$port:127.0.0.1" "http://game.test:$port/" >"$WORK/out.json" 2>&1
rc=$?
stop_servers
got="$(ids "$WORK/out.json")"
check "http://game.test (resolved to 127.0.0.1): WD404 and WD402 ($got)" \
  bash -c '[[ "$1" == *WD402:error:index.html* && "$1" == *WD404:error:index.html* ]]' _ "$got"
check "http://game.test: exit 1 (rc $rc)" test "$rc" = 1

# ---- the .pck on another origin (a CDN): CORS needed for fetch()
cp -r "$WORK/thr" "$WORK/t5"
cdn=$((port + 60))
sed -i "s|\"executable\":\"index\"|\"executable\":\"index\",\"mainPack\":\"http://127.0.0.1:$cdn/index.pck\"|" "$WORK/t5/index.html"
start_nginx "$WORK/thr" "$cdn" - || fail=$((fail + 1))
probe_case "the .pck on another origin without CORS" "$WORK/t5" "include $good;" 1 "WD403:error:http://127.0.0.1:$cdn/index.pck"
stop_servers
printf 'add_header Access-Control-Allow-Origin "*";\n' >"$WORK/cors.conf"
start_nginx "$WORK/thr" "$cdn" "$WORK/cors.conf" || fail=$((fail + 1))
probe_case "the .pck on another origin with Access-Control-Allow-Origin: *" "$WORK/t5" "include $good;" 0 '^WD113:note:None WD407:note:None$'

# ---- the service worker shim counts as isolation (a note, not an error)
cp -r "$WORK/thr" "$WORK/t4" && "$WEBDOCTOR" headers --host github-pages --dir "$WORK/t4" --write >/dev/null
probe_case "GitHub Pages with the shim: isolation by a service worker" "$WORK/t4" "" 0 'WD402:note:index.html'

# ---- the page itself
probe_case "the page is a 404" "$WORK/thr" 'location = /index.html { return 404; }' 1 'WD401:error:index.html'
mkdir -p "$WORK/notgodot" && echo '<!DOCTYPE html><title>hello</title>' >"$WORK/notgodot/index.html"
probe_case "a page without GODOT_CONFIG" "$WORK/notgodot" "" 1 'WD212:error:index.html'

# ---- network errors: exit 2, a clear message
serve "$WORK/thr" 'location / { return 302 /; }'
"$WEBDOCTOR" probe --max-redirects 3 "http://127.0.0.1:$port/" >/dev/null 2>"$WORK/err.txt"
rc=$?
stop_servers
check "a redirect loop: exit 2 (rc $rc)" test "$rc" = 2
check "a redirect loop: says so ($(cat "$WORK/err.txt"))" grep -q "more than 3 redirects" "$WORK/err.txt"

"$WEBDOCTOR" probe "http://127.0.0.1:1/" >/dev/null 2>"$WORK/err.txt"
rc=$?
check "connection refused: exit 2 (rc $rc)" test "$rc" = 2
check "connection refused: says so ($(cat "$WORK/err.txt"))" grep -qi "cannot fetch the page.*refused\|failed to connect" "$WORK/err.txt"

# a server that accepts and never answers
python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8)
conns = []
end = time.time() + 30
while time.time() < end:
    s.settimeout(end - time.time())
    try: conns.append(s.accept()[0])
    except OSError: break
' "$((port + 50))" &
helper_pid=$!
wait_listen "$((port + 50))"
start=$(date +%s)
"$WEBDOCTOR" probe --timeout 1 "http://127.0.0.1:$((port + 50))/" >/dev/null 2>"$WORK/err.txt"
rc=$?
took=$(( $(date +%s) - start ))
kill "$helper_pid" 2>/dev/null; wait "$helper_pid" 2>/dev/null; helper_pid=""
check "a silent server: exit 2 after the timeout (rc $rc, ${took}s)" test "$rc" = 2 -a "$took" -le 5
check "a silent server: says timed out ($(cat "$WORK/err.txt"))" grep -q "timed out" "$WORK/err.txt"

for bad in "ftp://127.0.0.1/" "127.0.0.1:8080" "http://[::1" ""; do
  "$WEBDOCTOR" probe "$bad" >/dev/null 2>"$WORK/err.txt"
  rc=$?
  check "bad URL '$bad': exit 2 (rc $rc): $(head -c 120 "$WORK/err.txt")" test "$rc" = 2
done
"$WEBDOCTOR" probe 127.0.0.1:8080 2>&1 | grep -q "http://127.0.0.1:8080"
check "a URL without scheme: suggests http://" test $? = 0

# ---- output formats, the progress bar on a terminal
serve "$WORK/thr" "include $good;"
"$WEBDOCTOR" probe --sarif "http://127.0.0.1:$port/" >"$WORK/out.sarif"
check "--sarif: SARIF 2.1.0 with the WD4xx rules" python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert s["version"] == "2.1.0"
assert any(r["id"] == "WD402" for r in s["runs"][0]["tool"]["driver"]["rules"])' "$WORK/out.sarif"
"$WEBDOCTOR" probe --github "http://127.0.0.1:$port/" >"$WORK/out.gh"
check "--github: annotations" grep -q '^::notice title=WD113::' "$WORK/out.gh"
"$WEBDOCTOR" probe -q "http://127.0.0.1:$port/" >"$WORK/out.q"
check "-q: the summary line only" test "$(wc -l <"$WORK/out.q")" = 1
if command -v script >/dev/null; then
  script -qec "'$WEBDOCTOR' probe --color=never 'http://127.0.0.1:$port/'" /dev/null >"$WORK/tty.txt" 2>&1
  check "a terminal gets a progress bar" grep -q 'files' "$WORK/tty.txt"
fi
"$WEBDOCTOR" probe "http://127.0.0.1:$port/" 2>"$WORK/err.txt" >/dev/null
check "no progress bar when stderr is not a terminal" test ! -s "$WORK/err.txt"
stop_servers

summary
