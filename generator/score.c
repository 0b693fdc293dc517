/* score -- computing the sixteen indicators, scores, team scores, totals,
 * grades, ranks, region figures and relationship risks (see score.h).
 *
 * One pass per family of indicators, each over the records it needs, adds
 * numerators and denominators to the person the record is attributed to
 * (indicators.md, Attribution); records attributed to somebody not
 * assessed are dropped.  Then per person: indicator scores and own score;
 * then totals bottom-up through the manager chain; then grades and ranks;
 * then the region tree and the risks.  The ranking rule, the region
 * tree's figures and the risks' history are in score_region.c
 * (score_int.h).  Cost: O(records + customers × weeks + persons × region
 * depth).  Reentrant: no global state (comparators get their context
 * through sort_r).
 */
#include "score.h"
#include "period.h"
#include "score_int.h"
#include "err.h"
#include "lunar.h"
#include "mem.h"
#include "sort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct acc {
    double num[ROLES_NIND], den[ROLES_NIND];
};

struct ctx {
    const struct dataset *ds;
    const struct period *per;
    const struct score_trace *tr;
    const struct role **role_of;    /* per dataset person, NULL = not
                                       assessed */
    struct acc *acc;                /* per dataset person */
};

/* ---- helpers shared with explain --------------------------------------- */

int score_assessed(const struct ds_person *p, const struct period *per)
{
    return p->hired <= per->end && (p->left == DS_NODATE || p->left >= per->start);
}

int score_owner_on(const struct dataset *ds, int c, int d)
{
    const struct ds_customer *cu = &ds->customer[c];
    const struct ds_handover *h;
    int o;
    if (cu->nhandover == 0)
        return cu->owner;
    h = &ds->handover[cu->first_handover];
    if (d < h[0].date)
        return h[0].from;
    o = h[0].to;
    for (int i = 1; i < cu->nhandover && h[i].date <= d; i++)
        o = h[i].to;
    return o;
}

/* Why contact k's card is not valid at end, or SCORE_NOTE_NONE if it is. */
static enum score_note card_state(const struct dataset *ds, int k, int end)
{
    const struct ds_contact *ct = &ds->contact[k];
    const struct ds_card *cd;
    int r = ds->customer[ct->customer].restructured;
    if (ct->card < 0)
        return SCORE_NOTE_NO_CARD;
    cd = &ds->card[ct->card];
    if (cd->created > end)
        return SCORE_NOTE_CARD_LATER;
    if (r != DS_NODATE && r <= end && cd->created < r &&
        !(cd->updated != DS_NODATE && cd->updated >= r && cd->updated <= end))
        return SCORE_NOTE_CARD_STALE;
    return SCORE_NOTE_NONE;
}

int score_card_valid(const struct dataset *ds, int k, int end)
{
    return card_state(ds, k, end) == SCORE_NOTE_NONE;
}

int score_in_grace(const struct dataset *ds, int k, int end)
{
    const struct ds_contact *ct = &ds->contact[k];
    int r = ds->customer[ct->customer].restructured;
    return (ct->since != DS_NODATE && date_add_months(ct->since, 2) > end) ||
           (r != DS_NODATE && date_add_months(r, 2) > end);
}

int score_occasion_day(int year, enum ds_occasion oc, int *day)
{
    switch (oc) {
    case DS_NEW_YEAR:
        *day = date_from_ymd(year, 1, 1);
        return 0;
    case DS_LABOR_DAY:
        *day = date_from_ymd(year, 5, 1);
        return 0;
    case DS_NATIONAL_DAY:
        *day = date_from_ymd(year, 10, 1);
        return 0;
    case DS_SPRING_FESTIVAL:
        return lunar_festival(year, FEST_SPRING, day);
    case DS_QINGMING:
        return lunar_festival(year, FEST_QINGMING, day);
    case DS_DRAGON_BOAT:
        return lunar_festival(year, FEST_DRAGON_BOAT, day);
    case DS_MID_AUTUMN:
        return lunar_festival(year, FEST_MID_AUTUMN, day);
    default:
        return -1;
    }
}

/* ---- accumulation ------------------------------------------------------ */

static int assessed(const struct ctx *x, int p)
{
    return p >= 0 && x->role_of[p] != NULL;
}

/* Add to person p's indicator and report the item when p is traced. */
static void add(struct ctx *x, int p, struct score_item *it)
{
    x->acc[p].num[it->ind] += it->num;
    x->acc[p].den[it->ind] += it->den;
    if (x->tr && x->tr->fn && x->tr->person == p)
        x->tr->fn(x->tr->ctx, it);
}

