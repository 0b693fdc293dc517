#!/bin/sh
# xlsx.sh -- the period's Excel workbook for a 10,000-person company:
# `keqing sample --staff 10000` imported once, then scored 3 times
# (build/bench_xlsx: pipe_score in-process, which times the workbook
# alone).  Target: < 5 s on one core, and the same bytes every run.
# Prints the median CPU and wall seconds, the rows and the size.
# Env: KEQING, WORK (set by run.sh).
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$(dirname "$KEQING")/bench_xlsx
STAFF=${KQ_BENCH_STAFF:-10000}
D="$WORK/xlsx"
mkdir -p "$D"
[ -x "$BENCH" ] || { echo "xlsx: $BENCH missing (make bench builds it)"; exit 1; }
"$KEQING" sample --staff "$STAFF" --period 2026-10 --seed 7 -o "$D/s.xml" >/dev/null 2>&1
"$KEQING" import "$D/s.xml" --db "$D/k.db" --templates "$SRC/templates" >/dev/null
rm -f "$D/s.xml"
# shellcheck disable=SC2046 # the figures, split into $1 $2 ... on purpose
set -- $("$BENCH" "$D/k.db" "$SRC/templates" "$D/out" 3)
rows=$(( $(wc -l < "$D/out/2026-10/totals.csv") + $(wc -l < "$D/out/2026-10/scores.csv") - 2 ))
echo "xlsx: $STAFF staff, $rows rows (汇总 + 指标明细): median $1 s CPU, $2 s wall, $(($3 / 1024)) KB, 3 runs $4 (target < 5 s on one core, identical)"
rm -rf "$D"
