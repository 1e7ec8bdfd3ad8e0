#!/usr/bin/env python3
"""`webdoctor check game.zip` says exactly what `webdoctor check game/` says.

Every export folder the check suites use (the scenarios of
check_findings.py, run through its own builders; the samples; the real Godot
export of the npm corpus; the threaded exports the net and serve suites
build) is zipped with the real `zip` tool (deflated, stored, forced zip64)
and with Python's zipfile (deflated, stored with zip64 headers), and
`webdoctor check --json` (with the scenario's options) must print the same
document for the zip as for the folder, once the subject's path is replaced.
The samples' HTML reports must match too.

usage: zip_equality.py WEBDOCTOR SOURCE_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

WD, SRC = sys.argv[1], os.path.abspath(sys.argv[2])
sys.path.insert(0, os.path.join(SRC, "tests", "check"))
import check_findings  # noqa: E402  (the scenarios, built by its own code)
import tally  # noqa: E402
from tally import record  # noqa: E402

samples = 0
TMP = tempfile.mkdtemp(prefix="wd-zip-eq-")


def zip_tool(folder, dest, *flags):
    subprocess.run(["zip", "-q", "-r", "-X", *flags, dest, "."], cwd=folder, check=True)


def zip_python(folder, dest, method, zip64=False):
    with zipfile.ZipFile(dest, "w", compression=method) as z:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(root, name)
                arc = os.path.relpath(path, folder)
                if zip64:
                    info = zipfile.ZipInfo.from_file(path, arc)
                    info.compress_type = method
                    with open(path, "rb") as src, z.open(info, "w", force_zip64=True) as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)
                else:
                    z.write(path, arc)


VARIANTS = [
    ("zip", lambda f, d: zip_tool(f, d)),
    ("zip -0", lambda f, d: zip_tool(f, d, "-0")),
    ("zip -fz", lambda f, d: zip_tool(f, d, "-fz")),
    ("zipfile deflated", lambda f, d: zip_python(f, d, zipfile.ZIP_DEFLATED)),
    ("zipfile stored zip64", lambda f, d: zip_python(f, d, zipfile.ZIP_STORED, zip64=True)),
]


def run(path, opts, fmt=("--json",)):
    out = subprocess.run([WD, "check", *fmt, *opts, path], capture_output=True)
    return out.returncode, out.stdout.replace(path.encode(), b"<SUBJECT>"), out.stderr.replace(path.encode(), b"<SUBJECT>")


def same_as_folder(name, folder, opts=(), variants=VARIANTS, html=False):
    global samples
    if os.path.exists(os.path.join(folder, "project.godot")):
        return  # a project, not an export
    samples += 1
    want = run(folder, opts)
    if want[0] not in (0, 1):
        record(f"{name}: folder", [f"exit {want[0]}: {want[2].decode(errors='replace')}"])
        return
    for label, make in variants:
        z = os.path.join(TMP, f"s{samples}.zip")
        if os.path.exists(z):
            os.remove(z)
        make(folder, z)
        got = run(z, opts)
        problems = []
        if got[0] != want[0]:
            problems.append(f"exit {got[0]}, folder {want[0]}")
        if got[1] != want[1]:
            a, b = want[1].decode(errors="replace").splitlines(), got[1].decode(errors="replace").splitlines()
            diff = [f"-{x}" for x in a if x not in b][:3] + [f"+{x}" for x in b if x not in a][:3]
            problems.append("JSON differs: " + " | ".join(diff))
        if html and label == variants[0][0]:
            hf, hz = os.path.join(TMP, "f.html"), os.path.join(TMP, "z.html")
            run(folder, opts, ("--html", hf, "-q"))
            run(z, opts, ("--html", hz, "-q"))
            # the title breaks the path with <wbr> after each '/'
            tf = open(hf, "rb").read().replace(b"<wbr>", b"").replace(folder.encode(), b"<SUBJECT>")
            tz = open(hz, "rb").read().replace(b"<wbr>", b"").replace(z.encode(), b"<SUBJECT>")
            if tf != tz:
                problems.append("HTML report differs")
            if b'class="module"' not in tz:
                problems.append("HTML report of the zip has no module facts")
        record(f"{name} [{label}]", problems)
        os.remove(z)


def scenario(name, path, want, status=None, opts=(), keep_notes=False):
    """check_findings.expect's signature: compare instead of expecting."""
    # the first two variants for every scenario, all of them for the samples
    same_as_folder(name, path, opts, VARIANTS[:1] + VARIANTS[3:4])


def main():
    real = check_findings.REAL
    same_as_folder("examples/seed-export", os.path.join(SRC, "examples", "seed-export"), html=True)
    # 37.7 MB of engine: two ways (deflated by zip, stored zip64 by zipfile) keep the suite short
    same_as_folder("real Godot 4 export (npm corpus)", real, (), VARIANTS[:1] + VARIANTS[4:], html=True)
    same_as_folder("real Godot 4 export, --host itch", real, ("--host", "itch"), VARIANTS[4:])
    t = os.path.join(TMP, "threaded-serve")
    subprocess.run([os.path.join(SRC, "tests", "serve", "make-threaded-export"), t], check=True,
                   capture_output=True)
    same_as_folder("threaded export (tests/serve)", t, html=True)
    same_as_folder("threaded export (tests/serve), --host github-pages", t, ("--host", "github-pages"),
                   VARIANTS[:1])
    t = os.path.join(TMP, "threaded-net")
    subprocess.run(["bash", "-c", f'. "{SRC}/tests/net/lib.sh" && make_threaded "$1" && compress "$1"', "_", t],
                   check=True, capture_output=True, env={**os.environ, "WEBDOCTOR": WD, "WD_SOURCE_DIR": SRC})
    same_as_folder("threaded export with .gz/.br copies (tests/net)", t)
    # every export scenario of the findings suite, built by its own code
    check_findings.expect = scenario
    check_findings.main()


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print(f"{samples} exports compared (each zipped 2 to {len(VARIANTS)} ways)")
    sys.exit(tally.summary())
