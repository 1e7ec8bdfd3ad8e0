#!/usr/bin/env bash
# webdoctor serve in real headless Chromium (tests/serve/browser.js): the
# threaded sample is cross-origin isolated and loads, the same folder on a
# plain server is not, the seed failure shows the diagnosis overlay with the
# right text (English and Chinese). Chromium and every server run inside a
# loopback-only network namespace that is also a PID namespace, so nothing
# outlives the run. Screenshots: $WD_BUILD_DIR/artifacts/serve/*.png.
# ("oracle" in the name: run serially, and not in the sanitizer build.)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="${WD_SOURCE_DIR:-$(cd "$here/../.." && pwd)}"
build="${WD_BUILD_DIR:-$src/build}"
wd="${WEBDOCTOR:-$build/webdoctor}"
artifacts="$build/artifacts/serve"
if [ "$(id -u)" -ne 0 ]; then
  echo "serve browser tests: need root for a loopback-only network namespace (unshare --net)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2)
fi
mkdir -p "$artifacts"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/wd-serve-XXXXXX")"
export WD_SERVE_TMP="$tmp"
unshare --net --pid --fork --kill-child sh -c 'ip link set lo up && exec "$@"' _ \
  timeout -k 5 100 node "$here/browser.js" "$wd" "$src" "$artifacts" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
wait "$child"
