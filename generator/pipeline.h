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
#include "err.h"

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
    const char *font;           /* --font FILE[:N], or NULL */
    const char *families;       /* families.conf of the chain, or NULL */
};

struct pipe_score_stats {
    int persons, scored, risks; /* assessed, with a total, risks */
    long activity;              /* activity records dated in the period */
    char dir[PATH_MAX];         /* OUT/YYYY-MM */
    struct diag warnings;       /* owned (pipe_score_stats_free): text of
                                   the period no font of the chain has */
};

/* Release st's warnings. */
void pipe_score_stats_free(struct pipe_score_stats *st);

/* Score o->per in s: require the period, load the role templates and the
 * period's records, refuse a period without any activity record unless
 * o->allow_empty (ERR_DATA: every person would be graded on nothing),
 * score, store the results (replacing the period's earlier ones) and
 * write the CSVs.  Then every text the period's documents will print from
 * the data (names of people, regions and customers at risk, the company)
 * is checked against the font chain: a character no face has is listed in
 * st->warnings with the person or record, the field, the code point and
 * the way out (the installed family that has it, else the package); those
 * documents print the placeholder 〓 for it (doc/fonts.md).  A chain that
 * cannot be opened is one warning: scoring never fails on fonts.  st is always filled as far as it got.  Errors: those
 * of pipe_require_period, roles_load_dir, store_load_period, score_run,
 * store_save_results, fsx_mkdirs and csvout_write_period. */
int pipe_score(struct store *s, const struct pipe_score_opts *o,
               struct pipe_score_stats *st, struct err *e);

#endif
