/* tmpl_sheet -- loading and checking the sheet template (see tmpl_sheet.h).
 *
 * The file is small: xmlx.c parses it into a libxml2 tree (network off, no
 * DTD, no entity substitution, a DOCTYPE refused) and validates it against
 * sheet.xsd when that is installed; it is then checked rule by rule here,
 * so a message names the file, the line and the rule even without the XSD.
 */
#include "tmpl_sheet.h"
#include "tmpl_int.h"
#include "buf.h"
#include "err.h"
#include "mem.h"

#include <libxml/tree.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_MAX 2000           /* bytes of one text value */

const struct xmlx_spec tmpl_xml = {"sheet", "urn:keqing:sheet:1", "sheet",
                                   256 * 1024};

/* Key names and their allowed placeholders, in enum tmpl_key order. */
static const struct tmpl_keydef keys[TMPL_NKEY] = {
    {"title", "", NULL}, {"period_value", "year month", NULL},
    {"label_name", "", NULL}, {"label_id", "", NULL}, {"label_role", "", NULL},
    {"label_region", "", NULL}, {"label_manager", "", NULL}, {"label_period", "", NULL},
    {"left_mark", "", NULL}, {"left_period", "from to", NULL},
    {"col_indicator", "", NULL}, {"col_target", "", NULL}, {"col_actual", "", NULL},
    {"col_rate", "", NULL}, {"col_weight", "", NULL}, {"col_score", "", NULL},
    {"na", "", NULL}, {"na_note", "", NULL}, {"own_row", "weight", NULL},
    {"team_row", "weight n", NULL}, {"total_label", "", NULL}, {"grade_label", "grade", NULL},
    {"no_total", "", NULL}, {"rank", "rank", NULL},
    {"chart_groups", "", NULL}, {"chart_trend", "", NULL}, {"comment_label", "", NULL},
    {"sign_assessee", "", NULL}, {"sign_assessor", "", NULL}, {"sign_hr", "", NULL},
    {"date_line", "", NULL}, {"acknowledgment", "", NULL}, {"appeal", "days to", NULL},
    {"doc_no", "no", NULL}, {"page", "page pages", NULL}, {"source", "company hash", NULL},
    {"continued", "", NULL},
    {"c_best", "name rate score weight", NULL}, {"c_worst", "name rate target", NULL},
    {"c_all_met", "", NULL}, {"c_up", "total delta", NULL}, {"c_down", "total delta", NULL},
    {"c_same", "total", NULL}, {"c_first", "total", NULL},
    {"c_rate_up", "name from to delta", NULL}, {"c_rate_down", "name from to delta", NULL},
    {"c_na", "names", NULL}, {"c_na_count", "n", NULL}, {"c_team", "team weight n", NULL}, {"c_no_total", "", NULL},
    {"c_list_sep", "", NULL}, {"c_sep", "", NULL}, {"c_end", "", NULL},
    /* added with schema 2 of the template (defaults keep older ones) */
    {"hired_mark", "", "新入职"},
    {"trend_single", "", "仅有本月数据，尚无趋势"},
};

static const char *const color_names[TMPL_NCOLOR] = {
    "header", "header_text", "group", "total", "line", "label", "text",
    "muted", "company", "bar", "bar_max", "trend", "grid", "mark", "box"};

static const char *const group_ids[TMPL_NGROUP] = {"A", "B", "C"};

const char *tmpl_key_name(enum tmpl_key k)
{
    return (unsigned)k < TMPL_NKEY ? keys[k].name : "";
}

const char *tmpl_key_params(enum tmpl_key k)
{
    return (unsigned)k < TMPL_NKEY ? keys[k].params : "";
}

const char *tmpl_color_name(enum tmpl_color c)
{
    return (unsigned)c < TMPL_NCOLOR ? color_names[c] : "";
}

/* ---- placeholders ------------------------------------------------------ */

/* Index of name[0..len) among names, or -1. */
static int find_name(const char *name, size_t len, const char *const *names,
                     size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
            return (int)i;
    return -1;
}

