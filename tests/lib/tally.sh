# The count a shell suite keeps and prints last ("N passed, N failed"):
# source it, call ok or ko "what failed" per check, and end with tally,
# whose status is the suite's.
pass=0 fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
tally() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}
