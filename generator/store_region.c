/* store_region -- a period's region figures, one region at a time (see
 * store_region.h).  Reads only: every figure, rank, target, manager and
 * date was stored by the score stage (score_region.c).
 *
 * Opening reads the region rows of the period (score_region), sorts them
 * into depth-first order and reads every assessed person (score_total)
 * once; per region only its role, grade, indicator, ranking, trend and
 * risk rows are queried (primary keys / the score_risk_region index).
 */
#include "store_region.h"
#include "store.h"
#include "store_int.h"
#include "store_results.h"
#include "date.h"
#include "period.h"
#include "err.h"
#include "mem.h"
#include "sort.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { Q_ROLE, Q_GRADE, Q_IND, Q_TREND, Q_RISK, Q_RANK, Q_N };

static const char *const sql_text[Q_N] = {
    /* ?1 period, ?2 region */
    /* in the hierarchy's order (score_role, score.c); results stored
     * before schema 4 have none: by id */
    "SELECT r.role, r.people FROM score_region_role r LEFT JOIN score_role o"
    " ON o.period = r.period AND o.role = r.role WHERE r.period = ?1 AND"
    " r.region = ?2 AND r.people > 0 ORDER BY o.pos IS NULL, o.pos, r.role",
    "SELECT grade, people FROM score_region_grade WHERE period = ?1 AND"
    " region = ?2 ORDER BY grade",
    /* ?1 period, ?2 region, ?3 previous month */
    "SELECT c.indicator, c.numerator, c.denominator, c.rate, p.rate,"
    " c.target FROM score_region_indicator c LEFT JOIN score_region_indicator p"
    " ON p.period = ?3 AND p.region = c.region AND p.indicator = c.indicator"
    " WHERE c.period = ?1 AND c.region = ?2 ORDER BY c.indicator",
    /* ?1 region, ?2..?7 the trend periods */
    "SELECT period, mean_total FROM score_region WHERE region = ?1 AND"
    " period IN (?2, ?3, ?4, ?5, ?6, ?7) ORDER BY period",
    /* ?1 period, ?2 region */
    "SELECT k.kind, k.customer, COALESCE(c.name, k.customer),"
    " COALESCE(c.grade, ''), k.owner, COALESCE(o.name, k.owner),"
    " COALESCE(f.name, k.from_staff, ''), COALESCE(k.since, ''), k.count,"
    " k.keys FROM score_risk k INDEXED BY score_risk_region"
    " LEFT JOIN customer c ON c.id = k.customer"
    " LEFT JOIN person o ON o.id = k.owner"
    " LEFT JOIN person f ON f.id = k.from_staff"
    " WHERE k.period = ?1 AND k.region = ?2",
    /* ?1 period, ?2 region */
    "SELECT person, rank FROM score_region_rank WHERE period = ?1 AND"
    " region = ?2",
};

struct rperson {
    char *id, *name, *role, *role_label, *region, *manager, *grade;
    int left, has_own, has_team, has_total, rank;
    double own, team, total;
    long node;          /* index of its region, -1 when not a stored one */
};

struct rnode {
    char *id, *name, *parent_id, *manager;
    long parent;        /* index, -1 for a root */
    int depth;
    size_t end;         /* subtree: [self, end) */
    int people, scored, has_mean, has_median, has_mom;
    double mean, median, mom;
    size_t *own;        /* owned: persons of this node, by rank then id */
    const char **own_ids; /* owned array, borrowed strings */
    size_t nown;
    size_t people_sub;  /* persons of the subtree */
};

struct store_region {
    struct store *s;
    sqlite3_stmt *q[Q_N];
    char period[8], prev[8];
    int end;
    char trend[REGION_TREND_MAX][8];  /* stored periods <= period */
    int ntrend;
    struct rnode *node;
    size_t nnode;
    struct rperson *p;  /* sorted by id */
    size_t np, capp;
    const struct rperson *role_of[REGION_MAX_COUNTS * 4]; /* a person of
                                            each role, in order of meeting */
    const char *grades[REGION_MAX_COUNTS * 4];  /* distinct grade labels */
    int nrole_of, ngrades;
};

