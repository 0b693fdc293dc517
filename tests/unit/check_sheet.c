/* check_sheet -- the person sheet: its template (tmpl_sheet.c), number
 * and unit formats, the automatic comment (sheet_comment.c), reading the stored
 * results (store_sheet.c) and the layout (sheet_person.c): no text wider
 * than its cell, refusals naming the person and the character, two pages
 * when needed, byte-identical output.
 *
 * Needs fonts-wqy-zenhei (the layout tests), poppler-utils for pdftotext.
 */
#include "unit.h"

#include "buf.h"
#include "sheet_comment.h"
#include "date.h"
#include "period.h"
#include "err.h"
#include "font.h"
#include "fsx.h"
#include "mem.h"
#include "pdf.h"
#include "sheet_data.h"
#include "sheet_person.h"
#include "store.h"
#include "store_sheet.h"
#include "text.h"
#include "tmpl_sheet.h"
#include "tmpl_workbook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZENHEI "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

static struct err err;
static struct tmpl tmpl;
static char *tmpl_xml;      /* the shipped template's text */
static size_t tmpl_len;

static void setup(void)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/templates", unit_srcdir());
    ck_assert_msg(tmpl_load_person(path, &tmpl, &err) == ERR_OK, "%s",
                  err.msg);
    snprintf(path, sizeof path, "%s/templates/sheet/person.xml",
             unit_srcdir());
    ck_assert_int_eq(fsx_read_file(path, 1 << 20, &tmpl_xml, &tmpl_len, &err),
                     ERR_OK);
}

static void teardown(void)
{
    tmpl_free(&tmpl);
    mem_free(tmpl_xml);
    tmpl_xml = NULL;
}

/* ---- template ------------------------------------------------------------- */

START_TEST(template_loads)
{
    ck_assert_str_eq(tmpl.text[TMPL_TITLE], "客情关系月度考核表");
    ck_assert_str_eq(tmpl.group[0], "一、个人关系密切程度");
    ck_assert_str_eq(tmpl.group[2], "三、信息工作");
    ck_assert_str_eq(tmpl.unit[ROLES_C1], "家");
    ck_assert_str_eq(tmpl.unit[ROLES_A2], "次");
    ck_assert_str_eq(tmpl.text[TMPL_SIGN_ASSESSOR], "考核人签字：");
    ck_assert_str_eq(tmpl.company, "");
    ck_assert_int_eq(tmpl.appeal_days, 7);
    ck_assert_str_eq(tmpl.appeal_to, "人力资源部");
    ck_assert_uint_eq(tmpl.color[TMPL_COL_HEADER], 0x1F3864);
    ck_assert_uint_eq(tmpl.color[TMPL_COL_TOTAL], 0xFCE4D6);
    ck_assert_str_eq(tmpl_key_name(TMPL_C_NA_COUNT), "c_na_count");
}
END_TEST

/* Parse the shipped template with `from` replaced by `to` (first one). */
static int parse_edited(const char *from, const char *to, struct tmpl *t)
{
    struct buf b;
    const char *at = strstr(tmpl_xml, from);
    int rc;
    ck_assert_ptr_nonnull(at);
    buf_init(&b, 1 << 20);
    ck_assert_int_eq(buf_append(&b, tmpl_xml, (size_t)(at - tmpl_xml)), 0);
    ck_assert_int_eq(buf_puts(&b, to), 0);
    ck_assert_int_eq(buf_puts(&b, at + strlen(from)), 0);
    rc = tmpl_parse(b.p, b.len, "t/person.xml", NULL, t, &err);
    buf_free(&b);
    return rc;
}

/* The line of the first occurrence of s in the shipped template. */
static int line_of(const char *s)
{
    const char *at = strstr(tmpl_xml, s);
    int line = 1;
    for (const char *p = tmpl_xml; p < at; p++)
        line += *p == '\n';
    return line;
}

START_TEST(template_refusals)
{
    struct tmpl t;
    char want[300];

    ck_assert_int_eq(parse_edited("<text key=\"title\">客情关系月度考核表</text>",
                                  "", &t), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "sheet template: text key 'title' "
                                 "missing"));
    ck_assert_int_eq(parse_edited("{no}", "{number}", &t), ERR_DATA);
    snprintf(want, sizeof want, "t/person.xml:%d: sheet template: doc_no: "
             "unknown placeholder '{number}' (allowed: no)",
             line_of("文档编号"));
    ck_assert_str_eq(err.msg, want);
    ck_assert_int_eq(parse_edited("1F3864", "1F386G", &t), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "colour 'header': '1F386G' is not "
                                 "six hex digits"));
    ck_assert_int_eq(parse_edited("key=\"label_id\"", "key=\"label_name\"", &t),
                     ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "text 'label_name' given twice"));
    ck_assert_int_eq(parse_edited("days=\"7\"", "days=\"0\"", &t), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "appeal: days must be"));
    ck_assert_int_eq(parse_edited("<unit indicator=\"B1\">客户周</unit>", "",
                                  &t), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "unit of B1 missing"));
    ck_assert_int_eq(parse_edited("<sheet ", "<!DOCTYPE sheet [<!ENTITY x "
                                  "\"y\">]>\n<sheet ", &t), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "a DOCTYPE is not allowed"));
    ck_assert_int_eq(parse_edited("</sheet>", "<oops/></sheet>", &t),
                     ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "unexpected element <oops>"));
    ck_assert_int_eq(tmpl_parse("<sheet", 6, "x.xml", NULL, &t, &err),
                     ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "x.xml:1: sheet template:"));
    ck_assert_ptr_null(t.file); /* zeroed on failure */
}
END_TEST

