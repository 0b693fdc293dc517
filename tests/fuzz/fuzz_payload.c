/* fuzz_payload -- libFuzzer target for the payload of a scanned page's QR
 * code (issue 14): archive_docref_parse on any bytes zbar may return.
 *
 * A parsed reference must be well formed (a real month's number, 8 hex
 * digits of hash, 12 of registry, 1 <= page <= pages <= the limit, a mark
 * A-Z) and format back to the same reference - as a page code when it
 * has a page.  Anything else is a finding (abort).
 */
#include "archive_docref.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void hexes(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i]))
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char doc[ARCHIVE_DOCREF_TEXT_MAX], page[ARCHIVE_DOCREF_TEXT_MAX];
    struct docref r, r2;
    char hash[65];

    if (!archive_docref_parse((const char *)data, size, &r))
        return 0;
    if (!archive_docref_is_number(r.number, ARCHIVE_DOCREF_NUMBER_LEN))
        abort();
    if (r.hash[0] && strlen(r.hash) != ARCHIVE_DOCREF_HASH_LEN)
        abort();
    hexes(r.hash, strlen(r.hash));
    if (r.registry[0] && strlen(r.registry) != ARCHIVE_DOCREF_REGISTRY_LEN)
        abort();
    hexes(r.registry, strlen(r.registry));
    if (r.page && (r.page < 1 || r.page > r.pages ||
                   r.pages > ARCHIVE_DOCREF_PAGES_MAX || r.mark < 'A' ||
                   r.mark > 'Z' || !r.registry[0]))
        abort();
    if (!r.hash[0] || !r.registry[0])
        return 0;
    memset(hash, '0', 64);
    memcpy(hash, r.hash, 8);
    hash[64] = '\0';
    if (!archive_docref_format(r.number, hash, r.registry, doc))
        abort();
    if (r.page) {
        if (!archive_docref_format_page(doc, r.page, r.pages, r.mark, page))
            abort();
        memcpy(doc, page, sizeof doc);
    }
    if (!archive_docref_parse(doc, strlen(doc), &r2) ||
        memcmp(&r, &r2, sizeof r))
        abort();
    return 0;
}
