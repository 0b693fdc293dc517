/* sheet_region -- laying out a region's summary sheet (see
 * sheet_region.h for the layout, store_region.h for the data).
 *
 * One code path for counting and drawing: every section advances a
 * cursor (page, y) through need()/new_page(), and the layout kit's
 * drawing functions (sheet_layout.h) do nothing while L->k.drawing is 0.
 * sheet_region_build runs the layout once to count the pages, then again
 * to draw them with "共 y 页" known.  The kit also draws the footer, the
 * title, the info cells, the QR code and the trend's series, as it does
 * for a person's sheet; a text too wide at 6 pt is cut there (L->k.wrap
 * is 0: a summary's cells hold one line).
 */
#include "sheet_region.h"
#include "buf.h"
#include "err.h"
#include "pdf.h"
#include "roles.h"
#include "sheet_data.h"
#include "sheet_layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- geometry (points from the top-left corner; sheet_layout.h) ----------- */

#define X0 SHEET_X0
#define X1 SHEET_X1
#define CW SHEET_CW
#define FLOW_END SHEET_FLOW_END /* content ends above this */
#define PAGE2_TOP (SHEET_PAGE_QR_BOTTOM + 4)  /* content of a
                                                continuation page */
#define GRID_TOP SHEET_GRID_TOP
#define INFO_ROW SHEET_INFO_ROW
#define SEC_H 22.0              /* a section title */
#define HEAD_ROW 18.0
#define ROW 14.5
#define IND_ROW 15.5
#define FIG_H 44.0
#define CHART_H 112.0
#define SIGN_H 58.0
#define SCRATCH_MAX SHEET_SCRATCH_MAX
#define EPS 1e-9

/* Columns of the indicator table: 指标 目标 实际 达成率 差距 较上月. */
static const double ind_x[7] = {40, 240, 290, 380, 435, 500, 555};
/* Columns of the ranking: 排名 姓名 工号 岗位 所属区域 个人 团队 总分 等级. */
static const double rank_x[10] = {40, 72, 160, 215, 278, 370, 417, 464,
                                  511, 555};
/* Columns of the risks: 客户 风险 负责人 起始 说明. */
static const double risk_x[6] = {40, 195, 255, 318, 380, 555};

struct lay {
    struct sheet_layout k;  /* the document, the page (k.drawing 0: only
                               count the pages), streaming (k.sink: every
                               SHEET_CHUNK pages the document drawn so far
                               goes to the sink, so a summary of any
                               length holds a few pages at a time) */
    const struct tmpl_region *t;
    const struct roles *roles;
    const struct region_data *d;
    double y;               /* the cursor on the current page */
    int weak[ROLES_NIND];   /* highlighted as weakest */
    int nweak;
    struct buf b, b2;       /* scratch for formatted text (b: also the
                               continuation header: format after need()) */
    char period_text[64];
};

/* ---- errors and texts ------------------------------------------------------ */

/* hooks.fail: an error names the region once (not an out-of-memory). */
static int name_region(struct sheet_layout *K, int rc)
{
    if (rc && rc != ERR_NOMEM && !strstr(K->e->msg, "region "))
        err_prefix(K->e, "region %s: ", K->id);
    return rc;
}

static int region_fail(struct lay *L, int rc)
{
    return name_region(&L->k, rc);
}

/* Format template text k into b; NULL on error. */
static const char *fmt_in(struct lay *L, struct buf *b,
                          enum tmpl_region_key k, const char *const *names,
                          const char *const *values, size_t n)
{
    return sheet_format(&L->k, b, L->t->text[k], names, values, n);
}

static const char *fmt(struct lay *L, enum tmpl_region_key k,
                       const char *const *names, const char *const *values,
                       size_t n)
{
    return fmt_in(L, &L->b, k, names, values, n);
}

static const char *txt(const struct lay *L, enum tmpl_region_key k)
{
    return L->t->text[k];
}

static uint32_t col(const struct lay *L, enum tmpl_region_color c)
{
    return L->t->color[c];
}

/* ---- numbers ------------------------------------------------------------------ */

static void fmt_2(double v, char out[32])
{
    snprintf(out, 32, "%.2f", v);
    if (!strcmp(out, "-0.00"))
        snprintf(out, 32, "0.00");
}

/* A share 0..1 as "33.3%". */
static void fmt_share(double v, char out[32])
{
    sheet_fmt_pct(v, 1, 0, out);
}

/* ---- page furniture ------------------------------------------------------------- */

/* hooks.footer. */
static int draw_footer(struct sheet_layout *K)
{
    const struct lay *L = K->owner;
    const struct tmpl_region *t = L->t;
    const char *no = L->d->doc_no;
    /* the document number, as on a person's sheet: a signed paper copy
     * leads back to its registry entry */
    const struct sheet_footer f = {
        .doc_no = no && no[0] ? txt(L, TMPL_R_DOC_NO) : NULL, .no = no,
        .source = txt(L, TMPL_R_SOURCE),
        .company = t->company[0] ? t->company : L->d->company,
        .hash = L->d->source, .page = txt(L, TMPL_R_PAGE),
        .rule = col(L, TMPL_RC_LINE), .muted = col(L, TMPL_RC_MUTED),
        .page_w = 125};
    return sheet_footer(K, &f);
}

/* hooks.continued: the short header of a continuation page. */
static int draw_continued(struct sheet_layout *K)
{
    struct lay *L = K->owner;
    const struct region_data *d = L->d;

    buf_reset(&L->b);
    if (buf_printf(&L->b, "%s%s　%s（%s）　%s", txt(L, TMPL_R_TITLE),
                   txt(L, TMPL_R_CONTINUED), d->name, d->region_id,
                   L->period_text))
        return err_set(K->e, ERR_NOMEM, "region %s: header too long",
                       d->region_id);
    return sheet_continued(K, buf_str(&L->b), 34, col(L, TMPL_RC_TEXT),
                           col(L, TMPL_RC_LINE));
}

