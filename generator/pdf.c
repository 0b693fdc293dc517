/* pdf -- a safe PDF writer over libharu 2.3.0 (see pdf.h, doc/fonts.md).
 *
 * Drawing calls only record operations (ops) after checking them.
 * pdf_render then, for one document:
 *   1. creates an HPDF_Doc with an error handler that only records the
 *      first error (never longjmp; any error ends this document);
 *   2. splits the characters used between the font and its fallback face
 *      (font_face_of) and subsets each face that draws any
 *      (font_subset_new_flags, outline tables only): codes 1..n, one per
 *      character in code point order;
 *   3. builds each Type0/CIDFontType2 font itself with libharu's object
 *      API: FontFile2 = the subset, CIDToGIDMap for the n codes, /W in
 *      runs, a bfchar ToUnicode (libharu's own font path, HPDF_GetFont,
 *      loops over all 65,536 codes and writes a malformed ToUnicode);
 *   4. replays the ops into each page's content stream as PDF operators
 *      (text as hex subset codes, a Tf where the face changes);
 *   5. sets Info (UTF-16BE strings) and saves to a memory stream.
 * Every stream is deflated here with libdeflate (three times as fast as
 * libharu's zlib for the same size) and handed to libharu unfiltered; a
 * write_fn adds /Filter /FlateDecode to its dictionary.  The internal
 * object API is declared (Debian builds without HPDF_SHARED) and exported
 * by libhpdf.so.
 */
#include "pdf.h"
#include "buf.h"
#include "date.h"
#include "err.h"
#include "font.h"
#include "fsx.h"
#include "mem.h"
#include "text.h"

#include <hpdf.h>
#include <libdeflate.h>

#include <math.h>
#include <pthread.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PDF_MAX_OPS 200000
#define PDF_MAX_TEXT ((size_t)8 << 20)
#define PDF_MAX_INFO 4096
#define PDF_MAX_STREAM ((size_t)64 << 20)
/* libdeflate level for every stream: 6 gives zlib's best size (-9) at a
 * third of zlib -6's time (doc/fonts.md) */
#define PDF_DEFLATE_LEVEL 6
/* the embedded subset: outline tables only */
#define PDF_SUBSET_FLAGS FONT_SUBSET_PDF

enum op_kind { OP_PAGE, OP_TEXT, OP_FILL, OP_STROKE, OP_LINE };

struct op {
    enum op_kind kind;
    uint32_t rgb;
    double v[5];       /* PAGE w h; TEXT x y size; FILL x y w h;
                          STROKE x y w h lw; LINE x1 y1 x2 y2 lw */
    size_t off, len;   /* TEXT: bytes in pdf.text */
};

struct pdf {
    const struct font *font;
    struct op *ops;
    size_t nops, cap, npages;
    struct buf text;          /* the bytes of every text op */
    struct text_cpset cps;    /* characters drawn */
    char *info_str[PDF_INFO_N]; /* owned: title, author, subject,
                                   creator, keywords */
    int has_date, day, seconds;
    struct pdf_att *att;      /* owned: attachments, sorted by name */
    size_t natt;
    size_t missing;           /* characters drawn as the placeholder */
};

/* attachments (the block at the end of this file) */
static void att_free(struct pdf *d);

/* ---- recording -------------------------------------------------------- */

int pdf_new(struct pdf **out, const struct font *font, struct err *e)
{
    struct pdf *d = mem_calloc(1, sizeof *d);

    *out = NULL;
    if (!d)
        return err_set(e, ERR_NOMEM, "pdf: out of memory");
    d->font = font;
    buf_init(&d->text, PDF_MAX_TEXT);
    text_cpset_init(&d->cps, FONT_SUBSET_MAX);
    *out = d;
    return ERR_OK;
}

void pdf_free(struct pdf *d)
{
    size_t i;

    if (!d)
        return;
    mem_free(d->ops);
    buf_free(&d->text);
    text_cpset_free(&d->cps);
    for (i = 0; i < PDF_INFO_N; i++)
        mem_free(d->info_str[i]);
    att_free(d);
    mem_free(d);
}

static int push(struct pdf *d, const struct op *op, struct err *e)
{
    if (op->kind != OP_PAGE && d->npages == 0)
        return err_set(e, ERR_USAGE, "pdf: drawing before the first page");
    if (d->nops == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        struct op *ops;
        if (d->nops >= PDF_MAX_OPS)
            return err_set(e, ERR_DATA, "pdf: more than %d drawing "
                           "operations", PDF_MAX_OPS);
        ops = mem_realloc(d->ops, cap * sizeof *ops);
        if (!ops)
            return err_set(e, ERR_NOMEM, "pdf: out of memory");
        d->ops = ops;
        d->cap = cap;
    }
    d->ops[d->nops++] = *op;
    return ERR_OK;
}

static int finite_all(const double *v, int n)
{
    int i;
    for (i = 0; i < n; i++)
        if (!isfinite(v[i]) || fabs(v[i]) > 1e5)
            return 0;
    return 1;
}

int pdf_page(struct pdf *d, double width, double height, struct err *e)
{
    struct op op = { OP_PAGE, 0, { width, height, 0, 0, 0 }, 0, 0 };
    int rc;

    if (!(width >= 1 && width <= 14400 && height >= 1 && height <= 14400))
        return err_set(e, ERR_DATA, "pdf: bad page size %.2f x %.2f",
                       width, height);
    rc = push(d, &op, e);
    if (rc == ERR_OK)
        d->npages++;
    return rc;
}

/* `text "..."` for messages: at most 40 bytes of valid UTF-8 s, cut at a
 * character boundary, control characters shown as '?' (one line). */
static void quote_text(const char *s, size_t len, char out[64])
{
    size_t n = len < 40 ? len : 40, i, k;

    while (n > 0 && n < len && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    k = (size_t)snprintf(out, 64, "text \"");
    for (i = 0; i < n; i++)
        out[k++] = (unsigned char)s[i] < 0x20 || s[i] == 0x7F ? '?' : s[i];
    snprintf(out + k, 64 - k, "%s\"", n < len ? "..." : "");
}

/* Reject control characters (C0, DEL, C1): a line must be one line. */
static int check_controls(const char *s, size_t len, const char *what,
                          struct err *e)
{
    size_t i = 0, n;
    uint32_t cp;
    char name[12];

    while (i < len) {
        n = text_utf8_decode(s + i, len - i, &cp);
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) {
            text_cp_name(cp, name);
            return err_set(e, ERR_DATA, "%s: control character %s (break "
                           "lines before drawing)", what, name);
        }
        i += n;
    }
    return ERR_OK;
}

int pdf_text(struct pdf *d, double x, double y, double size, uint32_t rgb,
             const char *s, size_t len, struct err *e)
{
    struct op op = { OP_TEXT, rgb & 0xFFFFFF, { x, y, size, 0, 0 }, 0, len };
    char what[64];
    int rc;

    if (d->npages == 0)
        return err_set(e, ERR_USAGE, "pdf: drawing before the first page");
    if (!finite_all(op.v, 3) || !(size > 0 && size <= 1000))
        return err_set(e, ERR_DATA, "pdf: bad text position or size");
    if (len == 0)
        return ERR_OK;
    rc = text_utf8_check(s, len, "pdf: text", e);
    if (rc != ERR_OK)
        return rc;
    quote_text(s, len, what);
    rc = check_controls(s, len, what, e);
    /* a character no face has is drawn as the chain's placeholder (font.h)
     * and counted; refused only when not even that can be drawn */
    if (rc == ERR_OK && font_first_missing(d->font, s, len)) {
        size_t i = 0, k;
        uint32_t cp;
        while (i < len && rc == ERR_OK) {
            k = text_utf8_decode(s + i, len - i, &cp);
            if (font_chain_pos(d->font, cp) < 0) {
                d->missing++;
                if (font_draw_pos(d->font, cp) < 0)
                    rc = font_check_text(d->font, s, len, what, e);
            }
            i += k ? k : 1;
        }
    }
    if (rc == ERR_OK)
        rc = text_cpset_add_utf8(&d->cps, s, len, e);
    if (rc != ERR_OK)
        return rc;
    op.off = d->text.len;
    rc = buf_append(&d->text, s, len);
    if (rc == ERR_DATA)
        return err_set(e, ERR_DATA, "pdf: more than %zu bytes of text",
                       PDF_MAX_TEXT);
    if (rc == ERR_NOMEM)
        return err_set(e, ERR_NOMEM, "pdf: out of memory");
    return push(d, &op, e);
}

double pdf_text_width(const struct pdf *d, const char *s, size_t len,
                      double size)
{
    return (double)font_text_width(d->font, s, len) * size / 1000.0;
}

static int shape(struct pdf *d, enum op_kind kind, const double *v, int n,
                 uint32_t rgb, struct err *e)
{
    struct op op = { kind, rgb & 0xFFFFFF, { 0, 0, 0, 0, 0 }, 0, 0 };

    memcpy(op.v, v, (size_t)n * sizeof *v);
    if (!finite_all(op.v, n))
        return err_set(e, ERR_DATA, "pdf: bad coordinates");
    if (kind != OP_FILL && !(op.v[4] > 0 && op.v[4] <= 100))
        return err_set(e, ERR_DATA, "pdf: bad line width %.2f", op.v[4]);
    return push(d, &op, e);
}

int pdf_fill_rect(struct pdf *d, double x, double y, double w, double h,
                  uint32_t rgb, struct err *e)
{
    const double v[4] = { x, y, w, h };
    return shape(d, OP_FILL, v, 4, rgb, e);
}

int pdf_stroke_rect(struct pdf *d, double x, double y, double w, double h,
                    double line_width, uint32_t rgb, struct err *e)
{
    const double v[5] = { x, y, w, h, line_width };
    return shape(d, OP_STROKE, v, 5, rgb, e);
}

int pdf_line(struct pdf *d, double x1, double y1, double x2, double y2,
             double line_width, uint32_t rgb, struct err *e)
{
    const double v[5] = { x1, y1, x2, y2, line_width };
    return shape(d, OP_LINE, v, 5, rgb, e);
}

size_t pdf_page_count(const struct pdf *d) { return d->npages; }
size_t pdf_missing_count(const struct pdf *d) { return d->missing; }
size_t pdf_char_count(const struct pdf *d) { return d->cps.n; }

