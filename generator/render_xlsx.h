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
 * Every figure is the number its CSV prints (same rounding), stored as a
 * number with the sheets' decimals ("0.00"; rates and targets as
 * percentages "0.00%"); ids, names, periods and every other text are
 * string cells - never a number, a date or a formula, whatever they
 * look like (000123, 2026-10, =HYPERLINK(...)).  Header row frozen, an
 * autofilter over each sheet, column widths fitted to the widest cell
 * (a CJK character counts two), grades filled with their template
 * colour.
 *
 * Deterministic: the workbook's creation time is the period's last day
 * (as the PDFs' CreationDate), zip entries are dated 1980-01-01
 * (libxlsxwriter), so the same results give the same bytes.
 *
 * Written atomically (a temporary file next to it, synced and renamed:
 * fsx.h).  libxlsxwriter writes the file; its own allocations are not
 * counted by mem.h.  Reentrant: no global state.
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

/* Write OUT_DIR/keqing-YYYY-MM.xlsx (the folder must exist).
 * ERR_CANTCREAT, ERR_IO (libxlsxwriter's reason), ERR_NOMEM. */
int render_xlsx_write(const char *out_dir, const struct render_xlsx_in *in,
                      struct err *e);

#endif
