/* pdf -- recording a document: the drawing calls and Info of pdf.h.
 *
 * Drawing calls only record operations (struct pdf_op, pdf_int.h) after
 * checking them: valid UTF-8 without control characters, every character
 * drawable by the font chain (or as its placeholder), numbers finite and
 * in range.  Nothing here writes PDF syntax: the writers replay a
 * recording, pdf_render.c one document through libharu, pdf_book.c the
 * parts of a book.  Also here: the Info dictionary (struct pdf_meta,
 * shared with books) and PDF text strings (UTF-16BE) for both writers.
 */
#include "pdf.h"
#include "pdf_int.h"
#include "buf.h"
#include "date.h"
#include "err.h"
#include "font.h"
#include "mem.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- recording -------------------------------------------------------- */

int pdf_new(struct pdf **out, const struct font *font, struct err *e)
{
    struct pdf *d = mem_calloc(1, sizeof *d);

    *out = NULL;
    if (!d)
        return pdf_nomem(e);
    d->font = font;
    buf_init(&d->text, PDF_MAX_TEXT);
    text_cpset_init(&d->cps, FONT_SUBSET_MAX);
    *out = d;
    return ERR_OK;
}

void pdf_free(struct pdf *d)
{
    if (!d)
        return;
    mem_free(d->ops);
    buf_free(&d->text);
    text_cpset_free(&d->cps);
    pdf_meta_free(&d->info);
    pdf_att_free(d);
    mem_free(d);
}

static int push(struct pdf *d, const struct pdf_op *op, struct err *e)
{
    if (op->kind != PDF_OP_PAGE && d->npages == 0)
        return err_set(e, ERR_USAGE, "pdf: drawing before the first page");
    if (d->nops == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        struct pdf_op *ops;
        if (d->nops >= PDF_MAX_OPS)
            return err_set(e, ERR_DATA, "pdf: more than %d drawing "
                           "operations", PDF_MAX_OPS);
        ops = mem_realloc(d->ops, cap * sizeof *ops);
        if (!ops)
            return pdf_nomem(e);
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
    struct pdf_op op = { PDF_OP_PAGE, 0, { width, height, 0, 0, 0 }, 0, 0 };
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
    struct pdf_op op = { PDF_OP_TEXT, rgb & 0xFFFFFF, { x, y, size, 0, 0 },
                         0, len };
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
        return pdf_nomem(e);
    return push(d, &op, e);
}

double pdf_text_width(const struct pdf *d, const char *s, size_t len,
                      double size)
{
    return (double)font_text_width(d->font, s, len) * size / 1000.0;
}

static int shape(struct pdf *d, enum pdf_op_kind kind, const double *v,
                 int n, uint32_t rgb, struct err *e)
{
    struct pdf_op op = { kind, rgb & 0xFFFFFF, { 0, 0, 0, 0, 0 }, 0, 0 };

    memcpy(op.v, v, (size_t)n * sizeof *v);
    if (!finite_all(op.v, n))
        return err_set(e, ERR_DATA, "pdf: bad coordinates");
    if (kind != PDF_OP_FILL && !(op.v[4] > 0 && op.v[4] <= 100))
        return err_set(e, ERR_DATA, "pdf: bad line width %.2f", op.v[4]);
    return push(d, &op, e);
}

int pdf_fill_rect(struct pdf *d, double x, double y, double w, double h,
                  uint32_t rgb, struct err *e)
{
    const double v[4] = { x, y, w, h };
    return shape(d, PDF_OP_FILL, v, 4, rgb, e);
}

int pdf_stroke_rect(struct pdf *d, double x, double y, double w, double h,
                    double line_width, uint32_t rgb, struct err *e)
{
    const double v[5] = { x, y, w, h, line_width };
    return shape(d, PDF_OP_STROKE, v, 5, rgb, e);
}

int pdf_line(struct pdf *d, double x1, double y1, double x2, double y2,
             double line_width, uint32_t rgb, struct err *e)
{
    const double v[5] = { x1, y1, x2, y2, line_width };
    return shape(d, PDF_OP_LINE, v, 5, rgb, e);
}

size_t pdf_page_count(const struct pdf *d) { return d->npages; }
size_t pdf_missing_count(const struct pdf *d) { return d->missing; }
size_t pdf_char_count(const struct pdf *d) { return d->cps.n; }

int pdf_set_info(struct pdf *d, const struct pdf_info *info, struct err *e)
{
    return pdf_meta_set(&d->info, info, e);
}

int pdf_nomem(struct err *e)
{
    return err_set(e, ERR_NOMEM, "pdf: out of memory");
}

/* ---- Info ------------------------------------------------------------- */

const char *const pdf_info_keys[PDF_INFO_N] = { "Title", "Author", "Subject",
                                                "Creator", "Keywords" };

int pdf_meta_set(struct pdf_meta *m, const struct pdf_info *info,
                 struct err *e)
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
            rc = pdf_nomem(e);
    }
    for (i = 0; i < PDF_INFO_N; i++) {
        if (rc != ERR_OK) {
            mem_free(copy[i]);
            continue;
        }
        mem_free(m->str[i]);
        m->str[i] = copy[i];
    }
    if (rc == ERR_OK) {
        m->has_date = info->has_date;
        m->day = info->day;
        m->seconds = info->seconds;
    }
    return rc;
}

