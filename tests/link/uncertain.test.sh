#!/usr/bin/env bash
# Where the link model cannot tell, a note and the check goes on: never a
# false "will not load". Real packages built by recent Emscripten (the npm
# corpus), real glue as shipped (minified, bundled), and the file order of
# the command line.
set -uo pipefail
src="${WD_SOURCE_DIR:?}"
wd="${WEBDOCTOR:?}"
"$src/tests/corpus/fetch" >/dev/null || exit 1
npm="$src/tests/corpus/npm"
fx="$src/tests/fixtures/wasm"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
# json QUERY: a Python expression over the JSON `d` of the last run
json() { python3 -c "import json,sys; d=json.load(open('$tmp/out.json')); sys.exit(0 if ($1) else 1)"; }
run() { "$wd" link --json "$@" >"$tmp/out.json" 2>"$tmp/err"; echo $? >"$tmp/rc"; }

v14="$npm/wasm-vips-0.0.14/package/lib"
v16="$npm/wasm-vips-0.0.16/package/lib"
ts="$npm/web-tree-sitter/package"

# 1. a main module that takes __stack_high / __stack_low through GOT.mem
#    (its glue fills them in), no --glue: loads, a note for what cannot be told
run "$v14/vips.wasm" --preload "$v14/vips-heif.wasm" --preload "$v14/vips-jxl.wasm"
if [ "$(cat "$tmp/rc")" = 0 ] && json 'd["loads"] and not any(p["fatal"] for p in d["problems"])'; then
  ok "GOT.mem.__stack_high of a MAIN_MODULE (wasm-vips 0.0.14, Emscripten 4.0.10) loads"
else bad "GOT.mem.__stack_high: $(head -c 300 "$tmp/out.json")"; fi
json 'any(n["kind"] == "got-unknown" for n in d["notes"])' && ok "...and says what it could not tell (note)" ||
  bad "no got-unknown note"

# 2. a main module that exports __stack_pointer and its table (Emscripten
#    4.0.19+), side modules by dlopen: loads, the 4.0.20 loader modelled
run --dlopen "$v16/vips.wasm" "$v16/vips-heif.wasm" "$v16/vips-jxl.wasm" "$v16/vips-resvg.wasm"
if [ "$(cat "$tmp/rc")" = 0 ] && json 'd["loads"] and d["loader"]["emscripten"] == "4.0.20" and d["loader"]["source"] == "main-module"'; then
  ok "a non-relocatable main module (wasm-vips 0.0.16) loads its side modules by dlopen"
else bad "non-relocatable main: $(head -c 400 "$tmp/out.json")"; fi

# 3. --glue with real glue as shipped: closure-minified (wasm-vips), esbuild
#    bundles (web-tree-sitter ESM and CommonJS): the import object is read
for glue in "$v16/vips-node.js:$v16/vips.wasm:$v16/vips-jxl.wasm:4.0.20" \
            "$v14/vips-node.js:$v14/vips.wasm:$v14/vips-jxl.wasm:4.0.10" \
            "$v14/vips.js:$v14/vips.wasm:$v14/vips-jxl.wasm:4.0.10" \
            "$ts/tree-sitter.js:$ts/tree-sitter.wasm:$npm/tree-sitter-javascript/package/tree-sitter-javascript.wasm:3.1.64" \
            "$ts/tree-sitter.cjs:$ts/tree-sitter.wasm:$npm/tree-sitter-javascript/package/tree-sitter-javascript.wasm:3.1.64"; do
  IFS=: read -r g m s v <<<"$glue"
  run --glue "$g" "$m" --preload "$s"
  if [ "$(cat "$tmp/rc")" = 0 ] && json "d['loads'] and not d['assumed_glue'] and not d['problems'] and d['loader']['emscripten'] == '$v' and d['loader']['source'] == 'glue'"; then
    ok "--glue $(basename "$(dirname "$(dirname "$g")")")/$(basename "$g"): import object read, loader $v"
  else bad "--glue $g: rc $(cat "$tmp/rc") $(head -c 400 "$tmp/out.json")"; fi
done
# a JS file that is no Emscripten glue at all: one note, the check goes on
printf 'export const x = 1;\n' >"$tmp/other.js"
run --glue "$tmp/other.js" "$ts/tree-sitter.wasm" "$npm/tree-sitter-javascript/package/tree-sitter-javascript.wasm"
if [ "$(cat "$tmp/rc")" = 0 ] && json 'd["loads"] and [n["kind"] for n in d["notes"]].count("glue-unread") == 1'; then
  ok "an unreadable glue is one note (glue-unread), and the link is still checked"
else bad "unreadable glue: rc $(cat "$tmp/rc") $(cat "$tmp/err") $(head -c 300 "$tmp/out.json")"; fi

# 4. import module names minified to "a", no --glue: assumed provided (a note),
#    and the real failure of the pair is reached (the table cannot grow)
python3 "$src/tests/link/rewrite_wasm.py" minify "$fx/main_fixedtable.wasm" "$tmp/main_a.wasm" >/dev/null
run --engine node "$tmp/main_a.wasm" "$fx/side_fnptr.wasm"
if [ "$(cat "$tmp/rc")" = 1 ] &&
   json 'd["modules"][0]["loads"] and d["modules"][1]["first_error"]["node20"] == "RangeError: WebAssembly.Table.grow(): failed to grow table by 2" and any(n["kind"] == "import-module-assumed" for n in d["notes"])'; then
  ok "imports from \"a\" without --glue: a note, then the real Table.grow RangeError"
else bad "minified import modules: $(head -c 500 "$tmp/out.json")"; fi

# 5. the main module not first: found by its dylink.0 and imports, said in
#    a note; --preload files load after it
run --glue "$fx/main_nothreads.js" --preload "$fx/side_nothreads.wasm" "$fx/main_nothreads.wasm" "$fx/side_n29_nothreads.wasm"
if json 'd["loads"] and d["modules"][0]["name"] == "main_nothreads.wasm" and d["modules"][0]["main"] and d.get("reordered_first") == "side_nothreads.wasm"'; then
  ok "--preload SIDE MAIN SIDE: the main module loads first, the order is said"
else bad "preload before main: $(head -c 400 "$tmp/out.json")"; fi
run --glue "$fx/main_nothreads.js" "$fx/side_nothreads.wasm" "$fx/main_nothreads.wasm"
if json 'd["loads"] and d["modules"][0]["name"] == "main_nothreads.wasm" and d.get("reordered_first") == "side_nothreads.wasm"'; then
  ok "SIDE MAIN (swapped positionals): the same answer as MAIN SIDE"
else bad "swapped: $(head -c 400 "$tmp/out.json")"; fi
"$wd" link --glue "$fx/main_nothreads.js" "$fx/side_nothreads.wasm" "$fx/main_nothreads.wasm" >"$tmp/out.txt" 2>&1
grep -q "the first file must be the main module; side_nothreads.wasm is a side module" "$tmp/out.txt" &&
  ok "the text output says which file is the side module" || bad "no reorder message: $(head -3 "$tmp/out.txt")"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
