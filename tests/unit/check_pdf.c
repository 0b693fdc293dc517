/* check_pdf -- the PDF writer (pdf.c) end to end: a one-page Chinese
 * document checked with poppler (pdffonts, pdftotext, pdfinfo, pdftoppm)
 * and qpdf, determinism, refusals, size, allocation failures.
 *
 * Needs fonts-wqy-zenhei, poppler-utils and qpdf (`make deps`).  Zen Hei
 * is used because it is the one Debian face with every tricky character
 * (㊀ is missing from Micro Hei and UMing).
 */
#include "unit.h"

#include "date.h"
#include "err.h"
#include "font.h"
#include "fsx.h"
#include "mem.h"
#include "pdf.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZENHEI "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

static struct err err;
static struct font *font;

static void setup(void)
{
    ck_assert_msg(font_open(&font, ZENHEI, NULL, &err) == ERR_OK, "%s",
                  err.msg);
}

static void teardown(void)
{
    font_close(font);
    font = NULL;
}

static const char *const page_lines[] = {
    "客情关系月度考核表",
    "特殊字符：㈠㊀≦≧ ①②③",
    "罕见姓氏：亓 仉 佘 厍 靳 闫 逄 覃 蒯 鄢 甯",
    "学的们绩 Grade 3 (2024-2025) 95.5%",
};
#define NLINES (sizeof page_lines / sizeof *page_lines)

/* 1 when needle occurs in hay[0..n). */
static int contains(const unsigned char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle), i;
    for (i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return 1;
    return 0;
}

/* The test page: the lines 30 pt apart, a filled and a stroked box, a
 * rule; Info with Chinese and a fixed creation date. */
static int build_page(struct pdf **out)
{
    struct pdf_info info = { .title = "考核表 <P0012> & more",
                             .author = "人力资源部", .subject = "客情关系",
                             .creator = "keqing test", .has_date = 1,
                             .day = 0, .seconds = 3600 };
    struct pdf *d = NULL;
    size_t i;
    int rc;

    info.day = date_from_ymd(2026, 10, 31);
    rc = pdf_new(&d, font, &err);
    if (rc == ERR_OK)
        rc = pdf_page(d, PDF_A4_WIDTH, PDF_A4_HEIGHT, &err);
    for (i = 0; i < NLINES && rc == ERR_OK; i++)
        rc = pdf_text(d, 40, 60 + 30 * (double)i, i ? 14 : 20, 0x1F4E79,
                      page_lines[i], strlen(page_lines[i]), &err);
    if (rc == ERR_OK)
        rc = pdf_fill_rect(d, 40, 200, 200, 20, 0xDDEBF7, &err);
    if (rc == ERR_OK)
        rc = pdf_stroke_rect(d, 40, 230, 200, 20, 0.5, 0x888888, &err);
    if (rc == ERR_OK)
        rc = pdf_line(d, 40, 800, 555, 800, 0.5, 0x000000, &err);
    if (rc == ERR_OK)
        rc = pdf_set_info(d, &info, &err);
    if (rc != ERR_OK) {
        pdf_free(d);
        d = NULL;
    }
    *out = d;
    return rc;
}

static void save_page(const char *path)
{
    struct pdf *d;
    ck_assert_msg(build_page(&d) == ERR_OK, "%s", err.msg);
    ck_assert_msg(pdf_save(d, path, &err) == ERR_OK, "%s", err.msg);
    pdf_free(d);
}

