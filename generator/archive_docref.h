/* docref -- the reference a printed document carries in its QR code: its
 * number, the first 8 hex digits of its data hash and the identity of
 * the registry that issued it (doc/archive.md, "Each sheet explains
 * itself").  Stage 4 (render) writes it; `verify` (and later `receive`)
 * read it back from what a person types or a scanner decodes.
 *
 *   KQ-202610-000123 3F9A1C2E 3F9A1C2E7B40
 *   number           data     registry
 *
 * The code at the top of every page (issue 14) adds the page and where
 * the code stands on it, so a scanned page alone says which page of
 * which document it is and how it lies on the scanner:
 *
 *   KQ-202610-000123 3F9A1C2E 3F9A1C2E7B40 1/2 A
 *   ...                                    page mark (A: top right)
 *
 * The sign-off's code keeps the three words: it stands on the last page.
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
#define ARCHIVE_DOCREF_TEXT_MAX 64      /* the longest text + NUL, with room */
#define ARCHIVE_DOCREF_PAGES_MAX 99999  /* pages a page code can name */

struct docref {
    char number[ARCHIVE_DOCREF_NUMBER_LEN + 1];
    char hash[ARCHIVE_DOCREF_HASH_LEN + 1];         /* lower case; "" absent */
    char registry[ARCHIVE_DOCREF_REGISTRY_LEN + 1]; /* upper case; "" absent */
    int page, pages;        /* a page code's "i/n" (1 <= i <= n); 0 absent */
    char mark;              /* a page code's mark ('A'..'Z'); 0 absent */
};

/* The QR text of a document: number, data_hash (64 hex, only its first 8
 * used) and registry id (12 hex, or "" for none) into out.  Returns the
 * length, or 0 when an argument is malformed. */
size_t archive_docref_format(const char *number, const char *data_hash,
                             const char *registry,
                             char out[ARCHIVE_DOCREF_TEXT_MAX]);

/* A page code's text: the document's QR text doc (as formatted above,
 * with a registry), then " PAGE/PAGES MARK".  Returns the length, or 0
 * when doc is too long or page, pages or mark ('A'..'Z') is out of range. */
size_t archive_docref_format_page(const char *doc, int page, int pages,
                                  char mark,
                                  char out[ARCHIVE_DOCREF_TEXT_MAX]);

/* Parse s[0..n): a number alone, "NUMBER HASH8", "NUMBER HASH8
 * REGISTRY" or a page code "NUMBER HASH8 REGISTRY I/N M" (white space
 * between them; any case).  1 and *out filled, or 0 (out zeroed) when s
 * is not one of these. */
int archive_docref_parse(const char *s, size_t n, struct docref *out);

/* 1 when s[0..16) is a document number KQ-YYYYMM-NNNNNN (YYYY-MM a real
 * month, not followed by a digit when s continues: call with n). */
int archive_docref_is_number(const char *s, size_t n);

#endif
