/* check_packet -- long documents (pdf.c's books: pages written as added,
 * one font subset, outline) and the appraisal packets (render_packet.c) of the
 * hand-made results of tests/data/good/regions_fixture.sql: order,
 * bookmarks, page numbers over the packet, duplex blank backs, bytes
 * identical on a second run.
 *
 * Needs the WenQuanYi fonts, poppler-utils and qpdf (11: --json-key).
 */
#include "unit.h"

#include "date.h"
#include "err.h"
#include "font.h"
#include "fsx.h"
#include "mem.h"
#include "render_packet.h"
#include "pdf.h"
#include "roles.h"
#include "store.h"
#include "store_region.h"
#include "store_sheet.h"
#include "tmpl_region.h"
#include "tmpl_sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct err err;
static struct font *font;

static void setup(void)
{
    ck_assert_msg(font_open_chain(&font, NULL, NULL, &err) == ERR_OK, "%s",
                  err.msg);
}

static void teardown(void)
{
    font_close(font);
    font = NULL;
}

/* ---- outline as "depth|title|page" lines ----------------------------------- */

/* The outline of pdf (qpdf --json) as lines "depth|title|page" in
 * document order, into out (owned, mem_free).  In qpdf's JSON an item's
 * "destpageposfrom1" comes before its kids and its "title" after them. */
static char *outline_of(const char *pdf)
{
    char json[1100], *data, *p, *out;
    size_t n, used = 0;
    struct { int page; size_t at; } stack[32];
    int depth = 0;

    snprintf(json, sizeof json, "%s.json", pdf);
    ck_assert_int_eq(unit_sh("qpdf --json --json-key=outlines %s > %s", pdf,
                             json), 0);
    ck_assert_int_eq(fsx_read_file(json, 1 << 24, &data, &n, &err), ERR_OK);
    out = mem_calloc(1, n + 1);
    ck_assert_ptr_nonnull(out);
    for (p = data; *p; p++) {
        if (!strncmp(p, "\"destpageposfrom1\": ", 20)) {
            ck_assert_int_lt(depth, 32);
            stack[depth].page = (int)strtol(p + 20, NULL, 10);
            stack[depth].at = used; /* the item's line goes before kids */
            depth++;
        } else if (!strncmp(p, "\"title\": \"", 10)) {
            char line[512];
            const char *t = p + 10, *q = strchr(t, '"');
            int k;
            ck_assert_int_gt(depth, 0);
            depth--;
            k = snprintf(line, sizeof line, "%d|%.*s|%d\n", depth,
                         (int)(q - t), t, stack[depth].page);
            memmove(out + stack[depth].at + (size_t)k, out + stack[depth].at,
                    used - stack[depth].at);
            memcpy(out + stack[depth].at, line, (size_t)k);
            used += (size_t)k;
        }
    }
    out[used] = '\0';
    mem_free(data);
    return out;
}

/* ---- books ------------------------------------------------------------------ */

/* A one-page part with text s. */
static struct pdf *part(const char *s)
{
    struct pdf *d;
    ck_assert_int_eq(pdf_new(&d, font, &err), ERR_OK);
    ck_assert_int_eq(pdf_page(d, PDF_A4_WIDTH, PDF_A4_HEIGHT, &err), ERR_OK);
    ck_assert_msg(pdf_text(d, 40, 60, 12, 0x1A1A1A, s, strlen(s), &err) ==
                  ERR_OK, "%s", err.msg);
    ck_assert_int_eq(pdf_fill_rect(d, 40, 80, 200, 20, 0xDDEBF7, &err), 0);
    ck_assert_int_eq(pdf_line(d, 40, 110, 555, 110, 0.5, 0xA6A6A6, &err), 0);
    return d;
}

static void add(struct pdf_book *b, const char *s)
{
    struct pdf *d = part(s);
    ck_assert_msg(pdf_book_add(b, d, &err) == ERR_OK, "%s", err.msg);
    pdf_free(d);
}

