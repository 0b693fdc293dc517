/* cmd_render -- `keqing render --period YYYY-MM [--db PATH] [--out DIR]
 * [--templates DIR] [--font FILE[:INDEX]] [--jobs N]
 * [--only persons,regions,packets] [--duplex]`: draw the PDFs of a scored
 * period from its stored results (shared/spec/cli.md).
 *
 * Writes, each atomically: the person sheets OUT/YYYY-MM/persons/<id>.pdf,
 * the region summary sheets OUT/YYYY-MM/regions/<region_id>.pdf for every
 * node of the region tree, and the packets OUT/YYYY-MM/packets/
 * <region_id>.pdf (summary + every member's sheet, bookmarks, packet-wide
 * page numbers; --duplex starts each sheet on a front page).  Without
 * --only all three.
 *
 * The templates (sheet/person.xml, sheet/region.xml, roles/) and the font
 * are loaded once per run, before any worker starts.  With --jobs N
 * (default: the number of CPUs) N worker processes are forked, each with
 * its own database connection: worker k renders persons and regions k,
 * k + N, k + 2N ... of the id-sorted / tree-ordered lists, and the packets
 * given to it by a longest-first assignment on the packets' sizes (the
 * root's packet holds everyone); the files are byte-identical to --jobs 1.
 * A document that cannot be drawn (a character the font lacks) is
 * reported and the others are still rendered; the exit status is then
 * 65.
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
#include "mem.h"
#include "packet.h"
#include "roles.h"
#include "sheet_data.h"
#include "sheet_person.h"
#include "sheet_region.h"
#include "store.h"
#include "store_region.h"
#include "store_sheet.h"
#include "tmpl_region.h"
#include "tmpl_sheet.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_JOBS 256

static const char usage_text[] =
    "Usage: keqing render --period YYYY-MM [--db PATH] [--out DIR]\n"
    "                     [--templates DIR] [--font FILE[:INDEX]] [--jobs N]\n"
    "                     [--only persons,regions,packets] [--duplex]\n"
    "\n"
    "Draw the PDFs of a scored period from the stored results: each assessed\n"
    "person's sheet in OUT/YYYY-MM/persons/<person_id>.pdf, each region's\n"
    "summary in OUT/YYYY-MM/regions/<region_id>.pdf and each region's packet\n"
    "(summary + every member's sheet, bookmarked) in\n"
    "OUT/YYYY-MM/packets/<region_id>.pdf.  The same data always gives\n"
    "byte-identical files.\n"
    "\n"
    "  --period YYYY-MM   the month to render (required; run score first)\n"
    "  --db PATH          database (default $KEQING_DB or keqing.db)\n"
    "  --out DIR          output folder (default out)\n"
    "  --templates DIR    templates folder (sheet/person.xml,\n"
    "                     sheet/region.xml, roles/)\n"
    "  --font FILE[:N]    TrueType CJK face (default $KEQING_FONT, else\n"
    "                     fontconfig: WenQuanYi Micro Hei, with Zen Hei\n"
    "                     for the characters it lacks)\n"
    "  --jobs N           worker processes (default: number of CPUs)\n"
    "  --only LIST        what to render, comma-separated: persons,\n"
    "                     regions, packets (default: all three)\n"
    "  --duplex           packets for two-sided printing: every person's\n"
    "                     sheet starts on a front page (blank backs added)\n";

struct opts {
    const char *period, *db, *out, *templates, *font, *only;
    long jobs;
    int duplex;
};

/* What to render (--only). */
struct kinds {
    int persons, regions, packets;
};

/* Everything a worker needs, loaded once before forking. */
struct run {
    struct period per;
    char pm[8];
    const char *db;
    char dir[PATH_MAX];         /* OUT/YYYY-MM/persons */
    char rdir[PATH_MAX];        /* OUT/YYYY-MM/regions */
    char pdir[PATH_MAX];        /* OUT/YYYY-MM/packets */
    struct kinds k;
    int duplex;
    struct tmpl tmpl;
    struct tmpl_region rtmpl;
    struct roles roles;
    struct font *font;
    size_t count;               /* persons of the period */
    size_t nregion;             /* regions of the period */
    int *packet_worker;         /* owned: the worker of each packet */
};

