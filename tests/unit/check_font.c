/* check_font -- finding, measuring and subsetting the CJK face (font.c).
 *
 * Needs the Debian fonts of `make deps` (fonts-wqy-zenhei,
 * fonts-wqy-microhei).  Expected advances are those of the Debian 12
 * WenQuanYi Zen Hei (0.9.45), in 1/1000 em as the PDF /W array has them.
 */
#include "unit.h"

#include "err.h"
#include "font.h"
#include "mem.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ZENHEI "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
#define MICROHEI "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

static struct err err;

static struct font *open_font(const char *path)
{
    struct font *f = NULL;
    int rc = font_open(&f, path, NULL, &err);
    ck_assert_msg(rc == ERR_OK, "font_open %s: %s", path, err.msg);
    return f;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* ---- lookup ----------------------------------------------------------- */

START_TEST(find_uses_fontconfig)
{
    char *path = NULL;
    unsigned index = 99;

    ck_assert_int_eq(font_find(NULL, &path, &index, &err), ERR_OK);
    /* Zen Hei heads the built-in list; `make deps` installs it */
    ck_assert_str_eq(path, ZENHEI);
    ck_assert_uint_eq(index, 0);
    mem_free(path);
}
END_TEST

START_TEST(find_reads_families_file)
{
    char file[600], *path = NULL;
    unsigned index = 99;
    FILE *fp;

    snprintf(file, sizeof file, "%s/families.conf", unit_tmpdir());
    fp = fopen(file, "w");
    ck_assert_ptr_nonnull(fp);
    fputs("# test\n  No Such Family  \n\nWenQuanYi Micro Hei # second\n", fp);
    fclose(fp);
    ck_assert_int_eq(font_find(file, &path, &index, &err), ERR_OK);
    ck_assert_str_eq(path, MICROHEI);
    ck_assert_uint_eq(index, 0);
    mem_free(path);

    fp = fopen(file, "w");
    fputs("No Such Family\n", fp);
    fclose(fp);
    ck_assert_int_eq(font_find(file, &path, &index, &err), ERR_NOINPUT);
    ck_assert_ptr_null(path);
    ck_assert_ptr_nonnull(strstr(err.msg, "fonts-wqy-microhei"));
}
END_TEST

START_TEST(open_path_and_index)
{
    struct font *f = open_font(ZENHEI ":2"); /* WenQuanYi Zen Hei Sharp */
    ck_assert_str_eq(font_file(f), ZENHEI);
    ck_assert_uint_eq(font_face_index(f), 2);
    ck_assert_str_eq(font_family(f), "WenQuanYi Zen Hei Sharp");
    font_close(f);
}
END_TEST

START_TEST(open_env_override)
{
    struct font *f;
    setenv("KEQING_FONT", MICROHEI, 1);
    f = open_font(NULL);
    unsetenv("KEQING_FONT");
    ck_assert_str_eq(font_family(f), "WenQuanYi Micro Hei");
    font_close(f);
}
END_TEST

START_TEST(open_refuses_bad_files)
{
    struct font *f = (struct font *)&err;
    ck_assert_int_eq(font_open(&f, "/nonexistent/x.ttf", NULL, &err),
                     ERR_NOINPUT);
    ck_assert_ptr_null(f);
    ck_assert_int_eq(font_open(&f, ZENHEI ":7", NULL, &err), ERR_DATA);
    ck_assert_str_eq(err.msg, "font " ZENHEI ": no face 7 (the file has 3)");
    ck_assert_int_eq(font_open(&f, ZENHEI ":x", NULL, &err), ERR_USAGE);
    ck_assert_int_eq(font_open(&f, "/etc/passwd", NULL, &err), ERR_DATA);
}
END_TEST

/* ---- coverage and metrics --------------------------------------------- */

START_TEST(metrics_match_pdf_widths)
{
    struct font *f = open_font(ZENHEI);
    /* advance * 1000 / upem, truncated, as libharu writes /W */
    ck_assert_int_eq(font_advance(f, 0x4E2D), 1000);  /* 中 */
    ck_assert_int_eq(font_advance(f, 'A'), 559);
    ck_assert_int_eq(font_advance(f, '1'), 599);
    ck_assert_int_eq(font_advance(f, ' '), 299);
    ck_assert_int_eq(font_advance(f, 0x1F600), 0);   /* not in the font */
    /* "中A 1" = 1000 + 559 + 299 + 599 */
    ck_assert_int_eq(font_text_width(f, "\xE4\xB8\xAD" "A 1", 6), 2457);
    font_close(f);
}
END_TEST

START_TEST(missing_character_named)
{
    struct font *f = open_font(MICROHEI);
    /* ㈠ is in Micro Hei, ㊀ only in Zen Hei */
    ck_assert_uint_eq(font_first_missing(f, "㈠㊀≦", strlen("㈠㊀≦")), 0x3280);
    ck_assert_uint_eq(font_first_missing(f, "考核", strlen("考核")), 0);
    ck_assert_uint_eq(font_first_missing(f, "a\xFF", 2), 0xFFFFFFFFu);
    ck_assert_int_eq(font_check_text(f, "序号㊀", strlen("序号㊀"),
                                     "person P0007 title", &err), ERR_DATA);
    ck_assert_str_eq(err.msg, "person P0007 title: character U+3280 '㊀' "
                              "is not in font WenQuanYi Micro Hei");
    ck_assert_int_eq(font_check_text(f, "a\xFF", 2, "x", &err), ERR_DATA);
    ck_assert_str_eq(err.msg, "x: invalid UTF-8 at byte 1 (0xFF)");
    font_close(f);
}
END_TEST

/* ---- subsets ---------------------------------------------------------- */

/* The sorted code points of a UTF-8 string (distinct, < 64). */
static size_t cps_of(const char *s, uint32_t *out)
{
    struct text_cpset set;
    const uint32_t *v;
    size_t n;
    text_cpset_init(&set, 64);
    ck_assert_int_eq(text_cpset_add_utf8(&set, s, strlen(s), &err), ERR_OK);
    v = text_cpset_sorted(&set, &n);
    memcpy(out, v, n * sizeof *v);
    text_cpset_free(&set);
    return n;
}

START_TEST(subset_maps_dense_codes)
{
    struct font *f = open_font(ZENHEI);
    struct font_subset *s;
    uint32_t cps[64];
    size_t n = cps_of("考核表 ABC123 ㈠㊀≦≧", cps), len, i;
    const unsigned char *data;

    /* space 1 2 3 A B C ≦ ≧ ㈠ ㊀ 考 核 表 = 14 */
    ck_assert_uint_eq(n, 14);
    ck_assert_int_eq(font_subset_new(f, cps, n, &s, &err), ERR_OK);
    ck_assert_uint_eq(font_subset_count(s), 14);
    for (i = 0; i < n; i++) {
        ck_assert_uint_eq(font_subset_code(s, cps[i]), i + 1);
        ck_assert_uint_eq(font_subset_char(s, (unsigned)i + 1), cps[i]);
        ck_assert_uint_ge(font_subset_glyph(s, (unsigned)i + 1), 1);
        ck_assert_uint_lt(font_subset_glyph(s, (unsigned)i + 1),
                          font_subset_glyphs(s));
    }
    ck_assert_uint_eq(font_subset_code(s, 0x4E2D), 0);
    ck_assert_uint_eq(font_subset_char(s, 15), 0);
    /* ≦ ≧ ㈠ ㊀ are composites in Zen Hei: their parts come along */
    ck_assert_uint_gt(font_subset_glyphs(s), 15);
    data = font_subset_data(s, &len);
    ck_assert_mem_eq(data, "\x00\x01\x00\x00", 4); /* TrueType sfnt */
    /* the face is 16.8 MB; the subset a few KB */
    ck_assert_int_lt((long)len * 1000, file_size(ZENHEI));
    for (i = 0; i < 6; i++)
        ck_assert(font_subset_tag(s)[i] >= 'A' && font_subset_tag(s)[i] <= 'Z');
    ck_assert_uint_eq(strlen(font_subset_tag(s)), 6);
    font_subset_free(s);
    font_close(f);
}
END_TEST

START_TEST(subset_is_deterministic)
{
    struct font *f = open_font(MICROHEI);
    struct font_subset *a, *b, *c;
    uint32_t cps[64];
    size_t n = cps_of("学的们绩", cps), la, lb;
    const unsigned char *da, *db;

    ck_assert_int_eq(font_subset_new(f, cps, n, &a, &err), ERR_OK);
    ck_assert_int_eq(font_subset_new(f, cps, n, &b, &err), ERR_OK);
    ck_assert_int_eq(font_subset_new(f, cps, n - 1, &c, &err), ERR_OK);
    da = font_subset_data(a, &la);
    db = font_subset_data(b, &lb);
    ck_assert_uint_eq(la, lb);
    ck_assert_mem_eq(da, db, la);
    ck_assert_str_eq(font_subset_tag(a), font_subset_tag(b));
    ck_assert_str_ne(font_subset_tag(a), font_subset_tag(c));
    /* Micro Hei builds these from components with ids >= 32768 (what
     * libharu 2.3.0 drops): 4 characters need 12 glyphs + .notdef */
    ck_assert_uint_eq(font_subset_glyphs(a), 13);
    font_subset_free(a);
    font_subset_free(b);
    font_subset_free(c);
    font_close(f);
}
END_TEST

START_TEST(subset_refuses_bad_input)
{
    struct font *f = open_font(MICROHEI);
    struct font_subset *s = NULL;
    const uint32_t missing[] = { 0x3280, 0x4E2D };
    const uint32_t unsorted[] = { 0x6587, 0x4E2D };

    ck_assert_int_eq(font_subset_new(f, missing, 2, &s, &err), ERR_DATA);
    ck_assert_str_eq(err.msg, "character U+3280 is not in font "
                              "WenQuanYi Micro Hei");
    ck_assert_ptr_null(s);
    ck_assert_int_eq(font_subset_new(f, unsorted, 2, &s, &err), ERR_INTERNAL);
    ck_assert_int_eq(font_subset_new(f, unsorted, FONT_SUBSET_MAX + 1, &s,
                                     &err), ERR_DATA);
    font_close(f);
}
END_TEST

START_TEST(subset_survives_allocation_failures)
{
    struct font *f = open_font(ZENHEI);
    const uint32_t cps[] = { 0x4E2D, 0x6587 };
    long n;

    for (n = 1; n < 10; n++) {
        struct font_subset *s = NULL;
        int rc;
        mem_fail_after(n);
        rc = font_subset_new(f, cps, 2, &s, &err);
        mem_fail_after(0);
        ck_assert(rc == ERR_OK || rc == ERR_NOMEM);
        ck_assert(rc == ERR_OK ? s != NULL : s == NULL);
        font_subset_free(s);
    }
    font_close(f);
}
END_TEST

Suite *suite_font(void)
{
    Suite *s = suite_create("font");
    TCase *l = tcase_create("lookup");
    TCase *m = tcase_create("metrics");
    TCase *u = tcase_create("subset");

    tcase_add_test(l, find_uses_fontconfig);
    tcase_add_test(l, find_reads_families_file);
    tcase_add_test(l, open_path_and_index);
    tcase_add_test(l, open_env_override);
    tcase_add_test(l, open_refuses_bad_files);
    tcase_add_test(m, metrics_match_pdf_widths);
    tcase_add_test(m, missing_character_named);
    tcase_add_test(u, subset_maps_dense_codes);
    tcase_add_test(u, subset_is_deterministic);
    tcase_add_test(u, subset_refuses_bad_input);
    tcase_add_test(u, subset_survives_allocation_failures);
    suite_add_tcase(s, l);
    suite_add_tcase(s, m);
    suite_add_tcase(s, u);
    return s;
}
