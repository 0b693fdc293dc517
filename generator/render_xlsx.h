/* render_xlsx -- the period's Excel workbook, OUT/YYYY-MM/keqing-YYYY-MM.xlsx
 * (issue 15, doc/keqing.1 "FILES"), for HR to sort, filter and sum.
 *
 * Stage 4 (render), written by `score` (pipeline.c) right after the CSVs,
 * from the same results: four sheets, named and headed by the spreadsheet
 * template (tmpl_workbook.h) -
 *   totals   one row per assessed person, as totals.csv;
 *   scores   one row per indicator of each person, as scores.csv;
 *   regions  each region node (its whole subtree): people, scored, mean,
 *            median, month-on-month change, people per grade;
 *   risks    the relationship risks (handover without cards, single
 *            thread), as on the region summaries.
 * A table past Excel's 1,048,576 rows goes on in "NAME (2)", ... each
 * with its header (KEQING_TEST_XLSX_ROWS lowers the limit, for the
 * tests only).
 *
 * Every figure is the number its CSV prints (same rounding), stored as a
 * number with the sheets' decimals ("0.00"; rates and targets as
 * percentages "0.0%", as the sheets print them); ids, names, periods and
 * every other text are string cells - never a number, a date or a
 * formula, whatever they look like (000123, 2026-10, =HYPERLINK(...)).
 * Header row frozen, an
 * autofilter over each sheet, column widths fitted to the widest cell
 * (a CJK character counts two), grades filled with their template
 * colour.
 *
 * Deterministic: the workbook's creation time is the period's last day
 * (as the PDFs' CreationDate), zip entries are dated 1980-01-01
 * (libxlsxwriter), so the same results give the same bytes.
 *
 * Written atomically (a temporary file next to it, synced and renamed:
 * fsx.h), in two steps so that the caller can put it in place together
 * with the CSVs.  libxlsxwriter writes the file; its own allocations
 * are not counted by mem.h.  Reentrant: no global state.
 */
#ifndef KQ_RENDER_XLSX_H
#define KQ_RENDER_XLSX_H

struct dataset;
struct err;
struct score_result;
struct tmpl_workbook;

struct render_xlsx_in {
    const struct dataset *ds;           /* the period's (all borrowed) */
    const struct score_result *r;
    const struct tmpl_workbook *t;
    const char *company;                /* the export's, for the
                                           document properties; may be "" */
};

/* The workbook's file name for period "YYYY-MM": "keqing-YYYY-MM.xlsx". */
void render_xlsx_name(const char *period, char out[32]);

/* Write the whole workbook for OUT_DIR/keqing-YYYY-MM.xlsx (the folder
 * must exist) into a temporary file next to it, held by *o: the caller
 * puts it in place with fsx_commit(o) or drops it with fsx_abort(o).
 * When the final name is a device or a pipe (fsx_open), the workbook is
 * made in a temporary file and its bytes copied to o->fp.  On failure
 * nothing is left and *o needs nothing.  ERR_CANTCREAT, ERR_IO (with the
 * sheet and row, and libxlsxwriter's reason), ERR_DATA (a sheet past
 * Excel's 1,048,576 rows: see render_xlsx.c), ERR_NOMEM. */
struct fsx_out;
int render_xlsx_prepare(const char *out_dir, const struct render_xlsx_in *in,
                        struct fsx_out *o, struct err *e);

#endif
