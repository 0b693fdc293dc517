/* explain -- the records behind one person's figures, as plain text for a
 * manager answering an appeal (`keqing explain`).
 *
 * Stage: beside score.  The text is produced from score_run's trace, so
 * it lists exactly the records the computation counted (or left out, with
 * the reason): customer-weeks and their visits, spot checks, display
 * audits, reports, greetings due and met, cards.  Chinese labels, ids on
 * every line, numbers formatted as in the CSVs.  Deterministic: the same
 * database gives the same bytes.
 */
#ifndef KQ_EXPLAIN_H
#define KQ_EXPLAIN_H

#include "dataset.h"
#include "date.h"
#include "period.h"
#include "roles.h"

struct buf;
struct err;

/* Append the explanation of dataset person `person` for period per to
 * out.  ds must be finished.  ERR_DATA when the person is not assessed in
 * the period, when the text would pass out's maximum (nothing is cut: the
 * text is whole or refused), or scoring fails (see score_run);
 * ERR_NOMEM. */
int explain_person(const struct dataset *ds, const struct period *per,
                   const struct roles *roles, int person, struct buf *out,
                   struct err *e);

#endif