START_TEST(page_passes_poppler_and_qpdf)
{
    char dir[512], path[600], want[1024], *got = NULL;
    size_t n, i, off = 0;

    snprintf(dir, sizeof dir, "%s", unit_tmpdir());
    snprintf(path, sizeof path, "%s/p.pdf", dir);
    save_page(path);
    /* one font: embedded, subset, with a ToUnicode */
    ck_assert_int_eq(unit_sh("pdffonts %s > %s/fonts.txt 2>&1", path, dir), 0);
    ck_assert_int_eq(unit_sh("test $(tail -n +3 %s/fonts.txt | wc -l) = 1 && "
        "grep -Eq '^[A-Z]{6}\\+WenQuanYiZenHei +CID TrueType +Identity-H +"
        "yes yes yes ' %s/fonts.txt", dir, dir), 0);
    /* the exact text back, and not one warning */
    ck_assert_int_eq(unit_sh("pdftotext %s %s/p.txt 2> %s/p.err", path, dir,
                             dir), 0);
    ck_assert_int_eq(unit_sh("test ! -s %s/p.err", dir), 0);
    for (i = 0; i < NLINES; i++)
        off += (size_t)snprintf(want + off, sizeof want - off, "%s\n",
                                page_lines[i]);
    snprintf(want + off, sizeof want - off, "\n\f");
    snprintf(path, sizeof path, "%s/p.txt", dir);
    ck_assert_int_eq(fsx_read_file(path, 4096, &got, &n, &err), ERR_OK);
    ck_assert_str_eq(got, want);
    mem_free(got);
    /* Info in Chinese, date from the data */
    snprintf(path, sizeof path, "%s/p.pdf", dir);
    ck_assert_int_eq(unit_sh("pdfinfo %s 2>&1 | grep -q "
        "'^Title: *考核表 <P0012> & more$'", path), 0);
    ck_assert_int_eq(unit_sh("grep -aq 'CreationDate (D:20261031010000)' %s",
                             path), 0);
    ck_assert_int_eq(unit_sh("qpdf --check %s > /dev/null 2>&1", path), 0);
    /* font.c numbers the subset's glyphs as the codes */
    ck_assert_int_eq(unit_sh("grep -aq '/CIDToGIDMap /Identity' %s", path),
                     0);
    ck_assert_int_eq(unit_sh("pdftoppm -r 80 -png %s %s/p 2>&1 | "
                             "grep -q . && exit 1; test -s %s/p-1.png",
                             path, dir, dir), 0);
}
END_TEST

START_TEST(output_is_deterministic)
{
    struct pdf *a, *b;
    unsigned char *x, *y, *z;
    size_t nx, ny, nz;

    ck_assert_int_eq(build_page(&a), ERR_OK);
    ck_assert_int_eq(build_page(&b), ERR_OK);
    ck_assert_int_eq(pdf_render(a, &x, &nx, &err), ERR_OK);
    ck_assert_int_eq(pdf_render(a, &y, &ny, &err), ERR_OK);
    ck_assert_int_eq(pdf_render(b, &z, &nz, &err), ERR_OK);
    ck_assert_uint_eq(nx, ny);
    ck_assert_uint_eq(nx, nz);
    ck_assert_mem_eq(x, y, nx);
    ck_assert_mem_eq(x, z, nx);
    mem_free(x);
    mem_free(y);
    mem_free(z);
    pdf_free(a);
    pdf_free(b);
}
END_TEST

START_TEST(text_refused_with_reason)
{
    struct pdf *d;

    ck_assert_int_eq(pdf_new(&d, font, &err), ERR_OK);
    ck_assert_int_eq(pdf_text(d, 1, 1, 10, 0, "中", 3, &err), ERR_USAGE);
    ck_assert_int_eq(pdf_page(d, 0, 100, &err), ERR_DATA);
    ck_assert_int_eq(pdf_page(d, 100, 100, &err), ERR_OK);
    ck_assert_int_eq(pdf_text(d, 1, 1, 10, 0, "P\xFFQ", 3, &err), ERR_DATA);
    ck_assert_str_eq(err.msg, "pdf: text: invalid UTF-8 at byte 1 (0xFF)");
    ck_assert_int_eq(pdf_text(d, 1, 1, 10, 0, "甲\n乙", 7, &err), ERR_DATA);
    ck_assert_str_eq(err.msg, "text \"甲?乙\": control character U+000A "
                              "(break lines before drawing)");
    ck_assert_int_eq(pdf_text(d, 1, 1, 0, 0, "中", 3, &err), ERR_DATA);
    ck_assert_uint_eq(pdf_char_count(d), 0); /* nothing refused was kept */
    /* a character no face has is drawn as the placeholder, and counted */
    ck_assert_int_eq(pdf_text(d, 1, 1, 10, 0, "王\xF0\x9F\x98\x80", 7, &err),
                     ERR_OK);
    ck_assert_uint_eq(pdf_missing_count(d), 1);
    ck_assert_uint_eq(pdf_char_count(d), 2);
    ck_assert_int_eq(pdf_stroke_rect(d, 0, 0, 1, 1, 0, 0, &err), ERR_DATA);
    pdf_free(d);
}
END_TEST

