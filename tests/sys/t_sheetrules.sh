# t_sheetrules -- what the sheets say is right (issue 10), read back
# from the PDFs with pdftotext: a role whose team weight is 0 shows no
# team row and its comment no 占总分0%; no indicator label repeats a word
# (…率达成率); the comment's figures are formatted as the table's; every
# percentage has one decimal; a mid-month hire is marked (新入职, 在岗
# from-to) as a leaver is; roles are listed in the hierarchy's order; a
# trend of one month says so.
T="$SRC/templates"
P=2026-10

"$KEQING" sample --staff 60 --period $P --seed 7 -o s.xml >/dev/null 2>&1
expect_exit 0 "$KEQING" run s.xml --period $P --db k.db --out o --templates "$T" --quiet
for f in o/"$P"/persons/*.pdf o/"$P"/regions/*.pdf; do
    pdftotext -layout "$f" - >> all.txt
done

# a commercial supervisor (team weight 0) with direct reports: no team row,
# no team sentence; a terminal supervisor (team weight 0.5) has both
cs=$(awk -F, '$4 == "commercial_supervisor" && $8 != "" {print $2; exit}' o/$P/totals.csv)
[ -n "$cs" ] || fail "no commercial supervisor with a team score"
pdftotext -layout "o/$P/persons/$cs.pdf" cs.txt
expect_no_grep '团队得分' cs.txt
expect_no_grep '占总分0' cs.txt
expect_no_grep '本人得分（占' cs.txt
ts=$(awk -F, '$4 == "terminal_supervisor" && $8 != "" && $7 != "" {print $2; exit}' o/$P/totals.csv)
pdftotext -layout "o/$P/persons/$ts.pdf" ts.txt
expect_grep '本人得分（占50.0%）' ts.txt
expect_grep '团队得分（占50.0%，' ts.txt
expect_grep '占总分50.0%' ts.txt

# labels never repeat a word; figures in the comment as in the table
expect_no_grep '率达成率' all.txt
expect_no_grep '度达成率' all.txt
expect_no_grep '得[0-9]*分，' all.txt
grep -q '得[0-9]*\.[0-9][0-9]分，满分' all.txt || fail "no comment with a best indicator"
# one percentage format: one decimal everywhere
if grep -En '(^|[^0-9.])[0-9]+%' all.txt > pct.txt; then
    head -3 pct.txt >&2
    fail "a percentage without its decimal"
fi
grep -q '100\.0%' all.txt || fail "no 100.0% at all"

# a mid-month hire (E00006, hired 2026-10-20): marked as a leaver is
grep -q 'id="E00006" .* hired="2026-10-20"' s.xml || fail "the sample changed: E00006"
pdftotext -layout o/$P/persons/E00006.pdf h.txt
expect_grep '新入职' h.txt
expect_grep '在岗 2026-10-20至2026-10-31' h.txt

# roles in the hierarchy's order (省经理 before the supervisors, they before
# the staff), not by their English ids
pdftotext -layout o/$P/regions/EAST.pdf e.txt
expect_grep '各岗位考核人数 *省经理 [0-9]*人 *商务主管 [0-9]*人 *终端主管 [0-9]*人 *业代 [0-9]*人 *终端人员 [0-9]*人' e.txt

# a single month: the trend says so instead of drawing a lonely point
pdftotext -layout o/$P/persons/E00001.pdf one.txt
expect_grep '仅有本月数据，尚无趋势' one.txt
expect_no_grep '^ *100 *$' one.txt
