/* lunar -- dates of the Chinese festivals that greetings (C6) are due on.
 *
 * 春节 (lunar 1-1), 清明 (the solar term, 4-6 April), 端午 (lunar 5-5) and
 * 中秋 (lunar 8-15), as in the official calendar (GB/T 33661-2017, as
 * published by the Purple Mountain Observatory / Hong Kong Observatory),
 * for every Gregorian year LUNAR_MIN_YEAR..LUNAR_MAX_YEAR.
 */
#ifndef KQ_LUNAR_H
#define KQ_LUNAR_H

#define LUNAR_MIN_YEAR 1990
#define LUNAR_MAX_YEAR 2100

enum festival {
    FEST_SPRING,      /* 春节 spring_festival */
    FEST_QINGMING,    /* 清明 qingming */
    FEST_DRAGON_BOAT, /* 端午 dragon_boat */
    FEST_MID_AUTUMN   /* 中秋 mid_autumn */
};

/* The festival's date in Gregorian year `year` as a day number (date.h).
 * 0 and *day set, or -1 when the year is outside the supported range. */
int lunar_festival(int year, enum festival f, int *day);

#endif