static struct score_item item(int ind, enum score_item_kind kind, int c)
{
    struct score_item it;
    memset(&it, 0, sizeof it);
    it.ind = ind;
    it.kind = kind;
    it.customer = c;
    it.contact = -1;
    it.record = -1;
    it.day = DS_NODATE;
    it.occasion = -1;
    return it;
}

/* A1, A4, A5: key contacts of VIP customers owned at period_end. */
static void pass_cards(struct ctx *x)
{
    const struct dataset *ds = x->ds;
    int end = x->per->end;
    for (int c = 0; c < ds->n_customer; c++) {
        const struct ds_customer *cu = &ds->customer[c];
        int o;
        if (cu->grade != DS_VIP)
            continue;
        o = score_owner_on(ds, c, end);
        if (!assessed(x, o))
            continue;
        for (int j = 0; j < cu->ncontact; j++) {
            int k = ds->contact_by_customer[cu->first_contact + j];
            const struct ds_contact *ct = &ds->contact[k];
            enum score_note st;
            struct score_item a1 = item(ROLES_A1, SCORE_IT_CONTACT, c);
            struct score_item a4, a5;
            if (!ct->key)
                continue;
            st = card_state(ds, k, end);
            a1.contact = k;
            a1.record = ct->card;
            a1.note = st;
            if (st != SCORE_NOTE_NONE && score_in_grace(ds, k, end)) {
                a1.note = SCORE_NOTE_IN_GRACE;
                add(x, o, &a1);     /* nothing counted, traced only */
                continue;
            }
            a4 = a5 = a1;
            a4.ind = ROLES_A4;
            a5.ind = ROLES_A5;
            a1.den = 1;
            a4.den = a5.den = 3;
            if (st == SCORE_NOTE_NONE) {
                const struct ds_card *cd = &ds->card[ct->card];
                a1.num = 1;
                a4.num = cd->family < 3 ? cd->family : 3;
                a5.num = cd->phones;
            }
            add(x, o, &a1);
            add(x, o, &a4);
            add(x, o, &a5);
        }
    }
}

/* One check item towards one indicator: present -> den, true -> num. */
static void check_item(struct ctx *x, int i, int ind, int present, int yes)
{
    const struct ds_check *ck = &x->ds->check[i];
    struct score_item it;
    if (!present)
        return;
    it = item(ind, SCORE_IT_CHECK, ck->customer);
    it.contact = ck->contact;
    it.record = i;
    it.day = ck->date;
    it.den = 1;
    it.num = yes ? 1 : 0;
    add(x, ck->staff, &it);
}

/* A2, A3, A6, B3, C5: spot checks dated inside the period, by staff. */
static void pass_checks(struct ctx *x)
{
    const struct dataset *ds = x->ds;
    for (int j = 0; j < ds->n_check; j++) {
        int i = ds->check_idx[j];   /* by customer, date, id */
        const struct ds_check *ck = &ds->check[i];
        const signed char *v = ck->item;
        if (ck->date < x->per->start || ck->date > x->per->end ||
            !assessed(x, ck->staff))
            continue;
        check_item(x, i, ROLES_A2,
                   v[DS_REP_KNOWS_NAME] != DS_ABSENT &&
                       v[DS_KNOWS_REP_NAME] != DS_ABSENT,
                   v[DS_REP_KNOWS_NAME] == 1 && v[DS_KNOWS_REP_NAME] == 1);
        check_item(x, i, ROLES_A3, v[DS_REP_RECITES_CARD] != DS_ABSENT,
                   v[DS_REP_RECITES_CARD] == 1);
        check_item(x, i, ROLES_A6, v[DS_KNOWS_COMPANY] != DS_ABSENT,
                   v[DS_KNOWS_COMPANY] == 1);
        check_item(x, i, ROLES_B3, v[DS_FIRST_RECOMMEND] != DS_ABSENT,
                   v[DS_FIRST_RECOMMEND] == 1);
        check_item(x, i, ROLES_C5,
                   v[DS_EXPLAINS_SELLING_POINTS] != DS_ABSENT,
                   v[DS_EXPLAINS_SELLING_POINTS] == 1);
    }
}

/* Report a visit or service counted in a customer-week (for the traced
 * person). */
