/* store_period -- reading a period's records for scoring (store ->
 * score); the results are written through store_results.h.
 *
 * The loader reads only what the period needs: every region, person,
 * customer (with its handovers and contacts) and card; visits and services
 * dated in the period weeks (which may reach into the neighbouring
 * months); displays dated in the period; reports with month = period;
 * greetings dated in [period_start - 3, period_end]; spot checks of the
 * last three periods (the risks look back that far; the indicators keep
 * only the period's); and what the rules look back on: the previous
 * month's stored region means and the customers flagged single-threaded
 * in each earlier stored period (ds_region.prev_mean, struct ds_history).
 * Rows are read in a fixed order, so the dataset -
 * and every figure computed from it - does not depend on import order.
 */
#ifndef KQ_STORE_PERIOD_H
#define KQ_STORE_PERIOD_H

#include "dataset.h"
#include "date.h"
#include "period.h"

struct err;
struct store;

/* What the database holds of a period's exports. */
struct store_exports {
    int n;                  /* imports (files) naming the period */
    char newest[65];        /* sha256 of the last of them imported: the
                               state of the data ("" when n = 0) */
    char newest_file[256];  /* its file as given to import */
    char company[512];      /* company of the last of them naming one */
    char periods[200];      /* every period with an export, ascending,
                               "2026-09, 2026-10" ("…" when cut); "" when
                               nothing was imported */
};

/* Describe the exports of period "YYYY-MM" into *out.  ERR_OK or a store
 * error. */
int store_period_exports(struct store *s, const char *period,
                         struct store_exports *out, struct err *e);

/* Called with each text a scored period's documents print from the data:
 * what it is ("person E0012 name") and the text, both borrowed for the
 * call; a non-zero return stops the walk. */
typedef int (*store_text_fn)(void *ctx, const char *what, const char *text);

/* Walk the texts of the stored results of period "YYYY-MM": every
 * assessed person's name, role label and region name, every region's
 * name, the names of the customers at risk, the company of the period's
 * newest export.  ERR_DATA when the period has no stored results, or a
 * store error; fn's non-zero return is returned as it is. */
int store_period_texts(struct store *s, const char *period,
                       store_text_fn fn, void *ctx, struct err *e);

/* Reading a period in chunks of customers, so that memory holds one
 * chunk's customers and activities at a time (scoring a company of any
 * size; doc/limits.md).  store_period_open reads the regions and persons
 * into ds (initialised by the caller, empty); each store_period_next
 * replaces ds's customers - the next max_customers by id - and
 * everything attached to them (handovers, contacts, cards, the period's
 * activities; dataset_chunk_begin) and finishes it; *got = 0 when none
 * is left.  The reader borrows s and ds until store_period_close.
 * Errors as store_load_period. */
struct store_period_reader;
int store_period_open(struct store *s, const struct period *per,
                      struct dataset *ds, struct store_period_reader **out,
                      struct err *e);
int store_period_next(struct store_period_reader *r, long max_customers,
                      int *got, struct err *e);
void store_period_close(struct store_period_reader *r);

/* Fill ds (initialised by the caller, empty) with period per's records -
 * one chunk holding every customer - and finish it (dataset_finish).  On failure ds holds a partial load; the
 * caller frees it either way.  ERR_DATA for a dangling reference or a
 * malformed stored value, ERR_IO/ERR_BUSY from SQLite, ERR_NOMEM. */
int store_load_period(struct store *s, const struct period *per,
                      struct dataset *ds, struct err *e);

#endif
