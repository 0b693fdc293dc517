#!/bin/sh
# run.sh -- runs every end-to-end test tests/sys/t_*.sh against $KEQING.
# Each test gets a fresh temporary folder as its working directory, and
# prints nothing on success.  Prints "N passed, N failed" at the end.
set -u
: "${KEQING:?set KEQING to the keqing binary}"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
export KEQING SRC LC_ALL=C
unset KEQING_DB KEQING_TEMPLATES KEQING_FONT
pass=0 fail=0 failed=""
for t in "$SRC"/tests/sys/t_*.sh; do
    [ -e "$t" ] || continue
    name=$(basename "$t" .sh)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/kqsys.XXXXXX")
    start=$(date +%s)
    if (cd "$dir" && sh "$SRC/tests/sys/lib.sh" "$t") >"$dir/.log" 2>&1; then
        pass=$((pass + 1))
        echo "ok   $name ($(( $(date +%s) - start ))s)"
        rm -rf "$dir"
    else
        fail=$((fail + 1))
        failed="$failed $name"
        echo "FAIL $name (log: $dir/.log)"
        sed 's/^/    /' "$dir/.log" | tail -40
    fi
done
echo "sys: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