/* Totals of one worker (or of the run). */
struct tally {
    long sheets, failed;
    long regions, packets, packet_pages;
    long long bytes, rbytes, pbytes;
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
        else if (!strcmp(argv[i], "--duplex"))
            o->duplex = 1;
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

/* Check --only: 0 and *k set (all three without --only), or an exit
 * status. */
static int parse_only(const char *only, struct kinds *k)
{
    const char *p = only;
    k->persons = k->regions = k->packets = !only;
    while (p && *p) {
        size_t n = strcspn(p, ",");
        if (n == 7 && !strncmp(p, "persons", 7))
            k->persons = 1;
        else if (n == 7 && !strncmp(p, "regions", 7))
            k->regions = 1;
        else if (n == 7 && !strncmp(p, "packets", 7))
            k->packets = 1;
        else
            return cli_usage("render", "--only: unknown kind '%.*s' (persons, "
                             "regions, packets)", (int)n, p);
        p += n + (p[n] == ',');
    }
    if (!k->persons && !k->regions && !k->packets)
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

/* The path of region i's document in dir, or "" (a failure counted in
 * t) when its id cannot be a file name. */
static int region_path(struct run *r, struct store_region *rg, size_t i,
                       const char *dir, char *path, size_t n,
                       struct tally *t)
{
    const char *id = store_region_id(rg, i);
    struct err e;

    if (safe_name(id)) {
        snprintf(path, n, "%s/%s.pdf", dir, id);
        return 1;
    }
    err_clear(&e);
    err_set(&e, ERR_DATA, "region '%s': the id cannot be a file name", id);
    note_fail(t, &e);
    (void)r;
    return 0;
}

/* Render region i's summary.  ERR_OK, or the error (already counted in
 * t) that should stop the worker (anything but bad data). */
static int render_region(struct run *r, struct store_sheet *sh,
                         struct store_region *rg, size_t i, struct tally *t)
{
    struct region_data d;
    char path[PATH_MAX + 80];
    size_t bytes = 0;
    struct err e;
    int rc;

    if (!region_path(r, rg, i, r->rdir, path, sizeof path, t))
        return ERR_OK;
    err_clear(&e);
    rc = store_region_read(rg, i, r->rtmpl.max_risks, &d, &e);
    d.company = store_sheet_company(sh);
    d.source = store_sheet_source(sh);
    if (!rc)
        rc = sheet_region_write(&r->rtmpl, r->font, &r->roles, &d, path,
                                &bytes, &e);
    store_region_data_free(&d);
    if (rc) {
        unlink(path);   /* no stale summary of an earlier run */
        note_fail(t, &e);
        return rc == ERR_DATA ? ERR_OK : rc;
    }
    t->regions++;
    t->rbytes += (long long)bytes;
    return ERR_OK;
}

/* Render region i's packet (as render_region). */
static int render_packet(struct run *r, struct store_sheet *sh,
                         struct store_region *rg, size_t i, struct tally *t)
{
    struct packet_ctx c = {&r->tmpl, &r->rtmpl, r->font, &r->roles, sh, rg,
                           r->duplex};
    char path[PATH_MAX + 80];
    struct stat st;
    struct err e;
    int rc, pages = 0;

    if (!region_path(r, rg, i, r->pdir, path, sizeof path, t))
        return ERR_OK;
    err_clear(&e);
    if ((rc = packet_write(&c, i, path, &pages, &e))) {
        unlink(path);
        note_fail(t, &e);
        return rc == ERR_DATA ? ERR_OK : rc;
    }
    t->packets++;
    t->packet_pages += pages;
    if (stat(path, &st) == 0)
        t->pbytes += (long long)st.st_size;
    return ERR_OK;
}

/* Worker k of step: persons and regions k, k + step, ..., and the packets
 * assigned to k, with a connection of our own. */
static void work(struct run *r, size_t k, size_t step, struct tally *t)
{
    struct store *s = NULL;
    struct store_sheet *rd = NULL;
    struct store_region *rg = NULL;
    struct err e;
    int rc = ERR_OK;

    memset(t, 0, sizeof *t);
    err_clear(&e);
    if (store_open(r->db, STORE_READONLY, &s, &e) ||
        store_sheet_open(s, &r->per, &rd, &e) ||
        ((r->k.regions || r->k.packets) &&
         store_region_open(s, &r->per, &rg, &e))) {
        note_fail(t, &e);
        goto out;
    }
    for (size_t i = k; r->k.persons && i < store_sheet_count(rd) && !rc;
         i += step)
        rc = render_one(r, rd, i, t);
    for (size_t i = k; r->k.regions && i < r->nregion && !rc; i += step)
        rc = render_region(r, rd, rg, i, t);
    for (size_t i = 0; r->k.packets && i < r->nregion && !rc; i++)
        if (r->packet_worker[i] == (int)k)
            rc = render_packet(r, rd, rg, i, t);
out:
    store_region_close(rg);
    store_sheet_close(rd);
    store_close(s);
}

/* ---- workers ---------------------------------------------------------------- */

static void add_tally(struct tally *sum, const struct tally *t)
{
    sum->sheets += t->sheets;
    sum->failed += t->failed;
    sum->bytes += t->bytes;
    sum->regions += t->regions;
    sum->rbytes += t->rbytes;
    sum->packets += t->packets;
    sum->packet_pages += t->packet_pages;
    sum->pbytes += t->pbytes;
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

/* Give each packet a worker: largest first (members + 1), each to the
 * least loaded worker (the lowest on a tie).  Deterministic; the files do
 * not depend on it. */
static int assign_packets(struct run *r, struct store_region *rg, size_t n,
                          struct err *e)
{
    long long load[MAX_JOBS] = {0};
    char *done = mem_calloc(r->nregion + 1, 1);

    r->packet_worker = mem_calloc(r->nregion + 1, sizeof *r->packet_worker);
    if (!done || !r->packet_worker) {
        mem_free(done);
        return err_set(e, ERR_NOMEM, "render: out of memory");
    }
    for (size_t a = 0; a < r->nregion; a++) {
        size_t best = 0, w = 0;
        for (size_t i = 0; i < r->nregion; i++) /* the largest left */
            if (!done[i] && (done[best] || store_region_people(rg, i) >
                                           store_region_people(rg, best)))
                best = i;
        for (size_t k = 1; k < n; k++)
            if (load[k] < load[w])
                w = k;
        done[best] = 1;
        r->packet_worker[best] = (int)w;
        load[w] += (long long)store_region_people(rg, best) + 1;
    }
    mem_free(done);
    return ERR_OK;
}

/* Load templates and font, count persons and regions (at most that many
 * jobs), create the folders, give the packets their workers. */
static int prepare(struct opts *o, struct run *r, struct err *e)
{
    char tdir[PATH_MAX];
    struct store *s = NULL;
    struct store_sheet *rd = NULL;
    struct store_region *rg = NULL;
    int rc;

    r->db = cli_db_path(o->db);
    period_format(&r->per, r->pm);
    if (strlen(o->out) > PATH_MAX - 40)
        return err_set(e, ERR_USAGE, "--out: path too long");
    snprintf(r->dir, sizeof r->dir, "%s/%s/persons", o->out, r->pm);
    snprintf(r->rdir, sizeof r->rdir, "%s/%s/regions", o->out, r->pm);
    snprintf(r->pdir, sizeof r->pdir, "%s/%s/packets", o->out, r->pm);
    if ((rc = cli_templates_dir(o->templates, tdir, sizeof tdir, e)) ||
        (rc = tmpl_load_person(tdir, &r->tmpl, e)) ||
        ((r->k.regions || r->k.packets) &&
         (rc = tmpl_region_load(tdir, &r->rtmpl, e))) ||
        (rc = roles_load_dir(tdir, &r->roles, e)) ||
        (rc = store_open(r->db, STORE_READONLY, &s, e)) ||
        (rc = store_sheet_open(s, &r->per, &rd, e)) ||
        ((r->k.regions || r->k.packets) &&
         (rc = store_region_open(s, &r->per, &rg, e))))
        goto out;
    r->count = store_sheet_count(rd);
    r->nregion = rg ? store_region_count(rg) : 0;
    if (o->jobs > (long)(r->count > r->nregion ? r->count : r->nregion))
        o->jobs = (long)(r->count > r->nregion ? r->count : r->nregion);
    if (o->jobs < 1)
        o->jobs = 1;
    if ((rc = font_open_chain(&r->font, o->font, NULL, e)) ||
        (rc = sheet_check_template(&r->tmpl, r->font, e)) ||
        ((r->k.regions || r->k.packets) &&
         (rc = sheet_region_check_template(&r->rtmpl, r->font, e))))
        goto out;
    if ((r->k.persons && (rc = fsx_mkdirs(r->dir, e))) ||
        (r->k.regions && (rc = fsx_mkdirs(r->rdir, e))) ||
        (r->k.packets && (rc = fsx_mkdirs(r->pdir, e))))
        goto out;
    if (r->k.packets)
        rc = assign_packets(r, rg, (size_t)o->jobs, e);
out:
    store_region_close(rg);
    store_sheet_close(rd);
    store_close(s);
    return rc;
}

/* The summary lines of the run. */
static void report(const struct run *r, const struct tally *sum,
                   const struct opts *o, double secs)
{
    if (r->k.persons)
        printf("render %s: %ld person sheets in %s (%lld bytes, %.2f s, %ld "
               "jobs)\n", r->pm, sum->sheets, r->dir, sum->bytes, secs,
               o->jobs);
    if (r->k.regions)
        printf("render %s: %ld region sheets in %s (%lld bytes)\n", r->pm,
               sum->regions, r->rdir, sum->rbytes);
    if (r->k.packets)
        printf("render %s: %ld packets in %s (%ld pages, %lld bytes%s)\n",
               r->pm, sum->packets, r->pdir, sum->packet_pages, sum->pbytes,
               r->duplex ? ", duplex" : "");
    if (!r->k.persons)
        printf("render %s: done in %.2f s, %ld jobs\n", r->pm, secs,
               o->jobs);
}

int cmd_render(int argc, char **argv)
{
    struct opts o;
    struct period per;
    struct run r;
    struct tally sum;
    struct err e;
    double t0 = cli_now(), secs;
    struct kinds k;
    int st = parse(argc, argv, &o), rc;

    if (st >= 0)
        return st;
    if (period_parse(o.period, &per))
        return cli_usage("render", "--period '%s' is not a month YYYY-MM",
                         o.period);
    if ((st = parse_only(o.only, &k)))
        return st;
    memset(&r, 0, sizeof r);
    r.per = per;
    r.k = k;
    r.duplex = o.duplex;
    memset(&sum, 0, sizeof sum);
    err_clear(&e);
    if ((rc = prepare(&o, &r, &e))) {
        st = cli_fail(&e);
        goto out;
    }
    if (o.jobs <= 1)
        work(&r, 0, 1, &sum);
    else if ((rc = run_forked(&r, (size_t)o.jobs, &sum)))
        sum.first_code = sum.first_code ? sum.first_code : rc;
    secs = cli_now() - t0;
    report(&r, &sum, &o, secs);
    if (sum.failed)
        fprintf(stderr, "keqing: render %s: %ld documents failed\n", r.pm,
                sum.failed);
    st = sum.first_code ? err_exit_code(sum.first_code) : 0;
out:
    font_close(r.font);
    roles_free(&r.roles);
    tmpl_free(&r.tmpl);
    tmpl_region_free(&r.rtmpl);
    mem_free(r.packet_worker);
    return st;
}
