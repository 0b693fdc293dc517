/* check_registry -- the registry of issued documents (store_registry.c,
 * schema 3): number format, allocation in the caller's order, keeping an
 * unchanged document's number, superseding on a data or template change,
 * per-period sequences, issuing, lookups, refusals that change nothing,
 * and the import-log check that lets `keqing run` skip an import.
 */
#include "unit.h"

#include "err.h"
#include "store.h"
#include "store_registry.h"
#include "store_schema.h"

#include <stdio.h>
#include <string.h>

static struct err err;
static struct store *db;
static char dir[512];

static void setup(void)
{
    char path[600];
    snprintf(dir, sizeof dir, "%s", unit_tmpdir());
    snprintf(path, sizeof path, "%s/r.db", dir);
    ck_assert_msg(store_open(path, 0, &db, &err) == ERR_OK, "%s", err.msg);
}

static void teardown(void)
{
    store_close(db);
    db = NULL;
    unit_sh("rm -rf '%s'", dir);
}

/* A 64-hex hash made of one repeated digit. */
static void hash_of(char c, char out[65])
{
    memset(out, c, 64);
    out[64] = '\0';
}

static void want(struct store_doc *d, const char *period,
                 enum store_doc_kind kind, const char *subject, char data,
                 char tmpl)
{
    memset(d, 0, sizeof *d);
    snprintf(d->period, sizeof d->period, "%s", period);
    d->kind = kind;
    snprintf(d->subject, sizeof d->subject, "%s", subject);
    snprintf(d->path, sizeof d->path, "%s/%s.pdf",
             kind == STORE_DOC_PERSON ? "persons" : "regions", subject);
    hash_of(data, d->data_hash);
    hash_of(tmpl, d->tmpl);
}

static long long count(const char *sql)
{
    long long v = -1;
    ck_assert_msg(store_query_int(db, sql, &v, &err) == ERR_OK, "%s",
                  err.msg);
    return v;
}

START_TEST(schema_and_number_format)
{
    char no[STORE_DOC_NUMBER_MAX];
    ck_assert_int_eq(store_schema_version, 7);
    ck_assert_int_eq(store_version(db), 7);
    store_doc_number("2026-10", 123, no);
    ck_assert_str_eq(no, "KQ-202610-000123");
    store_doc_number("2027-01", 999999, no);
    ck_assert_str_eq(no, "KQ-202701-999999");
    ck_assert_str_eq(store_doc_kind_name(STORE_DOC_PACKET), "packet");
    ck_assert_str_eq(store_doc_status_name(STORE_DOC_SUPERSEDED),
                     "superseded");
}
END_TEST

START_TEST(allocate_in_order_and_keep)
{
    struct store_doc d[3], again[3];
    struct store_registry_stats st;

    want(&d[0], "2026-10", STORE_DOC_PERSON, "E1", 'a', '0');
    want(&d[1], "2026-10", STORE_DOC_PERSON, "E2", 'b', '0');
    want(&d[2], "2026-10", STORE_DOC_REGION, "R1", 'c', '1');
    memcpy(again, d, sizeof d);
    ck_assert_int_eq(store_registry_allocate(db, d, 3, &st, &err), ERR_OK);
    ck_assert_str_eq(d[0].number, "KQ-202610-000001");
    ck_assert_str_eq(d[1].number, "KQ-202610-000002");
    ck_assert_str_eq(d[2].number, "KQ-202610-000003");
    ck_assert_int_eq(d[2].seq, 3);
    ck_assert_int_eq(d[0].status, STORE_DOC_ALLOCATED);
    ck_assert_int_eq((int)d[0].bytes, -1);
    ck_assert_int_eq((int)st.allocated, 3);
    ck_assert_int_eq((int)st.kept, 0);
    /* the same documents again: the same numbers, nothing new */
    ck_assert_int_eq(store_registry_allocate(db, again, 3, &st, &err), ERR_OK);
    ck_assert_str_eq(again[1].number, "KQ-202610-000002");
    ck_assert_int_eq((int)st.kept, 3);
    ck_assert_int_eq((int)st.allocated, 0);
    ck_assert_int_eq((int)count("SELECT count(*) FROM document"), 3);
}
END_TEST

