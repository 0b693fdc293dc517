/* store_period -- a period's records in, its results out (see
 * store_period.h).  Ids become dataset indexes here: regions by binary
 * search over the id-sorted regions, persons/customers/contacts through the
 * dataset's id maps. */
#include "store_period.h"
#include "period.h"
#include "store.h"
#include "store_int.h"
#include "err.h"
#include "mem.h"
#include "sort.h"

#include <stddef.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

/* ---- the period's exports --------------------------------------------- */

static const char *col_text(sqlite3_stmt *st, int i);

int store_period_exports(struct store *s, const char *period,
                         struct store_exports *out, struct err *e)
{
    static const char *const sql[3] = {
        "SELECT count(*), (SELECT sha256 FROM import WHERE period = ?1"
        " ORDER BY id DESC LIMIT 1), (SELECT file FROM import WHERE"
        " period = ?1 ORDER BY id DESC LIMIT 1) FROM import WHERE period = ?1",
        "SELECT company FROM import WHERE period = ?1 AND company IS NOT NULL"
        " AND company <> '' ORDER BY id DESC LIMIT 1",
        "SELECT DISTINCT period FROM import WHERE period IS NOT NULL"
        " ORDER BY period"};
    sqlite3_stmt *st;
    int rc = ERR_OK;

    memset(out, 0, sizeof *out);
    for (int q = 0; q < 3 && !rc; q++) {
        size_t used = 0;
        if ((rc = store_prepare(s, sql[q], &st, e)))
            break;
        sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *a = col_text(st, 0);
            if (q == 0) {
                out->n = sqlite3_column_int(st, 0);
                snprintf(out->newest, sizeof out->newest, "%s",
                         col_text(st, 1) ? col_text(st, 1) : "");
                snprintf(out->newest_file, sizeof out->newest_file, "%s",
                         col_text(st, 2) ? col_text(st, 2) : "");
            } else if (q == 1) {
                snprintf(out->company, sizeof out->company, "%s", a ? a : "");
            } else if (a && used + strlen(a) + 6 < sizeof out->periods) {
                used += (size_t)snprintf(out->periods + used,
                                         sizeof out->periods - used, "%s%s",
                                         used ? ", " : "", a);
            } else if (a && !strstr(out->periods, "\xE2\x80\xA6")) {
                snprintf(out->periods + used, sizeof out->periods - used,
                         ", \xE2\x80\xA6");
                used = sizeof out->periods;
            }
        }
        sqlite3_finalize(st);
        rc = rc == SQLITE_DONE ? ERR_OK
                               : store_sqlerr(s, rc, "reading the imports", e);
    }
    return rc;
}

int store_period_texts(struct store *s, const char *period,
                       store_text_fn fn, void *ctx, struct err *e)
{
    static const char *const sql[] = {
        "SELECT 'person ' || person || ' name', name FROM score_total"
        " WHERE period = ?1 UNION ALL"
        " SELECT 'person ' || person || ' role', role_label FROM score_total"
        " WHERE period = ?1 UNION ALL"
        " SELECT 'region ' || region || ' name', name FROM score_region"
        " WHERE period = ?1 UNION ALL"
        " SELECT DISTINCT 'customer ' || c.id || ' name', c.name FROM"
        " score_risk r JOIN customer c ON c.id = r.customer"
        " WHERE r.period = ?1 ORDER BY 1",
        "SELECT count(*) FROM score_run WHERE period = ?1"};
    struct store_exports x;
    sqlite3_stmt *st;
    int rc;

    if ((rc = store_prepare(s, sql[1], &st, e)))
        return rc;
    sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW || sqlite3_column_int(st, 0) == 0) {
        sqlite3_finalize(st);
        return rc == SQLITE_ROW
                   ? err_set(e, ERR_DATA, "%s: period %s has no stored "
                             "results (run keqing score --period %s first)",
                             store_path(s), period, period)
                   : store_sqlerr(s, rc, "reading the scored periods", e);
    }
    sqlite3_finalize(st);
    if ((rc = store_period_exports(s, period, &x, e)))
        return rc;
    if (x.company[0] && (rc = fn(ctx, "the company's name", x.company)))
        return rc;
    if ((rc = store_prepare(s, sql[0], &st, e)))
        return rc;
    sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *w = col_text(st, 0), *t = col_text(st, 1);
        int r = fn(ctx, w ? w : "?", t ? t : "");
        if (r) {
            sqlite3_finalize(st);
            return r;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ERR_OK
                             : store_sqlerr(s, rc, "reading the texts", e);
}

