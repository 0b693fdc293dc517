/* check_import -- the importer (import_xml.c) end to end on small files:
 * every element and attribute rule (generated from the record table),
 * each kind of reference error with its message and line, the hostile
 * set, encodings, re-import, all-or-nothing and --skip-invalid; and the
 * import step of the commands (pipe_import: the input checks, the report
 * of rejected records, run's skip when nothing changed).
 *
 * Tests run from the repository root (or $KQ_SRCDIR).  Expected messages
 * and line numbers are typed in by hand from the data files.
 */
#include "unit.h"
#include "diag.h"
#include "err.h"
#include "fsx.h"
#include "import_xml.h"
#include "mem.h"
#include "pipeline.h"
#include "record.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- helpers ---------------------------------------------------------- */

static char g_dir[512];

/* A path in the test's folder (a ring of 32 buffers: valid for the next
 * 31 calls). */
static const char *path_in(const char *name)
{
    static char p[32][1024];
    static int i;
    i = (i + 1) % 32;
    snprintf(p[i], sizeof p[i], "%s/%s", g_dir, name);
    return p[i];
}

/* A path in the source tree (a ring of 32 buffers, like path_in). */
static const char *src(const char *rel)
{
    static char p[32][1024];
    static int i;
    i = (i + 1) % 32;
    snprintf(p[i], sizeof p[i], "%s/%s", unit_srcdir(), rel);
    return p[i];
}

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

static void write_text(const char *path, const char *text)
{
    struct err e;
    ck_assert_int_eq(fsx_write_file(path, text, strlen(text), &e), ERR_OK);
}

struct run {
    int rc;
    struct diag d;
    struct imp_stats st;
    struct err e;
    char rejects[8192];     /* skip mode: the report lines */
};

static void collect(void *ctx, const char *line)
{
    struct run *r = ctx;
    size_t n = strlen(r->rejects);
    snprintf(r->rejects + n, sizeof r->rejects - n, "%s\n", line);
}

/* Import files into db; r receives status, problems and stats. */
static void import_files(struct run *r, const char *db, const char **files,
                         int n, int skip)
{
    struct store *s = NULL;
    struct imp_opts o;
    char schema[1024];
    snprintf(schema, sizeof schema, "%s/templates/schema/erp.xsd", unit_srcdir());
    memset(r, 0, sizeof *r);
    diag_init(&r->d, 200);
    ck_assert_int_eq(store_open(db, 0, &s, &r->e), ERR_OK);
    memset(&o, 0, sizeof o);
    o.schema = schema;
    o.skip_invalid = skip;
    o.reject = collect;
    o.reject_ctx = r;
    r->rc = imp_run(s, files, n, &o, &r->st, &r->d, &r->e);
    store_close(s);
}

static void import1(struct run *r, const char *db, const char *file, int skip)
{
    import_files(r, db, &file, 1, skip);
}

/* 1 when a problem line contains needle. */
static int has(const struct run *r, const char *needle)
{
    for (size_t i = 0; i < r->d.n; i++)
        if (strstr(r->d.lines[i], needle))
            return 1;
    return 0;
}

static void dump(const struct run *r)
{
    for (size_t i = 0; i < r->d.n; i++)
        fprintf(stderr, "  | %s\n", r->d.lines[i]);
}

#define ASSERT_HAS(r, needle)                                               \
    do {                                                                    \
        if (!has(r, needle))                                                \
            dump(r);                                                        \
        ck_assert_msg(has(r, needle), "no problem line contains '%s'",      \
                      needle);                                              \
    } while (0)

static long long q(const char *db, const char *sql)
{
    struct store *s;
    struct err e;
    long long v = -1;
    ck_assert_msg(store_open(db, STORE_MUST_EXIST, &s, &e) == ERR_OK, "%s", e.msg);
    ck_assert_msg(store_query_int(s, sql, &v, &e) == ERR_OK, "%s", e.msg);
    store_close(s);
    return v;
}

static void free_run(struct run *r)
{
    diag_free(&r->d);
}

/* ---- a good file ---------------------------------------------------------- */

START_TEST(test_full_file)
{
    struct run r;
    const char *db = path_in("k.db");
    import1(&r, db, src("tests/data/good/full.xml"), 0);
    if (r.rc)
        dump(&r);
    ck_assert_int_eq(r.rc, ERR_OK);
    ck_assert_int_eq(r.st.records, 23);
    ck_assert_int_eq(r.st.stored[REC_REGION], 3);
    ck_assert_int_eq(r.st.stored[REC_CONTACT], 3);
    ck_assert_int_eq(r.st.stored[REC_HANDOVER], 2);
    ck_assert_int_eq(r.st.stored[REC_CHECK], 1);
    /* values as stored: booleans 0/1, absent NULL, counts INTEGER */
    ck_assert_int_eq(q(db, "SELECT is_key FROM contact WHERE id='K1'"), 1);
    ck_assert_int_eq(q(db, "SELECT is_key FROM contact WHERE id='K2'"), 0);
    ck_assert_int_eq(q(db, "SELECT is_key IS NULL FROM contact WHERE id='K3'"), 1);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM contact WHERE customer='C10001'"), 2);
    ck_assert_int_eq(q(db, "SELECT family FROM card WHERE contact='K1'"), 3);
    ck_assert_int_eq(q(db, "SELECT typeof(family) = 'integer' FROM card WHERE contact='K1'"), 1);
    ck_assert_int_eq(q(db, "SELECT phones = 'office mobile home' FROM card WHERE contact='K1'"), 1);
    ck_assert_int_eq(q(db, "SELECT explains_selling_points FROM spot_check"), 0);
    ck_assert_int_eq(q(db, "SELECT rep_recites_card + 10 * knows_company FROM spot_check"), 10);
    ck_assert_int_eq(q(db, "SELECT note = '处理退货投诉' FROM service WHERE id='S1'"), 1);
    ck_assert_int_eq(q(db, "SELECT note IS NULL FROM service WHERE id='S2'"), 1);
    ck_assert_int_eq(q(db, "SELECT left_on = '2026-10-20' FROM person WHERE id='E0102'"), 1);
    ck_assert_int_eq(q(db, "SELECT group_concat(seq || from_staff, ',') = '1E0102,2E0150' "
                           "FROM (SELECT * FROM handover ORDER BY seq)"), 1);
    /* source lines and the import row */
    ck_assert_int_eq(q(db, "SELECT src_line FROM visit WHERE id='V2'"), 42);
    ck_assert_int_eq(q(db, "SELECT src_line FROM handover WHERE seq=2"), 27);
    ck_assert_int_eq(q(db, "SELECT records FROM import"), 23);
    ck_assert_int_eq(q(db, "SELECT period = '2026-10' AND company = '示例医药有限公司' "
                           "AND length(sha256) = 64 AND bytes > 3000 FROM import"), 1);
    free_run(&r);
}
END_TEST

