/* pdf_int -- what the pdf*.c files share; not for other modules.
 *
 * pdf.c records a document (struct pdf: drawing calls, Info); two writers
 * turn recordings into files:
 *   pdf_render.c  one document through libharu's object API and writer
 *                 (pdf_render, pdf_save: person sheets);
 *   pdf_book.c    a long document written page by page by hand
 *                 (pdf_book_*: region summaries, packets).
 * Both build their page content with pdf_content.c, the contents of their
 * font objects with pdf_font.c and compress with pdf_deflate.c, so the
 * two agree on every operator, width and ToUnicode entry; only the object
 * syntax around them is each writer's own.  pdf_att.c keeps attachments
 * and embeds them (libharu writer only).
 *
 * libharu is used by pdf_render.c and pdf_att.c (the struct pdf_render
 * block below), libdeflate by pdf_deflate.c alone.
 */
#ifndef KQ_PDF_INT_H
#define KQ_PDF_INT_H

#include "buf.h"
#include "font.h"
#include "pdf.h"
#include "text.h"

#include <hpdf.h>

#include <stddef.h>
#include <stdint.h>

struct err;
struct libdeflate_compressor;
struct pdf_att;

#define PDF_MAX_OPS 200000
#define PDF_MAX_TEXT ((size_t)8 << 20)
#define PDF_MAX_INFO 4096
#define PDF_MAX_STREAM ((size_t)64 << 20)
/* libdeflate level for every stream of a document, and for a book's
 * fonts: 6 gives zlib's best size (-9) at a third of zlib -6's time
 * (doc/fonts.md) */
#define PDF_DEFLATE_LEVEL 6
/* the embedded subset: outline tables only */
#define PDF_SUBSET_FLAGS FONT_SUBSET_PDF

/* ==== the recording (pdf.c) ============================================ */

enum pdf_op_kind {
    PDF_OP_PAGE, PDF_OP_TEXT, PDF_OP_FILL, PDF_OP_STROKE, PDF_OP_LINE
};

/* One drawing call, checked. */
struct pdf_op {
    enum pdf_op_kind kind;
    uint32_t rgb;
    double v[5];       /* PAGE w h; TEXT x y size; FILL x y w h;
                          STROKE x y w h lw; LINE x1 y1 x2 y2 lw */
    size_t off, len;   /* TEXT: bytes in pdf.text */
};

/* An Info dictionary: of a document (struct pdf) or of a book. */
struct pdf_meta {
    char *str[PDF_INFO_N];  /* owned, NULL: left out; the keys are
                               pdf_info_keys */
    int has_date, day, seconds;
};

struct pdf {
    const struct font *font;
    struct pdf_op *ops;
    size_t nops, cap, npages;
    struct buf text;          /* the bytes of every text op */
    struct text_cpset cps;    /* characters drawn */
    struct pdf_meta info;
    struct pdf_att *att;      /* owned: attachments, sorted by name
                                 (pdf_att.c) */
    size_t natt;
    size_t missing;           /* characters drawn as the placeholder */
};

/* "Title", "Author", "Subject", "Creator", "Keywords": the Info keys of
 * pdf_meta.str[0..PDF_INFO_N). */
extern const char *const pdf_info_keys[PDF_INFO_N];

/* Check info as pdf_set_info does and copy it into m (replacing what m
 * held only on success).  ERR_DATA, ERR_NOMEM. */
int pdf_meta_set(struct pdf_meta *m, const struct pdf_info *info,
                 struct err *e);

/* Replace to's content with a copy of from's.  ERR_NOMEM (to unchanged). */
int pdf_meta_copy(struct pdf_meta *to, const struct pdf_meta *from);

/* Free m's strings; m is left empty. */
void pdf_meta_free(struct pdf_meta *m);

/* Append cp as UTF-16 code units, each in 4 upper-case hex digits
 * (surrogate pairs above the BMP).  ERR_OK, or buf's error. */
int pdf_put_utf16(struct buf *b, uint32_t cp);

/* Append valid UTF-8 s as a PDF text string: FEFF (the byte order mark)
 * then UTF-16BE, as bytes (hex 0) or in upper-case hex digits (hex 1;
 * without the angle brackets).  ERR_OK, or buf's error. */
int pdf_put_text_string(struct buf *b, const char *s, int hex);

/* err_set(e, ERR_NOMEM, "pdf: out of memory"). */
int pdf_nomem(struct err *e);

/* ==== attachments (pdf_att.c) ========================================== */

/* Free d's attachments. */
void pdf_att_free(struct pdf *d);

/* ==== content streams (pdf_content.c) ================================== */

/* The writer of page content streams, for both writers: replays a
 * recording's drawing ops as PDF operators into out, keeping the graphics
 * state to leave out what does not change. */
struct pdf_cs {
    const struct pdf *d;         /* the recording being replayed */
    struct err *e;
    char res[FONT_CHAIN_MAX][16]; /* face k's font resource name ("F1") */
    /* the 2-byte code that draws cp from face k of d's chain */
    unsigned (*code)(const void *ctx, int k, uint32_t cp);
    const void *code_ctx;
    struct buf out;              /* the current page's stream; between
                                    pages the writer's scratch space */
    double page_h;
    int in_text;                 /* inside BT .. ET */
    int have_fill, have_stroke, have_lw;
    int cur;                     /* face of the last Tf, -1 none */
    uint32_t fill, stroke;
    double lw, size;
    double tx, ty;               /* start of the last text line in BT */
};

/* An empty writer (out may grow to PDF_MAX_STREAM); set d, e, res and
 * code before replaying. */
void pdf_cs_init(struct pdf_cs *cs);
void pdf_cs_free(struct pdf_cs *cs);

