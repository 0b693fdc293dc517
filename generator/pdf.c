/* pdf -- a safe PDF writer over libharu 2.3.0 (see pdf.h, doc/fonts.md).
 *
 * Drawing calls only record operations (ops) after checking them.
 * pdf_render then, for one document:
 *   1. subsets the font to the characters used (font_subset_new): codes
 *      1..n, one per character, mapped by the subset's own cmap;
 *   2. creates an HPDF_Doc with an error handler that only records the
 *      first error (never longjmp; any error ends this document);
 *   3. loads the subset from memory (libharu's exported TrueType loader on
 *      a memory stream: no temporary file);
 *   4. fixes the font objects libharu built: marks every subset glyph as
 *      used (its composite-glyph walk is broken), cuts the 65,536-entry
 *      CIDToGIDMap to the n codes, and replaces its malformed ToUnicode
 *      with a bfchar CMap from codes to the real characters;
 *   5. replays the ops, re-encoding text to the subset codes;
 *   6. sets Info and saves with deflate to a memory stream.
 * Steps 3 and 4 use libharu's internal (but exported and declared, since
 * Debian builds without HPDF_SHARED) object API; fix_font checks that the
 * structures look as expected before touching them.
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

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PDF_MAX_OPS 200000
#define PDF_MAX_TEXT ((size_t)8 << 20)
#define PDF_MAX_INFO 4096
#define TOUNICODE_MAX ((size_t)1 << 20)

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

struct render {
    struct pdf *d;
    struct err *e;
    struct font_subset *sub;   /* owned; NULL when no text */
    HPDF_Doc doc;
    HPDF_Font font;
    HPDF_Page page;
    double page_h;
    HPDF_STATUS err_no, detail_no; /* first error the handler saw */
    int in_text;                   /* inside BT .. ET */
    int have_fill, have_stroke, have_lw, have_size;
    uint32_t fill, stroke;
    double lw, size;
    struct buf scratch;            /* re-encoded text */
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

/* ---- rendering: the font ---------------------------------------------- */

/* Load the subset from memory, as HPDF_LoadTTFontFromFile would from a
 * file, and make the Type0 font for the UTF-8 encoder. */
static int load_font(struct render *r)
{
    size_t len;
    const unsigned char *data = font_subset_data(r->sub, &len);
    HPDF_Stream st = HPDF_MemStream_New(r->doc->mmgr, (HPDF_UINT)len);
    HPDF_FontDef def;
    char tag[7];
    int rc;

    rc = hptr(r, st, "making the font stream");
    if (rc == ERR_OK)
        rc = hcheck(r, HPDF_Stream_Write(st, data, (HPDF_UINT)len),
                    "copying the font");
    if (rc != ERR_OK) {
        if (st)
            HPDF_Stream_Free(st);
        return rc;
    }
    def = HPDF_TTFontDef_Load(r->doc->mmgr, st, HPDF_TRUE); /* takes st */
    rc = hptr(r, def, "loading the subset font");
    if (rc != ERR_OK)
        return rc;
    memcpy(tag, font_subset_tag(r->sub), sizeof tag);
    HPDF_TTFontDef_SetTagName(def, tag);
    rc = hcheck(r, HPDF_Doc_RegisterFontDef(r->doc, def), /* takes def */
                "registering the font");
    if (rc == ERR_OK) {
        r->font = HPDF_GetFont(r->doc, def->base_font, "UTF-8");
        rc = hptr(r, r->font, "making the font");
    }
    return rc;
}