/* ---- every element and attribute rule ------------------------------------- */

/* A document with one slot per section, each on its own line:
 * regions 4, staff 6, customers 8, cards 10, activities 12. */
static const char doc_fmt[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<export xmlns=\"urn:keqing:erp:1\" period=\"2026-10\">\n"
    "<regions><region id=\"CN\" name=\"全国\"/>\n"
    "%s\n"
    "</regions><staff><person id=\"E1\" name=\"甲\" role=\"sales_rep\" region=\"CN\" hired=\"2020-01-01\"/>\n"
    "%s\n"
    "</staff><customers><customer id=\"C1\" name=\"客\" type=\"terminal\" grade=\"A\" region=\"CN\" owner=\"E1\"><contact id=\"K1\" name=\"联\"/><contact id=\"K3\" name=\"联三\"/></customer>\n"
    "%s\n"
    "</customers><cards><card contact=\"K1\" created=\"2026-10-01\"/>\n"
    "%s\n"
    "</cards><activities>\n"
    "%s\n"
    "</activities></export>\n";

static const int slot_line[] = {4, 6, 8, 10, 12};

/* Valid values per kind, by field index (record.c order). */
static const char *const valid[REC_NKINDS][REC_MAX_FIELDS] = {
    [REC_REGION] = {"R1", "华东", "CN"},
    [REC_PERSON] = {"E2", "乙", "sales_rep", "CN", "2020-01-01", "E1", "2026-10-20"},
    [REC_CUSTOMER] = {"C2", "客二", "channel", "VIP", "CN", "E1", "2008-05-18", "2026-09-10"},
    [REC_CONTACT] = {"K2", "联二", "店长", "true", "2025-01-01", "02-29"},
    [REC_HANDOVER] = {"E1", "E1", "2026-10-21"},
    [REC_CARD] = {"K3", "2025-01-20", "2026-10-02", "office home", "3", "false"},
    [REC_VISIT] = {"V1", "E1", "C1", "2026-10-08", "K1", "拜访"},
    [REC_SERVICE] = {"S1", "E1", "C1", "2026-10-09", "advice"},
    [REC_DISPLAY] = {"D1", "E1", "C1", "2026-10-10", "none", "true"},
    [REC_REPORT] = {"R1", "E1", "C1", "sell_through", "2026-09", "2026-10-25", "2026-10-26"},
    [REC_GREETING] = {"G1", "E1", "C1", "mid_autumn", "2026-09-25", "K1", "wechat", "false"},
    [REC_CHECK] = {"Q1", "E1", "C1", "2026-10-15", "E1", "K1", "true", "false", "true", "false", "true", "false"},
};

static int slot_of(enum rec_kind k)
{
    switch (k) {
    case REC_REGION: return 0;
    case REC_PERSON: return 1;
    case REC_CUSTOMER: case REC_CONTACT: case REC_HANDOVER: return 2;
    case REC_CARD: return 3;
    default: return 4;
    }
}

/* The record of kind k with field `bad` replaced by badval (NULL: left
 * out), plus `extra` inside the start tag, as one line of XML. */
static void record_xml(enum rec_kind k, int bad, const char *badval,
                       const char *extra, char *out, size_t n)
{
    const struct kind_def *kd = record_kind(k);
    size_t j = 0;
    int child = k == REC_CONTACT || k == REC_HANDOVER;

    if (child)
        j += (size_t)snprintf(out + j, n - j, "<customer id=\"C2\" name=\"n\" "
                              "type=\"terminal\" grade=\"A\" region=\"CN\" owner=\"E1\">");
    j += (size_t)snprintf(out + j, n - j, "<%s", kd->element);
    for (int i = 0; i < kd->nfields; i++) {
        const char *v = i == bad ? badval : valid[k][i];
        if (v)
            j += (size_t)snprintf(out + j, n - j, " %s=\"%s\"", kd->fields[i].attr, v);
    }
    j += (size_t)snprintf(out + j, n - j, "%s%s", extra ? extra : "",
                          kd->has_text ? ">整改陈列</service>" : "/>");
    if (child)
        snprintf(out + j, n - j, "</customer>");
}

static const char *write_doc(const char *name, int slot, const char *rec)
{
    char text[16384];
    const char *s[5] = {"", "", "", "", ""};
    const char *p = path_in(name);
    s[slot] = rec;
    snprintf(text, sizeof text, doc_fmt, s[0], s[1], s[2], s[3], s[4]);
    write_text(p, text);
    return p;
}

/* A value that breaks a field of this type. */
static const char *bad_value(enum fld_type t)
{
    static char longtext[REC_TEXT_MAX + 2];
    switch (t) {
    case FT_ID: case FT_REF: return "A B";
    case FT_TEXT:
        memset(longtext, 'x', sizeof longtext - 1);
        longtext[sizeof longtext - 1] = '\0';
        return longtext;
    case FT_DATE: return "2026-02-30";
    case FT_MMDD: return "13-01";
    case FT_MONTH: return "2026-13";
    case FT_BOOL: return "yes";
    case FT_COUNT: return "101";
    case FT_ENUM: return "bogus";
    case FT_PHONES: return "office fax";
    case FT_STAMP: return "x";
    case FT_NAME: return "王\xF0\x9F\x98\x80";
    }
    return "";
}

/* What the message says about that bad value. */
static const char *bad_reason(enum fld_type t)
{
    switch (t) {
    case FT_ID: case FT_REF: return "id contains a space or control character";
    case FT_TEXT: return "longer than 1024 bytes";
    case FT_DATE: return "'2026-02-30' is not a real date";
    case FT_MMDD: return "'13-01' is not a month-day (MM-DD)";
    case FT_MONTH: return "'2026-13' is not a month (YYYY-MM)";
    case FT_BOOL: return "'yes' is not true or false";
    case FT_COUNT: return "'101' is not a whole number 0-100";
    case FT_ENUM: return "unknown value 'bogus'";
    case FT_PHONES: return "phones must be office, mobile or home, not 'fax'";
    case FT_STAMP: return "";
    case FT_NAME: return "U+1F600 is an emoji or pictograph, not part of a name";
    }
    return "";
}

/* The id shown in messages for kind k (id field mutated: as given). */
static const char *msg_id(enum rec_kind k, int bad, const char *badval)
{
    if (k == REC_HANDOVER)
        return "C2";
    if (bad == 0)
        return badval;
    return valid[k][0];
}

START_TEST(test_valid_templates)
{
    /* Each kind's valid template imports: the rule tests below start from
     * records that are right. */
    for (int k = 0; k < REC_NKINDS; k++) {
        char rec[4096];
        struct run r;
        record_xml((enum rec_kind)k, -1, NULL, NULL, rec, sizeof rec);
        import1(&r, path_in("v.db"), write_doc("v.xml", slot_of((enum rec_kind)k), rec), 0);
        if (r.rc)
            dump(&r);
        ck_assert_msg(r.rc == ERR_OK, "kind %s: %s", record_kind((enum rec_kind)k)->element, r.e.msg);
        free_run(&r);
        unit_sh("rm -f '%s'", path_in("v.db"));
    }
}
END_TEST

START_TEST(test_every_attribute_rule)
{
    int cases = 0;
    for (int k = 0; k < REC_NKINDS; k++) {
        const struct kind_def *kd = record_kind((enum rec_kind)k);
        for (int i = 0; i < kd->nfields; i++) {
            const struct fld *f = &kd->fields[i];
            char rec[4096], want[2048];
            const char *id;
            struct run r;
            int line = slot_line[slot_of((enum rec_kind)k)];

            /* a value of the wrong form */
            record_xml((enum rec_kind)k, i, bad_value(f->type), NULL, rec, sizeof rec);
            import1(&r, path_in("r.db"), write_doc("r.xml", slot_of((enum rec_kind)k), rec), 0);
            id = msg_id((enum rec_kind)k, i, "A B");
            snprintf(want, sizeof want, "r.xml:%d: %s %s: %s: %s", line,
                     kd->element, id, f->attr, bad_reason(f->type));
            ck_assert_int_eq(r.rc, ERR_DATA);
            ASSERT_HAS(&r, want);
            free_run(&r);
            cases++;
            /* a required attribute left out */
            if (f->required) {
                record_xml((enum rec_kind)k, i, NULL, NULL, rec, sizeof rec);
                import1(&r, path_in("r.db"), write_doc("r.xml", slot_of((enum rec_kind)k), rec), 0);
                if (i == 0 && k != REC_HANDOVER)
                    snprintf(want, sizeof want, "r.xml:%d: %s: missing attribute '%s'",
                             line, kd->element, f->attr);
                else
                    snprintf(want, sizeof want, "r.xml:%d: %s %s: missing attribute '%s'",
                             line, kd->element, msg_id((enum rec_kind)k, -1, NULL), f->attr);
                ck_assert_int_eq(r.rc, ERR_DATA);
                ASSERT_HAS(&r, want);
                free_run(&r);
                cases++;
            }
        }
    }
    ck_assert_int_eq(cases, 126);   /* 77 fields + 49 required ones */
}
END_TEST

/* Rules only the schema or the structure check knows. */
static const struct {
    int slot;
    const char *rec;
    const char *want;
} schema_cases[] = {
    {4, "<region id=\"R1\" name=\"n\" parent=\"CN\" color=\"red\"/>",
     "r.xml:4: region R1: unknown attribute 'color'"},
    {4, "<region xmlns:o=\"urn:other\" id=\"R1\" name=\"n\" parent=\"CN\" o:x=\"1\"/>",
     "r.xml:4: region R1: unknown attribute 'x'"},
    {4, "<region id=\"R1\" name=\"n\" parent=\"CN\">text</region>",
     "r.xml:4: region R1: Character content is not allowed"},
    {8, "<customer id=\"C2\" name=\"n\" type=\"terminal\" grade=\"A\" region=\"CN\" owner=\"E1\"><note/></customer>",
     "r.xml:8: customer C2: Element 'note': This element is not expected"},
    {12, "<visit id=\"V1\" staff=\"E1\" customer=\"C1\" date=\"2026-10-08\"><contact id=\"K9\" name=\"x\"/></visit>",
     "r.xml:12: visit V1: Element content is not allowed, because the content type is empty"},
    {12, "<person id=\"E9\" name=\"n\" role=\"sales_rep\" region=\"CN\" hired=\"2020-01-01\"/>",
     "r.xml:12: <person>: not allowed in <activities>"},
    {12, "<visit id=\"" "0123456789012345678901234567890123456789012345678901234567890123X"
         "\" staff=\"E1\" customer=\"C1\" date=\"2026-10-08\"/>",
     "id: id must have 1 to 64 characters"},
    {12, "<service id=\"S9\" staff=\"E1\" customer=\"C1\" date=\"2026-10-08\" kind=\"need\">a&#1;b</service>",
     "not well-formed XML"},
    {6, "<person id=\"E2\" name=\"n\" role=\"sales_rep\" region=\"CN\" hired=\"2020-01-01\" left=\"2026-10-32\"/>",
     "r.xml:6: person E2: left: '2026-10-32' is not a real date"},
    {6, "<person id=\"E2\" name=\"n\" role=\"sales_rep\" region=\"CN\" hired=\"1899-12-31\"/>",
     "hired: '1899-12-31' is not a real date (YYYY-MM-DD, 1900-2199)"},
    {10, "<card contact=\"K3\" created=\"2026-10-01\" family=\"-1\"/>",
     "r.xml:10: card K3: family: '-1' is not a whole number 0-100"},
    {8, "<customer id=\"C2\" name=\"n\" type=\"terminal\" grade=\"A\" region=\"CN\" owner=\"E1\"><contact id=\"K2\" name=\"x\" birthday=\"02-30\"/></customer>",
     "r.xml:8: contact K2: birthday: '02-30' is not a month-day"},
};

START_TEST(test_schema_rules)
{
    for (size_t c = 0; c < sizeof schema_cases / sizeof schema_cases[0]; c++) {
        struct run r;
        int slot = 0;
        while (slot_line[slot] != schema_cases[c].slot)
            slot++;
        import1(&r, path_in("r.db"), write_doc("r.xml", slot, schema_cases[c].rec), 0);
        ck_assert_msg(r.rc == ERR_DATA, "case %zu", c);
        ASSERT_HAS(&r, schema_cases[c].want);
        free_run(&r);
    }
}
END_TEST

/* Document structure: root, sections, order, root attributes. */
static const struct {
    const char *xml;
    const char *want;
} structure_cases[] = {
    {"<export xmlns=\"urn:keqing:erp:1\" period=\"2026-10\">\n<staff/>\n<regions/>\n</export>\n",
     "s.xml:3: section <regions> out of order or repeated"},
    {"<export xmlns=\"urn:keqing:erp:1\" period=\"2026-10\">\n<staff/><staff/>\n</export>\n",
     "s.xml:2: section <staff> out of order or repeated"},
    {"<export xmlns=\"urn:keqing:erp:1\" period=\"2026-10\">\n<people/>\n</export>\n",
     "s.xml:2: unexpected element <people> in <export>"},
    {"<export xmlns=\"urn:keqing:erp:1\">\n</export>\n",
     "s.xml:1: export: missing attribute 'period'"},
    {"<export xmlns=\"urn:keqing:erp:1\" period=\"2026-13\">\n</export>\n",
     "s.xml:1: export: period: '2026-13' is not a month (YYYY-MM)"},
    {"<export xmlns=\"urn:keqing:erp:1\" period=\"2026-10\" owner=\"x\">\n</export>\n",
     "s.xml:1: export: unknown attribute 'owner'"},
    {"<export xmlns=\"urn:keqing:erp:1\" period=\"2026-10\">\nhello\n</export>\n",
     "s.xml:3: unexpected text in <export>"},
    {"<export xmlns=\"urn:other\" period=\"2026-10\"/>\n",
     "s.xml:1: root element is <export>, expected <export xmlns=\"urn:keqing:erp:1\">"},
    {"<export xmlns=\"urn:keqing:erp:1\" period=\"2026-10\">\n<regions a=\"1\"/>\n</export>\n",
     "s.xml:2: section <regions> takes no attributes"},
    {"", "s.xml:1: not well-formed XML"},
};

START_TEST(test_structure)
{
    for (size_t c = 0; c < sizeof structure_cases / sizeof structure_cases[0]; c++) {
        struct run r;
        write_text(path_in("s.xml"), structure_cases[c].xml);
        import1(&r, path_in("s.db"), path_in("s.xml"), 0);
        ck_assert_msg(r.rc == ERR_DATA, "case %zu", c);
        ASSERT_HAS(&r, structure_cases[c].want);
        free_run(&r);
    }
}
END_TEST

/* ---- semantic (reference) errors ------------------------------------------ */

START_TEST(test_semantic_errors)
{
    static const char *const want[] = {
        "semantic.xml:31: visit V77: duplicate id (first at line 27)",
        "semantic.xml:7: region X1: unknown region NOPE (parent)",
        "semantic.xml:8: region CN2: a second root region (no parent); the tree has one root, CN",
        "semantic.xml:12: person E2: unknown region R9",
        "semantic.xml:12: person E2: unknown person E9 (manager)",
        "semantic.xml:15: customer C1: unknown person E8 (owner)",
        "semantic.xml:17: handover C1: unknown person E7 (from)",
        "semantic.xml:24: card K9: unknown contact K9",
        "semantic.xml:27: visit V77: unknown customer C999",
        "semantic.xml:28: visit V78: contact K2 belongs to customer C2, not C1",
        "semantic.xml:29: greeting G1: unknown person E6 (staff)",
        "semantic.xml:30: check Q1: unknown person E5 (checker)",
        "semantic.xml:30: check Q1: unknown contact K8",
    };
    struct run r;
    import1(&r, path_in("k.db"), src("tests/data/bad/semantic.xml"), 0);
    ck_assert_int_eq(r.rc, ERR_DATA);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ASSERT_HAS(&r, want[i]);
    ck_assert_int_eq(r.st.errors, 13);
    ck_assert_str_eq(r.e.msg, "import refused: 13 problems found; the database was not changed");
    free_run(&r);
}
END_TEST

START_TEST(test_cycles)
{
    struct run r;
    import1(&r, path_in("k.db"), src("tests/data/bad/region-cycle.xml"), 0);
    ck_assert_int_eq(r.rc, ERR_DATA);
    ASSERT_HAS(&r, "region-cycle.xml:5: region A: region tree has a cycle: A -> B -> A");
    ASSERT_HAS(&r, "region-cycle.xml:6: region B: region tree has a cycle: B -> A -> B");
    ck_assert_int_eq(r.st.errors, 2);
    free_run(&r);
    import1(&r, path_in("k2.db"), src("tests/data/bad/manager-cycle.xml"), 0);
    ck_assert_int_eq(r.rc, ERR_DATA);
    ASSERT_HAS(&r, "manager-cycle.xml:7: person E1: manager chain has a cycle: E1 -> E3 -> E2 -> E1");
    ASSERT_HAS(&r, "manager-cycle.xml:9: person E3: manager chain has a cycle: E3 -> E2 -> E1 -> E3");
    ck_assert_int_eq(r.st.errors, 3);   /* E4 is fine */
    free_run(&r);
}
END_TEST

START_TEST(test_references_across_files)
{
    /* update.xml refers to people and regions stored by full.xml: fine in
     * a later run, and in the same run after it; refused alone. */
    struct run r;
    const char *both[2] = {src("tests/data/good/full.xml"), src("tests/data/good/update.xml")};
    import1(&r, path_in("a.db"), src("tests/data/good/update.xml"), 0);
    ck_assert_int_eq(r.rc, ERR_DATA);
    ASSERT_HAS(&r, "update.xml:8: customer C10001: unknown region EAST-ZJ");
    free_run(&r);
    import_files(&r, path_in("b.db"), both, 2, 0);
    if (r.rc)
        dump(&r);
    ck_assert_int_eq(r.rc, ERR_OK);
    ck_assert_int_eq(r.st.files, 2);
    free_run(&r);
    ck_assert_int_eq(q(path_in("b.db"), "SELECT count(*) FROM import"), 2);
    ck_assert_int_eq(q(path_in("b.db"), "SELECT grade = 'A' FROM customer WHERE id='C10001'"), 1);
}
END_TEST

/* ---- hostile input -------------------------------------------------------------- */

static const struct {
    const char *file;
    const char *want;
} hostile_cases[] = {
    {"billion-laughs.xml", "billion-laughs.xml:14: not well-formed XML: Detected an entity reference loop"},
    {"quadratic.xml", "quadratic.xml: DOCTYPE declarations are not allowed"},
    {"xxe-file.xml", "xxe-file.xml:4: not well-formed XML: Attribute references external entity 'x'"},
    {"xxe-http.xml", "xxe-http.xml: DOCTYPE declarations are not allowed"},
    {"doctype.xml", "doctype.xml: DOCTYPE declarations are not allowed"},
    {"truncated.xml", "truncated.xml:6: not well-formed XML"},
    {"nul-byte.xml", "nul-byte.xml:4: not well-formed XML: Char 0x0 out of allowed range"},
    {"bad-utf8.xml", "bad-utf8.xml:4: invalid bytes for the declared encoding: Input is not proper UTF-8"},
    {"wrong-root.xml", "wrong-root.xml:2: root element is <数据导出> without the keqing namespace"},
    {"no-namespace.xml", "no-namespace.xml:2: root element is <export> without the keqing namespace"},
    {"bad-date.xml", "bad-date.xml:7: person E1: hired: '2026-02-30' is not a real date"},
    {"id-control.xml", "id-control.xml:4: region C?N: id: id contains a space or control character"},
};

START_TEST(test_hostile_files)
{
    for (size_t c = 0; c < sizeof hostile_cases / sizeof hostile_cases[0]; c++) {
        char rel[256];
        struct run r;
        struct timespec a, b;
        double secs;
        snprintf(rel, sizeof rel, "tests/data/bad/%s", hostile_cases[c].file);
        clock_gettime(CLOCK_MONOTONIC, &a);
        import1(&r, path_in("h.db"), src(rel), 0);
        clock_gettime(CLOCK_MONOTONIC, &b);
        secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
        ck_assert_msg(r.rc == ERR_DATA, "%s: rc %d", hostile_cases[c].file, r.rc);
        ASSERT_HAS(&r, hostile_cases[c].want);
        ck_assert_msg(secs < 2.0, "%s took %.2f s", hostile_cases[c].file, secs);
        /* a refused first import leaves no database (store.h) */
        ck_assert_msg(access(path_in("h.db"), F_OK) != 0,
                      "%s: the refused import left h.db", hostile_cases[c].file);
        free_run(&r);
    }
}
END_TEST

START_TEST(test_generated_hostile)
{
    /* 10,000-deep nesting inside a record, a 20 MB attribute, a 2 MB one,
     * a customer with 5,000 children: refused fast, memory bounded. */
    struct run r;
    unit_sh("cd '%s' && awk 'BEGIN { printf \"<export xmlns=\\\"urn:keqing:erp:1\\\" period=\\\"2026-10\\\"><customers>\\n<customer id=\\\"C1\\\" name=\\\"x\\\" type=\\\"terminal\\\" grade=\\\"A\\\" region=\\\"CN\\\" owner=\\\"E1\\\">\"; "
            "for (i = 0; i < 10000; i++) printf \"<a>\"; for (i = 0; i < 10000; i++) printf \"</a>\"; print \"</customer></customers></export>\" }' > deep.xml", g_dir);
    import1(&r, path_in("d.db"), path_in("deep.xml"), 0);
    ck_assert_int_eq(r.rc, ERR_DATA);
    ASSERT_HAS(&r, "deep.xml:2: element <a> is nested deeper than an export allows (4 levels)");
    free_run(&r);

    unit_sh("cd '%s' && awk 'BEGIN { s = \"xxxxxxxxxxxxxxxx\"; while (length(s) < 20971520) s = s s; "
            "printf \"<export xmlns=\\\"urn:keqing:erp:1\\\" period=\\\"2026-10\\\">\\n<regions><region id=\\\"CN\\\" name=\\\"%%s\\\"/></regions></export>\\n\", s }' > huge.xml", g_dir);
    import1(&r, path_in("d.db"), path_in("huge.xml"), 0);
    ck_assert_int_eq(r.rc, ERR_DATA);
    ASSERT_HAS(&r, "huge.xml:2: not well-formed XML");
    free_run(&r);

    unit_sh("cd '%s' && awk 'BEGIN { s = \"xxxxxxxxxxxxxxxx\"; while (length(s) < 2097152) s = s s; "
            "printf \"<export xmlns=\\\"urn:keqing:erp:1\\\" period=\\\"2026-10\\\">\\n<regions><region id=\\\"CN\\\" name=\\\"%%s\\\"/></regions></export>\\n\", s }' > big.xml", g_dir);
    import1(&r, path_in("d.db"), path_in("big.xml"), 0);
    ck_assert_int_eq(r.rc, ERR_DATA);
    ASSERT_HAS(&r, "big.xml:2: region CN: name: longer than 1024 bytes");
    free_run(&r);

    unit_sh("cd '%s' && awk 'BEGIN { printf \"<export xmlns=\\\"urn:keqing:erp:1\\\" period=\\\"2026-10\\\"><customers>\\n<customer id=\\\"C1\\\" name=\\\"x\\\" type=\\\"terminal\\\" grade=\\\"A\\\" region=\\\"CN\\\" owner=\\\"E1\\\">\"; "
            "for (i = 0; i < 5000; i++) printf \"<contact id=\\\"K%%d\\\" name=\\\"n\\\"/>\", i; print \"</customer></customers></export>\" }' > kids.xml", g_dir);
    import1(&r, path_in("d.db"), path_in("kids.xml"), 0);
    ck_assert_int_eq(r.rc, ERR_DATA);
    ASSERT_HAS(&r, "kids.xml:2: customer C1: more than 1000 child elements");
    free_run(&r);
}
END_TEST

/* ---- encodings ------------------------------------------------------------------ */

START_TEST(test_gb18030_like_utf8)
{
    struct run r;
    const char *dump_sql = "SELECT count(*) FROM person WHERE name IN ('王建国','李娜','赵磊')";
    ck_assert_int_eq(unit_sh("sed 's/encoding=\"UTF-8\"/encoding=\"GB18030\"/' '%s' | "
                             "iconv -f UTF-8 -t GB18030 > '%s'",
                             src("tests/data/good/full.xml"), path_in("gb.xml")), 0);
    ck_assert_int_eq(unit_sh("sed 's/encoding=\"UTF-8\"/encoding=\"GBK\"/' '%s' | "
                             "iconv -f UTF-8 -t GBK > '%s'",
                             src("tests/data/good/full.xml"), path_in("gbk.xml")), 0);
    /* the converted file really differs from the UTF-8 one */
    ck_assert_int_ne(unit_sh("cmp -s '%s' '%s'", src("tests/data/good/full.xml"), path_in("gb.xml")), 0);
    import1(&r, path_in("gb.db"), path_in("gb.xml"), 0);
    ck_assert_int_eq(r.rc, ERR_OK);
    free_run(&r);
    import1(&r, path_in("gbk.db"), path_in("gbk.xml"), 0);
    ck_assert_int_eq(r.rc, ERR_OK);
    free_run(&r);
    import1(&r, path_in("u8.db"), src("tests/data/good/full.xml"), 0);
    ck_assert_int_eq(r.rc, ERR_OK);
    free_run(&r);
    ck_assert_int_eq(q(path_in("gb.db"), dump_sql), 3);
    ck_assert_int_eq(q(path_in("gbk.db"), dump_sql), 3);
    /* every text column identical */
    ck_assert_int_eq(unit_sh("cd '%s' && for d in gb gbk u8; do sqlite3 $d.db "
                             "'SELECT * FROM region; SELECT * FROM person; SELECT * FROM customer;"
                             " SELECT * FROM contact; SELECT * FROM service; SELECT * FROM visit' > $d.txt; done && "
                             "cmp -s gb.txt u8.txt && cmp -s gbk.txt u8.txt", g_dir), 0);
}
END_TEST

START_TEST(test_gb18030_invalid_bytes)
{
    struct run r;
    unit_sh("printf '<?xml version=\"1.0\" encoding=\"GB18030\"?>\\n<export xmlns=\"urn:keqing:erp:1\" "
            "period=\"2026-10\">\\n<regions>\\n<region id=\"CN\" name=\"\\201\\040\"/>\\n</regions></export>\\n' > '%s'",
            path_in("bad.xml"));
    import1(&r, path_in("b.db"), path_in("bad.xml"), 0);
    ck_assert_int_eq(r.rc, ERR_DATA);
    ASSERT_HAS(&r, "bad.xml: invalid bytes for the declared encoding");
    free_run(&r);
}
END_TEST

/* ---- re-import, all or nothing, skip-invalid ------------------------------------ */

START_TEST(test_reimport_idempotent)
{
    struct run r;
    const char *db = path_in("k.db");
    import1(&r, db, src("tests/data/good/full.xml"), 0);
    ck_assert_int_eq(r.rc, ERR_OK);
    free_run(&r);
    ck_assert_int_eq(unit_sh("sqlite3 '%s' 'SELECT * FROM region; SELECT * FROM person; "
                             "SELECT * FROM customer; SELECT * FROM contact; SELECT customer, seq, from_staff, to_staff, date FROM handover; "
                             "SELECT * FROM card; SELECT * FROM visit; SELECT * FROM service; SELECT * FROM display; "
                             "SELECT * FROM report; SELECT * FROM greeting; SELECT * FROM spot_check' "
                             "| sed 's/|[0-9]*|[0-9]*$//' > '%s'", db, path_in("one.txt")), 0);
    import1(&r, db, src("tests/data/good/full.xml"), 0);
    ck_assert_int_eq(r.rc, ERR_OK);
    ck_assert_int_eq(r.st.records, 23);
    free_run(&r);
    ck_assert_int_eq(unit_sh("sqlite3 '%s' 'SELECT * FROM region; SELECT * FROM person; "
                             "SELECT * FROM customer; SELECT * FROM contact; SELECT customer, seq, from_staff, to_staff, date FROM handover; "
                             "SELECT * FROM card; SELECT * FROM visit; SELECT * FROM service; SELECT * FROM display; "
                             "SELECT * FROM report; SELECT * FROM greeting; SELECT * FROM spot_check' "
                             "| sed 's/|[0-9]*|[0-9]*$//' > '%s'", db, path_in("two.txt")), 0);
    ck_assert_int_eq(unit_sh("cmp -s '%s' '%s'", path_in("one.txt"), path_in("two.txt")), 0);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM visit"), 2);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM handover"), 2);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM import"), 2);
    /* the rows now belong to the second import */
    ck_assert_int_eq(q(db, "SELECT min(import_id) FROM visit"), 2);
}
END_TEST

