#!/usr/bin/env bash
# Every finding of `webdoctor check`, produced from real inputs (fixtures,
# samples, the real Godot export of the npm corpus).
set -euo pipefail
src="${WD_SOURCE_DIR:?}"
"$src/tests/corpus/fetch" >/dev/null
exec python3 "$src/tests/check/check_findings.py" "${WEBDOCTOR:?}" "$src"