int tmpl_format(struct buf *out, const char *pattern,
                const char *const *names, const char *const *values,
                size_t n, struct err *e)
{
    const char *p = pattern, *run = pattern;
    int rc = ERR_OK;

    while (*p && !rc) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            if (!(rc = buf_append(out, run, (size_t)(p - run) + 1)))
                run = p += 2;
            continue;
        }
        if (*p != '{') {
            p++;
            continue;
        }
        const char *close = strchr(p, '}');
        int k = close ? find_name(p + 1, (size_t)(close - p - 1), names, n)
                      : -1;
        if (k < 0)
            return err_set(e, ERR_DATA, "template text '%.60s': unknown or "
                           "unclosed placeholder at '%.20s'", pattern, p);
        if (!(rc = buf_append(out, run, (size_t)(p - run))))
            rc = buf_puts(out, values[k]);
        run = p = close + 1;
    }
    if (!rc && p > run)
        rc = buf_append(out, run, (size_t)(p - run));
    if (rc == ERR_NOMEM)
        err_set(e, rc, "template text: out of memory");
    else if (rc)
        err_set(e, rc, "template text '%.60s': result too long", pattern);
    return rc;
}

/* ---- small helpers ----------------------------------------------------- */

int tmpl_is_el(const xmlNode *n, const char *name)
{
    return xmlx_is_el(&tmpl_xml, n, name);
}

int tmpl_fail_at(struct err *e, const char *file, const xmlNode *n,
                 const char *what)
{
    return xmlx_fail_at(&tmpl_xml, e, file, n, what);
}

/* The element's text (owned, mem_free), surrounding white space removed;
 * child elements are refused.  NULL with e set on error. */
static char *elem_text(xmlNode *n, const char *file, struct err *e)
{
    xmlChar *c;
    const char *s;
    size_t len;
    char *out;

    for (xmlNode *k = n->children; k; k = k->next)
        if (k->type != XML_TEXT_NODE && k->type != XML_CDATA_SECTION_NODE &&
            k->type != XML_COMMENT_NODE) {
            tmpl_fail_at(e, file, n, "only text may appear inside this "
                         "element");
            return NULL;
        }
    c = xmlNodeGetContent(n);
    s = c ? (const char *)c : "";
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
                   s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    if (len > TEXT_MAX) {
        xmlFree(c);
        tmpl_fail_at(e, file, n, "text longer than 2000 bytes");
        return NULL;
    }
    out = mem_strndup(s, len);
    xmlFree(c);
    if (!out)
        err_set(e, ERR_NOMEM, "%s: out of memory", file);
    return out;
}

/* 1 when s has a control character (line breaks are laid out, not typed). */
static int has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

/* Check that every {placeholder} of s is in the space-separated list. */
static int check_params(const char *s, const char *allowed, const char *file,
                        const xmlNode *n, const char *key, struct err *e)
{
    char why[300];
    for (const char *p = s; *p; p++) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            p++;
            continue;
        }
        if (*p == '}') {
            snprintf(why, sizeof why, "%s: unmatched '}' (write '}}')", key);
            return tmpl_fail_at(e, file, n, why);
        }
        if (*p != '{')
            continue;
        const char *close = strchr(p, '}'), *a = allowed;
        size_t len = close ? (size_t)(close - p - 1) : 0;
        int ok = 0;
        while (close && *a && !ok) {
            size_t w = strcspn(a, " ");
            ok = w == len && memcmp(a, p + 1, len) == 0;
            a += w + (a[w] == ' ');
        }
        if (!ok) {
            snprintf(why, sizeof why, "%s: unknown placeholder '%.*s' "
                     "(allowed: %s)", key, close ? (int)(len + 2) : 12, p,
                     *allowed ? allowed : "none");
            return tmpl_fail_at(e, file, n, why);
        }
        p = close;
    }
    return ERR_OK;
}

/* ---- the elements ------------------------------------------------------ */

/* tmpl_read_text, _color, _company and tmpl_check_present serve
 * tmpl_region.c too: contracts in tmpl_int.h. */

/* ERR_DATA for the element n whose key attribute (consumed: xmlFree) is
 * unknown, or was given before: "unknown WHAT key 'K'", "WHAT 'K' given
 * twice". */
