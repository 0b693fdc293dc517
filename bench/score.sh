#!/bin/sh
# score.sh -- `keqing score` on a 10,000-person company: `keqing sample
# --staff 10000` imported once, then scored 3 times (each run replaces the
# period's results).  Target: <= 5 s, bounded memory.  Prints the median
# wall time and peak RSS.  Env: KEQING, WORK (set by run.sh).
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
SRC=$(cd "$(dirname "$0")/.." && pwd)
STAFF=${KQ_BENCH_STAFF:-10000}
"$KEQING" sample --staff "$STAFF" --period 2026-10 --seed 7 -o "$WORK/score.xml" >/dev/null 2>&1
"$KEQING" import "$WORK/score.xml" --db "$WORK/score.db" --templates "$SRC/templates" >/dev/null
rm -f "$WORK/score.xml"
# shellcheck disable=SC2046 # the figures, split into $1 $2 ... on purpose
set -- $(median_run 3 "$KEQING" score --period 2026-10 --db "$WORK/score.db" \
         --templates "$SRC/templates" --out "$WORK/out")
echo "score: $STAFF staff, $(($(wc -l < "$WORK/out/2026-10/totals.csv") - 1)) persons scored: median $1 s, peak RSS $(($2 / 1024)) MB (target <= 5 s)"
rm -rf "$WORK/score.db" "$WORK/out"