/* The CIDToGIDMap: 2 bytes per code 0..n (code 0: .notdef). */
static int write_cid_map(struct render *r, HPDF_Stream st)
{
    size_t n = font_subset_count(r->sub), i;
    int rc = ERR_OK;

    buf_reset(&r->scratch);
    for (i = 0; i <= n && rc == ERR_OK; i++) {
        unsigned g = font_subset_glyph(r->sub, (unsigned)i);
        unsigned char b[2] = { (unsigned char)(g >> 8), (unsigned char)g };
        rc = buf_append(&r->scratch, b, 2);
    }
    if (rc != ERR_OK)
        return err_set(r->e, ERR_NOMEM, "pdf: out of memory");
    HPDF_MemStream_FreeData(st);
    return hcheck(r, HPDF_Stream_Write(st, (const HPDF_BYTE *)r->scratch.p,
                                       (HPDF_UINT)r->scratch.len),
                  "writing the CIDToGIDMap");
}

static int put_utf16(struct buf *b, uint32_t cp)
{
    if (cp < 0x10000)
        return buf_printf(b, "%04X", (unsigned)cp);
    cp -= 0x10000;
    return buf_printf(b, "%04X%04X", (unsigned)(0xD800 + (cp >> 10)),
                      (unsigned)(0xDC00 + (cp & 0x3FF)));
}

/* A ToUnicode CMap with one bfchar entry per code (at most 100 a block). */
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

