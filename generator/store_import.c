/* store_import -- the write side of an import run (see store_import.h).
 *
 * Statements are generated once per run from the record table: for kind k
 * with fields f0..fn (f0 the key) the UPSERT is
 *
 *   INSERT INTO t([customer,] f0..fn, [note,] import_id, src_line)
 *   VALUES(?1..)
 *   ON CONFLICT(f0) DO UPDATE SET f1=excluded.f1, ... , src_line=...
 *   WHERE t.import_id <> excluded.import_id
 *
 * so sqlite3_changes() == 0 means "same key earlier in this very file".
 * Values are bound SQLITE_STATIC: each call binds every parameter again
 * before stepping, so no statement ever reads a stale pointer.
 *
 * The checks of store_import_check are generated from the same table:
 * each returns (rowid, key, src_line, file, import_id, reason) for the rows
 * of this run (import_id >= the run's first) that fail.
 */
#include "store_import.h"
#include "store.h"
#include "store_int.h"
#include "buf.h"
#include "err.h"
#include "mem.h"

#include <stdio.h>
#include <string.h>

#define SQL_MAX 8192
#define PATH_SHOW 8          /* ids shown in a cycle message */

struct imp_state {
    sqlite3_stmt *up[REC_NKINDS];    /* UPSERT (handover: INSERT) */
    sqlite3_stmt *line[REC_NKINDS];  /* src_line of a key (lazy) */
    sqlite3_stmt *del_handover;
    sqlite3_stmt *ins_import, *end_import;
    sqlite3_stmt *keep[REC_NKINDS];  /* save the pre-run row (skip mode) */
    long long first_import;          /* first import id of the run */
    long long cur_import;
    int customer_stored;             /* last customer was stored */
    int seq;                         /* handover seq within it */
};

/* ---- statement generation ------------------------------------------- */

static const char *key_column(const struct kind_def *kd)
{
    return kd->kind == REC_HANDOVER ? "customer" : kd->fields[0].column;
}

/* Columns in bind order: [customer] fields [note] import_id src_line. */
static int build_upsert(const struct kind_def *kd, struct buf *b)
{
    int rc = 0, n = 0;
    int parent = kd->kind == REC_CONTACT || kd->kind == REC_HANDOVER;

    rc |= buf_printf(b, "INSERT INTO %s(", kd->table);
    if (parent)
        rc |= buf_printf(b, "customer,%s", kd->kind == REC_HANDOVER ? "seq," : "");
    for (int i = 0; i < kd->nfields; i++)
        rc |= buf_printf(b, "%s,", kd->fields[i].column);
    if (kd->has_text)
        rc |= buf_puts(b, "note,");
    rc |= buf_puts(b, "import_id,src_line) VALUES(");
    n = kd->nfields + 2 + parent + (kd->kind == REC_HANDOVER) + kd->has_text;
    for (int i = 1; i <= n; i++)
        rc |= buf_printf(b, "?%d%s", i, i < n ? "," : ")");
    if (kd->kind == REC_HANDOVER)
        return rc;
    rc |= buf_printf(b, " ON CONFLICT(%s) DO UPDATE SET ", key_column(kd));
    if (parent)
        rc |= buf_puts(b, "customer=excluded.customer,");
    for (int i = 1; i < kd->nfields; i++)
        rc |= buf_printf(b, "%s=excluded.%s,", kd->fields[i].column,
                         kd->fields[i].column);
    if (kd->has_text)
        rc |= buf_puts(b, "note=excluded.note,");
    rc |= buf_printf(b, "import_id=excluded.import_id,"
                     "src_line=excluded.src_line WHERE %s.import_id <> "
                     "excluded.import_id", kd->table);
    return rc;
}

static struct imp_state *state(struct store *s)
{
    return s->imp;
}

/* Skip mode: temp.kq_old_<table> receives the version a row had before
 * this run, the first time the run replaces it, so that a rejected
 * replacement can be undone. */
