/* check_region -- the region summary sheets: the region template
 * (tmpl_region.c), reading the stored region figures (store_region.c)
 * and the layout (sheet_region.c), against the hand-made results of
 * tests/data/good/regions_fixture.sql (its header works the figures out).
 *
 * Needs the WenQuanYi fonts (layout tests) and poppler-utils (pdftotext).
 */
#include "unit.h"

#include "buf.h"
#include "date.h"
#include "period.h"
#include "err.h"
#include "font.h"
#include "fsx.h"
#include "mem.h"
#include "pdf.h"
#include "roles.h"
#include "sheet_region.h"
#include "store.h"
#include "store_region.h"
#include "tmpl_region.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct err err;
static struct tmpl_region rt;
static char *rt_xml;
static size_t rt_len;

static void setup(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/templates", unit_srcdir());
    ck_assert_msg(tmpl_region_load(path, &rt, &err) == ERR_OK, "%s",
                  err.msg);
    snprintf(path, sizeof path, "%s/templates/sheet/region.xml",
             unit_srcdir());
    ck_assert_int_eq(fsx_read_file(path, 1 << 20, &rt_xml, &rt_len, &err),
                     ERR_OK);
}

static void teardown(void)
{
    tmpl_region_free(&rt);
    mem_free(rt_xml);
    rt_xml = NULL;
}

/* A fresh database in dir holding the fixture (and extra SQL). */
static struct store *fixture(const char *dir, const char *extra)
{
    char path[1024], *sql;
    size_t n;
    struct store *s;

    snprintf(path, sizeof path, "%s/k.db", dir);
    ck_assert_int_eq(store_open(path, 0, &s, &err), ERR_OK);
    snprintf(path, sizeof path, "%s/tests/data/good/regions_fixture.sql",
             unit_srcdir());
    ck_assert_int_eq(fsx_read_file(path, 1 << 20, &sql, &n, &err), ERR_OK);
    ck_assert_msg(store_exec(s, sql, &err) == ERR_OK, "%s", err.msg);
    mem_free(sql);
    if (extra)
        ck_assert_msg(store_exec(s, extra, &err) == ERR_OK, "%s", err.msg);
    return s;
}

static struct store_region *open_reader(struct store *s)
{
    struct period per;
    struct store_region *r;
    ck_assert_int_eq(period_parse("2026-10", &per), 0);
    ck_assert_msg(store_region_open(s, &per, &r, &err) == ERR_OK, "%s",
                  err.msg);
    return r;
}

static size_t index_of(const struct store_region *r, const char *id)
{
    for (size_t i = 0; i < store_region_count(r); i++)
        if (!strcmp(store_region_id(r, i), id))
            return i;
    ck_abort_msg("no region %s", id);
    return 0;
}

/* ---- template ------------------------------------------------------------ */

START_TEST(template_loads)
{
    ck_assert_str_eq(rt.text[TMPL_R_TITLE], "客情关系月度考核汇总表");
    ck_assert_str_eq(rt.text[TMPL_R_SIGN_MANAGER], "区域经理签字：");
    ck_assert_str_eq(rt.text[TMPL_R_SIGN_HR], "人力资源部：");
    ck_assert_str_eq(rt.quota_grade, "优秀");
    ck_assert(fabs(rt.quota_share - 0.2) < 1e-12);
    ck_assert_int_eq(rt.max_risks, 40);
    ck_assert_int_eq(rt.weakest, 3);
    ck_assert_str_eq(rt.company, "");
    ck_assert_uint_eq(rt.color[TMPL_RC_WARN], 0xC00000);
    ck_assert_str_eq(tmpl_region_key_name(TMPL_R_RISK_MORE), "risk_more");
    ck_assert_str_eq(tmpl_region_key_params(TMPL_R_QUOTA_WARN),
                     "grade n share quota max");
}
END_TEST

/* Parse the shipped template with `from` replaced by `to`. */
static int parse_edited(const char *from, const char *to,
                        struct tmpl_region *t, const char *xsd)
{
    struct buf b;
    const char *at = strstr(rt_xml, from);
    int rc;
    ck_assert_ptr_nonnull(at);
    buf_init(&b, 1 << 20);
    ck_assert_int_eq(buf_append(&b, rt_xml, (size_t)(at - rt_xml)), 0);
    ck_assert_int_eq(buf_puts(&b, to), 0);
    ck_assert_int_eq(buf_puts(&b, at + strlen(from)), 0);
    rc = tmpl_region_parse(b.p, b.len, "t/region.xml", xsd, t, &err);
    buf_free(&b);
    return rc;
}

