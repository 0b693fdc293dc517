/* import_xml -- the streaming reader of canonical ERP exports (see
 * import_xml.h; the module's files are listed in import_int.h).
 *
 * Reading one file (reader depth in brackets):
 *
 *   start --DOCTYPE/entity--> refuse file
 *     |
 *   <export> [0]  root: name + namespace, attributes validated (XSD + C)
 *     |
 *   section [1]   regions < staff < customers < cards < activities, each
 *     |           at most once, in that order; anything else: refuse file
 *   record [2]    the section's kind(s); one subtree at a time:
 *     |             empty element -> the reader's own node
 *     |             else          -> bounded copy (children at [3] copied,
 *     |                              element at [4] refuses the file)
 *     |           then checked and queued (import_validate.c): values in
 *     |           C (record_check_value), the subtree against its GLOBAL
 *     |           XSD element (xmlSchemaValidateOneElement)
 *   end of file -> import row completed
 *
 * Why per-record validation: measured on a 284 MB, 2.4M-record export,
 * xmlTextReaderSetSchema grows to 173 MB RSS (the validator keeps state
 * for the whole document), while validating each record's subtree on its
 * own stays at ~5 MB.  The document structure the XSD would have checked
 * (root, sections, order) is checked here in C.  xmlTextReaderNext() on
 * an unexpanded node was measured to retain the skipped subtrees (4 GB),
 * so this file only ever moves with xmlTextReaderRead().
 *
 * Invariants: (1) at most one record subtree (plus one copy) is alive;
 * (2) every libxml2 message is caught by a structured handler
 * (import_diag.c) and turned into "FILE:LINE: ..." -- libxml2 never
 * prints; (3) the external entity loader refuses everything while a run
 * is in progress (import_run.c).
 */
#include "import_int.h"
#include "hook.h"
#include "stop.h"
#include "date.h"
#include "err.h"
#include "record.h"
#include "sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_DEPTH 3               /* export=0 section=1 record=2 child=3 */

enum { SEC_NONE = -1, SEC_REGIONS, SEC_STAFF, SEC_CUSTOMERS, SEC_CARDS,
       SEC_ACTIVITIES, SEC_N };
static const char *const sections[SEC_N] = {"regions", "staff", "customers",
                                            "cards", "activities"};

double imp_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- input ------------------------------------------------------------- */

/* Reader I/O callback: read the file once, hashing as we go. */
static int read_cb(void *ctx, char *buffer, int len)
{
    struct imp *im = ctx;
    ssize_t got;
    do
        got = read(im->fd, buffer, (size_t)len);
    while (got < 0 && errno == EINTR);
    if (got < 0) {
        im->io_errno = errno;
        return -1;
    }
    sha256_update(&im->hash, buffer, (size_t)got);
    im->bytes += got;
    return (int)got;
}

static int close_cb(void *ctx)
{
    (void)ctx;
    return 0;
}

/* ---- the reader loop --------------------------------------------------- */

static long reader_line(xmlTextReaderPtr rd)
{
    xmlNodePtr n = xmlTextReaderCurrentNode(rd);
    long l = n ? xmlGetLineNo(n) : -1;
    return l > 0 ? l : xmlTextReaderGetParserLineNumber(rd);
}

static int is_blank(const xmlChar *t)
{
    for (; t && *t; t++)
        if (*t != ' ' && *t != '\t' && *t != '\n' && *t != '\r')
            return 0;
    return 1;
}

/* Refuse DOCTYPE and entity references wherever they appear. */
static int hostile(struct imp *im, xmlTextReaderPtr rd, int type)
{
    if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
        imp_file_error(im, 0, "DOCTYPE declarations are not allowed (no DTDs "
                       "or entities in an export)");
        return 1;
    }
    if (type == XML_READER_TYPE_ENTITY_REFERENCE ||
        type == XML_READER_TYPE_ENTITY) {
        imp_file_error(im, xmlTextReaderGetParserLineNumber(rd),
                       "entity references are not allowed");
        return 1;
    }
    return 0;
}

