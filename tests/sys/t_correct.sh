# t_correct -- every issued document is right, or it is not issued
# (issue 10, doc/archive.md "Corrections", doc/rules.md "A period must
# have data"): a period typo is refused by run, score, render and
# explain; a period without activity is refused unless --allow-empty; a
# correction re-issues exactly the documents that show what changed,
# with the new data and provenance; an older export re-imported after a
# correction is refused (and --allow-older imports it); a refused first
# run leaves no database; each registry has an identity, so another
# company's genuine document verifies as unknown, not modified; region
# summaries and packet pages verify from their printed numbers.
T="$SRC/templates"
P=2026-10

"$KEQING" sample --staff 40 --period $P --seed 11 -o oct.xml >/dev/null 2>&1
grep -q 'exported="2026-11-03T09:00:00+08:00"' oct.xml || fail "sample: no exported time"

# ---- a period must have data --------------------------------------------------
# run: the export's own period is not --period: refused, naming both, and
# the new database is not left behind
expect_exit 65 "$KEQING" run oct.xml --period 2026-11 --db typo.db --out typo --templates "$T" --quiet
expect_grep 'this is the export for period 2026-10, not 2026-11 (use --period 2026-10, or give the export for 2026-11)' err.txt
[ ! -e typo.db ] || fail "a refused first run left typo.db"
[ ! -e typo ] || fail "a refused first run left its output folder"
# a truncated export: refused, no database either (import and run alike)
head -c 20000 oct.xml > cut.xml
expect_exit 65 "$KEQING" run cut.xml --period $P --db cut.db --out cut --templates "$T" --quiet
[ ! -e cut.db ] || fail "a refused first run left a database"
[ ! -e cut.db-journal ] || fail "a refused first run left a journal"
expect_exit 65 "$KEQING" import cut.xml --db cut.db
[ ! -e cut.db ] || fail "a refused first import left a database"

expect_exit 0 "$KEQING" run oct.xml --period $P --db k.db --out o --templates "$T" --quiet
D=$(tail -n +2 o/$P/manifest.csv | grep -c '\.pdf,')
# score / render / explain of a period without an export: 66, the periods
# the database holds named, nothing written
before=$(dbsum k.db)
for cmd in score render; do
    expect_exit 66 "$KEQING" $cmd --period 2030-01 --db k.db --templates "$T" --out o30
    expect_grep 'no export for period 2030-01 was imported (the database holds 2026-10): use --period with one of those, or import the export for 2030-01 first' err.txt
done
expect_exit 66 "$KEQING" explain --period 2030-01 --person E00001 --db k.db --templates "$T"
expect_grep 'no export for period 2030-01' err.txt
[ ! -e o30 ] || fail "a refused command made an output folder"
[ "$(dbsum k.db)" = "$before" ] || fail "a refused command changed the database"

# an export with people but no activity at all: refused unless --allow-empty
sed -e 's/period="2026-10"/period="2026-12"/' -e 's/exported="2026-11-03/exported="2027-01-03/' \
    -e '/<activities>/,/<\/activities>/{/<activities>/!{/<\/activities>/!d}}' oct.xml > dec.xml
grep -q '<visit ' dec.xml && fail "dec.xml still has visits"
expect_exit 0 "$KEQING" import dec.xml --db k.db
expect_exit 65 "$KEQING" score --period 2026-12 --db k.db --templates "$T" --out o
expect_grep 'period 2026-12: the imported exports hold no activity record dated in the period' err.txt
expect_grep 'score it with --allow-empty' err.txt
[ ! -e o/2026-12 ] || fail "a refused score made o/2026-12"
expect_exit 0 "$KEQING" score --period 2026-12 --db k.db --templates "$T" --out o --allow-empty
[ -s o/2026-12/totals.csv ] || fail "--allow-empty wrote no totals"

# ---- corrections: one person's name ----------------------------------------------
# E00023's name fixed: re-issued are exactly the documents that show it -
# the person's sheet, the summaries of the regions up the tree (their
# rankings list the name) and the packets that hold the sheet
cp o/$P/persons/E00023.pdf old23.pdf
cp o/$P/persons/E00001.pdf old01.pdf
name=$(grep 'id="E00023"' oct.xml | sed 's/.* name="\([^"]*\)".*/\1/')
reg=$(grep 'id="E00023"' oct.xml | sed 's/.* region="\([^"]*\)".*/\1/')
sed -e "s/name=\"$name\"/name=\"${name}正\"/" -e 's/exported="2026-11-03T09:00:00/exported="2026-11-05T10:00:00/' oct.xml > fix.xml
expect_exit 0 "$KEQING" run fix.xml --period $P --db k.db --out o --templates "$T" --quiet
# the regions on the way up from reg: the summary and the packet of each
up=0
r=$reg
while [ -n "$r" ]; do
    up=$((up + 1))
    r=$(grep "<region id=\"$r\"" oct.xml | sed -n 's/.* parent="\([^"]*\)".*/\1/p')