START_TEST(template_refusals)
{
    struct tmpl_region t;
    char xsd[1024];

    ck_assert_int_eq(parse_edited("{n}人，占{share}，超过", "{count}人，占{share}，超过",
                                  &t, NULL), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "t/region.xml:"));
    ck_assert_ptr_nonnull(strstr(err.msg, "quota_warn: unknown placeholder "
                                 "'{count}' (allowed: grade n share quota "
                                 "max)"));
    ck_assert_int_eq(parse_edited("<text key=\"sign_hr\">人力资源部：</text>",
                                  "", &t, NULL), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "text key 'sign_hr' missing"));
    ck_assert_int_eq(parse_edited("share=\"0.2\"", "share=\"1.5\"", &t,
                                  NULL), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "quota: share must be"));
    ck_assert_int_eq(parse_edited("kind=\"region\"", "kind=\"person\"", &t,
                                  NULL), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "kind=\"region\""));
    ck_assert_int_eq(parse_edited("<risks max=\"40\"/>", "", &t, NULL),
                     ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "<risks max=...>"));
    ck_assert_int_eq(parse_edited("C00000", "C0000Z", &t, NULL), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "is not six hex digits"));
    ck_assert_ptr_null(t.file);
    /* the XSD names the element and the facet */
    snprintf(xsd, sizeof xsd, "%s/templates/schema/region.xsd",
             unit_srcdir());
    ck_assert_int_eq(parse_edited("<risks max=\"40\"/>",
                                  "<risks max=\"-1\"/>", &t, xsd), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "risks"));
    ck_assert_int_eq(parse_edited("<risks max=\"40\"/>", "<risks max=\"7\"/>",
                                  &t, xsd), ERR_OK);
    ck_assert_int_eq(t.max_risks, 7);
    tmpl_region_free(&t);
}
END_TEST

/* ---- the stored figures ---------------------------------------------------- */

START_TEST(tree_order)
{
    struct store *s = fixture(unit_tmpdir(), NULL);
    struct store_region *r = open_reader(s);
    const char *const *ids;

    /* depth-first, children by id: a subtree is a contiguous range */
    ck_assert_uint_eq(store_region_count(r), 4);
    ck_assert_str_eq(store_region_id(r, 0), "CN");
    ck_assert_str_eq(store_region_id(r, 1), "EAST");
    ck_assert_str_eq(store_region_id(r, 2), "EAST-JS");
    ck_assert_str_eq(store_region_id(r, 3), "EAST-ZJ");
    ck_assert_uint_eq(store_region_end(r, 0), 4);
    ck_assert_uint_eq(store_region_end(r, 1), 4);
    ck_assert_uint_eq(store_region_end(r, 2), 3);
    ck_assert_int_eq(store_region_depth(r, 3), 2);
    ck_assert_uint_eq(store_region_people(r, 0), 8);
    ck_assert_uint_eq(store_region_people(r, 3), 6);
    /* own persons by stored rank (3, 3 by id), unranked last */
    ck_assert_uint_eq(store_region_own(r, 3, &ids), 6);
    ck_assert_str_eq(ids[0], "Z1");
    ck_assert_str_eq(ids[2], "Z3");
    ck_assert_str_eq(ids[3], "Z4");
    ck_assert_str_eq(ids[4], "M1");
    ck_assert_str_eq(ids[5], "Z5");
    ck_assert_uint_eq(store_region_own(r, 2, &ids), 2);
    ck_assert_str_eq(ids[0], "J1");
    ck_assert_str_eq(ids[1], "J2");
    ck_assert_uint_eq(store_region_own(r, 1, &ids), 0);
    store_region_close(r);
    store_close(s);
}
END_TEST

