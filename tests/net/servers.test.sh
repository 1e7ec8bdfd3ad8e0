#!/usr/bin/env bash
# The generated configuration on real servers: Debian's nginx, apache2,
# caddy and lighttpd run in the foreground with their own configuration on 127.0.0.1, serve
# the sample export (nothreads engine + threaded extension: the seed
# LinkError) and a threaded export that loads, each with precompressed .gz/.br
# copies, configured by `webdoctor headers --write`; `webdoctor probe` must
# find nothing about HTTP or hosting (the threaded one clean, exit 0; the seed
# only the findings `check` has on disk). With the headers removed (the
# server's defaults), probe must report the missing isolation (WD402).
#
# As root (CI) everything runs in a loopback-only network namespace that is
# also a PID namespace: nothing leaves 127.0.0.1, nothing outlives the test.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ "$(id -u)" -eq 0 ] && [ -z "${WD_NET_NS:-}" ]; then
  exec env WD_NET_NS=1 unshare --net --pid --fork --kill-child --mount-proc \
    sh -c 'ip link set lo up && exec "$@"' _ bash "${BASH_SOURCE[0]}" "$@"
fi
# shellcheck source=lib.sh
. "$here/lib.sh"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/wd-net-XXXXXX")"
trap 'stop_servers; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

base=$((20000 + RANDOM % 20000))
[ -n "${WD_NET_NS:-}" ] && base=18080

make_seed "$WORK/src-seed"
make_threaded "$WORK/src-threads"
compress "$WORK/src-seed"
compress "$WORK/src-threads"

# IDs of findings, sorted, one per line: probe's without WD4xx, and check's
# without those probe measures instead (WD203 isolation advice, WD206 for
# the precompressed copies probe does not download)
probe_file_ids() { python3 -c 'import json,sys; print("\n".join(sorted(f["id"] for f in json.load(open(sys.argv[1]))["findings"] if not f["id"].startswith("WD4"))))' "$1"; }
check_ids() { "$WEBDOCTOR" check --json "$1" | python3 -c 'import json,sys; print("\n".join(sorted(f["id"] for f in json.load(sys.stdin)["findings"] if f["id"] not in ("WD203","WD206"))))'; }
wd4_ids() { python3 -c 'import json,sys; print(" ".join(sorted(f["id"]+":"+f["severity"] for f in json.load(open(sys.argv[1]))["findings"] if f["id"].startswith("WD4"))))' "$1"; }
jq_py() { python3 -c "import json,sys; t=json.load(open(sys.argv[1])); print($2)" "$1"; }

port=$base
run_server() { # SERVER ROOT SNIPPET|-
  case "$1" in
    nginx) start_nginx "$2" "$port" "$3" ;;
    apache) start_apache "$2" "$port" ;;
    caddy) start_caddy "$2" "$port" "$3" ;;
    lighttpd) start_lighttpd "$2" "$port" "$3" ;;
  esac
}

