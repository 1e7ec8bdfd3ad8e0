#!/usr/bin/env bash
# The Emscripten-version fixtures (tests/fixtures/em-3.1.64, em-4.0.10,
# em-4.0.20) in Node 20, Chromium, Firefox ESR and jsc, each through its own
# real glue: every case of the suite (marked "suite" in cases.json; run-em
# without --suite runs them all) must give exactly the committed reference result
# (tests/oracle/expected/em-<version>/), error texts byte for byte, and all
# four engines must agree on outcome, stage and module.
set -euo pipefail
src="${WD_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
out="${WD_BUILD_DIR:-$(mktemp -d)}/oracle-em-results"
rm -rf "$out"
mkdir -p "$out"
status=0
"$src/tests/oracle/run-em" --suite "$out" || status=1
passed=0 failed=0
for d in "$src"/tests/fixtures/em-[0-9]*/; do
  [ -f "$d/cases.json" ] || continue
  name="$(basename "$d")"
  node "$src/tests/oracle/drivers/expect.js" "$d" "$src/tests/oracle/expected/$name" "$out/$name" --suite >"$out/$name.log" 2>&1 || true
  grep -v '^PASS ' "$out/$name.log" || true
  last="$(tail -n1 "$out/$name.log")"
  p="$(echo "$last" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1/p')"
  f="$(echo "$last" | sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\2/p')"
  if [ -z "$p" ]; then
    echo "FAIL $name: no summary line from expect.js"
    failed=$((failed + 1))
  else
    passed=$((passed + p)); failed=$((failed + f))
  fi
done
[ "$status" -eq 0 ] || { echo "FAIL an engine run failed (see above)"; failed=$((failed + 1)); }
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