START_TEST(leaf_figures)
{
    struct store *s = fixture(unit_tmpdir(), NULL);
    struct store_region *r = open_reader(s);
    struct region_data d;

    ck_assert_int_eq(store_region_read(r, index_of(r, "EAST-ZJ"), 40, &d,
                                       &err), ERR_OK);
    ck_assert_str_eq(d.name, "浙江省区");
    ck_assert_str_eq(d.parent_name, "华东大区");
    ck_assert_int_eq(d.leaf, 1);
    ck_assert_str_eq(d.manager_id, "M1");        /* top of the chain */
    ck_assert_str_eq(d.manager_role, "省经理");
    ck_assert_int_eq(d.people, 6);
    ck_assert(fabs(d.mean - 81.783333) < 1e-9);
    ck_assert(d.has_mom && fabs(d.mom - 1.783333) < 1e-9);
    /* roles with people, by id; grades as stored */
    ck_assert_int_eq(d.nrole, 2);
    ck_assert_str_eq(d.role[0].label, "省经理");
    ck_assert_int_eq(d.role[1].people, 5);
    ck_assert_int_eq(d.ngrade, 4); /* nobody in the period is 待改进 */
    /* indicators: pooled rates, weighted targets, last month */
    ck_assert(fabs(d.ind[ROLES_A1].rate - 0.8) < 1e-12);
    ck_assert(fabs(d.ind[ROLES_A1].target - 0.94) < 1e-12);
    ck_assert(d.ind[ROLES_A1].has_prev &&
              fabs(d.ind[ROLES_A1].prev_rate - 0.7) < 1e-12);
    ck_assert(fabs(d.ind[ROLES_B1].target - 1.0) < 1e-12);
    ck_assert(!d.ind[ROLES_A2].has_prev);
    /* C1: stored for M1 but not applicable to him: no target */
    ck_assert(d.ind[ROLES_C1].den == 0 && !d.ind[ROLES_C1].has_target);
    ck_assert(!d.ind[ROLES_A3].has_target);
    /* trend: the three stored periods, oldest first */
    ck_assert_int_eq(d.ntrend, 3);
    ck_assert_str_eq(d.trend[0].period, "2026-08");
    ck_assert(fabs(d.trend[0].mean - 76.5) < 1e-12);
    ck_assert(d.trend[2].has_mean);
    /* ranking: by total, ties share a rank */
    ck_assert_uint_eq(d.nmember, 6);
    ck_assert_str_eq(d.member[0].person_id, "Z1");
    ck_assert_int_eq(d.member[0].rank, 1);
    ck_assert_str_eq(d.member[2].person_id, "Z3");
    ck_assert_int_eq(d.member[2].rank, 3);
    ck_assert_int_eq(d.member[3].rank, 3);
    ck_assert_str_eq(d.member[4].person_id, "M1");
    ck_assert_int_eq(d.member[4].rank, 5);
    ck_assert_int_eq(d.member[5].left, 1);
    /* risks: the handover first, then the single-threaded one */
    ck_assert_uint_eq(d.nrisk, 2);
    ck_assert_int_eq(d.risk_total[0], 1);
    ck_assert_int_eq(d.risk_total[1], 1);
    ck_assert_int_eq(d.risk[0].kind, REGION_RISK_HANDOVER);
    ck_assert_str_eq(d.risk[0].customer_name, "宁波海王星辰");
    ck_assert_str_eq(d.risk[0].owner_name, "赵磊");
    ck_assert_str_eq(d.risk[0].from_name, "李娜");
    ck_assert_str_eq(d.risk[0].since, "2026-09-20");
    ck_assert_int_eq(d.risk[1].kind, REGION_RISK_SINGLE);
    ck_assert_str_eq(d.risk[1].customer_id, "C1");
    ck_assert_str_eq(d.risk[1].since, "2026-09");  /* not 2026-08 */
    ck_assert_int_eq(d.risk[1].count, 1);
    ck_assert_int_eq(d.risk[1].keys, 3);
    store_region_data_free(&d);
    store_region_close(r);
    store_close(s);
}
END_TEST

