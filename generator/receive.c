/* receive -- scans in, matched by QR code, signatures checked, archived
 * (see receive.h). */
#include "receive.h"
#include "archive_docref.h"
#include "buf.h"
#include "err.h"
#include "fsx.h"
#include "mem.h"
#include "pdf_scan.h"
#include "receive_qr.h"
#include "receive_scan.h"
#include "sha256.h"
#include "store.h"
#include "store_registry.h"
#include "store_signed.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A field holds a signature when at least this share of it is ink (the
 * blank original's fields hold none: tests/unit/check_receive.c) */
#define INK_SIGNED 0.008
/* points kept off each side of a field (the map's error, the line) */
#define FIELD_INSET 2.0
#define JPEG_QUALITY 80

const char *receive_state_name(enum receive_state s)
{
    static const char *const n[] = {"current", "outdated", "foreign",
                                    "no code", "unreadable"};
    return (unsigned)s < sizeof n / sizeof n[0] ? n[s] : "unreadable";
}

/* ---- one page ------------------------------------------------------------ */

/* pixel = A * point + b */
struct affine {
    double a, b, c, d, tx, ty;  /* x' = a x + b y + tx; y' = c x + d y + ty */
};

/* Least squares over n point pairs (pt -> px); 0 when degenerate. */
static int fit(const double (*pt)[2], const double (*px)[2], int n,
               struct affine *m)
{
    double s[3][3] = {{0}}, rx[3] = {0}, ry[3] = {0}, det;
    double inv[3][3];

    for (int i = 0; i < n; i++) {
        double v[3] = {pt[i][0], pt[i][1], 1};
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++)
                s[r][c] += v[r] * v[c];
            rx[r] += v[r] * px[i][0];
            ry[r] += v[r] * px[i][1];
        }
    }
    det = s[0][0] * (s[1][1] * s[2][2] - s[1][2] * s[2][1]) -
          s[0][1] * (s[1][0] * s[2][2] - s[1][2] * s[2][0]) +
          s[0][2] * (s[1][0] * s[2][1] - s[1][1] * s[2][0]);
    if (fabs(det) < 1e-9)
        return 0;
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++) {
            int r1 = (c + 1) % 3, r2 = (c + 2) % 3;
            int c1 = (r + 1) % 3, c2 = (r + 2) % 3;
            inv[r][c] = (s[r1][c1] * s[r2][c2] - s[r1][c2] * s[r2][c1]) / det;
        }
    m->a = inv[0][0] * rx[0] + inv[0][1] * rx[1] + inv[0][2] * rx[2];
    m->b = inv[1][0] * rx[0] + inv[1][1] * rx[1] + inv[1][2] * rx[2];
    m->tx = inv[2][0] * rx[0] + inv[2][1] * rx[1] + inv[2][2] * rx[2];
    m->c = inv[0][0] * ry[0] + inv[0][1] * ry[1] + inv[0][2] * ry[2];
    m->d = inv[1][0] * ry[0] + inv[1][1] * ry[1] + inv[1][2] * ry[2];
    m->ty = inv[2][0] * ry[0] + inv[2][1] * ry[1] + inv[2][2] * ry[2];
    return 1;
}

/* The gray value at point (x, y) of the document's page, or -1 outside
 * the scan. */
static int sample(const struct receive_page *p, const struct affine *m,
                  double x, double y)
{
    long px = lround(m->a * x + m->b * y + m->tx);
    long py = lround(m->c * x + m->d * y + m->ty);

    if (px < 0 || py < 0 || px >= p->width || py >= p->height)
        return -1;
    return p->px[(size_t)py * (size_t)p->stride + (size_t)px];
}

/* The share of box b (inset) that is ink on the scan, sampled at the
 * scan's resolution: dark against the paper around it. */
