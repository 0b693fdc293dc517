/* check_explain -- the text of `keqing explain` (explain.c) on small
 * hand-built datasets: the head (scores, grade, rank), one line per
 * indicator of the role (numerator, denominator, rate, target, floor,
 * weight, score; N/A) and the records behind each, byte for byte.
 *
 * Every expected figure is worked out by hand in the comment above it
 * (doc/rules.md, sections 2 and 3).  Period 2026-10: the period weeks
 * have Mondays 09-28, 10-05, 10-12, 10-19, 10-26.  Number formats are the
 * CSVs' (csvout.h): numerator, denominator, weight and team weight with
 * trailing zeros trimmed, rate and target 4 decimals, scores 2.
 */
#include "unit.h"

#include "buf.h"
#include "dataset.h"
#include "date.h"
#include "err.h"
#include "explain.h"
#include "mem.h"
#include "roles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO DS_NODATE
#define A DS_ABSENT

static struct dataset ds;
static struct roles roles;
static struct period per;
static struct err err;

/* "ex": four indicators and one that stays N/A; a floor on B3; team
 * weight 0.5.  Weights 30 + 30 + 10 + 10 + 20 = 100. */
static const char *const tmpl_ex =
    "<role xmlns='urn:keqing:role:1' id='ex' label='代表' team-weight='0.5'>"
    "<indicator id='A2' weight='30' target='0.9'/>"
    "<indicator id='B1' weight='30'/>"
    "<indicator id='B3' weight='10' target='0.8' floor='0.5'/>"
    "<indicator id='C5' weight='10'/>"
    "<indicator id='C6' weight='20'/></role>";
/* "info": cards, services, displays, reports; team weight 0.  Default
 * targets: A1 1, A4 0.9, B2 1, B4 0.8, C1 1. */
static const char *const tmpl_info =
    "<role xmlns='urn:keqing:role:1' id='info' label='信息员' team-weight='0'>"
    "<indicator id='A1' weight='20'/><indicator id='A4' weight='20'/>"
    "<indicator id='B2' weight='20'/><indicator id='B4' weight='20'/>"
    "<indicator id='C1' weight='20'/></role>";
/* "staff": A2 only, target 1: own = 100 x the A2 rate */
static const char *const tmpl_staff =
    "<role xmlns='urn:keqing:role:1' id='staff' label='员工' team-weight='0'>"
    "<indicator id='A2' weight='100' target='1'/></role>";

#define OK(call) ck_assert_msg((call) == ERR_OK, "%s", err.msg)

static void setup(void)
{
    /* sorted by id, as roles_find expects */
    const char *src[] = {tmpl_ex, tmpl_info, tmpl_staff};
    const char *name[] = {"ex.xml", "info.xml", "staff.xml"};

    dataset_init(&ds);
    err_clear(&err);
    roles.n = 0;
    roles.r = calloc(3, sizeof *roles.r);
    ck_assert_ptr_nonnull(roles.r);
    for (int i = 0; i < 3; i++) {
        int rc = roles_parse(src[i], strlen(src[i]), name[i], NULL,
                             &roles.r[i], &err);
        ck_assert_msg(rc == 0, "%s", err.msg);
        roles.n++;
    }
    ck_assert_int_eq(period_parse("2026-10", &per), 0);
    /* regions: 0 CN (root), 1 EAST, 2 EAST-ZJ */
    OK(dataset_add_region(&ds, "CN", "全国", -1, NULL, &err));
    OK(dataset_add_region(&ds, "EAST", "华东大区", 0, NULL, &err));
    OK(dataset_add_region(&ds, "EAST-ZJ", "浙江省区", 1, NULL, &err));
}

static void teardown(void)
{
    mem_fail_after(0);
    dataset_free(&ds);
    for (size_t i = 0; i < roles.n; i++)
        roles_free_role(&roles.r[i]);
    free(roles.r);
    roles.r = NULL;
    roles.n = 0;
}

static int D(const char *s)
{
    int d;
    ck_assert_msg(date_parse(s, &d) == 0, "bad test date %s", s);
    return d;
}