/* Copy the current record (not empty) into im->rdoc, child elements at
 * depth 3 included, reading up to its end tag.  Bounded: at most
 * IMP_MAX_CHILDREN children and IMP_RECORD_TEXT_MAX bytes of text are kept;
 * an element deeper than the format allows refuses the file.  Returns
 * the copy (owned by im->rdoc) or NULL after a file error; *rc is the
 * last xmlTextReaderRead result. */
static xmlNodePtr copy_record(struct imp *im, xmlTextReaderPtr rd, int *rc)
{
    xmlNodePtr top = xmlDocCopyNode(xmlTextReaderCurrentNode(rd), im->rdoc, 2);
    xmlNodePtr child = NULL;
    size_t text = 0;
    int nchild = 0, over = 0;

    if (!top) {
        imp_file_error(im, im->rec_line, "out of memory");
        return NULL;
    }
    xmlDocSetRootElement(im->rdoc, top);
    while ((*rc = xmlTextReaderRead(rd)) == 1) {
        int type = xmlTextReaderNodeType(rd), depth = xmlTextReaderDepth(rd);
        if (hostile(im, rd, type))
            goto fail;
        if (type == XML_READER_TYPE_END_ELEMENT && depth == 2)
            break;
        if (type == XML_READER_TYPE_ELEMENT) {
            if (depth > MAX_DEPTH) {
                imp_file_error(im, reader_line(rd),
                               "element <%.60s> is nested deeper than an "
                               "export allows (4 levels)",
                               xmlTextReaderConstLocalName(rd));
                goto fail;
            }
            if (nchild >= IMP_MAX_CHILDREN) {
                over = 1;
                child = NULL;
                continue;
            }
            child = xmlDocCopyNode(xmlTextReaderCurrentNode(rd), im->rdoc, 2);
            if (!child || !xmlAddChild(top, child)) {
                xmlFreeNode(child);
                imp_file_error(im, reader_line(rd), "out of memory");
                goto fail;
            }
            im->lines[im->nlines].node = child;
            im->lines[im->nlines++].line = reader_line(rd);
            nchild++;
        } else if (type == XML_READER_TYPE_TEXT ||
                   type == XML_READER_TYPE_CDATA) {
            const xmlChar *v = xmlTextReaderConstValue(rd);
            size_t n = v ? strlen((const char *)v) : 0;
            /* record text is at depth 3, a child's text at depth 4 */
            xmlNodePtr into = depth == MAX_DEPTH ? top : child;
            if (text + n > IMP_RECORD_TEXT_MAX) {
                over = 2;
                continue;
            }
            text += n;
            if (into && !xmlAddChild(into, xmlNewDocTextLen(im->rdoc, v, (int)n))) {
                imp_file_error(im, reader_line(rd), "out of memory");
                goto fail;
            }
        }
    }
    if (*rc != 1)
        goto fail;
    if (over) {
        xmlChar *id = xmlGetNoNsProp(top, BAD_CAST "id");
        if (over == 1)
            imp_rec_error(im, im->rec_line, im->kd->element, (const char *)id,
                          "more than %d child elements", IMP_MAX_CHILDREN);
        else
            imp_rec_error(im, im->rec_line, im->kd->element, (const char *)id,
                          "more than %d bytes of text", IMP_RECORD_TEXT_MAX);
        xmlFree(id);
    }
    return top;
fail:
    xmlUnlinkNode(top);
    xmlFreeNode(top);
    return NULL;
}

/* n digits at s, their value into *v. */
static int digits_at(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        *v = *v * 10 + (s[i] - '0');
    }
    return 1;
}

/* The export's time stamp: YYYY-MM-DDThh:mm:ss[.f+][Z|+hh:mm|-hh:mm] with
 * a real date and time (erp.xsd's k:stamp), so that the stored value
 * compares as an instant (store_import_check_order). */
