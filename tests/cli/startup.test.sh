#!/usr/bin/env bash
# The commands do not load the libraries they do not use: libcurl (probe),
# libmicrohttpd and GnuTLS (serve) and libzip (.zip input) are not among the
# program's needed libraries, an inspect or a check of a folder maps none
# of them, and probe and a check of a .zip load theirs when they run.
set -euo pipefail
src="${WD_SOURCE_DIR:?}"
wd="${WEBDOCTOR:?}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
. "$src/tests/lib/tally.sh"
net='libcurl|libmicrohttpd|libgnutls|libzip'

needed="$(readelf -d "$wd" | grep NEEDED || true)"
if [ -n "$needed" ] && ! grep -Eq "$net" <<<"$needed"; then ok
else ko "the program needs a library only some commands use: $needed"; fi

# what the dynamic loader opened, for one run (LD_DEBUG=files)
opened() { LD_DEBUG=files LD_DEBUG_OUTPUT="$tmp/ld" "$@" >/dev/null 2>&1 || true; cat "$tmp"/ld.* ; rm -f "$tmp"/ld.*; }
for cmd in "inspect $src/examples/seed-export/index.wasm" "inspect --json $src/examples/seed-export/index.wasm" \
           "check $src/examples/seed-export" "link $src/examples/seed-export/index.wasm" "serve --help" "probe --help"; do
  # shellcheck disable=SC2086
  libs="$(opened "$wd" $cmd | grep -Eo 'file=[^ ]+' | sort -u)"
  if [ -n "$libs" ] && ! grep -Eq "$net" <<<"$libs"; then ok
  else ko "webdoctor $cmd loads a library it does not use: $(grep -E "$net" <<<"$libs" | tr '\n' ' ')"; fi
done
python3 - "$src/examples/seed-export" "$tmp/export.zip" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as z:
    for n in sorted(os.listdir(sys.argv[1])):
        z.write(os.path.join(sys.argv[1], n), n)
PY
if opened "$wd" check "$tmp/export.zip" | grep -q 'file=libzip'; then ok
else ko "check of a .zip did not load libzip"; fi
# probe loads libcurl when it runs (nothing listens on port 9 of 127.0.0.1)
if opened "$wd" probe --timeout 2 --connect-timeout 2 http://127.0.0.1:9/ | grep -q 'file=libcurl'; then ok
else ko "probe did not load libcurl"; fi

tally
