#!/usr/bin/env bash
# The module layering, read from the object files: every module (a folder
# of src/) may call only modules below it in this order, and no two modules
# may call each other (modules on one level are peers: neither calls the
# other):
#   common → wasm → link → godot → finding → check → report, deploy, fix
#          → net, serve → cli
# A function a module defines and another module's object files leave
# undefined (nm) is a dependency of the second on the first.
#   layering.test.sh [BUILD_DIR [SOURCE_DIR]]
#   (default $WD_BUILD_DIR, $WD_SOURCE_DIR; objects whose source file is gone
#   are left out)
# With LAYERING_GRAPH=1 it also prints every dependency with its symbols.
set -uo pipefail
build="${1:-${WD_BUILD_DIR:?}}"
src="${2:-${WD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}}"
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; }

levels="common:0 wasm:1 link:2 godot:3 finding:4 check:5 report:6 deploy:6 fix:6 net:7 serve:7 cli:8"
level() { local kv; for kv in $levels; do [ "${kv%%:*}" = "$1" ] && { echo "${kv#*:}"; return; }; done; echo -1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# every object of the library and the CLI, with its module (src/<module>/)
find "$build/CMakeFiles/webdoctor_lib.dir/src" "$build/CMakeFiles/webdoctor.dir/src" -name '*.o' 2>/dev/null |
  LC_ALL=C sort | while read -r o; do
    s="src/${o#*/src/}"; [ -f "$src/${s%.o}" ] && echo "$o"
  done > "$tmp/objs"
if [ ! -s "$tmp/objs" ]; then
  bad "no object files under $build/CMakeFiles (build first)"
  echo "$passed passed, $failed failed"
  exit 1
fi
# one nm for all objects: "path/src/<module>/<file>.o: [value] type symbol"
xargs nm -A --defined-only -g < "$tmp/objs" |
  awk '$(NF-1) ~ /^[TDBRC]$/ {f = $1; sub(/:$/, "", f); sub(/.*\/src\//, "", f); split(f, p, "/"); print $NF, p[1]}' > "$tmp/defs"
xargs nm -A -u < "$tmp/objs" |
  awk '{f = $1; sub(/:$/, "", f); sub(/.*\/src\//, "", f); split(f, p, "/"); print $NF, p[1], f}' > "$tmp/uses"
ok "$(wc -l < "$tmp/objs") object files, $(cut -d' ' -f2 "$tmp/defs" | LC_ALL=C sort -u | wc -l) modules"

# dependency lines: user provider symbol file
LC_ALL=C sort -k1,1 "$tmp/defs" > "$tmp/defs.s"
LC_ALL=C sort -k1,1 "$tmp/uses" > "$tmp/uses.s"
LC_ALL=C join -j1 "$tmp/uses.s" "$tmp/defs.s" | awk '$2 != $4 {print $2, $4, $1, $3}' > "$tmp/deps"
# the graph: user provider count
awk '{n[$1 " " $2]++} END {for (k in n) print k, n[k]}' "$tmp/deps" | LC_ALL=C sort > "$tmp/graph"

echo "module graph (module -> modules it calls, number of symbols):"
for kv in $levels; do
  m="${kv%%:*}"
  out="$(awk -v m="$m" '$1 == m {printf " %s(%s)", $2, $3}' "$tmp/graph")"
  echo "  $m ->${out:- (nothing)}"
done
if [ "${LAYERING_GRAPH:-0}" = 1 ]; then
  LC_ALL=C sort -u "$tmp/deps" | awk '{print "  " $1 " -> " $2 ": " $3 " (" $4 ")"}'
fi

while read -r user provider n; do
  lu="$(level "$user")"; lp="$(level "$provider")"
  syms="$(awk -v u="$user" -v p="$provider" '$1 == u && $2 == p && !s[$3]++ {print $3 " in " $4}' "$tmp/deps" |
          head -4 | paste -sd, - | sed 's/,/; /g')"
  if [ "$lu" -lt 0 ] || [ "$lp" -lt 0 ]; then
    bad "$user -> $provider: a module the layering does not list ($syms)"
  elif [ "$lp" -gt "$lu" ]; then
    bad "$user -> $provider: $user calls a module above it ($n symbols: $syms)"
  elif [ "$lp" -eq "$lu" ]; then
    bad "$user -> $provider: peers on one level call each other ($n symbols: $syms)"
  else
    ok "$user -> $provider ($n symbols)"
  fi
done < "$tmp/graph"
# two modules calling each other (already a failure above; named as a cycle)
while read -r user provider n; do
  if awk -v u="$user" -v p="$provider" '$1 == p && $2 == u {f = 1} END {exit !f}' "$tmp/graph" &&
     [[ "$user" < "$provider" ]]; then
    bad "cycle: $user and $provider call each other"
  fi
done < "$tmp/graph"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
