/* progress -- stage progress on stderr (see progress.h). */
#include "progress.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

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
