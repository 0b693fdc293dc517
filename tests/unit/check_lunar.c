/* check_lunar -- festival dates against published calendars, range errors,
 * and invariants of the lunisolar calendar over every supported year.
 *
 * Expected dates are typed in by hand from the Hong Kong Observatory's
 * yearly conversion tables (the same dates as the mainland's official
 * calendar); see doc/calendar.md.
 */
#include "unit.h"
#include "date.h"
#include "lunar.h"
#include "lunar_int.h"

#include <limits.h>
#include <math.h>

static const char *fest_date(int year, enum festival f)
{
    static char out[11];
    int day = 0;
    ck_assert_msg(lunar_festival(year, f, &day) == 0, "year %d fest %d", year, f);
    date_format(day, out);
    return out;
}

static int fest_day(int year, enum festival f)
{
    int day = 0;
    ck_assert_int_eq(lunar_festival(year, f, &day), 0);
    return day;
}

/* 春节, 清明, 端午, 中秋 for 2020-2035, from HKO's T<year>c.txt tables. */
static const char *const published[][4] = {
    {"2020-01-25", "2020-04-04", "2020-06-25", "2020-10-01"},
    {"2021-02-12", "2021-04-04", "2021-06-14", "2021-09-21"},
    {"2022-02-01", "2022-04-05", "2022-06-03", "2022-09-10"},
    {"2023-01-22", "2023-04-05", "2023-06-22", "2023-09-29"},
    {"2024-02-10", "2024-04-04", "2024-06-10", "2024-09-17"},
    {"2025-01-29", "2025-04-04", "2025-05-31", "2025-10-06"},
    {"2026-02-17", "2026-04-05", "2026-06-19", "2026-09-25"},
    {"2027-02-06", "2027-04-05", "2027-06-09", "2027-09-15"},
    {"2028-01-26", "2028-04-04", "2028-05-28", "2028-10-03"},
    {"2029-02-13", "2029-04-04", "2029-06-16", "2029-09-22"},
    {"2030-02-03", "2030-04-05", "2030-06-05", "2030-09-12"},
    {"2031-01-23", "2031-04-05", "2031-06-24", "2031-10-01"},
    {"2032-02-11", "2032-04-04", "2032-06-12", "2032-09-19"},
    {"2033-01-31", "2033-04-04", "2033-06-01", "2033-09-08"},
    {"2034-02-19", "2034-04-05", "2034-06-20", "2034-09-27"},
    {"2035-02-08", "2035-04-05", "2035-06-10", "2035-09-16"},
};

START_TEST(published_2020_to_2035)
{
    for (int i = 0; i < 16; i++)
        for (int f = FEST_SPRING; f <= FEST_MID_AUTUMN; f++)
            ck_assert_str_eq(fest_date(2020 + i, (enum festival)f), published[i][f]);
}
END_TEST

/* New moons within minutes of midnight Beijing time (doc/calendar.md). */
START_TEST(near_midnight_years)
{
    /* new moon 2027-02-06 23:56: 春节 is Saturday the 6th, not the 7th */
    ck_assert_str_eq(fest_date(2027, FEST_SPRING), "2027-02-06");
    ck_assert_int_eq(date_weekday(fest_day(2027, FEST_SPRING)), 6);
    /* new moon 2030-02-03 00:08 */
    ck_assert_str_eq(fest_date(2030, FEST_SPRING), "2030-02-03");
    /* new moon 2007-02-18 00:14 */
    ck_assert_str_eq(fest_date(2007, FEST_SPRING), "2007-02-18");
    /* new moon 2013-06-08 23:56: 五月 starts 06-08 (folk calendars: 06-09) */
    ck_assert_str_eq(fest_date(2013, FEST_DRAGON_BOAT), "2013-06-12");
    /* new moon 2089-09-04 23:58 (HKO flags it): 八月 starts 09-04 */
    ck_assert_str_eq(fest_date(2089, FEST_MID_AUTUMN), "2089-09-18");
    /* new moon 2098-08-26 23:53 */
    ck_assert_str_eq(fest_date(2098, FEST_MID_AUTUMN), "2098-09-09");
    /* 2057: HKO's flagged new moon (09-28) starts 九月, 中秋 is not moved */
    ck_assert_str_eq(fest_date(2057, FEST_MID_AUTUMN), "2057-09-13");
}
END_TEST

START_TEST(range_edges)
{
    int day = 12345;
    ck_assert_str_eq(fest_date(1990, FEST_SPRING), "1990-01-27");
    ck_assert_str_eq(fest_date(1990, FEST_QINGMING), "1990-04-05");
    ck_assert_str_eq(fest_date(1990, FEST_DRAGON_BOAT), "1990-05-28");
    ck_assert_str_eq(fest_date(1990, FEST_MID_AUTUMN), "1990-10-03");
    ck_assert_str_eq(fest_date(2100, FEST_SPRING), "2100-02-09");
    ck_assert_str_eq(fest_date(2100, FEST_QINGMING), "2100-04-05");
    ck_assert_str_eq(fest_date(2100, FEST_DRAGON_BOAT), "2100-06-12");
    ck_assert_str_eq(fest_date(2100, FEST_MID_AUTUMN), "2100-09-18");
    ck_assert_int_eq(lunar_festival(1989, FEST_SPRING, &day), -1);
    ck_assert_int_eq(lunar_festival(2101, FEST_MID_AUTUMN, &day), -1);
    ck_assert_int_eq(lunar_festival(0, FEST_QINGMING, &day), -1);
    ck_assert_int_eq(lunar_festival(INT_MIN, FEST_SPRING, &day), -1);
    ck_assert_int_eq(lunar_festival(INT_MAX, FEST_SPRING, &day), -1);
    ck_assert_int_eq(lunar_festival(2026, (enum festival)4, &day), -1);
    ck_assert_int_eq(lunar_festival(2026, (enum festival)-1, &day), -1);
    ck_assert_int_eq(day, 12345); /* untouched on error */
}
END_TEST