static int new_page(struct lay *L)
{
    int rc = sheet_new_page(&L->k);

    L->y = L->k.page == 1 ? 0 : PAGE2_TOP;
    return region_fail(L, rc);
}

/* Move to a new page unless h more points fit on this one. */
static int need(struct lay *L, double h)
{
    return L->y + h > FLOW_END ? new_page(L) : ERR_OK;
}

/* A section title with a rule under it, at the cursor. */
static int section(struct lay *L, const char *title)
{
    int rc = sheet_cell(&L->k, X0, L->y + 2, CW, 16, 11,
                        col(L, TMPL_RC_SECTION), SHEET_LEFT, title);
    if (!rc)
        rc = region_fail(L, sheet_line(&L->k, X0, L->y + 19, X1, L->y + 19,
                                       0.8, col(L, TMPL_RC_SECTION)));
    L->y += SEC_H;
    return rc;
}

/* ---- header ---------------------------------------------------------------------- */

static int draw_title(struct lay *L)
{
    const struct tmpl_region *t = L->t;
    const char *company = t->company[0] ? t->company : L->d->company;

    return sheet_title(&L->k, company, col(L, TMPL_RC_COMPANY),
                       txt(L, TMPL_R_TITLE), col(L, TMPL_RC_TEXT), 0, 60, 22);
}

/* One label/value pair of the info grid. */
static int info_cell(struct lay *L, int row, int c, enum tmpl_region_key k,
                     const char *value)
{
    const struct sheet_info_style st = {58, 5, col(L, TMPL_RC_BOX),
                                        col(L, TMPL_RC_TEXT)};
    double w = CW / 3, x = X0 + w * c, y = GRID_TOP + INFO_ROW * row;

    return region_fail(L, sheet_info_cell(&L->k, &st, x, y, w, txt(L, k),
                                          col(L, TMPL_RC_LABEL), value));
}

static int draw_info(struct lay *L)
{
    static const char *const pn[] = {"people", "scored"};
    const struct region_data *d = L->d;
    char people[16], scored[16], mgr[512];
    const char *pv[] = {people, scored}, *s;
    uint32_t lc = col(L, TMPL_RC_LINE);
    int rc;

    snprintf(people, sizeof people, "%d", d->people);
    snprintf(scored, sizeof scored, "%d", d->scored);
    if (d->manager_id[0])
        snprintf(mgr, sizeof mgr, "%s（%s）", d->manager_name,
                 d->manager_role);
    else
        snprintf(mgr, sizeof mgr, "%s", txt(L, TMPL_R_NO_MANAGER));
    if ((rc = info_cell(L, 0, 0, TMPL_R_LABEL_REGION, d->name)) ||
        (rc = info_cell(L, 0, 1, TMPL_R_LABEL_ID, d->region_id)) ||
        (rc = info_cell(L, 0, 2, TMPL_R_LABEL_PERIOD, L->period_text)) ||
        (rc = info_cell(L, 1, 0, TMPL_R_LABEL_PARENT,
                        d->parent_name[0] ? d->parent_name
                                          : txt(L, TMPL_R_NO_PARENT))) ||
        (rc = info_cell(L, 1, 1, TMPL_R_LABEL_MANAGER, mgr)))
        return rc;
    if (!(s = fmt(L, TMPL_R_PEOPLE_VALUE, pn, pv, 2)) ||
        (rc = info_cell(L, 1, 2, TMPL_R_LABEL_PEOPLE, s)))
        return s ? rc : L->k.e->code;
    rc = sheet_stroke(&L->k, X0, GRID_TOP, CW, 2 * INFO_ROW, 0.5, lc);
    for (int c = 1; c < 3 && !rc; c++)
        rc = sheet_line(&L->k, X0 + CW / 3 * c, GRID_TOP, X0 + CW / 3 * c,
                        GRID_TOP + 2 * INFO_ROW, 0.5, lc);
    if (!rc)
        rc = sheet_line(&L->k, X0, GRID_TOP + INFO_ROW, X1,
                        GRID_TOP + INFO_ROW, 0.5, lc);
    L->y = GRID_TOP + 2 * INFO_ROW + 12;
    return region_fail(L, rc);
}

/* ---- 一 overview ------------------------------------------------------------------- */

/* The month-on-month text and its colour. */
static const char *mom_text(struct lay *L, uint32_t *rgb)
{
    static const char *const dn[] = {"delta"};
    const struct region_data *d = L->d;
    char delta[32];
    const char *dv[] = {delta};
    double m = d->mom;

    *rgb = col(L, TMPL_RC_TEXT);
    if (!d->has_mom)
        return txt(L, TMPL_R_MOM_NONE);
    fmt_2(fabs(m), delta);
    if (!strcmp(delta, "0.00"))
        return txt(L, TMPL_R_MOM_SAME);
    *rgb = col(L, m > 0 ? TMPL_RC_UP : TMPL_RC_DOWN);
    return fmt_in(L, &L->b2, m > 0 ? TMPL_R_MOM_UP : TMPL_R_MOM_DOWN, dn,
                  dv, 1);
}

static int fig_box(struct lay *L, int i, enum tmpl_region_key label,
                   const char *value, uint32_t rgb)
{
    double w = (CW - 3 * 8) / 4, x = X0 + i * (w + 8), y = L->y;
    int rc = sheet_fill(&L->k, x, y, w, FIG_H, col(L, TMPL_RC_BOX));

    if (!rc)
        rc = region_fail(
            L, sheet_stroke(&L->k, x, y, w, FIG_H, 0.5, col(L, TMPL_RC_GRID)));
    if (!rc)
        rc = sheet_cell(&L->k, x + 4, y + 3, w - 8, 13, 8.5,
                        col(L, TMPL_RC_LABEL), SHEET_CENTER, txt(L, label));
    if (!rc)
        rc = sheet_cell(&L->k, x + 4, y + 17, w - 8, 24, 16, rgb, SHEET_CENTER,
                        value);
    return rc;
}