static double ink(const struct receive_page *p, const struct affine *m,
                  const struct store_doc_box *b)
{
    double scale = hypot(m->a, m->c);   /* pixels per point */
    double step = scale > 0 ? 1 / scale : 1;
    double x0 = b->x0 + FIELD_INSET, x1 = b->x1 - FIELD_INSET;
    double y0 = b->y0 + FIELD_INSET, y1 = b->y1 - FIELD_INSET - 1;
    long hist[256] = {0}, total = 0, dark = 0, acc = 0;
    int paper = 255, thr;

    if (x1 <= x0 || y1 <= y0)
        return 0;
    /* the paper: the 90th percentile of the field and its surroundings */
    for (double y = y0 - 8; y <= y1 + 8; y += step)
        for (double x = x0 - 8; x <= x1 + 8; x += step) {
            int v = sample(p, m, x, y);
            if (v >= 0)
                hist[v]++, total++;
        }
    for (int v = 0; v < 256 && total; v++)
        if ((acc += hist[v]) >= total * 9 / 10) {
            paper = v;
            break;
        }
    thr = paper * 55 / 100;
    total = 0;
    for (double y = y0; y <= y1; y += step)
        for (double x = x0; x <= x1; x += step) {
            int v = sample(p, m, x, y);
            if (v < 0)
                continue;
            total++;
            dark += v < thr;
        }
    return total ? (double)dark / (double)total : 0;
}

/* The box named name (on page, or page 0) among b[0..n), or NULL. */
static const struct store_doc_box *box_of(const struct store_doc_box *b,
                                          int n, const char *name, int page)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(b[i].name, name) && (b[i].page == page || b[i].page == 0))
            return &b[i];
    return NULL;
}

