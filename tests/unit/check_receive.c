/* check_receive -- scans back into pages and QR codes (receive_scan.c,
 * receive_qr.c).
 *
 * Every image is made here: a QR matrix from sheet_qr_encode painted into
 * a gray raster at a known place (module 5 px, quiet zone), then written
 * as PNG, JPEG, TIFF (leptonica) or PDF (cairo), so each test knows the
 * text and where the symbol's top-left finder was painted.  Asserted: the
 * text, the corners in the symbol's order at 0/90/180/270 degrees and
 * with skew, pages of a multi-page TIFF and a 2-page PDF, and refusals
 * (not a scan, truncated, too many pixels without allocating, encrypted,
 * too many codes), with nothing printed on stderr.
 */
#include "unit.h"

#include "err.h"
#include "mem.h"
#include "archive_returns.h"
#include "pdf_scan.h"
#include "receive_qr.h"
#include "receive_scan.h"
#include "sheet_qr.h"
#include "store_signed.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <leptonica/allheaders.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char text1[] = "KQ-202610-000123 3F9A1C2E 3F9A1C2E7B40";

/* A white gray raster. */
struct raster {
    int w, h;
    unsigned char *px;
};

static struct raster raster_new(int w, int h)
{
    struct raster r = { w, h, malloc((size_t)w * h) };
    ck_assert_ptr_nonnull(r.px);
    memset(r.px, 255, (size_t)w * h);
    return r;
}

/* Paint text's symbol, module m px, its bounding box's top-left at
 * (ox, oy), turned rot degrees clockwise (0, 90, 180, 270), dark = ink.
 * corners[4][2]: where the symbol's TL, TR, BR, BL were painted. */
static void paint(struct raster *r, const char *text, int ox, int oy, int m,
                  int rot, unsigned char ink, double corners[4][2])
{
    struct sheet_qr q;
    struct err e;
    ck_assert_int_eq(sheet_qr_encode(text, &q, &e), ERR_OK);
    int n = q.width;
    for (int v = 0; v < n; v++)
        for (int u = 0; u < n; u++) {
            if (!sheet_qr_is_dark(&q, u, v))
                continue;
            int X = u, Y = v;
            if (rot == 90) { X = n - 1 - v; Y = u; }
            else if (rot == 180) { X = n - 1 - u; Y = n - 1 - v; }
            else if (rot == 270) { X = v; Y = n - 1 - u; }
            for (int y = 0; y < m; y++)
                memset(r->px + (size_t)(oy + Y * m + y) * r->w + ox + X * m,
                       ink, (size_t)m);
        }
    if (corners) {
        static const int sym[4][2] = { { 0, 0 }, { 1, 0 }, { 1, 1 }, { 0, 1 } };
        for (int k = 0; k < 4; k++) {
            double a = sym[k][0] * n, b = sym[k][1] * n, X = a, Y = b;
            if (rot == 90) { X = n - b; Y = a; }
            else if (rot == 180) { X = n - a; Y = n - b; }
            else if (rot == 270) { X = b; Y = n - a; }
            corners[k][0] = ox + X * m;
            corners[k][1] = oy + Y * m;
        }
    }
    sheet_qr_free(&q);
}

static struct receive_page page_of(const struct raster *r, double dpi)
{
    struct receive_page p = { r->w, r->h, r->w, r->px, dpi };
    return p;
}

/* Each corner within tol pixels of where it was painted. */
static void assert_corners(const struct receive_qr_symbol *s,
                           double want[4][2], double tol)
{
    for (int k = 0; k < 4; k++) {
        double dx = s->corner[k][0] - want[k][0], dy = s->corner[k][1] - want[k][1];
        if (!(fabs(dx) <= tol && fabs(dy) <= tol))
            ck_abort_msg("corner %d at (%.1f, %.1f), painted at (%.1f, %.1f)", k,
                         s->corner[k][0], s->corner[k][1], want[k][0], want[k][1]);
    }
}

/* The raster as a leptonica 8-bit image at dpi. */
static PIX *pix_of(const struct raster *r, int dpi)
{
    PIX *p = pixCreate(r->w, r->h, 8);
    ck_assert_ptr_nonnull(p);
    for (int y = 0; y < r->h; y++)
        for (int x = 0; x < r->w; x++)
            pixSetPixel(p, x, y, r->px[(size_t)y * r->w + x]);
    pixSetResolution(p, dpi, dpi);
    return p;
}

static unsigned char *encode(const struct raster *r, int dpi, int format,
                             size_t *n)
{
    l_uint8 *d = NULL;
    PIX *p = pix_of(r, dpi);
    ck_assert_int_eq(pixWriteMem(&d, n, p, format), 0);
    pixDestroy(&p);
    return d;
}