START_TEST(book_pages_outline_font)
{
    const char *dir = unit_tmpdir();
    char path[1024], *ol;
    struct pdf_book *b;
    struct pdf_info info = {.title = "档案", .author = "示例医药有限公司",
                            .subject = "EAST", .creator = "keqing",
                            .has_date = 1, .day = date_from_ymd(2026, 10, 31),
                            .seconds = 0};
    int top, sub;

    snprintf(path, sizeof path, "%s/b.pdf", dir);
    ck_assert_int_eq(pdf_book_open(&b, font, path, &err), ERR_OK);
    ck_assert_int_eq(pdf_book_set_info(b, &info, &err), ERR_OK);
    add(b, "区域汇总 华东大区");
    ck_assert_uint_eq(pdf_book_pages(b), 1);
    /* a bookmark needs its page written */
    ck_assert_int_eq(pdf_book_outline(b, -1, "x", 1, NULL, &err), ERR_USAGE);
    ck_assert_int_eq(pdf_book_outline(b, 5, "x", 0, NULL, &err), ERR_USAGE);
    ck_assert_int_eq(pdf_book_outline(b, -1, "汇总表", 0, &top, &err), 0);
    add(b, "李娜 客情关系月度考核表");
    add(b, "亓官㈠ 仉督㊀ 考核表");       /* ㊀ from the fallback face */
    ck_assert_int_eq(pdf_book_outline(b, -1, "浙江省区", 1, &sub, &err), 0);
    ck_assert_int_eq(pdf_book_outline(b, sub, "李娜 Z1", 1, NULL, &err), 0);
    ck_assert_int_eq(pdf_book_outline(b, sub, "亓官㈠ Z2", 2, NULL, &err), 0);
    ck_assert_int_eq(pdf_book_outline(b, -1, "\xff", 0, NULL, &err),
                     ERR_DATA);
    ck_assert_int_eq(pdf_book_close(b, &err), ERR_OK);
    ck_assert_int_eq(unit_sh("qpdf --check %s >/dev/null", path), 0);
    ck_assert_int_eq(unit_sh("test \"$(pdfinfo %s | awk '/^Pages:/ {print "
                             "$2}')\" = 3", path), 0);
    ck_assert_int_eq(unit_sh("pdfinfo %s | grep -q 'CreationDate: .*Oct 31 "
                             ".*2026'", path), 0);
    /* text back without warnings, both faces embedded and subset once */
    ck_assert_int_eq(unit_sh("pdftotext %s %s/b.txt 2>%s/b.err && test ! -s "
                             "%s/b.err", path, dir, dir, dir), 0);
    ck_assert_int_eq(unit_sh("grep -q '亓官㈠ 仉督㊀ 考核表' %s/b.txt", dir),
                     0);
    ck_assert_int_eq(unit_sh("test $(pdffonts %s | tail -n +3 | grep -Ec "
                             "'^[A-Z]{6}\\+[A-Za-z]+ +CID TrueType +Identity-H"
                             " +yes +yes +yes') = 2", path), 0);
    ol = outline_of(path);
    ck_assert_str_eq(ol, "0|汇总表|1\n0|浙江省区|2\n1|李娜 Z1|2\n"
                         "1|亓官㈠ Z2|3\n");
    mem_free(ol);
}
END_TEST

