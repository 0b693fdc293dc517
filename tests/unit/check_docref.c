/* check_docref -- a printed document's reference (archive_docref.c): the QR text
 * written on every document and the parser that reads back what a person
 * types or a scanner decodes; and the registry's identity derived from
 * the first export (store_registry_derive). */
#include "unit.h"

#include "archive_docref.h"
#include "store_registry.h"

#include <stdio.h>
#include <string.h>

static const char hash[] =
    "3f9a1c2e00000000000000000000000000000000000000000000000000000000";

START_TEST(format_upper_case_alphanumeric)
{
    char out[ARCHIVE_DOCREF_TEXT_MAX];

    ck_assert_uint_eq(archive_docref_format("KQ-202610-000123", hash, "3f9a1c2e7b40",
                                            out), 38);
    ck_assert_str_eq(out, "KQ-202610-000123 3F9A1C2E 3F9A1C2E7B40");
    /* no registry: number and hash only */
    ck_assert_uint_eq(archive_docref_format("KQ-202610-000123", hash, "", out), 25);
    ck_assert_str_eq(out, "KQ-202610-000123 3F9A1C2E");
    /* malformed: nothing */
    ck_assert_uint_eq(archive_docref_format("KQ-202613-000123", hash, "", out), 0);
    ck_assert_str_eq(out, "");
    ck_assert_uint_eq(archive_docref_format("KQ-202610-00012", hash, "", out), 0);
    ck_assert_uint_eq(archive_docref_format("KQ-202610-000123", "3f9a", "", out), 0);
    ck_assert_uint_eq(archive_docref_format("KQ-202610-000123", hash, "3F9A", out), 0);
    ck_assert_uint_eq(archive_docref_format("KQ-202610-000123", hash, "3F9A1C2E7B4G",
                                            out), 0);
}
END_TEST

START_TEST(parse_the_three_forms)
{
    struct docref r;
    static const char qr[] = "KQ-202610-000123 3F9A1C2E 3F9A1C2E7B40";

    ck_assert_int_eq(archive_docref_parse(qr, strlen(qr), &r), 1);
    ck_assert_str_eq(r.number, "KQ-202610-000123");
    ck_assert_str_eq(r.hash, "3f9a1c2e");       /* as the registry has it */
    ck_assert_str_eq(r.registry, "3F9A1C2E7B40");
    /* a number typed from paper, any case, spaces around */
    ck_assert_int_eq(archive_docref_parse("  kq-202610-000123 ", 19, &r), 1);
    ck_assert_str_eq(r.number, "KQ-202610-000123");
    ck_assert_str_eq(r.hash, "");
    ck_assert_str_eq(r.registry, "");
    /* the code of a document issued before schema 4 */
    ck_assert_int_eq(archive_docref_parse("KQ-202610-000005 88c7884f", 25, &r), 1);
    ck_assert_str_eq(r.hash, "88c7884f");
    /* what is not one */
    ck_assert_int_eq(archive_docref_parse("", 0, &r), 0);
    ck_assert_int_eq(archive_docref_parse("KQ-202610-0001234", 17, &r), 0);
    ck_assert_int_eq(archive_docref_parse("KQ-202600-000123", 16, &r), 0);
    ck_assert_int_eq(archive_docref_parse("KQ-202610-000123 3F9A1C2", 24, &r), 0);
    ck_assert_int_eq(archive_docref_parse("KQ-202610-000123 3F9A1C2X", 25, &r), 0);
    ck_assert_int_eq(archive_docref_parse("KQ-202610-000123 3F9A1C2E 3F9A1C2E7B4", 37,
                                          &r), 0);
    ck_assert_int_eq(archive_docref_parse("KQ-202610-000123 3F9A1C2E 3F9A1C2E7B40 x",
                                          40, &r), 0);
    ck_assert_str_eq(r.number, "");
    /* only n bytes are read */
    ck_assert_int_eq(archive_docref_parse("KQ-202610-000123 3F9A1C2E", 16, &r), 1);
    ck_assert_str_eq(r.hash, "");
}
END_TEST

START_TEST(format_then_parse_round_trips)
{
    char out[ARCHIVE_DOCREF_TEXT_MAX];
    struct docref r;

    for (int seq = 1; seq < 1000000; seq = seq * 7 + 3) {
        char no[24];
        snprintf(no, sizeof no, "KQ-203012-%06d", seq);
        ck_assert_uint_gt(archive_docref_format(no, hash, "ABCDEF012345", out), 0);
        ck_assert_int_eq(archive_docref_parse(out, strlen(out), &r), 1);
        ck_assert_str_eq(r.number, no);
        ck_assert_str_eq(r.registry, "ABCDEF012345");
    }
}
END_TEST

