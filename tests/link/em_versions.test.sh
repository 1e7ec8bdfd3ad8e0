#!/usr/bin/env bash
# webdoctor's link predictions against the committed reference results of
# every Emscripten-version fixture set (tests/fixtures/em-<version>/, run
# through their own glue in Node, Chromium, Firefox ESR and jsc and recorded
# in tests/oracle/expected/em-<version>/; tests/oracle/em_versions_oracle
# checks those results against the live engines): byte for byte, success with
# success, every case of every version.
set -uo pipefail
src="${WD_SOURCE_DIR:?}"
passed=0 failed=0 sets=0
for d in "$src"/tests/fixtures/em-[0-9]*/; do
  [ -f "$d/cases.json" ] || continue
  name="$(basename "$d")"
  exp="$src/tests/oracle/expected/$name"
  results=()
  for e in node chromium firefox jsc; do [ -f "$exp/$e.json" ] && results+=("$exp/$e.json"); done
  if [ "${#results[@]}" -eq 0 ]; then
    echo "FAIL $name: no reference results in tests/oracle/expected/$name"
    failed=$((failed + 1))
    continue
  fi
  sets=$((sets + 1))
  python3 "$src/tests/link/oracle_compare.py" "${WEBDOCTOR:?}" "$d" "${results[@]}" >"${TMPDIR:-/tmp}/wd-em-$$.log" 2>&1
  grep -v '^[0-9]* passed, [0-9]* failed$' "${TMPDIR:-/tmp}/wd-em-$$.log" | sed "s/^/$name: /"
  last="$(tail -n1 "${TMPDIR:-/tmp}/wd-em-$$.log")"
  p="$(echo "$last" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1/p')"
  f="$(echo "$last" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\2/p')"
  rm -f "${TMPDIR:-/tmp}/wd-em-$$.log"
  if [ -z "$p" ]; then echo "FAIL $name: no summary"; failed=$((failed + 1)); continue; fi
  passed=$((passed + p)); failed=$((failed + f))
done
[ "$sets" -gt 0 ] || { echo "FAIL no fixture set tests/fixtures/em-<version>"; failed=$((failed + 1)); }
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