done
[ "$up" -ge 2 ] || fail "E00023's region has no parent"
want=$((1 + 2 * up))
expect_grep "^run $P: $want files written, $((D - want)) up to date, 0 failed" out.txt
expect_grep "^run $P: $want new document numbers, $want superseded" out.txt
pdftotext -layout o/$P/persons/E00023.pdf f23.txt
expect_grep "${name}正" f23.txt
fixhash=$(sha256sum fix.xml | cut -c1-8)
octhash=$(sha256sum oct.xml | cut -c1-8)
# the re-issued sheet names the correction it shows; an unchanged one
# keeps its number, its bytes and the provenance it was issued with
expect_grep "sha256 $fixhash" f23.txt
cmp -s old01.pdf o/$P/persons/E00001.pdf || fail "an unchanged sheet was re-issued"
pdftotext -layout o/$P/persons/E00001.pdf f01.txt
expect_grep "sha256 $octhash" f01.txt
[ "$(sqlite3 k.db "SELECT source FROM document WHERE subject = 'E00023' AND status = 'issued'" | cut -c1-8)" = "$fixhash" ] ||
    fail "registry: the re-issued sheet's source is not fix.xml"
pdftotext -layout "o/$P/regions/$reg.pdf" fr.txt
expect_grep "${name}正" fr.txt
# the old sheet stays verifiable: superseded, and the chain named
expect_exit 1 "$KEQING" verify --db k.db old23.pdf
expect_grep '^old23.pdf: superseded KQ-202610-' out.txt

# ---- imports never go backwards -------------------------------------------------
# re-running the documented command with the original export would undo
# the correction: refused, naming the newer export; nothing changes
before=$(dbsum k.db)
expect_exit 65 "$KEQING" run oct.xml --period $P --db k.db --out o --templates "$T" --quiet
expect_grep 'oct.xml: this export of 2026-10 (exported 2026-11-03T09:00:00+08:00) is older than fix.xml (exported 2026-11-05T10:00:00+08:00), imported before' err.txt
expect_grep 'use --allow-older' err.txt
expect_exit 65 "$KEQING" import oct.xml --db k.db
[ "$(dbsum k.db)" = "$before" ] || fail "a refused older import changed the database"
pdftotext -layout o/$P/persons/E00023.pdf f23.txt
expect_grep "${name}正" f23.txt
# the very same correction again is fine (a resumed run: skipped)
expect_exit 0 "$KEQING" run fix.xml --period $P --db k.db --out o --templates "$T" --quiet
expect_grep "^run $P: import skipped" out.txt
expect_grep "^run $P: 0 files written, $D up to date" out.txt
# without times, the same file as an import a later one replaced
sed 's/ exported="[^"]*"//' oct.xml > a.xml
sed 's/ exported="[^"]*"//' fix.xml > b.xml
expect_exit 0 "$KEQING" import a.xml --db nt.db
expect_exit 0 "$KEQING" import b.xml --db nt.db
expect_exit 65 "$KEQING" import a.xml --db nt.db
expect_grep 'a.xml: this export of 2026-10 was imported before, and b.xml replaced it afterwards' err.txt
# --allow-older: the user means it
expect_exit 0 "$KEQING" import a.xml --db nt.db --allow-older

# ---- corrections: the company's name ----------------------------------------------
# every document shows the company: every one is re-issued, with the new
# name and the correction's provenance
sed -e 's/company="示例医药有限公司"/company="新示例医药有限公司"/' -e 's/exported="2026-11-05T10:00:00/exported="2026-11-06T08:00:00/' fix.xml > fix2.xml
expect_exit 0 "$KEQING" run fix2.xml --period $P --db k.db --out o --templates "$T" --quiet
expect_grep "^run $P: $D files written, 0 up to date, 0 failed" out.txt
expect_grep "^run $P: $D new document numbers, $D superseded" out.txt
f2hash=$(sha256sum fix2.xml | cut -c1-8)
for f in o/$P/persons/E00001.pdf o/$P/regions/$reg.pdf o/$P/packets/$reg.pdf; do
    pdftotext -layout "$f" c.txt
    expect_grep '新示例医药有限公司' c.txt
    expect_grep "sha256 $f2hash" c.txt
    pdfinfo "$f" | grep -q '^Author: *新示例医药有限公司' || fail "$f: Author"
