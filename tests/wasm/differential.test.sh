#!/usr/bin/env bash
# The reader against wabt's wasm-objdump on every real module we have: the
# Emscripten-built fixtures and the npm corpus (tests/corpus/fetch).
set -euo pipefail
src="${WD_SOURCE_DIR:?}"
"$src/tests/corpus/fetch" >/dev/null
files=()
while read -r rel; do
  [ -z "$rel" ] || [ "${rel#\#}" != "$rel" ] && continue
  files+=("$src/tests/corpus/npm/$rel")
done < "$src/tests/corpus/modules.txt"
while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$src/tests/fixtures" -name '*.wasm' -print0 | sort -z)
[ "${#files[@]}" -ge 5 ] || { echo "too few modules (${#files[@]})" >&2; exit 1; }
exec python3 "$src/tests/wasm/objdump_diff.py" "${WEBDOCTOR:?}" "${files[@]}"
