/* batch -- rendering a period as an archive: numbered, registered,
 * resumable, in parallel (stage 4 of import -> store -> score -> render;
 * doc/archive.md).
 *
 * render_run does, for one scored period:
 *   1. plan: read what every document shows from the stored results and
 *      hash it (the data hash); hash the templates and fonts (the
 *      template version);
 *   2. allocate: give every document its registry number in one
 *      transaction, in a fixed order (persons, then regions, then
 *      packets, each by id) - so numbers never depend on which files an
 *      earlier, interrupted run wrote; a document whose data or template
 *      changed gets a new number and its old entry is superseded;
 *   3. render: N forked workers take the documents one at a time from a
 *      shared counter, the costliest (packets) first; a document is
 *      skipped when its entry is issued and the file on disk
 *      has the registered size and sha256; otherwise it is drawn (number
 *      and QR code on the sheet, the person's scores.csv rows attached),
 *      written atomically (fsx) and reported to the parent, which records
 *      it in the registry (a transaction per 256 files or per second);
 *   4. manifest: OUT/YYYY-MM/manifest.csv lists every file of the period.
 *
 * Guarantees: (1) no partial file ever stands under a final name, and a
 * run killed at any point leaves only complete files (temporary files of
 * dead runs are removed by the next one); (2) the same data, templates
 * and fonts give byte-identical files and manifest whatever --jobs is and
 * however often the run was interrupted and resumed; (3) the module never
 * prints: problems with one document go to opts->on_error, progress to
 * opts->progress.
 */
#ifndef KQ_RENDER_H
#define KQ_RENDER_H

#include "date.h"

#include <stddef.h>

struct buf;
struct err;
struct font;
struct progress;
struct region_data;
struct sheet_data;

#define RENDER_MAX_JOBS 256

/* Kinds of document to render (bit set). */
#define RENDER_PERSONS 1
#define RENDER_REGIONS 2
#define RENDER_PACKETS 4

/* Called for a document that could not be drawn (bad data: the rest of
 * the period is still rendered), with its message; borrowed for the
 * call. */
typedef void (*render_error_fn)(void *ctx, const struct err *e);

struct render_opts {
    const char *db;             /* database path */
    const char *out;            /* OUT: files go to OUT/YYYY-MM/... */
    const char *templates;      /* templates folder (resolved) */
    const char *font;           /* --font FILE[:N], or NULL */
    const char *families;       /* the families.conf of the font chain
                                   (resolved), or NULL: the built-in list */
    struct period per;
    int jobs;                   /* 1..RENDER_MAX_JOBS worker processes */
    int kinds;                  /* RENDER_PERSONS | ... */
    int duplex;                 /* packets for two-sided printing */
    struct progress *progress;  /* may be NULL */
    render_error_fn on_error;    /* may be NULL */
    void *ctx;
};

struct render_stats {
    long docs;                  /* documents of the period planned */
    long rendered;              /* drawn and written by this run */
    long kept;                  /* up to date: not redone */
    long failed;                /* not drawn (reported to on_error) */
    long changed;               /* of those: their data changed since the
                                   plan (an import or score meanwhile) */
    long long bytes;            /* size of the files written */
    long written[3], up[3];     /* by kind (enum store_doc_kind): files
                                   written, files kept */
    long long kind_bytes[3];    /* by kind: bytes of those files */
    long packet_pages;          /* pages of the packets written */
    size_t allocated;           /* new document numbers */
    size_t superseded;          /* entries superseded by them */
    long manifest_rows;
    double plan_s, render_s;    /* seconds */
    int first_code;             /* err code of the first failure, or 0 */
    char tmpl[65];              /* template version of the person sheets */
};

/* Render the period described by o (see above).  Returns ERR_OK when
 * every document is written and the manifest too; ERR_DATA when some
 * documents failed (reported to on_error; the others and the manifest are
 * written, the failed ones are left out of it); ERR_BUSY when some
 * documents were not drawn because their data changed since the plan
 * (an import or score meanwhile; no manifest: run again), or another
 * keqing owns the output folder; ERR_STOPPED on SIGTERM/SIGINT (what was
 * finished is registered); otherwise the error that
 * stopped the run (ERR_NOINPUT: no database, templates or font; ERR_DATA:
 * the period is not scored, a broken template; ERR_CANTCREAT, ERR_IO,
 * ERR_BUSY, ERR_NOMEM, ERR_INTERNAL).  st is always filled. */
int render_run(const struct render_opts *o, struct render_stats *st,
                 struct err *e);

/* The template version of one kind of document: sha256 over the program
 * version, every file of TEMPLATES/roles (by name) and the sheet
 * templates sheets[] (names under TEMPLATES/sheet, NULL-terminated, in
 * that order).  So a new region template re-issues the region summaries,
 * not the person sheets.  A document's registered version adds the faces
 * of the font chain that draw its characters (each by its file's sha256
 * and index, in chain order): a font change re-issues exactly the
 * documents whose glyphs it changes (doc/fonts.md).  ERR_NOINPUT (a file
 * missing), ERR_IO, ERR_NOMEM. */
int render_template_version(const char *templates, const char *const *sheets,
                           char hex[65], struct err *e);

/* The data hash of a person's sheet: sha256 over every field of d that
 * the sheet shows, in a fixed binary form (doubles by their bits), the
 * position fields seq/count and the batch fields doc_no/qr_text left
 * out. */
void render_person_hash(const struct sheet_data *d, char hex[65]);

/* The data hash of a region's summary sheet: every field of d it shows,
 * its ranking and risks included, company and source as set by the
 * caller. */
void render_region_hash(const struct region_data *d, char hex[65]);

/* The person's rows of scores.csv, header first, byte for byte as
 * `keqing score` writes them (csvout.h), appended to out.  ERR_NOMEM or
 * ERR_DATA (out's maximum). */
int render_person_csv(const struct sheet_data *d, struct buf *out);

/* Remove the temporary files that fsx left in dir ("." NAME ".tmp." PID)
 * when process PID no longer exists.  Returns how many were removed;
 * a missing dir is not an error. */
int render_clean_temps(const char *dir);

#endif