static void unmatched(struct receive_page_result *r, enum receive_state s,
                      const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void unmatched(struct receive_page_result *r, enum receive_state s,
                      const char *fmt, ...)
{
    va_list ap;

    r->state = s;
    r->number[0] = '\0';
    va_start(ap, fmt);
    vsnprintf(r->why, sizeof r->why, fmt, ap);
    va_end(ap);
}

/* What page p is: codes, document, fields. */
static int analyse(struct store *s, const char *ours,
                   const struct receive_page *p, struct receive_page_result *r,
                   char period[8], struct err *e)
{
    struct receive_qr_found f = {0};
    struct docref ref[RECEIVE_QR_MAX];
    int use[RECEIVE_QR_MAX], nref = 0, found = 0, pages = 0, nbox = 0;
    struct store_doc doc;
    struct store_doc_box box[STORE_BOX_MAX];
    double pt[2 * 4 * RECEIVE_QR_MAX][2], px[2 * 4 * RECEIVE_QR_MAX][2];
    int npt = 0, rc;
    struct affine m;
    const char *foreign = NULL;

    /* the corners first (where we print), then the whole page unless
     * they hold only codes of this registry */
    if ((rc = receive_qr_decode_corners(p, &f, e)))
        return rc;
    for (int i = 0; i < f.n; i++) {
        struct docref d;
        if (!archive_docref_parse(f.sym[i].text, strlen(f.sym[i].text), &d) ||
            strcmp(d.registry, ours))
            f.n = 0;
    }
    if (f.n == 0 && (rc = receive_qr_decode(p, &f, e))) {
        if (rc != ERR_DATA)
            return rc;
        unmatched(r, RECEIVE_UNREADABLE, "%.190s", e->msg);
        err_clear(e);
        return ERR_OK;
    }
    if (f.n == 0) {
        unmatched(r, RECEIVE_NO_CODE, "no QR code%s", f.other
                  ? " of ours (other barcodes only)" : "");
        return ERR_OK;
    }
    for (int i = 0; i < f.n; i++) {
        struct docref d;
        const char *t = f.sym[i].text;
        if (!archive_docref_parse(t, strlen(t), &d)) {
            foreign = "a QR code that is not a keqing document's";
            continue;
        }
        if (d.registry[0] && strcmp(d.registry, ours)) {
            foreign = "a document of another registry";
            continue;
        }
        if (!d.hash[0]) {       /* keqing always prints the data hash */
            foreign = "a QR code with a document number alone";
            continue;
        }
        ref[nref] = d;
        use[nref++] = i;
    }
    if (nref == 0) {
        unmatched(r, RECEIVE_FOREIGN, "%s", foreign);
        return ERR_OK;
    }
    for (int i = 1; i < nref; i++)
        if (strcmp(ref[i].number, ref[0].number)) {
            unmatched(r, RECEIVE_UNREADABLE, "codes of %s and %s on one page",
                      ref[0].number, ref[i].number);
            return ERR_OK;
        }
    {   /* every page code names the same page */
        int pg0 = 0;
        for (int i = 0; i < nref; i++) {
            if (!ref[i].page)
                continue;
            if (pg0 && ref[i].page != pg0) {
                unmatched(r, RECEIVE_UNREADABLE, "codes of pages %d and %d of "
                          "%s on one page", pg0, ref[i].page, ref[0].number);
                return ERR_OK;
            }
            pg0 = ref[i].page;
        }
    }
    if ((rc = store_registry_by_number(s, ref[0].number, &doc, &found, e)))
        return rc;
    if (!found || doc.status == STORE_DOC_ALLOCATED) {
        unmatched(r, RECEIVE_FOREIGN, "%s is not a document this registry "
                  "issued", ref[0].number);
        return ERR_OK;
    }
    for (int i = 0; i < nref; i++)
        if (ref[i].hash[0] && strncmp(ref[i].hash, doc.data_hash, 8)) {
            unmatched(r, RECEIVE_FOREIGN, "%s: the code's data hash is not "
                      "the registry's (%s)", ref[0].number, ref[i].hash);
            return ERR_OK;
        }
    if ((rc = store_registry_boxes_of(s, doc.number, &pages, box, &nbox, e)))
        return rc;
    snprintf(r->number, sizeof r->number, "%s", doc.number);
    snprintf(r->kind, sizeof r->kind, "%s", store_doc_kind_name(doc.kind));
    snprintf(r->subject, sizeof r->subject, "%s", doc.subject);
    r->doc_pages = pages;
    r->doc_page = 0;
    for (int i = 0; i < nref; i++)
        if (ref[i].page) {
            r->doc_page = ref[i].page;
            if (pages && ref[i].pages != pages) {
                unmatched(r, RECEIVE_UNREADABLE, "a page code %d/%d of a "
                          "document of %d pages", ref[i].page, ref[i].pages,
                          pages);
                return ERR_OK;
            }
        }
    if (!r->doc_page)           /* the sign-off's code: the last page */
        r->doc_page = pages ? pages : 1;
    for (int i = 0; i < nref; i++)  /* ... and only there */
        if (!ref[i].page && pages && r->doc_page != pages) {
            unmatched(r, RECEIVE_UNREADABLE, "the sign-off's code of %s on "
                      "its page %d of %d", doc.number, r->doc_page, pages);
            return ERR_OK;
        }
    snprintf(period, 8, "%s", doc.period);
    r->state = doc.status == STORE_DOC_SUPERSEDED ? RECEIVE_OUTDATED
                                                  : RECEIVE_CURRENT;
    snprintf(r->superseded_by, sizeof r->superseded_by, "%s",
             doc.superseded_by);
    /* the map: each code's corners onto where it was drawn */
    for (int i = 0; i < nref; i++) {
        const struct store_doc_box *b =
            box_of(box, nbox, ref[i].mark == 'A' ? "qr-a" : "qr-s",
                   r->doc_page);
        const struct receive_qr_symbol *y = &f.sym[use[i]];
        double c[4][2];
        if (!b || (ref[i].mark && ref[i].mark != 'A'))
            continue;
        c[0][0] = b->x0, c[0][1] = b->y0;
        c[1][0] = b->x1, c[1][1] = b->y0;
        c[2][0] = b->x1, c[2][1] = b->y1;
        c[3][0] = b->x0, c[3][1] = b->y1;
        for (int k = 0; k < 4; k++) {
            pt[npt][0] = c[k][0], pt[npt][1] = c[k][1];
            px[npt][0] = y->corner[k][0], px[npt][1] = y->corner[k][1];
            npt++;
        }
    }
    r->nfields = 0;
    if (npt < 4 || !fit(pt, px, npt, &m))
        return ERR_OK;          /* no boxes recorded: matched, unchecked */
    for (int i = 0; i < nbox && r->nfields < RECEIVE_FIELDS_MAX; i++) {
        int k = r->nfields;
        if (strncmp(box[i].name, "sign-", 5) || box[i].page != r->doc_page)
            continue;
        snprintf(r->field[k], sizeof r->field[k], "%s", box[i].name);
        r->ink_frac[k] = ink(p, &m, &box[i]);
        r->ink[k] = r->ink_frac[k] >= INK_SIGNED;
        r->nfields++;
    }
    return ERR_OK;
}

/* ---- the call ----------------------------------------------------------- */

struct rpage {
    struct receive_page_result r;
    int file;                   /* index into files */
    char period[8];
    long long jpeg_at;          /* the page as archived: a JPEG in the */
    size_t jpeg_len;            /* call's spool file, at this offset */
    int w, h;
    double dpi;
};

struct rfile {
    const char *name;
    char *data;                 /* owned */
    size_t len;
    char sha[65];
    char received[11];
    const char *ext;
    int known;
    char known_date[11];
    int first, npages;          /* its pages in the rpage list */
};

struct rcall {
    struct rfile *f;
    int nf;
    struct rpage *p;
    size_t np, cap;
    FILE *spool;                /* the pages' JPEGs until they are written:
                                   memory stays one page, whatever the
                                   batch (an unlinked temporary file) */
    long long spooled;
};

static void call_free(struct rcall *c)
{
    for (int i = 0; i < c->nf; i++)
        mem_free(c->f[i].data);
    mem_free(c->f);
    mem_free(c->p);
    if (c->spool)
        fclose(c->spool);
}

/* Encode page pg as q's JPEG into the spool. */
static int spool_page(struct rcall *c, const struct receive_page *pg,
                      struct rpage *q, struct err *e)
{
    unsigned char *jpeg = NULL;
    size_t len = 0;
    int rc;

    if (!c->spool && !(c->spool = tmpfile()))
        return err_set(e, ERR_CANTCREAT, "receive: cannot create a temporary "
                       "file: %s", strerror(errno));
    if ((rc = receive_page_jpeg(pg, JPEG_QUALITY, &jpeg, &len, e)))
        return rc;
    if (fwrite(jpeg, 1, len, c->spool) != len)
        rc = err_set(e, ERR_IO, "receive: writing a temporary file: %s",
                     strerror(errno));
    q->jpeg_at = c->spooled;
    q->jpeg_len = len;
    c->spooled += (long long)len;
    mem_free(jpeg);
    return rc;
}

static const char *ext_of(enum receive_scan_kind k)
{
    static const char *const ext[] = {"tif", "pdf", "png", "jpg", "tif"};
    return (unsigned)k < sizeof ext / sizeof ext[0] ? ext[k] : "tif";
}

static int valid_date(const char *d)
{
    int y, m, dd;
    char extra;
    return d && strlen(d) == 10 &&
           sscanf(d, "%4d-%2d-%2d%c", &y, &m, &dd, &extra) == 3 &&
           y >= 2000 && m >= 1 && m <= 12 && dd >= 1 && dd <= 31;
}

/* Read, hash and analyse file i. */
static int read_file(struct rcall *c, int i, struct store *s,
                     const char *ours, const struct receive_opts *o,
                     struct err *e)
{
    struct rfile *f = &c->f[i];
    struct receive_scan *sc = NULL;
    struct stat sb;
    int rc, n;

    long long bytes = 0;

    if ((rc = fsx_sha256_file(f->name, f->sha, &bytes, e)))
        return rc;
    if ((rc = store_signed_scan_known(s, f->sha, &f->known, f->known_date,
                                      e)))
        return rc;
    for (int j = 0; j < i && !f->known; j++)
        if (!strcmp(c->f[j].sha, f->sha))
            f->known = 1;       /* the same bytes given twice: once */
    if (o->received)
        snprintf(f->received, sizeof f->received, "%s", o->received);
    else if (!stat(f->name, &sb)) {
        struct tm tm;
        time_t t = sb.st_mtime;
        gmtime_r(&t, &tm);
        strftime(f->received, sizeof f->received, "%Y-%m-%d", &tm);
    }
    if (f->known)
        return ERR_OK;
    if ((rc = receive_scan_open(f->name, &sc, e)))
        return rc;
    f->ext = ext_of(receive_scan_kind(sc));
    n = receive_scan_pages(sc);
    f->first = (int)c->np;
    for (int k = 0; k < n && !rc; k++) {
        struct receive_page pg;
        struct rpage *q;
        if (c->np == c->cap) {
            size_t cap = c->cap ? 2 * c->cap : 64;
            struct rpage *np = mem_realloc(c->p, cap * sizeof *np);
            if (!np) {
                rc = err_set(e, ERR_NOMEM, "receive: out of memory");
                break;
            }
            c->p = np;
            c->cap = cap;
        }
        q = &c->p[c->np];
        memset(q, 0, sizeof *q);
        if ((rc = receive_scan_page(sc, k, &pg, e)))
            break;
        c->np++;
        q->file = i;
        q->r.file = f->name;
        q->r.page = k + 1;
        q->r.pages = n;
        q->w = pg.width;
        q->h = pg.height;
        q->dpi = pg.dpi > 0 ? pg.dpi : RECEIVE_SCAN_PDF_DPI;
        if (!(rc = analyse(s, ours, &pg, &q->r, q->period, e)))
            rc = spool_page(c, &pg, q, e);
        receive_page_free(&pg);
    }
    f->npages = (int)c->np - f->first;
    receive_scan_close(sc);
    return rc;
}

/* The period unmatched pages of file f go to. */
static void file_period(const struct rcall *c, const struct rfile *f,
                        const struct receive_opts *o, char out[8])
{
    for (int k = f->first; k < f->first + f->npages; k++)
        if (c->p[k].period[0]) {
            memcpy(out, c->p[k].period, 8);
            return;
        }
    if (o->period)
        snprintf(out, 8, "%s", o->period);
    else
        snprintf(out, 8, "%.7s", f->received);
}

static int write_pdf(FILE *spool, const char *path, struct rpage *const *pg,
                     int n, const char *title, const char *date, char sha[65],
                     long long *bytes, struct err *e)
{
    struct pdf_scan_page *sp = mem_calloc((size_t)n, sizeof *sp);
    unsigned char **jpeg = mem_calloc((size_t)n, sizeof *jpeg);
    int rc = ERR_OK;

    if (!sp || !jpeg)
        rc = err_set(e, ERR_NOMEM, "receive: out of memory");
    fflush(spool);
    for (int i = 0; i < n && !rc; i++) {
        if (!(jpeg[i] = mem_malloc(pg[i]->jpeg_len ? pg[i]->jpeg_len : 1)))
            rc = err_set(e, ERR_NOMEM, "receive: out of memory");
        else if (pread(fileno(spool), jpeg[i], pg[i]->jpeg_len,
                       (off_t)pg[i]->jpeg_at) != (ssize_t)pg[i]->jpeg_len)
            rc = err_set(e, ERR_IO, "receive: reading a temporary file: %s",
                         strerror(errno));
        sp[i] = (struct pdf_scan_page){jpeg[i], pg[i]->jpeg_len, pg[i]->w,
                                       pg[i]->h, 1, pg[i]->dpi};
    }
    if (!rc)
        rc = pdf_scan_write(path, sp, n, title, date, sha, bytes, e);
    for (int i = 0; jpeg && i < n; i++)
        mem_free(jpeg[i]);
    mem_free(jpeg);
    mem_free(sp);
    return rc;
}

/* Remember path (copied) as written by this call, for a rollback. */
static int add_written(char **written, int *nw, const char *path,
                       struct err *e)
{
    size_t len = strlen(path) + 1;
    if (!(written[*nw] = mem_malloc(len)))
        return err_set(e, ERR_NOMEM, "receive: out of memory");
    memcpy(written[(*nw)++], path, len);
    return ERR_OK;
}

/* Join a set of field names with commas. */
static void join(const struct receive_page_result *r, int ink, char *out,
                 size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (int k = 0; k < r->nfields; k++)
        if (r->ink[k] == ink)
            len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%s%s",
                                    len ? "," : "", r->field[k]);
}

