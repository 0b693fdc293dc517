/* pipeline -- the shared steps of the commands (see pipeline.h). */
#include "pipeline.h"
#include "period.h"
#include "csvout.h"
#include "dataset.h"
#include "diag.h"
#include "err.h"
#include "font.h"
#include "fsx.h"
#include "hook.h"
#include "import_xml.h"
#include "mem.h"
#include "text.h"
#include "roles.h"
#include "score.h"
#include "store.h"
#include "store_period.h"
#include "store_registry.h"
#include "stop.h"
#include "render_xlsx.h"
#include "tmpl_workbook.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- import ------------------------------------------------------------- */

int pipe_import_check(const char *const *files, int nfiles,
                      const char *xslt, struct err *e)
{
    for (int i = 0; i < nfiles; i++) {
        struct stat sb;
        if (stat(files[i], &sb) != 0 || access(files[i], R_OK) != 0)
            return err_set(e, ERR_NOINPUT, "%s: cannot read: %s", files[i],
                           strerror(errno));
        if (S_ISDIR(sb.st_mode))
            return err_set(e, ERR_NOINPUT, "%s: is a folder, not a file",
                           files[i]);
    }
    if (xslt && access(xslt, R_OK) != 0)
        return err_set(e, ERR_NOINPUT, "%s: cannot read: %s", xslt,
                       strerror(errno));
    return ERR_OK;
}

void pipe_import_stats_free(struct pipe_import_stats *st)
{
    diag_free(&st->problems);
}

/* The report of rejected records (skip_invalid). */
struct report {
    struct fsx_out out;
    int open;
    int failed, err_no;         /* the first write error's errno */
};

static void write_reject(void *ctx, const char *line)
{
    struct report *r = ctx;
    if (r->open && fprintf(r->out.fp, "%s\n", line) < 0 && !r->failed) {
        r->failed = 1;
        r->err_no = errno;
    }
}

/* *same = 1 when the newest imports of s are these very files. */
static int same_files(struct store *s, const char *const *files, int n,
                      int *same, struct err *e)
{
    char (*hex)[65] = mem_calloc((size_t)n + 1, sizeof *hex);
    const char **hp = mem_calloc((size_t)n + 1, sizeof *hp);
    int rc = hex && hp ? ERR_OK : err_set(e, ERR_NOMEM, "out of memory");

    for (int i = 0; !rc && i < n; i++) {
        rc = fsx_sha256_file(files[i], hex[i], NULL, e);
        hp[i] = hex[i];
    }
    if (!rc)
        rc = store_imports_are(s, hp, n, same, e);
    mem_free(hex);
    mem_free(hp);
    return rc;
}

int pipe_import(struct store *s, const char *const *files, int nfiles,
                const struct pipe_import_opts *o,
                struct pipe_import_stats *st, struct err *e)
{
    char schema[PATH_MAX + 32];
    struct imp_opts io;
    struct report rep;
    int rc;

    memset(st, 0, sizeof *st);
    memset(&rep, 0, sizeof rep);
    diag_init(&st->problems, IMP_MAX_DIAG);
    if ((rc = pipe_import_check(files, nfiles, o->xslt, e)))
        return rc;
    if (o->skip_same &&
        ((rc = same_files(s, files, nfiles, &st->skipped, e)) ||
         st->skipped))
        return rc;
    if ((size_t)snprintf(schema, sizeof schema, "%s/schema/erp.xsd",
                         o->templates) >= sizeof schema)
        return err_set(e, ERR_USAGE, "--templates: path too long");
    if (o->skip_invalid) {
        if ((size_t)(o->report
                     ? snprintf(st->report, sizeof st->report, "%s",
                                o->report)
                     : snprintf(st->report, sizeof st->report,
                                "%s.rejected.txt", store_path(s))) >=
            sizeof st->report) {
            st->report[0] = '\0';
            return err_set(e, ERR_USAGE, "--report: path too long");
        }
        if ((rc = fsx_open(&rep.out, st->report, e))) {
            st->report[0] = '\0';
            return rc;
        }
        rep.open = 1;
    }
    memset(&io, 0, sizeof io);
    io.schema = schema;
    io.xslt = o->xslt;
    io.skip_invalid = o->skip_invalid;
    io.reject = write_reject;
    io.reject_ctx = &rep;
    io.expect_period = o->expect_period;
    io.allow_older = o->allow_older;
    if (o->reading)
        o->reading(o->reading_ctx, 1);
    rc = imp_run(s, files, nfiles, &io, &st->imp, &st->problems, e);
    if (o->reading)
        o->reading(o->reading_ctx, 0);
    if (rep.open && (rc || rep.failed))
        fsx_abort(&rep.out);
    if (!rc && rep.open && rep.failed)
        rc = err_set(e, ERR_IO, "%s: cannot write the report: %s (the "
                     "records are stored)", st->report,
                     strerror(rep.err_no));
    else if (!rc && rep.open)
        rc = fsx_commit(&rep.out, e);
    if (rc)
        st->report[0] = '\0';
    return rc;
}

