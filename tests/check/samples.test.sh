#!/usr/bin/env bash
# The committed samples are what examples/build.sh makes from the fixtures.
set -euo pipefail
src="${WD_SOURCE_DIR:?}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$src/examples/build.sh" "$tmp" >/dev/null
for d in seed-export seed-project; do
  diff -r "$src/examples/$d" "$tmp/$d"
done
echo "1 passed, 0 failed"
