/* score_region -- the rules of the region tree (score.h, doc/rules.md
 * "Regions" and "Ranks"): each node's figures over its subtree (people per
 * role and grade, mean and median total, month-on-month change, pooled
 * indicators and their targets), its ranking and its responsible manager;
 * since when a single-threaded customer has been at risk; and the one
 * ranking rule, which the ranks within a person's own region use too.
 *
 * The tree is walked in preorder (roots, then children, by id), so that a
 * subtree is a contiguous range of places and every sum over a subtree
 * adds its nodes in one fixed order.  Cost: O(persons × depth +
 * Σ subtree rankings × log).  No I/O; reentrant (no global state).
 */
#include "score.h"
#include "period.h"
#include "score_int.h"
#include "err.h"
#include "mem.h"
#include "sort.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int nomem(struct err *e)
{
    return err_set(e, ERR_NOMEM, "score: out of memory");
}

/* ---- the ranking rule --------------------------------------------------- */

static int cmp_key(const void *a, const void *b)
{
    const struct score_rank_key *x = a, *y = b;
    if (x->total != y->total)
        return x->total > y->total ? -1 : 1;
    return strcmp(x->id, y->id);
}

int score_rank(struct score_rank_key *k, size_t n, struct err *e)
{
    (void)e;
    if (n > 1)
        qsort(k, n, sizeof *k, cmp_key);
    for (size_t i = 0; i < n; i++)
        k[i].rank = i > 0 && fabs(k[i - 1].total - k[i].total) <=
                                 SCORE_RANK_EPS ? k[i - 1].rank : (int)i + 1;
    return ERR_OK;
}

/* ---- the tree ----------------------------------------------------------- */

struct tree {
    int n;
    int *order;         /* preorder: region indexes */
    int *pos;           /* region -> its place in order */
    int *end;           /* region -> one past its subtree's last place */
    int *own_off, *own; /* by region: its assessed persons (indexes into
                           score_result.p, by id): own[own_off[q] ..
                           own_off[q + 1]) */
};

static void tree_free(struct tree *t)
{
    mem_free(t->order);
    mem_free(t->pos);
    mem_free(t->end);
    mem_free(t->own_off);
    mem_free(t->own);
}

struct kid {
    int parent, q;
    const char *id;
};

