/* sheet_person -- laying out a person's assessment sheet (see
 * sheet_person.h for the layout, sheet_data.h for the data).
 *
 * Two passes: plan() measures every block (the table, the N/A note, the
 * charts, the comment, the sign-off) and gives each a page and a y, so
 * the page count is known before the first footer is drawn; the draw_*
 * functions then draw them.  All text goes through cell() or para(),
 * which measure, shrink, wrap and record what they drew in the stats.
 */
#include "sheet_person.h"
#include "buf.h"
#include "sheet_comment.h"
#include "date.h"
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

/* ---- geometry (points from the top-left corner) -------------------------- */

#define X0 40.0
#define X1 555.0
#define CW (X1 - X0)
#define FOOT_Y 800.0            /* the footer rule */
#define FLOW_END (FOOT_Y - 6)   /* blocks end above this */
#define PAGE2_TOP 70.0          /* first block on a continuation page */
#define GRID_TOP 92.0
#define INFO_ROW 20.0
#define HEAD_ROW 20.0
#define ROW 18.0
#define TOTAL_ROW 22.0
#define CHART_H 88.0
#define COMMENT_H 56.0
#define COMMENT_LINES 3
#define COMMENT_LEAD 13.0
#define SIGN_H 46.0
#define QR_SIDE 40.0            /* the QR code in the sign-off: a version-2
                                   symbol of 1.6 pt modules, its 6.4 pt
                                   quiet zone inside SIGN_H and GAP */
#define GAP 7.0
#define MIN_SIZE 6.0            /* shrink no further on one line */
#define TINY_SIZE 4.5           /* wrap no smaller */
#define SCRATCH_MAX 8192

/* Columns of the indicator table: 指标 目标 实际 达成率 权重 得分. */
static const double col_x[7] = {40, 255, 300, 380, 430, 485, 555};

/* First indicator of groups A, B, C, and the end. */
static const int group_first[4] = {ROLES_A1, ROLES_B1, ROLES_C1, ROLES_NIND};

enum align { AL_LEFT, AL_CENTER, AL_RIGHT };
enum block { B_NOTE, B_CHARTS, B_COMMENT, B_SIGN, B_N };

struct lay {
    struct pdf *pdf;
    const struct tmpl *t;
    const struct font *font;
    const struct sheet_data *d;
    struct sheet_stats *st;
    struct err *e;
    double cap;             /* cap height per point of size */
    double factor;          /* 100 / sum of applicable weights */
    int mgr;                /* show own and team rows */
    int page, pages;
    double table_top;
    int has_block[B_N], block_page[B_N];
    double block_y[B_N], block_h[B_N];
    size_t note_lines, ack_lines;
    struct buf b;           /* scratch for formatted text */
    char doc_no[32];
    const struct sheet_paging *pg;  /* numbering inside a packet, or NULL */
};

/* ---- shared helpers (sheet_data.h) ----------------------------------------- */

void sheet_data_free(struct sheet_data *d)
{
    if (!d)
        return;
    mem_free(d->person_id);
    mem_free(d->name);
    mem_free(d->role);
    mem_free(d->role_label);
    mem_free(d->region_id);
    mem_free(d->region_name);
    mem_free(d->manager_id);
    mem_free(d->manager_name);
    mem_free(d->grade);
    mem_free(d->company);
    memset(d, 0, sizeof *d);
}

/* Drop trailing zeros (and a trailing point) of a decimal number. */
static void trim_zeros(char *s)
{
    size_t n;
    if (!strchr(s, '.'))
        return;
    n = strlen(s);
    while (n && s[n - 1] == '0')
        s[--n] = '\0';
    if (n && s[n - 1] == '.')
        s[--n] = '\0';
}

void sheet_fmt_num(double v, char out[32])
{
    snprintf(out, 32, "%.2f", v);
    trim_zeros(out);
    if (!strcmp(out, "-0"))
        out[0] = '0', out[1] = '\0';
}

void sheet_fmt_pct(double rate, int dec, int trim, char out[32])
{
    dec = dec < 0 ? 0 : dec > 2 ? 2 : dec;
    snprintf(out, 32, "%.*f", dec, rate * 100.0);
    if (trim)
        trim_zeros(out);
    if (!strncmp(out, "-0", 2) && strspn(out + 2, ".0") == strlen(out + 2))
        memmove(out, out + 1, strlen(out));
    snprintf(out + strlen(out), 32 - strlen(out), "%%");
}