static void trace_counted(struct ctx *x, int ind, enum score_item_kind kind,
                          int c, int record, int day)
{
    struct score_item it = item(ind, kind, c);
    it.record = record;
    it.day = day;
    x->tr->fn(x->tr->ctx, &it);
}

/* Customer-week mon of customer c for ind, with count records in it. */
static struct score_item week_item(int ind, int c, int mon, int count)
{
    struct score_item it = item(ind, SCORE_IT_CUSTWEEK, c);
    it.day = mon;
    it.count = count;
    it.den = 1;
    return it;
}

/* B1 for one customer-week attributed to o. */
static void week_visits(struct ctx *x, int c, int mon, int o, int r)
{
    const struct dataset *ds = x->ds;
    int vip = ds->customer[c].grade == DS_VIP, v = 0;
    int traced = x->tr && x->tr->fn && x->tr->person == o;
    struct score_item it;
    for (int j = ds->visit_off[c]; j < ds->visit_off[c + 1]; j++) {
        const struct ds_visit *vi = &ds->visit[ds->visit_idx[j]];
        if (vi->staff != o || vi->date < mon || vi->date > mon + 6 ||
            (vip && !vi->purpose))
            continue;
        v++;
        if (traced)
            trace_counted(x, ROLES_B1, SCORE_IT_VISIT, c, ds->visit_idx[j],
                          vi->date);
    }
    it = week_item(ROLES_B1, c, mon, v);
    it.need = r;
    it.num = (double)(v < r ? v : r) / r;
    add(x, o, &it);
}

/* B2 for one VIP customer-week attributed to o. */
static void week_services(struct ctx *x, int c, int mon, int o)
{
    const struct dataset *ds = x->ds;
    int traced = x->tr && x->tr->fn && x->tr->person == o, s = 0;
    struct score_item it;
    for (int j = ds->service_off[c]; j < ds->service_off[c + 1]; j++) {
        const struct ds_service *sv = &ds->service[ds->service_idx[j]];
        if (sv->staff != o || sv->date < mon || sv->date > mon + 6)
            continue;
        s++;
        if (traced)
            trace_counted(x, ROLES_B2, SCORE_IT_SERVICE, c,
                          ds->service_idx[j], sv->date);
    }
    it = week_item(ROLES_B2, c, mon, s);
    it.num = s > 0;
    add(x, o, &it);
}

/* B1, B2: customer-weeks of the period weeks, attributed by Thursday. */
static void pass_weeks(struct ctx *x)
{
    const struct dataset *ds = x->ds;
    for (int c = 0; c < ds->n_customer; c++) {
        int g = ds->customer[c].grade;
        for (int w = 0; w < x->per->nweeks; w++) {
            int mon = x->per->week[w];
            int o = score_owner_on(ds, c, mon + 3), r;
            if (!assessed(x, o))
                continue;
            r = x->role_of[o]->visits[g];
            if (r > 0)
                week_visits(x, c, mon, o, r);
            if (g == DS_VIP)
                week_services(x, c, mon, o);
        }
    }
}

/* B4: display audits at terminals inside the period, by audit date. */
static void pass_displays(struct ctx *x)
{
    const struct dataset *ds = x->ds;
    for (int j = 0; j < ds->n_display; j++) {
        int i = ds->display_idx[j]; /* by customer, date, id */
        const struct ds_display *d = &ds->display[i];
        struct score_item it;
        int o;
        if (d->date < x->per->start || d->date > x->per->end ||
            !ds->customer[d->customer].terminal)
            continue;
        o = score_owner_on(ds, d->customer, d->date);
        if (!assessed(x, o))
            continue;
        it = item(ROLES_B4, SCORE_IT_DISPLAY, d->customer);
        it.record = i;
        it.day = d->date;
        it.den = 1;
        it.num = d->best == 1 && d->pop == 1;
        add(x, o, &it);
    }
}

/* The best report of kind k for customer c by owner o: the index of one
 * that meets the rule, else of one that only missed the forwarding rule
 * (note set), else -1 with SCORE_NOTE_NO_REPORT. */
static int find_report(const struct ctx *x, int c, int k, int o, int fwd,
                       enum score_note *note)
{
    const struct dataset *ds = x->ds;
    int month = x->per->year * 12 + x->per->month - 1, near = -1;
    *note = SCORE_NOTE_NO_REPORT;
    for (int j = ds->report_off[c]; j < ds->report_off[c + 1]; j++) {
        int i = ds->report_idx[j];
        const struct ds_report *r = &ds->report[i];
        if (r->kind != k || r->staff != o || r->month != month ||
            r->received < x->per->start || r->received > x->per->end)
            continue;
        if (!fwd || (r->forwarded != DS_NODATE && r->forwarded - r->received <= 3)) {
            *note = SCORE_NOTE_NONE;
            return i;
        }
        if (near < 0) {
            near = i;
            *note = r->forwarded == DS_NODATE ? SCORE_NOTE_NOT_FORWARDED
                                              : SCORE_NOTE_LATE_FORWARD;
        }
    }
    return near;
}

