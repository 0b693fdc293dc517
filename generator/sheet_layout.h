/* sheet_layout -- the layout kit the sheets share: text that never leaves
 * its box, paragraphs, page furniture (footer, the header of a
 * continuation page, company and title), label/value cells, the QR code
 * of the sign-off and the trend chart, on A4 portrait, drawn with pdf.h.
 *
 * Stage 4 (render): sheet_person.c (a person's assessment sheet) and
 * sheet_region.c (a region's summary) lay out their pages with it; each
 * keeps what only it draws (tables, bars, sign-off columns).  Geometry is
 * in points from the top-left corner, content between x = SHEET_X0 and
 * SHEET_X1.
 *
 * A struct sheet_layout is the state of one document being laid out.
 * What the two sheets do differently is set in it, not coded twice:
 *   - drawing: 0 while a layout only counts its pages (sheet_region.c runs
 *     twice): every drawing function then does nothing and returns ERR_OK,
 *     but sheet_new_page still counts;
 *   - wrap: what a text too wide at SHEET_MIN_SIZE does: wrap within its
 *     box down to SHEET_TINY_SIZE and only then be cut (1, the person
 *     sheet), or be cut at SHEET_MIN_SIZE (0, the region summary);
 *   - hooks (struct sheet_hooks, one static table per sheet): how an
 *     error is given its place (e.g. "person E0012: ") and what every
 *     new page receives: its footer and continuation header;
 *   - sink: streaming, the pages handed out every SHEET_CHUNK pages.
 * Every text run is measured and recorded in st (when not NULL).
 *
 * Errors: ERR_OK, or the pdf.h / text.h / sheet_qr.h / tmpl_format error with
 * its message in K->e.  Errors of text (drawn, measured or formatted, in
 * any function) and of sheet_set_info get their place through
 * hooks->fail; rules, fills, new pages, the QR code and the sink return
 * the error as they gave it (the sheet adds its place where it wants
 * one).  Out of memory while cutting a text says "KIND ID: out of
 * memory".  A layout belongs to one thread; the font is only read.
 */
#ifndef KQ_SHEET_LAYOUT_H
#define KQ_SHEET_LAYOUT_H

#include "buf.h"

#include <stddef.h>
#include <stdint.h>

struct err;
struct font;
struct pdf;

/* ---- geometry ----------------------------------------------------------- */

#define SHEET_X0 40.0
#define SHEET_X1 555.0
#define SHEET_CW (SHEET_X1 - SHEET_X0)
#define SHEET_FOOT_Y 800.0              /* the footer rule */
#define SHEET_FLOW_END (SHEET_FOOT_Y - 6)   /* content ends above this */
#define SHEET_GRID_TOP 92.0             /* the info grid under the title */
#define SHEET_INFO_ROW 20.0             /* a row of it */
#define SHEET_QR_SIDE 40.0              /* the QR code in the sign-off: a
                                           version-2 symbol of 1.6 pt
                                           modules */
#define SHEET_MIN_SIZE 6.0              /* shrink no further on one line */
#define SHEET_TINY_SIZE 4.5             /* wrap no smaller */
#define SHEET_SCRATCH_MAX 8192          /* bytes of a formatted text */
#define SHEET_CHUNK 16                  /* pages a sink receives at once */

/* A box the receiving side needs (issue 14, doc/archive.md "The signed
 * copies come back"): where a QR code or a signature field was drawn, in
 * points from the top-left corner of the page.  page: 1-based page of
 * the sheet, 0 for "every page" (the page code). */
#define SHEET_BOX_MAX 8
#define SHEET_BOX_NAME_MAX 16
struct sheet_box {
    int page;
    char name[SHEET_BOX_NAME_MAX];  /* "qr-a", "qr-s", "sign-assessee",
                                       "sign-assessor", "sign-manager",
                                       "sign-hr" */
    double x0, y0, x1, y1;
};

/* The code at the top right of every page (archive_docref_format_page,
 * mark 'A'): SHEET_QR_PAGE_VERSION modules of SHEET_QR_PAGE_MODULE
 * points, its top at SHEET_PAGE_QR_TOP and its right edge at SHEET_X1;
 * with its quiet zone it takes the page's top right corner down to
 * SHEET_PAGE_QR_BOTTOM, which titles and continuation headers keep clear
 * of (SHEET_PAGE_QR_LEFT). */