START_TEST(upper_figures)
{
    struct store *s = fixture(unit_tmpdir(), NULL);
    struct store_region *r = open_reader(s);
    struct region_data d;

    /* EAST: everyone below; unranked J2 last; two tops: no manager */
    ck_assert_int_eq(store_region_read(r, index_of(r, "EAST"), 2, &d, &err),
                     ERR_OK);
    ck_assert_int_eq(d.leaf, 0);
    ck_assert_str_eq(d.manager_id, "");
    ck_assert_uint_eq(d.nmember, 8);
    ck_assert_str_eq(d.member[0].person_id, "Z1");
    ck_assert_str_eq(d.member[2].person_id, "J1");  /* 88 */
    ck_assert_int_eq(d.member[2].rank, 3);
    ck_assert_int_eq(d.member[4].rank, 4);          /* Z3, Z4: 85 */
    ck_assert_str_eq(d.member[5].person_id, "M1");
    ck_assert_int_eq(d.member[5].rank, 6);
    ck_assert_str_eq(d.member[7].person_id, "J2");
    ck_assert_int_eq(d.member[7].rank, 0);
    /* three risks, two listed (the limit), C3 counted only */
    ck_assert_int_eq(d.risk_total[0] + d.risk_total[1], 3);
    ck_assert_uint_eq(d.nrisk, 2);
    ck_assert_str_eq(d.risk[0].customer_id, "C2");
    ck_assert_str_eq(d.risk[1].customer_id, "C1");
    /* A1 pooled target over the subtree, no region row: rate 0 */
    ck_assert(fabs(d.ind[ROLES_A1].target - 0.94) < 1e-12);
    ck_assert(d.ind[ROLES_A1].den == 0);
    ck_assert_int_eq(d.ntrend, 3);
    ck_assert(!d.trend[0].has_mean);
    store_region_data_free(&d);
    store_region_close(r);
    store_close(s);
}
END_TEST

START_TEST(results_of_an_earlier_keqing)
{
    /* a period scored before schema 5 lacks the stored rankings,
     * managers and targets: refused with the way out, not drawn wrong */
    struct store *s = fixture(unit_tmpdir(),
        "UPDATE score_run SET results = 0 WHERE period = '2026-10';");
    struct period per;
    struct store_region *r = NULL;

    ck_assert_int_eq(period_parse("2026-10", &per), 0);
    ck_assert_int_eq(store_region_open(s, &per, &r, &err), ERR_DATA);
    ck_assert_ptr_null(r);
    ck_assert_ptr_nonnull(strstr(err.msg, "period 2026-10 was scored by an "
                                 "earlier keqing"));
    ck_assert_ptr_nonnull(strstr(err.msg, "keqing score --period 2026-10"));
    store_close(s);
}
END_TEST

START_TEST(unscored_period)
{
    struct store *s = fixture(unit_tmpdir(), NULL);
    struct store_region *r;
    struct period per;

    ck_assert_int_eq(period_parse("2026-07", &per), 0);
    ck_assert_int_eq(store_region_open(s, &per, &r, &err), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "period 2026-07 has no stored "
                                 "results"));
    store_close(s);
}
END_TEST

/* ---- layout --------------------------------------------------------------- */

static struct font *open_font(void)
{
    struct font *f;
    ck_assert_msg(font_open_chain(&f, NULL, NULL, &err) == ERR_OK, "%s",
                  err.msg);
    return f;
}

static struct roles load_roles(void)
{
    struct roles rs;
    char path[1024];
    snprintf(path, sizeof path, "%s/templates", unit_srcdir());
    ck_assert_int_eq(roles_load_dir(path, &rs, &err), ERR_OK);
    return rs;
}

/* Render region id of the fixture to dir/<id>.pdf; its page count. */
static int render(const char *dir, struct store *s, const char *id,
                  const struct font *f, const struct roles *rs)
{
    struct store_region *r = open_reader(s);
    struct region_data d;
    char path[1024];
    int pages = 0;

    ck_assert_int_eq(store_region_read(r, index_of(r, id), 40, &d, &err),
                     ERR_OK);
    d.company = "示例医药有限公司";
    d.source = "01234567";
    snprintf(path, sizeof path, "%s/%s.pdf", dir, id);
    ck_assert_msg(sheet_region_write(&rt, f, rs, &d, path, NULL, &err) ==
                  ERR_OK, "%s", err.msg);
    ck_assert_int_eq(sheet_region_pages(&rt, f, rs, &d, &pages, &err),
                     ERR_OK);
    store_region_data_free(&d);
    store_region_close(r);
    return pages;
}

