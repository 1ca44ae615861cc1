/*
 * Base64 (RFC 4648, standard alphabet), as used in OpenSSH key files.
 * Upper-layer convention is not needed here: plain return codes.
 */
#ifndef MSB_BASE64_H
#define MSB_BASE64_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decode len characters of s into a fresh heap buffer (*out, *outlen).
 * Strict: only the base64 alphabet, '=' padding only at the end (optional
 * when the input is unpadded), no whitespace, no non-zero trailing bits.
 * Returns 0, or -1 (errno EINVAL for bad input, ENOMEM).
 */
int msb_b64_decode(const char *s, size_t len, uint8_t **out, size_t *outlen);
/* Encode into a fresh NUL-terminated heap string; pad adds '='. NULL on ENOMEM. */
char *msb_b64_encode(const uint8_t *p, size_t len, int pad);

#endif
