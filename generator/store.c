/* store -- opening, migrating and transactions of the SQLite database
 * (see store.h).  Pragmas: foreign_keys on; rollback journal (so a refused
 * import leaves the file byte-identical); a bounded page cache so memory
 * stays flat whatever the database size. */
#include "store.h"
#include "store_int.h"
#include "store_schema.h"
#include "err.h"
#include "mem.h"
#include "period.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int store_sqlerr(struct store *s, int rc, const char *what, struct err *e)
{
    int code;
    const char *msg = s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        code = ERR_BUSY;
        msg = "database is locked by another process (try again later)";
        break;
    case SQLITE_FULL:
    case SQLITE_IOERR:
        code = ERR_IO;
        break;
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
        code = ERR_CANTCREAT;
        break;
    case SQLITE_NOMEM:
        code = ERR_NOMEM;
        break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        code = ERR_DATA;
        break;
    default:
        code = ERR_INTERNAL;
    }
    return err_set(e, code, "%s: %s: %s", s && s->path ? s->path : "database",
                   what, msg);
}

int store_prepare(struct store *s, const char *sql, sqlite3_stmt **st,
                  struct err *e)
{
    int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
    if (rc != SQLITE_OK) {
        *st = NULL;
        return store_sqlerr(s, rc, "prepare", e);
    }
    return ERR_OK;
}

int store_prepare_all(struct store *s, const char *const *sql, int n,
                      sqlite3_stmt **st, struct err *e)
{
    int rc = ERR_OK;
    for (int k = 0; k < n && !rc; k++)
        rc = store_prepare(s, sql[k], &st[k], e);
    return rc;
}

void store_finalize_all(sqlite3_stmt **st, int n)
{
    for (int k = 0; k < n; k++) {
        sqlite3_finalize(st[k]);
        st[k] = NULL;
    }
}

void store_period_names(const struct period *per, char name[8],
                        char prev[8])
{
    struct period p;
    period_format(per, name);
    period_prev(per, &p);
    period_format(&p, prev);
}

void store_bind_texts(sqlite3_stmt *st, const char *const *v, int n)
{
    sqlite3_reset(st);
    for (int i = 0; i < n; i++)
        sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC);
}

int store_exec(struct store *s, const char *sql, struct err *e)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return store_sqlerr(s, rc, "exec", e);
    return ERR_OK;
}

int store_query_int(struct store *s, const char *sql, long long *v,
                    struct err *e)
{
    sqlite3_stmt *st;
    int rc = store_prepare(s, sql, &st, e);
    if (rc)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return ERR_OK;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return err_set(e, ERR_INTERNAL, "query returned no row: %s", sql);
    return store_sqlerr(s, rc, "query", e);
}

int store_version(struct store *s)
{
    long long v = -1;
    struct err e;
    if (store_query_int(s, "PRAGMA user_version", &v, &e))
        return -1;
    return (int)v;
}

const char *store_path(const struct store *s)
{
    return s->path;
}

/* keqing's SQLite application_id ('KQDB'), written by the first
 * migration that runs (schema 4 added it; earlier keqing databases are
 * recognised by their schema and tables). */
#define STORE_APP_ID 0x4B514442

/* Is the database keqing's?  ERR_OK (*fresh = 1 when it is an empty file
 * keqing may make its own, -1 when it is keqing's but from before the
 * application_id), or ERR_DATA naming what it is instead; no byte of it
 * is changed either way. */
static int check_identity(struct store *s, int *fresh, struct err *e)
{
    long long app = 0, tables = 0, ours = 0;
    int v = store_version(s), rc;

    *fresh = 0;
    if ((rc = store_query_int(s, "PRAGMA application_id", &app, e)) ||
        (rc = store_query_int(s, "SELECT count(*) FROM sqlite_master WHERE "
                              "type = 'table'", &tables, e)) ||
        (rc = store_query_int(s, "SELECT count(*) FROM sqlite_master WHERE "
                              "type = 'table' AND name IN ('import', "
                              "'person', 'region')", &ours, e)))
        return rc;
    if (app == STORE_APP_ID)
        return ERR_OK;
    if (app == 0 && v == 0 && tables == 0) {
        *fresh = 1;             /* empty: a new database */
        return ERR_OK;
    }
    if (app == 0 && v >= 1 && v <= store_schema_version && ours == 3) {
        *fresh = -1;            /* keqing's, from before the id */
        return ERR_OK;
    }
    return err_set(e, ERR_DATA, "%s: not a keqing database (SQLite "
                   "application_id 0x%08llX, schema version %d, %lld "
                   "table%s): it was left unchanged; give keqing a database "
                   "of its own with --db", s->path, app, v, tables,
                   tables == 1 ? "" : "s");
}

