/* check_date -- calendar arithmetic, strict parsing, ISO weeks, periods. */
#include "unit.h"
#include "date.h"
#include "period.h"

#include <string.h>

static int D(const char *s)
{
    int d = 0;
    ck_assert_int_eq(date_parse(s, &d), 0);
    return d;
}

static const char *F(int d)
{
    static char out[11];
    date_format(d, out);
    return out;
}

START_TEST(epoch_and_roundtrip)
{
    int y, m, d;
    ck_assert_int_eq(date_from_ymd(1970, 1, 1), 0);
    ck_assert_int_eq(date_from_ymd(2000, 3, 1), 11017);
    ck_assert_int_eq(date_from_ymd(1969, 12, 31), -1);
    for (int day = date_from_ymd(1900, 1, 1); day <= date_from_ymd(2199, 12, 31);
         day += 13) {
        date_to_ymd(day, &y, &m, &d);
        ck_assert_int_eq(date_from_ymd(y, m, d), day);
    }
}
END_TEST

START_TEST(strict_parsing)
{
    int d, y, m;
    ck_assert_int_eq(date_parse("2026-02-28", &d), 0);
    ck_assert_int_eq(date_parse("2026-02-29", &d), -1);
    ck_assert_int_eq(date_parse("2024-02-29", &d), 0);
    ck_assert_int_eq(date_parse("2026-02-30", &d), -1);
    ck_assert_int_eq(date_parse("2100-02-29", &d), -1); /* not leap */
    ck_assert_int_eq(date_parse("2000-02-29", &d), 0);  /* leap */
    ck_assert_int_eq(date_parse("2026-13-01", &d), -1);
    ck_assert_int_eq(date_parse("2026-1-01", &d), -1);
    ck_assert_int_eq(date_parse("2026-01-01 ", &d), -1);
    ck_assert_int_eq(date_parse("1899-12-31", &d), -1);
    ck_assert_int_eq(date_parse("2200-01-01", &d), -1);
    ck_assert_int_eq(date_parse("", &d), -1);
    ck_assert_int_eq(date_parse(NULL, &d), -1);
    ck_assert_int_eq(date_parse_mmdd("02-29", &m, &d), 0);
    ck_assert_int_eq(date_parse_mmdd("02-30", &m, &d), -1);
    ck_assert_int_eq(date_parse_mmdd("2-3", &m, &d), -1);
    ck_assert_int_eq(date_parse_month("2026-10", &y, &m), 0);
    ck_assert_int_eq(y * 100 + m, 202610);
    ck_assert_int_eq(date_parse_month("2026-00", &y, &m), -1);
    ck_assert_str_eq(F(D("2026-10-05")), "2026-10-05");
}
END_TEST

START_TEST(weekdays)
{
    ck_assert_int_eq(date_weekday(D("2026-10-01")), 4); /* Thursday */
    ck_assert_int_eq(date_weekday(D("2026-10-05")), 1); /* Monday */
    ck_assert_int_eq(date_weekday(D("1969-12-28")), 7); /* Sunday */
    ck_assert_str_eq(F(date_monday(D("2026-11-01"))), "2026-10-26");
}
END_TEST

START_TEST(add_months_clamped)
{
    /* indicators.md precise reading 2 */
    ck_assert_str_eq(F(date_add_months(D("2026-08-31"), 2)), "2026-10-31");
    ck_assert_str_eq(F(date_add_months(D("2026-12-31"), 2)), "2027-02-28");
    ck_assert_str_eq(F(date_add_months(D("2023-12-31"), 2)), "2024-02-29");
    ck_assert_str_eq(F(date_add_months(D("2026-03-31"), -1)), "2026-02-28");
    ck_assert_str_eq(F(date_add_months(D("2026-01-15"), -13)), "2024-12-15");
    ck_assert_str_eq(F(date_month_day_in_year(2026, 2, 29)), "2026-02-28");
    ck_assert_str_eq(F(date_month_day_in_year(2028, 2, 29)), "2028-02-29");
}
END_TEST

START_TEST(period_weeks)
{
    struct period p, q;
    char s[8];
    /* October 2026: Thu 1 Oct .. Thu 29 Oct -> 5 weeks, first Monday 28 Sep */
    ck_assert_int_eq(period_parse("2026-10", &p), 0);
    ck_assert_int_eq(p.nweeks, 5);
    ck_assert_str_eq(F(p.week[0]), "2026-09-28");
    ck_assert_str_eq(F(p.week[4]), "2026-10-26");
    ck_assert_str_eq(F(p.start), "2026-10-01");
    ck_assert_str_eq(F(p.end), "2026-10-31");
    /* November 2026: Thursdays 5..26 -> 4 weeks; 29 Oct week belongs to Oct */
    ck_assert_int_eq(period_parse("2026-11", &p), 0);
    ck_assert_int_eq(p.nweeks, 4);
    ck_assert_str_eq(F(p.week[0]), "2026-11-02");
    ck_assert_str_eq(F(p.week[3]), "2026-11-23");
    /* February 2026: Thursdays 5, 12, 19, 26 */
    ck_assert_int_eq(period_parse("2026-02", &p), 0);
    ck_assert_int_eq(p.nweeks, 4);
    ck_assert_str_eq(F(p.week[0]), "2026-02-02");
    period_prev(&p, &q);
    period_format(&q, s);
    ck_assert_str_eq(s, "2026-01");
    ck_assert_int_eq(period_parse("2026-1", &p), -1);
    /* every month 1990..2100 has 4 or 5 weeks, contiguous, Thursdays inside */
    for (int y = 1990; y <= 2100; y++)
        for (int m = 1; m <= 12; m++) {
            period_init(&p, y, m);
            ck_assert(p.nweeks == 4 || p.nweeks == 5);
            for (int w = 0; w < p.nweeks; w++) {
                ck_assert_int_eq(date_weekday(p.week[w]), 1);
                ck_assert(p.week[w] + 3 >= p.start && p.week[w] + 3 <= p.end);
            }
        }
}
END_TEST

Suite *suite_date(void)
{
    Suite *s = suite_create("date");
    TCase *tc = tcase_create("date");
    tcase_add_test(tc, epoch_and_roundtrip);
    tcase_add_test(tc, strict_parsing);
    tcase_add_test(tc, weekdays);
    tcase_add_test(tc, add_months_clamped);
    tcase_add_test(tc, period_weeks);
    suite_add_tcase(s, tc);
    return s;
}
