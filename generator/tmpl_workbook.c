/* tmpl_workbook -- loading and checking the spreadsheet template (see
 * tmpl_workbook.h).  The parse and load glue and the <text> checks are
 * tmpl_sheet.c's (tmpl_int.h), so all templates refuse the same things
 * with the same messages.  This file holds the workbook's keys and their
 * defaults, and its own elements (<grade>, <csv>); its colours have
 * defaults too, unlike the sheets'.
 */
#include "tmpl_workbook.h"
#include "tmpl_int.h"
#include "err.h"
#include "mem.h"

#include <libxml/tree.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* Key names, allowed placeholders (none) and defaults, in enum order. */
static const struct tmpl_keydef keys[TMPL_WB_NKEY] = {
    {"sheet_totals", "", "汇总"}, {"sheet_scores", "", "指标明细"},
    {"sheet_regions", "", "区域"}, {"sheet_risks", "", "风险"},
    {"col_period", "", "考核期间"}, {"col_id", "", "工号"},
    {"col_name", "", "姓名"}, {"col_role", "", "岗位"},
    {"col_region", "", "区域编号"}, {"col_region_name", "", "区域"},
    {"col_status", "", "状态"}, {"col_own", "", "个人得分"},
    {"col_team", "", "团队得分"}, {"col_total", "", "总分"},
    {"col_grade", "", "等级"}, {"col_rank", "", "区域排名"},
    {"col_indicator", "", "指标编号"}, {"col_indicator_name", "", "指标"},
    {"col_numerator", "", "实际"}, {"col_denominator", "", "基数"},
    {"col_rate", "", "达成率"}, {"col_target", "", "目标"},
    {"col_weight", "", "权重"}, {"col_score", "", "得分"},
    {"col_parent", "", "上级区域"}, {"col_manager", "", "区域负责人"},
    {"col_people", "", "考核人数"}, {"col_scored", "", "已评分人数"},
    {"col_mean", "", "平均总分"}, {"col_median", "", "总分中位数"},
    {"col_mom", "", "较上月"},
    {"col_risk", "", "风险"}, {"col_customer", "", "客户编号"},
    {"col_customer_name", "", "客户"}, {"col_owner", "", "负责人"},
    {"col_from", "", "交接自"}, {"col_handover", "", "交接日期"},
    {"col_count", "", "未建卡/通过抽查人数"}, {"col_keys", "", "关键联系人"},
    {"col_since", "", "起始"},
    {"active", "", "在岗"}, {"left", "", "离职"},
    {"risk_handover", "", "交接未建卡"}, {"risk_single", "", "单线联系"},
    {"title", "", "客情关系月度考核"},
};

static const char *const color_names[TMPL_WBC_N] = {"header", "header_text"};
/* the person sheet's header colours */
static const uint32_t color_default[TMPL_WBC_N] = {0x1F3864, 0xFFFFFF};

/* The grades of the shipped role templates, green to red. */
static const struct {
    const char *label;
    uint32_t color;
} grade_default[] = {
    {"优秀", 0xC6EFCE}, {"良好", 0xDDEBF7}, {"合格", 0xF2F2F2},
    {"待改进", 0xFFEB9C}, {"不合格", 0xFFC7CE},
};

const char *tmpl_workbook_key_name(enum tmpl_wb_key k)
{
    return (unsigned)k < TMPL_WB_NKEY ? keys[k].name : "";
}

const char *tmpl_workbook_color_name(enum tmpl_wb_color c)
{
    return (unsigned)c < TMPL_WBC_N ? color_names[c] : "";
}

/* ---- the elements ------------------------------------------------------ */

static int nomem(struct err *e, const char *file)
{
    return err_set(e, ERR_NOMEM, "%s: out of memory", file);
}

/* six hex digits */
static int parse_rgb(const char *v, uint32_t *out)
{
    char *end = NULL;
    if (!v || strlen(v) != 6 || strspn(v, "0123456789abcdefABCDEF") != 6)
        return -1;
    *out = (uint32_t)strtoul(v, &end, 16);
    return 0;
}

