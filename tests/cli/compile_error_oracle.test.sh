#!/usr/bin/env bash
# The CompileError predictions (src/link/compile_error.c, shown under
# `webdoctor inspect`'s error and check's WD100) against the real engines,
# byte for byte: cut and mangled copies of every fixture module
# (tests/cli/badmodules.py), plus an empty file, compiled by Node 20, jsc,
# Chromium and Firefox ESR (tests/oracle/compile/engines.js; the browsers in
# a loopback-only network namespace). A prediction that differs from the
# engine's text fails; a module with no prediction for an engine is counted,
# not failed (the predictor says nothing it has not measured); a prediction
# for a module that compiles fails.
set -uo pipefail
W="$(realpath "${WEBDOCTOR:?}")"
src="$(realpath "${WD_SOURCE_DIR:?}")"
tmp="$(mktemp -d)"
export WD_ORACLE_TMP="$tmp"
trap 'rm -rf "$tmp"' EXIT
oracle="$src/tests/oracle"
[ -d "$oracle/node_modules/playwright-core" ] || { echo "tests/oracle/node_modules missing (scripts/setup)"; echo "0 passed, 1 failed"; exit 1; }

mods=()
while IFS= read -r -d '' f; do mods+=("$f"); done < <(find "$src/tests/fixtures/wasm" -name '*.wasm' -print0 | sort -z)
echo "inputs: $(python3 "$src/tests/cli/badmodules.py" "$tmp/in" "${WD_COMPILE_ORACLE_MAX:-160}" "${mods[@]}")"
: >"$tmp/in/empty.wasm"
printf '\0asm\1' >"$tmp/in/cut5.wasm"

fail=0
for e in node jsc; do
  (cd "$oracle" && node compile/engines.js "$e" "$tmp/in" "$tmp/$e.json") || { echo "FAIL: $e did not run"; fail=$((fail + 1)); }
done
for e in chromium firefox; do
  (cd "$oracle" && unshare --net --pid --fork --kill-child sh -c 'ip link set lo up && exec "$@"' _ \
     node compile/engines.js "$e" "$tmp/in" "$tmp/$e.json") || { echo "FAIL: $e did not run"; fail=$((fail + 1)); }
done

# the predictions: the lines under inspect's error, per engine
for f in "$tmp"/in/*.wasm; do
  printf '%s\t' "$(basename "$f")"
  "$W" inspect "$f" 2>&1 >/dev/null | grep '^    ' | sed 's/^    //' | tr '\n' '\001'
  echo
done >"$tmp/predicted.tsv"

python3 - "$tmp" "$fail" <<'PY'
import json, sys
tmp, failed = sys.argv[1], int(sys.argv[2])
engines = {"node": "Node 20 (V8 11.3)", "chromium": "Chrome 156 (V8)", "firefox": "Firefox 153 (SpiderMonkey)",
           "jsc": "Safari (JavaScriptCore)"}
measured = {}
for e in engines:
    try:
        measured[e] = json.load(open(f"{tmp}/{e}.json"))
    except OSError:
        measured[e] = None
pred = {}
for line in open(f"{tmp}/predicted.tsv", encoding="utf-8"):
    name, _, rest = line.rstrip("\n").partition("\t")
    pred[name] = {}
    for l in filter(None, rest.split("\x01")):
        who, _, text = l.partition(": ")
        pred[name][who] = text
passed = 0
for e, label in engines.items():
    m = measured[e]
    if m is None:
        continue
    same = differ = silent = 0
    for name, real in sorted(m["results"].items()):
        p = pred.get(name, {}).get(label)
        if p is None:
            if real and real.startswith("CompileError"):
                silent += 1
            continue
        if p == real:
            same += 1
            passed += 1
        else:
            differ += 1
            failed += 1
            print(f"FAIL: {e} {name}\n  predicted {p}\n  measured  {real}")
    print(f"{e} ({m['engine_version']}): {same} predictions equal the engine's text, {differ} differ, "
          f"{silent} CompileErrors with no prediction")
    if same == 0:
        failed += 1
        print(f"FAIL: no prediction at all for {e}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
