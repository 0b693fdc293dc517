/* receive_qr -- the QR codes on a scanned page, with their corners in the
 * symbol's own order.
 *
 * Stage 5 (receive): after receive_scan gives a page as gray, this finds
 * the document references printed on it.  libzbar (used only here) with
 * every symbology off but QR.
 *
 * Passes, stopping at the first that finds a code:
 *  1. zbar on every other row and column (half the time; the keqing
 *     sheet's code has 3.8 pixels a module at 200 dpi) - of the page, or,
 *     for a page of 400 dpi or more (or, with no dpi, of more than 12 M
 *     pixels), of a copy box-averaged down to 200-300 dpi, its corners
 *     mapped back to the page (a third of the pixels at 600 dpi);
 *  2. every row and column of the page;
 *  3. a contrast-stretched copy (a pale or grey-on-grey scan);
 *  4. that copy halved (JPEG noise averages out).
 * A page with no code costs every pass.  Not 2x for 300 dpi: halved, the
 * sheet's modules are under 3 pixels and zbar misses them.
 *
 * Corners: zbar 0.23 gives a QR symbol's four points in the symbol's
 * frame as TL, BL, BR, TR (counter-clockwise as printed), whatever the
 * page's rotation - checked at 0/90/180/270 degrees and with skew
 * (tests/unit/check_receive.c) - so they are reordered to TL, TR, BR, BL.
 */
#include "receive_qr.h"

#include "err.h"
#include "mem.h"
#include "receive_scan.h"

#include <stdlib.h>
#include <string.h>
#include <zbar.h>

/* One pass's view of the page: w x h gray bytes, stride w, and how its
 * coordinates map back to the page's (page = (x + 0.5) * scale - 0.5). */
struct view {
    const unsigned char *px;
    int w, h;
    int scale;
    int ox, oy;                 /* a corner's crop: where it lies */
};

struct found_all {
    struct receive_qr_found *out;
    int count;                  /* QR symbols kept, may exceed RECEIVE_QR_MAX */
};

/* zbar looks at every n-th row and column */
static void density(zbar_image_scanner_t *sc, int n)
{
    zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_X_DENSITY, n);
    zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_Y_DENSITY, n);
}

static double back(int v, int scale)
{
    return scale == 1 ? v : (v + 0.5) * scale - 0.5;
}

/* Run zbar over v and add what it finds.  ERR_NOMEM, ERR_INTERNAL. */
static int scan_view(zbar_image_scanner_t *sc, const struct view *v,
                     struct found_all *fa, struct err *e)
{
    zbar_image_t *img = zbar_image_create();
    if (!img)
        return err_set(e, ERR_NOMEM, "QR decoder: out of memory");
    zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(img, (unsigned)v->w, (unsigned)v->h);
    zbar_image_set_data(img, v->px, (unsigned long)v->w * (unsigned long)v->h,
                        NULL);
    int n = zbar_scan_image(sc, img);
    if (n < 0) {
        zbar_image_destroy(img);
        return err_set(e, ERR_INTERNAL, "QR decoder (zbar) failed on a %d x %d "
                       "page", v->w, v->h);
    }
    for (const zbar_symbol_t *s = zbar_image_first_symbol(img); s;
         s = zbar_symbol_next(s)) {
        const char *d = zbar_symbol_get_data(s);
        unsigned len = zbar_symbol_get_data_length(s);
        if (zbar_symbol_get_type(s) != ZBAR_QRCODE || !d ||
            len >= RECEIVE_QR_TEXT_MAX || memchr(d, '\0', len) ||
            zbar_symbol_get_loc_size(s) != 4) {
            fa->out->other++;
            continue;
        }
        if (fa->count++ >= RECEIVE_QR_MAX)
            continue;
        struct receive_qr_symbol *q = &fa->out->sym[fa->out->n++];
        memcpy(q->text, d, len);
        q->text[len] = '\0';
        /* zbar: TL, BL, BR, TR; ours: TL, TR, BR, BL */
        static const unsigned from[4] = { 0, 3, 2, 1 };
        for (int k = 0; k < 4; k++) {
            q->corner[k][0] = back(zbar_symbol_get_loc_x(s, from[k]), v->scale) +
                              v->ox;
            q->corner[k][1] = back(zbar_symbol_get_loc_y(s, from[k]), v->scale) +
                              v->oy;
        }
    }
    zbar_image_destroy(img);
    return ERR_OK;
}

/* Pass 0: the four corners of the page, where keqing prints its codes
 * (the page code top right, the sign-off's bottom right; at 90 or 180
 * degrees on the glass they are in another corner), each CORNER_W x
 * CORNER_H of the page, every third line.  A quarter of the page's area:
 * most pages need nothing more.  ERR_NOMEM, ERR_INTERNAL. */
