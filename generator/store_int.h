/* store_int -- what the store_*.c files share; not for other modules. */
#ifndef KQ_STORE_INT_H
#define KQ_STORE_INT_H

#include <sqlite3.h>

struct err;

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

/* Reset st and bind the texts v[0..n) to its parameters 1..n (borrowed:
 * they must outlive the statement's next reset). */
void store_bind_texts(sqlite3_stmt *st, const char *const *v, int n);

#endif