static int person(const char *id, const char *name, const char *role,
                  int mgr, const char *left)
{
    int p = -1;
    OK(dataset_add_person(&ds, id, name, role, 2, mgr, D("2020-01-01"),
                               left ? D(left) : NO, &p, &err));
    return p;
}

static int customer(const char *id, const char *name, int grade,
                    int terminal, int owner)
{
    int c = -1;
    OK(dataset_add_customer(&ds, id, name, terminal, grade, 2, owner, NO,
                                 NO, &c, &err));
    return c;
}

static int contact(const char *id, const char *name, int c, const char *since,
                   int bm, int bd)
{
    int k = -1;
    OK(dataset_add_contact(&ds, id, name, c, 1, D(since), bm, bd, &k, &err));
    return k;
}

/* a spot check: rep_knows_name, knows_rep_name, first_recommend; the
 * other items not asked */
static void check(const char *id, int staff, int c, const char *date, int rkn,
                  int krn, int first)
{
    signed char it[DS_NCHECK_ITEM] = {(signed char)rkn, (signed char)krn, A, A,
                                      (signed char)first, A};
    OK(dataset_add_check(&ds, id, staff, c, -1, D(date), it, NULL, &err));
}

/* The explanation of person p (ERR_OK expected), into *out (owned). */
static char *explain(int p)
{
    struct buf b;
    char *s;
    int rc;
    buf_init(&b, 1 << 20);
    rc = explain_person(&ds, &per, &roles, p, &b, &err);
    ck_assert_msg(rc == ERR_OK, "explain_person: %d %s", rc, err.msg);
    s = strdup(buf_str(&b));
    ck_assert_ptr_nonnull(s);
    buf_free(&b);
    return s;
}

/* got equals want; on a difference, the first differing line of each */
static void assert_text(const char *got, const char *want)
{
    size_t i = 0, line = 1, bol = 0;
    if (!strcmp(got, want))
        return;
    while (got[i] && got[i] == want[i]) {
        if (got[i] == '\n') {
            line++;
            bol = i + 1;
        }
        i++;
    }
    ck_abort_msg("explain text differs at line %zu:\n got: %.*s\nwant: %.*s",
                 line, (int)strcspn(got + bol, "\n"), got + bol,
                 (int)strcspn(want + bol, "\n"), want + bol);
}

/* ---- "ex": checks, visits, greetings, a floor, N/A, team --------------- */

/* E1 王芳 (ex) owns VIP customer C1 华联超市 with key contact K1 赵敏
 * (since 2020-01-01, birthday 10-15); E2 李强 (staff) reports to E1. */
static int build_ex(int *e2)
{
    int e1, c1, k1;
    e1 = person("E1", "王芳", "ex", -1, NULL);
    *e2 = person("E2", "李强", "staff", e1, NULL);
    c1 = customer("C1", "华联超市", DS_VIP, 0, e1);
    k1 = contact("K1", "赵敏", c1, "2020-01-01", 10, 15);
    /*            rkn krn first */
    check("Q1", e1, c1, "2026-10-08", 1, 1, 1);
    check("Q2", e1, c1, "2026-10-20", 1, 0, 0);
    check("Q3", *e2, c1, "2026-10-09", 1, 1, A);
    /* V1 in week 2 with a purpose counts; V2 (VIP, no purpose) does not */
    OK(dataset_add_visit(&ds, "V1", e1, c1, D("2026-10-06"), 1, NULL, &err));
    OK(dataset_add_visit(&ds, "V2", e1, c1, D("2026-10-14"), 0, NULL, &err));
    /* K1: 国庆 10-01 due, not greeted; birthday 10-15 greeted on 10-13
     * (window 10-12..10-15) */
    OK(dataset_add_greeting(&ds, "G1", e1, c1, k1, DS_BIRTHDAY,
                                          D("2026-10-13"), 1, NULL, &err));
    ck_assert_int_eq(dataset_finish(&ds, &err), 0);
    return e1;
}