START_TEST(issue_and_lookups)
{
    struct store_doc d[2], got;
    char sha[65];
    int found;

    want(&d[0], "2026-10", STORE_DOC_PERSON, "E1", 'a', '0');
    want(&d[1], "2026-10", STORE_DOC_PERSON, "E2", 'b', '0');
    ck_assert_int_eq(store_registry_allocate(db, d, 2, NULL, &err), ERR_OK);
    hash_of('f', sha);
    ck_assert_int_eq(store_registry_issue(db, d[1].number, sha, 31234, &err),
                     ERR_OK);
    ck_assert_int_eq(store_registry_by_sha256(db, sha, &got, &found, &err),
                     ERR_OK);
    ck_assert_int_eq(found, 1);
    ck_assert_str_eq(got.number, "KQ-202610-000002");
    ck_assert_str_eq(got.subject, "E2");
    ck_assert_str_eq(got.path, "persons/E2.pdf");
    ck_assert_int_eq(got.status, STORE_DOC_ISSUED);
    ck_assert_int_eq((int)got.bytes, 31234);
    ck_assert_str_eq(got.superseded_by, "");
    ck_assert_int_eq(store_registry_by_number(db, "KQ-202610-000001", &got,
                                              &found, &err), ERR_OK);
    ck_assert_int_eq(found, 1);
    ck_assert_int_eq(got.status, STORE_DOC_ALLOCATED);
    ck_assert_str_eq(got.sha256, "");
    ck_assert_int_eq((int)got.bytes, -1);
    ck_assert_int_eq(store_registry_by_number(db, "KQ-202610-000009", &got,
                                              &found, &err), ERR_OK);
    ck_assert_int_eq(found, 0);
    hash_of('e', sha);
    ck_assert_int_eq(store_registry_by_sha256(db, sha, &got, &found, &err),
                     ERR_OK);
    ck_assert_int_eq(found, 0);
    /* an unknown number cannot be issued */
    ck_assert_int_eq(store_registry_issue(db, "KQ-202610-000009", sha, 1,
                                          &err), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "KQ-202610-000009"));
}
END_TEST

START_TEST(changed_data_or_template_supersedes)
{
    struct store_doc d[2], cur;
    struct store_registry_stats st;
    char sha[65];
    int found;

    want(&d[0], "2026-10", STORE_DOC_PERSON, "E1", 'a', '0');
    want(&d[1], "2026-10", STORE_DOC_PERSON, "E2", 'b', '0');
    ck_assert_int_eq(store_registry_allocate(db, d, 2, NULL, &err), ERR_OK);
    hash_of('1', sha);
    ck_assert_int_eq(store_registry_issue(db, d[0].number, sha, 10, &err), 0);
    /* E1's data changes (a correction); E2's does not */
    want(&d[0], "2026-10", STORE_DOC_PERSON, "E1", 'z', '0');
    want(&d[1], "2026-10", STORE_DOC_PERSON, "E2", 'b', '0');
    ck_assert_int_eq(store_registry_allocate(db, d, 2, &st, &err), ERR_OK);
    ck_assert_str_eq(d[0].number, "KQ-202610-000003");
    ck_assert_str_eq(d[1].number, "KQ-202610-000002");
    ck_assert_int_eq((int)st.kept, 1);
    ck_assert_int_eq((int)st.allocated, 1);
    ck_assert_int_eq((int)st.superseded, 1);
    ck_assert_int_eq(store_registry_by_sha256(db, sha, &cur, &found, &err), 0);
    ck_assert_int_eq(found, 1);
    ck_assert_str_eq(cur.number, "KQ-202610-000001");
    ck_assert_int_eq(cur.status, STORE_DOC_SUPERSEDED);
    ck_assert_str_eq(cur.superseded_by, "KQ-202610-000003");
    ck_assert_int_eq(store_registry_current(db, "2026-10", STORE_DOC_PERSON,
                                            "E1", &cur, &found, &err), 0);
    ck_assert_str_eq(cur.number, "KQ-202610-000003");
    /* issuing a superseded entry again keeps it superseded */
    ck_assert_int_eq(store_registry_issue(db, "KQ-202610-000001", sha, 10,
                                          &err), 0);
    ck_assert_int_eq((int)count("SELECT count(*) FROM document WHERE "
                                "number='KQ-202610-000001' AND "
                                "status='superseded'"), 1);
    /* a new template re-issues every document */
    want(&d[0], "2026-10", STORE_DOC_PERSON, "E1", 'z', '9');
    want(&d[1], "2026-10", STORE_DOC_PERSON, "E2", 'b', '9');
    ck_assert_int_eq(store_registry_allocate(db, d, 2, &st, &err), ERR_OK);
    ck_assert_str_eq(d[0].number, "KQ-202610-000004");
    ck_assert_str_eq(d[1].number, "KQ-202610-000005");
    ck_assert_int_eq((int)st.superseded, 2);
    ck_assert_int_eq((int)count("SELECT count(*) FROM document WHERE status"
                                " <> 'superseded'"), 2);
}
END_TEST

START_TEST(periods_have_their_own_sequence)
{
    struct store_doc a, b;
    want(&a, "2026-10", STORE_DOC_PERSON, "E1", 'a', '0');
    want(&b, "2026-11", STORE_DOC_PERSON, "E1", 'a', '0');
    ck_assert_int_eq(store_registry_allocate(db, &a, 1, NULL, &err), ERR_OK);
    ck_assert_int_eq(store_registry_allocate(db, &b, 1, NULL, &err), ERR_OK);
    ck_assert_str_eq(a.number, "KQ-202610-000001");
    ck_assert_str_eq(b.number, "KQ-202611-000001");
    /* documents of two periods in one call are refused */
    {
        struct store_doc two[2] = {a, b};
        ck_assert_int_eq(store_registry_allocate(db, two, 2, NULL, &err),
                         ERR_INTERNAL);
    }
}
END_TEST

