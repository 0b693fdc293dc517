# t_hostile -- hostile and broken input against a database that already
# holds data: every case exits with its documented status and message,
# within a bound of memory far below what the attack would take if its
# defence did not fire, and leaves the database file byte-identical
# (sha256 of the file before/after, no journal left, integrity_check ok).
# (The bound is memory, not time: the load of the machine cannot decide
# the outcome.  How fast they are refused is a benchmark figure.)  The import
# unit suite (check_import.c) asserts the messages of tests/data/bad on a
# fresh database; here the same files and the generated monsters run
# through the real binary against a filled one, plus truncated files,
# encodings, a broken role template and the fuzz regression inputs.
D="$SRC/tests/data"
T="$SRC/templates"

expect_exit 0 "$KEQING" import "$D/good/full.xml" --db base.db
base=$(sha256sum base.db | cut -d' ' -f1)
base_rows=$(dbsum base.db)

# peak memory allowed to a refused import: about 35 MB are needed (the 50
# MB attribute below; 10 MB for the rest), billion laughs expanded would
# take some 3 GB
MAX_KB=${KQ_HOSTILE_MAX_KB:-262144}

# refused CODE FILE PATTERN: import FILE into a copy of base.db; it must
# exit CODE with PATTERN on stderr, in less than MAX_KB of memory, and
# change nothing.
refused() {
    code=$1 file=$2 pat=$3
    cp base.db h.db
    expect_exit "$code" /usr/bin/time -f %M -o mem.txt "$KEQING" import "$file" --db h.db
    kb=$(tail -1 mem.txt)
    [ "$kb" -lt "$MAX_KB" ] || fail "$file: peak memory $kb KB"
    expect_grep "$pat" err.txt
    [ "$(sha256sum h.db | cut -d' ' -f1)" = "$base" ] || fail "$file changed the database"
    [ ! -e h.db-journal ] || fail "$file left a journal"
    [ "$(sqlite3 h.db 'PRAGMA integrity_check')" = ok ] || fail "$file: integrity"
}

# -- the committed hostile set
refused 65 "$D/bad/billion-laughs.xml" 'billion-laughs.xml:14: not well-formed XML: Detected an entity reference loop'
refused 65 "$D/bad/quadratic.xml" 'quadratic.xml: DOCTYPE declarations are not allowed'
refused 65 "$D/bad/xxe-file.xml" 'xxe-file.xml:4: not well-formed XML: Attribute references external entity'
refused 65 "$D/bad/xxe-http.xml" 'xxe-http.xml: DOCTYPE declarations are not allowed'
refused 65 "$D/bad/doctype.xml" 'doctype.xml: DOCTYPE declarations are not allowed'
refused 65 "$D/bad/truncated.xml" 'truncated.xml:6: not well-formed XML'
refused 65 "$D/bad/nul-byte.xml" 'nul-byte.xml:4: not well-formed XML: Char 0x0 out of allowed range'
refused 65 "$D/bad/bad-utf8.xml" 'bad-utf8.xml:4: invalid bytes for the declared encoding'
refused 65 "$D/bad/wrong-root.xml" 'wrong-root.xml:2: root element is <数据导出>'
refused 65 "$D/bad/no-namespace.xml" 'no-namespace.xml:2: root element is <export> without the keqing namespace'
refused 65 "$D/bad/region-cycle.xml" 'region-cycle.xml:5: region A: region tree has a cycle: A -> B -> A'
refused 65 "$D/bad/manager-cycle.xml" 'manager-cycle.xml:7: person E1: manager chain has a cycle: E1 -> E3 -> E2 -> E1'
refused 65 "$D/bad/bad-date.xml" "bad-date.xml:7: person E1: hired: '2026-02-30' is not a real date"
refused 65 "$D/bad/id-control.xml" 'id-control.xml:4: region C?N: id: id contains a space or control character'
refused 65 "$D/bad/semantic.xml" 'import refused: 13 problems found; the database was not changed'
# the external entity's target never reaches the database or the messages
expect_no_grep 'root:' err.txt

