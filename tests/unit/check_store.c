/* check_store -- the store's write side (store_import.c) driven directly
 * with struct rec values: UPSERT semantics (duplicate in one file vs
 * replacement from another), handovers travelling with their customer,
 * value conversion, the SQL checks with and without deletion, rollback
 * leaving the file untouched, and store_import_counts.
 */
#include "unit.h"
#include "err.h"
#include "fsx.h"
#include "record.h"
#include "store.h"
#include "store_import.h"

#include <stdio.h>
#include <string.h>

static char g_db[600];
static struct store *g_s;

static void setup(void)
{
    struct err e;
    const char *d = unit_tmpdir();
    ck_assert_ptr_nonnull(d);
    snprintf(g_db, sizeof g_db, "%s/s.db", d);
    ck_assert_int_eq(store_open(g_db, 0, &g_s, &e), ERR_OK);
}

static void teardown(void)
{
    char dir[600];
    char *slash;
    store_close(g_s);
    snprintf(dir, sizeof dir, "%s", g_db);
    slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    unit_sh("rm -rf '%s'", dir);
}

static long long q(const char *sql)
{
    struct err e;
    long long v = -1;
    ck_assert_msg(store_query_int(g_s, sql, &v, &e) == ERR_OK, "%s", e.msg);
    return v;
}

/* A record of kind k with values v[] (NULL-padded), at line. */
static struct rec mk(enum rec_kind k, long line, const char *parent,
                     const char *v0, const char *v1, const char *v2,
                     const char *v3, const char *v4, const char *v5)
{
    struct rec r;
    memset(&r, 0, sizeof r);
    r.kind = k;
    r.line = line;
    r.parent = parent;
    r.val[0] = v0;
    r.val[1] = v1;
    r.val[2] = v2;
    r.val[3] = v3;
    r.val[4] = v4;
    r.val[5] = v5;
    return r;
}

static long put(const struct rec *r)
{
    struct err e;
    long dup = -1;
    ck_assert_msg(store_import_put(g_s, r, &dup, &e) == ERR_OK, "%s", e.msg);
    return dup;
}

static long long begin_file(const char *name)
{
    struct err e;
    long long id = 0;
    ck_assert_int_eq(store_import_file_begin(g_s, name, NULL, "2026-10", NULL, &id, &e), ERR_OK);
    return id;
}

/* region CN, person E1, customer C1 with contact K1. */
static void base(void)
{
    struct rec r;
    r = mk(REC_REGION, 2, NULL, "CN", "全国", NULL, NULL, NULL, NULL);
    ck_assert_int_eq(put(&r), 0);
    r = mk(REC_PERSON, 3, NULL, "E1", "甲", "sales_rep", "CN", "2020-01-01", NULL);
    ck_assert_int_eq(put(&r), 0);
    r = mk(REC_CUSTOMER, 4, NULL, "C1", "客", "terminal", "A", "CN", "E1");
    ck_assert_int_eq(put(&r), 0);
    r = mk(REC_CONTACT, 5, "C1", "K1", "联", NULL, "true", NULL, "03-12");
    ck_assert_int_eq(put(&r), 0);
}

struct seen {
    int n;
    char lines[16][256];
};

static void seen_fn(void *ctx, const struct store_reject *rj)
{
    struct seen *s = ctx;
    if (s->n < 16)
        snprintf(s->lines[s->n], sizeof s->lines[0], "%s:%ld: %s %s: %s",
                 rj->file, rj->line, record_kind(rj->kind)->element, rj->id, rj->why);
    s->n++;
}

static int seen_has(const struct seen *s, const char *line)
{
    for (int i = 0; i < s->n && i < 16; i++)
        if (!strcmp(s->lines[i], line))
            return 1;
    return 0;
}