static const char *col_text(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return t ? t : "";
}

static int nomem(const struct store_region *r, struct err *e)
{
    return err_set(e, ERR_NOMEM, "%s: reading regions of %s: out of memory",
                   store_path(r->s), r->period);
}

static int is_null(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL;
}

/* Step st (already bound) to the end, calling fn on each row; reset. */
static int each(struct store_region *r, sqlite3_stmt *st, const char *what,
                int (*fn)(struct store_region *, sqlite3_stmt *, void *,
                          struct err *),
                void *arg, struct err *e)
{
    int rc, frc = ERR_OK;
    while (!frc && (rc = sqlite3_step(st)) == SQLITE_ROW)
        frc = fn(r, st, arg, e);
    if (!frc && rc != SQLITE_DONE)
        frc = store_sqlerr(r->s, rc, what, e);
    sqlite3_reset(st);
    return frc;
}

/* ---- opening: the tree ------------------------------------------------- */

/* The index of node id (nodes sorted by id, before order_tree), or -1. */
static long find_node(const struct store_region *r, const char *id)
{
    size_t i;
    return sort_find_str(r->node, r->nnode, sizeof *r->node,
                         offsetof(struct rnode, id), id, &i) ? (long)i : -1;
}

static long find_person(const struct store_region *r, const char *id)
{
    size_t i;
    return sort_find_str(r->p, r->np, sizeof *r->p,
                         offsetof(struct rperson, id), id, &i) ? (long)i : -1;
}

static int row_node(struct store_region *r, sqlite3_stmt *st, void *cap,
                    struct err *e)
{
    struct rnode *n;
    size_t *c = cap;

    if (r->nnode == *c) {
        size_t nc = *c ? *c * 2 : 64;
        struct rnode *v = mem_realloc(r->node, nc * sizeof *v);
        if (!v)
            return nomem(r, e);
        r->node = v;
        *c = nc;
    }
    n = &r->node[r->nnode++];
    memset(n, 0, sizeof *n);
    n->id = mem_strdup(col_text(st, 0));
    n->name = mem_strdup(col_text(st, 1));
    n->parent_id = mem_strdup(col_text(st, 2));
    n->manager = mem_strdup(col_text(st, 8));
    if (!n->id || !n->name || !n->parent_id || !n->manager)
        return nomem(r, e);
    n->people = sqlite3_column_int(st, 3);
    n->scored = sqlite3_column_int(st, 4);
    n->has_mean = !is_null(st, 5);
    n->mean = sqlite3_column_double(st, 5);
    n->has_median = !is_null(st, 6);
    n->median = sqlite3_column_double(st, 6);
    n->has_mom = !is_null(st, 7);
    n->mom = sqlite3_column_double(st, 7);
    return ERR_OK;
}

/* Reorder the id-sorted nodes depth-first (roots, then children, by id),
 * with parents, depths and subtree ends. */
