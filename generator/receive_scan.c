/* receive_scan -- the pages of a scanner's file as 8-bit gray rasters.
 *
 * Stage 5 (receive): the first thing `keqing receive` does with a scan.
 * The kind comes from the first bytes; PDF pages are rasterised with
 * poppler-glib + cairo on white; PNG through libpng's simplified API,
 * JPEG through libjpeg with our own error manager, TIFF (multi-page)
 * through leptonica.  Those libraries are used only here.
 *
 * Why not leptonica for PNG and JPEG too: leptonica drives libpng and
 * libjpeg with their default error handlers, which print ("libpng error:
 * ...", "Premature end of JPEG file") on stderr, and a module never
 * prints.  libpng's simplified API and a libjpeg error manager of ours
 * keep every message in the struct err instead.  Leptonica's own output
 * is switched off once per process (leptSetStderrHandler, setMsgSeverity:
 * library-global, set under pthread_once, nothing else here uses it).
 *
 * Invariants: a page's pixel count is checked against
 * RECEIVE_SCAN_MAX_PIXELS from its header (image) or its size in points
 * (PDF) before any pixel is decoded; every failure frees what it took.
 */
#include "receive_scan.h"

#include "err.h"
#include "fsx.h"
#include "mem.h"

#include <cairo.h>
#include <jpeglib.h>
#include <jerror.h>
#include <leptonica/allheaders.h>
#include <math.h>
#include <png.h>
#include <poppler.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct receive_scan {
    enum receive_scan_kind kind;
    char *name;                 /* owned copy, for messages */
    unsigned char *data;        /* owned: the file's bytes */
    size_t n;
    int pages;
    long max_pixels;
    GBytes *bytes;              /* PDF: wraps data (no copy) */
    PopplerDocument *doc;       /* PDF */
};

/* ---- limits -------------------------------------------------------------- */

/* The pixel limit: RECEIVE_SCAN_MAX_PIXELS, or lower when the fuzzer sets
 * KQ_SCAN_MAX_PIXELS (it must not allocate 60 M pixels an input). */
static long max_pixels(void)
{
#ifdef KQ_FUZZING
    const char *v = getenv("KQ_SCAN_MAX_PIXELS");
    if (v && *v) {
        long n = strtol(v, NULL, 10);
        if (n > 0 && n < RECEIVE_SCAN_MAX_PIXELS)
            return n;
    }
#endif
    return RECEIVE_SCAN_MAX_PIXELS;
}

/* ERR_DATA unless w x h is a page we decode. */
static int check_size(const struct receive_scan *s, const char *where,
                      double w, double h, struct err *e)
{
    if (!(w >= 1 && h >= 1))
        return err_set(e, ERR_DATA, "%s%s: empty page (%.0f x %.0f pixels)",
                       s->name, where, w, h);
    if (w * h > (double)s->max_pixels)
        return err_set(e, ERR_DATA,
                       "%s%s: %.0f x %.0f pixels (%.0f M), more than the "
                       "%ld M a page may have", s->name, where, w, h,
                       w * h / 1e6, s->max_pixels / 1000000L);
    return ERR_OK;
}

static int page_alloc(struct receive_page *p, int w, int h, double dpi,
                      const struct receive_scan *s, struct err *e)
{
    p->px = mem_malloc((size_t)w * (size_t)h);
    if (!p->px)
        return err_set(e, ERR_NOMEM, "%s: out of memory for a %d x %d page",
                       s->name, w, h);
    p->width = w;
    p->height = h;
    p->stride = w;
    p->dpi = dpi;
    return ERR_OK;
}

/* ---- leptonica's messages, off once per process --------------------------- */

static void lept_quiet_handler(const char *msg)
{
    (void)msg;
}

static pthread_once_t lept_once = PTHREAD_ONCE_INIT;

static void lept_quiet(void)
{
    setMsgSeverity(L_SEVERITY_NONE);
    leptSetStderrHandler(lept_quiet_handler);
}

/* ---- what the first bytes are --------------------------------------------- */

static int starts(const unsigned char *d, size_t n, const char *magic,
                  size_t m)
{
    return n >= m && memcmp(d, magic, m) == 0;
}

