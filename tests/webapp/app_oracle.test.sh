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
. "${WD_SOURCE_DIR:?}/tests/webapp/suite.sh" webdoctor.wasm index.html
artifacts="$build/artifacts/webapp"
browser_npm_ci "$here" puppeteer-core axe-core
browser_real_export
browser_scratch wd-webapp
mkdir -p "$artifacts"

lib="liblimboai.web.template_release.wasm32.wasm"
webapp_zip "$src/examples/seed-export" "$tmp/seed-export.zip"
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
webapp_expect seed-export pick "$src/examples/seed-export" languages screenshot
webapp_expect seed-export-zip pick-zip "$tmp/seed-export.zip"
webapp_expect truncated-zip pick-zip "$tmp/truncated.zip"
webapp_expect nothreads-export pick "$tmp/nothreads-export"
webapp_expect seed-project pick "$src/examples/seed-project" project screenshot languages
webapp_expect godot-export pick "$real" timed
webapp_expect seed-export-drop drop "$src/examples/seed-export"
webapp_expect seed-export-loose-drop drop "$src/examples/seed-export" loose
webapp_expect seed-export-zip-drop drop "$tmp/seed-export.zip"
webapp_expect zip-unnamed-drop drop "$tmp/seed-export-download"
webapp_expect many-export-drop drop "$tmp/many-export" nested
webapp_expect seed-project-drop drop "$src/examples/seed-project" project nested
webapp_cases

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
browser_start "$wd" serve --app --port 0 -q --color=never >"$tmp/serve-app.log" 2>&1
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
browser_stop
browser_start "$wd" serve "$src/examples/seed-export" --port 0 -q --no-check --color=never >"$tmp/serve-dir.log" 2>&1
if url="$(serve_url "$tmp/serve-dir.log")"; then
  r=0; { curl -fsS -D "$tmp/h.txt" "${url}__webdoctor/app/" -o "$tmp/index2.html" &&
    cmp -s "$tmp/index2.html" "$app/index.html" && grep -qi "^content-security-policy: default-src 'none'" "$tmp/h.txt"; } || r=1
  sok $r "serve DIR carries the app at /__webdoctor/app/, with its CSP"
  r=0; { curl -fsS "${url}__webdoctor/diagnose.js" -o "$tmp/diagnose.js" && grep -q "/__webdoctor/app/" "$tmp/diagnose.js"; } || r=1
  sok $r "the overlay's script links to the app"
else
  sok 1 "serve DIR starts and prints its URL"
fi
browser_stop
echo "$serve_pass passed, $serve_fail failed" >"$tmp/serve.out"

for browser in chromium firefox; do
  TMPDIR="$tmp" HOME="$tmp" WEBDOCTOR="$wd" browser_run 170 node "$here/app.js" "$browser" "$app" "$tmp/cases.json" \
    "$artifacts" >"$tmp/$browser.out" 2>"$tmp/$browser.err" || true
  grep -v '^[0-9]* passed, [0-9]* failed$' "$tmp/$browser.out" || true
  [ -s "$tmp/$browser.err" ] && sed 's/^/# /' "$tmp/$browser.err" | head -20
done
browser_total "$tmp/serve.out" "$tmp/chromium.out" "$tmp/firefox.out"
