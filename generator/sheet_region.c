/* sheet_region -- laying out a region's summary sheet (see
 * sheet_region.h for the layout, store_region.h for the data).
 *
 * One code path for counting and drawing: every section advances a
 * cursor (page, y) through need()/new_page(), and the drawing helpers do
 * nothing while L->drawing is 0.  sheet_region_build runs the layout once
 * to count the pages, then again to draw them with "共 y 页" known.
 */
#include "sheet_region.h"
#include "buf.h"
#include "date.h"
#include "err.h"
#include "font.h"
#include "fsx.h"
#include "mem.h"
#include "pdf.h"
#include "sheet_qr.h"
#include "roles.h"
#include "sheet_data.h"
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
#define FLOW_END (FOOT_Y - 6)   /* content ends above this */
#define PAGE2_TOP 66.0          /* content of a continuation page */
#define GRID_TOP 92.0
#define INFO_ROW 20.0
#define SEC_H 22.0              /* a section title */
#define HEAD_ROW 18.0
#define ROW 14.5
#define IND_ROW 15.5
#define FIG_H 44.0
#define CHART_H 112.0
#define SIGN_H 58.0
#define QR_SIDE 40.0            /* the QR code in the sign-off, as on a
                                   person's sheet */
#define MIN_SIZE 6.0
#define SCRATCH_MAX 8192
#define EPS 1e-9

enum align { AL_LEFT, AL_CENTER, AL_RIGHT };

/* Columns of the indicator table: 指标 目标 实际 达成率 差距 较上月. */
static const double ind_x[7] = {40, 240, 290, 380, 435, 500, 555};
/* Columns of the ranking: 排名 姓名 工号 岗位 所属区域 个人 团队 总分 等级. */
static const double rank_x[10] = {40, 72, 160, 215, 278, 370, 417, 464,
                                  511, 555};
/* Columns of the risks: 客户 风险 负责人 起始 说明. */
static const double risk_x[6] = {40, 195, 255, 318, 380, 555};

struct lay {
    struct pdf *pdf;
    const struct tmpl_region *t;
    const struct font *font;
    const struct roles *roles;
    const struct region_data *d;
    const struct sheet_paging *pg;
    struct err *e;
    int drawing;            /* 0: only count the pages */
    int page, pages;
    double y;               /* the cursor on the current page */
    double cap;             /* cap height per point of size */
    int weak[ROLES_NIND];   /* highlighted as weakest */
    int nweak;
    struct buf b, b2;       /* scratch for formatted text (b: also the
                               page furniture: format after need()) */
    struct buf cutb;        /* text cut to fit (cell() only) */
    char period_text[64];
    /* streaming (sheet_region_stream): every SR_CHUNK pages the document
     * drawn so far goes to the sink and a new one starts, so a summary of
     * any length holds a few pages at a time */
    int (*sink)(void *ctx, struct pdf *part, struct err *e);
    void *sink_ctx;
    int chunk_pages;        /* pages in L->pdf */
};

#define SR_CHUNK 16

/* ---- drawing primitives (no-ops while counting) ------------------------- */

static int region_fail(struct lay *L, int rc)
{
    if (rc && rc != ERR_NOMEM && !strstr(L->e->msg, "region "))
        err_prefix(L->e, "region %s: ", L->d->region_id);
    return rc;
}

static int fill(struct lay *L, double x, double y, double w, double h,
                uint32_t rgb)
{
    return L->drawing ? pdf_fill_rect(L->pdf, x, y, w, h, rgb, L->e) : 0;
}

static int stroke(struct lay *L, double x, double y, double w, double h,
                  double lw, uint32_t rgb)
{
    return L->drawing ? pdf_stroke_rect(L->pdf, x, y, w, h, lw, rgb, L->e)
                      : 0;
}

static int line(struct lay *L, double x1, double y1, double x2, double y2,
                double lw, uint32_t rgb)
{
    return L->drawing ? pdf_line(L->pdf, x1, y1, x2, y2, lw, rgb, L->e) : 0;
}

static double width(struct lay *L, const char *s, double size)
{
    return pdf_text_width(L->pdf, s, strlen(s), size);
}