/* C1..C4: key customers owned at period_end, one report of each kind. */
static void pass_reports(struct ctx *x)
{
    static const int fwd[DS_NREPORT] = {1, 0, 1, 0};
    const struct dataset *ds = x->ds;
    for (int c = 0; c < ds->n_customer; c++) {
        int o;
        if (ds->customer[c].grade > DS_A)
            continue;
        o = score_owner_on(ds, c, x->per->end);
        if (!assessed(x, o))
            continue;
        for (int k = 0; k < DS_NREPORT; k++) {
            struct score_item it = item(ROLES_C1 + k, SCORE_IT_REPORT, c);
            it.record = find_report(x, c, k, o, fwd[k], &it.note);
            it.den = 1;
            it.num = it.note == SCORE_NOTE_NONE;
            add(x, o, &it);
        }
    }
}

/* One greeting due: occasion oc on day D for contact k (-1: the customer's
 * anniversary) of customer c. */
static void greeting_due(struct ctx *x, int c, int k, int oc, int D)
{
    const struct dataset *ds = x->ds;
    int o = score_owner_on(ds, c, D);
    struct score_item it;
    if (!assessed(x, o))
        return;
    it = item(ROLES_C6, SCORE_IT_GREETING, c);
    it.contact = k;
    it.occasion = oc;
    it.day = D;
    it.den = 1;
    for (int j = ds->greeting_off[c]; j < ds->greeting_off[c + 1]; j++) {
        int i = ds->greeting_idx[j];
        const struct ds_greeting *g = &ds->greeting[i];
        if (g->occasion == oc && (k < 0 || g->contact == k) && g->staff == o &&
            g->identified == 1 && g->date >= D - 3 && g->date <= D) {
            it.record = i;
            it.num = 1;
            break;
        }
    }
    add(x, o, &it);
}

static int in_period(const struct period *p, int d)
{
    return d >= p->start && d <= p->end;
}

/* C6: greetings due in the period to key contacts of key customers. */
static int pass_greetings(struct ctx *x, struct err *e)
{
    const struct dataset *ds = x->ds;
    const struct period *p = x->per;
    int fest[DS_BIRTHDAY];

    for (int oc = 0; oc < DS_BIRTHDAY; oc++)
        if (score_occasion_day(p->year, oc, &fest[oc]))
            return err_set(e, ERR_DATA, "period %04d-%02d: festival dates are "
                           "known for %d-%d only", p->year, p->month,
                           LUNAR_MIN_YEAR, LUNAR_MAX_YEAR);
    for (int c = 0; c < ds->n_customer; c++) {
        const struct ds_customer *cu = &ds->customer[c];
        if (cu->grade > DS_A)
            continue;
        for (int j = 0; j < cu->ncontact; j++) {
            int k = ds->contact_by_customer[cu->first_contact + j];
            const struct ds_contact *ct = &ds->contact[k];
            if (!ct->key)
                continue;
            for (int oc = 0; oc < DS_BIRTHDAY; oc++)
                if (in_period(p, fest[oc]) &&
                    (ct->since == DS_NODATE || ct->since <= fest[oc]))
                    greeting_due(x, c, k, oc, fest[oc]);
            if (ct->bmonth) {
                int D = date_month_day_in_year(p->year, ct->bmonth, ct->bday);
                if (in_period(p, D) && (ct->since == DS_NODATE || ct->since <= D))
                    greeting_due(x, c, k, DS_BIRTHDAY, D);
            }
        }
        if (cu->founded != DS_NODATE) {
            int fy, fm, fd, D;
            date_to_ymd(cu->founded, &fy, &fm, &fd);
            D = date_month_day_in_year(p->year, fm, fd);
            if (fy < p->year && in_period(p, D))
                greeting_due(x, c, -1, DS_ANNIVERSARY, D);
        }
    }
    return ERR_OK;
}

/* ---- scores, totals, ranks --------------------------------------------- */

