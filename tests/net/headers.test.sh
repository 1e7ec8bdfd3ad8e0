#!/usr/bin/env bash
# `webdoctor headers`: every host, threads read from the export, --write
# (temporary file + rename, backups, merging with existing files, a second
# run changes nothing), the embedded service worker in step with its source.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/wd-headers-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
W="$WEBDOCTOR"
make_seed "$WORK/seed"
make_threaded "$WORK/thr"

js() { python3 -c "import json,sys; t=json.load(sys.stdin); print($1)"; }

# ---- the host list and the names
"$W" headers --list >"$WORK/list.txt"
check "--list names 15 hosts" test "$(tail -n +2 "$WORK/list.txt" | wc -l)" = 15
"$W" headers --host ngnix >/dev/null 2>"$WORK/err.txt"
rc=$?
check "unknown host: exit 2 (rc $rc)" test "$rc" = 2
check "unknown host: the closest name ($(cat "$WORK/err.txt"))" grep -q "did you mean 'nginx'" "$WORK/err.txt"
"$W" headers --host zzzzzzzzzzzz >/dev/null 2>"$WORK/err.txt"
check "a name far from every host: no suggestion" bash -c '! grep -q "did you mean" "$1"' _ "$WORK/err.txt"
"$W" headers --host zzz >/dev/null 2>"$WORK/err.txt"
check "a short name with nothing in common: no suggestion ($(cat "$WORK/err.txt"))" bash -c '! grep -q "did you mean" "$1"' _ "$WORK/err.txt"
"$W" check --host itchh "$WORK/seed" >/dev/null 2>"$WORK/err.txt"
rc=$?
check "check --host with a typo: exit 2 and the name ($rc)" grep -q "did you mean 'itch'" "$WORK/err.txt"
"$W" headers >/dev/null 2>&1
check "no --host: exit 2" test $? = 2
"$W" headers --host nginx --write >/dev/null 2>&1
check "--write without --dir: exit 2" test $? = 2
"$W" headers --host nginx --threads --no-threads >/dev/null 2>&1
check "--threads with --no-threads: exit 2" test $? = 2
"$W" headers --host nginx --dir "$WORK/none" >/dev/null 2>&1
check "a missing folder: exit 2" test $? = 2
"$W" headers --host gh-pages --threads --json | js 't["host"]["key"]' >"$WORK/alias.txt"
check "aliases: gh-pages is github-pages" test "$(cat "$WORK/alias.txt")" = github-pages

# ---- threads: from the option, the engine, the default
for host in nginx apache caddy lighttpd iis netlify cloudflare vercel firebase azure cloudfront github-pages gitlab-pages itch newgrounds; do
  t="$("$W" headers --host "$host" --dir "$WORK/thr" --json | js '(t["threads"], t["threads_from"], len(t["files"]) + len(t["steps"]) > 0)')"
  n="$("$W" headers --host "$host" --dir "$WORK/seed" --json | js '(t["threads"], t["threads_from"])')"
  check "$host: threads read from the engine ($t / $n)" test "$t|$n" = "(True, 'engine', True)|(False, 'engine')"
  coop_t="$("$W" headers --host "$host" --threads --json | js '"Cross-Origin-Opener-Policy" in "".join(f["content"] for f in t["files"]) or "SharedArrayBuffer" in " ".join(t["steps"] + t["notes"])')"
  coop_n="$("$W" headers --host "$host" --json | js '"Cross-Origin-Opener-Policy" in "".join(f["content"] for f in t["files"])')"
  check "$host: COOP/COEP with --threads only ($coop_t/$coop_n)" test "$coop_t|$coop_n" = "True|False"
done
"$W" headers --host nginx --json | js '" ".join(t["notes"])' >"$WORK/notes.txt"
check "without --dir or --threads: a note says no threads is assumed" grep -q "assumed an export without threads" "$WORK/notes.txt"

# ---- JSON configurations are JSON, with the headers where each host reads them
for host in vercel firebase azure cloudfront; do
  "$W" headers --host "$host" --threads --json | js 'json.dumps(json.loads(t["files"][0]["content"]))' >"$WORK/$host.json" 2>&1
  check "$host: valid JSON" test -s "$WORK/$host.json"