# -- DOCTYPE of every kind, even a harmless one
head='<?xml version="1.0"?>'
root='<export xmlns="urn:keqing:erp:1" period="2026-10"/>'
printf '%s\n<!DOCTYPE export>\n%s\n' "$head" "$root" > dt1.xml
printf '%s\n<!DOCTYPE export SYSTEM "file:///etc/passwd">\n%s\n' "$head" "$root" > dt2.xml
printf '%s\n<!DOCTYPE export PUBLIC "-//X//DTD X//EN" "http://127.0.0.1:9/x.dtd">\n%s\n' "$head" "$root" > dt3.xml
printf '%s\n<!DOCTYPE export [ <!ATTLIST export company CDATA "x"> ]>\n%s\n' "$head" "$root" > dt4.xml
for f in dt1 dt2 dt3 dt4; do
    refused 65 $f.xml "$f.xml: DOCTYPE declarations are not allowed"
done

# -- 10,000-deep nesting: inside a record, and straight under the root
awk 'BEGIN { printf "<export xmlns=\"urn:keqing:erp:1\" period=\"2026-10\"><regions>\n<region id=\"CN\" name=\"x\">";
    for (i = 0; i < 10000; i++) printf "<a>"; for (i = 0; i < 10000; i++) printf "</a>";
    print "</region></regions></export>" }' > deep.xml
refused 65 deep.xml 'deep.xml:2: element <a> is nested deeper than an export allows (4 levels)'
awk 'BEGIN { printf "<export xmlns=\"urn:keqing:erp:1\" period=\"2026-10\">\n";
    for (i = 0; i < 10000; i++) printf "<regions>"; for (i = 0; i < 10000; i++) printf "</regions>";
    print "</export>" }' > deep0.xml
refused 65 deep0.xml 'deep0.xml:2: <regions>: not allowed in <regions>'

# -- a 50 MB attribute (libxml2's 10 MB value limit stops it; ~0.2 s)
{ printf '<?xml version="1.0"?>\n<export xmlns="urn:keqing:erp:1" period="2026-10">\n<regions><region id="CN" name="'
  head -c 52428800 /dev/zero | tr '\0' x
  printf '"/></regions></export>\n'; } > big50.xml
refused 65 big50.xml 'big50.xml:3: not well-formed XML'
rm -f big50.xml

# -- numbers and dates out of range
sed 's/family="3"/family="99999999999999999999"/' "$D/good/full.xml" > num1.xml
refused 65 num1.xml "num1.xml:36: card K1: family: '99999999999999999999' is not a whole number 0-100"
sed 's/family="3"/family="-1"/' "$D/good/full.xml" > num2.xml
refused 65 num2.xml "num2.xml:36: card K1: family: '-1' is not a whole number 0-100"
sed 's/period="2026-10"/period="2026-13"/' "$D/good/full.xml" > num3.xml
refused 65 num3.xml "num3.xml:5: export: period: '2026-13' is not a month"
sed 's/hired="2019-03-01"/hired="99999-03-01"/' "$D/good/full.xml" > num4.xml
refused 65 num4.xml "num4.xml:13: person E0001: hired: '99999-03-01' is not a real date"
sed 's/since="2025-01-01"/since="2026-02-29"/' "$D/good/full.xml" > num5.xml
refused 65 num5.xml "num5.xml:24: contact K1: since: '2026-02-29' is not a real date"

