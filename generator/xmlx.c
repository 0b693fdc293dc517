/* xmlx -- safe parsing and XSD validation of small XML templates (see
 * xmlx.h).  libxml2's errors are kept as "first error + its line" in a
 * struct first_err, filled by a structured error handler.
 */
#include "xmlx.h"
#include "err.h"
#include "fsx.h"
#include "mem.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* The first message libxml2 reported, without its trailing newline. */
struct first_err {
    int line;
    char msg[300];
};

static void keep_first(void *ctx, const xmlError *x)
{
    struct first_err *f = ctx;
    size_t len;
    if (f->msg[0] || !x)
        return;
    f->line = x->line;
    snprintf(f->msg, sizeof f->msg, "%s", x->message ? x->message : "invalid");
    len = strlen(f->msg);
    while (len && (f->msg[len - 1] == '\n' || f->msg[len - 1] == ' '))
        f->msg[--len] = '\0';
}

/* libxml2 2.9 declares the handler with a non-const xmlError. */
static void keep_first_cb(void *ctx, xmlErrorPtr x)
{
    keep_first(ctx, x);
}

int xmlx_fail_at(const struct xmlx_spec *s, struct err *e, const char *file,
                 const xmlNode *n, const char *what)
{
    return err_set(e, ERR_DATA, "%s:%ld: %s template: %s", file,
                   n ? (long)xmlGetLineNo(n) : 0L, s->kind, what);
}

int xmlx_is_el(const struct xmlx_spec *s, const xmlNode *n,
               const char *name)
{
    return n->type == XML_ELEMENT_NODE &&
           strcmp((const char *)n->name, name) == 0 && n->ns &&
           strcmp((const char *)n->ns->href, s->ns) == 0;
}

char *xmlx_attr(xmlNode *n, const char *name)
{
    return (char *)xmlGetProp(n, (const xmlChar *)name);
}

int xmlx_validate(const struct xmlx_spec *s, xmlDoc *doc, const char *xsd,
                  const char *name, struct err *e)
{
    struct first_err fe = {0, ""};
    xmlSchemaParserCtxt *pc = xmlSchemaNewParserCtxt(xsd);
    xmlSchema *schema = NULL;
    xmlSchemaValidCtxt *vc = NULL;
    int rc = ERR_OK;

    if (pc) {
        xmlSchemaSetParserStructuredErrors(pc, keep_first_cb, &fe);
        schema = xmlSchemaParse(pc);
    }
    if (!schema) {
        rc = err_set(e, ERR_DATA, "%s: cannot read the %s schema%s%s", xsd,
                     s->kind, fe.msg[0] ? ": " : "", fe.msg);
    } else if (!(vc = xmlSchemaNewValidCtxt(schema))) {
        rc = err_set(e, ERR_NOMEM, "%s: out of memory", name);
    } else {
        xmlSchemaSetValidStructuredErrors(vc, keep_first_cb, &fe);
        if (xmlSchemaValidateDoc(vc, doc) != 0) {
            if (!fe.msg[0])
                snprintf(fe.msg, sizeof fe.msg, "does not match %s.xsd",
                         s->kind);
            rc = err_set(e, ERR_DATA, "%s:%d: %s template: %s", name,
                         fe.line, s->kind, fe.msg);
        }
    }
    xmlSchemaFreeValidCtxt(vc);
    xmlSchemaFree(schema);
    xmlSchemaFreeParserCtxt(pc);
    return rc;
}

/* Parse data[0..n) with network, DTD loading and entities off.  libxml2's
 * messages are caught: encoding and I/O errors bypass XML_PARSE_NOERROR
 * and would be printed on stderr, and the first one is also the most
 * telling. */
static int parse_safely(const struct xmlx_spec *s, const char *data,
                        size_t n, const char *name, xmlDoc **doc,
                        struct err *e)
{
    xmlStructuredErrorFunc old_fn = xmlStructuredError;
    void *old_ctx = xmlStructuredErrorContext;
    struct first_err fe = {0, ""};
    xmlParserCtxt *ctx = xmlNewParserCtxt();

    if (!ctx)
        return err_set(e, ERR_NOMEM, "%s: out of memory", name);
    xmlSetStructuredErrorFunc(&fe, keep_first_cb);
    *doc = xmlCtxtReadMemory(ctx, data, (int)n, name, NULL,
                             XML_PARSE_NONET | XML_PARSE_NOERROR |
                             XML_PARSE_NOWARNING);
    xmlSetStructuredErrorFunc(old_ctx, old_fn);
    if (!*doc && !fe.msg[0])
        keep_first(&fe, xmlCtxtGetLastError(ctx));
    xmlFreeParserCtxt(ctx);
    if (!*doc)
        return err_set(e, ERR_DATA, "%s:%d: %s template: %s", name, fe.line,
                       s->kind, fe.msg[0] ? fe.msg : "not well-formed XML");
    return ERR_OK;
}

int xmlx_parse(const struct xmlx_spec *s, const char *data, size_t n,
               const char *name, const char *xsd, xmlDoc **doc,
               struct err *e)
{
    xmlDoc *d;
    xmlNode *root;
    char why[300];
    int rc;

    *doc = NULL;
    if (n > s->max)
        return err_set(e, ERR_DATA, "%s: %s template larger than %zu bytes",
                       name, s->kind, s->max);
    if ((rc = parse_safely(s, data, n, name, &d, e)))
        return rc;
    root = xmlDocGetRootElement(d);
    if (d->intSubset || d->extSubset) {
        rc = xmlx_fail_at(s, e, name, root, "a DOCTYPE is not allowed");
    } else if (!root || !xmlx_is_el(s, root, s->root)) {
        snprintf(why, sizeof why, "the root element must be <%s xmlns=\"%s\">",
                 s->root, s->ns);
        rc = xmlx_fail_at(s, e, name, root, why);
    } else if (xsd) {
        rc = xmlx_validate(s, d, xsd, name, e);
    }
    if (rc) {
        xmlFreeDoc(d);
        return rc;
    }
    *doc = d;
    return ERR_OK;
}

int xmlx_load(const struct xmlx_spec *s, const char *path, const char *xsd,
              xmlDoc **doc, struct err *e)
{
    struct stat st;
    char *data = NULL;
    size_t n = 0;
    int rc;

    *doc = NULL;
    if ((rc = fsx_read_file(path, s->max, &data, &n, e)))
        return rc;
    rc = xmlx_parse(s, data, n, path, xsd && stat(xsd, &st) == 0 ? xsd : NULL,
                    doc, e);
    mem_free(data);
    return rc;
}
