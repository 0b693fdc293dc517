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

    if (n < ARCHIVE_DOCREF_NUMBER_LEN || s[0] != 'K' || s[1] != 'Q' || s[2] != '-' ||
        !all_digits(s + 3, 6) || s[9] != '-' || !all_digits(s + 10, 6))
        return 0;
    month = (s[7] - '0') * 10 + (s[8] - '0');
    if (month < 1 || month > 12)
        return 0;
    return n == ARCHIVE_DOCREF_NUMBER_LEN || s[16] < '0' || s[16] > '9';
}

size_t archive_docref_format(const char *number, const char *data_hash,
                     const char *registry, char out[ARCHIVE_DOCREF_TEXT_MAX])
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
    const char *w[4];
    size_t len[4], i = 0;
    int nw = 0;

    memset(out, 0, sizeof *out);
    while (nw < 4 && (len[nw] = word(s, n, &i, &w[nw])) > 0)
        nw++;
    if (nw < 1 || nw > 3 || len[0] != ARCHIVE_DOCREF_NUMBER_LEN)
        return 0;
    /* a number typed from paper may be lower case: kq-202610-000123 */
    for (size_t k = 0; k < ARCHIVE_DOCREF_NUMBER_LEN; k++)
        out->number[k] = (char)toupper((unsigned char)w[0][k]);
    if (!archive_docref_is_number(out->number, ARCHIVE_DOCREF_NUMBER_LEN) ||
        (nw >= 2 && (len[1] != ARCHIVE_DOCREF_HASH_LEN ||
                     !all_hex(w[1], ARCHIVE_DOCREF_HASH_LEN))) ||
        (nw == 3 && (len[2] != ARCHIVE_DOCREF_REGISTRY_LEN ||
                     !all_hex(w[2], ARCHIVE_DOCREF_REGISTRY_LEN)))) {
        memset(out, 0, sizeof *out);
        return 0;
    }
    for (int k = 0; nw >= 2 && k < ARCHIVE_DOCREF_HASH_LEN; k++)
        out->hash[k] = (char)tolower((unsigned char)w[1][k]);
    for (int k = 0; nw == 3 && k < ARCHIVE_DOCREF_REGISTRY_LEN; k++)
        out->registry[k] = (char)toupper((unsigned char)w[2][k]);
    return 1;
}
