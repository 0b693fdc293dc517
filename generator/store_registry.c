/* store_registry -- the registry of issued documents (see
 * store_registry.h).  Every query is on the primary key, the partial
 * unique index document_current (period, kind, subject) or the sha256
 * index, so allocating a period of 10,000 documents costs one indexed
 * lookup (and at most one insert and one update) per document. */
#include "store_registry.h"
#include "store.h"
#include "store_int.h"
#include "err.h"
#include "sha256.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *const kind_names[] = {"person", "region", "packet"};
static const char *const status_names[] = {"allocated", "issued",
                                           "superseded"};

/* The columns every lookup returns, in struct store_doc order. */
#define DOC_COLS                                                       \
    "number, period, seq, kind, subject, path, template, data_hash,"   \
    " sha256, bytes, status, superseded_by, source"

const char *store_doc_kind_name(enum store_doc_kind k)
{
    return (unsigned)k < 3 ? kind_names[k] : "?";
}

const char *store_doc_status_name(enum store_doc_status s)
{
    return (unsigned)s < 3 ? status_names[s] : "?";
}

void store_doc_number(const char *period, int seq,
                      char out[STORE_DOC_NUMBER_MAX])
{
    snprintf(out, STORE_DOC_NUMBER_MAX, "KQ-%.4s%.2s-%06d", period,
             strlen(period) >= 7 ? period + 5 : "00", seq);
}

/* Index of s in names[0..n), or -1. */
static int name_index(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], s))
            return i;
    return -1;
}

static void copy_col(sqlite3_stmt *st, int i, char *out, size_t n)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    snprintf(out, n, "%s", t ? t : "");
}

/* Fill d from a row of DOC_COLS.  ERR_DATA for an unknown kind/status. */
static int read_row(struct store *s, sqlite3_stmt *st, struct store_doc *d,
                    struct err *e)
{
    char kind[16], status[16];
    int k, u;

    memset(d, 0, sizeof *d);
    copy_col(st, 0, d->number, sizeof d->number);
    copy_col(st, 1, d->period, sizeof d->period);
    d->seq = sqlite3_column_int(st, 2);
    copy_col(st, 3, kind, sizeof kind);
    copy_col(st, 4, d->subject, sizeof d->subject);
    copy_col(st, 5, d->path, sizeof d->path);
    copy_col(st, 6, d->tmpl, sizeof d->tmpl);
    copy_col(st, 7, d->data_hash, sizeof d->data_hash);
    copy_col(st, 8, d->sha256, sizeof d->sha256);
    d->bytes = sqlite3_column_type(st, 9) == SQLITE_NULL
                   ? -1 : sqlite3_column_int64(st, 9);
    copy_col(st, 10, status, sizeof status);
    copy_col(st, 11, d->superseded_by, sizeof d->superseded_by);
    copy_col(st, 12, d->source, sizeof d->source);
    k = name_index(kind_names, 3, kind);
    u = name_index(status_names, 3, status);
    if (k < 0 || u < 0)
        return err_set(e, ERR_DATA, "%s: document %s: unknown kind '%s' or "
                       "status '%s'", store_path(s), d->number, kind, status);
    d->kind = (enum store_doc_kind)k;
    d->status = (enum store_doc_status)u;
    return ERR_OK;
}

/* Step a prepared lookup (parameters bound) and read at most one row. */
static int fetch_one(struct store *s, sqlite3_stmt *st, struct store_doc *out,
                     int *found, const char *what, struct err *e)
{
    int rc = sqlite3_step(st);

    *found = 0;
    if (rc == SQLITE_ROW) {
        *found = 1;
        return read_row(s, st, out, e);
    }
    if (rc != SQLITE_DONE)
        return store_sqlerr(s, rc, what, e);
    return ERR_OK;
}

/* A lookup of DOC_COLS by the text parameters key[0..n). */
static int lookup(struct store *s, const char *sql, const char *const *key,
                  int n, struct store_doc *out, int *found, const char *what,
                  struct err *e)
{
    sqlite3_stmt *st;
    struct store_doc d;
    int rc = store_prepare(s, sql, &st, e);

