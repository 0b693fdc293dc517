/* cmd_render -- `keqing render --period YYYY-MM [--db PATH] [--out DIR]
 * [--templates DIR] [--font FILE[:INDEX]] [--jobs N]
 * [--only persons,regions,packets]`: draw the PDFs of a scored period
 * from its stored results (shared/spec/cli.md).
 *
 * Implemented: the person sheets, OUT/YYYY-MM/persons/<person_id>.pdf,
 * each written atomically.  Region summaries and packets come with a later
 * issue: without --only the command renders what exists and says so;
 * asking for them explicitly exits 70.
 *
 * The sheet template, the role templates and the font are loaded once per
 * run, before any worker starts.  With --jobs N (default: the number of
 * CPUs) N worker processes are forked; worker k renders persons k, k + N,
 * k + 2N ... of the period's id-sorted list with its own database
 * connection, so the files are byte-identical to --jobs 1.  A person whose
 * sheet cannot be drawn (a character the font lacks) is reported and the
 * others are still rendered; the exit status is then 65.
 *
 * Exit status: 0; 64 usage; 65 bad data (unscored period, broken
 * template, text the font cannot show, an id that cannot be a file name);
 * 66 no database, templates or font; 70; 73 cannot create an output; 74;
 * 75 database busy.
 */
#include "cli.h"
#include "date.h"
#include "err.h"
#include "font.h"
#include "fsx.h"
#include "roles.h"
#include "sheet_data.h"
#include "sheet_person.h"
#include "store.h"
#include "store_sheet.h"
#include "tmpl_sheet.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_JOBS 256

static const char usage_text[] =
    "Usage: keqing render --period YYYY-MM [--db PATH] [--out DIR]\n"
    "                     [--templates DIR] [--font FILE[:INDEX]] [--jobs N]\n"
    "                     [--only persons,regions,packets]\n"
    "\n"
    "Draw the PDFs of a scored period from the stored results: each assessed\n"
    "person's sheet in OUT/YYYY-MM/persons/<person_id>.pdf.  The same data\n"
    "always gives byte-identical files.\n"
    "\n"
    "  --period YYYY-MM   the month to render (required; run score first)\n"
    "  --db PATH          database (default $KEQING_DB or keqing.db)\n"
    "  --out DIR          output folder (default out)\n"
    "  --templates DIR    templates folder (sheet/person.xml, roles/)\n"
    "  --font FILE[:N]    TrueType CJK face (default $KEQING_FONT, else\n"
    "                     fontconfig: WenQuanYi Micro Hei, with Zen Hei\n"
    "                     for the characters it lacks)\n"
    "  --jobs N           worker processes (default: number of CPUs)\n"
    "  --only LIST        what to render: persons (regions and packets are\n"
    "                     not implemented yet)\n";

struct opts {
    const char *period, *db, *out, *templates, *font, *only;
    long jobs;
};

/* Everything a worker needs, loaded once before forking. */
struct run {
    struct period per;
    char pm[8];
    const char *db;
    char dir[PATH_MAX];         /* OUT/YYYY-MM/persons */
    struct tmpl tmpl;
    struct roles roles;
    struct font *font;
    size_t count;               /* persons of the period */
};

/* Totals of one worker (or of the run). */
struct tally {
    long sheets, failed;
    long long bytes;
    int first_code;             /* err code of the first failure, or 0 */
};

/* Value of "--name VALUE" or "--name=VALUE" at argv[*i]; NULL if argv[*i]
 * is not that option.  *missing set when the value is absent. */
static const char *opt_value(int argc, char **argv, int *i, const char *name,
                             int *missing)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = 1;
        return NULL;
    }
    return argv[++*i];
}

static int parse(int argc, char **argv, struct opts *o)
{
    const char *jobs = NULL;
    memset(o, 0, sizeof *o);
    o->out = "out";
    for (int i = 1; i < argc; i++) {
        int missing = 0;
        const char *v;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage_text, stdout);
            return 0;
        }
        if ((v = opt_value(argc, argv, &i, "--period", &missing)))
            o->period = v;
        else if ((v = opt_value(argc, argv, &i, "--db", &missing)))
            o->db = v;
        else if ((v = opt_value(argc, argv, &i, "--out", &missing)))
            o->out = v;
        else if ((v = opt_value(argc, argv, &i, "--templates", &missing)))
            o->templates = v;
        else if ((v = opt_value(argc, argv, &i, "--font", &missing)))
            o->font = v;
        else if ((v = opt_value(argc, argv, &i, "--jobs", &missing)))
            jobs = v;
        else if ((v = opt_value(argc, argv, &i, "--only", &missing)))
            o->only = v;
        else if (missing)
            return cli_usage("render", "%s needs a value", argv[i]);
        else
            return cli_usage("render", "unknown option '%s'", argv[i]);
    }
    if (!o->period)
        return cli_usage("render", "--period YYYY-MM is required");
    if (jobs && cli_parse_long(jobs, 1, MAX_JOBS, &o->jobs))
        return cli_usage("render", "--jobs '%s' is not a number 1..%d", jobs,
                         MAX_JOBS);
    if (!jobs) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        o->jobs = n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : n;
    }
    return -1;
}

