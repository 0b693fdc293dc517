/* date -- calendar arithmetic on proleptic Gregorian days.
 *
 * A day is an int: days since 1970-01-01 (negative before).  Text dates
 * are strictly "YYYY-MM-DD" with a real day (2026-02-30 is refused) and a
 * year in [DATE_MIN_YEAR, DATE_MAX_YEAR].  Months as periods: period.h.
 * Pure functions, no state: thread-safe.
 */
#ifndef KQ_DATE_H
#define KQ_DATE_H

#define DATE_MIN_YEAR 1900
#define DATE_MAX_YEAR 2199

int date_is_leap(int y);
int date_days_in_month(int y, int m);
/* 1 when y-m-d is a real date in the supported year range. */
int date_valid_ymd(int y, int m, int d);
/* Days since 1970-01-01 for a (valid) y-m-d. */
int date_from_ymd(int y, int m, int d);
void date_to_ymd(int day, int *y, int *m, int *d);

/* Parse exactly "YYYY-MM-DD".  0 and *day set, or -1. */
int date_parse(const char *s, int *day);
/* Parse exactly "MM-DD" (a month-day, 02-29 allowed).  0 or -1. */
int date_parse_mmdd(const char *s, int *m, int *d);
/* Parse exactly "YYYY-MM".  0 or -1. */
int date_parse_month(const char *s, int *y, int *m);
/* Format as "YYYY-MM-DD" into out[11]. */
void date_format(int day, char out[11]);

/* ISO weekday: 1 = Monday .. 7 = Sunday. */
int date_weekday(int day);
/* The Monday of day's ISO week. */
int date_monday(int day);
/* day + n calendar months, clamped to the last day of the target month
 * (2026-12-31 + 2 months = 2027-02-28). */
int date_add_months(int day, int n);
/* The date y-m-d if it exists, else (02-29 in a common year) y-02-28. */
int date_month_day_in_year(int y, int m, int d);

#endif
