#!/usr/bin/env bash
# webdoctor serve over HTTP on 127.0.0.1 (tests/serve/http_test.py): headers,
# types, precompressed copies, validators, ranges, folders, injection, the
# access log, signals, TLS, usage errors.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="${WD_SOURCE_DIR:-$(cd "$here/../.." && pwd)}"
exec timeout -k 5 110 python3 "$here/http_test.py" "${WEBDOCTOR:?}" "$src"