int pdf_set_info(struct pdf *d, const struct pdf_info *info, struct err *e)
{
    const char *src[PDF_INFO_N] = { info->title, info->author,
                                    info->subject, info->creator,
                                    info->keywords };
    char *copy[PDF_INFO_N] = { NULL, NULL, NULL, NULL, NULL };
    int i, rc = ERR_OK;

    if (info->has_date && (info->seconds < 0 || info->seconds >= 86400 ||
                           info->day < date_from_ymd(DATE_MIN_YEAR, 1, 1) ||
                           info->day > date_from_ymd(DATE_MAX_YEAR, 12, 31)))
        return err_set(e, ERR_DATA, "pdf: creation date out of range");
    for (i = 0; i < PDF_INFO_N && rc == ERR_OK; i++) {
        if (!src[i])
            continue;
        if (strlen(src[i]) > PDF_MAX_INFO)
            rc = err_set(e, ERR_DATA, "pdf: info string too long");
        else
            rc = text_utf8_check(src[i], strlen(src[i]), "pdf info", e);
        if (rc == ERR_OK && !(copy[i] = mem_strdup(src[i])))
            rc = err_set(e, ERR_NOMEM, "pdf: out of memory");
    }
    for (i = 0; i < PDF_INFO_N; i++) {
        if (rc != ERR_OK) {
            mem_free(copy[i]);
            continue;
        }
        mem_free(d->info_str[i]);
        d->info_str[i] = copy[i];
    }
    if (rc == ERR_OK) {
        d->has_date = info->has_date;
        d->day = info->day;
        d->seconds = info->seconds;
    }
    return rc;
}

/* ---- rendering: libharu plumbing -------------------------------------- */

/* One PDF font: a face and the subset of it that the document uses. */
struct face {
    const struct font *font;   /* the face (borrowed) */
    struct font_subset *sub;   /* owned; NULL when it draws nothing */
    HPDF_Dict dict;            /* its Type0 font, NULL when no sub */
    char res[16];              /* its name in page resources ("F1") */
};

struct render {
    struct pdf *d;
    struct err *e;
    struct face fc[FONT_CHAIN_MAX]; /* the faces of the font's chain */
    int nfc;
    struct libdeflate_compressor *z; /* pdf_render: this thread's
                                        (thread_compressor); a book: owned */
    HPDF_Doc doc;
    HPDF_Page page;            /* the page being drawn, NULL before one */
    double page_h;
    HPDF_STATUS err_no, detail_no; /* first error the handler saw */
    int in_text;                   /* inside BT .. ET */
    int have_fill, have_stroke, have_lw;
    int cur;                       /* face of the last Tf, -1 none */
    uint32_t fill, stroke;
    double lw, size;
    double tx, ty;                 /* start of the last text line in BT */
    struct buf out;                /* a stream's bytes before deflate */
    unsigned char *zbuf;           /* owned: deflated bytes */
    size_t zcap;
    const struct pdf_book *book;   /* replaying into a book: its codes
                                      (NULL for pdf_render) */
};

/* The code of cp in a book (see "books" below). */
static unsigned book_code(const struct pdf_book *b, uint32_t cp);

static void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no,
                          void *user_data)
{
    struct render *r = user_data;
    if (r->err_no == 0) {
        r->err_no = error_no;
        r->detail_no = detail_no;
    }
}

/* ERR_OK when st is HPDF_OK and libharu reported nothing; else the error,
 * named with step. */
static int hcheck(struct render *r, HPDF_STATUS st, const char *step)
{
    HPDF_STATUS no = r->err_no;

    if (!no && r->doc)
        no = HPDF_GetError(r->doc);
    if (!no && st == HPDF_OK)
        return ERR_OK;
    if (!no)
        no = st;
    if (r->err_no == 0) {
        r->err_no = no;
        r->detail_no = r->doc ? HPDF_GetErrorDetail(r->doc) : 0;
    }
    return err_set(r->e, no == HPDF_FAILD_TO_ALLOC_MEM ? ERR_NOMEM
                                                       : ERR_INTERNAL,
                   "pdf: libharu error 0x%04X (detail %u) while %s",
                   (unsigned)no, (unsigned)r->detail_no, step);
}

static int hptr(struct render *r, const void *p, const char *step)
{
    return hcheck(r, p ? HPDF_OK : HPDF_FAILD_TO_ALLOC_MEM, step);
}

static int nomem(struct render *r)
{
    return err_set(r->e, ERR_NOMEM, "pdf: out of memory");
}

/* ---- rendering: streams ----------------------------------------------- */

/* write_fn of a stream dictionary whose data keep is already deflated:
 * libharu writes the other keys, this adds the filter. */