/* The schema version and identity, read in one snapshot: another keqing
 * may be creating the schema of the same new file at this moment (two
 * first runs), and reads in separate snapshots could see its tables
 * without its version. */
static int read_identity(struct store *s, int *v, int *fresh, struct err *e)
{
    int rc;

    if (store_version(s) < 0)
        return err_set(e, ERR_DATA, "%s: not a readable SQLite database",
                       s->path);
    if ((rc = store_read_begin(s, e)))
        return rc;
    *v = store_version(s);
    if (*v < 0)
        rc = err_set(e, ERR_DATA, "%s: not a readable SQLite database",
                     s->path);
    else if (*v > store_schema_version)
        rc = err_set(e, ERR_DATA,
                     "%s: schema version %d is newer than this keqing "
                     "(%d): it was left unchanged; use the keqing that "
                     "wrote it, or a newer one",
                     s->path, *v, store_schema_version);
    else
        rc = check_identity(s, fresh, e);
    store_read_end(s);
    return rc;
}

static int migrate(struct store *s, struct err *e)
{
    int v, fresh, rc;
    if ((rc = read_identity(s, &v, &fresh, e)))
        return rc;
    if (fresh < 0 && v == store_schema_version) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA application_id=%d",
                 STORE_APP_ID);
        if ((rc = store_begin(s, e)) || (rc = store_exec(s, pragma, e)) ||
            (rc = store_commit(s, e))) {
            store_rollback(s);
            return rc;
        }
    }
    for (; v < store_schema_version; v++) {
        char pragma[96];
        if ((rc = store_begin(s, e)))
            return rc;
        /* Another process may have migrated while we waited for the
         * write lock (two first runs on a new file): read it again. */
        v = store_version(s);
        if (v < 0 || v >= store_schema_version) {
            store_rollback(s);
            return v < 0 ? err_set(e, ERR_DATA, "%s: not a readable SQLite "
                                   "database", s->path) : ERR_OK;
        }
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d;"
                 "PRAGMA application_id=%d", v + 1, STORE_APP_ID);
        if ((rc = store_exec(s, store_migrations[v], e)) ||
            (rc = store_exec(s, pragma, e)) || (rc = store_commit(s, e))) {
            store_rollback(s);
            err_prefix(e, "migration to schema %d: ", v + 1);
            return rc;
        }
    }
    return ERR_OK;
}

/* 1 when the folder of path takes new files (the rollback journal). */
static int dir_writable(const char *path)
{
    char dir[4200];
    const char *slash = strrchr(path, '/');

    if (!slash)
        return access(".", W_OK) == 0;
    if ((size_t)(slash - path) >= sizeof dir)
        return 1;
    memcpy(dir, path, (size_t)(slash - path));
    dir[slash - path] = '\0';
    return access(slash == path ? "/" : dir, W_OK) == 0;
}

long store_busy_ms(void)
{
    const char *v = getenv("KEQING_BUSY_MS");
    char *end;
    long ms;

    if (!v || !*v)
        return STORE_BUSY_MS;
    ms = strtol(v, &end, 10);
    return *end || ms < 0 || ms > 3600000 ? STORE_BUSY_MS : ms;
}

int store_open(const char *path, int flags, struct store **out,
               struct err *e)
{
    struct store *s;
    struct stat st;
    int rc, oflags, existed;

