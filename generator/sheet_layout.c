/* sheet_layout -- the layout kit of the sheets (see sheet_layout.h).
 *
 * All text goes through sheet_cell() or sheet_para(), which measure,
 * shrink, wrap or cut and record what they drew in the stats; nothing
 * here knows a template or a sheet's data: the sheets pass the texts and
 * colours, the kit the drawing that is the same for both.  Every drawing
 * call checks K->drawing, so a layout can run once only to count pages.
 */
#include "sheet_layout.h"
#include "archive_docref.h"
#include "err.h"
#include "font.h"
#include "fsx.h"
#include "mem.h"
#include "pdf.h"
#include "sheet_qr.h"
#include "text.h"
#include "tmpl_sheet.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#ifndef KQ_VERSION
#define KQ_VERSION "0"
#endif

#define X0 SHEET_X0
#define X1 SHEET_X1
#define CW SHEET_CW
#define FOOT_Y SHEET_FOOT_Y

/* ---- the state ---------------------------------------------------------- */

int sheet_layout_init(struct sheet_layout *K, const struct font *f,
                      const char *kind, const char *id,
                      const struct sheet_hooks *hooks, void *owner,
                      struct err *e)
{
    int cap = 0, xh = 0;

    memset(K, 0, sizeof *K);
    K->font = f;
    K->e = e;
    K->kind = kind;
    K->id = id;
    K->hooks = hooks;
    K->owner = owner;
    K->drawing = 1;
    buf_init(&K->scratch, SHEET_SCRATCH_MAX);
    font_heights(f, &cap, &xh);
    K->cap = cap > 0 ? cap / 1000.0 : 0.72;
    return pdf_new(&K->pdf, f, e);
}

void sheet_layout_free(struct sheet_layout *K)
{
    if (!K)
        return;
    buf_free(&K->scratch);
    pdf_free(K->pdf);
    K->pdf = NULL;
}

struct pdf *sheet_layout_take(struct sheet_layout *K)
{
    struct pdf *p = K->pdf;
    K->pdf = NULL;
    return p;
}

int sheet_write_pdf(struct pdf *pdf, const char *path, size_t *bytes,
                    const char *kind, const char *id, struct err *e)
{
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = pdf_render(pdf, &data, &len, e);

    if (rc)
        err_prefix(e, "%s %s: ", kind, id);
    if (!rc)
        rc = fsx_write_file(path, data, len, e);
    if (!rc && bytes)
        *bytes = len;
    mem_free(data);
    return rc;
}

static int fail(struct sheet_layout *K, int rc)
{
    return rc && K->hooks && K->hooks->fail ? K->hooks->fail(K, rc) : rc;
}

/* ---- drawing primitives ------------------------------------------------- */

int sheet_fill(struct sheet_layout *K, double x, double y, double w,
               double h, uint32_t rgb)
{
    return K->drawing ? pdf_fill_rect(K->pdf, x, y, w, h, rgb, K->e)
                      : ERR_OK;
}

int sheet_stroke(struct sheet_layout *K, double x, double y, double w,
                 double h, double lw, uint32_t rgb)
{
    return K->drawing ? pdf_stroke_rect(K->pdf, x, y, w, h, lw, rgb, K->e)
                      : ERR_OK;
}

int sheet_line(struct sheet_layout *K, double x1, double y1, double x2,
               double y2, double lw, uint32_t rgb)
{
    return K->drawing ? pdf_line(K->pdf, x1, y1, x2, y2, lw, rgb, K->e)
                      : ERR_OK;
}

double sheet_width(const struct sheet_layout *K, const char *s, double size)
{
    return pdf_text_width(K->pdf, s, strlen(s), size);
}

double sheet_measure_width(void *ctx, const char *s, size_t len)
{
    const struct sheet_measure *c = ctx;
    return pdf_text_width(c->pdf, s, len, c->size);
}

/* ---- text --------------------------------------------------------------- */

/* Draw one measured run and record it: avail is its cell's width. */
static int run(struct sheet_layout *K, double x, double base, double size,
               uint32_t rgb, const char *s, size_t len, double avail)
{
    if (!K->drawing)
        return ERR_OK;
    if (K->st) {
        double w = pdf_text_width(K->pdf, s, len, size);
        K->st->texts++;
        if (K->st->texts == 1 || w - avail > K->st->worst_overflow)
            K->st->worst_overflow = w - avail;
        if (K->st->min_size == 0 || size < K->st->min_size)
            K->st->min_size = size;
    }
    return fail(K, pdf_text(K->pdf, x, base, size, rgb, s, len, K->e));
}

