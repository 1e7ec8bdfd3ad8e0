#!/usr/bin/env bash
# A language chosen through the environment gives system error texts
# (strerror) in that language and in UTF-8, even when its locale is not
# installed (here zh_CN.UTF-8 is not): never question marks. The reference
# is the text --lang zh_CN prints, and the English one with LC_ALL=C.
set -uo pipefail
W="$(realpath "${WEBDOCTOR:?}")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
missing="$tmp/no-such-folder"
env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=C "$W" --lang zh_CN check "$missing" 2>"$tmp/ref" >/dev/null
env -u LANGUAGE -u LC_MESSAGES LC_ALL=C "$W" check "$missing" 2>"$tmp/en" >/dev/null
ref="$(cat "$tmp/ref")"
# the reference itself: translated, not the English strerror
if [ -n "$ref" ] && ! cmp -s "$tmp/ref" "$tmp/en" && ! grep -q 'No such file' "$tmp/ref"; then pass=$((pass + 1))
else fail=$((fail + 1)); echo "FAIL: --lang zh_CN: $ref"; fi
for setting in "LANG=zh_CN.UTF-8" "LC_ALL=zh_CN.UTF-8" "LC_MESSAGES=zh_CN.UTF-8" "LANGUAGE=zh_CN LANG=C.UTF-8" "LANG=zh_CN.utf8" "LANG=zh_CN"; do
  # shellcheck disable=SC2086
  env -u LANGUAGE -u LC_ALL -u LC_MESSAGES -u LANG $setting "$W" check "$missing" 2>"$tmp/got" >/dev/null
  got="$(cat "$tmp/got")"
  if grep -q '?' "$tmp/got"; then fail=$((fail + 1)); echo "FAIL: $setting: question marks: $got"
  elif ! python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$tmp/got" 2>/dev/null; then
    fail=$((fail + 1)); echo "FAIL: $setting: not UTF-8: $got"
  elif [ "$got" != "$ref" ]; then fail=$((fail + 1)); echo "FAIL: $setting: '$got', expected '$ref'"
  else pass=$((pass + 1)); fi
done
# English stays English
env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=en_US.UTF-8 "$W" check "$missing" 2>"$tmp/got" >/dev/null
if cmp -s "$tmp/got" "$tmp/en"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: LANG=en_US.UTF-8: $(cat "$tmp/got")"; fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
