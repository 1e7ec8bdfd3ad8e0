#!/usr/bin/env python3
"""webdoctor serve over HTTP: headers, types, precompressed copies, caching
validators, ranges, HEAD, folders, injection, the reserved paths, the access
log, signals, TLS, the bind warning and usage errors.

    http_test.py WEBDOCTOR SOURCE_DIR
"""
import gzip
import json
import os
import shutil
import signal
import ssl
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servelib import Checks, Server, get, die  # noqa: E402

wd, src = sys.argv[1], sys.argv[2]
c = Checks()
tmp = tempfile.mkdtemp(prefix="wd-serve-http-")
root = os.path.join(tmp, "root")


def write(rel, data, mtime=None):
    p = os.path.join(root, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    if mtime is not None:
        os.utime(p, (mtime, mtime))
    return p


def compress(tool, data):
    return subprocess.run([tool, "-c"], input=data, stdout=subprocess.PIPE, check=True).stdout


def decompress(tool, data):
    return subprocess.run([tool, "-d", "-c"], input=data, stdout=subprocess.PIPE, check=True).stdout


# ---- the folder -----------------------------------------------------------
wasm = open(os.path.join(src, "tests/fixtures/wasm/main_nothreads.wasm"), "rb").read()
now = time.time()
write("index.html", "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>t</title>\n</head>\n"
      "<body><script src=\"app.js\"></script></body>\n</html>\n", now - 100)
write("index.html.gz", gzip.compress(open(os.path.join(root, "index.html"), "rb").read()), now - 50)
write("app.js", "console.log('app');\n" * 50, now - 100)
write("app.wasm", wasm, now - 100)
have_br = shutil.which("brotli") is not None
have_zst = shutil.which("zstd") is not None
write("app.wasm.gz", gzip.compress(wasm), now - 50)
if have_br:
    write("app.wasm.br", compress("brotli", wasm), now - 50)
if have_zst:
    write("app.wasm.zst", compress("zstd", wasm), now - 50)
write("old.js", "let fresh = 1;\n", now - 10)
write("old.js.gz", gzip.compress(b"let stale = 1;\n"), now - 1000)  # older than its file: never served
write("game.pck", b"GDPC" + bytes(100), now - 100)
write("manifest.webmanifest", "{}", now - 100)
write("icon.png", b"\x89PNG\r\n\x1a\n" + bytes(20), now - 100)
write("style.CSS", "body{}", now - 100)
write("data.bin", bytes(range(256)) * 4, now - 100)
write("big.wasm", os.urandom(300 * 1024), now - 100)  # over the in-memory limit: sent from the file
write("sub/index.html", "<html><head></head><body>sub</body></html>", now - 100)
write("sub2/b&<x>.txt", "x", now - 100)
write("sub2/a b.txt", "y", now - 100)
write(".hidden", "hidden", now - 100)
write(".well-known/security.txt", "Contact: x", now - 100)
os.symlink("app.js", os.path.join(root, "alias.js"))  # a link inside the root is fine

srv = Server(wd, root)
p = srv.port
requests = 0


def req(path, headers=None, method="GET"):
    global requests
    requests += 1
    return get(p, path, headers, method)


# ---- headers on everything ------------------------------------------------
for path, want in [("/", 200), ("/app.js", 200), ("/missing", 404)]:
    st, h, _ = req(path)
    c.check(st == want, f"{path}: status {want}", st)
    c.check(h.get("cross-origin-opener-policy") == "same-origin", f"{path}: COOP same-origin", h)
    c.check(h.get("cross-origin-embedder-policy") == "require-corp", f"{path}: COEP require-corp")
    c.check(h.get("cross-origin-resource-policy") == "same-origin", f"{path}: CORP same-origin")
    c.check(h.get("cache-control") == "no-cache", f"{path}: Cache-Control no-cache")
    c.check(h.get("x-content-type-options") == "nosniff", f"{path}: nosniff")

# ---- types ----------------------------------------------------------------
for path, typ in [("/app.wasm", "application/wasm"), ("/app.js", "text/javascript; charset=utf-8"),
                  ("/index.html", "text/html; charset=utf-8"), ("/game.pck", "application/octet-stream"),
                  ("/manifest.webmanifest", "application/manifest+json"), ("/icon.png", "image/png"),
                  ("/style.CSS", "text/css; charset=utf-8"), ("/data.bin", "application/octet-stream"),
                  ("/big.wasm", "application/wasm"), ("/alias.js", "text/javascript; charset=utf-8")]:
    st, h, body = req(path)
    c.check(st == 200 and h.get("content-type") == typ, f"{path}: Content-Type {typ}", (st, h.get("content-type")))
    if path in ("/app.wasm", "/big.wasm", "/data.bin"):
        c.check(body == open(os.path.join(root, path[1:]), "rb").read(), f"{path}: the exact bytes")

# ---- precompressed copies --------------------------------------------------
cases = [("gzip", "gzip"), ("gzip, deflate", "gzip"), ("br;q=0, gzip", "gzip"), (None, None),
         ("identity", None), ("gzip;q=0", None), ("*;q=0", None), ("x-gzip", "gzip")]
if have_br:
    cases += [("br", "br"), ("gzip, deflate, br, zstd", "br"), ("*", "br"), ("gzip;q=1, br;q=0.5", "gzip")]
if have_zst:
    cases += [("zstd", "zstd"), ("zstd, gzip", "zstd")]
for ae, enc in cases:
    st, h, body = req("/app.wasm", {"Accept-Encoding": ae} if ae is not None else {})
    c.check(st == 200 and h.get("content-encoding") == enc, f"Accept-Encoding {ae!r} -> {enc}", h.get("content-encoding"))
    c.check(h.get("vary") == "Accept-Encoding", f"Accept-Encoding {ae!r}: Vary: Accept-Encoding")
    c.check(h.get("content-type") == "application/wasm", f"Accept-Encoding {ae!r}: still application/wasm")
    tool = {"gzip": "gzip", "br": "brotli", "zstd": "zstd"}.get(enc)
    plain = decompress(tool, body) if tool else body
    c.check(plain == wasm, f"Accept-Encoding {ae!r}: decodes to the file")
st, h, body = req("/old.js", {"Accept-Encoding": "gzip"})
c.check(h.get("content-encoding") is None and body == b"let fresh = 1;\n", "a copy older than its file is not served", h)
st, h, body = req("/app.js", {"Accept-Encoding": "gzip"})
c.check("vary" not in h and h.get("content-encoding") is None, "no copies: no Vary, no Content-Encoding", h)

# ---- validators -------------------------------------------------------------
st, h, _ = req("/app.wasm")
etag, lm = h.get("etag"), h.get("last-modified")
c.check(etag and etag.startswith('"') and lm and lm.endswith(" GMT"), "ETag and Last-Modified", (etag, lm))
st, h, body = req("/app.wasm", {"If-None-Match": etag})
c.check(st == 304 and body == b"" and h.get("etag") == etag, "If-None-Match: 304 with the ETag", (st, h))
c.check(h.get("cross-origin-embedder-policy") == "require-corp", "304 keeps the isolation headers")
st, _, _ = req("/app.wasm", {"If-None-Match": '"other", W/' + etag})
c.check(st == 304, "If-None-Match list with a weak match: 304", st)
st, _, _ = req("/app.wasm", {"If-None-Match": "*"})
c.check(st == 304, "If-None-Match *: 304", st)
st, _, _ = req("/app.wasm", {"If-None-Match": '"nope"'})
c.check(st == 200, "If-None-Match other: 200", st)
st, _, _ = req("/app.wasm", {"If-Modified-Since": lm})
c.check(st == 304, "If-Modified-Since = Last-Modified: 304", st)
st, _, _ = req("/app.wasm", {"If-Modified-Since": "Thu, 01 Jan 1970 00:00:01 GMT"})
c.check(st == 200, "If-Modified-Since long ago: 200", st)
st, h, _ = req("/app.wasm", {"Accept-Encoding": "gzip"})
c.check(h.get("etag") != etag, "each coding has its own ETag", (etag, h.get("etag")))

# ---- ranges -----------------------------------------------------------------
n = len(wasm)
for rng, first, last in [("bytes=0-9", 0, 9), ("bytes=10-", 10, n - 1), ("bytes=-5", n - 5, n - 1),
                         (f"bytes=5-{n + 100}", 5, n - 1), ("bytes=-99999999", 0, n - 1)]:
    st, h, body = req("/app.wasm", {"Range": rng})
    c.check(st == 206 and body == wasm[first:last + 1] and h.get("content-range") == f"bytes {first}-{last}/{n}",
            f"Range {rng}: 206 with bytes {first}-{last}", (st, h.get("content-range"), len(body)))
big = open(os.path.join(root, "big.wasm"), "rb").read()
st, h, body = req("/big.wasm", {"Range": "bytes=200000-200099"})
c.check(st == 206 and body == big[200000:200100], "Range on a large file (sent from the file)", (st, len(body)))
for rng in [f"bytes={n}-", "bytes=-0"]:
    st, h, _ = req("/app.wasm", {"Range": rng})
    c.check(st == 416 and h.get("content-range") == f"bytes */{n}", f"Range {rng}: 416", (st, h.get("content-range")))
for rng in ["bytes=0-1,5-6", "bytes=9-1", "items=0-1", "bytes=abc"]:
    st, _, body = req("/app.wasm", {"Range": rng})
    c.check(st == 200 and body == wasm, f"Range {rng}: ignored, 200", st)
st, _, body = req("/app.wasm", {"Range": "bytes=0-9", "If-Range": '"stale"'})
c.check(st == 200 and len(body) == n, "If-Range not matching: the whole file", st)
st, _, body = req("/app.wasm", {"Range": "bytes=0-9", "If-Range": etag})
c.check(st == 206 and len(body) == 10, "If-Range matching: the range", st)

# ---- HEAD -------------------------------------------------------------------
st, h, body = req("/app.wasm", method="HEAD")
c.check(st == 200 and body == b"" and h.get("content-length") == str(n), "HEAD: length, no body", (st, h, len(body)))

# ---- methods ----------------------------------------------------------------
st, h, _ = req("/app.js", method="POST")
c.check(st == 405 and "GET" in h.get("allow", ""), "POST: 405 with Allow", (st, h.get("allow")))
st, h, _ = req("/app.js", method="OPTIONS")
c.check(st == 204 and "HEAD" in h.get("allow", ""), "OPTIONS: 204 with Allow", st)

# ---- folders, hidden files, links -----------------------------------------
st, h, _ = req("/sub")
c.check(st == 301 and h.get("location") == "/sub/", "folder without '/': 301 to '/sub/'", (st, h.get("location")))
st, _, body = req("/sub/")
c.check(st == 200 and b"sub" in body, "folder index.html", st)
st, h, body = req("/sub2/")
c.check(st == 200 and b"b&amp;&lt;x&gt;.txt" in body and b"a%20b.txt" in body and h.get("content-type", "").startswith("text/html"),
        "directory listing, names escaped", body[:300])
st, _, body = req("/sub2/a%20b.txt")
c.check(st == 200 and body == b"y", "percent-encoded name", st)
st, _, _ = req("/.hidden")
c.check(st == 404, "dot-files: 404", st)
st, _, body = req("/.well-known/security.txt")
c.check(st == 200, ".well-known is served", st)
st, _, _ = req("/app.js/")
c.check(st == 404, "a file with a trailing '/': 404", st)

# ---- injection and the reserved paths ---------------------------------------
st, h, body = req("/", {"Accept-Encoding": "gzip"})
c.check(b'<head>\n<script src="/__webdoctor/diagnose.js"></script>' in body or
        b'<head><script src="/__webdoctor/diagnose.js"></script>' in body, "the script is injected right after <head>", body[:200])
c.check(h.get("content-encoding") is None, "injected HTML is not replaced by its .gz copy", h.get("content-encoding"))
c.check(h.get("etag", "").endswith('-wd"'), "injected HTML has its own ETag", h.get("etag"))
st, h, body = req("/__webdoctor/diagnose.js")
js = open(os.path.join(src, "src/serve/diagnose.js"), "rb").read()
c.check(st == 200 and body == js, "the served script is src/serve/diagnose.js byte for byte (embedded by the build)")
c.check(h.get("content-type") == "text/javascript; charset=utf-8", "script type")
st, h, body = req("/__webdoctor/findings.json")
try:
    fj = json.loads(body)
except ValueError:
    fj = {}
c.check(st == 200 and fj.get("schema") == "webdoctor.check/1" and "findings" in fj, "findings.json: check's JSON", body[:100])
st, h, body = req("/__webdoctor/report.html")
c.check(st == 200 and h.get("content-type") == "text/html; charset=utf-8" and b"<html" in body,
        "report.html: check's HTML report", (st, h.get("content-type")))
st, _, _ = req("/__webdoctor/other")
c.check(st == 404, "other reserved paths: 404", st)

# ---- a changed file is served changed ---------------------------------------
write("app.js", "console.log('changed');\n")
st, _, body = req("/app.js")
c.check(body == b"console.log('changed');\n", "an edited file is served at once", body[:40])

# ---- the access log -----------------------------------------------------------
rc = srv.stop(signal.SIGTERM)
out = srv.out.decode("utf-8", "replace")
lines = [ln for ln in out.splitlines() if ' "GET ' in ln or ' "HEAD ' in ln or ' "POST ' in ln or ' "OPTIONS ' in ln]
c.check(len(lines) == requests, "one access-log line per request", (len(lines), requests))
c.check(any('"GET /app.wasm HTTP/1.1" 200' in ln and ln.endswith(" br") for ln in lines) or not have_br,
        "the log names the coding sent")
c.check(rc == 0 and "stopped" in out, "SIGTERM: clean exit 0", (rc, out[-200:]))
c.check("check" in out and "serving" in out, "check ran on start and its findings were printed")

# ---- --quiet, SIGINT ----------------------------------------------------------
srv = Server(wd, root, "--quiet", "--no-check")
get(srv.port, "/app.js")
rc = srv.stop(signal.SIGINT)
out = srv.out.decode("utf-8", "replace")
c.check(rc == 0 and '"GET' not in out and "stopped" in out, "--quiet: no access log; SIGINT: exit 0", (rc, out))

# ---- --no-isolation, --coep credentialless ------------------------------------
srv = Server(wd, root, "--quiet", "--no-check", "--no-isolation")
st, h, _ = get(srv.port, "/app.js")
c.check(st == 200 and "cross-origin-opener-policy" not in h and "cross-origin-embedder-policy" not in h,
        "--no-isolation: no COOP/COEP", h)
srv.stop()
srv = Server(wd, root, "--quiet", "--no-check", "--coep", "credentialless")
st, h, _ = get(srv.port, "/app.js")
c.check(h.get("cross-origin-embedder-policy") == "credentialless", "--coep credentialless", h)
srv.stop()

# ---- TLS --------------------------------------------------------------------
if shutil.which("openssl"):
    key, crt = os.path.join(tmp, "k.pem"), os.path.join(tmp, "c.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", crt,
                    "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
    srv = Server(wd, root, "--quiet", "--no-check", "--tls", crt, key)
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as s:
            with ctx.wrap_socket(s) as t:
                t.sendall(b"GET /app.wasm HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                resp = b""
                while True:
                    d = t.recv(65536)
                    if not d:
                        break
                    resp += d
    except OSError as e:
        resp = str(e).encode()
    c.check(resp.startswith(b"HTTP/1.1 200") and resp.endswith(wasm) and b"Cross-Origin-Embedder-Policy: require-corp" in resp,
            "--tls: HTTPS with the headers", resp[:120])
    c.check(b"https://127.0.0.1:" in srv.out, "--tls: prints an https:// URL")
    srv.stop()
    r = subprocess.run([wd, "serve", "--port", "0", "--tls", crt, os.path.join(tmp, "nope.pem"), root],
                       capture_output=True, timeout=20)
    c.check(r.returncode == 2, "--tls with a missing key: exit 2", r.returncode)
    # A bad pair is refused before anything else is printed (check runs: no
    # --no-check), with what is wrong in plain words.
    key2, crt2 = os.path.join(tmp, "k2.pem"), os.path.join(tmp, "c2.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", key2, "-out", crt2, "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
    der = os.path.join(tmp, "c.der")
    subprocess.run(["openssl", "x509", "-in", crt, "-outform", "DER", "-out", der], check=True, capture_output=True)
    enc = os.path.join(tmp, "k.enc.pem")
    subprocess.run(["openssl", "pkey", "-in", key, "-aes256", "-passout", "pass:secret", "-out", enc], check=True,
                   capture_output=True)
    env = dict(os.environ, LC_ALL="C.UTF-8")
    env.pop("LANGUAGE", None)
    for args, want, what in [
        ([key, crt], f"'{key}' holds a private key and '{crt}' a certificate: give the certificate first, then the key",
         "--tls KEY CERT (swapped)"),
        ([crt, crt], f"'{crt}' holds a certificate, not a private key: give the certificate first, then the key",
         "--tls CERT CERT"),
        ([key, key], f"'{key}' holds a private key, not a certificate: give the certificate first, then the key",
         "--tls KEY KEY"),
        ([crt, key2], f"the key '{key2}' does not belong to the certificate '{crt}'", "--tls with another pair's key"),
        ([der, key], f"the certificate '{der}' is not a PEM file", "--tls with a DER certificate"),
        ([crt, enc], f"the key '{enc}' is encrypted", "--tls with an encrypted key"),
    ]:
        r = subprocess.run([wd, "serve", "--port", "0", "--tls", *args, root], capture_output=True, timeout=20, env=env)
        err = r.stderr.decode(errors="replace")
        c.check(r.returncode == 2 and not r.stdout and want in err and "ioctl" not in err
                and len(err.strip().splitlines()) == 1,
                f"{what}: one plain message before anything else", (r.returncode, r.stdout[:80], err))
else:
    c.check(False, "openssl is needed for the TLS test (scripts/deps/serve.txt)")

# ---- IPv6 loopback ------------------------------------------------------------
if socket.has_ipv6 and os.path.exists("/proc/net/if_inet6"):
    try:
        srv = Server(wd, root, "--quiet", "--no-check", "--bind", "::1")
        s = socket.create_connection(("::1", srv.port), timeout=5)
        s.sendall(b"GET /app.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        d = s.recv(100)
        s.close()
        c.check(d.startswith(b"HTTP/1.1 200") and b"http://[::1]:" in srv.out, "--bind ::1", d[:40])
        c.check(b"warning" not in srv.err, "::1 is loopback: no warning", srv.err)
        srv.stop()
    except (RuntimeError, OSError) as e:
        print(f"note: IPv6 loopback not usable here ({e}); skipped")

# ---- the warning for other addresses, inside a network namespace ---------------
if os.geteuid() == 0 and shutil.which("unshare"):
    srv = Server(wd, root, "--quiet", "--no-check", "--bind", "0.0.0.0",
                 wrap=["unshare", "--net", "--", "sh", "-c", 'ip link set lo up 2>/dev/null; exec "$@"', "_"])
    srv.drain(0.3)
    c.check(b"warning: listening on 0.0.0.0" in srv.err, "--bind 0.0.0.0 warns", srv.err)
    srv.stop()

# ---- a signal during the start-up check ----------------------------------------
# Test builds log each module parse to WEBDOCTOR_TEST_READ_LOG. With a FIFO
# there, serve's check stops at its second parse until someone reads: the
# first line says serve is inside the check, the FIFO is then closed, SIGTERM
# is sent while the check waits, and the FIFO is opened again. serve must
# finish the check, not start serving, and stop cleanly (exit 0, "stopped").
if os.environ.get("WD_TEST_HOOKS") == "1":
    import select
    fifo = os.path.join(tmp, "parse-log")
    os.mkfifo(fifo)
    env = {k: v for k, v in os.environ.items() if k != "LANGUAGE"}
    env.update(LC_ALL="C.UTF-8", WEBDOCTOR_TEST_READ_LOG=fifo)
    p = subprocess.Popen([wd, "--color=never", "serve", "--port", "0", os.path.join(src, "examples", "seed-export")],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    first = b""
    end = time.time() + 20
    while b"\n" not in first and time.time() < end and p.poll() is None:
        if select.select([fd], [], [], 0.1)[0]:
            first += os.read(fd, 4096)
    os.close(fd)
    inside = first.startswith(b"parse ")
    p.send_signal(signal.SIGTERM)
    time.sleep(0.2)
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        out, err = p.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
    os.close(fd)
    out = out.decode("utf-8", "replace")
    c.check(inside, "the parse log shows serve inside its start-up check", first)
    c.check(p.returncode == 0 and "stopping (SIGTERM)" in out and out.rstrip().endswith("stopped"),
            "SIGTERM during the start-up check: the check ends, then a clean stop, exit 0", (p.returncode, out[-300:], err[-300:]))
    c.check("check " in out and "serving" not in out, "SIGTERM during the start-up check: nothing is served", out[-300:])
else:
    print("skip: SIGTERM during the start-up check needs a test build (cmake -DWD_TEST_HOOKS=ON)")

# ---- usage errors -------------------------------------------------------------
for args, what in [(["--port", "99999", root], "--port out of range"), ([os.path.join(tmp, "nope")], "a missing folder"),
                   (["--coep", "bogus", root], "--coep bogus"), (["--bind", "not an address", "--no-check", root], "a bad address"),
                   (["--tls", root], "--tls without KEY"), ([root, root], "two folders")]:
    r = subprocess.run([wd, "serve", "--port", "0", *args], capture_output=True, timeout=20)
    c.check(r.returncode == 2 and r.stderr, f"{what}: exit 2 with a message", (r.returncode, r.stderr[-200:]))
r = subprocess.run([wd, "serve", "--help"], capture_output=True, timeout=20)
c.check(r.returncode == 0 and b"--no-inject" in r.stdout and b"--coep" in r.stdout, "serve --help")

shutil.rmtree(tmp, ignore_errors=True)
sys.exit(c.summary())
