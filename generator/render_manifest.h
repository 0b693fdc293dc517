/* manifest -- OUT/YYYY-MM/manifest.csv, the list of a period's output
 * files with their sha256 and size (shared/spec/cli.md, doc/archive.md).
 *
 * The last step of render (and of run): the caller adds one row per file
 * of the period - the CSVs of score and every PDF of render - and writes
 * the manifest.  The file is
 *
 *     path,sha256,bytes,kind,subject_id
 *
 * then one row per file, paths relative to OUT/YYYY-MM with '/' between
 * folders, rows sorted by path (bytewise), "\n" line ends, UTF-8, fields
 * quoted only when they hold a comma, quote or line break.  Nothing in it
 * depends on the clock, the order rows were added in or the number of
 * workers, so the same files always give the same manifest; it is written
 * atomically (fsx).
 */
#ifndef KQ_RENDER_MANIFEST_H
#define KQ_RENDER_MANIFEST_H

#include <stddef.h>

struct err;

#define RENDER_MANIFEST_HEADER "path,sha256,bytes,kind,subject_id"
#define RENDER_MANIFEST_NAME "manifest.csv"
#define RENDER_MANIFEST_MAX_ROWS 10000000

struct render_manifest_row {
    char *path;         /* owned; relative to the period folder */
    char sha256[65];
    long long bytes;
    char *kind;         /* owned: "person", "region", "packet", "scores",
                           "totals", "workbook" */
    char *subject;      /* owned; "" for the CSVs and the workbook */
};

struct render_manifest {
    struct render_manifest_row *rows;  /* owned; rows[0..n) */
    size_t n, cap;
};

/* An empty manifest. */
void render_manifest_init(struct render_manifest *m);

/* Free the rows; m is left empty and reusable. */
void render_manifest_free(struct render_manifest *m);

/* Add one row (strings copied).  path must be relative (no leading '/',
 * no "." or ".." component) and sha256 64 lowercase hex digits; kind
 * non-empty; subject may be NULL ("").  ERR_USAGE for a bad value,
 * ERR_DATA over RENDER_MANIFEST_MAX_ROWS, ERR_NOMEM. */
int render_manifest_add(struct render_manifest *m, const char *path,
                        const char *sha256, long long bytes, const char *kind,
                        const char *subject, struct err *e);

/* Hash the file dir/rel and add it as a row.  ERR_NOINPUT when it is
 * missing, ERR_IO, else as render_manifest_add. */
int render_manifest_add_file(struct render_manifest *m, const char *dir,
                             const char *rel, const char *kind,
                             const char *subject, struct err *e);

/* Sort the rows by path and write dir/manifest.csv atomically.  Two rows
 * with the same path are refused (ERR_INTERNAL).  ERR_CANTCREAT, ERR_IO,
 * ERR_NOMEM. */
int render_manifest_write(struct render_manifest *m, const char *dir,
                          struct err *e);

#endif
