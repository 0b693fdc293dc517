/* progress -- what a long command shows while it works (`keqing run`,
 * `keqing render`).
 *
 * A command goes through stages (import, score, render ...).  On a
 * terminal each stage shows one live line, redrawn at most ten times a
 * second:
 *
 *   render   [##########..............]  4120/10000 sheets  412/s  0:14 left
 *
 * and, when the stage ends, one summary line in its place.  When stderr
 * is not a terminal (a log file, cron) only the summary lines are
 * written, one per stage; in quiet mode nothing is.  The output goes to
 * the FILE given (stderr in the commands), never to an output file, so it
 * cannot disturb their bytes.  The clock is monotonic and replaceable
 * (tests).  Not thread-safe: one struct per process; while a watch runs
 * (progress_watch_files) its helper thread is the one that uses it.
 */
#ifndef KQ_PROGRESS_H
#define KQ_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

enum progress_mode {
    PROGRESS_QUIET,     /* nothing */
    PROGRESS_LINES,     /* one summary line per stage */
    PROGRESS_BAR        /* a live bar, then the summary line */
};

#define PROGRESS_BAR_WIDTH 24
#define PROGRESS_LINE_MAX 160

struct progress {
    FILE *fp;                   /* borrowed */
    enum progress_mode mode;
    double (*clock)(void);      /* monotonic seconds */
    char stage[24], unit[24];
    long long done, total;      /* total 0: unknown */
    double t0, last;            /* stage start, last redraw */
    int shown;                  /* a bar line is on screen */
};

/* The mode for a command: quiet wins, else a bar on a terminal, else
 * lines. */
enum progress_mode progress_choose(int quiet, int tty);

/* Set p up to write to fp in mode; the clock is CLOCK_MONOTONIC. */
void progress_init(struct progress *p, FILE *fp, enum progress_mode mode);

/* Start a stage named stage (e.g. "render") counting `unit` ("sheets")
 * up to total (0 when unknown). */
void progress_begin(struct progress *p, const char *stage, const char *unit,
                    long long total);

/* done units are finished; redraws the bar when due. */
void progress_set(struct progress *p, long long done);

/* End the stage: clear the bar and write "stage: detail (S.SS s)" in
 * LINES and BAR mode (detail may be NULL: "N unit").  Returns the
 * stage's seconds. */
double progress_end(struct progress *p, const char *detail);

/* ---- a stage that reads files -------------------------------------------
 * Work that reports nothing while it reads its input files (the import)
 * can still move the bar: a helper thread looks five times a second how
 * far this process has read into them (the offsets of its descriptors on
 * them, /proc/self/fdinfo: Linux; without /proc the bar stays at 0) and
 * sets done to the megabytes read, the files taken one after the other,
 * never going back.  Presentation only: best effort, no error. */

struct progress_watch;

/* The megabytes (2^20 bytes, rounded down) of files[0..n) together (a
 * file that cannot be stat'ed counts 0): the total of such a stage. */
long long progress_files_mb(const char *const *files, int n);

/* Start watching files[0..n) (borrowed until progress_unwatch) for p when
 * p shows a bar; NULL when it does not, or when the thread cannot be
 * started (then nothing moves and there is nothing to undo).  Until
 * progress_unwatch the helper thread owns p: do not use it meanwhile.
 * The thread never takes SIGTERM/SIGINT (stop_thread_create). */
struct progress_watch *progress_watch_files(struct progress *p,
                                            const char *const *files, int n);

/* Stop watching: wake and join the thread, move the bar once more to
 * where the reading is now, and release w (owned); NULL is a no-op.  p is
 * the caller's again. */
void progress_unwatch(struct progress_watch *w);

/* Format the bar line of p at time now into out (no newline).  For
 * tests and for progress_set. */
void progress_format(const struct progress *p, double now, char *out,
                     size_t n);

#endif
