#!/usr/bin/env bash
# Options anywhere, GNU style: every command gives the same result with its
# options before or after the operands; "--" ends the options (a file named
# --json); the global --lang and --color go before or after the command; a
# missing option value is named, with one usage line instead of the help.
set -uo pipefail
W="$(realpath "${WEBDOCTOR:?}")"
src="$(realpath "${WD_SOURCE_DIR:?}")"
fx="$src/tests/fixtures/wasm"
export="$src/examples/seed-export"
project="$src/examples/seed-project"
tmp="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# run NAME -- ARGS...: stdout, stderr and the exit status into $tmp/NAME.*
run() {
  local name="$1"; shift
  "$W" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
  echo $? >"$tmp/$name.rc"
}
# same A B: both runs gave the same stdout and exit status, and the status is
# the expected one
same() {
  local a="$1" b="$2" want="$3"
  if ! cmp -s "$tmp/$a.out" "$tmp/$b.out"; then bad "$a vs $b: stdout differs"; diff "$tmp/$a.out" "$tmp/$b.out" | head -5
  elif [ "$(cat "$tmp/$a.rc")" != "$want" ] || [ "$(cat "$tmp/$b.rc")" != "$want" ]; then
    bad "$a/$b: exit $(cat "$tmp/$a.rc")/$(cat "$tmp/$b.rc"), expected $want"; head -3 "$tmp/$a.err" "$tmp/$b.err"
  elif [ ! -s "$tmp/$a.out" ]; then bad "$a: no output"
  else ok; fi
}

m="$fx/main_nothreads.wasm"
s_thr="$fx/side_pthread.wasm"

# inspect
run i1 inspect --json -a "$m"; run i2 inspect "$m" --json -a; same i1 i2 0
run i3 inspect -s "$m" "$s_thr"; run i4 inspect "$m" -s "$s_thr"; same i3 i4 0
# link (options between the files too)
run l1 link --json --engine chrome "$m" "$s_thr"; run l2 link "$m" "$s_thr" --json --engine chrome; same l1 l2 1
run l3 link "$m" --engine=firefox "$s_thr" -v; run l4 link -v --engine firefox "$m" "$s_thr"; same l3 l4 1
# check, and the README's own example
run c1 check --json --host itch "$export"; run c2 check "$export" --json --host itch; same c1 c2 1
run c3 check "$export" --html "$tmp/report.html" -q; run c4 check -q --html "$tmp/report2.html" "$export"; same c3 c4 1
if [ -s "$tmp/report.html" ] && grep -q '<html' "$tmp/report.html"; then ok; else bad "check DIR --html FILE wrote no report"; fi
# fix (a dry run: the diff)
run f1 fix --strategy nothreads --json "$project"; run f2 fix "$project" --strategy nothreads --json; same f1 f2 1
run f3 fix "$project" --strategy=threads; run f4 fix --strategy threads "$project"; same f3 f4 1
# headers (no operand: option order only; a stray operand is refused by name)
run h1 headers --host nginx --dir "$export" --threads; run h2 headers --threads --dir "$export" --host nginx; same h1 h2 0
run h3 headers --dir "$export" stray --host netlify
if [ "$(cat "$tmp/h3.rc")" = 2 ] && grep -q "'stray'" "$tmp/h3.err"; then ok; else bad "headers with a stray operand: $(cat "$tmp/h3.err")"; fi

# serve (the README's `serve DIR --port N`), then probe against it, both orders
start_serve() { # start_serve NAME ARGS...: the URL in $url
  local name="$1"; shift
  "$W" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  pids+=($!)
  url=""
  for _ in $(seq 100); do
    url="$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$tmp/$name.out" | head -n1)"
    [ -n "$url" ] && break
    sleep 0.1
  done
}
start_serve sv1 serve "$export" --port 0 --no-check -q
u1="$url"
start_serve sv2 serve --port 0 -q --no-check "$export"
u2="$url"
for u in "$u1" "$u2"; do
  if [ -n "$u" ] && curl -sf "${u}index.html" | grep -qi '<html'; then ok; else bad "serve (url '$u') did not serve the folder"; fi
done
if [ -n "$u1" ]; then
  run p1 probe --json --timeout 20 "${u1}index.html"; run p2 probe "${u1}index.html" --json --timeout 20
  # the two reports differ only in timings: compare the findings' IDs and the exit status
  for p in p1 p2; do python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sorted(f["id"] for f in d["findings"]))' "$tmp/$p.out" >"$tmp/$p.ids" 2>/dev/null; cp "$tmp/$p.rc" "$tmp/$p.ids.rc"; done
  mv "$tmp/p1.ids" "$tmp/p1i.out"; mv "$tmp/p2.ids" "$tmp/p2i.out"; cp "$tmp/p1.rc" "$tmp/p1i.rc"; cp "$tmp/p2.rc" "$tmp/p2i.rc"
  same p1i p2i "$(cat "$tmp/p1.rc")"
