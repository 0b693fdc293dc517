/* store_registry -- the registry of issued documents (schema 3, table
 * `document`; doc/archive.md).
 *
 * Stage 4 (render) records here every document it writes: a number
 * KQ-YYYYMM-NNNNNN, the kind (person / region / packet sheet), the subject
 * (person or region id), the period, the path relative to OUT/YYYY-MM, the
 * template version and the hash of the data it was drawn from, and - once
 * the file stands under its final name - the file's sha256 and size.
 * `keqing verify` reads it back.
 *
 * Life of an entry: 'allocated' (number reserved before rendering) ->
 * 'issued' (file written, sha256 known) -> 'superseded' (a correction or a
 * new template re-issued the document under a new number; superseded_by
 * names it).  Numbers are never reused and never change meaning; at most
 * one entry per (period, kind, subject) is not superseded (the current
 * one).
 *
 * Determinism: store_registry_allocate hands out the numbers of a whole
 * period in one transaction, in the caller's order, so which numbers the
 * documents get does not depend on which files a run (or an interrupted
 * run) happened to write.
 */
#ifndef KQ_STORE_REGISTRY_H
#define KQ_STORE_REGISTRY_H

#include <stddef.h>

struct err;
struct store;

enum store_doc_kind {
    STORE_DOC_PERSON,
    STORE_DOC_REGION,
    STORE_DOC_PACKET
};

enum store_doc_status {
    STORE_DOC_ALLOCATED,
    STORE_DOC_ISSUED,
    STORE_DOC_SUPERSEDED
};

#define STORE_DOC_NUMBER_MAX 24     /* "KQ-202610-000123" + NUL, with room */
#define STORE_DOC_SUBJECT_MAX 128
#define STORE_DOC_PATH_MAX 256
#define STORE_DOC_SEQ_MAX 999999    /* six digits per period */

/* One registry entry.  Strings are NUL-terminated; "" when absent. */
struct store_doc {
    char number[STORE_DOC_NUMBER_MAX];
    char period[8];                 /* "YYYY-MM" */
    int seq;                        /* 1..STORE_DOC_SEQ_MAX */
    enum store_doc_kind kind;
    char subject[STORE_DOC_SUBJECT_MAX];
    char path[STORE_DOC_PATH_MAX];  /* "persons/E0001.pdf" */
    char tmpl[65];                  /* template version, 64 hex */
    char data_hash[65];             /* 64 hex */
    char sha256[65];                /* "" until issued */
    char source[65];                /* sha256 of the export whose data it
                                       shows (the period's newest when it
                                       was issued); "" when unknown */
    long long bytes;                /* -1 until issued */
    enum store_doc_status status;
    char superseded_by[STORE_DOC_NUMBER_MAX];
};

/* What one store_registry_allocate call did. */
struct store_registry_stats {
    size_t kept;        /* current entries reused as they were */
    size_t allocated;   /* new numbers */
    size_t superseded;  /* entries marked superseded by a new number */
};

/* A registry's identity: 12 upper-case hex digits, NUL-terminated. */
#define STORE_REGISTRY_ID_MAX 13

/* "person" / "region" / "packet"; "allocated" / "issued" / "superseded". */
const char *store_doc_kind_name(enum store_doc_kind k);
const char *store_doc_status_name(enum store_doc_status s);

/* The number of sequence seq in period "YYYY-MM": "KQ-YYYYMM-NNNNNN"
 * (out has STORE_DOC_NUMBER_MAX bytes). */
void store_doc_number(const char *period, int seq,
                      char out[STORE_DOC_NUMBER_MAX]);

/* Give every document of docs[0..n) its number, in one transaction (the
 * caller must not hold one).  The caller fills period, kind, subject,
 * path, tmpl and data_hash of each; the order of docs is the numbering
 * order.  For each document: when the current entry of (period, kind,
 * subject) has the same path, template version and data hash, docs[i]
 * receives it (number, seq, status, sha256, bytes, and the source it was
 * issued with); otherwise a new number
 * (the period's highest seq + 1, ...) is inserted as 'allocated', and the
 * previous current entry, if any, is marked superseded by it.  st may be
 * NULL.  On failure nothing is changed.  ERR_DATA for a subject or path
 * too long or more than STORE_DOC_SEQ_MAX numbers in a period, ERR_BUSY,
 * ERR_IO, ERR_NOMEM. */
