#!/usr/bin/env bash
# Build the samples from the Emscripten fixtures (tests/fixtures/wasm):
#
#   seed-export/   a web export that reproduces the seed failure: an engine
#                  built like Godot 4.3's web_dlink_nothreads template and a
#                  LimboAI-like GDExtension built with threads, whose
#                  env.memory is import #31 as in limbonaut/limboai#283
#   seed-project/  the Godot project behind it: a Web preset with Thread
#                  Support off and LimboAI 1.4's .gdextension, whose
#                  web.*.wasm32 keys name threaded builds; the nothreads
#                  builds are in bin/ too (as LimboAI 1.5 ships them)
#
#   examples/build.sh [OUTDIR]    (default: examples/)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
fx="$here/../tests/fixtures/wasm"
out="${1:-$here}"
ext_threads="$fx/side_n29_pthread.wasm"
ext_nothreads="$fx/side_n29_nothreads.wasm"

# ---- the project
p="$out/seed-project"
rm -rf "$p"
mkdir -p "$p/addons/limboai/bin"
cp "$here/src/project.godot" "$here/src/export_presets.cfg" "$p/"
cp "$here/src/limboai.gdextension" "$p/addons/limboai/"
for target in editor template_release; do
  cp "$ext_threads" "$p/addons/limboai/bin/liblimboai.web.$target.wasm32.wasm"
  cp "$ext_nothreads" "$p/addons/limboai/bin/liblimboai.web.$target.wasm32.nothreads.wasm"
done

# ---- the export
e="$out/seed-export"
rm -rf "$e"
mkdir -p "$e"
lib="liblimboai.web.template_release.wasm32.wasm"
cp "$fx/main_nothreads.js" "$e/index.js"
cp "$fx/main_nothreads.wasm" "$e/index.wasm"
cp "$fx/godot_nothreads.side.wasm" "$e/index.side.wasm"
cp "$ext_threads" "$e/$lib"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
printf 'res://addons/limboai/limboai.gdextension\n' > "$tmp/extension_list.cfg"
printf 'config_version=5\n' > "$tmp/project.binary"
python3 "$here/mkpck.py" "$e/index.pck" 4.3.0 \
  "res://.godot/extension_list.cfg=$tmp/extension_list.cfg" \
  "res://addons/limboai/limboai.gdextension=$here/src/limboai.gdextension" \
  "res://project.binary=$tmp/project.binary"
size() { stat -c %s "$1"; }
config=$(printf '{"args":[],"canvasResizePolicy":2,"ensureCrossOriginIsolationHeaders":true,"executable":"index","experimentalVK":false,"fileSizes":{"index.pck":%s,"index.side.wasm":%s,"index.wasm":%s,"%s":%s},"focusCanvas":true,"gdextensionLibs":["%s"]}' \
  "$(size "$e/index.pck")" "$(size "$e/index.side.wasm")" "$(size "$e/index.wasm")" "$lib" "$(size "$e/$lib")" "$lib")
python3 - "$here/src/shell.html" "$e/index.html" "$config" <<'PY'
import sys
src, dst, config = sys.argv[1:4]
text = open(src).read().replace("$GODOT_CONFIG", config).replace("$GODOT_THREADS_ENABLED", "false")
open(dst, "w").write(text)
PY
echo "built $p and $e"
