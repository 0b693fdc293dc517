/* roles -- loading and validating role templates (see roles.h).
 *
 * The files are small, so xmlx.c parses them into a libxml2 tree (network
 * access off, no entity substitution, a DOCTYPE refused), optionally
 * validates them against role.xsd; they are then checked rule by rule
 * here, so that the message names the file, the line and the broken rule
 * even when no XSD is installed.
 */
#include "roles.h"
#include "err.h"
#include "mem.h"
#include "xmlx.h"
#include "sort.h"

#include <stddef.h>
#include <libxml/tree.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROLES_MAX_FILES 256

/* <role xmlns="urn:keqing:role:1">, at most 256 KiB. */
static const struct xmlx_spec role_xml = {"role", "urn:keqing:role:1", "role",
                                          256 * 1024};

const char *const roles_ind_id[ROLES_NIND] = {
    "A1", "A2", "A3", "A4", "A5", "A6", "B1", "B2", "B3", "B4",
    "C1", "C2", "C3", "C4", "C5", "C6"};

const char *const roles_ind_label[ROLES_NIND] = {
    "VIP客户客情关系卡建档率", "双向叫名率", "双向熟悉率", "直系亲属了解度",
    "三个电话掌握率", "客户认知率", "拜访频次达标率",
    "每周为客户办一件事达成率", "客户首荐率", "最佳陈列与POP达成率",
    "客户经营变化反馈率", "进销存通报及时率", "下级客户/消费者意见反馈率",
    "竞品信息反馈率", "客户能讲出产品卖点率", "重大节日及生日问候完成率"};

const double roles_ind_default_target[ROLES_NIND] = {
    1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 1.0, 1.0, 0.8, 0.8,
    1.0, 1.0, 1.0, 1.0, 0.8, 1.0};

static const char *const grade_names[ROLES_NGRADE] = {"VIP", "A", "B", "C"};

int roles_ind_index(const char *id)
{
    for (int i = 0; i < ROLES_NIND; i++)
        if (id && strcmp(id, roles_ind_id[i]) == 0)
            return i;
    return -1;
}

/* ---- small helpers ----------------------------------------------------- */

/* A finite decimal number, the whole string.  0 or -1. */
static int parse_num(const char *s, double *v)
{
    char *end;
    if (!s || !*s || strchr(s, 'x') || strchr(s, 'X') || strchr(s, 'n') ||
        strchr(s, 'N') || strchr(s, 'i') || strchr(s, 'I'))
        return -1;
    *v = strtod(s, &end);
    return (*end || !isfinite(*v)) ? -1 : 0;
}

/* Error "FILE:LINE: role template: what" for node n. */
static int fail_at(struct err *e, const char *file, const xmlNode *n,
                   const char *what)
{
    return xmlx_fail_at(&role_xml, e, file, n, what);
}

/* Read a required or optional numeric attribute.  1 when present and
 * parsed, 0 when absent, -1 (e set) when malformed. */
static int num_attr(xmlNode *n, const char *name, double *v, const char *file,
                    struct err *e)
{
    char *s = xmlx_attr(n, name);
    char why[160];
    int rc;
    if (!s)
        return 0;
    rc = parse_num(s, v) ? -1 : 1;
    if (rc < 0) {
        snprintf(why, sizeof why, "%s=\"%.40s\" is not a number", name, s);
        fail_at(e, file, n, why);
    }
    xmlFree(s);
    return rc;
}

/* ---- the rules --------------------------------------------------------- */

static int read_indicator(xmlNode *n, struct role *r, const char *file,
                          struct err *e)
{
    char *id = xmlx_attr(n, "id");
    char why[200];
    int i = roles_ind_index(id), got;
    double w = 0, t, f = 0;

    if (i < 0) {
        snprintf(why, sizeof why, "unknown indicator '%.20s' (A1..A6, "
                 "B1..B4, C1..C6)", id ? id : "");
        xmlFree(id);
        return fail_at(e, file, n, why);
    }
    xmlFree(id);
    if (r->used[i]) {
        snprintf(why, sizeof why, "indicator %s listed twice", roles_ind_id[i]);
        return fail_at(e, file, n, why);
    }
    t = roles_ind_default_target[i];
    if ((got = num_attr(n, "weight", &w, file, e)) < 0)
        return ERR_DATA;
    if (!got || w <= 0) {
        snprintf(why, sizeof why, "%s: weight must be a number > 0",
                 roles_ind_id[i]);
        return fail_at(e, file, n, why);
    }
    if (num_attr(n, "target", &t, file, e) < 0 ||
        num_attr(n, "floor", &f, file, e) < 0)
        return ERR_DATA;
    if (!(t > 0 && t <= 1)) {
        snprintf(why, sizeof why, "%s: target %g is not in (0, 1]",
                 roles_ind_id[i], t);
        return fail_at(e, file, n, why);
    }
    if (!(f >= 0 && f < t)) {
        snprintf(why, sizeof why, "%s: floor %g must be >= 0 and below the "
                 "target %g", roles_ind_id[i], f, t);
        return fail_at(e, file, n, why);
    }
    r->used[i] = 1;
    r->weight[i] = w;
    r->target[i] = t;
    r->floor[i] = f;
    return ERR_OK;
}