START_TEST(test_corrected_reexport_replaces)
{
    struct run r;
    const char *db = path_in("k.db");
    import1(&r, db, src("tests/data/good/full.xml"), 0);
    free_run(&r);
    import1(&r, db, src("tests/data/good/update.xml"), 0);
    ck_assert_int_eq(r.rc, ERR_OK);
    ck_assert_int_eq(r.st.records, 6);
    free_run(&r);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM visit"), 3);
    ck_assert_int_eq(q(db, "SELECT date = '2026-10-18' FROM visit WHERE id='V1'"), 1);
    ck_assert_int_eq(q(db, "SELECT purpose IS NULL FROM visit WHERE id='V1'"), 1);
    ck_assert_int_eq(q(db, "SELECT grade = 'A' AND founded IS NULL FROM customer WHERE id='C10001'"), 1);
    /* the handover list was replaced as a whole */
    ck_assert_int_eq(q(db, "SELECT count(*) FROM handover WHERE customer='C10001'"), 1);
    ck_assert_int_eq(q(db, "SELECT from_staff = 'E0001' AND seq = 1 FROM handover"), 1);
    /* one card per contact, the new one */
    ck_assert_int_eq(q(db, "SELECT count(*) FROM card"), 2);
    ck_assert_int_eq(q(db, "SELECT created = '2026-10-30' AND family = 0 FROM card WHERE contact='K1'"), 1);
    /* K2 was not in the update: still stored */
    ck_assert_int_eq(q(db, "SELECT count(*) FROM contact"), 3);
}
END_TEST

