#!/usr/bin/env python3
"""Chinese typesetting of the zh_CN messages, on the catalogue and on what
the CLI really prints:
  - after Chinese text, full-width punctuation: no ASCII , ; : ( ) ? ! next
    to a Chinese character ("权衡: ", "env.memory, 非共享");
  - no full-width full stop or comma inside an English token ("index。html",
    "a，b" with nothing between);
  - no stray space between Chinese characters ("导出模板 的内存"), nor after
    full-width punctuation ("。 导入");
  - one term per concept: trade-off is 权衡 (never 代价).
Usage: punct.py po FILE.po | punct.py text FILE...   (prints "N passed, N failed")"""
import re, sys

CJK = r"[\u3400-\u9fff\uf900-\ufaff]"
FW = "，。；：（）？！、“”"
RULES = [
    ("ASCII punctuation after Chinese text", re.compile(CJK + r"[,;:?!](?=\s|$|" + CJK + ")")),
    ("ASCII punctuation before Chinese text", re.compile(r"(?<![A-Za-z0-9_.])[,;](\s?)" + CJK)),
    ("ASCII parenthesis around Chinese text", re.compile(CJK + r"\(|\(" + CJK)),
    ("full-width punctuation inside an English token", re.compile(r"[a-z0-9_]。[a-z]")),
    ("a space between Chinese characters", re.compile(CJK + r" +" + CJK)),
    ("a space after full-width punctuation", re.compile(r"[，。；：！？、] +\S")),
    ("代价 for trade-off (the term is 权衡)", re.compile(r"代价")),
]


def po_strings(path):
    """(msgid, msgstr) of every live entry."""
    text = open(path, encoding="utf-8").read()
    out = []
    for block in text.split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        cur = None
        mid, mstr = [], []
        for line in block.split("\n"):
            if line.startswith("msgid "):
                cur = mid
                line = line[6:]
            elif line.startswith("msgstr "):
                cur = mstr
                line = line[7:]
            elif not line.startswith('"'):
                continue
            if cur is not None:
                cur.append(bytes(line.strip()[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8"))
        if mid and "".join(mid):
            out.append(("".join(mid), "".join(mstr)))
    return out


def problems(s):
    found = []
    for name, rx in RULES:
        for m in rx.finditer(s):
            a = max(0, m.start() - 12)
            found.append("%s: …%s…" % (name, s[a:m.end() + 12].replace("\n", "⏎")))
    return found


def main():
    mode, files = sys.argv[1], sys.argv[2:]
    passed = failed = 0
    for f in files:
        if mode == "po":
            items = [(mid[:60], ms) for mid, ms in po_strings(f) if ms]
        else:
            items = [("%s:%d" % (f, i + 1), l) for i, l in enumerate(open(f, encoding="utf-8").read().split("\n"))]
        bad = 0
        for where, s in items:
            for p in problems(s):
                bad += 1
                print("FAIL %s: %s" % (where, p))
        if bad:
            failed += 1
        else:
            passed += 1
            print("ok   %s: %d strings" % (f, len(items)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


sys.exit(main())
