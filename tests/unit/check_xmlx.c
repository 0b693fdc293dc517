/* check_xmlx -- the template XML plumbing (xmlx.c): a DOCTYPE, a wrong root,
 * a malformed file, an XSD violation and an oversized file are each
 * refused with "FILE:LINE: KIND template: reason"; libxml2's messages do
 * not escape to the caller's error handler, which is put back. */
#include "unit.h"

#include "err.h"
#include "fsx.h"
#include "mem.h"
#include "xmlx.h"

#include <libxml/xmlerror.h>

#include <stdio.h>
#include <string.h>

static const struct xmlx_spec spec = {"test", "urn:test", "t", 64};

static const char xsd_text[] =
    "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'\n"
    "           targetNamespace='urn:test' elementFormDefault='qualified'>\n"
    " <xs:element name='t'><xs:complexType><xs:sequence>\n"
    "  <xs:element name='n' type='xs:int' minOccurs='0' maxOccurs='9'/>\n"
    " </xs:sequence></xs:complexType></xs:element>\n"
    "</xs:schema>\n";

static struct err e;
static char dir[512], xsd[600];    /* a fresh folder per test, its t.xsd */

/* Write text to the test's folder as name; the path into out. */
static void put(const char *name, const char *text, char *out, size_t n)
{
    snprintf(out, n, "%s/%s", dir, name);
    ck_assert_int_eq(fsx_write_file(out, text, strlen(text), &e), ERR_OK);
}

static void setup(void)
{
    const char *d = unit_tmpdir();
    ck_assert_ptr_nonnull(d);
    snprintf(dir, sizeof dir, "%s", d);
    put("t.xsd", xsd_text, xsd, sizeof xsd);
    err_clear(&e);
}

static void teardown(void)
{
    unit_sh("rm -rf '%s'", dir);
}

/* Parse text as "d/x.xml" (xsd may be NULL); the status, doc freed. */
static int parse(const char *text, const char *schema)
{
    xmlDoc *doc = (xmlDoc *)1;
    int rc = xmlx_parse(&spec, text, strlen(text), "d/x.xml", schema, &doc,
                        &e);
    if (rc)
        ck_assert_ptr_null(doc);
    xmlFreeDoc(doc);
    return rc;
}

START_TEST(accepts_and_helpers)
{
    const char *text = "<t xmlns='urn:test' a='1'>\n<n>7</n><u:n "
                       "xmlns:u='urn:u'/></t>";   /* 62 bytes */
    xmlDoc *doc;
    xmlNode *root, *n;
    char *a;

    ck_assert_int_eq(xmlx_parse(&spec, text, strlen(text), "x.xml", xsd,
                                &doc, &e), ERR_DATA);  /* u:n not in XSD */
    ck_assert_int_eq(xmlx_parse(&spec, text, strlen(text), "x.xml", NULL,
                                &doc, &e), ERR_OK);
    root = xmlDocGetRootElement(doc);
    ck_assert(xmlx_is_el(&spec, root, "t"));
    ck_assert(!xmlx_is_el(&spec, root, "n"));
    a = xmlx_attr(root, "a");
    ck_assert_str_eq(a, "1");
    xmlFree(a);
    ck_assert_ptr_null(xmlx_attr(root, "b"));
    n = xmlFirstElementChild(root);
    ck_assert(xmlx_is_el(&spec, n, "n"));
    ck_assert(!xmlx_is_el(&spec, xmlNextElementSibling(n), "n"));
    ck_assert_int_eq(xmlx_fail_at(&spec, &e, "x.xml", n, "bad n"), ERR_DATA);
    ck_assert_str_eq(e.msg, "x.xml:2: test template: bad n");
    xmlx_fail_at(&spec, &e, "x.xml", NULL, "no node");
    ck_assert_str_eq(e.msg, "x.xml:0: test template: no node");
    xmlFreeDoc(doc);
    ck_assert_int_eq(parse("<t xmlns='urn:test'><n>1</n><n>2</n></t>", xsd),
                     ERR_OK);
}
END_TEST

START_TEST(doctype_and_root_refused)
{
    /* even a harmless DOCTYPE; the line is the root element's */
    ck_assert_int_eq(parse("<?xml version='1.0'?>\n<!DOCTYPE t>\n"
                           "<t xmlns='urn:test'/>", NULL), ERR_DATA);
    ck_assert_str_eq(e.msg, "d/x.xml:3: test template: a DOCTYPE is not "
                     "allowed");
    ck_assert_int_eq(parse("<!DOCTYPE t [<!ENTITY z 'zz'>]>\n"
                           "<t xmlns='urn:test'>&z;</t>", NULL), ERR_DATA);
    ck_assert_str_eq(e.msg, "d/x.xml:2: test template: a DOCTYPE is not "
                     "allowed");
    ck_assert_int_eq(parse("\n<t/>", NULL), ERR_DATA);
    ck_assert_str_eq(e.msg, "d/x.xml:2: test template: the root element "
                     "must be <t xmlns=\"urn:test\">");
}
END_TEST

