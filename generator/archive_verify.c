/* verify -- classifying a PDF against the registry (see archive_verify.h). */
#include "archive_verify.h"
#include "err.h"
#include "sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const state_names[] = {"issued", "superseded",
                                          "modified", "unknown"};

const char *archive_verify_state_name(enum archive_verify_state s)
{
    return (unsigned)s < 4 ? state_names[s] : "?";
}

/* ---- finding the number ---------------------------------------------- */

/* Longest Subject string decoded (bytes). */
#define SUBJECT_MAX 1024

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode the hex string starting after '<' at p (end at q) into out;
 * returns the byte count. */
static size_t decode_hex(const char *p, const char *q, unsigned char *out)
{
    size_t n = 0;
    int hi = -1;

    for (; p < q && *p != '>' && n < SUBJECT_MAX; p++) {
        int v = hexval((unsigned char)*p);
        if (v < 0)
            continue;           /* white space is allowed inside */
        if (hi < 0)
            hi = v;
        else {
            out[n++] = (unsigned char)(hi << 4 | v);
            hi = -1;
        }
    }
    if (hi >= 0 && n < SUBJECT_MAX)
        out[n++] = (unsigned char)(hi << 4);
    return n;
}

/* Decode the literal string starting after '(' at p: escapes resolved
 * roughly (a number needs none), nesting followed. */
static size_t decode_literal(const char *p, const char *q, unsigned char *out)
{
    size_t n = 0;
    int depth = 1;

    for (; p < q && n < SUBJECT_MAX; p++) {
        if (*p == '\\' && p + 1 < q) {
            out[n++] = (unsigned char)*++p;
            continue;
        }
        if (*p == '(')
            depth++;
        else if (*p == ')' && --depth == 0)
            break;
        out[n++] = (unsigned char)*p;
    }
    return n;
}

/* UTF-16BE (after a BOM) to its ASCII characters; others dropped. */
static size_t utf16_ascii(unsigned char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 2; i + 1 < n; i += 2)
        if (s[i] == 0 && s[i + 1] < 0x80)
            s[k++] = s[i + 1];
    return k;
}

/* The first document number (archive_docref_is_number: a real month) in
 * s[0..n). */
static int find_number(const unsigned char *s, size_t n, char *out)
{
    for (size_t i = 0; i + 16 <= n; i++)
        if (s[i] == 'K' &&
            archive_docref_is_number((const char *)s + i, n - i)) {
            memcpy(out, s + i, 16);
            out[16] = '\0';
            return 1;
        }
    return 0;
}

/* The next occurrence of key in [p, q), or NULL. */
static const char *find_key(const char *p, const char *q, const char *key)
{
    size_t k = strlen(key);
    while (p && (size_t)(q - p) >= k) {
        const char *hit = memchr(p, key[0], (size_t)(q - p) - k + 1);
        if (!hit)
            return NULL;
        if (!memcmp(hit, key, k))
            return hit;
        p = hit + 1;
    }
    return NULL;
}

/* Decode the PDF string value after the Info key at p (key length k)
 * into s; its length. */
static size_t info_value(const char *p, const char *q, size_t k,
                         unsigned char s[SUBJECT_MAX])
{
    size_t n = 0;

    p += k;
    while (p < q && (*p == ' ' || *p == '\r' || *p == '\n' || *p == '\t'))
        p++;
    if (p < q && *p == '<')
        n = decode_hex(p + 1, q, s);
    else if (p < q && *p == '(')
        n = decode_literal(p + 1, q, s);
    if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF)
        n = utf16_ascii(s, n);
    return n;
}

/* The registry id after "keqing registry " in s[0..n). */
static int find_registry(const unsigned char *s, size_t n, char *out)
{
    static const char tag[] = "keqing registry ";
    const size_t tn = sizeof tag - 1, idn = STORE_REGISTRY_ID_MAX - 1;

    for (size_t i = 0; i + tn + idn <= n; i++) {
        size_t k = 0;
        if (memcmp(s + i, tag, tn))
            continue;
        while (k < idn && hexval(s[i + tn + k]) >= 0)
            k++;
        if (k == idn) {
            memcpy(out, s + i + tn, idn);
            out[idn] = '\0';
            return 1;
        }
    }
    return 0;
}

/* Decode each value of the Info entry key ("/Subject") in data[0..len)
 * and return 1 at the first in which find finds what it writes to out;
 * 0 (out "") when none has it. */
static int info_find(const void *data, size_t len, const char *key,
                     int (*find)(const unsigned char *, size_t, char *),
                     char *out)
{
    const char *p = data, *q = p + len;
    size_t kn = strlen(key);
    unsigned char s[SUBJECT_MAX];

    out[0] = '\0';
    while ((p = find_key(p, q, key))) {
        size_t n = info_value(p, q, kn, s);
        p += kn;
        if (find(s, n, out))
            return 1;
    }
    return 0;
}

int archive_verify_doc_number(const void *data, size_t len,
                              char out[STORE_DOC_NUMBER_MAX])
{
    return info_find(data, len, "/Subject", find_number, out);
}

int archive_verify_doc_registry(const void *data, size_t len,
                                char out[STORE_REGISTRY_ID_MAX])
{
    return info_find(data, len, "/Keywords", find_registry, out);
}

/* ---- classifying ----------------------------------------------------- */

/* The current issue at the end of d's chain of replacements into cur
 * ("" when the chain is broken or runs in a circle). */
