# t_regions -- region summary sheets and appraisal packets end to end:
# the hand-made company of tests/data/good/regions.xml (figures worked out
# in its header: quota warning, ranks with a tie, the risk list), then a
# 200-person sample (multi-page ranking with repeated header rows, big
# packets, duplex), structure (qpdf), fonts, bookmarks and byte-identical
# output across runs and --jobs.
G="$SRC/tests/data/good"
T="$SRC/templates"

# pdf_ok FILE: sound structure, text back without warnings, every font
# embedded, subset and with a ToUnicode map
pdf_ok() {
    qpdf --check "$1" > /dev/null 2>&1 || fail "qpdf --check $1"
    pdftotext "$1" /dev/null 2> pt.err || fail "pdftotext $1"
    [ ! -s pt.err ] || fail "pdftotext warns on $1: $(head -3 pt.err)"
    pdffonts "$1" > fonts.txt 2>&1 || fail "pdffonts $1"
    n=$(tail -n +3 fonts.txt | wc -l)
    [ "$n" -ge 1 ] || fail "$1: $n fonts"
    [ "$n" -le 2 ] || fail "$1: $n fonts"
    tail -n +3 fonts.txt | grep -Evq '^[A-Z]{6}\+[A-Za-z]+ +CID TrueType +Identity-H +yes +yes +yes ' &&
        fail "$1: a font not embedded+subset+unicode: $(cat fonts.txt)"
    return 0
}
pages() { pdfinfo "$1" | awk '/^Pages:/ {print $2}'; }
# outline FILE: "title page" per bookmark, in document order (qpdf 11 JSON:
# an entry's page comes before its kids, its title after them)
outline() {
    qpdf --json --json-key=outlines "$1" | awk '
        /"destpageposfrom1":/ { gsub(/[^0-9]/, "", $2); pg[++d] = $2 }
        /"title":/ { t = $0; sub(/^ *"title": "/, "", t); sub(/"$/, "", t)
                     line[d] = t " " pg[d]; out[++n] = d " " t " " pg[d]; d-- }
        END { for (i = 1; i <= n; i++) print out[i] }'
}

expect_exit 0 "$KEQING" import "$G/regions.xml" --db r.db
expect_exit 0 "$KEQING" score --period 2026-10 --db r.db --templates "$T" --out o
expect_exit 0 "$KEQING" render --period 2026-10 --db r.db --templates "$T" --out o --jobs 1
# without --only: persons, regions and packets
expect_grep '^render 2026-10: 8 person sheets in o/2026-10/persons' out.txt
expect_grep '^render 2026-10: 4 region sheets in o/2026-10/regions' out.txt
expect_grep '^render 2026-10: 4 packets in o/2026-10/packets (32 pages' out.txt
[ ! -s err.txt ] || fail "render wrote to stderr: $(cat err.txt)"
for id in CN EAST EAST-JS EAST-ZJ; do
    pdf_ok "o/2026-10/regions/$id.pdf"
    pdf_ok "o/2026-10/packets/$id.pdf"
done

# the 浙江省区 summary against the hand-worked figures
pdftotext -layout o/2026-10/regions/EAST-ZJ.pdf zj.txt
for s in 示例医药有限公司 客情关系月度考核汇总表 浙江省区 '2026年10月' \
         '王建国（终端主管）' '6人（已评分6人）' 70.21 85.62 无上月数据 \
         '终端人员 5人' '终端主管 1人' '2人 33.3%' \
         '注意：优秀2人，占33.3%，超过强制分布比例20.0%（最多1人），请复核' \
         区域经理签字： 人力资源部： '本期未发现客情关系风险'; do
    expect_grep "$s" zj.txt
done
grep -Eq '^ *1 +李娜 +Z1 +终端人员 +浙江省区 +100.00 +— +100.00 +优秀' zj.txt || fail "row Z1"
grep -Eq '^ *1 +赵磊 +Z2 ' zj.txt || fail "tie: Z2 not ranked 1"
grep -Eq '^ *3 +孙丽 +Z3 +终端人员 +浙江省区 +87.50 +— +87.50 +良好' zj.txt || fail "row Z3"
grep -Eq '^ *4 +王建国 +M1 +终端主管 +浙江省区 +100.00 +67.50 +83.75 +良好' zj.txt || fail "row M1"
grep -Eq '^ *6 +吴敏 +Z5 +终端人员 +浙江省区 +0.00 +— +0.00 +不合格' zj.txt || fail "row Z5"
grep -Eq 'A2 双向叫名率 +90.0% +6/7 +85.7% +-4.3 +—' zj.txt || fail "A2 pooled 6/7"
[ "$(pages o/2026-10/regions/EAST-ZJ.pdf)" = 2 ] || fail "EAST-ZJ pages"

# 江苏省区: the risk list with customer, owner and since when
pdftotext -layout o/2026-10/regions/EAST-JS.pdf js.txt
expect_grep '交接后关键联系人未建卡1家，单线联系的VIP客户2家' js.txt
grep -Eq 'C1 南京医药 +交接未建卡 +陈刚 +2026-10-05 +由郑芳交接，1/1名关键联系人未建卡' js.txt ||
    fail "handover risk row"
grep -Eq 'C1 南京医药 +单线联系 +陈刚 +2026-10 +仅0/1名关键联系人通过叫名抽查' js.txt ||
    fail "single-threaded C1"
grep -Eq 'C2 苏州雷允上大药房 +单线联系 +郑芳 +2026-10 ' js.txt || fail "single-threaded C2"
# 华东大区 holds both; nobody of its own and two chains: no manager
pdftotext -layout o/2026-10/regions/EAST.pdf e.txt
expect_grep '区域负责人 *未指定' e.txt
expect_grep '8人（已评分8人）' e.txt
[ "$(grep -c '南京医药' e.txt)" = 2 ] || fail "EAST risks"