    *found = 0;
    if (rc)
        return rc;
    store_bind_texts(st, key, n);
    rc = fetch_one(s, st, &d, found, what, e);
    sqlite3_finalize(st);
    if (!rc && *found)
        *out = d;
    return rc;
}

int store_registry_by_number(struct store *s, const char *number,
                             struct store_doc *out, int *found,
                             struct err *e)
{
    return lookup(s, "SELECT " DOC_COLS " FROM document WHERE number = ?1",
                  &number, 1, out, found, "looking up a document number", e);
}

int store_registry_by_sha256(struct store *s, const char *sha256,
                             struct store_doc *out, int *found,
                             struct err *e)
{
    return lookup(s, "SELECT " DOC_COLS " FROM document WHERE sha256 = ?1"
                  " ORDER BY period DESC, seq DESC LIMIT 1",
                  &sha256, 1, out, found, "looking up a document hash", e);
}

static const char sql_current[] =
    "SELECT " DOC_COLS " FROM document WHERE period = ?1 AND kind = ?2"
    " AND subject = ?3 AND status <> 'superseded'";

static void bind_key(sqlite3_stmt *st, const char *period,
                     enum store_doc_kind kind, const char *subject)
{
    store_bind_texts(st, (const char *const[]){period,
                                               store_doc_kind_name(kind),
                                               subject}, 3);
}

int store_registry_current(struct store *s, const char *period,
                           enum store_doc_kind kind, const char *subject,
                           struct store_doc *out, int *found,
                           struct err *e)
{
    const char *const key[] = {period, store_doc_kind_name(kind), subject};
    return lookup(s, sql_current, key, 3, out, found,
                  "looking up a current document", e);
}

/* Run a prepared write to completion; ERR_DATA when it changed no row. */
static int write_step(struct store *s, sqlite3_stmt *st, const char *what,
                      const char *number, struct err *e)
{
    int rc = sqlite3_step(st);

    if (rc != SQLITE_DONE)
        return store_sqlerr(s, rc, what, e);
    if (sqlite3_changes(s->db) == 0)
        return err_set(e, ERR_DATA, "%s: %s: document %s is not registered",
                       store_path(s), what, number);
    return ERR_OK;
}

int store_registry_issue(struct store *s, const char *number,
                         const char *sha256, long long bytes,
                         struct err *e)
{
    sqlite3_stmt *st;
    int rc = store_prepare(s,
        "UPDATE document SET sha256 = ?2, bytes = ?3, status ="
        " CASE status WHEN 'superseded' THEN status ELSE 'issued' END"
        " WHERE number = ?1", &st, e);

    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, sha256, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, bytes);
    rc = write_step(s, st, "registering an issued document", number, e);
    sqlite3_finalize(st);
    return rc;
}

int store_registry_boxes(struct store *s, const char *number, int pages,
                         const struct store_doc_box *b, int n,
                         struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc;

    if (n < 0 || n > STORE_BOX_MAX)
        return err_set(e, ERR_DATA, "%s: document %s: %d boxes", store_path(s),
                       number, n);
    rc = store_prepare(s, "UPDATE document SET pages = ?2 WHERE number = ?1",
                       &st, e);
    if (!rc) {
        sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, pages);
        rc = write_step(s, st, "recording a document's pages", number, e);
        sqlite3_finalize(st);
    }
    if (!rc && !(rc = store_prepare(s, "DELETE FROM document_box WHERE "
                                    "number = ?1", &st, e))) {
        sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
        if ((rc = sqlite3_step(st)) != SQLITE_DONE)
            rc = store_sqlerr(s, rc, "recording a document's boxes", e);
        else
            rc = ERR_OK;
        sqlite3_finalize(st);
    }
    if (rc || n == 0 ||
        (rc = store_prepare(s, "INSERT INTO document_box VALUES "
                            "(?1, ?2, ?3, ?4, ?5, ?6, ?7)", &st, e)))
        return rc;
    for (int i = 0; i < n && !rc; i++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, b[i].page);
        sqlite3_bind_text(st, 3, b[i].name, -1, SQLITE_STATIC);
        sqlite3_bind_double(st, 4, b[i].x0);
        sqlite3_bind_double(st, 5, b[i].y0);
        sqlite3_bind_double(st, 6, b[i].x1);
        sqlite3_bind_double(st, 7, b[i].y1);
        rc = write_step(s, st, "recording a document's boxes", number, e);
    }
    sqlite3_finalize(st);
    return rc;
}

