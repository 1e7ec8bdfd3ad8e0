#!/usr/bin/env bash
# Every command on bad input: truncated and mangled modules (tests/cli/
# badmodules.py over every fixture module, sampled deterministically), empty
# files, a directory given as a file, a file given as a folder, unreadable
# paths, FIFOs, symlink loops, paths too long, names with control characters
# and invalid UTF-8. Each run must end without a signal (ASan/UBSan reports
# abort, so they count as signals), exit 0, 1 (findings) or 2, and when it
# refuses (2) say so in one "webdoctor:" line on stderr that names the file
# (control characters escaped) and, for a module the reader rejects, the
# offset.
#
# Unreadable files: the tests run as root, for whom no permission bit makes
# a file unreadable, so "unreadable" is a dangling symlink (ENOENT), a
# symlink loop (ELOOP), a path longer than PATH_MAX (ENAMETOOLONG) and a
# FIFO nobody writes to (a read that must neither hang nor crash); every run
# is bounded by a timeout, which counts as a failure.
#   WD_BAD_INPUT_MAX=N   modules to keep from the generated ones (default 28: two of each class)
set -uo pipefail
W="$(realpath "${WEBDOCTOR:?}")"
src="$(realpath "${WD_SOURCE_DIR:?}")"
tmp="$(mktemp -d)"
spids=()
cleanup() {
  for p in "${spids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
# every verdict is one line in $res ("pass CMD" or "FAIL CMD ..."), so
# that inputs can be swept two at a time (each in its own work folder)
res="$tmp/results"
: >"$res"
bad() { echo "FAIL $cmd $*" >>"$res"; echo "FAIL: $*"; }

main_m="$src/tests/fixtures/wasm/main_nothreads.wasm"
side_m="$src/tests/fixtures/wasm/side_nothreads.wasm"
glue="$src/tests/fixtures/wasm/main_nothreads.js"
ext=liblimboai.web.template_release.wasm32.wasm

# the escaped form webdoctor prints for a name (control bytes and invalid
# UTF-8 as \xNN)
shown() {
  python3 -c '
import sys
b = sys.argv[1].encode("utf-8", "surrogateescape")
out, i = "", 0
while i < len(b):
    c = b[i]
    n = 1 if c < 0x80 else 2 if 0xC2 <= c < 0xE0 else 3 if 0xE0 <= c < 0xF0 else 4 if 0xF0 <= c < 0xF5 else 0
    chunk = b[i:i + n] if n else b""
    try:
        ok = n and len(chunk) == n and chunk.decode("utf-8")
    except UnicodeDecodeError:
        ok = False
    if ok and (n > 1 or (0x20 <= c < 0x7F)):
        out += chunk.decode("utf-8"); i += n
    else:
        out += "\\x%02x" % c; i += 1
sys.stdout.write(out)' "$1"
}

shown_for=""
reader_rc=""
shown_as=""
# check_run CMD INPUT-NAME RC: the verdict on one finished run
# (out: $wk/o, err: $wk/e); the message must name NAME; "offset" is
# required when $want_offset is 1
check_run() {
  local cmd="$1" name="$2" rc="$3" e="" o=""
  # builtins only (read, [[ ]]): this runs hundreds of times
  IFS= read -r -d '' e <"$wk/e"
  if [ "$rc" -ge 124 ]; then
    bad "$cmd on $label: exit $rc ($( [ "$rc" = 124 ] && echo timeout || echo "signal $((rc - 128))"))"; echo "${e:0:600}"; return
  fi
  if [ "$rc" -gt 2 ]; then bad "$cmd on $label: exit $rc"; echo "${e:0:400}"; return; fi
  if [ "$rc" = 2 ]; then
    local want lines=0 line
    if [ "$name" = "$shown_for" ]; then want="$shown_as"; else want="$(shown "$name")"; shown_for="$name"; shown_as="$want"; fi
    while IFS= read -r line; do [[ "$line" == "webdoctor: "* ]] && lines=$((lines + 1)); done <<<"$e"
    if [ "$lines" -ne 1 ]; then bad "$cmd on $label: $lines 'webdoctor:' lines on stderr"; echo "${e:0:400}"; return; fi
    if [[ "$e" != *"$want"* ]]; then bad "$cmd on $label: the message does not name '$want'"; echo "${e:0:400}"; return; fi
    if [ "$want_offset" = 1 ] && [[ "$e" != *offset* ]]; then bad "$cmd on $label: no offset"; echo "${e:0:400}"; return; fi
    # (newlines end lines: the message may be followed by indented lines,
    # the browsers' CompileError)
    if [[ "$e" == *[$'\x01'-$'\x09'$'\x0b'-$'\x1f']* ]]; then bad "$cmd on $label: control characters on stderr"; return; fi
  fi
  # check on an export whose module the reader rejects: an error finding on it
  # (WD100 cannot be read, WD201 missing for a path that leads nowhere)
  if [ "$cmd" = check ] && [ "$reader_rc" = 2 ]; then
    IFS= read -r -d '' o <"$wk/o"
    if [ "$rc" != 1 ] || [[ "$o" != *"$name"*"error[WD"* ]]; then bad "check on $label: no error finding on $name (exit $rc)"; echo "${o:0:400}"; return; fi
  fi
  echo "pass $cmd" >>"$res"
}

# one CMD NAME ARGS...: run the CLI, bounded
one() {
  local cmd="$1" name="$2"; shift 2
  local t0=$EPOCHREALTIME
  timeout -k 2 20 "$W" "$@" >"$wk/o" 2>"$wk/e" </dev/null
  local rc=$?
  echo "$rc" >"$wk/rc"
  [ -n "${WD_SWEEP_TIMES:-}" ] && echo "$EPOCHREALTIME $t0 $cmd $label" >>"$tmp/times"
  check_run "$cmd" "$name" $rc
}

# serve start-up: it must start (and is then stopped with SIGTERM, exit 0)
# or refuse (exit 2), never die. After SIGTERM it has 10 s to stop before
# SIGKILL: a sanitizer build's exit (leak check) on a loaded machine can
# take seconds; a server that does not stop at all still fails (exit 137),
# and its output says how far it got ("serving", "stopping", "stopped").
# timeout runs in the foreground mode: otherwise it passes the SIGTERM on to
# its whole process group and then sends SIGCONT, and a SIGCONT that lands
# while LeakSanitizer attaches to the exiting serve cancels the attach's
# SIGSTOP, so the sanitizer waits for a stop that never comes.
serve_one() {
  local name="$1"; shift
  timeout --foreground -k 10 20 "$W" serve "$@" --port 0 -q >"$wk/o" 2>"$wk/e" </dev/null &
  local pid=$!
  for _ in $(seq 200); do
    grep -q 'http://127' "$wk/o" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  kill -TERM "$pid" 2>/dev/null
  wait "$pid"
  local rc=$?
  check_run serve "$name" $rc
  if [ "$rc" -ge 124 ]; then echo "serve's output, its end:"; tail -c 600 "$wk/o"; echo; fi
}

# every command on an export folder and a project holding module FILE
# (in the engine's place or the extension's, by `place`)
folder_runs() {
  local file="$1" place="$2"
  rm -rf "$wk/exp" "$wk/proj"
  cp -r "$src/examples/seed-export" "$wk/exp"
  cp -r "$src/examples/seed-project" "$wk/proj"
  # -a: a FIFO or a symlink is copied as itself, not read
  local at="$wk/exp/index.wasm"; [ "$place" = engine ] || at="$wk/exp/$ext"
  rm -f "$at" "$wk/proj/addons/limboai/bin/$ext"
  cp -a "$file" "$at"
  cp -a "$file" "$wk/proj/addons/limboai/bin/$ext"
  local in; in="$( [ "$place" = engine ] && echo index.wasm || echo "$ext")"
  want_offset=0
  one check "$in" check "$wk/exp"
  # the engine's place: what reads the export; the extension's: the project
  if [ "$place" = engine ]; then
    one headers "$wk/exp" headers --host nginx --dir "$wk/exp"
  else
    one check-project "$ext" check "$wk/proj"
    one fix "$ext" fix "$wk/proj"
  fi
  # serve's start-up runs the same check: on every third input
  [ "$with_serve" = 1 ] && serve_one "$wk/exp" "$wk/exp"
}

# --- truncated and mangled modules
mods=()
while IFS= read -r -d '' f; do mods+=("$f"); done < <(find "$src/tests/fixtures" -name '*.wasm' -print0 | sort -z)
counts="$(python3 "$src/tests/cli/badmodules.py" "$tmp/bad" "${WD_BAD_INPUT_MAX:-28}" "${mods[@]}")"
echo "modules: ${#mods[@]} fixtures, $counts mangled copies kept"
sweep_module() { # sweep_module K FILE (in the background: its own work folder)
  local k="$1" f="$2"
  wk="$tmp/w$k"; mkdir -p "$wk"
  label="$(basename "$f")"
  want_offset=1
  one inspect "$f" inspect "$f"
  reader_rc="$(<"$wk/rc")"
  one link-side "$f" link "$main_m" "$f"
  one link-main "$f" link "$f" "$side_m"
  with_serve=$(( k % 3 == 0 ))
  if [ $((k % 2)) = 0 ]; then folder_runs "$f" engine; else folder_runs "$f" extension; fi
  rm -rf "$wk"
}
k=0
for f in "$tmp"/bad/*.wasm; do
  [ "$(jobs -rp | wc -l)" -ge 2 ] && wait -n
  sweep_module "$k" "$f" &
  k=$((k + 1))
done
wait
wk="$tmp/w"; mkdir -p "$wk"
nmod=$k

# --- other bad inputs
sp="$tmp/special"
mkdir -p "$sp"
: >"$sp/empty.wasm"
mkdir "$sp/dir.wasm"
mkfifo "$sp/fifo.wasm"
ln -s loop.wasm "$sp/loop.wasm"
ln -s nowhere.wasm "$sp/dangling.wasm"
head -c 140 "$side_m" >"$sp/ctl"$'\n\x1b[31m\t'"name.wasm"
head -c 140 "$side_m" >"$sp/bad"$'\xff\xfe'"utf8.wasm"
long="$sp/$(printf './%.0s' $(seq 2100))x.wasm"           # longer than PATH_MAX
longname="$sp/$(printf 'n%.0s' $(seq 300)).wasm"          # a name longer than NAME_MAX
specials=("$sp/empty.wasm" "$sp/dir.wasm" "$sp/fifo.wasm" "$sp/loop.wasm" "$sp/dangling.wasm"
          "$sp/ctl"$'\n\x1b[31m\t'"name.wasm" "$sp/bad"$'\xff\xfe'"utf8.wasm" "$long" "$longname")
nspecial=0
for f in "${specials[@]}"; do
  label="$(shown "$(basename "$f" | cut -c1-40)")"
  want_offset=0
  # the message names the path as given (too long to print whole: its start)
  name="$f"; [ ${#f} -gt 300 ] && name="${f:0:200}"
  one inspect "$name" inspect "$f"
  reader_rc="$(<"$wk/rc")"
  one link-side "$name" link "$main_m" "$f"
  one link-main "$name" link "$f" "$side_m"
  one link-glue "$name" link --glue "$f" "$main_m" "$side_m"
  # in an export and a project (a path too long cannot be put there)
  if [ ${#f} -le 300 ]; then
    with_serve=1; folder_runs "$f" engine
    with_serve=0; folder_runs "$f" extension
  fi
  nspecial=$((nspecial + 1))
done
# files given as folders, folders given as files, missing ones
file="$src/examples/seed-export/index.html"
label="a file as a folder"; want_offset=0; reader_rc=""
one check "$file" check "$file"
one fix "$file" fix "$file"
one headers "$file" headers --host nginx --dir "$file"
serve_one "$file" "$file"
label="a missing folder"
one check "$sp/none" check "$sp/none"
one fix "$sp/none" fix "$sp/none"
one headers "$sp/none" headers --host nginx --dir "$sp/none"
serve_one "$sp/none" "$sp/none"
label="a FIFO as a folder"
one check "$sp/fifo.wasm" check "$sp/fifo.wasm"
one headers "$sp/fifo.wasm" headers --host nginx --dir "$sp/fifo.wasm"
# glue files that are not glue: empty, missing, cut, a folder, plain text
printf 'hello\n' >"$sp/text.js"; : >"$sp/empty.js"; head -c 3000 "$glue" >"$sp/cut.js"
for g in "$sp/empty.js" "$sp/missing.js" "$sp/cut.js" "$sp/text.js" "$sp"; do
  label="glue $(basename "$g")"
  one link-glue "$g" link --glue "$g" "$main_m" "$side_m"
  nspecial=$((nspecial + 1))
done

[ -n "${WD_SWEEP_TIMES:-}" ] && awk '{printf "%.2f %s %s\n", $1-$2, $3, $4}' "$tmp/times" | sort -rn | head -n 12
pass="$(grep -c '^pass ' "$res")"
fail="$(grep -c '^FAIL ' "$res")"
summary="$(awk '{n[$2]++} END {for (c in n) printf " %s=%d", c, n[c]}' "$res" | tr ' ' '\n' | sort | tr '\n' ' ')"
echo "sweep: $((pass + fail)) runs: $nmod mangled modules + $nspecial other inputs; per command:$summary"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
