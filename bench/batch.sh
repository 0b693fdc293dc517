#!/bin/sh
# batch.sh -- the monthly batch (issue 6): `keqing run` end to end on a
# sample company of KQ_BENCH_BATCH_STAFF (default 10000) staff - import,
# score, render, manifest - with the seconds of each stage and the peak
# RSS (the largest of the process and its workers); then the render stage
# alone (a fresh output folder, so every file is drawn again under its
# registered number) with --jobs 1 and --jobs 2, one after the other in
# the same conditions, for the parallel speedup; the two outputs must be
# byte-identical.  Goals: <= 60 s end to end on 2 cores, <= 256 MB peak
# RSS, --jobs 2 >= 1.8x --jobs 1 for rendering.  Each figure is the median
# of KQ_BENCH_BATCH_RUNS runs (default 1: a 10,000-staff run takes
# minutes on a shared machine).  Env: KEQING, WORK (set by run.sh).
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
SRC=$(cd "$(dirname "$0")/.." && pwd)
T="$SRC/templates"
N=${KQ_BENCH_BATCH_STAFF:-10000}
R=${KQ_BENCH_BATCH_RUNS:-1}
P=2026-10

"$KEQING" sample --staff "$N" --period $P --seed 7 -o "$WORK/b.xml" >/dev/null 2>&1

# stage seconds from a run's summary (stdout): "import score render plan"
stages() {
    awk '/records imported|import skipped/ { for (i = 1; i <= NF; i++) if ($i == "s") im = $(i-1) }
         /people scored/ { for (i = 1; i <= NF; i++) if ($i == "s") sc = $(i-1) }
         /files written/ { for (i = 1; i <= NF; i++) {
                               if ($i == "render") re = $(i+1)
                               if ($i == "plan") pl = $(i+1) } }
         END { printf "%s %s %s %s", im, sc, re, pl }' "$1"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# ---- end to end: a fresh database each time ----------------------------------
: > "$WORK/e2e"
i=0
while [ $i -lt "$R" ]; do
    rm -rf "$WORK/b.db" "$WORK/bout"
    /usr/bin/time -f '%e %M' -o "$WORK/t1" "$KEQING" run "$WORK/b.xml" --period $P \
        --db "$WORK/b.db" --out "$WORK/bout" --templates "$T" --jobs 2 --quiet \
        > "$WORK/run.out" 2> "$WORK/run.err" || { cat "$WORK/run.err" >&2; exit 1; }
    echo "$(cat "$WORK/t1") $(stages "$WORK/run.out")" >> "$WORK/e2e"
    i=$((i + 1))
done
total=$(cut -d' ' -f1 "$WORK/e2e" | median)
rss=$(cut -d' ' -f2 "$WORK/e2e" | median)
imp=$(cut -d' ' -f3 "$WORK/e2e" | median)
sco=$(cut -d' ' -f4 "$WORK/e2e" | median)
ren=$(cut -d' ' -f5 "$WORK/e2e" | median)
pla=$(cut -d' ' -f6 "$WORK/e2e" | median)
files=$(($(wc -l < "$WORK/bout/$P/manifest.csv") - 1))
echo "batch: run $N staff, --jobs 2: $total s end to end (import $imp s, score $sco s," \
     "plan $pla s, render $ren s; $files files), peak RSS $((rss / 1024)) MB" \
     "(goals <= 60 s, <= 256 MB)"

# ---- render alone: --jobs 1 against --jobs 2 ---------------------------------------
: > "$WORK/j1"; : > "$WORK/j2"
i=0
while [ $i -lt "$R" ]; do
    for j in 1 2; do
        rm -rf "$WORK/bj$j"
        "$KEQING" run "$WORK/b.xml" --period $P --db "$WORK/b.db" --out "$WORK/bj$j" \
            --templates "$T" --jobs $j --quiet > "$WORK/run.out" 2> "$WORK/run.err" ||
            { cat "$WORK/run.err" >&2; exit 1; }
        stages "$WORK/run.out" | cut -d' ' -f3 >> "$WORK/j$j"
    done
    i=$((i + 1))
done
cmp -s "$WORK/bj1/$P/manifest.csv" "$WORK/bj2/$P/manifest.csv" ||
    { echo "batch: --jobs 1 and --jobs 2 outputs differ" >&2; exit 1; }
r1=$(median < "$WORK/j1")
r2=$(median < "$WORK/j2")
docs=$((files - 2))
awk -v n="$docs" -v a="$r1" -v b="$r2" 'BEGIN {
    printf "batch: render %d documents (sheets, summaries, packets): --jobs 1 %.1f s " \
           "(%.0f/s), --jobs 2 %.1f s (%.0f/s): speedup %.2fx (goal >= 1.8x); " \
           "outputs identical\n", n, a, n / a, b, n / b, a / b }'
rm -rf "$WORK/b.xml" "$WORK/b.db" "$WORK/bout" "$WORK/bj1" "$WORK/bj2"