static int write_tounicode(struct render *r, HPDF_Dict cmap)
{
    static const char *const drop[] = { "Type", "CMapName", "CIDSystemInfo",
                                        "WMode" };
    size_t i;

    buf_reset(&r->scratch);
    if (build_tounicode(r->sub, &r->scratch) != ERR_OK)
        return err_set(r->e, ERR_NOMEM, "pdf: out of memory");
    for (i = 0; i < sizeof drop / sizeof *drop; i++)
        HPDF_Dict_RemoveElement(cmap, drop[i]); /* not-found is fine */
    HPDF_MemStream_FreeData(cmap->stream);
    return hcheck(r, HPDF_Stream_Write(cmap->stream,
                                       (const HPDF_BYTE *)r->scratch.p,
                                       (HPDF_UINT)r->scratch.len),
                  "writing the ToUnicode CMap");
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

/* Replace libharu's /DW (the .notdef width) and /W (every code whose width
 * differs from it) by DW = the most common width and W = the others, in
 * runs "code [w w ...]". */
static int write_widths(struct render *r, HPDF_Dict cidfont)
{
    size_t n = font_subset_count(r->sub), i;
    int *w = mem_malloc(2 * n * sizeof *w), dw, rc = ERR_OK;
    HPDF_Array arr, run = NULL;

    if (!w)
        return err_set(r->e, ERR_NOMEM, "pdf: out of memory");
    for (i = 0; i < n; i++)
        w[i] = font_advance(r->d->font,
                            font_subset_char(r->sub, (unsigned)i + 1));
    dw = most_common(w, n, w + n);
    arr = HPDF_Array_New(r->doc->mmgr);
    rc = hptr(r, arr, "writing widths");
    if (rc == ERR_OK)
        rc = hcheck(r, HPDF_Dict_Add(cidfont, "W", arr), "writing widths");
    if (rc == ERR_OK)
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

/* The FontDescriptor with the subset itself as FontFile2.  libharu would
 * otherwise re-serialise the font table by table, 4 bytes per stream
 * read (a fifth of the time of a document), and take CapHeight/XHeight
 * from the glyphs of 'H' and 'x' through the cmap, which maps subset
 * codes here. */
static int write_descriptor(struct render *r, HPDF_FontAttr fa)
{
    HPDF_FontDef def = fa->fontdef;
    HPDF_TTFontDefAttr ta = (HPDF_TTFontDefAttr)def->attr;
    HPDF_MMgr mm = r->doc->mmgr;
    HPDF_Dict desc = HPDF_Dict_New(mm), ff = NULL;
    size_t len;
    const unsigned char *data = font_subset_data(r->sub, &len);
    int cap, xh, rc = hptr(r, desc, "writing the font descriptor");
    HPDF_STATUS st = HPDF_OK;

    if (rc == ERR_OK) /* the xref owns desc from here, even on failure */
        rc = hcheck(r, HPDF_Xref_Add(fa->xref, desc), "writing the font "
                    "descriptor");
    if (rc == ERR_OK)
        ff = HPDF_DictStream_New(mm, fa->xref);
    if (rc == ERR_OK)
        rc = hptr(r, ff, "embedding the font");
    if (rc != ERR_OK)
        return rc;
    font_heights(r->d->font, &cap, &xh);
    ff->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    st |= HPDF_Stream_Write(ff->stream, data, (HPDF_UINT)len);
    st |= HPDF_Dict_AddNumber(ff, "Length1", (HPDF_INT32)len);
    st |= HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    st |= HPDF_Dict_AddName(desc, "FontName", ta->base_font);
    st |= HPDF_Dict_AddNumber(desc, "Flags", def->flags);
    st |= HPDF_Dict_Add(desc, "FontBBox", HPDF_Box_Array_New(mm,
                                                            def->font_bbox));
    st |= HPDF_Dict_AddNumber(desc, "ItalicAngle", def->italic_angle);
    st |= HPDF_Dict_AddNumber(desc, "Ascent", def->ascent);
    st |= HPDF_Dict_AddNumber(desc, "Descent", def->descent);
    st |= HPDF_Dict_AddNumber(desc, "CapHeight", cap);
    st |= HPDF_Dict_AddNumber(desc, "XHeight", xh);
    st |= HPDF_Dict_AddNumber(desc, "StemV", def->stemv);
    st |= HPDF_Dict_Add(desc, "FontFile2", ff);
    rc = hcheck(r, st, "writing the font descriptor");
    if (rc == ERR_OK)
        def->descriptor = desc; /* libharu's BeforeWrite then keeps it */
    return rc;
}

/* Repair the font objects libharu made (see the file comment). */
static int fix_font(struct render *r)
{
    HPDF_FontAttr fa = (HPDF_FontAttr)r->font->attr;
    HPDF_TTFontDefAttr ta;
    int rc;

    if (!fa || fa->type != HPDF_FONT_TYPE0_TT || !fa->fontdef ||
        fa->fontdef->descriptor || !fa->descendant_font || !fa->xref ||
        fa->fontdef->type != HPDF_FONTDEF_TYPE_TRUETYPE || !fa->map_stream ||
        !fa->cmap_stream || !fa->map_stream->stream ||
        !fa->cmap_stream->stream)
        return err_set(r->e, ERR_INTERNAL, "pdf: libharu's font objects "
                       "are not laid out as in version 2.3.0");
    ta = (HPDF_TTFontDefAttr)fa->fontdef->attr;
    if (!ta || !ta->glyph_tbl.flgs ||
        ta->num_glyphs != font_subset_glyphs(r->sub))
        return err_set(r->e, ERR_INTERNAL, "pdf: libharu read %u glyphs "
                       "from a subset of %u", ta ? ta->num_glyphs : 0,
                       font_subset_glyphs(r->sub));
    /* Every glyph of the subset is needed, components included (only
     * matters if libharu ever embeds the font itself). */
    memset(ta->glyph_tbl.flgs, 1, ta->num_glyphs);
    rc = write_cid_map(r, fa->map_stream->stream);
    if (rc == ERR_OK)
        rc = write_tounicode(r, fa->cmap_stream);
    if (rc == ERR_OK)
        rc = write_widths(r, fa->descendant_font);
    if (rc == ERR_OK)
        rc = write_descriptor(r, fa);
    return rc;
}

/* ---- rendering: drawing ----------------------------------------------- */

static double red(uint32_t c) { return (double)((c >> 16) & 0xFF) / 255.0; }
static double green(uint32_t c) { return (double)((c >> 8) & 0xFF) / 255.0; }
static double blue(uint32_t c) { return (double)(c & 0xFF) / 255.0; }

static int set_fill(struct render *r, uint32_t rgb)
{
    if (r->have_fill && r->fill == rgb)
        return ERR_OK;
    r->have_fill = 1;
    r->fill = rgb;
    return hcheck(r, HPDF_Page_SetRGBFill(r->page, (HPDF_REAL)red(rgb),
                                          (HPDF_REAL)green(rgb),
                                          (HPDF_REAL)blue(rgb)),
                  "setting the fill colour");
}

static int set_stroke(struct render *r, uint32_t rgb, double lw)
{
    int rc = ERR_OK;

    if (!r->have_stroke || r->stroke != rgb) {
        r->have_stroke = 1;
        r->stroke = rgb;
        rc = hcheck(r, HPDF_Page_SetRGBStroke(r->page, (HPDF_REAL)red(rgb),
                                              (HPDF_REAL)green(rgb),
                                              (HPDF_REAL)blue(rgb)),
                    "setting the stroke colour");
    }
    if (rc == ERR_OK && (!r->have_lw || r->lw != lw)) {
        r->have_lw = 1;
        r->lw = lw;
        rc = hcheck(r, HPDF_Page_SetLineWidth(r->page, (HPDF_REAL)lw),
                    "setting the line width");
    }
    return rc;
}

static int end_text(struct render *r)
{
    if (!r->in_text)
        return ERR_OK;
    r->in_text = 0;
    return hcheck(r, HPDF_Page_EndText(r->page), "ending text");
}

static int new_page(struct render *r, const struct op *op)
{
    int rc = end_text(r);

    if (rc != ERR_OK)
        return rc;
    r->page = HPDF_AddPage(r->doc);
    rc = hptr(r, r->page, "adding a page");
    if (rc == ERR_OK)
        rc = hcheck(r, HPDF_Page_SetWidth(r->page, (HPDF_REAL)op->v[0]),
                    "sizing a page");
    if (rc == ERR_OK)
        rc = hcheck(r, HPDF_Page_SetHeight(r->page, (HPDF_REAL)op->v[1]),
                    "sizing a page");
    r->page_h = op->v[1];
    r->have_fill = r->have_stroke = r->have_lw = r->have_size = 0;
    return rc;
}

/* The op's text in subset codes, NUL-terminated, in r->scratch. */
static int encode_text(struct render *r, const struct op *op)
{
    const char *s = r->d->text.p + op->off;
    size_t i = 0, n;
    uint32_t cp;
    char u[4];
    int rc = ERR_OK;

    buf_reset(&r->scratch);
    while (i < op->len && rc == ERR_OK) {
        n = text_utf8_decode(s + i, op->len - i, &cp);
        n = n ? n : 1; /* cannot happen: checked by pdf_text */
        rc = buf_append(&r->scratch, u,
                        text_utf8_encode(font_subset_code(r->sub, cp), u));
        i += n;
    }
    if (rc == ERR_OK)
        rc = buf_append(&r->scratch, "", 1);
    return rc == ERR_OK ? ERR_OK
                        : err_set(r->e, ERR_NOMEM, "pdf: out of memory");
}

static int draw_text(struct render *r, const struct op *op)
{
    int rc = encode_text(r, op);

    if (rc == ERR_OK && !r->in_text) {
        rc = hcheck(r, HPDF_Page_BeginText(r->page), "starting text");
        r->in_text = rc == ERR_OK;
    }
    if (rc == ERR_OK && (!r->have_size || r->size != op->v[2])) {
        r->have_size = 1;
        r->size = op->v[2];
        rc = hcheck(r, HPDF_Page_SetFontAndSize(r->page, r->font,
                                                (HPDF_REAL)op->v[2]),
                    "setting the font");
    }
    if (rc == ERR_OK)
        rc = set_fill(r, op->rgb);
    if (rc == ERR_OK)
        rc = hcheck(r, HPDF_Page_TextOut(r->page, (HPDF_REAL)op->v[0],
                                         (HPDF_REAL)(r->page_h - op->v[1]),
                                         r->scratch.p),
                    "drawing text");
    return rc;
}

static int draw_shape(struct render *r, const struct op *op)
{
    HPDF_Page p = r->page;
    const double *v = op->v;
    int rc = end_text(r);

    if (rc != ERR_OK)
        return rc;
    if (op->kind == OP_FILL) {
        rc = set_fill(r, op->rgb);
        if (rc == ERR_OK)
            rc = hcheck(r, HPDF_Page_Rectangle(p, (HPDF_REAL)v[0],
                        (HPDF_REAL)(r->page_h - v[1] - v[3]),
                        (HPDF_REAL)v[2], (HPDF_REAL)v[3]), "drawing");
        return rc == ERR_OK ? hcheck(r, HPDF_Page_Fill(p), "filling") : rc;
    }
    rc = set_stroke(r, op->rgb, v[4]);
    if (rc == ERR_OK && op->kind == OP_STROKE)
        rc = hcheck(r, HPDF_Page_Rectangle(p, (HPDF_REAL)v[0],
                    (HPDF_REAL)(r->page_h - v[1] - v[3]),
                    (HPDF_REAL)v[2], (HPDF_REAL)v[3]), "drawing");
    if (rc == ERR_OK && op->kind == OP_LINE) {
        rc = hcheck(r, HPDF_Page_MoveTo(p, (HPDF_REAL)v[0],
                    (HPDF_REAL)(r->page_h - v[1])), "drawing");
        if (rc == ERR_OK)
            rc = hcheck(r, HPDF_Page_LineTo(p, (HPDF_REAL)v[2],
                        (HPDF_REAL)(r->page_h - v[3])), "drawing");
    }
    return rc == ERR_OK ? hcheck(r, HPDF_Page_Stroke(p), "stroking") : rc;
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
    return rc == ERR_OK ? end_text(r) : rc;
}

/* ---- rendering: document ---------------------------------------------- */

static int set_info(struct render *r)
{
    static const HPDF_InfoType keys[4] = { HPDF_INFO_TITLE,
        HPDF_INFO_AUTHOR, HPDF_INFO_SUBJECT, HPDF_INFO_CREATOR };
    const struct pdf *d = r->d;
    int i, rc = ERR_OK;

    for (i = 0; i < 4 && rc == ERR_OK; i++)
        if (d->info_str[i])
            rc = hcheck(r, HPDF_SetInfoAttr(r->doc, keys[i],
                                            d->info_str[i]),
                        "setting document information");
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
    int rc;

    r->doc = HPDF_New(on_hpdf_error, r);
    if (!r->doc)
        return err_set(r->e, ERR_NOMEM, "pdf: out of memory");
    rc = hcheck(r, HPDF_SetCompressionMode(r->doc, HPDF_COMP_ALL),
                "setting compression");
    if (rc == ERR_OK)
        rc = hcheck(r, HPDF_UseUTFEncodings(r->doc), "enabling UTF-8");
    if (rc == ERR_OK) /* Info strings are converted to UTF-16 with it */
        rc = hcheck(r, HPDF_SetCurrentEncoder(r->doc, "UTF-8"),
                    "enabling UTF-8");
    return rc;
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
        return err_set(r->e, ERR_NOMEM, "pdf: out of memory");
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
    struct pdf *d = r->d;
    size_t n;
    const uint32_t *cps = text_cpset_sorted(&d->cps, &n);
    int rc = ERR_OK;

    if (n > 0)
        rc = font_subset_new(d->font, cps, n, &r->sub, r->e);
    if (rc == ERR_OK)
        rc = open_doc(r);
    if (rc == ERR_OK && r->sub)
        rc = load_font(r);
    if (rc == ERR_OK && r->sub)
        rc = fix_font(r);
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
    buf_init(&r.scratch, TOUNICODE_MAX);
    rc = render_steps(&r, data, len);
    if (r.doc)
        HPDF_Free(r.doc);
    font_subset_free(r.sub);
    buf_free(&r.scratch);
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