static double align_x(double x, double w, double tw, enum sheet_align al)
{
    return al == SHEET_LEFT ? x : al == SHEET_CENTER ? x + (w - tw) / 2
                                                     : x + w - tw;
}

/* The longest prefix of s that fits w with "…" after it, at size. */
static int cut(struct sheet_layout *K, double x, double y, double w,
               double h, double size, uint32_t rgb, enum sheet_align al,
               const char *s, size_t len)
{
    static const char ell[] = "\xE2\x80\xA6";   /* … */
    struct buf c;
    size_t keep = 0, k;
    uint32_t cp;
    double ew = pdf_text_width(K->pdf, ell, 3, size), tw;
    int rc;

    while (keep < len && (k = text_utf8_decode(s + keep, len - keep, &cp)) &&
           pdf_text_width(K->pdf, s, keep + k, size) + ew <= w)
        keep += k;
    buf_init(&c, len + 4);
    if ((rc = buf_append(&c, s, keep)) || (rc = buf_append(&c, ell, 3))) {
        buf_free(&c);
        return err_set(K->e, rc, "%s %s: out of memory", K->kind, K->id);
    }
    if (K->st)
        K->st->cut++;
    tw = pdf_text_width(K->pdf, c.p, c.len, size);
    rc = run(K, align_x(x, w, tw, al), y + (h + K->cap * size) / 2, size,
             rgb, c.p, c.len, w);
    buf_free(&c);
    return rc;
}

/* Wrap s into the box at the largest size (from size down to
 * SHEET_TINY_SIZE) whose lines fit its height; else cut it.  Lines break
 * one em short of w, so a hanging closing mark stays inside. */
static int wrap(struct sheet_layout *K, double x, double y, double w,
                double h, double size, uint32_t rgb, enum sheet_align al,
                const char *s, size_t len)
{
    struct text_line ln[8];
    size_t n;
    int rc;

    for (double sz = floor(size * 2) / 2; sz >= SHEET_TINY_SIZE; sz -= 0.5) {
        struct sheet_measure c = {K->pdf, sz};
        double lead = sz * 1.18, base;
        if (w - sz <= 0)
            continue;
        if ((rc = text_break(s, len, w - sz, sheet_measure_width, &c, ln, 8,
                             &n, K->e)))
            return fail(K, rc);
        if (n > 8 || (double)n * lead > h + 0.01)
            continue;
        base = y + (h - n * lead) / 2 + lead - (lead - K->cap * sz) / 2;
        if (K->st)
            K->st->wrapped++;
        for (size_t i = 0; i < n; i++, base += lead)
            if ((rc = run(K, align_x(x, w, ln[i].width, al), base, sz, rgb,
                          s + ln[i].off, ln[i].len, w)))
                return rc;
        return ERR_OK;
    }
    return cut(K, x, y, w, h, SHEET_TINY_SIZE, rgb, al, s, len);
}

int sheet_cell(struct sheet_layout *K, double x, double y, double w,
               double h, double size, uint32_t rgb, enum sheet_align al,
               const char *s)
{
    size_t len = strlen(s);
    double tw;

    if (!len || w <= 0 || !K->drawing)
        return ERR_OK;
    tw = pdf_text_width(K->pdf, s, len, size);
    if (tw > w) {
        double s2 = floor(size * w / tw * 10) / 10;
        if (s2 < SHEET_MIN_SIZE)
            return K->wrap ? wrap(K, x, y, w, h, size, rgb, al, s, len)
                           : cut(K, x, y, w, h, SHEET_MIN_SIZE, rgb, al, s,
                                 len);
        size = s2;
        tw = pdf_text_width(K->pdf, s, len, size);
        if (K->st)
            K->st->shrunk++;
    }
    return run(K, align_x(x, w, tw, al), y + (h + K->cap * size) / 2, size,
               rgb, s, len, w);
}

int sheet_para_lines(struct sheet_layout *K, const char *s, double w,
                     double size, size_t *n)
{
    struct sheet_measure c = {K->pdf, size};
    return fail(K, text_break(s, strlen(s), w - size, sheet_measure_width, &c,
                              NULL, 0, n, K->e));
}