static double align_x(double x, double w, double tw, enum align al)
{
    return al == AL_LEFT ? x : al == AL_CENTER ? x + (w - tw) / 2
                                               : x + w - tw;
}

/* Draw s[0..len) with its baseline at base. */
static int run(struct lay *L, double x, double base, double size,
               uint32_t rgb, const char *s, size_t len)
{
    if (!L->drawing || !len)
        return ERR_OK;
    return region_fail(L, pdf_text(L->pdf, x, base, size, rgb, s, len,
                                   L->e));
}

/* s cut to fit w at size, with "…" (into L->cutb). */
static const char *cut_text(struct lay *L, const char *s, double w,
                            double size)
{
    static const char ell[] = "\xE2\x80\xA6";
    double ew = pdf_text_width(L->pdf, ell, 3, size);
    size_t len = strlen(s), keep = 0, k;
    uint32_t cp;

    while (keep < len && (k = text_utf8_decode(s + keep, len - keep, &cp)) &&
           pdf_text_width(L->pdf, s, keep + k, size) + ew <= w)
        keep += k;
    buf_reset(&L->cutb);
    if (buf_append(&L->cutb, s, keep) || buf_append(&L->cutb, ell, 3))
        return NULL;
    return buf_str(&L->cutb);
}

/* Draw s in the box (x, y, w, h), vertically centred: at size when it
 * fits, else shrunk down to MIN_SIZE, else cut with "…". */
static int cell(struct lay *L, double x, double y, double w, double h,
                double size, uint32_t rgb, enum align al, const char *s)
{
    double tw;

    if (!s[0] || w <= 0 || !L->drawing)
        return ERR_OK;
    tw = width(L, s, size);
    if (tw > w) {
        double s2 = floor(size * w / tw * 10) / 10;
        size = s2 < MIN_SIZE ? MIN_SIZE : s2;
        if (s2 < MIN_SIZE && !(s = cut_text(L, s, w, size)))
            return err_set(L->e, ERR_NOMEM, "region %s: out of memory",
                           L->d->region_id);
        tw = width(L, s, size);
    }
    return run(L, align_x(x, w, tw, al), y + (h + L->cap * size) / 2, size,
               rgb, s, strlen(s));
}

struct wctx {
    struct pdf *pdf;
    double size;
};

static double width_at(void *ctx, const char *s, size_t len)
{
    struct wctx *c = ctx;
    return pdf_text_width(c->pdf, s, len, c->size);
}

/* Lines s needs at width w (0 for ""). */
static int para_lines(struct lay *L, const char *s, double w, double size,
                      size_t *n)
{
    struct wctx c = {L->pdf, size};
    return region_fail(L, text_break(s, strlen(s), w - size, width_at, &c,
                                     NULL, 0, n, L->e));
}

/* Draw s as a paragraph of at most 4 lines, first baseline at base. */
static int para(struct lay *L, double x, double base, double w, double size,
                double lead, uint32_t rgb, const char *s)
{
    struct text_line ln[4];
    struct wctx c = {L->pdf, size};
    size_t n;
    int rc;

    if (!L->drawing)
        return ERR_OK;
    if ((rc = text_break(s, strlen(s), w - size, width_at, &c, ln, 4, &n,
                         L->e)))
        return region_fail(L, rc);
    for (size_t i = 0; i < n && i < 4 && !rc; i++, base += lead)
        rc = run(L, x, base, size, rgb, s + ln[i].off, ln[i].len);
    return rc;
}

