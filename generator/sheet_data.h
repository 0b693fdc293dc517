/* sheet_data -- what one person's assessment sheet shows, as plain data.
 *
 * Stage 4 (render) of import -> store -> score -> render.  The store
 * (store_sheet.c) fills a struct sheet_data from the scored results of a
 * period; the comment writer (sheet_comment.c) and the layout (sheet_person.c)
 * read it.  Nothing here is recomputed from raw records: every figure is
 * the one `keqing score` stored, at full precision (rounded only when
 * drawn).  No library, no I/O.
 *
 * Invariants of a filled struct: ind[0..nind) are the indicators of the
 * person's role in the order A1..C6; trend[0..ntrend) are the person's
 * stored periods up to this one, oldest first, the current period last;
 * strings are owned by the struct (sheet_data_free), never NULL ("" when
 * unknown).
 */
#ifndef KQ_SHEET_DATA_H
#define KQ_SHEET_DATA_H

#include "roles.h"

#include <stddef.h>

/* Periods in the trend chart. */
#define SHEET_TREND_MAX 6

/* Dates in this struct are date.h day numbers; SHEET_NODATE when absent. */
#define SHEET_NODATE (-2147483647 - 1)

struct sheet_ind {
    int ind;                /* enum roles_ind */
    double num, den;        /* 0 and 0 when not applicable */
    double rate;            /* num / den, when applicable */
    double target, floor;   /* rates, as stored with the results */
    double weight;          /* the role template's weight, as stored */
    double score;           /* weight x clamp(...), when applicable */
    int applicable;
    int has_prev;           /* applicable in the previous period too */
    double prev_rate;       /* its rate there */
};

struct sheet_point {
    char period[8];         /* "YYYY-MM" */
    int has_total;
    double total;
};

struct sheet_data {
    char period[8];         /* "YYYY-MM" */
    int period_start, period_end;
    char *person_id, *name, *role, *role_label;
    char *region_id, *region_name;
    char *manager_id, *manager_name;  /* "" when the person has none */
    int left;               /* status 'left': left during the period */
    int hired, left_on;     /* from the person record; SHEET_NODATE */
    int has_own, has_team, has_total;
    double own, team, total;
    char *grade;            /* "" without a total */
    int rank;               /* in the region, 0 = unranked */
    int team_members;       /* direct reports with a total (team mean) */
    double team_weight;     /* the role's w; filled by the caller */
    struct sheet_ind ind[ROLES_NIND];
    int nind;
    int has_prev_total;     /* the previous month is stored with a total */
    double prev_total;
    struct sheet_point trend[SHEET_TREND_MAX];
    int ntrend;
    char *company;          /* of the period's newest export naming one
                               ("" if none) */
    char source[16];        /* provenance: the first 8 hex digits of the
                               sha256 of the export whose data the sheet
                               shows (the batch sets the one registered
                               with the document; doc/archive.md) */
    int seq, count;         /* 1-based position in the period's persons
                               sorted by id, and their number */
    /* Set by the batch (render.c) from the registry of issued documents
     * before drawing; "" when drawn outside it. */
    char doc_no[24];        /* "KQ-YYYYMM-NNNNNN"; "" = from seq */
    char qr_text[64];       /* the QR code's text (archive_docref.h); "" = none */
    char registry[16];      /* the issuing registry's id, for the Info
                               /Keywords; "" = none */
};

/* Free the strings of d and zero it (NULL is fine). */
void sheet_data_free(struct sheet_data *d);

/* ---- number formats shared by the sheet and its comment ---------------
 * All under the C locale, deterministic, rounded half away from zero as
 * printf does; out is always NUL-terminated. */

/* v with at most 2 decimals, trailing zeros dropped: 12, 7.5, 2.33. */
void sheet_fmt_num(double v, char out[32]);

/* A rate as a percentage with `dec` decimals (0..2): 0.923 -> "92.3%";
 * trim 1 drops trailing zeros ("90%", "85.5%"). */
void sheet_fmt_pct(double rate, int dec, int trim, char out[32]);

/* The "actual" cell of an applicable indicator: numerator/denominator and
 * the unit, "12/15家", "7.5/10客户周" (unit may be ""). */
void sheet_fmt_actual(const struct sheet_ind *in, const char *unit,
                      char *out, size_t n);

/* Where a chart's value label of height h goes for a point at y = cy:
 * the top of its box, just above the point, else just below it, else
 * further above or below - the first that lies inside [top, bottom] and
 * crosses none of the n gridlines at grid[] (with 1 pt to spare); above
 * the point when none does. */
double sheet_label_y(double cy, double h, const double *grid, int n,
                     double top, double bottom);

#endif