START_TEST(explain_checks_visits_greetings)
{
    int e2, e1 = build_ex(&e2);
    char *got = explain(e1);
    /* A2: both names asked in Q1 and Q2, both true in Q1: 1/2 = 0.5;
     *     30 x 0.5 / 0.9 = 16.6667
     * B1: VIP C1, 5 weeks, the week of 10-05 met (V1): 1/5 = 0.2; 30 x 0.2
     *     = 6; V2 has no purpose: 0 valid visits in the week of 10-12
     * B3: Q1 yes, Q2 no: 1/2 = 0.5, at the floor 0.5: 0
     * C5: never asked: N/A, its weight 10 shared out
     * C6: 国庆 not met, birthday met: 1/2; 20 x 0.5 = 10
     * own = 100 x (16.6667 + 6 + 0 + 10) / 90 = 36.2963 -> 36.30
     * team = E2's total: A2 1/1 -> 100
     * total = 0.5 x 36.2963 + 0.5 x 100 = 68.1481 -> 68.15, 待改进 (>= 60)
     * rank in EAST-ZJ: E2 100 first, E1 second */
    const char *want =
        "客情关系考核说明  期间 2026-10\n"
        "人员 E1 王芳，岗位 代表（ex），区域 EAST-ZJ 浙江省区，状态 在职\n"
        "本人得分 36.30，团队得分 100.00（团队权重 0.5），总分 68.15，等级 待改进，区域排名 2\n"
        "\n"
        "A2 双向叫名率：分子 1 / 分母 2 = 0.5000，目标 0.9000，权重 30，得分 16.67\n"
        "    抽查 Q1 2026-10-08，客户 C1 华联超市：是\n"
        "    抽查 Q2 2026-10-20，客户 C1 华联超市：否\n"
        "B1 拜访频次达标率：分子 1 / 分母 5 = 0.2000，目标 1.0000，权重 30，得分 6.00\n"
        "    客户 C1 华联超市，周 2026-09-28～2026-10-04：有效拜访 0 次，要求 1 次，计 0\n"
        "    客户 C1 华联超市，周 2026-10-05～2026-10-11：有效拜访 1 次，要求 1 次，计 1\n"
        "      拜访 V1 2026-10-06\n"
        "    客户 C1 华联超市，周 2026-10-12～2026-10-18：有效拜访 0 次，要求 1 次，计 0\n"
        "    客户 C1 华联超市，周 2026-10-19～2026-10-25：有效拜访 0 次，要求 1 次，计 0\n"
        "    客户 C1 华联超市，周 2026-10-26～2026-11-01：有效拜访 0 次，要求 1 次，计 0\n"
        "B3 客户首荐率：分子 1 / 分母 2 = 0.5000，目标 0.8000，下限 0.5000，权重 10，得分 0.00\n"
        "    抽查 Q1 2026-10-08，客户 C1 华联超市：是\n"
        "    抽查 Q2 2026-10-20，客户 C1 华联超市：否\n"
        "C5 客户能讲出产品卖点率：不适用（分母为 0），权重 10 按比例分摊给其他指标\n"
        "C6 重大节日及生日问候完成率：分子 1 / 分母 2 = 0.5000，目标 1.0000，权重 20，得分 10.00\n"
        "    客户 C1 华联超市，联系人 K1 赵敏：国庆节 2026-10-01（窗口 2026-09-28～2026-10-01），无符合要求的问候，未达成\n"
        "    客户 C1 华联超市，联系人 K1 赵敏：生日 2026-10-15（窗口 2026-10-12～2026-10-15），问候 G1 2026-10-13，达成\n";
    assert_text(got, want);
    free(got);
}
END_TEST