done
check "vercel: headers[0] for every path with COEP" python3 -c '
import json,sys; v=json.load(open(sys.argv[1]))
assert v["headers"][0]["source"] == "/(.*)"
assert {"key":"Cross-Origin-Embedder-Policy","value":"require-corp"} in v["headers"][0]["headers"]' "$WORK/vercel.json"
check "firebase: hosting.headers" python3 -c '
import json,sys; v=json.load(open(sys.argv[1])); assert v["hosting"]["headers"][0]["source"] == "**"' "$WORK/firebase.json"
check "azure: globalHeaders and mimeTypes" python3 -c '
import json,sys; v=json.load(open(sys.argv[1]))
assert v["globalHeaders"]["Cross-Origin-Opener-Policy"] == "same-origin" and v["mimeTypes"][".wasm"] == "application/wasm"' "$WORK/azure.json"
check "cloudfront: a response headers policy config, Quantity matching Items" python3 -c '
import json,sys; v=json.load(open(sys.argv[1])); c=v["CustomHeadersConfig"]
assert c["Quantity"] == len(c["Items"]) == 3' "$WORK/cloudfront.json"

# ---- --write: create, unchanged, merge, backups
d="$WORK/w1"
cp -r "$WORK/thr" "$d"
"$W" headers --host apache --dir "$d" --write --json | js '[(x["name"], x["action"], x["backup"]) for x in t["written"]]' >"$WORK/o.txt"
check "apache --write: creates .htaccess" test "$(cat "$WORK/o.txt")" = "[('.htaccess', 'created', None)]"
"$W" headers --host apache --dir "$d" --write --json | js '[x["action"] for x in t["written"]]' >"$WORK/o.txt"
check "apache --write again: unchanged, no backup" test "$(cat "$WORK/o.txt")|$(ls "$d" | grep -c bak)" = "['unchanged']|0"
printf 'Options -Indexes\nErrorDocument 404 /404.html\n' >"$d/.htaccess"
chmod 640 "$d/.htaccess"
"$W" headers --host apache --dir "$d" --write --json | js '[(x["action"], x["backup"]) for x in t["written"]]' >"$WORK/o.txt"
check "apache --write over a user's .htaccess: updated, backup beside the export ($(cat "$WORK/o.txt"))" test "$(cat "$WORK/o.txt")" = "[('updated', '$d.webdoctor/.htaccess.bak')]"
check "the backup is the old file" test "$(cat "$d.webdoctor/.htaccess.bak")" = "$(printf 'Options -Indexes\nErrorDocument 404 /404.html')"
check "the user's lines are kept, ours in a marked block" \
  bash -c 'head -2 "$1" | grep -q "ErrorDocument" && grep -c "BEGIN webdoctor" "$1" | grep -qx 1 && grep -q "Cross-Origin-Embedder-Policy" "$1"' _ "$d/.htaccess"
check "the mode of the file is kept (640)" test "$(stat -c %a "$d/.htaccess")" = 640
"$W" headers --host apache --dir "$d" --no-threads --write >/dev/null
check "--write --no-threads replaces the block, keeps the user's lines" \
  bash -c 'grep -c "BEGIN webdoctor" "$1" | grep -qx 1 && ! grep -q "Cross-Origin-Embedder-Policy" "$1" && grep -q ErrorDocument "$1"' _ "$d/.htaccess"
check "a second backup does not overwrite the first (.htaccess.bak.1)" test -f "$d.webdoctor/.htaccess.bak.1"
check "the first backup still holds the user's original" grep -qx 'Options -Indexes' "$d.webdoctor/.htaccess.bak"
check "no temporary file left" test -z "$(ls -a "$d" | grep webdoctor-)"

# JSON merge keeps the user's settings
d="$WORK/w2"
cp -r "$WORK/thr" "$d"
printf '{"cleanUrls": true, "headers": [{"source": "/(.*)", "headers": [{"key": "X-Old", "value": "1"}]}, {"source": "/api/(.*)", "headers": [{"key": "X-Api", "value": "1"}]}]}' >"$d/vercel.json"
"$W" headers --host vercel --dir "$d" --write >/dev/null
check "vercel --write merges: cleanUrls and /api kept, /(.*) replaced by ours" python3 -c '
import json,sys; v=json.load(open(sys.argv[1]))
srcs=[h["source"] for h in v["headers"]]
assert v["cleanUrls"] is True and "/api/(.*)" in srcs and srcs.count("/(.*)") == 1
rule=[h for h in v["headers"] if h["source"]=="/(.*)"][0]
assert {"key":"Cross-Origin-Opener-Policy","value":"same-origin"} in rule["headers"]' "$d/vercel.json"
check "vercel --write: the old file is in vercel.json.bak beside the export" test -f "$d.webdoctor/vercel.json.bak"
printf '{"hosting": {"public": "dist", "rewrites": []}}' >"$d/firebase.json"
"$W" headers --host firebase --dir "$d" --write >/dev/null
check "firebase --write merges: public and rewrites kept, headers added" python3 -c '
import json,sys; v=json.load(open(sys.argv[1]))["hosting"]
assert v["public"] == "dist" and v["rewrites"] == [] and v["headers"][0]["source"] == "**"' "$d/firebase.json"
printf '{"hosting": [{"target": "a"}, {"target": "b"}]}' >"$d/firebase.json"
"$W" headers --host firebase --dir "$d" --write >/dev/null 2>"$WORK/err.txt"
rc=$?
check "firebase with several targets: exit 2, file untouched" \
  test "$rc|$(cat "$d/firebase.json")" = '2|{"hosting": [{"target": "a"}, {"target": "b"}]}'