static HPDF_STATUS write_flate_key(HPDF_Dict dict, HPDF_Stream out)
{
    (void)dict;
    return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* Deflate data[0..len) (zlib format, libdeflate) into the stream of ds,
 * which libharu then writes as it is, marked /FlateDecode.  libdeflate
 * is about three times as fast as libharu's zlib at the same size. */
static int put_deflated(struct render *r, HPDF_Dict ds, const void *data,
                        size_t len, const char *step)
{
    size_t bound = libdeflate_zlib_compress_bound(r->z, len), n;

    if (bound > r->zcap) {
        unsigned char *p = mem_realloc(r->zbuf, bound);
        if (!p)
            return nomem(r);
        r->zbuf = p;
        r->zcap = bound;
    }
    n = libdeflate_zlib_compress(r->z, len ? data : "", len, r->zbuf,
                                 r->zcap);
    if (n == 0) /* cannot happen with the bound */
        return err_set(r->e, ERR_INTERNAL, "pdf: deflate failed while %s",
                       step);
    ds->filter = HPDF_STREAM_FILTER_NONE;
    ds->write_fn = write_flate_key;
    return hcheck(r, HPDF_Stream_Write(ds->stream, r->zbuf, (HPDF_UINT)n),
                  step);
}

/* A new indirect stream dictionary holding data[0..len) deflated. */
static int new_stream(struct render *r, HPDF_Dict *out, const void *data,
                      size_t len, const char *step)
{
    int rc;

    *out = HPDF_DictStream_New(r->doc->mmgr, r->doc->xref);
    rc = hptr(r, *out, step);
    return rc == ERR_OK ? put_deflated(r, *out, data, len, step) : rc;
}

/* A new empty dictionary, indirect (owned by the xref). */
static int new_indirect(struct render *r, HPDF_Dict *out, const char *step)
{
    int rc;

    *out = HPDF_Dict_New(r->doc->mmgr);
    rc = hptr(r, *out, step);
    return rc == ERR_OK ? hcheck(r, HPDF_Xref_Add(r->doc->xref, *out), step)
                        : rc;
}

static int outc(struct render *r, const char *s)
{
    return buf_puts(&r->out, s);
}

/* Append v rounded to 1/1000 and printed without needless digits
 * ("12", "-0.5", "595.28"): compact and locale-free.  |v| <= 1e5. */
static int put_num(struct buf *b, double v)
{
    long long k = llround(fabs(v) * 1000), ip = k / 1000;
    int frac = (int)(k % 1000), nd = 0;
    char s[32], digits[24];
    size_t n = 0;

    if (v < 0 && k != 0)
        s[n++] = '-';
    do {
        digits[nd++] = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    while (nd)
        s[n++] = digits[--nd];
    if (frac) {
        s[n++] = '.';
        s[n++] = (char)('0' + frac / 100);
        s[n++] = (char)('0' + frac / 10 % 10);
        s[n++] = (char)('0' + frac % 10);
        while (s[n - 1] == '0')
            n--;
    }
    return buf_append(b, s, n);
}

/* Append the numbers v[0..n), each followed by a space, then op. */
static int put_op(struct render *r, const double *v, int n, const char *op)
{
    int i, rc = ERR_OK;

    for (i = 0; i < n && rc == ERR_OK; i++) {
        rc = put_num(&r->out, v[i]);
        if (rc == ERR_OK)
            rc = buf_append(&r->out, " ", 1);
    }
    return rc == ERR_OK ? outc(r, op) : rc;
}

/* ---- rendering: the font ---------------------------------------------- */

/* The CIDToGIDMap: /Identity when code i draws glyph i (font.c numbers
 * a PDF subset's glyphs so unless two characters share one), else 2
 * bytes per code 0..n (code 0: .notdef). */
static int write_cid_map(struct render *r, const struct face *fc,
                         HPDF_Dict cidfont)
{
    size_t n = font_subset_count(fc->sub), i;
    HPDF_Dict map;
    int rc = ERR_OK;

    for (i = 1; i <= n && font_subset_glyph(fc->sub, (unsigned)i) == i; i++)
        ;
    if (i > n)
        return hcheck(r, HPDF_Dict_AddName(cidfont, "CIDToGIDMap",
                                           "Identity"),
                      "writing the CIDToGIDMap");
    buf_reset(&r->out);
    for (i = 0; i <= n && rc == ERR_OK; i++) {
        unsigned g = font_subset_glyph(fc->sub, (unsigned)i);
        unsigned char b[2] = { (unsigned char)(g >> 8), (unsigned char)g };
        rc = buf_append(&r->out, b, 2);
    }
    if (rc != ERR_OK)
        return nomem(r);
    rc = new_stream(r, &map, r->out.p, r->out.len, "writing the "
                    "CIDToGIDMap");
    return rc == ERR_OK ? hcheck(r, HPDF_Dict_Add(cidfont, "CIDToGIDMap",
                                                  map),
                                 "writing the CIDToGIDMap")
                        : rc;
}

static int put_utf16(struct buf *b, uint32_t cp)
{
    if (cp < 0x10000)
        return buf_printf(b, "%04X", (unsigned)cp);
    cp -= 0x10000;
    return buf_printf(b, "%04X%04X", (unsigned)(0xD800 + (cp >> 10)),
                      (unsigned)(0xDC00 + (cp & 0x3FF)));
}

/* A ToUnicode CMap with one bfchar entry per code (at most 100 a block).
 * (bfrange entries with an array of destinations would be 400 bytes
 * smaller deflated, but Ghostscript 10.00 then extracts garbage.) */
static int build_tounicode(const struct font_subset *sub, struct buf *b)
{
    size_t n = font_subset_count(sub), i;
    int rc = buf_puts(b,
        "/CIDInit /ProcSet findresource begin\n"
        "12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
        "/Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");

    for (i = 1; i <= n && rc == ERR_OK; i++) {
        if ((i - 1) % 100 == 0) {
            size_t k = n - (i - 1) < 100 ? n - (i - 1) : 100;
            rc = buf_printf(b, "%zu beginbfchar\n", k);
        }
        if (rc == ERR_OK)
            rc = buf_printf(b, "<%04X> <", (unsigned)i);
        if (rc == ERR_OK)
            rc = put_utf16(b, font_subset_char(sub, (unsigned)i));
        if (rc == ERR_OK)
            rc = buf_puts(b, i % 100 == 0 || i == n ? ">\nendbfchar\n"
                                                     : ">\n");
    }
    if (rc == ERR_OK)
        rc = buf_puts(b, "endcmap\nCMapName currentdict /CMap "
                         "defineresource pop\nend\nend\n");
    return rc;
}

static int write_tounicode(struct render *r, const struct face *fc)
{
    HPDF_Dict cmap;
    int rc;

    buf_reset(&r->out);
    if (build_tounicode(fc->sub, &r->out) != ERR_OK)
        return nomem(r);
    rc = new_stream(r, &cmap, r->out.p, r->out.len, "writing the "
                    "ToUnicode CMap");
    return rc == ERR_OK ? hcheck(r, HPDF_Dict_Add(fc->dict, "ToUnicode",
                                                  cmap),
                                 "writing the ToUnicode CMap")
                        : rc;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The most frequent of w[0..n) (the smallest on a tie); n > 0. */
static int most_common(const int *w, size_t n, int *sorted)
{
    size_t i, run = 0, best_run = 0;
    int best = 0;

    memcpy(sorted, w, n * sizeof *w);
    qsort(sorted, n, sizeof *sorted, cmp_int);
    for (i = 0; i < n; i++) {
        run = i > 0 && sorted[i] == sorted[i - 1] ? run + 1 : 1;
        if (run > best_run)
            best_run = run, best = sorted[i];
    }
    return best;
}

/* /DW = the most common width and /W = the others, in runs
 * "code [w w ...]". */
static int write_widths(struct render *r, const struct face *fc,
                        HPDF_Dict cidfont)
{
    size_t n = font_subset_count(fc->sub), i;
    int *w = mem_malloc(2 * n * sizeof *w), dw, rc = ERR_OK;
    HPDF_Array arr, run = NULL;

    if (!w)
        return nomem(r);
    for (i = 0; i < n; i++)
        w[i] = font_advance(r->d->font, /* the chain: as measured */
                            font_subset_char(fc->sub, (unsigned)i + 1));
    dw = most_common(w, n, w + n);
    arr = HPDF_Array_New(r->doc->mmgr);
    rc = hcheck(r, HPDF_Dict_Add(cidfont, "W", arr), "writing widths");
    if (rc == ERR_OK) /* arr (NULL: error above) is cidfont's from here */
        rc = hcheck(r, HPDF_Dict_AddNumber(cidfont, "DW", dw),
                    "writing widths");
    for (i = 0; i < n && rc == ERR_OK; i++) {
        if (w[i] == dw) {
            run = NULL;
            continue;
        }
        if (!run) {
            rc = hcheck(r, HPDF_Array_AddNumber(arr, (HPDF_INT32)i + 1),
                        "writing widths");
            run = rc == ERR_OK ? HPDF_Array_New(r->doc->mmgr) : NULL;
            if (rc == ERR_OK)
                rc = hptr(r, run, "writing widths");
            if (rc == ERR_OK)
                rc = hcheck(r, HPDF_Array_Add(arr, run), "writing widths");
        }
        if (rc == ERR_OK)
            rc = hcheck(r, HPDF_Array_AddNumber(run, w[i]), "writing widths");
    }
    mem_free(w);
    return rc;
}

/* The FontDescriptor, with the subset itself as FontFile2. */
static int write_descriptor(struct render *r, const struct face *fc,
                            HPDF_Dict cidfont, const char *name)
{
    HPDF_MMgr mm = r->doc->mmgr;
    HPDF_Dict desc, ff = NULL;
    struct font_metrics m;
    HPDF_Box bbox;
    size_t len;
    const unsigned char *data = font_subset_data(fc->sub, &len);
    int rc = new_indirect(r, &desc, "writing the font descriptor");
    HPDF_STATUS st = HPDF_OK;

    if (rc == ERR_OK)
        rc = new_stream(r, &ff, data, len, "embedding the font");
    if (rc != ERR_OK)
        return rc;
    font_get_metrics(fc->font, &m);
    bbox.left = (HPDF_REAL)m.bbox[0];
    bbox.bottom = (HPDF_REAL)m.bbox[1];
    bbox.right = (HPDF_REAL)m.bbox[2];
    bbox.top = (HPDF_REAL)m.bbox[3];
    st |= HPDF_Dict_AddNumber(ff, "Length1", (HPDF_INT32)len);
    st |= HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    st |= HPDF_Dict_AddName(desc, "FontName", name);
    st |= HPDF_Dict_AddNumber(desc, "Flags", 32); /* nonsymbolic */
    st |= HPDF_Dict_Add(desc, "FontBBox", HPDF_Box_Array_New(mm, bbox));
    st |= HPDF_Dict_AddNumber(desc, "ItalicAngle", 0);
    st |= HPDF_Dict_AddNumber(desc, "Ascent", m.ascent);
    st |= HPDF_Dict_AddNumber(desc, "Descent", m.descent);
    st |= HPDF_Dict_AddNumber(desc, "CapHeight", m.cap_height);
    st |= HPDF_Dict_AddNumber(desc, "XHeight", m.x_height);
    st |= HPDF_Dict_AddNumber(desc, "StemV", 0);
    st |= HPDF_Dict_Add(desc, "FontFile2", ff);
    st |= HPDF_Dict_Add(cidfont, "FontDescriptor", desc);
    return hcheck(r, st, "writing the font descriptor");
}

/* "ABCDEF+WenQuanYiZenHei": the subset tag and the family without the
 * characters a PDF name should not have. */
static void base_font_name(const struct face *fc, char out[64])
{
    const char *fam = font_family(fc->font);
    size_t k = 7, i;

    memcpy(out, font_subset_tag(fc->sub), 6);
    out[6] = '+';
    for (i = 0; fam[i] && k < 63; i++)
        if ((fam[i] >= 'A' && fam[i] <= 'Z') ||
            (fam[i] >= 'a' && fam[i] <= 'z') ||
            (fam[i] >= '0' && fam[i] <= '9') || fam[i] == '-')
            out[k++] = fam[i];
    if (k == 7) {
        memcpy(out + 7, "Font", 4);
        k = 11;
    }
    out[k] = 0;
}

/* The keys of the Type0 font and of its CIDFontType2 cid.  A child is
 * added to its parent (which then owns it) before it is filled. */
static int font_keys(struct render *r, HPDF_Dict type0, HPDF_Dict cid,
                     const char *name)
{
    HPDF_MMgr mm = r->doc->mmgr;
    HPDF_Array kids = HPDF_Array_New(mm);
    HPDF_Dict info = NULL;
    HPDF_STATUS st = HPDF_Dict_Add(type0, "DescendantFonts", kids);

    if (st == HPDF_OK)
        st = HPDF_Array_Add(kids, cid);
    if (st == HPDF_OK)
        st = HPDF_Dict_Add(cid, "CIDSystemInfo", info = HPDF_Dict_New(mm));
    if (st != HPDF_OK)
        return hcheck(r, st, "making the font");
    st |= HPDF_Dict_AddName(type0, "Type", "Font");
    st |= HPDF_Dict_AddName(type0, "Subtype", "Type0");
    st |= HPDF_Dict_AddName(type0, "BaseFont", name);
    st |= HPDF_Dict_AddName(type0, "Encoding", "Identity-H");
    st |= HPDF_Dict_AddName(cid, "Type", "Font");
    st |= HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
    st |= HPDF_Dict_AddName(cid, "BaseFont", name);
    st |= HPDF_Dict_Add(info, "Registry", HPDF_String_New(mm, "Adobe",
                                                          NULL));
    st |= HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mm, "Identity",
                                                          NULL));
    st |= HPDF_Dict_AddNumber(info, "Supplement", 0);
    return hcheck(r, st, "making the font");
}

/* The Type0 font over one CIDFontType2 with codes 1..n, built as objects
 * (libharu's HPDF_GetFont would load the font with its own TrueType
 * parser, loop over all 65,536 codes and need a UTF-8 encoder). */
static int make_font(struct render *r, struct face *fc)
{
    HPDF_Dict cid = NULL;
    char name[64];
    int rc;

    base_font_name(fc, name);
    rc = new_indirect(r, &fc->dict, "making the font");
    if (rc == ERR_OK)
        rc = new_indirect(r, &cid, "making the font");
    if (rc == ERR_OK)
        rc = font_keys(r, fc->dict, cid, name);
    if (rc == ERR_OK)
        rc = write_descriptor(r, fc, cid, name);
    if (rc == ERR_OK)
        rc = write_widths(r, fc, cid);
    if (rc == ERR_OK)
        rc = write_cid_map(r, fc, cid);
    if (rc == ERR_OK)
        rc = write_tounicode(r, fc);
    return rc;
}

/* The subsets: each character from the face that draws it (the font, or
 * its fallback), then their fonts. */
static int make_fonts(struct render *r)
{
    size_t n, m, i;
    const uint32_t *cps = text_cpset_sorted(&r->d->cps, &n);
    uint32_t *part = mem_malloc((n ? n : 1) * sizeof *part);
    int k, rc = part ? ERR_OK : nomem(r);

    r->nfc = font_chain_count(r->d->font);
    for (k = 0; k < r->nfc; k++)
        r->fc[k].font = font_chain_face(r->d->font, k);
    for (k = 0; k < r->nfc && rc == ERR_OK; k++) {
        for (i = m = 0; i < n; i++)
            if (font_draw_pos(r->d->font, cps[i]) == k)
                part[m++] = cps[i];
        if (m > 0)
            rc = font_subset_new_flags(r->fc[k].font, part, m,
                                       PDF_SUBSET_FLAGS, &r->fc[k].sub,
                                       r->e);
        if (rc == ERR_OK && m > 0)
            rc = make_font(r, &r->fc[k]);
    }
    mem_free(part);
    return rc;
}

/* ---- rendering: drawing ----------------------------------------------- */

/* The colour operator: "0.2 g" for a grey (r = g = b: the same colour
 * in DeviceGray, and shorter), else "r g b rg"; op is "rg" or "RG". */
static int put_colour(struct render *r, uint32_t c, const char *op)
{
    double v[3];
    int grey = (c >> 16) == (c & 0xFF) && ((c >> 8) & 0xFF) == (c & 0xFF);

    v[0] = (double)((c >> 16) & 0xFF) / 255.0;
    v[1] = (double)((c >> 8) & 0xFF) / 255.0;
    v[2] = (double)(c & 0xFF) / 255.0;
    if (grey)
        return put_op(r, v, 1, op[0] == 'r' ? "g\n" : "G\n");
    return put_op(r, v, 3, op[0] == 'r' ? "rg\n" : "RG\n");
}

static int set_fill(struct render *r, uint32_t rgb)
{
    if (r->have_fill && r->fill == rgb)
        return ERR_OK;
    r->have_fill = 1;
    r->fill = rgb;
    return put_colour(r, rgb, "rg");
}

static int set_stroke(struct render *r, uint32_t rgb, double lw)
{
    int rc = ERR_OK;

    if (!r->have_stroke || r->stroke != rgb) {
        r->have_stroke = 1;
        r->stroke = rgb;
        rc = put_colour(r, rgb, "RG");
    }
    if (rc == ERR_OK && (!r->have_lw || r->lw != lw)) {
        r->have_lw = 1;
        r->lw = lw;
        rc = put_op(r, &lw, 1, "w\n");
    }
    return rc;
}

static int end_text(struct render *r)
{
    if (!r->in_text)
        return ERR_OK;
    r->in_text = 0;
    return outc(r, "ET\n");
}

/* Close the current page: its content stream, deflated. */
static int finish_page(struct render *r)
{
    HPDF_PageAttr pa;
    HPDF_Dict contents;

    if (!r->page)
        return ERR_OK;
    if (end_text(r) != ERR_OK)
        return nomem(r);
    pa = (HPDF_PageAttr)r->page->attr;
    contents = pa->contents;
    r->page = NULL;
    return put_deflated(r, contents, r->out.p, r->out.len,
                        "writing a page");
}

/* Remove the /ProcSet libharu puts in page resources (obsolete since PDF
 * 1.4, ignored by readers; 50 bytes a page). */
static int drop_procset(struct render *r)
{
    HPDF_Dict res = HPDF_Dict_GetItem(r->page, "Resources",
                                      HPDF_OCLASS_DICT);
    int rc = res ? ERR_OK : hcheck(r, HPDF_INVALID_OBJECT, "adding a page");

    if (rc == ERR_OK && HPDF_Dict_GetItem(res, "ProcSet", HPDF_OCLASS_ARRAY))
        rc = hcheck(r, HPDF_Dict_RemoveElement(res, "ProcSet"),
                    "adding a page");
    return rc;
}

static int new_page(struct render *r, const struct op *op)
{
    int k, rc = finish_page(r);

    if (rc != ERR_OK)
        return rc;
    buf_reset(&r->out);
    r->page = HPDF_AddPage(r->doc);
    rc = hptr(r, r->page, "adding a page");
    if (rc == ERR_OK)
        rc = hcheck(r, HPDF_Page_SetWidth(r->page, (HPDF_REAL)op->v[0]),
                    "sizing a page");
    if (rc == ERR_OK)
        rc = hcheck(r, HPDF_Page_SetHeight(r->page, (HPDF_REAL)op->v[1]),
                    "sizing a page");
    if (rc == ERR_OK)
        rc = drop_procset(r);
    for (k = 0; k < r->nfc && rc == ERR_OK; k++) { /* /Font << /F1 .. >> */
        const char *res = r->fc[k].dict
            ? HPDF_Page_GetLocalFontName(r->page, r->fc[k].dict) : "";
        rc = hptr(r, res, "adding the font to a page");
        if (rc == ERR_OK)
            snprintf(r->fc[k].res, sizeof r->fc[k].res, "%s", res);
    }
    r->page_h = op->v[1];
    r->have_fill = r->have_stroke = r->have_lw = 0;
    r->cur = -1;
    return rc;
}

/* "/F2 9 Tf" when face k or the size differs from the last Tf. */
static int set_font(struct render *r, int k, double size)
{
    int rc;

    if (r->cur == k && r->size == size)
        return ERR_OK;
    r->cur = k;
    r->size = size;
    rc = buf_printf(&r->out, "/%s ", r->fc[k].res);
    return rc == ERR_OK ? put_op(r, &size, 1, "Tf\n") : rc;
}

/* "<0001002A...> Tj" for the op's text in subset codes, one string per
 * run of characters of one face, with a Tf before each change. */
static int put_codes(struct render *r, const struct op *op)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *s = r->d->text.p + op->off;
    size_t i = 0, n;
    uint32_t cp;
    int rc = ERR_OK, open = 0;

    while (i < op->len && rc == ERR_OK) {
        unsigned c;
        char h[4];
        int k;
        n = text_utf8_decode(s + i, op->len - i, &cp);
        n = n ? n : 1; /* cannot happen: checked by pdf_text */
        k = font_draw_pos(r->d->font, cp);
        if (open && k != r->cur) {
            rc = outc(r, "> Tj\n");
            open = 0;
        }
        if (rc == ERR_OK && !open)
            rc = set_font(r, k, op->v[2]);
        if (rc == ERR_OK && !open)
            rc = outc(r, "<");
        open = 1;
        c = r->book ? book_code(r->book, cp)
                    : font_subset_code(r->fc[k].sub, cp);
        h[0] = hex[(c >> 12) & 15];
        h[1] = hex[(c >> 8) & 15];
        h[2] = hex[(c >> 4) & 15];
        h[3] = hex[c & 15];
        if (rc == ERR_OK)
            rc = buf_append(&r->out, h, 4);
        i += n;
    }
    return rc == ERR_OK && open ? outc(r, "> Tj\n") : rc;
}