/* stderr into a temporary file while a test runs refusals */
static int saved_stderr = -1;
static FILE *captured;

static void capture_stderr(void)
{
    fflush(stderr);
    captured = tmpfile();
    ck_assert_ptr_nonnull(captured);
    saved_stderr = dup(2);
    ck_assert_int_ge(saved_stderr, 0);
    ck_assert_int_ge(dup2(fileno(captured), 2), 0);
}

/* Restores stderr; the bytes printed meanwhile (0 = silent). */
static long release_stderr(char *first, size_t n)
{
    fflush(stderr);
    dup2(saved_stderr, 2);
    close(saved_stderr);
    long size = ftell(captured);
    rewind(captured);
    size_t got = fread(first, 1, n - 1, captured);
    first[got] = '\0';
    fclose(captured);
    return size;
}

/* ---- QR corners ------------------------------------------------------------ */

START_TEST(corners_in_the_symbols_order_at_each_rotation)
{
    static const int rots[4] = { 0, 90, 180, 270 };
    for (int i = 0; i < 4; i++) {
        struct raster r = raster_new(500, 400);
        double want[4][2];
        struct receive_qr_found f;
        struct err e;
        paint(&r, text1, 140 + 10 * i, 90, 5, rots[i], 0, want);
        struct receive_page p = page_of(&r, 200);
        ck_assert_int_eq(receive_qr_decode(&p, &f, &e), ERR_OK);
        ck_assert_int_eq(f.n, 1);
        ck_assert_int_eq(f.other, 0);
        ck_assert_str_eq(f.sym[0].text, text1);
        assert_corners(&f.sym[0], want, 2.5);
        free(r.px);
    }
}
END_TEST

/* A turned page: sampled by rotating each page pixel back into the
 * straight symbol (nearest module). */
START_TEST(corners_follow_a_skewed_symbol)
{
    struct raster flat = raster_new(400, 400);
    double straight[4][2];
    paint(&flat, text1, 100, 100, 5, 0, 0, straight);
    static const double degs[3] = { 4, -7, 93 };
    for (int i = 0; i < 3; i++) {
        struct raster r = raster_new(600, 600);
        double a = degs[i] * M_PI / 180, ca = cos(a), sa = sin(a);
        /* page = centre + R(a) (flat - flat centre); y down: clockwise */
        for (int y = 0; y < r.h; y++)
            for (int x = 0; x < r.w; x++) {
                double dx = x + 0.5 - 300, dy = y + 0.5 - 300;
                double fx = ca * dx + sa * dy + 200, fy = -sa * dx + ca * dy + 200;
                if (fx >= 0 && fy >= 0 && fx < 400 && fy < 400)
                    r.px[(size_t)y * r.w + x] =
                        flat.px[(size_t)(int)fy * 400 + (int)fx];
            }
        double want[4][2];
        for (int k = 0; k < 4; k++) {
            double dx = straight[k][0] - 200, dy = straight[k][1] - 200;
            want[k][0] = 300 + ca * dx - sa * dy;
            want[k][1] = 300 + sa * dx + ca * dy;
        }
        struct receive_page p = page_of(&r, 0);
        struct receive_qr_found f;
        struct err e;
        ck_assert_int_eq(receive_qr_decode(&p, &f, &e), ERR_OK);
        ck_assert_int_eq(f.n, 1);
        ck_assert_str_eq(f.sym[0].text, text1);
        assert_corners(&f.sym[0], want, 3.5);
        free(r.px);
    }
    free(flat.px);
}
END_TEST

/* 600 dpi: decoded on a third of the page first; corners mapped back. */
START_TEST(high_dpi_page_corners_in_page_pixels)
{
    struct raster r = raster_new(1800, 1500);
    double want[4][2];
    struct receive_qr_found f;
    struct err e;
    paint(&r, text1, 700, 500, 15, 180, 0, want);
    struct receive_page p = page_of(&r, 600);
    ck_assert_int_eq(receive_qr_decode(&p, &f, &e), ERR_OK);
    ck_assert_int_eq(f.n, 1);
    ck_assert_str_eq(f.sym[0].text, text1);
    assert_corners(&f.sym[0], want, 7);   /* 2 pixels of the third */
    free(r.px);
}
END_TEST

