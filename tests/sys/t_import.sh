# t_import -- `keqing import` end to end: usage and exit codes, summary,
# all-or-nothing (database file byte-identical), idempotent re-import,
# --skip-invalid and its report, --xslt, GB18030, the hostile set.
D="$SRC/tests/data"
tables="region person customer contact handover card visit service display report greeting spot_check"
# rows of every record table without import_id and src_line
rows() { for t in $tables; do sqlite3 "$1" "SELECT * FROM $t ORDER BY 1, 2" | sed 's/|[0-9]*|[0-9]*$//'; done; }

# -- usage and exit codes
expect_exit 0 "$KEQING" import --help
expect_grep '^Usage: keqing import FILE' out.txt
expect_grep 'skip-invalid' out.txt
expect_exit 64 "$KEQING" import
expect_grep 'no input FILE' err.txt
expect_exit 64 "$KEQING" import --bogus "$D/good/full.xml"
expect_exit 64 "$KEQING" import --report r.txt "$D/good/full.xml"
expect_exit 66 "$KEQING" import missing.xml --db k.db
expect_grep 'keqing: missing.xml: cannot read' err.txt
[ ! -e k.db ] || fail "a missing input created the database"

# -- a good file; options after FILE are accepted; summary on stdout
expect_exit 0 "$KEQING" import "$D/good/full.xml" --db k.db
expect_grep '^imported 1 file into k.db: 23 records stored, 0 rejected' out.txt
expect_grep '^  visit              2$' out.txt
expect_grep '^  handover           2$' out.txt
[ "$(sqlite3 k.db 'SELECT count(*) FROM visit')" = 2 ] || fail "visits"

# -- idempotent re-import: same rows, one more import row
rows k.db > one.txt
expect_exit 0 "$KEQING" import "$D/good/full.xml" --db k.db
rows k.db > two.txt
cmp -s one.txt two.txt || fail "re-import changed the data"
[ "$(sqlite3 k.db 'SELECT count(*) FROM import')" = 2 ] || fail "import rows"

# -- all or nothing: refused runs leave the file byte-identical
before=$(sha256sum k.db | cut -d' ' -f1)
expect_exit 65 "$KEQING" import "$D/good/update.xml" "$D/bad/semantic.xml" --db k.db
expect_grep 'keqing: .*semantic.xml:27: visit V77: unknown customer C999' err.txt
expect_grep 'keqing: .*semantic.xml:31: visit V77: duplicate id (first at line 27)' err.txt
# semantic.xml moves contact K1 to its C1, so update.xml's visit no longer fits
expect_grep 'update.xml:18: visit V1: contact K1 belongs to customer C1, not C10001' err.txt
expect_grep 'import refused: 14 problems found; the database was not changed' err.txt
[ "$(sha256sum k.db | cut -d' ' -f1)" = "$before" ] || fail "refused import changed the database file"
[ ! -e k.db-journal ] || fail "journal left behind"
# a refused first run leaves no database file
expect_exit 65 "$KEQING" import "$D/bad/semantic.xml" --db new.db
[ ! -e new.db ] || fail "refused first import left new.db"

# -- a corrected re-export replaces, never doubles
expect_exit 0 "$KEQING" import "$D/good/update.xml" --db k.db
[ "$(sqlite3 k.db "SELECT grade || count(*) FROM customer WHERE id='C10001'")" = A1 ] || fail "customer not replaced"
[ "$(sqlite3 k.db "SELECT count(*) FROM handover WHERE customer='C10001'")" = 1 ] || fail "handovers not replaced"
[ "$(sqlite3 k.db 'SELECT count(*) FROM visit')" = 3 ] || fail "visits after update"

# -- --skip-invalid: valid records stored, the rest in the report
expect_exit 0 "$KEQING" import "$D/bad/semantic.xml" --db s.db --skip-invalid
expect_grep 'records stored, 12 rejected' out.txt
expect_grep 'rejected records and reasons: s.db.rejected.txt' out.txt
expect_grep 'semantic.xml:27: visit V77: unknown customer C999' s.db.rejected.txt
expect_grep 'semantic.xml:16: contact K1: unknown customer C1' s.db.rejected.txt
[ "$(wc -l < s.db.rejected.txt)" -eq 14 ] || fail "report lines"
[ "$(sqlite3 s.db 'SELECT group_concat(id) FROM customer')" = C2 ] || fail "skip-invalid rows"
expect_exit 0 "$KEQING" import "$D/bad/bad-date.xml" --db s.db --skip-invalid --report mine.txt
expect_grep "bad-date.xml:7: person E1: hired: '2026-02-30' is not a real date" mine.txt
# a file-level error still refuses the run
expect_exit 65 "$KEQING" import "$D/bad/truncated.xml" --db s.db --skip-invalid

# -- encodings: GB18030 imports exactly like UTF-8
sed 's/encoding="UTF-8"/encoding="GB18030"/' "$D/good/full.xml" | iconv -f UTF-8 -t GB18030 > gb.xml
expect_exit 0 "$KEQING" import gb.xml --db gb.db
expect_exit 0 "$KEQING" import "$D/good/full.xml" --db u8.db
rows gb.db > gb.txt
rows u8.db > u8.txt
cmp -s gb.txt u8.txt || fail "GB18030 import differs from UTF-8"

# -- --xslt: the shipped flat-table mapping gives the same records
expect_exit 0 "$KEQING" import "$SRC/templates/erp/flat-table-sample.xml" \
    --xslt "$SRC/templates/erp/flat-table.xsl" --db x.db
rows x.db > x.txt
cmp -s x.txt u8.txt || fail "mapped sample differs from full.xml"

# -- hostile input: exit 65, nothing stored, no database created (their
#    messages and memory: t_hostile.sh)
for f in billion-laughs quadratic xxe-file xxe-http doctype truncated nul-byte \
         bad-utf8 wrong-root no-namespace region-cycle manager-cycle bad-date id-control; do
    expect_exit 65 "$KEQING" import "$D/bad/$f.xml" --db h.db
    [ ! -e h.db ] || fail "$f left a database"
done
expect_exit 65 "$KEQING" import "$D/bad/doctype.xml" --db h.db
expect_grep 'doctype.xml: DOCTYPE declarations are not allowed' err.txt
expect_exit 65 "$KEQING" import "$D/bad/region-cycle.xml" --db h.db
expect_grep 'region-cycle.xml:5: region A: region tree has a cycle: A -> B -> A' err.txt
