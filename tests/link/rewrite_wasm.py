#!/usr/bin/env python3
"""Derive a broken side module from a real one, byte by byte.

  rewrite_wasm.py shared IN OUT          flip the shared flag of the memory import
                                         (unshared -> shared gets maximum 65536 pages)
  rewrite_wasm.py minify IN OUT          rename the import modules "env" and
                                         "wasi_snapshot_preview1" to "a", as an
                                         optimized Emscripten build names them
  rewrite_wasm.py signature IN OUT MAIN  point the first function import of IN that
                                         MAIN exports as a wasm function at another
                                         function MAIN exports, of another signature
                                         (the import is renamed; its type and every
                                         call site stay, so it still compiles)

Prints the import that changed as "INDEX MODULE NAME". Everything else of
the module (custom sections, dylink.0, code) is copied unchanged.
"""
import sys


def leb(b, i):
    r = s = 0
    while True:
        x = b[i]
        i += 1
        r |= (x & 0x7F) << s
        s += 7
        if not x & 0x80:
            return r, i


def enc(v):
    out = bytearray()
    while True:
        x = v & 0x7F
        v >>= 7
        if v:
            out.append(x | 0x80)
        else:
            out.append(x)
            return bytes(out)


def sections(b):
    assert b[:4] == b"\0asm", "not a wasm module"
    i, out = 8, []
    while i < len(b):
        sid = b[i]
        size, j = leb(b, i + 1)
        out.append((sid, i, j, j + size))
        i = j + size
    return out


def name(b, i):
    n, i = leb(b, i)
    return b[i:i + n].decode(), i + n


def limits(b, i):
    flags = b[i]
    i += 1
    mn, i = leb(b, i)
    mx = None
    if flags & 1:
        mx, i = leb(b, i)
    return flags, mn, mx, i


def valtype(b, i):
    t = b[i]
    if t in (0x63, 0x64):  # (ref null ht) / (ref ht)
        _, i = leb(b, i + 1)
        return ("ref", t), i
    return t, i + 1


def types(b, secs):
    out = []
    for sid, _, s, _ in secs:
        if sid != 1:
            continue
        n, i = leb(b, s)
        for _ in range(n):
            form = b[i]
            i += 1
            if form != 0x60:
                raise SystemExit("type section with non-function types: not handled")
            np, i = leb(b, i)
            ps = []
            for _ in range(np):
                t, i = valtype(b, i)
                ps.append(t)
            nr, i = leb(b, i)
            rs = []
            for _ in range(nr):
                t, i = valtype(b, i)
                rs.append(t)
            out.append((tuple(ps), tuple(rs)))
    return out


def imports(b, secs):
    """[(index, module, name, kind, start, desc_start, desc_end)]"""
    out = []
    for sid, _, s, _ in secs:
        if sid != 2:
            continue
        n, i = leb(b, s)
        for k in range(n):
            st = i
            mod, i = name(b, i)
            nm, i = name(b, i)
            kind = b[i]
            ds = i + 1
            i = ds
            if kind == 0:
                _, i = leb(b, i)
            elif kind == 1:
                _, i = valtype(b, i)
                _, _, _, i = limits(b, i)
            elif kind == 2:
                _, _, _, i = limits(b, i)
            elif kind == 3:
                _, i = valtype(b, i)
                i += 1
            elif kind == 4:
                i += 1
                _, i = leb(b, i)
            out.append((k, mod, nm, kind, st, ds, i))
    return out


def exports(b, secs):
    out = {}
    for sid, _, s, _ in secs:
        if sid != 7:
            continue
        n, i = leb(b, s)
        for _ in range(n):
            nm, i = name(b, i)
            kind = b[i]
            idx, i = leb(b, i + 1)
            out[nm] = (kind, idx)
    return out


def replace_import_desc(b, secs, imp, new_desc):
    """Rebuild the module with one import's descriptor replaced."""
    for sid, hs, s, e in secs:
        if sid != 2:
            continue
        body = b[s:imp[5]] + new_desc + b[imp[6]:e]
        return b[:hs] + bytes([2]) + enc(len(body)) + body + b[e:]
    raise SystemExit("no import section")


def main():
    mode, src, dst = sys.argv[1], sys.argv[2], sys.argv[3]
    b = open(src, "rb").read()
    secs = sections(b)
    imps = imports(b, secs)
    if mode == "shared":
        mem = [m for m in imps if m[3] == 2]
        if not mem:
            raise SystemExit("no memory import")
        imp = mem[0]
        flags, mn, mx, _ = limits(b, imp[5])
        if flags & 2:
            desc = bytes([flags & ~2 & 1]) + enc(mn) + (enc(mx) if flags & 1 else b"")
        else:
            desc = bytes([3]) + enc(mn) + enc(mx if mx is not None else 65536)
        out = replace_import_desc(b, secs, imp, desc)
    elif mode == "minify":
        out = None
        for sid, hs, s0, e in secs:
            if sid != 2:
                continue
            body = bytearray(enc(len(imps)))
            for imp in imps:
                mod = b"a" if imp[1] in ("env", "wasi_snapshot_preview1") else imp[1].encode()
                nm = imp[2].encode()
                body += enc(len(mod)) + mod + enc(len(nm)) + nm + b[imp[5] - 1:imp[6]]
            out = b[:hs] + bytes([2]) + enc(len(body)) + bytes(body) + b[e:]
        if out is None:
            raise SystemExit("no import section")
        imp = (len(imps), "a", "*")
    elif mode == "signature":
        main_b = open(sys.argv[4], "rb").read()
        main_secs = sections(main_b)
        main_exp = exports(main_b, main_secs)
        main_ts = types(main_b, main_secs)
        nimp = sum(1 for m in imports(main_b, main_secs) if m[3] == 0)
        ftypes = [leb(main_b, m[5])[0] for m in imports(main_b, main_secs) if m[3] == 0]
        for sid, _, s0, _ in main_secs:
            if sid == 3:
                n, i = leb(main_b, s0)
                for _ in range(n):
                    t, i = leb(main_b, i)
                    ftypes.append(t)
        del nimp

        def main_sig(nm):
            kind, idx = main_exp[nm]
            return main_ts[ftypes[idx]]
        ts = types(b, secs)
        out = None
        for imp in imps:
            if imp[3] != 0 or imp[1] != "env" or imp[2] not in main_exp or main_exp[imp[2]][0] != 0:
                continue
            mine = ts[leb(b, imp[5])[0]]
            if main_sig(imp[2]) != mine:
                continue
            other = sorted((nm.startswith("_"), nm) for nm, (k, _) in main_exp.items()
                           if k == 0 and main_sig(nm) != mine)
            other = [nm for _, nm in other]
            if not other:
                continue
            new = other[0].encode()
            mod = imp[1].encode()
            entry = enc(len(mod)) + mod + enc(len(new)) + new + b[imp[5] - 1:imp[6]]
            for sid, hs, s0, e in secs:
                if sid == 2:
                    body = b[s0:imp[4]] + entry + b[imp[6]:e]
                    out = b[:hs] + bytes([2]) + enc(len(body)) + body + b[e:]
            imp = (imp[0], imp[1], other[0])
            break
        if out is None:
            raise SystemExit("no function import that the main module exports as a wasm function")
    else:
        raise SystemExit(f"unknown mode {mode}")
    open(dst, "wb").write(out)
    print(imp[0], imp[1], imp[2])


if __name__ == "__main__":
    main()
