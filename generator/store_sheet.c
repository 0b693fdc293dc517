/* store_sheet -- a period's stored results, one person's sheet at a time
 * (see store_sheet.h).
 *
 * Per person: one row of score_total joined with its person, region and
 * manager (primary-key lookups), its score_indicator rows joined with the
 * previous month's, and its totals in the last six stored periods.  Team
 * sizes and the period list are read once at open, so no per-person query
 * scans the period.
 */
#include "store_sheet.h"
#include "store.h"
#include "store_int.h"
#include "store_period.h"
#include "date.h"
#include "period.h"
#include "err.h"
#include "mem.h"
#include "sort.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { Q_TOTAL, Q_IND, Q_TREND, Q_N };

static const char *const sql_text[Q_N] = {
    /* ?1 period, ?2 person */
    "SELECT t.name, t.role, t.role_label, t.region, t.manager, t.status,"
    " t.own, t.team, t.total, t.grade, t.rank,"
    " COALESCE(r.name, g.name, t.region),"
    " COALESCE((SELECT m.name FROM score_total m WHERE m.period = t.period"
    "   AND m.person = t.manager), mp.name, ''),"
    " p.hired, p.left_on"
    " FROM score_total t"
    " LEFT JOIN score_region r ON r.period = t.period AND r.region = t.region"
    " LEFT JOIN region g ON g.id = t.region"
    " LEFT JOIN person p ON p.id = t.person"
    " LEFT JOIN person mp ON mp.id = t.manager"
    " WHERE t.period = ?1 AND t.person = ?2",
    /* ?1 period, ?2 person, ?3 previous month */
    "SELECT c.indicator, c.numerator, c.denominator, c.rate, c.target,"
    " c.floor, c.weight, c.score, c.applicable, p.rate"
    " FROM score_indicator c LEFT JOIN score_indicator p"
    " ON p.period = ?3 AND p.person = c.person AND p.indicator = c.indicator"
    " AND p.applicable = 1"
    " WHERE c.period = ?1 AND c.person = ?2 ORDER BY c.indicator",
    /* ?1 person, ?2..?7 the trend periods */
    "SELECT period, total FROM score_total WHERE period IN"
    " (?2, ?3, ?4, ?5, ?6, ?7) AND person = ?1 ORDER BY period",
};

struct store_sheet {
    struct store *s;
    sqlite3_stmt *q[Q_N];
    char period[8], prev[8];
    int start, end;
    char trend[SHEET_TREND_MAX][8];  /* stored periods <= period, ascending */
    int ntrend;
    char **id;          /* owned: the persons, ascending */
    int *team;          /* owned: direct reports with a total, per person */
    size_t n, cap;
    char *company, *source;  /* owned */
};

static const char *col_text(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return t ? t : "";
}

static int nomem(struct store_sheet *r, struct err *e)
{
    return err_set(e, ERR_NOMEM, "%s: reading sheets of %s: out of memory",
                   store_path(r->s), r->period);
}

/* ---- opening ----------------------------------------------------------- */

static int add_person(struct store_sheet *r, const char *id, struct err *e)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        char **v = mem_realloc(r->id, cap * sizeof *v);
        if (!v)
            return nomem(r, e);
        r->id = v;
        r->cap = cap;
    }
    if (!(r->id[r->n] = mem_strdup(id)))
        return nomem(r, e);
    r->n++;
    return ERR_OK;
}

int store_sheet_find(const struct store_sheet *r, const char *id,
                     size_t *index)
{
    return sort_find_str(r->id, r->n, sizeof *r->id, 0, id, index);
}

/* Run sql (its ?1: the period) to the end, calling fn on each row.  fn
 * returns an err code. */
static int each(struct store_sheet *r, const char *sql, const char *what,
                int (*fn)(struct store_sheet *, sqlite3_stmt *, struct err *),
                struct err *e)
{
    sqlite3_stmt *st;
    int rc, st_rc = store_prepare(r->s, sql, &st, e);
    if (st_rc)
        return st_rc;
    sqlite3_bind_text(st, 1, r->period, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && !st_rc)
        st_rc = fn(r, st, e);
    if (!st_rc && rc != SQLITE_DONE)
        st_rc = store_sqlerr(r->s, rc, what, e);
    sqlite3_finalize(st);
    return st_rc;
}

static int row_person(struct store_sheet *r, sqlite3_stmt *st, struct err *e)
{
    return add_person(r, col_text(st, 0), e);
}

static int row_team(struct store_sheet *r, sqlite3_stmt *st, struct err *e)
{
    size_t i;
    (void)e;
    if (store_sheet_find(r, col_text(st, 0), &i))
        r->team[i] = sqlite3_column_int(st, 1);
    return ERR_OK;
}

static int row_trend(struct store_sheet *r, sqlite3_stmt *st, struct err *e)
{
    (void)e;
    if (r->ntrend < SHEET_TREND_MAX)
        snprintf(r->trend[r->ntrend++], 8, "%.7s", col_text(st, 0));
    return ERR_OK;
}