printf '{\n  "globalHeaders": {\n    "X-Frame": "1",\n  oops\n}' >"$d/staticwebapp.config.json"
"$W" headers --host azure --dir "$d" --write >/dev/null 2>"$WORK/err.txt"
rc=$?
check "malformed staticwebapp.config.json: exit 2 with line:column, untouched ($(cat "$WORK/err.txt"))" \
  bash -c '[ "$1" = 2 ] && grep -q "staticwebapp.config.json:4:" "$2" && grep -q oops "$3"' _ "$rc" "$WORK/err.txt" "$d/staticwebapp.config.json"

# ---- GitHub Pages: the service worker and the script tag
d="$WORK/w3"
cp -r "$WORK/thr" "$d"
"$W" headers --host github-pages --dir "$d" --write --json | js '[(x["name"], x["action"], x["backup"]) for x in t["written"]]' >"$WORK/o.txt"
check "github-pages --write: the worker created, index.html updated with a backup" \
  test "$(cat "$WORK/o.txt")" = "[('coi-serviceworker.js', 'created', None), ('index.html', 'updated', '$d.webdoctor/index.html.bak')]"
check "the script tag is the first thing in <head>" \
  bash -c 'grep -A1 -m1 "<head>" "$1" | tail -1 | grep -qx "<script src=\"coi-serviceworker.js\"></script>"' _ "$d/index.html"
check "the written worker is the source file" cmp -s "$d/coi-serviceworker.js" "$WD_SOURCE_DIR/src/deploy/coi-serviceworker.js"
"$W" headers --host github-pages --dir "$d" --write --json | js '[x["action"] for x in t["written"]]' >"$WORK/o.txt"
check "github-pages --write again: nothing changes" test "$(cat "$WORK/o.txt")" = "['unchanged', 'unchanged']"
check "the page still has one GODOT_CONFIG and loads the worker once" \
  test "$(grep -c GODOT_CONFIG "$d/index.html")|$(grep -c coi-serviceworker.js "$d/index.html")" = "3|1"
"$W" check "$d" >/dev/null
check "check still reads the page with the script tag" test $? = 0
"$W" headers --host github-pages --dir "$WORK/seed" --json | js '(len(t["files"]), t["service_worker"])' >"$WORK/o.txt"
check "github-pages, no threads: nothing to install" test "$(cat "$WORK/o.txt")" = "(0, False)"