START_TEST(low_contrast_and_stride)
{
    /* grey on grey, and a page whose rows are wider than its width */
    struct raster r = raster_new(520, 400);
    memset(r.px, 150, (size_t)r.w * r.h);
    double want[4][2];
    paint(&r, text1, 150, 80, 5, 90, 120, want);
    struct receive_page p = { 500, 400, 520, r.px, 200 };
    struct receive_qr_found f;
    struct err e;
    ck_assert_int_eq(receive_qr_decode(&p, &f, &e), ERR_OK);
    ck_assert_int_eq(f.n, 1);
    ck_assert_str_eq(f.sym[0].text, text1);
    assert_corners(&f.sym[0], want, 2.5);
    /* a blank page: nothing, no error */
    memset(r.px, 255, (size_t)r.w * r.h);
    ck_assert_int_eq(receive_qr_decode(&p, &f, &e), ERR_OK);
    ck_assert_int_eq(f.n, 0);
    free(r.px);
}
END_TEST

static void grid(struct raster *r, int count)
{
    for (int i = 0; i < count; i++) {
        char t[32];
        /* texts not in painting order, so the sort shows */
        snprintf(t, sizeof t, "KQ-202610-%06d", (i * 7) % count + 1);
        paint(r, t, 30 + (i % 3) * 190, 30 + (i / 3) * 190, 4, 0, 0, NULL);
    }
}

START_TEST(eight_codes_sorted_nine_refused)
{
    struct raster r = raster_new(600, 600);
    struct receive_qr_found f;
    struct err e;
    grid(&r, 8);
    struct receive_page p = page_of(&r, 200);
    ck_assert_int_eq(receive_qr_decode(&p, &f, &e), ERR_OK);
    ck_assert_int_eq(f.n, 8);
    for (int i = 0; i < 8; i++) {
        char t[32];
        snprintf(t, sizeof t, "KQ-202610-%06d", i + 1);
        ck_assert_str_eq(f.sym[i].text, t);
    }
    memset(r.px, 255, (size_t)r.w * r.h);
    grid(&r, 9);
    ck_assert_int_eq(receive_qr_decode(&p, &f, &e), ERR_DATA);
    ck_assert_str_eq(e.msg, "9 QR codes on one page, more than the 8 a page may have");
    ck_assert_int_eq(f.n, 0);
    free(r.px);
}
END_TEST

/* ---- files ------------------------------------------------------------------ */

/* Open bytes, expect one page equal to r (exactly, unless lossy), kind
 * and dpi, and text1 on it. */
static void round_trip(const unsigned char *d, size_t n, enum receive_scan_kind kind,
                       const struct raster *r, int lossy, double dpi)
{
    struct receive_scan *s;
    struct receive_page p;
    struct receive_qr_found f;
    struct err e;
    ck_assert_msg(receive_scan_open_mem(d, n, "scan", &s, &e) == ERR_OK, "%s", e.msg);
    ck_assert_int_eq(receive_scan_kind(s), kind);
    ck_assert_int_eq(receive_scan_pages(s), 1);
    ck_assert_msg(receive_scan_page(s, 0, &p, &e) == ERR_OK, "%s", e.msg);
    ck_assert_int_eq(p.width, r->w);
    ck_assert_int_eq(p.height, r->h);
    ck_assert_int_eq(p.stride, r->w);
    ck_assert_double_eq_tol(p.dpi, dpi, 0.5);
    long diff = 0;
    for (size_t i = 0; i < (size_t)r->w * r->h; i++)
        diff += abs((int)p.px[i] - r->px[i]);
    if (lossy)
        ck_assert_msg(diff < (long)r->w * r->h * 4, "mean error %ld", diff / (r->w * r->h));
    else
        ck_assert_int_eq(diff, 0);
    ck_assert_int_eq(receive_qr_decode(&p, &f, &e), ERR_OK);
    ck_assert_int_eq(f.n, 1);
    ck_assert_str_eq(f.sym[0].text, text1);
    receive_page_free(&p);
    ck_assert_ptr_null(p.px);
    ck_assert_int_eq(receive_scan_page(s, 1, &p, &e), ERR_USAGE);
    ck_assert_ptr_null(p.px);
    receive_scan_close(s);
}

START_TEST(png_jpeg_tiff_round_trip)
{
    struct raster r = raster_new(400, 300);
    paint(&r, text1, 100, 60, 5, 270, 0, NULL);
    r.px[0] = 77;               /* a pixel that is neither ink nor paper */
    size_t n;
    unsigned char *d = encode(&r, 150, IFF_PNG, &n);
    round_trip(d, n, RECEIVE_SCAN_PNG, &r, 0, 150);
    lept_free(d);
    d = encode(&r, 150, IFF_JFIF_JPEG, &n);
    round_trip(d, n, RECEIVE_SCAN_JPEG, &r, 1, 150);
    lept_free(d);
    d = encode(&r, 300, IFF_TIFF_ZIP, &n);
    round_trip(d, n, RECEIVE_SCAN_TIFF, &r, 0, 300);
    lept_free(d);
    free(r.px);
}
END_TEST

