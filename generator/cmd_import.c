/* cmd_import -- 'keqing import FILE... [--db PATH] [--xslt MAP.xsl]
 * [--skip-invalid] [--report FILE] [--templates DIR] [--allow-older]'.
 *
 * The CLI face of stage 1: parses the options (cli_parse), checks the
 * inputs before the database is opened (pipe_import_check), imports
 * (pipe_import: one transaction, the report of rejected records), prints
 * the problems (at most IMP_MAX_DIAG lines, then "... and N more") or the
 * summary, and returns the sysexits status.  A refused run leaves the
 * database exactly as it was; a database file the run created is removed
 * again (store.h).
 */
#include "cli.h"
#include "err.h"
#include "pipeline.h"
#include "record.h"
#include "store.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
"Usage: keqing import FILE... [--db PATH] [--xslt MAP.xsl] [--skip-invalid]\n"
"                    [--report FILE] [--templates DIR] [--allow-older]\n"
"\n"
"Validate ERP exports (the canonical XML of doc/input-format.md) and store\n"
"them.  All files of one run form one transaction: by default a single bad\n"
"record refuses the whole run and the database is left exactly as it was.\n"
"Re-importing a record (same kind and id) replaces the stored one.\n"
"\n"
"Options:\n"
"  --db PATH        database (default $KEQING_DB, else keqing.db)\n"
"  --xslt MAP.xsl   map a foreign layout to the canonical one first\n"
"                   (files up to 256 MB; the stylesheet gets no file or\n"
"                   network access)\n"
"  --skip-invalid   store the valid records; write the rejected ones with\n"
"                   their reasons to the report file\n"
"  --report FILE    the report of rejected records (default PATH.rejected.txt)\n"
"  --templates DIR  templates folder holding schema/erp.xsd\n"
"  --allow-older    import an export older (by its 'exported' time) than one\n"
"                   already imported for its period; without it that is\n"
"                   refused, since it would undo the newer correction\n"
"  -h, --help       this text\n"
"\n"
"Exit status: 0 stored, 64 usage error, 65 bad input data (nothing stored),\n"
"66 input file missing or unreadable, 70 internal error, 73 cannot create\n"
"the database or report, 74 I/O error, 75 database busy.\n";

static void print_summary(const struct pipe_import_stats *ps, const char *db)
{
    const struct imp_stats *st = &ps->imp;
    double rate = st->seconds > 0 ? (double)st->read / st->seconds : 0;

    printf("imported %d file%s into %s: %lld records stored, %lld rejected, "
           "%.2f s, %.0f records/s\n",
           st->files, st->files == 1 ? "" : "s", db, st->records,
           st->rejected, st->seconds, rate);
    for (int k = 0; k < REC_NKINDS; k++)
        printf("  %-9s %10lld\n", record_kind((enum rec_kind)k)->element,
               st->stored[k]);
    if (ps->report[0])
        printf("rejected records and reasons: %s\n", ps->report);
}

int cmd_import(int argc, char **argv)
{
    const char *db = NULL, *tpl = NULL;
    struct pipe_import_opts po = {0};
    struct pipe_import_stats ps;
    struct store *s = NULL;
    char tdir[PATH_MAX];
    struct err e;
    int rc, nfiles = 0;

    {
        const struct cli_opt opts[] = {
            cli_opt_db(&db),
            {"--xslt", NULL, CLI_TEXT, &po.xslt, "MAP.xsl", 0, 0, 0},
            {"--skip-invalid", NULL, CLI_FLAG, &po.skip_invalid, NULL, 0, 0,
             0},
            {"--report", NULL, CLI_TEXT, &po.report, "FILE", 0, 0, 0},
            cli_opt_templates(&tpl),
            {"--allow-older", NULL, CLI_FLAG, &po.allow_older, NULL, 0, 0,
             0},
        };
        /* the FILEs are compacted to the front of argv */
        if ((rc = cli_parse_files("import", usage_text, opts,
                                  sizeof opts / sizeof *opts, argc, argv,
                                  &nfiles, "no input FILE given")) >= 0)
            return rc;
    }
    if (po.report && !po.skip_invalid)
        return cli_usage("import", "--report needs --skip-invalid");
    err_clear(&e);
    db = cli_db_path(db);
    po.templates = tdir;
    /* a missing input never creates, migrates or waits for the database */
    if (pipe_import_check((const char *const *)argv, nfiles, po.xslt, &e) ||
        cli_templates_dir(tpl, tdir, sizeof tdir, &e) ||
        store_open(db, 0, &s, &e))
        return cli_fail(&e);
    rc = pipe_import(s, (const char *const *)argv, nfiles, &po, &ps, &e);
    store_close(s);
    cli_print_diag(&ps.problems);
    if (!rc)
        print_summary(&ps, db);
    pipe_import_stats_free(&ps);
    return rc ? cli_fail(&e) : 0;
}
