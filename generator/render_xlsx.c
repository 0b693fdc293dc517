/* render_xlsx -- the period's Excel workbook through libxlsxwriter (see
 * render_xlsx.h).  One small table writer (struct tab: a sheet, its row,
 * its columns' kinds and widths) and one function per sheet.  Figures go
 * through csvout's formatting first, so a cell holds exactly the number
 * the CSV prints.  libxlsxwriter runs in constant-memory mode (each row
 * goes to a temporary file as it is written; inline strings, no shared
 * string table), which keeps a 10,000-person period small and fast.
 */
#include "render_xlsx.h"
#include "csvout.h"
#include "dataset.h"
#include "date.h"
#include "err.h"
#include "fsx.h"
#include "mem.h"
#include "period.h"
#include "roles.h"
#include "score.h"
#include "tmpl_workbook.h"

#include <xlsxwriter.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_COLS (16 + ROLES_MAX_BANDS * 8)
#define MAX_WIDTH 60.0

/* How a column's cells are written. */
enum kind {
    K_TEXT,     /* a string cell */
    K_INT,      /* a whole number */
    K_NUM,      /* a figure as CSV trims it (counts, weights): General */
    K_SCORE,    /* 2 decimals: "0.00" */
    K_PCT,      /* a rate: "0.0%", as the sheets print it */
    K_GRADE,    /* a string cell filled with its grade's colour */
};

struct book {
    lxw_workbook *wb;
    const char *path;           /* the final name, for messages */
    const struct tmpl_workbook *t;
    lxw_format *head, *score, *pct, *grade[TMPL_WB_MAX_GRADES];
};

struct tab {
    struct book *b;
    lxw_worksheet *ws;
    const char *name;           /* the template's sheet name */
    const char *head[MAX_COLS]; /* borrowed: the header row */
    int part;                   /* 1, then 2... past the row limit */
    lxw_row_t row;              /* the row being written (0: the header) */
    lxw_row_t max_rows;         /* rows a sheet may hold, header included */
    int ncol;
    enum kind kind[MAX_COLS];
    double width[MAX_COLS];
    lxw_error err;              /* the first write error ... */
    lxw_row_t err_row;          /* ... and its row */
};

/* Rows per sheet: Excel's 1,048,576, or KEQING_TEST_XLSX_ROWS (at least
 * 2; for the tests of the continued sheets only). */
static lxw_row_t rows_per_sheet(void)
{
    const char *v = getenv("KEQING_TEST_XLSX_ROWS");
    long n = v && *v ? strtol(v, NULL, 10) : 0;
    return n >= 2 && n < LXW_ROW_MAX ? (lxw_row_t)n : LXW_ROW_MAX;
}

/* The width of s in Excel's character units: a wide (CJK) character
 * counts two, any other one. */
static double text_width(const char *s)
{
    double w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) == 0x80)
            continue;           /* a continuation byte */
        w += *p >= 0xE1 ? 2 : 1;    /* U+1000 and up: CJK, fullwidth */
    }
    return w;
}

static void fit(struct tab *t, int col, double w)
{
    if (w > t->width[col])
        t->width[col] = w;
}

static void keep(struct tab *t, lxw_error rc)
{
    if (rc != LXW_NO_ERROR && t->err == LXW_NO_ERROR) {
        t->err = rc;
        t->err_row = t->row;
    }
}

/* The sheet's name for this part: the template's, then "NAME (2)" ...
 * with NAME cut (by characters) to keep within Excel's 31. */
static void part_name(const struct tab *t, char *out, size_t n)
{
    char suffix[16] = "";
    size_t keep_chars, chars = 0, i = 0;
    if (t->part > 1)
        snprintf(suffix, sizeof suffix, " (%d)", t->part);
    keep_chars = LXW_SHEETNAME_MAX - strlen(suffix);
    for (; t->name[i] && i + 1 < n; i++) {
        if ((t->name[i] & 0xC0) != 0x80 && ++chars > keep_chars)
            break;
    }
    snprintf(out, n, "%.*s%s", (int)i, t->name, suffix);
}

