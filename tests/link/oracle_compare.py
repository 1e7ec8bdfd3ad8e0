#!/usr/bin/env python3
"""Compare webdoctor's link predictions with what real engines did.

For every case of tests/fixtures/cases.json and every engine result file
(tests/oracle/run ENGINE OUT.json), run `webdoctor link --json` on the same
files the same way, and require byte-for-byte agreement:

  - the engine loaded and ran the case  => webdoctor predicts every module
    loads and no call fails;
  - the engine failed while loading     => webdoctor's first module that
    fails is the one the engine failed on, and webdoctor's text for that
    engine equals the engine's text;
  - the engine loaded, then the first call failed (a lazy stub) => webdoctor
    predicts that module loads with an unresolved function whose text
    equals the engine's.

usage: oracle_compare.py WEBDOCTOR FIXTURES_DIR RESULT.json...
Prints one line per disagreement and "N passed, N failed".
"""
import json
import os
import subprocess
import sys

ENGINE_KEYS = {"node": "node20", "chromium": "chrome", "firefox": "firefox", "jsc": "safari"}


def predict(webdoctor, fixtures, case):
    cmd = [webdoctor, "link", "--json"]
    if case.get("glue"):
        cmd += ["--glue", os.path.join(fixtures, case["glue"])]
    if case["path"] == "dlopen":
        cmd.append("--dlopen")
    cmd.append(os.path.join(fixtures, case["main"]))
    npre = case.get("preload", 0)
    for i, side in enumerate(case["sides"]):
        if i < npre:
            cmd += ["--preload", os.path.join(fixtures, side)]
        else:
            cmd.append(os.path.join(fixtures, side))
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)}: exit {out.returncode}: {out.stderr.strip()}")
    return json.loads(out.stdout)


def check(case, engine, real, pred):
    """Return None when they agree, else a description."""
    key = ENGINE_KEYS[engine]
    # what fails at the first call: lazy stubs, JS exceptions in an engine without them
    stubs = [p for p in pred["problems"] if p["stage"] == "first-call"]
    failing = [m for m in pred["modules"] if not m["loads"]]
    if real["ok"]:
        if failing:
            return f"engine loads it; webdoctor says {failing[0]['name']} fails: {failing[0]['first_error'][key]!r}"
        if stubs:
            return f"engine runs it; webdoctor predicts an unresolved function {stubs[0]['import']['name']}"
        return None
    real_mod = os.path.basename(real["module"] or "")
    if real["stage"] == "first-call":
        if failing:
            return f"engine loads it (fails at first call); webdoctor says {failing[0]['name']} fails to load"
        mine = [p for p in stubs if p["module_name"] == real_mod]
        if not mine:
            return f"engine fails at first call in {real_mod}; webdoctor predicts no unresolved function there"
        texts = {p["messages"][key] for p in mine}
        if real["call_error"] not in texts:
            return f"first-call text differs:\n      engine:    {real['call_error']!r}\n      webdoctor: {sorted(texts)!r}"
        return None
    if not failing:
        return f"engine fails in {real_mod} ({real['stage']}): {real['error']!r}; webdoctor says it loads"
    first = failing[0]
    if first["name"] != real_mod:
        return f"engine fails in {real_mod}; webdoctor's first failing module is {first['name']}"
    mine = first["first_error"][key]
    if mine != real["error"]:
        return f"text differs for {real_mod}:\n      engine:    {real['error']!r}\n      webdoctor: {mine!r}"
    return None


def main():
    webdoctor, fixtures, results = sys.argv[1], sys.argv[2], sys.argv[3:]
    cases = json.load(open(os.path.join(fixtures, "cases.json")))
    passed = failed = 0
    # One prediction per case serves every engine (it carries each engine's
    # texts): a MAIN_MODULE=1 engine and its glue take most of a second to read.
    predictions = {}
    for path in results:
        res = json.load(open(path))
        engine = res["engine"]
        for case in cases:
            real = res["cases"].get(case["name"])
            if real is None:
                print(f"FAIL {engine} {case['name']}: no engine result (case skipped)")
                failed += 1
                continue
            try:
                if case["name"] not in predictions:
                    predictions[case["name"]] = predict(webdoctor, fixtures, case)
                why = check(case, engine, real, predictions[case["name"]])
            except Exception as e:  # a crash of webdoctor is a failure too
                why = f"webdoctor error: {e}"
            if why:
                print(f"FAIL {engine} {case['name']}: {why}")
                failed += 1
            else:
                passed += 1
        print(f"{engine} {res.get('engine_version', '?')}: {len(cases)} cases compared")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