for server in nginx apache caddy lighttpd; do
  for variant in threads seed; do
    # ---- configured by webdoctor headers --write
    root="$WORK/$server-$variant-good"
    cp -r "$WORK/src-$variant" "$root"
    port=$((port + 1))
    "$WEBDOCTOR" headers --host "$server" --dir "$root" --write >"$WORK/headers.out" 2>&1 ||
      { cat "$WORK/headers.out"; echo "FAIL headers --write for $server"; fail=$((fail + 1)); continue; }
    snippet=-
    [ "$server" = nginx ] && snippet="$root.webdoctor/godot-web.nginx.conf"
    [ "$server" = caddy ] && snippet="$root.webdoctor/godot-web.caddy"
    [ "$server" = lighttpd ] && snippet="$root.webdoctor/godot-web.lighttpd.conf"
    if ! run_server "$server" "$root" "$snippet"; then
      echo "FAIL $server did not start"; fail=$((fail + 1)); continue
    fi
    out="$WORK/$server-$variant-good.json"
    "$WEBDOCTOR" probe --json "http://127.0.0.1:$port/" >"$out" 2>"$WORK/probe.err"
    rc=$?
    "$WEBDOCTOR" probe --color=never "http://127.0.0.1:$port/" >"$WORK/$server-$variant-good.txt" 2>&1
    # the server's own configuration is not on a public URL: --write put it
    # beside the served folder
    if [ "$snippet" != - ]; then
      code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/$(basename "$snippet")")"
      check "$server $variant: its configuration is not served ($code)" test "$code" = 404
    fi
    stop_servers
    check "$server $variant configured: no WD4xx finding ($(wd4_ids "$out"))" test -z "$(wd4_ids "$out")"
    check "$server $variant configured: every transfer 200" \
      test "$(jq_py "$out" '",".join(sorted(set(str(x["status"]) for x in t["target"]["transfers"])))')" = 200
    enc=br
    [ "$server" = nginx ] && enc=gzip # gzip_static; brotli needs a module Debian does not ship
    # (lighttpd cannot send the precompressed copies: it compresses with br itself)
    check "$server $variant configured: index.wasm as application/wasm, precompressed $enc" \
      test "$(jq_py "$out" '[(x["headers"]["content-type"], x["headers"]["content-encoding"]) for x in t["target"]["transfers"] if x["name"]=="index.wasm"][0]')" = "('application/wasm', '$enc')"
    check "$server $variant configured: Cache-Control no-cache on every file" \
      test "$(jq_py "$out" '",".join(sorted(set(str(x["headers"]["cache-control"]) for x in t["target"]["transfers"])))')" = no-cache
    check "$server $variant configured: the file findings are check's" \
      test "$(probe_file_ids "$out")" = "$(check_ids "$WORK/src-$variant")"
    if [ "$variant" = threads ]; then
      check "$server threads configured: exit 0 (rc $rc)" test "$rc" = 0
      check "$server threads configured: cross-origin isolated" \
        test "$(jq_py "$out" 't["target"]["cross_origin_isolated"]')" = True
      check "$server threads configured: the worker script was fetched" \
        test "$(jq_py "$out" 'len([x for x in t["target"]["transfers"] if x["kind"]=="worker"])')" = 1
    else
      check "$server seed configured: exit 1, for the LinkError only (rc $rc)" test "$rc" = 1
      check "$server seed configured: no COOP/COEP for an export without threads" \
        test "$(jq_py "$out" 't["target"]["transfers"][0]["headers"]["cross-origin-opener-policy"]')" = None
    fi

    # ---- headers removed: the server's defaults
    root="$WORK/$server-$variant-plain"
    cp -r "$WORK/src-$variant" "$root"
    port=$((port + 1))
    run_server "$server" "$root" - || { echo "FAIL $server did not start"; fail=$((fail + 1)); continue; }
    out="$WORK/$server-$variant-plain.json"
    "$WEBDOCTOR" probe --json "http://127.0.0.1:$port/" >"$out" 2>"$WORK/probe.err"
    rc=$?
    "$WEBDOCTOR" probe --color=never "http://127.0.0.1:$port/" >"$WORK/$server-$variant-plain.txt" 2>&1
    stop_servers
    ids="$(wd4_ids "$out")"
    if [ "$variant" = threads ]; then
      check "$server threads without headers: exit 1 (rc $rc)" test "$rc" = 1
      check "$server threads without headers: WD402 error ($ids)" grep -q "WD402:error" <<<"$ids"
      check "$server threads without headers: not isolated" \
        test "$(jq_py "$out" 't["target"]["cross_origin_isolated"]')" = False
    else
      check "$server seed without headers: no WD402 for an export without threads ($ids)" \
        test -z "$(grep -o WD402 <<<"$ids")"
    fi
    check "$server $variant without headers: the file findings are check's" \
      test "$(probe_file_ids "$out")" = "$(check_ids "$WORK/src-$variant")"
  done
done

# ---- HTTPS under a real name (caddy's internal CA): a secure context that is
# not localhost, the TLS options
d="$WORK/caddy-tls"
root="$WORK/threads-tls"
mkdir -p "$d"
cp -r "$WORK/src-threads" "$root"
"$WEBDOCTOR" headers --host caddy --dir "$root" --write >/dev/null
port=$((port + 1))
cat >"$d/Caddyfile" <<EOF
{
	admin off
	skip_install_trust
	auto_https disable_redirects
	storage file_system $d/storage
	log {
		output file $d/caddy.log
	}
}
https://game.test:$port {
	bind 127.0.0.1
	tls internal
	root * $root
	import $root.webdoctor/godot-web.caddy
}
EOF
HOME="$d" XDG_DATA_HOME="$d" XDG_CONFIG_HOME="$d" caddy run --adapter caddyfile --config "$d/Caddyfile" >"$d/out.log" 2>&1 &
server_pids+=($!)
ca="$d/storage/pki/authorities/local/root.crt"
for _ in $(seq 1 100); do
  [ -f "$ca" ] && curl -s -o /dev/null --cacert "$ca" --resolve "game.test:$port:127.0.0.1" "https://game.test:$port/" && break
  sleep 0.1
done
out="$WORK/caddy-tls.json"
"$WEBDOCTOR" probe --json --resolve "game.test:$port:127.0.0.1" --cacert "$ca" "https://game.test:$port/" >"$out" 2>"$WORK/probe.err"
rc=$?
check "caddy https://game.test, its CA given: exit 0 (rc $rc, $(wd4_ids "$out"))" test "$rc" = 0
check "caddy https://game.test: a secure context, isolated" \
  test "$(jq_py "$out" '(t["target"]["secure_context"], t["target"]["cross_origin_isolated"])')" = "(True, True)"
"$WEBDOCTOR" probe --resolve "game.test:$port:127.0.0.1" "https://game.test:$port/" >/dev/null 2>"$WORK/probe.err"
rc=$?
check "caddy https://game.test, an unknown CA: exit 2 ($(cat "$WORK/probe.err"))" \
  bash -c '[ "$1" = 2 ] && grep -q "SSL certificate problem" "$2"' _ "$rc" "$WORK/probe.err"
"$WEBDOCTOR" probe --json -k --resolve "game.test:$port:127.0.0.1" "https://game.test:$port/" >"$out" 2>/dev/null
rc=$?
check "caddy https://game.test, --insecure: exit 0 (rc $rc)" test "$rc" = 0
stop_servers

# the text reports, for the record (tests/net/README or the closing note)
if [ -n "${WD_NET_KEEP:-}" ]; then
  mkdir -p "$WD_NET_KEEP"
  cp "$WORK"/*.txt "$WD_NET_KEEP"/
fi
summary
