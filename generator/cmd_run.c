/* cmd_run -- `keqing run FILE... --period YYYY-MM [--db PATH] [--out DIR]
 * [--templates DIR] [--font FILE[:N]] [--jobs N] [--quiet]`: the monthly
 * batch in one command - import, score, render, manifest
 * (shared/spec/cli.md, doc/archive.md).
 *
 * Stages call the same library functions as `import`, `score` and
 * `render`.  Running the same command again after an interruption
 * completes the period without redoing finished work:
 *   - import is skipped when the last import stored exactly these files
 *     (same sha256, same order): importing them again would change no
 *     record, and the provenance on the sheets stays the same;
 *   - scoring is recomputed (seconds; the same data gives the same
 *     results and byte-identical CSVs, written atomically);
 *   - render keeps every document whose registry entry is issued for the
 *     same data and template and whose file is intact (render.h).
 * The end result is byte-identical to an uninterrupted run.
 *
 * Progress goes to stderr (progress.h): a bar per stage on a terminal,
 * one line per stage otherwise, nothing with --quiet.  The summary goes
 * to stdout.
 *
 * Refused input leaves nothing: an export of another period than --period
 * is refused before anything is stored; a refused first run leaves no
 * database (STORE_TENTATIVE); an export older than one already imported
 * for the period is refused (--allow-older to import it anyway), so a
 * resumed run never undoes a correction.
 *
 * Exit status: 0; 64 usage; 65 bad input data (nothing imported) or
 * documents that could not be drawn; 66 an input, the templates or the
 * font missing; 70; 73 cannot create an output; 74; 75 database busy.
 */
#include "render.h"
#include "cli.h"
#include "date.h"
#include "err.h"
#include "fsx.h"
#include "import_xml.h"
#include "mem.h"
#include "pipeline.h"
#include "progress.h"
#include "stop.h"
#include "store.h"
#include "store_registry.h"

#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
    "Usage: keqing run FILE... --period YYYY-MM [--db PATH] [--out DIR]\n"
    "                  [--templates DIR] [--font FILE[:N]] [--fonts DIR]\n"
    "                  [--jobs N] [--quiet]\n"
    "                  [--allow-empty] [--allow-older]\n"
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
    "\n"
    "Every FILE must be an export of the --period month.\n"
    "\n"
    "Exit status: 0 done, 64 usage error, 65 bad input data or documents that\n"
    "could not be drawn, 66 input missing, 70 internal error, 73 cannot\n"
    "create output, 74 I/O error, 75 database busy.\n";

struct opts {
    const char *period, *db, *out, *templates, *font, *fonts;
    long jobs;
    int quiet, allow_empty, allow_older;
    char families[PATH_MAX];    /* resolved families.conf, "" built in */
    char **files;               /* borrowed from argv... */
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

/* One option at argv[*i]: 1 taken, 0 not an option we know, or -(exit
 * status + 1) on a usage error. */
static int parse_opt(int argc, char **argv, int *i, struct opts *o,
                     const char **jobs)
{
    const char *const names[] = {"--period", "--db", "--out", "--templates",
                                 "--fonts", "--font", "--jobs"};
    const char **dest[] = {&o->period, &o->db, &o->out, &o->templates,
                           &o->fonts, &o->font, jobs};
    int missing = 0;

    if (!strcmp(argv[*i], "--quiet") || !strcmp(argv[*i], "-q")) {
        o->quiet = 1;
        return 1;
    }
    if (!strcmp(argv[*i], "--allow-empty")) {
        o->allow_empty = 1;
        return 1;
    }
    if (!strcmp(argv[*i], "--allow-older")) {
        o->allow_older = 1;
        return 1;
    }
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        const char *v = cli_opt_value(argc, argv, i, names[k], &missing);
        if (v) {
            *dest[k] = v;
            return 1;
        }
        if (missing)
            return -(cli_usage("run", "%s needs a value", names[k]) + 1);
    }
    return 0;
}

/* -1 to go on, else the exit status.  o->files has argc slots (owned). */
static int parse(int argc, char **argv, struct opts *o)
{
    const char *jobs = NULL;

    for (int i = 1; i < argc; i++) {
        int r;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage_text, stdout);
            return 0;
        }
        if ((r = parse_opt(argc, argv, &i, o, &jobs)) < 0)
            return -r - 1;
        if (r == 0 && argv[i][0] == '-' && argv[i][1])
            return cli_usage("run", "unknown option '%s'", argv[i]);
        if (r == 0)
            o->files[o->nfiles++] = argv[i];
    }
    if (!o->period)
        return cli_usage("run", "--period YYYY-MM is required");
    if (o->nfiles == 0)
        return cli_usage("run", "no input FILE given");
    if (jobs && cli_parse_long(jobs, 1, RENDER_MAX_JOBS, &o->jobs))
        return cli_usage("run", "--jobs '%s' is not a number 1..%d", jobs,
                         RENDER_MAX_JOBS);
    if (!jobs) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        o->jobs = n < 1 ? 1 : n > RENDER_MAX_JOBS ? RENDER_MAX_JOBS : n;
    }
    return -1;
}