START_TEST(test_duplicate_vs_replace)
{
    struct err e;
    struct rec r;
    ck_assert_int_eq(store_begin(g_s, &e), ERR_OK);
    ck_assert_int_eq(store_import_start(g_s, 0, &e), ERR_OK);
    ck_assert_int_eq(begin_file("a.xml"), 1);
    base();
    r = mk(REC_VISIT, 10, NULL, "V1", "E1", "C1", "2026-10-08", "K1", "第一次");
    ck_assert_int_eq(put(&r), 0);
    /* the same id again in the same file: nothing changes, line 10 named */
    r = mk(REC_VISIT, 11, NULL, "V1", "E1", "C1", "2026-10-09", NULL, NULL);
    ck_assert_int_eq(put(&r), 10);
    ck_assert_int_eq(q("SELECT date = '2026-10-08' AND src_line = 10 FROM visit"), 1);
    /* from a second file: replaced, absent values become NULL */
    ck_assert_int_eq(begin_file("b.xml"), 2);
    r = mk(REC_VISIT, 7, NULL, "V1", "E1", "C1", "2026-10-09", NULL, NULL);
    ck_assert_int_eq(put(&r), 0);
    ck_assert_int_eq(q("SELECT count(*) FROM visit"), 1);
    ck_assert_int_eq(q("SELECT date = '2026-10-09' AND contact IS NULL AND purpose IS NULL "
                       "AND import_id = 2 AND src_line = 7 FROM visit"), 1);
    /* a card's key is its contact */
    r = mk(REC_CARD, 8, NULL, "K1", "2025-01-01", NULL, "office", "7", "false");
    ck_assert_int_eq(put(&r), 0);
    r = mk(REC_CARD, 9, NULL, "K1", "2025-02-01", NULL, NULL, NULL, NULL);
    ck_assert_int_eq(put(&r), 8);
    ck_assert_int_eq(q("SELECT family * 10 + interests FROM card"), 70);
    ck_assert_int_eq(q("SELECT typeof(family) = 'integer' AND is_key = 1 FROM card, contact"), 1);
    store_import_stop(g_s);
    store_rollback(g_s);
}
END_TEST

START_TEST(test_handovers_travel_with_customer)
{
    struct err e;
    struct rec r;
    ck_assert_int_eq(store_begin(g_s, &e), ERR_OK);
    ck_assert_int_eq(store_import_start(g_s, 0, &e), ERR_OK);
    begin_file("a.xml");
    base();
    r = mk(REC_CUSTOMER, 20, NULL, "C2", "客二", "channel", "B", "CN", "E1");
    put(&r);
    r = mk(REC_HANDOVER, 21, "C2", "E1", "E1", "2026-10-01", NULL, NULL, NULL);
    put(&r);
    r = mk(REC_HANDOVER, 22, "C2", "E1", "E1", "2026-10-02", NULL, NULL, NULL);
    put(&r);
    ck_assert_int_eq(q("SELECT group_concat(seq || date, ',') = '12026-10-01,22026-10-02' "
                       "FROM (SELECT * FROM handover ORDER BY seq)"), 1);
    /* a duplicate customer in the same file: its handovers are not stored */
    r = mk(REC_CUSTOMER, 30, NULL, "C2", "客二", "channel", "B", "CN", "E1");
    ck_assert_int_eq(put(&r), 20);
    r = mk(REC_HANDOVER, 31, "C2", "E1", "E1", "2026-10-03", NULL, NULL, NULL);
    put(&r);
    ck_assert_int_eq(q("SELECT count(*) FROM handover"), 2);
    /* the customer from another file: its handover list replaces the old */
    begin_file("b.xml");
    r = mk(REC_CUSTOMER, 3, NULL, "C2", "客二", "channel", "C", "CN", "E1");
    ck_assert_int_eq(put(&r), 0);
    r = mk(REC_HANDOVER, 4, "C2", "E1", "E1", "2026-10-05", NULL, NULL, NULL);
    put(&r);
    ck_assert_int_eq(q("SELECT count(*) FROM handover"), 1);
    ck_assert_int_eq(q("SELECT seq = 1 AND date = '2026-10-05' AND src_line = 4 FROM handover"), 1);
    store_import_stop(g_s);
    store_rollback(g_s);
}
END_TEST

