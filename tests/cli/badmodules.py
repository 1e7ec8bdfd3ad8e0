#!/usr/bin/env python3
"""Write truncated and mangled copies of real modules, deterministically.

    badmodules.py OUTDIR MAX MODULE.wasm...

For every module: cuts in the header, at every section's start, inside its
size, in its middle and one byte before its end; every section's size told
one byte too short and too long (same LEB length, as tests/unit/test_truncate
does); and mangled copies: bad magic, bad version, an unknown section id, an
unknown opcode at the start of the first function body, the module gzipped
(a host that compresses twice), an HTML 404 page in its place. From all of
these (identical bytes counted once) about MAX are kept: the same share for
every class, evenly spaced over the modules, so every class stays
represented and the run is the same each time. Prints "<kept> of <generated>".
"""
import gzip
import os
import sys


def leb(data, at):
    v = shift = 0
    n = 0
    while True:
        if at + n >= len(data):
            return None, 0
        b = data[at + n]
        v |= (b & 0x7F) << shift
        n += 1
        shift += 7
        if not b & 0x80:
            return v, n


def enc_leb(v, n):
    out = bytearray()
    for k in range(n):
        b = v & 0x7F
        v >>= 7
        out.append(b | (0x80 if k < n - 1 else 0))
    return bytes(out)


def sections(data):
    at = 8
    while at < len(data):
        size, n = leb(data, at + 1)
        if size is None:
            return
        yield data[at], at, n, at + 1 + n, at + 1 + n + size
        at = at + 1 + n + size


def variants(name, data):
    yield f"{name}.cut4", data[:4]
    yield f"{name}.cut7", data[:7]
    secs = list(sections(data))
    for i, (sid, start, n, body, end) in enumerate(secs):
        for tag, cut in (("start", start), ("size", start + 1), ("mid", (body + end) // 2), ("end1", end - 1)):
            if 8 < cut < len(data):
                yield f"{name}.s{i}-{sid}.cut-{tag}", data[:cut]
        size, _ = leb(data, start + 1)
        for d, tag in ((-1, "short"), (1, "long")):
            ns = size + d
            if ns < 0 or ns >= 1 << (7 * n):
                continue
            yield f"{name}.s{i}-{sid}.size-{tag}", data[:start + 1] + enc_leb(ns, n) + data[start + 1 + n:]
    yield f"{name}.badmagic", b"\0asn" + data[4:]
    yield f"{name}.badversion", data[:4] + b"\x02\0\0\0" + data[8:]
    first = next((s for s in secs if s[0] != 0), None)
    if first:
        yield f"{name}.badsectionid", data[:first[1]] + b"\x20" + data[first[1] + 1:]
    code = next((s for s in secs if s[0] == 10), None)
    if code:
        count, cn = leb(data, code[3])
        bsize, bn = leb(data, code[3] + cn)
        if count and bsize:
            # skip the locals: count, then (n, type) pairs
            at = code[3] + cn + bn
            nlocals, ln = leb(data, at)
            at += ln
            for _ in range(nlocals or 0):
                _, k = leb(data, at)
                at += k + 1
            if at < len(data):
                yield f"{name}.badopcode", data[:at] + b"\xff" + data[at + 1:]
    yield f"{name}.gzipped", gzip.compress(data, mtime=0)
    yield f"{name}.html404", (b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>"
                              b"<body><h1>Not Found</h1></body></html>\n")


def main():
    out, keep, mods = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    classes = {}
    seen = set()
    total = 0
    for path in sorted(mods):
        base = os.path.basename(path)[:-5]
        with open(path, "rb") as f:
            data = f.read()
        for name, v in variants(base, data):
            total += 1
            if v in seen:  # the same bytes from another module (cut4, html404)
                continue
            seen.add(v)
            cls = name.rsplit(".", 1)[-1]
            cls = cls.split("-", 1)[-1] if cls.startswith("cut-") or cls.startswith("size-") else cls
            classes.setdefault(cls, []).append((name, v))
    # the same share for every class, evenly spaced over its modules
    picked = []
    share = max(1, keep // len(classes))
    for cls in sorted(classes):
        items = sorted(classes[cls])
        if len(items) > share:
            step = len(items) / share
            items = [items[int(k * step)] for k in range(share)]
        picked.extend(items)
    os.makedirs(out, exist_ok=True)
    for name, data in picked:
        with open(os.path.join(out, name + ".wasm"), "wb") as f:
            f.write(data)
    print(f"{len(picked)} of {total}")


main()
