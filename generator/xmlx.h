/* xmlx -- the libxml2 plumbing shared by the template loaders (roles.c,
 * tmpl_sheet.c, tmpl_region.c): a small XML file read with a size limit,
 * parsed into a tree safely, checked for its root element and validated
 * against an XSD, every failure told as "FILE:LINE: KIND template: reason".
 *
 * Templates are read before score and render use them; the ERP export is
 * not parsed here (import_xml.c streams it).
 *
 * Safety: network access off (XML_PARSE_NONET), no DTD loading, no entity
 * substitution, and a <!DOCTYPE> of any kind refused, so nothing a file
 * declares takes effect.  libxml2's own messages never reach stderr: they
 * are caught while parsing (the caller's structured error handler is put
 * back afterwards) and the first one goes into the struct err.
 */
#ifndef KQ_XMLX_H
#define KQ_XMLX_H

#include <libxml/tree.h>

#include <stddef.h>

struct err;

/* One family of templates.  Messages say "KIND template: ...", "cannot
 * read the KIND schema" and "does not match KIND.xsd". */
struct xmlx_spec {
    const char *kind;   /* "role", "sheet" */
    const char *ns;     /* namespace URI of every element */
    const char *root;   /* local name of the root element */
    size_t max;         /* largest template accepted, bytes */
};

/* Parse data[0..n) (name: the path, for messages) safely; refuse more
 * than s->max bytes, a DOCTYPE, and a root other than <s->root xmlns=
 * "s->ns">; then validate against xsd when not NULL (xmlx_validate).
 * ERR_OK with *doc owned (xmlFreeDoc); else *doc is NULL and e holds
 * "NAME:LINE: KIND template: reason" (ERR_DATA) or ERR_NOMEM. */
int xmlx_parse(const struct xmlx_spec *s, const char *data, size_t n,
               const char *name, const char *xsd, xmlDoc **doc,
               struct err *e);

/* Read the file path (at most s->max bytes) and xmlx_parse it, validating
 * against xsd only when that file exists (xsd may be NULL).  Adds
 * ERR_NOINPUT (missing or unreadable) and ERR_IO to xmlx_parse's codes;
 * a larger file is ERR_DATA "PATH: larger than MAX bytes". */
int xmlx_load(const struct xmlx_spec *s, const char *path, const char *xsd,
              xmlDoc **doc, struct err *e);

/* Validate doc (read from name) against the XSD file xsd.  ERR_OK;
 * ERR_DATA "NAME:LINE: KIND template: <libxml2's first message>", or
 * "XSD: cannot read the KIND schema: <why>" when xsd does not load;
 * ERR_NOMEM. */
int xmlx_validate(const struct xmlx_spec *s, xmlDoc *doc, const char *xsd,
                  const char *name, struct err *e);

/* 1 when n is the element <name> of the namespace s->ns, else 0. */
int xmlx_is_el(const struct xmlx_spec *s, const xmlNode *n,
               const char *name);

/* ERR_DATA with "FILE:LINE-of-n: KIND template: what" (line 0 when n is
 * NULL); returns ERR_DATA. */
int xmlx_fail_at(const struct xmlx_spec *s, struct err *e, const char *file,
                 const xmlNode *n, const char *what);

/* The value of n's attribute name: owned (xmlFree), NULL when absent. */
char *xmlx_attr(xmlNode *n, const char *name);

#endif
