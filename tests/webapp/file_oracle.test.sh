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
. "${WD_SOURCE_DIR:?}/tests/webapp/suite.sh" worker-bundle.js index.html
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

webapp_zip "$src/examples/seed-export" "$tmp/seed-export.zip"

# what the CLI says about each input, in English and in Chinese
expect_lang=zh_CN
webapp_expect seed-export pick "$src/examples/seed-export" languages fixes=WD101
webapp_expect seed-export-zip pick-zip "$tmp/seed-export.zip" fixes=WD101
webapp_expect godot-export pick "$real"
webapp_cases
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
browser_total "$tmp/chromium.out" "$tmp/firefox.out"
