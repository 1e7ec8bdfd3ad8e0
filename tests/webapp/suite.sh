# What the web app's browser suites (app_oracle.test.sh, file_oracle.test.sh)
# share: sourced first (after `set -euo pipefail`) as
#
#   . "${WD_SOURCE_DIR:?}/tests/webapp/suite.sh" FILE...
#
# it sets src, wd (the webdoctor binary), build, here (this folder) and app
# (the built web app), sources tests/lib/browser.sh, needs root, the network
# namespace tools, node, python3, Chromium and Firefox ESR, and each FILE in
# the built app. Then, after browser_scratch:
#
#   webapp_zip DIR OUT          DIR's files zipped as Godot's "Export as .zip"
#                               does (files at the top)
#   webapp_expect NAME PICK PATH [FLAG...]
#                               a line of $tmp/cases.jsonl: NAME, how the page
#                               gets PATH (PICK: pick, pick-zip, drop), the
#                               verdict and finding IDs of `webdoctor check
#                               --json PATH` (with --lang=$expect_lang when it
#                               is set), and each FLAG as true, but
#                               fixes=WDxxx: that finding's fixes' text in
#                               English and in the language ("fixes")
#   webapp_cases                $tmp/cases.json: the cases so far, a list
#
# Env: WEBDOCTOR, WD_SOURCE_DIR, WD_BUILD_DIR (set by ctest).

src="${WD_SOURCE_DIR:?}"
wd="${WEBDOCTOR:?}"
build="${WD_BUILD_DIR:?}"
here="$src/tests/webapp"
app="$build/web-app"

. "$src/tests/lib/browser.sh"
deps=scripts/deps/webapp.txt
browser_require node $deps python3 $deps "${WD_CHROMIUM:-/usr/bin/chromium}" $deps \
  "${WD_FIREFOX:-/usr/bin/firefox-esr}" $deps
for built in "$@"; do
  [ -f "$app/$built" ] || fail "the web app is not built: cmake --build $build --target web"
done

webapp_zip() {
  python3 - "$1" "$2" <<'PY'
import os, sys, zipfile
d, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    for n in sorted(os.listdir(d)):
        z.write(os.path.join(d, n), n)
PY
}

webapp_expect() {
  local name="$1" pick="$2" path="$3" rc=0
  shift 3
  "$wd" ${expect_lang:+--lang="$expect_lang"} check --json "$path" >"$tmp/$name.json" || rc=$?
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

webapp_cases() {
  python3 -c 'import json,sys; print(json.dumps([json.loads(l) for l in open(sys.argv[1])]))' \
    "$tmp/cases.jsonl" >"$tmp/cases.json"
}
