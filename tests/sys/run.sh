#!/bin/sh
# run.sh -- runs every end-to-end test tests/sys/t_*.sh against $KEQING,
# $KQ_SYS_JOBS at a time (default: the machine's processors).
# Each test gets a fresh temporary folder as its working directory, and
# prints nothing on success; no test shares a file, a port or a lock with
# another, so they run side by side (the slowest are started first).  A
# test that could not run a part of itself here says so on a line
# starting with "SKIP:" (lib.sh: skip); it is counted as skipped, not
# passed, and its reasons are listed.  Prints one line per test as it
# ends, then the logs of the failed ones and
# "sys: N passed, N failed, N skipped".
#
# KQ_NO_SKIP=1 (CI, which runs as root) turns every skip into a failure:
# there, each root-only case must really run.
#
# Usage: run.sh [TEST...]   (names like t_cli; default: all)
#        run.sh --one NAME RESULTS   (internal: one test, for the pool)
set -u
: "${KEQING:?set KEQING to the keqing binary}"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
export KEQING SRC LC_ALL=C
unset KEQING_DB KEQING_TEMPLATES KEQING_FONT

# --one NAME RESULTS: run tests/sys/NAME.sh in a fresh folder; leave
# RESULTS/NAME.st ("ok", "skip" or "fail"), and RESULTS/NAME.log (its
# output) unless it passed.
if [ "${1:-}" = --one ]; then
    name=$2 res=$3
    dir=$(mktemp -d "${TMPDIR:-/tmp}/kqsys.XXXXXX")
    start=$(date +%s)   # for the report only
    if (cd "$dir" && KQ_TEST_NAME=$name sh "$SRC/tests/sys/lib.sh" \
            "$SRC/tests/sys/$name.sh") >"$dir/.log" 2>&1; then
        secs=$(( $(date +%s) - start ))
        if grep -q '^SKIP:' "$dir/.log"; then
            grep '^SKIP:' "$dir/.log" > "$res/$name.log"
            echo skip > "$res/$name.st"
            echo "skip $name (${secs}s): $(grep -c '^SKIP:' "$dir/.log") part(s) not run"
        else
            echo ok > "$res/$name.st"
            echo "ok   $name (${secs}s)"
        fi
        rm -rf "$dir"
    else
        echo "log: $dir/.log" > "$res/$name.log"
        tail -40 "$dir/.log" >> "$res/$name.log"
        echo fail > "$res/$name.st"
        echo "FAIL $name (log: $dir/.log)"
    fi
    exit 0
fi

jobs=${KQ_SYS_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
case $jobs in ''|*[!0-9]*|0) jobs=1 ;; esac
# the slowest first, so the pool does not end waiting on one of them
slow="t_scangen t_run t_hostile t_receive t_reliable t_correct t_regions"
if [ $# -gt 0 ]; then
    names=$*
else
    names=""
    for n in $slow; do
        [ -e "$SRC/tests/sys/$n.sh" ] && names="$names $n"
    done
    for t in "$SRC"/tests/sys/t_*.sh; do
        [ -e "$t" ] || continue
        n=$(basename "$t" .sh)
        case " $slow " in *" $n "*) ;; *) names="$names $n" ;; esac
    done
fi
for n in $names; do
    [ -e "$SRC/tests/sys/$n.sh" ] || { echo "sys: no test $n"; exit 2; }
done
res=$(mktemp -d "${TMPDIR:-/tmp}/kqsysrun.XXXXXX")
# shellcheck disable=SC2086 # names: one word each
printf '%s\n' $names | xargs -P "$jobs" -I'{}' sh "$SRC/tests/sys/run.sh" --one '{}' "$res"

pass=0 fail=0 skipped=0 failed="" skips=""
for n in $names; do
    st=$(cat "$res/$n.st" 2>/dev/null || echo fail)
    case $st in
    ok) pass=$((pass + 1)) ;;
    skip) skipped=$((skipped + 1))
          skips="$skips$(cat "$res/$n.log")
" ;;
    *) fail=$((fail + 1))
       failed="$failed $n"
       echo "--- FAIL $n"
       sed 's/^/    /' "$res/$n.log" 2>/dev/null || echo "    (no result: the runner itself failed)" ;;
    esac
done
rm -rf "$res"
echo "sys: $pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ] || echo "sys: failed:$failed"
if [ "$skipped" -gt 0 ]; then
    echo "sys: skipped:"
    printf '%s' "$skips" | sed 's/^/    /'
    if [ "${KQ_NO_SKIP:-0}" = 1 ]; then
        echo "sys: KQ_NO_SKIP=1: a skipped test counts as failed"
        exit 1
    fi
fi
[ "$fail" -eq 0 ]