#define CORNER_W 0.30
#define CORNER_H 0.22
static int scan_corners(zbar_image_scanner_t *sc, const unsigned char *px,
                        int w, int h, struct found_all *fa, struct err *e)
{
    int cw = (int)(w * CORNER_W), ch = (int)(h * CORNER_H), rc = ERR_OK;
    unsigned char *buf;

    if (cw < 64 || ch < 64)
        return ERR_OK;
    if (!(buf = mem_malloc((size_t)cw * (size_t)ch)))
        return err_set(e, ERR_NOMEM, "QR decoder: out of memory");
    for (int k = 0; k < 4 && !rc; k++) {
        struct view v = {buf, cw, ch, 1, k & 1 ? w - cw : 0,
                         k & 2 ? h - ch : 0};
        for (int y = 0; y < ch; y++)
            memcpy(buf + (size_t)y * (size_t)cw,
                   px + (size_t)(v.oy + y) * (size_t)w + (size_t)v.ox,
                   (size_t)cw);
        rc = scan_view(sc, &v, fa, e);
    }
    mem_free(buf);
    return rc;
}

/* src (w x h, stride) box-averaged by f into an owned w/f x h/f copy. */
static unsigned char *shrink(const unsigned char *src, int w, int h, int stride,
                             int f, int *ow, int *oh)
{
    int W = w / f, H = h / f;
    if (W < 1 || H < 1)
        return NULL;
    unsigned char *d = mem_malloc((size_t)W * (size_t)H);
    unsigned *acc = mem_calloc((size_t)W, sizeof *acc);
    if (!d || !acc) {
        mem_free(d);
        mem_free(acc);
        return NULL;
    }
    unsigned div = (unsigned)(f * f);
    for (int y = 0; y < H; y++) {
        memset(acc, 0, (size_t)W * sizeof *acc);
        for (int r = 0; r < f; r++) {
            const unsigned char *row = src + (size_t)(y * f + r) * stride;
            if (f == 2) {
                for (int x = 0; x < W; x++)
                    acc[x] += (unsigned)row[2 * x] + row[2 * x + 1];
            } else {
                for (int x = 0; x < W; x++)
                    for (int c = 0; c < f; c++)
                        acc[x] += row[x * f + c];
            }
        }
        unsigned char *o = d + (size_t)y * W;
        for (int x = 0; x < W; x++)
            o[x] = (unsigned char)((acc[x] + div / 2) / div);
    }
    mem_free(acc);
    *ow = W;
    *oh = H;
    return d;
}

/* An owned copy of src with its 1st..99th percentile stretched to
 * 0..255; NULL on no memory.  *flat is set when the page has no range
 * worth stretching (the copy is then not made). */
static unsigned char *stretch(const unsigned char *src, int w, int h,
                              int stride, int *flat)
{
    size_t hist[256] = { 0 }, total = (size_t)w * (size_t)h;
    for (int y = 0; y < h; y++) {
        const unsigned char *row = src + (size_t)y * stride;
        for (int x = 0; x < w; x++)
            hist[row[x]]++;
    }
    size_t cut = total / 100, acc = 0;
    int lo = 0, hi = 255;
    for (lo = 0; lo < 255 && (acc += hist[lo]) <= cut; lo++)
        ;
    for (acc = 0, hi = 255; hi > 0 && (acc += hist[hi]) <= cut; hi--)
        ;
    *flat = hi - lo < 8 || (lo == 0 && hi == 255);
    if (*flat)
        return NULL;
    unsigned char map[256];
    for (int i = 0; i < 256; i++) {
        int v = i <= lo ? 0 : i >= hi ? 255 : (i - lo) * 255 / (hi - lo);
        map[i] = (unsigned char)v;
    }
    unsigned char *d = mem_malloc(total);
    if (!d)
        return NULL;
    for (int y = 0; y < h; y++) {
        const unsigned char *row = src + (size_t)y * stride;
        unsigned char *o = d + (size_t)y * w;
        for (int x = 0; x < w; x++)
            o[x] = map[row[x]];
    }
    return d;
}

static int cmp_sym(const void *a, const void *b)
{
    const struct receive_qr_symbol *p = a, *q = b;
    int c = strcmp(p->text, q->text);
    if (c)
        return c;
    for (int k = 0; k < 2; k++) {
        double d = p->corner[0][1 - k] - q->corner[0][1 - k];   /* y, then x */
        if (d)
            return d < 0 ? -1 : 1;
    }
    return 0;
}

static int nomem(struct err *e, const struct receive_page *p)
{
    return err_set(e, ERR_NOMEM, "QR decoder: out of memory for a %d x %d page",
                   p->width, p->height);
}

int receive_qr_decode_corners(const struct receive_page *p,
                              struct receive_qr_found *out, struct err *e)
{
    struct found_all fa = { out, 0 };
    int rc;