START_TEST(sheet_content)
{
    const char *dir = unit_tmpdir();
    struct store *s = fixture(dir, NULL);
    struct font *f = open_font();
    struct roles rs = load_roles();

    ck_assert_int_eq(sheet_region_check_template(&rt, f, &err), ERR_OK);
    ck_assert_int_eq(render(dir, s, "EAST-ZJ", f, &rs), 2);
    ck_assert_int_eq(unit_sh("pdftotext -layout %s/EAST-ZJ.pdf %s/z.txt "
                             "2>%s/z.err && test ! -s %s/z.err", dir, dir,
                             dir, dir), 0);
#define HAS(text) ck_assert_msg(unit_sh("grep -q -- '%s' %s/z.txt", text, \
                                        dir) == 0, "no '%s'", text)
    HAS("客情关系月度考核汇总表");
    HAS("王建国（省经理）");
    HAS("6人（已评分6人）");
    HAS("81.78");
    HAS("85.00");
    HAS("↑ 1.78分");
    HAS("省经理 1人");
    HAS("业代 5人");
    HAS("2人 33.3%");
    HAS("注意：优秀2人，占33.3%，超过强制分布比例20.0%（最多1人），请复核");
    /* indicators: target, actual, rate, gap, change; the weakest marked */
    ck_assert_int_eq(unit_sh("grep -Eq '★A1 VIP客户客情关系卡建档率 +94.0%% +"
                             "8/10 +80.0%% +-14.0 +↑ 10.0' %s/z.txt", dir),
                     0);
    ck_assert_int_eq(unit_sh("grep -Eq '★B1 拜访频次达标率 +100.0%% +5/10 +"
                             "50.0%% +-50.0 +↓ 10.0' %s/z.txt", dir), 0);
    ck_assert_int_eq(unit_sh("grep -Eq '^ *A2 双向叫名率 +90.0%% +9/10 +90.0%% +"
                             "0.0 +—' %s/z.txt", dir), 0);
    HAS("达成率低于目标最多的2项已标出");
    /* ranking rows: rank, name, id, role, region, own, team, total, grade */
    ck_assert_int_eq(unit_sh("grep -Eq '^ *3 +周强 +Z4 +业代 +浙江省区 +85.00"
                             " +— +85.00 +良好' %s/z.txt", dir), 0);
    ck_assert_int_eq(unit_sh("grep -Eq '^ *5 +王建国 +M1 +省经理 +浙江省区 +"
                             "70.00 +83.67 +78.20 +合格' %s/z.txt", dir), 0);
    HAS("吴敏（离职）");
    /* risks with customer, owner, since */
    ck_assert_int_eq(unit_sh("grep -Eq 'C2 宁波海王星辰 +交接未建卡 +赵磊 +"
                             "2026-09-20 +由李娜交接，2/2名关键联系人未建卡' "
                             "%s/z.txt", dir), 0);
    ck_assert_int_eq(unit_sh("grep -Eq 'C1 杭州百姓大药房 +单线联系 +李娜 +"
                             "2026-09 +仅1/3名关键联系人通过叫名抽查' %s/z.txt",
                             dir), 0);
    HAS("区域经理签字：");
    HAS("人力资源部：");
    HAS("第 *2 *页 */ *共 *2 *页");
#undef HAS
    roles_free(&rs);
    font_close(f);
    store_close(s);
}
END_TEST

