/* store_results -- writing a period's results (score -> store).
 *
 * Stage 3 -> 4.  The store writes what it is given and computes nothing:
 * every figure, rank, target, manager and date in these rows was decided
 * by the score stage (score.h); pipeline.c turns a struct score_result
 * into rows.  A writer is one transaction that replaces every result row
 * of one period: store_results_begin deletes the period's rows, the
 * store_results_* calls insert, store_results_commit writes the period's
 * score_run row and commits; store_results_abort (or any failure followed
 * by it) rolls back, so the previous results stay.
 *
 * Rows borrow their strings for the call.  Text NULL = SQL NULL.  A
 * writer belongs to one thread and its store; nothing else may use the
 * store's connection between begin and commit/abort.
 */
#ifndef KQ_STORE_RESULTS_H
#define KQ_STORE_RESULTS_H

struct err;
struct store;
struct store_results;

/* The layout of the result rows this keqing writes (score_run.results):
 * 1 = schema 5 (regions' managers, targets and rankings stored).  A
 * period stored with an older layout must be scored again before it is
 * rendered (store_region.h). */
#define STORE_RESULTS_VERSION 1

/* score_indicator: one indicator of an assessed person's role. */
struct store_ind_row {
    const char *person, *indicator;     /* "A1".."C6" */
    double num, den;
    int applicable;                     /* rate and score are NULL when 0 */
    double rate, score;
    double target, floor, weight;       /* of the role template */
};

/* score_total: an assessed person. */
struct store_total_row {
    const char *person, *name, *role, *role_label, *region;
    const char *manager;                /* NULL: none */
    int left;                           /* status 'left' / 'active' */
    int has_own, has_team, has_total;
    double own, team, total;
    const char *grade;                  /* NULL without a total */
    int rank;                           /* in the own region; 0 = NULL */
};

/* score_region: a node of the region tree, its subtree included. */
struct store_region_row {
    const char *region, *name;
    const char *parent;                 /* NULL for a root */
    int people, scored;
    int has_mean;                       /* mean and median */
    double mean, median;
    int has_mom;
    double mom;
    const char *manager;                /* NULL: none */
};

/* score_region_indicator: an indicator pooled over a subtree. */
struct store_region_ind_row {
    const char *region, *indicator;
    double num, den;
    int has_rate, has_target;
    double rate, target;
};

/* score_risk. */
struct store_risk_row {
    int handover;                       /* 1 handover, 0 single_thread */
    const char *customer, *region, *owner;
    const char *from;                   /* handover: the previous owner */
    const char *since;                  /* "YYYY-MM-DD" / "YYYY-MM" */
    int count, keys;
};

/* Begin replacing the results of period "YYYY-MM" in s.  *w is owned
 * until store_results_commit or store_results_abort.  Errors: ERR_BUSY,
 * ERR_IO, ERR_NOMEM. */
int store_results_begin(struct store *s, const char *period,
                        struct store_results **w, struct err *e);

/* Insert one row each.  Errors: ERR_DATA (a duplicate key: the caller's
 * bug or damage), ERR_IO, ERR_BUSY.  After an error, abort the writer. */
int store_results_indicator(struct store_results *w,
                            const struct store_ind_row *row, struct err *e);
int store_results_total(struct store_results *w,
                        const struct store_total_row *row, struct err *e);
int store_results_region(struct store_results *w,
                         const struct store_region_row *row, struct err *e);
int store_results_region_role(struct store_results *w, const char *region,
                              const char *role, int people, struct err *e);
int store_results_region_grade(struct store_results *w, const char *region,
                               const char *grade, int people, struct err *e);
int store_results_region_ind(struct store_results *w,
                             const struct store_region_ind_row *row,
                             struct err *e);
/* A place in region's ranking (score_region_rank). */
int store_results_region_rank(struct store_results *w, const char *region,
                              const char *person, int rank, struct err *e);
int store_results_risk(struct store_results *w,
                       const struct store_risk_row *row, struct err *e);
/* A role of the period and its place (1 = top) in the hierarchy. */
int store_results_role(struct store_results *w, const char *role,
                       const char *label, int pos, struct err *e);

/* Write the period's score_run row (persons assessed, with a total,
 * risks; results = STORE_RESULTS_VERSION) and commit; w is freed either
 * way.  On failure nothing of the writer is kept. */
int store_results_commit(struct store_results *w, int persons, int scored,
                         int risks, struct err *e);

/* Roll back and free w (NULL is fine). */
void store_results_abort(struct store_results *w);

#endif
