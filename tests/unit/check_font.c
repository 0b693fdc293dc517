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
    /* Micro Hei heads the built-in list; `make deps` installs it */
    ck_assert_str_eq(path, MICROHEI);
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
    /* not in the font: drawn, and so measured, as the placeholder 〓 */
    ck_assert_uint_eq(font_placeholder(f), 0x3013);
    ck_assert_int_eq(font_advance(f, 0x1F600), font_advance(f, 0x3013));
    ck_assert_int_eq(font_advance(f, 0x1F600), 1000);
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

    const uint32_t geta[] = { 0x3013, 0x4E2D };
    struct font_subset *g = NULL;
    const unsigned char *a, *b;
    size_t na, nb;

    /* a character the face lacks is cut as the placeholder 〓: the same
     * glyphs as a subset of 〓 itself, its code still the character */
    ck_assert_int_eq(font_subset_new_flags(f, missing, 2, FONT_SUBSET_PDF,
                                           &s, &err), ERR_OK);
    ck_assert_int_eq(font_subset_new_flags(f, geta, 2, FONT_SUBSET_PDF, &g,
                                           &err), ERR_OK);
    a = font_subset_data(s, &na);
    b = font_subset_data(g, &nb);
    ck_assert_uint_eq(na, nb);
    ck_assert_int_eq(memcmp(a, b, na), 0);
    ck_assert_uint_eq(font_subset_char(s, 1), 0x3280);
    font_subset_free(s);
    font_subset_free(g);
    s = NULL;
    ck_assert_int_eq(font_subset_new(f, unsorted, 2, &s, &err), ERR_INTERNAL);
    ck_assert_int_eq(font_subset_new(f, unsorted, FONT_SUBSET_MAX + 1, &s,
                                     &err), ERR_DATA);
    font_close(f);
}
END_TEST

/* The table tags of a TrueType file, 4 bytes each, in *tags. */
static unsigned table_tags(const unsigned char *p, size_t len, char *tags)
{
    unsigned n = (unsigned)p[4] << 8 | p[5], i;
    ck_assert_uint_ge(len, 12 + 16 * (size_t)n);
    for (i = 0; i < n; i++)
        memcpy(tags + 4 * i, p + 12 + 16 * i, 4);
    tags[4 * n] = 0;
    return n;
}

START_TEST(subset_for_pdf_has_outline_tables_only)
{
    struct font *f = open_font(MICROHEI);
    const uint32_t cps[] = { 0x41, 0x4E2D, 0x6587 };
    struct font_subset *a, *b;
    const unsigned char *p;
    char tags[4 * 32 + 1];
    size_t len, i;

    ck_assert_int_eq(font_subset_new(f, cps, 3, &a, &err), ERR_OK);
    ck_assert_int_eq(font_subset_new_flags(f, cps, 3, FONT_SUBSET_PDF, &b,
                                           &err), ERR_OK);
    p = font_subset_data(a, &len);
    ck_assert_uint_eq(table_tags(p, len, tags), 10);
    ck_assert_str_eq(tags, "OS/2cmapglyfheadhheahmtxlocamaxpnamepost");
    p = font_subset_data(b, &len);
    ck_assert_uint_eq(table_tags(p, len, tags), 6);
    ck_assert_str_eq(tags, "glyfheadhheahmtxlocamaxp");
    /* the same glyphs and codes either way */
    ck_assert_uint_eq(font_subset_glyphs(a), font_subset_glyphs(b));
    for (i = 1; i <= 3; i++) {
        ck_assert_uint_eq(font_subset_glyph(a, (unsigned)i),
                          font_subset_glyph(b, (unsigned)i));
        ck_assert_uint_eq(font_subset_code(b, cps[i - 1]), i);
    }
    font_subset_free(a);
    font_subset_free(b);
    font_close(f);
}
END_TEST

