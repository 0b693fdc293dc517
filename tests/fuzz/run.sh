#!/bin/sh
# run.sh -- runs each libFuzzer target of tests/fuzz for a fixed time.
# Usage: sh tests/fuzz/run.sh BUILD_DIR SECONDS   (from the repository root;
# `make fuzz FUZZ_SECONDS=N` calls it).  $KEQING (built keqing) is used to
# add a small sample export to the seeds.  $FUZZ_TARGETS picks targets
# (default: all seven, import roles templates families verify scan
# payload);
# $FUZZ_MAXLEN caps input size (default 65536).  The kept corpus of each
# target, tests/fuzz/corpus/T/, seeds it too (refresh it with
# `make fuzz-merge` after a long run).
#
# Per target T: seeds are copied into BUILD_DIR/corpus/T (kept between
# runs, so each run continues the last), crashes/hangs/leaks go to
# BUILD_DIR/artifacts/T/, the log to BUILD_DIR/T.log.  Runs single-process
# (no -jobs/-workers) under nice.  Exit status 1 when a target found
# anything.  A finding is turned into a regression test by copying it to
# tests/data/fuzz-regress/ (replayed by suite_faults and tests/sys/t_hostile.sh).
# shellcheck disable=SC2317 # the seed_* functions are called as "seed_$t"
set -u
FZ=${1:?build dir}
SECS=${2:-60}
SRC=$(pwd)
TARGETS=${FUZZ_TARGETS:-import roles templates families verify scan payload}
MAXLEN=${FUZZ_MAXLEN:-65536}
export KQ_SRCDIR="$SRC"
status=0

seed_import() {
    cp "$SRC"/tests/data/good/*.xml "$SRC"/tests/data/bad/*.xml "$1"/
    cp "$SRC"/templates/erp/flat-table-sample.xml "$1"/ 2>/dev/null || true
    [ -d "$SRC/tests/data/fuzz-regress" ] && cp "$SRC"/tests/data/fuzz-regress/* "$1"/ 2>/dev/null
    if [ -n "${KEQING:-}" ] && [ -x "$KEQING" ]; then
        "$KEQING" sample --staff 3 --seed 1 -o "$1/sample3.xml" >/dev/null || true
    fi
}

seed_roles() {
    cp "$SRC"/templates/roles/*.xml "$1"/
}

seed_templates() {
    cp "$SRC"/templates/sheet/*.xml "$1"/
}

seed_families() {
    cp "$SRC"/fonts/families.conf "$1"/
}

seed_verify() {
    printf 'KQ-202610-000123 3F9A1C2E 3F9A1C2E7B40' > "$1/qr"
    printf 'kq-202610-000123' > "$1/typed"
    printf '<< /Subject (KQ-202610-000001) /Keywords (keqing registry 5517F37A57AB) >>' > "$1/info"
    printf '<< /Subject <FEFF004B0051002D003200300032003600310030002D003000300030003000300031> >>' > "$1/info16"
}

# scan: the kept corpus (tests/fuzz/corpus/scan: a tiny PDF, PNG, JPEG,
# TIFF) is the seed; pages are capped at 4 M pixels so no input allocates
# a 60 M pixel page (receive_scan.c, KQ_FUZZING)
seed_scan() {
    :
}
export KQ_SCAN_MAX_PIXELS=4000000

# payload: the QR texts a scanned page may carry; the kept corpus is the
# seed (tests/fuzz/corpus/payload)
seed_payload() {
    :
}

for t in $TARGETS; do
    corpus="$FZ/corpus/$t" art="$FZ/artifacts/$t"
    mkdir -p "$corpus" "$art"
    "seed_$t" "$corpus"
    [ -d "$SRC/tests/fuzz/corpus/$t" ] && cp "$SRC/tests/fuzz/corpus/$t"/* "$corpus"/ 2>/dev/null
    dict=
    [ -f "$SRC/tests/fuzz/$t.dict" ] && dict="-dict=$SRC/tests/fuzz/$t.dict"
    echo "fuzz: $t for ${SECS}s (log $FZ/$t.log)"
    nice -n 10 "$FZ/fuzz_$t" "$corpus" ${dict:+"$dict"} \
        -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
        -max_len="$MAXLEN" -print_final_stats=1 -artifact_prefix="$art/" \
        >"$FZ/$t.log" 2>&1
    rc=$?
    grep -E '^#[0-9]+.*(DONE|pulse)' "$FZ/$t.log" | tail -1
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$FZ/$t.log"
    if [ "$rc" -ne 0 ] || [ -n "$(ls -A "$art")" ]; then
        echo "fuzz: $t FOUND something (exit $rc): $(ls "$art")"
        grep -E 'ERROR|SUMMARY' "$FZ/$t.log" | head -5
        status=1
    fi
done
exit $status