START_TEST(no_page_no_document)
{
    struct pdf *d;
    unsigned char *x = (unsigned char *)"";
    size_t n = 9;

    ck_assert_int_eq(pdf_new(&d, font, &err), ERR_OK);
    ck_assert_int_eq(pdf_render(d, &x, &n, &err), ERR_DATA);
    ck_assert_ptr_null(x);
    ck_assert_uint_eq(n, 0);
    pdf_free(d);
}
END_TEST

START_TEST(shapes_only_has_no_font)
{
    struct pdf *d;
    unsigned char *x;
    size_t n;

    ck_assert_int_eq(pdf_new(&d, font, &err), ERR_OK);
    ck_assert_int_eq(pdf_page(d, 200, 100, &err), ERR_OK);
    ck_assert_int_eq(pdf_fill_rect(d, 10, 10, 50, 20, 0xFF0000, &err), ERR_OK);
    ck_assert_int_eq(pdf_render(d, &x, &n, &err), ERR_OK);
    ck_assert_int_eq(contains(x, n, "/Font"), 0);
    ck_assert_mem_eq(x, "%PDF-1.3", 8);
    mem_free(x);
    pdf_free(d);
}
END_TEST

START_TEST(width_in_points)
{
    struct pdf *d;
    ck_assert_int_eq(pdf_new(&d, font, &err), ERR_OK);
    /* 中文 = 2 x 1000/1000 em at 10 pt; "A" = 559/1000 em at 20 pt */
    ck_assert_double_eq_tol(pdf_text_width(d, "中文", 6, 10), 20.0, 1e-9);
    ck_assert_double_eq_tol(pdf_text_width(d, "A", 1, 20), 11.18, 1e-9);
    pdf_free(d);
}
END_TEST

START_TEST(page_of_300_characters_is_subset)
{
    struct pdf *d;
    unsigned char *x;
    size_t n, k;
    char line[20 * 3 + 1];

    /* 15 lines of 20 distinct ideographs, spread over U+4E00..U+6A9C */
    ck_assert_int_eq(pdf_new(&d, font, &err), ERR_OK);
    ck_assert_int_eq(pdf_page(d, PDF_A4_WIDTH, PDF_A4_HEIGHT, &err), ERR_OK);
    for (k = 0; k < 300; k++) {
        size_t col = k % 20;
        text_utf8_encode(0x4E00 + 37 * (uint32_t)k, line + 3 * col);
        if (col == 19) {
            line[60] = 0;
            ck_assert_int_eq(pdf_text(d, 40, 60 + 18 * (double)(k / 20), 12,
                                      0, line, 60, &err), ERR_OK);
        }
    }
    ck_assert_uint_eq(pdf_char_count(d), 300);
    ck_assert_int_eq(pdf_render(d, &x, &n, &err), ERR_OK);
    /* libharu embedding the whole face: 553 KB (shared/notes); the
     * subset: 65 KB, nearly all glyph outlines of these rare, complex
     * characters (a sheet's 266 common ones: 43 KB, see doc/fonts.md) */
    ck_assert_uint_lt(n, 80 * 1024);
    ck_assert_uint_gt(n, 20 * 1024); /* the glyphs really are embedded */
    mem_free(x);
    pdf_free(d);
}
END_TEST