/* ---- reading ----------------------------------------------------------- */

struct loader {
    struct store *s;
    struct dataset *ds;
    const struct period *per;
    const char *what;   /* table being read, for messages */
    int hist;           /* the earlier period being read (read_history) */
};

typedef int row_fn(struct loader *l, sqlite3_stmt *st, struct err *e);

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* A stored date (NULL -> DS_NODATE).  0, or -1 when malformed. */
static int col_date(sqlite3_stmt *st, int i, int *day)
{
    const char *t = col_text(st, i);
    if (!t) {
        *day = DS_NODATE;
        return 0;
    }
    return date_parse(t, day);
}

static int col_bool(sqlite3_stmt *st, int i)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return DS_ABSENT;
    return sqlite3_column_int(st, i) != 0;
}

static int bad(struct loader *l, sqlite3_stmt *st, const char *why,
               struct err *e)
{
    const char *id = col_text(st, 0);
    return err_set(e, ERR_DATA, "%s: %s %s: %s", store_path(l->s), l->what,
                   id ? id : "?", why);
}

/* Run sql with text parameters ?1..?nb and call fn on every row. */
static int each_row(struct loader *l, const char *what, const char *sql,
                    const char *const *bind, int nb, row_fn *fn,
                    struct err *e)
{
    sqlite3_stmt *st;
    int rc = store_prepare(l->s, sql, &st, e);
    if (rc)
        return rc;
    l->what = what;
    for (int i = 0; i < nb; i++)
        sqlite3_bind_text(st, i + 1, bind[i], -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if ((rc = fn(l, st, e)))
            break;
    if (rc == SQLITE_DONE)
        rc = ERR_OK;
    else if (rc > 0)
        rc = store_sqlerr(l->s, rc, what, e);
    sqlite3_finalize(st);
    return rc;
}

static int find_region(const struct dataset *ds, const char *id)
{
    size_t i;
    return sort_find_str(ds->region, (size_t)ds->n_region, sizeof *ds->region,
                         offsetof(struct ds_region, id), id, &i) ? (int)i
                                                                 : -1;
}

/* The status of a dataset_add_*: an error (its message names the record
 * and the cause) gets the database and the table in front. */
static int added(struct loader *l, int rc, struct err *e)
{
    if (rc)
        err_prefix(e, "%s: reading %s: ", store_path(l->s), l->what);
    return rc;
}

static int row_region(struct loader *l, sqlite3_stmt *st, struct err *e)
{
    int rc = dataset_add_region(l->ds, col_text(st, 0), col_text(st, 1), -1,
                                NULL, e);
    return added(l, rc, e);
}

/* The indices (found with find) of the ids in columns 0 and 1 of a row
 * that links two records; ERR_DATA (what) when either is unknown. */
static int link_of(struct loader *l, sqlite3_stmt *st,
                   int (*find)(const struct dataset *, const char *),
                   const char *what, int *a, int *b, struct err *e)
{
    *a = find(l->ds, col_text(st, 0));
    *b = find(l->ds, col_text(st, 1));
    return *a < 0 || *b < 0 ? bad(l, st, what, e) : ERR_OK;
}

static int row_region_parent(struct loader *l, sqlite3_stmt *st,
                             struct err *e)
{
    int r, p;
    int rc = link_of(l, st, find_region, "unknown parent region", &r, &p, e);
    if (!rc)
        l->ds->region[r].parent = p;
    return rc;
}

/* The previous month's stored mean total of a region (month-on-month). */
static int row_prev_mean(struct loader *l, sqlite3_stmt *st, struct err *e)
{
    int r = find_region(l->ds, col_text(st, 0));
    (void)e;
    if (r >= 0 && sqlite3_column_type(st, 1) != SQLITE_NULL) {
        l->ds->region[r].has_prev_mean = 1;
        l->ds->region[r].prev_mean = sqlite3_column_double(st, 1);
    }
    return ERR_OK;
}

/* An earlier stored period, then the customers flagged single-threaded
 * in it (l->hist: which of the periods). */
static int row_hist_period(struct loader *l, sqlite3_stmt *st,
                           struct err *e)
{
    return dataset_add_history(l->ds, col_text(st, 0), e);
}

static int row_hist_single(struct loader *l, sqlite3_stmt *st,
                           struct err *e)
{
    return dataset_add_history_single(l->ds, l->hist, col_text(st, 0), e);
}

/* What the rules look back on (dataset.h, struct ds_history). */
static int read_history(struct loader *l, const struct period *per,
                        struct err *e)
{
    struct period prev;
    char pm[8], prm[8];
    const char *b[1] = {pm};
    int rc;