static int refuse_key(xmlNode *n, const char *what, int unknown, char *key,
                      const char *file, struct err *e)
{
    char why[200];

    snprintf(why, sizeof why, unknown ? "unknown %s key '%.40s'"
             : "%s '%.40s' given twice", what, key ? key : "");
    xmlFree(key);
    return tmpl_fail_at(e, file, n, why);
}

int tmpl_read_text(xmlNode *n, const struct tmpl_keydef *defs, int nkey,
                   char **text, const char *file, struct err *e)
{
    char *key = xmlx_attr(n, "key"), why[200];
    int k = -1;

    for (int i = 0; key && i < nkey; i++)
        if (strcmp(key, defs[i].name) == 0)
            k = i;
    if (k < 0 || text[k])
        return refuse_key(n, "text", k < 0, key, file, e);
    xmlFree(key);
    if (!(text[k] = elem_text(n, file, e)))
        return e->code;
    if (!text[k][0] || has_control(text[k])) {
        snprintf(why, sizeof why, "text '%s' is empty or holds a control "
                 "character", defs[k].name);
        return tmpl_fail_at(e, file, n, why);
    }
    return check_params(text[k], defs[k].params, file, n, defs[k].name, e);
}

int tmpl_read_color(xmlNode *n, const char *const *names, int ncolor,
                    uint32_t *color, int *seen, const char *file,
                    struct err *e)
{
    char *key = xmlx_attr(n, "key"), *v, why[200], *end;
    int k = -1;

    for (int i = 0; key && i < ncolor; i++)
        if (strcmp(key, names[i]) == 0)
            k = i;
    if (k < 0 || seen[k])
        return refuse_key(n, "colour", k < 0, key, file, e);
    xmlFree(key);
    if (!(v = elem_text(n, file, e)))
        return e->code;
    color[k] = (uint32_t)strtoul(v, &end, 16);
    if (strlen(v) != 6 || *end || strspn(v, "0123456789abcdefABCDEF") != 6) {
        snprintf(why, sizeof why, "colour '%s': '%.20s' is not six hex "
                 "digits RRGGBB", names[k], v);
        mem_free(v);
        return tmpl_fail_at(e, file, n, why);
    }
    mem_free(v);
    seen[k] = 1;
    return ERR_OK;
}

int tmpl_read_company(xmlNode *n, char **company, const char *file,
                      struct err *e)
{
    if (!(*company = elem_text(n, file, e)))
        return e->code;
    if (has_control(*company))
        return tmpl_fail_at(e, file, n, "company: control character");
    return ERR_OK;
}

int tmpl_check_present(xmlNode *root, const struct tmpl_keydef *defs,
                       int nkey, char **text, const char *const *names,
                       int ncolor, const int *seen, const char *file,
                       struct err *e)
{
    char why[120];
    for (int k = 0; k < nkey; k++) {
        if (!text[k] && defs[k].def &&
            !(text[k] = mem_strdup(defs[k].def)))
            return err_set(e, ERR_NOMEM, "%s: out of memory", file);
        if (!text[k]) {
            snprintf(why, sizeof why, "text key '%s' missing", defs[k].name);
            return tmpl_fail_at(e, file, root, why);
        }
    }
    for (int c = 0; c < ncolor; c++)
        if (!seen[c]) {
            snprintf(why, sizeof why, "colour '%s' missing", names[c]);
            return tmpl_fail_at(e, file, root, why);
        }
    return ERR_OK;
}

int tmpl_read_common(xmlNode *n, const struct tmpl_common *c,
                     const char *file, int *done, struct err *e)
{
    *done = 1;
    if (tmpl_is_el(n, "text"))
        return tmpl_read_text(n, c->defs, c->nkey, c->text, file, e);
    if (tmpl_is_el(n, "color"))
        return tmpl_read_color(n, c->names, c->ncolor, c->color, c->seen,
                               file, e);
    if (tmpl_is_el(n, "company") && !*c->company)
        return tmpl_read_company(n, c->company, file, e);
    *done = 0;
    return ERR_OK;
}

