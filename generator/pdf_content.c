/* pdf_content -- page content streams, for both PDF writers.
 *
 * Replays a recording's drawing ops (pdf.c) as PDF operators: y flipped
 * (the recording's origin is the top-left corner), numbers printed by
 * pdf_put_num, a grey written as g/G, colour, line width and font set
 * only when they change, text as hex 2-byte codes in runs of one face
 * with a Tf where the face changes.  Which code draws a character is the
 * writer's (pdf_cs.code): the subset's code for pdf_render.c, the book's
 * own numbering for pdf_book.c.  No library: the writers deflate and
 * wrap the streams.
 */
#include "pdf_int.h"
#include "buf.h"
#include "err.h"
#include "font.h"
#include "text.h"

#include <math.h>
#include <string.h>

void pdf_cs_init(struct pdf_cs *cs)
{
    memset(cs, 0, sizeof *cs);
    buf_init(&cs->out, PDF_MAX_STREAM);
    cs->cur = -1;
}

void pdf_cs_free(struct pdf_cs *cs)
{
    buf_free(&cs->out);
}

static int outc(struct pdf_cs *cs, const char *s)
{
    return buf_puts(&cs->out, s);
}

int pdf_put_num(struct buf *b, double v)
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
static int put_op(struct pdf_cs *cs, const double *v, int n, const char *op)
{
    int i, rc = ERR_OK;

    for (i = 0; i < n && rc == ERR_OK; i++) {
        rc = pdf_put_num(&cs->out, v[i]);
        if (rc == ERR_OK)
            rc = buf_append(&cs->out, " ", 1);
    }
    return rc == ERR_OK ? outc(cs, op) : rc;
}

/* The colour operator: "0.2 g" for a grey (r = g = b: the same colour
 * in DeviceGray, and shorter), else "r g b rg"; op is "rg" or "RG". */
static int put_colour(struct pdf_cs *cs, uint32_t c, const char *op)
{
    double v[3];
    int grey = (c >> 16) == (c & 0xFF) && ((c >> 8) & 0xFF) == (c & 0xFF);

    v[0] = (double)((c >> 16) & 0xFF) / 255.0;
    v[1] = (double)((c >> 8) & 0xFF) / 255.0;
    v[2] = (double)(c & 0xFF) / 255.0;
    if (grey)
        return put_op(cs, v, 1, op[0] == 'r' ? "g\n" : "G\n");
    return put_op(cs, v, 3, op[0] == 'r' ? "rg\n" : "RG\n");
}

static int set_fill(struct pdf_cs *cs, uint32_t rgb)
{
    if (cs->have_fill && cs->fill == rgb)
        return ERR_OK;
    cs->have_fill = 1;
    cs->fill = rgb;
    return put_colour(cs, rgb, "rg");
}

static int set_stroke(struct pdf_cs *cs, uint32_t rgb, double lw)
{
    int rc = ERR_OK;

    if (!cs->have_stroke || cs->stroke != rgb) {
        cs->have_stroke = 1;
        cs->stroke = rgb;
        rc = put_colour(cs, rgb, "RG");
    }
    if (rc == ERR_OK && (!cs->have_lw || cs->lw != lw)) {
        cs->have_lw = 1;
        cs->lw = lw;
        rc = put_op(cs, &lw, 1, "w\n");
    }
    return rc;
}

static int end_text(struct pdf_cs *cs)
{
    if (!cs->in_text)
        return ERR_OK;
    cs->in_text = 0;
    return outc(cs, "ET\n");
}

/* "/F2 9 Tf" when face k or the size differs from the last Tf. */
static int set_font(struct pdf_cs *cs, int k, double size)
{
    int rc;

    if (cs->cur == k && cs->size == size)
        return ERR_OK;
    cs->cur = k;
    cs->size = size;
    rc = buf_printf(&cs->out, "/%s ", cs->res[k]);
    return rc == ERR_OK ? put_op(cs, &size, 1, "Tf\n") : rc;
}

/* "<0001002A...> Tj" for the op's text in codes, one string per run of
 * characters of one face, with a Tf before each change. */