/* ---- stages ----------------------------------------------------------- */

/* The inputs' hashes; ERR_NOINPUT for a missing or unreadable file. */
static int hash_inputs(const struct opts *o, char (*hex)[65], struct err *e)
{
    for (int i = 0; i < o->nfiles; i++) {
        struct stat sb;
        if (stat(o->files[i], &sb) == 0 && S_ISDIR(sb.st_mode))
            return err_set(e, ERR_NOINPUT, "%s: is a folder, not a file",
                           o->files[i]);
        if (fsx_sha256_file(o->files[i], hex[i], NULL, e))
            return e->code;
    }
    return ERR_OK;
}

/* ---- import progress -------------------------------------------------
 * imp_run reports nothing while it works, so on a terminal a ticker
 * thread watches how far this process has read into the input files
 * (/proc/self/fdinfo, Linux) and moves the bar in megabytes.  Best
 * effort: without /proc the bar just stays at 0. */

struct ticker {
    const struct opts *o;
    struct progress *p;
    long long *size;            /* owned: bytes of each input */
    pthread_t th;
    pthread_mutex_t mu;
    int stop, running;
};

/* Bytes read so far from input i: the offset of the open descriptor on
 * it, or 0. */
static long long read_offset(const char *path)
{
    char real[PATH_MAX], link[PATH_MAX + 32], target[PATH_MAX], line[128];
    struct dirent *de;
    long long pos = 0;
    DIR *dp;

    if (!realpath(path, real) || !(dp = opendir("/proc/self/fd")))
        return 0;
    while ((de = readdir(dp)) && !pos) {
        ssize_t n;
        FILE *fp;
        snprintf(link, sizeof link, "/proc/self/fd/%s", de->d_name);
        n = readlink(link, target, sizeof target - 1);
        if (n <= 0)
            continue;
        target[n] = '\0';
        if (strcmp(target, real))
            continue;
        snprintf(link, sizeof link, "/proc/self/fdinfo/%s", de->d_name);
        if (!(fp = fopen(link, "r")))
            continue;
        while (fgets(line, sizeof line, fp))
            if (!strncmp(line, "pos:", 4))
                pos = strtoll(line + 4, NULL, 10);
        fclose(fp);
    }
    closedir(dp);
    return pos;
}

static void *tick(void *arg)
{
    struct ticker *t = arg;
    const struct timespec nap = {0, 200000000};
    long long done = 0;
    int file = 0;

    for (;;) {
        long long pos, before = 0;
        pthread_mutex_lock(&t->mu);
        if (t->stop) {
            pthread_mutex_unlock(&t->mu);
            return NULL;
        }
        pthread_mutex_unlock(&t->mu);
        for (int i = 0; i < file; i++)
            before += t->size[i];
        pos = read_offset(t->o->files[file]);
        if (pos == 0 && file + 1 < t->o->nfiles &&
            read_offset(t->o->files[file + 1]) > 0)
            file++;             /* the next file is being read */
        if (before + pos > done)
            done = before + pos;
        progress_set(t->p, done >> 20);
        nanosleep(&nap, NULL);
    }
}

/* Megabytes of the input files. */
static long long input_mb(const struct opts *o)
{
    long long total = 0;
    for (int i = 0; i < o->nfiles; i++) {
        struct stat sb;
        total += stat(o->files[i], &sb) == 0 ? (long long)sb.st_size : 0;
    }
    return total >> 20;
}

/* Start the ticker when the bar is shown (the stage counts MB). */
static void ticker_start(struct ticker *t, const struct opts *o,
                         struct progress *p)
{
    memset(t, 0, sizeof *t);
    t->o = o;
    t->p = p;
    if (p->mode != PROGRESS_BAR ||
        !(t->size = mem_calloc((size_t)o->nfiles, sizeof *t->size)))
        return;
    for (int i = 0; i < o->nfiles; i++) {
        struct stat sb;
        t->size[i] = stat(o->files[i], &sb) == 0 ? (long long)sb.st_size : 0;
    }
    pthread_mutex_init(&t->mu, NULL);
    t->running = stop_thread_create(&t->th, tick, t) == 0;
    if (!t->running)
        pthread_mutex_destroy(&t->mu);
}

