/* comment -- the automatic, factual Chinese comment of a person's sheet.
 *
 * Stage 4 (render).  From a person's stored results (struct sheet_data)
 * and the phrases of the sheet template, write short sentences in a fixed
 * order of importance:
 *   1. the total and its change from last month (or: no total);
 *   2. the strongest indicator, by score / weight (when it beats the
 *      weakest);
 *   3. the weakest indicator, by score / weight (or: all targets met);
 *   4. the team score and its share of the total (managers);
 *   5. the largest change of an indicator's rate from last month
 *      (at least 0.5 percentage points);
 *   6. the indicators that are not applicable (by name, or only their
 *      number when the names do not fit).
 * A sentence is kept only when the whole comment still fits in max_lines
 * lines of max_width (measured with the caller's width function and
 * text_break, the same breaking the sheet draws with); later sentences
 * may still fit after a long one is left out.  Ties are broken by the
 * larger weight, then the indicator order A1..C6: the same data always
 * gives the same text.  No I/O, no clock, no locale.
 */
#ifndef KQ_SHEET_COMMENT_H
#define KQ_SHEET_COMMENT_H

#include "sheet_data.h"
#include "text.h"

#include <stddef.h>

struct buf;
struct err;
struct tmpl;

/* The index in d->ind of the strongest (best = 1) or weakest (best = 0)
 * applicable indicator by score / weight, or -1 when none applies. */
int sheet_comment_pick(const struct sheet_data *d, int best);

/* The index in d->ind of the applicable indicator whose rate changed most
 * from last month (|change| >= 0.005), or -1. */
int sheet_comment_pick_change(const struct sheet_data *d);

/* Write the comment for d into out (appended; valid UTF-8).  width/ctx
 * measure text as it will be drawn; max_width and max_lines bound the box
 * (max_lines 0: no bound).  ERR_OK, ERR_NOMEM, ERR_DATA (a phrase with a
 * placeholder the template loader should have refused, or a text too
 * long for out's maximum). */
int sheet_comment_write(const struct sheet_data *d, const struct tmpl *t,
                  double max_width, size_t max_lines, text_width_fn width,
                  void *ctx, struct buf *out, struct err *e);

#endif