/* The period's provenance: the company of its newest export naming one,
 * and the hash prefix of its newest export (the state of the data).  The
 * batch prints on each document the source registered with it instead
 * (doc/archive.md, "Corrections"). */
static int read_provenance(struct store_sheet *r, struct err *e)
{
    struct store_exports x;
    char text[16];
    int rc = store_period_exports(r->s, r->period, &x, e);

    if (rc)
        return rc;
    snprintf(text, sizeof text, "%.8s", x.newest);
    if (!(r->company = mem_strdup(x.company)) || !(r->source = mem_strdup(text)))
        return nomem(r, e);
    return ERR_OK;
}

static int open_lists(struct store_sheet *r, struct err *e)
{
    static const char *const q_persons =
        "SELECT person FROM score_total WHERE period = ?1 ORDER BY person";
    static const char *const q_team =
        "SELECT manager, count(*) FROM score_total WHERE period = ?1 AND"
        " manager IS NOT NULL AND total IS NOT NULL GROUP BY manager";
    static const char *const q_trend =
        "SELECT period FROM (SELECT period FROM score_run WHERE period <= ?1"
        " ORDER BY period DESC LIMIT 6) ORDER BY period";
    int rc;

    if ((rc = each(r, q_persons, "reading the assessed persons", row_person,
                   e)))
        return rc;
    if (r->n == 0)
        return err_set(e, ERR_DATA, "%s: period %s has no stored results "
                       "(run keqing score --period %s first)",
                       store_path(r->s), r->period, r->period);
    if (!(r->team = mem_calloc(r->n, sizeof *r->team)))
        return nomem(r, e);
    if ((rc = each(r, q_team, "counting team members", row_team, e)) ||
        (rc = each(r, q_trend, "listing the stored periods", row_trend, e)))
        return rc;
    return read_provenance(r, e);
}

int store_sheet_open(struct store *s, const struct period *per,
                     struct store_sheet **out, struct err *e)
{
    struct store_sheet *r = mem_calloc(1, sizeof *r);
    int rc;

    *out = NULL;
    if (!r)
        return err_set(e, ERR_NOMEM, "%s: out of memory", store_path(s));
    r->s = s;
    store_period_names(per, r->period, r->prev);
    r->start = per->start;
    r->end = per->end;
    if (!(rc = store_prepare_all(s, sql_text, Q_N, r->q, e)))
        rc = open_lists(r, e);
    if (rc) {
        store_sheet_close(r);
        return rc;
    }
    *out = r;
    return ERR_OK;
}

void store_sheet_close(struct store_sheet *r)
{
    if (!r)
        return;
    store_finalize_all(r->q, Q_N);
    for (size_t i = 0; i < r->n; i++)
        mem_free(r->id[i]);
    mem_free(r->id);
    mem_free(r->team);
    mem_free(r->company);
    mem_free(r->source);
    mem_free(r);
}

size_t store_sheet_count(const struct store_sheet *r)
{
    return r->n;
}

const char *store_sheet_person(const struct store_sheet *r, size_t i)
{
    return i < r->n ? r->id[i] : "";
}

const char *store_sheet_company(const struct store_sheet *r)
{
    return r->company ? r->company : "";
}

const char *store_sheet_source(const struct store_sheet *r)
{
    return r->source ? r->source : "";
}

/* ---- one person -------------------------------------------------------- */

static int bad(struct store_sheet *r, const char *person, const char *what,
               struct err *e)
{
    return err_set(e, ERR_DATA, "%s: period %s person %s: %s",
                   store_path(r->s), r->period, person, what);
}

/* Copy text column i into *dst (owned). */
static int dup_col(struct store_sheet *r, sqlite3_stmt *st, int i,
                   char **dst, struct err *e)
{
    if (!(*dst = mem_strdup(col_text(st, i))))
        return nomem(r, e);
    return ERR_OK;
}

/* An optional REAL column: 1 and *v, or 0 when NULL. */
static int opt_real(sqlite3_stmt *st, int i, double *v)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return 0;
    *v = sqlite3_column_double(st, i);
    return 1;
}

/* An optional date column into *day (SHEET_NODATE when NULL). */
static int opt_date(sqlite3_stmt *st, int i, int *day)
{
    *day = SHEET_NODATE;
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return 0;
    return date_parse(col_text(st, i), day);
}

