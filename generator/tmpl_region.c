/* tmpl_region -- loading and checking the region template (see
 * tmpl_region.h).  The shared parsing and checking helpers are in
 * tmpl_sheet.c (tmpl_int.h), so both templates refuse the same things
 * with the same messages.
 */
#include "tmpl_region.h"
#include "tmpl_int.h"
#include "err.h"
#include "fsx.h"
#include "mem.h"

#include <libxml/tree.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define REGION_FILE_MAX (256 * 1024)

/* Key names and their allowed placeholders, in enum order. */
static const struct {
    const char *name, *params;
} keys[TMPL_R_NKEY] = {
    {"title", ""}, {"period_value", "year month"},
    {"label_region", ""}, {"label_parent", ""}, {"label_period", ""},
    {"label_manager", ""}, {"label_people", ""}, {"label_id", ""},
    {"no_manager", ""}, {"no_parent", ""}, {"people_value", "people scored"},
    {"sec_overview", ""}, {"fig_people", ""}, {"fig_mean", ""},
    {"fig_median", ""}, {"fig_mom", ""}, {"mom_up", "delta"},
    {"mom_down", "delta"}, {"mom_same", ""}, {"mom_none", ""}, {"none", ""},
    {"roles_label", ""}, {"role_value", "role n"},
    {"sec_grades", ""}, {"grade_value", "n share"},
    {"quota_warn", "grade n share quota max"},
    {"quota_ok", "grade n share quota"}, {"sec_trend", ""},
    {"trend_note", ""},
    {"sec_indicators", ""}, {"col_indicator", ""}, {"col_target", ""},
    {"col_actual", ""}, {"col_rate", ""}, {"col_change", ""},
    {"col_gap", ""}, {"na", ""}, {"weak_note", "n"},
    {"sec_ranking", ""}, {"col_rank", ""}, {"col_name", ""}, {"col_id", ""},
    {"col_role", ""}, {"col_region", ""}, {"col_own", ""}, {"col_team", ""},
    {"col_total", ""}, {"col_grade", ""}, {"left_mark", ""},
    {"no_total", ""},
    {"sec_risks", ""}, {"risk_summary", "handover single"},
    {"risk_handover", ""}, {"risk_single", ""}, {"col_customer", ""},
    {"col_risk", ""}, {"col_owner", ""}, {"col_since", ""},
    {"col_detail", ""}, {"handover_detail", "from count keys"},
    {"single_detail", "count keys"}, {"risk_none", ""}, {"risk_more", "n"},
    {"sign_manager", ""}, {"sign_hr", ""}, {"date_line", ""},
    {"page", "page pages"}, {"source", "company hash"}, {"continued", ""},
    {"packet_title", "region period"}, {"bm_summary", "region"},
    {"bm_region", "region id n"}, {"bm_person", "name id role"},
    {"blank", ""},
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

static char *attr(xmlNode *n, const char *name)
{
    return (char *)xmlGetProp(n, (const xmlChar *)name);
}

static int read_text(xmlNode *n, struct tmpl_region *t, const char *file,
                     struct err *e)
{
    char *key = attr(n, "key"), why[200];
    int k = -1;

    for (int i = 0; key && i < TMPL_R_NKEY; i++)
        if (strcmp(key, keys[i].name) == 0)
            k = i;
    if (k < 0 || t->text[k]) {
        snprintf(why, sizeof why, k < 0 ? "unknown text key '%.40s'"
                 : "text '%.40s' given twice", key ? key : "");
        xmlFree(key);
        return tmpl_fail_at(e, file, n, why);
    }
    xmlFree(key);
    if (!(t->text[k] = tmpl_elem_text(n, file, e)))
        return e->code;
    if (!t->text[k][0] || tmpl_has_control(t->text[k])) {
        snprintf(why, sizeof why, "text '%s' is empty or holds a control "
                 "character", keys[k].name);
        return tmpl_fail_at(e, file, n, why);
    }
    return tmpl_check_params(t->text[k], keys[k].params, file, n,
                             keys[k].name, e);
}

static int read_color(xmlNode *n, struct tmpl_region *t, int *seen,
                      const char *file, struct err *e)
{
    char *key = attr(n, "key"), *v, why[200], *end;
    int k = -1;

    for (int i = 0; key && i < TMPL_RC_N; i++)
        if (strcmp(key, color_names[i]) == 0)
            k = i;
    if (k < 0 || seen[k]) {
        snprintf(why, sizeof why, k < 0 ? "unknown colour key '%.40s'"
                 : "colour '%.40s' given twice", key ? key : "");
        xmlFree(key);
        return tmpl_fail_at(e, file, n, why);
    }
    xmlFree(key);
    if (!(v = tmpl_elem_text(n, file, e)))
        return e->code;
    t->color[k] = (uint32_t)strtoul(v, &end, 16);
    if (strlen(v) != 6 || *end || strspn(v, "0123456789abcdefABCDEF") != 6) {
        snprintf(why, sizeof why, "colour '%s': '%.20s' is not six hex "
                 "digits RRGGBB", color_names[k], v);
        mem_free(v);
        return tmpl_fail_at(e, file, n, why);
    }
    mem_free(v);
    seen[k] = 1;
    return ERR_OK;
}

/* A whole number attribute in [lo, hi]; ERR_DATA naming what. */
static int int_attr(xmlNode *n, const char *name, long lo, long hi,
                    long *out, const char *file, const char *what,
                    struct err *e)
{
    char *v = attr(n, name), *end = NULL, why[160];
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
    char *g = attr(n, "grade"), *s = attr(n, "share"), *end = NULL;
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

static int read_root(xmlNode *root, struct tmpl_region *t, const char *file,
                     struct err *e)
{
    int seen[TMPL_RC_N] = {0}, rc = ERR_OK, have_risks = 0, have_weak = 0;
    char why[120], *kind = attr(root, "kind");
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
        if (tmpl_is_el(n, "text"))
            rc = read_text(n, t, file, e);
        else if (tmpl_is_el(n, "color"))
            rc = read_color(n, t, seen, file, e);
        else if (tmpl_is_el(n, "quota"))
            rc = read_quota(n, t, file, e);
        else if (tmpl_is_el(n, "risks") && !have_risks++) {
            if (!(rc = int_attr(n, "max", 0, 10000, &v, file, "risks", e)))
                t->max_risks = (int)v;
        } else if (tmpl_is_el(n, "weakest") && !have_weak++) {
            if (!(rc = int_attr(n, "count", 0, 16, &v, file, "weakest", e)))
                t->weakest = (int)v;
        } else if (tmpl_is_el(n, "company") && !t->company) {
            if (!(t->company = tmpl_elem_text(n, file, e)))
                rc = e->code;
            else if (tmpl_has_control(t->company))
                rc = tmpl_fail_at(e, file, n, "company: control character");
        } else {
            snprintf(why, sizeof why, "unexpected element <%.40s>", n->name);
            rc = tmpl_fail_at(e, file, n, why);
        }
    }
    if (!rc && !t->company && !(t->company = mem_strdup("")))
        rc = err_set(e, ERR_NOMEM, "%s: out of memory", file);
    for (int k = 0; k < TMPL_R_NKEY && !rc; k++)
        if (!t->text[k]) {
            snprintf(why, sizeof why, "text key '%s' missing", keys[k].name);
            rc = tmpl_fail_at(e, file, root, why);
        }
    for (int c = 0; c < TMPL_RC_N && !rc; c++)
        if (!seen[c]) {
            snprintf(why, sizeof why, "colour '%s' missing", color_names[c]);
            rc = tmpl_fail_at(e, file, root, why);
        }
    if (!rc && (!t->quota_grade || !have_risks || !have_weak))
        rc = tmpl_fail_at(e, file, root, "<quota grade=... share=...>, "
                          "<risks max=...> and <weakest count=...> are "
                          "required");
    return rc;
}

/* ---- entry points ------------------------------------------------------ */

int tmpl_region_parse(const char *data, size_t n, const char *name,
                      const char *xsd, struct tmpl_region *out,
                      struct err *e)
{
    xmlDoc *doc;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = tmpl_read_doc(data, n, name, xsd, &doc, e)))
        return rc;
    rc = read_root(xmlDocGetRootElement(doc), out, name, e);
    xmlFreeDoc(doc);
    if (rc)
        tmpl_region_free(out);
    return rc;
}

int tmpl_region_load(const char *templates_dir, struct tmpl_region *out,
                     struct err *e)
{
    char path[4200], xsd[4200], *data = NULL;
    size_t n = 0;
    struct stat st;
    int rc;

    memset(out, 0, sizeof *out);
    snprintf(path, sizeof path, "%s/sheet/region.xml", templates_dir);
    snprintf(xsd, sizeof xsd, "%s/schema/region.xsd", templates_dir);
    if ((rc = fsx_read_file(path, REGION_FILE_MAX, &data, &n, e)))
        return rc;
    rc = tmpl_region_parse(data, n, path, stat(xsd, &st) == 0 ? xsd : NULL,
                           out, e);
    mem_free(data);
    return rc;
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