static int draw_text(struct render *r, const struct op *op)
{
    double pos[2] = { op->v[0], r->page_h - op->v[1] }, rel[2];
    int rc = ERR_OK;

    if (!r->in_text) {
        rc = outc(r, "BT\n");
        r->in_text = 1;
        r->tx = r->ty = 0;
    }
    if (rc == ERR_OK)
        rc = set_fill(r, op->rgb);
    /* Td moves from the last line start: short numbers, and the same
     * moves repeat (deflate likes that) */
    rel[0] = pos[0] - r->tx;
    rel[1] = pos[1] - r->ty;
    r->tx = pos[0];
    r->ty = pos[1];
    if (rc == ERR_OK)
        rc = put_op(r, rel, 2, "Td\n");
    if (rc == ERR_OK)
        rc = put_codes(r, op);
    return rc == ERR_OK ? ERR_OK : nomem(r);
}

static int draw_shape(struct render *r, const struct op *op)
{
    const double *v = op->v;
    double box[4] = { v[0], r->page_h - v[1] - v[3], v[2], v[3] };
    double a[2] = { v[0], r->page_h - v[1] }, b[2] = { v[2], r->page_h - v[3] };
    int rc = end_text(r);

    if (rc == ERR_OK && op->kind == OP_FILL) {
        rc = set_fill(r, op->rgb);
        if (rc == ERR_OK)
            rc = put_op(r, box, 4, "re f\n");
    } else if (rc == ERR_OK) {
        rc = set_stroke(r, op->rgb, v[4]);
        if (rc == ERR_OK && op->kind == OP_STROKE)
            rc = put_op(r, box, 4, "re S\n");
        if (rc == ERR_OK && op->kind == OP_LINE) {
            rc = put_op(r, a, 2, "m ");
            if (rc == ERR_OK)
                rc = put_op(r, b, 2, "l S\n");
        }
    }
    return rc == ERR_OK ? ERR_OK : nomem(r);
}

static int replay(struct render *r)
{
    size_t i;
    int rc = ERR_OK;

    for (i = 0; i < r->d->nops && rc == ERR_OK; i++) {
        const struct op *op = &r->d->ops[i];
        if (op->kind == OP_PAGE)
            rc = new_page(r, op);
        else if (op->kind == OP_TEXT)
            rc = draw_text(r, op);
        else
            rc = draw_shape(r, op);
    }
    return rc == ERR_OK ? finish_page(r) : rc;
}

/* ---- rendering: document ---------------------------------------------- */

/* Info string s as a PDF text string: UTF-16BE with a byte order mark,
 * written in hex (no escaping needed). */
static int add_info_string(struct render *r, const char *key, const char *s)
{
    size_t len = strlen(s), i = 0, n;
    uint32_t cp;
    int rc;

    buf_reset(&r->out);
    rc = buf_append(&r->out, "\xFE\xFF", 2);
    while (i < len && rc == ERR_OK) {
        unsigned char u[4];
        size_t k = 2;
        n = text_utf8_decode(s + i, len - i, &cp);
        n = n ? n : 1; /* checked by pdf_set_info */
        if (cp >= 0x10000) {
            uint32_t hi = 0xD800 + ((cp - 0x10000) >> 10);
            cp = 0xDC00 + ((cp - 0x10000) & 0x3FF);
            u[0] = (unsigned char)(hi >> 8);
            u[1] = (unsigned char)hi;
            k = 4;
        }
        u[k - 2] = (unsigned char)(cp >> 8);
        u[k - 1] = (unsigned char)cp;
        rc = buf_append(&r->out, u, k);
        i += n;
    }
    if (rc != ERR_OK)
        return nomem(r);
    return hcheck(r, HPDF_Dict_Add(r->doc->info, key,
                                   HPDF_Binary_New(r->doc->mmgr,
                                                   (HPDF_BYTE *)r->out.p,
                                                   (HPDF_UINT)r->out.len)),
                  "setting document information");
}

static int set_info(struct render *r)
{
    static const char *const keys[PDF_INFO_N] = { "Title", "Author",
                                                  "Subject", "Creator",
                                                  "Keywords" };
    const struct pdf *d = r->d;
    int i, rc = r->doc->info ? ERR_OK : hptr(r, NULL, "setting document "
                                             "information");

    for (i = 0; i < PDF_INFO_N && rc == ERR_OK; i++)
        if (d->info_str[i])
            rc = add_info_string(r, keys[i], d->info_str[i]);
    if (rc == ERR_OK && d->has_date) {
        HPDF_Date t;
        int y, m, dd;
        date_to_ymd(d->day, &y, &m, &dd);
        memset(&t, 0, sizeof t);
        t.year = y, t.month = m, t.day = dd;
        t.hour = d->seconds / 3600;
        t.minutes = d->seconds / 60 % 60;
        t.seconds = d->seconds % 60;
        t.ind = ' ';
        rc = hcheck(r, HPDF_SetInfoDateAttr(r->doc,
                                            HPDF_INFO_CREATION_DATE, t),
                    "setting the creation date");
    }
    return rc;
}

/* One compressor per thread, kept between documents (allocating one per
 * document showed in the profile, doc/fonts.md).  The key's destructor
 * frees a thread's when the thread ends, an atexit handler the main
 * thread's at exit (leak checkers stay quiet); pdf_release_cache frees
 * the caller's at once. */
static pthread_once_t z_once = PTHREAD_ONCE_INIT;
static pthread_key_t z_key;
static int z_key_ok;

static void z_free(void *z)
{
    libdeflate_free_compressor(z);
}

static void z_key_make(void)
{
    z_key_ok = pthread_key_create(&z_key, z_free) == 0;
    if (z_key_ok)
        atexit(pdf_release_cache);
}

/* This thread's compressor (made on first use), or NULL: no memory. */
static struct libdeflate_compressor *thread_compressor(void)
{
    struct libdeflate_compressor *z;