    period_format(per, pm);
    period_prev(per, &prev);
    period_format(&prev, prm);
    b[0] = prm;
    if ((rc = each_row(l, "score_region", "SELECT region, mean_total FROM"
                       " score_region WHERE period = ?1", b, 1,
                       row_prev_mean, e)))
        return rc;
    b[0] = pm;
    if ((rc = each_row(l, "score_run", "SELECT period FROM score_run WHERE"
                       " period < ?1 ORDER BY period DESC LIMIT 24", b, 1,
                       row_hist_period, e)))
        return rc;
    for (int k = 0; k < l->ds->hist.n && !rc; k++) {
        b[0] = l->ds->hist.period[k];
        l->hist = k;
        rc = each_row(l, "score_risk", "SELECT customer FROM score_risk"
                      " WHERE period = ?1 AND kind = 'single_thread'"
                      " ORDER BY customer", b, 1, row_hist_single, e);
    }
    return rc;
}

static int row_person(struct loader *l, sqlite3_stmt *st, struct err *e)
{
    int region = find_region(l->ds, col_text(st, 3)), hired, left, rc;
    if (region < 0)
        return bad(l, st, "unknown region", e);
    if (col_date(st, 4, &hired) || hired == DS_NODATE || col_date(st, 5, &left))
        return bad(l, st, "malformed date", e);
    rc = dataset_add_person(l->ds, col_text(st, 0), col_text(st, 1),
                            col_text(st, 2), region, -1, hired, left, NULL, e);
    return added(l, rc, e);
}

static int row_manager(struct loader *l, sqlite3_stmt *st, struct err *e)
{
    int p, m;
    int rc = link_of(l, st, dataset_find_person, "unknown manager", &p, &m, e);
    if (!rc)
        l->ds->person[p].manager = m;
    return rc;
}

static int grade_of(const char *g)
{
    static const char *const names[] = {"VIP", "A", "B", "C"};
    for (int i = 0; g && i < 4; i++)
        if (strcmp(g, names[i]) == 0)
            return i;
    return -1;
}

static int row_customer(struct loader *l, sqlite3_stmt *st, struct err *e)
{
    const char *type = col_text(st, 2);
    int grade = grade_of(col_text(st, 3));
    int region = find_region(l->ds, col_text(st, 4));
    int owner = dataset_find_person(l->ds, col_text(st, 5));
    int founded, restructured, rc;
    if (grade < 0 || !type || region < 0 || owner < 0)
        return bad(l, st, "unknown grade, region or owner", e);
    if (col_date(st, 6, &founded) || col_date(st, 7, &restructured))
        return bad(l, st, "malformed date", e);
    rc = dataset_add_customer(l->ds, col_text(st, 0), col_text(st, 1),
                              strcmp(type, "terminal") == 0, grade, region,
                              owner, founded, restructured, NULL, e);
    return added(l, rc, e);
}

static int row_handover(struct loader *l, sqlite3_stmt *st, struct err *e)
{
    int c = dataset_find_customer(l->ds, col_text(st, 0));
    int from = dataset_find_person(l->ds, col_text(st, 1));
    int to = dataset_find_person(l->ds, col_text(st, 2));
    int date;
    if (c < 0 || from < 0 || to < 0 || col_date(st, 3, &date) ||
        date == DS_NODATE)
        return bad(l, st, "handover with an unknown party or bad date", e);
    return added(l, dataset_add_handover(l->ds, c, from, to, date, NULL, e),
                 e);
}

static int row_contact(struct loader *l, sqlite3_stmt *st, struct err *e)
{
    int c = dataset_find_customer(l->ds, col_text(st, 2));
    int since, m = 0, d = 0, rc;
    const char *bd = col_text(st, 5);
    if (c < 0)
        return bad(l, st, "unknown customer", e);
    if (col_date(st, 4, &since) || (bd && date_parse_mmdd(bd, &m, &d)))
        return bad(l, st, "malformed date", e);
    rc = dataset_add_contact(l->ds, col_text(st, 0), col_text(st, 1), c,
                             col_bool(st, 3) == 1, since, m, d, NULL, e);
    return added(l, rc, e);
}

static int row_card(struct loader *l, sqlite3_stmt *st, struct err *e)
{
    int k = dataset_find_contact(l->ds, col_text(st, 0));
    int created, updated, family = 0, rc;
    if (k < 0)
        return bad(l, st, "unknown contact", e);
    if (col_date(st, 1, &created) || created == DS_NODATE ||
        col_date(st, 2, &updated))
        return bad(l, st, "malformed date", e);
    if (sqlite3_column_type(st, 4) != SQLITE_NULL)
        family = sqlite3_column_int(st, 4);
    if (family < 0)
        family = 0;
    if (family > 100)
        family = 100;
    rc = dataset_add_card(l->ds, k, created, updated,
                          dataset_count_phones(col_text(st, 3)), family, NULL,
                          e);
    return added(l, rc, e);
}

/* staff, customer and date of an activity row (columns 1, 2, 3). */
static int activity(struct loader *l, sqlite3_stmt *st, int *staff,
                    int *cust, int *date, struct err *e)
{
    *staff = dataset_find_person(l->ds, col_text(st, 1));
    *cust = dataset_find_customer(l->ds, col_text(st, 2));
    if (*staff < 0 || *cust < 0)
        return bad(l, st, "unknown staff or customer", e);
    if (col_date(st, 3, date) || *date == DS_NODATE)
        return bad(l, st, "malformed date", e);
    return ERR_OK;
}

static int has_text(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t')
            return 1;
    return 0;
}

static int row_visit(struct loader *l, sqlite3_stmt *st, struct err *e)
{
    int p, c, d, rc = activity(l, st, &p, &c, &d, e);
    if (rc)
        return rc;
    rc = dataset_add_visit(l->ds, col_text(st, 0), p, c, d,
                           has_text(col_text(st, 4)), NULL, e);
    return added(l, rc, e);
}

static int row_service(struct loader *l, sqlite3_stmt *st, struct err *e)
{
    int p, c, d, rc = activity(l, st, &p, &c, &d, e);
    if (rc)
        return rc;
    rc = dataset_add_service(l->ds, col_text(st, 0), p, c, d, NULL, e);
    return added(l, rc, e);
}

static int row_display(struct loader *l, sqlite3_stmt *st, struct err *e)
{
    int p, c, d, rc = activity(l, st, &p, &c, &d, e);
    const char *pos = col_text(st, 4);
    if (rc)
        return rc;
    rc = dataset_add_display(l->ds, col_text(st, 0), p, c, d,
                             pos && strcmp(pos, "best") == 0, col_bool(st, 5),
                             NULL, e);
    return added(l, rc, e);
}

static int report_kind(const char *k)
{
    static const char *const names[DS_NREPORT] = {
        "business_change", "sell_through", "downstream_feedback", "competitor"};
    for (int i = 0; k && i < DS_NREPORT; i++)
        if (strcmp(k, names[i]) == 0)
            return i;
    return -1;
}

static int row_report(struct loader *l, sqlite3_stmt *st, struct err *e)
{
    int p, c, received, fwd, rc = activity(l, st, &p, &c, &received, e);
    int kind = report_kind(col_text(st, 4)), month = dataset_month(col_text(st, 5));
    if (rc)
        return rc;
    if (kind < 0 || month < 0 || col_date(st, 6, &fwd))
        return bad(l, st, "unknown kind or malformed month/date", e);
    rc = dataset_add_report(l->ds, col_text(st, 0), p, c, kind, month,
                            received, fwd, NULL, e);
    return added(l, rc, e);
}

static int occasion_of(const char *o)
{
    static const char *const names[DS_NOCCASION] = {
        "new_year", "spring_festival", "qingming", "labor_day", "dragon_boat",
        "mid_autumn", "national_day", "birthday", "anniversary"};
    for (int i = 0; o && i < DS_NOCCASION; i++)
        if (strcmp(o, names[i]) == 0)
            return i;
    return -1;
}

/* An optional contact reference in column i: -1 when NULL, -2 unknown. */
static int opt_contact(struct loader *l, sqlite3_stmt *st, int i)
{
    const char *id = col_text(st, i);
    int k;
    if (!id)
        return -1;
    k = dataset_find_contact(l->ds, id);
    return k < 0 ? -2 : k;
}

static int row_greeting(struct loader *l, sqlite3_stmt *st, struct err *e)
{
    int p, c, d, rc = activity(l, st, &p, &c, &d, e);
    int oc = occasion_of(col_text(st, 4)), k = opt_contact(l, st, 5);
    if (rc)
        return rc;
    if (oc < 0 || k == -2)
        return bad(l, st, "unknown occasion or contact", e);
    rc = dataset_add_greeting(l->ds, col_text(st, 0), p, c, k, oc, d,
                              col_bool(st, 6), NULL, e);
    return added(l, rc, e);
}

static int row_check(struct loader *l, sqlite3_stmt *st, struct err *e)
{
    int p, c, d, rc = activity(l, st, &p, &c, &d, e);
    int k = opt_contact(l, st, 4);
    signed char item[DS_NCHECK_ITEM];
    if (rc)
        return rc;
    if (k == -2)
        return bad(l, st, "unknown contact", e);
    for (int i = 0; i < DS_NCHECK_ITEM; i++)
        item[i] = (signed char)col_bool(st, 5 + i);
    rc = dataset_add_check(l->ds, col_text(st, 0), p, c, k, d, item, NULL, e);
    return added(l, rc, e);
}

/* ---- reading a period in chunks of customers ------------------------------
 * Regions and persons are read once; then customers in id order, each
 * chunk with everything attached to its customers: handovers, contacts,
 * cards and the period's activities.  Every one of these cursors is
 * ordered by customer id, so a chunk takes from each the rows up to its
 * last customer and leaves the rest for the next (a merge of sorted
 * streams: one sort per table, whatever the number of chunks). */

enum { RQ_CUSTOMER, RQ_HANDOVER, RQ_CONTACT, RQ_CARD, RQ_VISIT, RQ_SERVICE,
       RQ_DISPLAY, RQ_REPORT, RQ_GREETING, RQ_CHECK, RQ_N };

struct store_period_reader {
    struct loader l;
    struct period per;
    sqlite3_stmt *q[RQ_N];
    int has[RQ_N];              /* a row is current (read, not taken) */
    int done[RQ_N];             /* the cursor is exhausted */
    char wk0[11], wk1[11], ps[11], pe[11], gs[11], cs[11], month[8];
    long customers;             /* read so far */
};

static const struct {
    const char *what, *sql;
    int cust_col;               /* column holding the customer id */
    row_fn *fn;
} rq[RQ_N] = {
    {"customer", "SELECT id, name, type, grade, region, owner, founded,"
     " restructured FROM customer ORDER BY id", 0, row_customer},
    {"handover", "SELECT customer, from_staff, to_staff, date FROM handover"
     " ORDER BY customer, seq", 0, row_handover},
    {"contact", "SELECT id, name, customer, is_key, since, birthday FROM"
     " contact ORDER BY customer, id", 2, row_contact},
    {"card", "SELECT c.contact, c.created, c.updated, c.phones, c.family,"
     " k.customer FROM card c JOIN contact k ON k.id = c.contact"
     " ORDER BY k.customer, c.contact", 5, row_card},
    {"visit", "SELECT id, staff, customer, date, purpose FROM visit"
     " WHERE date BETWEEN ?1 AND ?2 ORDER BY customer", 2, row_visit},
    {"service", "SELECT id, staff, customer, date FROM service"
     " WHERE date BETWEEN ?1 AND ?2 ORDER BY customer", 2, row_service},
    {"display", "SELECT id, staff, customer, date, position, pop FROM display"
     " WHERE date BETWEEN ?3 AND ?4 ORDER BY customer", 2, row_display},
    {"report", "SELECT id, staff, customer, received, kind, month, forwarded"
     " FROM report WHERE month = ?7 ORDER BY customer", 2, row_report},
    {"greeting", "SELECT id, staff, customer, date, occasion, contact,"
     " identified FROM greeting WHERE date BETWEEN ?5 AND ?4"
     " ORDER BY customer", 2, row_greeting},
    {"check", "SELECT id, staff, customer, date, contact, rep_knows_name,"
     " knows_rep_name, rep_recites_card, knows_company, first_recommend,"
     " explains_selling_points FROM spot_check WHERE date BETWEEN ?6 AND ?4"
     " ORDER BY customer", 2, row_check},
};

void store_period_close(struct store_period_reader *r)
{
    if (!r)
        return;
    for (int k = 0; k < RQ_N; k++)
        sqlite3_finalize(r->q[k]);
    /* the connection's own cache again (store.c) */
    sqlite3_exec(r->l.s->db, "PRAGMA cache_size=-16384", NULL, NULL, NULL);
    mem_free(r);
}

int store_period_open(struct store *s, const struct period *per,
                      struct dataset *ds, struct store_period_reader **out,
                      struct err *e)
{
    struct store_period_reader *r = mem_calloc(1, sizeof *r);
    struct period p1, p2;
    int rc;

