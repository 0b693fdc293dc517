/* docref -- a document's printed reference (see archive_docref.h). */
#include "archive_docref.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int all_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

int archive_docref_is_number(const char *s, size_t n)
{
    int month;

    if (n < ARCHIVE_DOCREF_NUMBER_LEN || s[0] != 'K' || s[1] != 'Q' ||
        s[2] != '-' ||
        !all_digits(s + 3, 6) || s[9] != '-' || !all_digits(s + 10, 6))
        return 0;
    month = (s[7] - '0') * 10 + (s[8] - '0');
    if (month < 1 || month > 12)
        return 0;
    return n == ARCHIVE_DOCREF_NUMBER_LEN || s[16] < '0' || s[16] > '9';
}

size_t archive_docref_format(const char *number, const char *data_hash,
                             const char *registry,
                             char out[ARCHIVE_DOCREF_TEXT_MAX])
{
    size_t n = 0;

    out[0] = '\0';
    if (!number || !data_hash || !registry ||
        strlen(number) != ARCHIVE_DOCREF_NUMBER_LEN ||
        !archive_docref_is_number(number, ARCHIVE_DOCREF_NUMBER_LEN) ||
        strlen(data_hash) < ARCHIVE_DOCREF_HASH_LEN ||
        !all_hex(data_hash, ARCHIVE_DOCREF_HASH_LEN) ||
        (registry[0] && (strlen(registry) != ARCHIVE_DOCREF_REGISTRY_LEN ||
                         !all_hex(registry, ARCHIVE_DOCREF_REGISTRY_LEN))))
        return 0;
    memcpy(out, number, ARCHIVE_DOCREF_NUMBER_LEN);
    n = ARCHIVE_DOCREF_NUMBER_LEN;
    out[n++] = ' ';
    for (int i = 0; i < ARCHIVE_DOCREF_HASH_LEN; i++)
        out[n++] = (char)toupper((unsigned char)data_hash[i]);
    if (registry[0]) {
        out[n++] = ' ';
        for (int i = 0; i < ARCHIVE_DOCREF_REGISTRY_LEN; i++)
            out[n++] = (char)toupper((unsigned char)registry[i]);
    }
    out[n] = '\0';
    return n;
}

size_t archive_docref_format_page(const char *doc, int page, int pages,
                                  char mark,
                                  char out[ARCHIVE_DOCREF_TEXT_MAX])
{
    int n;

    out[0] = '\0';
    if (!doc || page < 1 || page > pages || pages > ARCHIVE_DOCREF_PAGES_MAX ||
        mark < 'A' || mark > 'Z')
        return 0;
    n = snprintf(out, ARCHIVE_DOCREF_TEXT_MAX, "%s %d/%d %c", doc, page,
                 pages, mark);
    if (n < 0 || n >= ARCHIVE_DOCREF_TEXT_MAX) {
        out[0] = '\0';
        return 0;
    }
    return (size_t)n;
}

/* "I/N" with 1 <= I <= N <= ARCHIVE_DOCREF_PAGES_MAX, no leading zeros:
 * 1 and *page, *pages set, else 0. */
static int page_of(const char *s, size_t n, int *page, int *pages)
{
    int v[2] = {0, 0}, k = 0;
    size_t digits = 0;

    for (size_t i = 0; i < n; i++) {
        if (s[i] == '/' && k == 0 && digits) {
            k = 1;
            digits = 0;
        } else if (s[i] >= '0' && s[i] <= '9' && digits < 5 &&
                   !(digits == 1 && v[k] == 0)) {
            v[k] = v[k] * 10 + (s[i] - '0');
            digits++;
        } else {
            return 0;
        }
    }
    if (k != 1 || !digits || v[0] < 1 || v[0] > v[1])
        return 0;
    *page = v[0];
    *pages = v[1];
    return 1;
}

/* The next word of s[*i..n) (after white space): its start and length. */
static size_t word(const char *s, size_t n, size_t *i, const char **w)
{
    size_t k;

    while (*i < n && isspace((unsigned char)s[*i]))
        (*i)++;
    *w = s + *i;
    for (k = *i; k < n && !isspace((unsigned char)s[k]); k++)
        ;
    k -= *i;
    *i += k;
    return k;
}

int archive_docref_parse(const char *s, size_t n, struct docref *out)
{
    const char *w[6];
    size_t len[6], i = 0;
    int nw = 0;

    memset(out, 0, sizeof *out);
    while (nw < 6 && (len[nw] = word(s, n, &i, &w[nw])) > 0)
        nw++;
    if (nw < 1 || nw == 4 || nw > 5 || len[0] != ARCHIVE_DOCREF_NUMBER_LEN)
        return 0;
    /* a number typed from paper may be lower case: kq-202610-000123 */
    for (size_t k = 0; k < ARCHIVE_DOCREF_NUMBER_LEN; k++)
        out->number[k] = (char)toupper((unsigned char)w[0][k]);
    if (!archive_docref_is_number(out->number, ARCHIVE_DOCREF_NUMBER_LEN) ||
        (nw >= 2 && (len[1] != ARCHIVE_DOCREF_HASH_LEN ||
                     !all_hex(w[1], ARCHIVE_DOCREF_HASH_LEN))) ||
        (nw >= 3 && (len[2] != ARCHIVE_DOCREF_REGISTRY_LEN ||
                     !all_hex(w[2], ARCHIVE_DOCREF_REGISTRY_LEN))) ||
        (nw == 5 && (!page_of(w[3], len[3], &out->page, &out->pages) ||
                     len[4] != 1 || (w[4][0] | 32) < 'a' ||
                     (w[4][0] | 32) > 'z'))) {
        memset(out, 0, sizeof *out);
        return 0;
    }
    for (int k = 0; nw >= 2 && k < ARCHIVE_DOCREF_HASH_LEN; k++)
        out->hash[k] = (char)tolower((unsigned char)w[1][k]);
    for (int k = 0; nw >= 3 && k < ARCHIVE_DOCREF_REGISTRY_LEN; k++)
        out->registry[k] = (char)toupper((unsigned char)w[2][k]);
    if (nw == 5)
        out->mark = (char)toupper((unsigned char)w[4][0]);
    return 1;
}
