/* packet -- a region's appraisal packet: its summary sheet, then the sheet
 * of every assessed member of its subtree, as one PDF with bookmarks and
 * page numbers over the whole packet (see render_packet.h).
 *
 * Two passes over the members: the first reads each one's sheet data and
 * asks the layout how many pages the sheet takes (sheet_person_pages:
 * the plan only), so that "共 y 页" is known; the second reads it again,
 * draws the sheet with packet-wide numbers and hands its pages to the
 * book (pdf_book_add), which writes them to the file at once.  Memory
 * therefore stays at one sheet plus a few bytes a page, whatever the
 * packet's length.
 */
#include "render_packet.h"
#include "buf.h"
#include "err.h"
#include "mem.h"
#include "pdf.h"
#include "roles.h"
#include "sheet_person.h"
#include "sheet_region.h"
#include "store_region.h"
#include "store_sheet.h"
#include "tmpl_region.h"
#include "tmpl_sheet.h"

#include <stdio.h>
#include <string.h>

#ifndef KQ_VERSION
#define KQ_VERSION "0"
#endif

#define SCRATCH_MAX 4096
#define OUTLINE_MAX 1000    /* bytes of one bookmark title */

/* One member of the packet: where its sheet is read from and its pages. */
struct member {
    size_t sheet;       /* index in the store_sheet reader */
    size_t node;        /* its region (store_region index) */
    int blank;          /* a blank back before it (duplex) */
    int pages;          /* pages of its sheet */
};

struct pk {
    const struct render_packet_ctx *c;
    size_t region;
    struct err *e;
    struct region_data rd;
    struct member *m;
    size_t nm;
    int summary_pages, total;
    struct buf b;
};

/* Read member k's sheet data (team weight from its role). */
static int read_sheet(struct pk *P, const struct member *m,
                      struct sheet_data *d)
{
    const struct role *role;
    int rc = store_sheet_read(P->c->sheets, m->sheet, d, P->e);

    if (rc)
        return rc;
    role = roles_find(P->c->roles, d->role);
    d->team_weight = role ? role->team_weight : 0;
    if (P->c->number)
        P->c->number(P->c->number_ctx, d);
    return ERR_OK;
}

/* The members in order (sub-region depth-first, then stored rank, people
 * without a rank last by id), each with its page count. */
static int plan_members(struct pk *P)
{
    const struct render_packet_ctx *c = P->c;
    size_t end = store_region_end(c->regions, P->region), n = 0;
    int page = P->summary_pages, rc = ERR_OK;

    P->m = mem_calloc(store_region_people(c->regions, P->region) + 1,
                      sizeof *P->m);
    if (!P->m)
        return err_set(P->e, ERR_NOMEM, "packet: out of memory");
    for (size_t j = P->region; j < end && !rc; j++) {
        const char *const *ids;
        size_t k = store_region_own(c->regions, j, &ids);
        for (size_t i = 0; i < k && !rc; i++) {
            struct member *m = &P->m[n];
            struct sheet_data d;
            if (!store_sheet_find(c->sheets, ids[i], &m->sheet))
                continue; /* not in the period's sheets: cannot happen */
            m->node = j;
            if (!(rc = read_sheet(P, m, &d)))
                rc = sheet_person_pages(c->person_t, c->font, &d, &m->pages,
                                        P->e);
            store_sheet_data_free(&d);
            m->blank = c->duplex && page % 2 == 1;
            page += m->blank + m->pages;
            n++;
        }
    }
    P->nm = n;
    P->total = page;
    return rc;
}

/* A blank back: "（本页空白）" in the middle, the page number below. */
static int add_blank(struct pk *P, struct pdf_book *b)
{
    static const char *const pn[] = {"page", "pages"};
    const struct tmpl_region *t = P->c->region_t;
    char page[16], pages[16];
    const char *pv[] = {page, pages}, *s = t->text[TMPL_R_BLANK];
    struct pdf *d = NULL;
    double w;
    int rc;

    snprintf(page, sizeof page, "%zu", pdf_book_pages(b) + 1);
    snprintf(pages, sizeof pages, "%d", P->total);
    if ((rc = pdf_new(&d, P->c->font, P->e)) ||
        (rc = pdf_page(d, PDF_A4_WIDTH, PDF_A4_HEIGHT, P->e)))
        goto out;
    w = pdf_text_width(d, s, strlen(s), 10);
    if ((rc = pdf_text(d, (PDF_A4_WIDTH - w) / 2, PDF_A4_HEIGHT / 2, 10,
                       t->color[TMPL_RC_MUTED], s, strlen(s), P->e)))
        goto out;
    buf_reset(&P->b);
    if ((rc = tmpl_format(&P->b, t->text[TMPL_R_PAGE], pn, pv, 2, P->e)))
        goto out;
    w = pdf_text_width(d, P->b.p, P->b.len, 8);
    if (!(rc = pdf_text(d, 555 - w, 812, 8, t->color[TMPL_RC_MUTED], P->b.p,
                        P->b.len, P->e)))
        rc = pdf_book_add(b, d, P->e);
out:
    pdf_free(d);
    return rc;
}