START_TEST(metrics_for_the_descriptor)
{
    struct font *f = open_font(ZENHEI);
    struct font_metrics m;

    /* head bbox -129 -304 1076 986, hhea 986 / -304 at 1024 units/em,
     * truncated to 1/1000 em (the values libharu 2.3.0 wrote) */
    font_get_metrics(f, &m);
    ck_assert_int_eq(m.bbox[0], -125);
    ck_assert_int_eq(m.bbox[1], -296);
    ck_assert_int_eq(m.bbox[2], 1050);
    ck_assert_int_eq(m.bbox[3], 962);
    ck_assert_int_eq(m.ascent, 962);
    ck_assert_int_eq(m.descent, -296);
    ck_assert_int_eq(m.cap_height, 686);
    ck_assert_int_eq(m.x_height, 507);
    font_close(f);
}
END_TEST

/* The table tag of a TrueType file: its bytes in *len, NULL if absent. */
static const unsigned char *find_table(const unsigned char *p, size_t len,
                                       const char *tag, size_t *tlen)
{
    unsigned n = (unsigned)p[4] << 8 | p[5], i;
    for (i = 0; i < n && 12 + 16 * (size_t)i + 16 <= len; i++) {
        const unsigned char *r = p + 12 + 16 * i;
        size_t off = (size_t)r[8] << 24 | (size_t)r[9] << 16 |
                     (size_t)r[10] << 8 | r[11];
        if (memcmp(r, tag, 4) == 0) {
            *tlen = (size_t)r[12] << 24 | (size_t)r[13] << 16 |
                    (size_t)r[14] << 8 | r[15];
            ck_assert_uint_le(off + *tlen, len);
            return p + off;
        }
    }
    return NULL;
}

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

START_TEST(subset_for_pdf_rescales_outlines)
{
    struct font *f = open_font(MICROHEI);
    const uint32_t cps[] = { '1', 'A', 0x4E00 };   /* 1 A 一 */
    /* 一 in Micro Hei (2048 units/em): one contour (168,896) (1872,896)
     * (1872,744) (168,744); at 512 units/em exactly a quarter.  Flags:
     * on-curve, x +42 and y +224 as bytes (0x37); x +426 as a word, y same
     * (0x21); x same, y -38 as a byte (0x15); x -426 word, y same (0x21) */
    static const unsigned char yi[] = {
        0x00, 0x01, 0x00, 0x2A, 0x00, 0xBA, 0x01, 0xD4, 0x00, 0xE0, /* bbox */
        0x00, 0x03, 0x00, 0x00,             /* endPts 3, no instructions */
        0x37, 0x21, 0x15, 0x21,             /* flags */
        0x2A, 0x01, 0xAA, 0xFE, 0x56,       /* x: 42, 426, -426 */
        0xE0, 0x26                          /* y: 224, 38 (negative) */
    };
    struct font_subset *s;
    const unsigned char *p, *t;
    size_t len, tl;
    unsigned i;

    ck_assert_int_eq(font_subset_new_flags(f, cps, 3, FONT_SUBSET_PDF, &s,
                                           &err), ERR_OK);
    p = font_subset_data(s, &len);
    /* code i draws glyph i: .notdef, 1, A, 一 (all simple glyphs) */
    ck_assert_uint_eq(font_subset_glyphs(s), 4);
    for (i = 1; i <= 3; i++)
        ck_assert_uint_eq(font_subset_glyph(s, i), i);
    t = find_table(p, len, "head", &tl);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(be16(t + 18), 512);   /* unitsPerEm */
    ck_assert_uint_eq(be16(t + 50), 0);     /* short loca */
    t = find_table(p, len, "maxp", &tl);
    ck_assert_uint_eq(be16(t + 4), 4);
    t = find_table(p, len, "hhea", &tl);
    ck_assert_uint_eq(be16(t + 34), 4);     /* numberOfHMetrics */
    /* advances 2048, 1128, 1245, 2048 at 2048 units/em, rounded */
    t = find_table(p, len, "hmtx", &tl);
    ck_assert_uint_eq(tl, 16);
    ck_assert_uint_eq(be16(t + 0), 512);
    ck_assert_uint_eq(be16(t + 4), 282);
    ck_assert_uint_eq(be16(t + 8), 311);
    ck_assert_uint_eq(be16(t + 12), 512);
    ck_assert_uint_eq(be16(t + 14), 42);    /* lsb of 一 = its xMin */
    /* loca (short: offsets / 2): 一 is 25 bytes, padded to 26 */
    t = find_table(p, len, "loca", &tl);
    ck_assert_uint_eq(tl, 10);
    ck_assert_uint_eq(be16(t + 0), 0);      /* .notdef: no outline */
    ck_assert_uint_eq(be16(t + 2), 0);
    ck_assert_uint_eq(be16(t + 8) - be16(t + 6), 13);
    {
        size_t off = 2 * (size_t)be16(t + 6);
        const unsigned char *g = find_table(p, len, "glyf", &tl);
        ck_assert_uint_eq(tl, 2 * (size_t)be16(t + 8));
        ck_assert_mem_eq(g + off, yi, sizeof yi);
        ck_assert_uint_eq(g[off + sizeof yi], 0);
    }
    /* the measured widths stay those of the face, in 1/1000 em */
    ck_assert_int_eq(font_advance(f, 'A'), 607);
    font_subset_free(s);
    font_close(f);
}
END_TEST

