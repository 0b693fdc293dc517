/* cmd_run -- `keqing run FILE... --period YYYY-MM [--db PATH] [--out DIR]
 * [--templates DIR] [--font FILE[:N]] [--fonts DIR] [--jobs N] [--quiet]
 * [--allow-empty] [--allow-older]`: the monthly batch in one command -
 * import, score, render, manifest (shared/spec/cli.md, doc/archive.md).
 *
 * The options are read by cli_parse; the stages are the same library
 * functions as `import`, `score` and `render` call (pipe_import,
 * pipe_score, render_run), so the command only chooses their options
 * and prints.  Running the same command again after an interruption
 * completes the period without redoing finished work:
 *   - import is skipped when the last import stored exactly these files
 *     (same sha256, same order; pipe_import's skip_same): importing them
 *     again would change no record, and the provenance on the sheets
 *     stays the same;
 *   - scoring is recomputed (seconds; the same data gives the same
 *     results and byte-identical CSVs, written atomically);
 *   - render keeps every document whose registry entry is issued for the
 *     same data and template and whose file is intact (render.h).
 * The end result is byte-identical to an uninterrupted run.
 *
 * Progress goes to stderr (progress.h): a bar per stage on a terminal
 * (the import's moved by progress_watch_files while it reads), one line
 * per stage otherwise, nothing with --quiet.  The summary goes to stdout.
 *
 * Refused input leaves nothing: an export of another period than --period
 * is refused before anything is stored (pipe_import's expect_period); a
 * refused first run leaves no database (store.h); an export older than
 * one already imported for the period is refused (--allow-older to import
 * it anyway), so a resumed run never undoes a correction.
 *
 * Exit status: 0; 64 usage; 65 bad input data (nothing imported) or
 * documents that could not be drawn; 66 an input, the templates or the
 * font missing; 70; 73 cannot create an output; 74; 75 database busy.
 */
#include "render.h"
#include "cli.h"
#include "date.h"
#include "period.h"
#include "err.h"
#include "pipeline.h"
#include "progress.h"
#include "store.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
    "Usage: keqing run FILE... --period YYYY-MM [--db PATH] [--out DIR]\n"
    "                  [--templates DIR] [--font FILE[:N]] [--fonts DIR]\n"
    "                  [--jobs N] [--quiet]\n"
    "                  [--allow-empty] [--allow-older] [--csv-bom]\n"
    "\n"
    "The monthly batch in one command: import the ERP exports, score the\n"
    "period, render every document in parallel, register them and write\n"
    "OUT/YYYY-MM/manifest.csv.  Safe to interrupt: run the same command\n"
    "again and it completes the period without redoing finished files; the\n"
    "result is byte-identical to an uninterrupted run.\n"
    "\n"
    "  --period YYYY-MM   the month (required)\n"
    "  --db PATH          database (default $KEQING_DB or keqing.db)\n"
    "  --out DIR          output folder (default out)\n"
    "  --templates DIR    templates folder\n"
    "  --font FILE[:N]    the chain's main TrueType face (default\n"
    "                     $KEQING_FONT, else the first of families.conf)\n"
    "  --fonts DIR        folder of the families.conf that lists the font\n"
    "                     chain (default $KEQING_FONTS, else the shipped one)\n"
    "  --jobs N           render workers (default: number of CPUs)\n"
    "  --quiet            no progress output (errors and the summary only)\n"
    "  --allow-empty      grade a period whose exports hold no activity\n"
    "  --allow-older      import an export older than one already imported\n"
    "                     for the period (undoing that correction)\n"
    "  --csv-bom          begin the CSVs with a UTF-8 byte-order mark, for\n"
    "                     Excel and WPS (the workbook needs none)\n"
    "\n"
    "Every FILE must be an export of the --period month.\n"
    "\n"
    "Exit status: 0 done, 64 usage error, 65 bad input data or documents that\n"
    "could not be drawn, 66 input missing, 70 internal error, 73 cannot\n"
    "create output, 74 I/O error, 75 database busy.\n";