    pthread_once(&z_once, z_key_make);
    if (!z_key_ok)
        return NULL;
    z = pthread_getspecific(z_key);
    if (!z && (z = libdeflate_alloc_compressor(PDF_DEFLATE_LEVEL)) &&
        pthread_setspecific(z_key, z) != 0) {
        libdeflate_free_compressor(z);
        z = NULL;
    }
    return z;
}

void pdf_release_cache(void)
{
    struct libdeflate_compressor *z;

    pthread_once(&z_once, z_key_make);
    if (!z_key_ok || !(z = pthread_getspecific(z_key)))
        return;
    pthread_setspecific(z_key, NULL);
    libdeflate_free_compressor(z);
}

static int open_doc(struct render *r)
{
    r->z = thread_compressor();
    if (!r->z)
        return nomem(r);
    r->doc = HPDF_New(on_hpdf_error, r);
    if (!r->doc)
        return nomem(r);
    return ERR_OK;
}

static int save_doc(struct render *r, unsigned char **data, size_t *len)
{
    HPDF_UINT32 size;
    int rc = hcheck(r, HPDF_SaveToStream(r->doc), "saving");

    if (rc != ERR_OK)
        return rc;
    size = HPDF_GetStreamSize(r->doc);
    if (size == 0)
        return hcheck(r, HPDF_INVALID_STREAM, "saving");
    *data = mem_malloc(size);
    if (!*data)
        return nomem(r);
    *len = size;
    rc = hcheck(r, HPDF_ReadFromStream(r->doc, *data, &size),
                "reading the saved document");
    if (rc == ERR_OK && size != *len)
        rc = hcheck(r, HPDF_INVALID_STREAM, "reading the saved document");
    if (rc != ERR_OK) {
        mem_free(*data);
        *data = NULL;
        *len = 0;
    }
    return rc;
}

/* attachments (the block at the end of this file) */
static int write_attachments(struct render *r);

static int render_steps(struct render *r, unsigned char **data, size_t *len)
{
    int rc = open_doc(r);

    if (rc == ERR_OK)
        rc = make_fonts(r);
    if (rc == ERR_OK)
        rc = replay(r);
    if (rc == ERR_OK)
        rc = set_info(r);
    if (rc == ERR_OK)
        rc = write_attachments(r);
    if (rc == ERR_OK)
        rc = save_doc(r, data, len);
    return rc;
}

/* ==== books: long documents written page by page =======================
 *
 * A packet has thousands of pages; recording them all (struct pdf) and
 * handing them to libharu, which keeps every object in memory until it
 * saves, would cost hundreds of megabytes.  A book instead writes each
 * page's content stream and page object to its file as soon as a part
 * (an ordinary struct pdf holding a few pages) is added, and keeps only
 * object offsets, page numbers and outline entries.  The objects are
 * written here directly (libharu's writer cannot stream).
 *
 * Font codes: a part's characters get codes 1, 2, ... per face in the
 * order they first appear in the book (deterministic: it follows the
 * calls), so a page can be written before the book's character set is
 * known.  pdf_book_close then subsets each face to those characters and
 * writes one CIDToGIDMap, /W and ToUnicode keyed by these codes: one
 * font subset per book, whatever its length.
 *
 * Objects: 1 catalog, 2 page tree, 3 the resources every page shares,
 * 4 Info; pages, content streams, then (on close) fonts and outline.
 */

#define BOOK_OBJ_CATALOG 1
#define BOOK_OBJ_PAGES 2
#define BOOK_OBJ_RESOURCES 3
#define BOOK_OBJ_INFO 4
#define BOOK_MAX_PAGES 1000000
#define BOOK_MAX_ITEMS 1000000
#define BOOK_MAX_TITLE 1024
/* libdeflate level of a book's page content streams: a packet is mostly
 * page content (the font is shared), and level 1 takes a quarter of level
 * 6's time for ~8% more bytes (doc/fonts.md); fonts and maps: level 6 */
#define BOOK_DEFLATE_LEVEL 1

struct book_item {
    char *title;        /* owned, UTF-8 */
    int parent;         /* -1: top level */
    size_t page;        /* 0-based page of the destination */
    int first, last, next, prev, nkids;
    size_t obj;         /* object number, given on close */
};

struct pdf_book {
    const struct font *font;
    struct fsx_out out;
    int is_open;                   /* out holds an open temporary file */
    int failed;                    /* a write failed: close refuses */
    unsigned long long off;        /* bytes written so far */
    unsigned long long *xref;      /* [object number] offset; 0: none */
    size_t nobj, capobj;           /* objects numbered 1..nobj */
    size_t *page_obj;              /* page i's object number */
    float *page_h;                 /* page i's height (outline targets) */
    size_t npages, cappages;
    uint16_t *bmp_code;            /* [65536] code of a BMP character */
    uint32_t *astral;              /* characters above the BMP ... */
    uint16_t *astral_code;         /* ... and their codes */
    size_t nastral;
    uint32_t *chars[FONT_CHAIN_MAX]; /* face k: code - 1 -> character */
    size_t nchars[FONT_CHAIN_MAX];
    struct book_item *items;
    size_t nitems, capitems;
    char *info_str[PDF_INFO_N];
    int has_date, day, seconds;
    struct render r;               /* content stream state and buffers */
    struct libdeflate_compressor *zfont; /* owned: level 6, fonts */
    struct buf tmp;                /* object text */
};

static int book_nomem(struct err *e)
{
    return err_set(e, ERR_NOMEM, "pdf: out of memory");
}

/* Grow *p (n used, *cap allocated, size bytes each) to hold one more. */
static int book_grow(void **p, size_t n, size_t *cap, size_t size)
{
    void *q;
    size_t c;

    if (n < *cap)
        return ERR_OK;
    c = *cap ? *cap * 2 : 64;
    if (!(q = mem_realloc(*p, c * size)))
        return ERR_NOMEM;
    *p = q;
    *cap = c;
    return ERR_OK;
}

static int book_write(struct pdf_book *b, const void *data, size_t n,
                      struct err *e)
{
    if (b->failed)
        return err_set(e, ERR_IO, "%s: an earlier write failed",
                       b->out.final);
    if (n && fwrite(data, 1, n, b->out.fp) != n) {
        b->failed = 1;
        return err_set(e, ERR_IO, "%s: cannot write the PDF: %s",
                       b->out.final, errno ? strerror(errno) : "write error");
    }
    b->off += n;
    return ERR_OK;
}

/* A new object number (its offset is set by book_begin). */
static int book_new_obj(struct pdf_book *b, size_t *num, struct err *e)
{
    if (book_grow((void **)&b->xref, b->nobj + 1, &b->capobj,
                  sizeof *b->xref))
        return book_nomem(e);
    b->nobj++;
    b->xref[b->nobj] = 0;
    *num = b->nobj;
    return ERR_OK;
}

/* Write "num 0 obj\n" + text + "\nendobj\n" (text: b->tmp). */
static int book_obj(struct pdf_book *b, size_t num, struct err *e)
{
    char head[40];
    int n = snprintf(head, sizeof head, "%zu 0 obj\n", num);
    int rc;

    b->xref[num] = b->off;
    if ((rc = book_write(b, head, (size_t)n, e)) ||
        (rc = book_write(b, b->tmp.p ? b->tmp.p : "", b->tmp.len, e)))
        return rc;
    return book_write(b, "\nendobj\n", 8, e);
}

/* A stream object: dict (without /Length) and data[0..len) deflated
 * (with the font compressor when font, else the content one). */
static int book_stream(struct pdf_book *b, size_t num, const char *dict,
                       const void *data, size_t len, int font,
                       struct err *e)
{
    struct render *r = &b->r;
    struct libdeflate_compressor *z = font ? b->zfont : r->z;
    size_t bound = libdeflate_zlib_compress_bound(z, len), n;
    char head[80];
    int k, rc;

    if (bound > r->zcap) {
        unsigned char *p = mem_realloc(r->zbuf, bound);
        if (!p)
            return book_nomem(e);
        r->zbuf = p;
        r->zcap = bound;
    }
    n = libdeflate_zlib_compress(z, len ? data : "", len, r->zbuf, r->zcap);
    if (n == 0)
        return err_set(e, ERR_INTERNAL, "pdf: deflate failed");
    b->xref[num] = b->off;
    k = snprintf(head, sizeof head, "%zu 0 obj\n<< /Length %zu "
                 "/Filter /FlateDecode", num, n);
    if ((rc = book_write(b, head, (size_t)k, e)) ||
        (rc = book_write(b, dict, strlen(dict), e)) ||
        (rc = book_write(b, " >>\nstream\n", 11, e)) ||
        (rc = book_write(b, r->zbuf, n, e)))
        return rc;
    return book_write(b, "\nendstream\nendobj\n", 18, e);
}

int pdf_book_open(struct pdf_book **out, const struct font *font,
                  const char *path, struct err *e)
{
    static const char head[] = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    struct pdf_book *b = mem_calloc(1, sizeof *b);
    int rc = ERR_OK;

    *out = NULL;
    if (!b)
        return book_nomem(e);
    b->font = font;
    buf_init(&b->tmp, PDF_MAX_STREAM);
    buf_init(&b->r.out, PDF_MAX_STREAM);
    b->r.book = b;
    b->r.e = e;
    b->r.nfc = font_chain_count(font);
    for (int k = 0; k < b->r.nfc; k++) {
        b->r.fc[k].font = font_chain_face(font, k);
        snprintf(b->r.fc[k].res, sizeof b->r.fc[k].res, "F%d", k + 1);
    }
    if (!(b->bmp_code = mem_calloc(65536, sizeof *b->bmp_code)) ||
        !(b->r.z = libdeflate_alloc_compressor(BOOK_DEFLATE_LEVEL)) ||
        !(b->zfont = libdeflate_alloc_compressor(PDF_DEFLATE_LEVEL)))
        rc = book_nomem(e);
    for (size_t i = 0; i < 4 && rc == ERR_OK; i++)
        rc = book_new_obj(b, &(size_t){0}, e);
    if (rc == ERR_OK && (rc = fsx_open(&b->out, path, e)) == ERR_OK) {
        b->is_open = 1;
        rc = book_write(b, head, sizeof head - 1, e);
    }
    if (rc != ERR_OK) {
        pdf_book_free(b);
        return rc;
    }
    *out = b;
    return ERR_OK;
}