static int valid_stamp(const char *s)
{
    int y, mo, d, h, mi, se, day;
    char ymd[11];
    size_t i = 19;

    if (strlen(s) < 19 || strlen(s) > 40 || s[4] != '-' || s[7] != '-' ||
        s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
        !digits_at(s, 4, &y) || !digits_at(s + 5, 2, &mo) ||
        !digits_at(s + 8, 2, &d) || !digits_at(s + 11, 2, &h) ||
        !digits_at(s + 14, 2, &mi) || !digits_at(s + 17, 2, &se) ||
        h > 23 || mi > 59 || se > 59)
        return 0;
    memcpy(ymd, s, 10);
    ymd[10] = '\0';
    if (date_parse(ymd, &day))
        return 0;
    if (s[i] == '.') {
        size_t k = ++i;
        while (s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == k)
            return 0;
    }
    if (s[i] == 'Z')
        return s[i + 1] == '\0';
    if (s[i] == '+' || s[i] == '-')
        return strlen(s + i) == 6 && s[i + 3] == ':' &&
               digits_at(s + i + 1, 2, &h) && digits_at(s + i + 4, 2, &mi) &&
               h <= 14 && mi <= 59;
    return s[i] == '\0';
}

/* The root element: name, namespace, attributes; opens the import row. */
static int start_root(struct imp *im, xmlTextReaderPtr rd, struct err *e)
{
    xmlNodePtr root = xmlTextReaderCurrentNode(rd);
    const xmlChar *ns = xmlTextReaderConstNamespaceUri(rd);
    const char *company = NULL, *period = NULL, *exported = NULL;
    long line = reader_line(rd);
    struct err why;

    if (strcmp((const char *)xmlTextReaderConstLocalName(rd), "export") ||
        !ns || strcmp((const char *)ns, IMP_NS_ERP)) {
        imp_file_error(im, line, "root element is <%.60s>%s, expected "
                       "<export xmlns=\"" IMP_NS_ERP "\"> (use --xslt for "
                       "another layout)",
                       xmlTextReaderConstLocalName(rd),
                       ns ? "" : " without the keqing namespace");
        return ERR_OK;
    }
    for (xmlAttrPtr a = root->properties; a; a = a->next) {
        const char *n = (const char *)a->name;
        if (a->ns)
            continue;
        if (!strcmp(n, "company"))
            company = imp_attr_value(a);
        else if (!strcmp(n, "period"))
            period = imp_attr_value(a);
        else if (!strcmp(n, "exported"))
            exported = imp_attr_value(a);
        else
            imp_file_error(im, line, "export: unknown attribute '%.60s'", n);
    }
    {
        int y, m;
        if (!period)
            imp_file_error(im, line, "export: missing attribute 'period'");
        else if (date_parse_month(period, &y, &m))
            imp_file_error(im, line, "export: period: '%.40s' is not a month "
                           "(YYYY-MM)", period);
        else if (im->o->expect_period &&
                 strcmp(period, im->o->expect_period))
            imp_file_error(im, line, "export: this is the export for period "
                           "%s, not %s (use --period %s, or give the export "
                           "for %s)",
                           period, im->o->expect_period, period,
                           im->o->expect_period);
    }
    if (company) {
        static const struct fld f = {"company", "company", FT_NAME, 0, NULL, 0};
        if (record_check_value(&f, company, &why))
            imp_file_error(im, line, "export: company: %s", why.msg);
    }
    if (exported && !valid_stamp(exported))
        imp_file_error(im, line, "export: exported: '%.40s' is not a date-time "
                       "(YYYY-MM-DDThh:mm:ss+08:00)", exported);
    if (im->fatal)
        return ERR_OK;
    return imp_q_file_begin(im->q, im->nfs - 1, im->file, company, period,
                            exported, e);
}