static int prepare_keep(struct store *s, struct imp_state *st, struct err *e)
{
    int rc = ERR_OK;
    for (int k = 0; k < REC_NKINDS && !rc; k++) {
        const struct kind_def *kd = record_kind((enum rec_kind)k);
        char sql[512];
        snprintf(sql, sizeof sql,
                 "CREATE TEMP TABLE IF NOT EXISTS kq_old_%s AS "
                 "SELECT * FROM main.%s WHERE 0; DELETE FROM temp.kq_old_%s",
                 kd->table, kd->table, kd->table);
        rc = store_exec(s, sql, e);
        if (rc)
            break;
        snprintf(sql, sizeof sql,
                 "INSERT INTO temp.kq_old_%s SELECT * FROM main.%s "
                 "WHERE %s=?1 AND import_id < ?2",
                 kd->table, kd->table, key_column(kd));
        rc = store_prepare(s, sql, &st->keep[k], e);
    }
    return rc;
}

int store_import_start(struct store *s, int keep_old, struct err *e)
{
    struct imp_state *st;
    struct buf b;
    int rc = ERR_OK;

    store_import_stop(s);
    st = mem_calloc(1, sizeof *st);
    if (!st)
        return err_set(e, ERR_NOMEM, "%s: out of memory", s->path);
    s->imp = st;
    buf_init(&b, SQL_MAX);
    for (int k = 0; k < REC_NKINDS && !rc; k++) {
        buf_reset(&b);
        if (build_upsert(record_kind((enum rec_kind)k), &b)) {
            rc = err_set(e, ERR_NOMEM, "%s: out of memory", s->path);
            break;
        }
        rc = store_prepare(s, buf_str(&b), &st->up[k], e);
    }
    buf_free(&b);
    if (!rc && keep_old)
        rc = prepare_keep(s, st, e);
    if (!rc)
        rc = store_prepare(s, "DELETE FROM handover WHERE customer=?1",
                           &st->del_handover, e);
    if (!rc)
        rc = store_prepare(s,
                           "INSERT INTO import(file,sha256,bytes,company,"
                           "period,exported,started) VALUES(?1,'',0,?2,?3,?4,"
                           "strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                           &st->ins_import, e);
    if (!rc)
        rc = store_prepare(s,
                           "UPDATE import SET sha256=?2,bytes=?3,seconds=?4,"
                           "records=?5,rejected=?6,counts=?7 WHERE id=?1",
                           &st->end_import, e);
    if (rc)
        store_import_stop(s);
    return rc;
}

void store_import_stop(struct store *s)
{
    struct imp_state *st = state(s);
    if (!st)
        return;
    for (int k = 0; k < REC_NKINDS; k++) {
        sqlite3_finalize(st->up[k]);
        sqlite3_finalize(st->line[k]);
        sqlite3_finalize(st->keep[k]);
    }
    sqlite3_finalize(st->del_handover);
    sqlite3_finalize(st->ins_import);
    sqlite3_finalize(st->end_import);
    if (st->keep[0]) {
        for (int k = 0; k < REC_NKINDS; k++) {
            char sql[128];
            snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS temp.kq_old_%s",
                     record_kind((enum rec_kind)k)->table);
            store_exec(s, sql, NULL);
        }
    }
    mem_free(st);
    s->imp = NULL;
}

/* ---- import rows ------------------------------------------------------ */

static void bind_opt_text(sqlite3_stmt *q, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, i);
}

/* Step a statement that returns no row, then reset it. */
static int step_done(struct store *s, sqlite3_stmt *q, const char *what,
                     struct err *e)
{
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return store_sqlerr(s, rc, what, e);
    return ERR_OK;
}

int store_import_file_begin(struct store *s, const char *file,
                            const char *company, const char *period,
                            const char *exported, long long *import_id,
                            struct err *e)
{
    struct imp_state *st = state(s);
    int rc;

    if (!st)
        return err_set(e, ERR_INTERNAL, "store_import_file_begin before start");
    bind_opt_text(st->ins_import, 1, file);
    bind_opt_text(st->ins_import, 2, company);
    bind_opt_text(st->ins_import, 3, period);
    bind_opt_text(st->ins_import, 4, exported);
    if ((rc = step_done(s, st->ins_import, "record the import", e)))
        return rc;
    st->cur_import = sqlite3_last_insert_rowid(s->db);
    if (!st->first_import)
        st->first_import = st->cur_import;
    st->customer_stored = 0;
    *import_id = st->cur_import;
    return ERR_OK;
}