START_TEST(colour_png_and_bilevel_tiff_become_gray)
{
    struct raster r = raster_new(300, 300);
    paint(&r, text1, 50, 50, 5, 0, 0, NULL);
    PIX *g = pix_of(&r, 200), *c = pixConvertTo32(g), *b = pixConvertTo1(g, 128);
    l_uint8 *d;
    size_t n;
    struct receive_scan *s;
    struct receive_page p;
    struct err e;
    pixSetResolution(b, 200, 200);
    ck_assert_int_eq(pixWriteMem(&d, &n, c, IFF_PNG), 0);
    ck_assert_int_eq(receive_scan_open_mem(d, n, "c.png", &s, &e), ERR_OK);
    ck_assert_int_eq(receive_scan_page(s, 0, &p, &e), ERR_OK);
    ck_assert_int_eq(memcmp(p.px, r.px, (size_t)r.w * r.h), 0);
    receive_page_free(&p);
    receive_scan_close(s);
    lept_free(d);
    ck_assert_int_eq(pixWriteMem(&d, &n, b, IFF_TIFF_G4), 0);
    ck_assert_int_eq(receive_scan_open_mem(d, n, "b.tif", &s, &e), ERR_OK);
    ck_assert_int_eq(receive_scan_page(s, 0, &p, &e), ERR_OK);
    ck_assert_int_eq(memcmp(p.px, r.px, (size_t)r.w * r.h), 0);  /* 0 and 255 only */
    receive_page_free(&p);
    receive_scan_close(s);
    lept_free(d);
    pixDestroy(&g);
    pixDestroy(&c);
    pixDestroy(&b);
    free(r.px);
}
END_TEST

START_TEST(multipage_tiff)
{
    PIXA *pa = pixaCreate(3);
    struct raster r[3] = { raster_new(320, 240), raster_new(360, 300), raster_new(300, 330) };
    paint(&r[1], "KQ-202610-000002", 60, 40, 5, 0, 0, NULL);
    paint(&r[2], "KQ-202610-000003", 40, 60, 5, 90, 0, NULL);
    for (int i = 0; i < 3; i++)
        pixaAddPix(pa, pix_of(&r[i], 100 + 100 * i), L_INSERT);
    l_uint8 *d;
    size_t n;
    ck_assert_int_eq(pixaWriteMemMultipageTiff(&d, &n, pa), 0);
    struct receive_scan *s;
    struct err e;
    ck_assert_int_eq(receive_scan_open_mem(d, n, "m.tif", &s, &e), ERR_OK);
    ck_assert_int_eq(receive_scan_kind(s), RECEIVE_SCAN_TIFF);
    ck_assert_int_eq(receive_scan_pages(s), 3);
    for (int i = 2; i >= 0; i--) {     /* any order */
        struct receive_page p;
        struct receive_qr_found f;
        ck_assert_int_eq(receive_scan_page(s, i, &p, &e), ERR_OK);
        ck_assert_int_eq(p.width, r[i].w);
        ck_assert_int_eq(p.height, r[i].h);
        ck_assert_double_eq_tol(p.dpi, 100 + 100 * i, 0.5);
        ck_assert_int_eq(memcmp(p.px, r[i].px, (size_t)r[i].w * r[i].h), 0);
        ck_assert_int_eq(receive_qr_decode(&p, &f, &e), ERR_OK);
        ck_assert_int_eq(f.n, i == 0 ? 0 : 1);
        if (i)
            ck_assert_str_eq(f.sym[0].text, i == 1 ? "KQ-202610-000002" : "KQ-202610-000003");
        receive_page_free(&p);
        free(r[i].px);
    }
    receive_scan_close(s);
    lept_free(d);
    pixaDestroy(&pa);
}
END_TEST

static cairo_status_t to_mem(void *c, const unsigned char *d, unsigned int n)
{
    struct raster *out = c;     /* w: used, h: capacity */
    if (out->w + (int)n > out->h) {
        out->h = (out->w + (int)n) * 2;
        out->px = realloc(out->px, (size_t)out->h);
        if (!out->px)
            return CAIRO_STATUS_NO_MEMORY;
    }
    memcpy(out->px + out->w, d, n);
    out->w += (int)n;
    return CAIRO_STATUS_SUCCESS;
}

/* A PDF of pages (w x h points), page i with its text (NULL: none) drawn
 * as a QR of 3 pt modules at (72, 72) pt.  Owned bytes in out->px. */
