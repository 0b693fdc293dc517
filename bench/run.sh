#!/bin/sh
# run.sh -- `make bench`: runs every bench/*.sh (except this one) with the
# keqing binary as $1; each prints its own figures (medians of several
# runs).  Scratch files go to a temporary folder removed at the end.
set -eu
KEQING=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kqbench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export KEQING WORK
echo "keqing bench: $(nproc) cores, $(date -u +%Y-%m-%d), $($KEQING --version)"
# KQ_BENCH_ONLY=NAME runs bench/NAME.sh alone (make bench-scale)
if [ -n "${KQ_BENCH_ONLY:-}" ]; then
    sh "$HERE/$KQ_BENCH_ONLY.sh"
    exit
fi
# pipeline order first, then anything else (scale.sh only when asked:
# KQ_BENCH_SCALE=1, or make bench-scale)
for name in sample import score render packet batch; do
    [ -f "$HERE/$name.sh" ] && sh "$HERE/$name.sh"
done
for b in "$HERE"/*.sh; do
    case $(basename "$b" .sh) in
    run|lib|sample|import|score|render|packet|batch) continue ;;
    scale) [ "${KQ_BENCH_SCALE:-0}" = 1 ] || continue ;;
    esac
    sh "$b"
done
