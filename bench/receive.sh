#!/bin/sh
# receive.sh -- `keqing receive` on synthetic scans (tests/scan/make_scans.py,
# --bench-pages): a 200-page PDF at 200 dpi received 3 times into a fresh
# copy of the database (receive is one thread: CPU seconds are one core's),
# then 60 pages at each of 150, 200 and 300 dpi for the share of pages
# decoded and matched.  Target: >= 20 pages/s per core at 200 dpi (a
# 1,000-page scanner batch in under a minute).  Env: KEQING, WORK.
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
PY=${KQ_PYTHON:-/usr/bin/python3}
D="$WORK/receive"
PAGES=${KQ_BENCH_RECEIVE_PAGES:-200}
mkdir -p "$D"
"$KEQING" sample --staff 60 --period 2026-10 --seed 7 -o "$D/s.xml" >/dev/null 2>&1
"$KEQING" run "$D/s.xml" --period 2026-10 --db "$D/d.db" --out "$D/o" --templates "$SRC/templates" --quiet >/dev/null
"$PY" "$SRC/tests/scan/make_scans.py" --db "$D/d.db" --out "$D/o" --period 2026-10 \
    --seed 7 --dest "$D/b200" --bench-pages "$PAGES" --dpi 200 >/dev/null
# one run: receive FILE into a fresh copy; prints "wall cpu rss_kb matched"
once() {
    rm -rf "$D/r" && mkdir -p "$D/r" && cp "$D/d.db" "$D/r/d.db"
    /usr/bin/time -f '%e %U %S %M' -o "$D/t" "$KEQING" receive "$1" --db "$D/r/d.db" \
        --out "$D/r/o" --received 2026-11-05 >/dev/null 2>"$D/err" || [ $? -le 3 ]
    matched=$(sed -n 's/.* pages: \([0-9]*\) current, \([0-9]*\) outdated.*/\1 \2/p' "$D/err" |
              awk '{print $1 + $2}')
    awk -v m="$matched" '{printf "%s %.3f %s %s\n", $1, $2 + $3, $4, m}' "$D/t"
}
: > "$D/runs"
for _ in 1 2 3; do once "$D/b200/bench-200.pdf" >> "$D/runs"; done
med() { cut -d' ' -f"$1" "$D/runs" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
wall=$(med 1) cpu=$(med 2) rss=$(med 3)
echo "receive: $PAGES pages at 200 dpi (one PDF): median $wall s wall, $cpu s CPU = $(awk -v p="$PAGES" -v c="$cpu" 'BEGIN {printf "%.1f", p / c}') pages/s per core (target >= 20), peak RSS $((rss / 1024)) MB"
for dpi in 150 200 300; do
    "$PY" "$SRC/tests/scan/make_scans.py" --db "$D/d.db" --out "$D/o" --period 2026-10 \
        --seed 11 --dest "$D/r$dpi" --bench-pages 60 --dpi "$dpi" >/dev/null
    # shellcheck disable=SC2046 # the figures, split into $1 $2 ... on purpose
    set -- $(once "$D/r$dpi/bench-$dpi.pdf")
    echo "receive: $dpi dpi: $4 of 60 pages decoded and matched, $(awk -v c="$2" 'BEGIN {printf "%.1f", 60 / c}') pages/s per core"
done
rm -rf "$D"