static int read_grade(xmlNode *n, struct tmpl_workbook *t, const char *file,
                      struct err *e)
{
    char *label = xmlx_attr(n, "label"), *color = xmlx_attr(n, "color");
    uint32_t rgb = 0;
    int rc = ERR_OK;

    if (t->ngrade == TMPL_WB_MAX_GRADES)
        rc = tmpl_fail_at(e, file, n, "grade: at most 16 grades");
    else if (!label || !*label || tmpl_has_control(label) ||
             strlen(label) > 60)
        rc = tmpl_fail_at(e, file, n, "grade: 'label' (a grade label of the "
                          "role templates, such as 优秀) missing");
    else if (tmpl_workbook_grade_color(t, label) >= 0)
        rc = tmpl_fail_at(e, file, n, "grade: this label is given twice");
    else if (parse_rgb(color, &rgb))
        rc = tmpl_fail_at(e, file, n, "grade: 'color' must be six hex "
                          "digits RRGGBB");
    else if (!(t->grade[t->ngrade].label = mem_strdup(label)))
        rc = nomem(e, file);
    else
        t->grade[t->ngrade++].color = rgb;
    xmlFree(label);
    xmlFree(color);
    return rc;
}

static int read_csv(xmlNode *n, struct tmpl_workbook *t, const char *file,
                    struct err *e)
{
    char *bom = xmlx_attr(n, "bom");
    int rc = ERR_OK;
    if (bom && !strcmp(bom, "yes"))
        t->csv_bom = 1;
    else if (bom && !strcmp(bom, "no"))
        t->csv_bom = 0;
    else
        rc = tmpl_fail_at(e, file, n, "csv: bom must be \"yes\" or \"no\"");
    xmlFree(bom);
    return rc;
}

/* Text k has at most TMPL_WB_MAX_CHARS characters (a header, a word in
 * a cell or the title: what Excel shows whole). */
static int check_length(xmlNode *root, const struct tmpl_workbook *t, int k,
                        const char *file, struct err *e)
{
    size_t chars = 0;
    char why[160];
    for (const unsigned char *p = (const unsigned char *)t->text[k]; *p; p++)
        chars += (*p & 0xC0) != 0x80;
    if (chars <= TMPL_WB_MAX_CHARS)
        return ERR_OK;
    snprintf(why, sizeof why, "text key '%s': %zu characters, at most %d",
             keys[k].name, chars, TMPL_WB_MAX_CHARS);
    return tmpl_fail_at(e, file, root, why);
}

/* The name of sheet k is one Excel accepts (1..31 characters, none of
 * : \ / ? * [ ], no apostrophe first or last) and differs from the
 * sheets before it. */
static int check_sheet_name(xmlNode *root, const struct tmpl_workbook *t,
                            int k, const char *file, struct err *e)
{
    const char *s = t->text[k];
    size_t chars = 0, len = strlen(s);
    char why[240];

    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        chars += (*p & 0xC0) != 0x80;
    if (chars > 31 || strpbrk(s, ":\\/?*[]") || s[0] == '\'' ||
        s[len - 1] == '\'') {
        snprintf(why, sizeof why, "text key '%s': '%.60s' is not a sheet "
                 "name Excel accepts (at most 31 characters, none of "
                 ": \\ / ? * [ ], no apostrophe first or last)",
                 keys[k].name, s);
        return tmpl_fail_at(e, file, root, why);
    }
    for (int j = TMPL_WB_SHEET_TOTALS; j < k; j++)
        if (!strcasecmp(t->text[j], s)) {     /* Excel: Sum = SUM */
            snprintf(why, sizeof why, "text key '%s': the sheet name "
                     "'%.60s' is also '%s'", keys[k].name, s, keys[j].name);
            return tmpl_fail_at(e, file, root, why);
        }
    return ERR_OK;
}

/* tmpl_kind.read_root of the workbook template. */
static int read_root(xmlNode *root, void *out, const char *file,
                     struct err *e)
{
    struct tmpl_workbook *t = out;
    int seen[TMPL_WBC_N] = {0}, rc, done, have_csv = 0, have_grades = 0;
    const struct tmpl_common c = {keys, TMPL_WB_NKEY, t->text, NULL, 0, NULL,
                                  NULL, &t->company};
    char *kind = xmlx_attr(root, "kind");