/* A section element at depth 1. */
static void start_section(struct imp *im, xmlTextReaderPtr rd)
{
    const char *name = (const char *)xmlTextReaderConstLocalName(rd);
    const xmlChar *ns = xmlTextReaderConstNamespaceUri(rd);
    int i;
    for (i = 0; i < SEC_N; i++)
        if (!strcmp(name, sections[i]))
            break;
    if (i == SEC_N || !ns || strcmp((const char *)ns, IMP_NS_ERP)) {
        imp_file_error(im, reader_line(rd), "unexpected element <%.60s> in "
                       "<export> (sections are regions, staff, customers, "
                       "cards, activities)", name);
        return;
    }
    if (i <= im->section) {
        imp_file_error(im, reader_line(rd), "section <%s> out of order or "
                       "repeated (order: regions, staff, customers, cards, "
                       "activities)", name);
        return;
    }
    if (xmlTextReaderHasAttributes(rd)) {
        imp_file_error(im, reader_line(rd), "section <%s> takes no attributes",
                       name);
        return;
    }
    im->section = i;
}

/* The record kind of an element in the current section, or NULL. */
static const struct kind_def *record_in_section(struct imp *im,
                                                xmlTextReaderPtr rd)
{
    const struct kind_def *kd =
        record_kind_by_element((const char *)xmlTextReaderConstLocalName(rd));
    const xmlChar *ns = xmlTextReaderConstNamespaceUri(rd);
    if (!kd || !ns || strcmp((const char *)ns, IMP_NS_ERP) ||
        strcmp(kd->section, sections[im->section]))
        return NULL;
    return kd;
}

/* One record element at depth 2; *rc: the reader's state afterwards. */
static int on_record(struct imp *im, xmlTextReaderPtr rd, int *rcr,
                     struct err *e)
{
    xmlNodePtr node;
    int rc = ERR_OK;

    im->kd = record_in_section(im, rd);
    im->rec_line = reader_line(rd);
    im->rec_id = NULL;
    im->nlines = 0;
    im->rec_bad = 0;
    im->rec_msgs = 0;
    if (!im->kd) {
        /* Not a record of this section: refuse the element, skip it. */
        static const struct kind_def unknown = {REC_NKINDS, "element", "", "",
                                                "", NULL, 0, 0};
        const char *name = (const char *)xmlTextReaderConstLocalName(rd);
        char what[96];
        snprintf(what, sizeof what, "<%.60s>", name);
        im->kd = &unknown;
        im->st->read++;
        imp_rec_error(im, im->rec_line, what, NULL, "not allowed in <%s>",
                      sections[im->section]);
        imp_count_reject(im);
        if (!xmlTextReaderIsEmptyElement(rd)) {
            xmlNodePtr copy = copy_record(im, rd, rcr);
            xmlUnlinkNode(copy);
            xmlFreeNode(copy);
        }
        if (*rcr == 1)
            *rcr = xmlTextReaderRead(rd);
        im->kd = NULL;
        return ERR_OK;
    }
    if (xmlTextReaderIsEmptyElement(rd)) {
        node = xmlTextReaderCurrentNode(rd);
        im->lines[0].node = node;
        im->lines[0].line = im->rec_line;
        im->nlines = 1;
        rc = imp_process_record(im, node, e);
        *rcr = xmlTextReaderRead(rd);
        return rc;
    }
    im->lines[0].line = im->rec_line;
    im->nlines = 1;
    node = copy_record(im, rd, rcr);
    if (node) {
        im->lines[0].node = node;
        if (im->rec_bad) {
            im->st->read++;
            imp_count_reject(im);
        } else {
            rc = imp_process_record(im, node, e);
        }
        xmlUnlinkNode(node);
        xmlFreeNode(node);
    }
    if (*rcr == 1 && !im->fatal)
        *rcr = xmlTextReaderRead(rd);
    return rc;
}