int store_registry_allocate(struct store *s, struct store_doc *docs,
                            size_t n, struct store_registry_stats *st,
                            struct err *e);

/* Record that the file of `number` now stands under its final name with
 * this sha256 (64 hex) and size: status 'issued' (a superseded entry keeps
 * its status).  May run inside the caller's transaction (batches of
 * documents) or alone.  ERR_DATA when the number is not registered. */
int store_registry_issue(struct store *s, const char *number,
                         const char *sha256, long long bytes,
                         struct err *e);

/* A box drawn on a document (schema 6; doc/archive.md "The signed copies
 * come back"): a QR code ("qr-a" on every page: page 0, "qr-s" in the
 * sign-off) or a signature field ("sign-..."), in points from the page's
 * top-left corner. */
#define STORE_BOX_NAME_MAX 16
#define STORE_BOX_MAX 8
struct store_doc_box {
    int page;                   /* 1..; 0: every page */
    char name[STORE_BOX_NAME_MAX];
    double x0, y0, x1, y1;
};

/* Record the pages (that carry its number) and the boxes of `number`,
 * replacing any recorded before (a document re-drawn after an
 * interrupted run).  In the caller's transaction or alone.  ERR_DATA when
 * the number is not registered or n > STORE_BOX_MAX. */
int store_registry_boxes(struct store *s, const char *number, int pages,
                         const struct store_doc_box *b, int n,
                         struct err *e);

/* The pages and boxes of `number` into *pages (0 when not recorded: a
 * document issued before schema 6) and b[0..*n) (at most STORE_BOX_MAX,
 * by page and name). */
int store_registry_boxes_of(struct store *s, const char *number, int *pages,
                            struct store_doc_box *b, int *n, struct err *e);

/* Mark entry `old` superseded by entry `by` (both registered).  Used by
 * store_registry_allocate; public for administration and tests.
 * ERR_DATA when either number is unknown or they are equal. */
int store_registry_supersede(struct store *s, const char *old,
                             const char *by, struct err *e);

/* Look an entry up by its number; *found 0 (out untouched) or 1. */
int store_registry_by_number(struct store *s, const char *number,
                             struct store_doc *out, int *found,
                             struct err *e);

/* The entry whose registered file has this sha256 (64 hex; the newest
 * when several do); *found 0 or 1. */
int store_registry_by_sha256(struct store *s, const char *sha256,
                             struct store_doc *out, int *found,
                             struct err *e);

/* The current (not superseded) entry of (period, kind, subject); *found
 * 0 or 1. */
int store_registry_current(struct store *s, const char *period,
                           enum store_doc_kind kind, const char *subject,
                           struct store_doc *out, int *found,
                           struct err *e);

/* The identity of the registry of s into id: the stored one, or - in a
 * database whose first import predates schema 4 - the one derived from
 * its first export (the same value the next import stores); "" when
 * nothing was ever imported.  ERR_OK or a store error. */
int store_registry_id(struct store *s, char id[STORE_REGISTRY_ID_MAX],
                      struct err *e);

/* Store the registry's identity when it has none yet, derived from the
 * first export ever imported; inside the caller's (import) transaction.
 * A no-op when it has one or nothing was imported. */
int store_registry_ensure(struct store *s, struct err *e);

/* The identity derived from the sha256 (64 hex) of a database's first
 * export: the first 12 hex digits, upper case, of sha256("keqing
 * registry 1\n" || that hex).  Deterministic: the same first export, the
 * same documents. */
void store_registry_derive(const char *export_sha256,
                           char id[STORE_REGISTRY_ID_MAX]);

/* Resumability of `keqing run`: *same = 1 when the newest n rows of the
 * import log are exactly the files with these sha256 values (64 hex), in
 * this order - the last import stored these very files, so importing them
 * again would change no record; else 0. */
int store_imports_are(struct store *s, const char *const *sha256, int n,
                      int *same, struct err *e);

#endif
