/* check_csvout -- number formatting of the period CSVs, and how a text
 * field is quoted (formula-like text made harmless, issue 15). */
#include "unit.h"

#include "csvout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The field s as csvout_field writes it (into a static buffer). */
static const char *field(const char *s)
{
    static char out[256];
    FILE *fp;
    memset(out, 0, sizeof out);
    fp = fmemopen(out, sizeof out, "w");
    ck_assert_ptr_nonnull(fp);
    csvout_field(fp, s);
    ck_assert_int_eq(fclose(fp), 0);
    return out;
}

START_TEST(text_fields)
{
    ck_assert_str_eq(field("李娜"), "李娜");
    ck_assert_str_eq(field("000123"), "000123");   /* text stays text */
    ck_assert_str_eq(field("a,b"), "\"a,b\"");
    ck_assert_str_eq(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    /* each character a spreadsheet starts a formula with: quoted, with
     * an apostrophe first, so Excel, WPS and LibreOffice show text */
    ck_assert_str_eq(field("=HYPERLINK(\"http://x\",\"y\")"),
                     "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    ck_assert_str_eq(field("+86 138"), "\"'+86 138\"");
    ck_assert_str_eq(field("-1"), "\"'-1\"");
    ck_assert_str_eq(field("@SUM(A1)"), "\"'@SUM(A1)\"");
    ck_assert_str_eq(field("\tx"), "\"'\tx\"");
    ck_assert_str_eq(field("\rx"), "\"'\rx\"");
    /* a leading apostrophe is guarded too: dropping one leading
     * apostrophe always gives the text back */
    ck_assert_str_eq(field("'=x"), "\"''=x\"");
    ck_assert_str_eq(field("'a"), "\"''a\"");
    ck_assert_str_eq(field("O'Neil"), "O'Neil");
    /* inside a text they are harmless */
    ck_assert_str_eq(field("a=b"), "a=b");
    ck_assert_str_eq(field("王-李"), "王-李");
    ck_assert_str_eq(field(""), "");
    ck_assert(!csvout_formula_like(NULL));
    ck_assert(!csvout_formula_like(""));
    ck_assert(csvout_formula_like("="));
}
END_TEST

Suite *suite_csvout(void)
{
    Suite *s = suite_create("csvout");
    TCase *t = tcase_create("format");
    tcase_add_test(t, number_formats);
    tcase_add_test(t, text_fields);
    suite_add_tcase(s, t);
    return s;
}