int tmpl_finish_common(xmlNode *root, const struct tmpl_common *c,
                       const char *file, struct err *e)
{
    if (!*c->company && !(*c->company = mem_strdup("")))
        return err_set(e, ERR_NOMEM, "%s: out of memory", file);
    return tmpl_check_present(root, c->defs, c->nkey, c->text, c->names,
                              c->ncolor, c->seen, file, e);
}

int tmpl_unexpected(struct err *e, const char *file, const xmlNode *n)
{
    char why[120];

    snprintf(why, sizeof why, "unexpected element <%.40s>", n->name);
    return tmpl_fail_at(e, file, n, why);
}

/* ---- the person template's own elements ---------------------------------- */

static int read_unit(xmlNode *n, struct tmpl *t, const char *file,
                     struct err *e)
{
    char *id = xmlx_attr(n, "indicator"), why[200];
    int i = roles_ind_index(id);
    if (i < 0 || t->unit[i]) {
        snprintf(why, sizeof why, i < 0 ? "unit: unknown indicator '%.20s'"
                 : "unit of %.20s given twice", id ? id : "");
        xmlFree(id);
        return tmpl_fail_at(e, file, n, why);
    }
    xmlFree(id);
    if (!(t->unit[i] = elem_text(n, file, e)))
        return e->code;
    if (has_control(t->unit[i]) || strlen(t->unit[i]) > 30)
        return tmpl_fail_at(e, file, n, "unit: at most 30 bytes, no "
                            "control characters");
    return ERR_OK;
}

static int read_group(xmlNode *n, struct tmpl *t, const char *file,
                      struct err *e)
{
    char *id = xmlx_attr(n, "id"), why[200];
    int g = -1;
    for (int i = 0; id && i < TMPL_NGROUP; i++)
        if (strcmp(id, group_ids[i]) == 0)
            g = i;
    if (g < 0 || t->group[g]) {
        snprintf(why, sizeof why, g < 0 ? "group: id must be A, B or C, not "
                 "'%.20s'" : "group %.20s given twice", id ? id : "");
        xmlFree(id);
        return tmpl_fail_at(e, file, n, why);
    }
    xmlFree(id);
    if (!(t->group[g] = elem_text(n, file, e)))
        return e->code;
    if (!t->group[g][0] || has_control(t->group[g]))
        return tmpl_fail_at(e, file, n, "group: name empty or with a "
                            "control character");
    return ERR_OK;
}

static int read_appeal(xmlNode *n, struct tmpl *t, const char *file,
                       struct err *e)
{
    char *days = xmlx_attr(n, "days"), *to = xmlx_attr(n, "to"), *end = NULL;
    long d = days ? strtol(days, &end, 10) : 0;
    int rc = ERR_OK;
    if (t->appeal_to)
        rc = tmpl_fail_at(e, file, n, "<appeal> given twice");
    else if (!days || !*days || *end || d < 1 || d > 365)
        rc = tmpl_fail_at(e, file, n, "appeal: days must be a whole "
                          "number 1..365");
    else if (!to || !*to || has_control(to))
        rc = tmpl_fail_at(e, file, n, "appeal: 'to' (who receives "
                          "appeals) missing");
    else if (!(t->appeal_to = mem_strdup(to)))
        rc = err_set(e, ERR_NOMEM, "%s: out of memory", file);
    t->appeal_days = (int)d;
    xmlFree(days);
    xmlFree(to);
    return rc;
}

/* Every unit and group present, and the appeal? */
static int check_complete(xmlNode *root, const struct tmpl *t,
                          const char *file, struct err *e)
{
    char why[200];

    for (int i = 0; i < ROLES_NIND; i++)
        if (!t->unit[i]) {
            snprintf(why, sizeof why, "unit of %s missing", roles_ind_id[i]);
            return tmpl_fail_at(e, file, root, why);
        }
    for (int g = 0; g < TMPL_NGROUP; g++)
        if (!t->group[g]) {
            snprintf(why, sizeof why, "group %s missing", group_ids[g]);
            return tmpl_fail_at(e, file, root, why);
        }
    if (!t->appeal_to)
        return tmpl_fail_at(e, file, root, "<appeal days=... to=...> missing");
    return ERR_OK;
}