static int order_tree(struct store_region *r, struct err *e)
{
    size_t n = r->nnode, k = 0, top = 0;
    long *parent = mem_malloc((n + 1) * sizeof *parent);
    size_t *order = mem_malloc((n + 1) * sizeof *order);
    size_t *stack = mem_malloc((n + 1) * sizeof *stack);
    long *newpos = mem_malloc((n + 1) * sizeof *newpos);
    struct rnode *sorted = mem_malloc((n + 1) * sizeof *sorted);
    int rc = ERR_OK;

    if (!parent || !order || !stack || !newpos || !sorted) {
        rc = nomem(r, e);
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        parent[i] = r->node[i].parent_id[0]
                    ? find_node(r, r->node[i].parent_id) : -1;
    /* push roots in reverse id order so the smallest comes out first */
    for (size_t i = n; i-- > 0;)
        if (parent[i] < 0)
            stack[top++] = i;
    while (top > 0) {
        size_t v = stack[--top];
        order[k++] = v;
        for (size_t i = n; i-- > 0;)
            if (parent[i] == (long)v && top < n)
                stack[top++] = i;
    }
    if (k != n) {
        rc = err_set(e, ERR_DATA, "%s: the regions of %s do not form a tree",
                     store_path(r->s), r->period);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        newpos[order[i]] = (long)i;
        sorted[i] = r->node[order[i]];
    }
    for (size_t i = 0; i < n; i++) {
        long p = parent[order[i]];
        sorted[i].parent = p < 0 ? -1 : newpos[p];
        sorted[i].depth = p < 0 ? 0 : sorted[newpos[p]].depth + 1;
    }
    for (size_t i = n; i-- > 0;) { /* a subtree ends where depth returns */
        size_t j = i + 1;
        while (j < n && sorted[j].depth > sorted[i].depth)
            j = sorted[j].end;
        sorted[i].end = j;
    }
    mem_free(r->node);
    r->node = sorted;
    sorted = NULL;
out:
    mem_free(parent);
    mem_free(order);
    mem_free(stack);
    mem_free(newpos);
    mem_free(sorted);
    return rc;
}

/* ---- opening: persons ---------------------------------------------------- */

static int row_person(struct store_region *r, sqlite3_stmt *st, void *arg,
                      struct err *e)
{
    struct rperson *p;
    (void)arg;

    if (r->np == r->capp) {
        size_t nc = r->capp ? r->capp * 2 : 256;
        struct rperson *v = mem_realloc(r->p, nc * sizeof *v);
        if (!v)
            return nomem(r, e);
        r->p = v;
        r->capp = nc;
    }
    p = &r->p[r->np++];
    memset(p, 0, sizeof *p);
    p->id = mem_strdup(col_text(st, 0));
    p->name = mem_strdup(col_text(st, 1));
    p->role = mem_strdup(col_text(st, 2));
    p->role_label = mem_strdup(col_text(st, 3));
    p->region = mem_strdup(col_text(st, 4));
    p->manager = mem_strdup(col_text(st, 5));
    p->grade = mem_strdup(col_text(st, 10));
    if (!p->id || !p->name || !p->role || !p->role_label || !p->region ||
        !p->manager || !p->grade)
        return nomem(r, e);
    p->left = strcmp(col_text(st, 6), "left") == 0;
    p->has_own = !is_null(st, 7);
    p->own = sqlite3_column_double(st, 7);
    p->has_team = !is_null(st, 8);
    p->team = sqlite3_column_double(st, 8);
    p->has_total = !is_null(st, 9);
    p->total = sqlite3_column_double(st, 9);
    p->rank = is_null(st, 11) ? 0 : sqlite3_column_int(st, 11);
    return ERR_OK;
}

/* A person of a node's own list while sorting: its stored rank (0 =
 * unranked) and its index (persons are id-sorted, so index order is id
 * order). */
struct own_key {
    int rank;
    size_t i;
};

/* By stored rank (unranked last), then id. */
static int cmp_own(const void *a, const void *b)
{
    const struct own_key *x = a, *y = b;
    if ((x->rank > 0) != (y->rank > 0))
        return x->rank > 0 ? -1 : 1;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* Sort node n's own persons by cmp_own. */
static int sort_own(struct store_region *r, struct rnode *n, struct err *e)
{
    struct own_key *k = mem_malloc((n->nown + 1) * sizeof *k);

    if (!k)
        return nomem(r, e);
    for (size_t j = 0; j < n->nown; j++) {
        k[j].rank = r->p[n->own[j]].rank;
        k[j].i = n->own[j];
    }
    qsort(k, n->nown, sizeof *k, cmp_own);
    for (size_t j = 0; j < n->nown; j++)
        n->own[j] = k[j].i;
    mem_free(k);
    return ERR_OK;
}

/* After order_tree the nodes are no longer id-sorted: persons find
 * their node through an id-sorted index of these. */
struct node_key {
    const char *id;
    long node;
};

static int cmp_node_id(const void *a, const void *b)
{
    return strcmp(((const struct node_key *)a)->id,
                  ((const struct node_key *)b)->id);
}

/* Remember p's role and grade when they are new (labels for the per-role
 * and per-grade rows, which outlive the statements). */
static void note_labels(struct store_region *r, const struct rperson *p)
{
    int k;
    for (k = 0; k < r->nrole_of && strcmp(r->role_of[k]->role, p->role); k++)
        ;
    if (k == r->nrole_of && k < (int)(sizeof r->role_of / sizeof *r->role_of))
        r->role_of[r->nrole_of++] = p;
    for (k = 0; k < r->ngrades && strcmp(r->grades[k], p->grade); k++)
        ;
    if (p->grade[0] && k == r->ngrades &&
        k < (int)(sizeof r->grades / sizeof *r->grades))
        r->grades[r->ngrades++] = p->grade;
}

static int place_persons(struct store_region *r, struct err *e)
{
    struct node_key *idx = mem_malloc((r->nnode + 1) * sizeof *idx);
    size_t *cap = mem_calloc(r->nnode + 1, sizeof *cap);
    int rc = ERR_OK;

    if (!idx || !cap) {
        rc = nomem(r, e);
        goto out;
    }
    for (size_t k = 0; k < r->nnode; k++) {
        idx[k] = (struct node_key){r->node[k].id, (long)k};
        r->node[k].own = NULL;
    }
    qsort(idx, r->nnode, sizeof *idx, cmp_node_id);
    for (size_t i = 0; i < r->np; i++)
        note_labels(r, &r->p[i]);
    for (size_t i = 0; i < r->np && !rc; i++) {
        struct rperson *p = &r->p[i];
        size_t j;
        struct rnode *n;
        p->node = sort_find_str(idx, r->nnode, sizeof *idx,
                                offsetof(struct node_key, id), p->region, &j)
                  ? idx[j].node : -1;
        if (p->node < 0)
            continue;
        n = &r->node[p->node];
        if (n->nown == cap[p->node]) {
            size_t nc = cap[p->node] ? cap[p->node] * 2 : 8;
            size_t *v = mem_realloc(n->own, nc * sizeof *v);
            if (!v) {
                rc = nomem(r, e);
                break;
            }
            n->own = v;
            cap[p->node] = nc;
        }
        n->own[n->nown++] = i;
    }
    for (size_t k = 0; k < r->nnode && !rc; k++) {
        struct rnode *n = &r->node[k];
        if (n->nown > 1 && (rc = sort_own(r, n, e)))
            break;
        if (!(n->own_ids = mem_malloc((n->nown + 1) * sizeof *n->own_ids)))
            rc = nomem(r, e);
        for (size_t j = 0; j < n->nown && !rc; j++)
            n->own_ids[j] = r->p[n->own[j]].id;
    }
    for (size_t k = r->nnode; k-- > 0 && !rc;) { /* children after parent */
        struct rnode *n = &r->node[k];
        n->people_sub += n->nown;
        if (n->parent >= 0)
            r->node[n->parent].people_sub += n->people_sub;
    }
out:
    mem_free(idx);
    mem_free(cap);
    return rc;
}

/* ---- opening ------------------------------------------------------------- */

static int run_query(struct store_region *r, const char *sql,
                     const char *what,
                     int (*fn)(struct store_region *, sqlite3_stmt *, void *,
                               struct err *),
                     void *arg, struct err *e)
{
    sqlite3_stmt *st;
    int rc = store_prepare(r->s, sql, &st, e);

    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, r->period, -1, SQLITE_STATIC);
    rc = each(r, st, what, fn, arg, e);
    sqlite3_finalize(st);
    return rc;
}

/* A stored period before this one (newest first): into the trend. */
static int row_period(struct store_region *r, sqlite3_stmt *st, void *arg,
                      struct err *e)
{
    (void)arg;
    (void)e;
    if (r->ntrend < REGION_TREND_MAX)
        snprintf(r->trend[r->ntrend++], 8, "%.7s", col_text(st, 0));
    return ERR_OK;
}

/* The layout of the period's stored results (store_results.h). */
static int row_results(struct store_region *r, sqlite3_stmt *st, void *arg,
                       struct err *e)
{
    (void)r;
    (void)e;
    *(int *)arg = sqlite3_column_int(st, 0);
    return ERR_OK;
}

static int open_lists(struct store_region *r, struct err *e)
{
    static const char *const q_nodes =
        "SELECT region, name, COALESCE(parent, ''), people, scored,"
        " mean_total, median_total, mom_change, COALESCE(manager, '')"
        " FROM score_region WHERE period = ?1 ORDER BY region";
    static const char *const q_persons =
        "SELECT person, name, role, role_label, region,"
        " COALESCE(manager, ''), status, own, team, total,"
        " COALESCE(grade, ''), rank FROM score_total WHERE period = ?1"
        " ORDER BY person";
    static const char *const q_periods =
        "SELECT period FROM score_run WHERE period < ?1 ORDER BY period DESC"
        " LIMIT 5";
    static const char *const q_results =
        "SELECT results FROM score_run WHERE period = ?1";
    size_t cap = 0;
    int rc, results = -1;

    if ((rc = run_query(r, q_results, "reading the results' layout",
                        row_results, &results, e)) ||
        (rc = run_query(r, q_nodes, "reading the regions", row_node, &cap,
                        e)))
        return rc;
    if (r->nnode == 0 || results < 0)
        return err_set(e, ERR_DATA, "%s: period %s has no stored results "
                       "(run keqing score --period %s first)",
                       store_path(r->s), r->period, r->period);
    if (results < STORE_RESULTS_VERSION)
        return err_set(e, ERR_DATA, "%s: period %s was scored by an earlier "
                       "keqing, which did not store the regions' rankings, "
                       "managers and targets: score it again (keqing score "
                       "--period %s; the same data gives the same figures), "
                       "then render", store_path(r->s), r->period, r->period);
    snprintf(r->trend[r->ntrend++], 8, "%s", r->period);
    if ((rc = run_query(r, q_persons, "reading the assessed persons",
                        row_person, NULL, e)) ||
        (rc = run_query(r, q_periods, "reading the stored periods",
                        row_period, NULL, e)))
        return rc;
    return (rc = order_tree(r, e)) ? rc : place_persons(r, e);
}

/* The trend periods: the last six stored periods up to this one, read
 * newest first, turned oldest first. */
static int open_trend(struct store_region *r, struct err *e)
{
    int n = r->ntrend;
    for (int i = 0; i < n / 2; i++) {
        char t[8];
        memcpy(t, r->trend[i], 8);
        memcpy(r->trend[i], r->trend[n - 1 - i], 8);
        memcpy(r->trend[n - 1 - i], t, 8);
    }
    r->ntrend = n;
    (void)e;
    return ERR_OK;
}

int store_region_open(struct store *s, const struct period *per,
                      struct store_region **out, struct err *e)
{
    struct store_region *r = mem_calloc(1, sizeof *r);
    int rc;

    *out = NULL;
    if (!r)
        return err_set(e, ERR_NOMEM, "reading regions: out of memory");
    r->s = s;
    store_period_names(per, r->period, r->prev);
    r->end = per->end;
    if (!(rc = store_prepare_all(s, sql_text, Q_N, r->q, e)) &&
        !(rc = open_lists(r, e)))
        rc = open_trend(r, e);
    if (rc) {
        store_region_close(r);
        return rc;
    }
    *out = r;
    return ERR_OK;
}

void store_region_close(struct store_region *r)
{
    if (!r)
        return;
    store_finalize_all(r->q, Q_N);
    for (size_t k = 0; k < r->nnode; k++) {
        mem_free(r->node[k].id);
        mem_free(r->node[k].name);
        mem_free(r->node[k].parent_id);
        mem_free(r->node[k].manager);
        mem_free(r->node[k].own);
        mem_free(r->node[k].own_ids);
    }
    mem_free(r->node);
    for (size_t i = 0; i < r->np; i++) {
        struct rperson *p = &r->p[i];
        mem_free(p->id);
        mem_free(p->name);
        mem_free(p->role);
        mem_free(p->role_label);
        mem_free(p->region);
        mem_free(p->manager);
        mem_free(p->grade);
    }
    mem_free(r->p);
    mem_free(r);
}

size_t store_region_count(const struct store_region *r) { return r->nnode; }
size_t store_region_end(const struct store_region *r, size_t i)
{
    return r->node[i].end;
}
const char *store_region_id(const struct store_region *r, size_t i)
{
    return r->node[i].id;
}
const char *store_region_name(const struct store_region *r, size_t i)
{
    return r->node[i].name;
}
int store_region_depth(const struct store_region *r, size_t i)
{
    return r->node[i].depth;
}
size_t store_region_people(const struct store_region *r, size_t i)
{
    return r->node[i].people_sub;
}
size_t store_region_own(const struct store_region *r, size_t i,
                        const char *const **ids)
{
    *ids = r->node[i].own_ids;
    return r->node[i].nown;
}

/* ---- one region ------------------------------------------------------------ */

void store_region_data_free(struct region_data *d)
{
    if (!d)
        return;
    mem_free(d->member);
    mem_free(d->unreturned_names);
    for (size_t i = 0; i < d->nrisk; i++) {
        struct region_risk *k = &d->risk[i];
        mem_free(k->customer_id);
        mem_free(k->customer_name);
        mem_free(k->grade);
        mem_free(k->owner_id);
        mem_free(k->owner_name);
        mem_free(k->from_name);
    }
    mem_free(d->risk);
    memset(d, 0, sizeof *d);
}

static void bind2(struct store_region *r, sqlite3_stmt *st, const char *a,
                  const char *b)
{
    sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    (void)r;
}

/* A person of role id (for its label), or NULL. */
static const struct rperson *role_person(const struct store_region *r,
                                         const char *id)
{
    for (int k = 0; k < r->nrole_of; k++)
        if (strcmp(r->role_of[k]->role, id) == 0)
            return r->role_of[k];
    return NULL;
}

static int row_role(struct store_region *r, sqlite3_stmt *st, void *arg,
                    struct err *e)
{
    struct region_data *d = arg;
    const struct rperson *p = role_person(r, col_text(st, 0));
    struct region_count *c;
    (void)e;
    if (!p || d->nrole >= REGION_MAX_COUNTS)
        return ERR_OK; /* a role nobody has in the period */
    c = &d->role[d->nrole++];
    c->key = p->role;
    c->label = p->role_label;
    c->people = sqlite3_column_int(st, 1);
    return ERR_OK;
}

static int row_grade(struct store_region *r, sqlite3_stmt *st, void *arg,
                     struct err *e)
{
    struct region_data *d = arg;
    const char *g = col_text(st, 0);
    (void)e;
    for (int k = 0; k < r->ngrades; k++)
        if (strcmp(r->grades[k], g) == 0 && d->ngrade < REGION_MAX_COUNTS) {
            d->grade[d->ngrade].key = r->grades[k];
            d->grade[d->ngrade].label = r->grades[k];
            d->grade[d->ngrade++].people = sqlite3_column_int(st, 1);
        }
    return ERR_OK; /* a band nobody in the period has is left out */
}

static int row_ind(struct store_region *r, sqlite3_stmt *st, void *arg,
                   struct err *e)
{
    struct region_data *d = arg;
    int i = roles_ind_index(col_text(st, 0));
    (void)r;
    (void)e;
    if (i < 0)
        return ERR_OK;
    d->ind[i].num = sqlite3_column_double(st, 1);
    d->ind[i].den = sqlite3_column_double(st, 2);
    d->ind[i].rate = sqlite3_column_double(st, 3);
    d->ind[i].has_prev = !is_null(st, 4);
    d->ind[i].prev_rate = sqlite3_column_double(st, 4);
    d->ind[i].has_target = !is_null(st, 5);
    d->ind[i].target = sqlite3_column_double(st, 5);
    return ERR_OK;
}

static int row_trend(struct store_region *r, sqlite3_stmt *st, void *arg,
                     struct err *e)
{
    struct region_data *d = arg;
    const char *p = col_text(st, 0);
    (void)r;
    (void)e;
    for (int k = 0; k < d->ntrend; k++)
        if (strcmp(d->trend[k].period, p) == 0) {
            d->trend[k].has_mean = !is_null(st, 1);
            d->trend[k].mean = sqlite3_column_double(st, 1);
        }
    return ERR_OK;
}

struct risk_list {
    struct region_data *d;
    size_t cap;
};

static int row_risk(struct store_region *r, sqlite3_stmt *st, void *arg,
                    struct err *e)
{
    struct risk_list *l = arg;
    struct region_data *d = l->d;
    struct region_risk *k;
    int handover = strcmp(col_text(st, 0), "handover") == 0;

    if (d->nrisk == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 32;
        struct region_risk *v = mem_realloc(d->risk, nc * sizeof *v);
        if (!v)
            return nomem(r, e);
        d->risk = v;
        l->cap = nc;
    }
    k = &d->risk[d->nrisk++];
    memset(k, 0, sizeof *k);
    k->kind = handover ? REGION_RISK_HANDOVER : REGION_RISK_SINGLE;
    k->customer_id = mem_strdup(col_text(st, 1));
    k->customer_name = mem_strdup(col_text(st, 2));
    k->grade = mem_strdup(col_text(st, 3));
    k->owner_id = mem_strdup(col_text(st, 4));
    k->owner_name = mem_strdup(col_text(st, 5));
    k->from_name = mem_strdup(handover ? col_text(st, 6) : "");
    if (!k->customer_id || !k->customer_name || !k->grade || !k->owner_id ||
        !k->owner_name || !k->from_name)
        return nomem(r, e);
    snprintf(k->since, sizeof k->since, "%.10s", col_text(st, 7));
    k->count = sqlite3_column_int(st, 8);
    k->keys = sqlite3_column_int(st, 9);
    d->risk_total[handover ? 0 : 1]++;
    return ERR_OK;
}

/* Handovers first, oldest first; then single-threaded by customer. */
static int cmp_risk(const void *a, const void *b)
{
    const struct region_risk *x = a, *y = b;
    int c;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->kind == REGION_RISK_HANDOVER && (c = strcmp(x->since, y->since)))
        return c;
    return strcmp(x->customer_id, y->customer_id);
}