/* "%PDF-" in the first 1024 bytes (the format allows junk before it). */
static int is_pdf(const unsigned char *d, size_t n)
{
    size_t lim = n < 1024 ? n : 1024;
    for (size_t i = 0; i + 5 <= lim; i++)
        if (d[i] == '%' && memcmp(d + i, "%PDF-", 5) == 0)
            return 1;
    return 0;
}

/* What the bytes are when they are not a scan, for the message. */
static const char *other_kind(const unsigned char *d, size_t n)
{
    static const struct { const char *magic; size_t len; const char *what; }
    k[] = {
        { "GIF87a", 6, "a GIF image" }, { "GIF89a", 6, "a GIF image" },
        { "BM", 2, "a BMP image" }, { "PK\003\004", 4, "a ZIP archive" },
        { "\037\213", 2, "a gzip file" }, { "%!PS", 4, "a PostScript file" },
        { "<?xml", 5, "an XML file" }, { "\000\000\000\014jP  ", 8,
                                         "a JPEG 2000 image" },
        { "\377\117\377\121", 4, "a JPEG 2000 codestream" },
        { "\x7f" "ELF", 4, "a program" },
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (starts(d, n, k[i].magic, k[i].len))
            return k[i].what;
    if (n >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
        return "a WebP image";
    return NULL;
}

/* ---- PDF: poppler-glib + cairo -------------------------------------------- */

static int open_pdf(struct receive_scan *s, struct err *e)
{
    GError *ge = NULL;

    s->bytes = g_bytes_new_static(s->data, s->n);
    s->doc = poppler_document_new_from_bytes(s->bytes, NULL, &ge);
    if (!s->doc) {
        int enc = ge && ge->domain == POPPLER_ERROR &&
                  ge->code == POPPLER_ERROR_ENCRYPTED;
        int rc;
        if (enc)
            rc = err_set(e, ERR_DATA,
                         "%s: encrypted PDF; scan without a password", s->name);
        else
            rc = err_set(e, ERR_DATA, "%s: damaged PDF (%s)", s->name,
                         ge && ge->message ? ge->message : "poppler cannot read it");
        if (ge)
            g_error_free(ge);
        return rc;
    }
    s->pages = poppler_document_get_n_pages(s->doc);
    return ERR_OK;
}

static int page_pdf(struct receive_scan *s, int i, struct receive_page *out,
                    struct err *e)
{
    const double dpi = RECEIVE_SCAN_PDF_DPI;
    char where[32];
    double wpt = 0, hpt = 0;
    int rc;

    snprintf(where, sizeof where, ": page %d", i + 1);
    PopplerPage *pg = poppler_document_get_page(s->doc, i);
    if (!pg)
        return err_set(e, ERR_DATA, "%s%s: damaged PDF (the page cannot be read)",
                       s->name, where);
    poppler_page_get_size(pg, &wpt, &hpt);
    /* to the nearest pixel */
    double wd = floor(wpt * dpi / 72.0 + 0.5), hd = floor(hpt * dpi / 72.0 + 0.5);
    if ((rc = check_size(s, where, wd, hd, e)) != ERR_OK) {
        g_object_unref(pg);
        return rc;
    }
    int w = (int)wd, h = (int)hd;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(img);
        g_object_unref(pg);
        return err_set(e, ERR_NOMEM, "%s%s: out of memory for a %d x %d page",
                       s->name, where, w, h);
    }
    cairo_t *cr = cairo_create(img);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, dpi / 72.0, dpi / 72.0);
    poppler_page_render_for_printing(pg, cr);
    cairo_status_t cst = cairo_status(cr);
    cairo_destroy(cr);
    g_object_unref(pg);
    cairo_surface_flush(img);
    if (cst != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(img);
        return err_set(e, cst == CAIRO_STATUS_NO_MEMORY ? ERR_NOMEM : ERR_DATA,
                       "%s%s: cannot be drawn (%s)", s->name, where,
                       cairo_status_to_string(cst));
    }
    if ((rc = page_alloc(out, w, h, dpi, s, e)) != ERR_OK) {
        cairo_surface_destroy(img);
        return rc;
    }
    const unsigned char *base = cairo_image_surface_get_data(img);
    int cs = cairo_image_surface_get_stride(img);
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(base + (size_t)y * cs);
        unsigned char *o = out->px + (size_t)y * out->stride;
        for (int x = 0; x < w; x++) {
            uint32_t v = row[x];    /* 0x00RRGGBB, native order */
            o[x] = (unsigned char)((((v >> 16) & 0xff) * 77 +
                                    ((v >> 8) & 0xff) * 150 +
                                    (v & 0xff) * 29) >> 8);
        }
    }
    cairo_surface_destroy(img);
    return ERR_OK;
}