START_TEST(explain_report_of_a_team_member)
{
    int e2;
    char *got;
    build_ex(&e2);
    got = explain(e2);
    /* E2 (staff, team weight 0, no reports): A2 Q3 1/1 -> 100; no team
     * score; total = own; first in EAST-ZJ */
    assert_text(got,
        "客情关系考核说明  期间 2026-10\n"
        "人员 E2 李强，岗位 员工（staff），区域 EAST-ZJ 浙江省区，状态 在职\n"
        "本人得分 100.00，团队得分 无（团队权重 0），总分 100.00，等级 优秀，区域排名 1\n"
        "\n"
        "A2 双向叫名率：分子 1 / 分母 1 = 1.0000，目标 1.0000，权重 100，得分 100.00\n"
        "    抽查 Q3 2026-10-09，客户 C1 华联超市：是\n");
    free(got);
}
END_TEST

/* ---- "info": cards and grace, services, displays, reports ---------------- */

/* P1 陈静 (info) owns C2 万家 (VIP) with key contacts K2 孙丽 (card),
 * K3 周伟 (no card), K4 吴敏 (since 09-15: in grace), C3 好又多 (A,
 * terminal) and C4 大润发 (A). */
static int build_info(void)
{
    int p1, c2, c3, c4, k2;
    p1 = person("P1", "陈静", "info", -1, NULL);
    c2 = customer("C2", "万家", DS_VIP, 0, p1);
    c3 = customer("C3", "好又多", DS_A, 1, p1);
    c4 = customer("C4", "大润发", DS_A, 0, p1);
    k2 = contact("K2", "孙丽", c2, "2020-01-01", 0, 0);
    contact("K3", "周伟", c2, "2020-01-01", 0, 0);
    contact("K4", "吴敏", c2, "2026-09-15", 0, 0);
    OK(dataset_add_card(&ds, k2, D("2025-03-01"), NO,
                                      dataset_count_phones("office mobile"), 2, NULL, &err));
    OK(dataset_add_service(&ds, "S1", p1, c2, D("2026-10-14"), NULL, &err));
    OK(dataset_add_display(&ds, "D1", p1, c3, D("2026-10-09"), 1, 1, NULL, &err));
    OK(dataset_add_display(&ds, "D2", p1, c3, D("2026-10-21"), 1, 0, NULL, &err));
    OK(dataset_add_report(&ds, "R1", p1, c2, DS_BUSINESS_CHANGE,
                                        dataset_month("2026-10"), D("2026-10-10"),
                                        D("2026-10-13"), NULL, &err));
    OK(dataset_add_report(&ds, "R2", p1, c3, DS_BUSINESS_CHANGE,
                                        dataset_month("2026-10"), D("2026-10-10"),
                                        D("2026-10-15"), NULL, &err));
    (void)c4;
    ck_assert_int_eq(dataset_finish(&ds, &err), 0);
    return p1;
}

