# t_fonts -- every person's name prints, whatever characters it has
# (issue 11, doc/fonts.md): names with characters of CJK Extensions A to
# F, a middle dot, a four-character compound surname and a Latin name are
# drawn by the font chain of fonts/families.conf, every document is
# rendered, pdftotext returns each name exactly, pdffonts shows each face
# that draws one embedded and subset; `keqing fonts` lists the chain and
# checks a period; families.conf (--fonts) takes effect, and a new face
# re-issues exactly the documents whose glyphs it changes.
T="$SRC/templates"
P=2026-10

"$KEQING" sample --staff 30 --period $P --seed 3 -o s.xml >/dev/null 2>&1
# id:name pairs; 𡒄 (Ext B) is only in HanaMinB, 𠮷 𨱏 (Ext B) also in
# HanaMinA; 㐀 Ext A, 𪜀 Ext C, 𫝀 Ext D, 𫠠 Ext E, 𬺰 Ext F
cat > names.txt <<'EOF'
E00001 𠮷伟
E00002 王𡒄
E00003 陈𨱏
E00004 㐀明
E00005 李𪜀
E00006 张𫝀
E00007 赵𫠠
E00008 钱𬺰
E00009 阿依古丽·买买提
E00010 爱新觉罗恒
E00011 Alexander Smith-Jones
EOF
cp s.xml n.xml
while read -r id name; do
    sed -i "s/<person id=\"$id\" name=\"[^\"]*\"/<person id=\"$id\" name=\"$name\"/" n.xml
    grep -q "<person id=\"$id\" name=\"$name\"" n.xml || fail "could not rename $id"
done < names.txt

expect_exit 0 "$KEQING" run n.xml --period $P --db k.db --out o --templates "$T" --quiet
[ ! -s err.txt ] || { cat err.txt >&2; fail "warnings for names every face set covers"; }
D=$(tail -n +2 o/$P/manifest.csv | grep -c '\.pdf,')
[ "$D" = "$(find o/$P -name '*.pdf' | wc -l)" ] || fail "not every document is in the manifest"
# each name exactly, on its sheet and in its region's summary
while read -r id name; do
    pdftotext -layout "o/$P/persons/$id.pdf" p.txt 2> p.err
    [ ! -s p.err ] || fail "pdftotext warns on $id: $(head -1 p.err)"
    expect_grep "$name" p.txt
    reg=$(grep "<person id=\"$id\"" n.xml | sed 's/.* region="\([^"]*\)".*/\1/')
    pdftotext -layout "o/$P/regions/$reg.pdf" r.txt
    expect_grep "$name" r.txt
done < names.txt
# every face that draws a character is embedded and subset; 𡒄 comes from
# HanaMinB; a sheet of ordinary names embeds only what it uses
pdffonts o/$P/persons/E00002.pdf > f2.txt
expect_grep 'HanaMinB' f2.txt
awk 'NR > 2 && ($(NF-4) != "yes" || $(NF-3) != "yes") {bad = 1} END {exit bad}' f2.txt ||
    fail "a face not embedded or not subset: $(cat f2.txt)"
grep -q '^[A-Z]\{6\}+' f2.txt || fail "no subset prefix"
# (an ordinary person whose manager has an ordinary name too)
plain=$(grep -o '<person id="E000[1-3][0-9]" [^>]*' n.xml | grep -v 'id="E0001[01]"' |
        grep -v 'manager="E0000[1-9]"' | grep -v 'manager="E0001[01]"' |
        head -1 | sed 's/.*id="\([^"]*\)".*/\1/')