START_TEST(book_refusals)
{
    const char *dir = unit_tmpdir();
    char path[1024], zen[600];
    struct pdf_book *b;
    struct font *other;
    struct pdf *d;

    snprintf(path, sizeof path, "%s/none.pdf", dir);
    ck_assert_int_eq(pdf_book_open(&b, font, path, &err), ERR_OK);
    ck_assert_int_eq(pdf_book_close(b, &err), ERR_DATA);   /* no page */
    ck_assert_int_eq(access(path, F_OK), -1);
    /* a part drawn with another font */
    snprintf(zen, sizeof zen, "%s", font_file(font_fallback(font)));
    ck_assert_int_eq(font_open(&other, zen, NULL, &err), ERR_OK);
    ck_assert_int_eq(pdf_book_open(&b, font, path, &err), ERR_OK);
    ck_assert_int_eq(pdf_new(&d, other, &err), ERR_OK);
    ck_assert_int_eq(pdf_page(d, 100, 100, &err), ERR_OK);
    ck_assert_int_eq(pdf_book_add(b, d, &err), ERR_USAGE);
    pdf_free(d);
    pdf_book_free(b);
    font_close(other);
    ck_assert_int_eq(access(path, F_OK), -1);
    /* no folder: cannot create */
    snprintf(path, sizeof path, "%s/missing/x.pdf", dir);
    ck_assert_int_eq(pdf_book_open(&b, font, path, &err), ERR_CANTCREAT);
}
END_TEST

/* ---- packets ----------------------------------------------------------------- */

struct world {
    struct store *s;
    struct store_sheet *sheets;
    struct store_region *regions;
    struct tmpl t;
    struct tmpl_region rt;
    struct roles roles;
};

static void world_open(struct world *w, const char *dir)
{
    char path[1024], *sql;
    size_t n;
    struct period per;

    memset(w, 0, sizeof *w);
    snprintf(path, sizeof path, "%s/k.db", dir);
    ck_assert_int_eq(store_open(path, 0, &w->s, &err), ERR_OK);
    snprintf(path, sizeof path, "%s/tests/data/good/regions_fixture.sql",
             unit_srcdir());
    ck_assert_int_eq(fsx_read_file(path, 1 << 20, &sql, &n, &err), ERR_OK);
    ck_assert_msg(store_exec(w->s, sql, &err) == ERR_OK, "%s", err.msg);
    mem_free(sql);
    ck_assert_int_eq(period_parse("2026-10", &per), 0);
    ck_assert_int_eq(store_sheet_open(w->s, &per, &w->sheets, &err), 0);
    ck_assert_int_eq(store_region_open(w->s, &per, &w->regions, &err), 0);
    snprintf(path, sizeof path, "%s/templates", unit_srcdir());
    ck_assert_int_eq(tmpl_load_person(path, &w->t, &err), ERR_OK);
    ck_assert_int_eq(tmpl_region_load(path, &w->rt, &err), ERR_OK);
    ck_assert_int_eq(roles_load_dir(path, &w->roles, &err), ERR_OK);
}

static void world_close(struct world *w)
{
    store_region_close(w->regions);
    store_sheet_close(w->sheets);
    store_close(w->s);
    tmpl_free(&w->t);
    tmpl_region_free(&w->rt);
    roles_free(&w->roles);
}

/* Write region id's packet to dir/<name>; its page count. */
static int write_packet(struct world *w, const char *dir, const char *id,
                        int duplex, const char *name)
{
    struct render_packet_ctx c = {.person_t = &w->t, .region_t = &w->rt,
                           .font = font, .roles = &w->roles,
                           .sheets = w->sheets, .regions = w->regions,
                           .duplex = duplex};
    char path[1024];
    size_t i;
    int pages = -1;

    for (i = 0; i < store_region_count(w->regions); i++)
        if (!strcmp(store_region_id(w->regions, i), id))
            break;
    ck_assert_uint_lt(i, store_region_count(w->regions));
    snprintf(path, sizeof path, "%s/%s", dir, name);
    ck_assert_msg(render_packet_write(&c, i, path, &pages, &err) == ERR_OK, "%s",
                  err.msg);
    ck_assert_int_eq(unit_sh("qpdf --check %s >/dev/null", path), 0);
    ck_assert_int_eq(unit_sh("test \"$(pdfinfo %s | awk '/^Pages:/ {print "
                             "$2}')\" = %d", path, pages), 0);
    return pages;
}

/* 1 when page p of dir/name has text matching the extended regex re. */
static int page_has(const char *dir, const char *name, int p, const char *re)
{
    return unit_sh("pdftotext -f %d -l %d %s/%s - 2>/dev/null | grep -Eq "
                   "'%s'", p, p, dir, name, re) == 0;
}

