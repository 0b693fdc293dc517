/* sheet_region -- the layout of a region's summary sheet
 * (客情关系月度考核汇总表, issue 5), drawn with pdf.h.
 *
 * Stage 4 (render): store_region.c reads a struct region_data from the
 * stored region figures, this module lays it out on A4 portrait pages and
 * pdf.c writes the file (or a packet's book takes the pages).  Every word,
 * colour and setting comes from the region template (tmpl_region.h),
 * every figure from the region data.
 *
 * Layout (points from the top-left corner, content between x = 40 and
 * 555): company and title; an info grid (region, its id, the period /
 * parent region, responsible manager, people assessed); 一 overview:
 * people, mean and median total, change from last month, people per role;
 * 二 the grade distribution as bars (the quota grade's bar red and a
 * warning line when its share exceeds the template's quota) beside the
 * region's mean total over the last six stored periods; 三 every
 * indicator's pooled rate against its target, the gap in percentage
 * points and an arrow for the change from last month, the weakest
 * (furthest below target) rows highlighted; 四 the ranking of every
 * assessed member (rank, name, id, role, region, own, team, total,
 * grade), on as many pages as needed with the header row repeated; 五
 * relationship risks (summary line, then customer, risk, owner, since,
 * detail; header repeated); the sign-off for the region manager and HR.
 * Every page has a footer with the source and "第 x 页 / 共 y 页"; pages
 * after the first start with a short header.  The ranking starts on a
 * new page unless it fits whole under the indicators.
 *
 * The page count is known before anything is drawn: the layout runs
 * twice, first only counting (sheet_region_pages), then drawing.
 * Nothing leaves its cell: text is shrunk down to 6 pt, then cut with
 * "…".  Text the font cannot show is refused naming the region.
 */
#ifndef KQ_SHEET_REGION_H
#define KQ_SHEET_REGION_H

#include "sheet_layout.h"  /* struct sheet_paging */
#include "store_region.h"
#include "tmpl_region.h"

#include <stddef.h>

struct err;
struct font;
struct pdf;
struct roles;

/* ERR_OK when the font shows every text of the template, else ERR_DATA
 * naming the template file, the key and the character. */
int sheet_region_check_template(const struct tmpl_region *t,
                                const struct font *f, struct err *e);

/* The number of pages d's sheet takes.  roles (may be NULL) orders the
 * grade bars by the bands of the first role.  Errors as
 * sheet_region_build. */
int sheet_region_pages(const struct tmpl_region *t, const struct font *f,
                       const struct roles *roles,
                       const struct region_data *d, int *pages,
                       struct err *e);

/* Lay out d's sheet into a new document: *out is owned (pdf_free), NULL
 * on failure.  pg (may be NULL) numbers the pages inside a packet.  t,
 * f, roles and d are borrowed for the call (f until pdf_free).  ERR_DATA
 * ("region EAST: ... character U+xxxx ... is not in font ..."),
 * ERR_NOMEM, ERR_INTERNAL. */
int sheet_region_build(const struct tmpl_region *t, const struct font *f,
                       const struct roles *roles,
                       const struct region_data *d,
                       const struct sheet_paging *pg, struct pdf **out,
                       struct err *e);

/* The same sheet, streamed: the drawing pass hands its pages to
 * sink(ctx, part, e) every 16 pages (and the rest at the end), each part
 * a document of its own (borrowed for the call: the sink adds it to a
 * book, pdf_book_add), so a summary of any length - the whole company's
 * ranking - holds at most 16 pages at a time.  The first part carries
 * the Info.  st (may be NULL) receives the drawing's stats and boxes
 * (sheet_layout.h).  Errors as sheet_region_build, or the sink's. */
struct sheet_stats;
int sheet_region_stream(const struct tmpl_region *t, const struct font *f,
                        const struct roles *roles,
                        const struct region_data *d,
                        const struct sheet_paging *pg, sheet_sink_fn sink,
                        void *ctx, struct sheet_stats *st, struct err *e);

/* sheet_region_build, then write the PDF atomically to path.  *bytes
 * (may be NULL) receives its size.  ERR_CANTCREAT/ERR_IO as fsx. */
int sheet_region_write(const struct tmpl_region *t, const struct font *f,
                       const struct roles *roles,
                       const struct region_data *d, const char *path,
                       size_t *bytes, struct err *e);

#endif
