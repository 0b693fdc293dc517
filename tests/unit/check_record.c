/* check_record -- the record table and its value rules (record.c): every
 * field type's accepted and refused values, with the reason given; the
 * rules for names printed on the documents (FT_NAME, doc/limits.md
 * "Names"). */
#include "unit.h"

#include "err.h"
#include "record.h"

#include <string.h>

static struct err err;
static const char *const why = err.msg;

/* 0 when v is accepted, -1 with the reason in why (record_check_value:
 * ERR_OK or ERR_DATA, nothing else) */
static int check(enum fld_type t, const char *v)
{
    const struct fld f = {"x", "x", t, 0, NULL, REC_PERSON};
    int rc;
    err_clear(&err);
    rc = record_check_value(&f, v, &err);
    ck_assert_msg(rc == ERR_OK || rc == ERR_DATA, "status %d", rc);
    return rc == ERR_OK ? 0 : -1;
}

START_TEST(names_that_are_names)
{
    static const char *const ok[] = {
        "王伟", "𠮷伟", "王𡒄", "陈𨱏", "㐀明", "阿依古丽·买买提", "爱新觉罗恒",
        "Alexander Smith-Jones", "O'Brien", "José", "亓官㈠", "鄢陵片区㈠≦≧",
        "示例医药有限公司（华东）", "Nguyễn Thị Minh Khai"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        ck_assert_msg(check(FT_NAME, ok[i]) == 0, "%s refused: %s", ok[i],
                      why);
}
END_TEST

START_TEST(names_that_are_not)
{
    static const struct {
        const char *v, *why;
    } bad[] = {
        {"王\xEE\x80\x80", "U+E000 is a private-use code point"},
        {"\xF3\xB0\x80\x80", "U+F0000 is a private-use code point"},
        {"王😀", "U+1F600 is an emoji or pictograph, not part of a name"},
        {"雪人☃", "U+2603 is an emoji or pictograph"},
        {"王\xE2\x80\x8D伟", "U+200D is an emoji or pictograph"},
        {"葛\xF3\xA0\x84\x80", "U+E0100 is a variation selector"},
        {"王\xEF\xB8\x8F", "U+FE0F is a variation selector"},
        {"Jose\xCC\x81", "U+0301 is a combining mark: write the name composed"},
        {"王\xEF\xBF\xBD", "U+FFFD, a character lost in an earlier conversion"},
        {"王\x01伟", "contains a control character"}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ck_assert_msg(check(FT_NAME, bad[i].v) != 0, "%s accepted", bad[i].v);
        ck_assert_msg(strstr(why, bad[i].why) != NULL, "%s: '%s' lacks '%s'",
                      bad[i].v, why, bad[i].why);
    }
    /* free text (a note) may hold any of them but controls */
    ck_assert_int_eq(check(FT_TEXT, "王😀\xEE\x80\x80"), 0);
    ck_assert_int_ne(check(FT_TEXT, "a\x7f"), 0);
}
END_TEST

START_TEST(names_of_printed_records_are_names)
{
    static const enum rec_kind kinds[] = {REC_REGION, REC_PERSON,
                                          REC_CUSTOMER, REC_CONTACT};
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        const struct kind_def *kd = record_kind(kinds[k]);
        int found = 0;
        for (int i = 0; i < kd->nfields; i++)
            if (!strcmp(kd->fields[i].attr, "name")) {
                ck_assert_int_eq(kd->fields[i].type, FT_NAME);
                found = 1;
            }
        ck_assert_msg(found, "%s has no name", kd->element);
    }
}
END_TEST

START_TEST(other_types)
{
    ck_assert_int_eq(check(FT_ID, "E0001"), 0);
    ck_assert_int_ne(check(FT_ID, "E 1"), 0);
    ck_assert_str_eq(why, "id contains a space or control character");
    ck_assert_int_ne(check(FT_ID, ""), 0);
    ck_assert_int_eq(check(FT_DATE, "2028-02-29"), 0);
    ck_assert_int_ne(check(FT_DATE, "2026-02-29"), 0);
    ck_assert_int_eq(check(FT_MMDD, "02-29"), 0);
    ck_assert_int_ne(check(FT_MMDD, "13-01"), 0);
    ck_assert_int_eq(check(FT_MONTH, "2026-12"), 0);
    ck_assert_int_ne(check(FT_MONTH, "2026-13"), 0);
    ck_assert_int_eq(check(FT_BOOL, "false"), 0);
    ck_assert_int_ne(check(FT_BOOL, "yes"), 0);
    ck_assert_int_eq(check(FT_COUNT, "100"), 0);
    ck_assert_int_ne(check(FT_COUNT, "101"), 0);
    ck_assert_int_ne(check(FT_COUNT, "-1"), 0);
    ck_assert_int_eq(check(FT_PHONES, "office mobile home"), 0);
    ck_assert_int_ne(check(FT_PHONES, "office fax"), 0);
    ck_assert_str_eq(why, "phones must be office, mobile or home, not 'fax'");
}
END_TEST

Suite *suite_record(void)
{
    Suite *s = suite_create("record");
    TCase *t = tcase_create("record");
    tcase_add_test(t, names_that_are_names);
    tcase_add_test(t, names_that_are_not);
    tcase_add_test(t, names_of_printed_records_are_names);
    tcase_add_test(t, other_types);
    suite_add_tcase(s, t);
    return s;
}