START_TEST(sheet_quota_ok_and_no_history)
{
    const char *dir = unit_tmpdir();
    struct store *s = fixture(dir,
        "UPDATE score_region_grade SET people = 1 WHERE region = 'EAST-ZJ'"
        " AND grade = '优秀';");
    struct font *f = open_font();
    struct roles rs = load_roles();

    /* 1 of 6 = 16.7% is within 20%; EAST-JS has no history, no risks of
     * its own kind handover */
    render(dir, s, "EAST-ZJ", f, &rs);
    ck_assert_int_eq(unit_sh("pdftotext -layout %s/EAST-ZJ.pdf - | grep -q "
                             "'优秀1人，占16.7%%，未超过强制分布比例20.0%%'",
                             dir), 0);
    ck_assert_int_eq(unit_sh("pdftotext -layout %s/EAST-ZJ.pdf - | grep -q "
                             "'注意'", dir), 1);
    render(dir, s, "EAST-JS", f, &rs);
    ck_assert_int_eq(unit_sh("pdftotext -layout %s/EAST-JS.pdf %s/j.txt",
                             dir, dir), 0);
    ck_assert_int_eq(unit_sh("grep -q '无上月数据' %s/j.txt", dir), 0);
    ck_assert_int_eq(unit_sh("grep -q '仅本月有数据' %s/j.txt", dir), 0);
    ck_assert_int_eq(unit_sh("grep -Eq '— +郑芳 +J2 +业代 +江苏省区 +— +— +"
                             "未评分 +—' %s/j.txt", dir), 0);
    ck_assert_int_eq(unit_sh("grep -q '交接后关键联系人未建卡0家，单线联系的"
                             "VIP客户1家' %s/j.txt", dir), 0);
    roles_free(&rs);
    font_close(f);
    store_close(s);
}
END_TEST

START_TEST(sheet_long_ranking)
{
    const char *dir = unit_tmpdir();
    struct buf sql;
    struct store *s;
    struct font *f = open_font();
    struct roles rs = load_roles();
    int pages;

    /* 150 more people in EAST-JS: the ranking runs over pages 2..5 with
     * its header row on each */
    buf_init(&sql, 1 << 20);
    for (int i = 0; i < 150; i++)
        ck_assert_int_eq(buf_printf(&sql, "INSERT INTO score_total VALUES "
                                    "('2026-10', 'X%03d', '员工%03d', "
                                    "'sales_rep', '业代', 'EAST-JS', 'J1', "
                                    "'active', %d, NULL, %d, '合格', 1);", i,
                                    i, 70 + i % 20, 70 + i % 20), 0);
    /* and their places in the stored ranking, as score would store them */
    ck_assert_int_eq(buf_puts(&sql, "DELETE FROM score_region_rank WHERE "
                              "region = 'EAST-JS';"
                              "INSERT INTO score_region_rank SELECT period,"
                              " 'EAST-JS', person, RANK() OVER (ORDER BY"
                              " total DESC) FROM score_total WHERE period ="
                              " '2026-10' AND region = 'EAST-JS' AND total"
                              " IS NOT NULL;"), 0);
    s = fixture(dir, sql.p);
    buf_free(&sql);
    pages = render(dir, s, "EAST-JS", f, &rs);
    ck_assert_int_eq(pages, 5);
    ck_assert_int_eq(unit_sh("test \"$(pdfinfo %s/EAST-JS.pdf | awk "
                             "'/^Pages:/ {print $2}')\" = 5", dir), 0);
    for (int p = 2; p <= 5; p++) {
        ck_assert_int_eq(unit_sh("pdftotext -f %d -l %d -layout "
                                 "%s/EAST-JS.pdf - | grep -Eq '排名 +姓名 +"
                                 "工号 +岗位 +所属区域 +个人得分 +团队得分 +总分"
                                 " +等级'", p, p, dir), 0);
        ck_assert_int_eq(unit_sh("pdftotext -f %d -l %d -layout "
                                 "%s/EAST-JS.pdf - | grep -q '第 *%d *页 */ *共 *5 "
                                 "*页'", p, p, dir, p), 0);
    }
    /* the 152 rows are all there, the last (unranked J2) on page 5 */
    ck_assert_int_eq(unit_sh("test $(pdftotext -layout %s/EAST-JS.pdf - | "
                             "grep -Ec ' 员工[0-9]{3} +X[0-9]{3} ') = 150",
                             dir), 0);
    ck_assert_int_eq(unit_sh("pdftotext -f 5 -l 5 -layout %s/EAST-JS.pdf - "
                             "| grep -q '郑芳'", dir), 0);
    roles_free(&rs);
    font_close(f);
    store_close(s);
}
END_TEST

/* Whatever the ranking's length, the last page holds more than the
 * sign-off: the end of the last section travels with it (issue 10).  The
 * ranking grows row by row, so the sign-off's place sweeps a whole page
 * end. */
