/* store_int -- what the store_*.c files share; not for other modules. */
#ifndef KQ_STORE_INT_H
#define KQ_STORE_INT_H

#include <sqlite3.h>

struct err;
struct period;

struct store {
    sqlite3 *db;
    char *path;     /* owned */
    int in_tx;      /* 1 inside store_begin .. commit/rollback */
    void *imp;      /* import session state (store_import.c), owned */
    unsigned long long dev, ino; /* the file opened (0: in memory); a write
                                    transaction checks it is still there */
    int created;    /* this open created the file: store_close removes
                       it again unless an import was committed */
};

/* Turn an SQLite result code into an err with the database path, what
 * was being done and SQLite's message.  Returns the err code. */
int store_sqlerr(struct store *s, int rc, const char *what, struct err *e);

/* Prepare one statement; ERR_OK or an error naming the SQL. */
int store_prepare(struct store *s, const char *sql, sqlite3_stmt **st,
                  struct err *e);

/* Prepare sql[0..n) into st[0..n) (st zeroed beforehand): ERR_OK, or the
 * first error, leaving what was prepared for store_finalize_all. */
int store_prepare_all(struct store *s, const char *const *sql, int n,
                      sqlite3_stmt **st, struct err *e);

/* Finalize st[0..n) and set them NULL (NULL entries are fine). */
void store_finalize_all(sqlite3_stmt **st, int n);

/* The period per as "YYYY-MM" into name, and the month before it into
 * prev. */
void store_period_names(const struct period *per, char name[8],
                        char prev[8]);

/* Reset st and bind the texts v[0..n) to its parameters 1..n (borrowed:
 * they must outlive the statement's next reset). */
void store_bind_texts(sqlite3_stmt *st, const char *const *v, int n);

#endif
