/* import_sink -- the store side of an import's queue (see import_int.h).
 *
 * The queue's consumer (import_queue.h), called on its worker thread in
 * document order: a file's import row is opened, each checked record is
 * handed to store_import_put, the row is completed with the file's hash,
 * size and counts.  This side keeps the import's bookkeeping, not SQL
 * (that is store_import.c): per-file counts, a duplicate key refused with
 * the line of the first (a duplicate customer takes its contacts and
 * handovers with it), and, after the run's SQL checks, the rows they
 * refused with their file's name as the user gave it.
 */
#include "import_int.h"
#include "store_import.h"
#include "diag.h"
#include "err.h"
#include "record.h"

#include <stdio.h>

static void counts_text(const long long *c, char *out, size_t n)
{
    size_t j = 0;
    out[0] = '\0';
    for (int k = 0; k < REC_NKINDS && j + 1 < n; k++) {
        int w = snprintf(out + j, n - j, "%s%s=%lld", j ? " " : "",
                         record_kind((enum rec_kind)k)->element, c[k]);
        if (w < 0)
            break;
        j += (size_t)w;
    }
}

/* Write (or rewrite, after reference rejections) a file's import row. */
int imp_write_import_row(struct imp *im, const struct file_stats *f,
                         struct err *e)
{
    char counts[512];
    long long total = 0;
    if (!f->import_id)
        return ERR_OK;          /* the root was refused: no row */
    for (int k = 0; k < REC_NKINDS; k++)
        total += f->stored[k];
    counts_text(f->stored, counts, sizeof counts);
    return store_import_file_end(im->s, f->import_id, f->sha256, f->bytes,
                                 f->seconds, total, f->rejected, counts, e);
}

static int c_file_begin(void *ctx, int file_no, const char *file,
                        const char *company, const char *period,
                        const char *exported, struct err *e)
{
    struct imp *im = ctx;
    long long id;
    int rc = store_import_file_begin(im->s, file, company, period, exported,
                                     &id, e);
    im->cf = file_no;
    if (!rc)
        im->fs[file_no].import_id = id;
    return rc;
}

/* Store one checked record; a duplicate key in the same file is refused
 * (a duplicate customer takes its contacts and handovers with it). */
static int c_put(void *ctx, const struct rec *r, struct err *e)
{
    struct imp *im = ctx;
    const struct kind_def *kd = record_kind(r->kind);
    struct file_stats *f = &im->fs[im->cf];
    char line[ERR_MSG_MAX + 1200];
    long dup_line;
    int rc;

    if ((r->kind == REC_CONTACT || r->kind == REC_HANDOVER) &&
        im->customer_dup) {
        imp_count_rejects(im, im->cf, 1);
        return ERR_OK;
    }
    rc = store_import_put(im->s, r, &dup_line, e);
    if (rc)
        return rc;
    if (r->kind == REC_CUSTOMER)
        im->customer_dup = dup_line != 0;
    if (!dup_line) {
        f->stored[r->kind]++;
        return ERR_OK;
    }
    snprintf(line, sizeof line, "%s:%ld: %s %.80s: duplicate %s (first at "
             "line %ld)%s", f->shown, r->line, kd->element, r->val[0],
             kd->kind == REC_CARD ? "card for this contact" : "id", dup_line,
             kd->kind == REC_CUSTOMER ? "; its contacts and handovers are "
             "refused with it" : "");
    imp_emit(im, line);
    imp_count_rejects(im, im->cf, 1);
    return ERR_OK;
}

static int c_file_end(void *ctx, struct err *e)
{
    struct imp *im = ctx;
    struct file_stats f;
    pthread_mutex_lock(&im->mu);
    f = im->fs[im->cf];
    pthread_mutex_unlock(&im->mu);
    return imp_write_import_row(im, &f, e);
}

/* The queue's consumer. */
const struct imp_q_ops imp_sink_ops = {c_file_begin, c_put, c_file_end};

/* A row refused by the SQL checks (references, tree, chain). */
void imp_on_reject(void *ctx, const struct store_reject *rj)
{
    struct imp *im = ctx;
    const struct kind_def *kd = record_kind(rj->kind);
    char line[ERR_MSG_MAX + 1400];

    const char *file = rj->file;
    for (int i = 0; i < im->nfs; i++)
        if (im->fs[i].import_id == rj->import_id)
            file = im->fs[i].shown;     /* "x.xml (mapped)" for --xslt */
    snprintf(line, sizeof line, "%s:%ld: %s %.80s: %s", file, rj->line,
             kd->element, rj->id, rj->why);
    if (!im->o->skip_invalid) {
        diag_add(im->d, "%s", line);
        im->st->errors++;
        return;
    }
    if (im->o->reject)
        im->o->reject(im->o->reject_ctx, line);
    for (int i = 0; i < im->nfs && rj->first; i++)
        if (im->fs[i].import_id == rj->import_id) {
            if (im->fs[i].stored[rj->kind] > 0)
                im->fs[i].stored[rj->kind]--;
            im->fs[i].rejected++;
        }
}