# the packet of 华东大区: summary (2 pages) + 8 sheets, by sub-region
# (江苏 before 浙江) then rank; bookmarks and page numbers over the packet
P=o/2026-10/packets/EAST.pdf
[ "$(pages $P)" = 10 ] || fail "EAST packet pages: $(pages $P)"
outline $P > ol.txt
cat > want.txt <<'EOF'
1 华东大区 汇总表 1
1 华东大区（8人） 3
2 江苏省区（2人） 3
3 陈刚 J1 业代 3
3 郑芳 J2 业代 4
2 浙江省区（6人） 5
3 李娜 Z1 终端人员 5
3 赵磊 Z2 终端人员 6
3 孙丽 Z3 终端人员 7
3 王建国 M1 终端主管 8
3 周强 Z4 终端人员 9
3 吴敏 Z5 终端人员 10
EOF
sort want.txt > want.s; sort ol.txt > ol.s
cmp -s want.s ol.s || { diff want.s ol.s >&2; fail "EAST packet bookmarks"; }
pdftotext -f 8 -l 8 $P p8.txt
expect_grep 王建国 p8.txt
grep -Eq '第 *8 *页 */ *共 *10 *页' p8.txt || fail "packet page number on page 8"
grep -Eq '共 *1 *页' p8.txt && fail "a person sheet kept its own numbering"
[ "$(pages o/2026-10/packets/CN.pdf)" = 10 ] || fail "CN packet pages"
outline o/2026-10/packets/CN.pdf | grep -q '^1 全国（8人） 3$' || fail "CN top bookmark"

# byte-identical: again, and with 3 workers
(cd o/2026-10 && sha256sum regions/*.pdf packets/*.pdf persons/*.pdf) > a.sum
expect_exit 0 "$KEQING" render --period 2026-10 --db r.db --templates "$T" --out o2 --jobs 1
(cd o2/2026-10 && sha256sum regions/*.pdf packets/*.pdf persons/*.pdf) > b.sum
cmp a.sum b.sum || fail "second render differs"
expect_exit 0 "$KEQING" render --period 2026-10 --db r.db --templates "$T" --out o3 --jobs 3
(cd o3/2026-10 && sha256sum regions/*.pdf packets/*.pdf persons/*.pdf) > c.sum
cmp a.sum c.sum || fail "--jobs 3 differs from --jobs 1"

# --only: just what was asked
expect_exit 0 "$KEQING" render --period 2026-10 --db r.db --templates "$T" --out o4 --only regions
[ -d o4/2026-10/regions ] || fail "--only regions wrote no regions"
[ ! -d o4/2026-10/packets ] || fail "--only regions wrote packets"
[ ! -d o4/2026-10/persons ] || fail "--only regions wrote person sheets"
expect_exit 0 "$KEQING" render --period 2026-10 --db r.db --templates "$T" --out o4 --only packets,persons
[ "$(nfiles o4/2026-10/packets)" = 4 ] || fail "--only packets,persons: packets"
[ "$(nfiles o4/2026-10/persons)" = 8 ] || fail "--only packets,persons: persons"

# duplex: every sheet starts on an odd page, blank backs in between
expect_exit 0 "$KEQING" render --period 2026-10 --db r.db --templates "$T" --out o5 --only packets --duplex
expect_grep 'duplex' out.txt
P=o5/2026-10/packets/EAST.pdf
[ "$(pages $P)" = 17 ] || fail "duplex pages: $(pages $P)"
outline $P | awk '$1 == 3 && $NF % 2 == 0 { bad = 1 } END { exit bad }' ||
    fail "a sheet starts on an even page"
for p in 4 6 8 10 12 14 16; do
    pdftotext -f $p -l $p $P b.txt
    expect_grep '（本页空白）' b.txt
done
pdf_ok "$P"

# a 200-person sample: the company's ranking runs over several pages with
# the header row on each; the root packet is everyone
"$KEQING" sample --staff 200 --period 2026-10 --seed 3 -o s.xml > /dev/null 2>&1
expect_exit 0 "$KEQING" import s.xml --db s.db
expect_exit 0 "$KEQING" score --period 2026-10 --db s.db --templates "$T" --out so
expect_exit 0 "$KEQING" render --period 2026-10 --db s.db --templates "$T" --out so --jobs 2 --only regions,packets
root=$(sqlite3 s.db "SELECT region FROM score_region WHERE period = '2026-10' AND parent IS NULL")
R=so/2026-10/regions/$root.pdf
n=$(pages "$R")
[ "$n" -ge 5 ] || fail "root summary of 200 people on $n pages"
rows=0
for p in $(seq 2 "$n"); do
    pdftotext -f "$p" -l "$p" -layout "$R" pg.txt
    grep -Eq "第 *$p *页 */ *共 *$n *页" pg.txt || fail "page $p: no 第 $p 页 / 共 $n 页"
    if grep -q ' E[0-9]\{5\} ' pg.txt; then
        grep -Eq '排名 +姓名 +工号 +岗位 +所属区域 +个人得分 +团队得分 +总分 +等级' pg.txt ||
            fail "ranking page $p without its header row"
        rows=$((rows + $(grep -Ec '^ *([0-9]+|—) +[^ ]+ +E[0-9]{5} ' pg.txt)))
    fi
done
[ "$rows" = 200 ] || fail "ranking rows: $rows, want 200"
pdf_ok "$R"
P=so/2026-10/packets/$root.pdf
pdf_ok "$P"
[ "$(outline "$P" | awk '$1 >= 2 && $2 ~ /^./ && $3 ~ /^E[0-9]/' | wc -l)" = 200 ] ||
    fail "root packet: not 200 person bookmarks"