static int tab_sheet(struct tab *t, struct err *e)
{
    char name[LXW_MAX_SHEETNAME_LENGTH + 16];
    part_name(t, name, sizeof name);
    memset(t->width, 0, sizeof t->width);
    if (workbook_validate_sheet_name(t->b->wb, name) != LXW_NO_ERROR)
        return err_set(e, ERR_DATA, "%s: the sheet name '%s' is taken or "
                       "not one Excel accepts", t->b->t->file, name);
    if (!(t->ws = workbook_add_worksheet(t->b->wb, name)))
        return err_set(e, ERR_CANTCREAT, "%s: sheet '%s': cannot add it "
                       "(out of memory, or no temporary file for its rows)",
                       t->b->path, name);
    for (int c = 0; c < t->ncol; c++) {
        keep(t, worksheet_write_string(t->ws, 0, (lxw_col_t)c, t->head[c],
                                       t->b->head));
        fit(t, c, text_width(t->head[c]) + 2);   /* room for the filter */
    }
    t->row = 1;
    return ERR_OK;
}

/* A column: the template key of its header, and how its cells are
 * written. */
struct col {
    enum tmpl_wb_key head;
    enum kind kind;
};

/* A sheet named by template key name with the columns cols[0..n), then
 * nextra whole-number columns headed extra[] (the regions' grades). */
static int tab_open(struct tab *t, struct book *b, enum tmpl_wb_key name,
                    const struct col *cols, int n, const char *const *extra,
                    int nextra, struct err *e)
{
    memset(t, 0, sizeof *t);
    t->b = b;
    t->name = b->t->text[name];
    t->part = 1;
    t->max_rows = rows_per_sheet();
    for (int c = 0; c < n && t->ncol < MAX_COLS; c++, t->ncol++) {
        t->head[t->ncol] = b->t->text[cols[c].head];
        t->kind[t->ncol] = cols[c].kind;
    }
    for (int c = 0; c < nextra && t->ncol < MAX_COLS; c++, t->ncol++) {
        t->head[t->ncol] = extra[c];
        t->kind[t->ncol] = K_INT;
    }
    return tab_sheet(t, e);
}

static void put_text(struct tab *t, int col, const char *s)
{
    lxw_format *f = NULL;
    if (!s || !*s)
        return;
    if (t->kind[col] == K_GRADE) {
        const struct tmpl_workbook *tw = t->b->t;
        for (int g = 0; g < tw->ngrade; g++)
            if (!strcmp(tw->grade[g].label, s))
                f = t->b->grade[g];
    }
    keep(t, worksheet_write_string(t->ws, t->row, (lxw_col_t)col, s, f));
    fit(t, col, text_width(s));
}

/* A figure given as its CSV text (empty: an empty cell). */
static void put_fig(struct tab *t, int col, const char *text)
{
    lxw_format *f = t->kind[col] == K_SCORE ? t->b->score
                    : t->kind[col] == K_PCT ? t->b->pct : NULL;
    if (!*text)
        return;
    keep(t, worksheet_write_number(t->ws, t->row, (lxw_col_t)col,
                                   strtod(text, NULL), f));
    fit(t, col, strlen(text) + (t->kind[col] == K_PCT ? 1.0 : 0.0));
}

static void put_int(struct tab *t, int col, long v)
{
    char s[32];
    snprintf(s, sizeof s, "%ld", v);
    put_fig(t, col, s);
}

static void put_score(struct tab *t, int col, int has, double v)
{
    char s[64] = "";
    if (has)
        csvout_fixed(v, 2, s, sizeof s);
    put_fig(t, col, s);
}