static struct raster make_pdf(int pages, double w, double h, const char *const *texts)
{
    struct raster out = { 0, 0, NULL };
    cairo_surface_t *sf = cairo_pdf_surface_create_for_stream(to_mem, &out, w, h);
    cairo_t *cr = cairo_create(sf);
    for (int i = 0; i < pages; i++) {
        if (texts && texts[i]) {
            struct sheet_qr q;
            struct err e;
            ck_assert_int_eq(sheet_qr_encode(texts[i], &q, &e), ERR_OK);
            for (int y = 0; y < q.width; y++)
                for (int x = 0; x < q.width; x++)
                    if (sheet_qr_is_dark(&q, x, y))
                        cairo_rectangle(cr, 72 + 3 * x, 72 + 3 * y, 3, 3);
            cairo_set_source_rgb(cr, 0, 0, 0);
            cairo_fill(cr);
            sheet_qr_free(&q);
        }
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(sf);
    ck_assert_int_eq(cairo_surface_status(sf), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(sf);
    return out;
}

START_TEST(two_page_pdf)
{
    static const char *const texts[2] = { "KQ-202610-000001 0A0B0C0D", text1 };
    struct raster pdf = make_pdf(2, 595, 842, texts);
    struct receive_scan *s;
    struct err e;
    ck_assert_int_eq(receive_scan_open_mem(pdf.px, (size_t)pdf.w, "two.pdf", &s, &e),
                     ERR_OK);
    ck_assert_int_eq(receive_scan_kind(s), RECEIVE_SCAN_PDF);
    ck_assert_int_eq(receive_scan_pages(s), 2);
    for (int i = 0; i < 2; i++) {
        struct receive_page p;
        struct receive_qr_found f;
        ck_assert_int_eq(receive_scan_page(s, i, &p, &e), ERR_OK);
        ck_assert_int_eq(p.width, 1653);        /* 595 pt at 200 dpi */
        ck_assert_int_eq(p.height, 2339);
        ck_assert_double_eq(p.dpi, 200);
        ck_assert_int_eq(p.px[0], 255);        /* white paper */
        ck_assert_int_eq(receive_qr_decode(&p, &f, &e), ERR_OK);
        ck_assert_int_eq(f.n, 1);
        ck_assert_str_eq(f.sym[0].text, texts[i]);
        /* the symbol's top-left at 72 pt = 200 px */
        ck_assert_double_eq_tol(f.sym[0].corner[0][0], 200, 2.5);
        ck_assert_double_eq_tol(f.sym[0].corner[0][1], 200, 2.5);
        receive_page_free(&p);
    }
    receive_scan_close(s);
    /* the same from a file */
    char path[512];
    snprintf(path, sizeof path, "%s/two.pdf", unit_tmpdir());
    FILE *fp = fopen(path, "wb");
    ck_assert_ptr_nonnull(fp);
    ck_assert_uint_eq(fwrite(pdf.px, 1, (size_t)pdf.w, fp), (size_t)pdf.w);
    fclose(fp);
    ck_assert_int_eq(receive_scan_open(path, &s, &e), ERR_OK);
    ck_assert_int_eq(receive_scan_pages(s), 2);
    receive_scan_close(s);
    free(pdf.px);
}
END_TEST

/* ---- refusals ---------------------------------------------------------------- */

static int open_fails(const void *d, size_t n, const char *name, struct err *e)
{
    struct receive_scan *s = (struct receive_scan *)1;
    int rc = receive_scan_open_mem(d, n, name, &s, e);
    ck_assert_ptr_null(s);
    return rc;
}

/* open succeeds, page 0 fails */
static int page_fails(const void *d, size_t n, const char *name, struct err *e)
{
    struct receive_scan *s;
    struct receive_page p;
    ck_assert_msg(receive_scan_open_mem(d, n, name, &s, e) == ERR_OK, "%s", e->msg);
    int rc = receive_scan_page(s, 0, &p, e);
    ck_assert_ptr_null(p.px);
    receive_scan_close(s);
    return rc;
}

START_TEST(refuses_what_is_not_a_scan_quietly)
{
    struct err e;
    char printed[256];
    static const unsigned char garbage[] = { 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4 };
    struct raster r = raster_new(200, 200);
    paint(&r, text1, 20, 20, 4, 0, 0, NULL);
    size_t npng, njpg, ntif;
    unsigned char *png = encode(&r, 200, IFF_PNG, &npng);
    unsigned char *jpg = encode(&r, 200, IFF_JFIF_JPEG, &njpg);
    unsigned char *tif = encode(&r, 200, IFF_TIFF_ZIP, &ntif);
    struct raster pdf = make_pdf(1, 595, 842, NULL);

    capture_stderr();
    ck_assert_int_eq(open_fails(garbage, sizeof garbage, "x.bin", &e), ERR_DATA);
    ck_assert_str_eq(e.msg, "x.bin: not a scan (PDF, PNG, JPEG or TIFF): starts with de ad be ef");
    ck_assert_int_eq(open_fails("GIF89a\1\0\1\0", 10, "a.gif", &e), ERR_DATA);
    ck_assert_str_eq(e.msg, "a.gif: a GIF image, not a scan (PDF, PNG, JPEG or TIFF)");
    ck_assert_int_eq(open_fails("", 0, "empty", &e), ERR_DATA);
    ck_assert_str_eq(e.msg, "empty: empty file, not a scan");

    ck_assert_int_eq(page_fails(png, npng * 2 / 3, "t.png", &e), ERR_DATA);
    ck_assert_msg(strstr(e.msg, "t.png: truncated or damaged PNG (") == e.msg, "%s", e.msg);
    png[npng / 2] ^= 0x55;      /* a flipped byte in the image data */
    ck_assert_int_eq(page_fails(png, npng, "c.png", &e), ERR_DATA);
    ck_assert_msg(strstr(e.msg, "c.png: truncated or damaged PNG (") == e.msg, "%s", e.msg);
    ck_assert_int_eq(page_fails(jpg, njpg * 2 / 3, "t.jpg", &e), ERR_DATA);
    ck_assert_str_eq(e.msg, "t.jpg: truncated JPEG");
    ck_assert_int_eq(page_fails(jpg, 40, "h.jpg", &e), ERR_DATA);
    ck_assert_msg(strstr(e.msg, "h.jpg: damaged JPEG (") == e.msg, "%s", e.msg);
    ck_assert_int_eq(open_fails(tif, 12, "t.tif", &e), ERR_DATA);
    ck_assert_str_eq(e.msg, "t.tif: damaged TIFF (no image directory)");
    ck_assert_int_eq(open_fails(pdf.px, (size_t)pdf.w * 2 / 3, "t.pdf", &e), ERR_DATA);
    ck_assert_msg(strstr(e.msg, "t.pdf: damaged PDF (") == e.msg, "%s", e.msg);
    ck_assert_int_eq(open_fails("%PDF-1.4\n%%EOF\n", 15, "e.pdf", &e), ERR_DATA);
    ck_assert_msg(strstr(e.msg, "e.pdf: damaged PDF (") == e.msg, "%s", e.msg);
    ck_assert_int_eq(release_stderr(printed, sizeof printed), 0);
    (void)printed;

    lept_free(png);
    lept_free(jpg);
    lept_free(tif);
    free(pdf.px);
    free(r.px);
}
END_TEST

static uint32_t crc32_of(const unsigned char *d, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= d[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
    }
    return c ^ 0xffffffffu;
}

static void be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

START_TEST(refuses_too_many_pixels_before_decoding)
{
    /* a PNG that claims 20000 x 20000 gray pixels: signature, IHDR, no data */
    unsigned char png[8 + 25 + 12 + 12];
    memcpy(png, "\211PNG\r\n\032\n", 8);
    be32(png + 8, 13);
    memcpy(png + 12, "IHDR", 4);
    be32(png + 16, 20000);
    be32(png + 20, 20000);
    memcpy(png + 24, "\010\0\0\0\0", 5);
    be32(png + 29, crc32_of(png + 12, 17));
    be32(png + 33, 0);
    memcpy(png + 37, "IDAT", 4);
    be32(png + 41, crc32_of(png + 37, 4));
    be32(png + 45, 0);
    memcpy(png + 49, "IEND", 4);
    be32(png + 53, crc32_of(png + 49, 4));
    struct receive_scan *s;
    struct receive_page p;
    struct err e;
    ck_assert_int_eq(receive_scan_open_mem(png, sizeof png, "scan.png", &s, &e), ERR_OK);
    mem_fail_after(0);          /* count our allocations from here */
    ck_assert_int_eq(receive_scan_page(s, 0, &p, &e), ERR_DATA);
    ck_assert_int_eq(mem_count(), 0);
    ck_assert_str_eq(e.msg, "scan.png: 20000 x 20000 pixels (400 M), more than the "
                     "60 M a page may have");
    receive_scan_close(s);

    /* a PDF page of 5000 x 3000 pt: 13889 x 8333 pixels at 200 dpi */
    struct raster pdf = make_pdf(1, 5000, 3000, NULL);
    ck_assert_int_eq(receive_scan_open_mem(pdf.px, (size_t)pdf.w, "big.pdf", &s, &e), ERR_OK);
    mem_fail_after(0);
    ck_assert_int_eq(receive_scan_page(s, 0, &p, &e), ERR_DATA);
    ck_assert_int_eq(mem_count(), 0);
    ck_assert_str_eq(e.msg, "big.pdf: page 1: 13889 x 8333 pixels (116 M), more than "
                     "the 60 M a page may have");
    receive_scan_close(s);
    free(pdf.px);
}
END_TEST

START_TEST(refuses_an_encrypted_pdf)
{
    static const char *const texts[1] = { text1 };
    struct raster pdf = make_pdf(1, 595, 842, texts);
    const char *dir = unit_tmpdir();
    char in[512], out[512];
    snprintf(in, sizeof in, "%s/in.pdf", dir);
    snprintf(out, sizeof out, "%s/locked.pdf", dir);
    FILE *fp = fopen(in, "wb");
    ck_assert_ptr_nonnull(fp);
    fwrite(pdf.px, 1, (size_t)pdf.w, fp);
    fclose(fp);
    free(pdf.px);
    ck_assert_int_eq(unit_sh("qpdf --encrypt u o 256 -- '%s' '%s'", in, out), 0);
    struct receive_scan *s = (struct receive_scan *)1;
    struct err e;
    char printed[256];
    capture_stderr();
    ck_assert_int_eq(receive_scan_open(out, &s, &e), ERR_DATA);
    ck_assert_int_eq(release_stderr(printed, sizeof printed), 0);
    ck_assert_ptr_null(s);
    ck_assert_msg(strstr(e.msg, "locked.pdf: encrypted PDF; scan without a password"),
                  "%s", e.msg);
    /* the one it came from opens */
    ck_assert_int_eq(receive_scan_open(in, &s, &e), ERR_OK);
    receive_scan_close(s);
    snprintf(out, sizeof out, "%s/missing.pdf", dir);
    ck_assert_int_eq(receive_scan_open(out, &s, &e), ERR_NOINPUT);
}
END_TEST

/* Every allocation of ours failing in turn: ERR_NOMEM, or the result. */
START_TEST(allocation_failures_are_clean)
{
    struct raster r = raster_new(300, 300);
    paint(&r, text1, 40, 40, 5, 0, 0, NULL);
    size_t n;
    unsigned char *png = encode(&r, 600, IFF_PNG, &n);   /* 600: the shrink pass */
    int clean = 0;
    for (long k = 1; k < 50 && !clean; k++) {
        struct receive_scan *s = NULL;
        struct receive_page p = { 0, 0, 0, NULL, 0 };
        struct receive_qr_found f;
        struct err e;
        mem_fail_after(k);
        int rc = receive_scan_open_mem(png, n, "a.png", &s, &e);
        if (rc == ERR_OK)
            rc = receive_scan_page(s, 0, &p, &e);
        if (rc == ERR_OK)
            rc = receive_qr_decode(&p, &f, &e);
        mem_fail_after(0);
        if (rc == ERR_OK) {
            ck_assert_int_eq(f.n, 1);
            ck_assert_str_eq(f.sym[0].text, text1);
            clean = 1;
        } else {
            ck_assert_int_eq(rc, ERR_NOMEM);
            ck_assert_msg(strstr(e.msg, "out of memory"), "%s", e.msg);
        }
        receive_page_free(&p);
        receive_scan_close(s);
    }
    ck_assert_int_eq(clean, 1);
    lept_free(png);
    free(r.px);
}
END_TEST

/* ---- the corners shortcut, the signed copy, the return state ------------- */

START_TEST(corners_shortcut_reads_the_corners_only)
{
    struct raster r = raster_new(1000, 1400);
    struct receive_qr_found f;
    struct err e;
    struct receive_page p;

    double c[4][2];

    /* a code in the top right corner is found; one in the middle is not */
    paint(&r, text1, 820, 40, 5, 0, 0, c);
    paint(&r, "KQ-202610-000999 3F9A1C2E 3F9A1C2E7B40", 400, 600, 5, 0, 0,
          NULL);
    p = page_of(&r, 200);
    ck_assert_int_eq(receive_qr_decode_corners(&p, &f, &e), ERR_OK);
    ck_assert_int_eq(f.n, 1);
    ck_assert_str_eq(f.sym[0].text, text1);
    ck_assert_double_lt(fabs(f.sym[0].corner[0][0] - c[0][0]), 3);
    ck_assert_double_lt(fabs(f.sym[0].corner[0][1] - c[0][1]), 3);
    /* the whole page has both */
    ck_assert_int_eq(receive_qr_decode(&p, &f, &e), ERR_OK);
    ck_assert_int_eq(f.n, 2);
    free(r.px);
}
END_TEST

START_TEST(signed_copy_is_deterministic_jpeg_pages)
{
    struct raster r = raster_new(300, 420);
    struct receive_page p;
    struct pdf_scan_page sp[2];
    unsigned char *j = NULL;
    size_t n = 0;
    char sha1[65], sha2[65], path[] = "/tmp/kqscanXXXXXX";
    long long b1 = 0, b2 = 0;
    struct err e;
    int fd = mkstemp(path);

    ck_assert_int_ge(fd, 0);
    close(fd);
    paint(&r, text1, 50, 50, 4, 0, 0, NULL);
    p = page_of(&r, 100);
    ck_assert_int_eq(receive_page_jpeg(&p, 80, &j, &n, &e), ERR_OK);
    ck_assert_uint_gt(n, 100);
    ck_assert_int_eq(j[0], 0xff);
    ck_assert_int_eq(j[1], 0xd8);
    for (int i = 0; i < 2; i++)
        sp[i] = (struct pdf_scan_page){j, n, 300, 420, 1, 100};
    ck_assert_int_eq(pdf_scan_write(path, sp, 2, "KQ-202610-000123",
                                    "2026-11-05", sha1, &b1, &e), ERR_OK);
    ck_assert_int_eq(pdf_scan_write(path, sp, 2, "KQ-202610-000123",
                                    "2026-11-05", sha2, &b2, &e), ERR_OK);
    ck_assert_str_eq(sha1, sha2);
    ck_assert_int_eq(b1, b2);
    ck_assert_int_gt(b1, (long long)(2 * n));
    {   /* read back: two pages of 216 x 302.4 pt, the JPEG inside */
        struct receive_scan *sc = NULL;
        struct receive_page q;
        ck_assert_int_eq(receive_scan_open(path, &sc, &e), ERR_OK);
        ck_assert_int_eq(receive_scan_pages(sc), 2);
        ck_assert_int_eq(receive_scan_page(sc, 1, &q, &e), ERR_OK);
        ck_assert_int_eq(q.width, 600);     /* 216 pt at 200 dpi */
        receive_page_free(&q);
        receive_scan_close(sc);
    }
    /* bad arguments: nothing written */
    ck_assert_int_eq(pdf_scan_write(path, sp, 0, "x", "2026-11-05", sha1, &b1,
                                    &e), ERR_USAGE);
    ck_assert_int_eq(pdf_scan_write(path, sp, 1, "a(b", "2026-11-05", sha1,
                                    &b1, &e), ERR_USAGE);
    unlink(path);
    mem_free(j);
    free(r.px);
}
END_TEST

START_TEST(return_states)
{
    struct store_return r;

    memset(&r, 0, sizeof r);
    r.pages = 2;
    ck_assert_int_eq(archive_return_of(&r), ARCHIVE_RET_NOT_RETURNED);
    r.outdated = 1;
    ck_assert_int_eq(archive_return_of(&r), ARCHIVE_RET_OUTDATED);
    r.pages_back = 1;
    ck_assert_int_eq(archive_return_of(&r), ARCHIVE_RET_INCOMPLETE);
    r.pages_back = 2;
    ck_assert_int_eq(archive_return_of(&r), ARCHIVE_RET_UNCHECKED);
    strcpy(r.blank_fields, "sign-assessee,sign-hr");
    ck_assert_int_eq(archive_return_of(&r), ARCHIVE_RET_UNSIGNED);
    strcpy(r.signed_fields, "sign-assessor");
    ck_assert_int_eq(archive_return_of(&r), ARCHIVE_RET_PARTLY);
    r.blank_fields[0] = '\0';
    ck_assert_int_eq(archive_return_of(&r), ARCHIVE_RET_SIGNED);
    ck_assert_str_eq(archive_return_name(ARCHIVE_RET_OUTDATED),
                     "outdated revision");
    {
        char t[64];
        archive_fields_text("sign-assessee,sign-hr", t, sizeof t);
        ck_assert_str_eq(t, "被考核人 人力资源部");
    }
}
END_TEST

Suite *suite_receive(void)
{
    Suite *s = suite_create("receive");
    TCase *t = tcase_create("receive");
    tcase_add_test(t, corners_in_the_symbols_order_at_each_rotation);
    tcase_add_test(t, corners_shortcut_reads_the_corners_only);
    tcase_add_test(t, signed_copy_is_deterministic_jpeg_pages);
    tcase_add_test(t, return_states);
    tcase_add_test(t, corners_follow_a_skewed_symbol);
    tcase_add_test(t, high_dpi_page_corners_in_page_pixels);
    tcase_add_test(t, low_contrast_and_stride);
    tcase_add_test(t, eight_codes_sorted_nine_refused);
    tcase_add_test(t, png_jpeg_tiff_round_trip);
    tcase_add_test(t, colour_png_and_bilevel_tiff_become_gray);
    tcase_add_test(t, multipage_tiff);
    tcase_add_test(t, two_page_pdf);
    tcase_add_test(t, refuses_what_is_not_a_scan_quietly);
    tcase_add_test(t, refuses_too_many_pixels_before_decoding);
    tcase_add_test(t, refuses_an_encrypted_pdf);
    tcase_add_test(t, allocation_failures_are_clean);
    suite_add_tcase(s, t);
    return s;
}
