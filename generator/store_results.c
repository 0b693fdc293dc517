/* store_results -- one transaction replacing a period's result rows (see
 * store_results.h).  Prepared statements, one per table; every row is
 * bound, stepped and reset.
 */
#include "store_results.h"
#include "store.h"
#include "store_int.h"
#include "err.h"
#include "mem.h"

#include <stdio.h>
#include <string.h>

enum { ST_IND, ST_TOTAL, ST_REGION, ST_RROLE, ST_RGRADE, ST_RIND, ST_RRANK,
       ST_RISK, ST_RUN, ST_ROLE, ST_N };

static const char *const insert_sql[ST_N] = {
    "INSERT INTO score_indicator VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
    "INSERT INTO score_total VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,"
    "?13)",
    "INSERT INTO score_region (period, region, name, parent, people, scored,"
    " mean_total, median_total, mom_change, manager) VALUES (?1,?2,?3,?4,?5,"
    "?6,?7,?8,?9,?10)",
    "INSERT INTO score_region_role VALUES (?1,?2,?3,?4)",
    "INSERT INTO score_region_grade VALUES (?1,?2,?3,?4)",
    "INSERT INTO score_region_indicator (period, region, indicator,"
    " numerator, denominator, rate, target) VALUES (?1,?2,?3,?4,?5,?6,?7)",
    "INSERT INTO score_region_rank VALUES (?1,?2,?3,?4)",
    "INSERT INTO score_risk VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
    "INSERT INTO score_run (period, persons, scored, risks, results)"
    " VALUES (?1,?2,?3,?4,?5)",
    "INSERT INTO score_role VALUES (?1,?2,?3,?4)",
};

/* The tables a period's results live in (replaced together). */
static const char *const result_tables[] = {
    "score_indicator", "score_total", "score_region", "score_region_role",
    "score_region_grade", "score_region_indicator", "score_region_rank",
    "score_risk", "score_run", "score_role"};

