# t_score -- `keqing score` and `keqing explain` end to end on the small
# export of tests/data/good/score_small.xml (the example of erp-xml.md).
#
# Expected figures, worked out by hand (doc/rules.md; weeks of 2026-10 have
# Mondays 09-28 10-05 10-12 10-19 10-26; C10001 moves from E0102 to E0150
# on 10-21, so weeks 1-3 are E0102's and weeks 4-5 E0150's):
#   E0102 (sales_rep, left 10-20): A2 1/1 -> 8; A3 0/1 -> 0; A6 1/1 -> 6;
#     B1 V1 in week 2: 1/3 -> 10/3; B2 S1 in week 2: 1/3 -> 8/3; B3 1/1 -> 6;
#     B4 D1 (10-10, owner E0102) 1/1 -> 6; C6 national day for K1 and K2,
#     G1 (09-30) meets K1's: 1/2 -> 4; the rest N/A.
#     own = 100 x 36 / 58 = 62.07 (待改进)
#   E0150: A1 K1's card renewed 10-02 after the restructuring (09-10) is
#     valid, K2 (since 09-15) is in grace: 1/1 -> 8; A4 3/3 -> 4; A5 3/3 -> 6;
#     B1, B2 0/2; C1-C4 0/1 (R1 is E0102's); own = 100 x 18 / 56 = 32.14
#   E0001 (province_manager): nothing of its own; team = (62.0690 +
#     32.1429) / 2 = 47.11 = total (不合格).  Ranks 1 E0102, 2 E0001, 3 E0150.
G="$SRC/tests/data/good"
T="$SRC/templates"

# one file
expect_exit 0 "$KEQING" import "$G/score_small.xml" --db one.db --templates "$T"
expect_exit 0 "$KEQING" score --period 2026-10 --db one.db --templates "$T" --out o1
expect_grep 'o1/2026-10/scores.csv' out.txt
cmp o1/2026-10/scores.csv "$G/score_small.scores.csv" || fail "scores.csv differs"
cmp o1/2026-10/totals.csv "$G/score_small.totals.csv" || fail "totals.csv differs"

# the same data in two files gives the same bytes
expect_exit 0 "$KEQING" import "$G/score_small.part1.xml" "$G/score_small.part2.xml" --db two.db --templates "$T"
expect_exit 0 "$KEQING" score --period 2026-10 --db two.db --templates "$T" --out o2
cmp o1/2026-10/scores.csv o2/2026-10/scores.csv || fail "split import: scores differ"
cmp o1/2026-10/totals.csv o2/2026-10/totals.csv || fail "split import: totals differ"

# re-import and re-score: same bytes, results replaced (not doubled)
expect_exit 0 "$KEQING" import "$G/score_small.xml" --db one.db --templates "$T"
expect_exit 0 "$KEQING" score --period 2026-10 --db one.db --templates "$T" --out o3
cmp o1/2026-10/scores.csv o3/2026-10/scores.csv || fail "re-score: scores differ"
[ "$(sqlite3 one.db "SELECT count(*) FROM score_total WHERE period='2026-10'")" = 3 ] ||
    fail "score_total not replaced"
[ "$(sqlite3 one.db "SELECT count(*) FROM score_indicator WHERE period='2026-10'")" = 42 ] ||
    fail "score_indicator rows"
# region figures for every node, the root covering everybody
[ "$(sqlite3 one.db "SELECT count(*) FROM score_region WHERE period='2026-10'")" = 3 ] ||
    fail "score_region rows"
[ "$(sqlite3 one.db "SELECT people || ' ' || scored FROM score_region WHERE region='CN'")" = "3 3" ] ||
    fail "root region figures"
# risks: C10001 single-threaded (only K1 passed knows_rep_name) and handed
# over on 10-21 with K2 still without a card
[ "$(sqlite3 one.db "SELECT group_concat(kind || ':' || count, ' ') FROM (SELECT * FROM score_risk ORDER BY kind)")" = "handover:1 single_thread:1" ] ||
    fail "risks"

# explain: numerators, denominators and the records behind them
expect_exit 0 "$KEQING" explain --period 2026-10 --person E0102 --db one.db --templates "$T"
expect_grep '^人员 E0102 李娜' out.txt
expect_grep '状态 离职' out.txt
expect_grep '^B1 拜访频次达标率：分子 1 / 分母 3 = 0.3333' out.txt
expect_grep '拜访 V1 2026-10-08' out.txt
expect_grep '抽查 Q1 2026-10-15' out.txt
expect_grep '国庆节 2026-10-01.*问候 G1 2026-09-30，达成' out.txt
expect_grep 'K2 周强：国庆节 2026-10-01.*未达成' out.txt
expect_exit 0 "$KEQING" explain --period 2026-10 --person E0150 --db one.db --templates "$T"
expect_grep 'K2 周强：尚无有效卡，处于两个月宽限期内' out.txt
expect_exit 65 "$KEQING" explain --period 2026-10 --person NOBODY --db one.db --templates "$T"

# errors: no database -> 66; a role without a template -> 65, person named
expect_exit 66 "$KEQING" score --period 2026-10 --db missing.db --templates "$T"
expect_exit 64 "$KEQING" score --db one.db
expect_exit 64 "$KEQING" score --period 2026-13 --db one.db
mkdir -p t2/roles t2/schema
cp "$T/roles/sales_rep.xml" t2/roles/
cp "$T/schema/role.xsd" t2/schema/
expect_exit 65 "$KEQING" score --period 2026-10 --db one.db --templates t2 --out o4
expect_grep 'E0001' err.txt
expect_grep 'province_manager' err.txt
# a broken template: file, line and reason
cp "$T/roles/province_manager.xml" t2/roles/
sed 's/id="A1" weight="8"/id="A1" weight="7"/' "$T/roles/sales_rep.xml" > t2/roles/sales_rep.xml
expect_exit 65 "$KEQING" score --period 2026-10 --db one.db --templates t2 --out o4
expect_grep 'sales_rep.xml:[0-9]*: role template: weights sum to 99' err.txt