START_TEST(explain_cards_services_displays_reports)
{
    char *got = explain(build_info());
    /* A1: K2 valid, K3 no card, K4 in grace (09-15 + 2 months = 11-15 is
     *     after 10-31: listed, left out): 1/2 = 0.5; 20 x 0.5 = 10
     * A4: min(2, 3) / (3 x 2) = 2/6 = 0.3333 (K4, outside the A1
     *     denominator, is not listed); 20 x 0.3333 / 0.9 = 7.4074
     * B2: C2's 5 VIP weeks, S1 (10-14) in the week of 10-12: 1/5; 20 x 0.2 = 4
     * B4: C3 is the only terminal: D1 best with POP, D2 without: 1/2;
     *     20 x 0.5 / 0.8 = 12.5
     * C1: key customers C2, C3, C4: R1 forwarded after 3 days (ok), R2
     *     after 5 (late), C4 nothing: 1/3; 20 x 0.3333 = 6.6667
     * own = 100 x 40.5741 / 100 = 40.57 = total (team weight 0, no team),
     * 不合格 (< 60), the only one ranked in EAST-ZJ */
    const char *want =
        "客情关系考核说明  期间 2026-10\n"
        "人员 P1 陈静，岗位 信息员（info），区域 EAST-ZJ 浙江省区，状态 在职\n"
        "本人得分 40.57，团队得分 无（团队权重 0），总分 40.57，等级 不合格，区域排名 1\n"
        "\n"
        "A1 VIP客户客情关系卡建档率：分子 1 / 分母 2 = 0.5000，目标 1.0000，权重 20，得分 10.00\n"
        "    客户 C2 万家，联系人 K2 孙丽：有效客情关系卡（建卡 2025-03-01，更新 -）\n"
        "    客户 C2 万家，联系人 K3 周伟：无客情关系卡\n"
        "    客户 C2 万家，联系人 K4 吴敏：尚无有效卡，处于两个月宽限期内，不计入分母\n"
        "A4 直系亲属了解度：分子 2 / 分母 6 = 0.3333，目标 0.9000，权重 20，得分 7.41\n"
        "    客户 C2 万家，联系人 K2 孙丽：有效客情关系卡（建卡 2025-03-01，更新 -），直系亲属计 2/3\n"
        "    客户 C2 万家，联系人 K3 周伟：无客情关系卡，直系亲属计 0/3\n"
        "B2 每周为客户办一件事达成率：分子 1 / 分母 5 = 0.2000，目标 1.0000，权重 20，得分 4.00\n"
        "    客户 C2 万家，周 2026-09-28～2026-10-04：为客户办事 0 件，计 0\n"
        "    客户 C2 万家，周 2026-10-05～2026-10-11：为客户办事 0 件，计 0\n"
        "    客户 C2 万家，周 2026-10-12～2026-10-18：为客户办事 1 件，计 1\n"
        "      服务 S1 2026-10-14\n"
        "    客户 C2 万家，周 2026-10-19～2026-10-25：为客户办事 0 件，计 0\n"
        "    客户 C2 万家，周 2026-10-26～2026-11-01：为客户办事 0 件，计 0\n"
        "B4 最佳陈列与POP达成率：分子 1 / 分母 2 = 0.5000，目标 0.8000，权重 20，得分 12.50\n"
        "    陈列检查 D1 2026-10-09，客户 C3 好又多：最佳陈列且有POP\n"
        "    陈列检查 D2 2026-10-21，客户 C3 好又多：未达最佳陈列+POP\n"
        "C1 客户经营变化反馈率：分子 1 / 分母 3 = 0.3333，目标 1.0000，权重 20，得分 6.67\n"
        "    客户 C2 万家：信息 R1（收到 2026-10-10，转发 2026-10-13），达成\n"
        "    客户 C3 好又多：信息 R2（收到 2026-10-10，转发 2026-10-15），转发晚于收到后 3 天，未达成\n"
        "    客户 C4 大润发：本期无本人报送的此类信息，未达成\n";
    assert_text(got, want);
    free(got);
}
END_TEST

/* ---- status, errors, determinism, memory ----------------------------------- */

START_TEST(explain_leaver_and_not_assessed)
{
    int e1, e9, c;
    struct buf b;
    char *got;
    e1 = person("E1", "王芳", "staff", -1, "2026-10-20");
    e9 = person("E9", "赵六", "staff", -1, "2026-09-30");
    c = customer("C1", "华联超市", DS_VIP, 0, e1);
    check("Q1", e1, c, "2026-10-08", 1, 0, A);
    ck_assert_int_eq(dataset_finish(&ds, &err), 0);
    /* left during the period: 离职, still assessed: A2 0/1 -> 0.00 */
    got = explain(e1);
    assert_text(got,
        "客情关系考核说明  期间 2026-10\n"
        "人员 E1 王芳，岗位 员工（staff），区域 EAST-ZJ 浙江省区，状态 离职\n"
        "本人得分 0.00，团队得分 无（团队权重 0），总分 0.00，等级 不合格，区域排名 1\n"
        "\n"
        "A2 双向叫名率：分子 0 / 分母 1 = 0.0000，目标 1.0000，权重 100，得分 0.00\n"
        "    抽查 Q1 2026-10-08，客户 C1 华联超市：否\n");
    free(got);
    /* left before the period: not assessed, nothing appended */
    buf_init(&b, 1 << 20);
    ck_assert_int_eq(explain_person(&ds, &per, &roles, e9, &b, &err), ERR_DATA);
    ck_assert_str_eq(err.msg, "person E9 is not assessed in 2026-10 (hired "
                     "after it or left before it)");
    ck_assert_uint_eq(b.len, 0);
    buf_free(&b);
}
END_TEST

