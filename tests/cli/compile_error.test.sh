#!/usr/bin/env bash
# The browsers' CompileError under check's WD100 and link's error is the one
# inspect shows for the same file (compile_error_oracle.test.sh compares
# inspect's lines with the engines themselves), and the cut module of the
# README's failure gets at least Chrome's text.
set -uo pipefail
W="$(realpath "${WEBDOCTOR:?}")"
src="$(realpath "${WD_SOURCE_DIR:?}")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
mods=()
while IFS= read -r -d '' f; do mods+=("$f"); done < <(find "$src/tests/fixtures/wasm" -name '*.wasm' -print0 | sort -z)
python3 "$src/tests/cli/badmodules.py" "$tmp/in" 40 "${mods[@]}" >/dev/null
with=0
for f in "$tmp"/in/*.wasm; do
  n="$(basename "$f")"
  "$W" inspect "$f" 2>&1 >/dev/null | grep '^    ' | grep -v '^    Node 20' >"$tmp/inspect.txt"
  rm -rf "$tmp/exp"; cp -r "$src/examples/seed-export" "$tmp/exp"; cp "$f" "$tmp/exp/index.wasm"
  "$W" check --color never "$tmp/exp" | sed -n '/error\[WD100\]/,/^    [A-Z][a-z]* reject/p' | grep -E '^    (Chrome|Firefox|Safari)' >"$tmp/check.txt"
  "$W" link "$f" "$src/tests/fixtures/wasm/side_nothreads.wasm" 2>&1 >/dev/null | grep '^    ' | grep -v '^    Node 20' >"$tmp/link.txt"
  [ -s "$tmp/inspect.txt" ] && with=$((with + 1))
  if cmp -s "$tmp/inspect.txt" "$tmp/check.txt" && cmp -s "$tmp/inspect.txt" "$tmp/link.txt"; then pass=$((pass + 1))
  else fail=$((fail + 1)); echo "FAIL: $n"; diff "$tmp/inspect.txt" "$tmp/check.txt"; diff "$tmp/inspect.txt" "$tmp/link.txt"; fi
done
# the file of the README's failure: a code section cut short
head -c 5000 "$src/examples/seed-export/index.wasm" >"$tmp/cut.wasm"
"$W" inspect "$tmp/cut.wasm" 2>"$tmp/cut.err"
if grep -q '^    Chrome 156 (V8): CompileError: WebAssembly.instantiate(): section (code 10, "Code") extends past end of the module (length [0-9]*, remaining bytes 3872) @+' "$tmp/cut.err"; then
  pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: no Chrome text for a cut code section"; fi
if [ "$with" -lt 10 ]; then fail=$((fail + 1)); echo "FAIL: only $with inputs have a prediction"; fi
echo "$with of $(ls "$tmp/in" | wc -l) mangled modules have predictions"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