/* The header frozen, a filter over the table, the widths. */
static int tab_close(struct tab *t, struct err *e)
{
    char name[LXW_MAX_SHEETNAME_LENGTH + 16];
    worksheet_freeze_panes(t->ws, 1, 0);
    keep(t, worksheet_autofilter(t->ws, 0, 0, t->row > 1 ? t->row - 1 : 1,
                                 (lxw_col_t)(t->ncol - 1)));
    for (int c = 0; c < t->ncol; c++)
        keep(t, worksheet_set_column(t->ws, (lxw_col_t)c, (lxw_col_t)c,
                                     (t->width[c] > MAX_WIDTH ? MAX_WIDTH
                                      : t->width[c]) + 1.5, NULL));
    if (t->err == LXW_NO_ERROR)
        return ERR_OK;
    part_name(t, name, sizeof name);
    return err_set(e, ERR_IO, "%s: sheet '%s', row %lu: %s", t->b->path, name,
                   (unsigned long)t->err_row + 1, lxw_strerror(t->err));
}

/* The row is written: the next one, on a new sheet "NAME (2)" ... with
 * its own header when this one is full (Excel's limit). */
static int tab_next(struct tab *t, struct err *e)
{
    int rc;
    if (++t->row < t->max_rows)
        return ERR_OK;
    if ((rc = tab_close(t, e)))
        return rc;
    t->part++;
    return tab_sheet(t, e);
}

/* ---- the sheets ------------------------------------------------------------ */

#define NCOLS(a) (sizeof (a) / sizeof (a)[0])

static const struct col totals_cols[] = {
    {TMPL_WB_COL_PERIOD, K_TEXT}, {TMPL_WB_COL_ID, K_TEXT},
    {TMPL_WB_COL_NAME, K_TEXT}, {TMPL_WB_COL_ROLE, K_TEXT},
    {TMPL_WB_COL_REGION, K_TEXT}, {TMPL_WB_COL_REGION_NAME, K_TEXT},
    {TMPL_WB_COL_STATUS, K_TEXT}, {TMPL_WB_COL_OWN, K_SCORE},
    {TMPL_WB_COL_TEAM, K_SCORE}, {TMPL_WB_COL_TOTAL, K_SCORE},
    {TMPL_WB_COL_GRADE, K_GRADE}, {TMPL_WB_COL_RANK, K_INT}};

static const struct col scores_cols[] = {
    {TMPL_WB_COL_PERIOD, K_TEXT}, {TMPL_WB_COL_ID, K_TEXT},
    {TMPL_WB_COL_NAME, K_TEXT}, {TMPL_WB_COL_INDICATOR, K_TEXT},
    {TMPL_WB_COL_INDICATOR_NAME, K_TEXT}, {TMPL_WB_COL_NUMERATOR, K_NUM},
    {TMPL_WB_COL_DENOMINATOR, K_NUM}, {TMPL_WB_COL_RATE, K_PCT},
    {TMPL_WB_COL_TARGET, K_PCT}, {TMPL_WB_COL_WEIGHT, K_NUM},
    {TMPL_WB_COL_SCORE, K_SCORE}};

/* then one column per grade label, its people */
static const struct col regions_cols[] = {
    {TMPL_WB_COL_REGION, K_TEXT}, {TMPL_WB_COL_REGION_NAME, K_TEXT},
    {TMPL_WB_COL_PARENT, K_TEXT}, {TMPL_WB_COL_MANAGER, K_TEXT},
    {TMPL_WB_COL_PEOPLE, K_INT}, {TMPL_WB_COL_SCORED, K_INT},
    {TMPL_WB_COL_MEAN, K_SCORE}, {TMPL_WB_COL_MEDIAN, K_SCORE},
    {TMPL_WB_COL_MOM, K_SCORE}};

static const struct col risks_cols[] = {
    {TMPL_WB_COL_RISK, K_TEXT}, {TMPL_WB_COL_CUSTOMER, K_TEXT},
    {TMPL_WB_COL_CUSTOMER_NAME, K_TEXT}, {TMPL_WB_COL_REGION, K_TEXT},
    {TMPL_WB_COL_REGION_NAME, K_TEXT}, {TMPL_WB_COL_OWNER, K_TEXT},
    {TMPL_WB_COL_FROM, K_TEXT}, {TMPL_WB_COL_HANDOVER, K_TEXT},
    {TMPL_WB_COL_COUNT, K_INT}, {TMPL_WB_COL_KEYS, K_INT},
    {TMPL_WB_COL_SINCE, K_TEXT}};