START_TEST(template_validates_against_xsd)
{
    char xsd[1024];
    struct tmpl t;
    snprintf(xsd, sizeof xsd, "%s/templates/schema/sheet.xsd", unit_srcdir());
    ck_assert_int_eq(tmpl_parse(tmpl_xml, tmpl_len, "p.xml", xsd, &t, &err),
                     ERR_OK);
    tmpl_free(&t);
}
END_TEST

START_TEST(format_placeholders)
{
    static const char *const n[] = {"a", "bb"};
    static const char *const v[] = {"甲", "2"};
    struct buf b;
    buf_init(&b, 100);
    ck_assert_int_eq(tmpl_format(&b, "{a}x{{a}}{bb}}}", n, v, 2, &err), 0);
    ck_assert_str_eq(buf_str(&b), "甲x{a}2}");
    buf_reset(&b);
    ck_assert_int_eq(tmpl_format(&b, "x{c}", n, v, 2, &err), ERR_DATA);
    buf_free(&b);
}
END_TEST

/* ---- formats -------------------------------------------------------------- */

/* A chart's value label: above its point, below when a gridline crosses
 * the box above, further away when both do; always inside the chart. */
START_TEST(chart_labels_avoid_gridlines)
{
    const double none[1] = {0};
    const double at_above[1] = {95};       /* crosses [87, 96] */
    const double both[2] = {95, 108};      /* above and below (104..113) */
    const double three[3] = {95, 106, 90}; /* every box but the last */

    ck_assert(sheet_label_y(100, 9, none, 0, 20, 200) == 87);
    ck_assert(sheet_label_y(100, 9, at_above, 1, 20, 200) == 104);
    ck_assert(sheet_label_y(100, 9, both, 2, 20, 200) == 83);
    ck_assert(sheet_label_y(100, 9, three, 3, 20, 200) == 108);
    /* near the chart's top the label goes below the point */
    ck_assert(sheet_label_y(30, 9, none, 0, 25, 200) == 34);
    /* nothing fits: above the point */
    ck_assert(sheet_label_y(30, 9, none, 0, 29, 35) == 17);
}
END_TEST

START_TEST(number_and_unit_formats)
{
    char s[32], a[64];
    struct sheet_ind in = {0};

    sheet_fmt_num(12, s);
    ck_assert_str_eq(s, "12");
    sheet_fmt_num(7.5, s);
    ck_assert_str_eq(s, "7.5");
    sheet_fmt_num(2.0 / 3.0, s);
    ck_assert_str_eq(s, "0.67");
    sheet_fmt_num(-0.001, s);
    ck_assert_str_eq(s, "0");
    sheet_fmt_pct(12.0 / 13.0, 1, 0, s);
    ck_assert_str_eq(s, "92.3%");
    sheet_fmt_pct(1, 1, 0, s);
    ck_assert_str_eq(s, "100.0%");
    sheet_fmt_pct(0.9, 1, 1, s);
    ck_assert_str_eq(s, "90%");
    sheet_fmt_pct(0.855, 2, 1, s);
    ck_assert_str_eq(s, "85.5%");
    in.num = 12;
    in.den = 15;
    sheet_fmt_actual(&in, "家", a, sizeof a);
    ck_assert_str_eq(a, "12/15家");
    in.num = 7.5;
    in.den = 10;
    sheet_fmt_actual(&in, "客户周", a, sizeof a);
    ck_assert_str_eq(a, "7.5/10客户周");
    in.num = 8;
    in.den = 8;
    sheet_fmt_actual(&in, "", a, sizeof a);
    ck_assert_str_eq(a, "8/8");
}
END_TEST

START_TEST(document_number)
{
    struct sheet_data d;
    char no[32];
    memset(&d, 0, sizeof d);
    snprintf(d.period, sizeof d.period, "2026-10");
    d.seq = 17;
    sheet_doc_number(&d, no);
    ck_assert_str_eq(no, "KQ-202610-000017");
}
END_TEST

/* ---- comment -------------------------------------------------------------- */

/* Add an indicator: weight, target, rate (< 0: N/A), previous rate (< 0:
 * none); score = weight x min(rate / target, 1). */
static void add_ind(struct sheet_data *d, int ind, double w, double target,
                    double rate, double prev)
{
    struct sheet_ind *in = &d->ind[d->nind++];
    memset(in, 0, sizeof *in);
    in->ind = ind;
    in->weight = w;
    in->target = target;
    if (rate >= 0) {
        in->applicable = 1;
        in->rate = rate;
        in->num = rate * 20;
        in->den = 20;
        in->score = w * (rate / target < 1 ? rate / target : 1);
    }
    if (prev >= 0) {
        in->has_prev = 1;
        in->prev_rate = prev;
    }
}

