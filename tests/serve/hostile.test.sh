#!/usr/bin/env bash
# webdoctor serve against hostile requests (tests/serve/hostile.py): traversal
# paths in every spelling, symlinks out of the root, absolute URIs, malformed
# and oversized requests. Zero escapes, zero crashes. Runs in the sanitizer
# build too, where any memory error is a crash.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec timeout -k 5 110 python3 "$here/hostile.py" "${WEBDOCTOR:?}"
