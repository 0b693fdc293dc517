/* pipeline -- the steps of import -> store -> score -> store -> render
 * that several commands share (`import`, `score`, `explain`, `render` and
 * `run`), with the guarantees that must not depend on which command ran
 * them.
 *
 *   pipe_import_check     the inputs are readable files
 *   pipe_import           the inputs -> the store, in one transaction;
 *                         optionally skipped when the last import stored
 *                         these very files (run), optionally only exports
 *                         of one period (run); --skip-invalid's report of
 *                         rejected records
 *   pipe_require_period   a period must have data: an export for it was
 *                         imported (doc/rules.md, "A period must have
 *                         data")
 *   pipe_score            roles -> load -> score -> store the results ->
 *                         OUT/YYYY-MM/scores.csv and totals.csv
 *
 * Guarantees: refused input changes nothing - an import is all or nothing
 * (a database it created is removed again, store.h), a period without an
 * export or without activity is refused before any result is stored or
 * any folder made; results are stored in one transaction, then the CSVs
 * are written atomically (fsx), and so is the report of rejected records.
 * Nothing is printed.  Not thread-safe per store (a store is one
 * connection); reentrant otherwise.
 */
#ifndef KQ_PIPELINE_H
#define KQ_PIPELINE_H

#include "date.h"
#include "period.h"
#include "diag.h"
#include "err.h"
#include "import_xml.h"

#include <limits.h>

struct err;
struct store;

/* ERR_OK when every one of files[0..nfiles) is a readable file, and so
 * is xslt (NULL: none); else ERR_NOINPUT "FILE: cannot read: REASON" or
 * "FILE: is a folder, not a file" for the first that is not.  Touches
 * nothing: commands call it before opening the database, so a mistyped
 * name never creates, migrates or waits for one. */
int pipe_import_check(const char *const *files, int nfiles,
                      const char *xslt, struct err *e);

/* Called with reading = 1 just before the import starts reading the
 * files and with 0 when it has finished (a command's progress display);
 * nothing else of the import happens in between. */
typedef void (*pipe_reading_fn)(void *ctx, int reading);

struct pipe_import_opts {
    const char *templates;      /* templates folder (resolved): the schema
                                   is TEMPLATES/schema/erp.xsd */
    const char *xslt;           /* --xslt stylesheet, or NULL */
    int skip_invalid;           /* store the valid records, write the
                                   rejected ones to the report */
    const char *report;         /* skip_invalid: the report's path, NULL
                                   for DB.rejected.txt beside the store */
    int allow_older;            /* import an export older than one stored
                                   for its period */
    int skip_same;              /* import nothing when the newest imports
                                   are these very files (same sha256, same
                                   order: store_imports_are) */
    const char *expect_period;  /* "YYYY-MM": refuse an export of another
                                   period, or NULL */
    pipe_reading_fn reading;    /* or NULL */
    void *reading_ctx;
};

struct pipe_import_stats {
    struct imp_stats imp;       /* what the import stored (not skipped) */
    int skipped;                /* skip_same: nothing to do */
    char report[PATH_MAX];      /* the report written, "" when none */
    struct diag problems;       /* owned (pipe_import_stats_free): the
                                   records' problems, at most IMP_MAX_DIAG
                                   lines then counted */
};

/* Release st's problems. */
void pipe_import_stats_free(struct pipe_import_stats *st);

/* Import files[0..nfiles) into s: pipe_import_check, then (skip_same)
 * nothing when the last import stored exactly these files, else imp_run
 * with TEMPLATES/schema/erp.xsd - one transaction, all or nothing unless
 * skip_invalid.  With skip_invalid the rejected records and their reasons
 * are written atomically (fsx) to the report, which then names
 * st->report; a report that cannot be written after the records were
 * committed is ERR_IO "REPORT: cannot write the report: REASON (the
 * records are stored)", a report that cannot be created refuses the run
 * before anything is read (ERR_CANTCREAT).  st is always initialised
 * (free it) and filled as far as it got; st->problems holds the lines of
 * a refused import.  o->reading is called on this thread.  Errors: those
 * of pipe_import_check, fsx_sha256_file, store_imports_are, fsx_open,
 * imp_run (ERR_DATA refused, ERR_BUSY, ...) and fsx_commit; ERR_USAGE
 * for a templates or report path longer than PATH_MAX. */
int pipe_import(struct store *s, const char *const *files, int nfiles,
                const struct pipe_import_opts *o,
                struct pipe_import_stats *st, struct err *e);

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
    int csv_bom;                /* --csv-bom: the CSVs begin with a UTF-8
                                   byte-order mark (also when the
                                   spreadsheet template says so) */
};

struct pipe_score_stats {
    int persons, scored, risks; /* assessed, with a total, risks */
    long activity;              /* activity records dated in the period */
    char dir[PATH_MAX];         /* OUT/YYYY-MM */
    double xlsx_cpu, xlsx_wall; /* seconds writing the workbook: this
                                   thread's CPU time, and wall time */
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
 * pipe_save_results, fsx_mkdirs and csvout_write_period. */
int pipe_score(struct store *s, const struct pipe_score_opts *o,
               struct pipe_score_stats *st, struct err *e);

struct dataset;
struct roles;
struct score_result;

/* Replace the stored results of r->per with r (pipeline_save.c: every
 * person, region, ranking and risk of r as store_results.h rows, in one
 * transaction: on failure the previous results stay).  ds and roles are
 * the ones r was computed from.  Errors: those of store_results.h. */
int pipe_save_results(struct store *s, const struct dataset *ds,
                      const struct roles *roles, const struct score_result *r,
                      struct err *e);

#endif