void pdf_book_free(struct pdf_book *b)
{
    if (!b)
        return;
    if (b->is_open)
        fsx_abort(&b->out);
    mem_free(b->xref);
    mem_free(b->page_obj);
    mem_free(b->page_h);
    mem_free(b->bmp_code);
    mem_free(b->astral);
    mem_free(b->astral_code);
    for (int k = 0; k < FONT_CHAIN_MAX; k++)
        mem_free(b->chars[k]);
    for (size_t i = 0; i < b->nitems; i++)
        mem_free(b->items[i].title);
    mem_free(b->items);
    for (int i = 0; i < PDF_INFO_N; i++)
        mem_free(b->info_str[i]);
    if (b->r.z)
        libdeflate_free_compressor(b->r.z);
    if (b->zfont)
        libdeflate_free_compressor(b->zfont);
    buf_free(&b->r.out);
    mem_free(b->r.zbuf);
    buf_free(&b->tmp);
    mem_free(b);
}

static unsigned book_code(const struct pdf_book *b, uint32_t cp)
{
    if (cp < 65536)
        return b->bmp_code[cp];
    for (size_t i = 0; i < b->nastral; i++)
        if (b->astral[i] == cp)
            return b->astral_code[i];
    return 0;
}

/* Give cp (drawn by face k) the next code of that face. */
static int book_assign(struct pdf_book *b, int k, uint32_t cp,
                       struct err *e)
{
    unsigned code;

    if (b->nchars[k] >= FONT_SUBSET_MAX)
        return err_set(e, ERR_DATA, "pdf: more than %d distinct characters "
                       "in one document", FONT_SUBSET_MAX);
    if (b->nchars[k] % 256 == 0) {
        uint32_t *v = mem_realloc(b->chars[k], (b->nchars[k] + 256) *
                                               sizeof *v);
        if (!v)
            return book_nomem(e);
        b->chars[k] = v;
    }
    b->chars[k][b->nchars[k]++] = cp;
    code = (unsigned)b->nchars[k];
    if (cp < 65536) {
        b->bmp_code[cp] = (uint16_t)code;
        return ERR_OK;
    }
    if (b->nastral % 64 == 0) {
        uint32_t *v = mem_realloc(b->astral, (b->nastral + 64) * sizeof *v);
        uint16_t *c = v ? mem_realloc(b->astral_code, (b->nastral + 64) *
                                                      sizeof *c) : NULL;
        if (v)
            b->astral = v;
        if (!c)
            return book_nomem(e);
        b->astral_code = c;
    }
    b->astral[b->nastral] = cp;
    b->astral_code[b->nastral++] = (uint16_t)code;
    return ERR_OK;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Codes for every character of part's text, in order of appearance. */
static int book_codes(struct pdf_book *b, const struct pdf *part,
                      struct err *e)
{
    int rc = ERR_OK;

    for (size_t i = 0; i < part->nops && rc == ERR_OK; i++) {
        const struct op *op = &part->ops[i];
        const char *s = part->text.p + op->off;
        size_t j = 0, n;
        uint32_t cp;
        if (op->kind != OP_TEXT)
            continue;
        while (j < op->len && rc == ERR_OK) {
            n = text_utf8_decode(s + j, op->len - j, &cp);
            n = n ? n : 1; /* checked by pdf_text */
            if (!book_code(b, cp))
                rc = book_assign(b, font_draw_pos(b->font, cp), cp, e);
            j += n;
        }
    }
    return rc;
}

/* Write the page being built: its content stream, then the page. */
static int book_end_page(struct pdf_book *b, double w, double h,
                         struct err *e)
{
    struct render *r = &b->r;
    size_t content, page;
    int rc;

    if (end_text(r) != ERR_OK)
        return book_nomem(e);
    if (b->npages >= BOOK_MAX_PAGES)
        return err_set(e, ERR_DATA, "pdf: more than %d pages",
                       BOOK_MAX_PAGES);
    if (book_grow((void **)&b->page_obj, b->npages, &b->cappages,
                  sizeof *b->page_obj))
        return book_nomem(e);
    {
        float *ph = mem_realloc(b->page_h, b->cappages * sizeof *ph);
        if (!ph)
            return book_nomem(e);
        b->page_h = ph;
    }
    if ((rc = book_new_obj(b, &content, e)) ||
        (rc = book_stream(b, content, "", r->out.p, r->out.len, 0, e)) ||
        (rc = book_new_obj(b, &page, e)))
        return rc;
    buf_reset(&b->tmp);
    if (buf_printf(&b->tmp, "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 ",
                   BOOK_OBJ_PAGES) || put_num(&b->tmp, w) ||
        buf_puts(&b->tmp, " ") || put_num(&b->tmp, h) ||
        buf_printf(&b->tmp, "] /Resources %d 0 R /Contents %zu 0 R >>",
                   BOOK_OBJ_RESOURCES, content))
        return book_nomem(e);
    if ((rc = book_obj(b, page, e)))
        return rc;
    b->page_obj[b->npages] = page;
    b->page_h[b->npages++] = (float)h;
    return ERR_OK;
}

int pdf_book_add(struct pdf_book *b, struct pdf *part, struct err *e)
{
    struct render *r = &b->r;
    double w = 0, h = 0;
    int rc, started = 0;

    if (part->font != b->font)
        return err_set(e, ERR_USAGE, "pdf: a book's parts must use its "
                       "font");
    if ((rc = book_codes(b, part, e)))
        return rc;
    r->d = part;
    r->e = e;
    for (size_t i = 0; i < part->nops && rc == ERR_OK; i++) {
        const struct op *op = &part->ops[i];
        if (op->kind == OP_PAGE) {
            if (started && (rc = book_end_page(b, w, h, e)))
                break;
            started = 1;
            w = op->v[0];
            h = op->v[1];
            buf_reset(&r->out);
            r->page_h = h;
            r->in_text = r->have_fill = r->have_stroke = r->have_lw = 0;
            r->cur = -1;
        } else if (op->kind == OP_TEXT) {
            rc = draw_text(r, op);
        } else {
            rc = draw_shape(r, op);
        }
    }
    if (rc == ERR_OK && started)
        rc = book_end_page(b, w, h, e);
    r->d = NULL;
    if (rc != ERR_OK)
        b->failed = 1;
    return rc;
}

size_t pdf_book_pages(const struct pdf_book *b) { return b->npages; }

int pdf_book_take_info(struct pdf_book *b, const struct pdf *part,
                       struct err *e)
{
    for (int i = 0; i < PDF_INFO_N; i++) {
        char *c = NULL;
        if (part->info_str[i] && !(c = mem_strdup(part->info_str[i])))
            return book_nomem(e);
        mem_free(b->info_str[i]);
        b->info_str[i] = c;
    }
    b->has_date = part->has_date;
    b->day = part->day;
    b->seconds = part->seconds;
    return ERR_OK;
}

int pdf_book_outline(struct pdf_book *b, int parent, const char *title,
                     size_t page, int *id, struct err *e)
{
    struct book_item *it;
    size_t len = strlen(title);
    int rc;

    if (parent < -1 || parent >= (int)b->nitems || page >= b->npages)
        return err_set(e, ERR_USAGE, "pdf: outline entry '%.40s': no such "
                       "parent or page", title);
    if (len > BOOK_MAX_TITLE || b->nitems >= BOOK_MAX_ITEMS)
        return err_set(e, ERR_DATA, "pdf: outline title too long or too "
                       "many entries");
    if ((rc = text_utf8_check(title, len, "pdf: outline title", e)))
        return rc;
    if (book_grow((void **)&b->items, b->nitems, &b->capitems,
                  sizeof *b->items))
        return book_nomem(e);
    it = &b->items[b->nitems];
    memset(it, 0, sizeof *it);
    if (!(it->title = mem_strdup(title)))
        return book_nomem(e);
    it->parent = parent;
    it->page = page;
    it->first = it->last = it->next = it->prev = -1;
    if (parent >= 0) {
        struct book_item *p = &b->items[parent];
        if (p->last >= 0) {
            b->items[p->last].next = (int)b->nitems;
            it->prev = p->last;
        } else {
            p->first = (int)b->nitems;
        }
        p->last = (int)b->nitems;
        p->nkids++;
    } else {
        for (size_t i = b->nitems; i-- > 0;) /* the last top-level one */
            if (b->items[i].parent == -1) {
                b->items[i].next = (int)b->nitems;
                it->prev = (int)i;
                break;
            }
    }
    if (id)
        *id = (int)b->nitems;
    b->nitems++;
    return ERR_OK;
}

int pdf_book_set_info(struct pdf_book *b, const struct pdf_info *info,
                      struct err *e)
{
    struct pdf tmp;
    int rc;

    /* pdf_set_info checks and copies; borrow it with a stand-in */
    memset(&tmp, 0, sizeof tmp);
    if ((rc = pdf_set_info(&tmp, info, e)))
        return rc;
    for (int i = 0; i < PDF_INFO_N; i++) {
        mem_free(b->info_str[i]);
        b->info_str[i] = tmp.info_str[i];
    }
    b->has_date = tmp.has_date;
    b->day = tmp.day;
    b->seconds = tmp.seconds;
    return ERR_OK;
}

/* ---- closing: fonts, outline, page tree, xref --------------------------- */

/* s as a PDF text string: <FEFF...> in UTF-16BE hex. */
static int book_text_string(struct buf *t, const char *s)
{
    size_t i = 0, len = strlen(s), n;
    uint32_t cp;
    int rc = buf_puts(t, "<FEFF");

    while (i < len && rc == ERR_OK) {
        n = text_utf8_decode(s + i, len - i, &cp);
        n = n ? n : 1; /* checked when stored */
        rc = put_utf16(t, cp);
        i += n;
    }
    return rc == ERR_OK ? buf_puts(t, ">") : rc;
}

/* ToUnicode of face k: one bfchar entry per code. */
static int book_tounicode(const struct pdf_book *b, int k, struct buf *t)
{
    size_t n = b->nchars[k], i;
    int rc = buf_puts(t,
        "/CIDInit /ProcSet findresource begin\n"
        "12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
        "/Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");

    for (i = 1; i <= n && rc == ERR_OK; i++) {
        if ((i - 1) % 100 == 0)
            rc = buf_printf(t, "%zu beginbfchar\n",
                            n - (i - 1) < 100 ? n - (i - 1) : 100);
        if (rc == ERR_OK)
            rc = buf_printf(t, "<%04X> <", (unsigned)i);
        if (rc == ERR_OK)
            rc = put_utf16(t, b->chars[k][i - 1]);
        if (rc == ERR_OK)
            rc = buf_puts(t, i % 100 == 0 || i == n ? ">\nendbfchar\n"
                                                     : ">\n");
    }
    if (rc == ERR_OK)
        rc = buf_puts(t, "endcmap\nCMapName currentdict /CMap "
                         "defineresource pop\nend\nend\n");
    return rc;
}

/* /DW and /W of face k (codes in order), into t. */
static int book_widths(const struct pdf_book *b, int k, struct buf *t)
{
    size_t n = b->nchars[k], i;
    int *w = mem_malloc(2 * n * sizeof *w), dw, rc, in_run = 0;

    if (!w)
        return ERR_NOMEM;
    for (i = 0; i < n; i++)
        w[i] = font_advance(b->font, b->chars[k][i]);
    dw = most_common(w, n, w + n);
    rc = buf_printf(t, " /DW %d /W [", dw);
    for (i = 0; i < n && rc == ERR_OK; i++) {
        if (w[i] == dw) {
            if (in_run)
                rc = buf_puts(t, "]");
            in_run = 0;
            continue;
        }
        if (!in_run)
            rc = buf_printf(t, " %zu [", i + 1);
        else
            rc = buf_puts(t, " ");
        in_run = 1;
        if (rc == ERR_OK)
            rc = buf_printf(t, "%d", w[i]);
    }
    if (rc == ERR_OK)
        rc = buf_puts(t, in_run ? "]]" : "]");
    mem_free(w);
    return rc;
}

/* The CIDToGIDMap bytes of face k (2 per code 0..n) into t. */
static int book_cid_map(const struct pdf_book *b, int k,
                        const struct font_subset *sub, struct buf *t)
{
    int rc = buf_append(t, "\0\0", 2);

    for (size_t i = 0; i < b->nchars[k] && rc == ERR_OK; i++) {
        unsigned g = font_subset_glyph(sub, font_subset_code(sub,
                                                   b->chars[k][i]));
        unsigned char c[2] = { (unsigned char)(g >> 8), (unsigned char)g };
        rc = buf_append(t, c, 2);
    }
    return rc;
}

/* Face k's font objects; *type0 is the Type0 font's number. */
static int book_font_objects(struct pdf_book *b, int k,
                             const struct font_subset *sub, size_t *type0,
                             struct err *e)
{
    struct face fc = { b->r.fc[k].font, (struct font_subset *)sub, NULL,
                       "" };
    size_t cid, desc, file, map, tou, len;
    const unsigned char *data = font_subset_data(sub, &len);
    struct font_metrics m;
    char name[64], dict[64];
    int rc;