struct opts {
    const char *db, *out, *templates, *font, *fonts;
    struct period per;
    char pm[8];                 /* per as YYYY-MM */
    long jobs;
    int quiet, allow_empty, allow_older, csv_bom;
    char families[PATH_MAX];    /* resolved families.conf, "" built in */
    const char *const *files;   /* borrowed from argv */
    int nfiles;
};

/* What the summary reports. */
struct summary {
    long long records;          /* imported by this run */
    int import_skipped;
    int persons, scored;
    double secs[3];             /* import, score, render */
    struct render_stats bs;
};

/* ---- stages ----------------------------------------------------------- */

/* While the import reads the files, the bar follows (progress.h). */
struct watching {
    struct progress *p;
    const struct opts *o;
    struct progress_watch *w;
};

static void reading(void *ctx, int on)
{
    struct watching *c = ctx;
    if (on)
        c->w = progress_watch_files(c->p, c->o->files, c->o->nfiles);
    else {
        progress_unwatch(c->w);
        c->w = NULL;
    }
}

/* Import the files, unless the last import stored exactly these. */
static int stage_import(const struct opts *o, const char *tdir,
                        struct store *s, struct progress *p,
                        struct summary *sum, struct err *e)
{
    struct watching w = {p, o, NULL};
    struct pipe_import_opts io = {
        .templates = tdir, .skip_same = 1, .expect_period = o->pm,
        .allow_older = o->allow_older, .reading = reading, .reading_ctx = &w};
    struct pipe_import_stats st;
    char line[128];
    int rc;

    progress_begin(p, "import", "MB", progress_files_mb(o->files, o->nfiles));
    rc = pipe_import(s, o->files, o->nfiles, &io, &st, e);
    cli_print_diag(&st.problems);
    sum->import_skipped = st.skipped;
    if (!rc && !st.skipped)
        sum->records = st.imp.records;
    pipe_import_stats_free(&st);
    progress_set(p, p->total);
    if (sum->import_skipped)
        snprintf(line, sizeof line, "skipped: the last import stored these "
                 "very files");
    else
        snprintf(line, sizeof line, "%lld records stored", sum->records);
    sum->secs[0] = progress_end(p, rc ? "failed" : line);
    return rc;
}

/* Score the period, store the results, write the CSVs (pipeline.h). */
static int stage_score(const struct opts *o, const char *tdir,
                       struct store *s, struct progress *p,
                       struct summary *sum, struct err *e)
{
    struct pipe_score_opts po = {
        .per = o->per, .templates = tdir, .out = o->out,
        .allow_empty = o->allow_empty, .font = o->font,
        .csv_bom = o->csv_bom,
        .families = o->families[0] ? o->families : NULL};
    struct pipe_score_stats ps;
    char line[96];
    int rc;

    progress_begin(p, "score", "persons", 0);
    rc = pipe_score(s, &po, &ps, e);
    sum->persons = ps.persons;
    sum->scored = ps.scored;
    progress_set(p, sum->persons);
    snprintf(line, sizeof line, "%d persons assessed, %d with a total",
             sum->persons, sum->scored);
    sum->secs[1] = progress_end(p, rc ? "failed" : line);
    cli_print_diag(&ps.warnings);
    pipe_score_stats_free(&ps);
    return rc;
}

static void on_error(void *ctx, const struct err *e)
{
    (void)ctx;
    cli_fail(e);
}

static int stage_render(const struct opts *o, const char *tdir,
                        struct progress *p, struct summary *sum,
                        struct err *e)
{
    struct render_opts bo = {
        .db = cli_db_path(o->db), .out = o->out, .templates = tdir,
        .font = o->font, .families = o->families[0] ? o->families : NULL,
        .per = o->per, .jobs = (int)o->jobs,
        .kinds = RENDER_PERSONS | RENDER_REGIONS | RENDER_PACKETS,
        .progress = p, .on_error = on_error};
    int rc;