/* A comment-test person: A1 full, A2 half, B1 N/A, C6 80% (was 50%). */
static void comment_person(struct sheet_data *d)
{
    memset(d, 0, sizeof *d);
    add_ind(d, ROLES_A1, 10, 1, 1.0, -1);
    add_ind(d, ROLES_A2, 10, 0.9, 0.45, -1);
    add_ind(d, ROLES_B1, 15, 1, -1, -1);
    add_ind(d, ROLES_C6, 5, 1, 0.8, 0.5);
    d->has_own = d->has_total = 1;
    d->own = d->total = 76.0;          /* 100 x 19 / 25 */
    d->has_prev_total = 1;
    d->prev_total = 72.4049;
}

/* Width of text in code points (each 1), for hand-counted fitting. */
static double count_cps(void *ctx, const char *s, size_t len)
{
    size_t i = 0, n = 0, k;
    uint32_t cp;
    (void)ctx;
    while (i < len && (k = text_utf8_decode(s + i, len - i, &cp))) {
        i += k;
        n++;
    }
    return (double)n;
}

static const char *comment_of(const struct sheet_data *d, double w,
                              size_t lines, struct buf *b)
{
    buf_reset(b);
    ck_assert_msg(sheet_comment_write(d, &tmpl, w, lines, count_cps, NULL, b,
                                      &err) == ERR_OK, "%s", err.msg);
    return buf_str(b);
}

START_TEST(comment_hand_computed)
{
    struct sheet_data d;
    struct buf b;

    comment_person(&d);
    buf_init(&b, 8192);
    /* factor 100 / 25 = 4: A1 shows 40 of 40; A2 ratio 0.5 < C6 0.8;
     * total 76.00 - 72.40 = 3.60; C6 50.0% -> 80.0% = +30.0 points */
    ck_assert_str_eq(comment_of(&d, 1000, 0, &b),
        "本月总分76.00分，较上月提高3.60分；"
        "得分率最高的是VIP客户客情关系卡建档率，为100.0%（得40.00分，满分40.00分）；"
        "得分率最低的是双向叫名率，为45.0%（目标90.0%），需重点改进；"
        "重大节日及生日问候完成率由50.0%升至80.0%，提高30.0个百分点；"
        "拜访频次达标率本期不适用，权重已按比例分配。");
    ck_assert_int_eq(sheet_comment_pick(&d, 1), 0);
    ck_assert_int_eq(sheet_comment_pick(&d, 0), 1);
    ck_assert_int_eq(sheet_comment_pick_change(&d), 3);
    /* one line of 30: the first sentence and 。 (22 characters) fit, and
     * no other sentence fits after it */
    ck_assert_str_eq(comment_of(&d, 30, 1, &b),
                     "本月总分76.00分，较上月提高3.60分。");
    /* lower, equal (at 2 decimals), first month, no total */
    d.prev_total = 76.004;
    ck_assert_ptr_nonnull(strstr(comment_of(&d, 1000, 0, &b),
                                 "本月总分76.00分，与上月持平；"));
    d.prev_total = 80;
    ck_assert_ptr_nonnull(strstr(comment_of(&d, 1000, 0, &b),
                                 "本月总分76.00分，较上月下降4.00分；"));
    d.has_prev_total = 0;
    ck_assert_ptr_nonnull(strstr(comment_of(&d, 1000, 0, &b),
                                 "本月总分76.00分，暂无上月记录可比；"));
    d.has_total = d.has_own = 0;
    ck_assert_str_eq(comment_of(&d, 1000, 0, &b),
                     "本期没有适用的指标，未计算总分。");
    buf_free(&b);
}
END_TEST

START_TEST(comment_ties_all_met_and_short_na)
{
    struct sheet_data d;
    struct buf b;
    const char *c;

    memset(&d, 0, sizeof d);
    buf_init(&b, 8192);
    /* equal ratios 0.5: the larger weight is the weakest */
    add_ind(&d, ROLES_A2, 5, 1, 0.5, -1);
    add_ind(&d, ROLES_B1, 15, 1, 0.5, -1);
    add_ind(&d, ROLES_C1, 10, 1, 1.0, -1);
    ck_assert_int_eq(sheet_comment_pick(&d, 0), 1);
    ck_assert_int_eq(sheet_comment_pick(&d, 1), 2);
    /* every target met: no "best", one "all met" */
    memset(&d, 0, sizeof d);
    add_ind(&d, ROLES_A1, 50, 1, 1.0, 0.996);   /* 99.6% -> 100.0%: 0.4 pt */
    add_ind(&d, ROLES_A2, 50, 0.9, 0.95, -1);
    d.has_total = 1;
    d.total = 100;
    c = comment_of(&d, 1000, 0, &b);
    ck_assert_str_eq(c, "本月总分100.00分，暂无上月记录可比；"
                        "各项适用指标均已达到目标。");
    /* six N/A names do not fit two lines of 40 beside the rest: the
     * count is given instead */
    memset(&d, 0, sizeof d);
    add_ind(&d, ROLES_A1, 50, 1, 1.0, -1);
    for (int i = ROLES_A3; i <= ROLES_B2; i++)
        add_ind(&d, i, 10, 1, -1, -1);
    d.has_total = 1;
    d.total = 100;
    c = comment_of(&d, 40, 2, &b);
    ck_assert_str_eq(c, "本月总分100.00分，暂无上月记录可比；"
                        "各项适用指标均已达到目标；"
                        "另有6项指标本期不适用，权重已按比例分配。");
    buf_free(&b);
}
END_TEST