static int draw_roles(struct lay *L)
{
    static const char *const rn[] = {"role", "n"};
    const struct region_data *d = L->d;
    double x = X0 + 4 + sheet_width(&L->k, txt(L, TMPL_R_ROLES_LABEL), 9) + 10;
    int rc = sheet_cell(&L->k, X0 + 4, L->y, CW, 16, 9, col(L, TMPL_RC_LABEL),
                        SHEET_LEFT, txt(L, TMPL_R_ROLES_LABEL));

    for (int k = 0; k < d->nrole && !rc && x < X1; k++) { /* left to right */
        char n[16];
        const char *v[] = {d->role[k].label, n}, *s;
        snprintf(n, sizeof n, "%d", d->role[k].people);
        if (!(s = fmt(L, TMPL_R_ROLE_VALUE, rn, v, 2)))
            return L->k.e->code;
        rc = sheet_cell(&L->k, x, L->y, X1 - x, 16, 9, col(L, TMPL_RC_TEXT),
                        SHEET_LEFT, s);
        x += sheet_width(&L->k, s, 9) + 18;
    }
    L->y += 20;
    return rc;
}

static int draw_overview(struct lay *L)
{
    const struct region_data *d = L->d;
    char people[16], mean[32], median[32];
    const char *none = txt(L, TMPL_R_NONE), *mom;
    uint32_t text = col(L, TMPL_RC_TEXT), mc;
    int rc;

    snprintf(people, sizeof people, "%d", d->people);
    fmt_2(d->mean, mean);
    fmt_2(d->median, median);
    if ((rc = section(L, txt(L, TMPL_R_SEC_OVERVIEW))) ||
        (rc = fig_box(L, 0, TMPL_R_FIG_PEOPLE, people, text)) ||
        (rc = fig_box(L, 1, TMPL_R_FIG_MEAN, d->has_mean ? mean : none,
                      text)) ||
        (rc = fig_box(L, 2, TMPL_R_FIG_MEDIAN, d->has_median ? median : none,
                      text)))
        return rc;
    if (!(mom = mom_text(L, &mc)) || (rc = fig_box(L, 3, TMPL_R_FIG_MOM, mom,
                                                   mc)))
        return mom ? rc : L->k.e->code;
    L->y += FIG_H + 6;
    return draw_roles(L);
}

/* ---- 二 grades and trend ------------------------------------------------------------ */

/* The grade bars in band order: labels[] and counts[] (n of them). */
static int grade_order(const struct lay *L, const char **labels, int *counts)
{
    const struct region_data *d = L->d;
    const struct role *r = L->roles && L->roles->n ? &L->roles->r[0] : NULL;
    int n = 0;

    for (int b = 0; r && b < r->nband && n < REGION_MAX_COUNTS; b++) {
        labels[n] = r->band[b].label;
        counts[n] = 0;
        for (int g = 0; g < d->ngrade; g++)
            if (!strcmp(d->grade[g].label, labels[n]))
                counts[n] = d->grade[g].people;
        n++;
    }
    for (int g = 0; g < d->ngrade && n < REGION_MAX_COUNTS; g++) {
        int known = 0;
        for (int k = 0; k < n; k++)
            known |= !strcmp(labels[k], d->grade[g].label);
        if (!known) {
            labels[n] = d->grade[g].label;
            counts[n++] = d->grade[g].people;
        }
    }
    return n;
}

/* People of the quota grade, and the most allowed. */
static void quota(const struct lay *L, int *n, int *max)
{
    const struct region_data *d = L->d;
    *n = 0;
    for (int g = 0; g < d->ngrade; g++)
        if (!strcmp(d->grade[g].label, L->t->quota_grade))
            *n = d->grade[g].people;
    *max = (int)floor(L->t->quota_share * d->scored + EPS);
}

static int over_quota(const struct lay *L)
{
    int n, max;
    quota(L, &n, &max);
    return n > max;
}

static int draw_grades(struct lay *L, double x, double y, double w)
{
    static const char *const gn[] = {"n", "share"};
    const char *labels[REGION_MAX_COUNTS];
    int counts[REGION_MAX_COUNTS], n = grade_order(L, labels, counts), top = 1;
    int qn, qmax, rc = ERR_OK;
    double base = y + CHART_H - 16, bh = CHART_H - 36, slot;

    quota(L, &qn, &qmax);
    for (int k = 0; k < n; k++)
        top = counts[k] > top ? counts[k] : top;
    top = qmax > top ? qmax : top;
    slot = n ? w / n : w;
    rc = sheet_line(&L->k, x, base, x + w, base, 0.6, col(L, TMPL_RC_LINE));
    for (int k = 0; k < n && !rc; k++) {
        double h = bh * counts[k] / top, bx = x + k * slot + slot * 0.22;
        double bw = slot * 0.56;
        int is_q = !strcmp(labels[k], L->t->quota_grade);
        uint32_t c = is_q && qn > qmax ? col(L, TMPL_RC_WARN)
                                       : col(L, TMPL_RC_BAR);
        char cnt[16], share[32];
        const char *v[] = {cnt, share}, *s;
        snprintf(cnt, sizeof cnt, "%d", counts[k]);
        fmt_share(L->d->scored ? (double)counts[k] / L->d->scored : 0,
                  share);
        if (h > 0 && (rc = sheet_fill(&L->k, bx, base - h, bw, h, c)))
            break;
        if (is_q &&
            (rc = sheet_line(&L->k, x + k * slot + 2, base - bh * qmax / top,
                             x + (k + 1) * slot - 2, base - bh * qmax / top,
                             1.2, col(L, TMPL_RC_TARGET))))
            break;
        if (!(s = fmt(L, TMPL_R_GRADE_VALUE, gn, v, 2)))
            return L->k.e->code;
        if ((rc = sheet_cell(&L->k, x + k * slot,
                             base - fmax(h, is_q ? bh * qmax / top : 0) - 13,
                             slot, 11, 7.5, col(L, TMPL_RC_TEXT), SHEET_CENTER,
                             s)))
            return rc;
        rc = sheet_cell(&L->k, x + k * slot, base + 2, slot, 12, 8.5,
                        col(L, TMPL_RC_LABEL), SHEET_CENTER, labels[k]);
    }
    return region_fail(L, rc);
}