/* The signed copy of one document: the pages of this call, by page. */
static int write_copy(struct rcall *c, struct store *s, const char *out,
                      size_t first, int occ, int *made, char **written,
                      int *nw, struct receive_stats *st, struct err *e)
{
    const char *number = c->p[first].r.number;
    char rel[128], path[PATH_MAX], sha[65], sig[256], miss[256];
    struct rpage **pg;
    struct buf pages;
    long long bytes = 0;
    int n = 0, m = 0, version = 0, rc = ERR_OK, complete, top = 0;
    const struct rpage *last = NULL;

    *made = 0;
    for (size_t k = first; k < c->np; k++)
        if ((c->p[k].r.state == RECEIVE_CURRENT ||
             c->p[k].r.state == RECEIVE_OUTDATED) &&
            !strcmp(c->p[k].r.number, number)) {
            m++;
            top = c->p[k].r.doc_page > top ? c->p[k].r.doc_page : top;
        }
    if (!(pg = mem_calloc((size_t)m + 1, sizeof *pg)))
        return err_set(e, ERR_NOMEM, "receive: out of memory");
    /* the pages of this call for number, by its page: the occ-th scan of
     * each page (a page scanned twice makes a second version) */
    for (int dp = 1; dp <= top; dp++) {
        int seen = 0;
        for (size_t k = first; k < c->np; k++) {
            struct rpage *q = &c->p[k];
            if ((q->r.state == RECEIVE_CURRENT ||
                 q->r.state == RECEIVE_OUTDATED) &&
                !strcmp(q->r.number, number) && q->r.doc_page == dp &&
                seen++ == occ) {
                pg[n++] = q;
                break;
            }
        }
    }
    if (n == 0) {
        mem_free(pg);
        return ERR_OK;
    }
    *made = 1;
    if ((rc = store_signed_last_version(s, number, &version, e))) {
        mem_free(pg);
        return rc;
    }
    version++;
    if (version == 1)
        snprintf(rel, sizeof rel, "signed/%s.pdf", number);
    else
        snprintf(rel, sizeof rel, "signed/%s-%d.pdf", number, version);
    snprintf(path, sizeof path, "%s/%s/%s", out, c->p[first].period, rel);
    /* per page of the document, the scan page it holds or "-" */
    buf_init(&pages, (size_t)1 << 24);
    if (pg[0]->r.doc_pages > top)
        top = pg[0]->r.doc_pages;
    for (int dp = 1, i = 0; dp <= top; dp++) {
        if (i < n && pg[i]->r.doc_page == dp) {
            buf_printf(&pages, "%s%.16s:%d", dp > 1 ? "," : "",
                       c->f[pg[i]->file].sha, pg[i]->r.page);
            if (pg[i]->r.doc_page == pg[i]->r.doc_pages)
                last = pg[i];
            i++;
        } else {
            buf_printf(&pages, "%s-", dp > 1 ? "," : "");
        }
    }
    if (buf_status(&pages))
        rc = err_set(e, ERR_NOMEM, "receive: out of memory");
    complete = pg[0]->r.doc_pages > 0 ? n == pg[0]->r.doc_pages : 1;
    sig[0] = miss[0] = '\0';
    if (last) {
        join(&last->r, 1, sig, sizeof sig);
        join(&last->r, 0, miss, sizeof miss);
    }
    if (!rc)
        rc = write_pdf(c->spool, path, pg, n, number,
                       c->f[pg[0]->file].received, sha, &bytes, e);
    if (!rc)
        rc = add_written(written, nw, path, e);
    for (int i = 0; i < n && !rc; i++)  /* what the report says */
        snprintf(pg[i]->r.stored, sizeof pg[i]->r.stored, "%s/%s",
                 c->p[first].period, rel);
    if (!rc) {
        const struct store_signed_copy sc = {
            number, version, rel, sha, bytes, buf_str(&pages), complete, sig,
            miss, c->f[pg[0]->file].received};
        rc = store_signed_add_copy(s, &sc, e);
        st->copies++;
    }
    buf_free(&pages);
    mem_free(pg);
    return rc;
}