/* tmpl_kind.read_root of the person template (out: a struct tmpl). */
static int read_root(xmlNode *root, void *out, const char *file,
                     struct err *e)
{
    struct tmpl *t = out;
    int seen[TMPL_NCOLOR] = {0}, rc = ERR_OK, done;
    const struct tmpl_common c = {keys, TMPL_NKEY, t->text, color_names,
                                  TMPL_NCOLOR, t->color, seen, &t->company};

    if (!(t->file = mem_strdup(file)))
        return err_set(e, ERR_NOMEM, "%s: out of memory", file);
    for (xmlNode *n = root->children; n && !rc; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if ((rc = tmpl_read_common(n, &c, file, &done, e)) || done)
            continue;
        if (tmpl_is_el(n, "unit"))
            rc = read_unit(n, t, file, e);
        else if (tmpl_is_el(n, "group"))
            rc = read_group(n, t, file, e);
        else if (tmpl_is_el(n, "appeal"))
            rc = read_appeal(n, t, file, e);
        else
            rc = tmpl_unexpected(e, file, n);
    }
    if (!rc)
        rc = tmpl_finish_common(root, &c, file, e);
    return rc ? rc : check_complete(root, t, file, e);
}

/* ---- entry points ------------------------------------------------------ */

static void free_person(void *t)
{
    tmpl_free(t);
}

static const struct tmpl_kind person = {
    "sheet/person.xml", "schema/sheet.xsd", sizeof(struct tmpl), read_root,
    free_person};

int tmpl_parse(const char *data, size_t n, const char *name,
               const char *xsd, struct tmpl *out, struct err *e)
{
    return tmpl_parse_kind(&person, data, n, name, xsd, out, e);
}

int tmpl_load_person(const char *templates_dir, struct tmpl *out,
                     struct err *e)
{
    return tmpl_load_kind(&person, templates_dir, out, e);
}

void tmpl_free(struct tmpl *t)
{
    if (!t)
        return;
    mem_free(t->file);
    mem_free(t->company);
    for (int k = 0; k < TMPL_NKEY; k++)
        mem_free(t->text[k]);
    for (int i = 0; i < ROLES_NIND; i++)
        mem_free(t->unit[i]);
    for (int g = 0; g < TMPL_NGROUP; g++)
        mem_free(t->group[g]);
    mem_free(t->appeal_to);
    memset(t, 0, sizeof *t);
}

/* ---- shared with tmpl_region.c (tmpl_int.h) ----------------------------- */

/* Check the parsed doc (read from file) into the zeroed out; doc is
 * consumed; out is freed and zeroed again on failure. */
static int from_doc(const struct tmpl_kind *k, xmlDoc *doc, const char *file,
                    void *out, struct err *e)
{
    int rc = k->read_root(xmlDocGetRootElement(doc), out, file, e);
    xmlFreeDoc(doc);
    if (rc)
        k->free(out);
    return rc;
}

int tmpl_parse_kind(const struct tmpl_kind *k, const char *data, size_t n,
                    const char *name, const char *xsd, void *out,
                    struct err *e)
{
    xmlDoc *doc;
    int rc;

    memset(out, 0, k->size);
    if ((rc = xmlx_parse(&tmpl_xml, data, n, name, xsd, &doc, e)))
        return rc;
    return from_doc(k, doc, name, out, e);
}

int tmpl_load_kind(const struct tmpl_kind *k, const char *templates_dir,
                   void *out, struct err *e)
{
    char path[4200], xsd[4200];
    xmlDoc *doc;
    int rc;

    memset(out, 0, k->size);
    snprintf(path, sizeof path, "%s/%s", templates_dir, k->file);
    snprintf(xsd, sizeof xsd, "%s/%s", templates_dir, k->xsd);
    if ((rc = xmlx_load(&tmpl_xml, path, xsd, &doc, e)))
        return rc;
    return from_doc(k, doc, path, out, e);
}

int tmpl_has_control(const char *s)
{
    return has_control(s);
}