/* ---- PNG: libpng's simplified API (no printing) --------------------------- */

/* The pHYs chunk's resolution in dpi, 0 when absent or not per metre. */
static double png_dpi(const unsigned char *d, size_t n)
{
    size_t at = 8;
    while (at + 12 <= n) {
        uint32_t len = (uint32_t)d[at] << 24 | (uint32_t)d[at + 1] << 16 |
                       (uint32_t)d[at + 2] << 8 | d[at + 3];
        const unsigned char *t = d + at + 4;
        if (memcmp(t, "IDAT", 4) == 0 || memcmp(t, "IEND", 4) == 0)
            break;
        if (memcmp(t, "pHYs", 4) == 0 && len == 9 && at + 8 + 9 <= n) {
            const unsigned char *p = t + 4;
            uint32_t ppu = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
                           (uint32_t)p[2] << 8 | p[3];
            return p[8] == 1 ? ppu * 0.0254 : 0;
        }
        if (len > n - at - 12)
            break;
        at += 12 + (size_t)len;
    }
    return 0;
}

static int page_png(struct receive_scan *s, struct receive_page *out,
                    struct err *e)
{
    png_image im;
    int rc;

    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&im, s->data, s->n)) {
        rc = err_set(e, ERR_DATA, "%s: damaged PNG (%s)", s->name, im.message);
        png_image_free(&im);
        return rc;
    }
    if ((rc = check_size(s, "", im.width, im.height, e)) != ERR_OK) {
        png_image_free(&im);
        return rc;
    }
    im.format = PNG_FORMAT_GRAY;
    if ((rc = page_alloc(out, (int)im.width, (int)im.height,
                         png_dpi(s->data, s->n), s, e)) != ERR_OK) {
        png_image_free(&im);
        return rc;
    }
    png_color white = { 255, 255, 255 };
    if (!png_image_finish_read(&im, &white, out->px, out->stride, NULL)) {
        rc = err_set(e, ERR_DATA, "%s: truncated or damaged PNG (%s)", s->name,
                     im.message);
        png_image_free(&im);
        receive_page_free(out);
        return rc;
    }
    png_image_free(&im);
    return ERR_OK;
}

/* ---- JPEG: libjpeg with an error manager that keeps its message ----------- */

struct jerr {
    struct jpeg_error_mgr mgr;
    jmp_buf jump;
    int truncated;              /* "Premature end of JPEG file" seen */
    char msg[JMSG_LENGTH_MAX];
};

static void jerr_exit(j_common_ptr c)
{
    struct jerr *j = (struct jerr *)(void *)c->err;
    c->err->format_message(c, j->msg);
    longjmp(j->jump, 1);
}

static void jerr_emit(j_common_ptr c, int level)
{
    struct jerr *j = (struct jerr *)(void *)c->err;
    if (level < 0 && c->err->msg_code == JWRN_JPEG_EOF)
        j->truncated = 1;
}

static void jerr_output(j_common_ptr c)
{
    (void)c;
}

/* j zeroed, with our handlers: the error manager for ci.err. */
static struct jpeg_error_mgr *jerr_init(struct jerr *j)
{
    memset(j, 0, sizeof *j);
    jpeg_std_error(&j->mgr);
    j->mgr.error_exit = jerr_exit;
    j->mgr.emit_message = jerr_emit;
    j->mgr.output_message = jerr_output;
    return &j->mgr;
}

static int page_jpeg(struct receive_scan *s, struct receive_page *out,
                     struct err *e)
{
    struct jpeg_decompress_struct ci;
    struct jerr j;
    /* volatile: read after longjmp */
    volatile int rc = ERR_OK;