int store_import_file_end(struct store *s, long long import_id,
                          const char *sha256, long long bytes, double seconds,
                          long long records, long long rejected,
                          const char *counts, struct err *e)
{
    struct imp_state *st = state(s);
    sqlite3_stmt *q;

    if (!st || !st->first_import || import_id < st->first_import)
        return err_set(e, ERR_INTERNAL, "store_import_file_end: no such file");
    q = st->end_import;
    sqlite3_bind_int64(q, 1, import_id);
    bind_opt_text(q, 2, sha256 ? sha256 : "");
    sqlite3_bind_int64(q, 3, bytes);
    sqlite3_bind_double(q, 4, seconds);
    sqlite3_bind_int64(q, 5, records);
    sqlite3_bind_int64(q, 6, rejected);
    bind_opt_text(q, 7, counts);
    return step_done(s, q, "complete the import record", e);
}

/* ---- records ------------------------------------------------------------ */

static void bind_value(sqlite3_stmt *q, int i, const struct fld *f,
                       const char *v)
{
    if (!v) {
        sqlite3_bind_null(q, i);
    } else if (f->type == FT_BOOL) {
        sqlite3_bind_int(q, i, strcmp(v, "true") == 0);
    } else if (f->type == FT_COUNT) {
        int n = 0;
        for (const char *p = v; *p >= '0' && *p <= '9' && n < 100000; p++)
            n = n * 10 + (*p - '0');
        sqlite3_bind_int(q, i, n);
    } else {
        sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC);
    }
}

/* The line of the row stored under key by the current file. */
static long earlier_line(struct store *s, const struct kind_def *kd,
                         const char *key)
{
    struct imp_state *st = state(s);
    sqlite3_stmt **q = &st->line[kd->kind];
    long line = 0;

    if (!*q) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT src_line FROM %s WHERE %s=?1",
                 kd->table, key_column(kd));
        if (sqlite3_prepare_v2(s->db, sql, -1, q, NULL) != SQLITE_OK)
            return 0;
    }
    sqlite3_bind_text(*q, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(*q) == SQLITE_ROW)
        line = (long)sqlite3_column_int64(*q, 0);
    sqlite3_reset(*q);
    return line > 0 ? line : 1;
}

static int put_handover(struct store *s, const struct rec *r, struct err *e)
{
    struct imp_state *st = state(s);
    const struct kind_def *kd = record_kind(REC_HANDOVER);
    sqlite3_stmt *q = st->up[REC_HANDOVER];

    if (!st->customer_stored || !r->parent)
        return ERR_OK;          /* its customer was not stored */
    sqlite3_bind_text(q, 1, r->parent, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 2, ++st->seq);
    for (int i = 0; i < kd->nfields; i++)
        bind_value(q, 3 + i, &kd->fields[i], r->val[i]);
    sqlite3_bind_int64(q, 3 + kd->nfields, st->cur_import);
    sqlite3_bind_int64(q, 4 + kd->nfields, r->line);
    return step_done(s, q, "store handover", e);
}

/* Skip mode: save the stored version of key (and, for a customer, its
 * handovers) if it predates this run. */
static int keep_old(struct store *s, enum rec_kind k, const char *key,
                    struct err *e)
{
    struct imp_state *st = state(s);
    int rc;
    if (!st->keep[k])
        return ERR_OK;
    sqlite3_bind_text(st->keep[k], 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st->keep[k], 2, st->first_import);
    rc = step_done(s, st->keep[k], "keep the previous version", e);
    if (!rc && k == REC_CUSTOMER && st->keep[REC_HANDOVER]) {
        sqlite3_bind_text(st->keep[REC_HANDOVER], 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st->keep[REC_HANDOVER], 2, st->first_import);
        rc = step_done(s, st->keep[REC_HANDOVER], "keep the previous version", e);
    }
    return rc;
}