/* The lowest value of the trend axis: 0, or higher (a multiple of 10, at
 * most 60) when every mean is high. */
static double trend_floor(const struct region_data *d)
{
    double lo = 100;
    int any = 0;
    for (int k = 0; k < d->ntrend; k++)
        if (d->trend[k].has_mean) {
            lo = fmin(lo, d->trend[k].mean);
            any = 1;
        }
    if (!any || lo < 30)
        return 0;
    lo = floor((lo - 10) / 10) * 10;
    return lo > 60 ? 60 : lo < 0 ? 0 : lo;
}

static int draw_trend(struct lay *L, double x, double y, double w)
{
    const struct region_data *d = L->d;
    double lo = trend_floor(d), top = y + 14, bot = y + CHART_H - 16, gys[3];
    /* six slots over the plot (right of the axis labels): every label
     * stays inside the chart and the page margin */
    const struct sheet_gridline g = {
        .x0 = x + 18, .x1 = x + w, .lw = 0.4, .rgb = col(L, TMPL_RC_GRID),
        .label_x = x, .label_w = 16, .size = 7,
        .label_rgb = col(L, TMPL_RC_LABEL)};
    const struct sheet_trend tr = {
        .x0 = x + 18, .slot = (w - 18) / REGION_TREND_MAX, .top = top,
        .bottom = bot, .lo = lo, .slots = REGION_TREND_MAX, .label_size = 7,
        .label_rgb = col(L, TMPL_RC_LABEL), .line_w = 1.4, .mark = 2.2,
        .mark_cur = 2.2, .rgb = col(L, TMPL_RC_TREND), .value_h = 10,
        .value_size = 7.5, .value_size_cur = 7.5, .value_top = y,
        .value_rgb = col(L, TMPL_RC_TEXT), .grid = gys, .ngrid = 3};
    struct sheet_trend_point pt[REGION_TREND_MAX];
    int rc = ERR_OK, points = 0;

    memset(pt, 0, sizeof pt);
    for (int k = 0; k < d->ntrend; k++) {
        points += d->trend[k].has_mean;
        snprintf(pt[k].label, sizeof pt[k].label, "%.7s", d->trend[k].period);
        pt[k].has_value = d->trend[k].has_mean;
        pt[k].value = d->trend[k].mean;
        fmt_2(d->trend[k].mean, pt[k].text);
    }
    /* a single month is no trend: say so instead of a lonely point */
    if (points <= 1)
        return sheet_cell(&L->k, x + 18, (top + bot) / 2 - 5, w - 18, 10, 7.5,
                          col(L, TMPL_RC_MUTED), SHEET_CENTER,
                          txt(L, TMPL_R_TREND_NOTE));
    for (int k = 0; k <= 2 && !rc; k++) { /* lo, middle, 100 */
        double v = lo + (100 - lo) * k / 2;
        char s[16];
        gys[k] = bot - (bot - top) * k / 2;
        snprintf(s, sizeof s, "%.0f", v);
        rc = sheet_gridline(&L->k, &g, gys[k], s);
    }
    /* each value inside the chart and the page, on no gridline */
    if (!rc)
        rc = sheet_trend(&L->k, &tr, pt, d->ntrend);
    return region_fail(L, rc);
}

static int draw_quota_line(struct lay *L)
{
    static const char *const qn[] = {"grade", "n", "share", "quota", "max"};
    char n[16], share[32], q[32], max[16];
    const char *v[] = {L->t->quota_grade, n, share, q, max}, *s;
    int cnt, mx, warn = over_quota(L);

    quota(L, &cnt, &mx);
    snprintf(n, sizeof n, "%d", cnt);
    snprintf(max, sizeof max, "%d", mx);
    fmt_share(L->d->scored ? (double)cnt / L->d->scored : 0, share);
    sheet_fmt_pct(L->t->quota_share, 1, 0, q);
    if (!(s = fmt(L, warn ? TMPL_R_QUOTA_WARN : TMPL_R_QUOTA_OK, qn, v,
                  warn ? 5 : 4)))
        return L->k.e->code;
    return sheet_cell(&L->k, X0, L->y, CW, 14, 9,
                      col(L, warn ? TMPL_RC_WARN : TMPL_RC_LABEL), SHEET_LEFT,
                      s);
}

static int draw_charts(struct lay *L)
{
    double half = (CW - 20) / 2, y;
    int rc;

    if ((rc = sheet_cell(&L->k, X0, L->y + 2, half, 16, 11,
                         col(L, TMPL_RC_SECTION), SHEET_LEFT,
                         txt(L, TMPL_R_SEC_GRADES))) ||
        (rc = sheet_cell(&L->k, X0 + half + 20, L->y + 2, half, 16, 11,
                         col(L, TMPL_RC_SECTION), SHEET_LEFT,
                         txt(L, TMPL_R_SEC_TREND))) ||
        (rc = region_fail(L, sheet_line(&L->k, X0, L->y + 19, X1, L->y + 19,
                                        0.8, col(L, TMPL_RC_SECTION)))))
        return rc;
    y = L->y + SEC_H;
    if ((rc = draw_grades(L, X0, y, half)) ||
        (rc = draw_trend(L, X0 + half + 20, y, half)))
        return rc;
    L->y = y + CHART_H + 2;
    rc = draw_quota_line(L);
    L->y += 20;
    return rc;
}

