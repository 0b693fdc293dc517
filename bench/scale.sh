#!/bin/sh
# scale.sh -- no company too big (issue 12): `keqing run` end to end on
# sample companies of 25,000 and 50,000 staff (KQ_BENCH_SCALE_STAFF,
# space-separated), printing the seconds of each stage and the peak RSS of
# the run (the largest of the process and its workers; goal <= 256 MB).
# One run each: a 50,000-staff month takes minutes on a shared machine.
# `make bench-scale` runs it alone; `make bench` does not (set
# KQ_BENCH_SCALE=1 to include it).  Env: KEQING, WORK (set by run.sh).
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
T="$SRC/templates"
P=2026-10

for n in ${KQ_BENCH_SCALE_STAFF:-25000 50000}; do
    "$KEQING" sample --staff "$n" --period $P --seed 1 -o "$WORK/big.xml" >/dev/null 2>&1
    rm -rf "$WORK/big.db" "$WORK/bigout"
    /usr/bin/time -f '%e %M' -o "$WORK/tb" "$KEQING" run "$WORK/big.xml" --period $P \
        --db "$WORK/big.db" --out "$WORK/bigout" --templates "$T" --jobs 2 --quiet \
        > "$WORK/big.txt"
    # shellcheck disable=SC2046 # the figures, split into $1 $2 ... on purpose
    set -- $(cat "$WORK/tb")
    awk -v n="$n" -v s="$1" -v kb="$2" '
        /records imported/ { for (i = 1; i <= NF; i++) if ($i == "s") im = $(i-1); rec = $3 }
        /people scored/ { for (i = 1; i <= NF; i++) if ($i == "s") sc = $(i-1) }
        /files written/ { docs = $3; for (i = 1; i <= NF; i++) if ($i == "render") re = $(i+1) }
        END { printf "scale: %d staff (%s records, %s documents): %.0f s end to end " \
                     "(import %s s, score %s s, render %s s), peak RSS %.0f MB (goal <= 256 MB)\n",
                     n, rec, docs, s, im, sc, re, kb / 1024 }' "$WORK/big.txt"
    rm -rf "$WORK/big.xml" "$WORK/big.db" "$WORK/bigout"
done
