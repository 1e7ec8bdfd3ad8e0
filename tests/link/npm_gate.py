#!/usr/bin/env python3
"""webdoctor link against the real loaders of npm packages (see npm_gate.test.sh).

usage: npm_gate.py WEBDOCTOR CORPUS_DIR TESTS_LINK_DIR TMP_DIR
Prints one line per combination and "N passed, N failed".
"""
import glob
import json
import os
import shutil
import subprocess
import sys

webdoctor, corpus, here, tmp = sys.argv[1:5]
passed = failed = 0
loading = 0
packages = set()


def run(cmd, timeout=60):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    return p


def predict(main, sides, glue, preload):
    cmd = [webdoctor, "link", "--json", "--engine", "node"]
    if glue:
        cmd += ["--glue", glue]
    cmd.append(main)
    for s in sides:
        cmd += (["--preload", s] if preload else [s])
    p = run(cmd)
    if p.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)}: exit {p.returncode}: {p.stderr.strip()}")
    return json.loads(p.stdout)


def first_failure(pred):
    for m in pred["modules"]:
        if not m["loads"]:
            return m["name"], m["first_error"]["node20"]
    return None, None


def verdict(label, truth, pred, expect_load):
    """truth: (ok, error); pred: webdoctor's JSON."""
    global passed, failed, loading
    ok, err = truth
    if ok != expect_load:
        print(f"FAIL {label}: the package's loader {'failed' if not ok else 'loaded'} "
              f"({err!r}), the derivation expected otherwise")
        failed += 1
        return
    _, text = first_failure(pred)
    if ok:
        if pred["loads"]:
            print(f"ok   {label}: loads; webdoctor: loads (loader {pred['loader']['emscripten']}, "
                  f"{pred['loader']['source']})")
            passed += 1
            loading += 1
        else:
            print(f"FAIL {label}: loads in Node; webdoctor says it will not: {text!r}")
            failed += 1
        return
    if pred["loads"]:
        print(f"FAIL {label}: Node: {err!r}; webdoctor says it loads")
        failed += 1
    elif text != err:
        print(f"FAIL {label}:\n      node:      {err!r}\n      webdoctor: {text!r}")
        failed += 1
    else:
        print(f"ok   {label}: {err}")
        passed += 1


# ---- web-tree-sitter + grammar side modules (Language.load) --------------
ts = os.path.join(corpus, "web-tree-sitter", "package")
ts_main = os.path.join(ts, "tree-sitter.wasm")
ts_glue = os.path.join(ts, "tree-sitter.js")
grammars = sorted(glob.glob(os.path.join(corpus, "tree-sitter-wasms", "package", "out", "*.wasm")))
grammars += sorted(glob.glob(os.path.join(corpus, "tree-sitter-javascript", "package", "*.wasm")))
for g in grammars:
    packages.add(g.split(os.sep)[-3] if "tree-sitter-wasms" in g else "tree-sitter-javascript")
packages.add("web-tree-sitter")


def ts_truth(side):
    p = run(["node", os.path.join(here, "gate", "tree-sitter.js"), ts, side])
    o = json.loads(p.stdout.strip().splitlines()[-1])
    # an ABI version check after instantiation is not a link failure
    return (o["ok"] or o["stage"] == "after-load", o["error"])


for g in grammars:
    name = os.path.basename(g)
    truth = ts_truth(g)
    for glue in (ts_glue, None):
        verdict(f"web-tree-sitter + {name}{'' if glue else ' (no --glue)'}", truth,
                predict(ts_main, [g], glue, False), True)
# derived failures on two grammars (a dylink.0 one and an old "dylink" one)
for g in [x for x in grammars if x.endswith(("tree-sitter-javascript/package/tree-sitter-javascript.wasm",
                                              "out/tree-sitter-json.wasm"))]:
    for mode in ("shared", "signature"):
        d = os.path.join(tmp, f"{mode}-{os.path.basename(g)}")
        args = ["python3", os.path.join(here, "rewrite_wasm.py"), mode, g, d]
        if mode == "signature":
            args.append(ts_main)
        p = run(args)
        if p.returncode != 0:
            print(f"skip {mode} {os.path.basename(g)}: {p.stderr.strip() or p.stdout.strip()}")
            continue
        verdict(f"web-tree-sitter + {os.path.basename(g)} ({mode} derived)", ts_truth(d),
                predict(ts_main, [d], ts_glue, False), False)

# ---- wasm-vips: the engine and its NEEDED side modules (heif, jxl, resvg) --
for lib in sorted(glob.glob(os.path.join(corpus, "wasm-vips-*", "package", "lib"))):
    ver = lib.split(os.sep)[-3]
    packages.add(ver)
    main = os.path.join(lib, "vips.wasm")
    glue = os.path.join(lib, "vips-node.js")
    sides = [os.path.join(lib, s) for s in ("vips-heif.wasm", "vips-jxl.wasm", "vips-resvg.wasm")]

    def vips_truth(d):
        p = run(["node", os.path.join(here, "gate", "vips.js"), d], timeout=90)
        o = json.loads(p.stdout.strip().splitlines()[-1])
        return (o["ok"], o["error"])

    truth = vips_truth(lib)
    for g in (glue, None):
        verdict(f"{ver}: vips.wasm + heif, jxl, resvg{'' if g else ' (no --glue)'}", truth,
                predict(main, sides, g, True), True)
    # derived: one side module's memory with the other shared flag
    for side in sides:
        d = os.path.join(tmp, ver)
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(lib, d)
        target = os.path.join(d, os.path.basename(side))
        p = run(["python3", os.path.join(here, "rewrite_wasm.py"), "shared", side, target])
        if p.returncode != 0:
            print(f"skip shared {os.path.basename(side)}: {p.stderr.strip()}")
            continue
        dsides = [os.path.join(d, os.path.basename(s)) for s in sides]
        verdict(f"{ver}: vips.wasm + {os.path.basename(side)} (shared derived)", vips_truth(d),
                predict(os.path.join(d, "vips.wasm"), dsides, os.path.join(d, "vips-node.js"), True), False)
    # derived: a function import of vips-jxl pointed at an engine export of another signature
    d = os.path.join(tmp, ver)
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(lib, d)
    p = run(["python3", os.path.join(here, "rewrite_wasm.py"), "signature", sides[1],
             os.path.join(d, "vips-jxl.wasm"), main])
    if p.returncode != 0:
        print(f"skip signature vips-jxl.wasm: {p.stderr.strip()}")
    else:
        dsides = [os.path.join(d, os.path.basename(s)) for s in sides]
        verdict(f"{ver}: vips.wasm + vips-jxl.wasm (signature derived)", vips_truth(d),
                predict(os.path.join(d, "vips.wasm"), dsides, os.path.join(d, "vips-node.js"), True), False)

print(f"{len(packages)} packages, {loading} loading combinations predicted to load")
if len(packages) < 3 or loading < 10:
    print("FAIL the gate needs at least 3 packages and 10 loading combinations")
    failed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