    *out = NULL;
    if (flags & STORE_READONLY)
        flags |= STORE_MUST_EXIST;
    existed = stat(path, &st) == 0;
    if ((flags & STORE_MUST_EXIST) && stat(path, &st) != 0)
        return err_set(e, ERR_NOINPUT,
                       "%s: no such database (run 'keqing import' first)", path);
    s = mem_calloc(1, sizeof *s);
    if (!s || !(s->path = mem_strdup(path))) {
        mem_free(s);
        return err_set(e, ERR_NOMEM, "%s: out of memory", path);
    }
    oflags = (flags & STORE_READONLY) ? SQLITE_OPEN_READONLY
                                      : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    rc = sqlite3_open_v2(path, &s->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        rc = store_sqlerr(s, rc, "cannot open", e);
        store_close(s);
        return rc;
    }
    sqlite3_busy_timeout(s->db, (int)store_busy_ms());
    if (stat(path, &st) == 0) {
        s->dev = (unsigned long long)st.st_dev;
        s->ino = (unsigned long long)st.st_ino;
        /* ours until an import is committed (":memory:" has no file) */
        s->created = !existed && !(flags & STORE_READONLY);
    }
    sqlite3_extended_result_codes(s->db, 1);
    rc = store_exec(s,
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA cache_size=-16384;"
                    "PRAGMA temp_store=FILE;",
                    e);
    if (!rc) {
        long long ok = 0;
        /* A file that is not a database fails here with SQLITE_NOTADB. */
        rc = store_query_int(s, "SELECT count(*) FROM sqlite_master", &ok, e);
    }
    if (!rc && !(flags & STORE_READONLY) && sqlite3_db_readonly(s->db, "main"))
        rc = err_set(e, ERR_CANTCREAT, "%s: the database is read-only (%s): "
                     "keqing must write it; copy it somewhere writable, or "
                     "use a command that only reads (verify, explain)", path,
                     access(path, W_OK) == 0 ? "the file system" :
                     strerror(errno));
    if (!rc && !(flags & STORE_READONLY) && !dir_writable(path))
        rc = err_set(e, ERR_CANTCREAT, "%s: its folder is not writable (%s): "
                     "keqing writes a journal beside the database", path,
                     strerror(errno));
    if (!rc && !(flags & STORE_READONLY))
        rc = migrate(s, e);
    if (!rc && (flags & STORE_READONLY)) {
        int v = store_version(s), fresh;
        if (v > store_schema_version)
            rc = err_set(e, ERR_DATA, "%s: schema version %d is newer than "
                         "this keqing (%d); use the keqing that wrote it, or "
                         "a newer one", path, v, store_schema_version);
        else if (!(rc = check_identity(s, &fresh, e)) &&
                 v != store_schema_version)
            rc = err_set(e, ERR_DATA, "%s: schema version %d, this keqing "
                         "reads %d: run any keqing command that writes it "
                         "(keqing score, render, import) once to upgrade it",
                         path, v, store_schema_version);
    }
    if (rc) {
        store_close(s);
        return rc;
    }
    *out = s;
    return ERR_OK;
}

/* Remove the file store_open created when it holds no import --
 * under the write lock and only while it holds none, so that a second
 * keqing that imported into the same new file meanwhile keeps its data. */
static void forget_if_empty(struct store *s)
{
    char journal[4200];
    long long n = -1;
    struct err e;

    if (store_begin(s, &e))
        return;
    /* no import table (the schema was never written) counts as empty */
    if (store_query_int(s, "SELECT count(*) FROM sqlite_master WHERE "
                        "type = 'table' AND name = 'import'", &n, &e) ||
        (n > 0 && store_query_int(s, "SELECT count(*) FROM import", &n, &e)))
        n = -1;
    if (n == 0) {
        snprintf(journal, sizeof journal, "%s-journal", s->path);
        unlink(s->path);
        unlink(journal);
    }
    store_rollback(s);
}

void store_close(struct store *s)
{
    if (!s)
        return;
    if (s->in_tx)
        store_rollback(s);
    if (s->created && s->db)
        forget_if_empty(s);
    if (s->db)
        sqlite3_close(s->db);
    mem_free(s->path);
    mem_free(s);
}

int store_begin(struct store *s, struct err *e)
{
    struct stat st;
    int rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return store_sqlerr(s, rc, "begin transaction", e);
    s->in_tx = 1;
    /* While we waited for the lock, another keqing may have removed the
     * file (a refused first import leaves no database): writing now would
     * go to a file nobody can see.  Refuse, so the caller can retry. */
    if (s->ino && (stat(s->path, &st) != 0 ||
                   (unsigned long long)st.st_ino != s->ino ||
                   (unsigned long long)st.st_dev != s->dev)) {
        store_rollback(s);
        return err_set(e, ERR_BUSY, "%s: the database file was removed or "
                       "replaced by another process; try again", s->path);
    }
    return ERR_OK;
}

int store_commit(struct store *s, struct err *e)
{
    int rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        rc = store_sqlerr(s, rc, "commit", e);
        store_rollback(s);
        return rc;
    }
    s->in_tx = 0;
    return ERR_OK;
}

int store_read_begin(struct store *s, struct err *e)
{
    long long n;
    int rc = sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL);

    if (rc != SQLITE_OK)
        return store_sqlerr(s, rc, "begin reading", e);
    /* the first read takes the shared lock: the snapshot starts here */
    if ((rc = store_query_int(s, "SELECT count(*) FROM sqlite_master", &n,
                              e))) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    s->in_tx = 1;
    return ERR_OK;
}

void store_read_end(struct store *s)
{
    store_rollback(s);      /* nothing was written: ends the snapshot */
}

void store_rollback(struct store *s)
{
    if (s->in_tx || !sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->in_tx = 0;
}