    *out = NULL;
    if (!r)
        return err_set(e, ERR_NOMEM, "%s: out of memory", store_path(s));
    r->l.s = s;
    r->l.ds = ds;
    r->per = *per;
    r->l.per = &r->per;
    r->l.what = "";
    period_prev(per, &p1);
    period_prev(&p1, &p2);
    date_format(per->week[0], r->wk0);
    date_format(per->week[per->nweeks - 1] + 6, r->wk1);
    date_format(per->start, r->ps);
    date_format(per->end, r->pe);
    date_format(per->start - 3, r->gs);
    date_format(p2.start, r->cs);
    period_format(per, r->month);
#define ROWS(what, sql, fn) (rc = each_row(&r->l, what, sql, NULL, 0, fn, e))
    if (ROWS("region", "SELECT id, name FROM region ORDER BY id",
             row_region) ||
        ROWS("region", "SELECT id, parent FROM region WHERE parent IS NOT "
             "NULL ORDER BY id", row_region_parent) ||
        ROWS("person", "SELECT id, name, role, region, hired, left_on FROM "
             "person ORDER BY id", row_person) ||
        ROWS("person", "SELECT id, manager FROM person WHERE manager IS NOT "
             "NULL ORDER BY id", row_manager) ||
        (rc = read_history(&r->l, per, e))) {
        store_period_close(r);
        return rc;
    }
#undef ROWS
    /* each ordered cursor sorts with up to cache_size of memory before it
     * spills to temporary files: ten of them at the connection's 16 MB
     * would be most of a big company's footprint */
    if (!rc)
        rc = store_exec(s, "PRAGMA cache_size=-4096", e);
    for (int k = 0; k < RQ_N && !rc; k++) {
        const char *b[7] = {r->wk0, r->wk1, r->ps, r->pe, r->gs, r->cs,
                            r->month};
        if ((rc = store_prepare(s, rq[k].sql, &r->q[k], e)))
            break;
        for (int i = 1; i <= 7; i++) {
            char name[4];
            snprintf(name, sizeof name, "?%d", i);
            if (sqlite3_bind_parameter_index(r->q[k], name))
                sqlite3_bind_text(r->q[k], i, b[i - 1], -1, SQLITE_STATIC);
        }
    }
    if (rc) {
        store_period_close(r);
        return rc;
    }
    *out = r;
    return ERR_OK;
}

/* Make the next row of cursor k current (has[k]), or mark it done. */
static int peek(struct store_period_reader *r, int k, struct err *e)
{
    int rc;

    if (r->has[k] || r->done[k])
        return ERR_OK;
    rc = sqlite3_step(r->q[k]);
    if (rc == SQLITE_ROW) {
        r->has[k] = 1;
        return ERR_OK;
    }
    if (rc == SQLITE_DONE) {
        r->done[k] = 1;
        return ERR_OK;
    }
    return store_sqlerr(r->l.s, rc, rq[k].what, e);
}

int store_period_next(struct store_period_reader *r, long max_customers,
                      int *got, struct err *e)
{
    struct dataset *ds = r->l.ds;
    char last[256] = "";
    int rc = ERR_OK, n = 0;

    *got = 0;
    dataset_chunk_begin(ds);
    /* the chunk's customers */
    while (n < max_customers && !(rc = peek(r, RQ_CUSTOMER, e)) &&
           r->has[RQ_CUSTOMER]) {
        r->l.what = rq[RQ_CUSTOMER].what;
        if ((rc = row_customer(&r->l, r->q[RQ_CUSTOMER], e)))
            return rc;
        snprintf(last, sizeof last, "%s", col_text(r->q[RQ_CUSTOMER], 0));
        r->has[RQ_CUSTOMER] = 0;
        n++;
    }
    if (rc)
        return rc;
    /* from every other cursor, the rows of these customers */
    for (int k = RQ_HANDOVER; k < RQ_N && n > 0; k++) {
        r->l.what = rq[k].what;
        while (!(rc = peek(r, k, e)) && r->has[k]) {
            const char *c = col_text(r->q[k], rq[k].cust_col);
            if (c && strcmp(c, last) > 0)
                break;              /* the next chunk's */
            if ((rc = rq[k].fn(&r->l, r->q[k], e)))
                return rc;
            r->has[k] = 0;
        }
        if (rc)
            return rc;
    }
    r->customers += n;
    *got = n;
    return dataset_finish(ds, e);
}

int store_load_period(struct store *s, const struct period *per,
                      struct dataset *ds, struct err *e)
{
    struct store_period_reader *r;
    int got, rc = store_period_open(s, per, ds, &r, e);

    if (rc)
        return rc;
    rc = store_period_next(r, LONG_MAX, &got, e);
    if (!rc && got == 0)
        rc = dataset_finish(ds, e);
    store_period_close(r);
    return rc;
}