struct store_results {
    struct store *s;
    sqlite3_stmt *st[ST_N];
    char period[8];
};

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void bind_opt(sqlite3_stmt *st, int i, int has, double v)
{
    if (has)
        sqlite3_bind_double(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

/* Bind the period to ?1 of statement k and return it. */
static sqlite3_stmt *stmt(struct store_results *w, int k)
{
    bind_text(w->st[k], 1, w->period);
    return w->st[k];
}

/* Step and reset statement k. */
static int run(struct store_results *w, int k, struct err *e)
{
    int rc = sqlite3_step(w->st[k]);
    sqlite3_reset(w->st[k]);
    sqlite3_clear_bindings(w->st[k]);
    if (rc != SQLITE_DONE)
        return store_sqlerr(w->s, rc, result_tables[k], e);
    return ERR_OK;
}

static void finalize(struct store_results *w)
{
    store_finalize_all(w->st, ST_N);
    mem_free(w);
}

void store_results_abort(struct store_results *w)
{
    if (!w)
        return;
    store_rollback(w->s);
    finalize(w);
}

int store_results_begin(struct store *s, const char *period,
                        struct store_results **out, struct err *e)
{
    struct store_results *w = mem_calloc(1, sizeof *w);
    char sql[160];
    int rc;

    *out = NULL;
    if (!w)
        return err_set(e, ERR_NOMEM, "%s: storing results: out of memory",
                       store_path(s));
    w->s = s;
    snprintf(w->period, sizeof w->period, "%.7s", period);
    if ((rc = store_begin(s, e))) {
        mem_free(w);
        return rc;
    }
    rc = store_prepare_all(s, insert_sql, ST_N, w->st, e);
    for (size_t t = 0; !rc && t < sizeof result_tables / sizeof *result_tables;
         t++) {
        snprintf(sql, sizeof sql, "DELETE FROM %s WHERE period = '%s'",
                 result_tables[t], w->period);
        rc = store_exec(s, sql, e);
    }
    if (rc) {
        store_results_abort(w);
        return rc;
    }
    *out = w;
    return ERR_OK;
}

int store_results_indicator(struct store_results *w,
                            const struct store_ind_row *r, struct err *e)
{
    sqlite3_stmt *st = stmt(w, ST_IND);
    bind_text(st, 2, r->person);
    bind_text(st, 3, r->indicator);
    sqlite3_bind_double(st, 4, r->num);
    sqlite3_bind_double(st, 5, r->den);
    bind_opt(st, 6, r->applicable, r->rate);
    sqlite3_bind_double(st, 7, r->target);
    sqlite3_bind_double(st, 8, r->floor);
    sqlite3_bind_double(st, 9, r->weight);
    bind_opt(st, 10, r->applicable, r->score);
    sqlite3_bind_int(st, 11, r->applicable);
    return run(w, ST_IND, e);
}

int store_results_total(struct store_results *w,
                        const struct store_total_row *r, struct err *e)
{
    sqlite3_stmt *st = stmt(w, ST_TOTAL);
    bind_text(st, 2, r->person);
    bind_text(st, 3, r->name);
    bind_text(st, 4, r->role);
    bind_text(st, 5, r->role_label);
    bind_text(st, 6, r->region);
    bind_text(st, 7, r->manager);
    bind_text(st, 8, r->left ? "left" : "active");
    bind_opt(st, 9, r->has_own, r->own);
    bind_opt(st, 10, r->has_team, r->team);
    bind_opt(st, 11, r->has_total, r->total);
    bind_text(st, 12, r->grade);
    if (r->rank > 0)
        sqlite3_bind_int(st, 13, r->rank);
    return run(w, ST_TOTAL, e);
}

int store_results_region(struct store_results *w,
                         const struct store_region_row *r, struct err *e)
{
    sqlite3_stmt *st = stmt(w, ST_REGION);
    bind_text(st, 2, r->region);
    bind_text(st, 3, r->name);
    bind_text(st, 4, r->parent);
    sqlite3_bind_int(st, 5, r->people);
    sqlite3_bind_int(st, 6, r->scored);
    bind_opt(st, 7, r->has_mean, r->mean);
    bind_opt(st, 8, r->has_mean, r->median);
    bind_opt(st, 9, r->has_mom, r->mom);
    bind_text(st, 10, r->manager);
    return run(w, ST_REGION, e);
}

/* A (region, key, number) row of statement k. */
static int count_row(struct store_results *w, int k, const char *region,
                     const char *key, int n, struct err *e)
{
    sqlite3_stmt *st = stmt(w, k);
    bind_text(st, 2, region);
    bind_text(st, 3, key);
    sqlite3_bind_int(st, 4, n);
    return run(w, k, e);
}

int store_results_region_role(struct store_results *w, const char *region,
                              const char *role, int people, struct err *e)
{
    return count_row(w, ST_RROLE, region, role, people, e);
}

int store_results_region_grade(struct store_results *w, const char *region,
                               const char *grade, int people, struct err *e)
{
    return count_row(w, ST_RGRADE, region, grade, people, e);
}

int store_results_region_rank(struct store_results *w, const char *region,
                              const char *person, int rank, struct err *e)
{
    return count_row(w, ST_RRANK, region, person, rank, e);
}

int store_results_region_ind(struct store_results *w,
                             const struct store_region_ind_row *r,
                             struct err *e)
{
    sqlite3_stmt *st = stmt(w, ST_RIND);
    bind_text(st, 2, r->region);
    bind_text(st, 3, r->indicator);
    sqlite3_bind_double(st, 4, r->num);
    sqlite3_bind_double(st, 5, r->den);
    bind_opt(st, 6, r->has_rate, r->rate);
    bind_opt(st, 7, r->has_target, r->target);
    return run(w, ST_RIND, e);
}

int store_results_risk(struct store_results *w,
                       const struct store_risk_row *r, struct err *e)
{
    sqlite3_stmt *st = stmt(w, ST_RISK);
    bind_text(st, 2, r->handover ? "handover" : "single_thread");
    bind_text(st, 3, r->customer);
    bind_text(st, 4, r->region);
    bind_text(st, 5, r->owner);
    bind_text(st, 6, r->from);
    bind_text(st, 7, r->since);
    sqlite3_bind_int(st, 8, r->count);
    sqlite3_bind_int(st, 9, r->keys);
    return run(w, ST_RISK, e);
}

int store_results_role(struct store_results *w, const char *role,
                       const char *label, int pos, struct err *e)
{
    sqlite3_stmt *st = stmt(w, ST_ROLE);
    bind_text(st, 2, role);
    bind_text(st, 3, label);
    sqlite3_bind_int(st, 4, pos);
    return run(w, ST_ROLE, e);
}

int store_results_commit(struct store_results *w, int persons, int scored,
                         int risks, struct err *e)
{
    sqlite3_stmt *st = stmt(w, ST_RUN);
    int rc;

    sqlite3_bind_int(st, 2, persons);
    sqlite3_bind_int(st, 3, scored);
    sqlite3_bind_int(st, 4, risks);
    sqlite3_bind_int(st, 5, STORE_RESULTS_VERSION);
    if ((rc = run(w, ST_RUN, e))) {
        store_results_abort(w);
        return rc;
    }
    store_finalize_all(w->st, ST_N);    /* a COMMIT wants them reset */
    if ((rc = store_commit(w->s, e))) {
        store_results_abort(w);
        return rc;
    }
    finalize(w);
    return ERR_OK;
}
