# t_render -- `keqing render --only persons` end to end: a sample company
# of 20 (every assessed person gets a sheet whose text, fonts and structure
# check out with poppler and qpdf; byte-identical across runs and --jobs),
# the tricky names of tests/data/good/render_tricky.xml, and the refusals.
G="$SRC/tests/data/good"
T="$SRC/templates"

"$KEQING" sample --staff 20 --period 2026-10 --seed 11 -o s.xml >/dev/null 2>&1
expect_exit 0 "$KEQING" import s.xml --db k.db
expect_exit 0 "$KEQING" score --period 2026-10 --db k.db --templates "$T" --out o
expect_exit 0 "$KEQING" render --period 2026-10 --db k.db --templates "$T" --out o --only persons --jobs 1
expect_grep '^render 2026-10: 20 person sheets in o/2026-10/persons' out.txt
[ ! -s err.txt ] || fail "render wrote to stderr: $(cat err.txt)"

# every person of totals.csv has a sheet, and nothing else is there
tail -n +2 o/2026-10/totals.csv | cut -d, -f2 | sort > want.txt
find o/2026-10/persons -name '*.pdf' | sed 's|.*/||; s/\.pdf$//' | sort > got.txt
cmp want.txt got.txt || fail "persons and sheets differ"
[ "$(wc -l < got.txt)" = 20 ] || fail "not 20 sheets"