START_TEST(explain_unknown_role)
{
    struct buf b;
    int p = person("E5", "钱七", "astronaut", -1, NULL);
    ck_assert_int_eq(dataset_finish(&ds, &err), 0);
    buf_init(&b, 1 << 20);
    ck_assert_int_eq(explain_person(&ds, &per, &roles, p, &b, &err), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "E5"));
    ck_assert_ptr_nonnull(strstr(err.msg, "astronaut"));
    buf_free(&b);
}
END_TEST

/* The text appended to a buffer that already holds something; the same
 * bytes every time. */
START_TEST(explain_appends_and_repeats)
{
    int e2, e1 = build_ex(&e2);
    char *first = explain(e1);
    struct buf b;
    buf_init(&b, 1 << 20);
    ck_assert_int_eq(buf_puts(&b, "前言\n"), 0);
    ck_assert_int_eq(explain_person(&ds, &per, &roles, e1, &b, &err), ERR_OK);
    ck_assert_int_eq(strncmp(buf_str(&b), "前言\n", strlen("前言\n")), 0);
    assert_text(buf_str(&b) + strlen("前言\n"), first);
    buf_free(&b);
    free(first);
}
END_TEST

/* explain_person must never pass a cut text off as the explanation: a
 * buffer too small for it, or an allocation failing (n = 1, 2, ..., and
 * every later one), ends in an error, else the text is exactly that of a
 * run without a fault.
 *
 * (These tests found that explain.c ignored its appends' status and
 * returned a cut text with ERR_OK; buf's first failure now sticks and
 * explain_person checks it once.) */
START_TEST(explain_buffer_too_small)
{
    int e2, e1 = build_ex(&e2);
    struct buf b;
    int rc;
    buf_init(&b, 200);
    rc = explain_person(&ds, &per, &roles, e1, &b, &err);
    /* refused, not cut: no text comes back as if it were whole */
    ck_assert_int_eq(rc, ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "longer than 200 bytes"));
    buf_free(&b);
}
END_TEST

START_TEST(explain_out_of_memory)
{
    int e2, e1 = build_ex(&e2);
    char *want = explain(e1);
    long n, nomem = 0, cut = 0, first_cut = 0;
    for (n = 1; n < 100000; n++) {
        struct buf b;
        int rc;
        long made;
        buf_init(&b, 1 << 20);
        mem_fail_after(n);
        rc = explain_person(&ds, &per, &roles, e1, &b, &err);
        made = mem_count();
        mem_fail_after(0);
        if (rc == ERR_OK) {
            if (strcmp(buf_str(&b), want) && !cut++)
                first_cut = n;
        } else {
            ck_assert_msg(rc == ERR_NOMEM, "fault %ld: status %d: %s", n, rc,
                          err.msg);
            nomem++;
        }
        buf_free(&b);
        if (made < n)       /* no allocation failed: the end of the loop */
            break;
    }
    ck_assert_int_gt(nomem, 3);
    if (cut)
        fprintf(stderr, "explain: %ld of %ld fault points returned ERR_OK "
                "with a cut text (the first: %ld)\n", cut, n, first_cut);
    ck_assert_msg(cut == 0, "%ld fault points returned a cut text with "
                  "ERR_OK (the first: %ld)", cut, first_cut);
    free(want);
}
END_TEST

Suite *suite_explain(void)
{
    Suite *s = suite_create("explain");
    TCase *t = tcase_create("text");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, explain_checks_visits_greetings);
    tcase_add_test(t, explain_report_of_a_team_member);
    tcase_add_test(t, explain_cards_services_displays_reports);
    tcase_add_test(t, explain_leaver_and_not_assessed);
    tcase_add_test(t, explain_unknown_role);
    tcase_add_test(t, explain_appends_and_repeats);
    tcase_add_test(t, explain_buffer_too_small);
    tcase_add_test(t, explain_out_of_memory);
    suite_add_tcase(s, t);
    return s;
}