/* ---- 三 indicators --------------------------------------------------------------------- */

/* Mark the template's number of applicable indicators furthest below
 * their target (largest target - rate; ties: A1..C6). */
static void find_weak(struct lay *L)
{
    const struct region_data *d = L->d;
    int used[ROLES_NIND] = {0};

    for (int k = 0; k < L->t->weakest; k++) {
        int best = -1;
        double gap = EPS;
        for (int i = 0; i < ROLES_NIND; i++) {
            const struct region_ind *in = &d->ind[i];
            if (used[i] || in->den <= 0 || !in->has_target)
                continue;
            if (in->target - in->rate > gap) {
                gap = in->target - in->rate;
                best = i;
            }
        }
        if (best < 0)
            break;
        used[best] = 1;
        L->weak[best] = 1;
        L->nweak++;
    }
}

static int table_head(struct lay *L, const double *x, int ncol,
                      const enum tmpl_region_key *keys)
{
    int rc = sheet_fill(&L->k, X0, L->y, CW, HEAD_ROW, col(L, TMPL_RC_HEADER));

    for (int c = 0; c < ncol && !rc; c++)
        rc = sheet_cell(&L->k, x[c] + 3, L->y, x[c + 1] - x[c] - 6, HEAD_ROW,
                        9, col(L, TMPL_RC_HEADER_TEXT),
                        c ? SHEET_CENTER : SHEET_LEFT, txt(L, keys[c]));
    L->y += HEAD_ROW;
    return region_fail(L, rc);
}

/* The change of an indicator's rate from last month, in points, with
 * an arrow; its colour. */
static void change_text(const struct lay *L, const struct region_ind *in,
                        char out[48], uint32_t *rgb)
{
    double dp = (in->rate - in->prev_rate) * 100;
    char v[32];

    *rgb = col(L, TMPL_RC_LABEL);
    if (in->den <= 0 || !in->has_prev) {
        snprintf(out, 48, "%s", txt(L, TMPL_R_NONE));
        return;
    }
    snprintf(v, sizeof v, "%.1f", fabs(dp));
    if (!strcmp(v, "0.0")) {
        snprintf(out, 48, "→ 0.0");
        return;
    }
    *rgb = col(L, dp > 0 ? TMPL_RC_UP : TMPL_RC_DOWN);
    snprintf(out, 48, "%s %s", dp > 0 ? "↑" : "↓", v);
}

/* The ground of a table row h high at the cursor: filled with rgb when
 * filled is set, a thin rule under it. */
static int row_ground(struct lay *L, double h, int filled, uint32_t rgb)
{
    int rc = filled ? sheet_fill(&L->k, X0, L->y, CW, h, rgb) : ERR_OK;

    if (!rc)
        rc = sheet_line(&L->k, X0, L->y + h, X1, L->y + h, 0.3,
                        col(L, TMPL_RC_GRID));
    return region_fail(L, rc);
}

static int ind_row(struct lay *L, int i, int zebra)
{
    const struct region_ind *in = &L->d->ind[i];
    uint32_t text = col(L, TMPL_RC_TEXT), rc_col;
    char name[160], target[32], actual[80], rate[32], gap[32], chg[48];
    char a[32], b[32];
    int rc, app = in->den > 0;

    snprintf(name, sizeof name, "%s%s %s", L->weak[i] ? "★" : "",
             roles_ind_id[i], roles_ind_label[i]);
    if (in->has_target)
        sheet_fmt_pct(in->target, 1, 0, target);
    else
        snprintf(target, sizeof target, "%s", txt(L, TMPL_R_NONE));
    sheet_fmt_num(in->num, a);
    sheet_fmt_num(in->den, b);
    snprintf(actual, sizeof actual, "%s/%s", a, b);
    if (app)
        sheet_fmt_pct(in->rate, 1, 0, rate);
    else
        snprintf(rate, sizeof rate, "%s", txt(L, TMPL_R_NA));
    if (app && in->has_target)
        snprintf(gap, sizeof gap, "%+.1f", (in->rate - in->target) * 100);
    else
        snprintf(gap, sizeof gap, "%s", txt(L, TMPL_R_NONE));
    if (!strcmp(gap, "-0.0") || !strcmp(gap, "+0.0"))
        snprintf(gap, sizeof gap, "0.0");
    change_text(L, in, chg, &rc_col);
    if ((rc = row_ground(L, IND_ROW, 1, L->weak[i] ? col(L, TMPL_RC_WEAK)
                                        : zebra ? col(L, TMPL_RC_ZEBRA)
                                                : 0xFFFFFF)))
        return rc;
    {
        const char *v[6] = {name, target, actual, rate, gap, chg};
        uint32_t c[6] = {L->weak[i] ? col(L, TMPL_RC_WARN) : text, text, text,
                         app && in->has_target && in->rate + EPS < in->target
                             ? col(L, TMPL_RC_DOWN) : text,
                         app ? text : col(L, TMPL_RC_MUTED), rc_col};
        if (!app)
            c[0] = c[1] = c[2] = c[3] = col(L, TMPL_RC_MUTED);
        for (int k = 0; k < 6 && !rc; k++)
            rc = sheet_cell(&L->k, ind_x[k] + 4, L->y,
                            ind_x[k + 1] - ind_x[k] - 8, IND_ROW, 8.5, c[k],
                            k ? SHEET_CENTER : SHEET_LEFT, v[k]);
    }
    L->y += IND_ROW;
    return rc;
}