/* The page code of issue 14: "NUMBER HASH8 REGISTRY I/N M". */
START_TEST(page_code_format_and_parse)
{
    char doc[ARCHIVE_DOCREF_TEXT_MAX], out[ARCHIVE_DOCREF_TEXT_MAX];
    struct docref r;

    ck_assert_uint_gt(archive_docref_format("KQ-202610-000123", "3f9a1c2e77",
                                            "3F9A1C2E7B40", doc), 0);
    ck_assert_uint_eq(archive_docref_format_page(doc, 2, 3, 'A', out), 44);
    ck_assert_str_eq(out, "KQ-202610-000123 3F9A1C2E 3F9A1C2E7B40 2/3 A");
    ck_assert_int_eq(archive_docref_parse(out, strlen(out), &r), 1);
    ck_assert_str_eq(r.number, "KQ-202610-000123");
    ck_assert_str_eq(r.hash, "3f9a1c2e");
    ck_assert_str_eq(r.registry, "3F9A1C2E7B40");
    ck_assert_int_eq(r.page, 2);
    ck_assert_int_eq(r.pages, 3);
    ck_assert_int_eq(r.mark, 'A');
    /* out of range: nothing formatted */
    ck_assert_uint_eq(archive_docref_format_page(doc, 4, 3, 'A', out), 0);
    ck_assert_uint_eq(archive_docref_format_page(doc, 0, 3, 'A', out), 0);
    ck_assert_uint_eq(archive_docref_format_page(doc, 1, 1, '1', out), 0);
    /* malformed page words are not ours */
    static const char *const bad[] = {
        "KQ-202610-000123 3F9A1C2E 3F9A1C2E7B40 2/3",
        "KQ-202610-000123 3F9A1C2E 3F9A1C2E7B40 4/3 A",
        "KQ-202610-000123 3F9A1C2E 3F9A1C2E7B40 0/3 A",
        "KQ-202610-000123 3F9A1C2E 3F9A1C2E7B40 02/3 A",
        "KQ-202610-000123 3F9A1C2E 3F9A1C2E7B40 2/ A",
        "KQ-202610-000123 3F9A1C2E 3F9A1C2E7B40 /3 A",
        "KQ-202610-000123 3F9A1C2E 3F9A1C2E7B40 2/3 AB",
        "KQ-202610-000123 3F9A1C2E 3F9A1C2E7B40 2/3 7",
        "KQ-202610-000123 3F9A1C2E 3F9A1C2E7B40 2/3 A X",
        "KQ-202610-000123 3F9A1C2E 3F9A1C2E7B40 123456/123456 A",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(!archive_docref_parse(bad[i], strlen(bad[i]), &r),
                      "accepted '%s'", bad[i]);
        ck_assert_int_eq(r.page, 0);
    }
}
END_TEST

START_TEST(registry_id_is_derived)
{
    char a[STORE_REGISTRY_ID_MAX], b[STORE_REGISTRY_ID_MAX];

    /* sha256("keqing registry 1\n" || hex), first 12 hex, upper case:
     * printf 'keqing registry 1\n%s' HEX | sha256sum */
    store_registry_derive(hash, a);
    ck_assert_uint_eq(strlen(a), 12);
    ck_assert_int_eq(unit_sh("test \"$(printf 'keqing registry 1\\n%%s' %s | "
                             "sha256sum | cut -c1-12 | tr a-f A-F)\" = %s",
                             hash, a), 0);
    store_registry_derive(hash, b);
    ck_assert_str_eq(a, b);
    store_registry_derive("4f9a1c2e", b);
    ck_assert_str_ne(a, b);
}
END_TEST

Suite *suite_docref(void)
{
    Suite *s = suite_create("docref");
    TCase *t = tcase_create("docref");
    tcase_add_test(t, format_upper_case_alphanumeric);
    tcase_add_test(t, parse_the_three_forms);
    tcase_add_test(t, format_then_parse_round_trips);
    tcase_add_test(t, registry_id_is_derived);
    tcase_add_test(t, page_code_format_and_parse);
    suite_add_tcase(s, t);
    return s;
}
