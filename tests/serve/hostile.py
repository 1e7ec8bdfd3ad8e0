#!/usr/bin/env python3
"""Hostile requests against webdoctor serve: traversal paths in every
spelling (.., percent-encoded, double-encoded, overlong UTF-8, backslashes,
NUL bytes), symlinks leading out of the root, absolute URIs, and malformed
or oversized requests. Counts escapes (any response carrying a planted
secret from outside the root, or /etc/passwd) and crashes (the server gone,
or not answering a plain request afterwards). Both must be zero.

    hostile.py WEBDOCTOR [--min N]
"""
import itertools
import os
import random
import shutil
import sys
import tempfile
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servelib import Checks, Server, raw_request, status_of  # noqa: E402

wd = sys.argv[1]
c = Checks()
tmp = tempfile.mkdtemp(prefix="wd-serve-hostile-")
root = os.path.join(tmp, "site", "root")
outside = os.path.join(tmp, "outside")
SECRET = ("WD-SECRET-%08x" % random.SystemRandom().getrandbits(32)).encode()
os.makedirs(os.path.join(root, "sub", "deeper"))
os.makedirs(outside)
for p in [os.path.join(tmp, "secret.txt"), os.path.join(tmp, "site", "secret.txt"), os.path.join(outside, "secret.txt")]:
    with open(p, "wb") as f:
        f.write(SECRET + b"\n")
with open(os.path.join(root, "index.html"), "w") as f:
    f.write("<html><head></head><body>root</body></html>")
with open(os.path.join(root, "sub", "deeper", "ok.txt"), "w") as f:
    f.write("ok")
# links that lead out of the root, every kind
os.symlink(outside, os.path.join(root, "link-out"))                      # folder, absolute
os.symlink("../../outside/secret.txt", os.path.join(root, "link-rel"))   # file, relative
os.symlink(os.path.join(outside, "secret.txt"), os.path.join(root, "link-abs"))
os.symlink("/etc/passwd", os.path.join(root, "link-passwd"))
os.symlink("../../../outside", os.path.join(root, "sub", "link-up"))
os.symlink("/proc/self/root/etc/passwd", os.path.join(root, "link-proc"))
os.symlink("/proc/self/cwd", os.path.join(root, "link-cwd"))
os.symlink("loop-b", os.path.join(root, "loop-a"))
os.symlink("loop-a", os.path.join(root, "loop-b"))

srv = Server(wd, root, "--quiet")
port = srv.port
escapes = 0
crashes = 0
sent = 0


def looks_escaped(resp):
    return resp is not None and (SECRET in resp or b"root:x:0:0" in resp or b"/bin/bash" in resp)


def healthy():
    r = raw_request(port, b"GET /sub/deeper/ok.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", timeout=5)
    return status_of(r) == 200 and r.endswith(b"ok")


def send(data, what, expect_status=None, timeout=3.0):
    global escapes, sent
    sent += 1
    resp = raw_request(port, data, timeout=timeout)
    if looks_escaped(resp):
        escapes += 1
        print(f"ESCAPE {what}: {data[:120]!r} -> {resp[:200]!r}", flush=True)
    st = status_of(resp)
    if expect_status is not None:
        c.check(st in expect_status, f"{what}: status in {expect_status}", (st, data[:100]))
    return st


def crash_check(what):
    global crashes
    if not srv.alive() or not healthy():
        crashes += 1
        print(f"CRASH after {what} (alive={srv.alive()})", flush=True)
        return False
    return True


# ---- traversal paths ----------------------------------------------------------
dots = ["..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "%252e%252e", "%c0%ae%c0%ae", "%e0%80%ae%e0%80%ae",
        "%c0%2e%c0%2e", "..%00", "%2e%2e%00", "...", "..%20", ". .", "%u002e%u002e", "..;"]
seps = ["/", "%2f", "%2F", "%5c", "\\", "%c0%af", "%e0%80%af", "%252f", "//", "/./"]
targets = ["secret.txt", "outside/secret.txt", "etc/passwd"]
prefixes = ["/", "/sub/", "/sub/deeper/", "/link-out/"]
paths = set()
for d, s in itertools.product(dots, seps):
    for depth in (1, 2, 3, 6):
        for t in targets:
            paths.add(prefixes[zlib.crc32(f"{d}|{s}|{depth}|{t}".encode()) % len(prefixes)] + (d + s) * depth + t.replace("/", s))
