/* store_signed -- the signed copies that came back: scans received, what
 * each page was found to be, the archive's signed copies (schema 6,
 * doc/archive.md "The signed copies come back").
 *
 * Stage 2 (store): reads and writes the tables scan, scan_page and
 * signed_copy; which state a document is in is decided by receive_*, not
 * here.  Writers run inside the caller's transaction (store_begin), so a
 * refused receive registers nothing.  Errors: ERR_IO/ERR_BUSY as SQLite
 * reports them (store_sqlerr), ERR_NOMEM.  Not thread-safe: one store per
 * thread.
 */
#ifndef KQ_STORE_SIGNED_H
#define KQ_STORE_SIGNED_H

#include <stddef.h>

struct err;
struct store;

#define STORE_SIGNED_TEXT_MAX 256

/* 1 in *found when a scan with this sha256 (64 hex) was received, with
 * its date (YYYY-MM-DD) in received (11 bytes) when found. */
int store_signed_scan_known(struct store *s, const char *sha256, int *found,
                            char received[11], struct err *e);

/* Register a scan file: its sha256, the name given, the date received,
 * its pages and where its copy stands (relative to OUT). */
int store_signed_add_scan(struct store *s, const char *sha256,
                          const char *name, const char *received, int pages,
                          const char *path, struct err *e);

/* One page of a scan.  state: "current", "outdated", "foreign",
 * "no code" or "unreadable"; number NULL for the last three; signed and
 * blank: the fields with and without ink ("sign-assessee,sign-hr");
 * path: an unmatched page's file (relative to OUT), else NULL. */
struct store_scan_page {
    const char *scan;           /* its sha256 */
    int page;                   /* 1.. in the file */
    const char *state;
    const char *number;
    int doc_page;
    const char *signed_fields, *blank_fields;
    const char *path;
};
int store_signed_add_page(struct store *s, const struct store_scan_page *p,
                          struct err *e);

/* The highest version of number's signed copies (0: none yet). */
int store_signed_last_version(struct store *s, const char *number,
                              int *version, struct err *e);

/* A signed copy written to path (relative to OUT/YYYY-MM). */
struct store_signed_copy {
    const char *number;
    int version;
    const char *path, *sha256;
    long long bytes;
    const char *pages;          /* per page: "SHA16:P" or "-", comma-separated */
    int complete;
    const char *signed_fields, *missing_fields;
    const char *received;
};
int store_signed_add_copy(struct store *s, const struct store_signed_copy *c,
                          struct err *e);

/* What came back of one current document of a period (store_signed_each). */
struct store_return {
    char number[24], kind[8], subject[128], region[128];
    char name[128];             /* a person's name as scored, else "" */
    int pages;                  /* document.pages (0: not recorded) */
    int pages_back;             /* distinct pages received */
    int outdated;               /* pages of a superseded number came back */
    char outdated_number[24];   /* the newest such number */
    char signed_fields[STORE_SIGNED_TEXT_MAX];  /* of the newest scan of
                                                   its last page */
    char blank_fields[STORE_SIGNED_TEXT_MAX];
    char scan[STORE_SIGNED_TEXT_MAX];   /* that scan's name and page */
    char received[11];
    int copies;                 /* signed copies (versions) kept */
};

/* Call fn(ctx, r) for every current document of period (by number),
 * within the subtree of region when region is not NULL (a person's
 * region as scored; a region's or packet's own).  fn's error stops the
 * walk and is returned. */
int store_signed_each(struct store *s, const char *period,
                      const char *region,
                      int (*fn)(void *ctx, const struct store_return *r,
                                struct err *e),
                      void *ctx, struct err *e);

/* The signed copy whose file has this sha256 (64 hex): *found 1 with
 * its number, version and date received. */
int store_signed_copy_by_sha256(struct store *s, const char *sha256,
                                int *found, char number[24], int *version,
                                char received[11], struct err *e);

/* 1 in *any when any scanned page was ever received into s (a company
 * that scans its signed copies). */
int store_signed_any(struct store *s, int *any, struct err *e);

/* The signed copies' state of one number: *pages_back, *copies and the
 * newest scan's fields, as store_signed_each gives them (for verify). */
int store_signed_of(struct store *s, const char *number,
                    struct store_return *r, struct err *e);

#endif