START_TEST(packet_order_marks_numbers)
{
    const char *dir = unit_tmpdir();
    struct world w;
    char path[1024], *ol;

    world_open(&w, dir);
    /* the summary (2 pages), then J1 J2 (江苏, by rank, unranked last),
     * then Z1 Z2 Z3 Z4 M1 Z5 (浙江, by rank then id) */
    ck_assert_int_eq(write_packet(&w, dir, "EAST", 0, "e.pdf"), 10);
    snprintf(path, sizeof path, "%s/e.pdf", dir);
    ol = outline_of(path);
    ck_assert_str_eq(ol,
        "0|华东大区 汇总表|1\n"
        "0|华东大区（8人）|3\n"
        "1|江苏省区（2人）|3\n"
        "2|陈刚 J1 省经理|3\n"
        "2|郑芳 J2 业代|4\n"
        "1|浙江省区（6人）|5\n"
        "2|李娜 Z1 业代|5\n"
        "2|赵磊 Z2 业代|6\n"
        "2|孙丽 Z3 业代|7\n"
        "2|周强 Z4 业代|8\n"
        "2|王建国 M1 省经理|9\n"
        "2|吴敏 Z5 业代|10\n");
    mem_free(ol);
    /* packet-wide page numbers, the person's own sheet on its page */
    ck_assert(page_has(dir, "e.pdf", 1, "客情关系月度考核汇总表"));
    ck_assert(page_has(dir, "e.pdf", 1, "第 *1 *页 */ *共 *10 *页"));
    ck_assert(page_has(dir, "e.pdf", 5, "李娜"));
    ck_assert(page_has(dir, "e.pdf", 5, "客情关系月度考核表"));
    ck_assert(page_has(dir, "e.pdf", 5, "第 *5 *页 */ *共 *10 *页"));
    ck_assert(!page_has(dir, "e.pdf", 5, "共 *1 *页"));
    ck_assert(page_has(dir, "e.pdf", 10, "吴敏"));
    ck_assert(page_has(dir, "e.pdf", 10, "第 *10 *页 */ *共 *10 *页"));
    ck_assert_int_eq(unit_sh("pdfinfo %s | grep -q 'Title: *客情关系考核档案 "
                             "华东大区 2026-10'", path), 0);
    /* one subset font for the whole packet (plus the fallback's, if any) */
    ck_assert_int_eq(unit_sh("test $(pdffonts %s | tail -n +3 | wc -l) -le 2 "
                             "&& pdffonts %s | tail -n +3 | grep -Eq '^[A-Z]{6}"
                             "\\+[A-Za-z]+ +CID TrueType +Identity-H +yes +yes "
                             "+yes'", path, path), 0);
    ck_assert_int_eq(unit_sh("pdftotext %s - 2>&1 >/dev/null | grep -q .",
                             path), 1);
    /* the same again: the same bytes */
    ck_assert_int_eq(write_packet(&w, dir, "EAST", 0, "e2.pdf"), 10);
    ck_assert_int_eq(unit_sh("cmp -s %s/e.pdf %s/e2.pdf", dir, dir), 0);
    /* a leaf's packet: its summary and its own people */
    ck_assert_int_eq(write_packet(&w, dir, "EAST-JS", 0, "js.pdf"), 4);
    world_close(&w);
}
END_TEST