int sheet_para(struct sheet_layout *K, double x, double base, double w,
               double size, double lead, uint32_t rgb, const char *s,
               size_t max)
{
    struct text_line ln[16];
    struct sheet_measure c = {K->pdf, size};
    size_t n;
    int rc;

    if (!K->drawing)
        return ERR_OK;
    if (max > 16)
        max = 16;
    if ((rc = text_break(s, strlen(s), w - size, sheet_measure_width, &c, ln,
                         max, &n, K->e)))
        return fail(K, rc);
    for (size_t i = 0; i < n && i < max && !rc; i++, base += lead)
        rc = run(K, x, base, size, rgb, s + ln[i].off, ln[i].len, w);
    return rc;
}

const char *sheet_format(struct sheet_layout *K, struct buf *b,
                         const char *pattern, const char *const *names,
                         const char *const *values, size_t n)
{
    buf_reset(b);
    if (tmpl_format(b, pattern, names, values, n, K->e)) {
        fail(K, K->e->code);
        return NULL;
    }
    return buf_str(b);
}

/* ---- pages -------------------------------------------------------------- */

int sheet_flush(struct sheet_layout *K)
{
    int rc;

    if (!K->sink || K->chunk_pages == 0)
        return ERR_OK;
    if ((rc = K->sink(K->sink_ctx, K->pdf, K->e)))
        return rc;
    pdf_free(K->pdf);
    K->pdf = NULL;
    K->chunk_pages = 0;
    return pdf_new(&K->pdf, K->font, K->e);
}

void sheet_layout_page_code(struct sheet_layout *K, const char *qr_text)
{
    struct docref r;

    K->page_code = qr_text && archive_docref_parse(qr_text, strlen(qr_text),
                                                   &r) &&
                           r.registry[0] && !r.page
                       ? qr_text
                       : NULL;
}

int sheet_box(struct sheet_layout *K, const char *name, int page, double x0,
              double y0, double x1, double y1)
{
    struct sheet_box *b;

    if (!K->drawing || !K->st)
        return ERR_OK;
    if (K->st->nboxes >= SHEET_BOX_MAX || strlen(name) >= SHEET_BOX_NAME_MAX)
        return err_set(K->e, ERR_INTERNAL, "%s %s: box %s: more than %d",
                       K->kind, K->id, name, SHEET_BOX_MAX);
    b = &K->st->box[K->st->nboxes++];
    *b = (struct sheet_box){.page = page, .x0 = x0, .y0 = y0, .x1 = x1,
                            .y1 = y1};
    snprintf(b->name, sizeof b->name, "%s", name);
    return ERR_OK;
}

/* The code at the top right of the page (see SHEET_PAGE_QR_TOP). */
static int page_code(struct sheet_layout *K)
{
    char text[ARCHIVE_DOCREF_TEXT_MAX];
    struct sheet_qr q;
    double x = X1 - SHEET_PAGE_QR_SIDE;
    int rc;

    if (!archive_docref_format_page(K->page_code, K->page, K->pages, 'A',
                                    text))
        return err_set(K->e, ERR_INTERNAL, "%s %s: page %d of %d: no page "
                       "code for \"%s\"", K->kind, K->id, K->page, K->pages,
                       K->page_code);
    if ((rc = sheet_qr_encode_page(text, &q, K->e)))
        return rc;
    if (q.width * SHEET_QR_PAGE_MODULE > SHEET_PAGE_QR_SIDE)
        rc = err_set(K->e, ERR_INTERNAL, "%s %s: page code of %d modules",
                     K->kind, K->id, q.width);
    if (!rc)
        rc = sheet_qr_draw(&q, K->pdf, x, SHEET_PAGE_QR_TOP,
                           SHEET_QR_PAGE_MODULE, 0x000000, NULL, K->e);
    sheet_qr_free(&q);
    if (!rc && K->page == 1)
        rc = sheet_box(K, "qr-a", 0, x, SHEET_PAGE_QR_TOP, X1,
                       SHEET_PAGE_QR_TOP + SHEET_PAGE_QR_SIDE);
    return rc;
}

int sheet_new_page(struct sheet_layout *K)
{
    int rc;

    K->page++;
    if (K->st)
        K->st->pages = K->page;
    if (!K->drawing)
        return ERR_OK;
    if (K->sink && K->chunk_pages >= SHEET_CHUNK && (rc = sheet_flush(K)))
        return rc;
    K->chunk_pages++;
    if ((rc = pdf_page(K->pdf, PDF_A4_WIDTH, PDF_A4_HEIGHT, K->e)))
        return rc;
    if (K->page_code && K->page_code[0] && (rc = page_code(K)))
        return rc;
    if (!K->hooks)
        return ERR_OK;
    if (K->hooks->footer && (rc = K->hooks->footer(K)))
        return rc;
    return K->hooks->continued && K->page > 1 ? K->hooks->continued(K)
                                              : ERR_OK;
}