done

# ---- each registry has an identity ---------------------------------------------------
# another company's database issues the same numbers; its genuine sheet
# is unknown here (another registry), not modified
"$KEQING" sample --staff 40 --period $P --seed 12 -o other.xml >/dev/null 2>&1
expect_exit 0 "$KEQING" run other.xml --period $P --db other.db --out oo --templates "$T" --quiet
ours=$(sqlite3 k.db "SELECT id FROM registry")
theirs=$(sqlite3 other.db "SELECT id FROM registry")
[ "$ours" != "$theirs" ] || fail "two companies share a registry id"
no=$(pdfinfo oo/$P/persons/E00001.pdf | sed -n 's/^Subject: *//p')
[ "$(sqlite3 k.db "SELECT count(*) FROM document WHERE number = '$no'")" = 1 ] ||
    fail "the test needs a number both registries hold"
expect_exit 3 "$KEQING" verify --db k.db oo/$P/persons/E00001.pdf
expect_grep "^oo/$P/persons/E00001.pdf: unknown: issued by registry $theirs, not by the registry of k.db ($ours)" out.txt
# ... while one changed byte in our own is modified
cp o/$P/persons/E00001.pdf mod.pdf
printf 'X' | dd of=mod.pdf bs=1 seek=2000 conv=notrunc 2>/dev/null
expect_exit 2 "$KEQING" verify --db k.db mod.pdf

# ---- every document is traceable on paper ----------------------------------------------
# a region summary prints its number and carries a QR code with it
pdftotext -layout "o/$P/regions/$reg.pdf" r.txt
rno=$(grep -o '文档编号：KQ-[0-9]*-[0-9]*' r.txt | head -1 | sed 's/文档编号：//')
[ -n "$rno" ] || fail "the region summary prints no number"
expect_exit 0 "$KEQING" verify --db k.db "$rno"
expect_grep "^$rno: issued $rno (region $reg, $P)" out.txt
last=$(pdfinfo "o/$P/regions/$reg.pdf" | sed -n 's/^Pages: *//p')
pdftoppm -r 200 -png -f "$last" -l "$last" -singlefile "o/$P/regions/$reg.pdf" rq
zbarimg -q --raw rq.png > rq.txt 2>/dev/null || fail "no QR code on the region summary"
# the sign-off's code, and the page code with the page and its mark
expect_grep "^$rno [0-9A-F]\{8\} $ours\$" rq.txt
expect_grep "^$rno [0-9A-F]\{8\} $ours $last/$last A\$" rq.txt
expect_exit 0 "$KEQING" verify --db k.db "$(grep " $ours\$" rq.txt)"
expect_exit 0 "$KEQING" verify --db k.db "$(grep " A\$" rq.txt)"
# a packet's summary page prints the packet's number; its member pages
# print each member's own
pdftotext -f 1 -l 1 -layout "o/$P/packets/$reg.pdf" p1.txt
pno=$(grep -o '文档编号：KQ-[0-9]*-[0-9]*' p1.txt | head -1 | sed 's/文档编号：//')
expect_exit 0 "$KEQING" verify --db k.db "$pno"
expect_grep "^$pno: issued $pno (packet $reg, $P)" out.txt
pages=$(pdfinfo "o/$P/packets/$reg.pdf" | sed -n 's/^Pages: *//p')
pdftotext -f "$pages" -l "$pages" -layout "o/$P/packets/$reg.pdf" pl.txt
mno=$(grep -o '文档编号：KQ-[0-9]*-[0-9]*' pl.txt | head -1 | sed 's/文档编号：//')
expect_exit 0 "$KEQING" verify --db k.db "$mno"
expect_grep "^$mno: issued $mno (person " out.txt
# a superseded number typed from paper names its replacement; a wrong
# data hash in the code is modified; an unknown number, unknown
oldno=$(pdfinfo old23.pdf | sed -n 's/^Subject: *//p')
expect_exit 1 "$KEQING" verify --db k.db "$oldno"
expect_grep "^$oldno: superseded $oldno by KQ-202610-[0-9]* (person E00023, $P); the current issue is KQ-202610-" out.txt
expect_exit 2 "$KEQING" verify --db k.db "$rno 00000000 $ours"
expect_exit 3 "$KEQING" verify --db k.db "KQ-202610-999999"
expect_exit 3 "$KEQING" verify --db k.db "$rno 00000000 $theirs"