/* Check --only: 0 and *persons set, or an exit status. */
static int parse_only(const char *only, int *persons)
{
    const char *p = only;
    *persons = 1;
    if (!only) {
        printf("render: region summaries and packets are not implemented "
               "yet; rendering the person sheets only\n");
        return 0;
    }
    *persons = 0;
    while (*p) {
        size_t n = strcspn(p, ",");
        if (n == 7 && !strncmp(p, "persons", 7))
            *persons = 1;
        else if ((n == 7 && !strncmp(p, "regions", 7)) ||
                 (n == 7 && !strncmp(p, "packets", 7))) {
            fprintf(stderr, "keqing: render: --only %.*s: not implemented "
                    "yet (persons only)\n", (int)n, p);
            return 70;
        } else
            return cli_usage("render", "--only: unknown kind '%.*s' (persons, "
                             "regions, packets)", (int)n, p);
        p += n + (p[n] == ',');
    }
    if (!*persons)
        return cli_usage("render", "--only: nothing to render");
    return 0;
}

/* 1 when id is usable as a file name in the persons folder. */
static int safe_name(const char *id)
{
    return id[0] && id[0] != '.' && !strchr(id, '/') && strlen(id) <= 64;
}

/* ---- one person, one worker ------------------------------------------------ */

static void note_fail(struct tally *t, const struct err *e)
{
    t->failed++;
    if (!t->first_code)
        t->first_code = e->code;
    cli_fail(e);
}

/* Render person i.  ERR_OK, or the error (already counted in t) that
 * should stop the worker (anything but bad data). */
static int render_one(struct run *r, struct store_sheet *rd, size_t i,
                      struct tally *t)
{
    struct sheet_data d;
    const struct role *role;
    char path[PATH_MAX + 80] = "";
    size_t bytes = 0;
    struct err e;
    int rc;

    err_clear(&e);
    rc = store_sheet_read(rd, i, &d, &e);
    if (!rc && !safe_name(d.person_id))
        rc = err_set(&e, ERR_DATA, "person '%s': the id cannot be a file "
                     "name", d.person_id);
    if (!rc) {
        role = roles_find(&r->roles, d.role);
        d.team_weight = role ? role->team_weight : 0;
        snprintf(path, sizeof path, "%s/%s.pdf", r->dir, d.person_id);
        rc = sheet_person_write(&r->tmpl, r->font, &d, path, &bytes, &e);
    }
    if (rc && path[0])
        unlink(path);   /* no stale sheet of an earlier run under the name */
    sheet_data_free(&d);
    if (rc) {
        note_fail(t, &e);
        return rc == ERR_DATA ? ERR_OK : rc;
    }
    t->sheets++;
    t->bytes += (long long)bytes;
    return ERR_OK;
}

/* Render persons k, k + step, ... with a connection of our own. */
static void work(struct run *r, size_t k, size_t step, struct tally *t)
{
    struct store *s = NULL;
    struct store_sheet *rd = NULL;
    struct err e;

    memset(t, 0, sizeof *t);
    err_clear(&e);
    if (store_open(r->db, STORE_READONLY, &s, &e) ||
        store_sheet_open(s, &r->per, &rd, &e)) {
        note_fail(t, &e);
    } else {
        for (size_t i = k; i < store_sheet_count(rd); i += step)
            if (render_one(r, rd, i, t))
                break;
    }
    store_sheet_close(rd);
    store_close(s);
}

/* ---- workers ---------------------------------------------------------------- */

static void add_tally(struct tally *sum, const struct tally *t)
{
    sum->sheets += t->sheets;
    sum->failed += t->failed;
    sum->bytes += t->bytes;
    if (!sum->first_code)
        sum->first_code = t->first_code;
}

