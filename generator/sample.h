/* sample -- a realistic, deterministic company for trying keqing and for
 * benchmarks (`keqing sample`).
 *
 * Sits before the pipeline: it writes a canonical ERP export (see
 * /work/shared/spec/erp-xml.md and the field table in record.c) that
 * `keqing import` reads.  Sections in order: regions, staff, customers
 * (with contacts and handovers), cards, activities.
 *
 * Invariants
 *  (1) Deterministic: the bytes depend only on (staff, period, seed); no
 *      clock, locale or address.  Every customer draws from its own
 *      generator seeded by (seed, customer number, purpose), so each
 *      section can regenerate a customer instead of keeping it in memory:
 *      memory is O(staff), not O(records), and nothing is allocated per
 *      record.
 *  (2) Every reference resolves inside the file (managers, regions,
 *      owners, handover parties, contacts, staff, checkers); ids are
 *      unique per kind: E00001 persons, C000001 customers, K0000001
 *      contacts, V/S/D/R/G/Q0000001 activities (wider when needed).
 *  (3) Nobody acts while not employed: an activity's date lies within
 *      [hired, left] of its staff, and a customer's weeks are worked by
 *      owner_on(customer, Thursday) as indicators.md attributes them.
 *
 * The organisation.  Teams of 11-17: a province_manager, a
 * commercial_supervisor with 4-7 sales_reps and a terminal_supervisor
 * with 4-7 terminal_staff (three levels; the last team is cut at N).  Each
 * team is a leaf region: a 省区 under its 大区 under 全国 while there are
 * at most 31 teams, else a 片区 under its 省区.  Reps own 18-26 customers,
 * supervisors 8-12 key-heavy ones, province managers 5-8 key accounts.
 * About 4% of reps leave inside the period (left = L, customers handed to
 * the next rep, hired shortly before, or to their supervisor on L+1); 3%
 * are new hires inside the period who receive their book from their
 * supervisor on the day they start; 4% of customers carry an older
 * handover, 1.5% one inside the period; 7% were restructured (half within
 * the last two months, so missing cards are in grace).
 *
 * How the grade spread is produced.  Every person gets a hidden diligence
 * q drawn from five bands: 15% in [0.92, 1], 30% in [0.83, 0.92), 30% in
 * [0.73, 0.83), 15% in [0.63, 0.73), 10% in [0.40, 0.63).  Each scored
 * behaviour then succeeds with a probability calibrated so that the
 * expected indicator score, weight x min(1, rate / target), is about q:
 *   A1 valid card of a key contact            q      (else missing, or
 *                                                     stale after 改制)
 *   A4/A5 family >= 3 / all three phones      0.85 / 0.8 per valid card
 *   A2, A3, A6 check items true               0.9 q  (target 90%)
 *   B3, C5 check items true                   0.8 q  (target 80%)
 *   B1 VIP/A customer-week visited            q      (VIP failures are
 *                                                     half purposeless)
 *   B2 VIP customer-week with a service       q
 *   B4 terminal audit best + pop              0.8 q  (target 80%)
 *   C1, C3 report sent, forwarded <= 3 days   sqrt(q) each (late or
 *                                                     missing otherwise)
 *   C2, C4 report sent within the period      q
 *   C6 greeting due met (in [D-3, D], named,  q      (else none, not
 *      identified)                                    identified, early
 *                                                     or late)
 * so an own score is about 100 q plus sampling noise (a few points with
 * 20 customers), spreading totals over 优秀..不合格.  Supervisors and
 * province managers mix in their team's mean (team weight 0.5 / 0.6), so
 * their totals cluster in 良好/合格.  Measured with the project's scorer
 * (2,000 staff, seed 9): 17% 优秀, 34% 良好, 28% 合格, 13% 待改进, 9%
 * 不合格; see doc/sample.md.  q belongs to the person the rule
 * attributes the item to (owner on the week's Thursday, on period_end,
 * on the audit or occasion date; the checked staff).
 */
#ifndef KQ_SAMPLE_H
#define KQ_SAMPLE_H

#include "record.h"

#include <stdint.h>
#include <stdio.h>

struct err;

#define SAMPLE_STAFF_MIN 1
#define SAMPLE_STAFF_MAX 200000
#define SAMPLE_DEFAULT_STAFF 50
#define SAMPLE_DEFAULT_YEAR 2026
#define SAMPLE_DEFAULT_MONTH 10
#define SAMPLE_DEFAULT_SEED 1
/* Periods are limited so that founding dates and 'exported' stay valid. */
#define SAMPLE_MIN_YEAR 2000
#define SAMPLE_MAX_YEAR 2190

struct sample_opts {
    long staff;        /* SAMPLE_STAFF_MIN..SAMPLE_STAFF_MAX people */
    int year, month;   /* the period */
    uint64_t seed;
};

struct sample_stats {
    long long count[REC_NKINDS]; /* records written, by kind */
    long long bytes;             /* bytes written */
};

/* The defaults: 50 staff, period 2026-10, seed 1. */
void sample_opts_default(struct sample_opts *o);

/* Write the export to fp (borrowed; not closed, flushed).  st may be NULL.
 * Returns ERR_OK; ERR_USAGE when o is out of range (staff, year); ERR_NOMEM;
 * ERR_IO when a write fails (e.g. a full disk). */
int sample_write(FILE *fp, const struct sample_opts *o,
                 struct sample_stats *st, struct err *e);

/* Write the export atomically to path (fsx_open/fsx_commit): on any
 * failure no file appears under path.  Codes as sample_write, plus
 * ERR_CANTCREAT. */
int sample_write_file(const char *path, const struct sample_opts *o,
                      struct sample_stats *st, struct err *e);

/* Total records in st (all kinds). */
long long sample_total(const struct sample_stats *st);

#endif
