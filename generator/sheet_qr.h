/* qr -- QR codes (ISO/IEC 18004) for the sheets, over libqrencode.
 *
 * Stage 4 (render): each person's sheet carries a small QR code with its
 * document number and the prefix of its data hash ("KQ-202610-000123
 * 3f9a1c2e"), so a signed paper copy scanned years later leads back to
 * its registry entry (doc/archive.md).  This module turns a text into the
 * module matrix and draws it with pdf_fill_rect, one rectangle per run of
 * dark modules in a row, so the PDF layer needs no image support.
 *
 * Encoding: error correction level M (15 % of the symbol may be damaged -
 * a signature or a stamp over it), the smallest version that holds the
 * text, case preserved.  Output is deterministic.  libqrencode is used
 * only here.
 */
#ifndef KQ_SHEET_QR_H
#define KQ_SHEET_QR_H

#include <stddef.h>
#include <stdint.h>

struct err;
struct pdf;

/* Modules of quiet zone the standard asks for on each side. */
#define SHEET_QR_QUIET 4
/* Longest text accepted (far below the format's limits). */
#define SHEET_QR_MAX_TEXT 256

struct sheet_qr {
    int width;              /* modules per side (21 for version 1, ...) */
    int version;            /* 1..40 */
    unsigned char *dark;    /* owned: width * width, row-major, 1 = dark */
};

/* Encode text (1..SHEET_QR_MAX_TEXT bytes, NUL-terminated) into *out (owned:
 * sheet_qr_free, also zeroed on failure).  ERR_USAGE for an empty or too long
 * text, ERR_NOMEM, ERR_INTERNAL when libqrencode refuses. */
int sheet_qr_encode(const char *text, struct sheet_qr *out, struct err *e);

/* The code at the top of every page (archive_docref_format_page): at
 * least version 3 (29 modules, drawn SHEET_QR_PAGE_MODULE points each:
 * 0.71 mm, four pixels at 150 dpi) at level Q (25 % may be damaged), or
 * level M when the text is too long for Q at version 3 (more than 47
 * characters: a document of 1,000 pages or more).  Errors as
 * sheet_qr_encode. */
#define SHEET_QR_PAGE_VERSION 3
#define SHEET_QR_PAGE_MODULE 2.0
int sheet_qr_encode_page(const char *text, struct sheet_qr *out,
                         struct err *e);

/* Release q's matrix; q is zeroed.  NULL or a zeroed q is fine. */
void sheet_qr_free(struct sheet_qr *q);

/* 1 when module (x, y) is dark; 0 outside the symbol. */
int sheet_qr_is_dark(const struct sheet_qr *q, int x, int y);

/* Side of the drawn symbol in points, quiet zone excluded. */
double sheet_qr_side(const struct sheet_qr *q, double module);

/* Draw q on the current page of d with its top-left module at (x, y),
 * each module `module` points wide, dark modules in rgb; the caller keeps
 * SHEET_QR_QUIET modules around it free.  Row runs of dark modules become one
 * rectangle each.  *rects (may be NULL) receives their number.  Errors as
 * pdf_fill_rect. */
int sheet_qr_draw(const struct sheet_qr *q, struct pdf *d, double x, double y,
                  double module, uint32_t rgb, int *rects, struct err *e);

/* Encode text and draw it as a symbol side points wide with its
 * top-left corner at (x, y) (module = side / width): sheet_qr_encode
 * then sheet_qr_draw.  The caller keeps a quiet zone of SHEET_QR_QUIET
 * modules free around it (sheet_qr_quiet_for gives its width).  Errors
 * as those two. */
int sheet_qr_place(struct pdf *d, const char *text, double x, double y,
                   double side, uint32_t rgb, struct err *e);

/* The quiet zone, in points, of a symbol side points wide encoding text
 * (SHEET_QR_QUIET modules); 0 when text cannot be encoded. */
double sheet_qr_quiet_for(const char *text, double side);

#endif
