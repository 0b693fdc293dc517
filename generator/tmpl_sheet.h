/* tmpl_sheet -- the sheet template: every word, colour and unit of a
 * person's assessment sheet that HR may change without recompiling.
 *
 * Stage 4 (render).  `keqing render` loads TEMPLATES/sheet/person.xml
 * (format: doc/templates.md, XSD: TEMPLATES/schema/sheet.xsd) once per
 * run; the layout (sheet_person.c) and the comment writer (sheet_comment.c)
 * read the loaded struct tmpl and never hard-code wording.
 *
 * Invariants of a loaded struct tmpl (checked on load; a broken template
 * is refused with "FILE:LINE: sheet template: reason"): every text key of
 * enum tmpl_key is present exactly once and non-empty (except `company`,
 * which may be empty: then the export's company is printed), uses only
 * the {placeholders} allowed for that key; every colour is six hex
 * digits; every indicator has a unit (possibly empty) and every group a
 * name; the appeal deadline is 1..365 days.
 *
 * Parsing: a libxml2 tree with network access off, no DTD loading and no
 * entity substitution; a <!DOCTYPE> is refused.
 */
#ifndef KQ_TMPL_SHEET_H
#define KQ_TMPL_SHEET_H

#include "roles.h"

#include <stddef.h>
#include <stdint.h>

struct buf;
struct err;

/* The text keys; tmpl_key_name() gives the key as written in the XML. */
enum tmpl_key {
    TMPL_TITLE, TMPL_PERIOD_VALUE,
    TMPL_LABEL_NAME, TMPL_LABEL_ID, TMPL_LABEL_ROLE, TMPL_LABEL_REGION,
    TMPL_LABEL_MANAGER, TMPL_LABEL_PERIOD, TMPL_LEFT_MARK, TMPL_LEFT_PERIOD,
    TMPL_COL_INDICATOR, TMPL_COL_TARGET, TMPL_COL_ACTUAL, TMPL_COL_RATE,
    TMPL_COL_WEIGHT, TMPL_COL_SCORE,
    TMPL_NA, TMPL_NA_NOTE, TMPL_OWN_ROW, TMPL_TEAM_ROW, TMPL_TOTAL_LABEL,
    TMPL_GRADE_LABEL, TMPL_NO_TOTAL, TMPL_RANK,
    TMPL_CHART_GROUPS, TMPL_CHART_TREND, TMPL_COMMENT_LABEL,
    TMPL_SIGN_ASSESSEE, TMPL_SIGN_ASSESSOR, TMPL_SIGN_HR, TMPL_DATE_LINE,
    TMPL_ACKNOWLEDGMENT, TMPL_APPEAL,
    TMPL_DOC_NO, TMPL_PAGE, TMPL_SOURCE, TMPL_CONTINUED,
    TMPL_C_BEST, TMPL_C_WORST, TMPL_C_ALL_MET, TMPL_C_UP, TMPL_C_DOWN,
    TMPL_C_SAME, TMPL_C_FIRST, TMPL_C_RATE_UP, TMPL_C_RATE_DOWN, TMPL_C_NA,
    TMPL_C_NA_COUNT,
    TMPL_C_TEAM, TMPL_C_NO_TOTAL, TMPL_C_LIST_SEP, TMPL_C_SEP, TMPL_C_END,
    TMPL_HIRED_MARK, TMPL_TREND_SINGLE,
    TMPL_NKEY
};

/* The colours (0xRRGGBB). */
enum tmpl_color {
    TMPL_COL_HEADER, TMPL_COL_HEADER_TEXT, TMPL_COL_GROUP, TMPL_COL_TOTAL,
    TMPL_COL_LINE, TMPL_COL_LABEL, TMPL_COL_TEXT, TMPL_COL_MUTED,
    TMPL_COL_COMPANY, TMPL_COL_BAR, TMPL_COL_BAR_MAX, TMPL_COL_TREND,
    TMPL_COL_GRID, TMPL_COL_MARK, TMPL_COL_BOX,
    TMPL_NCOLOR
};

/* The three indicator groups A, B, C. */
#define TMPL_NGROUP 3

struct tmpl {
    char *file;                     /* owned: where it was loaded from */
    char *company;                  /* owned: "" = the export's company */
    char *text[TMPL_NKEY];          /* owned */
    uint32_t color[TMPL_NCOLOR];
    char *unit[ROLES_NIND];         /* owned: 人, 次, 家 ... */
    char *group[TMPL_NGROUP];       /* owned: 一、个人关系密切程度 ... */
    int appeal_days;                /* {days} of the appeal text */
    char *appeal_to;                /* owned: {to} of the appeal text */
};

/* The XML key of k ("title", "c_best"...), and the placeholders that k
 * may use, space-separated ("" when none). */
const char *tmpl_key_name(enum tmpl_key k);
const char *tmpl_key_params(enum tmpl_key k);
/* The XML key of colour c ("header"...). */
const char *tmpl_color_name(enum tmpl_color c);

/* Parse and check a template held in memory.  name is used in messages
 * (the file's path); xsd (may be NULL) is sheet.xsd to validate against
 * first.  On success *out is filled (owned: tmpl_free); on failure *out
 * is zeroed and e says "FILE:LINE: sheet template: reason" (ERR_DATA), or
 * ERR_NOMEM. */
int tmpl_parse(const char *data, size_t n, const char *name,
               const char *xsd, struct tmpl *out, struct err *e);

/* Load TEMPLATES/sheet/person.xml, validating it against
 * TEMPLATES/schema/sheet.xsd when that file exists.  ERR_NOINPUT when
 * missing, else as tmpl_parse. */
int tmpl_load_person(const char *templates_dir, struct tmpl *out,
                     struct err *e);

/* Release t's strings and zero it (NULL is fine). */
void tmpl_free(struct tmpl *t);

/* Append pattern to out with each {name} replaced by the value of the
 * same index in names/values (n pairs); "{{" and "}}" give braces.  A
 * placeholder not in names is an error (ERR_DATA; loaded templates never
 * have one).  ERR_NOMEM/ERR_DATA from buf as well. */
int tmpl_format(struct buf *out, const char *pattern,
                const char *const *names, const char *const *values,
                size_t n, struct err *e);

#endif
