#!/usr/bin/env bash
# The false-positive gate on real software: npm packages built with recent
# Emscripten whose own loader loads side modules. Each package's loader runs
# in Node (the ground truth) and `webdoctor link` must agree: every
# combination that loads is predicted to load, and derived failures (the
# side module's memory import re-encoded with the other shared flag; a
# function import pointed at a main-module export of another signature)
# get Node's exact text.
set -euo pipefail
src="${WD_SOURCE_DIR:?}"
"$src/tests/corpus/fetch" >/dev/null
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
exec python3 "$src/tests/link/npm_gate.py" "${WEBDOCTOR:?}" "$src/tests/corpus/npm" "$src/tests/link" "$tmp"