int store_import_put(struct store *s, const struct rec *r, long *dup_line,
                     struct err *e)
{
    struct imp_state *st = state(s);
    const struct kind_def *kd = record_kind(r->kind);
    sqlite3_stmt *q;
    int i, p = 1, rc;

    *dup_line = 0;
    if (!st || !kd || !st->cur_import)
        return err_set(e, ERR_INTERNAL, "store_import_put outside a file");
    if (r->kind == REC_HANDOVER)
        return put_handover(s, r, e);
    if (r->val[0] && (rc = keep_old(s, r->kind, r->val[0], e)))
        return rc;
    q = st->up[r->kind];
    if (r->kind == REC_CONTACT)
        bind_opt_text(q, p++, r->parent);
    for (i = 0; i < kd->nfields; i++)
        bind_value(q, p++, &kd->fields[i], r->val[i]);
    if (kd->has_text)
        bind_opt_text(q, p++, r->text);
    sqlite3_bind_int64(q, p++, st->cur_import);
    sqlite3_bind_int64(q, p, r->line);
    rc = step_done(s, q, "store record", e);
    if (rc)
        return rc;
    if (sqlite3_changes(s->db) == 0)
        *dup_line = earlier_line(s, kd, r->val[0]);
    if (r->kind == REC_CUSTOMER) {
        st->customer_stored = *dup_line == 0;
        st->seq = 0;
        if (st->customer_stored) {
            sqlite3_bind_text(st->del_handover, 1, r->val[0], -1, SQLITE_STATIC);
            rc = step_done(s, st->del_handover, "replace handovers", e);
        }
    }
    return rc;
}

/* ---- checks ------------------------------------------------------------- */

/* One pass's bookkeeping: refused rows go into temp.kq_bad (kind, rowid),
 * once each. */
struct pass {
    struct store *s;
    store_reject_fn fn;
    void *ctx;
    sqlite3_stmt *mark;       /* INSERT OR IGNORE INTO kq_bad */
    sqlite3_stmt *parent_of[REC_NKINDS]; /* cycle walks (region, person) */
    long long bad;            /* distinct rows refused in this pass */
};

/* The reason text for a cycle check: walk the parent/manager chain from
 * id; "has a cycle: A -> B -> A" when it comes back, else "runs into". */
static void cycle_reason(struct pass *ps, enum rec_kind k, const char *id,
                         char *out, size_t n)
{
    const char *what = k == REC_REGION ? "region tree" : "manager chain";
    sqlite3_stmt *q = ps->parent_of[k];
    char cur[REC_ID_MAX + 1];
    struct buf path;
    int back = 0;

    buf_init(&path, 512);
    snprintf(cur, sizeof cur, "%s", id);
    buf_puts(&path, id);
    for (int step = 0; q && step < 1000; step++) {
        const unsigned char *next;
        sqlite3_bind_text(q, 1, cur, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(q) != SQLITE_ROW ||
            !(next = sqlite3_column_text(q, 0))) {
            sqlite3_reset(q);
            break;
        }
        snprintf(cur, sizeof cur, "%s", (const char *)next);
        sqlite3_reset(q);
        if (step < PATH_SHOW)
            buf_printf(&path, " -> %s", cur);
        else if (step == PATH_SHOW)
            buf_puts(&path, " -> ...");
        if (strcmp(cur, id) == 0) {
            back = 1;
            if (step >= PATH_SHOW)
                buf_printf(&path, " -> %s", cur);
            break;
        }
    }
    if (back)
        snprintf(out, n, "%s has a cycle: %s", what, buf_str(&path));
    else
        snprintf(out, n, "%s runs into a cycle above it", what);
    buf_free(&path);
}

/* Run one check query (?1 = first import id of the run) and report and
 * mark every row it returns. */
