/* pdf -- a small, safe PDF writer for keqing's documents (over libharu).
 *
 * The render modules (person sheets, region summaries, packets) draw with
 * these calls and never see libharu's traps.  A struct pdf records what is
 * drawn (pages, text, rectangles, lines) and checks each call at once:
 * text must be valid UTF-8, free of control characters and fully covered
 * by the font, so the caller can name the person and the character.  Only
 * pdf_render/pdf_save build the real document: they subset the font (and
 * its fallback face, font_set_fallback) to the characters used (font.h),
 * build the font objects themselves (libharu 2.3.0's own are slow and
 * partly wrong), replay the drawing and save with compression.
 *
 * Geometry: points (1/72 in); the origin is the TOP-LEFT corner of the
 * page and y grows downwards (as in the layout specs).  Text is placed by
 * the left end of its baseline.  Colours are 0xRRGGBB.
 *
 * Output is deterministic: the same calls give byte-identical files (the
 * creation date comes from pdf_set_info, never from the clock).
 * A struct pdf is used by one thread; different ones may run in parallel
 * on a shared struct font.
 */
#ifndef KQ_PDF_H
#define KQ_PDF_H

#include <stddef.h>
#include <stdint.h>

struct err;
struct font;
struct pdf;

/* A4 portrait, in points. */
#define PDF_A4_WIDTH 595.28
#define PDF_A4_HEIGHT 841.89

/* Document information (all UTF-8, NULL to leave out). */
struct pdf_info {
    const char *title, *author, *subject, *creator;
    int has_date;  /* 1: write CreationDate from day/seconds */
    int day;       /* date.h day number (days since 1970-01-01) */
    int seconds;   /* time of day, 0..86399; written without a zone */
};

/* A new empty document drawing with font (borrowed: it must outlive d).
 * *out is owned: pdf_free.  ERR_NOMEM. */
int pdf_new(struct pdf **out, const struct font *font, struct err *e);

/* Release d (NULL is fine). */
void pdf_free(struct pdf *d);

/* Set the Info dictionary (strings are copied).  ERR_DATA for invalid
 * UTF-8 or a date out of range. */
int pdf_set_info(struct pdf *d, const struct pdf_info *info, struct err *e);

/* Start a new page of width x height points (1..14400); later drawing
 * goes to it.  ERR_DATA for a bad size, ERR_NOMEM. */
int pdf_page(struct pdf *d, double width, double height, struct err *e);

/* Draw one line of text s[0..len) at (x, baseline y), size in points
 * (0 < size <= 1000), colour rgb.  The text must be valid UTF-8 without
 * control characters (break lines first: text_break) and every character
 * must be in the font; characters outside the BMP are fine when the font
 * has them.  ERR_DATA with the text and the character named (callers
 * prefix the person or item), ERR_USAGE before the first pdf_page,
 * ERR_NOMEM. */
int pdf_text(struct pdf *d, double x, double y, double size, uint32_t rgb,
             const char *s, size_t len, struct err *e);

/* Width in points of s[0..len) drawn at size (see font_text_width). */
double pdf_text_width(const struct pdf *d, const char *s, size_t len,
                      double size);

/* Fill the rectangle with top-left corner (x, y), width w, height h. */
int pdf_fill_rect(struct pdf *d, double x, double y, double w, double h,
                  uint32_t rgb, struct err *e);

/* Stroke its outline with a line line_width points wide. */
int pdf_stroke_rect(struct pdf *d, double x, double y, double w, double h,
                    double line_width, uint32_t rgb, struct err *e);

/* Stroke a straight line from (x1, y1) to (x2, y2). */
int pdf_line(struct pdf *d, double x1, double y1, double x2, double y2,
             double line_width, uint32_t rgb, struct err *e);

/* Number of pages and of distinct characters drawn so far. */
size_t pdf_page_count(const struct pdf *d);
size_t pdf_char_count(const struct pdf *d);

/* Build the PDF in memory: *data is owned (mem_free), *len its size.  d
 * is unchanged and may be rendered again (same bytes).  ERR_DATA when
 * there is no page; ERR_INTERNAL (with libharu's error and detail
 * numbers and the step) or ERR_NOMEM when the document cannot be built. */
int pdf_render(struct pdf *d, unsigned char **data, size_t *len,
               struct err *e);

/* pdf_render, then write the bytes atomically to path (fsx_write_file).
 * ERR_CANTCREAT/ERR_IO as fsx. */
int pdf_save(struct pdf *d, const char *path, struct err *e);

#endif