/* Read one document from rd to its end (or the first file error). */
int imp_read_doc(struct imp *im, xmlTextReaderPtr rd, struct err *e)
{
    int r = xmlTextReaderRead(rd), rc = ERR_OK, seen_root = 0;

    while (r == 1 && !rc && !im->fatal) {
        int type = xmlTextReaderNodeType(rd), depth = xmlTextReaderDepth(rd);
        if (hostile(im, rd, type))
            break;
        if (type == XML_READER_TYPE_ELEMENT) {
            if (depth == 0) {
                if (seen_root++)
                    break;      /* the parser reports the extra content */
                rc = start_root(im, rd, e);
            } else if (depth == 1) {
                start_section(im, rd);
            } else if (depth == 2) {
                hook_point("import-record");
                if (stop_requested()) {
                    rc = err_set(e, ERR_STOPPED, "import stopped by a "
                                 "signal: nothing was stored");
                    break;
                }
                rc = on_record(im, rd, &r, e);
                continue;
            } else {
                imp_file_error(im, reader_line(rd),
                               "unexpected element <%.60s>",
                               xmlTextReaderConstLocalName(rd));
            }
        } else if ((type == XML_READER_TYPE_TEXT ||
                    type == XML_READER_TYPE_CDATA) &&
                   !is_blank(xmlTextReaderConstValue(rd))) {
            imp_file_error(im, reader_line(rd), "unexpected text in <%s>",
                           depth <= 1 ? "export" : sections[im->section]);
        }
        r = xmlTextReaderRead(rd);
    }
    if (rc)
        return rc;
    if (im->io_errno)
        return err_set(e, ERR_IO, "%s: read error: %s", im->shown,
                       strerror(im->io_errno));
    if (r < 0 && !im->fatal)
        imp_file_error(im, xmlTextReaderGetParserLineNumber(rd),
                       "not well-formed XML");
    if (!im->fatal && !seen_root)
        imp_file_error(im, 0, "empty document (no <export> element)");
    return ERR_OK;
}

/* ---- files ------------------------------------------------------------- */

void imp_begin_file(struct imp *im, const char *path, const char *shown)
{
    im->file = path;
    im->shown = shown;
    im->fatal = 0;
    im->io_errno = 0;
    im->bytes = 0;
    im->section = SEC_NONE;
    sha256_init(&im->hash);
    pthread_mutex_lock(&im->mu);
    memset(&im->fs[im->nfs], 0, sizeof im->fs[im->nfs]);
    snprintf(im->fs[im->nfs].shown, sizeof im->fs[im->nfs].shown, "%s", shown);
    im->nfs++;
    pthread_mutex_unlock(&im->mu);
}

int imp_end_file(struct imp *im, double t0, const char *hex, struct err *e)
{
    struct file_stats *f = &im->fs[im->nfs - 1];
    pthread_mutex_lock(&im->mu);
    snprintf(f->sha256, sizeof f->sha256, "%s", hex);
    f->bytes = im->bytes;
    f->seconds = imp_now() - t0;
    pthread_mutex_unlock(&im->mu);
    return imp_q_file_end(im->q, e);
}

int imp_open(const char *path, const char *what, int *fd, struct err *e)
{
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0)
        return err_set(e, ERR_NOINPUT, "%s: cannot open%s%s: %s", path,
                       *what ? " " : "", what, strerror(errno));
    return ERR_OK;
}

static int open_input(struct imp *im, const char *path, struct err *e)
{
    struct stat sb;
    int rc = imp_open(path, "", &im->fd, e);
    if (rc)
        return rc;
    if (fstat(im->fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        close(im->fd);
        im->fd = -1;
        return err_set(e, ERR_NOINPUT, "%s: is a folder, not a file", path);
    }
    return ERR_OK;
}

/* A canonical file, streamed. */
int imp_stream(struct imp *im, const char *path, struct err *e)
{
    double t0 = imp_now();
    unsigned char dig[32];
    char hex[65];
    xmlTextReaderPtr rd;
    int rc = open_input(im, path, e);

    if (rc)
        return rc;
    imp_begin_file(im, path, path);
    rd = xmlReaderForIO(read_cb, close_cb, im, path, NULL, IMP_PARSE_OPTS);
    if (!rd) {
        close(im->fd);
        return err_set(e, ERR_NOMEM, "%s: cannot create an XML reader", path);
    }
    xmlTextReaderSetStructuredErrorHandler(rd, imp_on_xml_error, im);
    rc = imp_read_doc(im, rd, e);
    xmlFreeTextReader(rd);
    close(im->fd);
    im->fd = -1;
    sha256_final(&im->hash, dig);
    sha256_hex(dig, hex);
    if (!rc && !im->fatal)
        rc = imp_end_file(im, t0, hex, e);
    return rc;
}