    base_font_name(&fc, name);
    font_get_metrics(fc.font, &m);
    if ((rc = book_new_obj(b, type0, e)) || (rc = book_new_obj(b, &cid, e)) ||
        (rc = book_new_obj(b, &desc, e)) ||
        (rc = book_new_obj(b, &file, e)) || (rc = book_new_obj(b, &map, e)) ||
        (rc = book_new_obj(b, &tou, e)))
        return rc;
    snprintf(dict, sizeof dict, " /Length1 %zu", len);
    if ((rc = book_stream(b, file, dict, data, len, 1, e)))
        return rc;
    buf_reset(&b->tmp);
    if (book_cid_map(b, k, sub, &b->tmp) ||
        (rc = book_stream(b, map, "", b->tmp.p, b->tmp.len, 1, e)))
        return rc ? rc : book_nomem(e);
    buf_reset(&b->tmp);
    if (book_tounicode(b, k, &b->tmp) ||
        (rc = book_stream(b, tou, "", b->tmp.p, b->tmp.len, 1, e)))
        return rc ? rc : book_nomem(e);
    buf_reset(&b->tmp);
    if (buf_printf(&b->tmp, "<< /Type /FontDescriptor /FontName /%s "
                   "/Flags 32 /FontBBox [%d %d %d %d] /ItalicAngle 0 "
                   "/Ascent %d /Descent %d /CapHeight %d /XHeight %d "
                   "/StemV 0 /FontFile2 %zu 0 R >>", name, m.bbox[0],
                   m.bbox[1], m.bbox[2], m.bbox[3], m.ascent, m.descent,
                   m.cap_height, m.x_height, file))
        return book_nomem(e);
    if ((rc = book_obj(b, desc, e)))
        return rc;
    buf_reset(&b->tmp);
    if (buf_printf(&b->tmp, "<< /Type /Font /Subtype /CIDFontType2 "
                   "/BaseFont /%s /CIDSystemInfo << /Registry (Adobe) "
                   "/Ordering (Identity) /Supplement 0 >> /FontDescriptor "
                   "%zu 0 R /CIDToGIDMap %zu 0 R", name, desc, map) ||
        book_widths(b, k, &b->tmp) || buf_puts(&b->tmp, " >>"))
        return book_nomem(e);
    if ((rc = book_obj(b, cid, e)))
        return rc;
    buf_reset(&b->tmp);
    if (buf_printf(&b->tmp, "<< /Type /Font /Subtype /Type0 /BaseFont /%s "
                   "/Encoding /Identity-H /DescendantFonts [%zu 0 R] "
                   "/ToUnicode %zu 0 R >>", name, cid, tou))
        return book_nomem(e);
    return book_obj(b, *type0, e);
}

/* Subset each face that draws anything; the shared resources. */
static int book_fonts(struct pdf_book *b, struct err *e)
{
    size_t type0[FONT_CHAIN_MAX] = { 0 };
    int rc = ERR_OK;

    for (int k = 0; k < b->r.nfc && rc == ERR_OK; k++) {
        struct font_subset *sub = NULL;
        uint32_t *sorted;
        size_t n = b->nchars[k];
        if (n == 0)
            continue;
        if (!(sorted = mem_malloc(n * sizeof *sorted)))
            return book_nomem(e);
        memcpy(sorted, b->chars[k], n * sizeof *sorted);
        qsort(sorted, n, sizeof *sorted, cmp_u32);
        rc = font_subset_new_flags(b->r.fc[k].font, sorted, n,
                                   PDF_SUBSET_FLAGS, &sub, e);
        mem_free(sorted);
        if (rc == ERR_OK)
            rc = book_font_objects(b, k, sub, &type0[k], e);
        font_subset_free(sub);
    }
    buf_reset(&b->tmp);
    if (rc == ERR_OK && buf_puts(&b->tmp, "<< /Font <<"))
        rc = book_nomem(e);
    for (int k = 0; k < b->r.nfc && rc == ERR_OK; k++)
        if (type0[k] && buf_printf(&b->tmp, " /F%d %zu 0 R", k + 1, type0[k]))
            rc = book_nomem(e);
    if (rc == ERR_OK && buf_puts(&b->tmp, " >> >>"))
        rc = book_nomem(e);
    return rc == ERR_OK ? book_obj(b, BOOK_OBJ_RESOURCES, e) : rc;
}

/* Visible descendants of item i when it is open: top-level entries are
 * open, all others closed (a long packet's outline starts short). */
static long book_count(const struct pdf_book *b, size_t i)
{
    return b->items[i].parent == -1 ? b->items[i].nkids
                                    : -(long)b->items[i].nkids;
}

static int book_ref(struct buf *t, const char *key, const struct pdf_book *b,
                    int i)
{
    return i < 0 ? ERR_OK : buf_printf(t, " /%s %zu 0 R", key,
                                       b->items[i].obj);
}

/* The outline (if any entry): *root is its object number, else 0. */
static int book_outline(struct pdf_book *b, size_t *root, struct err *e)
{
    long top = 0;
    int first = -1, last = -1, rc = ERR_OK;

    *root = 0;
    if (b->nitems == 0)
        return ERR_OK;
    if ((rc = book_new_obj(b, root, e)))
        return rc;
    for (size_t i = 0; i < b->nitems && rc == ERR_OK; i++)
        rc = book_new_obj(b, &b->items[i].obj, e);
    for (size_t i = 0; i < b->nitems && rc == ERR_OK; i++) {
        const struct book_item *it = &b->items[i];
        if (it->parent == -1) {
            first = first < 0 ? (int)i : first;
            last = (int)i;
            top += 1 + book_count(b, i);
        }
        buf_reset(&b->tmp);
        if (buf_puts(&b->tmp, "<< /Title ") ||
            book_text_string(&b->tmp, it->title) ||
            buf_printf(&b->tmp, " /Parent %zu 0 R", it->parent < 0 ? *root
                       : b->items[it->parent].obj) ||
            book_ref(&b->tmp, "Prev", b, it->prev) ||
            book_ref(&b->tmp, "Next", b, it->next) ||
            book_ref(&b->tmp, "First", b, it->first) ||
            book_ref(&b->tmp, "Last", b, it->last) ||
            (it->nkids && buf_printf(&b->tmp, " /Count %ld",
                                     book_count(b, i))) ||
            buf_printf(&b->tmp, " /Dest [%zu 0 R /XYZ 0 ",
                       b->page_obj[it->page]) ||
            put_num(&b->tmp, b->page_h[it->page]) ||
            buf_puts(&b->tmp, " null] >>"))
            return book_nomem(e);
        rc = book_obj(b, it->obj, e);
    }
    buf_reset(&b->tmp);
    if (rc == ERR_OK &&
        buf_printf(&b->tmp, "<< /Type /Outlines /First %zu 0 R /Last %zu 0 R"
                   " /Count %ld >>", b->items[first].obj, b->items[last].obj,
                   top))
        return book_nomem(e);
    return rc == ERR_OK ? book_obj(b, *root, e) : rc;
}

static int book_info(struct pdf_book *b, struct err *e)
{
    static const char *const keys[PDF_INFO_N] = { "Title", "Author",
                                                  "Subject", "Creator",
                                                  "Keywords" };
    int rc = buf_puts(&b->tmp, "<<");

    for (int i = 0; i < PDF_INFO_N && rc == ERR_OK; i++)
        if (b->info_str[i]) {
            rc = buf_printf(&b->tmp, " /%s ", keys[i]);
            if (rc == ERR_OK)
                rc = book_text_string(&b->tmp, b->info_str[i]);
        }
    if (rc == ERR_OK && b->has_date) {
        int y, m, d;
        date_to_ymd(b->day, &y, &m, &d);
        rc = buf_printf(&b->tmp, " /CreationDate (D:%04d%02d%02d%02d%02d%02d)",
                        y, m, d, b->seconds / 3600, b->seconds / 60 % 60,
                        b->seconds % 60);
    }
    if (rc == ERR_OK)
        rc = buf_puts(&b->tmp, " >>");
    return rc == ERR_OK ? book_obj(b, BOOK_OBJ_INFO, e) : book_nomem(e);
}

/* Page tree, catalog, xref and trailer. */
static int book_tail(struct pdf_book *b, size_t outline, struct err *e)
{
    unsigned long long start;
    char line[40];
    int rc;

    buf_reset(&b->tmp);
    if (buf_puts(&b->tmp, "<< /Type /Pages /Kids ["))
        return book_nomem(e);
    for (size_t i = 0; i < b->npages; i++)
        if (buf_printf(&b->tmp, "%s%zu 0 R", i == 0 ? "" : i % 10 ? " "
                       : "\n", b->page_obj[i]))
            return book_nomem(e);
    if (buf_printf(&b->tmp, "] /Count %zu >>", b->npages))
        return book_nomem(e);
    if ((rc = book_obj(b, BOOK_OBJ_PAGES, e)))
        return rc;
    buf_reset(&b->tmp);
    if (buf_printf(&b->tmp, "<< /Type /Catalog /Pages %d 0 R",
                   BOOK_OBJ_PAGES) ||
        (outline && buf_printf(&b->tmp, " /Outlines %zu 0 R /PageMode "
                               "/UseOutlines", outline)) ||
        buf_puts(&b->tmp, " >>"))
        return book_nomem(e);
    if ((rc = book_obj(b, BOOK_OBJ_CATALOG, e)))
        return rc;
    start = b->off;
    snprintf(line, sizeof line, "xref\n0 %zu\n", b->nobj + 1);
    if ((rc = book_write(b, line, strlen(line), e)) ||
        (rc = book_write(b, "0000000000 65535 f \n", 20, e)))
        return rc;
    for (size_t i = 1; i <= b->nobj && rc == ERR_OK; i++) {
        snprintf(line, sizeof line, "%010llu 00000 n \n", b->xref[i]);
        rc = book_write(b, line, 20, e);
    }
    buf_reset(&b->tmp);
    if (rc == ERR_OK &&
        buf_printf(&b->tmp, "trailer\n<< /Size %zu /Root %d 0 R /Info %d 0 R"
                   " >>\nstartxref\n%llu\n%%%%EOF\n", b->nobj + 1,
                   BOOK_OBJ_CATALOG, BOOK_OBJ_INFO, start))
        return book_nomem(e);
    return rc == ERR_OK ? book_write(b, b->tmp.p, b->tmp.len, e) : rc;
}

int pdf_book_close(struct pdf_book *b, struct err *e)
{
    size_t outline = 0;
    int rc = ERR_OK;

    if (b->failed)
        rc = err_set(e, ERR_USAGE, "%s: the book is incomplete (an earlier "
                     "step failed)", b->out.final);
    else if (b->npages == 0)
        rc = err_set(e, ERR_DATA, "%s: the document has no page",
                     b->out.final);
    if (rc == ERR_OK)
        rc = book_fonts(b, e);
    if (rc == ERR_OK)
        rc = book_outline(b, &outline, e);
    if (rc == ERR_OK) {
        buf_reset(&b->tmp);
        rc = book_info(b, e);
    }
    if (rc == ERR_OK)
        rc = book_tail(b, outline, e);
    if (rc == ERR_OK) {
        b->is_open = 0;
        rc = fsx_commit(&b->out, e);
    }
    pdf_book_free(b);
    return rc;
}

/* ==== end of books ==================================================== */

int pdf_render(struct pdf *d, unsigned char **data, size_t *len,
               struct err *e)
{
    struct render r;
    int rc;

