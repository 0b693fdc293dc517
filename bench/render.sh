#!/bin/sh
# render.sh -- `keqing render --only persons --jobs 1`: person sheets per
# second on one core and the median sheet size.  A sample company of
# KQ_BENCH_RENDER_STAFF (default 500) is imported and scored once, then
# rendered 3 times; a 10-person company is rendered 3 times too, so the
# per-run set-up (templates, fonts: fontconfig and HarfBuzz preparation)
# can be told apart from the per-sheet cost.  Output goes to $WORK (a
# disk, every file fsync'ed) and, when /dev/shm exists, to tmpfs (no
# device flush), which shows what the flushes cost.  Targets: >= 600
# sheets/s per core, median <= 30 KB.  Env: KEQING, WORK (set by run.sh).
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
SRC=$(cd "$(dirname "$0")/.." && pwd)
T="$SRC/templates"
N=${KQ_BENCH_RENDER_STAFF:-500}

prep() { # STAFF DB
    "$KEQING" sample --staff "$1" --period 2026-10 --seed 7 -o "$WORK/r.xml" >/dev/null 2>&1
    "$KEQING" import "$WORK/r.xml" --db "$2" --templates "$T" >/dev/null
    "$KEQING" score --period 2026-10 --db "$2" --templates "$T" --out "$WORK/rs" >/dev/null
    rm -f "$WORK/r.xml"
}
prep "$N" "$WORK/rn.db"
prep 10 "$WORK/r10.db"

rate() { # OUTDIR: "sheets/s-steady sheets/s-overall setup-s peak-MB"
    # the output folder is removed before each run: render skips documents
    # already issued whose files are intact, and every sheet must be drawn
    # shellcheck disable=SC2046 # the figures, split into $1 $2 ... on purpose
    set -- "$1" $(median_run 3 sh -c "rm -rf '$1/2026-10' && exec '$KEQING' render \
                  --period 2026-10 --db '$WORK/rn.db' --templates '$T' --out '$1' \
                  --only persons --jobs 1")
    big=$2 rss=$3
    # shellcheck disable=SC2046 # the figures, split into $1 $2 ... on purpose
    set -- "$1" $(median_run 3 sh -c "rm -rf '$1/small/2026-10' && exec '$KEQING' render \
                  --period 2026-10 --db '$WORK/r10.db' --templates '$T' --out '$1/small' \
                  --only persons --jobs 1")
    awk -v n="$N" -v tb="$big" -v ts="$2" -v rss="$rss" 'BEGIN {
        d = tb - ts; if (d <= 0) d = 0.001
        printf "%.0f %.0f %.2f %.0f", (n - 10) / d, n / tb, ts, rss / 1024 }'
}

# shellcheck disable=SC2046 # the figures, split into $1 $2 ... on purpose
set -- $(rate "$WORK/rout")
size=$(find "$WORK/rout/2026-10/persons" -name '*.pdf' -exec stat -c %s {} + | sort -n |
       awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "render: $N person sheets, --jobs 1, to disk: $1 sheets/s per core after set-up" \
     "($2/s overall; set-up $3 s), peak RSS $4 MB; median sheet $size bytes" \
     "(targets >= 600/s, <= 30 KB)"
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    SHM=$(mktemp -d /dev/shm/kqbench.XXXXXX)
    # shellcheck disable=SC2046 # the figures, split into $1 $2 ... on purpose
    set -- $(rate "$SHM")
    rm -rf "$SHM"
    echo "render: the same to tmpfs (no device flush): $1 sheets/s per core after set-up ($2/s overall)"
fi
rm -rf "$WORK/rn.db" "$WORK/r10.db" "$WORK/rout" "$WORK/rs"