/* Format template text k into b; NULL on error. */
static const char *fmt_in(struct lay *L, struct buf *b,
                          enum tmpl_region_key k, const char *const *names,
                          const char *const *values, size_t n)
{
    buf_reset(b);
    if (tmpl_format(b, L->t->text[k], names, values, n, L->e)) {
        region_fail(L, L->e->code);
        return NULL;
    }
    return buf_str(b);
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

static int draw_footer(struct lay *L)
{
    static const char *const pn[] = {"page", "pages"};
    static const char *const sn[] = {"company", "hash"};
    static const char *const dn[] = {"no"};
    const struct tmpl_region *t = L->t;
    uint32_t c = col(L, TMPL_RC_MUTED);
    char page[16], pages[16];
    const char *company = t->company[0] ? t->company : L->d->company;
    const char *pv[] = {page, pages}, *sv[] = {company, L->d->source};
    const char *dv[] = {L->d->doc_no};
    const char *s;
    double sx = X0, sw = CW - 130;
    int rc;

    snprintf(page, sizeof page, "%d", L->pg ? L->pg->first + L->page - 1
                                            : L->page);
    snprintf(pages, sizeof pages, "%d", L->pg ? L->pg->total : L->pages);
    if ((rc = line(L, X0, FOOT_Y, X1, FOOT_Y, 0.5, col(L, TMPL_RC_LINE))))
        return region_fail(L, rc);
    /* the document number, as on a person's sheet: a signed paper copy
     * leads back to its registry entry */
    if (L->d->doc_no && L->d->doc_no[0]) {
        if (!(s = fmt(L, TMPL_R_DOC_NO, dn, dv, 1)) ||
            (rc = cell(L, X0, FOOT_Y + 3, 165, 12, 8, c, AL_LEFT, s)))
            return s ? rc : L->e->code;
        sx = X0 + 170;
        sw = CW - 300;
    }
    if (!(s = fmt(L, TMPL_R_SOURCE, sn, sv, 2)) ||
        (rc = cell(L, sx, FOOT_Y + 3, sw, 12, 8, c,
                   sx > X0 ? AL_CENTER : AL_LEFT, s)))
        return s ? rc : L->e->code;
    if (!(s = fmt(L, TMPL_R_PAGE, pn, pv, 2)))
        return L->e->code;
    return cell(L, X1 - 125, FOOT_Y + 3, 125, 12, 8, c, AL_RIGHT, s);
}

/* The short header of a continuation page. */
static int draw_continued(struct lay *L)
{
    const struct region_data *d = L->d;
    int rc;

    buf_reset(&L->b);
    if (buf_printf(&L->b, "%s%s　%s（%s）　%s", txt(L, TMPL_R_TITLE),
                   txt(L, TMPL_R_CONTINUED), d->name, d->region_id,
                   L->period_text))
        return err_set(L->e, ERR_NOMEM, "region %s: header too long",
                       d->region_id);
    if ((rc = cell(L, X0, 34, CW, 16, 10, col(L, TMPL_RC_TEXT), AL_LEFT,
                   buf_str(&L->b))))
        return rc;
    return region_fail(L, line(L, X0, 54, X1, 54, 0.5,
                               col(L, TMPL_RC_LINE)));
}

/* Hand the pages drawn so far to the sink and start a new document. */
static int flush_chunk(struct lay *L)
{
    int rc;

    if (!L->sink || L->chunk_pages == 0)
        return ERR_OK;
    if ((rc = L->sink(L->sink_ctx, L->pdf, L->e)))
        return region_fail(L, rc);
    pdf_free(L->pdf);
    L->pdf = NULL;
    L->chunk_pages = 0;
    return region_fail(L, pdf_new(&L->pdf, L->font, L->e));
}

static int new_page(struct lay *L)
{
    int rc;

    L->page++;
    L->y = L->page == 1 ? 0 : PAGE2_TOP;
    if (!L->drawing)
        return ERR_OK;
    if (L->sink && L->chunk_pages >= SR_CHUNK && (rc = flush_chunk(L)))
        return rc;
    L->chunk_pages++;
    if ((rc = region_fail(L, pdf_page(L->pdf, PDF_A4_WIDTH, PDF_A4_HEIGHT,
                                      L->e))) ||
        (rc = draw_footer(L)))
        return rc;
    return L->page > 1 ? draw_continued(L) : ERR_OK;
}

/* Move to a new page unless h more points fit on this one. */
static int need(struct lay *L, double h)
{
    return L->y + h > FLOW_END ? new_page(L) : ERR_OK;
}

/* A section title with a rule under it, at the cursor. */
static int section(struct lay *L, const char *title)
{
    int rc = cell(L, X0, L->y + 2, CW, 16, 11, col(L, TMPL_RC_SECTION),
                  AL_LEFT, title);
    if (!rc)
        rc = region_fail(L, line(L, X0, L->y + 19, X1, L->y + 19, 0.8,
                                 col(L, TMPL_RC_SECTION)));
    L->y += SEC_H;
    return rc;
}

/* ---- header ---------------------------------------------------------------------- */

static int draw_title(struct lay *L)
{
    const struct tmpl_region *t = L->t;
    const char *company = t->company[0] ? t->company : L->d->company;
    int rc;

    if ((rc = cell(L, X0, 37, CW, 14, 10, col(L, TMPL_RC_COMPANY), AL_CENTER,
                   company)))
        return rc;
    return cell(L, X0, 60, CW, 22, 20, col(L, TMPL_RC_TEXT), AL_CENTER,
                txt(L, TMPL_R_TITLE));
}

/* One label/value pair of the info grid. */
static int info_cell(struct lay *L, int row, int c, enum tmpl_region_key k,
                     const char *value)
{
    double w = CW / 3, x = X0 + w * c, y = GRID_TOP + INFO_ROW * row;
    int rc = fill(L, x, y, 58, INFO_ROW, col(L, TMPL_RC_BOX));

    if (!rc)
        rc = cell(L, x + 5, y, 50, INFO_ROW, 9, col(L, TMPL_RC_LABEL),
                  AL_LEFT, txt(L, k));
    if (!rc)
        rc = cell(L, x + 63, y, w - 67, INFO_ROW, 10, col(L, TMPL_RC_TEXT),
                  AL_LEFT, value);
    return region_fail(L, rc);
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
        return s ? rc : L->e->code;
    rc = stroke(L, X0, GRID_TOP, CW, 2 * INFO_ROW, 0.5, lc);
    for (int c = 1; c < 3 && !rc; c++)
        rc = line(L, X0 + CW / 3 * c, GRID_TOP, X0 + CW / 3 * c,
                  GRID_TOP + 2 * INFO_ROW, 0.5, lc);
    if (!rc)
        rc = line(L, X0, GRID_TOP + INFO_ROW, X1, GRID_TOP + INFO_ROW, 0.5,
                  lc);
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
    int rc = fill(L, x, y, w, FIG_H, col(L, TMPL_RC_BOX));

    if (!rc)
        rc = region_fail(L, stroke(L, x, y, w, FIG_H, 0.5,
                                   col(L, TMPL_RC_GRID)));
    if (!rc)
        rc = cell(L, x + 4, y + 3, w - 8, 13, 8.5, col(L, TMPL_RC_LABEL),
                  AL_CENTER, txt(L, label));
    if (!rc)
        rc = cell(L, x + 4, y + 17, w - 8, 24, 16, rgb, AL_CENTER, value);
    return rc;
}

static int draw_roles(struct lay *L)
{
    static const char *const rn[] = {"role", "n"};
    const struct region_data *d = L->d;
    double x = X0 + 4 + width(L, txt(L, TMPL_R_ROLES_LABEL), 9) + 10;
    int rc = cell(L, X0 + 4, L->y, CW, 16, 9, col(L, TMPL_RC_LABEL),
                  AL_LEFT, txt(L, TMPL_R_ROLES_LABEL));

    for (int k = 0; k < d->nrole && !rc && x < X1; k++) { /* left to right */
        char n[16];
        const char *v[] = {d->role[k].label, n}, *s;
        snprintf(n, sizeof n, "%d", d->role[k].people);
        if (!(s = fmt(L, TMPL_R_ROLE_VALUE, rn, v, 2)))
            return L->e->code;
        rc = cell(L, x, L->y, X1 - x, 16, 9, col(L, TMPL_RC_TEXT), AL_LEFT,
                  s);
        x += width(L, s, 9) + 18;
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
        return mom ? rc : L->e->code;
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
    rc = line(L, x, base, x + w, base, 0.6, col(L, TMPL_RC_LINE));
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
        if (h > 0 && (rc = fill(L, bx, base - h, bw, h, c)))
            break;
        if (is_q && (rc = line(L, x + k * slot + 2, base - bh * qmax / top,
                               x + (k + 1) * slot - 2,
                               base - bh * qmax / top, 1.2,
                               col(L, TMPL_RC_TARGET))))
            break;
        if (!(s = fmt(L, TMPL_R_GRADE_VALUE, gn, v, 2)))
            return L->e->code;
        if ((rc = cell(L, x + k * slot, base - fmax(h, is_q ? bh * qmax / top
                                                          : 0) - 13,
                       slot, 11, 7.5, col(L, TMPL_RC_TEXT), AL_CENTER, s)))
            return rc;
        rc = cell(L, x + k * slot, base + 2, slot, 12, 8.5,
                  col(L, TMPL_RC_LABEL), AL_CENTER, labels[k]);
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
    double lo = trend_floor(d), top = y + 14, bot = y + CHART_H - 16;
    /* six slots over the plot (right of the axis labels): every label
     * stays inside the chart and the page margin */
    double step = (w - 18) / REGION_TREND_MAX, px = 0, py = 0, gys[3];
    uint32_t grid = col(L, TMPL_RC_GRID), tc = col(L, TMPL_RC_TREND);
    int rc = ERR_OK, have = 0, points = 0;

    for (int k = 0; k < d->ntrend; k++)
        points += d->trend[k].has_mean;
    /* a single month is no trend: say so instead of a lonely point */
    if (points <= 1)
        return cell(L, x + 18, (top + bot) / 2 - 5, w - 18, 10, 7.5,
                    col(L, TMPL_RC_MUTED), AL_CENTER,
                    txt(L, TMPL_R_TREND_NOTE));
    for (int g = 0; g <= 2 && !rc; g++) { /* lo, middle, 100 */
        double v = lo + (100 - lo) * g / 2, gy = bot - (bot - top) * g / 2;
        char s[16];
        gys[g] = gy;
        snprintf(s, sizeof s, "%.0f", v);
        rc = line(L, x + 18, gy, x + w, gy, 0.4, grid);
        if (!rc)
            rc = cell(L, x, gy - 5, 16, 10, 7, col(L, TMPL_RC_LABEL),
                      AL_RIGHT, s);
    }
    for (int k = 0; k < d->ntrend && !rc; k++) {
        int slot = REGION_TREND_MAX - d->ntrend + k;
        double cx = x + 18 + step * (slot + 0.5), cy;
        char v[32], label[16];
        snprintf(label, sizeof label, "%.7s", d->trend[k].period);
        if ((rc = cell(L, cx - step / 2, bot + 2, step, 12, 7,
                       col(L, TMPL_RC_LABEL), AL_CENTER, label)))
            return rc;
        if (!d->trend[k].has_mean) {
            have = 0;
            continue;
        }
        cy = bot - (bot - top) * (fmin(100, fmax(lo, d->trend[k].mean)) -
                                  lo) / (100 - lo);
        if (have)
            rc = line(L, px, py, cx, cy, 1.4, tc);
        if (!rc)
            rc = fill(L, cx - 2.2, cy - 2.2, 4.4, 4.4, tc);
        fmt_2(d->trend[k].mean, v);
        /* the value inside the chart and the page, on no gridline */
        if (!rc)
            rc = cell(L, cx - step / 2,
                      sheet_label_y(cy, 10, gys, 3, y, bot + 1), step, 10,
                      7.5, col(L, TMPL_RC_TEXT), AL_CENTER, v);
        px = cx;
        py = cy;
        have = 1;
    }
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
        return L->e->code;
    return cell(L, X0, L->y, CW, 14, 9, col(L, warn ? TMPL_RC_WARN
                                                    : TMPL_RC_LABEL),
                AL_LEFT, s);
}

static int draw_charts(struct lay *L)
{
    double half = (CW - 20) / 2, y;
    int rc;

    if ((rc = cell(L, X0, L->y + 2, half, 16, 11, col(L, TMPL_RC_SECTION),
                   AL_LEFT, txt(L, TMPL_R_SEC_GRADES))) ||
        (rc = cell(L, X0 + half + 20, L->y + 2, half, 16, 11,
                   col(L, TMPL_RC_SECTION), AL_LEFT,
                   txt(L, TMPL_R_SEC_TREND))) ||
        (rc = region_fail(L, line(L, X0, L->y + 19, X1, L->y + 19, 0.8,
                                  col(L, TMPL_RC_SECTION)))))
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
    int rc = fill(L, X0, L->y, CW, HEAD_ROW, col(L, TMPL_RC_HEADER));

    for (int c = 0; c < ncol && !rc; c++)
        rc = cell(L, x[c] + 3, L->y, x[c + 1] - x[c] - 6, HEAD_ROW, 9,
                  col(L, TMPL_RC_HEADER_TEXT), c ? AL_CENTER : AL_LEFT,
                  txt(L, keys[c]));
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
    rc = fill(L, X0, L->y, CW, IND_ROW, L->weak[i] ? col(L, TMPL_RC_WEAK)
                                        : zebra ? col(L, TMPL_RC_ZEBRA)
                                                : 0xFFFFFF);
    if (!rc)
        rc = line(L, X0, L->y + IND_ROW, X1, L->y + IND_ROW, 0.3,
                  col(L, TMPL_RC_GRID));
    if (rc)
        return region_fail(L, rc);
    {
        const char *v[6] = {name, target, actual, rate, gap, chg};
        uint32_t c[6] = {L->weak[i] ? col(L, TMPL_RC_WARN) : text, text, text,
                         app && in->has_target && in->rate + EPS < in->target
                             ? col(L, TMPL_RC_DOWN) : text,
                         app ? text : col(L, TMPL_RC_MUTED), rc_col};
        if (!app)
            c[0] = c[1] = c[2] = c[3] = col(L, TMPL_RC_MUTED);
        for (int k = 0; k < 6 && !rc; k++)
            rc = cell(L, ind_x[k] + 4, L->y, ind_x[k + 1] - ind_x[k] - 8,
                      IND_ROW, 8.5, c[k], k ? AL_CENTER : AL_LEFT, v[k]);
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
            return L->e->code;
        rc = cell(L, X0, L->y + 2, CW, 13, 8.5, col(L, TMPL_RC_WARN),
                  AL_LEFT, s);
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
    if (zebra)
        rc = fill(L, X0, L->y, CW, ROW, col(L, TMPL_RC_ZEBRA));
    if (!rc)
        rc = line(L, X0, L->y + ROW, X1, L->y + ROW, 0.3,
                  col(L, TMPL_RC_GRID));
    if (rc)
        return region_fail(L, rc);
    {
        const char *v[9] = {rank, name, m->person_id, m->role_label,
                            m->region_name, m->has_own ? own : none,
                            m->has_team ? team : none,
                            m->has_total ? total : txt(L, TMPL_R_NO_TOTAL),
                            m->grade[0] ? m->grade : none};
        for (int k = 0; k < 9 && !rc; k++)
            rc = cell(L, rank_x[k] + 3, L->y, rank_x[k + 1] - rank_x[k] - 6,
                      ROW, 8.5, k == 1 && m->left ? muted : text,
                      k == 1 || k == 4 ? AL_LEFT : AL_CENTER, v[k]);
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
        return L->e->code;
    if (zebra)
        rc = fill(L, X0, L->y, CW, ROW, col(L, TMPL_RC_ZEBRA));
    if (!rc)
        rc = line(L, X0, L->y + ROW, X1, L->y + ROW, 0.3,
                  col(L, TMPL_RC_GRID));
    if (rc)
        return region_fail(L, rc);
    {
        const char *v[5] = {cust, txt(L, h ? TMPL_R_RISK_HANDOVER
                                           : TMPL_R_RISK_SINGLE),
                            k->owner_name, k->since, detail};
        for (int c = 0; c < 5 && !rc; c++)
            rc = cell(L, risk_x[c] + 3, L->y, risk_x[c + 1] - risk_x[c] - 6,
                      ROW, 8.5, c == 1 ? col(L, TMPL_RC_WARN) : text,
                      c == 0 || c == 4 ? AL_LEFT : AL_CENTER, v[c]);
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
    if (!(s = fmt_in(L, &L->b2, total ? TMPL_R_RISK_SUMMARY
                                      : TMPL_R_RISK_NONE, sn, sv,
                     total ? 2 : 0)) ||
        (rc = para_lines(L, s, CW, 9, &lines)))
        return s ? rc : L->e->code;
    lines = lines > 4 ? 4 : lines;
    /* the last section: its end travels with the sign-off, so that no
     * page holds the signature block alone */
    if ((rc = need(L, SEC_H + 13.0 * (double)lines + 4 +
                   (first ? HEAD_ROW + ROW * (double)first : 0) +
                   (d->nrisk <= first ? tail : 0))) ||
        (rc = section(L, txt(L, TMPL_R_SEC_RISKS))) ||
        (rc = para(L, X0 + 2, L->y + 10, CW, 9, 13, col(L, TMPL_RC_TEXT),
                   s)))
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
            (rc = cell(L, X0 + 2, L->y + 2, CW, 13, 8.5,
                       col(L, TMPL_RC_LABEL), AL_LEFT, s)))
            return s ? rc : L->e->code;
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
    const char *qr = L->d->qr_text;
    double room = 0, w, y;
    int rc = need(L, SIGN_H);

    y = fmax(L->y, FLOW_END - SIGN_H);  /* at the foot, as on a paper form */
    /* the QR code at the right end, as on a person's sheet, its quiet zone
     * clear of the signature lines */
    if (!rc && qr && qr[0]) {
        struct sheet_qr q;
        if ((rc = sheet_qr_encode(qr, &q, L->e)))
            return region_fail(L, rc);
        room = QR_SIDE + SHEET_QR_QUIET * QR_SIDE / q.width;
        if (L->drawing)
            rc = sheet_qr_draw(&q, L->pdf, X1 - QR_SIDE, y + (SIGN_H - QR_SIDE) / 2,
                         QR_SIDE / q.width, col(L, TMPL_RC_TEXT), NULL, L->e);
        sheet_qr_free(&q);
        if (rc)
            return region_fail(L, rc);
    }
    w = (CW - room - 30) / 2;
    for (int c = 0; c < 2 && !rc; c++) {
        double x = X0 + c * (w + 30), lw = width(L, txt(L, who[c]), 10);
        rc = cell(L, x, y + 8, w, 16, 10, col(L, TMPL_RC_TEXT), AL_LEFT,
                  txt(L, who[c]));
        if (!rc)
            rc = region_fail(L, line(L, x + lw + 4, y + 22, x + w, y + 22,
                                     0.6, col(L, TMPL_RC_LINE)));
        if (!rc)
            rc = cell(L, x, y + 32, w, 14, 9, col(L, TMPL_RC_LABEL),
                      AL_LEFT, txt(L, TMPL_R_DATE_LINE));
    }
    L->y = y + SIGN_H;
    return rc;
}

/* ---- the whole sheet --------------------------------------------------------------------- */

static int set_info(struct lay *L)
{
    const struct region_data *d = L->d;
    struct pdf_info info;
    char keywords[64];

    buf_reset(&L->b);
    if (buf_printf(&L->b, "%s %s %s %s", txt(L, TMPL_R_TITLE), d->period,
                   d->region_id, d->name))
        return err_set(L->e, ERR_NOMEM, "region %s: title too long",
                       d->region_id);
    memset(&info, 0, sizeof info);
    info.title = buf_str(&L->b);
    info.author = L->t->company[0] ? L->t->company : d->company;
    info.subject = d->doc_no && d->doc_no[0] ? d->doc_no : d->region_id;
    info.creator = "keqing " KQ_VERSION;
    if (d->registry && d->registry[0]) {
        snprintf(keywords, sizeof keywords, "keqing registry %s",
                 d->registry);
        info.keywords = keywords;
    }
    info.has_date = 1;
    info.day = d->period_end;
    return region_fail(L, pdf_set_info(L->pdf, &info, L->e));
}

static int layout(struct lay *L)
{
    int rc;

    L->page = 0;
    if ((rc = new_page(L)) || (rc = draw_title(L)) || (rc = draw_info(L)) ||
        (rc = draw_overview(L)) || (rc = draw_charts(L)) ||
        (rc = draw_indicators(L)) || (rc = draw_ranking(L)) ||
        (rc = draw_risks(L)))
        return rc;
    return draw_signoff(L);
}

static int lay_init(struct lay *L, const struct tmpl_region *t,
                    const struct font *f, const struct roles *roles,
                    const struct region_data *d,
                    const struct sheet_paging *pg, struct err *e)
{
    static const char *const pn[] = {"year", "month"};
    char y[8], m[8];
    const char *pv[] = {y, m};
    int cap = 0, xh = 0;

    memset(L, 0, sizeof *L);
    L->t = t;
    L->font = f;
    L->roles = roles;
    L->d = d;
    L->pg = pg;
    L->e = e;
    buf_init(&L->b, SCRATCH_MAX);
    buf_init(&L->b2, SCRATCH_MAX);
    buf_init(&L->cutb, SCRATCH_MAX);
    font_heights(f, &cap, &xh);
    L->cap = cap > 0 ? cap / 1000.0 : 0.72;
    snprintf(y, sizeof y, "%.4s", d->period);
    snprintf(m, sizeof m, "%d", (d->period[5] - '0') * 10 +
                                (d->period[6] - '0'));
    find_weak(L);
    if (pdf_new(&L->pdf, f, e))
        return e->code;
    if (!fmt(L, TMPL_R_PERIOD_VALUE, pn, pv, 2))
        return e->code;
    snprintf(L->period_text, sizeof L->period_text, "%s", buf_str(&L->b));
    return ERR_OK;
}

static void lay_free(struct lay *L)
{
    buf_free(&L->b);
    buf_free(&L->b2);
    buf_free(&L->cutb);
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
        *pages = L.page;
    pdf_free(L.pdf);
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
        L.pages = L.page;
        L.drawing = 1;
        if (!(rc = set_info(&L)))
            rc = layout(&L);
    }
    lay_free(&L);
    if (rc) {
        pdf_free(L.pdf);
        return rc;
    }
    *out = L.pdf;
    return ERR_OK;
}

int sheet_region_stream(const struct tmpl_region *t, const struct font *f,
                        const struct roles *roles,
                        const struct region_data *d,
                        const struct sheet_paging *pg,
                        int (*sink)(void *ctx, struct pdf *part,
                                    struct err *e),
                        void *ctx, struct err *e)
{
    struct lay L;
    int rc = lay_init(&L, t, f, roles, d, pg, e);

    if (!rc && !(rc = layout(&L))) {    /* count the pages */
        L.pages = L.page;
        L.drawing = 1;
        L.sink = sink;
        L.sink_ctx = ctx;
        if (!(rc = set_info(&L)) && !(rc = layout(&L)))
            rc = flush_chunk(&L);
    }
    lay_free(&L);
    pdf_free(L.pdf);
    return rc;
}

int sheet_region_write(const struct tmpl_region *t, const struct font *f,
                       const struct roles *roles,
                       const struct region_data *d, const char *path,
                       size_t *bytes, struct err *e)
{
    struct pdf *pdf;
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = sheet_region_build(t, f, roles, d, NULL, &pdf, e);

    if (!rc && (rc = pdf_render(pdf, &data, &len, e)))
        err_prefix(e, "region %s: ", d->region_id);
    if (!rc)
        rc = fsx_write_file(path, data, len, e);
    if (!rc && bytes)
        *bytes = len;
    mem_free(data);
    pdf_free(pdf);
    return rc;
}

int sheet_region_check_template(const struct tmpl_region *t,
                                const struct font *f, struct err *e)
{
    char what[300];

    for (int k = 0; k < TMPL_R_NKEY; k++) {
        snprintf(what, sizeof what, "%s: text '%s'", t->file,
                 tmpl_region_key_name((enum tmpl_region_key)k));
        if (font_check_text(f, t->text[k], strlen(t->text[k]), what, e))
            return e->code;
    }
    snprintf(what, sizeof what, "%s: company", t->file);
    if (font_check_text(f, t->company, strlen(t->company), what, e))
        return e->code;
    snprintf(what, sizeof what, "%s: quota grade", t->file);
    if (font_check_text(f, t->quota_grade, strlen(t->quota_grade), what, e))
        return e->code;
    /* the arrows and marks the layout adds itself */
    snprintf(what, sizeof what, "%s: layout marks", t->file);
    return font_check_text(f, "↑↓→★…", strlen("↑↓→★…"), what, e);
}
