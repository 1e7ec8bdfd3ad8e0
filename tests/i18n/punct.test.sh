#!/usr/bin/env bash
# Chinese typesetting (tests/i18n/punct.py) of po/zh_CN.po and of what the
# CLI prints with --lang zh_CN on the samples: check (export, project,
# github-pages), fix (both strategies), headers, a missing file.
set -u
W="${WEBDOCTOR:?}"
SRC="${WD_SOURCE_DIR:?}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
z() { "$W" --lang zh_CN --color=never "$@"; }
z check "$SRC/examples/seed-export" >"$tmp/check-export.txt" 2>&1
z check "$SRC/examples/seed-project" >"$tmp/check-project.txt" 2>&1
z check --host github-pages "$SRC/examples/seed-export" >"$tmp/check-pages.txt" 2>&1
z fix --strategy nothreads "$SRC/examples/seed-project" >"$tmp/fix-nothreads.txt" 2>&1
z fix --strategy threads "$SRC/examples/seed-project" >"$tmp/fix-threads.txt" 2>&1
z headers --host nginx --dir "$SRC/examples/seed-export" >"$tmp/headers.txt" 2>&1
z check "$tmp/nonexistent" >"$tmp/error.txt" 2>&1
z --help >"$tmp/help.txt" 2>&1
python3 "$SRC/tests/i18n/punct.py" po "$SRC/po/zh_CN.po" | tail -n 1 >"$tmp/po.res"
python3 "$SRC/tests/i18n/punct.py" text "$tmp"/*.txt | grep -v '^ok ' | tee "$tmp/cli.res" | grep '^FAIL' | head -40
python3 "$SRC/tests/i18n/punct.py" po "$SRC/po/zh_CN.po" | grep '^FAIL' | head -40
p1=$(sed -E 's/^([0-9]+) passed.*/\1/' "$tmp/po.res"); f1=$(sed -E 's/.* ([0-9]+) failed/\1/' "$tmp/po.res")
r=$(tail -n 1 "$tmp/cli.res"); p2=$(echo "$r" | sed -E 's/^([0-9]+) passed.*/\1/'); f2=$(echo "$r" | sed -E 's/.* ([0-9]+) failed/\1/')
# the CLI really printed Chinese
if grep -q '错误' "$tmp/error.txt" && grep -q '用法：webdoctor \[选项\] 命令' "$tmp/help.txt"; then p3=1 f3=0; else p3=0 f3=1; echo "FAIL the CLI did not print Chinese"; fi
echo "$((p1 + p2 + p3)) passed, $((f1 + f2 + f3)) failed"
[ $((f1 + f2 + f3)) = 0 ]