static const char *region_id(const struct dataset *ds, int r)
{
    return r >= 0 && r < ds->n_region ? ds->region[r].id : "";
}

static const char *person_name(const struct dataset *ds, int p)
{
    return p >= 0 && p < ds->n_person ? ds->person[p].name : "";
}

static int sheet_totals(struct book *b, const struct render_xlsx_in *in,
                        const char *period, struct err *e)
{
    const char *const *x = (const char *const *)b->t->text;
    struct tab t;
    int rc = tab_open(&t, b, TMPL_WB_SHEET_TOTALS, totals_cols,
                      NCOLS(totals_cols), NULL, 0, e);

    for (int i = 0; !rc && i < in->r->n; i++) {
        const struct score_person *sp = &in->r->p[i];
        const struct ds_person *p = &in->ds->person[sp->person];
        put_text(&t, 0, period);
        put_text(&t, 1, p->id);
        put_text(&t, 2, p->name);
        put_text(&t, 3, sp->role->label);
        put_text(&t, 4, region_id(in->ds, p->region));
        put_text(&t, 5, in->ds->region[p->region].name);
        put_text(&t, 6, x[sp->left ? TMPL_WB_LEFT : TMPL_WB_ACTIVE]);
        put_score(&t, 7, sp->has_own, sp->own);
        put_score(&t, 8, sp->has_team, sp->team);
        put_score(&t, 9, sp->has_total, sp->total);
        put_text(&t, 10, sp->grade);
        if (sp->rank > 0)
            put_int(&t, 11, sp->rank);
        rc = tab_next(&t, e);
    }
    return rc ? rc : tab_close(&t, e);
}

static int sheet_scores(struct book *b, const struct render_xlsx_in *in,
                        const char *period, struct err *e)
{
    struct tab t;
    int rc = tab_open(&t, b, TMPL_WB_SHEET_SCORES, scores_cols,
                      NCOLS(scores_cols), NULL, 0, e);

    for (int i = 0; !rc && i < in->r->n; i++) {
        const struct score_person *sp = &in->r->p[i];
        const struct ds_person *p = &in->ds->person[sp->person];
        for (int k = 0; k < ROLES_NIND; k++) {
            const struct score_ind *ind = &sp->ind[k];
            struct csvout_ind f;
            if (!ind->used)
                continue;
            csvout_ind_format(&f, ind->applicable, ind->num, ind->den,
                              ind->rate, ind->score, sp->role->target[k],
                              sp->role->weight[k]);
            put_text(&t, 0, period);
            put_text(&t, 1, p->id);
            put_text(&t, 2, p->name);
            put_text(&t, 3, roles_ind_id[k]);
            put_text(&t, 4, roles_ind_label[k]);
            put_fig(&t, 5, f.num);
            put_fig(&t, 6, f.den);
            put_fig(&t, 7, f.rate);
            put_fig(&t, 8, f.target);
            put_fig(&t, 9, f.weight);
            put_fig(&t, 10, f.score);
            if ((rc = tab_next(&t, e)))
                break;
        }
    }
    return rc ? rc : tab_close(&t, e);
}

static int sheet_regions(struct book *b, const struct render_xlsx_in *in,
                         struct err *e)
{
    const struct score_result *r = in->r;
    int ngrade = r->ngrade, ncol = (int)NCOLS(regions_cols);
    struct tab t;
    int rc = tab_open(&t, b, TMPL_WB_SHEET_REGIONS, regions_cols, ncol,
                      r->grade_label, ngrade, e);

