/* store_import -- writing imported records into the store (stage 1 -> 2).
 *
 * The importer (import_xml.c) streams records in; this side turns each
 * struct rec into one row with generic prepared UPSERT statements built
 * from the record table (record.h), and checks references in SQL once all
 * files of a run are in.
 *
 * A run, inside ONE transaction opened by the caller (store_begin):
 *
 *     store_import_start
 *       ( store_import_file_begin
 *           store_import_put ...          one per record, document order
 *         store_import_file_end ) ...     one per file
 *     store_import_check                  references, region tree, managers
 *     store_import_check_order            no export older than a stored one
 *     store_import_stop                   (always; frees the statements)
 *   then store_commit, or store_rollback to leave the file as it was.
 *
 * Re-import rules (invariants):
 *  (1) Every file gets one `import` row; every record row carries its
 *      import_id and src_line.
 *  (2) UPSERT ... WHERE <table>.import_id <> excluded.import_id: a second
 *      record with the same key in the SAME file changes nothing and is
 *      reported as a duplicate (with the line of the first); the same key
 *      from another file or an earlier run REPLACES the stored row.
 *  (3) A card's key is its contact.  Handovers travel with their customer:
 *      storing a customer deletes its stored handovers, then its handover
 *      children are inserted with seq 1, 2, ...
 *  (4) Booleans are stored as 0/1, counts as INTEGER, absent values NULL.
 */
#ifndef KQ_STORE_IMPORT_H
#define KQ_STORE_IMPORT_H

#include "record.h"

struct err;
struct store;

/* One record refused by the checks of store_import_check. */
struct store_reject {
    const char *file;      /* source file as given on the command line */
    long line;             /* line of the record in that file */
    enum rec_kind kind;
    const char *id;        /* record key (handover: its customer) */
    const char *why;       /* "unknown customer C999" */
    long long import_id;   /* the import row of the file */
    int first;             /* 1 on the row's first reason in a pass (a row
                              may fail several checks) */
};
/* Called once per refused record; all strings borrowed for the call. */
typedef void (*store_reject_fn)(void *ctx, const struct store_reject *r);

/* Prepare the statements of an import run.  The caller has opened the
 * transaction with store_begin.  keep_old (for --skip-invalid): keep the
 * version each row had before the run, so that store_import_check can
 * put it back when the replacement is refused.  ERR_OK or an SQLite
 * error. */
int store_import_start(struct store *s, int keep_old, struct err *e);

/* Add the import row of one file; *import_id receives its id.  file is
 * the path as given; company/period/exported are the root's attributes
 * (NULL when absent).  The hash and size are filled by file_end. */
int store_import_file_begin(struct store *s, const char *file,
                            const char *company, const char *period,
                            const char *exported, long long *import_id,
                            struct err *e);

/* Complete (or update) the import row import_id of this run. */
int store_import_file_end(struct store *s, long long import_id,
                          const char *sha256,
                          long long bytes, double seconds, long long records,
                          long long rejected, const char *counts,
                          struct err *e);

/* Store one record of the current file.  r's strings are borrowed until
 * the call returns.  Contacts and handovers carry r->parent (their
 * customer); handovers must follow their customer.  Returns ERR_OK and
 * *dup_line = 0 when stored, ERR_OK and *dup_line = the earlier line when
 * the key already came from the same file (nothing changed), or an error
 * (ERR_IO, ERR_BUSY, ERR_NOMEM, ERR_INTERNAL). */
int store_import_put(struct store *s, const struct rec *r, long *dup_line,
                     struct err *e);

/* Check every row stored by this run against everything stored:
 * references (manager, region, parent, owner, customer, contact, staff,
 * checker, handover parties), a visit/greeting/check contact belonging to
 * its customer, exactly one root region, no cycle in the region tree or
 * in the manager chain.  Each refused row is passed to fn.  When
 * delete_bad is set the refused rows are deleted and the checks repeated
 * until none fail (a row that had replaced an older version is then gone
 * altogether unless store_import_start kept its previous version, which is
 * then put back).  *nbad receives the number of refused rows. */
int store_import_check(struct store *s, int delete_bad, store_reject_fn fn,
                       void *ctx, long long *nbad, struct err *e);

/* Imports never go backwards silently.  For each period this run
 * imported, its last file of that period (the one whose records win) is
 * refused when an export of the same period imported before it is newer:
 * both carry `exported` and the earlier one's is later; or, when a time
 * is missing, the file is byte-identical to an earlier import that a
 * different, later import of the period replaced.  ERR_DATA with
 * "FILE: this export of PERIOD (exported T) is older than FILE2 (exported
 * T2), imported before: ..." and the way out; allow_older skips the
 * check.  Call after the last file_end, before store_import_stop. */
int store_import_check_order(struct store *s, int allow_older,
                             struct err *e);

/* Finalize the statements of the run; safe to call more than once. */
void store_import_stop(struct store *s);

/* Rows stored per kind (whole database).  counts[k] for every kind. */
int store_import_counts(struct store *s, long long counts[REC_NKINDS],
                 struct err *e);

#endif