static int run_check(struct pass *ps, enum rec_kind k, const char *sql,
                     int cycle, struct err *e)
{
    struct store *s = ps->s;
    struct imp_state *st = state(s);
    sqlite3_stmt *q;
    int rc = store_prepare(s, sql, &q, e);

    if (rc)
        return rc;
    sqlite3_bind_int64(q, 1, st->first_import);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        struct store_reject rj;
        char why[ERR_MSG_MAX];
        const char *id = (const char *)sqlite3_column_text(q, 1);
        const char *file = (const char *)sqlite3_column_text(q, 3);
        const char *reason = (const char *)sqlite3_column_text(q, 5);

        rj.kind = k;
        rj.id = id ? id : "";
        rj.file = file ? file : "";
        rj.line = (long)sqlite3_column_int64(q, 2);
        rj.import_id = sqlite3_column_int64(q, 4);
        if (cycle) {
            cycle_reason(ps, k, rj.id, why, sizeof why);
            reason = why;
        }
        rj.why = reason ? reason : "invalid";
        sqlite3_bind_int(ps->mark, 1, (int)k);
        sqlite3_bind_int64(ps->mark, 2, sqlite3_column_int64(q, 0));
        sqlite3_bind_text(ps->mark, 3, rj.id, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(ps->mark) != SQLITE_DONE) {
            sqlite3_reset(ps->mark);
            rc = SQLITE_ERROR;
            break;
        }
        sqlite3_reset(ps->mark);
        rj.first = sqlite3_changes(s->db) > 0;
        ps->bad += rj.first;
        if (ps->fn)
            ps->fn(ps->ctx, &rj);
    }
    if (rc != SQLITE_DONE) {
        rc = store_sqlerr(s, rc, "check references", e);
        sqlite3_finalize(q);
        return rc;
    }
    sqlite3_finalize(q);
    return ERR_OK;
}

/* The status of an SQL text built with buf appends (a failed append
 * sticks, buf.h): never prepare a cut statement. */
static int sql_built(const struct buf *b, struct err *e)
{
    if (buf_status(b) == ERR_NOMEM)
        return err_set(e, ERR_NOMEM, "checking the records: out of memory");
    if (buf_status(b))
        return err_set(e, ERR_INTERNAL, "checking the records: a check's "
                       "SQL is longer than %d bytes", SQL_MAX);
    return ERR_OK;
}

#define CHECK_SELECT(b, kd)                                                   \
    buf_printf(b, "SELECT t.rowid, t.%s, t.src_line, i.file, t.import_id, ",  \
               key_column(kd))
#define CHECK_FROM(b, kd)                                                     \
    buf_printf(b, " FROM %s t JOIN import i ON i.id = t.import_id "           \
               "WHERE t.import_id >= ?1", (kd)->table)

/* Unknown references of one column: col refers to the key of target. */
static int check_ref(struct pass *ps, const struct kind_def *kd,
                     const char *col, const char *attr,
                     const struct kind_def *target, struct err *e)
{
    struct buf b;
    int rc;

    buf_init(&b, SQL_MAX);
    CHECK_SELECT(&b, kd);
    buf_printf(&b, "'unknown %s ' || t.%s", target->element, col);
    if (strcmp(attr, target->element) != 0)
        buf_printf(&b, " || ' (%s)'", attr);
    CHECK_FROM(&b, kd);
    buf_printf(&b, " AND t.%s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %s r "
               "WHERE r.%s = t.%s) ORDER BY t.import_id, t.src_line",
               col, target->table, key_column(target), col);
    if (!(rc = sql_built(&b, e)))
        rc = run_check(ps, kd->kind, buf_str(&b), 0, e);
    buf_free(&b);
    return rc;
}

/* A visit/greeting/check contact must belong to the record's customer. */
static int check_contact_owner(struct pass *ps, const struct kind_def *kd,
                               struct err *e)
{
    struct buf b;
    int rc;

    buf_init(&b, SQL_MAX);
    CHECK_SELECT(&b, kd);
    buf_puts(&b, "'contact ' || t.contact || ' belongs to customer ' || "
             "c.customer || ', not ' || t.customer");
    buf_printf(&b, " FROM %s t JOIN import i ON i.id = t.import_id JOIN "
               "contact c ON c.id = t.contact WHERE t.import_id >= ?1 AND "
               "c.customer <> t.customer ORDER BY t.import_id, t.src_line",
               kd->table);
    if (!(rc = sql_built(&b, e)))
        rc = run_check(ps, kd->kind, buf_str(&b), 0, e);
    buf_free(&b);
    return rc;
}