[ -n "$plain" ] || fail "no ordinary person"
pdffonts "o/$P/persons/$plain.pdf" > f12.txt
expect_no_grep 'HanaMin' f12.txt
expect_no_grep 'BabelStone' f12.txt
# the company-wide packet holds every name, each face once
root=$(grep '<region id=' n.xml | grep -v parent= | sed 's/.*id="\([^"]*\)".*/\1/')
pdffonts "o/$P/packets/$root.pdf" > fp.txt
[ "$(grep -c 'HanaMinB' fp.txt)" = 1 ] || fail "HanaMinB embedded $(grep -c HanaMinB fp.txt) times in the packet"
pdftotext -layout "o/$P/packets/$root.pdf" pk.txt
while read -r id name; do expect_grep "$name" pk.txt; done < names.txt
# the pages show each character: rasterised, the name cell is not blank
# (checked by eye when this test was written: doc/fonts.md)
pdftoppm -r 60 -png -f 1 -l 1 o/$P/persons/E00002.pdf pg
[ -s pg-1.png ] || fail "poppler could not rasterise the sheet"

# ---- keqing fonts ------------------------------------------------------------
expect_exit 0 "$KEQING" fonts
expect_grep '^font chain: 5 faces, from .*fonts/families.conf' out.txt
expect_grep '^  1  WenQuanYi Micro Hei ' out.txt
expect_grep '^  4  HanaMinB ' out.txt
expect_grep '^GB 18030-2022 level 3 (CJK Unified Ideographs, Extensions A-F): covered' out.txt
expect_grep '^\* CJK Extension B  *20000-2A6DF  *42720  *42720 ' out.txt
expect_exit 0 "$KEQING" fonts --period $P --db k.db --templates "$T"
expect_grep "^period $P: [0-9]* texts checked, every character drawn" out.txt

# ---- families.conf takes effect ------------------------------------------------
# a chain without HanaMinB: its characters print as 〓 and are named when
# scored; `keqing fonts --period` exits 65
mkdir f3
printf 'WenQuanYi Micro Hei\nWenQuanYi Zen Hei\nHanaMinA\n' > f3/families.conf
expect_exit 0 "$KEQING" fonts --fonts f3
expect_grep '^font chain: 3 faces, from f3/families.conf' out.txt
expect_grep 'GB 18030-2022 level 3 .*: NOT covered' out.txt
expect_exit 65 "$KEQING" fonts --fonts f3 --period $P --db k.db --templates "$T"
expect_grep "person E00002 name (王𡒄): character U+21484 '𡒄' is in no face of the chain; the installed family '[^']*' has it: add that line to families.conf" err.txt
expect_exit 0 "$KEQING" run n.xml --period $P --db k3.db --out o3 --templates "$T" --fonts f3 --quiet
expect_grep "warning: person E00002 (王𡒄) name: character U+21484 '𡒄' is in no font of the chain" err.txt
expect_grep "the installed family '[^']*' has it" err.txt
pdftotext -layout o3/$P/persons/E00002.pdf p3.txt
expect_grep '王𡒄' p3.txt
expect_no_grep 'HanaMinB' "$(pdffonts o3/$P/persons/E00002.pdf > pf3.txt; echo pf3.txt)"
# adding HanaMinB re-issues exactly what its glyphs change: the sheets of
# the names it draws (E00002 and the Ext C-F ones) and the summaries and
# packets that list them; every other document keeps its number and bytes
cp "o3/$P/persons/$plain.pdf" keep12.pdf
cp o3/$P/persons/E00002.pdf old02.pdf
printf 'HanaMinB\n' >> f3/families.conf
expect_exit 0 "$KEQING" render --period $P --db k3.db --out o3 --templates "$T" --fonts f3
expect_grep "^render $P: .*superseded" out.txt
new=$(sed -n "s/^render $P: \([0-9]*\) new document numbers.*/\1/p" out.txt)
[ "$new" -gt 5 ] || fail "$new of $D documents re-issued"
[ "$new" -lt "$D" ] || fail "$new of $D documents re-issued"
cmp -s keep12.pdf "o3/$P/persons/$plain.pdf" || fail "a sheet HanaMinB does not draw was re-issued"
cmp -s old02.pdf o3/$P/persons/E00002.pdf && fail "E00002's sheet was not re-issued"
pdffonts o3/$P/persons/E00002.pdf > pf3.txt
expect_grep 'HanaMinB' pf3.txt
# a folder without families.conf: refused
mkdir f4
expect_exit 66 "$KEQING" fonts --fonts f4
expect_grep 'f4/families.conf: cannot read' err.txt
