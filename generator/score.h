/* score -- the customer-relationship indicators, scores, grades and ranks.
 *
 * Stage 3 of import -> store -> score -> render.  Pure functions over a
 * finished struct dataset (dataset.h) and the role templates (roles.h): no
 * I/O, no SQL, no clock.  Every rule follows shared/spec/indicators.md and
 * its *Precise readings*; the readings chosen where the spec leaves room
 * are in doc/rules.md.  Full double precision is kept; nothing is rounded
 * here except the grade, which is read from the total formatted "%.2f".
 *
 * An optional trace reports, for one person, every record that went into
 * (or was left out of) a numerator or denominator, so `keqing explain`
 * shows exactly what the computation used.
 *
 * Thread safety: reentrant, no global state (the sorts take their context
 * as an argument, sort.h): one dataset per thread, and several threads may
 * score datasets at once, even one shared finished dataset (it is only
 * read); a struct score_state or score_result belongs to one thread.
 */
#ifndef KQ_SCORE_H
#define KQ_SCORE_H

#include "dataset.h"
#include "date.h"
#include "period.h"
#include "roles.h"

struct err;

/* ---- results ----------------------------------------------------------- */

struct score_ind {
    double num, den;
    double rate, score;     /* meaningful when applicable */
    int used;               /* the person's role is assessed on it */
    int applicable;         /* used and den > 0 */
};

struct score_person {
    int person;                     /* dataset index */
    const struct role *role;        /* borrowed from the roles */
    struct score_ind ind[ROLES_NIND];
    int has_own, has_team, has_total;
    double own, team, total;
    const char *grade;              /* borrowed; NULL without a total */
    int rank;                       /* 1.., 0 = unranked */
    int left;                       /* status: 1 = left during the period */
};

/* Figures of one region node, its whole subtree included (rules:
 * doc/rules.md "Regions"). */
struct score_region {
    int people;                     /* assessed */
    int scored;                     /* assessed with a total */
    double mean, median;            /* of the totals; when scored > 0 */
    int has_mom;                    /* scored > 0 and the previous month's
                                       stored mean (ds_region) */
    double mom;                     /* mean minus that one */
    double num[ROLES_NIND], den[ROLES_NIND]; /* pooled over the people
                                       whose role uses the indicator */
    int has_target[ROLES_NIND];     /* some member is assessed on it with
                                       a denominator > 0 */
    double target[ROLES_NIND];      /* Σ den × target / Σ den over them */
    int manager;                    /* the responsible manager (dataset
                                       person index), -1 none */
    int rank_first, rank_n;         /* its ranking: ranked[rank_first ..
                                       rank_first + rank_n) */
};

/* One place in a region's ranking. */
struct score_ranked {
    int p;                          /* index into score_result.p */
    int rank;                       /* 1..; ties share (1, 2, 2, 4) */
};

enum score_risk_kind {
    SCORE_RISK_SINGLE_THREAD,   /* VIP customer: < 2 key contacts with a
                                   passed knows_rep_name check, 3 periods */
    SCORE_RISK_HANDOVER         /* handover in the last 2 months, key
                                   contacts without a valid card */
};

struct score_risk {
    enum score_risk_kind kind;
    int customer;   /* dataset index in the chunk it was found in (an
                       unchunked score: the dataset's) */
    const char *customer_id, *customer_name; /* owned by the result */
    int region;     /* the customer's region (dataset index) */
    int owner;      /* owner at period_end (handover: the new owner) */
    int from;       /* handover: previous owner; else -1 */
    int since;      /* handover: its date; else DS_NODATE */
    int count;      /* contacts with a passed check / without a card */
    int keys;       /* key contacts of the customer */
    char since_month[8];    /* single thread: the first month "YYYY-MM"
                               of the unbroken run of stored periods,
                               ending with this one, that flagged it */
};

struct score_result {
    struct period per;
    struct score_person *p;     /* owned; assessed persons by id */
    int n;
    int *of_person;             /* owned; dataset person -> index or -1 */
    struct score_region *region;/* owned; by dataset region index */
    int nregion;
    struct score_ranked *ranked;/* owned; the regions' rankings */
    int nranked;
    int nrole;                  /* = roles->n */
    int *role_people;           /* owned; [region * nrole + role index] */
    int ngrade;
    const char *grade_label[ROLES_MAX_BANDS * 8]; /* borrowed, distinct */
    int *grade_people;          /* owned; [region * ngrade + grade] */
    struct score_risk *risk;    /* owned; by kind then customer id */
    int nrisk;
    int *role_pos;              /* owned; per role (roles->r index): its
                                   place 1.. in the hierarchy's order */
    char **strs;                /* owned: the risks' strings */
    int nstrs, cap_strs;
};