START_TEST(subset_for_pdf_keeps_shared_glyphs_and_components)
{
    struct font *f = open_font(MICROHEI), *z = open_font(ZENHEI);
    /* 不 U+4E0D and the compatibility ideograph U+F967 share one glyph */
    const uint32_t shared[] = { 0x4E0D, 0xF967 };
    uint32_t cps[64];
    size_t n = cps_of("考核表 ABC123 ㈠㊀≦≧", cps), len, tl, i;
    struct font_subset *s, *h;
    const unsigned char *p, *t;

    ck_assert_int_eq(font_subset_new_flags(f, shared, 2, FONT_SUBSET_PDF,
                                           &s, &err), ERR_OK);
    ck_assert_uint_eq(font_subset_glyphs(s), 2);
    ck_assert_uint_eq(font_subset_glyph(s, 1), 1);
    ck_assert_uint_eq(font_subset_glyph(s, 2), 1);
    font_subset_free(s);
    /* Zen Hei (1024 units/em) builds ≦ ≧ ㈠ ㊀ from components: the PDF
     * subset has the same glyphs as HarfBuzz's, renumbered, at 512 */
    ck_assert_int_eq(font_subset_new_flags(z, cps, n, FONT_SUBSET_PDF, &s,
                                           &err), ERR_OK);
    ck_assert_int_eq(font_subset_new(z, cps, n, &h, &err), ERR_OK);
    ck_assert_uint_gt(font_subset_glyphs(s), n + 1);
    ck_assert_uint_eq(font_subset_glyphs(s), font_subset_glyphs(h));
    for (i = 1; i <= n; i++)
        ck_assert_uint_eq(font_subset_glyph(s, (unsigned)i), i);
    p = font_subset_data(s, &len);
    t = find_table(p, len, "head", &tl);
    ck_assert_uint_eq(be16(t + 18), 512);
    font_subset_free(s);
    font_subset_free(h);
    font_close(f);
    font_close(z);
}
END_TEST

START_TEST(subset_for_pdf_survives_allocation_failures)
{
    struct font *f = open_font(MICROHEI);
    long n;

    /* new characters every round, so glyphs are rewritten each time */
    for (n = 1; n < 40; n++) {
        const uint32_t cps[] = { 0x4E00 + 11 * (uint32_t)n,
                                 0x5000 + 13 * (uint32_t)n,
                                 0x6000 + 17 * (uint32_t)n };
        struct font_subset *s = NULL;
        int rc;
        mem_fail_after(n);
        rc = font_subset_new_flags(f, cps, 3, FONT_SUBSET_PDF, &s, &err);
        mem_fail_after(0);
        ck_assert(rc == ERR_OK || rc == ERR_NOMEM);
        ck_assert(rc == ERR_OK ? s != NULL : s == NULL);
        font_subset_free(s);
    }
    font_close(f);
}
END_TEST