/* Replay every op of cs->d: at each page op begin(ctx, op) (cs->out is
 * then empty and the graphics state reset; begin may be NULL), its
 * drawing into cs->out, and when the page is complete end(ctx, op) with
 * that page's op.
 * Either callback's error ends the replay and is returned; ERR_NOMEM
 * (cs->e) when the stream cannot grow. */
int pdf_cs_replay(struct pdf_cs *cs,
                  int (*begin)(void *ctx, const struct pdf_op *page),
                  int (*end)(void *ctx, const struct pdf_op *page),
                  void *ctx);

/* Append v rounded to 1/1000 without needless digits ("12", "-0.5",
 * "595.28"): compact and locale-free.  |v| <= 1e5. */
int pdf_put_num(struct buf *b, double v);

/* ==== what a font object says (pdf_font.c) ============================= */

/* The content of the Type0/CIDFontType2 font of one face, the same for
 * both writers: each writes it in its own object syntax. */
struct pdf_font_data {
    const struct font *face;        /* the face (borrowed) */
    const struct font_subset *sub;  /* its subset (borrowed) */
    const uint32_t *chars;          /* chars[code - 1]: the character of
                                       each code 1..n (borrowed or own) */
    size_t n;
    char name[64];                  /* BaseFont and FontName */
    struct font_metrics m;          /* FontDescriptor, 1/1000 em */
    int dw;                         /* /DW: the most common width */
    int *w;                         /* owned: w[code - 1], 1/1000 em */
    uint32_t *own;                  /* owned chars, or NULL */
};

/* fd for face (of chain, whose font_advance gives the widths) and its
 * subset sub drawing chars[0..n) as codes 1..n; chars NULL: the subset's
 * own codes (font_subset_char).  ERR_NOMEM (cleaned up). */
int pdf_font_data_init(struct pdf_font_data *fd, const struct font *chain,
                       const struct font *face,
                       const struct font_subset *sub,
                       const uint32_t *chars, size_t n);
void pdf_font_data_free(struct pdf_font_data *fd);

/* The next run of codes whose width is not /DW, at *code or after it
 * (1-based; start with 1): 1 with *code its first code and *len its
 * length (widths fd->w[*code - 1 ..]), then call again with *code +=
 * *len; 0 when there is none. */
int pdf_font_width_run(const struct pdf_font_data *fd, size_t *code,
                       size_t *len);

/* 1 when code i draws glyph i for every code (CIDToGIDMap /Identity). */
int pdf_font_identity(const struct pdf_font_data *fd);

/* Append the CIDToGIDMap stream: 2 bytes per code 0..n (code 0: 0). */
int pdf_font_cid_map(const struct pdf_font_data *fd, struct buf *b);

/* Append the ToUnicode CMap stream: one bfchar entry per code. */
int pdf_font_tounicode(const struct pdf_font_data *fd, struct buf *b);

/* ==== compression (pdf_deflate.c) ====================================== */

/* Deflated bytes: p[0..n) after pdf_deflate (grown as needed). */
struct pdf_zbuf {
    unsigned char *p;   /* owned */
    size_t cap, n;
};

/* A compressor of libdeflate level (1..12), or NULL: no memory. */
struct libdeflate_compressor *pdf_deflate_new(int level);
void pdf_deflate_free(struct libdeflate_compressor *z);

/* This thread's level-6 compressor, kept between documents (made on first
 * use; pdf_release_cache frees it), or NULL: no memory. */
struct libdeflate_compressor *pdf_thread_compressor(void);

/* Deflate data[0..len) in the zlib format into zb.  ERR_OK, ERR_NOMEM,
 * ERR_INTERNAL (libdeflate failed); nothing is put in an err. */
int pdf_deflate(struct libdeflate_compressor *z, struct pdf_zbuf *zb,
                const void *data, size_t len);

/* ==== the libharu writer (pdf_render.c, pdf_att.c) ===================== */

/* One document being built through libharu. */
struct pdf_render {
    struct pdf *d;
    struct err *e;
    struct pdf_cs cs;               /* its pages' content streams */
    int nfc;                        /* faces of the font's chain */
    const struct font *face[FONT_CHAIN_MAX]; /* borrowed */
    struct font_subset *sub[FONT_CHAIN_MAX]; /* owned; NULL: face k draws
                                                nothing */
    HPDF_Dict dict[FONT_CHAIN_MAX]; /* face k's Type0 font, NULL none */
    struct libdeflate_compressor *z; /* this thread's */
    struct pdf_zbuf zb;
    HPDF_Doc doc;
    HPDF_Page page;                 /* the page being drawn */
    HPDF_STATUS err_no, detail_no;  /* first error libharu reported */
};

/* ERR_OK when st is HPDF_OK and libharu reported nothing; else the error
 * (ERR_NOMEM or ERR_INTERNAL with libharu's numbers), named with step. */
int pdf_hcheck(struct pdf_render *r, HPDF_STATUS st, const char *step);

/* pdf_hcheck for an object libharu made: NULL is out of memory. */
int pdf_hptr(struct pdf_render *r, const void *p, const char *step);

/* A new indirect stream dictionary holding data[0..len) deflated (and
 * marked /FlateDecode). */
int pdf_hstream(struct pdf_render *r, HPDF_Dict *out, const void *data,
                size_t len, const char *step);

/* A new empty indirect dictionary. */
int pdf_hdict(struct pdf_render *r, HPDF_Dict *out, const char *step);

/* Embed r->d's attachments (pdf_att.c): /Names /EmbeddedFiles in the
 * catalog. */
int pdf_att_write(struct pdf_render *r);

#endif