START_TEST(fallback_face_draws_the_rest)
{
    static const char line[] = "序号㈠㊀≦≧ 覃亓 A1";
    char dir[512], path[600], *got = NULL;
    struct font *micro = NULL, *zen = NULL;
    struct pdf *d;
    unsigned char *x;
    size_t n;

    snprintf(dir, sizeof dir, "%s", unit_tmpdir());
    snprintf(path, sizeof path, "%s/fb.pdf", dir);
    ck_assert_int_eq(font_open(&micro, "/usr/share/fonts/truetype/wqy/"
                               "wqy-microhei.ttc", NULL, &err), ERR_OK);
    ck_assert_int_eq(font_open(&zen, ZENHEI, NULL, &err), ERR_OK);
    ck_assert_int_eq(font_set_fallback(micro, zen, &err), ERR_OK);
    ck_assert_int_eq(pdf_new(&d, micro, &err), ERR_OK);
    ck_assert_int_eq(pdf_page(d, 300, 100, &err), ERR_OK);
    ck_assert_int_eq(pdf_text(d, 10, 40, 14, 0, line, strlen(line), &err),
                     ERR_OK);
    /* ㊀ (Zen Hei: 1000) is measured in its own face */
    ck_assert_double_eq_tol(pdf_text_width(d, "㊀A", 4, 10), 16.07, 1e-9);
    ck_assert_int_eq(pdf_render(d, &x, &n, &err), ERR_OK);
    /* one line, three runs: Micro Hei, Zen Hei for ㊀, Micro Hei */
    ck_assert_int_eq(contains(x, n, "/F2"), 1);
    mem_free(x);
    ck_assert_int_eq(pdf_save(d, path, &err), ERR_OK);
    pdf_free(d);
    font_close(micro);
    ck_assert_int_eq(unit_sh("pdffonts %s > %s/fb.txt 2>&1", path, dir), 0);
    ck_assert_int_eq(unit_sh("test $(tail -n +3 %s/fb.txt | wc -l) = 2 && "
        "grep -Eq '^[A-Z]{6}\\+WenQuanYiMicroHei +CID TrueType +Identity-H +"
        "yes yes yes ' %s/fb.txt && grep -Eq '^[A-Z]{6}\\+WenQuanYiZenHei +"
        "CID TrueType +Identity-H +yes yes yes ' %s/fb.txt", dir, dir, dir),
        0);
    ck_assert_int_eq(unit_sh("pdftotext %s %s/fb.out 2> %s/fb.err", path, dir,
                             dir), 0);
    ck_assert_int_eq(unit_sh("test ! -s %s/fb.err", dir), 0);
    snprintf(path, sizeof path, "%s/fb.out", dir);
    ck_assert_int_eq(fsx_read_file(path, 4096, &got, &n, &err), ERR_OK);
    ck_assert_str_eq(got, "序号㈠㊀≦≧ 覃亓 A1\n\n\f");
    mem_free(got);
    snprintf(path, sizeof path, "%s/fb.pdf", dir);
    ck_assert_int_eq(unit_sh("qpdf --check %s > /dev/null 2>&1", path), 0);
    ck_assert_int_eq(unit_sh("pdftoppm -r 80 -png %s %s/fb 2>&1 | "
                             "grep -q . && exit 1; test -s %s/fb-1.png",
                             path, dir, dir), 0);
}
END_TEST

START_TEST(allocation_failures_are_clean)
{
    long k;

    for (k = 1; k < 60; k++) {
        struct pdf *d = NULL;
        unsigned char *x = NULL;
        size_t n = 0;
        int rc;
        mem_fail_after(k);
        rc = build_page(&d);
        if (rc == ERR_OK)
            rc = pdf_render(d, &x, &n, &err);
        mem_fail_after(0);
        ck_assert_msg(rc == ERR_OK || rc == ERR_NOMEM, "k=%ld: %s", k,
                      err.msg);
        mem_free(x);
        pdf_free(d);
    }
}
END_TEST

Suite *suite_pdf(void)
{
    Suite *s = suite_create("pdf");
    TCase *t = tcase_create("pdf");

    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, page_passes_poppler_and_qpdf);
    tcase_add_test(t, output_is_deterministic);
    tcase_add_test(t, text_refused_with_reason);
    tcase_add_test(t, no_page_no_document);
    tcase_add_test(t, shapes_only_has_no_font);
    tcase_add_test(t, width_in_points);
    tcase_add_test(t, page_of_300_characters_is_subset);
    tcase_add_test(t, fallback_face_draws_the_rest);
    tcase_add_test(t, allocation_failures_are_clean);
    suite_add_tcase(s, t);
    return s;
}