    ngrade = t.ncol - ncol;     /* as many as the sheet holds */
    for (int i = 0; !rc && i < r->nregion && i < in->ds->n_region; i++) {
        const struct score_region *sr = &r->region[i];
        const struct ds_region *dr = &in->ds->region[i];
        put_text(&t, 0, dr->id);
        put_text(&t, 1, dr->name);
        put_text(&t, 2, region_id(in->ds, dr->parent));
        put_text(&t, 3, person_name(in->ds, sr->manager));
        put_int(&t, 4, sr->people);
        put_int(&t, 5, sr->scored);
        put_score(&t, 6, sr->scored > 0, sr->mean);
        put_score(&t, 7, sr->scored > 0, sr->median);
        put_score(&t, 8, sr->has_mom, sr->mom);
        for (int g = 0; g < ngrade; g++)
            put_int(&t, ncol + g, r->grade_people[i * r->ngrade + g]);
        rc = tab_next(&t, e);
    }
    return rc ? rc : tab_close(&t, e);
}

static int sheet_risks(struct book *b, const struct render_xlsx_in *in,
                       struct err *e)
{
    const struct dataset *ds = in->ds;
    const char *const *x = (const char *const *)b->t->text;
    struct tab t;
    int rc = tab_open(&t, b, TMPL_WB_SHEET_RISKS, risks_cols,
                      NCOLS(risks_cols), NULL, 0, e);

    for (int i = 0; !rc && i < in->r->nrisk; i++) {
        const struct score_risk *k = &in->r->risk[i];
        int handover = k->kind == SCORE_RISK_HANDOVER;
        char day[11] = "";
        if (handover && k->since != DS_NODATE)
            date_format(k->since, day);
        put_text(&t, 0, x[handover ? TMPL_WB_RISK_HANDOVER
                          : TMPL_WB_RISK_SINGLE]);
        put_text(&t, 1, k->customer_id);
        put_text(&t, 2, k->customer_name);
        put_text(&t, 3, region_id(ds, k->region));
        put_text(&t, 4, k->region >= 0 && k->region < ds->n_region
                        ? ds->region[k->region].name : "");
        put_text(&t, 5, person_name(ds, k->owner));
        put_text(&t, 6, handover ? person_name(ds, k->from) : "");
        put_text(&t, 7, day);
        put_int(&t, 8, k->count);
        put_int(&t, 9, k->keys);
        put_text(&t, 10, handover ? "" : k->since_month);
        rc = tab_next(&t, e);
    }
    return rc ? rc : tab_close(&t, e);
}

/* ---- the workbook ------------------------------------------------------------ */

void render_xlsx_name(const char *period, char out[32])
{
    snprintf(out, 32, "keqing-%.7s.xlsx", period);
}

static lxw_format *fill(lxw_workbook *wb, uint32_t rgb)
{
    lxw_format *f = workbook_add_format(wb);
    if (f) {
        format_set_pattern(f, LXW_PATTERN_SOLID);
        format_set_bg_color(f, (lxw_color_t)rgb);
    }
    return f;
}

static int formats(struct book *b, struct err *e)
{
    const struct tmpl_workbook *t = b->t;
    int ok = (b->head = fill(b->wb, t->color[TMPL_WBC_HEADER])) &&
             (b->score = workbook_add_format(b->wb)) &&
             (b->pct = workbook_add_format(b->wb));
    for (int g = 0; ok && g < t->ngrade; g++)
        ok = (b->grade[g] = fill(b->wb, t->grade[g].color)) != NULL;
    if (!ok)
        return err_set(e, ERR_NOMEM, "workbook: out of memory");
    format_set_bold(b->head);
    format_set_font_color(b->head, (lxw_color_t)t->color[TMPL_WBC_HEADER_TEXT]);
    format_set_num_format(b->score, "0.00");
    format_set_num_format(b->pct, "0.0%");   /* as on the sheets */
    return ERR_OK;
}