static void person_scores(struct score_person *sp, const struct acc *a)
{
    const struct role *r = sp->role;
    double sw = 0, ss = 0;
    for (int i = 0; i < ROLES_NIND; i++) {
        struct score_ind *in = &sp->ind[i];
        in->used = r->used[i];
        in->num = a->num[i];
        in->den = a->den[i];
        if (!in->used || in->den <= 0)
            continue;
        in->applicable = 1;
        in->rate = in->num / in->den;
        in->score = (in->rate - r->floor[i]) / (r->target[i] - r->floor[i]);
        in->score = r->weight[i] * (in->score < 0 ? 0 : in->score > 1 ? 1 : in->score);
        sw += r->weight[i];
        ss += in->score;
    }
    sp->has_own = sw > 0;
    sp->own = sp->has_own ? 100 * ss / sw : 0;
}

/* depth[p] = length of p's manager chain; ERR_DATA on a cycle. */
static int manager_depths(const struct dataset *ds, int *depth, struct err *e)
{
    int n = ds->n_person, *stack = mem_malloc((size_t)(n ? n : 1) * sizeof(int));
    signed char *state = mem_calloc((size_t)(n ? n : 1), 1);
    int rc = ERR_OK;
    if (!stack || !state) {
        mem_free(stack);
        mem_free(state);
        return err_set(e, ERR_NOMEM, "score: out of memory");
    }
    for (int p = 0; p < n && !rc; p++) {
        int top = 0, q = p, d;
        while (q >= 0 && state[q] == 0) {
            state[q] = 1;
            stack[top++] = q;
            q = ds->person[q].manager;
        }
        if (q >= 0 && state[q] == 1) {
            rc = err_set(e, ERR_DATA, "person %s: the manager chain runs in a "
                         "circle (through %s)", ds->person[q].id,
                         ds->person[stack[top - 1]].id);
            break;
        }
        d = q >= 0 ? depth[q] : -1;
        while (top > 0) {
            q = stack[--top];
            depth[q] = ++d;
            state[q] = 2;
        }
    }
    mem_free(stack);
    mem_free(state);
    return rc;
}

/* Persons deepest in the manager chain first, then by index.  ctx: the
 * depths (int per dataset person). */
static int cmp_deeper(const void *a, const void *b, void *ctx)
{
    const int *depth = ctx;
    int x = *(const int *)a, y = *(const int *)b;
    if (depth[x] != depth[y])
        return depth[y] - depth[x];
    return x - y;
}

/* Totals bottom-up: each person's team is the mean total of their assessed
 * direct reports that have one. */
static int totals(const struct dataset *ds, struct score_result *r,
                  struct err *e)
{
    int np = ds->n_person, rc;
    int *depth = mem_malloc((size_t)(np ? np : 1) * sizeof *depth);
    int *order = mem_malloc((size_t)(r->n ? r->n : 1) * sizeof *order);
    double *sum = mem_calloc((size_t)(np ? np : 1), sizeof *sum);
    int *cnt = mem_calloc((size_t)(np ? np : 1), sizeof *cnt);
    if (!depth || !order || !sum || !cnt) {
        rc = err_set(e, ERR_NOMEM, "score: out of memory");
        goto out;
    }
    if ((rc = manager_depths(ds, depth, e)))
        goto out;
    for (int i = 0; i < r->n; i++)
        order[i] = r->p[i].person;
    if (sort_r(order, (size_t)r->n, sizeof *order, cmp_deeper, depth)) {
        rc = err_set(e, ERR_NOMEM, "score: out of memory");
        goto out;
    }
    for (int i = 0; i < r->n; i++) {
        int p = order[i], m = ds->person[p].manager;
        struct score_person *sp = &r->p[r->of_person[p]];
        double w = sp->role->team_weight;
        sp->has_team = cnt[p] > 0;
        sp->team = sp->has_team ? sum[p] / cnt[p] : 0;
        sp->has_total = sp->has_own || sp->has_team;
        if (sp->has_own && sp->has_team)
            sp->total = (1 - w) * sp->own + w * sp->team;
        else if (sp->has_own)
            sp->total = sp->own;
        else
            sp->total = sp->team;
        sp->grade = sp->has_total ? roles_grade(sp->role, sp->total) : NULL;
        if (sp->has_total && m >= 0) {
            sum[m] += sp->total;
            cnt[m]++;
        }
    }
out:
    mem_free(depth);
    mem_free(order);
    mem_free(sum);
    mem_free(cnt);
    return rc;
}

/* What the comparators of persons read: sort_r's context. */
struct order_ctx {
    const struct dataset *ds;
};

