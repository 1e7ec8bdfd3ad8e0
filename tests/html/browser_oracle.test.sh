#!/usr/bin/env bash
# The HTML report in a real browser: Debian's Chromium driven by
# playwright-core (tests/html/browser.js), inside a loopback-only network
# namespace (and a PID namespace: no browser outlives the test).
#
# Reports of the seed export (the LinkError), the seed project, the real
# Godot 4 export from the npm corpus (clean), and an export whose extension
# and folder have hostile names. Screenshots go to
# $WD_BUILD_DIR/artifacts/html/ (seed-export.png, godot-export.png, ...).
#
# Env: WEBDOCTOR, WD_SOURCE_DIR, WD_BUILD_DIR (set by ctest).
set -euo pipefail
src="${WD_SOURCE_DIR:?}"
wd="${WEBDOCTOR:?}"
build="${WD_BUILD_DIR:?}"
here="$src/tests/html"
artifacts="$build/artifacts/html"

. "$src/tests/lib/browser.sh"
browser_require "${WD_CHROMIUM:-/usr/bin/chromium}" scripts/deps/html.txt
browser_npm_ci "$here" playwright-core axe-core
browser_real_export
browser_scratch wd-html
mkdir -p "$artifacts"

lib="liblimboai.web.template_release.wasm32.wasm"
# a name with markup, quotes and an ampersand (no '/': it is a file name)
evil_lib="lib<script>alert(1)<\\script><img src=x onerror=alert(2)>&amp;\"q'.wasm"
evil_dir="$tmp/export <b>&\"it's\""
cp -r "$src/examples/seed-export" "$evil_dir"
mv "$evil_dir/$lib" "$evil_dir/$evil_lib"
EVIL="$evil_lib" LIB="$lib" python3 - "$evil_dir/index.html" <<'EOF'
import json, os, sys
p = sys.argv[1]
s = open(p, encoding='utf-8').read()
old = json.dumps(os.environ['LIB'])
assert old in s
open(p, 'w', encoding='utf-8').write(s.replace(old, json.dumps(os.environ['EVIL'])))
EOF

# two extensions, one with threads (fails) and one without (loads): the bus
two="$tmp/two-extensions"
cp -r "$src/examples/seed-export" "$two"
cp "$src/examples/seed-project/addons/limboai/bin/liblimboai.web.template_release.wasm32.nothreads.wasm" "$two/libnothreads.wasm"
LIB="$lib" python3 - "$two/index.html" "$(stat -c %s "$two/libnothreads.wasm")" <<'EOF'
import json, os, sys
p, size = sys.argv[1], int(sys.argv[2])
s = open(p, encoding='utf-8').read()
lib = os.environ['LIB']
old_libs = '"gdextensionLibs":[%s]' % json.dumps(lib)
lib_size = os.path.getsize(os.path.join(os.path.dirname(p), lib))
old_size = '%s:%d}' % (json.dumps(lib), lib_size)
assert old_libs in s and old_size in s
s = s.replace(old_libs, '"gdextensionLibs":[%s,"libnothreads.wasm"]' % json.dumps(lib))
s = s.replace(old_size, '%s:%d,"libnothreads.wasm":%d}' % (json.dumps(lib), lib_size, size))
open(p, 'w', encoding='utf-8').write(s)
EOF

report() { # name dir
  local rc=0
  "$wd" check --html "$tmp/$1.html" --json "$2" >"$tmp/$1.json" || rc=$?
  [ "$rc" -le 1 ] || fail "webdoctor check --html $2 exited $rc"
}
report seed-export "$src/examples/seed-export"
report seed-project "$src/examples/seed-project"
report godot-export "$real"
report hostile-names "$evil_dir"
report two-extensions "$two"

EVIL="$evil_lib" LIB="$lib" TMP="$tmp" python3 - >"$tmp/cases.json" <<'EOF'
import json, os
t, lib, evil = os.environ['TMP'], os.environ['LIB'], os.environ['EVIL']
export = [["page", "index.html"], ["glue", "index.js"], ["main", "index.wasm"], ["engine-side", "index.side.wasm"]]
def case(name, nodes, fail_to, columns=0, malicious=None, screenshot=False, raw=0):
    return {"name": name, "html": f"{t}/{name}.html", "check": f"{t}/{name}.json",
            "expect": {"nodes": nodes, "fail_to": fail_to, "columns": columns, "malicious": malicious,
                       "screenshot": screenshot, "raw_facts": raw}}
print(json.dumps([
    case("seed-export", export + [["extension", lib]], lib, columns=2, screenshot=True, raw=3),
    case("godot-export", export[:3], None, screenshot=True, raw=1),
    case("seed-project", [["preset", "Web"], ["template", "web_dlink_nothreads_release.zip"], ["extension", lib]],
         lib, columns=2, screenshot=True, raw=1),
    case("hostile-names", export + [["extension", evil]], evil, columns=2, malicious=evil, raw=3),
    case("two-extensions", export + [["extension", lib], ["extension", "libnothreads.wasm"]], lib, columns=2,
         screenshot=True, raw=4),
]))
EOF

# The browser and the driver in a fresh network namespace with only
# loopback up, and a PID namespace that dies with the driver.
rc=0
TMPDIR="$tmp" browser_run 85 node "$here/browser.js" "$artifacts" "$tmp/cases.json" || rc=$?
exit "$rc"
