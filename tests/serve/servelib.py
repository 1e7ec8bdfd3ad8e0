"""Helpers shared by the serve test suites: a webdoctor serve process on a
free 127.0.0.1 port, raw requests, and a tiny check counter."""
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, cond, what, detail=None):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {what}" + (f": {detail}" if detail is not None else ""), flush=True)
        return cond

    def summary(self):
        print(f"{self.passed} passed, {self.failed} failed", flush=True)
        return 1 if self.failed else 0


class Server:
    """webdoctor serve DIR --port 0 ...; .port once it listens."""

    def __init__(self, webdoctor, root, *args, wrap=None, env=None, timeout=20):
        cmd = [webdoctor, "--color=never", "serve", "--port", "0", *args, root]
        if wrap:
            cmd = [*wrap, *cmd]
        e = dict(os.environ)
        # the suites read English messages
        e.pop("LANGUAGE", None)
        e["LC_ALL"] = "C.UTF-8"
        if env:
            e.update(env)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e)
        self.out = b""
        self.err = b""
        self.port = None
        deadline = time.time() + timeout
        while self.port is None and time.time() < deadline:
            self._pump(0.1)
            m = re.search(rb"https?://(?:127\.0\.0\.1|localhost|\[[0-9a-f:]+\]):(\d+)/", self.out)
            if m:
                self.port = int(m.group(1))
            elif self.proc.poll() is not None:
                self._pump(0.2)
                break
        if self.port is None:
            self.stop()
            raise RuntimeError(f"webdoctor serve did not start: {self.out!r} {self.err!r}")

    def _pump(self, wait):
        fds = [f for f in (self.proc.stdout, self.proc.stderr) if f and not f.closed]
        if not fds:
            return
        r, _, _ = select.select(fds, [], [], wait)
        for f in r:
            chunk = os.read(f.fileno(), 65536)
            if f is self.proc.stdout:
                self.out += chunk
            else:
                self.err += chunk

    def drain(self, wait=0.2):
        end = time.time() + wait
        while time.time() < end:
            self._pump(0.05)

    def alive(self):
        return self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=10):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            end = time.time() + timeout
            while self.proc.poll() is None and time.time() < end:
                self._pump(0.05)
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        rest_out, rest_err = self.proc.communicate()
        self.out += rest_out or b""
        self.err += rest_err or b""
        return self.proc.returncode


def raw_request(port, data, timeout=3.0, host="127.0.0.1", read_limit=1 << 22, half_close=True):
    """Send raw bytes, then (half_close) shut the sending side so the server
    sees the end of the request stream, and read until the server closes or
    stays quiet for `timeout` seconds. Returns the bytes read (b"" when the
    connection was reset; None when it was refused)."""
    try:
        s = socket.create_connection((host, port), timeout=timeout)
    except OSError:
        return None
    got = b""
    try:
        try:
            s.sendall(data)
            if half_close:
                s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        s.settimeout(timeout)
        while len(got) < read_limit:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except OSError:
                break
            if not chunk:
                break
            got += chunk
    finally:
        s.close()
    return got


def status_of(resp):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", resp or b"")
    return int(m.group(1)) if m else None


def get(port, path, headers=None, method="GET", timeout=5.0):
    """One request on its own connection (Connection: close); returns
    (status, headers dict lower-cased, body)."""
    h = {"Host": f"127.0.0.1:{port}", "Connection": "close"}
    h.update(headers or {})
    req = f"{method} {path} HTTP/1.1\r\n".encode("latin-1")
    for k, v in h.items():
        req += f"{k}: {v}\r\n".encode("latin-1")
    req += b"\r\n"
    resp = raw_request(port, req, timeout=timeout)
    if not resp:
        return None, {}, b""
    head, _, body = resp.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    st = status_of(lines[0])
    hd = {}
    for ln in lines[1:]:
        k, _, v = ln.partition(b":")
        hd[k.strip().lower().decode("latin-1")] = v.strip().decode("latin-1")
    return st, hd, body


def die(msg):
    print(msg, file=sys.stderr)
    print("0 passed, 1 failed")
    sys.exit(1)