int pdf_meta_copy(struct pdf_meta *to, const struct pdf_meta *from)
{
    char *copy[PDF_INFO_N] = { NULL, NULL, NULL, NULL, NULL };
    int i;

    for (i = 0; i < PDF_INFO_N; i++)
        if (from->str[i] && !(copy[i] = mem_strdup(from->str[i]))) {
            while (i-- > 0)
                mem_free(copy[i]);
            return ERR_NOMEM;
        }
    pdf_meta_free(to);
    memcpy(to->str, copy, sizeof copy);
    to->has_date = from->has_date;
    to->day = from->day;
    to->seconds = from->seconds;
    return ERR_OK;
}

void pdf_meta_free(struct pdf_meta *m)
{
    for (int i = 0; i < PDF_INFO_N; i++) {
        mem_free(m->str[i]);
        m->str[i] = NULL;
    }
}

/* ---- text strings ----------------------------------------------------- */

/* Append the UTF-16 code unit u: 4 hex digits, or 2 bytes big-endian. */
static int put_unit(struct buf *b, unsigned u, int hex)
{
    static const char digits[] = "0123456789ABCDEF";
    char s[4];

    if (!hex) {
        s[0] = (char)(u >> 8);
        s[1] = (char)(u & 0xFF);
        return buf_append(b, s, 2);
    }
    s[0] = digits[(u >> 12) & 15];
    s[1] = digits[(u >> 8) & 15];
    s[2] = digits[(u >> 4) & 15];
    s[3] = digits[u & 15];
    return buf_append(b, s, 4);
}

/* Append cp as one UTF-16 code unit, or a surrogate pair above the BMP. */
static int put_cp(struct buf *b, uint32_t cp, int hex)
{
    int rc;

    if (cp < 0x10000)
        return put_unit(b, (unsigned)cp, hex);
    cp -= 0x10000;
    rc = put_unit(b, (unsigned)(0xD800 + (cp >> 10)), hex);
    return rc == ERR_OK ? put_unit(b, (unsigned)(0xDC00 + (cp & 0x3FF)), hex)
                        : rc;
}

int pdf_put_utf16(struct buf *b, uint32_t cp)
{
    return put_cp(b, cp, 1);
}

int pdf_put_text_string(struct buf *b, const char *s, int hex)
{
    size_t len = strlen(s), i = 0, n;
    uint32_t cp;
    int rc = put_unit(b, 0xFEFF, hex);

    while (i < len && rc == ERR_OK) {
        n = text_utf8_decode(s + i, len - i, &cp);
        n = n ? n : 1; /* checked when stored */
        rc = put_cp(b, cp, hex);
        i += n;
    }
    return rc;
}