START_TEST(fallback_face_covers_what_the_font_lacks)
{
    struct font *f = open_font(MICROHEI), *z = open_font(ZENHEI);

    ck_assert_int_eq(font_set_fallback(f, z, &err), ERR_OK);
    ck_assert_ptr_eq(font_fallback(f), z);
    ck_assert_ptr_null(font_fallback(z));
    /* ㊀ only in Zen Hei; 中 and A from Micro Hei (A: 607, not Zen's 559) */
    ck_assert_int_eq(font_has(f, 0x3280), 1);
    ck_assert_ptr_eq(font_face_of(f, 0x3280), z);
    ck_assert_ptr_eq(font_face_of(f, 0x4E2D), f);
    ck_assert_ptr_null(font_face_of(f, 0x1F600));
    ck_assert_int_eq(font_advance(f, 0x3280), 1000);
    ck_assert_int_eq(font_advance(f, 'A'), 607);
    ck_assert_int_eq(font_text_width(f, "A㊀", 4), 1607);
    ck_assert_uint_eq(font_first_missing(f, "㈠㊀≦", strlen("㈠㊀≦")), 0);
    ck_assert_int_eq(font_check_text(f, "王\xF0\x9F\x98\x80", 7, "name",
                                     &err), ERR_DATA);
    ck_assert_str_eq(err.msg, "name: character U+1F600 '\xF0\x9F\x98\x80' is "
                     "in none of the 2 fonts of the chain (WenQuanYi Micro "
                     "Hei ... WenQuanYi Zen Hei); add a font that has it to "
                     "fonts/families.conf (doc/fonts.md)");
    ck_assert_int_eq(font_chain_count(f), 2);
    ck_assert_int_eq(font_chain_pos(f, 0x3280), 1);
    ck_assert_int_eq(font_chain_pos(f, 0x1F600), -1);
    /* drawn as the placeholder 〓, which Micro Hei has */
    ck_assert_int_eq(font_draw_pos(f, 0x1F600), 0);
    ck_assert_int_eq(font_check_drawable(f, "王\xF0\x9F\x98\x80", 7, "name",
                                         &err), ERR_OK);
    /* subsets stay per face: a PDF cuts ㊀ from Zen Hei */
    ck_assert_int_eq(font_draw_pos(f, 0x3280), 1);
    ck_assert_ptr_eq(font_chain_face(f, 1), z);
    ck_assert_ptr_null(font_chain_face(f, 2));
    /* a face is not its own fallback (and is not closed for it) */
    ck_assert_int_eq(font_set_fallback(f, f, &err), ERR_USAGE);
    font_close(f); /* closes z */
}
END_TEST

/* Text that mixes faces is measured with each character's own face: 王
 * from Micro Hei, 𡒄 (Ext B) from HanaMinB, 𠮷 from HanaMinA. */
START_TEST(mixed_faces_are_measured_per_character)
{
    struct font *f;
    int wang, e2;

    ck_assert_int_eq(font_open_chain(&f, NULL, NULL, &err), ERR_OK);
    wang = font_advance(f, 0x738B);
    e2 = font_advance(f, 0x21484);
    ck_assert_int_eq(font_chain_pos(f, 0x738B), 0);
    ck_assert_int_eq(font_chain_pos(f, 0x21484), 3);
    ck_assert_int_gt(e2, 0);
    ck_assert_int_eq(e2, font_advance(font_chain_face(f, 3), 0x21484));
    ck_assert_int_eq(font_text_width(f, "王𡒄A", strlen("王𡒄A")),
                     wang + e2 + font_advance(f, 'A'));
    ck_assert_uint_eq(font_first_missing(f, "𠮷伟王𡒄陈𨱏", strlen("𠮷伟王𡒄陈𨱏")),
                      0);
    font_close(f);
}
END_TEST

