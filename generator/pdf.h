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
/* Strings of the Info dictionary: Title, Author, Subject, Creator,
 * Keywords (keqing writes "keqing registry <id>" there, doc/archive.md). */
#define PDF_INFO_N 5

struct pdf_info {
    const char *title, *author, *subject, *creator, *keywords;
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
 * control characters (break lines first: text_break).  Each character is
 * drawn from the face of the font's chain that has it (outside the BMP
 * too); one that no face has is drawn as the chain's placeholder (〓) and
 * counted (pdf_missing_count), its text layer still the real character.
 * ERR_DATA for bad UTF-8, a control character or - when not even the
 * placeholder can be drawn - a missing character, with the text and the
 * character named (callers prefix the person or item), ERR_USAGE before
 * the first pdf_page, ERR_NOMEM. */
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
/* Characters drawn so far as the font chain's placeholder (no face has
 * them; font.h): each one counted every time it is drawn. */
size_t pdf_missing_count(const struct pdf *d);
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

/* pdf_render keeps one deflate compressor per thread between documents
 * (freed when the thread ends; the main thread's at exit).  This frees
 * the calling thread's at once; the next render makes a new one.  Safe
 * to call any time, also when nothing was rendered. */
void pdf_release_cache(void);

/* ==== books: long documents written page by page (packets) =============
 * A struct pdf keeps every drawing call until pdf_render; a document of
 * thousands of pages would hold them all (and libharu all its objects).
 * A book is written to its file as it grows: each part (an ordinary
 * struct pdf of a few pages, drawn with the calls above) is added, its
 * pages written at once, and may be freed.  The book keeps only object
 * offsets, page numbers and outline entries (a few dozen bytes a page);
 * pdf_book_close subsets the font once for the whole book (every part's
 * characters), writes the outline (bookmarks) and commits the file
 * atomically (fsx).  Output is deterministic: the same calls give the
 * same bytes.  A book is used by one thread. */
struct pdf_book;

/* Start a book at path (a temporary file next to it until
 * pdf_book_close), drawing with font (borrowed until close/free).  *out
 * is owned: pdf_book_close or pdf_book_free.  ERR_CANTCREAT, ERR_NOMEM. */
int pdf_book_open(struct pdf_book **out, const struct font *font,
                  const char *path, struct err *e);

/* Append every page of part (drawn with the book's font; borrowed for
 * the call: free it afterwards).  Its Info and outline are not used.
 * ERR_USAGE for another font, ERR_DATA beyond 8,000 distinct characters
 * or 1,000,000 pages, ERR_IO, ERR_NOMEM; after an error the book can
 * only be freed. */
int pdf_book_add(struct pdf_book *b, struct pdf *part, struct err *e);

/* Pages written so far (the next part starts at this 0-based index). */
size_t pdf_book_pages(const struct pdf_book *b);

/* Add a bookmark: title (UTF-8, at most 1,024 bytes) pointing at the top
 * of page (0-based, already added), under the entry parent (an id given
 * earlier, -1 for the top level), after its earlier children.  *id (may
 * be NULL) receives the new entry's id.  Top-level entries show their
 * children when the document opens; deeper ones start closed.
 * ERR_USAGE (no such parent or page), ERR_DATA (invalid UTF-8, too
 * long), ERR_NOMEM. */
int pdf_book_outline(struct pdf_book *b, int parent, const char *title,
                     size_t page, int *id, struct err *e);

/* Give the book the Info dictionary of part (its title, author,
 * subject, creator, keywords and date), as pdf_set_info would.  ERR_NOMEM. */
int pdf_book_take_info(struct pdf_book *b, const struct pdf *part,
                       struct err *e);

/* The book's Info dictionary, as pdf_set_info. */
int pdf_book_set_info(struct pdf_book *b, const struct pdf_info *info,
                      struct err *e);

/* Finish the file (fonts, outline, page tree, xref), commit it under its
 * name and free b, whatever happens.  ERR_DATA when no page was added,
 * ERR_USAGE after an earlier failure (nothing is committed),
 * ERR_IO/ERR_NOMEM/ERR_INTERNAL. */
int pdf_book_close(struct pdf_book *b, struct err *e);

/* Abandon b: the temporary file is removed (NULL is fine). */
void pdf_book_free(struct pdf_book *b);
/* ==== end of books ==================================================== */

/* ==== attachments (embedded files; issue 6) ============================ */

#define PDF_ATTACH_MAX 16                    /* files per document */
#define PDF_ATTACH_MAX_BYTES ((size_t)16 << 20) /* bytes per file */
#define PDF_ATTACH_NAME_MAX 128

/* Attach a copy of data[0..len) to d as the embedded file `name` of MIME
 * type `mime` ("text/csv"): written by pdf_render as an EmbeddedFile in
 * the catalog's /Names /EmbeddedFiles (no dates: deterministic), so
 * `pdfdetach -list` shows it and `pdfdetach -save 1` returns the bytes.
 * name and mime: printable ASCII without '/' or '\\' in name (mime has
 * one '/'), at most PDF_ATTACH_NAME_MAX bytes.  Files are listed in name
 * order whatever the order of the calls.  ERR_USAGE for a bad or repeated
 * name, ERR_DATA over PDF_ATTACH_MAX files or PDF_ATTACH_MAX_BYTES,
 * ERR_NOMEM. */
int pdf_attach(struct pdf *d, const char *name, const char *mime,
               const void *data, size_t len, struct err *e);

/* Number of files attached to d. */
size_t pdf_attachment_count(const struct pdf *d);

#endif
