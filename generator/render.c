/* batch -- a period rendered as a numbered, registered, resumable archive
 * (see render.h for the steps and the guarantees).
 *
 * Processes: the parent plans, allocates the numbers, forks the workers,
 * collects one message per document through each worker's pipe, records
 * the issued files in the registry and writes the manifest.  Workers get
 * the plan by fork (copy-on-write), open their own read-only database
 * connection, never touch the parent's, and die with the parent
 * (PR_SET_PDEATHSIG): a killed run leaves no worker behind writing.
 */
#include "render.h"
#include "period.h"
#include "render_int.h"
#include "err.h"
#include "fsx.h"
#include "render_manifest.h"
#include "render_xlsx.h"
#include "hook.h"
#include "stop.h"
#include "mem.h"
#include "pipeline.h"
#include "progress.h"
#include "store.h"
#include "store_period.h"
#include "store_registry.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef KQ_VERSION
#define KQ_VERSION "0"
#endif

/* Registry writes per transaction, and seconds between commits. */
#define ISSUE_BATCH 256
#define ISSUE_EVERY 1.0
/* A person's attached CSV: at most this many bytes. */
#define CSV_MAX ((size_t)64 << 10)
/* Files in one templates sub-folder. */
#define TMPL_FILES_MAX 1024

/* ---- temporary files of dead runs -------------------------------------------- */

/* 1 when process pid is gone: no such process, or a zombie (killed, not
 * yet reaped: it writes nothing any more). */
static int process_gone(long pid)
{
    char path[64], buf[256], *close_paren;
    FILE *fp;
    size_t n;

    if (kill((pid_t)pid, 0) != 0)
        return errno == ESRCH;
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    if (!(fp = fopen(path, "r")))
        return 0;
    n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    close_paren = strrchr(buf, ')');   /* "pid (comm) S ..." */
    return close_paren && (close_paren[1] == ' ') &&
           (close_paren[2] == 'Z' || close_paren[2] == 'X');
}

int render_clean_temps(const char *dir)
{
    char path[PATH_MAX + 260];
    struct dirent *de;
    DIR *dp = opendir(dir);
    int removed = 0;

    if (!dp)
        return 0;
    while ((de = readdir(dp))) {
        const char *t = strstr(de->d_name, ".tmp.");
        char *end;
        long pid;
        if (de->d_name[0] != '.' || !t)
            continue;
        while (strstr(t + 1, ".tmp."))
            t = strstr(t + 1, ".tmp.");
        errno = 0;
        pid = strtol(t + 5, &end, 10);
        if (errno || *end || pid <= 0 || pid > INT_MAX || !process_gone(pid))
            continue;               /* a live run's file, or not fsx's */
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (unlink(path) == 0)
            removed++;
    }
    closedir(dp);
    return removed;
}

/* ---- the run ---------------------------------------------------------------- */

/* One worker's report of one document (a pipe write of < PIPE_BUF bytes
 * is atomic). */
struct msg {
    size_t index;
    int code;                   /* ERR_OK or the failure */
    int kept;                   /* 1: up to date, not redone */
    int pages;                  /* a packet's */
    long long bytes;
    char sha256[65];
    struct render_boxes boxes;  /* for the registry (issue 14) */
    char text[1024];            /* the failure's message */
};

_Static_assert(sizeof(struct msg) < PIPE_BUF, "pipe messages are atomic");

/* Load what every document needs, once, before the workers start. */
static int prepare(struct render_job *j, struct err *e)
{
    const struct render_opts *o = j->o;
    int rc;

    period_format(&o->per, j->pm);
    if (strlen(o->out) > PATH_MAX - 64)
        return err_set(e, ERR_USAGE, "--out: path too long");
    snprintf(j->dir, sizeof j->dir, "%s/%s", o->out, j->pm);
    if ((rc = render_doc_prepare(j, e)) ||
        (rc = store_open(o->db, STORE_MUST_EXIST, &j->s, e)) ||
        (rc = pipe_require_period(j->s, &o->per, e)) ||
        (rc = store_registry_id(j->s, j->registry, e)))
        return rc;
    /* what is issued now shows the data as of the period's newest export */
    {
        struct store_exports x;
        if ((rc = store_period_exports(j->s, j->pm, &x, e)))
            return rc;
        memcpy(j->source, x.newest, sizeof j->source);
    }
    return ERR_OK;
}

