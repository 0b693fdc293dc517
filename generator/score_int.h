/* score_int -- what score.c and score_region.c share inside the score
 * module: the one ranking rule, and the region stage of the engine.
 * Not a public interface.  Reentrant: no global state.
 */
#ifndef KQ_SCORE_INT_H
#define KQ_SCORE_INT_H

#include "score.h"

#include <stddef.h>

/* Totals closer than this share a rank (rounding noise of the weighted
 * sums: a printed total has two decimals). */
#define SCORE_RANK_EPS 1e-9

/* One person to rank. */
struct score_rank_key {
    double total;
    const char *id;             /* borrowed: the person's id */
    int p;                      /* index into score_result.p */
    int rank;                   /* out: 1.. */
};

/* The ranking rule, the only one (doc/rules.md "Ranks"): sort k by total
 * (descending), then id; the first is 1, each next one shares the rank of
 * the one before when their totals differ by at most SCORE_RANK_EPS, else
 * its place (1, 2, 2, 4).  ERR_OK or ERR_NOMEM (e filled). */
int score_rank(struct score_rank_key *k, size_t n, struct err *e);

/* Each person's rank within their own region (score_person.rank). */
int score_own_ranks(const struct dataset *ds, struct score_result *r,
                    struct err *e);

/* The region figures of r (struct score_region, r->ranked): after the
 * totals and ranks.  ERR_DATA when the regions do not form a tree,
 * ERR_NOMEM. */
int score_regions(const struct dataset *ds, const struct roles *roles,
                  struct score_result *r, struct err *e);

/* Since when each single-threaded customer of r has been at risk
 * (score_risk.since_month) from ds->hist. */
void score_risk_since(const struct dataset *ds, struct score_result *r);

#endif
