# t_xlsx -- the period's workbook and the CSVs as people open them (issue
# 15): `keqing run` writes OUT/P/keqing-P.xlsx, listed in manifest.csv;
# openpyxl (Debian's python3-openpyxl, a reader we did not write) finds in
# it every person and every figure of totals.csv and scores.csv, with
# their types (ids and periods text, scores numbers) and the sheets'
# formats, the regions and the risks; a name =HYPERLINK("http://x","y")
# and an id 000123 come back as the same text, and the CSVs write that
# name so no spreadsheet runs it; the same data gives the same bytes;
# --csv-bom and <csv bom="yes"> add a byte-order mark and nothing else;
# HR's headers come from the template; a broken template changes nothing.
T="$SRC/templates"
P=2026-10
PY=${KQ_PYTHON:-/usr/bin/python3}
"$PY" -c 'import openpyxl' 2>/dev/null ||
    fail "$PY lacks openpyxl (python3-openpyxl: make deps)"

"$KEQING" sample --staff 12 --period $P --seed 3 -o s0.xml >/dev/null 2>&1
grep -q 'id="E00003"' s0.xml || fail "sample: no E00003"
# E00003 becomes 000123 everywhere, E00004 is named like a formula
name4=$(grep '<person id="E00004"' s0.xml | sed 's/.* name="\([^"]*\)".*/\1/')
[ -n "$name4" ] || fail "sample: no name for E00004"
sed -e 's/E00003/000123/g' \
    -e "s|name=\"$name4\"|name=\"=HYPERLINK(\&quot;http://x\&quot;,\&quot;y\&quot;)\"|" \
    s0.xml > s.xml
grep -q 'name="=HYPERLINK' s.xml || fail "the formula name was not put in"

expect_exit 0 "$KEQING" run s.xml --period $P --db k.db --out o --templates "$T" --quiet
X=o/$P/keqing-$P.xlsx
[ -s "$X" ] || fail "no workbook $X"
for f in "o/$P"/.*.tmp.*; do [ ! -e "$f" ] || fail "a temporary file was left: $f"; done
# listed in the manifest with its hash and size
row=$(grep "^keqing-$P.xlsx," o/$P/manifest.csv) || fail "workbook not in manifest.csv"
[ "$row" = "keqing-$P.xlsx,$(sha256sum "$X" | cut -d' ' -f1),$(wc -c < "$X"),workbook," ] ||
    fail "manifest row: $row"
# the CSVs: no byte-order mark by default; the formula name quoted with an
# apostrophe first; the id as it is
[ "$(head -c 6 o/$P/totals.csv)" = period ] || fail "totals.csv does not start with its header"
grep -q "^$P,E00004,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"," o/$P/totals.csv ||
    fail "totals.csv: the formula name is not made harmless: $(grep E00004 o/$P/totals.csv)"
grep -q "^$P,000123," o/$P/totals.csv || fail "totals.csv: 000123 missing"

"$PY" - "$X" o/$P/totals.csv o/$P/scores.csv "$T/roles" s.xml k.db <<'EOF' || fail "workbook check"
import csv, glob, os, re, sqlite3, statistics, sys, xml.etree.ElementTree as ET
import openpyxl
x, totals, scores, roles, export, db = sys.argv[1:7]
wb = openpyxl.load_workbook(x)
assert wb.sheetnames == ["汇总", "指标明细", "区域", "风险"], wb.sheetnames
label = {}
for f in glob.glob(os.path.join(roles, "*.xml")):
    r = ET.parse(f).getroot()
    label[r.get("id")] = r.get("label")

def rows(ws):
    return list(ws.iter_rows(min_row=2))

def text(c, want):
    assert c.data_type == "s" and c.value == want, (c.coordinate, c.value, c.data_type, want)

def num(c, want, fmt=None):
    if want == "":
        assert c.value is None, (c.coordinate, c.value)
        return
    assert c.data_type == "n" and isinstance(c.value, (int, float)), (c.coordinate, c.value)
    assert c.value == float(want), (c.coordinate, c.value, want)
    if fmt:
        assert c.number_format == fmt, (c.coordinate, c.number_format, fmt)

