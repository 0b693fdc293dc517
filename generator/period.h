/* period -- the assessment period: one calendar month and its weeks.
 *
 * A period's weeks are the ISO weeks (Monday..Sunday) whose Thursday falls
 * in the month (doc/rules.md), so a week belongs to exactly one period.
 * Days are date.h day numbers.  Pure functions, no state: thread-safe.
 */
#ifndef KQ_PERIOD_H
#define KQ_PERIOD_H

struct period {
    int year, month;   /* the calendar month */
    int start, end;    /* first and last day */
    int nweeks;        /* 4 or 5 */
    int week[5];       /* Monday of each period week, ascending */
};

/* Fill p for "YYYY-MM".  0 or -1 (malformed / out of range). */
int period_parse(const char *s, struct period *p);
/* Fill p for year/month (assumed valid). */
void period_init(struct period *p, int year, int month);
/* "YYYY-MM" into out[8]. */
void period_format(const struct period *p, char out[8]);
/* The previous month. */
void period_prev(const struct period *p, struct period *prev);

#endif