/* By parent (roots first), then id. */
static int cmp_kid(const void *a, const void *b)
{
    const struct kid *x = a, *y = b;
    if (x->parent != y->parent)
        return x->parent < y->parent ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* t->order, pos, end: a preorder walk, children by id. */
static int walk(const struct dataset *ds, struct tree *t, struct kid *kid,
                int *first, int *stack, struct err *e)
{
    int n = ds->n_region, k = 0, top = 0;

    for (int q = 0; q < n; q++) {
        kid[q] = (struct kid){ds->region[q].parent, q, ds->region[q].id};
        t->pos[q] = -1;
        t->end[q] = 1;          /* the subtree's size, first */
    }
    if (n > 1)
        qsort(kid, (size_t)n, sizeof *kid, cmp_kid);
    /* first[p + 1]: where the children of p start in kid (p = -1 roots) */
    for (int i = 0, p = -1; p < n; p++) {
        while (i < n && kid[i].parent < p)
            i++;
        first[p + 1] = i;
    }
    first[n + 1] = n;
    for (int i = first[1]; i-- > first[0];)
        stack[top++] = kid[i].q;
    while (top > 0) {
        int v = stack[--top];
        t->order[k] = v;
        t->pos[v] = k++;
        for (int i = first[v + 2]; i-- > first[v + 1];)
            if (top < n)
                stack[top++] = kid[i].q;
    }
    if (k != n) {
        int q = 0;
        while (q < n && t->pos[q] >= 0)
            q++;
        return err_set(e, ERR_DATA, "the regions do not form a tree: "
                       "region %s is its own ancestor",
                       ds->region[q < n ? q : 0].id);
    }
    for (int i = n; i-- > 0;) {
        int v = t->order[i], p = ds->region[v].parent;
        if (p >= 0)
            t->end[p] += t->end[v];
    }
    for (int q = 0; q < n; q++)
        t->end[q] += t->pos[q];
    return ERR_OK;
}

static int tree_build(const struct dataset *ds, const struct score_result *r,
                      struct tree *t, struct err *e)
{
    size_t n = (size_t)ds->n_region;
    struct kid *kid = mem_malloc((n + 1) * sizeof *kid);
    int *first = mem_malloc((n + 2) * sizeof *first);
    int *stack = mem_malloc((n + 1) * sizeof *stack);
    int rc;

    memset(t, 0, sizeof *t);
    t->n = (int)n;
    t->order = mem_malloc((n + 1) * sizeof *t->order);
    t->pos = mem_malloc((n + 1) * sizeof *t->pos);
    t->end = mem_malloc((n + 1) * sizeof *t->end);
    t->own_off = mem_calloc(n + 2, sizeof *t->own_off);
    t->own = mem_malloc((size_t)(r->n + 1) * sizeof *t->own);
    if (!kid || !first || !stack || !t->order || !t->pos || !t->end ||
        !t->own_off || !t->own)
        rc = nomem(e);
    else
        rc = walk(ds, t, kid, first, stack, e);
    mem_free(kid);
    mem_free(stack);
    if (rc) {
        mem_free(first);
        tree_free(t);
        memset(t, 0, sizeof *t);
        return rc;
    }
    for (int i = 0; i < r->n; i++)
        t->own_off[ds->person[r->p[i].person].region + 1]++;
    for (size_t q = 0; q < n; q++)
        t->own_off[q + 1] += t->own_off[q];
    memcpy(first, t->own_off, (n + 1) * sizeof *first);
    for (int i = 0; i < r->n; i++)
        t->own[first[ds->person[r->p[i].person].region]++] = i;
    mem_free(first);
    return ERR_OK;
}

/* ---- ranks -------------------------------------------------------------- */

int score_own_ranks(const struct dataset *ds, struct score_result *r,
                    struct err *e)
{
    struct score_rank_key *k = mem_malloc((size_t)(r->n + 1) * sizeof *k);
    struct tree t;
    int rc;

    if (!k)
        return nomem(e);
    if ((rc = tree_build(ds, r, &t, e))) {
        mem_free(k);
        return rc;
    }
    for (int q = 0; q < t.n && !rc; q++) {
        size_t m = 0;
        for (int j = t.own_off[q]; j < t.own_off[q + 1]; j++) {
            const struct score_person *sp = &r->p[t.own[j]];
            if (sp->has_total)
                k[m++] = (struct score_rank_key){
                    sp->total, ds->person[sp->person].id, t.own[j], 0};
        }
        rc = score_rank(k, m, e);
        for (size_t j = 0; j < m && !rc; j++)
            r->p[k[j].p].rank = k[j].rank;
    }
    tree_free(&t);
    mem_free(k);
    return rc;
}

/* Every region's ranking: the persons with a total of its subtree. */
static int rankings(const struct dataset *ds, struct score_result *r,
                    const struct tree *t, struct err *e)
{
    int *boff = mem_calloc((size_t)t->n + 2, sizeof *boff);
    int *by = mem_malloc((size_t)(r->n + 1) * sizeof *by), *fill = NULL;
    struct score_rank_key *k = mem_malloc((size_t)(r->n + 1) * sizeof *k);
    long total = 0;
    int rc = ERR_OK;

    if (!boff || !by || !k || !(fill = mem_malloc(((size_t)t->n + 1) *
                                                  sizeof *fill))) {
        rc = nomem(e);
        goto out;
    }
    /* the persons with a total, by their region's place */
    for (int i = 0; i < r->n; i++)
        if (r->p[i].has_total)
            boff[t->pos[ds->person[r->p[i].person].region] + 1]++;
    for (int j = 0; j < t->n; j++)
        boff[j + 1] += boff[j];
    memcpy(fill, boff, (size_t)t->n * sizeof *fill);
    for (int i = 0; i < r->n; i++)
        if (r->p[i].has_total)
            by[fill[t->pos[ds->person[r->p[i].person].region]]++] = i;
    for (int q = 0; q < t->n; q++)
        total += boff[t->end[q]] - boff[t->pos[q]];
    if (!(r->ranked = mem_malloc((size_t)(total + 1) * sizeof *r->ranked))) {
        rc = nomem(e);
        goto out;
    }
    for (int q = 0; q < t->n && !rc; q++) {
        struct score_region *sr = &r->region[q];
        int a = boff[t->pos[q]], b = boff[t->end[q]];
        for (int j = a; j < b; j++)
            k[j - a] = (struct score_rank_key){
                r->p[by[j]].total, ds->person[r->p[by[j]].person].id, by[j],
                0};
        if ((rc = score_rank(k, (size_t)(b - a), e)))
            break;
        sr->rank_first = r->nranked;
        sr->rank_n = b - a;
        for (int j = 0; j < b - a; j++)
            r->ranked[r->nranked++] = (struct score_ranked){k[j].p,
                                                             k[j].rank};
    }
out:
    mem_free(boff);
    mem_free(by);
    mem_free(fill);
    mem_free(k);
    return rc;
}

/* ---- targets, managers, month on month ------------------------------------ */

/* Each region's targets: Σ den × target / Σ den over the members assessed
 * on the indicator with a denominator, summed per region in id order,
 * then over the subtree in preorder. */
static int targets(const struct dataset *ds, struct score_result *r,
                   const struct tree *t, struct err *e)
{
    size_t cells = ((size_t)t->n + 1) * ROLES_NIND;
    double *ts = mem_calloc(cells, sizeof *ts);
    double *dn = mem_calloc(cells, sizeof *dn);

    if (!ts || !dn) {
        mem_free(ts);
        mem_free(dn);
        return nomem(e);
    }
    for (int i = 0; i < r->n; i++) {
        const struct score_person *sp = &r->p[i];
        size_t q = (size_t)ds->person[sp->person].region;
        for (int k = 0; k < ROLES_NIND; k++)
            if (sp->ind[k].applicable) {
                ts[q * ROLES_NIND + k] += sp->ind[k].den *
                                          sp->role->target[k];
                dn[q * ROLES_NIND + k] += sp->ind[k].den;
            }
    }
    for (int q = 0; q < t->n; q++)
        for (int k = 0; k < ROLES_NIND; k++) {
            struct score_region *sr = &r->region[q];
            double s = 0, d = 0;
            for (int j = t->pos[q]; j < t->end[q]; j++) {
                s += ts[(size_t)t->order[j] * ROLES_NIND + k];
                d += dn[(size_t)t->order[j] * ROLES_NIND + k];
            }
            sr->has_target[k] = d > 0;
            sr->target[k] = d > 0 ? s / d : 0;
        }
    mem_free(ts);
    mem_free(dn);
    return ERR_OK;
}

/* 1 when dataset person p's manager is assessed and their region's place
 * is in [lo, hi). */
static int managed_within(const struct dataset *ds,
                          const struct score_result *r, const struct tree *t,
                          int p, int lo, int hi)
{
    int m = ds->person[p].manager, at;
    if (m < 0 || r->of_person[m] < 0)
        return 0;
    at = t->pos[ds->person[m].region];
    return at >= lo && at < hi;
}

/* The responsible manager of region q (doc/rules.md "Regions"): among its
 * own persons, those at the top of the management chain inside it; of
 * those the one with the most assessed direct reports, then the smallest
 * id.  Without persons of its own: the one person of its subtree at the
 * top of the subtree's chain, when there is exactly one. */
static int manager_of(const struct dataset *ds, const struct score_result *r,
                      const struct tree *t, const int *reports, int q)
{
    int best = -1, tops = 0, at = t->pos[q];

    for (int j = t->own_off[q]; j < t->own_off[q + 1]; j++) {
        int p = r->p[t->own[j]].person;
        if (managed_within(ds, r, t, p, at, at + 1))
            continue;
        if (best < 0 || reports[p] > reports[best] ||
            (reports[p] == reports[best] &&
             strcmp(ds->person[p].id, ds->person[best].id) < 0))
            best = p;
    }
    if (best >= 0 || t->own_off[q + 1] > t->own_off[q])
        return best;
    for (int x = at + 1; x < t->end[q] && tops < 2; x++) {
        int v = t->order[x];
        for (int j = t->own_off[v]; j < t->own_off[v + 1] && tops < 2; j++) {
            int p = r->p[t->own[j]].person;
            if (!managed_within(ds, r, t, p, at, t->end[q]) && tops++ == 0)
                best = p;
        }
    }
    return tops == 1 ? best : -1;
}

static int managers(const struct dataset *ds, struct score_result *r,
                    const struct tree *t, struct err *e)
{
    int *reports = mem_calloc((size_t)ds->n_person + 1, sizeof *reports);

    if (!reports)
        return nomem(e);
    for (int i = 0; i < r->n; i++) {
        int m = ds->person[r->p[i].person].manager;
        if (m >= 0 && r->of_person[m] >= 0)
            reports[m]++;
    }
    for (int q = 0; q < t->n; q++)
        r->region[q].manager = manager_of(ds, r, t, reports, q);
    mem_free(reports);
    return ERR_OK;
}

/* ---- figures ------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int grade_index(struct score_result *r, const char *label)
{
    for (int g = 0; g < r->ngrade; g++)
        if (strcmp(r->grade_label[g], label) == 0)
            return g;
    return -1;
}

/* Calls fn for region reg and every ancestor (bounded by the tree size). */
#define FOR_ANCESTORS(ds, reg, q)                                           \
    for (int q = (reg), steps_ = 0; q >= 0 && steps_ <= (ds)->n_region;     \
         q = (ds)->region[q].parent, steps_++)

static int sums(const struct dataset *ds, const struct roles *roles,
                struct score_result *r, struct err *e)
{
    int nr = ds->n_region, total = 0, *off, *fill;
    double *vals;

    r->nregion = nr;
    r->nrole = (int)roles->n;
    for (size_t i = 0; i < roles->n; i++)
        for (int b = 0; b < roles->r[i].nband; b++)
            if (grade_index(r, roles->r[i].band[b].label) < 0 &&
                r->ngrade < ROLES_MAX_BANDS * 8)
                r->grade_label[r->ngrade++] = roles->r[i].band[b].label;
    r->region = mem_calloc((size_t)(nr ? nr : 1), sizeof *r->region);
    r->role_people = mem_calloc((size_t)(nr ? nr : 1) * (roles->n ? roles->n : 1), sizeof(int));
    r->grade_people = mem_calloc((size_t)(nr ? nr : 1) * (size_t)(r->ngrade ? r->ngrade : 1),
                                 sizeof(int));
    off = mem_calloc((size_t)nr + 1, sizeof *off);
    if (!r->region || !r->role_people || !r->grade_people || !off) {
        mem_free(off);
        return err_set(e, ERR_NOMEM, "score: out of memory");
    }
    for (int i = 0; i < r->n; i++) {
        const struct score_person *sp = &r->p[i];
        int ri = (int)(sp->role - roles->r), g = sp->grade ? grade_index(r, sp->grade) : -1;
        FOR_ANCESTORS(ds, ds->person[sp->person].region, q) {
            struct score_region *sr = &r->region[q];
            sr->people++;
            r->role_people[q * r->nrole + ri]++;
            for (int k = 0; k < ROLES_NIND; k++)
                if (sp->ind[k].used) {
                    sr->num[k] += sp->ind[k].num;
                    sr->den[k] += sp->ind[k].den;
                }
            if (!sp->has_total)
                continue;
            sr->scored++;
            sr->mean += sp->total;
            if (g >= 0)
                r->grade_people[q * r->ngrade + g]++;
            off[q + 1]++;
            total++;
        }
    }
    /* medians: the totals of each subtree side by side, then sorted */
    for (int q = 0; q < nr; q++)
        off[q + 1] += off[q];
    vals = mem_malloc((size_t)(total ? total : 1) * sizeof *vals);
    fill = mem_malloc(((size_t)nr + 1) * sizeof *fill);
    if (!vals || !fill) {
        mem_free(vals);
        mem_free(fill);
        mem_free(off);
        return err_set(e, ERR_NOMEM, "score: out of memory");
    }
    memcpy(fill, off, ((size_t)nr + 1) * sizeof *fill);
    for (int i = 0; i < r->n; i++)
        if (r->p[i].has_total)
            FOR_ANCESTORS(ds, ds->person[r->p[i].person].region, q)
                vals[fill[q]++] = r->p[i].total;
    for (int q = 0; q < nr; q++) {
        struct score_region *sr = &r->region[q];
        int n = off[q + 1] - off[q];
        double *v = vals + off[q];
        if (!n)
            continue;
        sr->mean /= n;
        qsort(v, (size_t)n, sizeof *v, cmp_double);
        sr->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
    mem_free(vals);
    mem_free(fill);
    mem_free(off);
    return ERR_OK;
}


int score_regions(const struct dataset *ds, const struct roles *roles,
                  struct score_result *r, struct err *e)
{
    struct tree t;
    int rc;

    if ((rc = sums(ds, roles, r, e)))
        return rc;
    for (int q = 0; q < r->nregion; q++) {
        struct score_region *sr = &r->region[q];
        sr->has_mom = sr->scored > 0 && ds->region[q].has_prev_mean;
        sr->mom = sr->has_mom ? sr->mean - ds->region[q].prev_mean : 0;
    }
    if ((rc = tree_build(ds, r, &t, e)))
        return rc;
    if (!(rc = targets(ds, r, &t, e)) && !(rc = managers(ds, r, &t, e)))
        rc = rankings(ds, r, &t, e);
    tree_free(&t);
    return rc;
}

/* ---- risks --------------------------------------------------------------- */

static int flagged(const struct ds_history *h, int k, const char *customer)
{
    size_t i;
    return sort_find_str(h->single[k], (size_t)h->nsingle[k],
                         sizeof *h->single[k], 0, customer, &i);
}

void score_risk_since(const struct dataset *ds, struct score_result *r)
{
    for (int i = 0; i < r->nrisk; i++) {
        struct score_risk *k = &r->risk[i];
        if (k->kind != SCORE_RISK_SINGLE_THREAD)
            continue;
        period_format(&r->per, k->since_month);
        for (int h = 0; h < ds->hist.n && flagged(&ds->hist, h,
                                                  k->customer_id); h++)
            snprintf(k->since_month, sizeof k->since_month, "%s",
                     ds->hist.period[h]);
    }
}
