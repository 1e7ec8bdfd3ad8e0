#!/usr/bin/env bash
# The zh_CN catalogue against the sources as they are now: a .pot extracted
# afresh (the same xgettext options as the `pot` target in po/CMakeLists.txt:
# the C sources, then the web page's web/app.js and web/worker.js),
# po/zh_CN.po merged with it, and then
#   - po/webdoctor.pot has the same messages as that fresh .pot,
#   - no entry untranslated or fuzzy (the failures list them),
#   - msgfmt --check (printf conversions, header) passes on the merged file,
#   - what is never translated survives in every msgstr: option names,
#     finding IDs, header names, `commands`, file names, quoted engine texts
#     (tests/i18n/verbatim.py).
set -uo pipefail
src="${WD_SOURCE_DIR:?}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; }

cd "$src"
find src -name '*.c' -o -name '*.def' | LC_ALL=C sort > "$tmp/files"
if xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --keyword=W_ --keyword=P_:1,2 --keyword=NP_:1,2 --add-comments=TRANSLATORS: \
     --sort-by-file --package-name=webdoctor --msgid-bugs-address=webdoctor \
     --files-from="$tmp/files" --output="$tmp/webdoctor.pot" 2> "$tmp/xgettext.err" &&
   xgettext --from-code=UTF-8 --language=JavaScript --keyword=_ --keyword=N_ --add-comments=TRANSLATORS: \
     --sort-by-file --join-existing --package-name=webdoctor --msgid-bugs-address=webdoctor \
     --output="$tmp/webdoctor.pot" web/app.js web/worker.js 2>> "$tmp/xgettext.err"; then
  ok "xgettext: $(grep -c '^msgid ' "$tmp/webdoctor.pot") messages in the sources"
else
  bad "xgettext failed: $(cat "$tmp/xgettext.err")"
  echo "$passed passed, $failed failed"
  exit 1
fi

# the committed template has the same messages (places and dates aside)
msgids() { msgcat --no-location --no-wrap --sort-output "$1" | sed '1,/^$/d'; }  # header dropped
if diff <(msgids po/webdoctor.pot) <(msgids "$tmp/webdoctor.pot") > "$tmp/pot.diff"; then
  ok "po/webdoctor.pot has the messages of the sources"
else
  head -40 "$tmp/pot.diff" | sed 's/^/  /'
  bad "po/webdoctor.pot is stale (cmake --build BUILD --target pot)"
fi

if msgmerge --quiet --no-fuzzy-matching --output-file="$tmp/zh_CN.po" po/zh_CN.po "$tmp/webdoctor.pot" 2> "$tmp/merge.err"; then
  ok "msgmerge po/zh_CN.po with the fresh .pot"
else
  bad "msgmerge: $(cat "$tmp/merge.err")"
fi

# untranslated and fuzzy entries, listed with where they come from
list_entries() { # the references and the first line of each msgid
  awk '/^#: /{print "  " $0} /^msgid ""$/{getline; print "    " $0; next} /^msgid /{print "    " $0}' "$1" | head -80
}
msgattrib --untranslated --no-obsolete "$tmp/zh_CN.po" > "$tmp/untranslated.po"
n="$(grep -c '^#: ' "$tmp/untranslated.po")"
if [ "$n" -eq 0 ]; then
  ok "every message has a translation"
else
  list_entries "$tmp/untranslated.po"
  bad "$n untranslated entries (cmake --build BUILD --target pot; msgmerge --update po/zh_CN.po po/webdoctor.pot; translate them)"
fi
msgattrib --only-fuzzy --no-obsolete "$tmp/zh_CN.po" > "$tmp/fuzzy.po"
n="$(grep -c '^#: ' "$tmp/fuzzy.po")"
if [ "$n" -eq 0 ]; then
  ok "no fuzzy translation"
else
  list_entries "$tmp/fuzzy.po"
  bad "$n fuzzy entries (review them, then remove the fuzzy flag)"
fi

if msgfmt --check --statistics --output-file="$tmp/webdoctor.mo" "$tmp/zh_CN.po" 2> "$tmp/msgfmt.out"; then
  ok "msgfmt --check: $(cat "$tmp/msgfmt.out")"
else
  bad "msgfmt --check: $(cat "$tmp/msgfmt.out")"
fi
if msgfmt --check --output-file=/dev/null po/zh_CN.po 2> "$tmp/msgfmt2.out"; then
  ok "msgfmt --check on the committed po/zh_CN.po"
else
  bad "msgfmt --check po/zh_CN.po: $(cat "$tmp/msgfmt2.out")"
fi
if grep -q '^#, fuzzy' po/zh_CN.po; then
  bad "po/zh_CN.po has fuzzy entries"
else
  ok "po/zh_CN.po has no fuzzy entries"
fi

# what stays verbatim
if python3 "$src/tests/i18n/verbatim.py" "$tmp/zh_CN.po" > "$tmp/verbatim.out"; then
  ok "$(tail -1 "$tmp/verbatim.out")"
else
  sed 's/^/  /' "$tmp/verbatim.out" | head -60
  bad "translations lost text that must stay verbatim"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
