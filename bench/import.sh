#!/bin/sh
# import.sh -- `keqing import` of a 10,000-staff export (about 2.4 million
# records, ~300 MB) into a fresh database, 3 times; prints the median wall
# time, records per second and peak RSS.  Targets: <= 20 s, <= 64 MB.
# The export comes from `keqing sample`.  Env: KEQING, WORK (run.sh);
# KQ_BENCH_STAFF to change the size.  Usage alone: sh bench/import.sh BIN
set -eu
if [ -z "${WORK:-}" ]; then
    KEQING=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/kqbench.XXXXXX")
    trap 'rm -rf "$WORK"' EXIT
fi
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
SRC=$(cd "$(dirname "$0")/.." && pwd)
STAFF=${KQ_BENCH_STAFF:-10000}
XML="$WORK/import.xml"
DB="$WORK/import.db"

"$KEQING" sample --staff "$STAFF" --period 2026-10 --seed 7 -o "$XML" >/dev/null 2>&1
how="keqing sample"
# the record count, from one import (not timed)
"$KEQING" import "$XML" --db "$DB" --templates "$SRC/templates" > "$WORK/summary"
records=$(sed -n 's/.*: \([0-9]*\) records stored.*/\1/p' "$WORK/summary")
mb=$(( $(wc -c < "$XML") / 1048576 ))

# shellcheck disable=SC2046 # the figures, split into $1 $2 ... on purpose
set -- $(median_run 3 sh -c "rm -f '$DB' '$DB-journal' && exec '$KEQING' import '$XML' --db '$DB' --templates '$SRC/templates'")
rate=$(awk -v r="$records" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? r / s : 0) }')
echo "import: $STAFF staff ($how, $mb MB, $records records): median $1 s, $rate records/s, peak RSS $(($2 / 1024)) MB (targets <= 20 s, <= 64 MB)"

# a second import of the same file replaces every row (re-export)
# shellcheck disable=SC2046 # the figures, split into $1 $2 ... on purpose
set -- $(median_run 1 "$KEQING" import "$XML" --db "$DB" --templates "$SRC/templates")
echo "import: re-import of the same file (every row replaced): $1 s, peak RSS $(($2 / 1024)) MB"
rm -f "$XML" "$DB" "$DB-journal"
