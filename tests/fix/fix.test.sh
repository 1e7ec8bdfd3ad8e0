#!/usr/bin/env bash
# webdoctor fix on copies of examples/seed-project and of realistic Godot
# files (tests/godot/data/cfg): both strategies turn the sample clean, the
# printed diff is what --apply writes (applied with patch(1)), .bak copies,
# a second run changes nothing, exit statuses, refusals. examples/ is never
# modified.
set -u
W=${WEBDOCTOR:?set WEBDOCTOR to the webdoctor binary}
SRC=${WD_SOURCE_DIR:?set WD_SOURCE_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
t() { local d=$1; shift; if "$@"; then ok; else no "$d"; fi; }
export NO_COLOR=1

# every file's path, mode, size, mtime and hash
state() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 stat -c '%n %a %s %Y' && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
# the same without the .bak files, content only
content() { (cd "$1" && find . -type f ! -name '*.bak' -print0 | sort -z | xargs -0 sha256sum); }

# the diffs of a --json run, concatenated
json_diff() { python3 -c 'import json,sys; print("".join(f["diff"] or "" for f in json.load(sys.stdin)["files"]), end="")'; }
json_get() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

examples_before=$(state "$SRC/examples/seed-project")

for strategy in nothreads threads; do
  p=$tmp/$strategy
  cp -r "$SRC/examples/seed-project" "$p"
  "$W" check "$p" >/dev/null
  t "$strategy: check finds the seed error first" [ $? -eq 1 ]

  s0=$(state "$p")
  "$W" fix --strategy $strategy "$p" >"$tmp/dry.txt"
  t "$strategy: dry run exits 1 (changes pending)" [ $? -eq 1 ]
  t "$strategy: dry run writes nothing" [ "$s0" = "$(state "$p")" ]
  t "$strategy: dry run prints a unified diff" grep -q '^@@ -[0-9]' "$tmp/dry.txt"

  # the diff, applied by patch(1), gives exactly what --apply writes
  "$W" fix --strategy $strategy --json "$p" >"$tmp/dry.json"
  t "$strategy: --json dry run exits 1" [ $? -eq 1 ]
  t "$strategy: --json schema" [ "$(json_get 'd["schema"], d["strategy"], d["applied"]' <"$tmp/dry.json")" = "webdoctor.fix/1 $strategy False" ]
  json_diff <"$tmp/dry.json" >"$tmp/$strategy.diff"
  cp -r "$p" "$tmp/patched-$strategy"
  (cd "$tmp/patched-$strategy" && patch -p1 -s --no-backup-if-mismatch <"$tmp/$strategy.diff")
  t "$strategy: patch(1) applies the diff" [ $? -eq 0 ]

  "$W" fix --strategy $strategy --apply "$p" >"$tmp/apply.txt"
  rc=$?
  t "$strategy: --apply exits 0" [ $rc -eq 0 ]
  t "$strategy: check after the fix is clean" grep -q '^check after the fix: 0 errors, 0 warnings$' "$tmp/apply.txt"
  t "$strategy: --apply wrote what the diff says" [ "$(content "$p")" = "$(content "$tmp/patched-$strategy")" ]
  "$W" check "$p" >"$tmp/check.txt"
  t "$strategy: webdoctor check exits 0 after" [ $? -eq 0 ]
  t "$strategy: check has no errors or warnings after" grep -q ': 0 errors, 0 warnings' "$tmp/check.txt"
  for f in export_presets.cfg addons/limboai/limboai.gdextension; do
    if [ -e "$p/$f.bak" ]; then
      t "$strategy: $f.bak is the original" cmp -s "$p/$f.bak" "$SRC/examples/seed-project/$f"
    fi
  done
  if [ $strategy = nothreads ]; then
    t "$strategy: the .gdextension has a .bak" [ -e "$p/addons/limboai/limboai.gdextension.bak" ]
  else
    # its plain keys already name threaded builds: Thread Support on is enough
    t "$strategy: the addon's .gdextension is byte for byte the original, no backup" \
      cmp -s "$p/addons/limboai/limboai.gdextension" "$SRC/examples/seed-project/addons/limboai/limboai.gdextension"
    t "$strategy: ... and no backup of it" [ ! -e "$p/addons/limboai/limboai.gdextension.bak" ]
  fi
  t "$strategy: no temporary files left" [ -z "$(find "$p" -name '*.wdfix-*')" ]

  # a second run changes nothing, not even a modification time
  s1=$(state "$p")
  "$W" fix --strategy $strategy --apply "$p" >"$tmp/again.txt"
  t "$strategy: second --apply exits 0" [ $? -eq 0 ]
  t "$strategy: second run has nothing to change" grep -q '^nothing to change$' "$tmp/again.txt"
  t "$strategy: second run touches no file" [ "$s1" = "$(state "$p")" ]
  "$W" fix --strategy $strategy "$p" >/dev/null
  t "$strategy: dry run after is clean (exit 0)" [ $? -eq 0 ]
done

# the diffs shown in the closing note
echo "--- nothreads diff on examples/seed-project:"
cat "$tmp/nothreads.diff"
echo "--- threads diff on examples/seed-project:"
cat "$tmp/threads.diff"

# nothreads changes only the .gdextension on the sample (the preset is off)
t "nothreads diff: 4 lines added, 2 removed" [ "$(grep -c '^+[^+]' "$tmp/nothreads.diff") $(grep -c '^-[^-]' "$tmp/nothreads.diff")" = "4 2" ]
t "threads diff: thread_support on" grep -q '^+variant/thread_support=true$' "$tmp/threads.diff"

# auto on the sample: nothreads, and why
"$W" fix "$SRC/examples/seed-project" >"$tmp/auto.txt"
t "auto dry run on examples/ exits 1" [ $? -eq 1 ]
t "auto picks nothreads on the sample" grep -q 'strategy nothreads' "$tmp/auto.txt"
t "auto says why" grep -q 'has one without threads' "$tmp/auto.txt"
t "examples/ untouched" [ "$examples_before" = "$(state "$SRC/examples/seed-project")" ]

# switching back and forth stays clean
p=$tmp/switch
cp -r "$SRC/examples/seed-project" "$p"
for s in nothreads threads nothreads threads; do
  "$W" fix --strategy $s --apply "$p" >"$tmp/sw.txt"
  t "switch to $s: exit 0" [ $? -eq 0 ]
  t "switch to $s: clean" grep -q '0 errors, 0 warnings' "$tmp/sw.txt"
done
t "switch: threads twice in a row is a no-op" [ -n "$("$W" fix --strategy threads "$p" | grep '^nothing to change$')" ]
# a later --apply never destroys the original: backups are numbered, the
# first is the file before any fix, and the output says where it is
t "switch: export_presets.cfg.bak is still the original" cmp -s "$p/export_presets.cfg.bak" "$SRC/examples/seed-project/export_presets.cfg"
t "switch: the .gdextension's .bak is still the original" \
  cmp -s "$p/addons/limboai/limboai.gdextension.bak" "$SRC/examples/seed-project/addons/limboai/limboai.gdextension"
t "switch: three runs change export_presets.cfg, three backups (.bak .. .bak.2)" \
  [ "$(cd "$p" && ls export_presets.cfg.bak* | tr '\n' ' ')" = "export_presets.cfg.bak export_presets.cfg.bak.1 export_presets.cfg.bak.2 " ]
t "switch: the last run names its backup and where the original is" \
  grep -q 'export_presets.cfg.bak.2; export_presets.cfg.bak, kept from the first fix, is the original' "$tmp/sw.txt"
p=$tmp/twice
cp -r "$SRC/examples/seed-project" "$p"
"$W" fix --strategy threads --apply "$p" >/dev/null
"$W" fix --strategy nothreads --apply --json "$p" >"$tmp/twice.json"
t "threads then nothreads: export_presets.cfg.bak is the user's original" cmp -s "$p/export_presets.cfg.bak" "$SRC/examples/seed-project/export_presets.cfg"
t "threads then nothreads: the in-between text is in .bak.1" grep -q '^variant/thread_support=true$' "$p/export_presets.cfg.bak.1"
t "threads then nothreads: --json names each backup" [ "$(json_get '" ".join(f["file"]+"="+str(f["backup"]) for f in d["files"])' <"$tmp/twice.json")" = \
  "export_presets.cfg=export_presets.cfg.bak.1 addons/limboai/limboai.gdextension=addons/limboai/limboai.gdextension.bak" ]

# a LimboAI 1.4.1-shaped addon (only threaded builds, under web.debug.wasm32
# / web.release.wasm32): --strategy threads turns Thread Support on and
# leaves the addon's file byte for byte, saying so and why
p=$tmp/limbo141
cp -r "$SRC/examples/seed-project" "$p"
rm "$p"/addons/limboai/bin/*.nothreads.wasm
"$W" fix --strategy threads --apply "$p" >"$tmp/limbo141.txt"
t "limboai 1.4.1 shape: threads applied, exit 0" [ $? -eq 0 ]
t "limboai 1.4.1 shape: the .gdextension byte for byte, no backup" \
  bash -c 'cmp -s "$1" "$2" && [ ! -e "$1.bak" ]' _ "$p/addons/limboai/limboai.gdextension" "$SRC/examples/seed-project/addons/limboai/limboai.gdextension"
t "limboai 1.4.1 shape: only thread_support changed" [ "$(diff "$SRC/examples/seed-project/export_presets.cfg" "$p/export_presets.cfg" | grep -c '^[<>]')" = 2 ]
t "limboai 1.4.1 shape: says what was left alone and why" \
  bash -c 'grep -q "^Left as it is:" "$1" && tr "\n" " " <"$1" | tr -s " " | grep -q "web.release.wasm32 already names a threaded build"' _ "$tmp/limbo141.txt"
t "limboai 1.4.1 shape: check after clean" grep -q '^check after the fix: 0 errors, 0 warnings$' "$tmp/limbo141.txt"
"$W" fix --strategy threads --json "$p" >"$tmp/limbo141.json"
t "limboai 1.4.1 shape: --json lists it under kept" [ "$(json_get 'len(d["kept"])' <"$tmp/limbo141.json")" = 2 ]

# threads for GitHub Pages: the PWA service worker, and the headers command
p=$tmp/pages
cp -r "$SRC/examples/seed-project" "$p"
"$W" fix --strategy threads --host github-pages --apply "$p" >"$tmp/pages.txt"
t "github-pages: exit 0" [ $? -eq 0 ]
t "github-pages: PWA on" grep -q '^progressive_web_app/enabled=true$' "$p/export_presets.cfg"
t "github-pages: prints the headers command" grep -q 'webdoctor headers --host github-pages' "$tmp/pages.txt"
"$W" check --host github-pages "$p" >/dev/null
t "github-pages: check --host github-pages clean" [ $? -eq 0 ]

# threads for itch.io: the checkbox, with its side effects beside it
p=$tmp/itch
cp -r "$SRC/examples/seed-project" "$p"
"$W" fix --strategy threads --host itch "$p" >"$tmp/itch.txt"
t "itch: prints the headers command" grep -q 'webdoctor headers --host itch' "$tmp/itch.txt"
t "itch: the SharedArrayBuffer option's side effects" \
  grep -q 'desktop app (itchio/itch.io#1469)' "$tmp/itch.txt"
"$W" fix --strategy threads --host netlify "$p" >"$tmp/netlify.txt"
t "netlify: no itch.io note" bash -c '! grep -q "itchio/itch.io#1469" "$1"' _ "$tmp/netlify.txt"

# realistic Godot files: only the value's bytes change
p=$tmp/lantern
mkdir -p "$p/addons/godot-sqlite/bin"
cp "$SRC/tests/godot/data/cfg/project.godot" "$SRC/tests/godot/data/cfg/export_presets.cfg" "$p/"
# the stand-in builds (side_n29) export wd_entry, not godot-sqlite's sqlite_library_init
sed 's/^entry_symbol = "sqlite_library_init"$/entry_symbol = "wd_entry"/' \
  "$SRC/tests/godot/data/cfg/gdsqlite.gdextension" >"$p/addons/godot-sqlite/gdsqlite.gdextension"
t "lantern: the stand-in entry symbol" grep -q '^entry_symbol = "wd_entry"$' "$p/addons/godot-sqlite/gdsqlite.gdextension"
for tg in template_debug template_release; do
  cp "$SRC/tests/fixtures/wasm/side_n29_pthread.wasm" "$p/addons/godot-sqlite/bin/libgdsqlite.web.$tg.wasm32.wasm"
  cp "$SRC/tests/fixtures/wasm/side_n29_nothreads.wasm" "$p/addons/godot-sqlite/bin/libgdsqlite.web.$tg.wasm32.nothreads.wasm"
done
cp "$p/export_presets.cfg" "$tmp/lantern-presets.orig"
"$W" fix --strategy threads --apply "$p" >/dev/null
t "lantern: threads applied" [ $? -eq 0 ]
t "lantern: exactly one line differs" [ "$(diff "$tmp/lantern-presets.orig" "$p/export_presets.cfg" | grep -c '^[<>]')" = 2 ]
t "lantern: it is thread_support" [ "$(diff "$tmp/lantern-presets.orig" "$p/export_presets.cfg" | grep '^>')" = "> variant/thread_support=true" ]
t "lantern: same size but for false->true" [ $(($(stat -c %s "$tmp/lantern-presets.orig") - 1)) -eq "$(stat -c %s "$p/export_presets.cfg")" ]
"$W" fix --strategy nothreads --apply "$p" >/dev/null
t "lantern: back to nothreads gives the original bytes" cmp -s "$tmp/lantern-presets.orig" "$p/export_presets.cfg"

# bad input: exit 2, nothing written
"$W" fix "$tmp" >/dev/null 2>"$tmp/err.txt"
t "not a project: exit 2" [ $? -eq 2 ]
t "not a project: says why" grep -q 'project.godot' "$tmp/err.txt"
"$W" fix --strategy sometimes "$SRC/examples/seed-project" >/dev/null 2>&1
t "unknown strategy: exit 2" [ $? -eq 2 ]
"$W" fix --preset Nope "$SRC/examples/seed-project" >/dev/null 2>"$tmp/err.txt"
t "unknown preset: exit 2" [ $? -eq 2 ]
t "unknown preset: names the Web presets" grep -q '"Web"' "$tmp/err.txt"
"$W" fix --preset Linux "$SRC/examples/seed-project" >/dev/null 2>&1
t "non-Web preset: exit 2" [ $? -eq 2 ]
"$W" fix >/dev/null 2>&1
t "no argument: exit 2" [ $? -eq 2 ]
"$W" fix --host nowhere "$SRC/examples/seed-project" >/dev/null 2>&1
t "unknown host: exit 2" [ $? -eq 2 ]
p=$tmp/broken
cp -r "$SRC/examples/seed-project" "$p"
printf '[libraries]\nweb.release.wasm32 = "res://x.wasm\n' >"$p/addons/limboai/broken.gdextension"
s0=$(state "$p")
"$W" fix --apply "$p" >/dev/null 2>"$tmp/err.txt"
t "unparsable .gdextension: exit 2" [ $? -eq 2 ]
t "unparsable .gdextension: names file and line" grep -q 'broken.gdextension:[0-9]*:[0-9]*' "$tmp/err.txt"
t "unparsable .gdextension: nothing written" [ "$s0" = "$(state "$p")" ]
"$W" fix --help | grep -q -- '--strategy'
t "--help" [ $? -eq 0 ]

# changed while fix runs (needs the step delay of a -DWD_TEST_HOOKS=ON build)
if [ "${WD_TEST_HOOKS:-0}" = 1 ]; then
  # changed while fix runs: refused before the rename, the other program's
  # bytes kept. Writing starts with the hidden temporary copy for the .bak;
  # the file is changed as soon as that appears (each step then waits 300 ms).
  p=$tmp/race
  cp -r "$SRC/examples/seed-project" "$p"
  WEBDOCTOR_FIX_STEP_DELAY_MS=300 "$W" fix --strategy threads --apply "$p" >/dev/null 2>"$tmp/race.txt" &
  pid=$!
  for _ in $(seq 1 500); do
    [ -n "$(find "$p" -maxdepth 1 -name '.export_presets.cfg.bak.wdfix-*')" ] && break
    sleep 0.01
  done
  printf '; edited by hand\n' >>"$p/export_presets.cfg"
  wait $pid
  rc=$?
  t "changed while running: exit 2" [ $rc -eq 2 ]
  t "changed while running: explains" grep -q 'changed since fix read it' "$tmp/race.txt"
  t "changed while running: the other program's bytes kept" grep -q '^; edited by hand$' "$p/export_presets.cfg"
  t "changed while running: thread_support untouched" grep -q '^variant/thread_support=false$' "$p/export_presets.cfg"
else
  echo "note: the changed-while-running case needs a build with -DWD_TEST_HOOKS=ON"
fi
t "changed while running: no temporary file left" [ -z "$(find "$p" -name '*.wdfix-*')" ]

# cannot be written: a read-only mount (needs a mount namespace)
p=$tmp/ro
cp -r "$SRC/examples/seed-project" "$p"
s0=$(state "$p")
if unshare -m true 2>/dev/null; then
  unshare -m sh -c 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" && exec "$2" fix --apply "$1"' _ "$p" "$W" \
    >/dev/null 2>"$tmp/err.txt"
  rc=$?
  t "read-only: exit 2" [ $rc -eq 2 ]
  t "read-only: explains" grep -q 'cannot write in the folder' "$tmp/err.txt"
  t "read-only: nothing written" [ "$s0" = "$(state "$p")" ]
else
  skip=$((skip + 1))
  echo "skipped: read-only mount (no mount namespace here)"
fi

echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
