/* store_signed -- scans, their pages and the signed copies (see
 * store_signed.h). */
#include "store_signed.h"
#include "err.h"
#include "store.h"
#include "store_int.h"

#include <stdio.h>
#include <string.h>

/* Copy column i of st (may be NULL) into out (n bytes). */
static void col_text(sqlite3_stmt *st, int i, char *out, size_t n)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(out, n, "%s", t ? (const char *)t : "");
}

/* The integer of a query with one text parameter ?1 (0 without a row). */
static int query_int(struct store *s, const char *sql, const char *arg,
                     int *v, struct err *e)
{
    sqlite3_stmt *st;
    int rc = store_prepare(s, sql, &st, e);

    *v = 0;
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW)
        *v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE
               ? ERR_OK : store_sqlerr(s, rc, "reading the signed copies", e);
}

/* Run a write statement to its end. */
static int done(struct store *s, sqlite3_stmt *st, const char *what,
                struct err *e)
{
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ERR_OK : store_sqlerr(s, rc, what, e);
}

int store_signed_scan_known(struct store *s, const char *sha256, int *found,
                            char received[11], struct err *e)
{
    sqlite3_stmt *st;
    int rc = store_prepare(s, "SELECT received FROM scan WHERE sha256 = ?1",
                           &st, e);

    *found = 0;
    received[0] = '\0';
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *found = 1;
        col_text(st, 0, received, 11);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE
               ? ERR_OK : store_sqlerr(s, rc, "looking a scan up", e);
}

/* One parameter of an INSERT: a text (NULL: SQL NULL) or an integer. */
struct param {
    const char *t;
    long long i;
    int is_int;
};
#define T(x) {(x), 0, 0}
#define I(x) {NULL, (x), 1}

/* Run an INSERT with parameters p[0..n) as ?1..?n. */
static int insert(struct store *s, const char *sql, const struct param *p,
                  int n, const char *what, struct err *e)
{
    sqlite3_stmt *st;
    int rc = store_prepare(s, sql, &st, e);

    if (rc)
        return rc;
    for (int k = 0; k < n; k++)
        if (p[k].is_int)
            sqlite3_bind_int64(st, k + 1, p[k].i);
        else if (p[k].t)
            sqlite3_bind_text(st, k + 1, p[k].t, -1, SQLITE_STATIC);
    return done(s, st, what, e);
}

int store_signed_add_scan(struct store *s, const char *sha256,
                          const char *name, const char *received, int pages,
                          const char *path, struct err *e)
{
    const struct param p[] = {T(sha256), T(name), T(received), I(pages),
                              T(path)};
    return insert(s, "INSERT INTO scan (sha256, seq, name, received, pages, "
                  "path) VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM "
                  "scan), ?2, ?3, ?4, ?5)", p, 5, "registering a scan", e);
}

int store_signed_add_page(struct store *s, const struct store_scan_page *p,
                          struct err *e)
{
    const struct param v[] = {
        T(p->scan), I(p->page), T(p->state), T(p->number),
        p->number ? (struct param)I(p->doc_page) : (struct param)T(NULL),
        T(p->signed_fields ? p->signed_fields : ""),
        T(p->blank_fields ? p->blank_fields : ""), T(p->path)};
    return insert(s, "INSERT INTO scan_page (scan, page, state, number, "
                  "doc_page, signed, blank, path) VALUES (?1, ?2, ?3, ?4, "
                  "?5, ?6, ?7, ?8)", v, 8, "registering a scanned page", e);
}

int store_signed_last_version(struct store *s, const char *number,
                              int *version, struct err *e)
{
    return query_int(s, "SELECT coalesce(max(version), 0) FROM "
                                "signed_copy WHERE number = ?1", number,
                                version, e);
}

int store_signed_add_copy(struct store *s, const struct store_signed_copy *c,
                          struct err *e)
{
    const struct param v[] = {
        T(c->number), I(c->version), T(c->path), T(c->sha256), I(c->bytes),
        T(c->pages), I(c->complete), T(c->signed_fields),
        T(c->missing_fields), T(c->received)};
    return insert(s, "INSERT INTO signed_copy (number, version, path, "
                  "sha256, bytes, pages, complete, signed, missing, received)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", v, 10,
                  "registering a signed copy", e);
}

/* ---- reading what came back -------------------------------------------- */

/* The pages, fields and copies of r->number (r's number, kind, subject
 * and pages set) of period. */
static int fill(struct store *s, const char *period, struct store_return *r,
                struct err *e)
{
    sqlite3_stmt *st;
    int rc;

