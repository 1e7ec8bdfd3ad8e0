#!/usr/bin/env bash
# check's advice is fix's plan: tests/check/advice_vs_fix.py on every project sample.
set -u
exec python3 "$(dirname "$0")/advice_vs_fix.py" "${WEBDOCTOR:?}" "${WD_SOURCE_DIR:?}"
