#!/usr/bin/env bash
# The web app opened from disk: a copy of build/web-app in a temporary
# folder, opened as file://…/index.html with no server at all, in Debian's
# Chromium and Firefox ESR, headless, driven by puppeteer-core
# (tests/webapp/file.js) inside a loopback-only network namespace (and a PID
# namespace: no browser outlives the test).
#
# Inputs, given through the page's pickers: the seed export (WD101, whose
# two fixes must be in the report in English and in Chinese), a zip of it,
# and the real Godot 4 export of the npm corpus (37.7 MB engine). For each,
# the verdict and the finding IDs must equal `webdoctor check --json` on the
# same input. The browser must report no network request. The page's own
# texts, and its failure without worker-bundle.js, must be po/zh_CN.po's
# msgstr in Chinese.
#
# Env: WEBDOCTOR, WD_SOURCE_DIR, WD_BUILD_DIR (set by ctest).
set -euo pipefail
src="${WD_SOURCE_DIR:?}"
wd="${WEBDOCTOR:?}"
build="${WD_BUILD_DIR:?}"
here="$src/tests/webapp"
app="$build/web-app"

. "$src/tests/lib/browser.sh"
deps=scripts/deps/webapp.txt
browser_require node $deps python3 $deps "${WD_CHROMIUM:-/usr/bin/chromium}" $deps \
  "${WD_FIREFOX:-/usr/bin/firefox-esr}" $deps
[ -f "$app/worker-bundle.js" ] && [ -f "$app/index.html" ] ||
  fail "the web app is not built: cmake --build $build --target web"
browser_npm_ci "$here" puppeteer-core
browser_real_export
browser_scratch wd-file

# the page as a person would have it: the built folder copied elsewhere;
# a copy with only what a page opened from disk needs, and one without it
cp -r "$app" "$tmp/webdoctor app"
cp -r "$app" "$tmp/bundle-only"
rm "$tmp/bundle-only/worker.js" "$tmp/bundle-only/webdoctor.js" "$tmp/bundle-only/webdoctor.wasm"
cp -r "$app" "$tmp/no-bundle"
rm "$tmp/no-bundle/worker-bundle.js"

# the seed export zipped as Godot's "Export as .zip" does (files at the top)
python3 - "$src/examples/seed-export" "$tmp/seed-export.zip" <<'PY'
import os, sys, zipfile
d, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    for n in sorted(os.listdir(d)):
        z.write(os.path.join(d, n), n)
PY

# what the CLI says about each input, in English and in Chinese
expect() { # name pick path [flags...]
  local name="$1" pick="$2" path="$3" rc=0
  shift 3
  "$wd" --lang=zh_CN check --json "$path" >"$tmp/$name.json" || rc=$?
  [ "$rc" -le 1 ] || fail "webdoctor check --json $path exited $rc"
  python3 - "$tmp/$name.json" "$name" "$pick" "$path" "$@" >>"$tmp/cases.jsonl" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
name, pick, path, flags = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
s = doc["summary"]
status = "errors" if s["errors"] else "warnings" if s["warnings"] else "ok"
case = {"name": name, "pick": pick, "path": path, "status": status,
        "ids": [f["id"] for f in doc["findings"]], "fixes": {}}
for flag in flags:
    if flag.startswith("fixes="):
        want = flag[len("fixes="):]
        found = [f for f in doc["findings"] if f["id"] == want]
        if not found or len(found[0]["fixes"]) < 2:
            sys.exit(f"check --json on {path} has no {want} with two fixes")
        fixes = found[0]["fixes"]
        case["fixes"][want] = {"en": [x["text"] for x in fixes],
                               "zh_CN": [x.get("text_localized", x["text"]) for x in fixes]}
    else:
        case[flag] = True
print(json.dumps(case))
PY
}
expect seed-export pick "$src/examples/seed-export" languages fixes=WD101
expect seed-export-zip pick-zip "$tmp/seed-export.zip" fixes=WD101
expect godot-export pick "$real"
python3 -c 'import json,sys; print(json.dumps([json.loads(l) for l in open(sys.argv[1])]))' \
  "$tmp/cases.jsonl" >"$tmp/cases.json"
# the page's words in Chinese, straight from po/zh_CN.po (not from the
# build's catalogue.js): msgid -> msgstr
msgfmt --output-file="$tmp/zh_CN.mo" "$src/po/zh_CN.po" || fail "msgfmt po/zh_CN.po"
python3 - "$tmp/zh_CN.mo" >"$tmp/po.json" <<'PY' || fail "cannot read po/zh_CN.po's messages"
import gettext, json, sys
with open(sys.argv[1], "rb") as f:
    t = gettext.GNUTranslations(f)
print(json.dumps({k: v for k, v in t._catalog.items() if isinstance(k, str) and k}, ensure_ascii=False))
PY

for browser in chromium firefox; do
  start=$(date +%s%N)
  TMPDIR="$tmp" HOME="$tmp" browser_run 120 node "$here/file.js" "$browser" "$tmp/webdoctor app" \
    "$tmp/bundle-only" "$tmp/no-bundle" "$tmp/cases.json" "$tmp/po.json" >"$tmp/$browser.out" 2>"$tmp/$browser.err" || true
  grep -v '^[0-9]* passed, [0-9]* failed$' "$tmp/$browser.out" || true
  echo "# $browser: $(( ($(date +%s%N) - start) / 1000000 )) ms"
  [ -s "$tmp/$browser.err" ] && sed 's/^/# /' "$tmp/$browser.err" | head -20
done
python3 - "$tmp/chromium.out" "$tmp/firefox.out" <<'PY'
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