int sheet_footer(struct sheet_layout *K, const struct sheet_footer *f)
{
    static const char *const pn[] = {"page", "pages"};
    static const char *const sn[] = {"company", "hash"};
    static const char *const dn[] = {"no"};
    char page[16], pages[16];
    const char *pv[] = {page, pages}, *sv[] = {f->company, f->hash};
    const char *dv[] = {f->no};
    const char *s;
    double sx = X0, sw = CW - (f->page_w + 5);
    int rc;

    snprintf(page, sizeof page, "%d", K->pg ? K->pg->first + K->page - 1
                                            : K->page);
    snprintf(pages, sizeof pages, "%d", K->pg ? K->pg->total : K->pages);
    if ((rc = sheet_line(K, X0, FOOT_Y, X1, FOOT_Y, 0.5, f->rule)))
        return rc;
    /* the document number: a signed paper copy leads back to its registry
     * entry */
    if (f->doc_no) {
        if (!(s = sheet_format(K, &K->scratch, f->doc_no, dn, dv, 1)) ||
            (rc = sheet_cell(K, X0, FOOT_Y + 3, 165, 12, 8, f->muted,
                             SHEET_LEFT, s)))
            return s ? rc : K->e->code;
        sx = X0 + 170;
        sw = CW - (170 + f->page_w + 5);
    }
    if (!(s = sheet_format(K, &K->scratch, f->source, sn, sv, 2)) ||
        (rc = sheet_cell(K, sx, FOOT_Y + 3, sw, 12, 8, f->muted,
                         f->doc_no ? SHEET_CENTER : SHEET_LEFT, s)))
        return s ? rc : K->e->code;
    if (!(s = sheet_format(K, &K->scratch, f->page, pn, pv, 2)))
        return K->e->code;
    return sheet_cell(K, X1 - f->page_w, FOOT_Y + 3, f->page_w, 12, 8,
                      f->muted, SHEET_RIGHT, s);
}

int sheet_continued(struct sheet_layout *K, const char *text, double y,
                    uint32_t text_rgb, uint32_t rule_rgb)
{
    double x1 = SHEET_PAGE_QR_LEFT;     /* clear of the page code */
    int rc = sheet_cell(K, X0, y, x1 - X0, 16, 10, text_rgb, SHEET_LEFT,
                        text);
    return rc ? rc : sheet_line(K, X0, y + 20, x1, y + 20, 0.5, rule_rgb);
}

int sheet_title(struct sheet_layout *K, const char *company,
                uint32_t company_rgb, const char *title, uint32_t title_rgb,
                double inset, double y, double h)
{
    double ci = X1 - SHEET_PAGE_QR_LEFT;    /* clear of the page code */
    int rc = sheet_cell(K, X0 + ci, 37, CW - 2 * ci, 14, 10, company_rgb,
                        SHEET_CENTER, company);
    if (inset < ci)
        inset = ci;
    return rc ? rc : sheet_cell(K, X0 + inset, y, CW - 2 * inset, h, 20,
                                title_rgb, SHEET_CENTER, title);
}

int sheet_set_info(struct sheet_layout *K, const struct sheet_info *in)
{
    struct pdf_info info;
    struct buf title;
    char keywords[64];
    int rc;

    buf_init(&title, SHEET_SCRATCH_MAX);
    if ((rc = buf_printf(&title, "%s %s %s %s", in->title, in->period,
                         in->id, in->name))) {
        buf_free(&title);
        return err_set(K->e, rc, "%s %s: title too long", K->kind, K->id);
    }
    memset(&info, 0, sizeof info);
    info.title = buf_str(&title);
    info.author = in->author;
    info.subject = in->subject;
    info.creator = "keqing " KQ_VERSION;
    if (in->registry && in->registry[0]) {
        snprintf(keywords, sizeof keywords, "keqing registry %s",
                 in->registry);
        info.keywords = keywords;
    }
    info.has_date = 1;
    info.day = in->day;
    rc = fail(K, pdf_set_info(K->pdf, &info, K->e));
    buf_free(&title);
    return rc;
}

/* ---- blocks ------------------------------------------------------------- */

int sheet_check_text(const struct font *f, const char *file,
                     const char *what, const char *s, struct err *e)
{
    char where[300];

    snprintf(where, sizeof where, "%s: %s", file, what);
    return font_check_text(f, s, strlen(s), where, e);
}

