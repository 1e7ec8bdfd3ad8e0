#!/usr/bin/env bash
# The per-version loader model against the real loader of each Emscripten
# release prepared by tests/fixtures/toolchain (a folder per version with a
# READY marker and an env file): a MAIN_MODULE=2 program that dlopen()s a side
# module, built by that release and run in Node, against `webdoctor link
# --dlopen --glue`. Cases: a side module that loads; one that calls a function
# nobody defines (the lazy stub's text at the first call); one that needs a
# data symbol nobody defines (the loader's "bad export type" text); one that
# reaches an undefined weak data symbol (loads from 3.1.15 on); and, when the
# npm corpus is fetched, a grammar of tree-sitter-wasms with the old "dylink"
# section (accepted up to 3.1.x, an Error from 4.0).
# Where no toolchain is prepared there is nothing to compare: "0 passed".
set -uo pipefail
src="${WD_SOURCE_DIR:?}"
wd="${WEBDOCTOR:?}"
tc="${WD_TOOLCHAINS:-${XDG_CACHE_HOME:-$HOME/.cache}/webdoctor/toolchains}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
cat >"$tmp/main.c" <<'EOF'
#include <dlfcn.h>
#include <stdio.h>
int main(int argc, char **argv) {
  void *h = dlopen(argv[1], RTLD_NOW);
  if (!h) { printf("DLERROR:%s\n", dlerror()); return 1; }
  int (*fn)(int) = (int (*)(int))dlsym(h, "side_fn");
  if (!fn) { printf("DLSYM:%s\n", dlerror()); return 1; }
  printf("RESULT:%d\n", fn(21));
  return 0;
}
EOF
echo 'int side_fn(int x) { return x + 11; }' >"$tmp/side_ok.c"
printf 'int nobody_defines_fn(int);\nint side_fn(int x) { return nobody_defines_fn(x); }\n' >"$tmp/side_missing_fn.c"
printf 'extern int nobody_defines_data;\nint side_fn(int x) { return x + nobody_defines_data; }\n' >"$tmp/side_missing_data.c"
printf 'extern int maybe_data __attribute__((weak));\nint side_fn(int x) { return &maybe_data ? x + maybe_data : x + 1; }\n' >"$tmp/side_weak.c"

for dir in "$tc"/*/; do
  [ -f "$dir/READY" ] && [ -f "$dir/env" ] || continue
  ver="$(basename "$dir")"
  out="$tmp/$ver"
  mkdir -p "$out"
  if ! (
    # shellcheck disable=SC1091
    . "$dir/env"
    export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
    for s in side_ok side_missing_fn side_missing_data side_weak; do
      emcc -O1 -sWASM_BIGINT -sSIDE_MODULE=1 "$tmp/$s.c" -o "$out/$s.wasm" || exit 1
    done
    emcc -O1 -sWASM_BIGINT -sMAIN_MODULE=2 -sENVIRONMENT=node -sFORCE_FILESYSTEM -sNODERAWFS \
      "$tmp/main.c" -o "$out/main.js"
  ) >"$out/build.log" 2>&1; then
    echo "FAIL $ver: the build failed: $(tail -3 "$out/build.log")"
    fail=$((fail + 1))
    continue
  fi
  legacy="$src/tests/corpus/npm/tree-sitter-wasms/package/out/tree-sitter-json.wasm"
  [ -f "$legacy" ] && cp "$legacy" "$out/side_legacy_dylink.wasm"
  for s in side_ok side_missing_fn side_missing_data side_weak side_legacy_dylink; do
    [ -f "$out/$s.wasm" ] || continue
    real="$(cd "$out" && timeout 60 node main.js "$out/$s.wasm" 2>&1)"
    "$wd" link --dlopen --engine node --json --glue "$out/main.js" "$out/main.wasm" "$out/$s.wasm" >"$out/$s.json" 2>"$out/$s.err"
    why="$(REAL="$real" python3 - "$out/$s.json" "$ver" <<'EOF'
import json, os, sys
d = json.load(open(sys.argv[1]))
ver = sys.argv[2]
real = os.environ["REAL"]
if d["loader"]["emscripten"] != {"3.1.64": "3.1.64", "4.0.10": "4.0.10", "4.0.20": "4.0.20"}.get(ver, d["loader"]["emscripten"]):
    print(f"modelled loader {d['loader']['emscripten']} ({d['loader']['source']}) for Emscripten {ver}")
elif "RESULT:" in real or "DLSYM:" in real:  # dlopen() succeeded
    if not d["loads"]:
        print(f"Node loads and runs it; webdoctor: {[m['first_error'] for m in d['modules'] if not m['loads']]}")
    elif any(p["fault"] == "unresolved-function" for p in d["problems"]):
        print("Node runs it; webdoctor predicts an unresolved function")
elif "DLERROR:" in real:
    text = real.split("DLERROR:", 1)[1].split("\n", 1)[1].strip() if "\n" in real.split("DLERROR:", 1)[1] else ""
    mine = [m["first_error"]["node20"] for m in d["modules"] if not m["loads"]]
    # dlerror() holds String(e): "Error" where the model writes name + ": " + message
    if not mine or (mine[0] != text and mine[0] != text + ": "):
        print(f"Node: {text!r}; webdoctor: {mine!r}")
else:
    # failed at the first call: the lazy stub
    stubs = [p["messages"]["node20"] for p in d["problems"] if p["fault"] == "unresolved-function"]
    if not d["loads"] or not any(s and s in real for s in stubs):
        print(f"Node: {real.strip().splitlines()[:6]!r}; webdoctor stubs: {stubs!r}, loads {d['loads']}")
EOF
)"
    if [ -z "$why" ]; then echo "ok   $ver $s"; pass=$((pass + 1)); else echo "FAIL $ver $s: $why"; fail=$((fail + 1)); fi
  done
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