int store_registry_boxes_of(struct store *s, const char *number, int *pages,
                            struct store_doc_box *b, int *n, struct err *e)
{
    sqlite3_stmt *st;
    int rc;

    *pages = 0;
    *n = 0;
    if ((rc = store_prepare(s, "SELECT coalesce(pages, 0) FROM document "
                            "WHERE number = ?1", &st, e)))
        return rc;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW)
        *pages = sqlite3_column_int(st, 0);
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE
             ? ERR_OK : store_sqlerr(s, rc, "reading a document's pages", e);
    sqlite3_finalize(st);
    if (rc || (rc = store_prepare(s, "SELECT page, box, x0, y0, x1, y1 FROM "
                                  "document_box WHERE number = ?1 ORDER BY "
                                  "page, box", &st, e)))
        return rc;
    sqlite3_bind_text(st, 1, number, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < STORE_BOX_MAX) {
        struct store_doc_box *x = &b[(*n)++];
        const unsigned char *name = sqlite3_column_text(st, 1);

        x->page = sqlite3_column_int(st, 0);
        snprintf(x->name, sizeof x->name, "%s", name ? (const char *)name
                                                     : "");
        x->x0 = sqlite3_column_double(st, 2);
        x->y0 = sqlite3_column_double(st, 3);
        x->x1 = sqlite3_column_double(st, 4);
        x->y1 = sqlite3_column_double(st, 5);
    }
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE
             ? ERR_OK : store_sqlerr(s, rc, "reading a document's boxes", e);
    sqlite3_finalize(st);
    return rc;
}

/* The UPDATE of store_registry_supersede, on a prepared statement. */
static int supersede_with(struct store *s, sqlite3_stmt *st, const char *old,
                          const char *by, struct err *e)
{
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, old, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, by, -1, SQLITE_STATIC);
    return write_step(s, st, "superseding a document", old, e);
}

static const char sql_supersede[] =
    "UPDATE document SET status = 'superseded', superseded_by = ?2"
    " WHERE number = ?1";

int store_registry_supersede(struct store *s, const char *old,
                             const char *by, struct err *e)
{
    sqlite3_stmt *st;
    struct store_doc d;
    int found, rc;

    if (!strcmp(old, by))
        return err_set(e, ERR_DATA, "%s: document %s cannot supersede "
                       "itself", store_path(s), old);
    if ((rc = store_registry_by_number(s, by, &d, &found, e)))
        return rc;
    if (!found)
        return err_set(e, ERR_DATA, "%s: superseding %s: document %s is not "
                       "registered", store_path(s), old, by);
    if ((rc = store_prepare(s, sql_supersede, &st, e)))
        return rc;
    rc = supersede_with(s, st, old, by, e);
    sqlite3_finalize(st);
    return rc;
}

/* ---- allocation ------------------------------------------------------ */

enum { Q_MAX, Q_CUR, Q_INS, Q_SUP, Q_N };

struct alloc {
    struct store *s;
    sqlite3_stmt *q[Q_N];
    int next;           /* the next free seq of the period */
    struct store_registry_stats st;
};

