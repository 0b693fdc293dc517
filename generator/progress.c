/* progress -- stage progress on stderr (see progress.h). */
#include "progress.h"
#include "mem.h"
#include "stop.h"

#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Seconds between two redraws of the bar. */
#define REDRAW_EVERY 0.1

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum progress_mode progress_choose(int quiet, int tty)
{
    if (quiet)
        return PROGRESS_QUIET;
    return tty ? PROGRESS_BAR : PROGRESS_LINES;
}

void progress_init(struct progress *p, FILE *fp, enum progress_mode mode)
{
    memset(p, 0, sizeof *p);
    p->fp = fp;
    p->mode = fp ? mode : PROGRESS_QUIET;
    p->clock = mono_now;
}

void progress_begin(struct progress *p, const char *stage, const char *unit,
                    long long total)
{
    snprintf(p->stage, sizeof p->stage, "%s", stage ? stage : "");
    snprintf(p->unit, sizeof p->unit, "%s", unit ? unit : "");
    p->done = 0;
    p->total = total > 0 ? total : 0;
    p->t0 = p->clock();
    p->last = -1e9;
    p->shown = 0;
    progress_set(p, 0);
}

/* "m:ss" or "h:mm:ss" for s seconds (rounded up). */
static void fmt_duration(double s, char out[24])
{
    long t = s < 0 ? 0 : (long)(s + 0.999);
    if (t >= 3600)
        snprintf(out, 24, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(out, 24, "%ld:%02ld", t / 60, t % 60);
}

void progress_format(const struct progress *p, double now, char *out,
                     size_t n)
{
    double el = now - p->t0, rate = el > 0 ? (double)p->done / el : 0;
    char bar[PROGRESS_BAR_WIDTH + 1], left[24], spent[24];
    int fill;

    if (p->total <= 0) {
        fmt_duration(el, spent);
        snprintf(out, n, "%-8s %lld %s  %s", p->stage, p->done, p->unit,
                 spent);
        return;
    }
    fill = (int)((double)PROGRESS_BAR_WIDTH *
                 (double)(p->done < p->total ? p->done : p->total) /
                 (double)p->total);
    memset(bar, '#', (size_t)fill);
    memset(bar + fill, '.', (size_t)(PROGRESS_BAR_WIDTH - fill));
    bar[PROGRESS_BAR_WIDTH] = '\0';
    if (rate > 0)
        fmt_duration((double)(p->total - p->done) / rate, left);
    else
        snprintf(left, sizeof left, "?");
    snprintf(out, n, "%-8s [%s]  %lld/%lld %s  %.0f/s  %s left", p->stage,
             bar, p->done, p->total, p->unit, rate, left);
}

void progress_set(struct progress *p, long long done)
{
    char line[PROGRESS_LINE_MAX];
    double now;

    p->done = done;
    if (p->mode != PROGRESS_BAR)
        return;
    now = p->clock();
    if (now - p->last < REDRAW_EVERY && !(p->total && done >= p->total))
        return;
    p->last = now;
    progress_format(p, now, line, sizeof line);
    fprintf(p->fp, "\r%s\033[K", line);
    fflush(p->fp);
    p->shown = 1;
}

double progress_end(struct progress *p, const char *detail)
{
    double secs = p->clock() - p->t0;

    if (p->mode == PROGRESS_QUIET)
        return secs;
    if (p->shown)
        fputs("\r\033[K", p->fp);
    p->shown = 0;
    if (detail)
        fprintf(p->fp, "%s: %s (%.2f s)\n", p->stage, detail, secs);
    else
        fprintf(p->fp, "%s: %lld %s (%.2f s)\n", p->stage, p->done, p->unit,
                secs);
    fflush(p->fp);
    return secs;
}

/* ---- watching files being read (see progress.h) ------------------------ */

struct progress_watch {
    struct progress *p;         /* borrowed */
    const char *const *files;   /* borrowed */
    int n;
    long long *size;            /* owned: bytes of each file */
    long long done;             /* bytes read so far, never going back */
    int file;                   /* the file being read */
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t wake;        /* signalled by progress_unwatch */
    int stop;
};

long long progress_files_mb(const char *const *files, int n)
{
    long long total = 0;
    for (int i = 0; i < n; i++) {
        struct stat sb;
        total += stat(files[i], &sb) == 0 ? (long long)sb.st_size : 0;
    }
    return total >> 20;
}

/* Bytes read so far from path: the offset of this process's open
 * descriptor on it, or 0. */
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

/* Read the offsets once and move the bar: by the thread every 200 ms,
 * and once more by progress_unwatch after the thread ended, so the bar
 * always ends where the reading is (whatever the thread had time for). */
static void sample(struct progress_watch *w)
{
    long long pos, before = 0;
    for (int i = 0; i < w->file; i++)
        before += w->size[i];
    pos = read_offset(w->files[w->file]);
    if (pos == 0 && w->file + 1 < w->n &&
        read_offset(w->files[w->file + 1]) > 0) {
        w->file++;              /* the next file is being read */
        before += w->size[w->file - 1];
        pos = read_offset(w->files[w->file]);
    }
    if (before + pos > w->done)
        w->done = before + pos;
    progress_set(w->p, w->done >> 20);
}

static void *watch(void *arg)
{
    struct progress_watch *w = arg;

    pthread_mutex_lock(&w->mu);
    while (!w->stop) {
        struct timespec until;
        pthread_mutex_unlock(&w->mu);
        sample(w);
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 200000000;
        if (until.tv_nsec >= 1000000000) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000;
        }
        pthread_mutex_lock(&w->mu);
        if (!w->stop)
            pthread_cond_timedwait(&w->wake, &w->mu, &until);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

struct progress_watch *progress_watch_files(struct progress *p,
                                            const char *const *files, int n)
{
    struct progress_watch *w;

    if (p->mode != PROGRESS_BAR || n <= 0 || !(w = mem_calloc(1, sizeof *w)))
        return NULL;
    w->p = p;
    w->files = files;
    w->n = n;
    if (!(w->size = mem_calloc((size_t)n, sizeof *w->size))) {
        mem_free(w);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        struct stat sb;
        w->size[i] = stat(files[i], &sb) == 0 ? (long long)sb.st_size : 0;
    }
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->wake, NULL);
    if (stop_thread_create(&w->th, watch, w) != 0) {
        pthread_cond_destroy(&w->wake);
        pthread_mutex_destroy(&w->mu);
        mem_free(w->size);
        mem_free(w);
        return NULL;
    }
    return w;
}

void progress_unwatch(struct progress_watch *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    sample(w);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->mu);
    mem_free(w->size);
    mem_free(w);
}
