/* verify -- is this PDF a document keqing issued, unchanged?
 * (`keqing verify`, doc/archive.md)
 *
 * After render: a file is looked up in the registry of issued documents
 * (store_registry.h) by its sha256; when no entry has that hash, the
 * document number the file claims (its Info /Subject, where keqing puts
 * it) is looked up instead.  Four answers:
 *
 *   issued      the file is byte-identical to the current issue of its
 *               document
 *   superseded  byte-identical to an issue that a later one replaced (a
 *               correction): the registry names the replacement
 *   modified    it claims a registered number but its bytes differ from
 *               what was issued under it (changed, damaged or forged)
 *   unknown     neither its hash nor a registered number: not issued by
 *               this registry (another database, or not keqing's)
 *
 * Each registry has an identity (store_registry_id): keqing writes it into
 * every document's Info /Keywords ("keqing registry 3F9A1C2E7B40") and QR
 * code, so a genuine document of another registry - whose number may
 * well be registered here too - is "unknown" (issued elsewhere), never
 * "modified".  A superseded document names its replacement and the
 * current issue at the end of the chain.
 *
 * A printed number, or the text of a QR code (archive_docref.h), is verified the
 * same way without the file: archive_verify_ref.
 *
 * No library beyond the store: the number is read from the raw bytes.
 */
#ifndef KQ_ARCHIVE_VERIFY_H
#define KQ_ARCHIVE_VERIFY_H

#include "archive_docref.h"
#include "store_registry.h"

#include <stddef.h>

struct err;
struct store;

/* Largest file verify reads: more than the company-wide packet of the
 * largest company `keqing sample` makes (200,000 staff; doc/limits.md).
 * A larger file is refused by its size, before a byte is read. */
#define ARCHIVE_VERIFY_MAX_BYTES ((size_t)2048 << 20)

enum archive_verify_state {
    ARCHIVE_VERIFY_ISSUED,
    ARCHIVE_VERIFY_SUPERSEDED,
    ARCHIVE_VERIFY_MODIFIED,
    ARCHIVE_VERIFY_UNKNOWN
};

struct archive_verify_result {
    enum archive_verify_state state;
    char sha256[65];                 /* of the file ("" for a reference) */
    long long bytes;
    char claimed[STORE_DOC_NUMBER_MAX]; /* number found in it, or "" */
    char claimed_registry[STORE_REGISTRY_ID_MAX]; /* registry it names */
    char claimed_hash[ARCHIVE_DOCREF_HASH_LEN + 1]; /* a reference's data hash */
    char registry[STORE_REGISTRY_ID_MAX];   /* this database's */
    int foreign;                     /* UNKNOWN: it names another registry */
    int never_issued;                /* UNKNOWN: the number is allocated
                                        but no file was issued under it */
    int hash_differs;                /* MODIFIED (reference): its data hash
                                        is not the registered one's */
    int has_doc;                     /* doc below is filled */
    struct store_doc doc;            /* the registry entry (not UNKNOWN) */
    char current[STORE_DOC_NUMBER_MAX]; /* SUPERSEDED: the current issue at
                                        the end of the chain, or "" */
};

/* "issued", "superseded", "modified", "unknown". */
const char *archive_verify_state_name(enum archive_verify_state s);

/* The document number data[0..len) claims: the first KQ-YYYYMM-NNNNNN in
 * its Info /Subject (a PDF string: literal or hex, PDFDocEncoding or
 * UTF-16BE) into out; 1 when found, else 0 and out = "". */
int archive_verify_doc_number(const void *data, size_t len,
                      char out[STORE_DOC_NUMBER_MAX]);

/* The registry id data[0..len) names in its Info /Keywords ("keqing
 * registry XXXXXXXXXXXX"); 1 when found, else 0 and out = "". */
int archive_verify_doc_registry(const void *data, size_t len,
                        char out[STORE_REGISTRY_ID_MAX]);

/* Classify a printed reference (a number, or a QR code's text) against
 * the registry of s: issued / superseded by the number's entry; modified
 * when its data-hash prefix is not the entry's; unknown when the number
 * is not registered (or never issued) or the reference names another
 * registry.  ERR_OK or a store error. */
int archive_verify_ref(struct store *s, const struct docref *ref,
               struct archive_verify_result *out, struct err *e);

/* Classify data[0..len) against the registry of s into *out.  ERR_OK, or
 * a store error (ERR_IO, ERR_BUSY, ERR_DATA for a damaged registry). */
int archive_verify_bytes(struct store *s, const void *data, size_t len,
                 struct archive_verify_result *out, struct err *e);

/* Map the file at path (at most ARCHIVE_VERIFY_MAX_BYTES; memory stays flat: the
 * pages are the file's) and archive_verify_bytes it.  ERR_NOINPUT when missing,
 * unreadable or a folder, ERR_DATA when too large (refused by its size),
 * ERR_IO. */
int archive_verify_file(struct store *s, const char *path,
                struct archive_verify_result *out, struct err *e);

#endif