static int alloc_prepare(struct alloc *a, const char *period, struct err *e)
{
    static const char *const sql[Q_N] = {
        "SELECT COALESCE(MAX(seq), 0) FROM document WHERE period = ?1",
        sql_current,
        "INSERT INTO document(number, period, seq, kind, subject, path,"
        " template, data_hash, status, source) VALUES(?1,?2,?3,?4,?5,?6,?7,"
        "?8,'allocated',NULLIF(?9,''))",
        sql_supersede};
    int rc = ERR_OK;

    for (int i = 0; i < Q_N && !rc; i++)
        rc = store_prepare(a->s, sql[i], &a->q[i], e);
    if (rc)
        return rc;
    sqlite3_bind_text(a->q[Q_MAX], 1, period, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(a->q[Q_MAX])) != SQLITE_ROW)
        return store_sqlerr(a->s, rc, "reading the highest document number",
                            e);
    a->next = sqlite3_column_int(a->q[Q_MAX], 0) + 1;
    return ERR_OK;
}

/* Insert d as a new 'allocated' entry with the next number. */
static int alloc_new(struct alloc *a, struct store_doc *d, struct err *e)
{
    sqlite3_stmt *st = a->q[Q_INS];
    int rc;

    if (a->next > STORE_DOC_SEQ_MAX)
        return err_set(e, ERR_DATA, "%s: period %s: more than %d document "
                       "numbers", store_path(a->s), d->period,
                       STORE_DOC_SEQ_MAX);
    d->seq = a->next++;
    store_doc_number(d->period, d->seq, d->number);
    d->sha256[0] = d->superseded_by[0] = '\0';
    d->bytes = -1;
    d->status = STORE_DOC_ALLOCATED;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, d->number, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, d->period, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, d->seq);
    sqlite3_bind_text(st, 4, store_doc_kind_name(d->kind), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, d->subject, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, d->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, d->tmpl, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, d->data_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, d->source, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(st)) != SQLITE_DONE)
        return store_sqlerr(a->s, rc, "registering a document number", e);
    a->st.allocated++;
    return ERR_OK;
}

/* One document: keep its current entry, or allocate a new number and
 * supersede the old entry. */
static int alloc_one(struct alloc *a, struct store_doc *d, struct err *e)
{
    struct store_doc cur;
    int found, rc;

    if (strlen(d->subject) >= STORE_DOC_SUBJECT_MAX - 1 ||
        strlen(d->path) >= STORE_DOC_PATH_MAX - 1)
        return err_set(e, ERR_DATA, "%s: document %s: subject or path too "
                       "long", store_path(a->s), d->subject);
    bind_key(a->q[Q_CUR], d->period, d->kind, d->subject);
    rc = fetch_one(a->s, a->q[Q_CUR], &cur, &found,
                   "looking up a current document", e);
    sqlite3_reset(a->q[Q_CUR]);
    if (rc)
        return rc;
    if (found && !strcmp(cur.path, d->path) && !strcmp(cur.tmpl, d->tmpl) &&
        !strcmp(cur.data_hash, d->data_hash)) {
        *d = cur;
        a->st.kept++;
        return ERR_OK;
    }
    if (found) {
        char next[STORE_DOC_NUMBER_MAX];
        store_doc_number(d->period, a->next, next);
        /* mark first: the partial unique index allows one current entry */
        if ((rc = supersede_with(a->s, a->q[Q_SUP], cur.number, next, e)))
            return rc;
        a->st.superseded++;
    }
    return alloc_new(a, d, e);
}

int store_registry_allocate(struct store *s, struct store_doc *docs,
                            size_t n, struct store_registry_stats *st,
                            struct err *e)
{
    struct alloc a;
    int rc;