static int read_risks(struct store_region *r, size_t i, int max_risks,
                      struct region_data *d, struct err *e)
{
    struct risk_list l = { d, 0 };
    int rc = ERR_OK;

    for (size_t k = i; k < r->node[i].end && !rc; k++) {
        bind2(r, r->q[Q_RISK], r->period, r->node[k].id);
        rc = each(r, r->q[Q_RISK], "reading the risks", row_risk, &l, e);
    }
    if (rc)
        return rc;
    if (d->nrisk > 1)
        qsort(d->risk, d->nrisk, sizeof *d->risk, cmp_risk);
    while (d->nrisk > (size_t)(max_risks > 0 ? max_risks : 0)) {
        struct region_risk *k = &d->risk[--d->nrisk];
        mem_free(k->customer_id);
        mem_free(k->customer_name);
        mem_free(k->grade);
        mem_free(k->owner_id);
        mem_free(k->owner_name);
        mem_free(k->from_name);
    }
    return ERR_OK;
}

static int cmp_member_id(const void *a, const void *b)
{
    const struct region_member *x = a, *y = b;
    return strcmp(x->person_id, y->person_id);
}

/* By stored rank (unranked last), then id. */
static int cmp_member(const void *a, const void *b)
{
    const struct region_member *x = a, *y = b;
    if ((x->rank > 0) != (y->rank > 0))
        return x->rank > 0 ? -1 : 1;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return strcmp(x->person_id, y->person_id);
}

