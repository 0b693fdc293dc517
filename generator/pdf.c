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
    char *info_str[4];        /* owned: title, author, subject, creator */
    int has_date, day, seconds;
};

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
    for (i = 0; i < 4; i++)
        mem_free(d->info_str[i]);
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
    if (rc == ERR_OK)
        rc = font_check_text(d->font, s, len, what, e);
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
size_t pdf_char_count(const struct pdf *d) { return d->cps.n; }

int pdf_set_info(struct pdf *d, const struct pdf_info *info, struct err *e)
{
    const char *src[4] = { info->title, info->author, info->subject,
                           info->creator };
    char *copy[4] = { NULL, NULL, NULL, NULL };
    int i, rc = ERR_OK;

    if (info->has_date && (info->seconds < 0 || info->seconds >= 86400 ||
                           info->day < date_from_ymd(DATE_MIN_YEAR, 1, 1) ||
                           info->day > date_from_ymd(DATE_MAX_YEAR, 12, 31)))
        return err_set(e, ERR_DATA, "pdf: creation date out of range");
    for (i = 0; i < 4 && rc == ERR_OK; i++) {
        if (!src[i])
            continue;
        if (strlen(src[i]) > PDF_MAX_INFO)
            rc = err_set(e, ERR_DATA, "pdf: info string too long");
        else
            rc = text_utf8_check(src[i], strlen(src[i]), "pdf info", e);
        if (rc == ERR_OK && !(copy[i] = mem_strdup(src[i])))
            rc = err_set(e, ERR_NOMEM, "pdf: out of memory");
    }
    for (i = 0; i < 4; i++) {
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
    struct face fc[2];         /* the font, then its fallback */
    struct libdeflate_compressor *z; /* owned */
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
};

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

/* The CIDToGIDMap: 2 bytes per code 0..n (code 0: .notdef). */
static int write_cid_map(struct render *r, const struct face *fc,
                         HPDF_Dict cidfont)
{
    size_t n = font_subset_count(fc->sub), i;
    HPDF_Dict map;
    int rc = ERR_OK;

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
        w[i] = font_advance(fc->font,
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

    r->fc[0].font = r->d->font;
    r->fc[1].font = font_fallback(r->d->font);
    for (k = 0; k < 2 && rc == ERR_OK; k++) {
        for (i = m = 0; i < n && r->fc[k].font; i++)
            if (font_face_of(r->d->font, cps[i]) == r->fc[k].font)
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
    for (k = 0; k < 2 && rc == ERR_OK; k++) { /* /Font << /F1 .. >> */
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
        k = font_face_of(r->d->font, cp) == r->fc[0].font ? 0 : 1;
        if (open && k != r->cur) {
            rc = outc(r, "> Tj\n");
            open = 0;
        }
        if (rc == ERR_OK && !open)
            rc = set_font(r, k, op->v[2]);
        if (rc == ERR_OK && !open)
            rc = outc(r, "<");
        open = 1;
        c = font_subset_code(r->fc[k].sub, cp);
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
    static const char *const keys[4] = { "Title", "Author", "Subject",
                                         "Creator" };
    const struct pdf *d = r->d;
    int i, rc = r->doc->info ? ERR_OK : hptr(r, NULL, "setting document "
                                             "information");

    for (i = 0; i < 4 && rc == ERR_OK; i++)
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

static int open_doc(struct render *r)
{
    r->z = libdeflate_alloc_compressor(PDF_DEFLATE_LEVEL);
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
        rc = save_doc(r, data, len);
    return rc;
}

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
    if (r.z)
        libdeflate_free_compressor(r.z);
    font_subset_free(r.fc[0].sub);
    font_subset_free(r.fc[1].sub);
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
