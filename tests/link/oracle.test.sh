#!/usr/bin/env bash
# webdoctor's link predictions against the real engines, live: run every
# fixture case in Node 20, Chromium, Firefox ESR and jsc (tests/oracle), then
# require byte-for-byte agreement for every case in every engine.
set -euo pipefail
src="${WD_SOURCE_DIR:?}"
out="${WD_BUILD_DIR:?}/oracle-results"
rm -rf "$out"
mkdir -p "$out"
"$src/tests/oracle/run-all" "$out" >/dev/null
exec python3 "$src/tests/link/oracle_compare.py" "${WEBDOCTOR:?}" "$src/tests/fixtures" \
  "$out/node.json" "$out/chromium.json" "$out/firefox.json" "$out/jsc.json"
