/* Base64 codec for OpenSSH key material (see msb/base64.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "msb/base64.h"

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int
msb_b64_decode(const char *s, size_t len, uint8_t **out, size_t *outlen)
{
	size_t pad = 0, n, i, o = 0, rem;
	uint32_t acc = 0;
	uint8_t *buf;
	int v;

	*out = NULL;
	*outlen = 0;
	while (pad < 2 && len > pad && s[len - 1 - pad] == '=')
		pad++;
	n = len - pad;
	rem = n % 4;
	/* Padded input must be a whole number of quads; a lone char is never valid. */
	if (rem == 1 || (pad != 0 && (n + pad) % 4 != 0) ||
	    (pad != 0 && rem != 4 - pad)) {
		errno = EINVAL;
		return -1;
	}
	if ((buf = malloc(n / 4 * 3 + 3)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if ((v = b64_value((unsigned char)s[i])) < 0) {
			free(buf);
			errno = EINVAL;
			return -1;
		}
		acc = (acc << 6) | (uint32_t)v;
		if (i % 4 == 3) {
			buf[o++] = (uint8_t)(acc >> 16);
			buf[o++] = (uint8_t)(acc >> 8);
			buf[o++] = (uint8_t)acc;
			acc = 0;
		}
	}
	/* Trailing bits that do not form a byte must be zero (canonical form). */
	if (rem == 2) {
		if (acc & 0xf)
			goto bad;
		buf[o++] = (uint8_t)(acc >> 4);
	} else if (rem == 3) {
		if (acc & 0x3)
			goto bad;
		buf[o++] = (uint8_t)(acc >> 10);
		buf[o++] = (uint8_t)(acc >> 2);
	}
	*out = buf;
	*outlen = o;
	return 0;
bad:
	free(buf);
	errno = EINVAL;
	return -1;
}

char *
msb_b64_encode(const uint8_t *p, size_t len, int pad)
{
	size_t i, o = 0;
	uint32_t v;
	char *s;

	if (len > (SIZE_MAX - 8) / 4 * 3)
		return NULL;
	if ((s = malloc((len + 2) / 3 * 4 + 1)) == NULL)
		return NULL;
	for (i = 0; i + 2 < len; i += 3) {
		v = ((uint32_t)p[i] << 16) | ((uint32_t)p[i + 1] << 8) | p[i + 2];
		s[o++] = b64_alphabet[(v >> 18) & 63];
		s[o++] = b64_alphabet[(v >> 12) & 63];
		s[o++] = b64_alphabet[(v >> 6) & 63];
		s[o++] = b64_alphabet[v & 63];
	}
	if (len - i == 1) {
		v = (uint32_t)p[i] << 16;
		s[o++] = b64_alphabet[(v >> 18) & 63];
		s[o++] = b64_alphabet[(v >> 12) & 63];
		if (pad) {
			s[o++] = '=';
			s[o++] = '=';
		}
	} else if (len - i == 2) {
		v = ((uint32_t)p[i] << 16) | ((uint32_t)p[i + 1] << 8);
		s[o++] = b64_alphabet[(v >> 18) & 63];
		s[o++] = b64_alphabet[(v >> 12) & 63];
		s[o++] = b64_alphabet[(v >> 6) & 63];
		if (pad)
			s[o++] = '=';
	}
	s[o] = '\0';
	return s;
}
