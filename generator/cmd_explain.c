/* cmd_explain -- `keqing explain --period YYYY-MM --person ID [--db PATH]
 * [--templates DIR]`: parses the options (cli_parse) and prints, for each
 * indicator of the person's role, the numerator and denominator and the
 * records behind them (explain_person), so a manager can answer an
 * appeal.  Recomputes from the stored records with the same engine as
 * `keqing score`; reads the database only.
 *
 * Exit status: 0; 64 usage; 65 unknown person / not assessed / bad data;
 * 66 no such database or templates folder; 70; 74; 75.
 */
#include "buf.h"
#include "cli.h"
#include "dataset.h"
#include "date.h"
#include "period.h"
#include "err.h"
#include "explain.h"
#include "pipeline.h"
#include "roles.h"
#include "store.h"
#include "store_period.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#define EXPLAIN_MAX (64u << 20)

static const char usage_text[] =
    "Usage: keqing explain --period YYYY-MM --person ID [--db PATH] "
    "[--templates DIR]\n"
    "\n"
    "Show, for each indicator of the person, the numerator, the denominator\n"
    "and the records behind them (customer-weeks and visits, spot checks,\n"
    "display audits, reports, greetings due and met, cards).\n";

int cmd_explain(int argc, char **argv)
{
    const char *person = NULL, *db = NULL, *tpl = NULL;
    struct period per = {0};
    struct err e;
    struct roles roles = {NULL, 0};
    struct store *s = NULL;
    struct dataset ds;
    struct buf out;
    char tdir[PATH_MAX];
    int rc, st, p;

    {
        const struct cli_opt opts[] = {
            cli_opt_period(&per, 1),
            {"--person", NULL, CLI_TEXT, &person, "ID", 0, 0, 1},
            cli_opt_db(&db),
            cli_opt_templates(&tpl),
        };
        if ((st = cli_parse("explain", usage_text, opts,
                            sizeof opts / sizeof *opts, argc, argv, NULL,
                            NULL)) >= 0)
            return st;
    }
    err_clear(&e);
    dataset_init(&ds);
    buf_init(&out, EXPLAIN_MAX);
    if ((rc = cli_templates_dir(tpl, tdir, sizeof tdir, &e)) ||
        (rc = roles_load_dir(tdir, &roles, &e)) ||
        (rc = store_open(cli_db_path(db), STORE_READONLY, &s, &e)) ||
        (rc = pipe_require_period(s, &per, &e)) ||
        (rc = store_load_period(s, &per, &ds, &e)))
        st = cli_fail(&e);
    else if ((p = dataset_find_person(&ds, person)) < 0) {
        err_set(&e, ERR_DATA, "%s: no person '%s'", store_path(s), person);
        st = cli_fail(&e);
    } else if ((rc = explain_person(&ds, &per, &roles, p, &out, &e)))
        st = cli_fail(&e);
    else {
        struct store_exports x;
        char pm[8];
        period_format(&per, pm);
        fwrite(out.p, 1, out.len, stdout);
        /* where the records came from: every stored record keeps its
         * import and line (import_id, src_line), doc/archive.md */
        if (store_period_exports(s, pm, &x, &e) == ERR_OK)
            printf("\n数据来源：本期最新导出 %s（sha256 %.8s），本期共导入 %d "
                   "个文件\n", x.newest_file, x.newest, x.n);
        st = fflush(stdout) ? 74 : 0;
    }
    buf_free(&out);
    dataset_free(&ds);
    store_close(s);
    roles_free(&roles);
    return st;
}
