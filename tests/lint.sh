#!/bin/sh
# lint -- the structural rules of doc/conventions.md that `make lint`
# checks after building (run from anywhere; OBJDIR, default build/obj,
# holds the objects of `make all`):
#
#  1. libraries stay in their modules: libxml2 in import_*, roles, tmpl*,
#     xmlx; libxslt in import_*; sqlite3 in store*; libharu in the render
#     modules; HarfBuzz and fontconfig in font*; libqrencode in sheet_qr.c only;
#     libdeflate in pdf*.c only; libzbar in receive_qr.c only; poppler,
#     cairo, leptonica, libpng and libjpeg in receive_scan.c only;
#  2. headers do not include up the pipeline: every module has a stage
#     (below, by file name, from doc/architecture.md's module table), and
#     a header of a lower stage must not include a header of a higher one;
#  3. every symbol an object exports carries its module's prefix: the
#     file name up to its first '_', or the whole name (store_import.o:
#     store_ or store_import_), or a documented abbreviation;
#  4. every unit suite tests/unit/check_<name>.c defines suite_<name>() and
#     is listed in KQ_SUITES (tests/unit/unit.h), so none is left out;
#  5. shellcheck over every shell script of the tests, bench/ and .ci/run;
#  6. no banned call (doc/conventions.md, 9) in generator/.
#
# Violations being fixed elsewhere are listed, one a line with a comment,
# in tests/lint_allow.txt; a listed line that no longer matches a
# violation is an error too (delete the line with the fix).
cd "$(dirname "$0")/.." || exit 1
OBJDIR=${OBJDIR:-build/obj}
ALLOW=tests/lint_allow.txt
bad=0
found=$(mktemp "${TMPDIR:-/tmp}/kqlint.XXXXXX")
trap 'rm -f "$found"' EXIT

# violation KEY MESSAGE: report it, unless KEY is allowlisted
violation() {
    echo "$1" >> "$found"
    if grep -v '^[[:space:]]*#' "$ALLOW" | sed 's/[[:space:]]*#.*//' |
            grep -qxF -- "$1"; then
        return
    fi
    echo "lint: $2"
    bad=1
}