    ci.err = jerr_init(&j);
    if (setjmp(j.jump)) {
        jpeg_destroy_decompress(&ci);
        receive_page_free(out);
        if (rc != ERR_OK)
            return rc;
        return err_set(e, ERR_DATA, "%s: damaged JPEG (%s)", s->name, j.msg);
    }
    jpeg_create_decompress(&ci);
    jpeg_mem_src(&ci, s->data, (unsigned long)s->n);
    jpeg_read_header(&ci, TRUE);
    if ((rc = check_size(s, "", ci.image_width, ci.image_height, e)) != ERR_OK)
        goto fail;
    if (ci.jpeg_color_space == JCS_CMYK || ci.jpeg_color_space == JCS_YCCK) {
        rc = err_set(e, ERR_DATA, "%s: a CMYK JPEG; scan in gray or colour",
                     s->name);
        goto fail;
    }
    ci.out_color_space = JCS_GRAYSCALE;
    double dpi = ci.density_unit == 1 ? ci.X_density :
                 ci.density_unit == 2 ? ci.X_density * 2.54 : 0;
    jpeg_start_decompress(&ci);
    if (ci.output_components != 1) {
        rc = err_set(e, ERR_DATA, "%s: JPEG in a colour space we cannot read",
                     s->name);
        goto fail;
    }
    if ((rc = page_alloc(out, (int)ci.output_width, (int)ci.output_height,
                         dpi, s, e)) != ERR_OK)
        goto fail;
    while (ci.output_scanline < ci.output_height) {
        JSAMPROW row = out->px + (size_t)ci.output_scanline * out->stride;
        jpeg_read_scanlines(&ci, &row, 1);
        if (j.truncated)
            break;
    }
    if (j.truncated) {
        rc = err_set(e, ERR_DATA, "%s: truncated JPEG", s->name);
        goto fail;
    }
    jpeg_finish_decompress(&ci);
    jpeg_destroy_decompress(&ci);
    return ERR_OK;
fail:
    jpeg_destroy_decompress(&ci);
    receive_page_free(out);
    return rc;
}

/* ---- TIFF: leptonica ------------------------------------------------------ */

static int open_tiff(struct receive_scan *s, struct err *e)
{
    int n = 0;
    FILE *f = fmemopen(s->data, s->n, "rb");
    if (!f)
        return err_set(e, ERR_NOMEM, "%s: out of memory", s->name);
    l_ok bad = tiffGetCount(f, &n);
    fclose(f);
    if (bad || n < 0)
        return err_set(e, ERR_DATA, "%s: damaged TIFF (no image directory)",
                       s->name);
    s->pages = n;
    return ERR_OK;
}

static int page_tiff(struct receive_scan *s, int i, struct receive_page *out,
                     struct err *e)
{
    char where[32];
    l_int32 w = 0, h = 0, bps = 0, spp = 0, res = 0, cmap = 0, format = 0;
    int rc;

    where[0] = '\0';
    if (s->pages > 1)
        snprintf(where, sizeof where, ": page %d", i + 1);
    if (readHeaderMemTiff(s->data, s->n, i, &w, &h, &bps, &spp, &res, &cmap,
                          &format))
        return err_set(e, ERR_DATA, "%s%s: damaged TIFF (unreadable header)",
                       s->name, where);
    if ((rc = check_size(s, where, w, h, e)) != ERR_OK)
        return rc;
    PIX *pix = pixReadMemTiff(s->data, s->n, i);
    if (!pix)
        return err_set(e, ERR_DATA, "%s%s: truncated or damaged TIFF",
                       s->name, where);
    PIX *g = pixConvertTo8(pix, 0);
    double dpi = pixGetXRes(pix);
    pixDestroy(&pix);
    if (!g)
        return err_set(e, ERR_DATA, "%s%s: TIFF in a form we cannot read "
                       "(%d bits, %d samples a pixel)", s->name, where, bps, spp);
    if (pixGetDepth(g) != 8 || pixGetColormap(g) || pixGetWidth(g) != w ||
        pixGetHeight(g) != h) {
        pixDestroy(&g);
        return err_set(e, ERR_DATA, "%s%s: TIFF in a form we cannot read "
                       "(%d bits, %d samples a pixel)", s->name, where, bps, spp);
    }
    if ((rc = page_alloc(out, w, h, dpi > 0 ? dpi : 0, s, e)) != ERR_OK) {
        pixDestroy(&g);
        return rc;
    }
    const l_uint32 *data = pixGetData(g);
    int wpl = pixGetWpl(g);
    for (int y = 0; y < h; y++) {
        const l_uint32 *line = data + (size_t)y * wpl;
        unsigned char *o = out->px + (size_t)y * out->stride;
        for (int x = 0; x < w; x++)
            o[x] = (unsigned char)GET_DATA_BYTE(line, x);
    }
    pixDestroy(&g);
    return ERR_OK;
}