static const char *const kind_dirs[] = {"persons", "regions", "packets"};

/* Remove the temporaries of dead runs from the period's folders: at the
 * start, and again at the end (a killed run's workers may still have
 * been dying when this run started). */
static void clean_all(struct render_job *j)
{
    char dir[PATH_MAX + 16];

    render_clean_temps(j->dir);
    for (int k = 0; k < 3; k++) {
        snprintf(dir, sizeof dir, "%s/%s", j->dir, kind_dirs[k]);
        render_clean_temps(dir);
    }
}

/* The period's folder and those of the kinds rendered. */
static int make_dirs(struct render_job *j, struct err *e)
{
    char dir[PATH_MAX + 16];
    int rc = fsx_mkdirs(j->dir, e);

    for (int k = 0; k < 3 && !rc; k++) {
        if (!(j->o->kinds & (1 << k)))
            continue;
        snprintf(dir, sizeof dir, "%s/%s", j->dir, kind_dirs[k]);
        rc = fsx_mkdirs(dir, e);
    }
    clean_all(j);
    return rc;
}

/* Plan every document from one committed state of the database (a read
 * transaction: an import or score that commits meanwhile waits). */
static int plan(struct render_job *j, struct err *e)
{
    struct render_readers rd;
    struct progress *p = j->o->progress;
    int rc = store_read_begin(j->s, e);

    if (!rc)
        rc = render_readers_open(j, j->s, &rd, e);
    else
        memset(&rd, 0, sizeof rd);
    if (p)
        progress_begin(p, "plan", "documents", 0);
    if (!rc)
        rc = render_doc_plan(j, &rd, e);
    render_readers_close(&rd);
    store_read_end(j->s);
    if (p) {
        progress_set(p, (long long)j->n);
        progress_end(p, NULL);
    }
    return rc;
}

/* ---- one document, in a worker --------------------------------------------- */

/* 1 when the file of an issued doc is on disk with its registered size
 * and hash (hash_it 0: the size only). */
static int up_to_date(const struct render_job *j, const struct store_doc *d,
                      int hash_it)
{
    char path[PATH_MAX + STORE_DOC_PATH_MAX], hex[65];
    long long bytes = 0;
    struct stat sb;
    struct err e;

    if (d->status != STORE_DOC_ISSUED || !d->sha256[0])
        return 0;
    snprintf(path, sizeof path, "%s/%s", j->dir, d->path);
    if (stat(path, &sb) || sb.st_size != d->bytes)
        return 0;
    if (!hash_it)
        return 1;
    return fsx_sha256_file(path, hex, &bytes, &e) == ERR_OK &&
           bytes == d->bytes && !strcmp(hex, d->sha256);
}

/* Do document i: keep it, or draw and write it; fill m. */
static void do_doc(struct render_job *j, struct render_readers *rd, size_t i,
                   struct msg *m)
{
    const struct store_doc *d = &j->docs[i];
    struct err e;

