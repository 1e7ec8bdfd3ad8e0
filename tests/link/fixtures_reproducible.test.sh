#!/usr/bin/env bash
# The committed fixtures are what Debian's Emscripten builds from their sources.
set -euo pipefail
exec "${WD_SOURCE_DIR:?}/tests/fixtures/check-reproducible.sh"