# ---- nothing unpublishable in the deployed folder: every host, written
# three times (threads on, off, on) over files the user had, leaves in the
# export folder only the export and the files the host itself reads there;
# server configuration and every backup are beside it, the first backup is
# the user's original
mkdir -p "$WORK/orig"
cp "$WORK/thr/index.html" "$WORK/orig/"
printf '# mine\n' >"$WORK/orig/_headers"
printf '{"cleanUrls": true}' >"$WORK/orig/vercel.json"
printf '{"hosting": {"public": "."}}' >"$WORK/orig/firebase.json"
printf '{"routes": []}' >"$WORK/orig/staticwebapp.config.json"
printf 'Options -Indexes\n' >"$WORK/orig/.htaccess"
printf '<configuration/>\n' >"$WORK/orig/web.config"
for host in nginx apache caddy lighttpd iis netlify cloudflare vercel firebase azure cloudfront github-pages gitlab-pages; do
  d="$WORK/pub-$host/web"
  mkdir -p "$(dirname "$d")"
  cp -r "$WORK/thr" "$d"
  before="$(cd "$d" && ls -A | sort)"
  cp "$WORK/orig/"* "$WORK/orig/".htaccess "$d/"
  ok=1
  i=0
  for t in --threads --no-threads --threads; do
    i=$((i + 1))
    "$W" headers --host "$host" --dir "$d" $t --write >"$WORK/o$i.txt" 2>&1 || ok=0
  done
  extra="$(cd "$d" && ls -A | sort | comm -13 <(printf '%s\n' "$before") - |
    grep -vxE '_headers|vercel.json|firebase.json|staticwebapp.config.json|\.htaccess|web.config|coi-serviceworker.js')"
  check "$host --write x3: exit 0, nothing else in the deployed folder (${extra//$'\n'/ })" test "$ok|$extra" = "1|"
  case "$host" in
    nginx | caddy | lighttpd | cloudfront)
      n="$(cd "$d.webdoctor" 2>/dev/null && ls | grep -vF .bak)"
      check "$host: the server configuration is beside the export ($n), its path printed" \
        bash -c '[ -n "$1" ] && grep -qF "$2/$1" "$3"' _ "$n" "$d.webdoctor" "$WORK/o1.txt" ;;
    *)
      f="$(cd "$d.webdoctor" 2>/dev/null && ls -A | grep '\.bak$' | head -1)"
      check "$host: the first backup ($f) is the user's original, its path printed" \
        bash -c '[ -n "$1" ] && grep -qF "$2/$1" "$3" && cmp -s "$2/$1" "$4/${1%.bak}"' _ "$f" "$d.webdoctor" "$WORK/o1.txt" "$WORK/orig" ;;
  esac
done

# ---- upload sites: instructions and limits
"$W" headers --host itch --dir "$WORK/thr" --json | js '" ".join(t["steps"] + t["notes"])' >"$WORK/itch.txt"
check "itch: the SharedArrayBuffer option for a threaded export" grep -q '"SharedArrayBuffer support"' "$WORK/itch.txt"
check "itch: the zip layout" grep -q "index.html must be at the top of the zip" "$WORK/itch.txt"
check "itch: the file limits" grep -q "1000 files, 200 MiB per file and 500 MiB" "$WORK/itch.txt"
check "itch: the SharedArrayBuffer option's side effects for a threaded export" \
  grep -q "moves the game to another domain.*Firefox for Android and in the itch desktop app" "$WORK/itch.txt"