static int put_codes(struct pdf_cs *cs, const struct pdf_op *op)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *s = cs->d->text.p + op->off;
    size_t i = 0, n;
    uint32_t cp;
    int rc = ERR_OK, open = 0;

    while (i < op->len && rc == ERR_OK) {
        unsigned c;
        char h[4];
        int k;
        n = text_utf8_decode(s + i, op->len - i, &cp);
        n = n ? n : 1; /* cannot happen: checked by pdf_text */
        k = font_draw_pos(cs->d->font, cp);
        if (open && k != cs->cur) {
            rc = outc(cs, "> Tj\n");
            open = 0;
        }
        if (rc == ERR_OK && !open)
            rc = set_font(cs, k, op->v[2]);
        if (rc == ERR_OK && !open)
            rc = outc(cs, "<");
        open = 1;
        c = cs->code(cs->code_ctx, k, cp);
        h[0] = hex[(c >> 12) & 15];
        h[1] = hex[(c >> 8) & 15];
        h[2] = hex[(c >> 4) & 15];
        h[3] = hex[c & 15];
        if (rc == ERR_OK)
            rc = buf_append(&cs->out, h, 4);
        i += n;
    }
    return rc == ERR_OK && open ? outc(cs, "> Tj\n") : rc;
}

static int draw_text(struct pdf_cs *cs, const struct pdf_op *op)
{
    double pos[2] = { op->v[0], cs->page_h - op->v[1] }, rel[2];
    int rc = ERR_OK;

    if (!cs->in_text) {
        rc = outc(cs, "BT\n");
        cs->in_text = 1;
        cs->tx = cs->ty = 0;
    }
    if (rc == ERR_OK)
        rc = set_fill(cs, op->rgb);
    /* Td moves from the last line start: short numbers, and the same
     * moves repeat (deflate likes that) */
    rel[0] = pos[0] - cs->tx;
    rel[1] = pos[1] - cs->ty;
    cs->tx = pos[0];
    cs->ty = pos[1];
    if (rc == ERR_OK)
        rc = put_op(cs, rel, 2, "Td\n");
    return rc == ERR_OK ? put_codes(cs, op) : rc;
}

static int draw_shape(struct pdf_cs *cs, const struct pdf_op *op)
{
    const double *v = op->v;
    double box[4] = { v[0], cs->page_h - v[1] - v[3], v[2], v[3] };
    double a[2] = { v[0], cs->page_h - v[1] };
    double b[2] = { v[2], cs->page_h - v[3] };
    int rc = end_text(cs);

    if (rc == ERR_OK && op->kind == PDF_OP_FILL) {
        rc = set_fill(cs, op->rgb);
        if (rc == ERR_OK)
            rc = put_op(cs, box, 4, "re f\n");
    } else if (rc == ERR_OK) {
        rc = set_stroke(cs, op->rgb, v[4]);
        if (rc == ERR_OK && op->kind == PDF_OP_STROKE)
            rc = put_op(cs, box, 4, "re S\n");
        if (rc == ERR_OK && op->kind == PDF_OP_LINE) {
            rc = put_op(cs, a, 2, "m ");
            if (rc == ERR_OK)
                rc = put_op(cs, b, 2, "l S\n");
        }
    }
    return rc;
}

/* The stream of the page that page started is complete: end(ctx, page). */
static int end_page(struct pdf_cs *cs,
                    int (*end)(void *ctx, const struct pdf_op *page),
                    void *ctx, const struct pdf_op *page)
{
    if (end_text(cs) != ERR_OK)
        return pdf_nomem(cs->e);
    return end(ctx, page);
}

int pdf_cs_replay(struct pdf_cs *cs,
                  int (*begin)(void *ctx, const struct pdf_op *page),
                  int (*end)(void *ctx, const struct pdf_op *page),
                  void *ctx)
{
    const struct pdf_op *page = NULL;
    int rc = ERR_OK;

    for (size_t i = 0; i < cs->d->nops && rc == ERR_OK; i++) {
        const struct pdf_op *op = &cs->d->ops[i];
        if (op->kind != PDF_OP_PAGE) {
            rc = op->kind == PDF_OP_TEXT ? draw_text(cs, op)
                                         : draw_shape(cs, op);
            if (rc != ERR_OK) /* only the stream's own limit or memory */
                rc = pdf_nomem(cs->e);
            continue;
        }
        if (page && (rc = end_page(cs, end, ctx, page)) != ERR_OK)
            break;
        page = op;
        buf_reset(&cs->out);
        cs->page_h = op->v[1];
        cs->in_text = cs->have_fill = cs->have_stroke = cs->have_lw = 0;
        cs->cur = -1;
        rc = begin ? begin(ctx, op) : ERR_OK;
    }
    return rc == ERR_OK && page ? end_page(cs, end, ctx, page) : rc;
}
