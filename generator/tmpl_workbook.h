/* tmpl_workbook -- the spreadsheet template: the sheet names, column
 * headers, words and colours of the period's Excel workbook
 * (keqing-YYYY-MM.xlsx), and how the CSVs are written for people, that
 * HR may change without recompiling.
 *
 * Stage 4 (render).  `keqing score` (and so `run`) loads
 * TEMPLATES/sheet/workbook.xml (format: doc/templates.md, XSD:
 * TEMPLATES/schema/workbook.xsd) once per run; render_xlsx.c reads the
 * loaded struct and never hard-codes wording.
 *
 * Every key, colour and setting has a default, so a templates folder
 * made before the workbook existed still scores: tmpl_workbook_load
 * gives the defaults when the file is missing (*missing = 1).  What the
 * file gives is checked on load (a broken one is refused with
 * "FILE:LINE: sheet template: reason"): a text key at most once,
 * non-empty, at most TMPL_WB_MAX_CHARS characters, no control characters
 * and no {placeholder}; sheet names as Excel wants them (1-31
 * characters, none of : \ / ? * [ ], no apostrophe first or last,
 * different from each other ignoring ASCII case); colours six hex
 * digits; at most TMPL_WB_MAX_GRADES <grade label=... color=...>, each
 * label once.  Parsing as tmpl_sheet.h (no network, no DTD, no
 * entities).  No global state: safe from any thread.
 */
#ifndef KQ_TMPL_WORKBOOK_H
#define KQ_TMPL_WORKBOOK_H

#include <stddef.h>
#include <stdint.h>

struct err;

/* The text keys, in the order of tmpl_workbook_key_name(). */
enum tmpl_wb_key {
    /* sheet names */
    TMPL_WB_SHEET_TOTALS, TMPL_WB_SHEET_SCORES, TMPL_WB_SHEET_REGIONS,
    TMPL_WB_SHEET_RISKS,
    /* columns */
    TMPL_WB_COL_PERIOD, TMPL_WB_COL_ID, TMPL_WB_COL_NAME, TMPL_WB_COL_ROLE,
    TMPL_WB_COL_REGION, TMPL_WB_COL_REGION_NAME, TMPL_WB_COL_STATUS,
    TMPL_WB_COL_OWN, TMPL_WB_COL_TEAM, TMPL_WB_COL_TOTAL, TMPL_WB_COL_GRADE,
    TMPL_WB_COL_RANK,
    TMPL_WB_COL_INDICATOR, TMPL_WB_COL_INDICATOR_NAME, TMPL_WB_COL_NUMERATOR,
    TMPL_WB_COL_DENOMINATOR, TMPL_WB_COL_RATE, TMPL_WB_COL_TARGET,
    TMPL_WB_COL_WEIGHT, TMPL_WB_COL_SCORE,
    TMPL_WB_COL_PARENT, TMPL_WB_COL_MANAGER, TMPL_WB_COL_PEOPLE,
    TMPL_WB_COL_SCORED, TMPL_WB_COL_MEAN, TMPL_WB_COL_MEDIAN, TMPL_WB_COL_MOM,
    TMPL_WB_COL_RISK, TMPL_WB_COL_CUSTOMER, TMPL_WB_COL_CUSTOMER_NAME,
    TMPL_WB_COL_OWNER, TMPL_WB_COL_FROM, TMPL_WB_COL_HANDOVER,
    TMPL_WB_COL_COUNT, TMPL_WB_COL_KEYS, TMPL_WB_COL_SINCE,
    /* words in cells */
    TMPL_WB_ACTIVE, TMPL_WB_LEFT, TMPL_WB_RISK_HANDOVER, TMPL_WB_RISK_SINGLE,
    TMPL_WB_TITLE,
    TMPL_WB_NKEY
};

enum tmpl_wb_color {
    TMPL_WBC_HEADER, TMPL_WBC_HEADER_TEXT,
    TMPL_WBC_N
};

#define TMPL_WB_MAX_GRADES 16
#define TMPL_WB_MAX_CHARS 255       /* characters of any text */

struct tmpl_wb_grade {
    char *label;                    /* owned: 优秀 ... */
    uint32_t color;                 /* 0xRRGGBB, the cell's fill */
};

struct tmpl_workbook {
    char *file;                     /* owned: where it was loaded from, or
                                       "(built-in)" */
    char *company;                  /* owned: unused, always "" */
    char *text[TMPL_WB_NKEY];       /* owned */
    uint32_t color[TMPL_WBC_N];
    struct tmpl_wb_grade grade[TMPL_WB_MAX_GRADES];
    int ngrade;
    int csv_bom;                    /* <csv bom="yes">: the CSVs begin with
                                       a UTF-8 byte-order mark */
};

/* The XML key of k ("sheet_totals", "col_id"...), and of colour c. */
const char *tmpl_workbook_key_name(enum tmpl_wb_key k);
const char *tmpl_workbook_color_name(enum tmpl_wb_color c);

/* Parse and check a template held in memory (name: for messages; xsd:
 * workbook.xsd to validate against first, or NULL).  *out is filled
 * (owned: tmpl_workbook_free), defaults for what it lacks.  ERR_OK,
 * ERR_DATA ("FILE:LINE: sheet template: reason"), ERR_NOMEM. */
int tmpl_workbook_parse(const char *data, size_t n, const char *name,
                        const char *xsd, struct tmpl_workbook *out,
                        struct err *e);

/* Load TEMPLATES/sheet/workbook.xml (validated against
 * TEMPLATES/schema/workbook.xsd when that exists); when the file does
 * not exist, the defaults, and *missing = 1 (else 0).  As
 * tmpl_workbook_parse otherwise. */
int tmpl_workbook_load(const char *templates_dir, struct tmpl_workbook *out,
                       int *missing, struct err *e);

/* The fill colour of grade label g (0xRRGGBB), or -1 when the template
 * gives it none. */
long tmpl_workbook_grade_color(const struct tmpl_workbook *t, const char *g);

/* Release t's strings and zero it (NULL is fine). */
void tmpl_workbook_free(struct tmpl_workbook *t);

#endif
