/* tmpl_region -- loading and checking the region template (see
 * tmpl_region.h).  Parsing is xmlx.c's; the parse and load glue, the
 * elements both templates have (<text>, <color>, <company>) and the
 * checking helpers are in tmpl_sheet.c (tmpl_int.h), so both templates
 * refuse the same things with the same messages.  This file holds the
 * region's keys and colours and its own elements (<quota>, <risks>,
 * <weakest>).
 */
#include "tmpl_region.h"
#include "tmpl_int.h"
#include "err.h"
#include "mem.h"

#include <libxml/tree.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Key names and their allowed placeholders, in enum order. */
static const struct tmpl_keydef keys[TMPL_R_NKEY] = {
    {"title", "", NULL}, {"period_value", "year month", NULL},
    {"label_region", "", NULL}, {"label_parent", "", NULL}, {"label_period", "", NULL},
    {"label_manager", "", NULL}, {"label_people", "", NULL}, {"label_id", "", NULL},
    {"no_manager", "", NULL}, {"no_parent", "", NULL}, {"people_value", "people scored", NULL},
    {"sec_overview", "", NULL}, {"fig_people", "", NULL}, {"fig_mean", "", NULL},
    {"fig_median", "", NULL}, {"fig_mom", "", NULL}, {"mom_up", "delta", NULL},
    {"mom_down", "delta", NULL}, {"mom_same", "", NULL}, {"mom_none", "", NULL}, {"none", "", NULL},
    {"roles_label", "", NULL}, {"role_value", "role n", NULL},
    {"sec_grades", "", NULL}, {"grade_value", "n share", NULL},
    {"quota_warn", "grade n share quota max", NULL},
    {"quota_ok", "grade n share quota", NULL}, {"sec_trend", "", NULL},
    {"trend_note", "", NULL},
    {"sec_indicators", "", NULL}, {"col_indicator", "", NULL}, {"col_target", "", NULL},
    {"col_actual", "", NULL}, {"col_rate", "", NULL}, {"col_change", "", NULL},
    {"col_gap", "", NULL}, {"na", "", NULL}, {"weak_note", "n", NULL},
    {"sec_ranking", "", NULL}, {"col_rank", "", NULL}, {"col_name", "", NULL}, {"col_id", "", NULL},
    {"col_role", "", NULL}, {"col_region", "", NULL}, {"col_own", "", NULL}, {"col_team", "", NULL},
    {"col_total", "", NULL}, {"col_grade", "", NULL}, {"left_mark", "", NULL},
    {"no_total", "", NULL},
    {"sec_risks", "", NULL}, {"risk_summary", "handover single", NULL},
    {"risk_handover", "", NULL}, {"risk_single", "", NULL}, {"col_customer", "", NULL},
    {"col_risk", "", NULL}, {"col_owner", "", NULL}, {"col_since", "", NULL},
    {"col_detail", "", NULL}, {"handover_detail", "from count keys", NULL},
    {"single_detail", "count keys", NULL}, {"risk_none", "", NULL}, {"risk_more", "n", NULL},
    {"sign_manager", "", NULL}, {"sign_hr", "", NULL}, {"date_line", "", NULL},
    {"page", "page pages", NULL}, {"source", "company hash", NULL}, {"continued", "", NULL},
    {"packet_title", "region period", NULL}, {"bm_summary", "region", NULL},
    {"bm_region", "region id n", NULL}, {"bm_person", "name id role", NULL},
    {"blank", "", NULL},
    /* added with schema 2 of the template (defaults keep older ones) */
    {"doc_no", "no", "文档编号：{no}"},
    /* added with the signed copies (issue 14) */
    {"unreturned", "period n names",
     "上月（{period}）签字考核表未交回或未签全 {n} 份：{names}"},
};

static const char *const color_names[TMPL_RC_N] = {
    "header", "header_text", "section", "line", "label", "text", "muted",
    "company", "bar", "bar_max", "trend", "grid", "warn", "up", "down",
    "weak", "box", "zebra", "target"};

const char *tmpl_region_key_name(enum tmpl_region_key k)
{
    return (unsigned)k < TMPL_R_NKEY ? keys[k].name : "";
}

const char *tmpl_region_key_params(enum tmpl_region_key k)
{
    return (unsigned)k < TMPL_R_NKEY ? keys[k].params : "";
}

const char *tmpl_region_color_name(enum tmpl_region_color c)
{
    return (unsigned)c < TMPL_RC_N ? color_names[c] : "";
}

/* ---- the elements ------------------------------------------------------ */