# ---- 1. libraries stay in their modules -------------------------------------
# lib PATTERN ALLOWED-FILE-REGEX NAME
lib() {
    grep -n "$1" generator/*.c generator/*.h 2>/dev/null | while IFS=: read -r f line _; do
        b=$(basename "$f")
        echo "$b" | grep -Eq "$2" ||
            echo "$f:$line: includes $3, which only $4 may use"
    done
}
{
    lib '#include <libxml/' '^(import|roles|tmpl|xmlx)' libxml2 'import_*, roles, tmpl*, xmlx'
    lib '#include <libxslt/' '^import' libxslt 'import_*'
    lib '#include <sqlite3.h>' '^store' sqlite3 'store*'
    lib '#include <hpdf' '^(pdf|render|sheet)' libharu 'pdf*, render*, sheet*'
    lib '#include <hb' '^font' HarfBuzz 'font*'
    lib '#include <fontconfig' '^font' fontconfig 'font*'
    lib '#include <qrencode' '^sheet_qr\.c$' libqrencode 'sheet_qr.c'
    lib '#include <libdeflate' '^pdf[^.]*\.c$' libdeflate 'pdf*.c'
    lib '#include <zbar' '^receive_qr\.c$' libzbar 'receive_qr.c'
    lib '#include <poppler' '^receive_scan\.c$' poppler 'receive_scan.c'
    lib '#include <cairo' '^receive_scan\.c$' cairo 'receive_scan.c'
    lib '#include <leptonica' '^receive_scan\.c$' leptonica 'receive_scan.c'
    lib '#include <png' '^receive_scan\.c$' libpng 'receive_scan.c'
    lib '#include <j\(peglib\|error\)' '^receive_scan\.c$' libjpeg 'receive_scan.c'
    lib '#include <xlsxwriter' '^render_xlsx\.c$' libxlsxwriter 'render_xlsx.c'
} > "$found.lib"
if [ -s "$found.lib" ]; then
    sed 's/^/lint: /' "$found.lib"
    bad=1
fi
rm -f "$found.lib"

# ---- 2. headers do not include up the pipeline --------------------------------
# stage MODULE: 0 utilities < 1 import < 2 store < 3 score < 4 render <
# 5 receive < 6 pipeline < 7 cli (doc/architecture.md); "" for a module
# not listed
stage() {
    case $1 in
    err|diag|mem|buf|fsx|date|period|rng|sha256|xmlx|stop|hook|text|sort) echo 0 ;;
    import_*|record|roles) echo 1 ;;
    store|store_*|dataset) echo 2 ;;
    score|score_*|lunar|lunar_*|explain|csvout) echo 3 ;;
    render|render_*|sheet_*|tmpl_*|archive_*|pdf|pdf_*|font|font_*) echo 4 ;;
    receive|receive_*) echo 5 ;;
    pipeline|pipeline_*) echo 6 ;;
    cmd_*|cli|main|progress|sample|sample_*) echo 7 ;;
    *) echo "" ;;
    esac
}
stage_name() {
    case $1 in
    0) echo utilities ;; 1) echo import ;; 2) echo store ;; 3) echo score ;;
    4) echo render ;; 5) echo receive ;; 6) echo pipeline ;; 7) echo cli ;;
    esac
}
for f in generator/*.c generator/*.h; do
    m=$(basename "$f"); m=${m%.*}
    [ -n "$(stage "$m")" ] || {
        echo "lint: $f: module '$m' has no stage in tests/lint.sh (add it where doc/architecture.md puts it)"
        bad=1
    }
done
for f in generator/*.h; do
    b=$(basename "$f"); s=$(stage "${b%.h}")
    [ -n "$s" ] || continue
    grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" > "$found.inc" || true
    while IFS=: read -r line text; do
        h=$(echo "$text" | sed 's/.*"\([^"]*\)".*/\1/')
        t=$(stage "$(basename "${h%.h}")")
        [ -n "$t" ] || continue
        if [ "$t" -gt "$s" ]; then
            violation "include $b $h" "$f:$line: $b ($(stage_name "$s") stage) includes $h ($(stage_name "$t") stage): headers must not include up the pipeline"
        fi
    done < "$found.inc"
    rm -f "$found.inc"
done

# ---- 3. exported symbols carry their module's prefix ----------------------------
# abbrev OBJECT: the documented abbreviations (doc/conventions.md, 1)
abbrev() {
    case $1 in
    import_*) echo imp ;;
    pipeline|pipeline_*) echo pipe ;;
    esac
}
if ! ls "$OBJDIR"/*.o > /dev/null 2>&1; then
    echo "lint: no objects in $OBJDIR (build first: make all)"
    bad=1
fi
for o in "$OBJDIR"/*.o; do
    [ -e "$o" ] || continue
    b=$(basename "$o" .o)
    p1=${b%%_*} p2=$b p3=$(abbrev "$b")
    nm --defined-only -g "$o" | awk '{print $NF}' > "$found.sym"
    while read -r sym; do
        case $sym in
        "$p1"|"$p1"_*|"$p2"|"$p2"_*) continue ;;
        esac
        if [ -n "$p3" ]; then
            case $sym in "$p3"|"$p3"_*) continue ;; esac
        fi
        violation "symbol $b.o $sym" "$o: exports '$sym' without its module prefix (${p1}_${p3:+ or ${p3}_})"
    done < "$found.sym"
    rm -f "$found.sym"
done

# ---- 4. every unit suite is listed -----------------------------------------------
listed=$(sed -n '/#define KQ_SUITES/,/^$/p' tests/unit/unit.h | grep -o 'X([a-z_0-9]*)' | sed 's/X(\(.*\))/\1/')
for f in tests/unit/check_*.c; do
    n=$(basename "$f" .c); n=${n#check_}
    [ "$n" = main ] && continue
    grep -q "^Suite \*suite_$n(void)" "$f" ||
        { echo "lint: $f: defines no Suite *suite_$n(void)"; bad=1; }
    echo "$listed" | grep -qx "$n" ||
        { echo "lint: $f: suite '$n' is not listed in KQ_SUITES (tests/unit/unit.h): it would never run"; bad=1; }
done

# ---- 5. shellcheck ------------------------------------------------------------------
if ! command -v shellcheck > /dev/null 2>&1; then
    echo "lint: shellcheck is missing: run 'make deps'"
    bad=1
else
    # -s sh: tests/sys/t_*.sh have no #! line (lib.sh sources them)
    find tests bench -name '*.sh' | sort | xargs shellcheck -x -s sh -f gcc .ci/run ||
        { echo "lint: shellcheck found problems (fix them, or disable one check inline with the reason)"; bad=1; }
fi

# ---- 6. banned calls --------------------------------------------------------------
BANNED='\b(sprintf|vsprintf|strcat|strcpy|strncpy|strtok|atoi|atol|gets|tmpnam)[[:space:]]*\('
grep -noE "$BANNED" generator/*.c generator/*.h > "$found.ban" || true
while IFS=: read -r f line call; do
    call=$(echo "$call" | sed 's/[[:space:]]*($//')
    violation "banned $(basename "$f") $call" "$f:$line: banned call $call() (doc/conventions.md, 9)"
done < "$found.ban"
rm -f "$found.ban"

# ---- the allowlist: every line must still match a violation ------------------------
grep -v '^[[:space:]]*#' "$ALLOW" | sed 's/[[:space:]]*#.*//; s/[[:space:]]*$//' | grep -v '^$' |
while IFS= read -r key; do
    grep -qxF -- "$key" "$found" ||
        echo "lint: $ALLOW: '$key' is no longer a violation: delete the line"
done > "$found.stale"
if [ -s "$found.stale" ]; then
    cat "$found.stale"
    bad=1
fi
rm -f "$found.stale"
exit $bad
