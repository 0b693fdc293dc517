/* receive_qr -- the QR codes on a scanned page, with where they lie.
 *
 * Stage 5 (receive).  Finds and decodes every QR code on a grayscale page
 * (receive_scan.h) with libzbar, which is used only here: at any rotation
 * (90/180/270 degrees and skew of a few degrees are what scanners do),
 * through JPEG noise and low contrast.  A fast first pass (every other
 * line; a 400 dpi or finer page reduced to about 200 dpi first); when it
 * finds nothing, a full pass, then a contrast-stretched copy, then that
 * copy halved (receive_qr.c).  Each symbol comes with its four corners
 * in pixel coordinates, in the symbol's own order: corner[0] the top-left
 * of the symbol as printed (its finder pattern), then top-right,
 * bottom-right, bottom-left, whatever the page's rotation (so the caller
 * knows the orientation).
 *
 * Thread safety: reentrant (one zbar scanner per call).
 */
#ifndef KQ_RECEIVE_QR_H
#define KQ_RECEIVE_QR_H

#include <stddef.h>

struct err;
struct receive_page;

#define RECEIVE_QR_MAX 8            /* more on one page: refused */
#define RECEIVE_QR_TEXT_MAX 128

struct receive_qr_symbol {
    char text[RECEIVE_QR_TEXT_MAX]; /* NUL-terminated; longer payloads are
                                       not ours and are dropped (counted in
                                       `other`) */
    double corner[4][2];            /* x, y in pixels of the page */
};

struct receive_qr_found {
    int n;                          /* symbols in sym[] */
    int other;                      /* symbols seen but not kept (other
                                       barcode types, over-long texts) */
    struct receive_qr_symbol sym[RECEIVE_QR_MAX];
};

/* Decode the QR codes of p (borrowed) into *out (sorted by text, then by
 * corner[0]'s y and x, so the result is deterministic; out->n == 0 when
 * there is none, which is not an error).  ERR_DATA when the page holds
 * more than RECEIVE_QR_MAX codes ("41 QR codes on one page"), ERR_NOMEM,
 * ERR_INTERNAL when zbar fails, ERR_USAGE for an empty page; on failure
 * out->n is 0.  Corners are page pixels, to within a pixel (a pass on a
 * reduced copy maps them back: within its scale). */
int receive_qr_decode(const struct receive_page *p,
                      struct receive_qr_found *out, struct err *e);

/* The shortcut of a page keqing printed: the four corners only (30 % x
 * 22 % of the page each, where the page code and the sign-off's code
 * stand whatever the page's rotation), every third line - a quarter of
 * the work of receive_qr_decode.  out->n may be 0 (nothing there, or a
 * page of 400 dpi and more, which this does not try): the caller then
 * decodes the whole page.  Errors as receive_qr_decode. */
int receive_qr_decode_corners(const struct receive_page *p,
                              struct receive_qr_found *out, struct err *e);

#endif