START_TEST(test_all_or_nothing)
{
    struct run r;
    struct err e;
    char before[65], after[65];
    long long nb, na;
    const char *db = path_in("k.db");
    const char *two[2] = {src("tests/data/good/update.xml"), src("tests/data/bad/semantic.xml")};
    import1(&r, db, src("tests/data/good/full.xml"), 0);
    free_run(&r);
    ck_assert_int_eq(fsx_sha256_file(db, before, &nb, &e), ERR_OK);
    /* a good file and a bad one in one run: neither is stored */
    import_files(&r, db, two, 2, 0);
    ck_assert_int_eq(r.rc, ERR_DATA);
    free_run(&r);
    ck_assert_int_eq(fsx_sha256_file(db, after, &na, &e), ERR_OK);
    ck_assert_str_eq(before, after);
    ck_assert_int_eq(nb, na);
    /* a refused hostile file: same */
    import1(&r, db, src("tests/data/bad/truncated.xml"), 0);
    ck_assert_int_eq(r.rc, ERR_DATA);
    free_run(&r);
    ck_assert_int_eq(fsx_sha256_file(db, after, &na, &e), ERR_OK);
    ck_assert_str_eq(before, after);
}
END_TEST

START_TEST(test_skip_invalid)
{
    struct run r;
    const char *db = path_in("k.db");
    import1(&r, db, src("tests/data/bad/semantic.xml"), 1);
    ck_assert_int_eq(r.rc, ERR_OK);
    ck_assert_int_eq(r.d.n, 0);
    /* 16 records read: CN, E1, C2, K2 survive; contact K1 goes with C1 */
    ck_assert_int_eq(r.st.read, 16);
    ck_assert_int_eq(r.st.rejected, 12);
    ck_assert_int_eq(r.st.records, 4);
    ck_assert_ptr_nonnull(strstr(r.rejects, "semantic.xml:27: visit V77: unknown customer C999\n"));
    ck_assert_ptr_nonnull(strstr(r.rejects, "semantic.xml:31: visit V77: duplicate id (first at line 27)\n"));
    ck_assert_ptr_nonnull(strstr(r.rejects, "semantic.xml:16: contact K1: unknown customer C1\n"));
    free_run(&r);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM region"), 1);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM person"), 1);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM customer"), 1);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM visit"), 0);
    ck_assert_int_eq(q(db, "SELECT records * 100 + rejected FROM import"), 412);
}
END_TEST

