/* store_region -- reading a period's region figures for the region
 * summary sheets and the packets (store -> render).
 *
 * Stage 4 (render).  `keqing score` stored, for every node of the region
 * tree (its subtree included), the people assessed per role, the grade
 * counts, the mean and median total, the month-on-month change and the
 * pooled indicator rates (score_region*), and the relationship risks
 * (score_risk).  A struct store_region is a reader over one scored period:
 * opening it reads the region tree (in depth-first order, children by
 * id, so a subtree is a contiguous range of indexes) and the period's
 * assessed persons once; store_region_read then fills one region's
 * struct region_data with a few primary-key queries.  Nothing is
 * computed here: the ranking of a region (every assessed person of its
 * subtree by stored rank, then id, people without a total last), each
 * indicator's target, the responsible manager and since when a risk has
 * stood are the score stage's, stored with the results (score_region.c,
 * doc/rules.md "Regions").  A period whose results were stored by an
 * earlier keqing (store_results.h, STORE_RESULTS_VERSION) is refused with
 * the way out: score it again.
 *
 * A reader belongs to one thread/process; close it before store_close.
 */
#ifndef KQ_STORE_REGION_H
#define KQ_STORE_REGION_H

#include "roles.h"
#include "period.h"

#include <stddef.h>

struct err;
struct period;
struct store;
struct store_region;

/* Periods in the trend chart. */
#define REGION_TREND_MAX 6
/* Roles and grade labels kept per region. */
#define REGION_MAX_COUNTS 16

/* One assessed person in a region's ranking. */
struct region_member {
    const char *person_id, *name, *role, *role_label, *region_id,
               *region_name;    /* borrowed from the reader */
    int left;                   /* status 'left' */
    int has_own, has_team, has_total;
    double own, team, total;
    const char *grade;          /* "" without a total */
    int rank;                   /* in this region's ranking; 0 = none */
};

/* People per role or per grade. */
struct region_count {
    const char *key, *label;    /* borrowed: role id and label / grade */
    int people;
};

/* One indicator pooled over the region. */
struct region_ind {
    double num, den, rate;      /* rate when den > 0 */
    int has_target;             /* some member is assessed on it */
    double target;              /* denominator-weighted mean target */
    int has_prev;               /* pooled rate stored last month */
    double prev_rate;
};

struct region_point {
    char period[8];             /* "YYYY-MM" */
    int has_mean;
    double mean;
};

enum region_risk_kind { REGION_RISK_HANDOVER, REGION_RISK_SINGLE };

struct region_risk {
    enum region_risk_kind kind;
    char *customer_id, *customer_name, *grade;  /* owned */
    char *owner_id, *owner_name;                /* owned */
    char *from_name;            /* owned: handover: the previous owner */
    char since[11];             /* handover: its date; single: "YYYY-MM" */
    int count, keys;            /* see score_risk */
};

struct region_data {
    char period[8];
    int period_end;             /* date.h day number */
    const char *region_id, *name, *parent_name; /* borrowed ("" root) */
    int depth;                  /* 0 for a root */
    int leaf;                   /* 1 without sub-regions */
    const char *manager_id, *manager_name, *manager_role; /* "" none */
    int people, scored;
    int has_mean, has_median, has_mom;
    double mean, median, mom;
    struct region_count role[REGION_MAX_COUNTS];   /* people > 0, by id */
    int nrole;
    struct region_count grade[REGION_MAX_COUNTS];  /* as stored, by label */
    int ngrade;
    struct region_ind ind[ROLES_NIND];
    struct region_point trend[REGION_TREND_MAX];   /* oldest first */
    int ntrend;
    struct region_member *member;  /* owned array: the ranking */
    size_t nmember;
    struct region_risk *risk;      /* owned array: the listed risks */
    size_t nrisk;
    int risk_total[2];          /* all risks of the subtree, by kind */
    /* last month's person sheets of the subtree not returned signed
     * (doc/archive.md "The signed copies come back"): set by the caller
     * (render_doc.c); "name（id）、..." in issue order, at most
     * REGION_UNRETURNED_TEXT bytes, and their number */
    char unreturned_period[8];
    int unreturned;
    char *unreturned_names;         /* owned, NULL for none */
    const char *company, *source;  /* borrowed: set by the caller */
    const char *doc_no;         /* borrowed: the registry's number, set by
                                   the batch (render.c), printed in the
                                   footer and the Info /Subject; NULL
                                   elsewhere */
    const char *qr_text;        /* borrowed: the QR code's text
                                   (archive_docref.h), drawn in the
                                   sign-off; NULL = none */
    const char *registry;       /* borrowed: the registry's id, for the
                                   Info /Keywords; NULL = none */
};

/* Release what d owns and zero it (NULL is fine). */
void store_region_data_free(struct region_data *d);

/* Open a reader over period per of s.  *out is owned
 * (store_region_close).  ERR_DATA when the period has no stored results
 * or a malformed row, or results stored by an earlier keqing (score the
 * period again), ERR_IO/ERR_BUSY from SQLite, ERR_NOMEM. */
int store_region_open(struct store *s, const struct period *per,
                      struct store_region **out, struct err *e);

/* Release r (NULL is fine). */
void store_region_close(struct store_region *r);

/* The regions in depth-first order (roots and children by id): the
 * subtree of region i is [i, store_region_end(r, i)). */
size_t store_region_count(const struct store_region *r);
size_t store_region_end(const struct store_region *r, size_t i);
const char *store_region_id(const struct store_region *r, size_t i);
const char *store_region_name(const struct store_region *r, size_t i);
int store_region_depth(const struct store_region *r, size_t i);

/* Assessed persons of region i's subtree. */
size_t store_region_people(const struct store_region *r, size_t i);

/* The ids of the persons whose own region is i, by their stored rank
 * (unranked last), then id: *ids is borrowed until store_region_close.
 * Returns their number. */
size_t store_region_own(const struct store_region *r, size_t i,
                        const char *const **ids);

/* Fill d (zeroed first; the caller frees it with store_region_data_free,
 * also after a failure) with region i's figures, its ranking and at most
 * max_risks of its subtree's risks: handovers first (oldest first), then
 * single-threaded customers by id.  ERR_DATA, ERR_IO/ERR_BUSY,
 * ERR_NOMEM. */
int store_region_read(struct store_region *r, size_t i, int max_risks,
                      struct region_data *d, struct err *e);

#endif