void sheet_fmt_actual(const struct sheet_ind *in, const char *unit,
                      char *out, size_t n)
{
    char num[32], den[32];
    sheet_fmt_num(in->num, num);
    sheet_fmt_num(in->den, den);
    snprintf(out, n, "%s/%s%s", num, den, unit ? unit : "");
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

void sheet_doc_number(const struct sheet_data *d, char out[32])
{
    if (d->doc_no[0]) {         /* the registry's number (render.c) */
        snprintf(out, 32, "%s", d->doc_no);
        return;
    }
    snprintf(out, 32, "KQ-%.4s%.2s-%06d", d->period, d->period + 5,
             d->seq % 1000000);
}

/* ---- text ------------------------------------------------------------------ */

struct wctx {
    const struct pdf *pdf;
    double size;
};

static double width_at(void *ctx, const char *s, size_t len)
{
    const struct wctx *c = ctx;
    return pdf_text_width(c->pdf, s, len, c->size);
}

static int person_fail(struct lay *L, int rc)
{
    if (rc && L->e)
        err_prefix(L->e, "person %s: ", L->d->person_id);
    return rc;
}

/* Draw one measured run and record it: avail is its cell's width. */
static int run(struct lay *L, double x, double base, double size,
               uint32_t rgb, const char *s, size_t len, double avail)
{
    double w = pdf_text_width(L->pdf, s, len, size);
    if (L->st) {
        L->st->texts++;
        if (L->st->texts == 1 || w - avail > L->st->worst_overflow)
            L->st->worst_overflow = w - avail;
        if (L->st->min_size == 0 || size < L->st->min_size)
            L->st->min_size = size;
    }
    return person_fail(L, pdf_text(L->pdf, x, base, size, rgb, s, len, L->e));
}

static double align_x(double x, double w, double tw, enum align al)
{
    return al == AL_LEFT ? x : al == AL_CENTER ? x + (w - tw) / 2
                                               : x + w - tw;
}

/* The longest prefix of s that fits w with "…" after it, at TINY_SIZE. */
static int cut(struct lay *L, double x, double y, double w, double h,
               uint32_t rgb, enum align al, const char *s, size_t len)
{
    static const char ell[] = "\xE2\x80\xA6";   /* … */
    struct buf c;
    size_t keep = 0, k;
    uint32_t cp;
    double ew = pdf_text_width(L->pdf, ell, 3, TINY_SIZE), tw;
    int rc;

    while (keep < len && (k = text_utf8_decode(s + keep, len - keep, &cp)) &&
           pdf_text_width(L->pdf, s, keep + k, TINY_SIZE) + ew <= w)
        keep += k;
    buf_init(&c, len + 4);
    if ((rc = buf_append(&c, s, keep)) || (rc = buf_append(&c, ell, 3))) {
        buf_free(&c);
        return err_set(L->e, rc, "person %s: out of memory", L->d->person_id);
    }
    if (L->st)
        L->st->cut++;
    tw = pdf_text_width(L->pdf, c.p, c.len, TINY_SIZE);
    rc = run(L, align_x(x, w, tw, al), y + (h + L->cap * TINY_SIZE) / 2,
             TINY_SIZE, rgb, c.p, c.len, w);
    buf_free(&c);
    return rc;
}

/* Wrap s into the box at the largest size (from size down to TINY_SIZE)
 * whose lines fit its height; else cut it.  Lines break one em short of
 * w, so a hanging closing mark stays inside. */
static int wrap(struct lay *L, double x, double y, double w, double h,
                double size, uint32_t rgb, enum align al, const char *s,
                size_t len)
{
    struct text_line ln[8];
    size_t n;
    int rc;

    for (double sz = floor(size * 2) / 2; sz >= TINY_SIZE; sz -= 0.5) {
        struct wctx c = {L->pdf, sz};
        double lead = sz * 1.18, base;
        if (w - sz <= 0)
            continue;
        if ((rc = text_break(s, len, w - sz, width_at, &c, ln, 8, &n, L->e)))
            return person_fail(L, rc);
        if (n > 8 || (double)n * lead > h + 0.01)
            continue;
        base = y + (h - n * lead) / 2 + lead - (lead - L->cap * sz) / 2;
        if (L->st)
            L->st->wrapped++;
        for (size_t i = 0; i < n; i++, base += lead)
            if ((rc = run(L, align_x(x, w, ln[i].width, al), base, sz, rgb,
                          s + ln[i].off, ln[i].len, w)))
                return rc;
        return ERR_OK;
    }
    return cut(L, x, y, w, h, rgb, al, s, len);
}

/* Draw s inside the box (x, y, w, h), vertically centred: at size when
 * it fits, else shrunk down to MIN_SIZE, else wrapped, else cut. */
static int cell(struct lay *L, double x, double y, double w, double h,
                double size, uint32_t rgb, enum align al, const char *s)
{
    size_t len = strlen(s);
    double tw;

    if (!len || w <= 0)
        return ERR_OK;
    tw = pdf_text_width(L->pdf, s, len, size);
    if (tw > w) {
        double s2 = floor(size * w / tw * 10) / 10;
        if (s2 < MIN_SIZE)
            return wrap(L, x, y, w, h, size, rgb, al, s, len);
        size = s2;
        tw = pdf_text_width(L->pdf, s, len, size);
        if (L->st)
            L->st->shrunk++;
    }
    return run(L, align_x(x, w, tw, al), y + (h + L->cap * size) / 2, size,
               rgb, s, len, w);
}

/* Lines s needs at width w and size (breaking one em short). */
static int para_count(struct lay *L, const char *s, double w, double size,
                      size_t *n)
{
    struct wctx c = {L->pdf, size};
    return person_fail(L, text_break(s, strlen(s), w - size, width_at, &c,
                                     NULL, 0, n, L->e));
}

/* Draw s as a paragraph: first baseline at base, at most max lines (the
 * caller reserved their height with para_count). */
static int para(struct lay *L, double x, double base, double w, double size,
                double lead, uint32_t rgb, const char *s, size_t max)
{
    struct text_line ln[16];
    struct wctx c = {L->pdf, size};
    size_t n, len = strlen(s);
    int rc;

    if (max > 16)
        max = 16;
    if ((rc = text_break(s, len, w - size, width_at, &c, ln, max, &n, L->e)))
        return person_fail(L, rc);
    for (size_t i = 0; i < n && i < max && !rc; i++, base += lead)
        rc = run(L, x, base, size, rgb, s + ln[i].off, ln[i].len, w);
    return rc;
}

/* Format template text k into the scratch buffer; NULL on error. */
static const char *fmt(struct lay *L, enum tmpl_key k,
                       const char *const *names, const char *const *values,
                       size_t n)
{
    buf_reset(&L->b);
    if (tmpl_format(&L->b, L->t->text[k], names, values, n, L->e)) {
        person_fail(L, L->e->code);
        return NULL;
    }
    return buf_str(&L->b);
}

/* ---- figures ---------------------------------------------------------------- */

static double eff_weight(const struct lay *L, const struct sheet_ind *in)
{
    return in->applicable ? in->weight * L->factor : 0;
}

/* A weight as shown: as in the template when nothing was redistributed
 * (8, 12.5), else with two decimals (9.68). */
static void fmt_weight(const struct lay *L, double w, char out[32])
{
    if (fabs(L->factor - 1) < 1e-12)
        sheet_fmt_num(w, out);
    else
        snprintf(out, 32, "%.2f", w);
}

static double eff_score(const struct lay *L, const struct sheet_ind *in)
{
    return in->applicable ? in->score * L->factor : 0;
}

static int group_of(int ind)
{
    return ind < ROLES_B1 ? 0 : ind < ROLES_C1 ? 1 : 2;
}

/* Number of the person's indicators in group g, its (redistributed)
 * weight and score, and how many of them apply. */
static int group_sum(const struct lay *L, int g, double *w, double *s,
                     int *appl)
{
    int n = 0;
    *w = *s = 0;
    *appl = 0;
    for (int i = 0; i < L->d->nind; i++) {
        const struct sheet_ind *in = &L->d->ind[i];
        if (in->ind < group_first[g] || in->ind >= group_first[g + 1])
            continue;
        n++;
        *appl += in->applicable;
        *w += eff_weight(L, in);
        *s += eff_score(L, in);
    }
    return n;
}

static int any_na(const struct sheet_data *d)
{
    for (int i = 0; i < d->nind; i++)
        if (!d->ind[i].applicable)
            return 1;
    return 0;
}

/* ---- planning --------------------------------------------------------------- */

static double table_height(const struct lay *L)
{
    double h = HEAD_ROW + TOTAL_ROW + (L->mgr ? 2 * ROW : 0);
    for (int g = 0; g < 3; g++) {
        double w, s;
        int appl, n = group_sum(L, g, &w, &s, &appl);
        if (n)
            h += ROW * (n + 1);
    }
    return h;
}

/* 1 when the person joined after the period's first day: the sheet
 * marks the days covered, as it does for a leaver. */
static int hired_in(const struct sheet_data *d)
{
    return d->hired != SHEET_NODATE && d->hired > d->period_start &&
           d->hired <= d->period_end;
}

/* The mark of a partial period: 离职 for a leaver, else 新入职. */
static int partial(const struct sheet_data *d)
{
    return d->left || hired_in(d);
}

static enum tmpl_key partial_mark(const struct sheet_data *d)
{
    return d->left ? TMPL_LEFT_MARK : TMPL_HIRED_MARK;
}

static double info_rows(const struct sheet_data *d)
{
    return partial(d) ? 3 : 2;
}

/* The acknowledgment and appeal line (scratch buffer); NULL on error. */
static const char *ack_text(struct lay *L)
{
    static const char *const names[] = {"days", "to"};
    char days[16];
    const char *values[] = {days, L->t->appeal_to};
    struct buf tmp;
    const char *s;
    int rc;

    snprintf(days, sizeof days, "%d", L->t->appeal_days);
    if (!(s = fmt(L, TMPL_APPEAL, names, values, 2)))
        return NULL;
    buf_init(&tmp, SCRATCH_MAX);
    rc = buf_puts(&tmp, L->t->text[TMPL_ACKNOWLEDGMENT]);
    if (!rc)
        rc = buf_puts(&tmp, s);
    buf_reset(&L->b);
    if (!rc)
        rc = buf_append(&L->b, tmp.p, tmp.len);
    buf_free(&tmp);
    if (rc) {
        err_set(L->e, rc, "person %s: acknowledgment text too long",
                L->d->person_id);
        return NULL;
    }
    return buf_str(&L->b);
}

/* Use the free space of a one-page sheet: the blocks move apart by up to
 * 8 pt each, and the sign-off sits at the bottom, as on a paper form.
 * (On a continuation page the blocks stay at the top.) */
static void spread(struct lay *L, double slack)
{
    double off = 0;
    int nb = 0;
    if (slack <= 0 || L->pages > 1)
        return;
    for (int b = 0; b < B_SIGN; b++)
        nb += L->has_block[b] && L->block_page[b] == L->pages;
    for (int b = 0; b < B_N; b++) {
        if (!L->has_block[b] || L->block_page[b] != L->pages)
            continue;
        if (b == B_SIGN)
            off = slack;
        else if (b != B_NOTE)
            off += fmin(8, slack / (nb + 1));
        L->block_y[b] += off;
    }
}

/* Give every block after the table a page and a y. */
static int plan(struct lay *L)
{
    const char *ack;
    double y;
    int rc, page = 1;

    L->table_top = GRID_TOP + INFO_ROW * info_rows(L->d) + 10;
    y = L->table_top + table_height(L);
    L->has_block[B_NOTE] = any_na(L->d);
    L->has_block[B_CHARTS] = L->has_block[B_COMMENT] = 1;
    L->has_block[B_SIGN] = 1;
    if (L->has_block[B_NOTE] &&
        (rc = para_count(L, L->t->text[TMPL_NA_NOTE], CW, 8, &L->note_lines)))
        return rc;
    if (!(ack = ack_text(L)))
        return L->e->code;
    if ((rc = para_count(L, ack, CW, 9, &L->ack_lines)))
        return rc;
    if (L->note_lines > 4)
        L->note_lines = 4;
    if (L->ack_lines > 3)
        L->ack_lines = 3;
    L->block_h[B_NOTE] = 4 + 11.0 * (double)L->note_lines;
    L->block_h[B_CHARTS] = CHART_H;
    L->block_h[B_COMMENT] = COMMENT_H;
    L->block_h[B_SIGN] = SIGN_H + 12.0 * (double)L->ack_lines;
    for (int b = 0; b < B_N; b++) {
        if (!L->has_block[b])
            continue;
        y += b == B_NOTE ? 0 : GAP;
        if (y + L->block_h[b] > FLOW_END) {
            page++;
            y = PAGE2_TOP;
        }
        L->block_page[b] = page;
        L->block_y[b] = y;
        y += L->block_h[b];
    }
    L->pages = page;
    spread(L, FLOW_END - y);
    return ERR_OK;
}

/* ---- page furniture ----------------------------------------------------------- */

static int draw_footer(struct lay *L)
{
    static const char *const pn[] = {"page", "pages"};
    static const char *const sn[] = {"company", "hash"};
    static const char *const dn[] = {"no"};
    const struct tmpl *t = L->t;
    uint32_t c = t->color[TMPL_COL_MUTED];
    char page[16], pages[16];
    const char *pv[] = {page, pages}, *dv[] = {L->doc_no};
    const char *company = t->company[0] ? t->company : L->d->company;
    const char *sv[] = {company, L->d->source};
    const char *s;
    int rc;

    snprintf(page, sizeof page, "%d", L->pg ? L->pg->first + L->page - 1
                                            : L->page);
    snprintf(pages, sizeof pages, "%d", L->pg ? L->pg->total : L->pages);
    if ((rc = pdf_line(L->pdf, X0, FOOT_Y, X1, FOOT_Y, 0.5,
                       t->color[TMPL_COL_LINE], L->e)))
        return rc;
    if (!(s = fmt(L, TMPL_DOC_NO, dn, dv, 1)) ||
        (rc = cell(L, X0, FOOT_Y + 3, 165, 12, 8, c, AL_LEFT, s)))
        return s ? rc : L->e->code;
    if (!(s = fmt(L, TMPL_SOURCE, sn, sv, 2)) ||
        (rc = cell(L, X0 + 170, FOOT_Y + 3, CW - 290, 12, 8, c, AL_CENTER, s)))
        return s ? rc : L->e->code;
    if (!(s = fmt(L, TMPL_PAGE, pn, pv, 2)))
        return L->e->code;
    return cell(L, X1 - 115, FOOT_Y + 3, 115, 12, 8, c, AL_RIGHT, s);
}

static int new_page(struct lay *L)
{
    int rc = pdf_page(L->pdf, PDF_A4_WIDTH, PDF_A4_HEIGHT, L->e);
    if (rc)
        return rc;
    L->page++;
    if (L->st)
        L->st->pages = L->page;
    return draw_footer(L);
}

/* The short header of a continuation page. */
static int draw_continued(struct lay *L)
{
    const struct tmpl *t = L->t;
    struct buf h;
    int rc;

    buf_init(&h, SCRATCH_MAX);
    rc = buf_printf(&h, "%s%s　%s　%s　%s", t->text[TMPL_TITLE],
                    t->text[TMPL_CONTINUED], L->d->name, L->d->person_id,
                    L->d->period);
    if (rc)
        rc = err_set(L->e, rc, "person %s: header too long", L->d->person_id);
    if (!rc)
        rc = cell(L, X0, 36, CW, 16, 10, t->color[TMPL_COL_TEXT], AL_LEFT,
                  buf_str(&h));
    if (!rc)
        rc = pdf_line(L->pdf, X0, 56, X1, 56, 0.5, t->color[TMPL_COL_LINE],
                      L->e);
    buf_free(&h);
    return rc;
}

/* ---- header: company, title, info grid --------------------------------------- */

static int draw_title(struct lay *L)
{
    const struct tmpl *t = L->t;
    const char *company = t->company[0] ? t->company : L->d->company;
    const char *title = t->text[TMPL_TITLE];
    double tw = pdf_text_width(L->pdf, title, strlen(title), 20), mx;
    int rc;

    if ((rc = cell(L, X0, 37, CW, 14, 10, t->color[TMPL_COL_COMPANY],
                   AL_CENTER, company)) ||
        (rc = cell(L, X0 + 70, 58, CW - 140, 24, 20, t->color[TMPL_COL_TEXT],
                   AL_CENTER, title)))
        return rc;
    if (!partial(L->d))
        return ERR_OK;
    /* a stamp-like mark right of the title */
    mx = (X0 + X1) / 2 + (tw < CW - 140 ? tw : CW - 140) / 2 + 14;
    if (mx > X1 - 56)
        mx = X1 - 56;
    if ((rc = pdf_stroke_rect(L->pdf, mx, 59, 56, 22, 1.2,
                              t->color[TMPL_COL_MARK], L->e)))
        return rc;
    return cell(L, mx + 3, 59, 50, 22, 12, t->color[TMPL_COL_MARK], AL_CENTER,
                t->text[partial_mark(L->d)]);
}

/* One label/value cell of the info grid. */
static int info_cell(struct lay *L, double x, double y, double w,
                     const char *label, uint32_t label_rgb, const char *value)
{
    const struct tmpl *t = L->t;
    int rc = pdf_fill_rect(L->pdf, x, y, 54, INFO_ROW, t->color[TMPL_COL_BOX],
                           L->e);
    if (!rc)
        rc = cell(L, x + 6, y, 44, INFO_ROW, 9, label_rgb, AL_LEFT, label);
    if (!rc)
        rc = cell(L, x + 60, y, w - 64, INFO_ROW, 10, t->color[TMPL_COL_TEXT],
                  AL_LEFT, value);
    return rc;
}

static void fmt_day(int day, char out[11])
{
    if (day == SHEET_NODATE)
        snprintf(out, 11, "?");
    else
        date_format(day, out);
}

static int draw_left_row(struct lay *L, double y)
{
    static const char *const names[] = {"from", "to"};
    const struct sheet_data *d = L->d;
    char from[11], to[11];
    const char *v[] = {from, to}, *s;
    int a = d->hired != SHEET_NODATE && d->hired > d->period_start
                ? d->hired : d->period_start;
    int b = d->left_on != SHEET_NODATE && d->left_on < d->period_end
                ? d->left_on : d->period_end;

    fmt_day(a, from);
    fmt_day(b, to);
    if (!(s = fmt(L, TMPL_LEFT_PERIOD, names, v, 2)))
        return L->e->code;
    return info_cell(L, X0, y, CW, L->t->text[partial_mark(d)],
                     L->t->color[TMPL_COL_MARK], s);
}

static int draw_info(struct lay *L)
{
    static const char *const pn[] = {"year", "month"};
    const struct tmpl *t = L->t;
    const struct sheet_data *d = L->d;
    const double cw = CW / 3, rows = info_rows(d);
    uint32_t lc = t->color[TMPL_COL_LABEL], line = t->color[TMPL_COL_LINE];
    char year[8], month[8], period[128];
    const char *pv[] = {year, month}, *s;
    int rc;

    snprintf(year, sizeof year, "%.4s", d->period);
    snprintf(month, sizeof month, "%d", (d->period[5] - '0') * 10 +
             (d->period[6] - '0'));
    if (!(s = fmt(L, TMPL_PERIOD_VALUE, pn, pv, 2)))
        return L->e->code;
    snprintf(period, sizeof period, "%s", s);
    if ((rc = info_cell(L, X0, GRID_TOP, cw, t->text[TMPL_LABEL_NAME], lc,
                        d->name)) ||
        (rc = info_cell(L, X0 + cw, GRID_TOP, cw, t->text[TMPL_LABEL_ID], lc,
                        d->person_id)) ||
        (rc = info_cell(L, X0 + 2 * cw, GRID_TOP, cw,
                        t->text[TMPL_LABEL_ROLE], lc, d->role_label)) ||
        (rc = info_cell(L, X0, GRID_TOP + INFO_ROW, cw,
                        t->text[TMPL_LABEL_REGION], lc, d->region_name)) ||
        (rc = info_cell(L, X0 + cw, GRID_TOP + INFO_ROW, cw,
                        t->text[TMPL_LABEL_MANAGER], lc,
                        d->manager_name[0] ? d->manager_name : "—")) ||
        (rc = info_cell(L, X0 + 2 * cw, GRID_TOP + INFO_ROW, cw,
                        t->text[TMPL_LABEL_PERIOD], lc, period)))
        return rc;
    if (partial(d) && (rc = draw_left_row(L, GRID_TOP + 2 * INFO_ROW)))
        return rc;
    for (int r = 1; r < rows && !rc; r++)
        rc = pdf_line(L->pdf, X0, GRID_TOP + r * INFO_ROW, X1,
                      GRID_TOP + r * INFO_ROW, 0.5, line, L->e);
    for (int c = 1; c < 3 && !rc; c++)
        rc = pdf_line(L->pdf, X0 + c * cw, GRID_TOP, X0 + c * cw,
                      GRID_TOP + 2 * INFO_ROW, 0.5, line, L->e);
    if (!rc)
        rc = pdf_stroke_rect(L->pdf, X0, GRID_TOP, CW, rows * INFO_ROW, 0.8,
                             line, L->e);
    return rc;
}

/* ---- the indicator table ---------------------------------------------------------- */

/* Vertical rules of one row at the columns whose bit is set in mask
 * (bit c: the rule at col_x[c], 1..5), and the rule below it. */
static int row_rules(struct lay *L, double y, double h, unsigned mask)
{
    uint32_t c = L->t->color[TMPL_COL_LINE];
    int rc = pdf_line(L->pdf, X0, y + h, X1, y + h, 0.5, c, L->e);
    for (int k = 1; k <= 5 && !rc; k++)
        if (mask & (1u << k))
            rc = pdf_line(L->pdf, col_x[k], y, col_x[k], y + h, 0.5, c, L->e);
    return rc;
}

#define ALL_COLS 0x3Eu      /* rules at columns 1..5 */

/* Text in table column c (0..5) of the row at y. */
static int col_text(struct lay *L, int c, double y, double h, double size,
                    uint32_t rgb, const char *s)
{
    return cell(L, col_x[c] + 3, y, col_x[c + 1] - col_x[c] - 6, h, size,
                rgb, AL_CENTER, s);
}

static int draw_head_row(struct lay *L, double y)
{
    const struct tmpl *t = L->t;
    uint32_t fg = t->color[TMPL_COL_HEADER_TEXT];
    int rc = pdf_fill_rect(L->pdf, X0, y, CW, HEAD_ROW,
                           t->color[TMPL_COL_HEADER], L->e);
    for (int c = 0; c < 6 && !rc; c++)
        rc = col_text(L, c, y, HEAD_ROW, 9.5, fg, t->text[TMPL_COL_INDICATOR + c]);
    return rc;
}

static int draw_group_row(struct lay *L, int g, double y)
{
    const struct tmpl *t = L->t;
    uint32_t fg = t->color[TMPL_COL_TEXT];
    char w[32], s[32];
    double gw, gs;
    int appl, rc;

    group_sum(L, g, &gw, &gs, &appl);
    if ((rc = pdf_fill_rect(L->pdf, X0, y, CW, ROW, t->color[TMPL_COL_GROUP],
                            L->e)) ||
        (rc = cell(L, X0 + 6, y, col_x[1] - X0 - 9, ROW, 9.5, fg, AL_LEFT,
                   t->group[g])))
        return rc;
    if (appl) {
        fmt_weight(L, gw, w);
        snprintf(s, sizeof s, "%.2f", gs);
    } else {
        snprintf(w, sizeof w, "—");
        snprintf(s, sizeof s, "—");
    }
    if ((rc = col_text(L, 4, y, ROW, 9.5, fg, w)) ||
        (rc = col_text(L, 5, y, ROW, 9.5, fg, s)))
        return rc;
    return row_rules(L, y, ROW, 0x30u);
}

static int draw_ind_row(struct lay *L, const struct sheet_ind *in, double y)
{
    const struct tmpl *t = L->t;
    uint32_t fg = in->applicable ? t->color[TMPL_COL_TEXT]
                                 : t->color[TMPL_COL_MUTED];
    char target[32], actual[160], rate[32], w[40], s[32];
    int rc;

    sheet_fmt_pct(in->target, 1, 0, target);
    if (in->applicable) {
        sheet_fmt_actual(in, t->unit[in->ind], actual, sizeof actual);
        sheet_fmt_pct(in->rate, 1, 0, rate);
        fmt_weight(L, eff_weight(L, in), w);
        snprintf(s, sizeof s, "%.2f", eff_score(L, in));
    } else {
        char ow[32];
        snprintf(actual, sizeof actual, "—");
        snprintf(rate, sizeof rate, "%s", t->text[TMPL_NA]);
        sheet_fmt_num(in->weight, ow);
        snprintf(w, sizeof w, "(%s)", ow);
        snprintf(s, sizeof s, "—");
    }
    if ((rc = cell(L, X0 + 16, y, col_x[1] - X0 - 19, ROW, 9, fg, AL_LEFT,
                   roles_ind_label[in->ind])) ||
        (rc = col_text(L, 1, y, ROW, 9, fg, target)) ||
        (rc = col_text(L, 2, y, ROW, 9, fg, actual)) ||
        (rc = col_text(L, 3, y, ROW, 9, fg, rate)) ||
        (rc = col_text(L, 4, y, ROW, 9, fg, w)) ||
        (rc = col_text(L, 5, y, ROW, 9, fg, s)))
        return rc;
    return row_rules(L, y, ROW, ALL_COLS);
}

/* Own and team rows of a manager: their shares of the total. */
static int draw_mgr_rows(struct lay *L, double y)
{
    static const char *const on[] = {"weight"};
    static const char *const tn[] = {"weight", "n"};
    const struct sheet_data *d = L->d;
    uint32_t fg = L->t->color[TMPL_COL_TEXT];
    double own_w = d->has_own ? (d->has_team ? 1 - d->team_weight : 1) : 0;
    char ow[32], tw[32], n[16], v[32];
    const char *ov[] = {ow}, *tv[] = {tw, n}, *s;
    int rc;

    sheet_fmt_pct(own_w, 1, 0, ow);
    sheet_fmt_pct(d->has_team ? 1 - own_w : 0, 1, 0, tw);
    snprintf(n, sizeof n, "%d", d->team_members);
    if (!(s = fmt(L, TMPL_OWN_ROW, on, ov, 1)) ||
        (rc = cell(L, X0 + 6, y, col_x[5] - X0 - 9, ROW, 9, fg, AL_LEFT, s)))
        return s ? rc : L->e->code;
    snprintf(v, sizeof v, "%.2f", d->own);
    if ((rc = col_text(L, 5, y, ROW, 9, fg, d->has_own ? v
                       : L->t->text[TMPL_NA])) ||
        (rc = row_rules(L, y, ROW, 0x20u)))
        return rc;
    y += ROW;
    if (!(s = fmt(L, TMPL_TEAM_ROW, tn, tv, 2)) ||
        (rc = cell(L, X0 + 6, y, col_x[5] - X0 - 9, ROW, 9, fg, AL_LEFT, s)))
        return s ? rc : L->e->code;
    snprintf(v, sizeof v, "%.2f", d->team);
    if ((rc = col_text(L, 5, y, ROW, 9, fg, d->has_team ? v : "—")))
        return rc;
    return row_rules(L, y, ROW, 0x20u);
}

/* "考核等级：良好　区域排名第5" into out. */
static int grade_text(struct lay *L, char *out, size_t n)
{
    static const char *const gn[] = {"grade"};
    static const char *const rn[] = {"rank"};
    const struct sheet_data *d = L->d;
    char rank[16];
    const char *gv[] = {d->grade}, *rv[] = {rank}, *s;

    if (!d->has_total) {
        snprintf(out, n, "%s", L->t->text[TMPL_NO_TOTAL]);
        return ERR_OK;
    }
    if (!(s = fmt(L, TMPL_GRADE_LABEL, gn, gv, 1)))
        return L->e->code;
    snprintf(out, n, "%s", s);
    if (d->rank > 0) {
        snprintf(rank, sizeof rank, "%d", d->rank);
        if (!(s = fmt(L, TMPL_RANK, rn, rv, 1)))
            return L->e->code;
        snprintf(out + strlen(out), n - strlen(out), "　%s", s);
    }
    return ERR_OK;
}

static int draw_total_row(struct lay *L, double y)
{
    const struct tmpl *t = L->t;
    uint32_t fg = t->color[TMPL_COL_TEXT];
    char grade[512], total[32];
    int rc;

    if ((rc = grade_text(L, grade, sizeof grade)))
        return rc;
    snprintf(total, sizeof total, "%.2f", L->d->total);
    if ((rc = pdf_fill_rect(L->pdf, X0, y, CW, TOTAL_ROW,
                            t->color[TMPL_COL_TOTAL], L->e)) ||
        (rc = cell(L, X0 + 6, y, col_x[1] - X0 - 9, TOTAL_ROW, 10, fg,
                   AL_LEFT, t->text[TMPL_TOTAL_LABEL])) ||
        (rc = cell(L, col_x[1] + 3, y, col_x[4] - col_x[1] - 6, TOTAL_ROW, 10,
                   fg, AL_CENTER, grade)) ||
        (rc = col_text(L, 4, y, TOTAL_ROW, 10, fg, "100")) ||
        (rc = col_text(L, 5, y, TOTAL_ROW, 11, fg,
                       L->d->has_total ? total : "—")))
        return rc;
    return row_rules(L, y, TOTAL_ROW, 0x32u);
}

static int draw_table(struct lay *L)
{
    double y = L->table_top;
    int rc = draw_head_row(L, y);

    y += HEAD_ROW;
    for (int g = 0; g < 3 && !rc; g++) {
        double w, s;
        int appl;
        if (!group_sum(L, g, &w, &s, &appl))
            continue;
        rc = draw_group_row(L, g, y);
        y += ROW;
        for (int i = 0; i < L->d->nind && !rc; i++) {
            if (group_of(L->d->ind[i].ind) != g)
                continue;
            rc = draw_ind_row(L, &L->d->ind[i], y);
            y += ROW;
        }
    }
    if (!rc && L->mgr) {
        rc = draw_mgr_rows(L, y);
        y += 2 * ROW;
    }
    if (!rc)
        rc = draw_total_row(L, y);
    if (!rc)
        rc = pdf_stroke_rect(L->pdf, X0, L->table_top, CW,
                             y + TOTAL_ROW - L->table_top, 0.8,
                             L->t->color[TMPL_COL_LINE], L->e);
    return rc;
}

/* ---- charts ----------------------------------------------------------------- */

static int chart_frame(struct lay *L, double x, double y, double w,
                       const char *title)
{
    const struct tmpl *t = L->t;
    int rc = pdf_stroke_rect(L->pdf, x, y, w, CHART_H, 0.5,
                             t->color[TMPL_COL_GRID], L->e);
    if (!rc)
        rc = cell(L, x + 8, y + 3, w - 16, 16, 9, t->color[TMPL_COL_TEXT],
                  AL_LEFT, title);
    return rc;
}

/* Horizontal bars: each group's score over its (redistributed) maximum;
 * track lengths are in proportion to the maxima. */
static int draw_bars(struct lay *L, double x, double y, double w)
{
    const struct tmpl *t = L->t;
    double top = 0, gw[3], gs[3], tx = x + 104, tl = w - 104 - 58, ry;
    int appl[3], n[3], rows = 0, rc;

    if ((rc = chart_frame(L, x, y, w, t->text[TMPL_CHART_GROUPS])))
        return rc;
    for (int g = 0; g < 3; g++) {
        n[g] = group_sum(L, g, &gw[g], &gs[g], &appl[g]);
        rows += n[g] > 0;
        top = gw[g] > top ? gw[g] : top;
    }
    ry = y + 24;
    for (int g = 0; g < 3 && !rc; g++) {
        double rh = (CHART_H - 30) / (rows ? rows : 1), len;
        char v[64], a[32], b[32];
        if (!n[g])
            continue;
        rc = cell(L, x + 8, ry, 92, rh, 8, appl[g] ? t->color[TMPL_COL_TEXT]
                  : t->color[TMPL_COL_MUTED], AL_LEFT, t->group[g]);
        len = top > 0 ? tl * gw[g] / top : 0;
        if (!rc && appl[g]) {
            rc = pdf_fill_rect(L->pdf, tx, ry + rh / 2 - 5, len, 10,
                               t->color[TMPL_COL_BAR_MAX], L->e);
            if (!rc && gs[g] > 0)
                rc = pdf_fill_rect(L->pdf, tx, ry + rh / 2 - 5,
                                   tl * gs[g] / top, 10, t->color[TMPL_COL_BAR],
                                   L->e);
            snprintf(a, sizeof a, "%.2f", gs[g]);
            fmt_weight(L, gw[g], b);
            snprintf(v, sizeof v, "%s/%s", a, b);
        } else {
            snprintf(v, sizeof v, "%s", t->text[TMPL_NA]);
        }
        if (!rc)
            rc = cell(L, tx + len + 4, ry, x + w - 6 - (tx + len + 4), rh, 7.5,
                      t->color[TMPL_COL_TEXT], AL_LEFT, v);
        ry += rh;
    }
    return rc;
}

/* The lowest value of the trend chart's axis: at least 5 below the
 * lowest total, never above 60 (so the grade bands stay in view), a
 * multiple of 10 when the axis spans at most 40 points, else of 20 (the
 * gridlines then fall every 10 or 20 points up to 100). */
static double trend_floor(const struct sheet_data *d)
{
    double lo = 100;
    for (int i = 0; i < d->ntrend; i++)
        if (d->trend[i].has_total && d->trend[i].total < lo)
            lo = d->trend[i].total;
    lo = floor((lo - 5) / 10) * 10;
    lo = lo < 0 ? 0 : lo > 60 ? 60 : lo;
    return 100 - lo <= 40 ? lo : floor(lo / 20) * 20;
}

/* The y axis of the trend chart: gridlines from lo to 100; their y into
 * grid[] (at most 6), their number into *n. */
static int trend_axis(struct lay *L, double x, double px0, double px1,
                      double py0, double py1, double lo, double *grid,
                      int *n)
{
    const struct tmpl *t = L->t;
    int step = 100 - lo <= 40 ? 10 : 20, rc = ERR_OK;

    *n = 0;
    for (int v = (int)lo; v <= 100 && !rc; v += step) {
        double gy = py1 - (py1 - py0) * (v - lo) / (100 - lo);
        char lab[16];
        if (*n < 6)
            grid[(*n)++] = gy;
        snprintf(lab, sizeof lab, "%d", v);
        rc = pdf_line(L->pdf, px0, gy, px1, gy, v > lo ? 0.3 : 0.6,
                      t->color[TMPL_COL_GRID], L->e);
        if (!rc)
            rc = cell(L, x + 4, gy - 5, px0 - x - 7, 10, 6.5,
                      t->color[TMPL_COL_MUTED], AL_RIGHT, lab);
    }
    return rc;
}

/* The total over the stored periods, oldest left, this period in the
 * rightmost of six slots; with a single total there is no trend to draw,
 * and the chart says so (trend_single). */
static int draw_trend(struct lay *L, double x, double y, double w)
{
    const struct tmpl *t = L->t;
    const struct sheet_data *d = L->d;
    double px0 = x + 26, px1 = x + w - 8, py0 = y + 26, py1 = y + CHART_H - 16;
    double sw = (px1 - px0) / SHEET_TREND_MAX, lx = 0, lyv = 0, grid[6];
    double lo = trend_floor(d);
    int rc, have_last = 0, ngrid = 0, points = 0;
    uint32_t tc = t->color[TMPL_COL_TREND];

    for (int i = 0; i < d->ntrend; i++)
        points += d->trend[i].has_total;
    if ((rc = chart_frame(L, x, y, w, t->text[TMPL_CHART_TREND])))
        return rc;
    if (points <= 1)
        return cell(L, x + 8, py0, w - 16, py1 - py0, 8,
                    t->color[TMPL_COL_MUTED], AL_CENTER,
                    t->text[TMPL_TREND_SINGLE]);
    if ((rc = trend_axis(L, x, px0, px1, py0, py1, lo, grid, &ngrid)))
        return rc;
    for (int i = 0; i < d->ntrend && !rc; i++) {
        const struct sheet_point *p = &d->trend[i];
        int slot = SHEET_TREND_MAX - d->ntrend + i, cur = i == d->ntrend - 1;
        double cx = px0 + sw * (slot + 0.5), cy, tot, m = cur ? 2.8 : 2.0;
        char v[16];
        rc = cell(L, cx - sw / 2, py1 + 2, sw, 12, 6.5,
                  t->color[TMPL_COL_MUTED], AL_CENTER, p->period);
        if (rc || !p->has_total) {
            have_last = 0;
            continue;
        }
        tot = p->total < lo ? lo : p->total > 100 ? 100 : p->total;
        cy = py1 - (py1 - py0) * (tot - lo) / (100 - lo);
        if (have_last)
            rc = pdf_line(L->pdf, lx, lyv, cx, cy, 1.2, tc, L->e);
        if (!rc)
            rc = pdf_fill_rect(L->pdf, cx - m, cy - m, 2 * m, 2 * m, tc, L->e);
        snprintf(v, sizeof v, "%.2f", p->total);
        /* the value inside the frame, on no gridline */
        if (!rc)
            rc = cell(L, cx - sw / 2,
                      sheet_label_y(cy, 9, grid, ngrid, y + 18, py1 + 1), sw,
                      9, cur ? 7 : 6.5, t->color[TMPL_COL_TEXT], AL_CENTER, v);
        lx = cx;
        lyv = cy;
        have_last = 1;
    }
    return rc;
}

static int draw_charts(struct lay *L, double y)
{
    double w = (CW - 11) / 2;
    int rc = draw_bars(L, X0, y, w);
    return rc ? rc : draw_trend(L, X0 + w + 11, y, w);
}

/* ---- comment, note, sign-off ---------------------------------------------------- */

static int draw_comment(struct lay *L, double y)
{
    const struct tmpl *t = L->t;
    const char *label = t->text[TMPL_COMMENT_LABEL];
    double lw = pdf_text_width(L->pdf, label, strlen(label), 9), tx, tw;
    struct wctx c = {L->pdf, 9};
    struct buf text;
    int rc;

    if (lw > 90)
        lw = 90;
    tx = X0 + 8 + lw + 4;
    tw = X1 - 8 - tx;
    buf_init(&text, SCRATCH_MAX);
    rc = pdf_fill_rect(L->pdf, X0, y, CW, COMMENT_H, t->color[TMPL_COL_BOX],
                       L->e);
    if (!rc)
        rc = pdf_stroke_rect(L->pdf, X0, y, CW, COMMENT_H, 0.5,
                             t->color[TMPL_COL_LINE], L->e);
    if (!rc)
        rc = cell(L, X0 + 8, y + 6, lw, 13, 9, t->color[TMPL_COL_LABEL],
                  AL_LEFT, label);
    if (!rc)
        rc = person_fail(L, sheet_comment_write(L->d, t, tw - 9, COMMENT_LINES,
                                          width_at, &c, &text, L->e));
    if (!rc)
        rc = para(L, tx, y + 6 + (13 + L->cap * 9) / 2, tw, 9, COMMENT_LEAD,
                  t->color[TMPL_COL_TEXT], buf_str(&text), COMMENT_LINES);
    buf_free(&text);
    return rc;
}

static int draw_note(struct lay *L, double y)
{
    return para(L, X0, y + 11, CW, 8, 11, L->t->color[TMPL_COL_MUTED],
                L->t->text[TMPL_NA_NOTE], L->note_lines);
}

/* One sign-off column: label and signature line, the name under it, the
 * date line. */
static int sign_col(struct lay *L, double x, double y, double w,
                    const char *label, const char *name)
{
    const struct tmpl *t = L->t;
    uint32_t fg = t->color[TMPL_COL_TEXT];
    double lw = pdf_text_width(L->pdf, label, strlen(label), 9);
    int rc;

    if (lw > w * 0.62)
        lw = w * 0.62;
    if ((rc = cell(L, x, y + 4, lw, 14, 9, fg, AL_LEFT, label)) ||
        (rc = pdf_line(L->pdf, x + lw + 2, y + 18, x + w - 14, y + 18, 0.5,
                       t->color[TMPL_COL_TEXT], L->e)) ||
        (rc = cell(L, x + lw + 2, y + 19, w - 16 - lw, 10, 7.5,
                   t->color[TMPL_COL_MUTED], AL_CENTER, name)))
        return rc;
    return cell(L, x, y + 30, w - 14, 14, 9, fg, AL_LEFT,
                t->text[TMPL_DATE_LINE]);
}

static int draw_sign(struct lay *L, double y)
{
    const struct tmpl *t = L->t;
    const char *qr = L->d->qr_text;
    double room = 0, cw;
    const char *ack;
    int rc;

    /* the QR code at the right end, its quiet zone clear of the columns,
     * of the acknowledgment line below and of the block above (GAP);
     * encoded once, for its size and its drawing */
    if (qr[0]) {
        struct sheet_qr q;
        if ((rc = sheet_qr_encode(qr, &q, L->e)))
            return rc;
        room = QR_SIDE + SHEET_QR_QUIET * QR_SIDE / q.width;
        rc = sheet_qr_draw(&q, L->pdf, X1 - QR_SIDE, y, QR_SIDE / q.width,
                     t->color[TMPL_COL_TEXT], NULL, L->e);
        sheet_qr_free(&q);
        if (rc)
            return rc;
    }
    cw = (CW - room) / 3;

    if ((rc = sign_col(L, X0, y, cw, t->text[TMPL_SIGN_ASSESSEE],
                       L->d->name)) ||
        (rc = sign_col(L, X0 + cw, y, cw, t->text[TMPL_SIGN_ASSESSOR],
                       L->d->manager_name)) ||
        (rc = sign_col(L, X0 + 2 * cw, y, cw, t->text[TMPL_SIGN_HR], "")))
        return rc;
    if (!(ack = ack_text(L)))
        return L->e->code;
    return para(L, X0, y + SIGN_H + 9, CW, 9, 12, t->color[TMPL_COL_TEXT],
                ack, L->ack_lines);
}

static int draw_block(struct lay *L, int b)
{
    double y = L->block_y[b];
    switch (b) {
    case B_NOTE:
        return draw_note(L, y);
    case B_CHARTS:
        return draw_charts(L, y);
    case B_COMMENT:
        return draw_comment(L, y);
    default:
        return draw_sign(L, y);
    }
}

/* ---- checks and entry points ----------------------------------------------------- */

/* Every text of d the font must show, with its field name. */
static int check_data(const struct font *f, const struct sheet_data *d,
                      const struct tmpl *t, struct err *e)
{
    const struct {
        const char *field, *s;
    } v[] = {{"name", d->name}, {"id", d->person_id},
             {"role", d->role_label}, {"region", d->region_name},
             {"manager name", d->manager_name}, {"grade", d->grade},
             {"company", t->company[0] ? t->company : d->company},
             {"source", d->source}};
    char what[400];
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        snprintf(what, sizeof what, "person %.40s (%.200s) %s", d->person_id,
                 d->name, v[i].field);
        /* a character no font has prints as the placeholder (font.h;
         * reported when the period is scored, doc/fonts.md) */
        if (font_check_drawable(f, v[i].s, strlen(v[i].s), what, e))
            return e->code;
    }
    return ERR_OK;
}