START_TEST(test_skip_invalid_restores_previous)
{
    /* A re-exported customer refused by --skip-invalid: the version stored
     * before the run comes back, handovers included. */
    struct run r;
    const char *db = path_in("k.db");
    import1(&r, db, src("tests/data/good/full.xml"), 0);
    free_run(&r);
    write_text(path_in("repl.xml"),
               "<export xmlns=\"urn:keqing:erp:1\" period=\"2026-10\">\n"
               "<customers>\n"
               "<customer id=\"C10001\" name=\"改名\" type=\"terminal\" grade=\"B\" region=\"EAST-ZJ\" owner=\"NOBODY\">\n"
               "<handover from=\"E0001\" to=\"E0150\" date=\"2026-10-23\"/></customer>\n"
               "</customers>\n"
               "<activities><visit id=\"V9\" staff=\"E0102\" customer=\"C10001\" date=\"2026-10-18\"/></activities>\n"
               "</export>\n");
    import1(&r, db, path_in("repl.xml"), 1);
    ck_assert_int_eq(r.rc, ERR_OK);
    ck_assert_ptr_nonnull(strstr(r.rejects, "repl.xml:3: customer C10001: unknown person NOBODY (owner)"));
    ck_assert_int_eq(r.st.rejected, 1);
    free_run(&r);
    ck_assert_int_eq(q(db, "SELECT grade = 'VIP' AND import_id = 1 FROM customer WHERE id='C10001'"), 1);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM handover WHERE customer='C10001' AND import_id = 1"), 2);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM visit WHERE id='V9'"), 1);
}
END_TEST