    memset(out, 0, sizeof *out);
    if (!p || !p->px || p->width < 1 || p->height < 1 ||
        p->stride != p->width || p->dpi >= 400)
        return ERR_OK;          /* not this shortcut's kind of page */
    zbar_image_scanner_t *sc = zbar_image_scanner_create();
    if (!sc)
        return nomem(e, p);
    zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    density(sc, 3);
    rc = scan_corners(sc, p->px, p->width, p->height, &fa, e);
    zbar_image_scanner_destroy(sc);
    if (rc || fa.count > RECEIVE_QR_MAX)
        memset(out, 0, sizeof *out);
    else
        qsort(out->sym, (size_t)out->n, sizeof out->sym[0], cmp_sym);
    return rc;
}

int receive_qr_decode(const struct receive_page *p,
                      struct receive_qr_found *out, struct err *e)
{
    struct found_all fa = { out, 0 };
    unsigned char *tmp[3] = { NULL, NULL, NULL };
    int rc = ERR_OK, flat = 0;

    memset(out, 0, sizeof *out);
    if (!p || !p->px || p->width < 1 || p->height < 1 || p->stride < p->width)
        return err_set(e, ERR_USAGE, "QR decoder: no page");
    zbar_image_scanner_t *sc = zbar_image_scanner_create();
    if (!sc)
        return nomem(e, p);
    zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);

    /* the page as zbar wants it: stride == width */
    struct view full = { p->px, p->width, p->height, 1, 0, 0 };
    if (p->stride != p->width) {
        tmp[0] = mem_malloc((size_t)p->width * (size_t)p->height);
        if (!tmp[0]) {
            rc = nomem(e, p);
            goto done;
        }
        for (int y = 0; y < p->height; y++)
            memcpy(tmp[0] + (size_t)y * p->width, p->px + (size_t)y * p->stride,
                   (size_t)p->width);
        full.px = tmp[0];
    }

    int f = 1;
    if (p->dpi >= 400)
        f = (int)(p->dpi / 200);   /* 300 dpi: halved is too coarse */
    else if (p->dpi <= 0 && (long)p->width * p->height > 12000000L)
        f = 2;
    if (f > 4)
        f = 4;

    /* 1. every third line of the page, or of a copy at about 200 dpi for
     * a high-resolution page (a module is 4 or more lines at 200 dpi, so
     * no code is missed that a full pass finds on a clean page) */
    density(sc, 3);
    if (f == 1 && (rc = scan_view(sc, &full, &fa, e)) != ERR_OK)
        goto done;
    if (f > 1) {
        struct view v = { NULL, 0, 0, f, 0, 0 };
        tmp[1] = shrink(full.px, full.w, full.h, full.w, f, &v.w, &v.h);
        if (tmp[1]) {
            v.px = tmp[1];
            if ((rc = scan_view(sc, &v, &fa, e)) != ERR_OK)
                goto done;
        } else if (full.w >= f && full.h >= f) {
            rc = nomem(e, p);
            goto done;
        }
        mem_free(tmp[1]);
        tmp[1] = NULL;
    }
    /* 2. every line of the page */
    density(sc, 1);
    if (fa.count == 0 && (rc = scan_view(sc, &full, &fa, e)) != ERR_OK)
        goto done;
    /* 3. contrast stretched; 4. that, halved */
    if (fa.count == 0) {
        tmp[1] = stretch(full.px, full.w, full.h, full.w, &flat);
        if (!tmp[1] && !flat) {
            rc = nomem(e, p);
            goto done;
        }
        if (tmp[1]) {
            struct view v = { tmp[1], full.w, full.h, 1, 0, 0 };
            if ((rc = scan_view(sc, &v, &fa, e)) != ERR_OK)
                goto done;
        }
    }
    if (fa.count == 0 && full.w >= 64 && full.h >= 64) {
        struct view v = { NULL, 0, 0, 2, 0, 0 };
        const unsigned char *src = tmp[1] ? tmp[1] : full.px;
        tmp[2] = shrink(src, full.w, full.h, full.w, 2, &v.w, &v.h);
        if (!tmp[2]) {
            rc = nomem(e, p);
            goto done;
        }
        v.px = tmp[2];
        if ((rc = scan_view(sc, &v, &fa, e)) != ERR_OK)
            goto done;
    }

    if (fa.count > RECEIVE_QR_MAX) {
        rc = err_set(e, ERR_DATA, "%d QR codes on one page, more than the %d "
                     "a page may have", fa.count, RECEIVE_QR_MAX);
        goto done;
    }
    qsort(out->sym, (size_t)out->n, sizeof out->sym[0], cmp_sym);
done:
    for (int i = 0; i < 3; i++)
        mem_free(tmp[i]);
    zbar_image_scanner_destroy(sc);
    if (rc != ERR_OK) {
        int other = out->other;
        memset(out, 0, sizeof *out);
        out->other = other;
    }
    return rc;
}
