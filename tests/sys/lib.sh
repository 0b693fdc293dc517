#!/bin/sh
# lib.sh -- helpers for the end-to-end tests; sourced before the test file.
# Usage (by run.sh): sh lib.sh TEST_FILE, inside a fresh temporary folder.
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

. "$1"
