/* packet -- a region's appraisal packet (OUT/YYYY-MM/packets/<id>.pdf):
 * the region's summary sheet followed by the sheet of every assessed
 * member of its subtree, as one PDF (issue 5).
 *
 * Stage 4 (render).  Order: the summary, then the members by sub-region
 * (the region tree depth-first, children by id; a region's own members
 * before its sub-regions') and, within a region, by stored rank, people
 * without a rank last by id.  Page numbers run over the whole packet
 * ("第 x 页 / 共 y 页" on every page, the person sheets' own numbering
 * replaced).  Bookmarks: the summary; then the packet's region, each
 * sub-region holding members (nested as the tree) and each person
 * ("name id role", at the top of the first page of their sheet).  With
 * duplex, every person's sheet starts on a front (odd) page: a blank back
 * ("（本页空白）", numbered) is inserted where needed.  The root region's
 * packet is the whole company.
 *
 * Memory is bounded: pages are written as they are drawn (pdf_book), so
 * a 10,000-page packet holds one sheet at a time plus a few bytes a page.
 */
#ifndef KQ_RENDER_PACKET_H
#define KQ_RENDER_PACKET_H

#include <stddef.h>

struct err;
struct font;
struct roles;
struct region_data;
struct sheet_data;
struct sheet_stats;
struct store_region;
struct store_sheet;
struct tmpl;
struct tmpl_region;

/* What every packet of a run shares (all borrowed; the readers are the
 * caller's, open over the same period and store). */
struct render_packet_ctx {
    const struct tmpl *person_t;        /* sheet/person.xml */
    const struct tmpl_region *region_t; /* sheet/region.xml */
    const struct font *font;
    const struct roles *roles;          /* team weights, grade order */
    struct store_sheet *sheets;
    struct store_region *regions;
    int duplex;                         /* blank backs before odd starts */
    /* Set by the batch (render.c; NULL elsewhere): the packet's registry
     * number (its summary pages print it and its QR code, and the Info
     * /Subject names it), and a function that gives each
     * member's sheet data its registry number and QR text (doc_no,
     * qr_text) before the sheet is measured and drawn. */
    const char *doc_no;
    const char *qr_text;        /* the packet's QR text, on its summary
                                   pages (archive_docref.h) */
    const char *source;         /* the packet's provenance (8 hex) */
    const char *registry;       /* the registry's id (Info /Keywords) */
    void (*number)(void *ctx, struct sheet_data *d);
    void *number_ctx;
    /* Set by the batch (NULL elsewhere): called with the summary's data
     * as read, before anything is drawn; it may complete it (last
     * month's unreturned sheets); an error stops the packet (the data is
     * not the plan's). */
    int (*check)(void *ctx, struct region_data *d, struct err *e);
    /* Set by the batch (NULL elsewhere): receives the summary's stats,
     * its page count and the boxes drawn on it (sheet_layout.h). */
    struct sheet_stats *summary;
};

/* Write the packet of region (a store_region index) atomically to path.
 * *pages receives its page count.  Errors name the packet's region:
 * ERR_DATA (text the font cannot show, a malformed stored value),
 * ERR_CANTCREAT/ERR_IO, ERR_NOMEM, ERR_INTERNAL. */
int render_packet_write(const struct render_packet_ctx *c, size_t region,
                        const char *path, int *pages, struct err *e);

#endif