static int read_visits(xmlNode *n, struct role *r, const char *file,
                       struct err *e)
{
    char *g = xmlx_attr(n, "grade");
    double v = -1;
    int gi = -1;
    for (int i = 0; g && i < ROLES_NGRADE; i++)
        if (strcmp(g, grade_names[i]) == 0)
            gi = i;
    xmlFree(g);
    if (gi < 0)
        return fail_at(e, file, n, "visits: grade must be VIP, A, B or C");
    if (num_attr(n, "per-week", &v, file, e) < 0)
        return ERR_DATA;
    if (v < 0 || v > 7 || v != floor(v))
        return fail_at(e, file, n, "visits: per-week must be a whole number "
                       "0..7");
    r->visits[gi] = (int)v;
    return ERR_OK;
}

static int read_grades(xmlNode *g, struct role *r, const char *file,
                       struct err *e)
{
    for (xmlNode *n = g->children; n; n = n->next) {
        char *label;
        double min = -1;
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!xmlx_is_el(&role_xml, n, "grade"))
            return fail_at(e, file, n, "only <grade> may appear in <grades>");
        if (r->nband == ROLES_MAX_BANDS)
            return fail_at(e, file, n, "too many grade bands (at most 8)");
        if (num_attr(n, "min", &min, file, e) < 0)
            return ERR_DATA;
        if (min < 0 || min > 100)
            return fail_at(e, file, n, "grade: min must be in [0, 100]");
        if (r->nband && min >= r->band[r->nband - 1].min)
            return fail_at(e, file, n, "grade bands must be in strictly "
                           "descending order of min");
        label = xmlx_attr(n, "label");
        if (!label || !*label) {
            xmlFree(label);
            return fail_at(e, file, n, "grade: label missing");
        }
        r->band[r->nband].label = mem_strdup(label);
        xmlFree(label);
        if (!r->band[r->nband].label)
            return err_set(e, ERR_NOMEM, "%s: out of memory", file);
        r->band[r->nband++].min = min;
    }
    if (r->nband == 0)
        return fail_at(e, file, g, "<grades> holds no grade");
    if (r->band[r->nband - 1].min != 0)
        return fail_at(e, file, g, "the last grade band must have min=\"0\"");
    return ERR_OK;
}

static int default_bands(struct role *r, const char *file, struct err *e)
{
    static const char *const labels[] = {"优秀", "良好", "合格", "待改进",
                                         "不合格"};
    static const double mins[] = {90, 80, 70, 60, 0};
    for (int i = 0; i < 5; i++) {
        r->band[i].min = mins[i];
        if (!(r->band[i].label = mem_strdup(labels[i])))
            return err_set(e, ERR_NOMEM, "%s: out of memory", file);
        r->nband = i + 1;
    }
    return ERR_OK;
}

/* The base name of path without ".xml" into out. */
static void base_id(const char *path, char *out, size_t n)
{
    const char *b = strrchr(path, '/');
    size_t len;
    b = b ? b + 1 : path;
    len = strlen(b);
    if (len > 4 && strcmp(b + len - 4, ".xml") == 0)
        len -= 4;
    snprintf(out, n, "%.*s", (int)len, b);
}

static int read_root(xmlNode *root, struct role *r, const char *file,
                     struct err *e)
{
    char *id = xmlx_attr(root, "id"), *label = xmlx_attr(root, "label");
    char want[256], why[400];
    double tw = 0, sum = 0;
    int rc = ERR_OK;

    base_id(file, want, sizeof want);
    if (!id || strcmp(id, want) != 0) {
        snprintf(why, sizeof why, "role id \"%.60s\" must equal the file "
                 "name \"%.60s\"", id ? id : "", want);
        rc = fail_at(e, file, root, why);
    } else if (!label || !*label) {
        rc = fail_at(e, file, root, "role: label missing");
    } else if (!(r->id = mem_strdup(id)) || !(r->label = mem_strdup(label)) ||
               !(r->file = mem_strdup(file))) {
        rc = err_set(e, ERR_NOMEM, "%s: out of memory", file);
    }
    xmlFree(id);
    xmlFree(label);
    if (rc)
        return rc;
    if (num_attr(root, "team-weight", &tw, file, e) < 0)
        return ERR_DATA;
    if (!(tw >= 0 && tw <= 1))
        return fail_at(e, file, root, "team-weight must be in [0, 1]");
    r->team_weight = tw;
    r->visits[0] = 1;   /* VIP */
    r->visits[1] = 1;   /* A */
    for (xmlNode *n = root->children; n && !rc; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (xmlx_is_el(&role_xml, n, "indicator"))
            rc = read_indicator(n, r, file, e);
        else if (xmlx_is_el(&role_xml, n, "visits"))
            rc = read_visits(n, r, file, e);
        else if (xmlx_is_el(&role_xml, n, "grades") && r->nband == 0)
            rc = read_grades(n, r, file, e);
        else {
            snprintf(why, sizeof why, "unexpected element <%.40s>", n->name);
            rc = fail_at(e, file, n, why);
        }
    }
    if (rc)
        return rc;
    if (r->nband == 0 && (rc = default_bands(r, file, e)))
        return rc;
    for (int i = 0; i < ROLES_NIND; i++)
        sum += r->weight[i];
    if (fabs(sum - 100) > 1e-9) {
        snprintf(why, sizeof why, "weights sum to %g, not 100", sum);
        return fail_at(e, file, root, why);
    }
    return ERR_OK;
}