START_TEST(sheet_never_ends_with_signoff_alone)
{
    const char *dir = unit_tmpdir();
    struct font *f = open_font();
    struct roles rs = load_roles();
    int alone = 0;

    for (int n = 24; n <= 48; n++) {
        struct buf sql;
        struct store *s;
        int pages;
        buf_init(&sql, 1 << 20);
        for (int i = 0; i < n; i++)
            ck_assert_int_eq(buf_printf(&sql, "INSERT INTO score_total VALUES "
                                        "('2026-10', 'X%03d', '员工%03d', "
                                        "'sales_rep', '业代', 'EAST-JS', 'J1', "
                                        "'active', 70, NULL, 70, '合格', 1);",
                                        i, i), 0);
        unit_sh("rm -f %s/k.db", dir);
        s = fixture(dir, sql.p);
        buf_free(&sql);
        pages = render(dir, s, "EAST-JS", f, &rs);
        /* the last page without the continuation header, the sign-off
         * and the footer: something must remain */
        alone += unit_sh("pdftotext -f %d -l %d -layout %s/EAST-JS.pdf - | "
                         "grep -v -e '（续）' -e '签字' -e '日期' -e '数据来源' "
                         "-e '^[[:space:]]*$' | grep -q .", pages, pages,
                         dir) != 0;
        store_close(s);
    }
    ck_assert_int_eq(alone, 0);
    roles_free(&rs);
    font_close(f);
}
END_TEST

START_TEST(sheet_deterministic)
{
    const char *dir = unit_tmpdir();
    struct store *s = fixture(dir, NULL);
    struct font *f = open_font();
    struct roles rs = load_roles();

    render(dir, s, "CN", f, &rs);
    ck_assert_int_eq(unit_sh("cp %s/CN.pdf %s/CN1.pdf", dir, dir), 0);
    render(dir, s, "CN", f, &rs);
    ck_assert_int_eq(unit_sh("cmp -s %s/CN.pdf %s/CN1.pdf", dir, dir), 0);
    ck_assert_int_eq(unit_sh("qpdf --check %s/CN.pdf >/dev/null", dir), 0);
    ck_assert_int_eq(unit_sh("pdftotext %s/CN.pdf - | grep -q '未指定'", dir),
                     0);
    roles_free(&rs);
    font_close(f);
    store_close(s);
}
END_TEST

/* A member's character no font has does not take the summary down: it
 * prints as the placeholder, its text layer the real name. */
START_TEST(sheet_draws_missing_glyph_as_placeholder)
{
    const char *dir = unit_tmpdir();
    struct store *s = fixture(dir, "UPDATE score_total SET name = '雪人𐤀'"
                                   " WHERE person = 'Z3';");
    struct font *f = open_font();
    struct roles rs = load_roles();
    struct store_region *r = open_reader(s);
    struct region_data d;
    struct pdf *pdf = (struct pdf *)1;

    ck_assert_int_eq(store_region_read(r, index_of(r, "EAST-ZJ"), 40, &d,
                                       &err), ERR_OK);
    d.company = "";
    d.source = "";
    ck_assert_msg(sheet_region_build(&rt, f, &rs, &d, NULL, &pdf, &err) ==
                  ERR_OK, "%s", err.msg);
    ck_assert_uint_ge(pdf_missing_count(pdf), 1);
    pdf_free(pdf);
    store_region_data_free(&d);
    store_region_close(r);
    roles_free(&rs);
    font_close(f);
    store_close(s);
}
END_TEST

Suite *suite_region(void)
{
    Suite *s = suite_create("region");
    TCase *t = tcase_create("template");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, template_loads);
    tcase_add_test(t, template_refusals);
    suite_add_tcase(s, t);
    t = tcase_create("store");
    tcase_add_test(t, tree_order);
    tcase_add_test(t, leaf_figures);
    tcase_add_test(t, upper_figures);
    tcase_add_test(t, results_of_an_earlier_keqing);
    tcase_add_test(t, unscored_period);
    suite_add_tcase(s, t);
    t = tcase_create("layout");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, sheet_content);
    tcase_add_test(t, sheet_quota_ok_and_no_history);
    tcase_add_test(t, sheet_long_ranking);
    tcase_add_test(t, sheet_deterministic);
    tcase_add_test(t, sheet_never_ends_with_signoff_alone);
    tcase_add_test(t, sheet_draws_missing_glyph_as_placeholder);
    suite_add_tcase(s, t);
    return s;
}
