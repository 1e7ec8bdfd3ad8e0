#!/usr/bin/env python3
"""Differential test: webdoctor's reader against wabt's wasm-objdump.

For every module given, compare what `webdoctor inspect --json` reports with
what `wasm-objdump -h` and `wasm-objdump -x` print: the section list (kind,
start, end, item count), every import (kind, index, module.field, signature
or limits or global type), every export (kind, index, name), and the limits
of defined memories and tables. Prints one line per module and a total;
exit status 1 on any disagreement.

usage: objdump_diff.py WEBDOCTOR FILE.wasm...
"""
import json
import re
import subprocess
import sys

SECTION_NAMES = {
    "custom": "Custom", "type": "Type", "import": "Import", "function": "Function",
    "table": "Table", "memory": "Memory", "global": "Global", "export": "Export",
    "start": "Start", "element": "Elem", "code": "Code", "data": "Data",
    "datacount": "DataCount", "tag": "Tag",
}

HDR = re.compile(r'^\s*(\w+) start=0x([0-9a-f]+) end=0x([0-9a-f]+) \(size=0x[0-9a-f]+\)\s*(.*)$')
IMP = re.compile(r'^ - (func|table|memory|global|tag)\[(\d+)\] (.*) <- (.*)$')
EXP = re.compile(r'^ - (func|table|memory|global|tag)\[(\d+)\] (?:<.*> )?-> "(.*)"$')
MEM = re.compile(r'^ - memory\[(\d+)\] pages: (.*)$')
TAB = re.compile(r'^ - table\[(\d+)\] (type=.*)$')


def objdump(path):
    h = subprocess.run(["wasm-objdump", "-h", path], capture_output=True, text=True, check=True).stdout
    x = subprocess.run(["wasm-objdump", "-x", path], capture_output=True, text=True, check=True).stdout
    sections = []
    for line in h.splitlines():
        m = HDR.match(line)
        if not m:
            continue
        name, start, end, rest = m.group(1), int(m.group(2), 16), int(m.group(3), 16), m.group(4)
        extra = rest.strip()
        if name == "Custom":
            extra = rest.strip()  # "name"
        sections.append((name, start, end, extra))
    imports, exports, memories, tables = [], [], [], []
    current = None
    for line in x.splitlines():
        if line and not line.startswith(" "):
            current = line.split("[")[0].rstrip(":")
            continue
        if current == "Import":
            m = IMP.match(line)
            if m:
                kind, idx, detail, field = m.groups()
                if kind == "func":
                    detail = detail.split(" <")[0]  # drop the <name> annotation
                elif kind == "tag":
                    detail = detail.split(" <")[0]
                imports.append((kind, int(idx), field, detail.strip()))
        elif current == "Export":
            m = EXP.match(line)
            if m:
                exports.append((m.group(1), int(m.group(2)), m.group(3)))
        elif current == "Memory":
            m = MEM.match(line)
            if m:
                memories.append((int(m.group(1)), m.group(2).strip()))
        elif current == "Table":
            m = TAB.match(line)
            if m:
                tables.append((int(m.group(1)), m.group(2).strip()))
    return sections, imports, exports, memories, tables


def limits_str(l, memory):
    s = ("pages: " if False else "") + f"initial={l['initial']}"
    if l["maximum"] is not None:
        s += f" max={l['maximum']}"
    if l.get("shared"):
        s += " shared"
    if l.get("index64"):
        s += " i64"
    return s


def ours(webdoctor, path):
    out = subprocess.run([webdoctor, "inspect", "--json", path], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"webdoctor failed on {path}: {out.stderr.strip()}")
    mod = json.loads(out.stdout)["modules"][0]
    sections = []
    for s in mod["sections"]:
        name = SECTION_NAMES[s["name"]]
        start = s["payload_offset"]
        end = start + s["size"]
        if s["name"] == "custom":
            extra = '"%s"' % s["custom_name"]
        elif s["name"] == "start":
            extra = None  # compared below from the module
        else:
            extra = "count: %d" % s["count"]
        sections.append((name, start, end, extra))
    imports = []
    for im in mod["imports"]:
        kind = im["kind"]
        if kind == "func":
            detail = f"sig={im['type_index']}"
        elif kind == "tag":
            detail = f"sig={im['type_index']}"
        elif kind == "memory":
            detail = "pages: " + limits_str(im["limits"], True)
        elif kind == "table":
            detail = f"type={im['element_type']} " + limits_str(im["limits"], False)
        else:
            detail = f"{im['type']} mutable={1 if im['mutable'] else 0}"
        imports.append((kind, im["kind_index"], f"{im['module']}.{im['name']}", detail))
    exports = [(e["kind"], e["index"], e["name"]) for e in mod["exports"]]
    return mod, sections, imports, exports


def main():
    webdoctor, files = sys.argv[1], sys.argv[2:]
    total_items = 0
    failures = 0
    for path in files:
        o_secs, o_imps, o_exps, o_mems, o_tabs = objdump(path)
        mod, w_secs, w_imps, w_exps = ours(webdoctor, path)
        problems = []
        if len(o_secs) != len(w_secs):
            problems.append(f"section count: objdump {len(o_secs)}, webdoctor {len(w_secs)}")
        for a, b in zip(o_secs, w_secs):
            if a[:3] != b[:3] or (b[3] is not None and a[3] != b[3]):
                problems.append(f"section: objdump {a}, webdoctor {b}")
        if o_imps != w_imps:
            for a, b in zip(o_imps, w_imps):
                if a != b:
                    problems.append(f"import: objdump {a}, webdoctor {b}")
                    break
            if len(o_imps) != len(w_imps):
                problems.append(f"import count: objdump {len(o_imps)}, webdoctor {len(w_imps)}")
        if o_exps != w_exps:
            for a, b in zip(o_exps, w_exps):
                if a != b:
                    problems.append(f"export: objdump {a}, webdoctor {b}")
                    break
            if len(o_exps) != len(w_exps):
                problems.append(f"export count: objdump {len(o_exps)}, webdoctor {len(w_exps)}")
        # defined memory/table limits (memory 0 / table 0 when defined)
        mem = mod["memory"]
        if o_mems and mem and not mem["imported"]:
            want = o_mems[0][1]
            got = "initial=%d" % mem["initial"] + (" max=%d" % mem["maximum"] if mem["maximum"] is not None else "") + (" shared" if mem["shared"] else "") + (" i64" if mem["index64"] else "")
            if want != got:
                problems.append(f"memory: objdump '{want}', webdoctor '{got}'")
        tab = mod["table"]
        if o_tabs and tab and not tab["imported"]:
            want = o_tabs[0][1]
            got = f"type={tab['element_type']} initial={tab['initial']}" + (f" max={tab['maximum']}" if tab["maximum"] is not None else "")
            if want != got:
                problems.append(f"table: objdump '{want}', webdoctor '{got}'")
        items = len(o_secs) + len(o_imps) + len(o_exps) + len(o_mems) + len(o_tabs)
        total_items += items
        if problems:
            failures += 1
            print(f"DIFFER {path}: {items} items")
            for p in problems[:10]:
                print("   ", p)
        else:
            print(f"agree  {path}: {len(o_secs)} sections, {len(o_imps)} imports, {len(o_exps)} exports, {len(o_mems)} memories, {len(o_tabs)} tables")
    agree = len(files) - failures
    print(f"{agree} passed, {failures} failed")
    print(f"differential: {agree}/{len(files)} modules agree with wasm-objdump, {total_items} items compared")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