/* A stored place of the region's ranking: onto its member (d->member is
 * sorted by id while the rows are read). */
static int row_rank(struct store_region *r, sqlite3_stmt *st, void *arg,
                    struct err *e)
{
    struct region_data *d = arg;
    size_t i;
    (void)r;
    (void)e;
    if (sort_find_str(d->member, d->nmember, sizeof *d->member,
                      offsetof(struct region_member, person_id),
                      col_text(st, 0), &i))
        d->member[i].rank = sqlite3_column_int(st, 1);
    return ERR_OK;
}

static int read_members(struct store_region *r, size_t i,
                        struct region_data *d, struct err *e)
{
    const struct rnode *n = &r->node[i];
    size_t m = 0;
    int rc;

    d->member = mem_calloc(n->people_sub ? n->people_sub : 1,
                           sizeof *d->member);
    if (!d->member)
        return nomem(r, e);
    for (size_t k = i; k < n->end; k++)
        for (size_t j = 0; j < r->node[k].nown; j++) {
            const struct rperson *p = &r->p[r->node[k].own[j]];
            struct region_member *x = &d->member[m++];
            x->person_id = p->id;
            x->name = p->name;
            x->role = p->role;
            x->role_label = p->role_label;
            x->region_id = p->region;
            x->region_name = r->node[k].name;
            x->left = p->left;
            x->has_own = p->has_own;
            x->own = p->own;
            x->has_team = p->has_team;
            x->team = p->team;
            x->has_total = p->has_total;
            x->total = p->total;
            x->grade = p->grade;
        }
    d->nmember = m;
    qsort(d->member, m, sizeof *d->member, cmp_member_id);
    bind2(r, r->q[Q_RANK], r->period, n->id);
    if ((rc = each(r, r->q[Q_RANK], "reading the ranking", row_rank, d, e)))
        return rc;
    qsort(d->member, m, sizeof *d->member, cmp_member);
    return ERR_OK;
}