/* ---- the scan ------------------------------------------------------------- */

/* Open over data (consumed: owned by the scan, freed on failure). */
static int open_owned(unsigned char *data, size_t n, const char *name,
                      struct receive_scan **out, struct err *e)
{
    int rc;
    struct receive_scan *s = mem_calloc(1, sizeof *s);
    *out = NULL;
    if (!s || !(s->name = mem_strdup(name ? name : "scan"))) {
        mem_free(s);
        mem_free(data);
        return err_set(e, ERR_NOMEM, "%s: out of memory", name ? name : "scan");
    }
    s->data = data;
    s->n = n;
    s->max_pixels = max_pixels();
    pthread_once(&lept_once, lept_quiet);

    if (n == 0) {
        rc = err_set(e, ERR_DATA, "%s: empty file, not a scan", s->name);
    } else if (is_pdf(data, n)) {
        s->kind = RECEIVE_SCAN_PDF;
        rc = open_pdf(s, e);
    } else if (starts(data, n, "\211PNG\r\n\032\n", 8)) {
        s->kind = RECEIVE_SCAN_PNG;
        s->pages = 1;
        rc = ERR_OK;
    } else if (starts(data, n, "\377\330\377", 3)) {
        s->kind = RECEIVE_SCAN_JPEG;
        s->pages = 1;
        rc = ERR_OK;
    } else if (starts(data, n, "II*\0", 4) || starts(data, n, "MM\0*", 4)) {
        s->kind = RECEIVE_SCAN_TIFF;
        rc = open_tiff(s, e);
    } else {
        const char *k = other_kind(data, n);
        if (k)
            rc = err_set(e, ERR_DATA, "%s: %s, not a scan (PDF, PNG, JPEG or "
                         "TIFF)", s->name, k);
        else
            rc = err_set(e, ERR_DATA, "%s: not a scan (PDF, PNG, JPEG or TIFF): "
                         "starts with %02x %02x %02x %02x", s->name, data[0],
                         n > 1 ? data[1] : 0, n > 2 ? data[2] : 0,
                         n > 3 ? data[3] : 0);
    }
    if (rc == ERR_OK && s->pages == 0)
        rc = err_set(e, ERR_DATA, "%s: no pages", s->name);
    if (rc == ERR_OK && s->pages > RECEIVE_SCAN_MAX_PAGES)
        rc = err_set(e, ERR_DATA, "%s: %d pages, more than the %d a scan may "
                     "have", s->name, s->pages, RECEIVE_SCAN_MAX_PAGES);
    if (rc != ERR_OK) {
        receive_scan_close(s);
        return rc;
    }
    *out = s;
    return ERR_OK;
}

int receive_scan_open(const char *path, struct receive_scan **out,
                      struct err *e)
{
    char *data = NULL;
    size_t n = 0;
    *out = NULL;
    int rc = fsx_read_file(path, RECEIVE_SCAN_MAX_BYTES, &data, &n, e);
    if (rc != ERR_OK)
        return rc;
    return open_owned((unsigned char *)data, n, path, out, e);
}

int receive_scan_open_mem(const void *data, size_t n, const char *name,
                          struct receive_scan **out, struct err *e)
{
    *out = NULL;
    if (n > RECEIVE_SCAN_MAX_BYTES)
        return err_set(e, ERR_DATA, "%s: larger than %zu bytes",
                       name ? name : "scan", (size_t)RECEIVE_SCAN_MAX_BYTES);
    unsigned char *copy = mem_malloc(n ? n : 1);
    if (!copy)
        return err_set(e, ERR_NOMEM, "%s: out of memory", name ? name : "scan");
    if (n)
        memcpy(copy, data, n);
    return open_owned(copy, n, name, out, e);
}