int receive_run(const struct receive_opts *o, const char *const *files,
                int n,
                void (*report)(void *ctx, const struct receive_page_result *r),
                void (*known)(void *ctx, const char *file, const char *date),
                void *ctx, struct receive_stats *st, struct err *e)
{
    struct store *s = NULL;
    struct rcall c = {0};
    char ours[STORE_REGISTRY_ID_MAX] = "";
    char **written = NULL;
    int nw = 0, rc;

    memset(st, 0, sizeof *st);
    if (o->received && !valid_date(o->received))
        return err_set(e, ERR_USAGE, "--received '%s' is not a date "
                       "YYYY-MM-DD", o->received);
    if ((rc = store_open(o->db, STORE_MUST_EXIST, &s, e)))
        return rc;
    if ((rc = store_registry_id(s, ours, e)))
        goto out;
    if (!ours[0]) {
        rc = err_set(e, ERR_DATA, "%s: the registry has no identity yet "
                     "(nothing was imported and rendered): nothing to "
                     "receive", o->db);
        goto out;
    }
    if (!(c.f = mem_calloc((size_t)n, sizeof *c.f))) {
        rc = err_set(e, ERR_NOMEM, "receive: out of memory");
        goto out;
    }
    c.nf = n;
    /* 1. read and analyse everything; nothing is written yet */
    for (int i = 0; i < n && !rc; i++) {
        c.f[i].name = files[i];
        rc = read_file(&c, i, s, ours, o, e);
    }
    if (rc)
        goto out;
    /* 2. write and register, in one transaction */
    if (!(written = mem_calloc(c.np + (size_t)n + 1, sizeof *written))) {
        rc = err_set(e, ERR_NOMEM, "receive: out of memory");
        goto out;
    }
    if ((rc = store_begin(s, e)))
        goto out;
    for (int i = 0; i < n && !rc; i++) {
        struct rfile *f = &c.f[i];
        char rel[128], path[PATH_MAX], dir[PATH_MAX], period[8];
        st->files++;
        if (f->known) {
            st->known++;
            continue;
        }
        snprintf(rel, sizeof rel, "received/%s.%s", f->sha, f->ext);
        snprintf(path, sizeof path, "%s/%s", o->out, rel);
        snprintf(dir, sizeof dir, "%s/received", o->out);
        if ((rc = fsx_read_file(f->name, RECEIVE_SCAN_MAX_BYTES, &f->data,
                                &f->len, e)))
            break;
        {
            char again[65];
            sha256_buf(f->data, f->len, again);
            if (strcmp(again, f->sha)) {
                rc = err_set(e, ERR_DATA, "%s: changed while it was being "
                             "received; receive it again", f->name);
                break;
            }
        }
        if ((rc = fsx_mkdirs(dir, e)) ||
            (rc = fsx_write_file(path, f->data, f->len, e)))
            break;
        mem_free(f->data);
        f->data = NULL;
        if ((rc = add_written(written, &nw, path, e)))
            break;
        if ((rc = store_signed_add_scan(s, f->sha, f->name, f->received,
                                        f->npages, rel, e)))
            break;
        file_period(&c, f, o, period);
        for (int k = f->first; k < f->first + f->npages && !rc; k++) {
            struct rpage *q = &c.p[k];
            char sig[256], blank[256];
            int matched = q->r.state == RECEIVE_CURRENT ||
                          q->r.state == RECEIVE_OUTDATED;
            st->pages++;
            if (matched) {
                st->current += q->r.state == RECEIVE_CURRENT;
                st->outdated += q->r.state == RECEIVE_OUTDATED;
                snprintf(dir, sizeof dir, "%s/%s/signed", o->out, q->period);
                rc = fsx_mkdirs(dir, e);
            } else {
                struct rpage *one = q;
                char sha[65];
                long long bytes;
                st->unmatched++;
                snprintf(q->r.stored, sizeof q->r.stored,
                         "%s/signed/unmatched/%.16s-p%d.pdf", period, f->sha,
                         q->r.page);
                snprintf(dir, sizeof dir, "%s/%s/signed/unmatched", o->out,
                         period);
                snprintf(path, sizeof path, "%s/%s", o->out, q->r.stored);
                if (!(rc = fsx_mkdirs(dir, e)) &&
                    !(rc = write_pdf(c.spool, path, &one, 1, "unmatched",
                                     f->received, sha, &bytes, e)))
                    rc = add_written(written, &nw, path, e);
            }
            join(&q->r, 1, sig, sizeof sig);
            join(&q->r, 0, blank, sizeof blank);
            if (!rc) {
                const struct store_scan_page sp = {
                    f->sha, q->r.page, receive_state_name(q->r.state),
                    matched ? q->r.number : NULL, q->r.doc_page, sig, blank,
                    matched ? NULL : q->r.stored};
                rc = store_signed_add_page(s, &sp, e);
            }
        }
    }
    /* the signed copies of each document, in the order first seen: one,
     * and one more for each further scan of a page */
    for (size_t k = 0; k < c.np && !rc; k++) {
        const struct rpage *q = &c.p[k];
        int seen = 0;
        if (q->r.state != RECEIVE_CURRENT && q->r.state != RECEIVE_OUTDATED)
            continue;
        for (size_t j = 0; j < k && !seen; j++)
            seen = (c.p[j].r.state == RECEIVE_CURRENT ||
                    c.p[j].r.state == RECEIVE_OUTDATED) &&
                   !strcmp(c.p[j].r.number, q->r.number);
        for (int occ = 0, made = 1; !seen && made && !rc; occ++)
            rc = write_copy(&c, s, o->out, k, occ, &made, written, &nw, st,
                            e);
    }
    if (!rc)
        rc = store_commit(s, e);
    if (rc) {
        store_rollback(s);
        for (int i = 0; i < nw; i++)
            unlink(written[i]);     /* the files of a call not registered */
        memset(st, 0, sizeof *st);
        goto out;
    }
    for (int i = 0; i < n; i++)
        if (c.f[i].known && known)
            known(ctx, c.f[i].name, c.f[i].known_date);
    for (size_t k = 0; k < c.np && report; k++)
        report(ctx, &c.p[k].r);
out:
    for (int i = 0; written && i < nw; i++)
        mem_free(written[i]);
    mem_free(written);
    call_free(&c);
    store_close(s);
    return rc;
}