/* Fork n workers; each sends its tally back through a pipe. */
static int run_forked(struct run *r, size_t n, struct tally *sum)
{
    pid_t pid[MAX_JOBS];
    int fd[MAX_JOBS], started = 0, rc = ERR_OK;

    fflush(stdout);
    fflush(stderr);
    for (size_t k = 0; k < n; k++) {
        int p[2];
        if (pipe(p))
            break;
        if ((pid[k] = fork()) < 0) {
            close(p[0]);
            close(p[1]);
            break;
        }
        if (pid[k] == 0) {
            struct tally t;
            close(p[0]);
            work(r, k, n, &t);
            if (write(p[1], &t, sizeof t) != (ssize_t)sizeof t)
                _exit(74);
            close(p[1]);
            fflush(stderr);
            _exit(0);
        }
        close(p[1]);
        fd[k] = p[0];
        started++;
    }
    for (int k = 0; k < started; k++) {
        struct tally t;
        int status = 0;
        ssize_t got = read(fd[k], &t, sizeof t);
        close(fd[k]);
        while (waitpid(pid[k], &status, 0) < 0 && errno == EINTR)
            ;
        if (got != (ssize_t)sizeof t || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0) {
            fprintf(stderr, "keqing: render: worker %d failed\n", k + 1);
            rc = ERR_INTERNAL;
            continue;
        }
        add_tally(sum, &t);
    }
    if ((size_t)started < n) {
        fprintf(stderr, "keqing: render: cannot start worker %d: %s\n",
                started + 1, strerror(errno));
        rc = ERR_INTERNAL;
    }
    return rc;
}

/* ---- set-up ------------------------------------------------------------------ */

/* Load templates and font, count the persons, create the folder. */
static int prepare(const struct opts *o, struct run *r, struct err *e)
{
    char tdir[PATH_MAX];
    struct store *s = NULL;
    struct store_sheet *rd = NULL;
    int rc;

    r->db = cli_db_path(o->db);
    period_format(&r->per, r->pm);
    if (strlen(o->out) > PATH_MAX - 40)
        return err_set(e, ERR_USAGE, "--out: path too long");
    snprintf(r->dir, sizeof r->dir, "%s/%s/persons", o->out, r->pm);
    if ((rc = cli_templates_dir(o->templates, tdir, sizeof tdir, e)) ||
        (rc = tmpl_load_person(tdir, &r->tmpl, e)) ||
        (rc = roles_load_dir(tdir, &r->roles, e)) ||
        (rc = store_open(r->db, STORE_READONLY, &s, e)) ||
        (rc = store_sheet_open(s, &r->per, &rd, e)))
        goto out;
    r->count = store_sheet_count(rd);
    if ((rc = font_open_chain(&r->font, o->font, NULL, e)) ||
        (rc = sheet_check_template(&r->tmpl, r->font, e)))
        goto out;
    rc = fsx_mkdirs(r->dir, e);
out:
    store_sheet_close(rd);
    store_close(s);
    return rc;
}

int cmd_render(int argc, char **argv)
{
    struct opts o;
    struct period per;
    struct run r;
    struct tally sum;
    struct err e;
    double t0 = cli_now(), secs;
    int st = parse(argc, argv, &o), persons, rc;

    if (st >= 0)
        return st;
    if (period_parse(o.period, &per))
        return cli_usage("render", "--period '%s' is not a month YYYY-MM",
                         o.period);
    if ((st = parse_only(o.only, &persons)))
        return st;
    memset(&r, 0, sizeof r);
    r.per = per;
    memset(&sum, 0, sizeof sum);
    err_clear(&e);
    if ((rc = prepare(&o, &r, &e))) {
        st = cli_fail(&e);
        goto out;
    }
    if (o.jobs > (long)r.count)
        o.jobs = r.count ? (long)r.count : 1;
    if (o.jobs <= 1)
        work(&r, 0, 1, &sum);
    else if ((rc = run_forked(&r, (size_t)o.jobs, &sum)))
        sum.first_code = sum.first_code ? sum.first_code : rc;
    secs = cli_now() - t0;
    printf("render %s: %ld person sheets in %s (%lld bytes, %.2f s, %ld "
           "jobs)\n", r.pm, sum.sheets, r.dir, sum.bytes, secs, o.jobs);
    if (sum.failed)
        fprintf(stderr, "keqing: render %s: %ld of %zu sheets failed\n",
                r.pm, sum.failed, r.count);
    st = sum.first_code ? err_exit_code(sum.first_code) : 0;
out:
    font_close(r.font);
    roles_free(&r.roles);
    tmpl_free(&r.tmpl);
    return st;
}