static int g_calls;

static void counting_handler(void *ctx, xmlErrorPtr x)
{
    (void)ctx;
    (void)x;
    g_calls++;
}

START_TEST(malformed_caught_and_handler_restored)
{
    int mark;
    g_calls = 0;
    xmlSetStructuredErrorFunc(&mark, counting_handler);
    ck_assert_int_eq(parse("<t xmlns='urn:test'>\n<n>\n</t>", NULL),
                     ERR_DATA);
    ck_assert_str_eq(e.msg, "d/x.xml:3: test template: Opening and ending "
                     "tag mismatch: n line 2 and t");
    /* an encoding error (bypasses XML_PARSE_NOERROR) is caught too */
    ck_assert_int_eq(parse("<t xmlns='urn:test'>\xff</t>", NULL), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(e.msg, "d/x.xml:1: test template: "));
    ck_assert_int_eq(g_calls, 0);
    ck_assert_ptr_eq(xmlStructuredErrorContext, &mark);
    ck_assert(xmlStructuredError == counting_handler);
    xmlSetStructuredErrorFunc(NULL, NULL);
}
END_TEST

START_TEST(xsd_error_has_line)
{
    char bad[600];
    ck_assert_int_eq(parse("<t xmlns='urn:test'>\n<n>1</n>\n<n>x</n>\n</t>",
                           xsd), ERR_DATA);
    ck_assert_str_eq(e.msg, "d/x.xml:3: test template: Element "
                     "'{urn:test}n': 'x' is not a valid value of the atomic "
                     "type 'xs:int'.");
    /* a schema that does not load */
    put("bad.xsd", "<x/>\n", bad, sizeof bad);
    ck_assert_int_eq(parse("<t xmlns='urn:test'/>", bad), ERR_DATA);
    ck_assert_ptr_eq(strstr(e.msg, bad), e.msg);
    ck_assert_ptr_nonnull(strstr(e.msg, ": cannot read the test schema: "));
}
END_TEST

START_TEST(size_limit)
{
    /* 20 + 40 + 4 = 64 bytes: the limit itself is accepted */
    char text[80], path[600];
    xmlDoc *doc;

    snprintf(text, sizeof text, "<t xmlns='urn:test'>%40s</t>", "");
    ck_assert_uint_eq(strlen(text), 64);
    ck_assert_int_eq(parse(text, NULL), ERR_OK);
    snprintf(text, sizeof text, "<t xmlns='urn:test'>%41s</t>", "");
    ck_assert_int_eq(parse(text, NULL), ERR_DATA);
    ck_assert_str_eq(e.msg, "d/x.xml: test template larger than 64 bytes");
    /* from a file: fsx_read_file's limit and message */
    put("big.xml", text, path, sizeof path);
    ck_assert_int_eq(xmlx_load(&spec, path, NULL, &doc, &e), ERR_DATA);
    ck_assert_ptr_null(doc);
    ck_assert_ptr_nonnull(strstr(e.msg, ": larger than 64 bytes"));
}
END_TEST

START_TEST(load_validates_when_xsd_exists)
{
    char path[600], nothere[700];
    xmlDoc *doc;

    put("v.xml", "<t xmlns='urn:test'>\n<n>x</n></t>", path,
        sizeof path);
    snprintf(nothere, sizeof nothere, "%s/none.xsd", dir);
    ck_assert_int_eq(xmlx_load(&spec, path, nothere, &doc, &e), ERR_OK);
    xmlFreeDoc(doc);
    ck_assert_int_eq(xmlx_load(&spec, path, xsd, &doc, &e), ERR_DATA);
    ck_assert_ptr_null(doc);
    ck_assert_ptr_eq(strstr(e.msg, path), e.msg);
    ck_assert_ptr_nonnull(strstr(e.msg, ":2: test template: Element "));
    ck_assert_int_eq(xmlx_load(&spec, nothere, NULL, &doc, &e), ERR_NOINPUT);
    mem_fail_after(1);
    ck_assert_int_eq(xmlx_load(&spec, path, NULL, &doc, &e), ERR_NOMEM);
    mem_fail_after(0);
    ck_assert_ptr_null(doc);
}
END_TEST

Suite *suite_xmlx(void)
{
    Suite *s = suite_create("xmlx");
    TCase *t = tcase_create("parse");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, accepts_and_helpers);
    tcase_add_test(t, doctype_and_root_refused);
    tcase_add_test(t, malformed_caught_and_handler_restored);
    tcase_add_test(t, xsd_error_has_line);
    tcase_add_test(t, size_limit);
    tcase_add_test(t, load_validates_when_xsd_exists);
    suite_add_tcase(s, t);
    return s;
}