START_TEST(open_chain_takes_the_next_family)
{
    char file[600];
    struct font *f;
    FILE *fp;

    const char *entry, *why;

    ck_assert_int_eq(font_open_chain(&f, NULL, NULL, &err), ERR_OK);
    ck_assert_str_eq(font_family(f), "WenQuanYi Micro Hei");
    ck_assert_str_eq(font_family(font_fallback(f)), "WenQuanYi Zen Hei");
    /* the default chain reaches Extension B-F (make deps installs them) */
    ck_assert_int_ge(font_chain_count(f), 4);
    ck_assert_str_eq(font_family(font_chain_face(f, 2)), "HanaMinA");
    ck_assert_str_eq(font_family(font_chain_face(f, 3)), "HanaMinB");
    ck_assert_int_eq(font_chain_pos(f, 0x21484), 3);    /* 𡒄, Ext B */
    ck_assert_int_eq(font_chain_pos(f, 0x4E2D), 0);
    font_close(f);
    /* an explicit face: the first other family of the list */
    ck_assert_int_eq(font_open_chain(&f, ZENHEI, NULL, &err), ERR_OK);
    ck_assert_str_eq(font_family(f), "WenQuanYi Zen Hei");
    ck_assert_str_eq(font_family(font_fallback(f)), "WenQuanYi Micro Hei");
    font_close(f);
    /* no other family installed: no fallback, no error */
    snprintf(file, sizeof file, "%s/one.conf", unit_tmpdir());
    fp = fopen(file, "w");
    ck_assert_ptr_nonnull(fp);
    fputs("WenQuanYi Micro Hei\nNo Such Family\n", fp);
    fclose(fp);
    ck_assert_int_eq(font_open_chain(&f, NULL, file, &err), ERR_OK);
    ck_assert_str_eq(font_family(f), "WenQuanYi Micro Hei");
    ck_assert_ptr_null(font_fallback(f));
    ck_assert_uint_eq(font_chain_skipped(f, 0, &entry, &why), 1);
    ck_assert_str_eq(entry, "No Such Family");
    ck_assert_str_eq(why, "not installed (no TrueType face of that family)");
    font_close(f);
    /* a file path; a face that adds nothing (Micro Hei's Mono face); a
     * face judged by what it adds, not by Chinese (HanaMinB has none in
     * the BMP) */
    fp = fopen(file, "w");
    ck_assert_ptr_nonnull(fp);
    fputs("WenQuanYi Micro Hei\n"
          "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc:1\n"
          "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf\n", fp);
    fclose(fp);
    ck_assert_int_eq(font_open_chain(&f, NULL, file, &err), ERR_OK);
    ck_assert_int_eq(font_chain_count(f), 2);
    ck_assert_str_eq(font_family(font_chain_face(f, 1)), "HanaMinB");
    ck_assert_uint_eq(font_chain_skipped(f, 0, &entry, &why), 1);
    ck_assert_str_eq(entry, "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc:1");
    ck_assert_str_eq(why, "adds no character the faces before it lack");
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
    tcase_add_test(l, open_chain_takes_the_next_family);
    tcase_add_test(l, mixed_faces_are_measured_per_character);
    tcase_add_test(m, metrics_match_pdf_widths);
    tcase_add_test(m, missing_character_named);
    tcase_add_test(m, metrics_for_the_descriptor);
    tcase_add_test(m, fallback_face_covers_what_the_font_lacks);
    tcase_add_test(u, subset_maps_dense_codes);
    tcase_add_test(u, subset_is_deterministic);
    tcase_add_test(u, subset_refuses_bad_input);
    tcase_add_test(u, subset_for_pdf_has_outline_tables_only);
    tcase_add_test(u, subset_survives_allocation_failures);
    tcase_add_test(u, subset_for_pdf_rescales_outlines);
    tcase_add_test(u, subset_for_pdf_keeps_shared_glyphs_and_components);
    tcase_add_test(u, subset_for_pdf_survives_allocation_failures);
    suite_add_tcase(s, l);
    suite_add_tcase(s, m);
    suite_add_tcase(s, u);
    return s;
}
