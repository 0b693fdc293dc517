/* store_schema -- the versioned SQLite schema of a keqing database.
 *
 * Migration i (1-based) takes a database from user_version i-1 to i.  A new
 * file starts at 0 and runs them all; an existing file runs only the ones
 * it lacks, each in its own transaction.  Never edit a migration that has
 * shipped: add a new one.
 */
#ifndef KQ_STORE_SCHEMA_H
#define KQ_STORE_SCHEMA_H

extern const char *const store_migrations[];
extern const int store_schema_version;

#endif
