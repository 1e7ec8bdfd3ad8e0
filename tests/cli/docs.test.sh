#!/usr/bin/env bash
# Small facts the user reads: the man page renders without a warning (groff
# -ww) and without stray requests in the text (man -l), serve --help names
# every signal the man page says stops the server, and a module with only
# WebAssembly 1.0 features runs in the first releases that had WebAssembly
# at all (Chrome 57, Firefox 52, Safari 11; webassembly.org/features).
set -uo pipefail
W="$(realpath "${WEBDOCTOR:?}")"
src="$(realpath "${WD_SOURCE_DIR:?}")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
man1="$src/docs/webdoctor.1"

LC_ALL=C.UTF-8 groff -ww -z -man "$man1" 2>"$tmp/groff.err"
if [ ! -s "$tmp/groff.err" ]; then ok; else bad "groff -ww: $(head -5 "$tmp/groff.err")"; fi
LC_ALL=C.UTF-8 MANWIDTH=80 MAN_KEEP_FORMATTING=0 man -l "$man1" 2>"$tmp/man.err" | col -b >"$tmp/man.txt"
if [ -s "$tmp/man.txt" ] && [ ! -s "$tmp/man.err" ]; then ok; else bad "man -l: $(head -3 "$tmp/man.err")"; fi
# a request that ended up in the text (".br", ".B" glued to a word)
if grep -nE '(^|[^A-Za-z0-9/])\.(br|B|I|BI|BR|TP|PP|SH|IP)( |$)' "$tmp/man.txt" | grep -v '^\s*$' >"$tmp/stray"; [ ! -s "$tmp/stray" ]; then ok
else bad "requests in the rendered page: $(head -3 "$tmp/stray")"; fi
if grep -q '\]\.br' "$tmp/man.txt"; then bad "'.br' glued to the synopsis"; else ok; fi
# every command of the command table has its synopsis line
for c in inspect check fix headers probe serve link; do
  if grep -q "^ *webdoctor *$c" "$tmp/man.txt"; then ok; else bad "no synopsis for $c"; fi
done

# the signals that stop serve: the man page's and --help's
man_sigs="$(grep -oE 'SIG[A-Z]+' "$tmp/man.txt" | sort -u | tr '\n' ' ')"
help_sigs="$("$W" serve --help | grep -oE 'SIG[A-Z]+' | sort -u | tr '\n' ' ')"
if [ -n "$man_sigs" ] && [ "$man_sigs" = "$help_sigs" ]; then ok; else bad "signals: man page '$man_sigs', serve --help '$help_sigs'"; fi

# an MVP-only module (no feature beyond WebAssembly 1.0)
mvp="$src/tests/fixtures/wasm/side_nothreads.wasm"
"$W" inspect --json "$mvp" >"$tmp/mvp.json"
if python3 - "$tmp/mvp.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))["modules"][0]
assert not m["features"], m["features"]
assert m["browsers"] == {"chrome": "57", "firefox": "52", "safari": "11"}, m["browsers"]
PY
then ok; else bad "inspect --json browsers of an MVP module"; fi
if "$W" inspect "$mvp" | grep -q 'browsers *Chrome 57+, Firefox 52+, Safari 11+$'; then ok; else bad "inspect: $("$W" inspect "$mvp" | grep browsers)"; fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
