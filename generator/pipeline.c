/* pipeline -- the shared steps of the commands (see pipeline.h). */
#include "pipeline.h"
#include "csvout.h"
#include "dataset.h"
#include "err.h"
#include "fsx.h"
#include "roles.h"
#include "score.h"
#include "store.h"
#include "store_period.h"

#include <stdio.h>
#include <string.h>

int pipe_require_period(struct store *s, const struct period *per,
                        struct err *e)
{
    struct store_exports x;
    char pm[8];
    int rc;

    period_format(per, pm);
    if ((rc = store_period_exports(s, pm, &x, e)))
        return rc;
    if (x.n > 0)
        return ERR_OK;
    if (!x.periods[0])
        return err_set(e, ERR_NOINPUT, "%s: no export was ever imported "
                       "into this database, so there is nothing to assess "
                       "for %s (import the export for %s first)",
                       store_path(s), pm, pm);
    return err_set(e, ERR_NOINPUT, "%s: no export for period %s was "
                   "imported (the database holds %s): use --period with "
                   "one of those, or import the export for %s first",
                   store_path(s), pm, x.periods, pm);
}

int pipe_score(struct store *s, const struct pipe_score_opts *o,
               struct pipe_score_stats *st, struct err *e)
{
    struct roles roles = {NULL, 0};
    struct dataset ds;
    struct score_result res;
    char pm[8];
    int rc;

    memset(st, 0, sizeof *st);
    memset(&res, 0, sizeof res);
    dataset_init(&ds);
    period_format(&o->per, pm);
    if ((size_t)snprintf(st->dir, sizeof st->dir, "%s/%s", o->out, pm) >=
        sizeof st->dir)
        return err_set(e, ERR_USAGE, "--out: path too long");
    if (!(rc = pipe_require_period(s, &o->per, e)) &&
        !(rc = roles_load_dir(o->templates, &roles, e)) &&
        !(rc = store_load_period(s, &o->per, &ds, e))) {
        st->activity = score_activity_count(&ds, &o->per);
        if (st->activity == 0 && !o->allow_empty)
            rc = err_set(e, ERR_DATA, "%s: period %s: the imported exports "
                         "hold no activity record dated in the period "
                         "(visits, services, displays, reports, greetings, "
                         "checks), so every person would be graded on "
                         "nothing; import the complete export for %s, or "
                         "score it with --allow-empty if the month really "
                         "had no activity", store_path(s), pm, pm);
    }
    if (!rc && !(rc = score_run(&ds, &o->per, &roles, NULL, &res, e)) &&
        !(rc = store_save_results(s, &ds, &roles, &res, e)) &&
        !(rc = fsx_mkdirs(st->dir, e)))
        rc = csv_write_period(st->dir, &ds, &res, e);
    if (!rc) {
        st->persons = res.n;
        st->risks = res.nrisk;
        for (int i = 0; i < res.n; i++)
            st->scored += res.p[i].has_total;
    }
    score_result_free(&res);
    dataset_free(&ds);
    roles_free(&roles);
    return rc;
}