    r->pages_back = r->outdated = r->copies = 0;
    r->outdated_number[0] = r->signed_fields[0] = r->blank_fields[0] = '\0';
    r->scan[0] = r->received[0] = '\0';
    if ((rc = query_int(s, "SELECT count(DISTINCT doc_page) FROM "
                                   "scan_page WHERE number = ?1", r->number,
                                   &r->pages_back, e)) ||
        (rc = query_int(s, "SELECT count(*) FROM signed_copy "
                                   "WHERE number = ?1", r->number,
                                   &r->copies, e)))
        return rc;
    /* the newest scan of the page with the signature fields: the last */
    if ((rc = store_prepare(s, "SELECT p.signed, p.blank, sc.name, p.page, "
                            "sc.received FROM scan_page p JOIN scan sc ON "
                            "sc.sha256 = p.scan WHERE p.number = ?1 AND "
                            "p.doc_page = (CASE WHEN ?2 > 0 THEN ?2 ELSE ("
                            "SELECT max(doc_page) FROM scan_page WHERE "
                            "number = ?1) END) ORDER BY sc.seq DESC, p.page "
                            "DESC LIMIT 1", &st, e)))
        return rc;
    sqlite3_bind_text(st, 1, r->number, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, r->pages);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char name[200];
        col_text(st, 0, r->signed_fields, sizeof r->signed_fields);
        col_text(st, 1, r->blank_fields, sizeof r->blank_fields);
        col_text(st, 2, name, sizeof name);
        snprintf(r->scan, sizeof r->scan, "%s:%d", name,
                 sqlite3_column_int(st, 3));
        col_text(st, 4, r->received, sizeof r->received);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_sqlerr(s, rc, "reading a document's scans", e);
    /* pages of a superseded number of the same document */
    if ((rc = store_prepare(s, "SELECT p.number FROM scan_page p JOIN "
                            "document o ON o.number = p.number JOIN scan sc "
                            "ON sc.sha256 = p.scan WHERE o.period = ?1 AND "
                            "o.kind = ?2 AND o.subject = ?3 AND o.status = "
                            "'superseded' ORDER BY sc.seq DESC LIMIT 1", &st,
                            e)))
        return rc;
    {
        const char *v[] = {period, r->kind, r->subject};
        store_bind_texts(st, v, 3);
    }
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        r->outdated = 1;
        col_text(st, 0, r->outdated_number, sizeof r->outdated_number);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE
               ? ERR_OK : store_sqlerr(s, rc, "reading outdated scans", e);
}

int store_signed_each(struct store *s, const char *period,
                      const char *region,
                      int (*fn)(void *ctx, const struct store_return *r,
                                struct err *e),
                      void *ctx, struct err *e)
{
    sqlite3_stmt *st;
    struct store_return r;
    int rc = store_prepare(s,
        "WITH RECURSIVE sub(id) AS (SELECT ?2 UNION SELECT g.id FROM region "
        "g JOIN sub ON g.parent = sub.id), "
        "doc AS (SELECT d.number, d.kind, d.subject, coalesce(d.pages, 0) "
        "AS pages, CASE d.kind WHEN 'person' THEN coalesce((SELECT t.region "
        "FROM score_total t WHERE t.period = d.period AND t.person = "
        "d.subject), '') ELSE d.subject END AS reg FROM document d WHERE "
        "d.period = ?1 AND d.status <> 'superseded') "
        "SELECT number, kind, subject, pages, reg, coalesce((SELECT t.name "
        "FROM score_total t WHERE t.period = ?1 AND t.person = doc.subject "
        "AND doc.kind = 'person'), '') FROM doc WHERE ?2 IS NULL "
        "OR reg IN (SELECT id FROM sub) ORDER BY number", &st, e);

    if (rc)
        return rc;
    {
        const char *v[] = {period, region};
        store_bind_texts(st, v, 2);
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        memset(&r, 0, sizeof r);
        col_text(st, 0, r.number, sizeof r.number);
        col_text(st, 1, r.kind, sizeof r.kind);
        col_text(st, 2, r.subject, sizeof r.subject);
        r.pages = sqlite3_column_int(st, 3);
        col_text(st, 4, r.region, sizeof r.region);
        col_text(st, 5, r.name, sizeof r.name);
        /* a second statement while this one steps: SQLite allows it */
        if ((rc = fill(s, period, &r, e)) || (rc = fn(ctx, &r, e))) {
            sqlite3_finalize(st);
            return rc;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ERR_OK
                             : store_sqlerr(s, rc, "reading documents", e);
}

int store_signed_copy_by_sha256(struct store *s, const char *sha256,
                                int *found, char number[24], int *version,
                                char received[11], struct err *e)
{
    sqlite3_stmt *st;
    int rc = store_prepare(s, "SELECT number, version, received FROM "
                           "signed_copy WHERE sha256 = ?1 ORDER BY number, "
                           "version LIMIT 1", &st, e);

    *found = *version = 0;
    number[0] = received[0] = '\0';
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *found = 1;
        col_text(st, 0, number, 24);
        *version = sqlite3_column_int(st, 1);
        col_text(st, 2, received, 11);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE
               ? ERR_OK : store_sqlerr(s, rc, "looking a signed copy up", e);
}

int store_signed_any(struct store *s, int *any, struct err *e)
{
    return query_int(s, "SELECT count(*) > 0 FROM scan_page WHERE ?1 IS "
                     "NULL", NULL, any, e);
}

int store_signed_of(struct store *s, const char *number,
                    struct store_return *r, struct err *e)
{
    sqlite3_stmt *st;
    char period[8] = "";
    int rc = store_prepare(s, "SELECT kind, subject, coalesce(pages, 0), "
                           "period FROM document WHERE number = ?1", &st, e);

    memset(r, 0, sizeof *r);
    if (rc)
        return rc;
    snprintf(r->number, sizeof r->number, "%s", number);
    sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        col_text(st, 0, r->kind, sizeof r->kind);
        col_text(st, 1, r->subject, sizeof r->subject);
        r->pages = sqlite3_column_int(st, 2);
        col_text(st, 3, period, sizeof period);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_sqlerr(s, rc, "reading a document", e);
    return fill(s, period, r, e);
}
