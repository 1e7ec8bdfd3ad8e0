#!/usr/bin/env bash
# WD123 against the real loaders: an export whose extension (hello_gdext.wasm,
# godotengine/godot#82865's shape, built by Emscripten) does not export the
# .gdextension's entry_symbol (gdext_rust_init), and the same export with the
# entry_symbol set to a function the module exports (wd_entry).
# The side module is loaded into the engines of three Emscripten releases
# (Debian's 3.1.6 fixtures, tests/fixtures/em-3.1.64, em-4.0.10) in Node, as
# Godot does (loadDynamicLibrary, dlopen, dlsym: tests/link/entry_symbol.js),
# and the text Godot prints around dlerror() must be WD123's engine message,
# byte for byte; where the symbol resolves there must be no WD123.
set -uo pipefail
src="${WD_SOURCE_DIR:?}"
wd="${WEBDOCTOR:?}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }

# the export: the seed export with hello_gdext.wasm as its one extension and a
# pack that registers hello_gdext.gdextension (entry_symbol = "gdext_rust_init")
exp="$tmp/hello-export"
cp -r "$src/examples/seed-export" "$exp"
rm "$exp/liblimboai.web.template_release.wasm32.wasm"
cp "$src/tests/fixtures/wasm/hello_gdext.wasm" "$exp/"
mkpack() { # OUT.pck ENTRY
  cat >"$tmp/hello_gdext.gdextension" <<CFG
[configuration]

entry_symbol = "$2"
compatibility_minimum = 4.1

[libraries]

linux.debug.x86_64 = "res://rust/target/debug/libhello_gdext.so"
web.debug.wasm32 = "res://rust/target/wasm32-unknown-emscripten/debug/hello_gdext.wasm"
web.release.wasm32 = "res://rust/target/wasm32-unknown-emscripten/release/hello_gdext.wasm"
CFG
  printf 'res://hello_gdext.gdextension\n' >"$tmp/extension_list.cfg"
  printf 'config_version=5\n' >"$tmp/project.binary"
  python3 "$src/examples/mkpck.py" "$1" 4.3.0 \
    "res://.godot/extension_list.cfg=$tmp/extension_list.cfg" \
    "res://hello_gdext.gdextension=$tmp/hello_gdext.gdextension" \
    "res://project.binary=$tmp/project.binary"
}
mkpack "$exp/index.pck" gdext_rust_init
python3 - "$exp/index.html" <<'PY'
import json, re, sys
p = sys.argv[1]
s = open(p).read()
m = re.search(r"const GODOT_CONFIG = (\{.*?\});", s)
cfg = json.loads(m.group(1))
cfg["gdextensionLibs"] = ["hello_gdext.wasm"]
cfg["fileSizes"] = {}
open(p, "w").write(s.replace(m.group(1), json.dumps(cfg, separators=(",", ":"))))
PY

# webdoctor's WD123 engine message for an export, or "none"
wd_text() {
  "$wd" check --json "$1" | python3 -c '
import json, sys
d = json.load(sys.stdin)
t = [f.get("engine_message") for f in d["findings"] if f["id"] == "WD123"]
print(t[0] if t else "none")'
}
good="$tmp/hello-export-wd_entry"
cp -r "$exp" "$good"
mkpack "$good/index.pck" wd_entry
want_missing="$(wd_text "$exp")"
want_good="$(wd_text "$good")"
[ "$want_missing" != none ] && ok "WD123 for hello_gdext.wasm: $want_missing" || fail "no WD123 for hello_gdext.wasm"
[ "$want_good" = none ] && ok "no WD123 with entry_symbol = wd_entry (exported)" || fail "WD123 with entry_symbol = wd_entry: $want_good"

# the real loaders: name glue-dir preload
for set in "3.1.6 $src/tests/fixtures/wasm -" "3.1.64 $src/tests/fixtures/em-3.1.64/wasm godot_nothreads.side.wasm" \
           "4.0.10 $src/tests/fixtures/em-4.0.10/wasm godot_nothreads.side.wasm"; do
  read -r ver dir pre <<<"$set"
  run="$tmp/em-$ver"
  mkdir -p "$run"
  cp "$dir"/main_nothreads.js "$dir"/main_nothreads.wasm "$run/"
  [ "$pre" = - ] || cp "$dir/$pre" "$run/"
  cp "$exp/hello_gdext.wasm" "$run/"
  args=(); [ "$pre" = - ] || args=("$pre")
  got="$(timeout 60 node "$src/tests/link/entry_symbol.js" "$run/main_nothreads.js" "$run" hello_gdext.wasm gdext_rust_init "${args[@]}" 2>&1)"
  if [ "$got" = "$want_missing" ]; then ok "Emscripten $ver: $got"
  else fail "Emscripten $ver, hello_gdext.wasm: the loader says '$got', webdoctor '$want_missing'"; fi
  got="$(timeout 60 node "$src/tests/link/entry_symbol.js" "$run/main_nothreads.js" "$run" hello_gdext.wasm wd_entry "${args[@]}" 2>&1)"
  [ "$got" = "resolved wd_entry" ] && ok "Emscripten $ver: wd_entry resolves" || fail "Emscripten $ver, wd_entry: $got"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