static int md(int day)
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    return m * 100 + d;
}

/* Every year: each date in its own year and season, and the gaps between
 * them whole lunar months of 29 or 30 days (so a mistyped row shows). */
START_TEST(invariants_every_year)
{
    int qm4 = 0, qm5 = 0;
    for (int y = LUNAR_MIN_YEAR; y <= LUNAR_MAX_YEAR; y++) {
        int s = fest_day(y, FEST_SPRING), q = fest_day(y, FEST_QINGMING);
        int d = fest_day(y, FEST_DRAGON_BOAT), m = fest_day(y, FEST_MID_AUTUMN);
        int sd = d - s, dm = m - d;

        ck_assert_int_eq(lunar_rows[y - LUNAR_MIN_YEAR].year, y);
        ck_assert_msg(s >= date_from_ymd(y, 1, 21) && s <= date_from_ymd(y, 2, 20),
                      "%d 春节 %d", y, md(s));
        ck_assert_msg(q == date_from_ymd(y, 4, 4) || q == date_from_ymd(y, 4, 5),
                      "%d 清明 %d", y, md(q));
        ck_assert_msg(d >= date_from_ymd(y, 5, 27) && d <= date_from_ymd(y, 6, 25),
                      "%d 端午 %d", y, md(d));
        ck_assert_msg(m >= date_from_ymd(y, 9, 7) && m <= date_from_ymd(y, 10, 8),
                      "%d 中秋 %d", y, md(m));
        /* 1-1 .. 5-5: 4 months (5 with a leap month) of 29..30 days, + 4 */
        ck_assert_msg((sd >= 4 * 29 + 4 && sd <= 4 * 30 + 4) ||
                      (sd >= 5 * 29 + 4 && sd <= 5 * 30 + 4), "%d: %d", y, sd);
        /* 5-5 .. 8-15: 3 months (4 with a leap month), + 10 */
        ck_assert_msg((dm >= 3 * 29 + 10 && dm <= 3 * 30 + 10) ||
                      (dm >= 4 * 29 + 10 && dm <= 4 * 30 + 10), "%d: %d", y, dm);
        qm4 += q == date_from_ymd(y, 4, 4);
        qm5 += q == date_from_ymd(y, 4, 5);
    }
    /* HKO: 清明 on 4 April in 72 of the 111 years, on 5 April in 39 */
    ck_assert_int_eq(qm4, 72);
    ck_assert_int_eq(qm5, 39);
}
END_TEST

/* Days from the start (00:00 UTC+8) of `day` to the nearest mean new moon
 * (Meeus, Astronomical Algorithms, ch. 49: JDE 2451550.09766 + 29.530588861 k).
 * The true new moon is within 0.65 days of the mean one, and a lunar month
 * begins on the day (UTC+8) of the true new moon, so for a month's first
 * day this lies in (-0.65, 1.65). */
static double mean_new_moon_offset(int day)
{
    double jd = 2440587.5 + day - 8.0 / 24; /* 1970-01-01 00:00 UTC+8 */
    double k = floor((jd - 2451550.09766) / 29.530588861 + 0.5);
    return 2451550.09766 + 29.530588861 * k - jd;
}

/* An astronomical check independent of the table: 正月, 五月, 八月 start
 * on a new moon (it catches gross errors, not every one-day slip). */
START_TEST(months_start_at_new_moons)
{
    for (int y = LUNAR_MIN_YEAR; y <= LUNAR_MAX_YEAR; y++) {
        int start[3] = {fest_day(y, FEST_SPRING), fest_day(y, FEST_DRAGON_BOAT) - 4,
                        fest_day(y, FEST_MID_AUTUMN) - 14};
        for (int i = 0; i < 3; i++) {
            double off = mean_new_moon_offset(start[i]);
            ck_assert_msg(off > -0.65 && off < 1.65, "%d month start %d: %.2f", y,
                          md(start[i]), off);
        }
    }
}
END_TEST

Suite *suite_lunar(void)
{
    Suite *s = suite_create("lunar");
    TCase *tc = tcase_create("lunar");
    tcase_add_test(tc, published_2020_to_2035);
    tcase_add_test(tc, near_midnight_years);
    tcase_add_test(tc, range_edges);
    tcase_add_test(tc, invariants_every_year);
    tcase_add_test(tc, months_start_at_new_moons);
    suite_add_tcase(s, tc);
    return s;
}