/* ---- store ---------------------------------------------------------------- */

static const char store_rows[] =
    "INSERT INTO import(id,file,sha256,bytes,company,period,started) VALUES"
    " (1,'a.xml','aaaaaaaa11','1','旧公司','2026-09','x'),"
    " (2,'b.xml','bbbbbbbb22','1','新公司','2026-10','x'),"
    " (3,'c.xml','cccccccc33','1',NULL,'2026-10','x');"
    "INSERT INTO region VALUES ('R','华东',NULL,1,1);"
    "INSERT INTO person VALUES ('M','经理甲','province_manager','R',"
    " '2020-01-01',NULL,NULL,1,1),"
    " ('P','业代乙','sales_rep','R','2026-10-05','M','2026-10-20',1,2),"
    " ('Q','业代丙','sales_rep','R','2020-01-01','M',NULL,1,3);"
    "INSERT INTO score_run VALUES ('2026-04',3,3,0,1),('2026-08',3,3,0,1),"
    " ('2026-09',3,3,0,1),('2026-10',3,3,0,1),('2026-11',3,3,0,1),"
    " ('2026-03',1,1,0,1),('2026-02',1,1,0,1);"
    "INSERT INTO score_total VALUES"
    " ('2026-10','M','经理甲','province_manager','省经理','R',NULL,"
    "  'active',NULL,70,70,'合格',2),"
    " ('2026-10','P','业代乙','sales_rep','业代','R','M','left',80,NULL,80,"
    "  '良好',1),"
    " ('2026-10','Q','业代丙','sales_rep','业代','R','M','active',NULL,NULL,"
    "  NULL,NULL,NULL),"
    " ('2026-09','P','业代乙','sales_rep','业代','R','M','active',60,NULL,60,"
    "  '待改进',1),"
    " ('2026-04','P','业代乙','sales_rep','业代','R','M','active',NULL,NULL,"
    "  NULL,NULL,NULL),"
    " ('2026-03','P','业代乙','sales_rep','业代','R','M','active',50,NULL,50,"
    "  '不合格',1),"
    " ('2026-11','P','业代乙','sales_rep','业代','R','M','active',99,NULL,99,"
    "  '优秀',1);"
    "INSERT INTO score_indicator VALUES"
    " ('2026-10','P','A2',3,4,0.75,0.9,0,50,41.6666666666667,1),"
    " ('2026-10','P','A1',0,0,NULL,1,0,50,NULL,0),"
    " ('2026-09','P','A2',1,4,0.25,0.9,0,50,13.8888888888889,1),"
    " ('2026-09','P','A1',1,2,0.5,1,0,50,25,1);";

START_TEST(store_reads_a_person)
{
    char path[600];
    struct store *s;
    struct store_sheet *r;
    struct sheet_data d;
    struct period per;

    snprintf(path, sizeof path, "%s/k.db", unit_tmpdir());
    ck_assert_int_eq(store_open(path, 0, &s, &err), ERR_OK);
    ck_assert_msg(store_exec(s, store_rows, &err) == ERR_OK, "%s", err.msg);
    period_parse("2026-10", &per);
    ck_assert_msg(store_sheet_open(s, &per, &r, &err) == ERR_OK, "%s",
                  err.msg);
    ck_assert_uint_eq(store_sheet_count(r), 3);
    ck_assert_str_eq(store_sheet_person(r, 0), "M");
    /* the company of the period's newest export naming one (c.xml names
     * none), the provenance of its newest export (the state of the data,
     * doc/archive.md) */
    ck_assert_str_eq(store_sheet_company(r), "新公司");
    ck_assert_str_eq(store_sheet_source(r), "cccccccc");
    ck_assert_int_eq(store_sheet_read(r, 1, &d, &err), ERR_OK);
    ck_assert_str_eq(d.person_id, "P");
    ck_assert_str_eq(d.name, "业代乙");
    ck_assert_str_eq(d.role_label, "业代");
    ck_assert_str_eq(d.region_name, "华东");   /* no score_region row */
    ck_assert_str_eq(d.manager_name, "经理甲");
    ck_assert_str_eq(d.grade, "良好");
    ck_assert_int_eq(d.left, 1);
    ck_assert_int_eq(d.hired, date_from_ymd(2026, 10, 5));
    ck_assert_int_eq(d.left_on, date_from_ymd(2026, 10, 20));
    ck_assert_int_eq(d.seq, 2);
    ck_assert_int_eq(d.count, 3);
    ck_assert_int_eq(d.rank, 1);
    ck_assert(d.has_own && !d.has_team && d.has_total && d.total == 80);
    /* indicators in A1..C6 order; previous rate only where it applied */
    ck_assert_int_eq(d.nind, 2);
    ck_assert_int_eq(d.ind[0].ind, ROLES_A1);
    ck_assert_int_eq(d.ind[0].applicable, 0);
    ck_assert_int_eq(d.ind[0].has_prev, 1);
    ck_assert(d.ind[0].prev_rate == 0.5);
    ck_assert_int_eq(d.ind[1].applicable, 1);
    ck_assert(d.ind[1].rate == 0.75 && d.ind[1].weight == 50);
    ck_assert(d.ind[1].prev_rate == 0.25);
    /* trend: the six stored periods up to 2026-10 are 03 04 08 09 10 and
     * 02; P is stored in 03 04 09 10 (04 without a total); 11 is later */
    ck_assert_int_eq(d.ntrend, 4);
    ck_assert_str_eq(d.trend[0].period, "2026-03");
    ck_assert_int_eq(d.trend[1].has_total, 0);
    ck_assert_str_eq(d.trend[3].period, "2026-10");
    ck_assert(d.has_prev_total && d.prev_total == 60);
    sheet_data_free(&d);
    /* the manager: two reports, one with a total */
    ck_assert_int_eq(store_sheet_read(r, 0, &d, &err), ERR_OK);
    ck_assert_int_eq(d.team_members, 1);
    ck_assert_str_eq(d.manager_name, "");
    sheet_data_free(&d);
    store_sheet_close(r);
    /* a period without results */
    period_parse("2026-07", &per);
    ck_assert_int_eq(store_sheet_open(s, &per, &r, &err), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "period 2026-07 has no stored "
                                 "results"));
    store_close(s);
}
END_TEST

