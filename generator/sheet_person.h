/* sheet_person -- the layout of a person's assessment sheet
 * (客情关系月度考核表, shared/spec/person-sheet.md), drawn with pdf.h.
 *
 * Stage 4 (render): store_sheet.c reads a struct sheet_data from the
 * stored results, this module lays it out on A4 portrait and pdf.c writes
 * the file.  Every word, colour and unit comes from the sheet template
 * (tmpl_sheet.h); every figure from the sheet data.
 *
 * Layout (points from the top-left corner, content between x = 40 and
 * 555): company and title; an info grid (name, id, role / region,
 * manager, period; a third row marks a leaver with the days covered); the
 * indicator table in three groups with group subtotals, own/team rows for
 * managers and the total row with grade; a note on N/A indicators; a bar
 * chart of group scores against their maximum beside a trend chart of the
 * total over the last six stored periods; the comment box; the sign-off
 * for 被考核人 / 考核人 / 人力资源部 with date lines; the acknowledgment
 * and appeal line; a footer with document number, provenance and page
 * x / y.  Blocks that do not fit above the footer move to a second page.
 *
 * Weights shown are the redistributed ones (N/A weight shared out in
 * proportion, as the own score does), so the score column adds up to the
 * own score; N/A rows show their template weight in brackets.
 *
 * No text leaves its cell: each run is measured (pdf_text_width), shrunk
 * down to 6 pt, then wrapped within the cell's height, and only as a last
 * resort cut with an ellipsis.  Text the font cannot show is refused
 * before anything is drawn, naming the person, the field and the
 * character.
 */
#ifndef KQ_SHEET_PERSON_H
#define KQ_SHEET_PERSON_H

#include "sheet_data.h"

struct err;
struct font;
struct pdf;
struct tmpl;

/* Layout measurements of one sheet (for tests and diagnostics). */
struct sheet_stats {
    int texts;              /* text runs drawn */
    double worst_overflow;  /* max over runs of drawn width - cell width
                               (points; <= 0 when everything fits) */
    double min_size;        /* smallest font size used */
    int shrunk, wrapped, cut;  /* runs shrunk / wrapped / cut with "…" */
    int pages;
};

/* "KQ-YYYYMM-NNNNNN": d->doc_no when set (the registry's number, given
 * by the batch), else the period and d->seq, zero-padded.  A sheet whose
 * d->qr_text is set carries that text as a QR code at the right of the
 * sign-off (sheet_qr.h). */
void sheet_doc_number(const struct sheet_data *d, char out[32]);

/* ERR_OK when the font shows every text of the template, else ERR_DATA
 * naming the template file, the key and the character. */
int sheet_check_template(const struct tmpl *t, const struct font *f,
                         struct err *e);

/* Lay out d's sheet into a new document: *out is owned (pdf_free), also
 * NULL on failure.  t, f and d are borrowed for the call (f until
 * pdf_free).  st may be NULL.  ERR_DATA ("person E0012 李娜: name:
 * character U+xxxx ... is not in font ...") for text the font cannot
 * show, ERR_NOMEM, ERR_INTERNAL. */
int sheet_person_build(const struct tmpl *t, const struct font *f,
                       const struct sheet_data *d, struct pdf **out,
                       struct sheet_stats *st, struct err *e);

/* Page numbers of a sheet that is part of a longer document (a packet):
 * its first page is printed as page `first` (1-based) of `total`. */
struct sheet_paging {
    int first, total;
};

/* sheet_person_build with the footer's page numbers from pg (NULL: the
 * sheet's own, "第 1 页 / 共 1 页").  Same contract otherwise. */
int sheet_person_build_paged(const struct tmpl *t, const struct font *f,
                             const struct sheet_data *d,
                             const struct sheet_paging *pg, struct pdf **out,
                             struct sheet_stats *st, struct err *e);

/* The number of pages d's sheet takes (1 or 2), from the layout plan
 * alone (nothing is drawn): a packet numbers its pages before drawing.
 * Errors as sheet_person_build. */
int sheet_person_pages(const struct tmpl *t, const struct font *f,
                       const struct sheet_data *d, int *pages, struct err *e);

/* sheet_person_build, then write the PDF atomically to path (fsx).
 * *bytes (may be NULL) receives the file's size.  ERR_CANTCREAT/ERR_IO
 * as fsx, else as sheet_person_build. */
int sheet_person_write(const struct tmpl *t, const struct font *f,
                       const struct sheet_data *d, const char *path,
                       size_t *bytes, struct err *e);

#endif
