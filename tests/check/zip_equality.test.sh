#!/usr/bin/env bash
# `check game.zip` finds exactly what `check game/` finds, for every export
# the check suites use, zipped by Info-ZIP's zip and by Python's zipfile.
set -euo pipefail
src="${WD_SOURCE_DIR:?}"
"$src/tests/corpus/fetch" >/dev/null
exec python3 "$src/tests/check/zip_equality.py" "${WEBDOCTOR:?}" "$src"
