#!/usr/bin/env bash
# Command-line rough edges: check on an empty folder is bad input (exit 2,
# one message), headers --list --json is JSON with every host --list prints.
set -uo pipefail
W="$(realpath "${WEBDOCTOR:?}")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
mkdir "$tmp/empty"
"$W" check "$tmp/empty" >"$tmp/o" 2>"$tmp/e"; rc=$?
if [ "$rc" = 2 ] && [ ! -s "$tmp/o" ] && grep -q "'$tmp/empty' is empty" "$tmp/e" && [ "$(wc -l <"$tmp/e")" = 1 ]; then pass=$((pass + 1))
else fail=$((fail + 1)); echo "FAIL: check on an empty folder: exit $rc: $(cat "$tmp/o" "$tmp/e" | head -3)"; fi
"$W" headers --list >"$tmp/list.txt"
"$W" headers --list --json >"$tmp/list.json"
if python3 - "$tmp/list.txt" "$tmp/list.json" <<'PY'
import json, sys
text = [l.split()[0] for l in open(sys.argv[1]).read().splitlines()[1:] if l.strip()]
d = json.load(open(sys.argv[2]))
assert d["schema"] == "webdoctor.hosts/1"
keys = [h["key"] for h in d["hosts"]]
assert keys == text, (keys, text)
for h in d["hosts"]:
    assert h["coop_coep"] in ("config", "option", "service-worker", "none")
    assert h["can_set_headers"] == (h["coop_coep"] in ("config", "option")) or h["coop_coep"] == "service-worker"
PY
then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: headers --list --json"; head -c 300 "$tmp/list.json"; fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