for ws in wb:
    assert ws.freeze_panes == "A2", (ws.title, ws.freeze_panes)
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), (ws.title, ws.auto_filter.ref)
    for c in ws[1]:
        assert c.font.b and c.fill.fgColor.rgb.endswith("1F3864"), (ws.title, c.coordinate)

# 汇总 = totals.csv, row for row
ws = wb["汇总"]
head = [c.value for c in ws[1]]
assert head == ["考核期间", "工号", "姓名", "岗位", "区域编号", "区域", "状态", "个人得分",
                "团队得分", "总分", "等级", "区域排名"], head
t = list(csv.DictReader(open(totals, encoding="utf-8")))
got = rows(ws)
assert len(got) == len(t) == 12, (len(got), len(t))
fills = {"优秀": "C6EFCE", "良好": "DDEBF7", "合格": "F2F2F2", "待改进": "FFEB9C", "不合格": "FFC7CE"}
for r, c in zip(t, got):
    text(c[0], r["period"])
    text(c[1], r["person_id"])
    name = r["name"][1:] if r["name"].startswith("'=") else r["name"]
    text(c[2], name)
    text(c[3], label[r["role"]])
    text(c[4], r["region"])
    text(c[6], {"active": "在岗", "left": "离职"}[r["status"]])
    num(c[7], r["own"], "0.00")
    num(c[8], r["team"], "0.00")
    num(c[9], r["total"], "0.00")
    if r["grade"]:
        text(c[10], r["grade"])
        assert c[10].fill.fgColor.rgb.endswith(fills[r["grade"]]), (r["grade"], c[10].fill.fgColor.rgb)
    num(c[11], r["rank"])
ids = [c[1].value for c in got]
assert "000123" in ids, ids
formula = [c[2] for c in got if c[1].value == "E00004"][0]
assert formula.value == '=HYPERLINK("http://x","y")' and formula.data_type == "s", (formula.value, formula.data_type)
# the region name column fits 浙江省区 (four wide characters count eight)
assert ws.column_dimensions["F"].width >= 9, ws.column_dimensions["F"].width

# 指标明细 = scores.csv, row for row
ws = wb["指标明细"]
s = list(csv.DictReader(open(scores, encoding="utf-8")))
got = rows(ws)
assert len(got) == len(s) > 100, (len(got), len(s))
for r, c in zip(s, got):
    text(c[0], r["period"])
    text(c[1], r["person_id"])
    text(c[3], r["indicator"])
    assert c[4].data_type == "s" and c[4].value, c[4].coordinate
    num(c[5], r["numerator"])
    num(c[6], r["denominator"])
    num(c[7], r["rate"], "0.0%")
    num(c[8], r["target"], "0.0%")
    num(c[9], r["weight"])
    num(c[10], r["score"], "0.00")
assert any(r["rate"] == "" for r in s), "no indicator without a base in the sample"

# 区域: the root counts every person; grade columns add up to the scored
ws = wb["区域"]
head = [c.value for c in ws[1]]
assert head[:9] == ["区域编号", "区域", "上级区域", "区域负责人", "考核人数", "已评分人数",
                    "平均总分", "总分中位数", "较上月"], head
assert head[9:] == ["优秀", "良好", "合格", "待改进", "不合格"], head
# each node against the export's tree and totals.csv, worked out here:
# its parent, its people, their mean and median total, its grades
parent = {m.group(1): m.group(3) for m in re.finditer(
    r'<region id="([^"]*)" name="[^"]*"( parent="([^"]*)")?', open(export, encoding="utf-8").read())}
def under(reg, node):
    while reg is not None and reg != node:
        reg = parent.get(reg)
    return reg == node
