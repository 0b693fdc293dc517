#!/bin/sh
# run.sh -- runs every end-to-end test tests/sys/t_*.sh against $KEQING.
# Each test gets a fresh temporary folder as its working directory, and
# prints nothing on success.  A test that could not run a part of itself
# here says so on a line starting with "SKIP:" (lib.sh: skip); it is
# counted as skipped, not passed, and its reasons are listed.  Prints
# "sys: N passed, N failed, N skipped" at the end.
#
# KQ_NO_SKIP=1 (CI, which runs as root) turns every skip into a failure:
# there, each root-only case must really run.
set -u
: "${KEQING:?set KEQING to the keqing binary}"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
export KEQING SRC LC_ALL=C
unset KEQING_DB KEQING_TEMPLATES KEQING_FONT
pass=0 fail=0 skipped=0 failed="" skips=""
for t in "$SRC"/tests/sys/t_*.sh; do
    [ -e "$t" ] || continue
    name=$(basename "$t" .sh)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/kqsys.XXXXXX")
    start=$(date +%s)   # for the report only
    if (cd "$dir" && KQ_TEST_NAME=$name sh "$SRC/tests/sys/lib.sh" "$t") >"$dir/.log" 2>&1; then
        secs=$(( $(date +%s) - start ))
        if grep -q '^SKIP:' "$dir/.log"; then
            skipped=$((skipped + 1))
            skips="$skips$(grep '^SKIP:' "$dir/.log")
"
            echo "skip $name (${secs}s): $(grep -c '^SKIP:' "$dir/.log") part(s) not run"
            grep '^SKIP:' "$dir/.log" | sed 's/^/    /'
        else
            pass=$((pass + 1))
            echo "ok   $name (${secs}s)"
        fi
        rm -rf "$dir"
    else
        fail=$((fail + 1))
        failed="$failed $name"
        echo "FAIL $name (log: $dir/.log)"
        sed 's/^/    /' "$dir/.log" | tail -40
    fi
done
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
