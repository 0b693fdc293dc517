#!/bin/sh
# lib.sh -- helpers for the benchmark scripts (source it).
# median_run N CMD...: runs CMD N times under /usr/bin/time and prints
# "median_seconds median_peak_rss_kb".
median_run() {
    n=$1; shift
    : > "$WORK/times"
    i=0
    while [ $i -lt "$n" ]; do
        /usr/bin/time -f '%e %M' -o "$WORK/t1" "$@" >/dev/null 2>"$WORK/stderr" || {
            cat "$WORK/stderr" >&2; return 1; }
        cat "$WORK/t1" >> "$WORK/times"
        i=$((i + 1))
    done
    s=$(cut -d' ' -f1 "$WORK/times" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    m=$(cut -d' ' -f2 "$WORK/times" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    echo "$s $m"
}