/* ---- risks ------------------------------------------------------------- */

static int push_risk(struct score_result *r, int *cap, struct score_risk k)
{
    if (r->nrisk == *cap) {
        int nc = *cap ? *cap * 2 : 64;
        struct score_risk *p = mem_realloc(r->risk, (size_t)nc * sizeof *p);
        if (!p)
            return -1;
        r->risk = p;
        *cap = nc;
    }
    r->risk[r->nrisk++] = k;
    return 0;
}

/* Key contacts of c with a passed knows_rep_name check since `from`. */
static int threads(const struct dataset *ds, int c, int from, int end,
                   int *keys)
{
    const struct ds_customer *cu = &ds->customer[c];
    int n = 0;
    *keys = 0;
    for (int j = 0; j < cu->ncontact; j++) {
        int k = ds->contact_by_customer[cu->first_contact + j], hit = 0;
        if (!ds->contact[k].key)
            continue;
        ++*keys;
        for (int i = ds->check_off[c]; i < ds->check_off[c + 1] && !hit; i++) {
            const struct ds_check *ck = &ds->check[ds->check_idx[i]];
            hit = ck->contact == k && ck->date >= from && ck->date <= end &&
                  ck->item[DS_KNOWS_REP_NAME] == 1;
        }
        n += hit;
    }
    return n;
}


/* A copy of s owned by the result (freed with it); NULL out of memory. */
static const char *keep_str(struct score_result *r, const char *s)
{
    char *c;
    if (r->nstrs == r->cap_strs) {
        int nc = r->cap_strs ? r->cap_strs * 2 : 64;
        char **v = mem_realloc(r->strs, (size_t)nc * sizeof *v);
        if (!v)
            return NULL;
        r->strs = v;
        r->cap_strs = nc;
    }
    if (!(c = mem_strdup(s ? s : "")))
        return NULL;
    r->strs[r->nstrs++] = c;
    return c;
}

/* A risk of customer c: its id, name and region kept with it. */
static int risk_of(const struct dataset *ds, struct score_result *r,
                   int *cap, struct score_risk k)
{
    const struct ds_customer *cu = &ds->customer[k.customer];
    if (!(k.customer_id = keep_str(r, cu->id)) ||
        !(k.customer_name = keep_str(r, cu->name)))
        return -1;
    k.region = cu->region;
    return push_risk(r, cap, k);
}

static int cmp_risk(const void *a, const void *b)
{
    const struct score_risk *x = a, *y = b;
    if (x->kind != y->kind)
        return (int)x->kind - (int)y->kind;
    return strcmp(x->customer_id, y->customer_id);
}

/* The risks of the customers of ds (a chunk: appended). */
static int risks(const struct dataset *ds, struct score_result *r, int *cap,
                 struct err *e)
{
    struct period p1, p2;
    int end = r->per.end;
    period_prev(&r->per, &p1);
    period_prev(&p1, &p2);
    for (int c = 0; c < ds->n_customer; c++) {
        const struct ds_customer *cu = &ds->customer[c];
        int keys, n;
        if (cu->grade == DS_VIP && (n = threads(ds, c, p2.start, end, &keys)) < 2 &&
            risk_of(ds, r, cap, (struct score_risk){SCORE_RISK_SINGLE_THREAD, c,
                    NULL, NULL, 0, score_owner_on(ds, c, end), -1, DS_NODATE,
                    n, keys, ""}))
            return err_set(e, ERR_NOMEM, "score: out of memory");
        for (int h = cu->nhandover - 1; h >= 0; h--) {
            const struct ds_handover *ho = &ds->handover[cu->first_handover + h];
            int missing = 0;
            keys = 0;
            if (ho->date > end)
                continue;
            if (ho->date < p1.start)
                break;
            for (int j = 0; j < cu->ncontact; j++) {
                int k = ds->contact_by_customer[cu->first_contact + j];
                if (ds->contact[k].key) {
                    keys++;
                    missing += !score_card_valid(ds, k, end);
                }
            }
            if (missing && risk_of(ds, r, cap, (struct score_risk){
                               SCORE_RISK_HANDOVER, c, NULL, NULL, 0, ho->to,
                               ho->from, ho->date, missing, keys, ""}))
                return err_set(e, ERR_NOMEM, "score: out of memory");
            break;  /* only the latest handover of the window */
        }
    }
    return ERR_OK;
}

/* ---- driver ------------------------------------------------------------ */

