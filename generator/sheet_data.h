/* sheet_data -- the render side of what a person's assessment sheet
 * shows: the number formats the sheet (sheet_person.c) and its comment
 * (sheet_comment.c) share, so that a figure reads the same in both.
 *
 * Stage 4 (render) of import -> store -> score -> render.  The data
 * itself, struct sheet_data, is the store's output model (store_sheet.h,
 * included here: render -> store is the allowed direction); the
 * functions are defined in sheet_data.c, which depends on nothing but
 * the store's free function.  No library, no I/O; every function is pure
 * (safe from any thread).
 */
#ifndef KQ_SHEET_DATA_H
#define KQ_SHEET_DATA_H

#include "store_sheet.h"

#include <stddef.h>

/* store_sheet_data_free, under the name it had before the data model
 * moved into the store (callers in render_doc.c and the unit tests). */
void sheet_data_free(struct sheet_data *d);

/* ---- number formats shared by the sheet and its comment ---------------
 * All under the C locale, deterministic, rounded half away from zero as
 * printf does; out is always NUL-terminated. */

/* v with at most 2 decimals, trailing zeros dropped: 12, 7.5, 2.33. */
void sheet_fmt_num(double v, char out[32]);

/* A rate as a percentage with `dec` decimals (0..2): 0.923 -> "92.3%";
 * trim 1 drops trailing zeros ("90%", "85.5%"). */
void sheet_fmt_pct(double rate, int dec, int trim, char out[32]);

/* The "actual" cell of an applicable indicator: numerator/denominator and
 * the unit, "12/15家", "7.5/10客户周" (unit may be ""). */
void sheet_fmt_actual(const struct sheet_ind *in, const char *unit,
                      char *out, size_t n);

#endif