static int draw_indicators(struct lay *L)
{
    static const enum tmpl_region_key keys[6] = {
        TMPL_R_COL_INDICATOR, TMPL_R_COL_TARGET, TMPL_R_COL_ACTUAL,
        TMPL_R_COL_RATE, TMPL_R_COL_GAP, TMPL_R_COL_CHANGE};
    static const char *const wn[] = {"n"};
    char n[16];
    const char *v[] = {n}, *s;
    int rc;

    if ((rc = need(L, SEC_H + HEAD_ROW + IND_ROW * ROLES_NIND + 16)) ||
        (rc = section(L, txt(L, TMPL_R_SEC_INDICATORS))) ||
        (rc = table_head(L, ind_x, 6, keys)))
        return rc;
    for (int i = 0; i < ROLES_NIND && !rc; i++)
        rc = ind_row(L, i, i % 2);
    if (!rc && L->nweak > 0) {
        snprintf(n, sizeof n, "%d", L->nweak);
        if (!(s = fmt(L, TMPL_R_WEAK_NOTE, wn, v, 1)))
            return L->k.e->code;
        rc = sheet_cell(&L->k, X0, L->y + 2, CW, 13, 8.5, col(L, TMPL_RC_WARN),
                        SHEET_LEFT, s);
    }
    L->y += 20;
    return rc;
}

/* ---- 四 ranking ------------------------------------------------------------------------- */

static const enum tmpl_region_key rank_keys[9] = {
    TMPL_R_COL_RANK, TMPL_R_COL_NAME, TMPL_R_COL_ID, TMPL_R_COL_ROLE,
    TMPL_R_COL_REGION, TMPL_R_COL_OWN, TMPL_R_COL_TEAM, TMPL_R_COL_TOTAL,
    TMPL_R_COL_GRADE};

static int rank_row(struct lay *L, const struct region_member *m, int zebra)
{
    uint32_t text = col(L, TMPL_RC_TEXT), muted = col(L, TMPL_RC_MUTED);
    char rank[16], own[32], team[32], total[32], name[300];
    const char *none = txt(L, TMPL_R_NONE);
    int rc = ERR_OK;

    if (m->rank > 0)
        snprintf(rank, sizeof rank, "%d", m->rank);
    else
        snprintf(rank, sizeof rank, "%s", none);
    fmt_2(m->own, own);
    fmt_2(m->team, team);
    fmt_2(m->total, total);
    snprintf(name, sizeof name, "%s%s", m->name,
             m->left ? txt(L, TMPL_R_LEFT_MARK) : "");
    if ((rc = row_ground(L, ROW, zebra, col(L, TMPL_RC_ZEBRA))))
        return rc;
    {
        const char *v[9] = {rank, name, m->person_id, m->role_label,
                            m->region_name, m->has_own ? own : none,
                            m->has_team ? team : none,
                            m->has_total ? total : txt(L, TMPL_R_NO_TOTAL),
                            m->grade[0] ? m->grade : none};
        for (int k = 0; k < 9 && !rc; k++)
            rc = sheet_cell(
                &L->k, rank_x[k] + 3, L->y, rank_x[k + 1] - rank_x[k] - 6, ROW,
                8.5, k == 1 && m->left ? muted : text,
                k == 1 || k == 4 ? SHEET_LEFT : SHEET_CENTER, v[k]);
    }
    L->y += ROW;
    return rc;
}

static int draw_ranking(struct lay *L)
{
    const struct region_data *d = L->d;
    double whole = SEC_H + HEAD_ROW + ROW * (double)d->nmember;
    int rc;

    if (L->y + whole > FLOW_END && (rc = new_page(L)))
        return rc;
    if ((rc = section(L, txt(L, TMPL_R_SEC_RANKING))) ||
        (rc = table_head(L, rank_x, 9, rank_keys)))
        return rc;
    for (size_t k = 0; k < d->nmember && !rc; k++) {
        if (L->y + ROW > FLOW_END &&
            ((rc = new_page(L)) || (rc = table_head(L, rank_x, 9,
                                                    rank_keys))))
            break;
        rc = rank_row(L, &d->member[k], (int)(k % 2));
    }
    L->y += 12;
    return rc;
}

/* ---- 五 risks ---------------------------------------------------------------------------- */

static const enum tmpl_region_key risk_keys[5] = {
    TMPL_R_COL_CUSTOMER, TMPL_R_COL_RISK, TMPL_R_COL_OWNER, TMPL_R_COL_SINCE,
    TMPL_R_COL_DETAIL};

static int risk_row(struct lay *L, const struct region_risk *k, int zebra)
{
    static const char *const hn[] = {"from", "count", "keys"};
    uint32_t text = col(L, TMPL_RC_TEXT);
    char cust[400], cnt[16], keys[16];
    const char *hv[] = {k->from_name, cnt, keys}, *detail;
    int h = k->kind == REGION_RISK_HANDOVER, rc = ERR_OK;

    snprintf(cnt, sizeof cnt, "%d", k->count);
    snprintf(keys, sizeof keys, "%d", k->keys);
    snprintf(cust, sizeof cust, "%s %s", k->customer_id, k->customer_name);
    if (!(detail = h ? fmt(L, TMPL_R_HANDOVER_DETAIL, hn, hv, 3)
                     : fmt(L, TMPL_R_SINGLE_DETAIL, hn + 1, hv + 1, 2)))
        return L->k.e->code;
    if ((rc = row_ground(L, ROW, zebra, col(L, TMPL_RC_ZEBRA))))
        return rc;
    {
        const char *v[5] = {cust, txt(L, h ? TMPL_R_RISK_HANDOVER
                                           : TMPL_R_RISK_SINGLE),
                            k->owner_name, k->since, detail};
        for (int c = 0; c < 5 && !rc; c++)
            rc = sheet_cell(
                &L->k, risk_x[c] + 3, L->y, risk_x[c + 1] - risk_x[c] - 6, ROW,
                8.5, c == 1 ? col(L, TMPL_RC_WARN) : text,
                c == 0 || c == 4 ? SHEET_LEFT : SHEET_CENTER, v[c]);
    }
    L->y += ROW;
    return rc;
}