static int check_root(struct pass *ps, struct err *e)
{
    static const char sql[] =
        "SELECT t.rowid, t.id, t.src_line, i.file, t.import_id, "
        "'a second root region (no parent); the tree has one root, ' || "
        "(SELECT id FROM region WHERE parent IS NULL "
        " ORDER BY import_id, src_line, rowid LIMIT 1) "
        "FROM region t JOIN import i ON i.id = t.import_id "
        "WHERE t.import_id >= ?1 AND t.parent IS NULL AND t.rowid <> "
        "(SELECT rowid FROM region WHERE parent IS NULL "
        " ORDER BY import_id, src_line, rowid LIMIT 1) "
        "ORDER BY t.import_id, t.src_line";
    return run_check(ps, REC_REGION, sql, 0, e);
}

/* Rows of this run not reachable from a top (no parent, or a parent that
 * does not exist -- reported by check_ref instead) lie in or under a
 * cycle. */
static int check_cycles(struct pass *ps, enum rec_kind k, struct err *e)
{
    const char *t = k == REC_REGION ? "region" : "person";
    const char *up = k == REC_REGION ? "parent" : "manager";
    char sql[1024];

    snprintf(sql, sizeof sql,
             "WITH RECURSIVE reach(id) AS ("
             " SELECT id FROM %s WHERE %s IS NULL OR %s NOT IN "
             " (SELECT id FROM %s)"
             " UNION SELECT c.id FROM %s c JOIN reach ON c.%s = reach.id) "
             "SELECT t.rowid, t.id, t.src_line, i.file, t.import_id, NULL "
             "FROM %s t JOIN import i ON i.id = t.import_id "
             "WHERE t.import_id >= ?1 AND t.id NOT IN (SELECT id FROM reach) "
             "ORDER BY t.import_id, t.src_line",
             t, up, up, t, t, up, t);
    return run_check(ps, k, sql, 1, e);
}

static int check_pass(struct pass *ps, struct err *e)
{
    int rc = ERR_OK;

    for (int k = 0; k < REC_NKINDS && !rc; k++) {
        const struct kind_def *kd = record_kind((enum rec_kind)k);
        int has_contact = 0, has_customer = 0;
        if (k == REC_CONTACT || k == REC_HANDOVER)
            rc = check_ref(ps, kd, "customer", "customer",
                           record_kind(REC_CUSTOMER), e);
        for (int i = 0; i < kd->nfields && !rc; i++) {
            const struct fld *f = &kd->fields[i];
            if (f->type != FT_REF)
                continue;
            has_contact |= f->ref == REC_CONTACT;
            has_customer |= f->ref == REC_CUSTOMER;
            rc = check_ref(ps, kd, f->column, f->attr, record_kind(f->ref), e);
        }
        if (!rc && has_contact && has_customer && k != REC_CARD)
            rc = check_contact_owner(ps, kd, e);
    }
    if (!rc)
        rc = check_root(ps, e);
    if (!rc)
        rc = check_cycles(ps, REC_REGION, e);
    if (!rc)
        rc = check_cycles(ps, REC_PERSON, e);
    return rc;
}

/* Delete the rows marked in this pass (customers take their handovers),
 * then put back the pre-run version of each, if one was kept. */
static int delete_marked(struct store *s, int restore, struct err *e)
{
    char sql[768];
    int rc;

    snprintf(sql, sizeof sql,
             "DELETE FROM handover WHERE customer IN (SELECT key FROM "
             "temp.kq_bad WHERE k = %d)", (int)REC_CUSTOMER);
    rc = store_exec(s, sql, e);
    for (int k = 0; k < REC_NKINDS && !rc; k++) {
        const struct kind_def *kd = record_kind((enum rec_kind)k);
        snprintf(sql, sizeof sql,
                 "DELETE FROM %s WHERE rowid IN (SELECT rid FROM "
                 "temp.kq_bad WHERE k = %d)", kd->table, k);
        rc = store_exec(s, sql, e);
        if (rc || !restore || k == REC_HANDOVER)
            continue;
        snprintf(sql, sizeof sql,
                 "INSERT INTO main.%s SELECT * FROM temp.kq_old_%s WHERE %s "
                 "IN (SELECT key FROM temp.kq_bad WHERE k = %d)",
                 kd->table, kd->table, key_column(kd), k);
        rc = store_exec(s, sql, e);
        if (!rc && k == REC_CUSTOMER) {
            snprintf(sql, sizeof sql,
                     "INSERT INTO main.handover SELECT * FROM "
                     "temp.kq_old_handover WHERE customer IN (SELECT key "
                     "FROM temp.kq_bad WHERE k = %d)", k);
            rc = store_exec(s, sql, e);
        }
    }
    return rc;
}

