/* cmd_score -- `keqing score --period YYYY-MM [--db PATH] [--templates DIR]
 * [--out DIR]`: load the period's records, score every assessed person,
 * store the results (replacing the period's earlier ones) and write
 * OUT/YYYY-MM/scores.csv and totals.csv (shared/spec/cli.md).
 *
 * Exit status: 0; 64 usage; 65 bad data (a broken role template, a person
 * whose role has no template, a manager cycle); 66 no such database or
 * templates folder; 70; 73 cannot create the CSVs; 74; 75 database busy.
 */
#include "cli.h"
#include "csvout.h"
#include "dataset.h"
#include "date.h"
#include "err.h"
#include "fsx.h"
#include "roles.h"
#include "score.h"
#include "store.h"
#include "store_period.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
    "Usage: keqing score --period YYYY-MM [--db PATH] [--templates DIR] "
    "[--out DIR]\n"
    "\n"
    "Compute every assessed person's indicators (A1-C6), own, team and total\n"
    "scores, grades and ranks for the period; store them in the database\n"
    "(scoring a period again replaces its results) and write\n"
    "OUT/YYYY-MM/scores.csv and OUT/YYYY-MM/totals.csv.\n"
    "\n"
    "  --period YYYY-MM   the month to score (required)\n"
    "  --db PATH          database (default $KEQING_DB or keqing.db)\n"
    "  --templates DIR    templates folder (role templates in DIR/roles)\n"
    "  --out DIR          output folder (default out)\n";

/* Options shared with explain's parser. */
struct score_opts {
    const char *period, *db, *templates, *out;
};

static int parse(int argc, char **argv, struct score_opts *o)
{
    memset(o, 0, sizeof *o);
    o->out = "out";
    for (int i = 1; i < argc; i++) {
        int missing = 0;
        const char *v;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage_text, stdout);
            return 0;
        }
        if ((v = cli_opt_value(argc, argv, &i, "--period", &missing)))
            o->period = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--db", &missing)))
            o->db = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--templates", &missing)))
            o->templates = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--out", &missing)))
            o->out = v;
        else if (missing)
            return cli_usage("score", "%s needs a value", argv[i]);
        else
            return cli_usage("score", "unknown option '%s'", argv[i]);
    }
    if (!o->period)
        return cli_usage("score", "--period YYYY-MM is required");
    return -1;
}

int cmd_score(int argc, char **argv)
{
    struct score_opts o;
    struct period per;
    struct err e;
    struct roles roles = {NULL, 0};
    struct store *s = NULL;
    struct dataset ds;
    struct score_result res;
    char tdir[PATH_MAX], dir[PATH_MAX + 16], pm[8];
    int rc, st = parse(argc, argv, &o), scored = 0;

    if (st >= 0)
        return st;
    if (period_parse(o.period, &per))
        return cli_usage("score", "--period '%s' is not a month YYYY-MM",
                         o.period);
    err_clear(&e);
    dataset_init(&ds);
    memset(&res, 0, sizeof res);
    period_format(&per, pm);
    snprintf(dir, sizeof dir, "%s/%s", o.out, pm);
    if ((rc = cli_templates_dir(o.templates, tdir, sizeof tdir, &e)) ||
        (rc = roles_load_dir(tdir, &roles, &e)) ||
        (rc = store_open(cli_db_path(o.db), STORE_MUST_EXIST, &s, &e)) ||
        (rc = store_load_period(s, &per, &ds, &e)) ||
        (rc = score_run(&ds, &per, &roles, NULL, &res, &e)) ||
        (rc = store_save_results(s, &ds, &roles, &res, &e)) ||
        (rc = fsx_mkdirs(dir, &e)) ||
        (rc = csv_write_period(dir, &ds, &res, &e)))
        st = cli_fail(&e);
    else {
        for (int i = 0; i < res.n; i++)
            scored += res.p[i].has_total;
        printf("score %s: %d persons assessed, %d with a total, %d "
               "relationship risks\n", pm, res.n, scored, res.nrisk);
        printf("CSV: %s/scores.csv\nCSV: %s/totals.csv\n", dir, dir);
        st = 0;
    }
    score_result_free(&res);
    dataset_free(&ds);
    store_close(s);
    roles_free(&roles);
    return st;
}
