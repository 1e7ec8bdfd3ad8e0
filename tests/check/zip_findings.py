#!/usr/bin/env python3
"""What only a zip gets wrong (WD213-WD216), and bad zips as input.

Each case zips a real export (examples/seed-export with the nothreads
extension, which checks clean) with the real `zip` tool or Python's zipfile,
damages or arranges it, runs `webdoctor check --json`, and requires exactly
the expected findings (ID, severity, file), the exit status and, where the
archive is damaged, the offset.

usage: zip_findings.py WEBDOCTOR SOURCE_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

WD, SRC = sys.argv[1], os.path.abspath(sys.argv[2])
sys.path.insert(0, os.path.join(SRC, "tests", "check"))
import check_findings as cf  # noqa: E402  (its export builders)
import tally  # noqa: E402
from tally import record  # noqa: E402


def expect(name, path, want, status=None, opts=(), check=None):
    out = subprocess.run([WD, "check", "--json", *opts, path], capture_output=True, text=True)
    problems = []
    try:
        doc = json.loads(out.stdout)
        got = sorted((f["id"], f["severity"], f.get("file")) for f in doc["findings"] if f["id"] != "WD113")
        if got != sorted(want):
            problems.append(f"findings\n      got:  {got}\n      want: {sorted(want)}")
        if check:
            problems += check(doc)
    except Exception as e:  # noqa
        problems.append(f"no JSON ({e}): {out.stderr.strip()}")
    if status is None:
        status = 1 if any(w[1] == "error" for w in want) else 0
    if out.returncode != status:
        problems.append(f"exit {out.returncode}, want {status}: {out.stderr.strip()}")
    record(name, problems)


def fails(name, path, code, words):
    out = subprocess.run([WD, "check", path], capture_output=True, text=True)
    problems = []
    if out.returncode != code:
        problems.append(f"exit {out.returncode}, want {code}")
    if out.returncode < 0:
        problems.append(f"signal {-out.returncode}")
    for w in words:
        if w not in out.stderr:
            problems.append(f"stderr lacks {w!r}: {out.stderr.strip()}")
    record(name, problems)


def zip_dir(folder, dest, prefix=""):
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        for n in sorted(os.listdir(folder)):
            z.write(os.path.join(folder, n), prefix + n)


def main():
    tmp = tempfile.mkdtemp(prefix="wd-zip-")
    try:
        clean = cf.export_copy(tmp, "clean")
        cf.replace_ext(clean, "side_n29_nothreads.wasm")
        z = os.path.join(tmp, "clean.zip")
        subprocess.run(["zip", "-q", "-r", "-X", z, "."], cwd=clean, check=True)
        expect("a clean export's zip has no finding", z, [])

        # ---- WD213: the export one folder down
        z = os.path.join(tmp, "nested.zip")
        os.rename(clean, os.path.join(tmp, "web"))
        subprocess.run(["zip", "-q", "-r", "-X", z, "web"], cwd=tmp, check=True)
        os.rename(os.path.join(tmp, "web"), clean)
        folder_named = lambda doc: [] if "'web/'" in doc["findings"][0]["message"] else ["the folder is not named"]
        expect("WD213 export in a sub-folder (zip -r game.zip web/)", z, [("WD213", "warning", "web/index.html")],
               check=folder_named)
        expect("WD213 is an error for itch.io", z, [("WD213", "error", "web/index.html")], opts=("--host", "itch"))
        d = cf.export_copy(tmp, "nested-broken")
        os.remove(os.path.join(d, "index.pck"))
        z = os.path.join(tmp, "nested-broken.zip")
        zip_dir(d, z, "game/build/")
        expect("WD213 then the export's own findings, relative to its folder", z,
               [("WD213", "warning", "game/build/index.html"), ("WD101", "error", cf.__dict__.get("LIB", "liblimboai.web.template_release.wasm32.wasm")),
                ("WD201", "error", "index.pck")])
        z = os.path.join(tmp, "macos.zip")
        with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
            for n in sorted(os.listdir(clean)):
                zf.write(os.path.join(clean, n), "web/" + n)
                zf.writestr("__MACOSX/web/._" + n, b"\0\5\26\7resource fork")
        expect("WD213: macOS's __MACOSX folder is not the export", z, [("WD213", "warning", "web/index.html")])

        # ---- WD214: names differing only in case
        z = os.path.join(tmp, "case.zip")
        zip_dir(clean, z)
        with zipfile.ZipFile(z, "a") as zf:
            zf.write(os.path.join(clean, "index.pck"), "Index.pck")
        expect("WD214 Index.pck beside index.pck", z, [("WD214", "warning", "index.pck")])

        # ---- WD215: over the host's limits where WD210 does not look
        z = os.path.join(tmp, "big.zip")
        zip_dir(clean, z)
        with zipfile.ZipFile(z, "a", zipfile.ZIP_DEFLATED) as zf:
            with zf.open("assets/big.bin", "w", force_zip64=True) as f:
                block = b"\0" * (1 << 20)
                for _ in range(210):
                    f.write(block)
        expect("WD215 a 210 MiB file in a sub-folder, --host itch", z, [("WD215", "error", "assets/big.bin")],
               opts=("--host", "itch"))
        expect("WD215 only with --host", z, [])
        z = os.path.join(tmp, "many.zip")
        zip_dir(clean, z)
        with zipfile.ZipFile(z, "a", zipfile.ZIP_STORED) as zf:
            for i in range(1000):
                zf.writestr(f".import/res{i:04}.import", b"[remap]\n")
        expect("WD215 1,000 more files than itch.io takes", z, [("WD215", "error", None)], opts=("--host", "itch"))

        # ---- WD216: damaged archives
        good = os.path.join(tmp, "clean.zip")
        data = open(good, "rb").read()
        z = os.path.join(tmp, "cut.zip")
        open(z, "wb").write(data[: len(data) // 2])
        def cut_named(doc):
            f = doc["findings"][0]
            probs = []
            if f.get("offset") is None:
                probs.append("no offset")
            if "inside '" not in f["message"] or "cut.zip" not in f["message"]:
                probs.append(f"message does not name the zip and the cut entry: {f['message']}")
            return probs
        expect("WD216 a zip cut in half (names the entry and its offset)", z, [("WD216", "error", None)],
               check=cut_named)
        open(z, "wb").write(data[:-10])
        expect("WD216 a zip missing its last 10 bytes", z, [("WD216", "error", None)])
        # a flipped byte in the deflated data of the extension
        info = zipfile.ZipFile(good).getinfo("liblimboai.web.template_release.wasm32.wasm")
        bad = bytearray(data)
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
        bad[start + info.compress_size // 2] ^= 0x55
        z = os.path.join(tmp, "flipped.zip")
        open(z, "wb").write(bad)
        lib = "liblimboai.web.template_release.wasm32.wasm"
        expect("WD216 a damaged entry (and the module it should hold: WD100)", z,
               [("WD216", "error", lib), ("WD100", "error", lib)])

        # ---- bad input: exit 2, a message naming the file, never a signal
        z = os.path.join(tmp, "not-a-zip.zip")
        open(z, "w").write("hello\n")
        fails("a text file named .zip", z, 2, ["not-a-zip.zip"])
        z = os.path.join(tmp, "empty.zip")
        open(z, "wb").close()
        fails("an empty file", z, 2, ["empty.zip"])
        z = os.path.join(tmp, "empty-archive.zip")
        zipfile.ZipFile(z, "w").close()
        expect("an empty archive: no export in it", z, [("WD212", "error", None)])
        # a zip whose directory claims far more than its data can hold
        z = os.path.join(tmp, "liar.zip")
        zip_dir(clean, z)
        raw = bytearray(open(z, "rb").read())
        # patch the uncompressed size of every central record of index.wasm to 3 GiB
        name = b"index.wasm"
        pos = 0
        while True:
            pos = raw.find(b"PK\x01\x02", pos)
            if pos < 0:
                break
            nlen = int.from_bytes(raw[pos + 28:pos + 30], "little")
            if raw[pos + 46:pos + 46 + nlen] == name:
                raw[pos + 24:pos + 28] = (3 << 30).to_bytes(4, "little")
            pos += 4
        open(z, "wb").write(raw)
        expect("a directory claiming 3 GiB for index.wasm: refused before allocating", z,
               [("WD100", "error", "index.wasm"), ("WD216", "error", "index.wasm"), ("WD202", "warning", "index.wasm")])
    finally:
        shutil.rmtree(tmp)
    return tally.summary()


if __name__ == "__main__":
    sys.exit(main())