else bad "no server for probe"; fi

# "--" ends the options: a file literally named --json
mkdir "$tmp/dd" && cp "$m" "$tmp/dd/--json" && cp "$s_thr" "$tmp/dd/-v"
(cd "$tmp/dd" && "$W" inspect -- --json >"$tmp/dd1.out" 2>"$tmp/dd1.err"; echo $? >"$tmp/dd1.rc")
if [ "$(cat "$tmp/dd1.rc")" = 0 ] && grep -q -- '^--json: WebAssembly module' "$tmp/dd1.out"; then ok; else bad "inspect -- --json: $(cat "$tmp/dd1.err")"; fi
(cd "$tmp/dd" && "$W" inspect --json -- --json >"$tmp/dd2.out" 2>"$tmp/dd2.err"; echo $? >"$tmp/dd2.rc")
if [ "$(cat "$tmp/dd2.rc")" = 0 ] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["modules"][0]["file"]=="--json"' "$tmp/dd2.out" 2>/dev/null; then ok; else bad "inspect --json -- --json"; head -c 300 "$tmp/dd2.out"; fi
(cd "$tmp/dd" && "$W" link --json -- --json -v >"$tmp/dd3.out" 2>"$tmp/dd3.err"; echo $? >"$tmp/dd3.rc")
if [ "$(cat "$tmp/dd3.rc")" = 1 ] && grep -q '"--json"' "$tmp/dd3.out" && grep -q '"-v"' "$tmp/dd3.out"; then ok; else bad "link --json -- --json -v: rc $(cat "$tmp/dd3.rc") $(cat "$tmp/dd3.err")"; fi
mkdir "$tmp/de" && cp -r "$export" "$tmp/de/--json"
(cd "$tmp/de" && "$W" check -q -- --json >"$tmp/dd4.out" 2>"$tmp/dd4.err"; echo $? >"$tmp/dd4.rc")
if [ "$(cat "$tmp/dd4.rc")" = 1 ] && grep -q -- '^--json: 1 error' "$tmp/dd4.out"; then ok; else bad "check -- --json: $(cat "$tmp/dd4.out" "$tmp/dd4.err")"; fi

# global options before or after the command, with = or a space
run g1 --color never check -q "$export"; run g2 check -q "$export" --color never; same g1 g2 1
run g3 --color=always check -q "$export"; run g4 check "$export" -q --color always; same g3 g4 1
if grep -q $'\033\[' "$tmp/g3.out" && ! grep -q $'\033\[' "$tmp/g1.out"; then ok; else bad "--color always/never not applied"; fi
run g5 --lang zh_CN check -q "$export"; run g6 check -q "$export" --lang zh_CN; run g7 check -q --lang=zh_CN "$export"
same g5 g6 1; same g6 g7 1
if grep -q '个错误' "$tmp/g5.out"; then ok; else bad "--lang zh_CN not applied: $(cat "$tmp/g5.out")"; fi

# a missing value: named, one usage line, exit 2 (every command)
for args in "check $export --host" "check --html" "inspect --color" "link $m --glue" "link $m $s_thr --engine" \
            "fix $project --strategy" "headers --dir" "headers --host" "serve $export --port" "serve --tls" \
            "probe http://127.0.0.1:1/ --timeout" "--color" "check $export --lang"; do
  opt="${args##* }"
  # shellcheck disable=SC2086
  run miss $args
  if [ "$(cat "$tmp/miss.rc")" = 2 ] && grep -q "option '$opt' requires an argument" "$tmp/miss.err" \
     && [ "$(wc -l <"$tmp/miss.err")" -eq 2 ] && grep -q "^Usage: webdoctor" "$tmp/miss.err" && [ ! -s "$tmp/miss.out" ]; then ok
  else bad "'$args': rc $(cat "$tmp/miss.rc"): $(cat "$tmp/miss.err")"; fi
done
# an unknown option: named, one usage line
for args in "check --bogus $export" "inspect -x $m" "link $m $s_thr --nope" "--bogus check"; do
  run unk $args
  if [ "$(cat "$tmp/unk.rc")" = 2 ] && grep -q "unknown option" "$tmp/unk.err" && [ "$(wc -l <"$tmp/unk.err")" -eq 2 ]; then ok
  else bad "'$args': rc $(cat "$tmp/unk.rc"): $(cat "$tmp/unk.err")"; fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