/* Check the parsed doc (read from file) into the zeroed *out; doc is
 * consumed; *out is zeroed again on failure. */
static int from_doc(xmlDoc *doc, const char *file, struct role *out,
                    struct err *e)
{
    int rc = read_root(xmlDocGetRootElement(doc), out, file, e);
    xmlFreeDoc(doc);
    if (rc)
        roles_free_role(out);
    return rc;
}

int roles_parse(const char *data, size_t n, const char *name,
                const char *xsd, struct role *out, struct err *e)
{
    xmlDoc *doc;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = xmlx_parse(&role_xml, data, n, name, xsd, &doc, e)))
        return rc;
    return from_doc(doc, name, out, e);
}

/* ---- a folder of templates --------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_role(const void *a, const void *b)
{
    return strcmp(((const struct role *)a)->id, ((const struct role *)b)->id);
}

/* The sorted "*.xml" names in dir (owned array of owned strings). */
static int list_xml(const char *dir, char ***names, size_t *count,
                    struct err *e)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t n = 0;
    char **v;

    *names = NULL;
    *count = 0;
    if (!d)
        return err_set(e, ERR_NOINPUT, "%s: role templates folder not found",
                       dir);
    v = mem_calloc(ROLES_MAX_FILES, sizeof *v);
    if (!v) {
        closedir(d);
        return err_set(e, ERR_NOMEM, "%s: out of memory", dir);
    }
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len < 5 ||
            strcmp(de->d_name + len - 4, ".xml") != 0)
            continue;
        if (n == ROLES_MAX_FILES || !(v[n] = mem_strdup(de->d_name))) {
            closedir(d);
            for (size_t i = 0; i < n; i++)
                mem_free(v[i]);
            mem_free(v);
            return n == ROLES_MAX_FILES
                       ? err_set(e, ERR_DATA, "%s: more than %d templates",
                                 dir, ROLES_MAX_FILES)
                       : err_set(e, ERR_NOMEM, "%s: out of memory", dir);
        }
        n++;
    }
    closedir(d);
    qsort(v, n, sizeof *v, cmp_str);
    *names = v;
    *count = n;
    return ERR_OK;
}

int roles_load_dir(const char *templates_dir, struct roles *out,
                   struct err *e)
{
    char dir[4096], xsd[4096], path[8400];
    char **names;
    size_t count;
    int rc;

    out->r = NULL;
    out->n = 0;
    snprintf(dir, sizeof dir, "%s/roles", templates_dir);
    snprintf(xsd, sizeof xsd, "%s/schema/role.xsd", templates_dir);
    if ((rc = list_xml(dir, &names, &count, e)))
        return rc;
    if (count == 0) {
        mem_free(names);
        return err_set(e, ERR_NOINPUT, "%s: no role template (*.xml)", dir);
    }
    out->r = mem_calloc(count, sizeof *out->r);
    if (!out->r)
        rc = err_set(e, ERR_NOMEM, "%s: out of memory", dir);
    for (size_t i = 0; i < count && !rc; i++) {
        xmlDoc *doc;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (!(rc = xmlx_load(&role_xml, path, xsd, &doc, e)) &&
            !(rc = from_doc(doc, path, &out->r[i], e)))
            out->n++;
    }
    for (size_t i = 0; i < count; i++)
        mem_free(names[i]);
    mem_free(names);
    if (rc)
        roles_free(out);
    else
        qsort(out->r, out->n, sizeof *out->r, cmp_role);
    return rc;
}

const struct role *roles_find(const struct roles *rs, const char *id)
{
    size_t i;
    return sort_find_str(rs->r, rs->n, sizeof *rs->r, offsetof(struct role, id),
                         id, &i) ? &rs->r[i] : NULL;
}

const char *roles_grade(const struct role *r, double total)
{
    char txt[64];
    double t;
    snprintf(txt, sizeof txt, "%.2f", total);
    t = strtod(txt, NULL);
    for (int i = 0; i < r->nband; i++)
        if (t >= r->band[i].min)
            return r->band[i].label;
    return r->nband ? r->band[r->nband - 1].label : "";
}

void roles_free_role(struct role *r)
{
    if (!r)
        return;
    mem_free(r->id);
    mem_free(r->label);
    mem_free(r->file);
    for (int i = 0; i < r->nband; i++)
        mem_free(r->band[i].label);
    memset(r, 0, sizeof *r);
}

void roles_free(struct roles *rs)
{
    for (size_t i = 0; rs->r && i < rs->n; i++)
        roles_free_role(&rs->r[i]);
    mem_free(rs->r);
    rs->r = NULL;
    rs->n = 0;
}
