/* fuzz_verify -- libFuzzer target for what `verify` (and later `receive`)
 * reads from outside: the Info strings of any PDF given to it
 * (archive_verify_doc_number, archive_verify_doc_registry: literal and hex strings,
 * escapes, UTF-16) and the text of a document's QR code or a number typed
 * from paper (archive_docref_parse).
 *
 * A number found must be a well-formed KQ-YYYYMM-NNNNNN, a registry id 12
 * hex digits; a parsed reference must format back to itself (upper
 * case).  Anything else is a finding (abort).
 */
#include "archive_docref.h"
#include "archive_verify.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char no[STORE_DOC_NUMBER_MAX], reg[STORE_REGISTRY_ID_MAX];
    char text[ARCHIVE_DOCREF_TEXT_MAX], again[ARCHIVE_DOCREF_TEXT_MAX];
    struct docref r, r2;

    if (archive_verify_doc_number(data, size, no) &&
        (strlen(no) != 16 || !archive_docref_is_number(no, 16)))
        abort();
    if (archive_verify_doc_registry(data, size, reg)) {
        if (strlen(reg) != 12)
            abort();
        for (int i = 0; i < 12; i++)
            if (!isxdigit((unsigned char)reg[i]))
                abort();
    }
    if (archive_docref_parse((const char *)data, size, &r)) {
        char hash[65];
        memset(hash, '0', 64);
        hash[64] = '\0';
        if (r.hash[0])
            memcpy(hash, r.hash, 8);
        if (!archive_docref_format(r.number, hash, r.registry, text) ||
            !archive_docref_parse(text, strlen(text), &r2) ||
            strcmp(r.number, r2.number) || strcmp(r.registry, r2.registry))
            abort();
        if (r.hash[0] && strcmp(r.hash, r2.hash))
            abort();
        archive_docref_format(r2.number, hash, r2.registry, again);
        if (strcmp(text, again))
            abort();
    }
    return 0;
}
