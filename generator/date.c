/* date -- days-since-epoch arithmetic, strict date parsing, ISO weeks and
 * months (see date.h; periods are period.c's).  The civil<->days conversion is the classic
 * era-based algorithm (H. Hinnant, "chrono-compatible low-level date
 * algorithms"), valid far beyond the supported year range. */
#include "date.h"


int date_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && date_is_leap(y) ? 29 : dm[m - 1];
}

int date_valid_ymd(int y, int m, int d)
{
    return y >= DATE_MIN_YEAR && y <= DATE_MAX_YEAR && m >= 1 && m <= 12 &&
           d >= 1 && d <= date_days_in_month(y, m);
}

int date_from_ymd(int y, int m, int d)
{
    int era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void date_to_ymd(int day, int *y, int *m, int *d)
{
    int z = day + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int dd = doy - (153 * mp + 2) / 5 + 1;
    int mm = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (mm <= 2);
    *m = mm;
    *d = dd;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* Read s as groups of digits joined by '-' and nothing after them:
 * group k has widths[k] - '0' digits ("422" is YYYY-MM-DD); its value
 * goes to *v[k].  0, or -1 when s has another shape. */
static int date_parts(const char *s, const char *widths, int *const *v)
{
    if (!s)
        return -1;
    for (int k = 0; widths[k]; k++) {
        int n = widths[k] - '0';
        if ((k > 0 && *s++ != '-') || digits(s, n, v[k]))
            return -1;
        s += n;
    }
    return *s ? -1 : 0;
}

int date_parse(const char *s, int *day)
{
    int y, m, d;
    if (date_parts(s, "422", (int *[]){&y, &m, &d}) ||
        !date_valid_ymd(y, m, d))
        return -1;
    *day = date_from_ymd(y, m, d);
    return 0;
}

int date_parse_mmdd(const char *s, int *m, int *d)
{
    if (date_parts(s, "22", (int *[]){m, d}) || *m < 1 || *m > 12 ||
        *d < 1 || *d > date_days_in_month(2000, *m))
        return -1;
    return 0;
}

int date_parse_month(const char *s, int *y, int *m)
{
    if (date_parts(s, "42", (int *[]){y, m}) || *y < DATE_MIN_YEAR ||
        *y > DATE_MAX_YEAR || *m < 1 || *m > 12)
        return -1;
    return 0;
}

static void put_digits(char *p, int v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void date_format(int day, char out[11])
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    put_digits(out, y, 4);
    out[4] = '-';
    put_digits(out + 5, m, 2);
    out[7] = '-';
    put_digits(out + 8, d, 2);
    out[10] = '\0';
}

int date_weekday(int day)
{
    /* 1970-01-01 was a Thursday (4). */
    int r = (day + 3) % 7;
    if (r < 0)
        r += 7;
    return r + 1;
}

int date_monday(int day)
{
    return day - (date_weekday(day) - 1);
}

int date_add_months(int day, int n)
{
    int y, m, d, idx, dim;
    date_to_ymd(day, &y, &m, &d);
    idx = y * 12 + (m - 1) + n;
    y = idx >= 0 ? idx / 12 : -((-idx + 11) / 12);
    m = idx - y * 12 + 1;
    dim = date_days_in_month(y, m);
    return date_from_ymd(y, m, d > dim ? dim : d);
}

int date_month_day_in_year(int y, int m, int d)
{
    int dim = date_days_in_month(y, m);
    return date_from_ymd(y, m, d > dim ? dim : d);
}
