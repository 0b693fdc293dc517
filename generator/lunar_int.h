/* lunar_int -- the festival table shared by lunar.c and the generated
 * lunar_data.c (tools/lunar_table.py).  Not for other modules: use lunar.h.
 *
 * Invariant: lunar_rows[i].year == LUNAR_MIN_YEAR + i, and mmdd[] is
 * indexed by enum festival, each value month * 100 + day in that year.
 */
#ifndef KQ_LUNAR_INT_H
#define KQ_LUNAR_INT_H

#include "lunar.h"

#define LUNAR_NYEARS (LUNAR_MAX_YEAR - LUNAR_MIN_YEAR + 1)
#define LUNAR_NFEST 4 /* FEST_SPRING .. FEST_MID_AUTUMN */

struct lunar_row {
    short year;              /* Gregorian year */
    short mmdd[LUNAR_NFEST]; /* 春节, 清明, 端午, 中秋 as month * 100 + day */
};

extern const struct lunar_row lunar_rows[LUNAR_NYEARS];

#endif
