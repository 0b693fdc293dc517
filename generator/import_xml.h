/* import_xml -- stage 1 of the pipeline: ERP export (XML) -> store.
 *
 * Streams each file with libxml2's xmlTextReader, validates every record
 * on its own against the shipped XSD (templates/schema/erp.xsd) plus the
 * value rules of record.h, and hands the records to store_import.  After
 * the last file, references, the region tree and the manager chain are
 * checked in SQL.  Memory stays bounded whatever the file size: only one
 * record's subtree exists at a time.
 *
 * Guarantees:
 *  (1) All or nothing: one run is one transaction; by default any error
 *      rolls it back and the database file is left byte-identical.
 *  (2) With skip_invalid, records failing a check are not stored and are
 *      passed with their reasons to opts->reject; file-level errors (not
 *      well-formed, hostile constructs, wrong structure) still refuse the
 *      whole run.
 *  (3) Hostile input is refused before it costs anything: DOCTYPE or
 *      entity reference -> refused at once; no external entity, file or
 *      network access ever; nesting deeper than the format's 4 levels,
 *      values over their limits and bytes invalid in the declared encoding
 *      are errors with file and line.
 *  (4) Imports never go backwards silently: an export older than one
 *      already imported for its period is refused unless allow_older
 *      (store_import_check_order); the first import gives the database
 *      its registry identity (store_registry_ensure).
 *  (5) Nothing is printed: errors go to the caller's struct diag as
 *      "FILE:LINE: KIND ID: what is wrong".
 *
 * Files (one job each; they share import_int.h): import_run.c (imp_run:
 * the run and its transaction), import_xml.c (the streaming reader of one
 * export), import_xslt.c (--xslt mapping of a foreign layout),
 * import_validate.c (one record's checks: C values, XSD), import_sink.c
 * (the store side of the queue: records into store_import, duplicates,
 * import rows), import_diag.c (messages, libxml2's error handlers); the
 * queue itself is import_queue.h.
 *
 * Thread safety: one imp_run at a time per process.  For its duration it
 * sets libxml2's external entity loader and libxslt's error handler,
 * which are process-wide, and puts them back before it returns; it runs
 * one store-writer thread of its own, finished before it returns.
 */
#ifndef KQ_IMPORT_XML_H
#define KQ_IMPORT_XML_H

#include "record.h"

struct diag;
struct err;
struct store;

/* Size limit of a file mapped with --xslt (it is transformed as a tree). */
#define IMP_XSLT_MAX_BYTES (256L * 1024 * 1024)
/* Child elements (contacts + handovers) of one customer. */
#define IMP_MAX_CHILDREN 1000
/* Error lines kept per run (the rest are counted). */
#define IMP_MAX_DIAG 100

/* Called once per rejected record with one line of text (no newline),
 * borrowed for the call: "oct.xml:812: visit V77: unknown customer C999". */
typedef void (*imp_reject_fn)(void *ctx, const char *line);

struct imp_opts {
    const char *schema;     /* path of erp.xsd; required */
    const char *xslt;       /* mapping stylesheet, or NULL */
    int skip_invalid;       /* store the valid records, reject the rest */
    imp_reject_fn reject;   /* skip_invalid: where rejects go (may be NULL) */
    void *reject_ctx;
    const char *expect_period; /* "YYYY-MM": refuse a file of another
                                  period (keqing run), or NULL */
    int allow_older;        /* import an export older than one stored for
                               its period (store_import_check_order) */
};

struct imp_stats {
    long long stored[REC_NKINDS]; /* records this run left stored, per kind */
    long long records;            /* sum of stored[] */
    long long read;               /* record elements read */
    long long rejected;           /* records refused (skip_invalid) */
    long long errors;             /* problems found (refused run) */
    int files;
    double seconds;
};

/* Import files[0..nfiles) into s in one transaction.
 * Returns ERR_OK (committed; *st filled), ERR_DATA (refused: the problems
 * are in d, nothing was changed), ERR_NOINPUT (a file is missing or
 * unreadable), ERR_BUSY, ERR_IO, ERR_NOMEM or ERR_INTERNAL; e always says
 * what happened in one line.  d must be initialised by the caller
 * (diag_init); it receives at most its max lines. */
int imp_run(struct store *s, const char *const *files, int nfiles,
            const struct imp_opts *o, struct imp_stats *st, struct diag *d,
            struct err *e);

#endif