    memset(m, 0, sizeof *m);
    m->index = i;
    err_clear(&e);
    if (up_to_date(j, d, 1)) {
        m->kept = 1;
        m->bytes = d->bytes;
        memcpy(m->sha256, d->sha256, 65);
        return;
    }
    m->code = render_doc_write(j, rd, i, m->sha256, &m->bytes, &m->pages,
                               &m->boxes, &e);
    if (m->code)
        snprintf(m->text, sizeof m->text, "%s", e.msg);
}

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t k = write(fd, c, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        c += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Sheets a worker writes before one device flush makes them all durable
 * and renames them into place (fsx_batch). */
#define WORKER_SYNC 64

/* Commit the worker's batch of files and send their reports; when the
 * commit fails, each of them is reported failed instead.  0, or -1 when
 * the parent can no longer be told. */
static int release_held(struct fsx_batch *out, struct msg *held,
                        size_t *nheld, int fd)
{
    struct err e;
    int rc;

    if (*nheld == 0)
        return 0;
    err_clear(&e);
    rc = fsx_batch_commit(out, &e);
    for (size_t i = 0; i < *nheld; i++) {
        if (rc) {
            held[i].code = rc;
            snprintf(held[i].text, sizeof held[i].text, "%s", e.msg);
        }
        if (write_all(fd, &held[i], sizeof held[i])) {
            *nheld = 0;
            return -1;
        }
    }
    *nheld = 0;
    return 0;
}

/* A worker: takes the next document of j->order from the shared
 * counter next (so a long packet does not hold up a fixed share of the
 * others) until none is left; reports through fd. */
static void worker(struct render_job *j, size_t *next, int fd)
{
    struct render_readers rd;
    struct msg m;
    struct err e;

    struct fsx_batch out;
    struct msg *held = NULL;   /* reports of files waiting in out */
    size_t nheld = 0;
    int stop = 0;

    err_clear(&e);
    fsx_batch_init(&out);
    if (render_readers_open(j, NULL, &rd, &e)) {
        memset(&m, 0, sizeof m);
        m.index = (size_t)-1;
        m.code = e.code;
        snprintf(m.text, sizeof m.text, "%s", e.msg);
        (void)write_all(fd, &m, sizeof m);
        render_readers_close(&rd);
        return;
    }
    held = mem_calloc(WORKER_SYNC, sizeof *held);
    rd.out = held ? &out : NULL;   /* without memory: one sync per file */
    while (!stop) {
        size_t k, before;
        if (stop_requested())
            break;              /* SIGTERM/SIGINT: between documents */
        k = __atomic_fetch_add(next, 1, __ATOMIC_RELAXED);
        if (k >= j->n)
            break;
        if (!j->item[j->order[k]].draw)
            continue;
        before = fsx_batch_count(&out);
        do_doc(j, &rd, j->order[k], &m);
        if (!m.code && fsx_batch_count(&out) > before) {
            /* reported once it stands under its final name */
            held[nheld++] = m;
            if (nheld == WORKER_SYNC && release_held(&out, held, &nheld, fd))
                break;
            continue;
        }
        if (write_all(fd, &m, sizeof m))
            break;
        /* bad data, and data that changed since the plan, let the worker
         * go on; anything else (disk full, no memory) stops it */
        if (m.code && m.code != ERR_DATA && m.code != ERR_BUSY)
            stop = 1;
    }
    (void)release_held(&out, held, &nheld, fd);
    fsx_batch_abort(&out);
    mem_free(held);
    render_readers_close(&rd);
}

/* ---- the parent: workers and the registry ------------------------------------ */

struct collect {
    struct render_job *j;
    struct render_stats *st;
    const pid_t *pid;           /* the workers, to pass a stop on */
    int npid, forwarded;
    int in_tx;
    size_t pending;             /* issue writes in the open transaction */
    double last_commit;
    long done;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int flush_issues(struct collect *c, struct err *e)
{
    int rc = ERR_OK;
    if (c->in_tx)
        rc = store_commit(c->j->s, e);
    c->in_tx = 0;
    c->pending = 0;
    c->last_commit = now_s();
    return rc;
}

static void report(struct collect *c, int code, const char *text)
{
    struct err e;
    err_set(&e, code, "%s", text);
    if (!c->st->first_code)
        c->st->first_code = code;
    if (c->j->o->on_error)
        c->j->o->on_error(c->j->o->ctx, &e);
}

/* The boxes a worker drew into the registry. */
static int register_boxes(struct store *s, const char *number,
                          const struct render_boxes *bx, struct err *e)
{
    struct store_doc_box b[STORE_BOX_MAX];
    int n = bx->n < STORE_BOX_MAX ? bx->n : STORE_BOX_MAX;

    for (int i = 0; i < n; i++) {
        b[i].page = bx->box[i].page;
        snprintf(b[i].name, sizeof b[i].name, "%s", bx->box[i].name);
        b[i].x0 = bx->box[i].x0;
        b[i].y0 = bx->box[i].y0;
        b[i].x1 = bx->box[i].x1;
        b[i].y1 = bx->box[i].y1;
    }
    return store_registry_boxes(s, number, bx->pages, b, n, e);
}

/* Take one message: count it, register an issued file. */
static int take(struct collect *c, const struct msg *m, struct err *e)
{
    struct store_doc *d;
    int rc;

    if (m->index == (size_t)-1 || m->index >= c->j->n) {
        c->j->fatal = 1;        /* a worker could not start */
        return err_set(e, m->code ? m->code : ERR_INTERNAL, "%s", m->text);
    }
    d = &c->j->docs[m->index];
    c->done++;
    if (m->code) {
        c->st->failed++;
        if (m->code == ERR_BUSY)
            c->st->changed++;   /* the data changed since the plan */
        if (m->code != ERR_DATA)
            c->j->fatal = 1;    /* the period is not complete: no manifest */
        report(c, m->code, m->text);
        return ERR_OK;
    }
    c->j->in_place[m->index] = 1;
    if (m->kept) {
        c->st->kept++;
        c->st->up[d->kind]++;
        c->st->kind_bytes[d->kind] += m->bytes;
        return ERR_OK;
    }
    if (!c->in_tx) {
        if ((rc = store_begin(c->j->s, e)))
            return rc;
        c->in_tx = 1;
    }
    if ((rc = store_registry_issue(c->j->s, d->number, m->sha256, m->bytes,
                                   e)) ||
        (rc = register_boxes(c->j->s, d->number, &m->boxes, e)))
        return rc;
    memcpy(d->sha256, m->sha256, 65);
    d->bytes = m->bytes;
    d->status = STORE_DOC_ISSUED;
    c->st->rendered++;
    c->st->bytes += m->bytes;
    c->st->written[d->kind]++;
    c->st->kind_bytes[d->kind] += m->bytes;
    c->st->packet_pages += m->pages;
    hook_point("render-doc");
    if (++c->pending >= ISSUE_BATCH || now_s() - c->last_commit > ISSUE_EVERY)
        return flush_issues(c, e);
    return ERR_OK;
}

/* Read messages from the workers' pipes until every one is closed. */
static int collect_all(struct collect *c, int *fd, int n, struct err *e)
{
    struct pollfd pf[RENDER_MAX_JOBS];
    int open = n, rc = ERR_OK;

    for (int k = 0; k < n; k++) {
        pf[k].fd = fd[k];
        pf[k].events = POLLIN;
    }
    while (open > 0) {
        /* a stop asked of the parent alone (kill PID) reaches the workers
         * too: each finishes the document it draws and ends */
        if (stop_requested() && !c->forwarded) {
            for (int k = 0; k < c->npid; k++)
                kill(c->pid[k], SIGTERM);
            c->forwarded = 1;
        }
        if (poll(pf, (nfds_t)n, 1000) < 0) {
            if (errno == EINTR)
                continue;
            return err_set(e, ERR_INTERNAL, "render: poll: %s",
                           strerror(errno));
        }
        for (int k = 0; k < n; k++) {
            struct msg m;
            ssize_t got;
            if (pf[k].fd < 0 || !(pf[k].revents & (POLLIN | POLLHUP)))
                continue;
            got = read(pf[k].fd, &m, sizeof m);
            if (got == (ssize_t)sizeof m) {
                if (!rc)
                    rc = take(c, &m, e);
                continue;
            }
            if (got < 0 && errno == EINTR)
                continue;
            close(pf[k].fd);        /* EOF (or a torn message: a bug) */
            pf[k].fd = -1;
            open--;
        }
        if (c->j->o->progress)
            progress_set(c->j->o->progress, c->done);
    }
    return rc;
}

/* The order to draw the documents in: costliest first (a company-wide
 * packet must not start last), then in number order.  Which worker draws
 * what never changes a byte. */
static int cmp_cost(const void *a, const void *b)
{
    const struct render_item *const *x = a, *const *y = b;
    if ((*x)->cost != (*y)->cost)
        return (*x)->cost > (*y)->cost ? -1 : 1;
    return *x < *y ? -1 : *x > *y;
}

static int make_order(struct render_job *j, struct err *e)
{
    const struct render_item **p = mem_calloc(j->n ? j->n : 1, sizeof *p);

    j->order = mem_calloc(j->n ? j->n : 1, sizeof *j->order);
    if (!p || !j->order) {
        mem_free(p);
        return err_set(e, ERR_NOMEM, "render %s: out of memory", j->pm);
    }
    for (size_t i = 0; i < j->n; i++)
        p[i] = &j->item[i];
    qsort(p, j->n, sizeof *p, cmp_cost);
    for (size_t i = 0; i < j->n; i++)
        j->order[i] = (size_t)(p[i] - j->item);
    mem_free(p);
    return ERR_OK;
}

/* Fork n workers, collect their reports, wait for them. */
static int run_workers(struct render_job *j, int n, struct render_stats *st,
                       struct err *e)
{
    pid_t pid[RENDER_MAX_JOBS], parent = getpid();
    int fd[RENDER_MAX_JOBS], started = 0, rc = ERR_OK, bad = 0;
    struct collect c;
    size_t *next;

    memset(&c, 0, sizeof c);
    c.j = j;
    c.st = st;
    c.last_commit = now_s();
    if ((rc = make_order(j, e)))
        return rc;
    next = mmap(NULL, sizeof *next, PROT_READ | PROT_WRITE,
                MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (next == MAP_FAILED)
        return err_set(e, ERR_NOMEM, "render: cannot share memory: %s",
                       strerror(errno));
    *next = 0;
    fflush(NULL);
    for (int k = 0; k < n; k++) {
        int p[2];
        if (pipe(p))
            break;
        if ((pid[k] = fork()) < 0) {
            close(p[0]);
            close(p[1]);
            break;
        }
        if (pid[k] == 0) {
            close(p[0]);
            for (int i = 0; i < k; i++)
                close(fd[i]);
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != parent)
                _exit(70);
            worker(j, next, p[1]);
            close(p[1]);
            _exit(0);
        }
        close(p[1]);
        fd[k] = p[0];
        started++;
    }
    if (started < n)
        rc = err_set(e, ERR_INTERNAL, "render: cannot start worker %d: %s",
                     started + 1, strerror(errno));
    c.pid = pid;
    c.npid = started;
    if (started) {
        int crc = collect_all(&c, fd, started, e);
        rc = rc ? rc : crc;
    }
    for (int k = 0; k < started; k++) {
        int status = 0;
        while (waitpid(pid[k], &status, 0) < 0 && errno == EINTR)
            ;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            bad = k + 1;
    }
    if (c.in_tx) {
        if (rc)
            store_rollback(j->s);
        else
            rc = flush_issues(&c, e);
    }
    munmap(next, sizeof *next);
    if (!rc && stop_requested())
        rc = err_set(e, ERR_STOPPED, "render %s stopped by a signal: %ld of "
                     "%ld documents written or up to date and registered; "
                     "run the same command again to finish", j->pm,
                     st->rendered + st->kept, st->docs);
    else if (!rc && bad)
        rc = err_set(e, ERR_INTERNAL, "render: worker %d failed", bad);
    return rc;
}

/* ---- the manifest --------------------------------------------------------------- */

static int write_manifest(struct render_job *j, struct render_stats *st,
                          struct err *e)
{
    char book[32];
    const char *const csv[][2] = {{"scores.csv", "scores"},
                                  {"totals.csv", "totals"},
                                  {book, "workbook"}};
    struct render_manifest m;
    char path[PATH_MAX + 16];
    int rc = ERR_OK;

    render_xlsx_name(j->pm, book);
    render_manifest_init(&m);
    for (size_t i = 0; i < sizeof csv / sizeof csv[0] && !rc; i++) {
        snprintf(path, sizeof path, "%s/%s", j->dir, csv[i][0]);
        if (access(path, F_OK) == 0)
            rc = render_manifest_add_file(&m, j->dir, csv[i][0], csv[i][1],
                                          NULL, e);
    }
    for (size_t i = 0; i < j->n && !rc; i++) {
        const struct store_doc *d = &j->docs[i];
        /* written or kept by this run, or (a kind not drawn) issued and
         * in place */
        if (d->status == STORE_DOC_ISSUED && d->sha256[0] &&
            (j->item[i].draw ? j->in_place[i] : up_to_date(j, d, 0)))
            rc = render_manifest_add(&m, d->path, d->sha256, d->bytes,
                                     store_doc_kind_name(d->kind),
                                     d->subject, e);
    }
    if (!rc)
        rc = render_manifest_write(&m, j->dir, e);
    st->manifest_rows = (long)m.n;
    render_manifest_free(&m);
    return rc;
}

/* ---- render_run --------------------------------------------------------- */

static void job_free(struct render_job *j)
{
    fsx_unlock(j->lock_fd);
    store_close(j->s);
    render_doc_free(j);
    mem_free(j->docs);
    mem_free(j->item);
    mem_free(j->order);
    mem_free(j->in_place);
}

/* Allocate, then render with the workers. */
static int allocate_and_render(struct render_job *j, struct render_stats *st,
                               struct err *e)
{
    struct store_registry_stats rs;
    struct progress *p = j->o->progress;
    int jobs = j->o->jobs < 1 ? 1 : j->o->jobs;
    size_t todo = 0;
    char path[PATH_MAX + 16];
    double t0;
    int rc;

    if ((rc = store_registry_allocate(j->s, j->docs, j->n, &rs, e)))
        return rc;
    hook_point("render-planned");
    if (!(j->in_place = mem_calloc(j->n ? j->n : 1, 1)))
        return err_set(e, ERR_NOMEM, "render %s: out of memory", j->pm);
    /* until this run completes, no manifest: an interrupted run must not
     * leave one that lists files it may have replaced */
    snprintf(path, sizeof path, "%s/" RENDER_MANIFEST_NAME, j->dir);
    if (unlink(path) != 0 && errno != ENOENT)
        return err_set(e, ERR_IO, "%s: cannot remove: %s", path,
                       strerror(errno));
    st->allocated = rs.allocated;
    st->superseded = rs.superseded;
    for (size_t i = 0; i < j->n; i++)
        todo += (size_t)j->item[i].draw;
    if (jobs > RENDER_MAX_JOBS)
        jobs = RENDER_MAX_JOBS;
    if ((size_t)jobs > todo)
        jobs = todo ? (int)todo : 1;
    t0 = now_s();
    if (p)
        progress_begin(p, "render", "documents", (long long)todo);
    rc = todo ? run_workers(j, jobs, st, e) : ERR_OK;
    st->render_s = now_s() - t0;
    if (p) {
        char line[160];
        snprintf(line, sizeof line, "%ld written, %ld up to date, %ld "
                 "failed; %zu new numbers, %zu superseded (%d jobs)",
                 st->rendered, st->kept, st->failed, st->allocated,
                 st->superseded, jobs);
        progress_end(p, line);
    }
    return rc;
}

int render_run(const struct render_opts *o, struct render_stats *st,
               struct err *e)
{
    struct render_job j = {.o = o, .lock_fd = -1};
    double t0 = now_s();
    int rc;

    *st = (struct render_stats){0};
    rc = prepare(&j, e);
    if (!rc)
        memcpy(st->tmpl, j.tver[STORE_DOC_PERSON], sizeof st->tmpl);
    /* refused input leaves nothing: the folders are made once the plan
     * holds */
    if (!rc)
        rc = plan(&j, e);
    if (!rc)
        rc = make_dirs(&j, e);
    /* the period's folder has one owner at a time (released on any exit) */
    if (!rc)
        rc = fsx_lock(j.dir, store_busy_ms(), &j.lock_fd, e);
    st->docs = (long)j.n;
    st->plan_s = now_s() - t0;
    if (!rc)
        rc = allocate_and_render(&j, st, e);
    if (!rc && !j.fatal) {
        clean_all(&j);
        rc = write_manifest(&j, st, e);
    }
    if (!rc && st->changed)
        rc = err_set(e, ERR_BUSY, "render %s: %ld of %ld documents were not "
                     "issued because the database changed while they were "
                     "drawn (an import or score committed during the "
                     "render); those issued show the data as planned; run "
                     "the render again to issue the rest", j.pm,
                     st->changed, st->docs);
    else if (!rc && st->failed) /* bad data, or what stopped a worker */
        rc = err_set(e, st->first_code ? st->first_code : ERR_DATA,
                     "render %s: %ld of %ld documents failed", j.pm,
                     st->failed, st->docs);
    job_free(&j);
    return rc;
}