enum receive_scan_kind receive_scan_kind(const struct receive_scan *s)
{
    return s->kind;
}

int receive_scan_pages(const struct receive_scan *s)
{
    return s->pages;
}

int receive_scan_page(struct receive_scan *s, int i, struct receive_page *out,
                      struct err *e)
{
    memset(out, 0, sizeof *out);
    if (i < 0 || i >= s->pages)
        return err_set(e, ERR_USAGE, "%s: no page %d (it has %d)", s->name,
                       i + 1, s->pages);
    switch (s->kind) {
    case RECEIVE_SCAN_PDF: return page_pdf(s, i, out, e);
    case RECEIVE_SCAN_PNG: return page_png(s, out, e);
    case RECEIVE_SCAN_JPEG: return page_jpeg(s, out, e);
    case RECEIVE_SCAN_TIFF: return page_tiff(s, i, out, e);
    }
    return err_set(e, ERR_INTERNAL, "%s: unknown kind", s->name);
}

void receive_page_free(struct receive_page *p)
{
    if (!p)
        return;
    mem_free(p->px);
    memset(p, 0, sizeof *p);
}

void receive_scan_close(struct receive_scan *s)
{
    if (!s)
        return;
    if (s->doc)
        g_object_unref(s->doc);
    if (s->bytes)
        g_bytes_unref(s->bytes);
    mem_free(s->data);
    mem_free(s->name);
    mem_free(s);
}

/* ---- the page as the archive keeps it: a gray JPEG ----------------------- */

int receive_page_jpeg(const struct receive_page *p, int quality,
                      unsigned char **out, size_t *n, struct err *e)
{
    struct jpeg_compress_struct ci;
    struct jerr j;
    unsigned char *mem = NULL;
    unsigned long len = 0;

    *out = NULL;
    *n = 0;
    if (!p->px || p->width < 1 || p->height < 1 || quality < 1 ||
        quality > 100)
        return err_set(e, ERR_USAGE, "receive: no page to encode");
    if (p->width > JPEG_MAX_DIMENSION || p->height > JPEG_MAX_DIMENSION)
        return err_set(e, ERR_DATA, "a page of %d x %d pixels: a side of more "
                       "than %d cannot be archived as JPEG", p->width,
                       p->height, (int)JPEG_MAX_DIMENSION);
    /* a buffer libjpeg never has to grow (a gray JPEG at this quality is
     * far smaller than the raster): libjpeg-turbo frees a grown buffer
     * before it says where the new one is, which an error would leak */
    len = (unsigned long)p->width * (unsigned long)p->height * 2 + 65536;
    if (!(mem = malloc(len)))
        return err_set(e, ERR_NOMEM, "receive: out of memory");
    ci.err = jerr_init(&j);
    if (setjmp(j.jump)) {
        jpeg_destroy_compress(&ci);
        free(mem);
        return err_set(e, ERR_NOMEM, "receive: encoding a page: %s", j.msg);
    }
    jpeg_create_compress(&ci);
    jpeg_mem_dest(&ci, &mem, &len);     /* ours, len bytes */
    ci.image_width = (JDIMENSION)p->width;
    ci.image_height = (JDIMENSION)p->height;
    ci.input_components = 1;
    ci.in_color_space = JCS_GRAYSCALE;
    jpeg_set_defaults(&ci);
    jpeg_set_quality(&ci, quality, TRUE);
    ci.dct_method = JDCT_ISLOW;     /* the same bytes on every machine */
    jpeg_start_compress(&ci, TRUE);
    while (ci.next_scanline < ci.image_height) {
        JSAMPROW row = (JSAMPROW)(p->px + (size_t)ci.next_scanline *
                                              (size_t)p->stride);
        jpeg_write_scanlines(&ci, &row, 1);
    }
    jpeg_finish_compress(&ci);
    jpeg_destroy_compress(&ci);
    if (!(*out = mem_malloc(len ? len : 1))) {
        free(mem);
        return err_set(e, ERR_NOMEM, "receive: out of memory");
    }
    memcpy(*out, mem, len);
    *n = len;
    free(mem);
    return ERR_OK;
}
