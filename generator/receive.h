/* receive -- the signed copies come back: `keqing receive SCAN...`
 * (doc/archive.md "The signed copies come back", issue 14).
 *
 * Stage 5 (receive), after render: reads scans (receive_scan.h), finds
 * their QR codes (receive_qr.h), matches each page against the registry,
 * maps the page onto the boxes the registry recorded when the document
 * was drawn (an affine map fitted to the codes' corners), measures ink in
 * each signature field, and archives:
 *
 *   OUT/received/SHA256.EXT          each scan file, byte for byte
 *   OUT/YYYY-MM/signed/NUMBER.pdf    the signed copy of a document, its
 *                                    pages in order; a later, different
 *                                    scan is NUMBER-2.pdf, -3, ...
 *   OUT/YYYY-MM/signed/unmatched/SHA16-pN.pdf   a page not matched
 *
 * All or nothing: every file is read and every page analysed before
 * anything is written; a file that cannot be read refuses the whole call
 * and nothing is registered.  Files are written atomically and registered
 * in one transaction; a file already received changes nothing.  A page
 * is attached to a document only when its codes name that document of
 * this registry, with its data hash, and agree with each other.
 *
 * Not thread-safe (one call at a time per database; the output folder is
 * not locked against a concurrent render of the same period).
 */
#ifndef KQ_RECEIVE_H
#define KQ_RECEIVE_H

#include <stddef.h>

#include "archive_returns.h"

struct err;

struct receive_opts {
    const char *db;             /* the database (must exist) */
    const char *out;            /* the output folder (OUT) */
    const char *received;       /* YYYY-MM-DD, or NULL: each file's
                                   modification date (UTC) */
    const char *period;         /* YYYY-MM for the unmatched pages of a
                                   file without a matched one; NULL: the
                                   month received */
};

/* What one page was found to be. */
enum receive_state {
    RECEIVE_CURRENT,            /* the current issue of its document */
    RECEIVE_OUTDATED,           /* a superseded issue */
    RECEIVE_FOREIGN,            /* a code, but not of this registry */
    RECEIVE_NO_CODE,            /* no QR code found */
    RECEIVE_UNREADABLE          /* codes that disagree or do not fit */
};

/* The fields of a document's sign-off, in order. */
#define RECEIVE_FIELDS_MAX 4

struct receive_page_result {
    const char *file;           /* borrowed: the name given */
    int page, pages;            /* 1.. in the file, of the file */
    enum receive_state state;
    char number[24];            /* matched: the document */
    char superseded_by[24];     /* outdated: its replacement */
    char kind[8], subject[128];
    int doc_page, doc_pages;
    int nfields;                /* signature fields on this page */
    char field[RECEIVE_FIELDS_MAX][16];     /* "sign-assessee", ... */
    int ink[RECEIVE_FIELDS_MAX];            /* 1: signed */
    double ink_frac[RECEIVE_FIELDS_MAX];    /* dark share of the field */
    char why[200];              /* unmatched: why */
    char stored[300];           /* where the page went, relative to OUT */
};

struct receive_stats {
    int files, known, pages, current, outdated, unmatched, copies;
};

/* Receive files[0..n).  report(ctx, r) is called once per page (in file
 * and page order) after everything is committed, and known(ctx, file,
 * date) for a file received before (date "": the same bytes as a file
 * given earlier in this call, received once); either may be NULL.  ERR_NOINPUT
 * (a file or the database missing), ERR_DATA (a file that is not a scan,
 * truncated, encrypted, too large; a registry with no identity),
 * ERR_CANTCREAT/ERR_IO, ERR_BUSY, ERR_NOMEM. */
int receive_run(const struct receive_opts *o, const char *const *files,
                int n,
                void (*report)(void *ctx, const struct receive_page_result *r),
                void (*known)(void *ctx, const char *file, const char *date),
                void *ctx, struct receive_stats *st, struct err *e);

/* The name of a state ("current", "outdated", "foreign", "no code",
 * "unreadable"), as the registry stores it. */
const char *receive_state_name(enum receive_state s);

#endif