    rc = kind && strcmp(kind, "workbook") == 0 ? ERR_OK
         : tmpl_fail_at(e, file, root, "the root must be <sheet "
                        "kind=\"workbook\">");
    xmlFree(kind);
    memcpy(t->color, color_default, sizeof t->color);
    if (!rc && !(t->file = mem_strdup(file)))
        rc = nomem(e, file);
    for (xmlNode *n = root->children; n && !rc; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (tmpl_is_el(n, "color")) {
            rc = tmpl_read_color(n, color_names, TMPL_WBC_N, t->color, seen,
                                 file, e);
            continue;
        }
        if (tmpl_is_el(n, "company"))
            rc = tmpl_unexpected(e, file, n);
        else if ((rc = tmpl_read_common(n, &c, file, &done, e)) || done)
            continue;
        else if (tmpl_is_el(n, "grade")) {
            have_grades = 1;
            rc = read_grade(n, t, file, e);
        } else if (tmpl_is_el(n, "csv") && !have_csv++)
            rc = read_csv(n, t, file, e);
        else
            rc = tmpl_unexpected(e, file, n);
    }
    if (!rc)
        rc = tmpl_finish_common(root, &c, file, e);
    for (int k = 0; !rc && k < TMPL_WB_NKEY; k++)
        rc = check_length(root, t, k, file, e);
    for (int k = TMPL_WB_SHEET_TOTALS; !rc && k <= TMPL_WB_SHEET_RISKS; k++)
        rc = check_sheet_name(root, t, k, file, e);
    for (size_t i = 0; !rc && !have_grades &&
         i < sizeof grade_default / sizeof grade_default[0]; i++) {
        if (!(t->grade[i].label = mem_strdup(grade_default[i].label)))
            rc = nomem(e, file);
        else
            t->grade[t->ngrade++].color = grade_default[i].color;
    }
    return rc;
}

/* ---- entry points ------------------------------------------------------ */

static void free_workbook(void *t)
{
    tmpl_workbook_free(t);
}

static const struct tmpl_kind workbook = {
    "sheet/workbook.xml", "schema/workbook.xsd", sizeof(struct tmpl_workbook),
    read_root, free_workbook};

int tmpl_workbook_parse(const char *data, size_t n, const char *name,
                        const char *xsd, struct tmpl_workbook *out,
                        struct err *e)
{
    return tmpl_parse_kind(&workbook, data, n, name, xsd, out, e);
}

int tmpl_workbook_load(const char *templates_dir, struct tmpl_workbook *out,
                       int *missing, struct err *e)
{
    static const char none[] =
        "<sheet xmlns=\"urn:keqing:sheet:1\" kind=\"workbook\"/>";
    char path[4200];
    struct stat sb;

    snprintf(path, sizeof path, "%s/%s", templates_dir, workbook.file);
    /* only a file that is not there gives the defaults: one that cannot
     * be read is refused (ERR_NOINPUT) like any template */
    *missing = lstat(path, &sb) != 0 && errno == ENOENT;
    if (!*missing)
        return tmpl_load_kind(&workbook, templates_dir, out, e);
    return tmpl_parse_kind(&workbook, none, sizeof none - 1, "(built-in)",
                           NULL, out, e);
}

long tmpl_workbook_grade_color(const struct tmpl_workbook *t, const char *g)
{
    for (int i = 0; g && i < t->ngrade; i++)
        if (!strcmp(t->grade[i].label, g))
            return (long)t->grade[i].color;
    return -1;
}

void tmpl_workbook_free(struct tmpl_workbook *t)
{
    if (!t)
        return;
    mem_free(t->file);
    mem_free(t->company);
    for (int k = 0; k < TMPL_WB_NKEY; k++)
        mem_free(t->text[k]);
    for (int i = 0; i < t->ngrade; i++)
        mem_free(t->grade[i].label);
    memset(t, 0, sizeof *t);
}
