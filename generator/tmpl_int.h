/* tmpl_int -- what the template loaders (tmpl_sheet.c, tmpl_region.c)
 * share; not for other modules.  Helpers over a libxml2 tree of a sheet
 * template (namespace urn:keqing:sheet:1), defined in tmpl_sheet.c: the
 * parse and load glue (tmpl_parse_kind, tmpl_load_kind), the elements both
 * templates have (<text>, <color>, <company>) and the checks of their
 * values; every message is "FILE:LINE: sheet template: reason"
 * (ERR_DATA).  No state: safe from any thread (libxml2 as xmlx.c sets
 * it up). */
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

/* A kind of template: where it lives under TEMPLATES, and how its
 * loader checks a parsed tree into its struct. */
struct tmpl_kind {
    const char *file, *xsd;     /* "sheet/person.xml", "schema/sheet.xsd" */
    size_t size;                /* of the struct filled */
    /* Check root (of the document read from file) into the zeroed out:
     * ERR_OK, ERR_DATA, ERR_NOMEM; out may be partly filled on failure. */
    int (*read_root)(xmlNode *root, void *out, const char *file,
                     struct err *e);
    void (*free)(void *out);    /* release what out holds, zero it */
};

/* Parse the template data[0..n) (named name in messages; validated
 * against the XSD file xsd when not NULL) into out, zeroed first; on
 * failure out is freed and zeroed again.  ERR_OK, ERR_DATA, ERR_NOMEM. */
int tmpl_parse_kind(const struct tmpl_kind *k, const char *data, size_t n,
                    const char *name, const char *xsd, void *out,
                    struct err *e);

/* Load TEMPLATES/k->file (validated against TEMPLATES/k->xsd when that
 * exists) into out, as tmpl_parse_kind; ERR_NOINPUT when the file is
 * missing (xmlx_load). */
int tmpl_load_kind(const struct tmpl_kind *k, const char *templates_dir,
                   void *out, struct err *e);

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

/* The parts every template has, as a loader holds them (all borrowed):
 * its text keys defs[0..nkey) and their values text[], its colours
 * names[0..ncolor) with color[] and seen[], its company. */
struct tmpl_common {
    const struct tmpl_keydef *defs;
    int nkey;
    char **text;
    const char *const *names;
    int ncolor;
    uint32_t *color;
    int *seen;
    char **company;
};

/* Read n when it is a <text>, a <color> or the first <company>
 * (tmpl_read_text, _color, _company): *done = 1; else *done = 0 and
 * nothing happens.  ERR_OK, ERR_DATA, ERR_NOMEM. */
int tmpl_read_common(xmlNode *n, const struct tmpl_common *c,
                     const char *file, int *done, struct err *e);

/* After the last element: the company "" when the template has none,
 * then tmpl_check_present.  ERR_OK, ERR_DATA, ERR_NOMEM. */
int tmpl_finish_common(xmlNode *root, const struct tmpl_common *c,
                       const char *file, struct err *e);

/* ERR_DATA "unexpected element <NAME>" at n. */
int tmpl_unexpected(struct err *e, const char *file, const xmlNode *n);

#endif
