/* pdf_scan -- the archive's copies of scanned pages: a PDF whose every
 * page is one JPEG image, at its scanned size (doc/archive.md "The signed
 * copies come back").
 *
 * Stage 5 (receive) writes them with this; it is a writer of its own,
 * not pdf.h's (which draws text and vectors through a font): a page here
 * is a DCTDecode image XObject painted over the whole MediaBox, whose
 * size is the image's at its resolution.  Output is deterministic (the
 * creation date is the day received, never the clock) and written
 * atomically (fsx).  No state: reentrant.
 */
#ifndef KQ_PDF_SCAN_H
#define KQ_PDF_SCAN_H

#include <stddef.h>

struct err;

struct pdf_scan_page {
    const unsigned char *jpeg;  /* borrowed: a baseline 8-bit JPEG, gray
                                   (1 component) or colour (3) */
    size_t len;
    int width, height;          /* pixels */
    int components;             /* 1 or 3 */
    double dpi;                 /* > 0 */
};

/* Write the n pages (1..PDF_SCAN_MAX_PAGES) to path atomically: Info
 * /Title title (printable ASCII), /CreationDate date (YYYY-MM-DD),
 * /Producer "keqing VERSION".  sha (65) and *bytes receive the file's
 * sha256 and size.  ERR_USAGE for bad arguments, ERR_NOMEM,
 * ERR_CANTCREAT/ERR_IO as fsx. */
#define PDF_SCAN_MAX_PAGES 100000
int pdf_scan_write(const char *path, const struct pdf_scan_page *p, int n,
                   const char *title, const char *date, char sha[65],
                   long long *bytes, struct err *e);

#endif