int sheet_check_template(const struct tmpl *t, const struct font *f,
                         struct err *e)
{
    char what[300];
    for (int k = 0; k < TMPL_NKEY; k++) {
        snprintf(what, sizeof what, "%s: text '%s'", t->file,
                 tmpl_key_name(k));
        if (font_check_text(f, t->text[k], strlen(t->text[k]), what, e))
            return e->code;
    }
    for (int i = 0; i < ROLES_NIND; i++) {
        snprintf(what, sizeof what, "%s: unit of %s", t->file,
                 roles_ind_id[i]);
        if (font_check_text(f, t->unit[i], strlen(t->unit[i]), what, e))
            return e->code;
    }
    for (int g = 0; g < TMPL_NGROUP; g++) {
        snprintf(what, sizeof what, "%s: group %c", t->file, 'A' + g);
        if (font_check_text(f, t->group[g], strlen(t->group[g]), what, e))
            return e->code;
    }
    snprintf(what, sizeof what, "%s: company", t->file);
    if (font_check_text(f, t->company, strlen(t->company), what, e))
        return e->code;
    snprintf(what, sizeof what, "%s: appeal 'to'", t->file);
    return font_check_text(f, t->appeal_to, strlen(t->appeal_to), what, e);
}

/* Info dictionary: title, company, document number, the period's end. */
static int set_info(struct lay *L)
{
    const struct sheet_data *d = L->d;
    struct pdf_info info;
    struct buf title;
    char keywords[64];
    int rc;

    buf_init(&title, SCRATCH_MAX);
    rc = buf_printf(&title, "%s %s %s %s", L->t->text[TMPL_TITLE], d->period,
                    d->person_id, d->name);
    if (rc)
        return err_set(L->e, rc, "person %s: title too long", d->person_id);
    memset(&info, 0, sizeof info);
    info.title = buf_str(&title);
    info.author = L->t->company[0] ? L->t->company : d->company;
    info.subject = L->doc_no;
    info.creator = "keqing " KQ_VERSION;
    if (d->registry[0]) {
        snprintf(keywords, sizeof keywords, "keqing registry %s",
                 d->registry);
        info.keywords = keywords;
    }
    info.has_date = 1;
    info.day = d->period_end;
    rc = person_fail(L, pdf_set_info(L->pdf, &info, L->e));
    buf_free(&title);
    return rc;
}