    memset(&a, 0, sizeof a);
    a.s = s;
    if (st)
        memset(st, 0, sizeof *st);
    if (n == 0)
        return ERR_OK;
    if ((rc = store_begin(s, e)))
        return rc;
    rc = alloc_prepare(&a, docs[0].period, e);
    for (size_t i = 0; i < n && !rc; i++) {
        if (strcmp(docs[i].period, docs[0].period))
            rc = err_set(e, ERR_INTERNAL, "registry: documents of two "
                         "periods in one allocation");
        else
            rc = alloc_one(&a, &docs[i], e);
    }
    for (int i = 0; i < Q_N; i++)
        sqlite3_finalize(a.q[i]);
    if (!rc)
        rc = store_commit(s, e);
    if (rc) {
        store_rollback(s);
        return rc;
    }
    if (st)
        *st = a.st;
    return ERR_OK;
}

/* ---- identity -------------------------------------------------------- */

void store_registry_derive(const char *export_sha256,
                           char id[STORE_REGISTRY_ID_MAX])
{
    static const char prefix[] = "keqing registry 1\n";
    char hex[65];
    struct sha256 c;
    unsigned char digest[32];

    sha256_init(&c);
    sha256_update(&c, prefix, sizeof prefix - 1);
    sha256_update(&c, export_sha256, strlen(export_sha256));
    sha256_final(&c, digest);
    sha256_hex(digest, hex);
    for (int i = 0; i < STORE_REGISTRY_ID_MAX - 1; i++)
        id[i] = (char)toupper((unsigned char)hex[i]);
    id[STORE_REGISTRY_ID_MAX - 1] = '\0';
}

/* The first line of a one-text-column query into out ("" for none). */
static int one_text(struct store *s, const char *sql, char *out, size_t n,
                    const char *what, struct err *e)
{
    sqlite3_stmt *st;
    int rc = store_prepare(s, sql, &st, e);

    out[0] = '\0';
    if (rc)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        copy_col(st, 0, out, n);
        rc = SQLITE_DONE;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ERR_OK : store_sqlerr(s, rc, what, e);
}

static const char sql_first_export[] =
    "SELECT sha256 FROM import WHERE sha256 <> '' ORDER BY id LIMIT 1";

int store_registry_id(struct store *s, char id[STORE_REGISTRY_ID_MAX],
                      struct err *e)
{
    char first[72];
    int rc = one_text(s, "SELECT id FROM registry LIMIT 1", id,
                      STORE_REGISTRY_ID_MAX, "reading the registry id", e);

    if (rc || id[0])
        return rc;
    if ((rc = one_text(s, sql_first_export, first, sizeof first,
                       "reading the first import", e)))
        return rc;
    if (first[0])
        store_registry_derive(first, id);
    return ERR_OK;
}

int store_registry_ensure(struct store *s, struct err *e)
{
    char id[STORE_REGISTRY_ID_MAX], first[72];
    sqlite3_stmt *st;
    int rc = one_text(s, "SELECT id FROM registry LIMIT 1", id, sizeof id,
                      "reading the registry id", e);

    if (rc || id[0])
        return rc;
    if ((rc = one_text(s, sql_first_export, first, sizeof first,
                       "reading the first import", e)) || !first[0])
        return rc;
    store_registry_derive(first, id);
    if ((rc = store_prepare(s, "INSERT INTO registry(id, first_export)"
                            " VALUES(?1, ?2)", &st, e)))
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, first, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ERR_OK
                             : store_sqlerr(s, rc, "storing the registry id",
                                            e);
}

/* ---- imports --------------------------------------------------------- */

int store_imports_are(struct store *s, const char *const *sha256, int n,
                      int *same, struct err *e)
{
    sqlite3_stmt *st;
    int rc = store_prepare(s, "SELECT sha256 FROM (SELECT id, sha256 FROM"
                           " import ORDER BY id DESC LIMIT ?1) ORDER BY id",
                           &st, e);
    int k = 0;

    *same = 0;
    if (rc)
        return rc;
    sqlite3_bind_int(st, 1, n);
    *same = n > 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *h = (const char *)sqlite3_column_text(st, 0);
        if (k >= n || !h || strcmp(h, sha256[k]))
            *same = 0;
        k++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return store_sqlerr(s, rc, "reading the import log", e);
    if (k != n)
        *same = 0;
    return ERR_OK;
}
