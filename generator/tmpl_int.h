/* tmpl_int -- what the template loaders (tmpl_sheet.c, tmpl_region.c)
 * share; not for other modules.  Helpers over a libxml2 tree of a sheet
 * template (namespace urn:keqing:sheet:1); every message is
 * "FILE:LINE: sheet template: reason" (ERR_DATA). */
#ifndef KQ_TMPL_INT_H
#define KQ_TMPL_INT_H

#include <libxml/tree.h>

#include <stddef.h>

struct err;

/* Parse data[0..n) (name: the path, for messages) with network access,
 * DTD loading and entities off; refuse a DOCTYPE and a root other than
 * <sheet xmlns="urn:keqing:sheet:1">; validate against xsd when not
 * NULL.  *doc is owned (xmlFreeDoc), NULL on failure. */
int tmpl_read_doc(const char *data, size_t n, const char *name,
                  const char *xsd, xmlDoc **doc, struct err *e);

/* 1 when n is the element <name> of the sheet namespace. */
int tmpl_is_el(const xmlNode *n, const char *name);

/* ERR_DATA with "file:LINE-of-n: sheet template: what". */
int tmpl_fail_at(struct err *e, const char *file, const xmlNode *n,
                 const char *what);

/* The element's text, trimmed, at most 2,000 bytes, no child elements;
 * owned (mem_free), NULL with e set on failure. */
char *tmpl_elem_text(xmlNode *n, const char *file, struct err *e);

/* 1 when s holds a control character. */
int tmpl_has_control(const char *s);

/* ERR_OK when every {placeholder} of s is in the space-separated list
 * allowed; else ERR_DATA naming key and placeholder. */
int tmpl_check_params(const char *s, const char *allowed, const char *file,
                      const xmlNode *n, const char *key, struct err *e);

#endif
