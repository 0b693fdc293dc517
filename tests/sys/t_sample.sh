# t_sample -- `keqing sample`: help, limits, determinism, atomic -o,
# schema validity of what it writes.

expect_exit 0 "$KEQING" sample --help
expect_grep '^Usage: keqing sample' out.txt
expect_grep '\-\-staff N' out.txt

# usage errors exit 64 and name the problem
expect_exit 64 "$KEQING" sample --staff 0
expect_grep "keqing: sample: --staff '0' is not a number 1..200000" err.txt
expect_exit 64 "$KEQING" sample --staff 200001
expect_exit 64 "$KEQING" sample --staff 12x
expect_exit 64 "$KEQING" sample --period 2026-13
expect_grep "keqing: sample: --period '2026-13' is not a month YYYY-MM between 2000-01 and 2190-12" err.txt
expect_exit 64 "$KEQING" sample --seed -1
expect_exit 64 "$KEQING" sample --frobnicate
expect_grep "unknown option '--frobnicate'" err.txt
expect_exit 64 "$KEQING" sample --staff
expect_grep "keqing: sample: --staff needs a value" err.txt
expect_exit 64 "$KEQING" sample --seed=x
expect_grep "keqing: sample: --seed 'x' is not a number 0\.\." err.txt
expect_exit 64 "$KEQING" sample extra
[ ! -s out.txt ] || fail "usage error wrote to stdout"

# same arguments, same bytes; stdout and -o agree; another seed differs
expect_exit 0 "$KEQING" sample --staff 30 --seed 5 -o a.xml
expect_grep 'records' err.txt
expect_exit 0 "$KEQING" sample --staff 30 --seed 5 -o b.xml
cmp -s a.xml b.xml || fail "two runs with the same seed differ"
"$KEQING" sample --staff 30 --seed 5 >c.xml || fail "sample to stdout failed"
cmp -s a.xml c.xml || fail "stdout and -o differ"
expect_exit 0 "$KEQING" sample --staff 30 --seed 6 -o d.xml
! cmp -s a.xml d.xml || fail "another seed gave the same file"
[ -z "$(find . -name '*.tmp.*')" ] || fail "temporary file left behind"

# defaults: 50 staff, period 2026-10
expect_exit 0 "$KEQING" sample -o def.xml
expect_grep 'period="2026-10"' def.xml
[ "$(grep -c '<person ' def.xml)" -eq 50 ] || fail "default is not 50 staff"

# an output folder that does not exist: 73, nothing written
expect_exit 73 "$KEQING" sample -o no/such/dir/x.xml
[ ! -e no ] || fail "created something for a bad -o"

# valid against the shipped schema (xmllint: libxml2-utils, which `make
# check` requires)
command -v xmllint >/dev/null 2>&1 || fail "xmllint missing: run 'make deps'"
xmllint --noout --schema "$SRC/templates/schema/erp.xsd" a.xml 2>xl.txt ||
    { cat xl.txt >&2; fail "sample does not validate"; }
