/* docref -- the reference a printed document carries in its QR code: its
 * number, the first 8 hex digits of its data hash and the identity of
 * the registry that issued it (doc/archive.md, "Each sheet explains
 * itself").  Stage 4 (render) writes it; `verify` (and later `receive`)
 * read it back from what a person types or a scanner decodes.
 *
 *   KQ-202610-000123 3F9A1C2E 3F9A1C2E7B40
 *   number           data     registry
 *
 * Upper case only, so the whole text is in the QR code's compact
 * alphanumeric mode (38 characters: a version-2 symbol at level M).
 * Older documents (before schema 4) carry "NUMBER hash8" in lower case;
 * the parser accepts both.  No library, no I/O; reentrant.
 */
#ifndef KQ_ARCHIVE_DOCREF_H
#define KQ_ARCHIVE_DOCREF_H

#include <stddef.h>

#define ARCHIVE_DOCREF_NUMBER_LEN 16    /* KQ-YYYYMM-NNNNNN */
#define ARCHIVE_DOCREF_HASH_LEN 8
#define ARCHIVE_DOCREF_REGISTRY_LEN 12
#define ARCHIVE_DOCREF_TEXT_MAX 48      /* the longest text + NUL, with room */

struct docref {
    char number[ARCHIVE_DOCREF_NUMBER_LEN + 1];
    char hash[ARCHIVE_DOCREF_HASH_LEN + 1];         /* lower case; "" absent */
    char registry[ARCHIVE_DOCREF_REGISTRY_LEN + 1]; /* upper case; "" absent */
};

/* The QR text of a document: number, data_hash (64 hex, only its first 8
 * used) and registry id (12 hex, or "" for none) into out.  Returns the
 * length, or 0 when an argument is malformed. */
size_t archive_docref_format(const char *number, const char *data_hash,
                     const char *registry, char out[ARCHIVE_DOCREF_TEXT_MAX]);

/* Parse s[0..n): a number alone, "NUMBER HASH8" or "NUMBER HASH8
 * REGISTRY" (white space between them; any case).  1 and *out filled, or
 * 0 (out zeroed) when s is not one of these. */
int archive_docref_parse(const char *s, size_t n, struct docref *out);

/* 1 when s[0..16) is a document number KQ-YYYYMM-NNNNNN (YYYY-MM a real
 * month, not followed by a digit when s continues: call with n). */
int archive_docref_is_number(const char *s, size_t n);

#endif
