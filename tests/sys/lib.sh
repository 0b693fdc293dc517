#!/bin/sh
# lib.sh -- helpers for the end-to-end tests; sourced before the test file.
# Usage (by run.sh): sh lib.sh TEST_FILE, inside a fresh temporary folder.
#
# No helper here waits for time to pass: every wait is for an event (a
# process paused at a hook, a FIFO opened, a process ended), so no
# outcome depends on how fast the machine is.
set -eu

fail() { echo "FAIL: $*" >&2; exit 1; }

# skip REASON: a part of the test that cannot run here.  Says so on a
# line "SKIP: <test>: REASON" (run.sh counts the test as skipped and lists
# the reason; with KQ_NO_SKIP=1, as CI sets it, a skip fails the run).
skip() { echo "SKIP: ${KQ_TEST_NAME:-test}: $*"; }

# expect_exit CODE CMD...: run CMD, fail unless it exits with CODE.
# Its stdout/stderr are kept in ./out.txt and ./err.txt.
expect_exit() {
    want=$1; shift
    set +e
    "$@" >out.txt 2>err.txt
    got=$?
    set -e
    [ "$got" -eq "$want" ] || { cat err.txt >&2; fail "exit $got, want $want: $*"; }
}

# expect_grep PATTERN FILE: fail unless FILE has a line matching PATTERN.
expect_grep() {
    grep -q -- "$1" "$2" || { echo "--- $2:" >&2; head -20 "$2" >&2; fail "no '$1' in $2"; }
}

# expect_no_grep PATTERN FILE
expect_no_grep() {
    ! grep -q -- "$1" "$2" || fail "unexpected '$1' in $2"
}

# dbsum DB: a hash of the database's whole content (schema and rows).
dbsum() { sqlite3 "$1" .dump | sha256sum | cut -d' ' -f1; }

# nfiles DIR: how many entries DIR has (its dot files not counted)
# shellcheck disable=SC2012 # our own file names: ids, no newline in them
nfiles() { ls -- "$1" | wc -l; }

# ---- deterministic pause points (generator/hook.h) --------------------------
# A run started with KEQING_TEST_HOOK=NAME[@N]:h writes h/NAME.ready and
# then opens the FIFO h/NAME.go for reading, blocking until a writer comes.
# hook_start opens that FIFO for writing: the open returns exactly when
# the run is paused at the point (or, through the wrapper below, when the
# run ended without reaching it).  The run then stays blocked until
# hook_release closes the FIFO.  No polling, no sleep.
#
# hook_start NAME[@N] CMD...: start CMD in the background (stdout bg.out,
# stderr bg.err) and return once it is paused at the N-th NAME.  Sets
# $pid (the paused keqing, for signals) and $bg (the background job, for
# hook_finish).  Fails when CMD ended before the point.
hook_start() {
    HOOK=$1; shift
    _h=h/${HOOK%@*}
    mkdir -p h
    rm -f "$_h.ready" "$_h.go"
    mkfifo "$_h.go"
    # when CMD ends, open the FIFO read-write (which never blocks): that
    # releases the open below if CMD never reached the point
    ( KEQING_TEST_HOOK="$HOOK:h" "$@" > bg.out 2> bg.err; _st=$?
      : <> "$_h.go"; exit $_st ) &
    bg=$!
    exec 9> "$_h.go"
    if [ ! -e "$_h.ready" ]; then
        exec 9>&-
        wait "$bg" || true
        cat bg.err >&2
        fail "$* ended before reaching $HOOK"
    fi
    # shellcheck disable=SC2034 # read by the test files (kill, messages)
    pid=$(cat "$_h.ready")
}
# hook_release: let the paused run go on
hook_release() { exec 9>&-; }
# hook_finish STATUS: release the run if still paused, wait for it: it
# must exit with STATUS
hook_finish() {
    exec 9>&-
    set +e; wait "$bg"; _got=$?; set -e
    [ "$_got" -eq "$1" ] || { cat bg.err >&2; fail "exit $_got, want $1 ($HOOK)"; }
}

# scan_company: what the tests of the scans (t_scangen, t_receive) stand
# on, in the test's folder: a 12-staff company of 2026-10 run into d.db
# and o/, E00005's sheet before a correction of its name kept as old5.pdf
# (its number in $OLD, superseded by the correction), and another company
# in f.db and fo/, all of period $P.  Sets PY (Debian's python3, with
# PIL) and GEN (the generator).
# shellcheck disable=SC2034 # PY, GEN and OLD: for the test sourced below
scan_company() {
    PY=${KQ_PYTHON:-/usr/bin/python3}
    GEN="$SRC/tests/scan/make_scans.py"
    "$PY" -c 'import PIL, numpy' 2>/dev/null ||
        fail "$PY lacks PIL or numpy (python3-pil, python3-numpy: make deps)"
    "$KEQING" sample --staff 12 --period "$P" --seed 3 -o s.xml >/dev/null 2>&1
    expect_exit 0 "$KEQING" run s.xml --period "$P" --db d.db --out o --quiet
    cp "o/$P/persons/E00005.pdf" old5.pdf
    OLD=$(sqlite3 d.db "SELECT number FROM document WHERE kind = 'person' AND subject = 'E00005'")
    _name=$(grep 'id="E00005"' s.xml | head -1 | sed 's/.* name="\([^"]*\)".*/\1/')
    sed -e "s/name=\"$_name\"/name=\"${_name}正\"/" \
        -e 's/exported="2026-11-03T09:00:00/exported="2026-11-05T10:00:00/' s.xml > fix.xml
    expect_exit 0 "$KEQING" run fix.xml --period "$P" --db d.db --out o --quiet
    [ "$(sqlite3 d.db "SELECT status FROM document WHERE number = '$OLD'")" = superseded ] ||
        fail "$OLD was not superseded by the correction"
    "$KEQING" sample --staff 4 --period "$P" --seed 9 -o f.xml >/dev/null 2>&1
    expect_exit 0 "$KEQING" run f.xml --period "$P" --db f.db --out fo --quiet
}

# shellcheck source=/dev/null # the test file, given by run.sh
. "$1"
