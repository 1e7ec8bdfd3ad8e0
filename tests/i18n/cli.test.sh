#!/usr/bin/env bash
# webdoctor in Simplified Chinese, end to end (tests/i18n/cli_zh.py).
set -euo pipefail
exec python3 "${WD_SOURCE_DIR:?}/tests/i18n/cli_zh.py" "${WEBDOCTOR:?}" "$WD_SOURCE_DIR"
