/* store_sheet -- reading what a person's sheet shows from a period's
 * stored results (store -> render).
 *
 * A struct store_sheet is a reader over one scored period: opening it
 * reads the period's assessed persons (sorted by id: the order of the
 * document numbers), the team sizes and the provenance of the data (the
 * period's import rows); store_sheet_read then fills one person's struct
 * sheet_data with a handful of primary-key lookups on prepared
 * statements, so a batch costs O(persons), and memory stays bounded by
 * the person list.  Everything comes from the result tables written by
 * `keqing score` (schema 2) plus the person and region records; nothing
 * is recomputed.
 *
 * struct sheet_data is the store's output model, declared here so that
 * the store includes nothing of the render stage above it; the render
 * side (sheet_data.h: number formats; sheet_comment.c; sheet_person.c) reads
 * it.  Every figure is the one `keqing score` stored, at full precision
 * (rounded only when drawn).  Invariants of a filled struct: ind[0..nind)
 * are the indicators of the person's role in the order A1..C6;
 * trend[0..ntrend) are the person's stored periods up to this one, oldest
 * first, the current period last; strings are owned by the struct
 * (store_sheet_data_free), never NULL ("" when unknown).
 *
 * A reader belongs to one thread/process and to the store it was opened
 * on; close it before store_close.  A struct sheet_data belongs to its
 * caller and shares nothing with the reader.
 */
#ifndef KQ_STORE_SHEET_H
#define KQ_STORE_SHEET_H

#include "roles.h"

#include <stddef.h>

/* Periods in the trend chart. */
#define SHEET_TREND_MAX 6

/* Dates in struct sheet_data are date.h day numbers; SHEET_NODATE when
 * absent. */
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
    char qr_text[64];       /* the QR code's text (archive_docref.h);
                               "" = none */
    char registry[16];      /* the issuing registry's id, for the Info
                               /Keywords; "" = none */
};

/* Free the strings of d and zero it (NULL is fine). */
void store_sheet_data_free(struct sheet_data *d);

struct err;
struct period;
struct store;
struct store_sheet;

/* Open a reader over period per of s.  *out is owned (store_sheet_close).
 * ERR_DATA when the period has no stored results ("run keqing score"),
 * ERR_IO/ERR_BUSY from SQLite, ERR_NOMEM. */
int store_sheet_open(struct store *s, const struct period *per,
                     struct store_sheet **out, struct err *e);

/* Release r (NULL is fine). */
void store_sheet_close(struct store_sheet *r);

/* Number of assessed persons of the period, and the id of the i-th
 * (0-based, ascending ids; borrowed until store_sheet_close). */
size_t store_sheet_count(const struct store_sheet *r);
const char *store_sheet_person(const struct store_sheet *r, size_t i);

/* Set *index to the position of person id and return 1, or return 0
 * when id is not one of the period's assessed persons. */
int store_sheet_find(const struct store_sheet *r, const char *id,
                     size_t *index);

/* The company and the provenance text of the period's data (borrowed
 * until store_sheet_close; "" when unknown). */
const char *store_sheet_company(const struct store_sheet *r);
const char *store_sheet_source(const struct store_sheet *r);

/* Fill d (zeroed first; owned by the caller: store_sheet_data_free, also
 * after a failure) with person i's results.  team_weight is left 0: the caller
 * sets it from the role template.  ERR_DATA for a malformed stored value,
 * ERR_IO/ERR_BUSY, ERR_NOMEM. */
int store_sheet_read(struct store_sheet *r, size_t i, struct sheet_data *d,
                     struct err *e);

#endif