#define SHEET_PAGE_QR_TOP 16.0
#define SHEET_PAGE_QR_SIDE 58.0         /* 29 modules of 2 pt */
#define SHEET_PAGE_QR_BOTTOM (SHEET_PAGE_QR_TOP + SHEET_PAGE_QR_SIDE + 8)
#define SHEET_PAGE_QR_LEFT (SHEET_X1 - SHEET_PAGE_QR_SIDE - 8)

/* Where a streamed sheet's pages go: part is borrowed for the call;
 * ERR_OK, or the error that stops the sheet. */
typedef int (*sheet_sink_fn)(void *ctx, struct pdf *part, struct err *e);

/* Layout measurements of one sheet (for tests and diagnostics), and the
 * boxes the receiving side needs. */
struct sheet_stats {
    int texts;              /* text runs drawn */
    double worst_overflow;  /* max over runs of drawn width - cell width
                               (points; <= 0 when everything fits) */
    double min_size;        /* smallest font size used */
    int shrunk, wrapped, cut;  /* runs shrunk / wrapped / cut with "…" */
    int pages;
    int nboxes;                 /* boxes drawn (sheet_box) */
    struct sheet_box box[SHEET_BOX_MAX];
};

/* Page numbers of a sheet that is part of a longer document (a packet):
 * its first page is printed as page `first` (1-based) of `total`. */
struct sheet_paging {
    int first, total;
};

enum sheet_align { SHEET_LEFT, SHEET_CENTER, SHEET_RIGHT };

struct sheet_layout;

/* What a sheet does its own way; any member may be NULL.  The callbacks
 * find the sheet's state in K->owner. */
struct sheet_hooks {
    /* Give rc (!= ERR_OK) its place in K->e, return rc; NULL: as is. */
    int (*fail)(struct sheet_layout *K, int rc);
    /* A new page's furniture, drawn right after pdf_page: its footer,
     * and from the second page on the header of a continuation page. */
    int (*footer)(struct sheet_layout *K);
    int (*continued)(struct sheet_layout *K);
};

struct sheet_layout {
    struct pdf *pdf;        /* owned (sheet_layout_free), NULL once taken */
    const struct font *font;    /* borrowed */
    struct err *e;          /* borrowed */
    struct sheet_stats *st; /* borrowed, may be NULL */
    double cap;             /* cap height per point of size */
    int drawing;            /* 0: only count pages (see above) */
    int wrap;               /* 1: wrap before cutting (see above) */
    int page, pages;        /* the current page (0 before the first), and
                               the number of pages, once known */
    const struct sheet_paging *pg;  /* numbering inside a packet, or NULL */
    const char *page_code;  /* the document's QR text (archive_docref.h):
                               the code at the top right of every page,
                               or NULL for none (borrowed) */
    const char *kind, *id;  /* "person", "E0012": what an out-of-memory
                               message names (borrowed) */
    const struct sheet_hooks *hooks;    /* borrowed, may be NULL */
    void *owner;            /* the sheet's own state, for the hooks */
    /* Streaming (NULL: one document): before a page beyond SHEET_CHUNK,
     * the pages so far go to sink(sink_ctx, part, e) and a new document
     * starts; sheet_flush hands out the rest. */
    sheet_sink_fn sink;
    void *sink_ctx;
    int chunk_pages;        /* pages in K->pdf */
    struct buf scratch;     /* the furniture's formatted text */
};

/* Zero K, measure f's cap height and start an empty document (K->pdf)
 * with drawing = 1, wrap = 0, no stats, no paging and no sink; kind and
 * id name the sheet in messages, hooks (may be NULL) and owner are the
 * sheet's (all borrowed until sheet_layout_free).  ERR_OK or ERR_NOMEM;
 * sheet_layout_free is due either way. */
int sheet_layout_init(struct sheet_layout *K, const struct font *f,
                      const char *kind, const char *id,
                      const struct sheet_hooks *hooks, void *owner,
                      struct err *e);

/* The page code of K's pages: qr_text (borrowed; a document's QR text,
 * archive_docref.h) when it names its registry, else none (a sheet
 * drawn outside the batch, or by a registry before schema 4). */
void sheet_layout_page_code(struct sheet_layout *K, const char *qr_text);

/* Render pdf (borrowed) and write it atomically to path (fsx); *bytes
 * (may be NULL) receives the file's size.  pdf_render's errors prefixed
 * "KIND ID: ", ERR_CANTCREAT/ERR_IO as fsx. */