got = rows(ws)
assert sorted(c[0].value for c in got) == sorted(parent), ([c[0].value for c in got], sorted(parent))
for c in got:
    node = c[0].value
    assert c[2].value == parent[node], (node, c[2].value, parent[node])
    people = [r for r in t if under(r["region"], node)]
    tot = [float(r["total"]) for r in people if r["total"]]
    assert c[4].value == len(people) and c[5].value == len(tot), (node, c[4].value, c[5].value)
    if tot:
        assert abs(c[6].value - sum(tot) / len(tot)) < 0.0051, (node, c[6].value)
        assert abs(c[7].value - statistics.median(tot)) < 0.0051, (node, c[7].value)
    grades = {g: sum(1 for r in people if r["grade"] == g) for g in head[9:]}
    assert [v.value for v in c[9:]] == [grades[g] for g in head[9:]], (node, grades)

# 风险: each stored risk (score_risk, what the region summaries list),
# kinds in words, people by name, dates as text, counts as numbers
ws = wb["风险"]
got = rows(ws)
assert got, "no risk in the sample"
con = sqlite3.connect(db)
want = con.execute(
    "SELECT k.kind, k.customer, c.name, k.region, o.name, f.name, k.since, k.count, k.keys"
    " FROM score_risk k JOIN customer c ON c.id = k.customer JOIN person o ON o.id = k.owner"
    " LEFT JOIN person f ON f.id = k.from_staff WHERE k.period = '2026-10'"
    " ORDER BY k.kind = 'handover', k.customer").fetchall()
assert len(got) == len(want), (len(got), len(want))
words = {"single_thread": "单线联系", "handover": "交接未建卡"}
for c, w in zip(got, want):
    kind, cust, cname, reg, owner, frm, since, count, keys = w
    v = [x.value for x in c]
    assert v[0] == words[kind] and v[1] == cust and v[2] == cname and v[3] == reg, (v, w)
    assert v[5] == owner and v[8] == count and v[9] == keys, (v, w)
    if kind == "handover":
        assert v[6] == frm and v[7] == since and v[10] is None, (v, w)
    else:
        assert v[6] is None and v[7] is None and v[10] == since, (v, w)
    assert c[1].data_type == "s" and c[8].data_type == "n" and c[9].data_type == "n"
open("risks.txt", "w").write("%d\n" % len(got))
EOF

# the same data, another database and folder: the same bytes
expect_exit 0 "$KEQING" run s.xml --period $P --db k2.db --out o2 --templates "$T" --quiet
cmp "$X" o2/$P/keqing-$P.xlsx || fail "two runs of the same data give different workbooks"
# scoring again writes it again, the same
expect_exit 0 "$KEQING" score --period $P --db k.db --out o3 --templates "$T"
expect_grep "^XLSX: o3/$P/keqing-$P.xlsx\$" out.txt
expect_grep "^score $P: 12 persons assessed, .* $(cat risks.txt) relationship risks\$" out.txt
cmp "$X" o3/$P/keqing-$P.xlsx || fail "score and run give different workbooks"
# no clock: every zip entry dated 1980-01-01, created on the period's last day
"$PY" -c "
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert {i.date_time[:3] for i in z.infolist()} == {(1980, 1, 1)}, [i.date_time for i in z.infolist()]
core = z.read('docProps/core.xml').decode()
assert '>2026-10-31T00:00:00Z</dcterms:created>' in core, core
" "$X" || fail "the workbook carries a clock"

