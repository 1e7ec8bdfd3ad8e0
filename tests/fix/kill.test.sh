#!/usr/bin/env bash
# fix --apply killed with SIGKILL at every write step, and at random times
# from outside: every file is then wholly old or wholly new, a .bak is absent
# or wholly old, and running fix again finishes the job exactly (and removes
# the temporary files the killed run left).
#
#   WEBDOCTOR_FIX_KILL_AT=N        the library kills itself at its Nth write step
#   WEBDOCTOR_FIX_STEP_DELAY_MS=N  it sleeps N ms before each step, so that a
#                                  kill from outside lands between steps
# Both exist only in a build configured with -DWD_TEST_HOOKS=ON (scripts/test
# does; tests/CMakeLists.txt leaves this test out of other builds).
# WD_KILL_ROUNDS (default 60) sets the number of random kills per strategy.
set -u
W=${WEBDOCTOR:?set WEBDOCTOR to the webdoctor binary}
SRC=${WD_SOURCE_DIR:?set WD_SOURCE_DIR}
rounds=${WD_KILL_ROUNDS:-60}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
export NO_COLOR=1
sample=$SRC/examples/seed-project
files="export_presets.cfg addons/limboai/limboai.gdextension"

h() { if [ -e "$1" ]; then sha256sum <"$1" | cut -c1-64; else echo absent; fi; }

# After a kill: each file old or new, each .bak absent or old. Prints how
# many files are new.
verify_killed() {
  local p=$1 ref=$2 what=$3 nnew=0 f
  for f in $files; do
    local now old new bak
    now=$(h "$p/$f") old=$(h "$sample/$f") new=$(h "$ref/$f") bak=$(h "$p/$f.bak")
    if [ "$now" = "$new" ] && [ "$now" != "$old" ]; then
      nnew=$((nnew + 1))
    elif [ "$now" != "$old" ]; then
      no "$what: $f is neither old nor new"
      continue
    fi
    if [ "$bak" != absent ] && [ "$bak" != "$old" ]; then no "$what: $f.bak is not the original"; continue; fi
    ok
  done
  echo $nnew
}

# Run fix again: it must finish the job exactly, and leave no temporary file.
verify_rerun() {
  local p=$1 ref=$2 what=$3 strategy=$4 f
  "$W" fix --strategy "$strategy" --apply "$p" >/dev/null 2>"$tmp/err.txt"
  local rc=$?
  [ $rc -eq 0 ] && ok || no "$what: the run after the kill exits $rc: $(cat "$tmp/err.txt")"
  for f in $files; do
    [ "$(h "$p/$f")" = "$(h "$ref/$f")" ] && ok || no "$what: after the rerun $f differs from a clean run"
    if [ "$(h "$ref/$f")" != "$(h "$sample/$f")" ]; then
      [ "$(h "$p/$f.bak")" = "$(h "$sample/$f")" ] && ok || no "$what: $f.bak is not the original after the rerun"
    fi
  done
  [ -z "$(find "$p" -name '*.wdfix-*')" ] && ok || no "$what: temporary files left after the rerun"
}

for strategy in nothreads threads; do
  ref=$tmp/ref-$strategy
  cp -r "$sample" "$ref"
  "$W" fix --strategy $strategy --apply "$ref" >/dev/null || no "$strategy: the reference run failed"
  nfiles=0
  for f in $files; do [ "$(h "$ref/$f")" != "$(h "$sample/$f")" ] && nfiles=$((nfiles + 1)); done

  # every write step
  n=1 killed=0 mixed=0
  declare -A seen=()
  while :; do
    p=$tmp/k-$strategy-$n
    cp -r "$sample" "$p"
    # (the braces take bash's own "Killed" notice too)
    { WEBDOCTOR_FIX_KILL_AT=$n "$W" fix --strategy $strategy --apply "$p" >/dev/null; } 2>/dev/null
    rc=$?
    if [ $rc -ne 137 ]; then
      [ $rc -eq 0 ] && ok || no "$strategy: the run past the last step exits $rc"
      rm -rf "$p"
      break
    fi
    killed=$((killed + 1))
    k=$(verify_killed "$p" "$ref" "$strategy, killed at step $n" | tail -1)
    seen[$k]=1
    [ "$k" -gt 0 ] && [ "$k" -lt "$nfiles" ] && mixed=$((mixed + 1))
    verify_rerun "$p" "$ref" "$strategy, killed at step $n" $strategy
    rm -rf "$p"
    n=$((n + 1))
    [ $n -gt 200 ] && { no "$strategy: more than 200 steps"; break; }
  done
  [ $killed -eq $((nfiles * 10)) ] && ok || no "$strategy: killed at $killed steps, expected $((nfiles * 10))"
  echo "$strategy: $nfiles files, killed at each of $killed write steps; states after the kill (files new): ${!seen[*]}; $mixed kills left one file new and another old"
  unset seen

  # from outside, at random times
  rnew=0 rold=0 rdone=0
  for ((i = 1; i <= rounds; i++)); do
    p=$tmp/r-$strategy-$i
    cp -r "$sample" "$p"
    WEBDOCTOR_FIX_STEP_DELAY_MS=3 "$W" fix --strategy $strategy --apply "$p" >/dev/null 2>&1 &
    pid=$!
    sleep "$(printf '0.%03d' $((RANDOM % (nfiles * 30 + 40))))"
    kill -KILL $pid 2>/dev/null
    wait $pid 2>/dev/null
    rc=$?
    if [ $rc -eq 0 ]; then rdone=$((rdone + 1)); fi
    k=$(verify_killed "$p" "$ref" "$strategy, random kill $i" | tail -1)
    if [ "$k" -eq 0 ]; then rold=$((rold + 1)); else rnew=$((rnew + 1)); fi
    verify_rerun "$p" "$ref" "$strategy, random kill $i" $strategy
    rm -rf "$p"
  done
  echo "$strategy: $rounds random kills: $rold with every file old, $rnew with some file new ($rdone had finished)"
done

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