"$W" headers --host itch --dir "$WORK/seed" --json | js '" ".join(t["steps"] + t["notes"])' >"$WORK/itch0.txt"
check "itch: no side-effects note without threads" bash -c '! grep -q "moves the game to another domain" "$1"' _ "$WORK/itch0.txt"
"$W" headers --host newgrounds --dir "$WORK/thr" --json | js '" ".join(t["steps"] + t["notes"])' >"$WORK/ng.txt"
check "newgrounds: steps for a threaded export" grep -q "Thread Support off" "$WORK/ng.txt"
big="$WORK/big"
mkdir -p "$big" && cp "$WORK/seed"/* "$big/" && head -c $((26 * 1024 * 1024)) /dev/zero >"$big/index.pck"
"$W" headers --host cloudflare --dir "$big" --json | js '" ".join(t["notes"])' >"$WORK/cf.txt"
check "cloudflare: a 26 MiB .pck is over its 25 MiB limit" grep -q "index.pck is 26.0 MiB: Cloudflare Pages accepts files up to 25.0 MiB" "$WORK/cf.txt"

# ---- a Godot project folder given as --dir: said so, threads read from
# its Web preset, the export folder named from the preset's export_path
p="$WORK/proj"
cp -r "$WD_SOURCE_DIR/examples/seed-project" "$p"
"$W" headers --host nginx --dir "$p" --json >"$WORK/pj.json" 2>"$WORK/err.txt"
rc=$?
check "headers --dir PROJECT: a project, threads from its Web preset, the export folder named (exit $rc)" python3 -c '
import json,sys; t=json.load(open(sys.argv[1])); n=" ".join(t["notes"])
assert (t["threads"], t["threads_from"]) == (False, "preset"), (t["threads"], t["threads_from"])
assert "is a Godot project folder, not an export" in n and "\"Web\"" in n and sys.argv[2] + "/build/web" in n, n
assert "give --dir EXPORT" not in n and "holds no Godot web export" not in n, n' "$WORK/pj.json" "$p"
"$W" headers --host nginx --dir "$p" >"$WORK/pj.txt" 2>&1
check "headers --dir PROJECT (text): export without threads read from the Web preset" \
  grep -q "^nginx: export without threads (read from the Web preset \"Web\"): no COOP/COEP" "$WORK/pj.txt"
sed -i 's|^variant/thread_support=false$|variant/thread_support=true|' "$p/export_presets.cfg"
"$W" headers --host nginx --dir "$p" --json | js '(t["threads"], t["threads_from"])' >"$WORK/o.txt"
check "headers --dir PROJECT with Thread Support on: threads ($(cat "$WORK/o.txt"))" test "$(cat "$WORK/o.txt")" = "(True, 'preset')"
"$W" headers --host netlify --dir "$p" --write >"$WORK/o.txt" 2>"$WORK/err.txt"
rc=$?
check "headers --dir PROJECT --write: exit 2, the export folder named, nothing written ($(cat "$WORK/err.txt"))" \
  bash -c '[ "$1" = 2 ] && grep -qF -- "--dir $2/build/web" "$3" && [ ! -e "$2/_headers" ] && [ ! -e "$2.webdoctor" ]' _ "$rc" "$p" "$WORK/err.txt"

# ---- a host that cannot send COOP/COEP: --threads says so as --list does,
# with check's WD203 words, and names what remains
"$W" headers --list --json >"$WORK/hosts.json"
for host in $(js '" ".join(h["key"] for h in t["hosts"])' <"$WORK/hosts.json"); do
  how="$(js "[h['coop_coep'] for h in t['hosts'] if h['key'] == '$host'][0]" <"$WORK/hosts.json")"
  plan="$("$W" headers --host "$host" --threads --json | js 't["host"]["coop_coep"]')"
  "$W" headers --host "$host" --threads >"$WORK/o.txt"
  if [ "$how" = none ]; then
    ok=$(grep -c "cannot send the cross-origin isolation headers" "$WORK/o.txt")
    on=$(grep -c "COOP/COEP on" "$WORK/o.txt")
    check "$host --threads: --list says $how, the plan $plan: cannot send ($ok), not 'COOP/COEP on' ($on)" \
      test "$plan|$ok|$on" = "$how|1|0"
  else
    check "$host --threads: --list says $how, the plan $plan, COOP/COEP on" \
      bash -c '[ "$1" = "$2" ] && head -1 "$3" | grep -q "COOP/COEP on"' _ "$plan" "$how" "$WORK/o.txt"
  fi
done
"$W" check --host newgrounds --json "$WORK/thr" | js '[f["explanation"] for f in t["findings"] if f["id"] == "WD203"][0]' >"$WORK/wd203.txt"
"$W" headers --host newgrounds --dir "$WORK/thr" --json >"$WORK/ng.json"
check "newgrounds, threaded export: check's WD203 explanation word for word, and the alternatives" python3 -c '
import json,sys; t=json.load(open(sys.argv[1])); why=open(sys.argv[2]).read().strip()
assert why and why in t["notes"], (why, t["notes"])
s=" ".join(t["steps"])
assert "webdoctor fix --strategy nothreads" in s and "Ensure Cross Origin Isolation Headers" in s, s' "$WORK/ng.json" "$WORK/wd203.txt"

# ---- --write with nothing to write says so: no blank lines, exit 0
d="$WORK/nt"
make_seed "$d"
before="$(ls -A "$d")"
"$W" headers --host github-pages --dir "$d" --write >"$WORK/o.txt" 2>&1
rc=$?
check "github-pages --write on an export without threads: exit 0, says nothing needs writing and why, once" \
  bash -c '[ "$1" = 0 ] && [ "$(grep -c "^nothing to write: an export without threads needs no headers on GitHub Pages" "$2")" = 1 ] &&
    [ "$(grep -c "needs no headers" "$2")" = 1 ]' _ "$rc" "$WORK/o.txt"
check "github-pages --write on an export without threads: no run of blank lines, no file written" \
  bash -c '! awk "prev == \"\" && \$0 == \"\" && NR > 1 {bad=1} {prev=\$0} END {exit !bad}" "$1" && [ "$(ls -A "$2")" = "$3" ] && [ ! -e "$2.webdoctor" ]' \
  _ "$WORK/o.txt" "$d" "$before"
"$W" headers --host github-pages --dir "$d" --write --json | js '(t["written"], t["nothing_to_write"])' >"$WORK/o.txt"
check "the same in JSON: written [] and why ($(cat "$WORK/o.txt"))" \
  grep -q "^(\[\], 'an export without threads needs no headers on GitHub Pages" "$WORK/o.txt"

# ---- the service worker (embedded by the build) is valid JavaScript
node --check "$WD_SOURCE_DIR/src/deploy/coi-serviceworker.js" 2>"$WORK/err.txt"
check "the service worker is valid JavaScript" test $? = 0

summary
