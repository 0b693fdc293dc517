/* tmpl_region -- the region template: every word, colour and setting of
 * the region summary sheet (客情关系月度考核汇总表) and of the packets that
 * HR may change without recompiling.
 *
 * Stage 4 (render).  `keqing render` loads TEMPLATES/sheet/region.xml
 * (format: doc/templates.md, XSD: TEMPLATES/schema/region.xsd) once per
 * run; the layout (sheet_region.c) and the packets (render_packet.c) read the
 * loaded struct tmpl_region and never hard-code wording.
 *
 * Invariants of a loaded template (checked on load; a broken one is
 * refused with "FILE:LINE: sheet template: reason"): every text key is
 * present exactly once, non-empty, without control characters, using
 * only its own {placeholders}; every colour is six hex digits; the quota
 * names a grade label and a share in (0, 1]; the risk list limit is
 * 0..10000.  Parsing as tmpl_sheet.h (no network, no DTD, no entities).
 */
#ifndef KQ_TMPL_REGION_H
#define KQ_TMPL_REGION_H

#include <stddef.h>
#include <stdint.h>

struct err;

/* The text keys, in the order of tmpl_region_key_name(). */
enum tmpl_region_key {
    TMPL_R_TITLE, TMPL_R_PERIOD_VALUE,
    TMPL_R_LABEL_REGION, TMPL_R_LABEL_PARENT, TMPL_R_LABEL_PERIOD,
    TMPL_R_LABEL_MANAGER, TMPL_R_LABEL_PEOPLE, TMPL_R_LABEL_ID,
    TMPL_R_NO_MANAGER, TMPL_R_NO_PARENT, TMPL_R_PEOPLE_VALUE,
    TMPL_R_SEC_OVERVIEW, TMPL_R_FIG_PEOPLE, TMPL_R_FIG_MEAN,
    TMPL_R_FIG_MEDIAN, TMPL_R_FIG_MOM, TMPL_R_MOM_UP, TMPL_R_MOM_DOWN,
    TMPL_R_MOM_SAME, TMPL_R_MOM_NONE, TMPL_R_NONE, TMPL_R_ROLES_LABEL,
    TMPL_R_ROLE_VALUE,
    TMPL_R_SEC_GRADES, TMPL_R_GRADE_VALUE, TMPL_R_QUOTA_WARN,
    TMPL_R_QUOTA_OK, TMPL_R_SEC_TREND, TMPL_R_TREND_NOTE,
    TMPL_R_SEC_INDICATORS, TMPL_R_COL_INDICATOR, TMPL_R_COL_TARGET,
    TMPL_R_COL_ACTUAL, TMPL_R_COL_RATE, TMPL_R_COL_CHANGE, TMPL_R_COL_GAP,
    TMPL_R_NA, TMPL_R_WEAK_NOTE,
    TMPL_R_SEC_RANKING, TMPL_R_COL_RANK, TMPL_R_COL_NAME, TMPL_R_COL_ID,
    TMPL_R_COL_ROLE, TMPL_R_COL_REGION, TMPL_R_COL_OWN, TMPL_R_COL_TEAM,
    TMPL_R_COL_TOTAL, TMPL_R_COL_GRADE, TMPL_R_LEFT_MARK, TMPL_R_NO_TOTAL,
    TMPL_R_SEC_RISKS, TMPL_R_RISK_SUMMARY, TMPL_R_RISK_HANDOVER,
    TMPL_R_RISK_SINGLE, TMPL_R_COL_CUSTOMER, TMPL_R_COL_RISK,
    TMPL_R_COL_OWNER, TMPL_R_COL_SINCE, TMPL_R_COL_DETAIL,
    TMPL_R_HANDOVER_DETAIL, TMPL_R_SINGLE_DETAIL, TMPL_R_RISK_NONE,
    TMPL_R_RISK_MORE,
    TMPL_R_SIGN_MANAGER, TMPL_R_SIGN_HR, TMPL_R_DATE_LINE,
    TMPL_R_PAGE, TMPL_R_SOURCE, TMPL_R_CONTINUED,
    TMPL_R_PACKET_TITLE, TMPL_R_BM_SUMMARY, TMPL_R_BM_REGION,
    TMPL_R_BM_PERSON, TMPL_R_BLANK,
    TMPL_R_DOC_NO,
    TMPL_R_UNRETURNED,
    TMPL_R_NKEY
};

enum tmpl_region_color {
    TMPL_RC_HEADER, TMPL_RC_HEADER_TEXT, TMPL_RC_SECTION, TMPL_RC_LINE,
    TMPL_RC_LABEL, TMPL_RC_TEXT, TMPL_RC_MUTED, TMPL_RC_COMPANY,
    TMPL_RC_BAR, TMPL_RC_BAR_MAX, TMPL_RC_TREND, TMPL_RC_GRID,
    TMPL_RC_WARN, TMPL_RC_UP, TMPL_RC_DOWN, TMPL_RC_WEAK, TMPL_RC_BOX,
    TMPL_RC_ZEBRA, TMPL_RC_TARGET,
    TMPL_RC_N
};

struct tmpl_region {
    char *file;                     /* owned: where it was loaded from */
    char *company;                  /* owned: "" = the export's company */
    char *text[TMPL_R_NKEY];        /* owned */
    uint32_t color[TMPL_RC_N];
    char *quota_grade;              /* owned: the grade under quota (优秀) */
    double quota_share;             /* its largest share, (0, 1] */
    int max_risks;                  /* risks listed on one sheet */
    int weakest;                    /* indicators highlighted as weakest */
};

/* The XML key of k, and the placeholders it may use ("" when none). */
const char *tmpl_region_key_name(enum tmpl_region_key k);
const char *tmpl_region_key_params(enum tmpl_region_key k);
const char *tmpl_region_color_name(enum tmpl_region_color c);

/* Parse and check a template held in memory (name: its path, for
 * messages; xsd: region.xsd to validate against first, or NULL).  *out
 * is filled (owned: tmpl_region_free) or zeroed on failure; ERR_DATA
 * "FILE:LINE: sheet template: reason", ERR_NOMEM. */
int tmpl_region_parse(const char *data, size_t n, const char *name,
                      const char *xsd, struct tmpl_region *out,
                      struct err *e);

/* Load TEMPLATES/sheet/region.xml, validated against
 * TEMPLATES/schema/region.xsd when that file exists.  ERR_NOINPUT when
 * missing, else as tmpl_region_parse. */
int tmpl_region_load(const char *templates_dir, struct tmpl_region *out,
                     struct err *e);

/* Release t's strings and zero it (NULL is fine). */
void tmpl_region_free(struct tmpl_region *t);

#endif