static int lay_init(struct lay *L, const struct tmpl *t, const struct font *f,
                    const struct sheet_data *d, struct sheet_stats *st,
                    struct err *e)
{
    int cap = 0, xh = 0;
    double sum = 0;

    memset(L, 0, sizeof *L);
    L->t = t;
    L->font = f;
    L->d = d;
    L->st = st;
    L->e = e;
    buf_init(&L->b, SCRATCH_MAX);
    font_heights(f, &cap, &xh);
    L->cap = cap > 0 ? cap / 1000.0 : 0.72;
    for (int i = 0; i < d->nind; i++)
        sum += d->ind[i].applicable ? d->ind[i].weight : 0;
    L->factor = sum > 0 ? 100.0 / sum : 1;
    /* own and team rows when the team counts in the total: a role with
     * team weight 0 shows none (its total is its own score) unless own is
     * N/A and the total is the team's */
    L->mgr = d->team_weight > 0 || (d->has_team && !d->has_own);
    sheet_doc_number(d, L->doc_no);
    if (st)
        memset(st, 0, sizeof *st);
    return pdf_new(&L->pdf, f, e);
}

static int draw_all(struct lay *L)
{
    int rc;
    if ((rc = plan(L)) || (rc = set_info(L)) || (rc = new_page(L)) ||
        (rc = draw_title(L)) || (rc = draw_info(L)) || (rc = draw_table(L)))
        return rc;
    for (int b = 0; b < B_N && !rc; b++) {
        if (!L->has_block[b])
            continue;
        while (L->page < L->block_page[b] && !rc)
            if (!(rc = new_page(L)))
                rc = draw_continued(L);
        if (!rc)
            rc = draw_block(L, b);
    }
    return rc;
}