static void ticker_stop(struct ticker *t)
{
    if (t->running) {
        pthread_mutex_lock(&t->mu);
        t->stop = 1;
        pthread_mutex_unlock(&t->mu);
        pthread_join(t->th, NULL);
        pthread_mutex_destroy(&t->mu);
    }
    mem_free(t->size);
    t->size = NULL;
    t->running = 0;
}

/* Import the files, unless the last import stored exactly these. */
static int stage_import(const struct opts *o, const char *tdir,
                        struct store *s, struct progress *p,
                        struct summary *sum, struct err *e)
{
    char (*hex)[65] = mem_calloc((size_t)o->nfiles, sizeof *hex);
    const char **hp = mem_calloc((size_t)o->nfiles, sizeof *hp);
    char schema[PATH_MAX + 32], line[128];
    struct imp_opts io;
    struct imp_stats st;
    struct diag d;
    int rc = hex && hp ? ERR_OK : err_set(e, ERR_NOMEM, "out of memory");

    progress_begin(p, "import", "MB", input_mb(o));
    if (!rc && !(rc = hash_inputs(o, hex, e))) {
        for (int i = 0; i < o->nfiles; i++)
            hp[i] = hex[i];
        rc = store_imports_are(s, hp, o->nfiles, &sum->import_skipped, e);
    }
    if (!rc && !sum->import_skipped) {
        struct ticker t;
        snprintf(schema, sizeof schema, "%s/schema/erp.xsd", tdir);
        memset(&io, 0, sizeof io);
        io.schema = schema;
        io.expect_period = o->period;
        io.allow_older = o->allow_older;
        diag_init(&d, IMP_MAX_DIAG);
        ticker_start(&t, o, p);
        rc = imp_run(s, (const char *const *)o->files, o->nfiles, &io, &st,
                     &d, e);
        ticker_stop(&t);
        cli_print_diag(&d);
        diag_free(&d);
        if (!rc)
            sum->records = st.records;
    }
    mem_free(hex);
    mem_free(hp);
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
    struct pipe_score_opts po;
    struct pipe_score_stats ps;
    char line[96];
    int rc;

    memset(&po, 0, sizeof po);
    period_parse(o->period, &po.per);
    po.templates = tdir;
    po.out = o->out;
    po.allow_empty = o->allow_empty;
    po.font = o->font;
    po.families = o->families[0] ? o->families : NULL;
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
    struct render_opts bo;
    int rc;

    memset(&bo, 0, sizeof bo);
    bo.db = cli_db_path(o->db);
    bo.out = o->out;
    bo.templates = tdir;
    bo.font = o->font;
    bo.families = o->families[0] ? o->families : NULL;
    period_parse(o->period, &bo.per);
    bo.jobs = (int)o->jobs;
    bo.kinds = RENDER_PERSONS | RENDER_REGIONS | RENDER_PACKETS;
    bo.progress = p;
    bo.on_error = on_error;
    rc = render_run(&bo, &sum->bs, e);
    sum->secs[2] = sum->bs.plan_s + sum->bs.render_s;
    return rc;
}

static void print_summary(const struct opts *o, const struct summary *s)
{
    char pm[8];
    struct period per;

    period_parse(o->period, &per);
    period_format(&per, pm);
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
    struct summary sum;
    struct store *s = NULL;
    char tdir[PATH_MAX];
    struct err e;
    int rc;

    memset(&sum, 0, sizeof sum);
    err_clear(&e);
    progress_init(&p, stderr, progress_choose(o->quiet, cli_stderr_tty()));
    if ((rc = cli_templates_dir(o->templates, tdir, sizeof tdir, &e)) ||
        (rc = cli_families_file(o->fonts, o->families, sizeof o->families,
                                &e)) ||
        (rc = store_open(cli_db_path(o->db), STORE_TENTATIVE, &s, &e)) ||
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
    struct opts o;
    struct period per;
    int st;

    memset(&o, 0, sizeof o);
    o.out = "out";
    o.files = mem_calloc((size_t)(argc > 0 ? argc : 1), sizeof *o.files);
    if (!o.files) {
        fprintf(stderr, "keqing: run: out of memory\n");
        return 70;
    }
    st = parse(argc, argv, &o);
    if (st < 0 && period_parse(o.period, &per))
        st = cli_usage("run", "--period '%s' is not a month YYYY-MM",
                       o.period);
    if (st < 0)
        st = run(&o);
    mem_free(o.files);
    return st;
}
