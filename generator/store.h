/* store -- keqing's embedded SQLite database (stage 2 of the pipeline).
 *
 * The store holds the imported records, the computed results of each
 * period and the registry of issued documents.  It is the only module that
 * sees sqlite3.h; the rest of the program calls the store_* functions of
 * store.h (open, transactions), store_import.h (writing records) and the
 * later read/result headers, and gets plain structs back.
 *
 * Guarantees: (1) a database is always at the newest schema version after
 * store_open (migrations run one transaction each); (2) a failed or
 * refused transaction leaves the file as it was; (3) a database locked by
 * another process is waited for (busy timeout, 10 s by default or
 * $KEQING_BUSY_MS) and then reported as ERR_BUSY, never corrupted; (4) a
 * database file created by store_open disappears again at store_close
 * unless an import was committed into it.
 */
#ifndef KQ_STORE_H
#define KQ_STORE_H

struct err;
struct store;

#define STORE_MUST_EXIST 1  /* refuse to create a new database file */
#define STORE_READONLY 2    /* open read-only (implies MUST_EXIST) */

/* How long (ms) to wait for a lock another keqing holds - the database's
 * and an output folder's alike: $KEQING_BUSY_MS when it is a number
 * 0..3600000 (0 = do not wait), else STORE_BUSY_MS. */
#define STORE_BUSY_MS 10000
long store_busy_ms(void);

/* Open (or create) the database at path and bring its schema up to date.
 * *out is owned by the caller (store_close).  Errors: ERR_NOINPUT (missing
 * with MUST_EXIST), ERR_CANTCREAT, ERR_BUSY, ERR_IO, ERR_DATA (not a
 * keqing database, or one newer than this program).
 *
 * A database file this open creates (a writable open of a path that did
 * not exist) is the store's until an import is committed into it:
 * store_close removes it again when it holds no import, whichever command
 * opened it and whatever failed - refused input leaves no database. */
int store_open(const char *path, int flags, struct store **out,
               struct err *e);

/* Close; NULL is a no-op.  An open transaction is rolled back.  A file
 * this store's open created that holds no import is removed with its
 * journal (under the write lock, so a second keqing that imported into
 * the same new file meanwhile keeps it; one still waiting for the lock
 * then finds the file gone and gets ERR_BUSY from store_begin). */
void store_close(struct store *s);

/* BEGIN IMMEDIATE: takes the write lock now, so a second writer waits or
 * gets ERR_BUSY before doing any work. */
int store_begin(struct store *s, struct err *e);
int store_commit(struct store *s, struct err *e);
/* Roll back the open transaction, if any. */
void store_rollback(struct store *s);

/* A read transaction: every read until store_read_end sees one committed
 * state of the database (writers wait until it ends, up to their busy
 * timeout).  ERR_BUSY, ERR_IO. */
int store_read_begin(struct store *s, struct err *e);
void store_read_end(struct store *s);

/* Run SQL text (several statements).  For migrations, tests and admin. */
int store_exec(struct store *s, const char *sql, struct err *e);

/* The schema version (PRAGMA user_version) and the file path. */
int store_version(struct store *s);
const char *store_path(const struct store *s);

/* The result of a one-value query as a 64-bit integer (tests, summaries);
 * ERR_OK and *v set, or an error. */
int store_query_int(struct store *s, const char *sql, long long *v,
                    struct err *e);

#endif