# --csv-bom: EF BB BF and then the same bytes
expect_exit 0 "$KEQING" score --period $P --db k.db --out ob --templates "$T" --csv-bom
for f in totals scores; do
    [ "$(head -c 3 ob/$P/$f.csv | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "--csv-bom: $f.csv has no BOM"
    tail -c +4 ob/$P/$f.csv | cmp -s - o3/$P/$f.csv || fail "--csv-bom changed more than the BOM of $f.csv"
done
cmp "$X" ob/$P/keqing-$P.xlsx || fail "--csv-bom changed the workbook"

# HR's template: renamed headers and the BOM setting
cp -R "$T" tp
sed -e 's|<text key="col_id">工号</text>|<text key="col_id">员工编号</text>|' \
    -e 's|<csv bom="no"/>|<csv bom="yes"/>|' "$T/sheet/workbook.xml" > tp/sheet/workbook.xml
expect_exit 0 "$KEQING" score --period $P --db k.db --out ot --templates tp
[ "$(head -c 3 ot/$P/totals.csv | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "<csv bom=yes>: no BOM"
"$PY" -c "
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
assert wb['汇总']['B1'].value == '员工编号', wb['汇总']['B1'].value
assert wb['指标明细']['B1'].value == '员工编号'
" ot/$P/keqing-$P.xlsx || fail "the template's header was not used"

# past a sheet's row limit (here 40, Excel's is 1,048,576) a table goes on
# in "NAME (2)" ..., each with its header: together they are the CSV
KEQING_TEST_XLSX_ROWS=40 expect_exit 0 "$KEQING" score --period $P --db k.db --out ol --templates "$T"
"$PY" - ol/$P/keqing-$P.xlsx o/$P/scores.csv <<'EOF' || fail "continued sheets"
import csv, sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
s = list(csv.reader(open(sys.argv[2], encoding="utf-8")))[1:]
parts = [n for n in wb.sheetnames if n.startswith("指标明细")]
want = ["指标明细"] + ["指标明细 (%d)" % i for i in range(2, len(parts) + 1)]
assert parts == want and len(parts) == (len(s) + 38) // 39, (wb.sheetnames, len(s))
ids = []
for n in parts:
    ws = wb[n]
    assert ws["A1"].value == "考核期间" and ws.freeze_panes == "A2", n
    assert ws.max_row <= 40, (n, ws.max_row)
    ids += [(r[1], r[3]) for r in ws.iter_rows(min_row=2, values_only=True)]
assert ids == [(r[1], r[2]) for r in s], "the parts do not add up to scores.csv"
assert wb.sheetnames[-2:] == ["区域", "风险"], wb.sheetnames
EOF

# the workbook's name taken by a folder: refused before anything is stored
mkdir -p of/$P/keqing-$P.xlsx
before=$(dbsum k.db)
expect_exit 73 "$KEQING" score --period $P --db k.db --out of --templates "$T"
expect_grep "of/$P/keqing-$P.xlsx" err.txt
[ "$(dbsum k.db)" = "$before" ] || fail "a workbook that could not be made changed the database"
[ ! -e of/$P/totals.csv ] || fail "a workbook that could not be made let the CSVs through"

# a pipe as the workbook's name: the bytes go through it, whole
mkdir -p op/$P
mkfifo op/$P/keqing-$P.xlsx
cat op/$P/keqing-$P.xlsx > piped.xlsx &
reader=$!
expect_exit 0 "$KEQING" score --period $P --db k.db --out op --templates "$T"
wait "$reader"
cmp piped.xlsx "$X" || fail "the workbook written into a pipe differs"
expect_no_grep 'ERROR' err.txt

# a broken template: refused before anything is scored or written
sed 's|<text key="sheet_risks">风险</text>|<text key="sheet_risks">风险?</text>|' \
    "$T/sheet/workbook.xml" > tp/sheet/workbook.xml
before=$(dbsum k.db)
expect_exit 65 "$KEQING" score --period $P --db k.db --out obad --templates tp
expect_grep 'tp/sheet/workbook.xml:[0-9]*: sheet template: text key .sheet_risks.: .风险?. is not a sheet name Excel accepts' err.txt
[ "$(dbsum k.db)" = "$before" ] || fail "a refused template changed the database"
[ ! -e obad ] || fail "a refused template wrote outputs"

# a templates folder from before the workbook: the defaults, and a warning
rm tp/sheet/workbook.xml
expect_exit 0 "$KEQING" score --period $P --db k.db --out od --templates tp
expect_grep 'tp/sheet/workbook.xml: not found: the workbook has the built-in headers' err.txt
cmp "$X" od/$P/keqing-$P.xlsx || fail "the built-in defaults differ from the shipped template"