/* Format region-template text k into P->b (NULL on error). */
static const char *fmt(struct pk *P, enum tmpl_region_key k,
                       const char *const *names, const char *const *values,
                       size_t n)
{
    buf_reset(&P->b);
    if (tmpl_format(&P->b, P->c->region_t->text[k], names, values, n, P->e))
        return NULL;
    if (P->b.len > OUTLINE_MAX) /* a bookmark stays short */
        P->b.len = OUTLINE_MAX, P->b.p[OUTLINE_MAX] = '\0';
    return buf_str(&P->b);
}

/* sheet_region_stream's sink: the summary's pages into the book. */
static int to_book(void *ctx, struct pdf *part, struct err *e)
{
    return pdf_book_add(ctx, part, e);
}

/* The summary sheet (streamed: the company-wide ranking is as long as
 * the company) and its bookmark. */
static int add_summary(struct pk *P, struct pdf_book *b)
{
    static const char *const rn[] = {"region"};
    const struct sheet_paging pg = {1, P->total};
    const char *rv[] = {P->rd.name}, *s;
    int rc = sheet_region_stream(P->c->region_t, P->c->font, P->c->roles,
                                 &P->rd, &pg, to_book, b, P->c->summary,
                                 P->e);

    if (!rc && !(s = fmt(P, TMPL_R_BM_SUMMARY, rn, rv, 1)))
        rc = P->e->code;
    return rc ? rc : pdf_book_outline(b, -1, s, 0, NULL, P->e);
}

/* Bookmark of region j (under its nearest marked ancestor's, or at the
 * top for the packet's region) at page (its first member's first). */
static int region_mark(struct pk *P, struct pdf_book *b, size_t j,
                       size_t page, int *mark, struct err *e)
{
    static const char *const rn[] = {"region", "id", "n"};
    const struct store_region *r = P->c->regions;
    char n[24];
    const char *rv[] = {store_region_name(r, j), store_region_id(r, j), n};
    const char *s;
    int parent = -1;

    snprintf(n, sizeof n, "%zu", store_region_people(r, j));
    if (j != P->region) /* the nearest marked ancestor */
        for (size_t a = j; a-- > P->region;)
            if (store_region_end(r, a) > j && mark[a - P->region] >= 0) {
                parent = mark[a - P->region];
                break;
            }
    if (!(s = fmt(P, TMPL_R_BM_REGION, rn, rv, 3)))
        return e->code;
    return pdf_book_outline(b, parent, s, page, &mark[j - P->region], e);
}

/* One member: blank back if needed, then the sheet; d receives its
 * data (the caller frees it) and *first its first page. */
static int add_member(struct pk *P, struct pdf_book *b, const struct member *m,
                      struct sheet_data *d, size_t *first)
{
    struct sheet_paging pg;
    struct pdf *pdf = NULL;
    int rc;

    memset(d, 0, sizeof *d);
    if (m->blank && (rc = add_blank(P, b)))
        return rc;
    *first = pdf_book_pages(b);
    pg.first = (int)*first + 1;
    pg.total = P->total;
    if (!(rc = read_sheet(P, m, d)) &&
        !(rc = sheet_person_build_paged(P->c->person_t, P->c->font, d, &pg,
                                        &pdf, NULL, P->e)))
        rc = pdf_book_add(b, pdf, P->e);
    pdf_free(pdf);
    return rc;
}

/* The bookmarks of member m (drawn from page first on): its regions
 * that have none yet (it is the first of their subtree), then itself. */
