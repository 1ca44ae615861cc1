/* SHA-256 (FIPS 180-4), for OpenSSH-style key fingerprints. */
#ifndef MSB_SHA256_H
#define MSB_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define MSB_SHA256_LEN 32

struct msb_sha256 {
	uint32_t h[8];
	uint64_t total;          /* bytes hashed so far */
	uint8_t block[64];
	size_t fill;             /* bytes waiting in block */
};

void msb_sha256_init(struct msb_sha256 *c);
void msb_sha256_update(struct msb_sha256 *c, const void *p, size_t len);
void msb_sha256_final(struct msb_sha256 *c, uint8_t out[MSB_SHA256_LEN]);
/* One-shot digest. */
void msb_sha256(const void *p, size_t len, uint8_t out[MSB_SHA256_LEN]);

#endif