/* ---- score -------------------------------------------------------------- */

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

void pipe_score_stats_free(struct pipe_score_stats *st)
{
    diag_free(&st->warnings);
}

/* The way out for cp, into why. */
static void fix_for(uint32_t cp, char *why, size_t n)
{
    char family[128];

    if (font_suggest(cp, family, sizeof family))
        snprintf(why, n, "the installed family '%s' has it: add that line "
                 "to fonts/families.conf", family);
    else if (cp >= 0x30000 && cp <= 0x3134F)
        snprintf(why, n, "no installed font has it: BabelStone Han "
                 "(fonts-babelstone-han) draws most of Extension G; add its "
                 "family to fonts/families.conf");
    else
        snprintf(why, n, "no installed font has it: install one that does "
                 "and add its family to fonts/families.conf");
}

/* Check one text of the period's documents; each character missing
 * (first time for this text) becomes a warning. */
static void check_text(const struct font *f, const char *what,
                       const char *s, struct diag *d)
{
    size_t i = 0, n, len = s ? strlen(s) : 0;
    uint32_t cp, seen[8];
    int nseen = 0;

    while (i < len) {
        char name[12], ch[5], why[300];
        int dup = 0;
        if (!(n = text_utf8_decode(s + i, len - i, &cp)))
            break;
        i += n;
        if (font_chain_pos(f, cp) >= 0)
            continue;
        for (int k = 0; k < nseen; k++)
            dup |= seen[k] == cp;
        if (dup)
            continue;
        if (nseen < 8)
            seen[nseen++] = cp;
        text_cp_name(cp, name);
        ch[text_utf8_encode(cp, ch)] = '\0';
        fix_for(cp, why, sizeof why);
        diag_add(d, "warning: %s: character %s '%s' is in no font of the "
                 "chain (%d faces, %s first): the documents that show it "
                 "print %s in its place, their text layer keeps it; %s",
                 what, name, ch, font_chain_count(f), font_family(f),
                 font_placeholder(f) == 0x3013 ? "〓" : "a placeholder", why);
    }
}

/* Every text of the period's documents from the data, against the
 * chain. */
static void check_fonts(const struct pipe_score_opts *o,
                        const struct dataset *ds,
                        const struct score_result *res, const char *company,
                        struct diag *d)
{
    struct font *f = NULL;
    struct err e;
    char what[400];

    err_clear(&e);
    if (font_open_chain(&f, o->font, o->families, &e)) {
        diag_add(d, "warning: the font chain cannot be opened (%s); the "
                 "names are checked when the documents are rendered", e.msg);
        return;
    }
    check_text(f, "the company's name", company, d);
    for (int q = 0; q < ds->n_region; q++) {
        snprintf(what, sizeof what, "region %.64s name", ds->region[q].id);
        check_text(f, what, ds->region[q].name, d);
    }
    for (int i = 0; i < res->n; i++) {
        const struct ds_person *p = &ds->person[res->p[i].person];
        snprintf(what, sizeof what, "person %.64s (%.200s) name", p->id,
                 p->name);
        check_text(f, what, p->name, d);
        if (p->manager >= 0 && res->of_person[p->manager] < 0) {
            const struct ds_person *m = &ds->person[p->manager];
            snprintf(what, sizeof what, "person %.64s (%.200s) name", m->id,
                     m->name);
            check_text(f, what, m->name, d);
        }
    }
    for (int k = 0; k < res->nrisk; k++) {
        snprintf(what, sizeof what, "customer %.64s name",
                 res->risk[k].customer_id);
        check_text(f, what, res->risk[k].customer_name, d);
    }
    font_close(f);
}

/* Customers read and scored at a time: memory holds one chunk's
 * customers, contacts and activities (about 200 records a person). */
#define SCORE_CHUNK 20000

/* Read the period chunk by chunk and score it (score_begin/chunk/end):
 * the dataset keeps its regions and persons, the last chunk's customers;
 * *activity counts the activity records dated in the period. */
static int score_chunked(struct store *s, const struct pipe_score_opts *o,
                         const struct roles *roles, struct dataset *ds,
                         struct score_result *res, long *activity,
                         struct err *e)
{
    struct store_period_reader *rd = NULL;
    struct score_state *st = NULL;
    const char *env = getenv("KEQING_SCORE_CHUNK");   /* tests, tuning */
    long chunk = env ? strtol(env, NULL, 10) : 0;
    int rc, got = 1;