static int prepare_pass(struct pass *ps, struct err *e)
{
    struct store *s = ps->s;
    int rc = store_exec(s,
                        "CREATE TEMP TABLE IF NOT EXISTS kq_bad("
                        "k INTEGER, rid INTEGER, key TEXT, PRIMARY KEY(k, rid));"
                        "DELETE FROM temp.kq_bad;", e);
    if (!rc)
        rc = store_prepare(s, "INSERT OR IGNORE INTO temp.kq_bad VALUES(?1,?2,?3)",
                           &ps->mark, e);
    if (!rc)
        rc = store_prepare(s, "SELECT parent FROM region WHERE id=?1",
                           &ps->parent_of[REC_REGION], e);
    if (!rc)
        rc = store_prepare(s, "SELECT manager FROM person WHERE id=?1",
                           &ps->parent_of[REC_PERSON], e);
    return rc;
}

static void finish_pass(struct pass *ps)
{
    sqlite3_finalize(ps->mark);
    for (int k = 0; k < REC_NKINDS; k++)
        sqlite3_finalize(ps->parent_of[k]);
    memset(ps->parent_of, 0, sizeof ps->parent_of);
    ps->mark = NULL;
}

int store_import_check(struct store *s, int delete_bad, store_reject_fn fn,
                       void *ctx, long long *nbad, struct err *e)
{
    struct imp_state *st = state(s);
    struct pass ps;
    int rc;

    *nbad = 0;
    if (!st)
        return err_set(e, ERR_INTERNAL, "store_import_check before start");
    if (!st->first_import)
        return ERR_OK;          /* no file in this run */
    memset(&ps, 0, sizeof ps);
    ps.s = s;
    ps.fn = fn;
    ps.ctx = ctx;
    rc = prepare_pass(&ps, e);
    while (!rc) {
        ps.bad = 0;
        rc = check_pass(&ps, e);
        if (rc)
            break;
        *nbad += ps.bad;
        if (!delete_bad || ps.bad == 0)
            break;
        rc = delete_marked(s, st->keep[0] != NULL, e);
        if (!rc)
            rc = store_exec(s, "DELETE FROM temp.kq_bad", e);
    }
    finish_pass(&ps);
    store_exec(s, "DROP TABLE IF EXISTS temp.kq_bad", NULL);
    return rc;
}

/* ---- summaries ------------------------------------------------------------ */

/* ---- going backwards ------------------------------------------------------ */

/* The run's last file per period: id, file, period, exported, sha256. */
static const char sql_last_files[] =
    "SELECT i.id, i.file, i.period, i.exported, i.sha256 FROM import i"
    " WHERE i.id >= ?1 AND i.period IS NOT NULL AND i.id = (SELECT max(j.id)"
    " FROM import j WHERE j.id >= ?1 AND j.period = i.period) ORDER BY i.id";

/* An earlier import of the period that is newer by its `exported`. */
static const char sql_newer[] =
    "SELECT p.file, p.exported FROM import p WHERE p.period = ?2"
    " AND p.id < ?1 AND p.exported IS NOT NULL AND ?3 IS NOT NULL"
    " AND julianday(p.exported) > julianday(?3)"
    " ORDER BY julianday(p.exported) DESC, p.id DESC LIMIT 1";

/* Without times to compare: the same file as an earlier import (before
 * this run) that a different import of the period replaced afterwards. */