/* Write the workbook to the file path (libxlsxwriter opens it itself). */
static int write_book(const char *path, const char *final,
                      const struct render_xlsx_in *in, struct err *e)
{
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL,
                                .use_zip64 = LXW_FALSE};
    lxw_doc_properties props;
    struct book b;
    char period[8], company[1100];
    char *title;
    size_t tlen;
    lxw_error lrc;
    int rc;

    period_format(&in->r->per, period);
    memset(&b, 0, sizeof b);
    b.t = in->t;
    b.path = final;
    tlen = strlen(in->t->text[TMPL_WB_TITLE]) + 16;
    if (!(title = mem_malloc(tlen)))
        return err_set(e, ERR_NOMEM, "%s: out of memory", final);
    snprintf(title, tlen, "%s %s", in->t->text[TMPL_WB_TITLE], period);
    if (!(b.wb = workbook_new_opt(path, &opt))) {
        mem_free(title);
        return err_set(e, ERR_CANTCREAT, "%s: cannot start the workbook "
                       "(out of memory)", final);
    }
    memset(&props, 0, sizeof props);
    props.title = title;       /* libxlsxwriter's fields are not const */
    if (in->company && *in->company &&
        (size_t)snprintf(company, sizeof company, "%s", in->company) <
            sizeof company)
        props.company = company;
    props.created = (time_t)in->r->per.end * 86400;  /* the period's last day */
    rc = workbook_set_properties(b.wb, &props) != LXW_NO_ERROR
         ? err_set(e, ERR_NOMEM, "%s: out of memory", final) : ERR_OK;
    if (!rc)
        rc = formats(&b, e);
    if (!rc)
        rc = sheet_totals(&b, in, period, e);
    if (!rc)
        rc = sheet_scores(&b, in, period, e);
    if (!rc)
        rc = sheet_regions(&b, in, e);
    if (!rc)
        rc = sheet_risks(&b, in, e);
    lrc = workbook_close(b.wb);     /* writes the file; frees b.wb */
    mem_free(title);
    if (!rc && lrc != LXW_NO_ERROR)
        rc = err_set(e, ERR_IO, "%s: cannot write the workbook: %s", final,
                     lxw_strerror(lrc));
    return rc;
}

/* Copy the file path to fp (a device or pipe: written in place). */
static int copy_to(const char *path, FILE *fp, const char *final,
                   struct err *e)
{
    char chunk[65536];
    size_t n;
    FILE *in = fopen(path, "rb");
    int rc = ERR_OK;
    if (!in)
        return err_set(e, ERR_IO, "%s: cannot read back the workbook",
                       final);
    while (!rc && (n = fread(chunk, 1, sizeof chunk, in)) > 0)
        if (fwrite(chunk, 1, n, fp) != n)
            rc = err_set(e, ERR_IO, "%s: cannot write", final);
    if (!rc && ferror(in))
        rc = err_set(e, ERR_IO, "%s: cannot read back the workbook", final);
    fclose(in);
    return rc;
}

int render_xlsx_prepare(const char *out_dir, const struct render_xlsx_in *in,
                        struct fsx_out *o, struct err *e)
{
    char period[8], name[32], path[4200], tmp[4300];
    int rc;

    period_format(&in->r->per, period);
    render_xlsx_name(period, name);
    if ((size_t)snprintf(path, sizeof path, "%s/%s", out_dir, name) >=
        sizeof path)
        return err_set(e, ERR_USAGE, "%s: path too long", out_dir);
    if ((rc = fsx_open(o, path, e)))
        return rc;
    if (o->tmp) {
        /* libxlsxwriter writes the temporary file by its name; fsx_commit
         * then syncs that same file through o->fp and renames it */
        if ((rc = write_book(o->tmp, o->final, in, e)))
            fsx_abort(o);
        return rc;
    }
    /* a device or a pipe: the zip is written with seeks, so it is made in
     * a file of our own first */
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp.%ld", out_dir, name, (long)getpid());
    rc = write_book(tmp, o->final, in, e);
    if (!rc)
        rc = copy_to(tmp, o->fp, o->final, e);
    unlink(tmp);
    if (rc)
        fsx_abort(o);
    return rc;
}
