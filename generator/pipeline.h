/* pipeline -- the steps of import -> store -> score -> store -> render
 * that several commands share (`score`, `explain`, `render` and `run`),
 * with the guarantees that must not depend on which command ran them.
 *
 *   pipe_require_period   a period must have data: an export for it was
 *                         imported (doc/rules.md, "A period must have
 *                         data")
 *   pipe_score            roles -> load -> score -> store the results ->
 *                         OUT/YYYY-MM/scores.csv and totals.csv
 *
 * Guarantees: refused input changes nothing - a period without an export
 * or without activity is refused before any result is stored or any
 * folder made; results are stored in one transaction, then the CSVs are
 * written atomically (fsx).  Nothing is printed.  Not thread-safe per
 * store (a store is one connection); reentrant otherwise.
 */
#ifndef KQ_PIPELINE_H
#define KQ_PIPELINE_H

#include "date.h"

#include <limits.h>

struct err;
struct store;

/* ERR_OK when an export for per was imported into s; else ERR_NOINPUT
 * naming the period asked for, the periods the database holds and the
 * way out ("use --period 2026-10, or import the export for 2026-11
 * first"), or a store error. */
int pipe_require_period(struct store *s, const struct period *per,
                        struct err *e);

struct pipe_score_opts {
    const char *templates;      /* templates folder (resolved) */
    const char *out;            /* OUT: CSVs go to OUT/YYYY-MM/ */
    struct period per;
    int allow_empty;            /* grade a period with no activity record */
};

struct pipe_score_stats {
    int persons, scored, risks; /* assessed, with a total, risks */
    long activity;              /* activity records dated in the period */
    char dir[PATH_MAX];         /* OUT/YYYY-MM */
};

/* Score o->per in s: require the period, load the role templates and the
 * period's records, refuse a period without any activity record unless
 * o->allow_empty (ERR_DATA: every person would be graded on nothing),
 * score, store the results (replacing the period's earlier ones) and
 * write the CSVs.  st is always filled as far as it got.  Errors: those
 * of pipe_require_period, roles_load_dir, store_load_period, score_run,
 * store_save_results, fsx_mkdirs and csv_write_period. */
int pipe_score(struct store *s, const struct pipe_score_opts *o,
               struct pipe_score_stats *st, struct err *e);

#endif