static const char sql_replaced[] =
    "SELECT x.file FROM import x WHERE x.period = ?2 AND x.id < ?4"
    " AND x.sha256 <> ?5 AND x.id > (SELECT max(p.id) FROM import p"
    " WHERE p.period = ?2 AND p.id < ?4 AND p.sha256 = ?5)"
    " AND (?3 IS NULL OR x.exported IS NULL)"
    " ORDER BY x.id DESC LIMIT 1";

static const char *text_or(sqlite3_stmt *st, int i, const char *none)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return t ? t : none;
}

/* Check one last file (row of sql_last_files in `last`) with the
 * prepared queries q[0] (newer) and q[1] (replaced). */
static int check_one_order(struct store *s, sqlite3_stmt *last,
                           sqlite3_stmt *const *q, long long first,
                           struct err *e)
{
    const char *file = text_or(last, 1, "?"), *period = text_or(last, 2, "?");
    const char *exported = (const char *)sqlite3_column_text(last, 3);
    int rc;

    for (int k = 0; k < 2; k++) {
        sqlite3_reset(q[k]);
        sqlite3_clear_bindings(q[k]);
        sqlite3_bind_int64(q[k], 1, sqlite3_column_int64(last, 0));
        sqlite3_bind_text(q[k], 2, period, -1, SQLITE_TRANSIENT);
        if (exported)
            sqlite3_bind_text(q[k], 3, exported, -1, SQLITE_TRANSIENT);
    }
    sqlite3_bind_int64(q[1], 4, first);
    sqlite3_bind_text(q[1], 5, text_or(last, 4, ""), -1, SQLITE_TRANSIENT);
    if ((rc = sqlite3_step(q[0])) == SQLITE_ROW)
        return err_set(e, ERR_DATA, "%s: this export of %s (exported %s) is "
                       "older than %s (exported %s), imported before: "
                       "importing it would undo that correction; import "
                       "the newer export, or use --allow-older to import "
                       "this one anyway", file, period, exported,
                       text_or(q[0], 0, "?"), text_or(q[0], 1, "?"));
    if (rc != SQLITE_DONE)
        return store_sqlerr(s, rc, "comparing export times", e);
    if ((rc = sqlite3_step(q[1])) == SQLITE_ROW)
        return err_set(e, ERR_DATA, "%s: this export of %s was imported "
                       "before, and %s replaced it afterwards: importing it "
                       "again would undo that correction; import the newer "
                       "export, or use --allow-older to import this one "
                       "anyway", file, period, text_or(q[1], 0, "?"));
    if (rc != SQLITE_DONE)
        return store_sqlerr(s, rc, "comparing exports", e);
    return ERR_OK;
}

int store_import_check_order(struct store *s, int allow_older,
                             struct err *e)
{
    struct imp_state *st = state(s);
    sqlite3_stmt *last = NULL, *q[2] = {NULL, NULL};
    int rc;

    if (!st)
        return err_set(e, ERR_INTERNAL, "store_import_check_order before "
                       "start");
    if (allow_older || !st->first_import)
        return ERR_OK;
    if ((rc = store_prepare(s, sql_last_files, &last, e)) ||
        (rc = store_prepare(s, sql_newer, &q[0], e)) ||
        (rc = store_prepare(s, sql_replaced, &q[1], e)))
        goto done;
    sqlite3_bind_int64(last, 1, st->first_import);
    while (!rc && (rc = sqlite3_step(last)) == SQLITE_ROW)
        rc = check_one_order(s, last, q, st->first_import, e);
    if (rc == SQLITE_DONE)
        rc = ERR_OK;
    else if (rc > 0)
        rc = store_sqlerr(s, rc, "reading this run's imports", e);
done:
    sqlite3_finalize(last);
    sqlite3_finalize(q[0]);
    sqlite3_finalize(q[1]);
    return rc;
}

int store_import_counts(struct store *s, long long counts[REC_NKINDS],
                        struct err *e)
{
    for (int k = 0; k < REC_NKINDS; k++) {
        char sql[128];
        int rc;
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s",
                 record_kind((enum rec_kind)k)->table);
        if ((rc = store_query_int(s, sql, &counts[k], e)))
            return rc;
    }
    return ERR_OK;
}
