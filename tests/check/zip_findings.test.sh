#!/usr/bin/env bash
# WD213-WD216 and damaged zips, from real zips of the sample export.
set -euo pipefail
src="${WD_SOURCE_DIR:?}"
exec python3 "$src/tests/check/zip_findings.py" "${WEBDOCTOR:?}" "$src"