static int fill_total(struct store_sheet *r, sqlite3_stmt *st,
                      struct sheet_data *d, struct err *e)
{
    int rc;
    if ((rc = dup_col(r, st, 0, &d->name, e)) ||
        (rc = dup_col(r, st, 1, &d->role, e)) ||
        (rc = dup_col(r, st, 2, &d->role_label, e)) ||
        (rc = dup_col(r, st, 3, &d->region_id, e)) ||
        (rc = dup_col(r, st, 4, &d->manager_id, e)) ||
        (rc = dup_col(r, st, 9, &d->grade, e)) ||
        (rc = dup_col(r, st, 11, &d->region_name, e)) ||
        (rc = dup_col(r, st, 12, &d->manager_name, e)))
        return rc;
    d->left = strcmp(col_text(st, 5), "left") == 0;
    d->has_own = opt_real(st, 6, &d->own);
    d->has_team = opt_real(st, 7, &d->team);
    d->has_total = opt_real(st, 8, &d->total);
    d->rank = sqlite3_column_int(st, 10);
    if (opt_date(st, 13, &d->hired) || opt_date(st, 14, &d->left_on))
        return bad(r, d->person_id, "malformed hired/left date", e);
    return ERR_OK;
}

static int read_total(struct store_sheet *r, struct sheet_data *d,
                      struct err *e)
{
    sqlite3_stmt *st = r->q[Q_TOTAL];
    int rc;
    store_bind_texts(st, (const char *const[]){r->period, d->person_id}, 2);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        rc = fill_total(r, st, d, e);
    else if (rc == SQLITE_DONE)
        rc = bad(r, d->person_id, "no stored total", e);
    else
        rc = store_sqlerr(r->s, rc, "reading a person's total", e);
    sqlite3_reset(st);
    return rc;
}

static int read_indicators(struct store_sheet *r, struct sheet_data *d,
                           struct err *e)
{
    sqlite3_stmt *st = r->q[Q_IND];
    int rc;
    store_bind_texts(st, (const char *const[]){r->period, d->person_id,
                                               r->prev}, 3);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct sheet_ind *in = &d->ind[d->nind];
        int k = roles_ind_index(col_text(st, 0));
        if (k < 0 || d->nind == ROLES_NIND) {
            sqlite3_reset(st);
            return bad(r, d->person_id, "unknown or repeated indicator", e);
        }
        in->ind = k;
        in->num = sqlite3_column_double(st, 1);
        in->den = sqlite3_column_double(st, 2);
        in->target = sqlite3_column_double(st, 4);
        in->floor = sqlite3_column_double(st, 5);
        in->weight = sqlite3_column_double(st, 6);
        in->applicable = sqlite3_column_int(st, 8) != 0 &&
                         opt_real(st, 3, &in->rate) &&
                         opt_real(st, 7, &in->score);
        in->has_prev = opt_real(st, 9, &in->prev_rate);
        d->nind++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return store_sqlerr(r->s, rc, "reading a person's indicators", e);
    return ERR_OK;
}

static int read_trend(struct store_sheet *r, struct sheet_data *d,
                      struct err *e)
{
    sqlite3_stmt *st = r->q[Q_TREND];
    int rc;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, d->person_id, -1, SQLITE_STATIC);
    for (int k = 0; k < SHEET_TREND_MAX; k++)
        sqlite3_bind_text(st, k + 2, k < r->ntrend ? r->trend[k] : "", -1,
                          SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
           d->ntrend < SHEET_TREND_MAX) {
        struct sheet_point *p = &d->trend[d->ntrend++];
        snprintf(p->period, sizeof p->period, "%.7s", col_text(st, 0));
        p->has_total = opt_real(st, 1, &p->total);
        if (!strcmp(p->period, r->prev) && p->has_total) {
            d->has_prev_total = 1;
            d->prev_total = p->total;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return store_sqlerr(r->s, rc, "reading a person's trend", e);
    return ERR_OK;
}

void store_sheet_data_free(struct sheet_data *d)
{
    if (!d)
        return;
    mem_free(d->person_id);
    mem_free(d->name);
    mem_free(d->role);
    mem_free(d->role_label);
    mem_free(d->region_id);
    mem_free(d->region_name);
    mem_free(d->manager_id);
    mem_free(d->manager_name);
    mem_free(d->grade);
    mem_free(d->company);
    memset(d, 0, sizeof *d);
}

int store_sheet_read(struct store_sheet *r, size_t i, struct sheet_data *d,
                     struct err *e)
{
    int rc;
    memset(d, 0, sizeof *d);
    d->hired = d->left_on = SHEET_NODATE;
    if (i >= r->n)
        return err_set(e, ERR_USAGE, "store_sheet_read: person %zu of %zu",
                       i, r->n);
    snprintf(d->period, sizeof d->period, "%s", r->period);
    d->period_start = r->start;
    d->period_end = r->end;
    d->seq = (int)i + 1;
    d->count = (int)r->n;
    d->team_members = r->team[i];
    if (!(d->person_id = mem_strdup(r->id[i])) ||
        !(d->company = mem_strdup(r->company)))
        return nomem(r, e);
    snprintf(d->source, sizeof d->source, "%s", r->source);
    if ((rc = read_total(r, d, e)) || (rc = read_indicators(r, d, e)))
        return rc;
    return read_trend(r, d, e);
}