# -- encodings: invalid GB18030 refused; UTF-16 (with its BOM) is read by
#    libxml2 exactly like UTF-8 and imports the same rows
printf '<?xml version="1.0" encoding="GB18030"?>\n<export xmlns="urn:keqing:erp:1" period="2026-10">\n<regions>\n<region id="CN" name="\201\040"/>\n</regions></export>\n' > gb-bad.xml
refused 65 gb-bad.xml 'gb-bad.xml: invalid bytes for the declared encoding'
sed 's/encoding="UTF-8"/encoding="UTF-16"/' "$D/good/full.xml" | iconv -f UTF-8 -t UTF-16 > u16.xml
[ "$(head -c 2 u16.xml | od -An -tx1 | tr -d ' ')" = fffe ] || fail "u16.xml has no BOM"
expect_exit 0 "$KEQING" import u16.xml --db u16.db
expect_grep 'imported 1 file into u16.db: 23 records stored' out.txt
# same rows as the UTF-8 file (the import table differs: hash, size)
for t in region person customer contact handover card visit service display report greeting spot_check; do
    sqlite3 u16.db "SELECT * FROM $t ORDER BY 1, 2" | sed 's/|[0-9]*|[0-9]*$//'
done > u16.txt
for t in region person customer contact handover card visit service display report greeting spot_check; do
    sqlite3 base.db "SELECT * FROM $t ORDER BY 1, 2" | sed 's/|[0-9]*|[0-9]*$//'
done > u8.txt
cmp -s u16.txt u8.txt || fail "UTF-16 import differs from UTF-8"

# -- truncated files: a prefix of a good file before its end tag is refused
#    with 65 and changes nothing.  The sweep over every 23rd byte (every
#    byte with KQ_SLOW=1) runs in-process in the faults unit suite
#    (check_faults.c, truncation_sweep); here the binary, at three cuts.
end=$(grep -bo '</export>' "$D/good/full.xml" | cut -d: -f1)
for cut in 0 $((end / 2)) $((end - 1)); do
    head -c "$cut" "$D/good/full.xml" > cut.xml
    cp base.db h.db
    set +e
    "$KEQING" import cut.xml --db h.db >/dev/null 2>err.txt
    got=$?
    set -e
    [ "$got" -eq 65 ] || { cat err.txt >&2; fail "prefix of $cut bytes: exit $got, want 65"; }
    [ "$(sha256sum h.db | cut -d' ' -f1)" = "$base" ] || fail "prefix of $cut bytes changed the database"
done

# -- a role template whose weights do not sum to 100: score refuses with
#    65, naming the file and line, before writing anything
expect_exit 0 "$KEQING" import "$D/good/score_small.xml" --db s.db
cp -R "$T" tp
sed 's/id="A1" weight="8"/id="A1" weight="9"/' "$T/roles/sales_rep.xml" > tp/roles/sales_rep.xml
before=$(sha256sum s.db | cut -d' ' -f1)
expect_exit 65 "$KEQING" score --period 2026-10 --db s.db --templates tp --out o
expect_grep 'tp/roles/sales_rep.xml:3: role template: weights sum to 101, not 100' err.txt
[ "$(sha256sum s.db | cut -d' ' -f1)" = "$before" ] || fail "refused score changed the database"
[ ! -e o ] || fail "refused score wrote outputs"

# -- fuzz findings stay fixed: each is refused or imported, never a crash
if [ -d "$D/fuzz-regress" ]; then
    for f in "$D"/fuzz-regress/*.xml; do
        case $(basename "$f") in roles-*) continue ;; esac
        [ -f "$f" ] || continue
        cp base.db h.db
        set +e
        "$KEQING" import "$f" --db h.db >/dev/null 2>err.txt
        got=$?
        set -e
        [ "$got" -eq 0 ] || [ "$got" -eq 65 ] || { cat err.txt >&2; fail "$f: exit $got"; }
        [ "$(sqlite3 h.db 'PRAGMA integrity_check')" = ok ] || fail "$f: integrity"
        [ "$got" -eq 0 ] || [ "$(sha256sum h.db | cut -d' ' -f1)" = "$base" ] || fail "$f changed the database"
    done
fi
[ "$(dbsum base.db)" = "$base_rows" ] || fail "base.db changed"