/* The responsible manager stored for region i. */
static void read_manager(const struct store_region *r, size_t i,
                         struct region_data *d)
{
    long m = r->node[i].manager[0] ? find_person(r, r->node[i].manager) : -1;
    const struct rperson *best = m >= 0 ? &r->p[m] : NULL;

    d->manager_id = best ? best->id : "";
    d->manager_name = best ? best->name : "";
    d->manager_role = best ? best->role_label : "";
}

static void read_header(struct store_region *r, size_t i,
                        struct region_data *d)
{
    const struct rnode *n = &r->node[i];

    snprintf(d->period, sizeof d->period, "%s", r->period);
    d->period_end = r->end;
    d->region_id = n->id;
    d->name = n->name;
    d->parent_name = n->parent >= 0 ? r->node[n->parent].name : "";
    d->depth = n->depth;
    d->leaf = n->end == i + 1;
    d->people = n->people;
    d->scored = n->scored;
    d->has_mean = n->has_mean;
    d->mean = n->mean;
    d->has_median = n->has_median;
    d->median = n->median;
    d->has_mom = n->has_mom;
    d->mom = n->mom;
    d->ntrend = r->ntrend;
    for (int k = 0; k < r->ntrend; k++)
        snprintf(d->trend[k].period, 8, "%s", r->trend[k]);
}

