/* store_sheet -- reading what a person's sheet shows from a period's
 * stored results (store -> render).
 *
 * A struct store_sheet is a reader over one scored period: opening it
 * reads the period's assessed persons (sorted by id: the order of the
 * document numbers), the team sizes and the provenance of the data (the
 * period's import rows); store_sheet_read then fills one person's struct
 * sheet_data with a handful of primary-key lookups on prepared
 * statements, so a batch costs O(persons), and memory stays bounded by
 * the person list.  Everything comes from the result tables written by
 * `keqing score` (schema 2) plus the person and region records; nothing
 * is recomputed.
 *
 * A reader belongs to one thread/process and to the store it was opened
 * on; close it before store_close.
 */
#ifndef KQ_STORE_SHEET_H
#define KQ_STORE_SHEET_H

#include "sheet_data.h"

#include <stddef.h>

struct err;
struct period;
struct store;
struct store_sheet;

/* Open a reader over period per of s.  *out is owned (store_sheet_close).
 * ERR_DATA when the period has no stored results ("run keqing score"),
 * ERR_IO/ERR_BUSY from SQLite, ERR_NOMEM. */
int store_sheet_open(struct store *s, const struct period *per,
                     struct store_sheet **out, struct err *e);

/* Release r (NULL is fine). */
void store_sheet_close(struct store_sheet *r);

/* Number of assessed persons of the period, and the id of the i-th
 * (0-based, ascending ids; borrowed until store_sheet_close). */
size_t store_sheet_count(const struct store_sheet *r);
const char *store_sheet_person(const struct store_sheet *r, size_t i);

/* The company and the provenance text of the period's data (borrowed
 * until store_sheet_close; "" when unknown). */
const char *store_sheet_company(const struct store_sheet *r);
const char *store_sheet_source(const struct store_sheet *r);

/* Fill d (zeroed first; owned by the caller: sheet_data_free, also after
 * a failure) with person i's results.  team_weight is left 0: the caller
 * sets it from the role template.  ERR_DATA for a malformed stored value,
 * ERR_IO/ERR_BUSY, ERR_NOMEM. */
int store_sheet_read(struct store_sheet *r, size_t i, struct sheet_data *d,
                     struct err *e);

#endif