/* ---- trace (for explain) ----------------------------------------------- */

enum score_item_kind {
    SCORE_IT_CONTACT,   /* A1 A4 A5: a key contact of a VIP customer */
    SCORE_IT_CUSTWEEK,  /* B1 B2: an attributed customer-week */
    SCORE_IT_VISIT,     /* B1: a visit counted in the customer-week before */
    SCORE_IT_SERVICE,   /* B2: a service counted in the customer-week */
    SCORE_IT_CHECK,     /* A2 A3 A6 B3 C5 */
    SCORE_IT_DISPLAY,   /* B4 */
    SCORE_IT_REPORT,    /* C1..C4: a key customer; record = report or -1 */
    SCORE_IT_GREETING   /* C6: a greeting due; record = greeting or -1 */
};

enum score_note {
    SCORE_NOTE_NONE,
    SCORE_NOTE_NO_CARD,         /* no card for the contact */
    SCORE_NOTE_CARD_LATER,      /* card created after period_end */
    SCORE_NOTE_CARD_STALE,      /* card older than the restructuring */
    SCORE_NOTE_IN_GRACE,        /* no valid card yet, in grace: not counted */
    SCORE_NOTE_NO_REPORT,       /* no report of the kind by the owner */
    SCORE_NOTE_NOT_FORWARDED,   /* report found, forwarded missing */
    SCORE_NOTE_LATE_FORWARD     /* report found, forwarded > 3 days later */
};

struct score_item {
    int ind;            /* enum roles_ind */
    enum score_item_kind kind;
    int customer;       /* dataset indexes, -1 when not relevant */
    int contact;
    int record;         /* card/visit/service/check/display/report/greeting */
    int day;            /* week Monday, occasion date D, or record date */
    int occasion;       /* C6: enum ds_occasion */
    int count, need;    /* B1: visits counted, visits required */
    double num, den;    /* what this item adds */
    enum score_note note;
};

struct score_trace {
    int person;         /* dataset index of the person to trace */
    void (*fn)(void *ctx, const struct score_item *it);
    void *ctx;
};

/* ---- the engine -------------------------------------------------------- */

/* Score the period.  ds must be finished (dataset_finish); roles borrowed
 * for the life of *out.  tr may be NULL.  *out owned by the caller
 * (score_result_free).  Errors: ERR_DATA for an assessed person whose role
 * has no template ("person E0102 李娜: role 'x' has no template") or a
 * cycle in the manager chain, or a period outside the lunar calendar's
 * years; ERR_NOMEM. */
int score_run(const struct dataset *ds, const struct period *per,
              const struct roles *roles, const struct score_trace *tr,
              struct score_result *out, struct err *e);

void score_result_free(struct score_result *r);

/* Scoring a dataset read in chunks of customers (store_period_next), so
 * that memory holds one chunk's activities: score_begin with the regions
 * and persons loaded (before the first chunk), score_chunk once per
 * chunk (ds holding that chunk; every pass adds to the persons' figures,
 * the chunk's risks are kept), score_end after the last.  The figures are
 * exactly score_run's (one chunk of everything); a trace is not allowed
 * (explain scores unchunked).  *st is owned by the caller until
 * score_end or score_abort; out is filled by score_end (owned:
 * score_result_free).  Errors as score_run. */
struct score_state;
int score_begin(const struct dataset *ds, const struct period *per,
                const struct roles *roles, struct score_state **st,
                struct score_result *out, struct err *e);
int score_chunk(struct score_state *st, const struct dataset *ds,
                struct err *e);
int score_end(struct score_state *st, const struct dataset *ds,
              const struct roles *roles, struct err *e);
void score_abort(struct score_state *st);

/* The person responsible for customer c on day d (indicators.md,
 * Ownership).  ds must be finished. */
int score_owner_on(const struct dataset *ds, int c, int d);

/* 1 when contact k has a valid card at period_end `end`. */
int score_card_valid(const struct dataset *ds, int k, int end);

/* 1 when contact k, lacking a valid card, is still in its two-month grace
 * at `end` (since or the customer's restructuring + 2 months > end). */
int score_in_grace(const struct dataset *ds, int k, int end);

/* 1 when the person is assessed in the period (hired <= end, and not left
 * before start). */
int score_assessed(const struct ds_person *p, const struct period *per);

/* Activity records dated in the period itself (visits, services,
 * displays, reports for the month, greetings, spot checks): the rule of
 * doc/rules.md "A period must have data" refuses to grade a period with
 * none (every person would fail). */
long score_activity_count(const struct dataset *ds, const struct period *per);

/* The date of a festival occasion (not birthday/anniversary) in `year`.
 * 0 and *day, or -1 (lunar table's years exceeded). */
int score_occasion_day(int year, enum ds_occasion oc, int *day);

#endif