int sheet_write_pdf(struct pdf *pdf, const char *path, size_t *bytes,
                    const char *kind, const char *id, struct err *e);

/* Free K's scratch and its document, unless taken (NULL is fine). */
void sheet_layout_free(struct sheet_layout *K);

/* The document, now owned by the caller (pdf_free); K keeps none. */
struct pdf *sheet_layout_take(struct sheet_layout *K);

/* ---- drawing primitives (no-ops while not drawing) ---------------------- */

int sheet_fill(struct sheet_layout *K, double x, double y, double w,
               double h, uint32_t rgb);
int sheet_stroke(struct sheet_layout *K, double x, double y, double w,
                 double h, double lw, uint32_t rgb);
int sheet_line(struct sheet_layout *K, double x1, double y1, double x2,
               double y2, double lw, uint32_t rgb);

/* Width of s at size (points), drawing or not. */
double sheet_width(const struct sheet_layout *K, const char *s, double size);

/* A text.h width function over a document at one size: ctx is a
 * struct sheet_measure (for text_break and sheet_comment_write). */
struct sheet_measure {
    const struct pdf *pdf;
    double size;
};
double sheet_measure_width(void *ctx, const char *s, size_t len);

/* ---- text --------------------------------------------------------------- */

/* Draw s inside the box (x, y, w, h), vertically centred and aligned al:
 * at size when it fits, else shrunk (to one decimal) down to
 * SHEET_MIN_SIZE, else wrapped or cut (K->wrap).  "" and w <= 0 draw
 * nothing. */
int sheet_cell(struct sheet_layout *K, double x, double y, double w,
               double h, double size, uint32_t rgb, enum sheet_align al,
               const char *s);

/* Lines s needs at width w and size, breaking one em short of w (Chinese
 * line breaking, text.h), into *n; 0 for "". */
int sheet_para_lines(struct sheet_layout *K, const char *s, double w,
                     double size, size_t *n);

/* Draw s as a left-aligned paragraph: first baseline at base, lines lead
 * apart, at most max lines (at most 16; the caller reserved their height
 * with sheet_para_lines). */
int sheet_para(struct sheet_layout *K, double x, double base, double w,
               double size, double lead, uint32_t rgb, const char *s,
               size_t max);

/* Format pattern (tmpl_format: {name} placeholders) into b, reset first;
 * its text (borrowed until b changes), or NULL with K->e set. */
const char *sheet_format(struct sheet_layout *K, struct buf *b,
                         const char *pattern, const char *const *names,
                         const char *const *values, size_t n);

/* ---- pages -------------------------------------------------------------- */

/* Count a new page (K->page, st->pages); when drawing, start it in the
 * document (handing the pages so far to the sink every SHEET_CHUNK pages)
 * and draw its furniture: the page code (K->page_code, for page K->page
 * of K->pages), hooks->footer, hooks->continued. */
int sheet_new_page(struct sheet_layout *K);

/* Hand the pages drawn since the last part to the sink and start a new
 * document (nothing without a sink or without pages). */
int sheet_flush(struct sheet_layout *K);

/* The footer: a rule at SHEET_FOOT_Y; under it, left, the document
 * number (when doc_no is set), the provenance (centred beside the number,
 * else left) and, right, the page number, all in muted 8 pt.  Patterns
 * are the template's ({no}; {company} {hash}; {page} {pages}); page
 * numbers come from K->page, K->pages and K->pg. */
struct sheet_footer {
    const char *doc_no, *no;            /* NULL doc_no: no number */
    const char *source, *company, *hash;
    const char *page;
    uint32_t rule, muted;
    double page_w;                      /* width of the page number box */
};
int sheet_footer(struct sheet_layout *K, const struct sheet_footer *f);

/* The header of a continuation page: text (10 pt, left) in the box at y,
 * a rule 20 pt below its top, both ending left of the page code
 * (SHEET_PAGE_QR_LEFT). */
int sheet_continued(struct sheet_layout *K, const char *text, double y,
                    uint32_t text_rgb, uint32_t rule_rgb);

/* Company (10 pt) and title (20 pt), centred: the title in the box
 * (SHEET_X0 + inset, y, SHEET_CW - 2 inset, h), both clear of the page
 * code (inset at least SHEET_X1 - SHEET_PAGE_QR_LEFT). */