static int draw_risks(struct lay *L)
{
    static const char *const sn[] = {"handover", "single"};
    static const char *const mn[] = {"n"};
    const struct region_data *d = L->d;
    char h[16], s1[16], more[24];
    const char *sv[] = {h, s1}, *mv[] = {more}, *s;
    size_t lines = 0, first = d->nrisk < 3 ? d->nrisk : 3;
    int total = d->risk_total[0] + d->risk_total[1], rc;
    /* what follows the last row: the count of risks not listed, the gap
     * and the sign-off */
    double tail = ((size_t)total > d->nrisk ? 16 : 0) + 10 + SIGN_H;

    snprintf(h, sizeof h, "%d", d->risk_total[0]);
    snprintf(s1, sizeof s1, "%d", d->risk_total[1]);
    if (!(s = fmt_in(L, &L->b2, total ? TMPL_R_RISK_SUMMARY : TMPL_R_RISK_NONE,
                     sn, sv, total ? 2 : 0)) ||
        (rc = sheet_para_lines(&L->k, s, CW, 9, &lines)))
        return s ? rc : L->k.e->code;
    lines = lines > 4 ? 4 : lines;
    /* the last section: its end travels with the sign-off, so that no
     * page holds the signature block alone */
    if ((rc = need(L, SEC_H + 13.0 * (double)lines + 4 +
                          (first ? HEAD_ROW + ROW * (double)first : 0) +
                          (d->nrisk <= first ? tail : 0))) ||
        (rc = section(L, txt(L, TMPL_R_SEC_RISKS))) ||
        (rc = sheet_para(&L->k, X0 + 2, L->y + 10, CW, 9, 13,
                         col(L, TMPL_RC_TEXT), s, 4)))
        return rc;
    L->y += 13.0 * (double)lines + 4;
    if (d->nrisk && (rc = table_head(L, risk_x, 5, risk_keys)))
        return rc;
    for (size_t k = 0; k < d->nrisk && !rc; k++) {
        double rh = ROW + (k + 1 == d->nrisk ? tail : 0);
        if (L->y + rh > FLOW_END &&
            ((rc = new_page(L)) || (rc = table_head(L, risk_x, 5,
                                                    risk_keys))))
            break;
        rc = risk_row(L, &d->risk[k], (int)(k % 2));
    }
    if (!rc && (size_t)total > d->nrisk) {
        snprintf(more, sizeof more, "%zu", (size_t)total - d->nrisk);
        if ((rc = need(L, 16 + 10 + SIGN_H)) ||
            !(s = fmt(L, TMPL_R_RISK_MORE, mn, mv, 1)) ||
            (rc = sheet_cell(&L->k, X0 + 2, L->y + 2, CW, 13, 8.5,
                             col(L, TMPL_RC_LABEL), SHEET_LEFT, s)))
            return s ? rc : L->k.e->code;
        L->y += 16;
    }
    L->y += 10;
    return rc;
}

/* ---- sign-off ----------------------------------------------------------------------------- */

static int draw_signoff(struct lay *L)
{
    static const enum tmpl_region_key who[2] = {TMPL_R_SIGN_MANAGER,
                                                TMPL_R_SIGN_HR};
    static const char *const box[2] = {"sign-manager", "sign-hr"};
    const char *qr = L->d->qr_text;
    double room = 0, w, y;
    int rc = need(L, SIGN_H);

    y = fmax(L->y, FLOW_END - SIGN_H);  /* at the foot, as on a paper form */
    /* the QR code at the right end, as on a person's sheet, its quiet zone
     * clear of the signature lines */
    if (!rc && (rc = sheet_qr(&L->k, qr, y + (SIGN_H - SHEET_QR_SIDE) / 2,
                              col(L, TMPL_RC_TEXT), &room)))
        return region_fail(L, rc);
    w = (CW - room - 30) / 2;
    for (int c = 0; c < 2 && !rc; c++) {
        double x = X0 + c * (w + 30),
               lw = sheet_width(&L->k, txt(L, who[c]), 10);
        rc = sheet_cell(&L->k, x, y + 8, w, 16, 10, col(L, TMPL_RC_TEXT),
                        SHEET_LEFT, txt(L, who[c]));
        if (!rc)
            rc = region_fail(L, sheet_line(&L->k, x + lw + 4, y + 22, x + w,
                                           y + 22, 0.6, col(L, TMPL_RC_LINE)));
        if (!rc)
            rc = region_fail(L, sheet_box(&L->k, box[c], L->k.page,
                                          x + lw + 4, y + 4, x + w, y + 22));
        if (!rc)
            rc = sheet_cell(&L->k, x, y + 32, w, 14, 9, col(L, TMPL_RC_LABEL),
                            SHEET_LEFT, txt(L, TMPL_R_DATE_LINE));
    }
    L->y = y + SIGN_H;
    return rc;
}

/* ---- the whole sheet --------------------------------------------------------------------- */

static int set_info(struct lay *L)
{
    const struct region_data *d = L->d;
    const struct sheet_info in = {
        .title = txt(L, TMPL_R_TITLE), .period = d->period,
        .id = d->region_id, .name = d->name,
        .author = L->t->company[0] ? L->t->company : d->company,
        .subject = d->doc_no && d->doc_no[0] ? d->doc_no : d->region_id,
        .registry = d->registry, .day = d->period_end};
    return sheet_set_info(&L->k, &in);
}

/* Last month's sheets not returned signed: a paragraph before the
 * risks, only when there are any. */