/* ---- pipe_import: the import step of `import` and `run` (pipeline.h) ---- */

static void pipe_opts(struct pipe_import_opts *o)
{
    memset(o, 0, sizeof *o);
    o->templates = src("templates");
}

START_TEST(test_pipe_import_check)
{
    const char *good = src("tests/data/good/full.xml");
    const char *files[2] = {good, NULL};
    char want[1200];
    struct err e;

    err_clear(&e);
    ck_assert_int_eq(pipe_import_check(files, 1, NULL, &e), ERR_OK);
    files[1] = path_in("nope.xml");
    ck_assert_int_eq(pipe_import_check(files, 2, NULL, &e), ERR_NOINPUT);
    snprintf(want, sizeof want, "%s: cannot read: No such file or directory",
             files[1]);
    ck_assert_str_eq(e.msg, want);
    files[1] = g_dir;
    ck_assert_int_eq(pipe_import_check(files, 2, NULL, &e), ERR_NOINPUT);
    snprintf(want, sizeof want, "%s: is a folder, not a file", g_dir);
    ck_assert_str_eq(e.msg, want);
    ck_assert_int_eq(pipe_import_check(files, 1, path_in("map.xsl"), &e),
                     ERR_NOINPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "map.xsl: cannot read: No such file"));
}
END_TEST