# known spellings from real advisories
paths.update([
    "/../secret.txt", "/../../secret.txt", "/../../../etc/passwd", "/..%2fsecret.txt", "/%2e%2e/%2e%2e/secret.txt",
    "/%2e%2e%2f%2e%2e%2fsecret.txt", "/..%5c..%5csecret.txt", "/..\\..\\secret.txt", "/sub/..\\..\\..\\secret.txt",
    "/%c0%ae%c0%ae/%c0%ae%c0%ae/secret.txt", "/%c1%9c%c1%9csecret.txt", "/..%c0%af..%c0%afsecret.txt",
    "/..%c1%9c..%c1%9csecret.txt", "/%f0%80%80%ae%f0%80%80%ae/secret.txt", "/%fc%80%80%80%80%ae/secret.txt",
    "/index.html%00../../secret.txt", "/%00/../../secret.txt", "/sub/%2e%2e/%2e%2e/%2e%2e/secret.txt",
    "/....//....//secret.txt", "/..../secret.txt", "/.%2e/.%2e/secret.txt", "/%2e/%2e%2e/%2e%2e/secret.txt",
    "/link-out/secret.txt", "/link-out/", "/link-out", "/link-rel", "/link-abs", "/link-passwd", "/link-proc",
    "/link-cwd/", "/link-cwd/site/secret.txt", "/sub/link-up/secret.txt", "/sub/link-up/", "/loop-a", "/loop-b/x",
    "/link-out%2fsecret.txt", "/link-out/%2e%2e/secret.txt", "/link-out/../secret.txt",
    "//etc/passwd", "///etc/passwd", "/.//..//secret.txt", "/;/../secret.txt", "/sub;/../../secret.txt",
    "/%2F..%2F..%2Fsecret.txt", "/..%252f..%252fsecret.txt", "/%25%32%65%25%32%65/secret.txt",
    "/.%252e/.%252e/secret.txt", "/..%u2215..%u2215secret.txt", "/%e2%80%a4%e2%80%a4/secret.txt",
    "/\uff0e\uff0e/secret.txt".encode().decode("latin-1"), "/..%ef%bc%8fsecret.txt",
])
paths = sorted(paths)
for path in paths:
    data = b"GET " + path.encode("latin-1") + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    st = send(data, f"traversal {path}")
    c.check(st in (400, 403, 404), f"traversal {path}: refused (400/403/404)", st)
npaths = len(paths)
crash_check("traversal paths")

# absolute URIs (absolute-form request-targets)
absolute = ["http://127.0.0.1/../secret.txt", "http://127.0.0.1/../../secret.txt", "http://evil.example/../../../etc/passwd",
            "https://x/%2e%2e/%2e%2e/secret.txt", "http://x", "http://x/link-out/secret.txt", "file:///etc/passwd",
            "http:///etc/passwd", "http://127.0.0.1:1/..%2f..%2fsecret.txt", "HTTP://X/../secret.txt", "//x/../secret.txt",
            "*", "http://[::1]/../../secret.txt", "http://user:pass@x/../secret.txt", "javascript:alert(1)",
            "http://x/sub/deeper/ok.txt"]
