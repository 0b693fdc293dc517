/* pipeline_save -- a period's score results as the store's rows (score ->
 * store; pipeline.h, pipe_save_results).  Every value written here was
 * computed by score; this file only names them for store_results.h, so
 * that the store needs no score header and decides nothing.
 */
#include "pipeline.h"
#include "period.h"
#include "dataset.h"
#include "err.h"
#include "roles.h"
#include "score.h"
#include "store_results.h"

#include <stdio.h>

static const char *person_id(const struct dataset *ds, int p)
{
    return p >= 0 ? ds->person[p].id : NULL;
}

static int save_person(struct store_results *w, const struct dataset *ds,
                       const struct score_person *sp, struct err *e)
{
    const struct ds_person *p = &ds->person[sp->person];
    struct store_total_row t;
    int rc;

    for (int i = 0; i < ROLES_NIND; i++) {
        const struct score_ind *in = &sp->ind[i];
        struct store_ind_row r;
        if (!in->used)
            continue;
        r.person = p->id;
        r.indicator = roles_ind_id[i];
        r.applicable = in->applicable;
        r.num = in->applicable ? in->num : 0;
        r.den = in->applicable ? in->den : 0;
        r.rate = in->rate;
        r.score = in->score;
        r.target = sp->role->target[i];
        r.floor = sp->role->floor[i];
        r.weight = sp->role->weight[i];
        if ((rc = store_results_indicator(w, &r, e)))
            return rc;
    }
    t.person = p->id;
    t.name = p->name;
    t.role = p->role;
    t.role_label = sp->role->label;
    t.region = ds->region[p->region].id;
    t.manager = person_id(ds, p->manager);
    t.left = sp->left;
    t.has_own = sp->has_own;
    t.own = sp->own;
    t.has_team = sp->has_team;
    t.team = sp->team;
    t.has_total = sp->has_total;
    t.total = sp->total;
    t.grade = sp->grade;
    t.rank = sp->rank;
    return store_results_total(w, &t, e);
}

static int save_region(struct store_results *w, const struct dataset *ds,
                       const struct roles *roles, const struct score_result *r,
                       int q, struct err *e)
{
    const struct score_region *sr = &r->region[q];
    const struct ds_region *dr = &ds->region[q];
    struct store_region_row row;
    int rc;

    row.region = dr->id;
    row.name = dr->name;
    row.parent = dr->parent >= 0 ? ds->region[dr->parent].id : NULL;
    row.people = sr->people;
    row.scored = sr->scored;
    row.has_mean = sr->scored > 0;
    row.mean = sr->mean;
    row.median = sr->median;
    row.has_mom = sr->has_mom;
    row.mom = sr->mom;
    row.manager = person_id(ds, sr->manager);
    if ((rc = store_results_region(w, &row, e)))
        return rc;
    for (int k = 0; k < r->nrole; k++)
        if ((rc = store_results_region_role(w, dr->id, roles->r[k].id,
                                            r->role_people[q * r->nrole + k],
                                            e)))
            return rc;
    for (int g = 0; g < r->ngrade; g++)
        if ((rc = store_results_region_grade(
                 w, dr->id, r->grade_label[g],
                 r->grade_people[q * r->ngrade + g], e)))
            return rc;
    for (int i = 0; i < ROLES_NIND; i++) {
        struct store_region_ind_row ri;
        ri.region = dr->id;
        ri.indicator = roles_ind_id[i];
        ri.num = sr->num[i];
        ri.den = sr->den[i];
        ri.has_rate = sr->den[i] > 0;
        ri.rate = ri.has_rate ? sr->num[i] / sr->den[i] : 0;
        ri.has_target = sr->has_target[i];
        ri.target = sr->target[i];
        if ((rc = store_results_region_ind(w, &ri, e)))
            return rc;
    }
    for (int j = 0; j < sr->rank_n; j++) {
        const struct score_ranked *k = &r->ranked[sr->rank_first + j];
        if ((rc = store_results_region_rank(
                 w, dr->id, ds->person[r->p[k->p].person].id, k->rank, e)))
            return rc;
    }
    return ERR_OK;
}

static int save_risk(struct store_results *w, const struct dataset *ds,
                     const struct score_risk *k, struct err *e)
{
    struct store_risk_row row;
    char since[11];

    row.handover = k->kind == SCORE_RISK_HANDOVER;
    row.customer = k->customer_id;
    row.region = ds->region[k->region].id;
    row.owner = ds->person[k->owner].id;
    row.from = person_id(ds, k->from);
    row.since = NULL;
    if (row.handover && k->since != DS_NODATE) {
        date_format(k->since, since);
        row.since = since;
    } else if (!row.handover && k->since_month[0]) {
        row.since = k->since_month;
    }
    row.count = k->count;
    row.keys = k->keys;
    return store_results_risk(w, &row, e);
}

int pipe_save_results(struct store *s, const struct dataset *ds,
                      const struct roles *roles, const struct score_result *r,
                      struct err *e)
{
    struct store_results *w;
    char pm[8];
    int rc, scored = 0;

    period_format(&r->per, pm);
    if ((rc = store_results_begin(s, pm, &w, e)))
        return rc;
    for (int i = 0; i < r->n && !rc; i++) {
        scored += r->p[i].has_total;
        rc = save_person(w, ds, &r->p[i], e);
    }
    for (int q = 0; q < r->nregion && !rc; q++)
        rc = save_region(w, ds, roles, r, q, e);
    for (int i = 0; i < r->nrisk && !rc; i++)
        rc = save_risk(w, ds, &r->risk[i], e);
    for (int k = 0; k < r->nrole && r->role_pos && !rc; k++)
        rc = store_results_role(w, roles->r[k].id, roles->r[k].label,
                                r->role_pos[k], e);
    if (rc) {
        store_results_abort(w);
        return rc;
    }
    return store_results_commit(w, r->n, scored, r->nrisk, e);
}