/* ---- layout --------------------------------------------------------------- */

static struct font *font;

static void font_setup(void)
{
    setup();
    ck_assert_msg(font_open(&font, ZENHEI, NULL, &err) == ERR_OK, "%s",
                  err.msg);
}

static void font_teardown(void)
{
    font_close(font);
    font = NULL;
    teardown();
}

/* A sales rep with all sixteen indicators (two N/A), direct reports, who
 * left during the period: the fullest sheet there is. */
static void full_person(struct sheet_data *d, const char *name)
{
    static const double rates[ROLES_NIND] = {
        0.5, 1, 0.75, -1, 0.9, 0.6, 0.425, 0.6, 0.25, 0.083,
        0.5, -1, 0.375, 0.625, 0, 0.375};
    static const double w[ROLES_NIND] = {8, 8, 6, 4, 6, 6, 10, 8, 6, 6,
                                         6, 6, 4, 4, 4, 8};
    memset(d, 0, sizeof *d);
    for (int i = 0; i < ROLES_NIND; i++)
        add_ind(d, i, w[i], roles_ind_default_target[i], rates[i],
                i % 3 ? 0.5 : -1);
    d->person_id = mem_strdup("E00042");
    d->name = mem_strdup(name);
    d->role = mem_strdup("sales_rep");
    d->role_label = mem_strdup("业代");
    d->region_id = mem_strdup("R1");
    d->region_name = mem_strdup("鄢陵片区㈠≦≧");
    d->manager_id = mem_strdup("M01");
    d->manager_name = mem_strdup("仉督㊀");
    d->grade = mem_strdup("不合格");
    d->company = mem_strdup("≦≧㊀亓氏医药有限公司");
    snprintf(d->source, sizeof d->source, "ebea9582");
    snprintf(d->period, sizeof d->period, "2026-10");
    d->period_start = date_from_ymd(2026, 10, 1);
    d->period_end = date_from_ymd(2026, 10, 31);
    d->hired = date_from_ymd(2020, 1, 1);
    d->left_on = date_from_ymd(2026, 10, 9);
    d->left = 1;
    d->has_own = d->has_team = d->has_total = 1;
    d->own = 40.2;
    d->team = 71.5;
    d->team_weight = 0.5;   /* the team counts: own and team rows */
    d->total = 55.85;
    d->team_members = 3;
    d->rank = 15;
    d->seq = 42;
    d->count = 60;
    d->has_prev_total = 1;
    d->prev_total = 45.39;
    for (int i = 0; i < 6; i++) {
        snprintf(d->trend[i].period, 8, "2026-%02d", 5 + i);
        d->trend[i].has_total = i != 2;
        d->trend[i].total = 40 + 3 * i;
    }
    d->ntrend = 6;
}

START_TEST(layout_fits_every_cell)
{
    static const char *const names[] = {
        "亓官㈠",
        "欧阳司马上官诸葛东方皇甫尉迟公羊澹台公冶宗政濮阳淳于单于太叔申屠公孙"
        "仲孙轩辕令狐钟离宇文长孙慕容鲜于闾丘司徒司空亓官司寇",
        "Alexandria Konstantinopoulou-Vanderbilt-Montgomery the Third",
        "≦≧㊀㈠①②③"};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        struct sheet_data d;
        struct sheet_stats st;
        struct pdf *p;
        full_person(&d, names[k]);
        ck_assert_msg(sheet_person_build(&tmpl, font, &d, &p, &st, &err) ==
                      ERR_OK, "%s", err.msg);
        ck_assert_msg(st.worst_overflow <= 0.001, "name %zu: a text is %.3f "
                      "pt wider than its cell", k, st.worst_overflow);
        ck_assert_int_gt(st.texts, 150);
        ck_assert(st.min_size >= 4.5);
        /* only the two 60-character names, in the 10 pt high cell under
         * the signature line */
        ck_assert_int_eq(st.cut, (k == 1 || k == 2));
        if (k == 1)
            ck_assert_int_ge(st.wrapped, 1);
        /* 16 rows, own/team rows, a leaver row and the N/A note push the
         * sign-off to a second page */
        ck_assert_int_eq(st.pages, 2);
        ck_assert_uint_eq(pdf_page_count(p), 2);
        pdf_free(p);
        sheet_data_free(&d);
    }
}
END_TEST