for u in absolute:
    st = send(b"GET " + u.encode() + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", f"absolute {u}")
    if u == "http://x/sub/deeper/ok.txt":
        c.check(st == 200, "an absolute-form URI inside the root is served", st)
    else:
        c.check(st in (400, 403, 404, 200) and st is not None, f"absolute {u}: answered", st)
crash_check("absolute URIs")

# ---- malformed requests --------------------------------------------------------
rnd = random.Random(20240601)
H = b"Host: x\r\n"
malformed = [
    (b"GET\r\n\r\n", "no target"), (b"GET /\r\n\r\n", "HTTP/0.9"), (b"GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 without Host"),
    (b"GET / HTTP/9.9\r\n" + H + b"\r\n", "HTTP/9.9"), (b"GET / HTTP/1.1x\r\n" + H + b"\r\n", "bad version"),
    (b"GET  /  HTTP/1.1\r\n" + H + b"\r\n", "double spaces"), (b"G\x00ET / HTTP/1.1\r\n" + H + b"\r\n", "NUL in method"),
    (b"GET /ind\x00ex.html HTTP/1.1\r\n" + H + b"\r\n", "raw NUL in target"),
    (b"GET /../\x00/secret.txt HTTP/1.1\r\n" + H + b"\r\n", "raw NUL after .."),
    (b"GET / HTTP/1.1\r\nHost: x\x00y\r\n\r\n", "NUL in a header"), (b"GET / HTTP/1.1\r\nBroken\r\n" + H + b"\r\n", "header without colon"),
    (b"GET / HTTP/1.1\r\n" + H + b" folded: x\r\n\r\n", "obs-fold"), (b"GET / HTTP/1.1\n" + H.replace(b"\r", b"") + b"\n", "bare LF"),
    (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(64), "a TLS hello to plain HTTP"),
    (b"GET / HTTP/1.1\r\n" + H + b"Content-Length: -1\r\n\r\n", "Content-Length -1"),
    (b"GET / HTTP/1.1\r\n" + H + b"Content-Length: 99999999999999999999999\r\n\r\n", "huge Content-Length"),
    (b"GET / HTTP/1.1\r\n" + H + b"Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello", "two Content-Lengths"),
    (b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n", "bad chunk size"),
    (b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n", "TE and CL"),
    (b"GET / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n", "chunk size overflow"),
    (b"GET / HTTP/1.1\r\n" + H + b"Content-Length: 10\r\n\r\n0123456789", "GET with a body"),
    (b"GET /index.html HTTP/1.1\r\n" + H + b"Range: bytes=99999999999999999999999-\r\n\r\n", "Range overflow"),
    (b"GET /index.html HTTP/1.1\r\n" + H + b"Range: bytes=-99999999999999999999999\r\n\r\n", "suffix overflow"),
    (b"GET /index.html HTTP/1.1\r\n" + H + b"Range: bytes=" + b",".join([b"0-0"] * 2000) + b"\r\n\r\n", "2000 ranges"),
    (b"GET /index.html HTTP/1.1\r\n" + H + b"Range: bytes=18446744073709551615-18446744073709551615\r\n\r\n", "Range at u64 max"),
    (b"GET /index.html HTTP/1.1\r\n" + H + b"If-None-Match: " + b'"a",' * 5000 + b"\r\n\r\n", "long If-None-Match"),
    (b"GET /index.html HTTP/1.1\r\n" + H + b"If-None-Match: W/\r\n\r\n", "truncated If-None-Match"),
    (b"GET /index.html HTTP/1.1\r\n" + H + b"If-Modified-Since: Sun, 99 Xyz 99999 99:99:99 GMT\r\n\r\n", "bad date"),
    (b"GET /index.html HTTP/1.1\r\n" + H + b"Accept-Encoding: " + b"br;q=0.5;q=;x=\"\";," * 3000 + b"\r\n\r\n", "junk Accept-Encoding"),
    (b"GET /index.html HTTP/1.1\r\n" + H + b"Accept-Encoding: ;;;,,,;q=1.0000000,*;q=-1\r\n\r\n", "odd Accept-Encoding"),
    (b"GET /" + b"a" * (1 << 20) + b" HTTP/1.1\r\n" + H + b"\r\n", "1 MiB target"),
    (b"GET / HTTP/1.1\r\n" + H + b"X-Big: " + b"x" * (1 << 20) + b"\r\n\r\n", "1 MiB header"),
    (b"GET / HTTP/1.1\r\n" + H + b"".join(b"X-%d: y\r\n" % i for i in range(20000)) + b"\r\n", "20000 headers"),
    (b"GET / HTTP/1.1\r\n" + H + b"Cookie: " + b"a=b; " * 20000 + b"\r\n\r\n", "huge cookie"),
    (b"TRACE / HTTP/1.1\r\n" + H + b"\r\n", "TRACE"), (b"CONNECT 127.0.0.1:22 HTTP/1.1\r\n" + H + b"\r\n", "CONNECT"),
    (b"DELETE /index.html HTTP/1.1\r\n" + H + b"\r\n", "DELETE"), (b"PUT /x HTTP/1.1\r\n" + H + b"Content-Length: 3\r\n\r\nabc", "PUT"),
    (b"OPTIONS * HTTP/1.1\r\n" + H + b"\r\n", "OPTIONS *"), (b"GET * HTTP/1.1\r\n" + H + b"\r\n", "GET *"),
    (b"G@T / HTTP/1.1\r\n" + H + b"\r\n", "bad method token"), (b"GET / HTTP/1.1\r\nHost: ../../etc\r\n\r\n", "traversal in Host"),
    (b"\r\n\r\n\r\n\r\n", "blank lines"), (b"GET / HTTP/1.1\r\n" + H, "unterminated headers"),
    (b"GET / HTTP/1.1\r\n" + H + b"Expect: 100-continue\r\nContent-Length: 100000000\r\n\r\n", "Expect with a huge body"),
    (b"GET / HTTP/1.1\r\n" + H + b"Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n", "upgrade request"),
    (b"GET /index.html HTTP/1.0\r\n\r\n", "HTTP/1.0 without Host (valid)"),
    (b"GET /%zz HTTP/1.1\r\n" + H + b"\r\n", "bad percent"), (b"GET /% HTTP/1.1\r\n" + H + b"\r\n", "lone percent"),
    (b"GET /%4 HTTP/1.1\r\n" + H + b"\r\n", "short percent"), (b"GET /\x7f HTTP/1.1\r\n" + H + b"\r\n", "DEL byte"),
    (b"GET /\xff\xfe HTTP/1.1\r\n" + H + b"\r\n", "raw invalid UTF-8"), (b"GET /%ff%fe HTTP/1.1\r\n" + H + b"\r\n", "encoded invalid UTF-8"),
    (b"GET /%ed%a0%80 HTTP/1.1\r\n" + H + b"\r\n", "encoded surrogate"), (b"GET /%f4%90%80%80 HTTP/1.1\r\n" + H + b"\r\n", "above U+10FFFF"),
    (b"GET /index.html?" + b"q" * 60000 + b" HTTP/1.1\r\n" + H + b"\r\n", "long query"),
    (b"GET /index.html#frag HTTP/1.1\r\n" + H + b"\r\n", "fragment sent"),
    (b"".join(b"GET /index.html HTTP/1.1\r\n" + H + b"\r\n" for _ in range(200)), "200 pipelined requests"),
    (b"".join(b"GET /../secret.txt HTTP/1.1\r\n" + H + b"\r\n" for _ in range(50)), "50 pipelined traversals"),
]
# random garbage, fixed seed
for i in range(40):
    n = rnd.choice([1, 7, 64, 512, 4096, 65536])
    malformed.append((bytes(rnd.getrandbits(8) for _ in range(n)), f"random bytes #{i} ({n})"))
# a real request with random bytes flipped
base = b"GET /sub/deeper/ok.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1\r\nAccept-Encoding: br, gzip\r\n\r\n"
for i in range(40):
    b = bytearray(base)
    for _ in range(rnd.randint(1, 6)):
        b[rnd.randrange(len(b))] = rnd.getrandbits(8)
    malformed.append((bytes(b), f"mutated request #{i}"))

for data, what in malformed:
    st = send(data, what, timeout=1.0)
    if not crash_check(what):
        break
nmalformed = len(malformed)

# slow and abandoned connections
import socket  # noqa: E402
socks = []
for i in range(50):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=2)
        s.sendall(b"GET /index.html HTTP/1.1\r\nHost: x\r\n")  # never finished
        socks.append(s)
    except OSError:
        pass
c.check(healthy(), "answers while 50 connections hang half-sent")
for s in socks:
    s.close()
sent += len(socks)
crash_check("abandoned connections")

c.check(srv.alive(), "the server is still running after every hostile request")
rc = srv.stop()
c.check(rc == 0, "and stops cleanly afterwards", rc)
c.check(escapes == 0, "zero escapes", escapes)
c.check(crashes == 0, "zero crashes", crashes)
c.check(npaths >= 200, "at least 200 traversal paths", npaths)
print(f"hostile: {sent} requests: {npaths} traversal paths, {len(absolute)} absolute URIs, {nmalformed} malformed, "
      f"50 abandoned connections; {escapes} escapes, {crashes} crashes", flush=True)
shutil.rmtree(tmp, ignore_errors=True)
sys.exit(c.summary())
