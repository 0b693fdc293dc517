/* cmd_score -- `keqing score --period YYYY-MM [--db PATH] [--templates DIR]
 * [--out DIR] [--allow-empty] [--csv-bom] [--font FILE[:N]] [--fonts DIR]`:
 * parses the options (cli_parse), runs the score stage of pipeline.h
 * (pipe_score: load the period's records, score every assessed person,
 * store the results, write OUT/YYYY-MM/scores.csv, totals.csv and
 * keqing-YYYY-MM.xlsx; shared/spec/cli.md) and prints its warnings and
 * the summary.
 *
 * Exit status: 0; 64 usage; 65 bad data (a broken role or spreadsheet
 * template, a person whose role has no template, a manager cycle, a
 * period without activity); 66 no such database, templates folder or
 * export for the period; 70; 73 cannot create the CSVs or the workbook;
 * 74; 75 database busy.
 */
#include "cli.h"
#include "date.h"
#include "period.h"
#include "err.h"
#include "pipeline.h"
#include "store.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
    "Usage: keqing score --period YYYY-MM [--db PATH] [--templates DIR] "
    "[--out DIR]\n"
    "                    [--allow-empty] [--csv-bom] [--font FILE[:N]]\n"
    "                    [--fonts DIR]\n"
    "\n"
    "Compute every assessed person's indicators (A1-C6), own, team and total\n"
    "scores, grades and ranks for the period; store them in the database\n"
    "(scoring a period again replaces its results) and write\n"
    "OUT/YYYY-MM/scores.csv, OUT/YYYY-MM/totals.csv and the workbook\n"
    "OUT/YYYY-MM/keqing-YYYY-MM.xlsx.\n"
    "\n"
    "  --period YYYY-MM   the month to score (required; an export for it must\n"
    "                     have been imported)\n"
    "  --db PATH          database (default $KEQING_DB or keqing.db)\n"
    "  --templates DIR    templates folder (role templates in DIR/roles)\n"
    "  --out DIR          output folder (default out)\n"
    "  --allow-empty      grade a period whose exports hold no activity record\n"
    "  --csv-bom          begin the CSVs with a UTF-8 byte-order mark, for\n"
    "                     Excel and WPS (the workbook needs none)\n"
    "  --font FILE[:N], --fonts DIR\n"
    "                     the font chain the names are checked against, as\n"
    "                     for render: a character no font has is a warning\n"
    "\n"
    "Exit status: 0 scored, 64 usage error, 65 bad data (a broken role\n"
    "template, a role without one, a manager cycle, a period without any\n"
    "activity, a broken spreadsheet template), 66 no database or no export\n"
    "for the period, 70 internal error, 73 cannot create the CSVs or the\n"
    "workbook, 74 I/O error, 75 database busy.\n";

int cmd_score(int argc, char **argv)
{
    const char *db = NULL, *tpl = NULL, *fonts = NULL;
    struct pipe_score_opts po = {.out = "out"};
    struct pipe_score_stats ps = {0};
    struct err e;
    struct store *s = NULL;
    char tdir[PATH_MAX], fam[PATH_MAX], pm[8];
    int st;

    {
        const struct cli_opt opts[] = {
            cli_opt_period(&po.per, 1),
            cli_opt_db(&db),
            cli_opt_templates(&tpl),
            {"--out", NULL, CLI_TEXT, &po.out, "DIR", 0, 0, 0},
            {"--allow-empty", NULL, CLI_FLAG, &po.allow_empty, NULL, 0, 0,
             0},
            {"--csv-bom", NULL, CLI_FLAG, &po.csv_bom, NULL, 0, 0, 0},
            cli_opt_font(&po.font),
            cli_opt_fonts(&fonts),
        };
        if ((st = cli_parse("score", usage_text, opts,
                            sizeof opts / sizeof *opts, argc, argv, NULL,
                            NULL)) >= 0)
            return st;
    }
    err_clear(&e);
    period_format(&po.per, pm);
    po.templates = tdir;
    if (cli_templates_dir(tpl, tdir, sizeof tdir, &e) ||
        cli_families_file(fonts, fam, sizeof fam, &e))
        return cli_fail(&e);
    po.families = fam[0] ? fam : NULL;
    if (store_open(cli_db_path(db), STORE_MUST_EXIST, &s, &e) ||
        pipe_score(s, &po, &ps, &e))
        st = cli_fail(&e);
    else {
        cli_print_diag(&ps.warnings);
        printf("score %s: %d persons assessed, %d with a total, %d "
               "relationship risks\n", pm, ps.persons, ps.scored, ps.risks);
        printf("CSV: %s/scores.csv\nCSV: %s/totals.csv\n", ps.dir, ps.dir);
        printf("XLSX: %s/keqing-%s.xlsx\n", ps.dir, pm);
        st = 0;
    }
    pipe_score_stats_free(&ps);
    store_close(s);
    return st;
}