/* Dataset person indexes by id.  ctx: a struct order_ctx. */
static int cmp_person_id(const void *a, const void *b, void *ctx)
{
    const struct dataset *ds = ((const struct order_ctx *)ctx)->ds;
    return strcmp(ds->person[*(const int *)a].id,
                  ds->person[*(const int *)b].id);
}

/* Resolve every assessed person's role; list them sorted by id. */
static int assess(struct ctx *x, const struct roles *roles,
                  struct score_result *r, struct err *e)
{
    const struct dataset *ds = x->ds;
    int np = ds->n_person, *ids;
    r->of_person = mem_malloc((size_t)(np ? np : 1) * sizeof(int));
    ids = mem_malloc((size_t)(np ? np : 1) * sizeof *ids);
    if (!r->of_person || !ids) {
        mem_free(ids);
        return err_set(e, ERR_NOMEM, "score: out of memory");
    }
    for (int p = 0; p < np; p++) {
        const struct ds_person *ps = &ds->person[p];
        r->of_person[p] = -1;
        if (!score_assessed(ps, x->per))
            continue;
        if (!(x->role_of[p] = roles_find(roles, ps->role))) {
            mem_free(ids);
            return err_set(e, ERR_DATA, "person %s %s: role '%s' has no "
                           "template (add roles/%s.xml to the templates)",
                           ps->id, ps->name, ps->role, ps->role);
        }
        ids[r->n++] = p;
    }
    struct order_ctx sc = {ds};
    if (sort_r(ids, (size_t)r->n, sizeof *ids, cmp_person_id, &sc)) {
        mem_free(ids);
        return err_set(e, ERR_NOMEM, "score: out of memory");
    }
    r->p = mem_calloc((size_t)(r->n ? r->n : 1), sizeof *r->p);
    if (!r->p) {
        mem_free(ids);
        return err_set(e, ERR_NOMEM, "score: out of memory");
    }
    for (int i = 0; i < r->n; i++) {
        const struct ds_person *ps = &ds->person[ids[i]];
        r->p[i].person = ids[i];
        r->p[i].role = x->role_of[ids[i]];
        r->p[i].left = ps->left != DS_NODATE && ps->left >= x->per->start &&
                       ps->left <= x->per->end;
        r->of_person[ids[i]] = i;
    }
    mem_free(ids);
    return ERR_OK;
}

/* ---- the order of the roles ----------------------------------------------- */

/* A role's place in the management hierarchy: the mean depth of its
 * assessed people in the manager chain (0 = nobody above), so 省经理
 * comes before the supervisors and they before the staff, whatever the
 * roles' ids; roles nobody holds last; ties by id. */
struct role_rank {
    int role;
    int people;
    double depth;       /* mean */
    const char *id;
};

static int cmp_role_rank(const void *a, const void *b)
{
    const struct role_rank *x = a, *y = b;
    if ((x->people > 0) != (y->people > 0))
        return x->people > 0 ? -1 : 1;
    if (x->people > 0 && fabs(x->depth - y->depth) > 1e-9)
        return x->depth < y->depth ? -1 : 1;
    return strcmp(x->id, y->id);
}

static int role_order(const struct dataset *ds, const struct roles *roles,
                      struct score_result *r, struct err *e)
{
    size_t n = roles->n;
    struct role_rank *rk = mem_calloc(n ? n : 1, sizeof *rk);

    r->role_pos = mem_calloc(n ? n : 1, sizeof *r->role_pos);
    if (!rk || !r->role_pos) {
        mem_free(rk);
        return err_set(e, ERR_NOMEM, "score: out of memory");
    }
    for (size_t k = 0; k < n; k++) {
        rk[k].role = (int)k;
        rk[k].id = roles->r[k].id;
    }
    for (int i = 0; i < r->n; i++) {
        int k = (int)(r->p[i].role - roles->r), depth = 0;
        for (int m = ds->person[r->p[i].person].manager;
             m >= 0 && depth <= ds->n_person; m = ds->person[m].manager)
            depth++;
        rk[k].people++;
        rk[k].depth += depth;
    }
    for (size_t k = 0; k < n; k++)
        if (rk[k].people)
            rk[k].depth /= rk[k].people;
    qsort(rk, n, sizeof *rk, cmp_role_rank);
    for (size_t k = 0; k < n; k++)
        r->role_pos[rk[k].role] = (int)k + 1;
    mem_free(rk);
    return ERR_OK;
}

struct score_state {
    struct ctx x;
    struct score_result *out;
    int risk_cap;
};

