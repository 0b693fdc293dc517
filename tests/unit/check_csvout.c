/* check_csvout -- number formatting of the period CSVs. */
#include "unit.h"

#include "csvout.h"

START_TEST(number_formats)
{
    char b[64];
    csvout_trim(12, 4, b, sizeof b);
    ck_assert_str_eq(b, "12");
    csvout_trim(3.5, 4, b, sizeof b);
    ck_assert_str_eq(b, "3.5");
    csvout_trim(2.0 / 3, 4, b, sizeof b);
    ck_assert_str_eq(b, "0.6667");
    csvout_trim(0, 4, b, sizeof b);
    ck_assert_str_eq(b, "0");
    csvout_trim(10.00004, 4, b, sizeof b);
    ck_assert_str_eq(b, "10");
    csvout_fixed(0.9, 4, b, sizeof b);
    ck_assert_str_eq(b, "0.9000");
    csvout_fixed(68.4, 2, b, sizeof b);
    ck_assert_str_eq(b, "68.40");
    csvout_fixed(-0.001, 2, b, sizeof b);      /* never "-0.00" */
    ck_assert_str_eq(b, "0.00");
    csvout_fixed(100.0 * 37.7777777777 / 80, 2, b, sizeof b);
    ck_assert_str_eq(b, "47.22");
}
END_TEST

Suite *suite_csvout(void)
{
    Suite *s = suite_create("csvout");
    TCase *t = tcase_create("format");
    tcase_add_test(t, number_formats);
    suite_add_tcase(s, t);
    return s;
}
