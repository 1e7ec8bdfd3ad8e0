#!/usr/bin/env python3
"""check's advice against fix's plan, on every Godot project sample of the
repository (every folder with a project.godot under examples/ and tests/,
node_modules aside), each as it is and with Thread Support flipped:

  - a WD301 (thread mismatch) fix that says "in the .gdextension set KEY =
    VALUE; ..." names exactly the keys and values that
    `fix --strategy S --json` (S as the advice says) writes to that file;
  - the finding's headline names the build the HTML report's load chain
    draws for that extension (the release build).

Web libraries a sample names but does not ship are supplied from
examples/seed-project (threaded unless the name says nothreads; editor or
template_release by name), so that every sample has its builds; each sample
is also tried with its keys pointed at the other kind of build.
Usage: advice_vs_fix.py WEBDOCTOR SOURCE_DIR"""
import glob, json, os, re, shutil, subprocess, sys, tempfile

W, SRC = sys.argv[1], sys.argv[2]
BIN = os.path.join(SRC, "examples/seed-project/addons/limboai/bin")
passed = failed = 0


def check(what, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("ok   " + what)
    else:
        failed += 1
        print("FAIL " + what + (": " + detail if detail else ""))


def run(*args):
    p = subprocess.run([W, "--color=never", *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def supply_builds(proj):
    """Copy a seed build to every web library path that is missing."""
    for gd in glob.glob(os.path.join(proj, "**/*.gdextension"), recursive=True):
        for line in open(gd, encoding="utf-8", errors="replace"):
            m = re.match(r'\s*(web\.[\w.]+)\s*=\s*"([^"]+)"', line)
            if not m:
                continue
            path = m.group(2)
            dest = os.path.join(proj, path[6:]) if path.startswith("res://") else os.path.join(os.path.dirname(gd), path)
            if os.path.exists(dest):
                continue
            name = os.path.basename(path)
            target = "editor" if ("debug" in name or "editor" in name) else "template_release"
            src = "liblimboai.web.%s.wasm32%s.wasm" % (target, ".nothreads" if "nothreads" in name else "")
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.copy(os.path.join(BIN, src), dest)
            # its sibling of the other kind, as extensions ship both
            other = name.replace(".nothreads", "") if "nothreads" in name else name.replace(".wasm32.wasm", ".wasm32.nothreads.wasm")
            odest = os.path.join(os.path.dirname(dest), other)
            if other != name and not os.path.exists(odest):
                osrc = "liblimboai.web.%s.wasm32%s.wasm" % (target, "" if "nothreads" in name else ".nothreads")
                shutil.copy(os.path.join(BIN, osrc), odest)


def flip_threads(proj):
    p = os.path.join(proj, "export_presets.cfg")
    if not os.path.exists(p):
        return False
    t = open(p, encoding="utf-8").read()
    if "variant/thread_support=false" in t:
        t = t.replace("variant/thread_support=false", "variant/thread_support=true")
    elif "variant/thread_support=true" in t:
        t = t.replace("variant/thread_support=true", "variant/thread_support=false")
    else:
        return False
    open(p, "w", encoding="utf-8").write(t)
    return True


def swap_builds(proj):
    """Point every web key at the other kind's sibling (threaded <-> nothreads)."""
    for gd in glob.glob(os.path.join(proj, "**/*.gdextension"), recursive=True):
        lines = open(gd, encoding="utf-8").read().split("\n")
        for i, line in enumerate(lines):
            m = re.match(r'(\s*web\.[\w.]+\s*=\s*")([^"]+)(".*)', line)
            if m:
                v = m.group(2)
                v = v.replace(".nothreads", "") if ".nothreads" in v else v.replace(".wasm32.wasm", ".wasm32.nothreads.wasm")
                lines[i] = m.group(1) + v + m.group(3)
        open(gd, "w", encoding="utf-8").write("\n".join(lines))


PAIR = re.compile(r'(web\.[a-z0-9_.]+) = ("res://[^"]+")')
STRAT = re.compile(r"webdoctor fix --strategy (\w+)")


def compare(label, proj):
    rc, out, err = run("check", "--json", proj)
    if rc not in (0, 1):
        check(label + ": check runs", False, err.strip())
        return 0
    findings = json.loads(out)["findings"]
    n = 0
    for f in findings:
        if f["id"] != "WD301":
            continue
        for fx in f.get("fixes") or []:
            pairs = PAIR.findall(fx["text"])
            st = STRAT.search(fx["text"])
            if not st and not pairs:
                continue
            n += 1
            check("%s: %s fix %d gives the keys and the strategy that does it" % (label, f["file"], fx["rank"]),
                  bool(st) and bool(pairs), fx["text"])
            if not st:
                continue
            rc2, fout, ferr = run("fix", "--strategy", st.group(1), "--json", proj)
            plan = json.loads(fout) if fout.strip() else {"files": []}
            planned = sorted((c["key"], c["new"]) for fl in plan["files"] if fl["file"] == f["file"]
                             for c in fl["changes"] if c["section"] == "libraries")
            check("%s: %s advice = fix --strategy %s plan" % (label, f["file"], st.group(1)),
                  sorted(pairs) == planned, "advice %s, fix %s" % (sorted(pairs), planned))
        # the headline and the report's chain name the same build
        html = os.path.join(tmp, "r.html")
        run("check", "--html", html, proj)
        desc = re.search(r'<desc id="load-chain-desc">(.*?)</desc>', open(html, encoding="utf-8").read(), re.S)
        built = re.findall(r"[\w.]+\.wasm", desc.group(1) if desc else "")
        head = f["message"].split(" ")[0]
        check("%s: the headline names %s, drawn in the report's chain (%s)" % (label, head, built), head in built)
    return n


tmp = tempfile.mkdtemp()
try:
    samples = sorted(os.path.dirname(p) for p in
                     glob.glob(os.path.join(SRC, "examples/**/project.godot"), recursive=True) +
                     glob.glob(os.path.join(SRC, "tests/**/project.godot"), recursive=True)
                     if "node_modules" not in p)
    check("project samples found (%d)" % len(samples), len(samples) >= 3)
    advised = 0
    for s in samples:
        rel = os.path.relpath(s, SRC)
        for flip in (False, True):
            for swap in (False, True):
                proj = os.path.join(tmp, rel.replace("/", "_") + ("-flipped" if flip else "") + ("-swapped" if swap else ""))
                shutil.copytree(s, proj, symlinks=True)
                supply_builds(proj)
                if flip and not flip_threads(proj):
                    continue
                if swap:
                    swap_builds(proj)
                advised += compare(rel + (" (Thread Support flipped)" if flip else "") +
                                   (" (builds swapped)" if swap else ""), proj)
    check("some samples get keys to set (%d advice compared)" % advised, advised >= 2)
finally:
    shutil.rmtree(tmp)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
