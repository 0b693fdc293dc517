#!/bin/sh
# packet.sh -- appraisal packets (`keqing render --only packets --jobs 1`):
# packet pages per second on one core, and peak RSS.  A sample company of
# KQ_BENCH_PACKET_STAFF (default 1000) is imported and scored once; its
# packets (one per region: each person appears in the packet of every
# region above them, about 4 pages per person) are rendered 3 times, and
# a 10-person company too, so the per-run set-up (templates, fonts) can be
# told apart from the per-page cost.  The largest packet is the root's
# (the whole company): its size and pages are printed, and peak RSS is the
# whole run's (the root packet is written page by page; RSS should not
# grow with it).  Target: >= 2,000 packet pages/s per core.  Medians of 3.
# KQ_BENCH_PACKET_STAFF=10000 gives the 10,000-staff figures (slow: the
# import alone takes ~30 s).  Env: KEQING, WORK (set by run.sh).
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
SRC=$(cd "$(dirname "$0")/.." && pwd)
T="$SRC/templates"
N=${KQ_BENCH_PACKET_STAFF:-1000}

prep() { # STAFF DB
    "$KEQING" sample --staff "$1" --period 2026-10 --seed 7 -o "$WORK/p.xml" >/dev/null 2>&1
    "$KEQING" import "$WORK/p.xml" --db "$2" --templates "$T" >/dev/null
    "$KEQING" score --period 2026-10 --db "$2" --templates "$T" --out "$WORK/ps" >/dev/null
    rm -f "$WORK/p.xml"
}
prep "$N" "$WORK/pn.db"
prep 10 "$WORK/p10.db"

run() { # DB OUT: "wall_s cpu_s peak_kb", medians of 3 (the machine may be
         # shared: CPU time = user + sys is the per-core figure)
    : > "$WORK/ptimes"
    for _ in 1 2 3; do
        # render skips documents already issued whose files are intact:
        # remove the output so every packet is drawn each time
        rm -rf "$2/2026-10"
        /usr/bin/time -f '%e %U %S %M' -o "$WORK/pt1" "$KEQING" render --period 2026-10 \
            --db "$1" --templates "$T" --out "$2" --only packets --jobs 1 >/dev/null
        awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$WORK/pt1" >> "$WORK/ptimes"
    done
    for c in 1 2 3; do
        cut -d' ' -f$c "$WORK/ptimes" | sort -n | sed -n 2p
    done | tr '\n' ' '
}
pages_of() { # OUT: total packet pages (of the last run)
    for f in "$1"/2026-10/packets/*.pdf; do pdfinfo "$f" | awk '/^Pages:/ {print $2}'; done |
        awk '{s += $1} END {print s}'
}
# shellcheck disable=SC2046 # the figures, split into $1 $2 ... on purpose
set -- $(run "$WORK/pn.db" "$WORK/pout")
big=$1 bigc=$2 rss=$3
# shellcheck disable=SC2046 # the figures, split into $1 $2 ... on purpose
set -- $(run "$WORK/p10.db" "$WORK/pout10")
small=$1 smallc=$2
pn=$(pages_of "$WORK/pout"); p10=$(pages_of "$WORK/pout10")
root=$(sqlite3 "$WORK/pn.db" "SELECT region FROM score_region WHERE period = '2026-10' AND parent IS NULL")
rp=$(pdfinfo "$WORK/pout/2026-10/packets/$root.pdf" | awk '/^Pages:/ {print $2}')
rb=$(stat -c %s "$WORK/pout/2026-10/packets/$root.pdf")
awk -v n="$N" -v pn="$pn" -v p10="$p10" -v tb="$big" -v ts="$small" -v cb="$bigc" \
    -v cs="$smallc" -v rss="$rss" -v rp="$rp" -v rb="$rb" 'BEGIN {
    d = cb - cs; if (d <= 0) d = 0.001
    w = tb - ts; if (w <= 0) w = 0.001
    printf "packet: %d staff, %d packet pages, --jobs 1: %.0f pages/s per core (CPU time, " \
           "after set-up; %.0f/s by wall clock, set-up %.2f s), peak RSS %.0f MB; root " \
           "packet %d pages, %.1f MB (target >= 2000 pages/s)\n", n, pn, (pn - p10) / d,
           (pn - p10) / w, ts, rss / 1024, rp, rb / 1048576 }'
rm -rf "$WORK/pn.db" "$WORK/p10.db" "$WORK/pout" "$WORK/pout10" "$WORK/ps"