static int follow_chain(struct store *s, const struct store_doc *d,
                        char cur[STORE_DOC_NUMBER_MAX], struct err *e)
{
    struct store_doc x = *d;
    int found = 1, rc = ERR_OK;

    cur[0] = '\0';
    for (int hops = 0; hops < 10000 && x.status == STORE_DOC_SUPERSEDED &&
                       x.superseded_by[0] && found && !rc;
         hops++) {
        char next[STORE_DOC_NUMBER_MAX];
        memcpy(next, x.superseded_by, sizeof next);
        rc = store_registry_by_number(s, next, &x, &found, e);
    }
    if (!rc && found && x.status != STORE_DOC_SUPERSEDED)
        memcpy(cur, x.number, STORE_DOC_NUMBER_MAX);
    return rc;
}

/* Fill the state of out from its registry entry out->doc. */
static int settle(struct store *s, struct archive_verify_result *out,
                  struct err *e)
{
    out->has_doc = 1;
    if (out->doc.status != STORE_DOC_SUPERSEDED) {
        out->state = ARCHIVE_VERIFY_ISSUED;
        return ERR_OK;
    }
    out->state = ARCHIVE_VERIFY_SUPERSEDED;
    return follow_chain(s, &out->doc, out->current, e);
}

int archive_verify_bytes(struct store *s, const void *data, size_t len,
                         struct archive_verify_result *out, struct err *e)
{
    int found = 0, rc;

    memset(out, 0, sizeof *out);
    sha256_buf(data, len, out->sha256);
    out->bytes = (long long)len;
    archive_verify_doc_number(data, len, out->claimed);
    archive_verify_doc_registry(data, len, out->claimed_registry);
    if ((rc = store_registry_id(s, out->registry, e)) ||
        (rc = store_registry_by_sha256(s, out->sha256, &out->doc, &found, e)))
        return rc;
    if (found)
        return settle(s, out, e);
    out->state = ARCHIVE_VERIFY_UNKNOWN;
    if (out->claimed_registry[0] &&
        strcmp(out->claimed_registry, out->registry)) {
        out->foreign = 1;           /* another company's document */
        return ERR_OK;
    }
    if (out->claimed[0]) {
        rc = store_registry_by_number(s, out->claimed, &out->doc, &found, e);
        if (rc)
            return rc;
        out->has_doc = found;
    }
    out->state = out->has_doc ? ARCHIVE_VERIFY_MODIFIED
                              : ARCHIVE_VERIFY_UNKNOWN;
    return ERR_OK;
}

int archive_verify_ref(struct store *s, const struct docref *ref,
                       struct archive_verify_result *out, struct err *e)
{
    int found = 0, rc;

    memset(out, 0, sizeof *out);
    out->bytes = -1;
    snprintf(out->claimed, sizeof out->claimed, "%s", ref->number);
    snprintf(out->claimed_registry, sizeof out->claimed_registry, "%s",
             ref->registry);
    snprintf(out->claimed_hash, sizeof out->claimed_hash, "%s", ref->hash);
    out->state = ARCHIVE_VERIFY_UNKNOWN;
    if ((rc = store_registry_id(s, out->registry, e)))
        return rc;
    if (ref->registry[0] && strcmp(ref->registry, out->registry)) {
        out->foreign = 1;
        return ERR_OK;
    }
    if ((rc = store_registry_by_number(s, ref->number, &out->doc, &found,
                                       e)) || !found)
        return rc;
    if (out->doc.status == STORE_DOC_ALLOCATED) {
        out->never_issued = 1;
        return ERR_OK;
    }
    if (ref->hash[0] && strncmp(ref->hash, out->doc.data_hash,
                                ARCHIVE_DOCREF_HASH_LEN)) {
        out->has_doc = 1;
        out->hash_differs = 1;
        out->state = ARCHIVE_VERIFY_MODIFIED;
        return ERR_OK;
    }
    return settle(s, out, e);
}

int archive_verify_file(struct store *s, const char *path,
                        struct archive_verify_result *out, struct err *e)
{
    struct stat sb;
    void *data = NULL;
    int fd, rc;

    memset(out, 0, sizeof *out);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return err_set(e, ERR_NOINPUT, "%s: cannot read: %s", path,
                       strerror(errno));
    if (fstat(fd, &sb) != 0) {
        rc = err_set(e, ERR_NOINPUT, "%s: cannot read: %s", path,
                     strerror(errno));
        close(fd);
        return rc;
    }
    if (S_ISDIR(sb.st_mode) || !S_ISREG(sb.st_mode)) {
        close(fd);
        return err_set(e, ERR_NOINPUT, "%s: is %s, not a PDF file", path,
                       S_ISDIR(sb.st_mode) ? "a folder" : "not a regular "
                       "file");
    }
    /* refused before a byte is read: no document of ours is larger */
    if ((unsigned long long)sb.st_size > ARCHIVE_VERIFY_MAX_BYTES) {
        close(fd);
        return err_set(e, ERR_DATA, "%s: %lld bytes, larger than any "
                       "document keqing writes (%zu MB): not one of ours",
                       path, (long long)sb.st_size,
                       ARCHIVE_VERIFY_MAX_BYTES >> 20);
    }
    /* mapped, not copied: the pages are the file's, read as needed */
    if (sb.st_size > 0 &&
        (data = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd,
                     0)) == MAP_FAILED) {
        rc = err_set(e, ERR_IO, "%s: cannot read: %s", path,
                     strerror(errno));
        close(fd);
        return rc;
    }
    close(fd);
    rc = archive_verify_bytes(s, sb.st_size > 0 ? data : "",
                              (size_t)sb.st_size, out, e);
    if (sb.st_size > 0)
        munmap(data, (size_t)sb.st_size);
    return rc;
}
