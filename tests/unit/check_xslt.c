/* check_xslt -- `import --xslt`: the shipped flat-table mapping
 * (templates/erp/flat-table.xsl) turns its sample, in UTF-8 and in
 * GB18030, into exactly the records of tests/data/good/full.xml; a
 * stylesheet gets no file access; wrong inputs are refused clearly.
 */
#include "unit.h"
#include "diag.h"
#include "err.h"
#include "fsx.h"
#include "import_xml.h"
#include "store.h"

#include <stdio.h>
#include <string.h>

static char g_dir[512];

static void setup(void)
{
    const char *d = unit_tmpdir();
    ck_assert_ptr_nonnull(d);
    snprintf(g_dir, sizeof g_dir, "%s", d);
}

static void teardown(void)
{
    unit_sh("rm -rf '%s'", g_dir);
}

/* Import file (mapped with xsl unless NULL) into g_dir/db; returns the
 * status; the first problem line goes to first (may be NULL). */
static int run(const char *db, const char *file, const char *xsl, char *first,
               size_t n)
{
    char dbp[1024], schema[1024];
    struct store *s;
    struct imp_opts o;
    struct imp_stats st;
    struct diag d;
    struct err e;
    int rc;
    err_clear(&e);
    snprintf(dbp, sizeof dbp, "%s/%s", g_dir, db);
    snprintf(schema, sizeof schema, "%s/templates/schema/erp.xsd", unit_srcdir());
    ck_assert_int_eq(store_open(dbp, 0, &s, &e), ERR_OK);
    memset(&o, 0, sizeof o);
    o.schema = schema;
    o.xslt = xsl;
    diag_init(&d, 50);
    rc = imp_run(s, &file, 1, &o, &st, &d, &e);
    if (first)
        snprintf(first, n, "%s", d.n ? d.lines[0] : e.msg);
    diag_free(&d);
    store_close(s);
    return rc;
}

static void write_text(const char *path, const char *text)
{
    struct err e;
    ck_assert_int_eq(fsx_write_file(path, text, strlen(text), &e), ERR_OK);
}

static const char *src(const char *rel, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", unit_srcdir(), rel);
    return buf;
}

/* Every record table's rows without import_id and src_line. */
static void rows(const char *db, const char *out)
{
    ck_assert_int_eq(unit_sh("cd '%s' && for t in region person customer contact handover card "
                             "visit service display report greeting spot_check; do "
                             "sqlite3 %s \"SELECT * FROM $t ORDER BY 1, 2\" | sed 's/|[0-9]*|[0-9]*$//'; "
                             "done > %s", g_dir, db, out), 0);
}

START_TEST(test_sample_maps_to_full)
{
    char a[1024], b[1024], c[1024], msg[1024];
    const char *xsl = src("templates/erp/flat-table.xsl", c, sizeof c);
    ck_assert_int_eq(run("canon.db", src("tests/data/good/full.xml", a, sizeof a), NULL, msg, sizeof msg), ERR_OK);
    ck_assert_int_eq(run("mapped.db", src("templates/erp/flat-table-sample.xml", b, sizeof b), xsl, msg, sizeof msg), ERR_OK);
    rows("canon.db", "canon.txt");
    rows("mapped.db", "mapped.txt");
    ck_assert_int_eq(unit_sh("cd '%s' && test $(wc -l < canon.txt) -eq 23 && cmp -s canon.txt mapped.txt", g_dir), 0);
    /* the root's attributes, the date-time completed with +08:00 */
    ck_assert_int_eq(unit_sh("cd '%s' && test \"$(sqlite3 mapped.db 'SELECT company, period, exported FROM import')\" = "
                             "'示例医药有限公司|2026-10|2026-11-03T09:00:00+08:00'", g_dir), 0);
    /* mapped values, spot checks by hand */
    ck_assert_int_eq(unit_sh("cd '%s' && test \"$(sqlite3 mapped.db \"SELECT role, hired, left_on FROM person WHERE id='E0102'\")\" = "
                             "'sales_rep|2023-07-15|2026-10-20'", g_dir), 0);
    ck_assert_int_eq(unit_sh("cd '%s' && test \"$(sqlite3 mapped.db \"SELECT birthday FROM contact WHERE id='K3'\")\" = '02-29'", g_dir), 0);
    ck_assert_int_eq(unit_sh("cd '%s' && test \"$(sqlite3 mapped.db \"SELECT phones FROM card WHERE contact='K1'\")\" = 'office mobile home'", g_dir), 0);
}
END_TEST

START_TEST(test_sample_gb18030)
{
    char b[1024], c[1024], gb[1024], msg[1024];
    snprintf(gb, sizeof gb, "%s/sample-gb.xml", g_dir);
    ck_assert_int_eq(unit_sh("sed 's/encoding=\"UTF-8\"/encoding=\"GB18030\"/' '%s' | iconv -f UTF-8 -t GB18030 > '%s'",
                             src("templates/erp/flat-table-sample.xml", b, sizeof b), gb), 0);
    ck_assert_int_eq(run("gb.db", gb, src("templates/erp/flat-table.xsl", c, sizeof c), msg, sizeof msg), ERR_OK);
    ck_assert_int_eq(run("u8.db", b, c, msg, sizeof msg), ERR_OK);
    rows("gb.db", "gb.txt");
    rows("u8.db", "u8.txt");
    ck_assert_int_eq(unit_sh("cd '%s' && cmp -s gb.txt u8.txt", g_dir), 0);
}
END_TEST

