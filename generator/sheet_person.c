/* sheet_person -- laying out a person's assessment sheet (see
 * sheet_person.h for the layout, store_sheet.h for the data).
 *
 * Two passes: plan() measures every block (the table, the N/A note, the
 * charts, the comment, the sign-off) and gives each a page and a y, so
 * the page count is known before the first footer is drawn; the draw_*
 * functions then draw them.  The drawing machinery - text that shrinks,
 * wraps (L->k.wrap) and records what it drew in the stats, the footer,
 * the title, the info cells, the QR code, the trend's series - is the
 * layout kit's (sheet_layout.h), shared with the region summary; this
 * file holds what only a person's sheet draws.
 */
#include "sheet_person.h"
#include "buf.h"
#include "sheet_comment.h"
#include "date.h"
#include "err.h"
#include "font.h"
#include "pdf.h"
#include "sheet_layout.h"
#include "tmpl_sheet.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- geometry (points from the top-left corner; sheet_layout.h) ----------- */

#define X0 SHEET_X0
#define X1 SHEET_X1
#define CW SHEET_CW
#define FLOW_END SHEET_FLOW_END /* blocks end above this */
#define PAGE2_TOP (SHEET_PAGE_QR_BOTTOM + 4)  /* first block on a
                                                continuation page */
#define GRID_TOP SHEET_GRID_TOP
#define INFO_ROW SHEET_INFO_ROW
#define HEAD_ROW 20.0
#define ROW 18.0
#define TOTAL_ROW 22.0
#define CHART_H 88.0
#define COMMENT_H 56.0
#define COMMENT_LINES 3
#define COMMENT_LEAD 13.0
#define SIGN_H 46.0             /* the QR code's 6.4 pt quiet zone fits
                                   inside SIGN_H and GAP */
#define GAP 7.0
#define SCRATCH_MAX SHEET_SCRATCH_MAX

/* Columns of the indicator table: 指标 目标 实际 达成率 权重 得分. */
static const double col_x[7] = {40, 255, 300, 380, 430, 485, 555};

/* First indicator of groups A, B, C, and the end. */
static const int group_first[4] = {ROLES_A1, ROLES_B1, ROLES_C1, ROLES_NIND};

enum block { B_NOTE, B_CHARTS, B_COMMENT, B_SIGN, B_N };

struct lay {
    struct sheet_layout k;  /* the document, the page, the stats (k.pages:
                               from plan()) */
    const struct tmpl *t;
    const struct sheet_data *d;
    double factor;          /* 100 / sum of applicable weights */
    int mgr;                /* show own and team rows */
    double table_top;
    int has_block[B_N], block_page[B_N];
    double block_y[B_N], block_h[B_N];
    size_t note_lines, ack_lines;
    struct buf b;           /* scratch for formatted text */
    char doc_no[32];
};

/* ---- the document number ------------------------------------------------ */

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

/* hooks.fail: every error names the person. */
static int name_person(struct sheet_layout *K, int rc)
{
    if (rc && K->e)
        err_prefix(K->e, "person %s: ", K->id);
    return rc;
}

static int person_fail(struct lay *L, int rc)
{
    return name_person(&L->k, rc);
}