int sheet_info_cell(struct sheet_layout *K, const struct sheet_info_style *s,
                    double x, double y, double w, const char *label,
                    uint32_t label_rgb, const char *value)
{
    double h = SHEET_INFO_ROW;
    int rc = sheet_fill(K, x, y, s->box_w, h, s->box);

    if (!rc)
        rc = sheet_cell(K, x + s->pad, y, s->box_w - 2 * s->pad + 2, h, 9,
                        label_rgb, SHEET_LEFT, label);
    if (!rc)
        rc = sheet_cell(K, x + (s->box_w + s->pad), y,
                        w - (s->box_w + s->pad + 4), h, 10, s->value,
                        SHEET_LEFT, value);
    return rc;
}

int sheet_qr(struct sheet_layout *K, const char *text, double y,
             uint32_t rgb, double *room)
{
    struct sheet_qr q;
    int rc;

    *room = 0;
    if (!text || !text[0])
        return ERR_OK;
    /* encoded once, for its size and its drawing */
    if ((rc = sheet_qr_encode(text, &q, K->e)))
        return rc;
    *room = SHEET_QR_SIDE + SHEET_QR_QUIET * SHEET_QR_SIDE / q.width;
    if (K->drawing)
        rc = sheet_qr_draw(&q, K->pdf, X1 - SHEET_QR_SIDE, y,
                           SHEET_QR_SIDE / q.width, rgb, NULL, K->e);
    sheet_qr_free(&q);
    return rc ? rc : sheet_box(K, "qr-s", K->page, X1 - SHEET_QR_SIDE, y, X1,
                               y + SHEET_QR_SIDE);
}

/* ---- the trend chart ---------------------------------------------------- */

int sheet_gridline(struct sheet_layout *K, const struct sheet_gridline *g,
                   double y, const char *label)
{
    int rc = sheet_line(K, g->x0, y, g->x1, y, g->lw, g->rgb);
    return rc ? rc : sheet_cell(K, g->label_x, y - 5, g->label_w, 10,
                                g->size, g->label_rgb, SHEET_RIGHT, label);
}

int sheet_trend(struct sheet_layout *K, const struct sheet_trend *tr,
                const struct sheet_trend_point *p, int n)
{
    double lx = 0, ly = 0;
    int rc = ERR_OK, have_last = 0;

    for (int i = 0; i < n && !rc; i++) {
        int slot = tr->slots - n + i, cur = i == n - 1;
        double cx = tr->x0 + tr->slot * (slot + 0.5), cy, v;
        double m = cur ? tr->mark_cur : tr->mark;
        rc = sheet_cell(K, cx - tr->slot / 2, tr->bottom + 2, tr->slot, 12,
                        tr->label_size, tr->label_rgb, SHEET_CENTER,
                        p[i].label);
        if (rc || !p[i].has_value) {
            have_last = 0;
            continue;
        }
        v = p[i].value < tr->lo ? tr->lo : p[i].value > 100 ? 100
                                                            : p[i].value;
        cy = tr->bottom - (tr->bottom - tr->top) * (v - tr->lo) /
                              (100 - tr->lo);
        if (have_last)
            rc = sheet_line(K, lx, ly, cx, cy, tr->line_w, tr->rgb);
        if (!rc)
            rc = sheet_fill(K, cx - m, cy - m, 2 * m, 2 * m, tr->rgb);
        /* the value inside the chart, on no gridline */
        if (!rc)
            rc = sheet_cell(K, cx - tr->slot / 2,
                            sheet_label_y(cy, tr->value_h, tr->grid,
                                          tr->ngrid, tr->value_top,
                                          tr->bottom + 1),
                            tr->slot, tr->value_h,
                            cur ? tr->value_size_cur : tr->value_size,
                            tr->value_rgb, SHEET_CENTER, p[i].text);
        lx = cx;
        ly = cy;
        have_last = 1;
    }
    return rc;
}

double sheet_label_y(double cy, double h, const double *grid, int n,
                     double top, double bottom)
{
    const double cand[4] = {cy - 4 - h, cy + 4, cy - 8 - h, cy + 8};

    for (int c = 0; c < 4; c++) {
        double y0 = cand[c], y1 = cand[c] + h;
        int clear = y0 >= top && y1 <= bottom;
        for (int g = 0; g < n && clear; g++)
            clear = grid[g] < y0 - 1 || grid[g] > y1 + 1;
        if (clear)
            return y0;
    }
    return cand[0];
}
