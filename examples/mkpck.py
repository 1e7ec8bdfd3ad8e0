#!/usr/bin/env python3
"""Write a Godot 4 resource pack (format 2, as Godot 4.0-4.3 write it).

usage: mkpck.py OUT.pck GODOT_VERSION RES_PATH=FILE...

Layout (core/io/file_access_pack.cpp, pck_packer.cpp): "GDPC", u32 format
version, u32 major, minor, patch, u32 flags, u64 file base, 16 reserved u32,
u32 file count, then per file: u32 path length (padded to 4 with NULs),
the path (without "res://"), u64 offset from the file base, u64 size,
16-byte MD5, u32 flags; the file data follows at the file base, each file
aligned to 32 bytes. Deterministic: same inputs, same bytes.
"""
import hashlib
import struct
import sys


def main():
    out, version, items = sys.argv[1], sys.argv[2], sys.argv[3:]
    major, minor, patch = (int(x) for x in (version.split(".") + ["0"])[:3])
    files = []
    for item in items:
        res, path = item.split("=", 1)
        assert res.startswith("res://"), res
        files.append((res[6:], open(path, "rb").read()))
    files.sort()
    # directory size first, to place the data after it
    dir_size = 4
    for name, _ in files:
        n = len(name.encode()) + 1
        n = (n + 3) & ~3
        dir_size += 4 + n + 8 + 8 + 16 + 4
    header = 4 + 4 * 4 + 4 + 8 + 16 * 4
    base = (header + dir_size + 31) & ~31
    offsets, pos = [], 0
    for _, data in files:
        offsets.append(pos)
        pos = (pos + len(data) + 31) & ~31
    out_b = bytearray()
    out_b += b"GDPC" + struct.pack("<IIIII", 2, major, minor, patch, 0) + struct.pack("<Q", base)
    out_b += b"\0" * 64
    out_b += struct.pack("<I", len(files))
    for (name, data), off in zip(files, offsets):
        raw = name.encode()
        n = (len(raw) + 1 + 3) & ~3
        out_b += struct.pack("<I", n) + raw + b"\0" * (n - len(raw))
        out_b += struct.pack("<QQ", off, len(data)) + hashlib.md5(data).digest() + struct.pack("<I", 0)
    out_b += b"\0" * (base - len(out_b))
    for (name, data), off in zip(files, offsets):
        assert len(out_b) == base + off
        out_b += data
        out_b += b"\0" * (((len(data) + 31) & ~31) - len(data))
    open(out, "wb").write(bytes(out_b))


if __name__ == "__main__":
    main()
