#!/bin/sh
# sample.sh -- `keqing sample --staff 10000` (about 2.4 million records),
# 3 times; prints the median wall time, records per second, file size and
# peak RSS.  Target: <= 10 s.  Env: KEQING, WORK (run.sh); KQ_BENCH_STAFF.
set -eu
if [ -z "${WORK:-}" ]; then
    KEQING=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/kqbench.XXXXXX")
    trap 'rm -rf "$WORK"' EXIT
fi
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
STAFF=${KQ_BENCH_STAFF:-10000}
XML="$WORK/sample.xml"
"$KEQING" sample --staff "$STAFF" --seed 7 -o "$XML" 2> "$WORK/summary"
records=$(sed -n 's/.* \([0-9]*\) records.*/\1/p' "$WORK/summary")
mb=$(( $(wc -c < "$XML") / 1048576 ))
# shellcheck disable=SC2046 # the figures, split into $1 $2 ... on purpose
set -- $(median_run 3 "$KEQING" sample --staff "$STAFF" --seed 7 -o "$XML")
rate=$(awk -v r="$records" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? r / s : 0) }')
echo "sample: $STAFF staff, $records records, $mb MB: median $1 s, $rate records/s, peak RSS $(($2 / 1024)) MB (target <= 10 s)"
rm -f "$XML"