int sheet_title(struct sheet_layout *K, const char *company,
                uint32_t company_rgb, const char *title, uint32_t title_rgb,
                double inset, double y, double h);

/* The Info dictionary: title "TITLE PERIOD ID NAME", author, subject,
 * creator keqing VERSION, keywords "keqing registry R" (registry set) and
 * the date day (date.h; the period's last day, never the clock).
 * ERR_NOMEM/ERR_DATA ("KIND ID: title too long"), pdf_set_info's. */
struct sheet_info {
    const char *title, *period, *id, *name;
    const char *author, *subject, *registry;   /* registry may be NULL */
    int day;
};
int sheet_set_info(struct sheet_layout *K, const struct sheet_info *in);

/* ---- blocks ------------------------------------------------------------- */

/* ERR_OK when f shows every character of s, else ERR_DATA naming
 * "FILE: WHAT" and the character (font_check_text): a template's text
 * is checked before anything is drawn. */
int sheet_check_text(const struct font *f, const char *file,
                     const char *what, const char *s, struct err *e);

/* One label/value cell of an info grid, SHEET_INFO_ROW high at (x, y),
 * w wide: the label (9 pt) in a filled box of width box_w, inset pad;
 * the value (10 pt) after it. */
struct sheet_info_style {
    double box_w, pad;
    uint32_t box, value;    /* colours: the label's box, the value */
};
int sheet_info_cell(struct sheet_layout *K, const struct sheet_info_style *s,
                    double x, double y, double w, const char *label,
                    uint32_t label_rgb, const char *value);

/* Record a box of the current page in K->st (when drawing and st is
 * set): name (shorter than SHEET_BOX_NAME_MAX), page (0: every page) and
 * the corners.  ERR_INTERNAL past SHEET_BOX_MAX boxes. */
int sheet_box(struct sheet_layout *K, const char *name, int page, double x0,
              double y0, double x1, double y1);

/* The QR code of text (nothing for NULL or ""), its top-right corner at
 * (SHEET_X1, y), SHEET_QR_SIDE wide; *room: the width it and its quiet
 * zone take from the sign-off (0 without a code), set while counting
 * too.  Recorded as box "qr-s".  sheet_qr.h's errors. */
int sheet_qr(struct sheet_layout *K, const char *text, double y,
             uint32_t rgb, double *room);

/* ---- the trend chart ---------------------------------------------------- */

/* A gridline of a chart from x0 to x1 at y, and its value label right-
 * aligned in (label_x, y - 5, label_w, 10). */
struct sheet_gridline {
    double x0, x1, lw;
    uint32_t rgb;
    double label_x, label_w, size;
    uint32_t label_rgb;
};
int sheet_gridline(struct sheet_layout *K, const struct sheet_gridline *g,
                   double y, const char *label);

/* One period of a trend: its label under its slot, and its value. */
struct sheet_trend_point {
    char label[16];
    int has_value;
    double value;
    char text[32];          /* the value as printed */
};

/* A trend's series over `slots` slots of width slot from x0, the last
 * point in the rightmost: per point its label (label_size, label_rgb,
 * centred under the plot), and for a value a square mark (half side mark,
 * mark_cur for the last point) joined to the previous value by a line;
 * values map lo..100 onto bottom..top, clamped.  A value's text (height
 * value_h, size value_size / value_size_cur) sits inside [value_top,
 * bottom + 1] on none of the ngrid gridlines at grid[] (sheet_label_y). */
struct sheet_trend {
    double x0, slot, top, bottom, lo;
    int slots;
    double label_size;
    uint32_t label_rgb;
    double line_w, mark, mark_cur;
    uint32_t rgb;
    double value_h, value_size, value_size_cur, value_top;
    uint32_t value_rgb;
    const double *grid;
    int ngrid;
};
int sheet_trend(struct sheet_layout *K, const struct sheet_trend *tr,
                const struct sheet_trend_point *p, int n);

/* Where a chart's value label of height h goes for a point at y = cy:
 * the top of its box, just above the point, else just below it, else
 * further above or below - the first that lies inside [top, bottom] and
 * crosses none of the n gridlines at grid[] (with 1 pt to spare); above
 * the point when none does. */
double sheet_label_y(double cy, double h, const double *grid, int n,
                     double top, double bottom);

#endif