START_TEST(test_checks_report_and_delete)
{
    struct err e;
    struct rec r;
    struct seen seen;
    long long nbad = -1;
    memset(&seen, 0, sizeof seen);
    ck_assert_int_eq(store_begin(g_s, &e), ERR_OK);
    ck_assert_int_eq(store_import_start(g_s, 1, &e), ERR_OK);
    begin_file("a.xml");
    base();
    r = mk(REC_PERSON, 6, NULL, "E2", "乙", "sales_rep", "CN", "2020-01-01", "E9");
    put(&r);
    r = mk(REC_CUSTOMER, 7, NULL, "C2", "客二", "channel", "B", "CN", "E2");
    put(&r);
    r = mk(REC_VISIT, 8, NULL, "V1", "E1", "C2", "2026-10-08", NULL, NULL);
    put(&r);
    r = mk(REC_VISIT, 9, NULL, "V2", "E1", "C1", "2026-10-08", NULL, NULL);
    put(&r);
    /* report only */
    ck_assert_int_eq(store_import_check(g_s, 0, seen_fn, &seen, &nbad, &e), ERR_OK);
    ck_assert_int_eq(nbad, 1);
    ck_assert_int_eq(seen.n, 1);
    ck_assert(seen_has(&seen, "a.xml:6: person E2: unknown person E9 (manager)"));
    /* delete: E2 goes, then C2 (its owner), then V1 (its customer) */
    memset(&seen, 0, sizeof seen);
    ck_assert_int_eq(store_import_check(g_s, 1, seen_fn, &seen, &nbad, &e), ERR_OK);
    ck_assert_int_eq(nbad, 3);
    ck_assert(seen_has(&seen, "a.xml:7: customer C2: unknown person E2 (owner)"));
    ck_assert(seen_has(&seen, "a.xml:8: visit V1: unknown customer C2"));
    ck_assert_int_eq(q("SELECT count(*) FROM person"), 1);
    ck_assert_int_eq(q("SELECT group_concat(id) = 'V2' FROM visit"), 1);
    ck_assert_int_eq(store_commit(g_s, &e), ERR_OK);
    store_import_stop(g_s);
    ck_assert_int_eq(q("SELECT count(*) FROM pragma_foreign_key_check"), 0);
}
END_TEST

START_TEST(test_rollback_leaves_file)
{
    struct err e;
    struct rec r;
    char before[65], after[65];
    long long b1, b2, counts[REC_NKINDS];
    ck_assert_int_eq(fsx_sha256_file(g_db, before, &b1, &e), ERR_OK);
    ck_assert_int_eq(store_begin(g_s, &e), ERR_OK);
    ck_assert_int_eq(store_import_start(g_s, 0, &e), ERR_OK);
    begin_file("a.xml");
    base();
    for (int i = 0; i < 20000; i++) {    /* enough to spill the cache */
        char id[16];
        snprintf(id, sizeof id, "V%d", i);
        r = mk(REC_VISIT, 10 + i, NULL, id, "E1", "C1", "2026-10-08", NULL,
               "一段足够长的拜访目的文字，用来让页面溢出缓存写入文件");
        put(&r);
    }
    ck_assert_int_eq(store_import_counts(g_s, counts, &e), ERR_OK);
    ck_assert_int_eq(counts[REC_VISIT], 20000);
    ck_assert_int_eq(counts[REC_CONTACT], 1);
    store_import_stop(g_s);
    store_rollback(g_s);
    ck_assert_int_eq(fsx_sha256_file(g_db, after, &b2, &e), ERR_OK);
    ck_assert_str_eq(before, after);
    ck_assert_int_eq(b1, b2);
    ck_assert_int_eq(store_import_counts(g_s, counts, &e), ERR_OK);
    ck_assert_int_eq(counts[REC_VISIT], 0);
}
END_TEST

START_TEST(test_schema_has_import_columns)
{
    /* every record table carries import_id and src_line (traceability) */
    for (int k = 0; k < REC_NKINDS; k++) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM pragma_table_info('%s') "
                 "WHERE name IN ('import_id','src_line')", record_kind((enum rec_kind)k)->table);
        ck_assert_int_eq(q(sql), 2);
    }
    ck_assert_int_eq(q("SELECT count(*) FROM pragma_foreign_key_list('visit')"), 4);
}
END_TEST

Suite *suite_store(void)
{
    Suite *s = suite_create("store");
    TCase *t = tcase_create("store_import");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, test_duplicate_vs_replace);
    tcase_add_test(t, test_handovers_travel_with_customer);
    tcase_add_test(t, test_checks_report_and_delete);
    tcase_add_test(t, test_rollback_leaves_file);
    tcase_add_test(t, test_schema_has_import_columns);
    suite_add_tcase(s, t);
    return s;
}