    *data = NULL;
    *len = 0;
    if (d->npages == 0)
        return err_set(e, ERR_DATA, "pdf: the document has no page");
    memset(&r, 0, sizeof r);
    r.d = d;
    r.e = e;
    buf_init(&r.out, PDF_MAX_STREAM);
    rc = render_steps(&r, data, len);
    if (r.doc)
        HPDF_Free(r.doc);
    for (int k = 0; k < FONT_CHAIN_MAX; k++)
        font_subset_free(r.fc[k].sub);
    buf_free(&r.out);
    mem_free(r.zbuf);
    return rc;
}

int pdf_save(struct pdf *d, const char *path, struct err *e)
{
    unsigned char *data;
    size_t len;
    int rc = pdf_render(d, &data, &len, e);

    if (rc == ERR_OK)
        rc = fsx_write_file(path, data, len, e);
    else
        err_prefix(e, "%s: ", path);
    mem_free(data);
    return rc;
}

/* ==== attachments (embedded files; issue 6) ==============================
 * pdf_attach keeps a copy of each file; pdf_render writes them as
 * EmbeddedFile streams (deflated, /Params /Size, no dates: deterministic)
 * behind Filespec dictionaries listed, sorted by name, in the catalog's
 * /Names /EmbeddedFiles name tree, so `pdfdetach -list` shows them. */

struct pdf_att {
    char *name, *mime;      /* owned */
    unsigned char *data;    /* owned; len bytes (a NULL for len 0) */
    size_t len;
};

/* 1 when s is 1..max printable ASCII characters other than '\\' and,
 * unless slash, '/' (a file name any reader shows as it is). */
static int att_name_ok(const char *s, size_t max, int slash)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > max)
        return 0;
    for (; *s; s++)
        if (*s < 0x20 || *s > 0x7E || (*s == '/' && !slash) || *s == '\\')
            return 0;
    return 1;
}

static void att_free(struct pdf *d)
{
    for (size_t i = 0; i < d->natt; i++) {
        mem_free(d->att[i].name);
        mem_free(d->att[i].mime);
        mem_free(d->att[i].data);
    }
    mem_free(d->att);
    d->att = NULL;
    d->natt = 0;
}

int pdf_attach(struct pdf *d, const char *name, const char *mime,
               const void *data, size_t len, struct err *e)
{
    struct pdf_att a, *grown;
    size_t at = 0;

    if (!att_name_ok(name, PDF_ATTACH_NAME_MAX, 0) ||
        !att_name_ok(mime, PDF_ATTACH_NAME_MAX, 1) || !strchr(mime, '/'))
        return err_set(e, ERR_USAGE, "pdf: attachment \"%.40s\" (%.40s): "
                       "name or type is not printable ASCII",
                       name ? name : "", mime ? mime : "");
    if (len > PDF_ATTACH_MAX_BYTES || d->natt >= PDF_ATTACH_MAX)
        return err_set(e, ERR_DATA, "pdf: attachment %s: more than %d files "
                       "or %zu bytes", name, PDF_ATTACH_MAX,
                       (size_t)PDF_ATTACH_MAX_BYTES);
    while (at < d->natt && strcmp(d->att[at].name, name) < 0)
        at++;
    if (at < d->natt && !strcmp(d->att[at].name, name))
        return err_set(e, ERR_USAGE, "pdf: attachment %s added twice", name);
    memset(&a, 0, sizeof a);
    a.name = mem_strdup(name);
    a.mime = mem_strdup(mime);
    a.data = len ? mem_malloc(len) : NULL;
    grown = mem_realloc(d->att, (d->natt + 1) * sizeof *grown);
    if (grown)
        d->att = grown;
    if (!a.name || !a.mime || (len && !a.data) || !grown) {
        mem_free(a.name);
        mem_free(a.mime);
        mem_free(a.data);
        return err_set(e, ERR_NOMEM, "pdf: out of memory");
    }
    if (len)
        memcpy(a.data, data, len);
    a.len = len;
    memmove(&d->att[at + 1], &d->att[at], (d->natt - at) * sizeof *d->att);
    d->att[at] = a;
    d->natt++;
    return ERR_OK;
}

size_t pdf_attachment_count(const struct pdf *d)
{
    return d->natt;
}

/* The EmbeddedFile stream of a: deflated data, its type and size. */
static int att_stream(struct render *r, const struct pdf_att *a,
                      HPDF_Dict *out)
{
    HPDF_Dict params;
    HPDF_STATUS st;
    int rc = new_stream(r, out, a->data, a->len, "embedding a file");

    if (rc != ERR_OK)
        return rc;
    params = HPDF_Dict_New(r->doc->mmgr);
    if ((rc = hptr(r, params, "embedding a file")) != ERR_OK)
        return rc;
    st = HPDF_Dict_AddName(*out, "Type", "EmbeddedFile");
    st |= HPDF_Dict_AddName(*out, "Subtype", a->mime);
    st |= HPDF_Dict_AddNumber(params, "Size", (HPDF_INT32)a->len);
    st |= HPDF_Dict_Add(*out, "Params", params);
    return hcheck(r, st, "embedding a file");
}

/* The Filespec of a, pointing at its stream. */
static int att_filespec(struct render *r, const struct pdf_att *a,
                        HPDF_Dict *out)
{
    HPDF_MMgr mm = r->doc->mmgr;
    HPDF_Dict stream = NULL, ef;
    HPDF_STATUS st;
    int rc = att_stream(r, a, &stream);

    if (rc == ERR_OK)
        rc = new_indirect(r, out, "embedding a file");
    if (rc != ERR_OK)
        return rc;
    ef = HPDF_Dict_New(mm);
    if ((rc = hptr(r, ef, "embedding a file")) != ERR_OK)
        return rc;
    st = HPDF_Dict_AddName(*out, "Type", "Filespec");
    st |= HPDF_Dict_Add(*out, "F", HPDF_String_New(mm, a->name, NULL));
    st |= HPDF_Dict_Add(*out, "UF", HPDF_String_New(mm, a->name, NULL));
    st |= HPDF_Dict_Add(ef, "F", stream);
    st |= HPDF_Dict_Add(*out, "EF", ef);
    return hcheck(r, st, "embedding a file");
}

/* /Names << /EmbeddedFiles << /Names [(name) filespec ...] >> >> in the
 * catalog, keys in name order (d->att is kept sorted). */
static int write_attachments(struct render *r)
{
    const struct pdf *d = r->d;
    HPDF_MMgr mm;
    HPDF_Dict names, tree;
    HPDF_Array arr;
    HPDF_STATUS st;
    int rc = ERR_OK;

    if (d->natt == 0)
        return ERR_OK;
    mm = r->doc->mmgr;
    names = HPDF_Dict_GetItem(r->doc->catalog, "Names", HPDF_OCLASS_DICT);
    if (!names) {
        names = HPDF_Dict_New(mm);
        if ((rc = hptr(r, names, "embedding a file")) != ERR_OK ||
            (rc = hcheck(r, HPDF_Dict_Add(r->doc->catalog, "Names", names),
                         "embedding a file")) != ERR_OK)
            return rc;
    }
    tree = HPDF_Dict_New(mm);
    arr = HPDF_Array_New(mm);
    if ((rc = hptr(r, tree && arr ? tree : NULL, "embedding a file")))
        return rc;
    st = HPDF_Dict_Add(names, "EmbeddedFiles", tree);
    st |= HPDF_Dict_Add(tree, "Names", arr);
    if ((rc = hcheck(r, st, "embedding a file")) != ERR_OK)
        return rc;
    for (size_t i = 0; i < d->natt && rc == ERR_OK; i++) {
        HPDF_Dict spec = NULL;
        rc = att_filespec(r, &d->att[i], &spec);
        if (rc == ERR_OK) {
            st = HPDF_Array_Add(arr, HPDF_String_New(mm, d->att[i].name,
                                                     NULL));
            st |= HPDF_Array_Add(arr, spec);
            rc = hcheck(r, st, "embedding a file");
        }
    }
    return rc;
}