START_TEST(test_pipe_import_report)
{
    const char *db = path_in("k.db"), *bad = src("tests/data/bad/semantic.xml");
    struct pipe_import_opts o;
    struct pipe_import_stats st;
    struct store *s = NULL;
    char want[1100];
    struct err e;

    /* refused: nothing stored, no report, the new database gone */
    pipe_opts(&o);
    ck_assert_int_eq(store_open(db, 0, &s, &e), ERR_OK);
    ck_assert_int_eq(pipe_import(s, &bad, 1, &o, &st, &e), ERR_DATA);
    ck_assert_uint_gt(st.problems.n, 0);
    ck_assert_str_eq(st.report, "");
    pipe_import_stats_free(&st);
    store_close(s);
    ck_assert_int_ne(access(db, F_OK), 0);
    /* --skip-invalid: the rejected records in DB.rejected.txt */
    o.skip_invalid = 1;
    ck_assert_int_eq(store_open(db, 0, &s, &e), ERR_OK);
    ck_assert_msg(pipe_import(s, &bad, 1, &o, &st, &e) == ERR_OK, "%s", e.msg);
    snprintf(want, sizeof want, "%s.rejected.txt", db);
    ck_assert_str_eq(st.report, want);
    ck_assert_int_eq(st.imp.rejected, 12);
    ck_assert_int_eq(st.imp.records, 4);
    ck_assert_uint_eq(st.problems.n, 0);
    pipe_import_stats_free(&st);
    store_close(s);
    ck_assert_int_eq(unit_sh("grep -qx '.*semantic.xml:27: visit V77: unknown "
                             "customer C999' '%s'", want), 0);
    ck_assert_int_eq(unit_sh("test $(wc -l < '%s') -eq 14", want), 0);
    /* --report FILE; no temporary file is left beside it */
    o.report = path_in("r.txt");
    ck_assert_int_eq(store_open(db, 0, &s, &e), ERR_OK);
    ck_assert_int_eq(pipe_import(s, &bad, 1, &o, &st, &e), ERR_OK);
    ck_assert_str_eq(st.report, o.report);
    pipe_import_stats_free(&st);
    store_close(s);
    ck_assert_int_eq(unit_sh("cmp -s '%s' '%s'", want, o.report), 0);
    ck_assert_int_ne(unit_sh("ls -a '%s' | grep -q tmp", g_dir), 0);
    /* a report that cannot be created refuses the run before reading */
    o.report = path_in("no/such/dir/r.txt");
    ck_assert_int_eq(store_open(db, 0, &s, &e), ERR_OK);
    ck_assert_int_eq(pipe_import(s, &bad, 1, &o, &st, &e), ERR_CANTCREAT);
    ck_assert_str_eq(st.report, "");
    pipe_import_stats_free(&st);
    store_close(s);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM import"), 2);
}
END_TEST