    rc = render_run(&bo, &sum->bs, e);
    sum->secs[2] = sum->bs.plan_s + sum->bs.render_s;
    return rc;
}

static void print_summary(const struct opts *o, const struct summary *s)
{
    const char *pm = o->pm;

    if (s->import_skipped)
        printf("run %s: import skipped (already stored), %.2f s\n", pm,
               s->secs[0]);
    else
        printf("run %s: %lld records imported, %.2f s\n", pm, s->records,
               s->secs[0]);
    printf("run %s: %d people scored (%d with a total), %.2f s\n", pm,
           s->persons, s->scored, s->secs[1]);
    printf("run %s: %ld files written, %ld up to date, %ld failed "
           "(%lld bytes; plan %.2f s, render %.2f s, %ld jobs)\n", pm,
           s->bs.rendered, s->bs.kept, s->bs.failed, s->bs.bytes,
           s->bs.plan_s, s->bs.render_s, o->jobs);
    printf("run %s: %zu new document numbers, %zu superseded; manifest "
           "%s/%s/manifest.csv (%ld files)\n", pm, s->bs.allocated,
           s->bs.superseded, o->out, pm, s->bs.manifest_rows);
    printf("run %s: %.2f s in all\n", pm, s->secs[0] + s->secs[1] +
           s->secs[2]);
}

static int run(struct opts *o)
{
    struct progress p;
    struct summary sum = {0};
    struct store *s = NULL;
    char tdir[PATH_MAX];
    struct err e;
    int rc;

    err_clear(&e);
    progress_init(&p, stderr, progress_choose(o->quiet, cli_stderr_tty()));
    if ((rc = cli_templates_dir(o->templates, tdir, sizeof tdir, &e)) ||
        (rc = cli_families_file(o->fonts, o->families, sizeof o->families,
                                &e)) ||
        (rc = store_open(cli_db_path(o->db), 0, &s, &e)) ||
        (rc = stage_import(o, tdir, s, &p, &sum, &e)) ||
        (rc = stage_score(o, tdir, s, &p, &sum, &e))) {
        store_close(s);
        return cli_fail(&e);
    }
    store_close(s);
    rc = stage_render(o, tdir, &p, &sum, &e);
    if (rc && rc != ERR_DATA)
        return cli_fail(&e);
    print_summary(o, &sum);
    fflush(stdout);
    return rc ? cli_fail(&e) : 0;
}

int cmd_run(int argc, char **argv)
{
    struct opts o = {.out = "out", .jobs = cli_default_jobs()};
    int st;

    {
        const struct cli_opt opts[] = {
            cli_opt_period(&o.per, 1),
            cli_opt_db(&o.db),
            {"--out", NULL, CLI_TEXT, &o.out, "DIR", 0, 0, 0},
            cli_opt_templates(&o.templates),
            cli_opt_font(&o.font),
            cli_opt_fonts(&o.fonts),
            {"--jobs", NULL, CLI_NUMBER, &o.jobs, "N", 1, RENDER_MAX_JOBS, 0},
            {"--quiet", "-q", CLI_FLAG, &o.quiet, NULL, 0, 0, 0},
            {"--allow-empty", NULL, CLI_FLAG, &o.allow_empty, NULL, 0, 0, 0},
            {"--csv-bom", NULL, CLI_FLAG, &o.csv_bom, NULL, 0, 0, 0},
            {"--allow-older", NULL, CLI_FLAG, &o.allow_older, NULL, 0, 0, 0},
        };
        /* the FILEs are compacted to the front of argv */
        if ((st = cli_parse_files("run", usage_text, opts,
                                  sizeof opts / sizeof *opts, argc, argv,
                                  &o.nfiles, "no input FILE given")) >= 0)
            return st;
    }
    o.files = (const char *const *)argv;
    period_format(&o.per, o.pm);
    return run(&o);
}