START_TEST(layout_one_page_and_text_back)
{
    struct sheet_data d;
    struct sheet_stats st;
    struct pdf *p;
    char dir[512], path[600];

    full_person(&d, "亓官㈠");
    d.left = 0;
    d.has_team = 0;
    d.team_members = 0;
    d.team_weight = 0;      /* no own/team rows: the total is own */
    d.total = d.own;
    ck_assert_int_eq(sheet_person_build(&tmpl, font, &d, &p, &st, &err), 0);
    ck_assert_int_eq(st.pages, 1);
    pdf_free(p);
    snprintf(dir, sizeof dir, "%s", unit_tmpdir());
    snprintf(path, sizeof path, "%s/s.pdf", dir);
    ck_assert_msg(sheet_person_write(&tmpl, font, &d, path, NULL, &err) == 0,
                  "%s", err.msg);
    ck_assert_int_eq(unit_sh("pdftotext -layout %s %s/s.txt 2>%s/s.err", path,
                             dir, dir), 0);
    ck_assert_int_eq(unit_sh("test ! -s %s/s.err", dir), 0);
    ck_assert_int_eq(unit_sh("grep -q '亓官㈠' %s/s.txt && grep -q "
        "'E00042' %s/s.txt && grep -q '客情关系月度考核表' %s/s.txt && "
        "grep -q '考核等级：不合格' %s/s.txt && grep -q '40.20' %s/s.txt && "
        "grep -q 'KQ-202610-000042' %s/s.txt && grep -q '第 *1 *页 */ *共 *1 *页' "
        "%s/s.txt && grep -q '≦≧㊀亓氏医药有限公司' %s/s.txt", dir, dir, dir,
        dir, dir, dir, dir, dir), 0);
    /* A1: rate 0.5 of 20 contacts, in words */
    ck_assert_int_eq(unit_sh("grep -q '10/20人' %s/s.txt", dir), 0);
    ck_assert_int_eq(unit_sh("grep -q '不适用' %s/s.txt", dir), 0);
    sheet_data_free(&d);
}
END_TEST

/* Names that mix faces of the default chain - Micro Hei, HanaMinA,
 * HanaMinB - are measured, shrunk, wrapped and centred with each
 * character's face: no text passes its cell; pdftotext returns them. */
START_TEST(layout_mixes_faces)
{
    static const char *const names[] = {
        "王𡒄", "𠮷伟", "爱新觉罗𡒄𨱏𪜀𫝀𫠠𬺰", "阿依古丽·买买提𡒄",
        "𡒄𡒄𡒄𡒄𡒄𡒄𡒄𡒄𡒄𡒄𡒄𡒄𡒄𡒄𡒄𡒄𡒄𡒄𡒄𡒄𡒄𡒄𡒄𡒄𡒄𡒄𡒄𡒄𡒄𡒄"};
    struct font *chain;
    char path[600];

    ck_assert_int_eq(font_open_chain(&chain, NULL, NULL, &err), ERR_OK);
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        struct sheet_data d;
        struct sheet_stats st;
        struct pdf *p;
        full_person(&d, names[k]);
        ck_assert_msg(sheet_person_build(&tmpl, chain, &d, &p, &st, &err) ==
                      ERR_OK, "%s", err.msg);
        ck_assert_msg(st.worst_overflow <= 0.001, "name %zu: %.3f pt over",
                      k, st.worst_overflow);
        ck_assert_uint_eq(pdf_missing_count(p), 0);
        pdf_free(p);
        snprintf(path, sizeof path, "%s/x.pdf", unit_tmpdir());
        ck_assert_int_eq(sheet_person_write(&tmpl, chain, &d, path, NULL,
                                            &err), ERR_OK);
        if (k < 4)  /* the 30-character one is cut under the signature */
            ck_assert_int_eq(unit_sh("pdftotext %s - | grep -q '%s'", path,
                                     names[k]), 0);
        sheet_data_free(&d);
    }
    font_close(chain);
}
END_TEST

START_TEST(layout_is_deterministic)
{
    struct sheet_data d;
    struct pdf *a, *b;
    unsigned char *x, *y;
    size_t nx, ny;

    full_person(&d, "亓官㈠");
    ck_assert_int_eq(sheet_person_build(&tmpl, font, &d, &a, NULL, &err), 0);
    ck_assert_int_eq(sheet_person_build(&tmpl, font, &d, &b, NULL, &err), 0);
    ck_assert_int_eq(pdf_render(a, &x, &nx, &err), 0);
    ck_assert_int_eq(pdf_render(b, &y, &ny, &err), 0);
    ck_assert_uint_eq(nx, ny);
    ck_assert_mem_eq(x, y, nx);
    mem_free(x);
    mem_free(y);
    pdf_free(a);
    pdf_free(b);
    sheet_data_free(&d);
}
END_TEST