static int member_marks(struct pk *P, struct pdf_book *b,
                        const struct member *m, const struct sheet_data *d,
                        size_t first, int *mark)
{
    static const char *const pn[] = {"name", "id", "role"};
    const char *pv[] = {d->name, d->person_id, d->role_label}, *s;
    int rc = ERR_OK;

    for (size_t j = P->region; j <= m->node && !rc; j++)
        if (mark[j - P->region] < 0 &&
            store_region_end(P->c->regions, j) > m->node)
            rc = region_mark(P, b, j, first, mark, P->e);
    if (!rc && !(s = fmt(P, TMPL_R_BM_PERSON, pn, pv, 3)))
        rc = P->e->code;
    return rc ? rc : pdf_book_outline(b, mark[m->node - P->region], s, first,
                                      NULL, P->e);
}

static int set_info(struct pk *P, struct pdf_book *b)
{
    static const char *const tn[] = {"region", "period"};
    const struct tmpl_region *t = P->c->region_t;
    const char *tv[] = {P->rd.name, P->rd.period}, *s;
    struct pdf_info info;
    char keywords[64];

    if (!(s = fmt(P, TMPL_R_PACKET_TITLE, tn, tv, 2)))
        return P->e->code;
    memset(&info, 0, sizeof info);
    info.title = s;
    info.author = t->company[0] ? t->company : P->rd.company;
    info.subject = P->c->doc_no && P->c->doc_no[0] ? P->c->doc_no
                                                   : P->rd.region_id;
    info.creator = "keqing " KQ_VERSION;
    if (P->c->registry && P->c->registry[0]) {
        snprintf(keywords, sizeof keywords, "keqing registry %s",
                 P->c->registry);
        info.keywords = keywords;
    }
    info.has_date = 1;
    info.day = P->rd.period_end;
    return pdf_book_set_info(b, &info, P->e);
}

/* Write the whole book. */
static int write_book(struct pk *P, const char *path, int *pages)
{
    size_t span = store_region_end(P->c->regions, P->region) - P->region;
    int *mark = mem_malloc((span + 1) * sizeof *mark), rc;
    struct pdf_book *b = NULL;

    if (!mark)
        return err_set(P->e, ERR_NOMEM, "packet: out of memory");
    for (size_t k = 0; k < span; k++)
        mark[k] = -1;
    if ((rc = pdf_book_open(&b, P->c->font, path, P->e)) ||
        (rc = set_info(P, b)) || (rc = add_summary(P, b)))
        goto out;
    for (size_t i = 0; i < P->nm && !rc; i++) {
        struct sheet_data d;
        size_t first = 0;
        if (!(rc = add_member(P, b, &P->m[i], &d, &first)))
            rc = member_marks(P, b, &P->m[i], &d, first, mark);
        store_sheet_data_free(&d);
    }
    if (!rc && pdf_book_pages(b) != (size_t)P->total)
        rc = err_set(P->e, ERR_INTERNAL, "packet: %zu pages written, %d "
                     "planned", pdf_book_pages(b), P->total);
    if (!rc) {
        *pages = P->total;
        rc = pdf_book_close(b, P->e);
        b = NULL;
    }
out:
    pdf_book_free(b);
    mem_free(mark);
    return rc;
}

int render_packet_write(const struct render_packet_ctx *c, size_t region,
                        const char *path, int *pages, struct err *e)
{
    struct pk P = {.c = c, .region = region, .e = e};
    int rc;

    *pages = 0;
    buf_init(&P.b, SCRATCH_MAX);
    rc = store_region_read(c->regions, region, c->region_t->max_risks, &P.rd,
                           e);
    P.rd.company = store_sheet_company(c->sheets);
    P.rd.source = c->source ? c->source : store_sheet_source(c->sheets);
    P.rd.doc_no = c->doc_no;
    P.rd.qr_text = c->qr_text;
    P.rd.registry = c->registry;
    if (!rc && c->check)
        rc = c->check(c->number_ctx, &P.rd, e);
    if (!rc)
        rc = sheet_region_pages(c->region_t, c->font, c->roles, &P.rd,
                                &P.summary_pages, e);
    if (!rc)
        rc = plan_members(&P);
    if (!rc)
        rc = write_book(&P, path, pages);
    if (rc && !strstr(e->msg, "packet "))
        err_prefix(e, "packet %s: ", store_region_id(c->regions, region));
    store_region_data_free(&P.rd);
    mem_free(P.m);
    buf_free(&P.b);
    return rc;
}
