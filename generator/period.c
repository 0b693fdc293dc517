/* period -- a month as an assessment period (see period.h). */
#include "period.h"
#include "date.h"

void period_init(struct period *p, int year, int month)
{
    int thu;
    p->year = year;
    p->month = month;
    p->start = date_from_ymd(year, month, 1);
    p->end = date_from_ymd(year, month, date_days_in_month(year, month));
    p->nweeks = 0;
    /* first Thursday on or after the 1st */
    thu = p->start + ((4 - date_weekday(p->start)) + 7) % 7;
    for (; thu <= p->end && p->nweeks < 5; thu += 7)
        p->week[p->nweeks++] = thu - 3;
}

int period_parse(const char *s, struct period *p)
{
    int y, m;
    if (date_parse_month(s, &y, &m))
        return -1;
    period_init(p, y, m);
    return 0;
}

void period_format(const struct period *p, char out[8])
{
    int y = p->year, m = p->month;
    for (int i = 3; i >= 0; i--, y /= 10)
        out[i] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10 % 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '\0';
}

void period_prev(const struct period *p, struct period *prev)
{
    if (p->month == 1)
        period_init(prev, p->year - 1, 12);
    else
        period_init(prev, p->year, p->month - 1);
}