void score_abort(struct score_state *st)
{
    if (!st)
        return;
    mem_free(st->x.role_of);
    mem_free(st->x.acc);
    mem_free(st);
}

int score_begin(const struct dataset *ds, const struct period *per,
                const struct roles *roles, struct score_state **stp,
                struct score_result *out, struct err *e)
{
    struct score_state *st = mem_calloc(1, sizeof *st);
    int np = ds->n_person, rc;

    *stp = NULL;
    memset(out, 0, sizeof *out);
    out->per = *per;
    if (!st)
        return err_set(e, ERR_NOMEM, "score: out of memory");
    st->out = out;
    st->x.ds = ds;
    st->x.per = &out->per;
    st->x.role_of = mem_calloc((size_t)(np ? np : 1), sizeof *st->x.role_of);
    st->x.acc = mem_calloc((size_t)(np ? np : 1), sizeof *st->x.acc);
    if (!st->x.role_of || !st->x.acc)
        rc = err_set(e, ERR_NOMEM, "score: out of memory");
    else
        rc = assess(&st->x, roles, out, e);
    if (rc) {
        score_abort(st);
        score_result_free(out);
        return rc;
    }
    *stp = st;
    return ERR_OK;
}

int score_chunk(struct score_state *st, const struct dataset *ds,
                struct err *e)
{
    int rc;

    if (!ds->finished)
        return err_set(e, ERR_INTERNAL, "score: dataset not finished");
    st->x.ds = ds;
    pass_cards(&st->x);
    pass_checks(&st->x);
    pass_weeks(&st->x);
    pass_displays(&st->x);
    pass_reports(&st->x);
    if ((rc = pass_greetings(&st->x, e)))
        return rc;
    return risks(ds, st->out, &st->risk_cap, e);
}

int score_end(struct score_state *st, const struct dataset *ds,
              const struct roles *roles, struct err *e)
{
    struct score_result *out = st->out;
    int rc;

    for (int i = 0; i < out->n; i++)
        person_scores(&out->p[i], &st->x.acc[out->p[i].person]);
    if (!(rc = totals(ds, out, e)) && !(rc = score_own_ranks(ds, out, e)) &&
        !(rc = score_regions(ds, roles, out, e)))
        rc = role_order(ds, roles, out, e);
    if (!rc && out->nrisk)
        qsort(out->risk, (size_t)out->nrisk, sizeof *out->risk, cmp_risk);
    if (!rc)
        score_risk_since(ds, out);
    score_abort(st);
    if (rc)
        score_result_free(out);
    return rc;
}

int score_run(const struct dataset *ds, const struct period *per,
              const struct roles *roles, const struct score_trace *tr,
              struct score_result *out, struct err *e)
{
    struct score_state *st;
    int rc;

    if (!ds->finished) {
        memset(out, 0, sizeof *out);
        return err_set(e, ERR_INTERNAL, "score: dataset not finished");
    }
    if ((rc = score_begin(ds, per, roles, &st, out, e)))
        return rc;
    st->x.tr = tr;
    if ((rc = score_chunk(st, ds, e))) {
        score_abort(st);
        score_result_free(out);
        return rc;
    }
    return score_end(st, ds, roles, e);
}

void score_result_free(struct score_result *r)
{
    mem_free(r->p);
    mem_free(r->of_person);
    mem_free(r->region);
    mem_free(r->ranked);
    mem_free(r->role_people);
    mem_free(r->role_pos);
    mem_free(r->grade_people);
    mem_free(r->risk);
    for (int i = 0; i < r->nstrs; i++)
        mem_free(r->strs[i]);
    mem_free(r->strs);
    memset(r, 0, sizeof *r);
}

/* ---- a period must have data ---------------------------------------------- */

long score_activity_count(const struct dataset *ds, const struct period *per)
{
    long n = 0;
#define IN_PERIOD(arr, cnt)                                              \
    for (int i = 0; i < ds->cnt; i++)                                    \
        n += ds->arr[i].date >= per->start && ds->arr[i].date <= per->end;
    IN_PERIOD(visit, n_visit)
    IN_PERIOD(service, n_service)
    IN_PERIOD(display, n_display)
    IN_PERIOD(greeting, n_greeting)
    IN_PERIOD(check, n_check)
#undef IN_PERIOD
    for (int i = 0; i < ds->n_report; i++)
        n += ds->report[i].month == per->year * 12 + (per->month - 1);
    return n;
}