START_TEST(test_pipe_import_skip_same)
{
    const char *db = path_in("k.db");
    const char *full = src("tests/data/good/full.xml");
    const char *upd = src("tests/data/good/update.xml");
    const char *both[2] = {full, upd};
    struct pipe_import_opts o;
    struct pipe_import_stats st;
    struct store *s = NULL;
    struct err e;

    pipe_opts(&o);
    o.skip_same = 1;
    o.expect_period = "2026-10";
    ck_assert_int_eq(store_open(db, 0, &s, &e), ERR_OK);
    ck_assert_msg(pipe_import(s, &full, 1, &o, &st, &e) == ERR_OK, "%s",
                  e.msg);
    ck_assert_int_eq(st.skipped, 0);
    ck_assert_int_eq(st.imp.records, 23);
    pipe_import_stats_free(&st);
    /* the last import stored these very files: nothing to do */
    ck_assert_int_eq(pipe_import(s, &full, 1, &o, &st, &e), ERR_OK);
    ck_assert_int_eq(st.skipped, 1);
    ck_assert_int_eq(st.imp.records, 0);
    pipe_import_stats_free(&st);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM import"), 1);
    /* other files are imported, and without skip_same the same again */
    ck_assert_msg(pipe_import(s, both, 2, &o, &st, &e) == ERR_OK, "%s", e.msg);
    ck_assert_int_eq(st.skipped, 0);
    pipe_import_stats_free(&st);
    o.skip_same = 0;
    ck_assert_int_eq(pipe_import(s, both, 2, &o, &st, &e), ERR_OK);
    ck_assert_int_eq(st.skipped, 0);
    pipe_import_stats_free(&st);
    /* an export of another period than expected is refused */
    o.expect_period = "2026-11";
    ck_assert_int_eq(pipe_import(s, &upd, 1, &o, &st, &e), ERR_DATA);
    pipe_import_stats_free(&st);
    store_close(s);
    ck_assert_int_eq(q(db, "SELECT count(*) FROM import"), 5);
}
END_TEST

Suite *suite_import(void)
{
    Suite *s = suite_create("import");
    TCase *t = tcase_create("import");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, test_full_file);
    tcase_add_test(t, test_valid_templates);
    tcase_add_test(t, test_every_attribute_rule);
    tcase_add_test(t, test_schema_rules);
    tcase_add_test(t, test_structure);
    tcase_add_test(t, test_semantic_errors);
    tcase_add_test(t, test_cycles);
    tcase_add_test(t, test_references_across_files);
    tcase_add_test(t, test_hostile_files);
    tcase_add_test(t, test_generated_hostile);
    tcase_add_test(t, test_gb18030_like_utf8);
    tcase_add_test(t, test_gb18030_invalid_bytes);
    tcase_add_test(t, test_reimport_idempotent);
    tcase_add_test(t, test_corrected_reexport_replaces);
    tcase_add_test(t, test_all_or_nothing);
    tcase_add_test(t, test_skip_invalid);
    tcase_add_test(t, test_skip_invalid_restores_previous);
    suite_add_tcase(s, t);
    t = tcase_create("pipe_import");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, test_pipe_import_check);
    tcase_add_test(t, test_pipe_import_report);
    tcase_add_test(t, test_pipe_import_skip_same);
    suite_add_tcase(s, t);
    return s;
}