static int draw_unreturned(struct lay *L)
{
    static const char *const un[] = {"period", "n", "names"};
    const struct region_data *d = L->d;
    char n[16], period[32];
    const char *uv[] = {period, n, d->unreturned_names}, *s;
    size_t lines = 0;
    int rc;

    if (!d->unreturned || !d->unreturned_names)
        return ERR_OK;
    snprintf(n, sizeof n, "%d", d->unreturned);
    snprintf(period, sizeof period, "%.4s年%d月", d->unreturned_period,
             (d->unreturned_period[5] - '0') * 10 +
                 (d->unreturned_period[6] - '0'));
    if (!(s = fmt_in(L, &L->b2, TMPL_R_UNRETURNED, un, uv, 3)) ||
        (rc = sheet_para_lines(&L->k, s, CW, 9, &lines)))
        return s ? rc : L->k.e->code;
    lines = lines > 6 ? 6 : lines;
    if ((rc = need(L, 13.0 * (double)lines + 12)) ||
        (rc = sheet_para(&L->k, X0 + 2, L->y + 10, CW, 9, 13,
                         col(L, TMPL_RC_WARN), s, lines)))
        return rc;
    L->y += 13.0 * (double)lines + 12;
    return ERR_OK;
}

static int layout(struct lay *L)
{
    int rc;

    L->k.page = 0;
    if ((rc = new_page(L)) || (rc = draw_title(L)) || (rc = draw_info(L)) ||
        (rc = draw_overview(L)) || (rc = draw_charts(L)) ||
        (rc = draw_indicators(L)) || (rc = draw_ranking(L)) ||
        (rc = draw_unreturned(L)) || (rc = draw_risks(L)))
        return rc;
    return draw_signoff(L);
}

static const struct sheet_hooks hooks = {name_region, draw_footer,
                                          draw_continued};

static int lay_init(struct lay *L, const struct tmpl_region *t,
                    const struct font *f, const struct roles *roles,
                    const struct region_data *d,
                    const struct sheet_paging *pg, struct err *e)
{
    static const char *const pn[] = {"year", "month"};
    char y[8], m[8];
    const char *pv[] = {y, m};
    int rc;

    memset(L, 0, sizeof *L);
    rc = sheet_layout_init(&L->k, f, "region", d->region_id, &hooks, L, e);
    L->k.drawing = 0;       /* the first pass counts the pages */
    L->k.pg = pg;
    sheet_layout_page_code(&L->k, d->qr_text);
    L->t = t;
    L->roles = roles;
    L->d = d;
    buf_init(&L->b, SCRATCH_MAX);
    buf_init(&L->b2, SCRATCH_MAX);
    snprintf(y, sizeof y, "%.4s", d->period);
    snprintf(m, sizeof m, "%d", (d->period[5] - '0') * 10 +
                                (d->period[6] - '0'));
    find_weak(L);
    if (rc)
        return rc;
    if (!fmt(L, TMPL_R_PERIOD_VALUE, pn, pv, 2))
        return e->code;
    snprintf(L->period_text, sizeof L->period_text, "%s", buf_str(&L->b));
    return ERR_OK;
}

static void lay_free(struct lay *L)
{
    buf_free(&L->b);
    buf_free(&L->b2);
    sheet_layout_free(&L->k);
}

int sheet_region_pages(const struct tmpl_region *t, const struct font *f,
                       const struct roles *roles,
                       const struct region_data *d, int *pages,
                       struct err *e)
{
    struct lay L;
    int rc = lay_init(&L, t, f, roles, d, NULL, e);

    *pages = 0;
    if (!rc && !(rc = layout(&L)))
        *pages = L.k.page;
    lay_free(&L);
    return rc;
}

int sheet_region_build(const struct tmpl_region *t, const struct font *f,
                       const struct roles *roles,
                       const struct region_data *d,
                       const struct sheet_paging *pg, struct pdf **out,
                       struct err *e)
{
    struct lay L;
    int rc = lay_init(&L, t, f, roles, d, pg, e);

    *out = NULL;
    if (!rc && !(rc = layout(&L))) {    /* count the pages */
        L.k.pages = L.k.page;
        L.k.drawing = 1;
        if (!(rc = set_info(&L)) && !(rc = layout(&L)))
            *out = sheet_layout_take(&L.k);
    }
    lay_free(&L);
    return rc;
}

int sheet_region_stream(const struct tmpl_region *t, const struct font *f,
                        const struct roles *roles,
                        const struct region_data *d,
                        const struct sheet_paging *pg, sheet_sink_fn sink,
                        void *ctx, struct sheet_stats *st, struct err *e)
{
    struct lay L;
    int rc = lay_init(&L, t, f, roles, d, pg, e);

    if (st)
        memset(st, 0, sizeof *st);
    if (!rc && !(rc = layout(&L))) {    /* count the pages */
        L.k.pages = L.k.page;
        L.k.drawing = 1;
        L.k.st = st;
        L.k.sink = sink;
        L.k.sink_ctx = ctx;
        if (!(rc = set_info(&L)) && !(rc = layout(&L)))
            rc = region_fail(&L, sheet_flush(&L.k));
    }
    lay_free(&L);
    return rc;
}

int sheet_region_write(const struct tmpl_region *t, const struct font *f,
                       const struct roles *roles,
                       const struct region_data *d, const char *path,
                       size_t *bytes, struct err *e)
{
    struct pdf *pdf;
    int rc = sheet_region_build(t, f, roles, d, NULL, &pdf, e);

    if (!rc)
        rc = sheet_write_pdf(pdf, path, bytes, "region", d->region_id, e);
    pdf_free(pdf);
    return rc;
}

int sheet_region_check_template(const struct tmpl_region *t,
                                const struct font *f, struct err *e)
{
    char what[64];

    for (int k = 0; k < TMPL_R_NKEY; k++) {
        snprintf(what, sizeof what, "text '%s'",
                 tmpl_region_key_name((enum tmpl_region_key)k));
        if (sheet_check_text(f, t->file, what, t->text[k], e))
            return e->code;
    }
    if (sheet_check_text(f, t->file, "company", t->company, e) ||
        sheet_check_text(f, t->file, "quota grade", t->quota_grade, e))
        return e->code;
    /* the arrows and marks the layout adds itself */
    return sheet_check_text(f, t->file, "layout marks", "↑↓→★…", e);
}