    if (chunk <= 0)
        chunk = SCORE_CHUNK;
    *activity = 0;
    if ((rc = store_period_open(s, &o->per, ds, &rd, e)) ||
        (rc = score_begin(ds, &o->per, roles, &st, res, e))) {
        store_period_close(rd);
        return rc;
    }
    while (!rc && got) {
        if ((rc = store_period_next(rd, chunk, &got, e)))
            break;
        if (got) {
            *activity += score_activity_count(ds, &o->per);
            rc = score_chunk(st, ds, e);
        }
    }
    store_period_close(rd);
    if (rc) {
        score_abort(st);
        score_result_free(res);
        return rc;
    }
    return score_end(st, ds, roles, e);
}

/* Seconds on clock c (for the statistics only: nothing depends on it). */
static double clock_s(clockid_t c)
{
    struct timespec t;
    return clock_gettime(c, &t) == 0 ? (double)t.tv_sec + t.tv_nsec / 1e9
                                     : 0;
}

int pipe_score(struct store *s, const struct pipe_score_opts *o,
               struct pipe_score_stats *st, struct err *e)
{
    struct roles roles = {NULL, 0};
    struct tmpl_workbook wb;
    struct dataset ds;
    struct score_result res;
    struct store_exports x;
    struct fsx_out book;        /* the workbook, until committed */
    char pm[8];
    int rc, no_wb = 0, have_book = 0;

    memset(st, 0, sizeof *st);
    memset(&wb, 0, sizeof wb);
    memset(&x, 0, sizeof x);
    diag_init(&st->warnings, 100);
    memset(&res, 0, sizeof res);
    dataset_init(&ds);
    period_format(&o->per, pm);
    if ((size_t)snprintf(st->dir, sizeof st->dir, "%s/%s", o->out, pm) >=
        sizeof st->dir)
        return err_set(e, ERR_USAGE, "--out: path too long");
    /* every template before anything is scored: a broken one changes
     * nothing */
    if (!(rc = pipe_require_period(s, &o->per, e)) &&
        !(rc = roles_load_dir(o->templates, &roles, e)) &&
        !(rc = tmpl_workbook_load(o->templates, &wb, &no_wb, e)) &&
        !(rc = score_chunked(s, o, &roles, &ds, &res, &st->activity, e))) {
        if (st->activity == 0 && !o->allow_empty)
            rc = err_set(e, ERR_DATA, "%s: period %s: the imported exports "
                         "hold no activity record dated in the period "
                         "(visits, services, displays, reports, greetings, "
                         "checks), so every person would be graded on "
                         "nothing; import the complete export for %s, or "
                         "score it with --allow-empty if the month really "
                         "had no activity", store_path(s), pm, pm);
    }
    if (!rc)
        hook_point("score-stored");
    if (!rc && stop_requested())
        rc = err_set(e, ERR_STOPPED, "score %s stopped by a signal before "
                     "its results were stored: the stored ones are as they "
                     "were", pm);
    if (!rc && store_period_exports(s, pm, &x, e) != ERR_OK) {
        x.company[0] = '\0';   /* the workbook then names no company */
        err_clear(e);
    }
    /* the workbook first, into its temporary file: whatever can fail in
     * it fails before anything is stored; it is renamed into place after
     * the CSVs, so the three files always hold the same figures */
    if (!rc && !(rc = fsx_mkdirs(st->dir, e))) {
        const struct render_xlsx_in in = {&ds, &res, &wb, x.company};
        double cpu = clock_s(CLOCK_THREAD_CPUTIME_ID),
               wall = clock_s(CLOCK_MONOTONIC);
        rc = render_xlsx_prepare(st->dir, &in, &book, e);
        st->xlsx_cpu = clock_s(CLOCK_THREAD_CPUTIME_ID) - cpu;
        st->xlsx_wall = clock_s(CLOCK_MONOTONIC) - wall;
        have_book = !rc;
    }
    if (!rc && !(rc = pipe_save_results(s, &ds, &roles, &res, e)) &&
        !(rc = csvout_write_period(st->dir, &ds, &res,
                                   o->csv_bom || wb.csv_bom, e))) {
        have_book = 0;
        rc = fsx_commit(&book, e);
    }
    if (have_book)
        fsx_abort(&book);
    if (!rc) {
        st->persons = res.n;
        st->risks = res.nrisk;
        for (int i = 0; i < res.n; i++)
            st->scored += res.p[i].has_total;
        if (no_wb)
            diag_add(&st->warnings, "%s/sheet/workbook.xml: not found: the "
                     "workbook has the built-in headers and colours (copy "
                     "templates/sheet/workbook.xml of keqing there to change "
                     "them)", o->templates);
        check_fonts(o, &ds, &res, x.company, &st->warnings);
    }
    tmpl_workbook_free(&wb);
    score_result_free(&res);
    dataset_free(&ds);
    roles_free(&roles);
    return rc;
}