/* A character no font has: the sheet is drawn, the character as the
 * placeholder 〓, and its text layer still says the real name. */
START_TEST(layout_draws_missing_character_as_placeholder)
{
    struct sheet_data d;
    char path[600];

    full_person(&d, "雪人\xF0\x9F\x98\x80");    /* U+1F600, in no font */
    snprintf(path, sizeof path, "%s/m.pdf", unit_tmpdir());
    ck_assert_msg(sheet_person_write(&tmpl, font, &d, path, NULL, &err) ==
                  ERR_OK, "%s", err.msg);
    ck_assert_int_eq(unit_sh("pdftotext %s - | grep -q '雪人\xF0\x9F\x98\x80'",
                             path), 0);
    sheet_data_free(&d);
    ck_assert_int_eq(sheet_check_template(&tmpl, font, &err), ERR_OK);
}
END_TEST

START_TEST(layout_out_of_memory)
{
    struct sheet_data d;
    struct pdf *p;
    int rc;
    long n = 1;

    full_person(&d, "亓官㈠");
    do {
        mem_fail_after(n++);
        rc = sheet_person_build(&tmpl, font, &d, &p, NULL, &err);
        mem_fail_after(0);
        if (rc == ERR_OK)
            pdf_free(p);
        else
            ck_assert_msg(rc == ERR_NOMEM, "allocation %ld: %d %s", n - 1,
                          rc, err.msg);
    } while (rc != ERR_OK && n < 20000);
    ck_assert_int_eq(rc, ERR_OK);
    sheet_data_free(&d);
}
END_TEST

/* ---- the spreadsheet template (issue 15) ----------------------------------- */

/* Parse a workbook template whose root holds body; its status, and the
 * message in msg. */
static int wb_parse(const char *body, struct tmpl_workbook *t, char *msg,
                    size_t n)
{
    char doc[4096];
    struct err e;
    int rc;
    snprintf(doc, sizeof doc, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<sheet xmlns=\"urn:keqing:sheet:1\" kind=\"workbook\">\n%s\n"
             "</sheet>\n", body);
    err_clear(&e);
    rc = tmpl_workbook_parse(doc, strlen(doc), "wb.xml", NULL, t, &e);
    snprintf(msg, n, "%.400s", rc ? e.msg : "");
    return rc;
}

