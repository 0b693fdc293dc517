/* archive_returns -- what came back of an issued document: the rule
 * that turns what the store holds of its scanned pages (store_signed.h)
 * into a state, for `keqing returns` and for the next month's region
 * summaries (doc/archive.md "The signed copies come back").
 *
 * Stage 4 (the archive side of render): no I/O, no state; reentrant.
 */
#ifndef KQ_ARCHIVE_RETURNS_H
#define KQ_ARCHIVE_RETURNS_H

/* What came back of a document (`keqing returns`), from what the store
 * holds of it (store_signed.h): */
enum archive_return {
    ARCHIVE_RET_SIGNED,         /* every page back, every field signed */
    ARCHIVE_RET_PARTLY,         /* every page back, some fields signed */
    ARCHIVE_RET_UNSIGNED,       /* every page back, no field signed */
    ARCHIVE_RET_INCOMPLETE,     /* some pages back, not all */
    ARCHIVE_RET_NOT_RETURNED,   /* nothing back */
    ARCHIVE_RET_OUTDATED,       /* only a superseded issue came back */
    ARCHIVE_RET_UNCHECKED       /* back, but issued before schema 6: its
                                   fields were not recorded */
};
#define ARCHIVE_RET_N 7
struct store_return;
enum archive_return archive_return_of(const struct store_return *r);
/* "signed", "partly signed", "unsigned", "incomplete", "not returned",
 * "outdated revision", "returned" */
const char *archive_return_name(enum archive_return s);

/* The Chinese label of a field name ("sign-assessee" -> 被考核人), or the
 * name itself. */
const char *archive_field_label(const char *field);

/* A field list "sign-assessor,sign-hr" as its labels, space-separated
 * ("考核人 人力资源部"), into out (n bytes). */
#include <stddef.h>
void archive_fields_text(const char *list, char *out, size_t n);

#endif