# each sheet: text back without a warning, one embedded subset font with
# a ToUnicode map, a structurally sound file
for f in o/2026-10/persons/*.pdf; do
    pdftotext "$f" t.txt 2> t.err || fail "pdftotext $f"
    [ ! -s t.err ] || fail "pdftotext warns on $f: $(head -3 t.err)"
    pdffonts "$f" > fonts.txt 2>&1 || fail "pdffonts $f"
    [ "$(tail -n +3 fonts.txt | wc -l)" = 1 ] || fail "$f: not exactly one font"
    tail -n +3 fonts.txt | grep -Eq '^[A-Z]{6}\+[A-Za-z]+ +CID TrueType +Identity-H +yes +yes +yes ' ||
        fail "$f: font not embedded+subset+unicode: $(cat fonts.txt)"
    qpdf --check "$f" > /dev/null 2>&1 || fail "qpdf --check $f"
done

# a known person: name, id, title, grade and total as in totals.csv
row=$(sed -n 2p o/2026-10/totals.csv)
id=$(echo "$row" | cut -d, -f2); name=$(echo "$row" | cut -d, -f3)
total=$(echo "$row" | cut -d, -f9); grade=$(echo "$row" | cut -d, -f10)
pdftotext -layout "o/2026-10/persons/$id.pdf" p.txt
for s in "$name" "$id" 客情关系月度考核表 "考核等级：$grade" "$total" \
         "KQ-202610-000001" 被考核人签字 考核人签字 人力资源部 \
         "如有异议，请于7日内向人力资源部提出申诉" 一、个人关系密切程度 \
         二、客情关系建立与巩固 三、信息工作 近六个月总分走势 考核评语; do
    expect_grep "$s" p.txt
done
# creation date from the data (the period's last day), never the clock
pdfinfo "o/2026-10/persons/$id.pdf" | grep -q '^CreationDate: .*Oct 31 .*2026' ||
    fail "CreationDate is not the period end: $(pdfinfo "o/2026-10/persons/$id.pdf" | grep Creation)"

# a leaver is marked, with the part of the period covered
left=$(awk -F, '$6 == "left" { print $2; exit }' o/2026-10/totals.csv)
[ -n "$left" ] || fail "the sample has no leaver"
pdftotext -layout "o/2026-10/persons/$left.pdf" l.txt
expect_grep '离职' l.txt
expect_grep '在岗 2026-10-01至2026-10-' l.txt

# byte-identical: again with 1 job, and with 3 workers
(cd o/2026-10/persons && sha256sum ./*.pdf) > a.sum
expect_exit 0 "$KEQING" render --period 2026-10 --db k.db --templates "$T" --out o2 --only persons --jobs 1
(cd o2/2026-10/persons && sha256sum ./*.pdf) > b.sum
cmp a.sum b.sum || fail "second render differs"
expect_exit 0 "$KEQING" render --period 2026-10 --db k.db --templates "$T" --out o3 --only persons --jobs 3
(cd o3/2026-10/persons && sha256sum ./*.pdf) > c.sum
cmp a.sum c.sum || fail "--jobs 3 differs from --jobs 1"
# without --only: persons, region summaries and packets (t_regions.sh)
expect_exit 0 "$KEQING" render --period 2026-10 --db k.db --templates "$T" --out o4
expect_grep 'region sheets in o4/2026-10/regions' out.txt
[ "$(nfiles o4/2026-10/persons)" = 20 ] || fail "default render"

# tricky characters: rare surnames, ㈠ ㊀ ≦ ≧ in names, region, company
expect_exit 0 "$KEQING" import "$G/render_tricky.xml" --db t.db
expect_exit 0 "$KEQING" score --period 2026-10 --db t.db --templates "$T" --out ot
expect_exit 0 "$KEQING" render --period 2026-10 --db t.db --templates "$T" --out ot --only persons
for p in M01 T01 T02; do
    pdftotext -layout "ot/2026-10/persons/$p.pdf" "$p.txt" 2> "$p.err"
    [ ! -s "$p.err" ] || fail "pdftotext warns on $p"
    qpdf --check "ot/2026-10/persons/$p.pdf" > /dev/null 2>&1 || fail "qpdf $p"
done
expect_grep '亓官㈠' T01.txt
expect_grep '鄢陵片区㈠≦≧' T01.txt
expect_grep '仉督㊀' T01.txt
expect_grep '≦≧㊀亓氏医药有限公司' T01.txt
expect_grep '离职' T02.txt
expect_grep '团队得分' M01.txt

# a name that is not a name (an emoji or pictograph): refused at import,
# with the file, line, person, field, code point and rule; nothing stored
sed 's/亓官㈠/雪人☃/' "$G/render_tricky.xml" > snow.xml
expect_exit 65 "$KEQING" import snow.xml --db snow.db
expect_grep 'snow.xml:16: person T01: name: U+2603 is an emoji or pictograph, not part of a name' err.txt
[ ! -e snow.db ] || fail "a refused first import left snow.db"

# a character no face of the chain has (U+30041, Extension G, which even
# BabelStone Han lacks): scoring names the person, the field, the code
# point and the way out; every document is still rendered, the character
# printed as 〓 while the text layer keeps it; exit 0
sed 's/亓官㈠/雪𰁁/' "$G/render_tricky.xml" > rare.xml
grep -q '雪𰁁' rare.xml || fail "the test export lacks U+30041"
expect_exit 0 "$KEQING" import rare.xml --db rare.db
expect_exit 0 "$KEQING" score --period 2026-10 --db rare.db --templates "$T" --out os
expect_grep 'warning: person T01 (雪𰁁) name: character U+30041 .𰁁. is in no font of the chain' err.txt
expect_grep 'print 〓 in its place' err.txt
expect_exit 0 "$KEQING" render --period 2026-10 --db rare.db --templates "$T" --out os --jobs 2
pdftotext -layout os/2026-10/persons/T01.pdf rare.txt
expect_grep '雪𰁁' rare.txt
for k in regions packets; do
    for f in os/2026-10/"$k"/*.pdf; do pdftotext -layout "$f" - ; done > "r-$k.txt"
    expect_grep '雪𰁁' "r-$k.txt"
done
[ "$(nfiles os/2026-10/regions)" = "$(nfiles os/2026-10/packets)" ] || fail "a region lost its packet"

# refusals
# a period without an export: refused with the periods held, nothing made
expect_exit 66 "$KEQING" render --period 2026-09 --db k.db --templates "$T" --out o5
expect_grep 'no export for period 2026-09 was imported (the database holds 2026-10)' err.txt
[ ! -e o5 ] || fail "a refused render made its output folder"
expect_exit 66 "$KEQING" render --period 2026-10 --db missing.db --templates "$T"
expect_exit 64 "$KEQING" render --db k.db
expect_exit 64 "$KEQING" render --period 2026-10 --db k.db --jobs 0
expect_exit 64 "$KEQING" render --period 2026-10 --db k.db --only people
expect_exit 64 "$KEQING" render --period 2026-10 --db k.db --only persons,people
# a broken sheet template: file, line and reason
mkdir -p t2
cp -R "$T/roles" "$T/schema" t2/
mkdir -p t2/sheet
sed 's/{days}日内/{deadline}日内/' "$T/sheet/person.xml" > t2/sheet/person.xml
expect_exit 65 "$KEQING" render --period 2026-10 --db k.db --templates t2 --out o6
expect_grep 'sheet/person.xml:[0-9]*: sheet template: appeal: unknown placeholder' err.txt
