/* sha256 -- SHA-256 (FIPS 180-4), for file hashes in the import record,
 * the manifest and the registry of issued documents. */
#ifndef KQ_SHA256_H
#define KQ_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
    uint32_t h[8];
    uint64_t bytes;
    unsigned char block[64];
    size_t used;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t n);
void sha256_final(struct sha256 *c, unsigned char out[32]);
/* 64 lowercase hex digits and a NUL. */
void sha256_hex(const unsigned char digest[32], char hex[65]);
/* One-shot helper. */
void sha256_buf(const void *data, size_t n, char hex[65]);

#endif
