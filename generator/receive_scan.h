/* receive_scan -- the pages of a scanner's file, as grayscale rasters.
 *
 * Stage 5 (receive, doc/archive.md "The signed copies come back"): what a
 * scanner produces - a multi-page PDF, a PNG, a JPEG or a (multi-page)
 * TIFF, grayscale or colour, 150-600 dpi - opened by its first bytes (never
 * by its name) and read one page at a time as 8-bit gray (0 black, 255
 * white).  PDF pages are rasterised with poppler-glib + cairo at
 * RECEIVE_SCAN_PDF_DPI; images are decoded with leptonica at their own
 * resolution.  libpoppler, cairo and leptonica are used only here.
 *
 * Bad input is refused with ERR_DATA and a message naming the file (and
 * the page) and the cause: not a PDF or image, truncated, encrypted, more
 * than RECEIVE_SCAN_MAX_PIXELS pixels on a page (checked from the header,
 * before anything is decoded), more than RECEIVE_SCAN_MAX_PAGES pages, a
 * file of more than RECEIVE_SCAN_MAX_BYTES.  The libraries never print:
 * PNG and JPEG are decoded with libpng and libjpeg directly (leptonica would
 * let them print on stderr), and leptonica's own messages are switched off
 * for the process on first use (its one global setting; nothing else in
 * keqing uses leptonica).
 *
 * Thread safety: a struct receive_scan is used by one thread at a time;
 * distinct scans may be read in parallel.
 */
#ifndef KQ_RECEIVE_SCAN_H
#define KQ_RECEIVE_SCAN_H

#include <stddef.h>

struct err;

#define RECEIVE_SCAN_PDF_DPI 200
#define RECEIVE_SCAN_MAX_PIXELS 60000000L   /* A4 at 600 dpi is 35 M */
#define RECEIVE_SCAN_MAX_PAGES 5000
#define RECEIVE_SCAN_MAX_BYTES (1024L * 1024 * 1024)  /* a file, read whole */

enum receive_scan_kind {
    RECEIVE_SCAN_PDF = 1, RECEIVE_SCAN_PNG, RECEIVE_SCAN_JPEG,
    RECEIVE_SCAN_TIFF
};

/* One page: width x height pixels, row r at px + r * stride. */
struct receive_page {
    int width, height, stride;
    unsigned char *px;      /* owned (receive_page_free) */
    double dpi;             /* pixels per inch (the file's, or the PDF
                               raster's); 0 when the file does not say */
};

struct receive_scan;

/* Open path (borrowed name, kept for messages).  ERR_NOINPUT when it
 * cannot be read, ERR_DATA for what is not a scan (see above), ERR_NOMEM.
 * *out is NULL on failure. */
int receive_scan_open(const char *path, struct receive_scan **out,
                      struct err *e);

/* The same over bytes in memory (copied); name is what messages say. */
int receive_scan_open_mem(const void *data, size_t n, const char *name,
                          struct receive_scan **out, struct err *e);

enum receive_scan_kind receive_scan_kind(const struct receive_scan *s);
int receive_scan_pages(const struct receive_scan *s);

/* Page i (0-based) into *out (owned: receive_page_free; zeroed on
 * failure); stride == width.  ERR_DATA ("scan.pdf: page 3: ..."),
 * ERR_NOMEM, ERR_USAGE for an i out of range.  Each call decodes again
 * (nothing is cached). */
int receive_scan_page(struct receive_scan *s, int i, struct receive_page *out,
                      struct err *e);

/* Page p as a baseline gray JPEG at quality (1..100), what the archive
 * keeps of it (pdf_scan.h): *out owned (mem_free), *n its size.
 * Deterministic.  ERR_USAGE for an empty page, ERR_NOMEM. */
int receive_page_jpeg(const struct receive_page *p, int quality,
                      unsigned char **out, size_t *n, struct err *e);

void receive_page_free(struct receive_page *p);
void receive_scan_close(struct receive_scan *s);    /* NULL is fine */

#endif
