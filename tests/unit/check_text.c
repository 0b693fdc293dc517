/* check_text -- UTF-8, code point sets and Chinese line breaking (text.c).
 *
 * Line breaking is measured with a fake font: every character is 1 unit
 * wide (ASCII too), so each expected line can be counted by hand.  Byte
 * offsets: a CJK character or full-width mark is 3 bytes in UTF-8.
 */
#include "unit.h"

#include "err.h"
#include "text.h"

#include <string.h>

/* 1 unit per code point. */
static double count_width(void *ctx, const char *s, size_t len)
{
    size_t i, n = 0;
    (void)ctx;
    for (i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return (double)n;
}

static struct text_line lines[16];
static size_t nlines;
static struct err err;

static int brk(const char *s, double max)
{
    memset(lines, 0, sizeof lines);
    return text_break(s, strlen(s), max, count_width, NULL, lines, 16,
                      &nlines, &err);
}

/* Line i is the text want, of width w. */
static void line_is(const char *s, size_t i, const char *want, double w)
{
    ck_assert_uint_lt(i, nlines);
    ck_assert_uint_eq(lines[i].len, strlen(want));
    ck_assert_mem_eq(s + lines[i].off, want, strlen(want));
    ck_assert_double_eq(lines[i].width, w);
}

/* ---- UTF-8 ---------------------------------------------------------------- */

START_TEST(utf8_decode_valid)
{
    uint32_t cp = 0;
    ck_assert_uint_eq(text_utf8_decode("A", 1, &cp), 1);
    ck_assert_uint_eq(cp, 0x41);
    ck_assert_uint_eq(text_utf8_decode("\xC2\xA9", 2, &cp), 2); /* © */
    ck_assert_uint_eq(cp, 0xA9);
    ck_assert_uint_eq(text_utf8_decode("\xE4\xB8\xAD", 3, &cp), 3); /* 中 */
    ck_assert_uint_eq(cp, 0x4E2D);
    ck_assert_uint_eq(text_utf8_decode("\xF0\xA0\xAE\xB7", 4, &cp), 4);
    ck_assert_uint_eq(cp, 0x20BB7); /* 𠮷, outside the BMP */
}
END_TEST

START_TEST(utf8_decode_invalid)
{
    uint32_t cp = 7;
    ck_assert_uint_eq(text_utf8_decode("\xC0\x80", 2, &cp), 0);     /* overlong NUL */
    ck_assert_uint_eq(text_utf8_decode("\xE0\x80\xAF", 3, &cp), 0); /* overlong '/' */
    ck_assert_uint_eq(text_utf8_decode("\xED\xA0\x80", 3, &cp), 0); /* surrogate D800 */
    ck_assert_uint_eq(text_utf8_decode("\xF4\x90\x80\x80", 4, &cp), 0); /* 110000 */
    ck_assert_uint_eq(text_utf8_decode("\xE4\xB8", 2, &cp), 0);     /* truncated */
    ck_assert_uint_eq(text_utf8_decode("\xB8\xAD", 2, &cp), 0);     /* continuation */
    ck_assert_uint_eq(text_utf8_decode("\xFF", 1, &cp), 0);
    ck_assert_uint_eq(text_utf8_decode("", 0, &cp), 0);
    ck_assert_uint_eq(cp, 7);
}
END_TEST

START_TEST(utf8_encode_roundtrip)
{
    static const uint32_t cps[] = { 0x41, 0x7FF, 0x800, 0x4E2D, 0xFFFD,
                                    0x10000, 0x20BB7, 0x10FFFF };
    char out[4];
    size_t i, n;
    uint32_t back;

    for (i = 0; i < sizeof cps / sizeof *cps; i++) {
        n = text_utf8_encode(cps[i], out);
        ck_assert_uint_eq(n, cps[i] < 0x80 ? 1 : cps[i] < 0x800 ? 2
                                 : cps[i] < 0x10000 ? 3 : 4);
        ck_assert_uint_eq(text_utf8_decode(out, n, &back), n);
        ck_assert_uint_eq(back, cps[i]);
    }
    ck_assert_uint_eq(text_utf8_encode(0xD800, out), 0);
    ck_assert_uint_eq(text_utf8_encode(0x110000, out), 0);
}
END_TEST

START_TEST(utf8_check_names_offset)
{
    size_t bad = 0;
    ck_assert_int_eq(text_utf8_valid("ab\xE4\xB8\xAD", 5, &bad), 1);
    ck_assert_int_eq(text_utf8_valid("ab\xE4\xB8" "c", 5, &bad), 0);
    ck_assert_uint_eq(bad, 2);
    ck_assert_int_eq(text_utf8_check("P\xFFQ", 3, "person P0012 name", &err),
                     ERR_DATA);
    ck_assert_str_eq(err.msg,
                     "person P0012 name: invalid UTF-8 at byte 1 (0xFF)");
}
END_TEST

/* ---- code point sets -------------------------------------------------- */

START_TEST(cpset_collects_distinct_sorted)
{
    struct text_cpset s;
    const uint32_t *v;
    size_t n;

    text_cpset_init(&s, 100);
    /* 中 文 中 A 𠮷 A: four distinct */
    ck_assert_int_eq(text_cpset_add_utf8(&s, "\xE4\xB8\xAD\xE6\x96\x87"
                     "\xE4\xB8\xAD" "A\xF0\xA0\xAE\xB7" "A", 15, &err), ERR_OK);
    v = text_cpset_sorted(&s, &n);
    ck_assert_uint_eq(n, 4);
    ck_assert_uint_eq(v[0], 0x41);
    ck_assert_uint_eq(v[1], 0x4E2D);
    ck_assert_uint_eq(v[2], 0x6587);
    ck_assert_uint_eq(v[3], 0x20BB7);
    ck_assert_int_eq(text_cpset_has(&s, 0x20BB7), 1);
    ck_assert_int_eq(text_cpset_has(&s, 0x4E2E), 0);
    ck_assert_int_eq(text_cpset_add_utf8(&s, "x\xFF", 2, &err), ERR_DATA);
    text_cpset_clear(&s);
    ck_assert_int_eq(text_cpset_has(&s, 0x4E2D), 0);
    text_cpset_free(&s);
}
END_TEST

START_TEST(cpset_limit)
{
    struct text_cpset s;
    text_cpset_init(&s, 2);
    ck_assert_int_eq(text_cpset_add_utf8(&s, "abab", 4, &err), ERR_OK);
    ck_assert_int_eq(text_cpset_add(&s, 'c', &err), ERR_DATA);
    ck_assert_str_eq(err.msg, "more than 2 distinct characters in one document");
    text_cpset_free(&s);
}
END_TEST

/* ---- line breaking ---------------------------------------------------- */

START_TEST(break_plain_cjk)
{
    const char *s = "一二三四五六七八九十";
    ck_assert_int_eq(brk(s, 5), ERR_OK);
    ck_assert_uint_eq(nlines, 2);
    line_is(s, 0, "一二三四五", 5);
    line_is(s, 1, "六七八九十", 5);
    ck_assert_uint_eq(lines[1].off, 15);
}
END_TEST

START_TEST(break_comma_hangs)
{
    /* 一二三四 (4) + 五， (2) = 6 > 5, but without the comma it is 5:
     * the comma hangs in the margin instead of starting line 2. */
    const char *s = "一二三四五，六七";
    ck_assert_int_eq(brk(s, 5), ERR_OK);
    ck_assert_uint_eq(nlines, 2);
    line_is(s, 0, "一二三四五，", 6);
    line_is(s, 1, "六七", 2);
}
END_TEST

START_TEST(break_two_closers_pushed)
{
    /* 五。」 is one unit of 3: only one mark may hang (4 + 2 = 6 > 5), so
     * 五 moves down with both marks. */
    const char *s = "一二三四五。」六";
    ck_assert_int_eq(brk(s, 5), ERR_OK);
    ck_assert_uint_eq(nlines, 2);
    line_is(s, 0, "一二三四", 4);
    line_is(s, 1, "五。」六", 4);
}
END_TEST

START_TEST(break_no_opening_at_end)
{
    /* （五） is glued (opening + 五 + closing, 3 wide); 4 + 3 = 7 and
     * 4 + 2 = 6 both exceed 5, so it starts line 2: line 1 never ends
     * with （. */
    const char *s = "一二三四（五）六";
    ck_assert_int_eq(brk(s, 5), ERR_OK);
    ck_assert_uint_eq(nlines, 2);
    line_is(s, 0, "一二三四", 4);
    line_is(s, 1, "（五）六", 4);
}
END_TEST

START_TEST(break_opening_quote_moves)
{
    /* 一二三四“五”: “ may not end line 1 (一二三四“ = 5 fits, but “ is
     * glued to 五” which does not). */
    const char *s = "一二三四“五”";
    ck_assert_int_eq(brk(s, 5), ERR_OK);
    ck_assert_uint_eq(nlines, 2);
    line_is(s, 0, "一二三四", 4);
    line_is(s, 1, "“五”", 3);
}
END_TEST

START_TEST(break_keeps_numbers_together)
{
    /* 达成率 (3) + "95.5%" (5) = 8 > 5: the number moves whole. */
    const char *s = "达成率95.5%";
    ck_assert_int_eq(brk(s, 5), ERR_OK);
    ck_assert_uint_eq(nlines, 2);
    line_is(s, 0, "达成率", 3);
    line_is(s, 1, "95.5%", 5);
}
END_TEST

START_TEST(break_at_spaces_drops_them)
{
    /* "ab cd" = 5 fits; the space before efgh is dropped at the break. */
    const char *s = "  ab cd efgh  ";
    ck_assert_int_eq(brk(s, 5), ERR_OK);
    ck_assert_uint_eq(nlines, 2);
    line_is(s, 0, "ab cd", 5);
    ck_assert_uint_eq(lines[0].off, 2);
    line_is(s, 1, "efgh", 4);
    ck_assert_uint_eq(lines[1].off, 8);
}
END_TEST

START_TEST(break_long_word_cut)
{
    const char *s = "abcdefghij";
    ck_assert_int_eq(brk(s, 4), ERR_OK);
    ck_assert_uint_eq(nlines, 3);
    line_is(s, 0, "abcd", 4);
    line_is(s, 1, "efgh", 4);
    line_is(s, 2, "ij", 2);
}
END_TEST

START_TEST(break_newlines)
{
    /* 一二 \n \n 三: bytes 0-5, 6, 7, 8-10; the middle line is empty */
    const char *s = "一二\n\n三\r\n";
    ck_assert_int_eq(brk(s, 10), ERR_OK);
    ck_assert_uint_eq(nlines, 3);
    line_is(s, 0, "一二", 2);
    ck_assert_uint_eq(lines[1].off, 7);
    ck_assert_uint_eq(lines[1].len, 0);
    line_is(s, 2, "三", 1);
    ck_assert_uint_eq(lines[2].off, 8);
}
END_TEST

START_TEST(break_counts_overflow_and_empty)
{
    struct text_line two[2];
    const char *s = "一二三四五六七八九十";
    ck_assert_int_eq(text_break(s, strlen(s), 2, count_width, NULL, two, 2,
                                &nlines, &err), ERR_OK);
    ck_assert_uint_eq(nlines, 5); /* 5 needed, 2 stored */
    ck_assert_uint_eq(two[1].off, 6);
    ck_assert_uint_eq(two[1].len, 6);
    ck_assert_int_eq(text_break("", 0, 2, count_width, NULL, NULL, 0,
                                &nlines, &err), ERR_OK);
    ck_assert_uint_eq(nlines, 0);
    ck_assert_int_eq(text_break("  ", 2, 2, count_width, NULL, NULL, 0,
                                &nlines, &err), ERR_OK);
    ck_assert_uint_eq(nlines, 0);
}
END_TEST

START_TEST(break_refuses_invalid_utf8)
{
    ck_assert_int_eq(brk("ab\xC3", 5), ERR_DATA);
    ck_assert_uint_eq(nlines, 0);
    ck_assert_str_eq(err.msg, "text to wrap: invalid UTF-8 at byte 2 (0xC3)");
}
END_TEST

START_TEST(punctuation_classes)
{
    /* ，。、；：？！）》」』”…％ may not start a line */
    static const uint32_t closing[] = { 0xFF0C, 0x3002, 0x3001, 0xFF1B,
        0xFF1A, 0xFF1F, 0xFF01, 0xFF09, 0x300B, 0x300D, 0x300F, 0x201D,
        0x2026, 0xFF05, ',', '.', ')' };
    /* （《「『“ may not end one */
    static const uint32_t opening[] = { 0xFF08, 0x300A, 0x300C, 0x300E,
        0x201C, '(' };
    size_t i;

    for (i = 0; i < sizeof closing / sizeof *closing; i++) {
        ck_assert_int_eq(text_no_line_start(closing[i]), 1);
        ck_assert_int_eq(text_no_line_end(closing[i]), 0);
    }
    for (i = 0; i < sizeof opening / sizeof *opening; i++) {
        ck_assert_int_eq(text_no_line_end(opening[i]), 1);
        ck_assert_int_eq(text_no_line_start(opening[i]), 0);
    }
    ck_assert_int_eq(text_no_line_start(0x4E2D), 0);
    ck_assert_int_eq(text_no_line_end(0x4E2D), 0);
}
END_TEST

Suite *suite_text(void)
{
    Suite *s = suite_create("text");
    TCase *u = tcase_create("utf8");
    TCase *c = tcase_create("cpset");
    TCase *b = tcase_create("break");

    tcase_add_test(u, utf8_decode_valid);
    tcase_add_test(u, utf8_decode_invalid);
    tcase_add_test(u, utf8_encode_roundtrip);
    tcase_add_test(u, utf8_check_names_offset);
    tcase_add_test(c, cpset_collects_distinct_sorted);
    tcase_add_test(c, cpset_limit);
    tcase_add_test(b, break_plain_cjk);
    tcase_add_test(b, break_comma_hangs);
    tcase_add_test(b, break_two_closers_pushed);
    tcase_add_test(b, break_no_opening_at_end);
    tcase_add_test(b, break_opening_quote_moves);
    tcase_add_test(b, break_keeps_numbers_together);
    tcase_add_test(b, break_at_spaces_drops_them);
    tcase_add_test(b, break_long_word_cut);
    tcase_add_test(b, break_newlines);
    tcase_add_test(b, break_counts_overflow_and_empty);
    tcase_add_test(b, break_refuses_invalid_utf8);
    tcase_add_test(b, punctuation_classes);
    suite_add_tcase(s, u);
    suite_add_tcase(s, c);
    suite_add_tcase(s, b);
    return s;
}