START_TEST(workbook_template)
{
    struct tmpl_workbook t;
    char msg[512], path[600];
    struct err e;
    int missing = -1;

    /* nothing given: every default */
    ck_assert_int_eq(wb_parse("", &t, msg, sizeof msg), ERR_OK);
    ck_assert_str_eq(t.text[TMPL_WB_SHEET_TOTALS], "汇总");
    ck_assert_str_eq(t.text[TMPL_WB_SHEET_SCORES], "指标明细");
    ck_assert_str_eq(t.text[TMPL_WB_COL_ID], "工号");
    ck_assert_uint_eq(t.color[TMPL_WBC_HEADER], 0x1F3864);
    ck_assert_int_eq(t.ngrade, 5);
    ck_assert_int_eq(tmpl_workbook_grade_color(&t, "优秀"), 0xC6EFCE);
    ck_assert_int_eq(tmpl_workbook_grade_color(&t, "不合格"), 0xFFC7CE);
    ck_assert_int_eq(tmpl_workbook_grade_color(&t, "S"), -1);
    ck_assert_int_eq(t.csv_bom, 0);
    tmpl_workbook_free(&t);

    /* HR's words; grades given replace the default list */
    ck_assert_int_eq(wb_parse("<text key=\"col_id\">员工编号</text>"
                              "<color key=\"header\">00FF00</color>"
                              "<grade label=\"A\" color=\"112233\"/>"
                              "<csv bom=\"yes\"/>", &t, msg, sizeof msg),
                     ERR_OK);
    ck_assert_str_eq(t.text[TMPL_WB_COL_ID], "员工编号");
    ck_assert_str_eq(t.text[TMPL_WB_COL_NAME], "姓名");
    ck_assert_uint_eq(t.color[TMPL_WBC_HEADER], 0x00FF00);
    ck_assert_uint_eq(t.color[TMPL_WBC_HEADER_TEXT], 0xFFFFFF);
    ck_assert_int_eq(t.ngrade, 1);
    ck_assert_int_eq(tmpl_workbook_grade_color(&t, "A"), 0x112233);
    ck_assert_int_eq(tmpl_workbook_grade_color(&t, "优秀"), -1);
    ck_assert_int_eq(t.csv_bom, 1);
    tmpl_workbook_free(&t);

    /* refusals, each with its line and reason */
    {
        static const char *const bad[][2] = {
            {"<text key=\"col_nope\">x</text>", "col_nope"},
            {"<text key=\"col_id\">a</text><text key=\"col_id\">b</text>",
             "col_id"},
            {"<text key=\"col_id\">{id}</text>", "{id}"},
            {"<text key=\"sheet_totals\">a/b</text>", "not a sheet name"},
            {"<text key=\"sheet_risks\">汇总</text>", "is also 'sheet_totals'"},
            {"<text key=\"sheet_totals\">Sum</text><text key=\"sheet_scores\">"
             "SUM</text>", "is also 'sheet_totals'"},
            {"<text key=\"sheet_scores\">一二三四五六七八九十一二三四五六七八九十"
             "一二三四五六七八九十一二</text>", "at most 31 characters"},
            {"<color key=\"header\">12345</color>", "six hex digits"},
            {"<color key=\"zebra\">123456</color>", "zebra"},
            {"<grade label=\"A\" color=\"112233\"/><grade label=\"A\" "
             "color=\"112233\"/>", "given twice"},
            {"<grade label=\"A\" color=\"red\"/>", "six hex digits"},
            {"<csv bom=\"maybe\"/>", "bom must be"},
            {"<company>x</company>", "unexpected element <company>"},
            {"<quota grade=\"A\" share=\"0.2\"/>", "unexpected element"},
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            ck_assert_int_eq(wb_parse(bad[i][0], &t, msg, sizeof msg),
                             ERR_DATA);
            ck_assert_msg(strstr(msg, "wb.xml:") && strstr(msg, bad[i][1]),
                          "%s: %s", bad[i][0], msg);
        }
    }
    {
        /* 256 characters of title: Excel's files must hold whole text */
        char body[1200], x[300];
        memset(x, 'x', 256);
        x[256] = '\0';
        snprintf(body, sizeof body, "<text key=\"title\">%s</text>", x);
        ck_assert_int_eq(wb_parse(body, &t, msg, sizeof msg), ERR_DATA);
        ck_assert_msg(strstr(msg, "'title': 256 characters, at most 255"), "%s",
                      msg);
        x[255] = '\0';
        snprintf(body, sizeof body, "<text key=\"title\">%s</text>", x);
        ck_assert_int_eq(wb_parse(body, &t, msg, sizeof msg), ERR_OK);
        tmpl_workbook_free(&t);
    }
    {
        static const char other[] =
            "<sheet xmlns=\"urn:keqing:sheet:1\" kind=\"region\"/>";
        ck_assert_int_eq(tmpl_workbook_parse(other, sizeof other - 1, "r.xml",
                                             NULL, &t, &e), ERR_DATA);
        ck_assert_msg(strstr(e.msg, "kind=\"workbook\""), "%s", e.msg);
    }

    /* the shipped template is the defaults, spelt out, and valid */
    snprintf(path, sizeof path, "%s/templates", unit_srcdir());
    ck_assert_int_eq(tmpl_workbook_load(path, &t, &missing, &e), ERR_OK);
    ck_assert_int_eq(missing, 0);
    {
        struct tmpl_workbook d;
        ck_assert_int_eq(wb_parse("", &d, msg, sizeof msg), ERR_OK);
        for (int k = 0; k < TMPL_WB_NKEY; k++)
            ck_assert_str_eq(t.text[k], d.text[k]);
        ck_assert_int_eq(t.ngrade, d.ngrade);
        for (int g = 0; g < t.ngrade; g++)
            ck_assert_uint_eq(t.grade[g].color, d.grade[g].color);
        tmpl_workbook_free(&d);
    }
    tmpl_workbook_free(&t);

    /* a templates folder without it: the defaults, and said */
    snprintf(path, sizeof path, "%s", unit_tmpdir());
    ck_assert_int_eq(tmpl_workbook_load(path, &t, &missing, &e), ERR_OK);
    ck_assert_int_eq(missing, 1);
    ck_assert_str_eq(t.text[TMPL_WB_SHEET_RISKS], "风险");
    tmpl_workbook_free(&t);
}
END_TEST

Suite *suite_sheet(void)
{
    Suite *s = suite_create("sheet");
    TCase *t = tcase_create("template_comment_store");
    TCase *l = tcase_create("layout");

    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, template_loads);
    tcase_add_test(t, template_refusals);
    tcase_add_test(t, template_validates_against_xsd);
    tcase_add_test(t, format_placeholders);
    tcase_add_test(t, number_and_unit_formats);
    tcase_add_test(t, chart_labels_avoid_gridlines);
    tcase_add_test(t, document_number);
    tcase_add_test(t, comment_hand_computed);
    tcase_add_test(t, comment_ties_all_met_and_short_na);
    tcase_add_test(t, store_reads_a_person);
    tcase_add_test(t, workbook_template);
    suite_add_tcase(s, t);
    tcase_add_checked_fixture(l, font_setup, font_teardown);
    tcase_set_timeout(l, 120);
    tcase_add_test(l, layout_fits_every_cell);
    tcase_add_test(l, layout_one_page_and_text_back);
    tcase_add_test(l, layout_is_deterministic);
    tcase_add_test(l, layout_mixes_faces);
    tcase_add_test(l, layout_draws_missing_character_as_placeholder);
    tcase_add_test(l, layout_out_of_memory);
    suite_add_tcase(s, l);
    return s;
}