START_TEST(packet_duplex_and_root)
{
    const char *dir = unit_tmpdir();
    struct world w;
    char path[1024], *ol, *p;
    int n = 0;

    world_open(&w, dir);
    /* summary 1-2; each of the 8 sheets (1 page) starts on an odd page:
     * 3, 5, ..., 17 with blank backs 4, 6, ..., 16 */
    ck_assert_int_eq(write_packet(&w, dir, "CN", 1, "cn.pdf"), 17);
    snprintf(path, sizeof path, "%s/cn.pdf", dir);
    ol = outline_of(path);
    ck_assert_ptr_nonnull(strstr(ol, "0|全国 汇总表|1\n0|全国（8人）|3\n"
                                     "1|华东大区（8人）|3\n2|江苏省区（2人）|3\n"
                                     "3|陈刚 J1 省经理|3\n3|郑芳 J2 业代|5\n"));
    for (p = ol; *p; p = strchr(p, '\n') + 1) { /* persons: odd pages */
        if (p[0] == '3') {
            const char *end = strchr(p, '\n');
            const char *bar = end - 1;
            while (*bar != '|')
                bar--;
            ck_assert_int_eq((int)strtol(bar + 1, NULL, 10) % 2, 1);
            n++;
        }
    }
    ck_assert_int_eq(n, 8);
    n = 0;
    ck_assert_ptr_nonnull(strstr(ol, "3|吴敏 Z5 业代|17\n"));
    mem_free(ol);
    for (int pg = 4; pg <= 16; pg += 2) {
        ck_assert(page_has(dir, "cn.pdf", pg, "（本页空白）"));
        ck_assert(page_has(dir, "cn.pdf", pg, "第 *[0-9]+ *页 */ *共 *17 *页"));
        n++;
    }
    ck_assert_int_eq(n, 7);
    for (int pg = 3; pg <= 17; pg += 2)
        ck_assert(page_has(dir, "cn.pdf", pg, "客情关系月度考核表"));
    ck_assert(!page_has(dir, "cn.pdf", 3, "本页空白"));
    world_close(&w);
}
END_TEST

/* Out of memory at every step of a packet (every one of the first 200
 * allocations, then 150 samples): ERR_NOMEM (or a message-carrying
 * error), never a crash, a leak (valgrind) or a file left under the
 * final name. */
START_TEST(packet_out_of_memory)
{
    const char *dir = unit_tmpdir();
    struct world w;
    struct render_packet_ctx c;
    char path[1024];
    long total;
    int pages, rc;

    world_open(&w, dir);
    c = (struct render_packet_ctx){.person_t = &w.t, .region_t = &w.rt,
                            .font = font, .roles = &w.roles,
                            .sheets = w.sheets, .regions = w.regions,
                            .duplex = 1};
    snprintf(path, sizeof path, "%s/oom.pdf", dir);
    /* the second run counts: the first one fills lazy caches */
    ck_assert_int_eq(render_packet_write(&c, 2, path, &pages, &err), ERR_OK);
    mem_fail_after(-1);
    ck_assert_int_eq(render_packet_write(&c, 2, path, &pages, &err), ERR_OK);
    total = mem_count();
    ck_assert_int_gt(total, 10);
    ck_assert_int_eq(unlink(path), 0);
    for (long n = 1; n <= total; n += n < 200 ? 1 : total / 150) {
        mem_fail_after(n);
        rc = render_packet_write(&c, 2, path, &pages, &err);
        mem_fail_after(0);
        if (rc == ERR_OK) { /* only fsx's best-effort folder sync after
                               the rename may fail unnoticed */
            ck_assert_int_ge(n, total - 2);
            ck_assert_int_eq(unlink(path), 0);
            continue;
        }
        ck_assert_msg(rc == ERR_NOMEM || rc == ERR_INTERNAL,
                      "allocation %ld: %d %s", n, rc, err.msg);
        ck_assert_int_eq(access(path, F_OK), -1);
    }
    world_close(&w);
}
END_TEST

Suite *suite_packet(void)
{
    Suite *s = suite_create("packet");
    TCase *t = tcase_create("book");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, book_pages_outline_font);
    tcase_add_test(t, book_refusals);
    suite_add_tcase(s, t);
    t = tcase_create("packet");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, packet_order_marks_numbers);
    tcase_add_test(t, packet_duplex_and_root);
    tcase_add_test(t, packet_out_of_memory);
    suite_add_tcase(s, t);
    return s;
}
