/* cmd_import -- 'keqing import FILE... [--db PATH] [--xslt MAP.xsl]
 * [--skip-invalid] [--report FILE] [--templates DIR] [--allow-older]'.
 *
 * The CLI face of stage 1 (import_xml.c): parses options, opens the store,
 * runs the import, prints the problems (at most IMP_MAX_DIAG lines, then
 * "... and N more") or the summary, and returns the sysexits status.
 * A refused run leaves the database exactly as it was; when the database
 * file did not exist before, the file created for the run is removed
 * (store_close, store.h).
 */
#include "cli.h"
#include "err.h"
#include "fsx.h"
#include "import_xml.h"
#include "mem.h"
#include "record.h"
#include "store.h"
#include "store_import.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *fp)
{
    fprintf(fp,
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
"the database or report, 74 I/O error, 75 database busy.\n");
}

struct report {
    struct fsx_out out;
    int open;
    long long lines;
    int failed, err_no;         /* the first write error's errno */
};

static void write_reject(void *ctx, const char *line)
{
    struct report *r = ctx;
    r->lines++;
    if (r->open && fprintf(r->out.fp, "%s\n", line) < 0 && !r->failed) {
        r->failed = 1;
        r->err_no = errno;
    }
}

static int check_inputs(char **files, int n)
{
    for (int i = 0; i < n; i++) {
        struct stat sb;
        struct err e;
        if (stat(files[i], &sb) != 0 || access(files[i], R_OK) != 0) {
            err_set(&e, ERR_NOINPUT, "%s: cannot read: %s", files[i],
                    strerror(errno));
            return cli_fail(&e);
        }
        if (S_ISDIR(sb.st_mode)) {
            err_set(&e, ERR_NOINPUT, "%s: is a folder, not a file", files[i]);
            return cli_fail(&e);
        }
    }
    return 0;
}

static void print_summary(const struct imp_stats *st, const char *db,
                          const struct report *rep, const char *rep_path)
{
    double rate = st->seconds > 0 ? (double)st->read / st->seconds : 0;
    printf("imported %d file%s into %s: %lld records stored, %lld rejected, "
           "%.2f s, %.0f records/s\n",
           st->files, st->files == 1 ? "" : "s", db, st->records,
           st->rejected, st->seconds, rate);
    for (int k = 0; k < REC_NKINDS; k++)
        printf("  %-9s %10lld\n", record_kind((enum rec_kind)k)->element,
               st->stored[k]);
    if (rep->open)
        printf("rejected records and reasons: %s\n", rep_path);
}

struct opts {
    const char *db, *xslt, *report, *templates;
    int skip, allow_older;
};

static int parse(int argc, char **argv, struct opts *o, int *first)
{
    static const struct option lo[] = {
        {"db", required_argument, NULL, 'd'},
        {"xslt", required_argument, NULL, 'x'},
        {"skip-invalid", no_argument, NULL, 's'},
        {"report", required_argument, NULL, 'r'},
        {"templates", required_argument, NULL, 't'},
        {"allow-older", no_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int c;
    memset(o, 0, sizeof *o);
    *first = 0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (c) {
        case 'd': o->db = optarg; break;
        case 'x': o->xslt = optarg; break;
        case 's': o->skip = 1; break;
        case 'r': o->report = optarg; break;
        case 't': o->templates = optarg; break;
        case 'o': o->allow_older = 1; break;
        case 'h': usage(stdout); return 0;
        default:
            return cli_usage("import", "unknown or incomplete option '%s'",
                             argv[optind - 1]);
        }
    }
    /* FILEs may be followed by options too: collect them GNU-style. */
    *first = optind;
    return -1;
}

/* Options after the first FILE ("import a.xml --db x.db") are accepted. */
static int gather(int argc, char **argv, struct opts *o, char ***files,
                  int *nfiles)
{
    int first, rc = parse(argc, argv, o, &first);
    if (rc >= 0)
        return rc;
    *files = argv + first;
    *nfiles = argc - first;
    if (*nfiles == 0)
        return cli_usage("import", "no input FILE given");
    if (o->report && !o->skip)
        return cli_usage("import", "--report needs --skip-invalid");
    return -1;
}

static int run(struct opts *o, char **files, int nfiles)
{
    char tdir[4096], schema[4200], rep_path[4200];
    const char *db = cli_db_path(o->db);
    struct store *s = NULL;
    struct imp_opts io;
    struct imp_stats st;
    struct report rep;
    struct diag d;
    struct err e;
    int rc;

    err_clear(&e);
    memset(&rep, 0, sizeof rep);
    if ((rc = check_inputs(files, nfiles)))
        return rc;
    if (o->xslt && access(o->xslt, R_OK) != 0) {
        err_set(&e, ERR_NOINPUT, "%s: cannot read: %s", o->xslt, strerror(errno));
        return cli_fail(&e);
    }
    if (cli_templates_dir(o->templates, tdir, sizeof tdir, &e))
        return cli_fail(&e);
    snprintf(schema, sizeof schema, "%s/schema/erp.xsd", tdir);
    /* a refused first run leaves no database file (store.h) */
    if (store_open(db, 0, &s, &e))
        return cli_fail(&e);
    if (o->skip) {
        snprintf(rep_path, sizeof rep_path, "%s", o->report ? o->report : db);
        if (!o->report)
            snprintf(rep_path, sizeof rep_path, "%s.rejected.txt", db);
        if (fsx_open(&rep.out, rep_path, &e)) {
            store_close(s);
            return cli_fail(&e);
        }
        rep.open = 1;
    }
    memset(&io, 0, sizeof io);
    io.schema = schema;
    io.xslt = o->xslt;
    io.skip_invalid = o->skip;
    io.reject = write_reject;
    io.reject_ctx = &rep;
    diag_init(&d, IMP_MAX_DIAG);
    io.allow_older = o->allow_older;
    rc = imp_run(s, (const char *const *)files, nfiles, &io, &st, &d, &e);
    store_close(s);
    cli_print_diag(&d);
    diag_free(&d);
    if (rc) {
        if (rep.open)
            fsx_abort(&rep.out);
        return cli_fail(&e);
    }
    if (rep.open) {
        if (rep.failed) {
            fsx_abort(&rep.out);
            err_set(&e, ERR_IO, "%s: cannot write the report: %s (the "
                    "records are stored)", rep_path, strerror(rep.err_no));
            return cli_fail(&e);
        }
        if (fsx_commit(&rep.out, &e))
            return cli_fail(&e);
    }
    print_summary(&st, db, &rep, rep_path);
    return 0;
}

int cmd_import(int argc, char **argv)
{
    struct opts o;
    char **files = NULL;
    int nfiles = 0;
    int rc = gather(argc, argv, &o, &files, &nfiles);
    if (rc >= 0)
        return rc;
    return run(&o, files, nfiles);
}
