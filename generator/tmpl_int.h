/* tmpl_int -- what the template loaders (tmpl_sheet.c, tmpl_region.c)
 * share; not for other modules.  Helpers over a libxml2 tree of a sheet
 * template (namespace urn:keqing:sheet:1); every message is
 * "FILE:LINE: sheet template: reason" (ERR_DATA). */
#ifndef KQ_TMPL_INT_H
#define KQ_TMPL_INT_H

#include "xmlx.h"

#include <libxml/tree.h>

#include <stddef.h>
#include <stdint.h>

struct err;

/* Both templates: <sheet xmlns="urn:keqing:sheet:1">, at most 256 KiB,
 * messages "... sheet template: ...".  Parse with xmlx_parse/xmlx_load. */
extern const struct xmlx_spec tmpl_xml;

/* A text key as written in the XML, the placeholders it may use,
 * space-separated ("" when none), and - for keys added after schema 1,
 * so that HR's earlier templates still load - the text used when the
 * template lacks the key (NULL: the key is required). */
struct tmpl_keydef {
    const char *name, *params, *def;
};

/* 1 when n is the element <name> of the sheet namespace. */
int tmpl_is_el(const xmlNode *n, const char *name);

/* ERR_DATA with "file:LINE-of-n: sheet template: what". */
int tmpl_fail_at(struct err *e, const char *file, const xmlNode *n,
                 const char *what);

/* 1 when s holds a control character. */
int tmpl_has_control(const char *s);

/* <text key="K">value</text>: K one of defs[0..nkey), not yet in text[]
 * (text[k] != NULL means seen); stores the trimmed value, owned
 * (mem_free), in text[k] after checking it is non-empty, has no control
 * character and uses only the placeholders of defs[k].  ERR_OK, ERR_DATA,
 * ERR_NOMEM. */
int tmpl_read_text(xmlNode *n, const struct tmpl_keydef *defs, int nkey,
                   char **text, const char *file, struct err *e);

/* <color key="K">RRGGBB</color>: K one of names[0..ncolor) with seen[k]
 * still 0; sets color[k] and seen[k].  ERR_OK, ERR_DATA, ERR_NOMEM. */
int tmpl_read_color(xmlNode *n, const char *const *names, int ncolor,
                    uint32_t *color, int *seen, const char *file,
                    struct err *e);

/* <company>: its trimmed text into *company (owned, mem_free; may be "";
 * also set when refused for a control character).  ERR_OK, ERR_DATA,
 * ERR_NOMEM. */
int tmpl_read_company(xmlNode *n, char **company, const char *file,
                      struct err *e);

/* ERR_OK when every text[0..nkey) is set (a missing key with a default
 * gets a copy of it) and every seen[0..ncolor) is 1; else ERR_DATA "text
 * key 'K' missing" / "colour 'C' missing" at root, the first missing key
 * before any missing colour; ERR_NOMEM. */
int tmpl_check_present(xmlNode *root, const struct tmpl_keydef *defs,
                       int nkey, char **text, const char *const *names,
                       int ncolor, const int *seen, const char *file,
                       struct err *e);

#endif