START_TEST(refused_allocation_changes_nothing)
{
    struct store_doc d[3];
    want(&d[0], "2026-10", STORE_DOC_PERSON, "E1", 'a', '0');
    want(&d[1], "2026-10", STORE_DOC_PERSON, "E2", 'b', '0');
    want(&d[2], "2026-10", STORE_DOC_PERSON, "E3", 'c', '0');
    memset(d[1].subject, 'x', sizeof d[1].subject - 1);
    d[1].subject[sizeof d[1].subject - 1] = '\0';
    ck_assert_int_eq(store_registry_allocate(db, d, 3, NULL, &err), ERR_DATA);
    ck_assert_ptr_nonnull(strstr(err.msg, "too long"));
    ck_assert_int_eq((int)count("SELECT count(*) FROM document"), 0);
    /* and the next allocation still starts at 1 */
    want(&d[1], "2026-10", STORE_DOC_PERSON, "E2", 'b', '0');
    ck_assert_int_eq(store_registry_allocate(db, d + 1, 1, NULL, &err), 0);
    ck_assert_str_eq(d[1].number, "KQ-202610-000001");
}
END_TEST

START_TEST(supersede_refusals)
{
    struct store_doc d[2];
    want(&d[0], "2026-10", STORE_DOC_PERSON, "E1", 'a', '0');
    want(&d[1], "2026-10", STORE_DOC_PERSON, "E2", 'b', '0');
    ck_assert_int_eq(store_registry_allocate(db, d, 2, NULL, &err), ERR_OK);
    ck_assert_int_eq(store_registry_supersede(db, d[0].number, d[0].number,
                                              &err), ERR_DATA);
    ck_assert_int_eq(store_registry_supersede(db, d[0].number,
                                              "KQ-202610-000077", &err),
                     ERR_DATA);
    ck_assert_int_eq(store_registry_supersede(db, "KQ-202610-000077",
                                              d[0].number, &err), ERR_DATA);
    ck_assert_int_eq(store_registry_supersede(db, d[0].number, d[1].number,
                                              &err), ERR_OK);
    ck_assert_int_eq((int)count("SELECT count(*) FROM document WHERE "
                                "superseded_by = 'KQ-202610-000002'"), 1);
}
END_TEST

START_TEST(imports_are)
{
    char a[65], b[65], c[65];
    const char *ab[2], *ba[2], *abc[3];
    int same = -1;

    hash_of('a', a);
    hash_of('b', b);
    hash_of('c', c);
    ab[0] = a, ab[1] = b;
    ba[0] = b, ba[1] = a;
    abc[0] = a, abc[1] = b, abc[2] = c;
    /* an empty log */
    ck_assert_int_eq(store_imports_are(db, ab, 2, &same, &err), ERR_OK);
    ck_assert_int_eq(same, 0);
    ck_assert_int_eq(store_exec(db,
        "INSERT INTO import(file,sha256,bytes,started) VALUES"
        "('x','cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc',1,'t'),"
        "('a','aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',1,'t'),"
        "('b','bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',1,'t')",
        &err), ERR_OK);
    ck_assert_int_eq(store_imports_are(db, ab, 2, &same, &err), ERR_OK);
    ck_assert_int_eq(same, 1);
    ck_assert_int_eq(store_imports_are(db, ba, 2, &same, &err), ERR_OK);
    ck_assert_int_eq(same, 0);                  /* another order */
    ck_assert_int_eq(store_imports_are(db, ab + 1, 1, &same, &err), ERR_OK);
    ck_assert_int_eq(same, 1);                  /* b alone was last */
    ck_assert_int_eq(store_imports_are(db, ab, 1, &same, &err), ERR_OK);
    ck_assert_int_eq(same, 0);                  /* a was not last */
    ck_assert_int_eq(store_imports_are(db, abc, 3, &same, &err), ERR_OK);
    ck_assert_int_eq(same, 0);                  /* c came first, not last */
    ck_assert_int_eq(store_imports_are(db, abc, 0, &same, &err), ERR_OK);
    ck_assert_int_eq(same, 0);
}
END_TEST

Suite *suite_registry(void)
{
    Suite *s = suite_create("registry");
    TCase *t = tcase_create("registry");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, schema_and_number_format);
    tcase_add_test(t, allocate_in_order_and_keep);
    tcase_add_test(t, issue_and_lookups);
    tcase_add_test(t, changed_data_or_template_supersedes);
    tcase_add_test(t, periods_have_their_own_sequence);
    tcase_add_test(t, refused_allocation_changes_nothing);
    tcase_add_test(t, supersede_refusals);
    tcase_add_test(t, imports_are);
    suite_add_tcase(s, t);
    return s;
}