int store_region_read(struct store_region *r, size_t i, int max_risks,
                      struct region_data *d, struct err *e)
{
    sqlite3_stmt *st;
    int rc;

    memset(d, 0, sizeof *d);
    if (i >= r->nnode)
        return err_set(e, ERR_USAGE, "store_region_read: no region %zu", i);
    read_header(r, i, d);
    read_manager(r, i, d);
    bind2(r, r->q[Q_ROLE], r->period, d->region_id);
    if ((rc = each(r, r->q[Q_ROLE], "reading people per role", row_role, d,
                   e)))
        return rc;
    bind2(r, r->q[Q_GRADE], r->period, d->region_id);
    if ((rc = each(r, r->q[Q_GRADE], "reading the grades", row_grade, d, e)))
        return rc;
    st = r->q[Q_IND];
    bind2(r, st, r->period, d->region_id);
    sqlite3_bind_text(st, 3, r->prev, -1, SQLITE_STATIC);
    if ((rc = each(r, st, "reading the indicators", row_ind, d, e)))
        return rc;
    st = r->q[Q_TREND];
    sqlite3_bind_text(st, 1, d->region_id, -1, SQLITE_STATIC);
    for (int k = 0; k < REGION_TREND_MAX; k++)
        sqlite3_bind_text(st, k + 2, k < r->ntrend ? r->trend[k] : "",
                          -1, SQLITE_STATIC);
    if ((rc = each(r, st, "reading the trend", row_trend, d, e)) ||
        (rc = read_members(r, i, d, e)))
        return rc;
    return read_risks(r, i, max_risks, d, e);
}