/* A whole number attribute in [lo, hi]; ERR_DATA naming what. */
static int int_attr(xmlNode *n, const char *name, long lo, long hi,
                    long *out, const char *file, const char *what,
                    struct err *e)
{
    char *v = xmlx_attr(n, name), *end = NULL, why[160];
    long x = v ? strtol(v, &end, 10) : 0;
    int ok = v && *v && !*end && x >= lo && x <= hi;

    xmlFree(v);
    if (!ok) {
        snprintf(why, sizeof why, "%s: %s must be a whole number %ld..%ld",
                 what, name, lo, hi);
        return tmpl_fail_at(e, file, n, why);
    }
    *out = x;
    return ERR_OK;
}

static int read_quota(xmlNode *n, struct tmpl_region *t, const char *file,
                      struct err *e)
{
    char *g = xmlx_attr(n, "grade"), *s = xmlx_attr(n, "share"), *end = NULL;
    double share = s ? strtod(s, &end) : 0;
    int rc = ERR_OK;

    if (t->quota_grade)
        rc = tmpl_fail_at(e, file, n, "<quota> given twice");
    else if (!g || !*g || tmpl_has_control(g))
        rc = tmpl_fail_at(e, file, n, "quota: 'grade' (a grade label such "
                          "as 优秀) missing");
    else if (!s || !*s || *end || !(share > 0 && share <= 1))
        rc = tmpl_fail_at(e, file, n, "quota: share must be a number in "
                          "(0, 1], e.g. 0.2 for 20%");
    else if (!(t->quota_grade = mem_strdup(g)))
        rc = err_set(e, ERR_NOMEM, "%s: out of memory", file);
    t->quota_share = share;
    xmlFree(g);
    xmlFree(s);
    return rc;
}

/* tmpl_kind.read_root of the region template (out: a struct
 * tmpl_region). */
static int read_root(xmlNode *root, void *out, const char *file,
                     struct err *e)
{
    struct tmpl_region *t = out;
    int seen[TMPL_RC_N] = {0}, rc = ERR_OK, have_risks = 0, have_weak = 0;
    int done;
    const struct tmpl_common c = {keys, TMPL_R_NKEY, t->text, color_names,
                                  TMPL_RC_N, t->color, seen, &t->company};
    char *kind = xmlx_attr(root, "kind");
    long v;

    rc = kind && strcmp(kind, "region") == 0 ? ERR_OK
         : tmpl_fail_at(e, file, root, "the root must be <sheet "
                        "kind=\"region\">");
    xmlFree(kind);
    if (!rc && !(t->file = mem_strdup(file)))
        rc = err_set(e, ERR_NOMEM, "%s: out of memory", file);
    for (xmlNode *n = root->children; n && !rc; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if ((rc = tmpl_read_common(n, &c, file, &done, e)) || done)
            continue;
        if (tmpl_is_el(n, "quota"))
            rc = read_quota(n, t, file, e);
        else if (tmpl_is_el(n, "risks") && !have_risks++) {
            if (!(rc = int_attr(n, "max", 0, 10000, &v, file, "risks", e)))
                t->max_risks = (int)v;
        } else if (tmpl_is_el(n, "weakest") && !have_weak++) {
            if (!(rc = int_attr(n, "count", 0, 16, &v, file, "weakest", e)))
                t->weakest = (int)v;
        } else {
            rc = tmpl_unexpected(e, file, n);
        }
    }
    if (!rc)
        rc = tmpl_finish_common(root, &c, file, e);
    if (!rc && (!t->quota_grade || !have_risks || !have_weak))
        rc = tmpl_fail_at(e, file, root, "<quota grade=... share=...>, "
                          "<risks max=...> and <weakest count=...> are "
                          "required");
    return rc;
}

/* ---- entry points ------------------------------------------------------ */

static void free_region(void *t)
{
    tmpl_region_free(t);
}

static const struct tmpl_kind region = {
    "sheet/region.xml", "schema/region.xsd", sizeof(struct tmpl_region),
    read_root, free_region};

int tmpl_region_parse(const char *data, size_t n, const char *name,
                      const char *xsd, struct tmpl_region *out,
                      struct err *e)
{
    return tmpl_parse_kind(&region, data, n, name, xsd, out, e);
}

int tmpl_region_load(const char *templates_dir, struct tmpl_region *out,
                     struct err *e)
{
    return tmpl_load_kind(&region, templates_dir, out, e);
}

void tmpl_region_free(struct tmpl_region *t)
{
    if (!t)
        return;
    mem_free(t->file);
    mem_free(t->company);
    for (int k = 0; k < TMPL_R_NKEY; k++)
        mem_free(t->text[k]);
    mem_free(t->quota_grade);
    memset(t, 0, sizeof *t);
}