START_TEST(test_mapped_errors_name_the_mapped_line)
{
    char b[1024], c[1024], bad[1024], msg[1024];
    snprintf(bad, sizeof bad, "%s/bad.xml", g_dir);
    unit_sh("sed 's/>渠道</>批发</' '%s' > '%s'", src("templates/erp/flat-table-sample.xml", b, sizeof b), bad);
    ck_assert_int_eq(run("bad.db", bad, src("templates/erp/flat-table.xsl", c, sizeof c), msg, sizeof msg), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(msg, "bad.xml (mapped):20: customer C20001: type: unknown value '批发'"));
}
END_TEST

START_TEST(test_wrong_layout)
{
    char a[1024], c[1024], msg[1024];
    ck_assert_int_eq(run("w.db", src("tests/data/good/full.xml", a, sizeof a),
                         src("templates/erp/flat-table.xsl", c, sizeof c), msg, sizeof msg), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(msg, "the --xslt mapping failed: flat-table.xsl: the root element is <export>, expected <数据导出>"));
}
END_TEST

START_TEST(test_no_file_access)
{
    char b[1024], xsl[1024], msg[1024], out[1024];
    snprintf(xsl, sizeof xsl, "%s/evil.xsl", g_dir);
    snprintf(out, sizeof out, "%s/pwned.txt", g_dir);
    write_text(xsl, "<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">\n"
               "<xsl:template match=\"/\"><export xmlns=\"urn:keqing:erp:1\" period=\"2026-10\" "
               "company=\"{document('/etc/hostname')}\"/></xsl:template>\n</xsl:stylesheet>\n");
    ck_assert_int_eq(run("e.db", src("templates/erp/flat-table-sample.xml", b, sizeof b), xsl, msg, sizeof msg), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(msg, "Local file read for /etc/hostname refused"));
    {
        char text[2048];
        snprintf(text, sizeof text,
                 "<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\" "
                 "xmlns:exsl=\"http://exslt.org/common\" extension-element-prefixes=\"exsl\">\n"
                 "<xsl:template match=\"/\"><exsl:document href=\"%s\">x</exsl:document>"
                 "<export xmlns=\"urn:keqing:erp:1\" period=\"2026-10\"/></xsl:template>\n</xsl:stylesheet>\n", out);
        write_text(xsl, text);
    }
    ck_assert_int_eq(run("e2.db", b, xsl, msg, sizeof msg), ERR_DATA);
    ck_assert_int_ne(unit_sh("test -e '%s'", out), 0);
}
END_TEST

START_TEST(test_bad_stylesheet)
{
    char b[1024], xsl[1024], msg[1024];
    snprintf(xsl, sizeof xsl, "%s/broken.xsl", g_dir);
    write_text(xsl, "<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">\n"
               "<xsl:template match=\"/\"><xsl:value-of select=\"((\"/></xsl:template>\n</xsl:stylesheet>\n");
    ck_assert_int_eq(run("x.db", src("templates/erp/flat-table-sample.xml", b, sizeof b), xsl, msg, sizeof msg), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(msg, "broken.xsl: not a usable XSLT stylesheet: "));
}
END_TEST

START_TEST(test_size_limit_and_doctype)
{
    char c[1024], big[1024], dt[1024], msg[1024];
    snprintf(big, sizeof big, "%s/big.xml", g_dir);
    snprintf(dt, sizeof dt, "%s/dt.xml", g_dir);
    /* a sparse file just over the limit: refused before it is read */
    ck_assert_int_eq(unit_sh("truncate -s %ld '%s'", IMP_XSLT_MAX_BYTES + 1, big), 0);
    ck_assert_int_eq(run("b.db", big, src("templates/erp/flat-table.xsl", c, sizeof c), msg, sizeof msg), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(msg, "is too large for --xslt (limit 256 MB"));
    unit_sh("printf '<?xml version=\"1.0\"?>\\n<!DOCTYPE x [<!ENTITY e \"x\">]>\\n<数据导出 期间=\"2026-10\"/>\\n' > '%s'", dt);
    ck_assert_int_eq(run("d.db", dt, c, msg, sizeof msg), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(msg, "DOCTYPE declarations are not allowed"));
}
END_TEST

Suite *suite_xslt(void)
{
    Suite *s = suite_create("xslt");
    TCase *t = tcase_create("xslt");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, test_sample_maps_to_full);
    tcase_add_test(t, test_sample_gb18030);
    tcase_add_test(t, test_mapped_errors_name_the_mapped_line);
    tcase_add_test(t, test_wrong_layout);
    tcase_add_test(t, test_no_file_access);
    tcase_add_test(t, test_bad_stylesheet);
    tcase_add_test(t, test_size_limit_and_doctype);
    suite_add_tcase(s, t);
    return s;
}
