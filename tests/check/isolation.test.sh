#!/usr/bin/env bash
# WD203, one rule in check and fix: for a threaded project (the seed project
# with Thread Support on, no PWA) and every host, `check --host H` gives
# WD203 the severity docs/findings.md states (error when H cannot send
# headers: GitHub Pages, GitLab Pages, Newgrounds; else a note for a
# preset) exactly when `fix --strategy threads
# --host H` plans to change a file for it (the PWA service worker); after
# that fix, check --host H has no error.
set -u
W="${WEBDOCTOR:?}"
SRC="${WD_SOURCE_DIR:?}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
t() { local d=$1; shift; if "$@"; then pass=$((pass + 1)); echo "ok   $d"; else fail=$((fail + 1)); echo "FAIL $d"; fi; }
p="$tmp/threaded"
cp -r "$SRC/examples/seed-project" "$p"
sed -i 's|^variant/thread_support=false$|variant/thread_support=true|' "$p/export_presets.cfg"
grep -q '^variant/thread_support=true$' "$p/export_presets.cfg" || { echo "FAIL the sample changed"; echo "0 passed, 1 failed"; exit 1; }
sev() { python3 -c 'import json,sys; print(" ".join(f["severity"] for f in json.load(sys.stdin)["findings"] if f["id"]=="WD203") or "none")'; }
pwa_changes() { python3 -c 'import json,sys; print(sum(1 for f in json.load(sys.stdin)["files"] for c in f["changes"] if c["key"].startswith("progressive_web_app/")))'; }
for host in $("$W" headers --list | tail -n +2 | awk '{print $1}'); do
  s="$("$W" check --host "$host" --json "$p" | sev)"
  "$W" check --host "$host" "$p" >/dev/null 2>&1
  rc=$?
  n="$("$W" fix --strategy threads --host "$host" --json "$p" | pwa_changes)"
  case "$host" in
    github-pages | gitlab-pages | newgrounds) want="error 1 1" ;;
    *) want="note 0 0" ;;
  esac
  t "$host: check WD203 $s (exit $rc), fix --strategy threads changes $n PWA options" [ "$s $rc $n" = "$want" ]
  if [ "$n" != 0 ]; then
    q="$tmp/fixed-$host"
    cp -r "$p" "$q"
    "$W" fix --strategy threads --host "$host" --apply "$q" >/dev/null
    "$W" check --host "$host" "$q" >/dev/null
    t "$host: after fix --host $host, check --host $host exits 0" [ $? = 0 ]
  fi
done
# docs/findings.md states that rule
t "docs/findings.md: WD203 is an error when --host cannot send headers" \
  grep -q '^| WD203 | warning (error when `--host` cannot send headers' "$SRC/docs/findings.md"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