/* Format template text k into the scratch buffer; NULL on error. */
static const char *fmt(struct lay *L, enum tmpl_key k,
                       const char *const *names, const char *const *values,
                       size_t n)
{
    return sheet_format(&L->k, &L->b, L->t->text[k], names, values, n);
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
        err_set(L->k.e, rc, "person %s: acknowledgment text too long",
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
    if (slack <= 0 || L->k.pages > 1)
        return;
    for (int b = 0; b < B_SIGN; b++)
        nb += L->has_block[b] && L->block_page[b] == L->k.pages;
    for (int b = 0; b < B_N; b++) {
        if (!L->has_block[b] || L->block_page[b] != L->k.pages)
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
        (rc = sheet_para_lines(&L->k, L->t->text[TMPL_NA_NOTE], CW, 8,
                               &L->note_lines)))
        return rc;
    if (!(ack = ack_text(L)))
        return L->k.e->code;
    if ((rc = sheet_para_lines(&L->k, ack, CW, 9, &L->ack_lines)))
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
    L->k.pages = page;
    spread(L, FLOW_END - y);
    return ERR_OK;
}

/* ---- page furniture ----------------------------------------------------------- */

/* hooks.footer. */
static int draw_footer(struct sheet_layout *K)
{
    const struct lay *L = K->owner;
    const struct tmpl *t = L->t;
    const struct sheet_footer f = {
        .doc_no = t->text[TMPL_DOC_NO], .no = L->doc_no,
        .source = t->text[TMPL_SOURCE],
        .company = t->company[0] ? t->company : L->d->company,
        .hash = L->d->source, .page = t->text[TMPL_PAGE],
        .rule = t->color[TMPL_COL_LINE], .muted = t->color[TMPL_COL_MUTED],
        .page_w = 115};
    return sheet_footer(K, &f);
}

/* hooks.continued: the short header of a continuation page. */
static int draw_continued(struct sheet_layout *K)
{
    const struct lay *L = K->owner;
    const struct tmpl *t = L->t;
    struct buf h;
    int rc;

    buf_init(&h, SCRATCH_MAX);
    rc = buf_printf(&h, "%s%s　%s　%s　%s", t->text[TMPL_TITLE],
                    t->text[TMPL_CONTINUED], L->d->name, L->d->person_id,
                    L->d->period);
    if (rc)
        rc = err_set(K->e, rc, "person %s: header too long",
                     L->d->person_id);
    if (!rc)
        rc = sheet_continued(K, buf_str(&h), 36, t->color[TMPL_COL_TEXT],
                             t->color[TMPL_COL_LINE]);
    buf_free(&h);
    return rc;
}

/* ---- header: company, title, info grid --------------------------------------- */

static int draw_title(struct lay *L)
{
    const struct tmpl *t = L->t;
    const char *company = t->company[0] ? t->company : L->d->company;
    const char *title = t->text[TMPL_TITLE];
    double tw = sheet_width(&L->k, title, 20), mx;
    int rc;

    if ((rc = sheet_title(&L->k, company, t->color[TMPL_COL_COMPANY], title,
                          t->color[TMPL_COL_TEXT], 70, 58, 24)))
        return rc;
    if (!partial(L->d))
        return ERR_OK;
    /* a stamp-like mark right of the title */
    mx = (X0 + X1) / 2 + (tw < CW - 140 ? tw : CW - 140) / 2 + 14;
    if (mx > SHEET_PAGE_QR_LEFT - 56)
        mx = SHEET_PAGE_QR_LEFT - 56;
    if ((rc = sheet_stroke(&L->k, mx, 59, 56, 22, 1.2,
                           t->color[TMPL_COL_MARK])))
        return rc;
    return sheet_cell(&L->k, mx + 3, 59, 50, 22, 12, t->color[TMPL_COL_MARK],
                      SHEET_CENTER, t->text[partial_mark(L->d)]);
}

/* One label/value cell of the info grid. */
static int info_cell(struct lay *L, double x, double y, double w,
                     const char *label, uint32_t label_rgb, const char *value)
{
    const struct sheet_info_style st = {54, 6, L->t->color[TMPL_COL_BOX],
                                        L->t->color[TMPL_COL_TEXT]};
    return sheet_info_cell(&L->k, &st, x, y, w, label, label_rgb, value);
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
        return L->k.e->code;
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
        return L->k.e->code;
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
        rc = sheet_line(&L->k, X0, GRID_TOP + r * INFO_ROW, X1,
                        GRID_TOP + r * INFO_ROW, 0.5, line);
    for (int c = 1; c < 3 && !rc; c++)
        rc = sheet_line(&L->k, X0 + c * cw, GRID_TOP, X0 + c * cw,
                        GRID_TOP + 2 * INFO_ROW, 0.5, line);
    if (!rc)
        rc = sheet_stroke(&L->k, X0, GRID_TOP, CW, rows * INFO_ROW, 0.8, line);
    return rc;
}

/* ---- the indicator table ---------------------------------------------------------- */

/* Vertical rules of one row at the columns whose bit is set in mask
 * (bit c: the rule at col_x[c], 1..5), and the rule below it. */
static int row_rules(struct lay *L, double y, double h, unsigned mask)
{
    uint32_t c = L->t->color[TMPL_COL_LINE];
    int rc = sheet_line(&L->k, X0, y + h, X1, y + h, 0.5, c);
    for (int k = 1; k <= 5 && !rc; k++)
        if (mask & (1u << k))
            rc = sheet_line(&L->k, col_x[k], y, col_x[k], y + h, 0.5, c);
    return rc;
}

#define ALL_COLS 0x3Eu      /* rules at columns 1..5 */

/* Text in table column c (0..5) of the row at y. */
static int col_text(struct lay *L, int c, double y, double h, double size,
                    uint32_t rgb, const char *s)
{
    return sheet_cell(&L->k, col_x[c] + 3, y, col_x[c + 1] - col_x[c] - 6, h,
                      size, rgb, SHEET_CENTER, s);
}

static int draw_head_row(struct lay *L, double y)
{
    const struct tmpl *t = L->t;
    uint32_t fg = t->color[TMPL_COL_HEADER_TEXT];
    int rc = sheet_fill(&L->k, X0, y, CW, HEAD_ROW, t->color[TMPL_COL_HEADER]);
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
    if ((rc = sheet_fill(&L->k, X0, y, CW, ROW, t->color[TMPL_COL_GROUP])) ||
        (rc = sheet_cell(&L->k, X0 + 6, y, col_x[1] - X0 - 9, ROW, 9.5, fg,
                         SHEET_LEFT, t->group[g])))
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
    if ((rc = sheet_cell(&L->k, X0 + 16, y, col_x[1] - X0 - 19, ROW, 9, fg,
                         SHEET_LEFT, roles_ind_label[in->ind])) ||
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
        (rc = sheet_cell(&L->k, X0 + 6, y, col_x[5] - X0 - 9, ROW, 9, fg,
                         SHEET_LEFT, s)))
        return s ? rc : L->k.e->code;
    snprintf(v, sizeof v, "%.2f", d->own);
    if ((rc = col_text(L, 5, y, ROW, 9, fg, d->has_own ? v
                       : L->t->text[TMPL_NA])) ||
        (rc = row_rules(L, y, ROW, 0x20u)))
        return rc;
    y += ROW;
    if (!(s = fmt(L, TMPL_TEAM_ROW, tn, tv, 2)) ||
        (rc = sheet_cell(&L->k, X0 + 6, y, col_x[5] - X0 - 9, ROW, 9, fg,
                         SHEET_LEFT, s)))
        return s ? rc : L->k.e->code;
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
        return L->k.e->code;
    snprintf(out, n, "%s", s);
    if (d->rank > 0) {
        snprintf(rank, sizeof rank, "%d", d->rank);
        if (!(s = fmt(L, TMPL_RANK, rn, rv, 1)))
            return L->k.e->code;
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
    if ((rc = sheet_fill(&L->k, X0, y, CW, TOTAL_ROW,
                         t->color[TMPL_COL_TOTAL])) ||
        (rc = sheet_cell(&L->k, X0 + 6, y, col_x[1] - X0 - 9, TOTAL_ROW, 10,
                         fg, SHEET_LEFT, t->text[TMPL_TOTAL_LABEL])) ||
        (rc = sheet_cell(&L->k, col_x[1] + 3, y, col_x[4] - col_x[1] - 6,
                         TOTAL_ROW, 10, fg, SHEET_CENTER, grade)) ||
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
        rc = sheet_stroke(&L->k, X0, L->table_top, CW,
                          y + TOTAL_ROW - L->table_top, 0.8,
                          L->t->color[TMPL_COL_LINE]);
    return rc;
}

/* ---- charts ----------------------------------------------------------------- */

static int chart_frame(struct lay *L, double x, double y, double w,
                       const char *title)
{
    const struct tmpl *t = L->t;
    int rc = sheet_stroke(&L->k, x, y, w, CHART_H, 0.5,
                          t->color[TMPL_COL_GRID]);
    if (!rc)
        rc = sheet_cell(&L->k, x + 8, y + 3, w - 16, 16, 9,
                        t->color[TMPL_COL_TEXT], SHEET_LEFT, title);
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
        rc = sheet_cell(&L->k, x + 8, ry, 92, rh, 8,
                        appl[g] ? t->color[TMPL_COL_TEXT]
                                : t->color[TMPL_COL_MUTED],
                        SHEET_LEFT, t->group[g]);
        len = top > 0 ? tl * gw[g] / top : 0;
        if (!rc && appl[g]) {
            rc = sheet_fill(&L->k, tx, ry + rh / 2 - 5, len, 10,
                            t->color[TMPL_COL_BAR_MAX]);
            if (!rc && gs[g] > 0)
                rc = sheet_fill(&L->k, tx, ry + rh / 2 - 5, tl * gs[g] / top,
                                10, t->color[TMPL_COL_BAR]);
            snprintf(a, sizeof a, "%.2f", gs[g]);
            fmt_weight(L, gw[g], b);
            snprintf(v, sizeof v, "%s/%s", a, b);
        } else {
            snprintf(v, sizeof v, "%s", t->text[TMPL_NA]);
        }
        if (!rc)
            rc = sheet_cell(&L->k, tx + len + 4, ry,
                            x + w - 6 - (tx + len + 4), rh, 7.5,
                            t->color[TMPL_COL_TEXT], SHEET_LEFT, v);
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
    struct sheet_gridline g = {
        .x0 = px0, .x1 = px1, .rgb = t->color[TMPL_COL_GRID],
        .label_x = x + 4, .label_w = px0 - x - 7, .size = 6.5,
        .label_rgb = t->color[TMPL_COL_MUTED]};
    int step = 100 - lo <= 40 ? 10 : 20, rc = ERR_OK;

    *n = 0;
    for (int v = (int)lo; v <= 100 && !rc; v += step) {
        double gy = py1 - (py1 - py0) * (v - lo) / (100 - lo);
        char lab[16];
        if (*n < 6)
            grid[(*n)++] = gy;
        snprintf(lab, sizeof lab, "%d", v);
        g.lw = v > lo ? 0.3 : 0.6;
        rc = sheet_gridline(&L->k, &g, gy, lab);
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
    double grid[6], lo = trend_floor(d);
    struct sheet_trend_point pt[SHEET_TREND_MAX];
    int rc, ngrid = 0, points = 0, n = d->ntrend;

    memset(pt, 0, sizeof pt);
    for (int i = 0; i < n; i++) {
        const struct sheet_point *p = &d->trend[i];
        points += p->has_total;
        snprintf(pt[i].label, sizeof pt[i].label, "%s", p->period);
        pt[i].has_value = p->has_total;
        pt[i].value = p->total;
        snprintf(pt[i].text, sizeof pt[i].text, "%.2f", p->total);
    }
    if ((rc = chart_frame(L, x, y, w, t->text[TMPL_CHART_TREND])))
        return rc;
    if (points <= 1)
        return sheet_cell(&L->k, x + 8, py0, w - 16, py1 - py0, 8,
                          t->color[TMPL_COL_MUTED], SHEET_CENTER,
                          t->text[TMPL_TREND_SINGLE]);
    if ((rc = trend_axis(L, x, px0, px1, py0, py1, lo, grid, &ngrid)))
        return rc;
    {
        const struct sheet_trend tr = {
            .x0 = px0, .slot = (px1 - px0) / SHEET_TREND_MAX, .top = py0,
            .bottom = py1, .lo = lo, .slots = SHEET_TREND_MAX,
            .label_size = 6.5, .label_rgb = t->color[TMPL_COL_MUTED],
            .line_w = 1.2, .mark = 2.0, .mark_cur = 2.8,
            .rgb = t->color[TMPL_COL_TREND], .value_h = 9, .value_size = 6.5,
            .value_size_cur = 7, .value_top = y + 18,
            .value_rgb = t->color[TMPL_COL_TEXT], .grid = grid,
            .ngrid = ngrid};
        return sheet_trend(&L->k, &tr, pt, n);
    }
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
    double lw = sheet_width(&L->k, label, 9), tx, tw;
    struct sheet_measure c = {L->k.pdf, 9};
    struct buf text;
    int rc;

    if (lw > 90)
        lw = 90;
    tx = X0 + 8 + lw + 4;
    tw = X1 - 8 - tx;
    buf_init(&text, SCRATCH_MAX);
    rc = sheet_fill(&L->k, X0, y, CW, COMMENT_H, t->color[TMPL_COL_BOX]);
    if (!rc)
        rc = sheet_stroke(&L->k, X0, y, CW, COMMENT_H, 0.5,
                          t->color[TMPL_COL_LINE]);
    if (!rc)
        rc = sheet_cell(&L->k, X0 + 8, y + 6, lw, 13, 9,
                        t->color[TMPL_COL_LABEL], SHEET_LEFT, label);
    if (!rc)
        rc = person_fail(L, sheet_comment_write(L->d, t, tw - 9, COMMENT_LINES,
                                                sheet_measure_width, &c, &text,
                                                L->k.e));
    if (!rc)
        rc = sheet_para(&L->k, tx, y + 6 + (13 + L->k.cap * 9) / 2, tw, 9,
                        COMMENT_LEAD, t->color[TMPL_COL_TEXT], buf_str(&text),
                        COMMENT_LINES);
    buf_free(&text);
    return rc;
}

static int draw_note(struct lay *L, double y)
{
    return sheet_para(&L->k, X0, y + 11, CW, 8, 11,
                      L->t->color[TMPL_COL_MUTED], L->t->text[TMPL_NA_NOTE],
                      L->note_lines);
}

/* One sign-off column: label and signature line, the name under it, the
 * date line; the space above the line is the box `box` (where the
 * signature goes). */
static int sign_col(struct lay *L, double x, double y, double w,
                    const char *box, const char *label, const char *name)
{
    const struct tmpl *t = L->t;
    uint32_t fg = t->color[TMPL_COL_TEXT];
    double lw = sheet_width(&L->k, label, 9);
    int rc;

    if (lw > w * 0.62)
        lw = w * 0.62;
    if ((rc = sheet_cell(&L->k, x, y + 4, lw, 14, 9, fg, SHEET_LEFT, label)) ||
        (rc = sheet_line(&L->k, x + lw + 2, y + 18, x + w - 14, y + 18, 0.5,
                         t->color[TMPL_COL_TEXT])) ||
        (rc = sheet_cell(&L->k, x + lw + 2, y + 19, w - 16 - lw, 10, 7.5,
                         t->color[TMPL_COL_MUTED], SHEET_CENTER, name)) ||
        (rc = person_fail(L, sheet_box(&L->k, box, L->k.page, x + lw + 2, y,
                                       x + w - 14, y + 18))))
        return rc;
    return sheet_cell(&L->k, x, y + 30, w - 14, 14, 9, fg, SHEET_LEFT,
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
     * of the acknowledgment line below and of the block above (GAP) */
    if ((rc = sheet_qr(&L->k, qr, y, t->color[TMPL_COL_TEXT], &room)))
        return rc;
    cw = (CW - room) / 3;

    if ((rc = sign_col(L, X0, y, cw, "sign-assessee",
                       t->text[TMPL_SIGN_ASSESSEE], L->d->name)) ||
        (rc = sign_col(L, X0 + cw, y, cw, "sign-assessor",
                       t->text[TMPL_SIGN_ASSESSOR], L->d->manager_name)) ||
        (rc = sign_col(L, X0 + 2 * cw, y, cw, "sign-hr",
                       t->text[TMPL_SIGN_HR], "")))
        return rc;
    if (!(ack = ack_text(L)))
        return L->k.e->code;
    return sheet_para(&L->k, X0, y + SIGN_H + 9, CW, 9, 12,
                      t->color[TMPL_COL_TEXT], ack, L->ack_lines);
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
    char what[64];
    for (int k = 0; k < TMPL_NKEY; k++) {
        snprintf(what, sizeof what, "text '%s'", tmpl_key_name(k));
        if (sheet_check_text(f, t->file, what, t->text[k], e))
            return e->code;
    }
    for (int i = 0; i < ROLES_NIND; i++) {
        snprintf(what, sizeof what, "unit of %s", roles_ind_id[i]);
        if (sheet_check_text(f, t->file, what, t->unit[i], e))
            return e->code;
    }
    for (int g = 0; g < TMPL_NGROUP; g++) {
        snprintf(what, sizeof what, "group %c", 'A' + g);
        if (sheet_check_text(f, t->file, what, t->group[g], e))
            return e->code;
    }
    if (sheet_check_text(f, t->file, "company", t->company, e))
        return e->code;
    return sheet_check_text(f, t->file, "appeal 'to'", t->appeal_to, e);
}

/* Info dictionary: title, company, document number, the period's end. */
static int set_info(struct lay *L)
{
    const struct sheet_data *d = L->d;
    const struct sheet_info in = {
        .title = L->t->text[TMPL_TITLE], .period = d->period,
        .id = d->person_id, .name = d->name,
        .author = L->t->company[0] ? L->t->company : d->company,
        .subject = L->doc_no, .registry = d->registry, .day = d->period_end};
    return sheet_set_info(&L->k, &in);
}

static const struct sheet_hooks hooks = {name_person, draw_footer,
                                          draw_continued};

static int lay_init(struct lay *L, const struct tmpl *t, const struct font *f,
                    const struct sheet_data *d, struct sheet_stats *st,
                    struct err *e)
{
    double sum = 0;
    int rc;

    memset(L, 0, sizeof *L);
    rc = sheet_layout_init(&L->k, f, "person", d->person_id, &hooks, L, e);
    L->k.wrap = 1;          /* a long name wraps under its signature line */
    L->k.st = st;
    sheet_layout_page_code(&L->k, d->qr_text);
    L->t = t;
    L->d = d;
    buf_init(&L->b, SCRATCH_MAX);
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
    return rc;
}

static void lay_free(struct lay *L)
{
    buf_free(&L->b);
    sheet_layout_free(&L->k);
}

static int draw_all(struct lay *L)
{
    int rc;
    if ((rc = plan(L)) || (rc = set_info(L)) || (rc = sheet_new_page(&L->k)) ||
        (rc = draw_title(L)) || (rc = draw_info(L)) || (rc = draw_table(L)))
        return rc;
    for (int b = 0; b < B_N && !rc; b++) {
        if (!L->has_block[b])
            continue;
        while (L->k.page < L->block_page[b] && !rc)
            rc = sheet_new_page(&L->k);
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
        *pages = L.k.pages;
    lay_free(&L);
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
    L.k.pg = pg;
    if (!rc && !(rc = draw_all(&L)))
        *out = sheet_layout_take(&L.k);
    lay_free(&L);
    return rc;
}

int sheet_person_write(const struct tmpl *t, const struct font *f,
                       const struct sheet_data *d, const char *path,
                       size_t *bytes, struct err *e)
{
    struct pdf *pdf;
    int rc = sheet_person_build(t, f, d, &pdf, NULL, e);

    if (!rc)
        rc = sheet_write_pdf(pdf, path, bytes, "person", d->person_id, e);
    pdf_free(pdf);
    return rc;
}