int sheet_person_build(const struct tmpl *t, const struct font *f,
                       const struct sheet_data *d, struct pdf **out,
                       struct sheet_stats *st, struct err *e)
{
    return sheet_person_build_paged(t, f, d, NULL, out, st, e);
}

int sheet_person_pages(const struct tmpl *t, const struct font *f,
                       const struct sheet_data *d, int *pages, struct err *e)
{
    struct lay L;
    int rc;

    *pages = 0;
    if ((rc = check_data(f, d, t, e)))
        return rc;
    rc = lay_init(&L, t, f, d, NULL, e);
    if (!rc && !(rc = plan(&L)))
        *pages = L.pages;
    buf_free(&L.b);
    pdf_free(L.pdf);
    return rc;
}

int sheet_person_build_paged(const struct tmpl *t, const struct font *f,
                             const struct sheet_data *d,
                             const struct sheet_paging *pg, struct pdf **out,
                             struct sheet_stats *st, struct err *e)
{
    struct lay L;
    int rc;

    *out = NULL;
    if ((rc = check_data(f, d, t, e)))
        return rc;
    rc = lay_init(&L, t, f, d, st, e);
    L.pg = pg;
    if (!rc)
        rc = draw_all(&L);
    buf_free(&L.b);
    if (rc) {
        pdf_free(L.pdf);
        return rc;
    }
    *out = L.pdf;
    return ERR_OK;
}

int sheet_person_write(const struct tmpl *t, const struct font *f,
                       const struct sheet_data *d, const char *path,
                       size_t *bytes, struct err *e)
{
    struct pdf *pdf;
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = sheet_person_build(t, f, d, &pdf, NULL, e);

    if (!rc && (rc = pdf_render(pdf, &data, &len, e)))
        err_prefix(e, "person %s: ", d->person_id);
    if (!rc)
        rc = fsx_write_file(path, data, len, e);
    if (!rc && bytes)
        *bytes = len;
    mem_free(data);
    pdf_free(pdf);
    return rc;
}
