#!/usr/bin/env python3
"""What a translation must copy as it is, checked in every entry of a .po.

From each msgid the tokens that are never translated are taken (option
names, finding IDs, HTTP header names, `commands`, file names, setting keys,
UPPER_CASE build settings, quoted engine texts, issue references, API names)
and each must appear unchanged in the msgstr. Prints the entries that lose
one; exit status 1 if any.

usage: verbatim.py FILE.po
"""
import re
import sys

PATTERNS = [
    r"`[^`]+`",                                   # commands to type
    r'"[^"]+"',                                   # quoted engine texts and UI labels
    r"(?<![\w-])--[a-z][a-z0-9-]*",               # option names
    r"\bWD\d(?:\d\d|xx)\b",                       # finding IDs
    r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)+\b",          # header names: Cross-Origin-Opener-Policy
    r"[\w*<>-]*\.(?:wasm|pck|js|html|cfg|godot|gdextension|zip|json|conf|yml|bak|gz|br|zst|htaccess)\b",
    r"\b[a-z_][a-z0-9_]*(?:\.[a-z0-9_*]+)+\b",    # keys and paths: web.debug.wasm32, env.memory
    r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b",             # build settings: GODOT_CONFIG, WASM_BIGINT
    r"\b[\w.-]+/[\w.-]+#\d+\b",                   # issue references: godotengine/godot#100089
    r"\b[A-Za-z]+(?:\.[A-Za-z]+)*\(\)",           # API calls: WebAssembly.instantiate()
    r"%(?:\d+\$)?[-#0 +']*\d*(?:\.\*|\.\d+)?(?:hh|h|ll|l|z|j|t)?[diouxXcsp%]",
]
WORDS = ["SharedArrayBuffer", "GDExtension", "LinkError", "CompileError", "TypeError", "SyntaxError",
         "GODOT_CONFIG", "dylink.0", "same-origin", "require-corp", "credentialless", "gl_compatibility",
         "threads=yes", "threads=no", "web_dlink", "COOP", "COEP", "CORS", "CORP", "HTTPS"]
NOT_TOKENS = {"e.g", "i.e"}


def unquote(s):
    return bytes(s, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def entries(path):
    cur, field = None, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("#~"):
            continue
        if line.startswith("#: "):
            if cur is None or "msgstr" in cur:
                if cur:
                    yield cur
                cur = {"ref": line[3:]}
            continue
        m = re.match(r'^(msgid|msgstr) (".*")$', line)
        if m:
            if cur is None or (m.group(1) == "msgid" and "msgstr" in cur):
                if cur:
                    yield cur
                cur = {"ref": ""}
            field = m.group(1)
            cur[field] = unquote(m.group(2)[1:-1])
        elif line.startswith('"') and cur is not None and field:
            cur[field] += unquote(line[1:-1])
    if cur:
        yield cur


def tokens(msgid):
    found = set()
    for p in PATTERNS:
        for m in re.finditer(p, msgid):
            t = m.group(0)
            if t not in NOT_TOKENS and not t.startswith("%"):
                found.add(t)
    for w in WORDS:
        if w in msgid:
            found.add(w)
    return found


def conversions(s):
    return sorted(m.group(0) for m in re.finditer(PATTERNS[-1], s) if m.group(0) != "%%")


bad = checked = 0
for e in entries(sys.argv[1]):
    mid, mstr = e.get("msgid", ""), e.get("msgstr", "")
    if not mid or not mstr:
        continue
    checked += 1
    lost = sorted(t for t in tokens(mid) if t not in mstr)
    # positional conversions may reorder, but the set stays: %2$s %1$u -> %s %u
    conv_id = [re.sub(r"^%\d+\$", "%", c) for c in conversions(mid)]
    conv_str = [re.sub(r"^%\d+\$", "%", c) for c in conversions(mstr)]
    if sorted(conv_id) != sorted(conv_str):
        lost.append("conversions " + " ".join(conv_id) + " -> " + " ".join(conv_str))
    # newlines and indentation at either end are layout the code relies on;
    # a single space next to a parenthesis or sentence may go in Chinese
    for edge, a, b in (("start", re.match(r"[ \n]*", mid).group(0), re.match(r"[ \n]*", mstr).group(0)),
                       ("end", re.search(r"[ \n]*$", mid).group(0), re.search(r"[ \n]*$", mstr).group(0))):
        if a != b and not (a == " " and b == ""):
            lost.append(f"white space at the {edge}: {a!r} -> {b!r}")
    if lost:
        bad += 1
        print(f"{e['ref']}: {mid[:70]!r}\n    lost: {', '.join(lost)}")
print(f"{checked} translations keep their verbatim tokens" if not bad else f"{bad} of {checked} entries lose tokens")
sys.exit(1 if bad else 0)
