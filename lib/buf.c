/* The bounds-checked wire buffer (see msb/buf.h for the contract). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "msb/buf.h"
#include "msb/err.h"

struct msb_buf {
	uint8_t *d;        /* storage */
	size_t off;        /* first unread byte */
	size_t size;       /* end of data */
	size_t alloc;      /* bytes allocated at d */
	size_t max;        /* never hold more than this many bytes */
	int readonly;      /* view over foreign memory */
};

#define BUF_MIN_ALLOC 256

struct msb_buf *
msb_buf_new(void)
{
	struct msb_buf *b = calloc(1, sizeof(*b));

	if (b == NULL)
		return NULL;
	b->max = MSB_BUF_MAX_DEFAULT;
	return b;
}

struct msb_buf *
msb_buf_from(const void *p, size_t len)
{
	struct msb_buf *b;

	if (p == NULL && len != 0)
		return NULL;
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	b->d = (uint8_t *)p;    /* never written through: readonly */
	b->size = len;
	b->alloc = len;
	b->max = len;
	b->readonly = 1;
	return b;
}

void
msb_buf_free(struct msb_buf *b)
{
	if (b == NULL)
		return;
	if (!b->readonly && b->d != NULL) {
		explicit_bzero(b->d, b->alloc);
		free(b->d);
	}
	free(b);
}

void
msb_buf_reset(struct msb_buf *b)
{
	if (b->readonly) {
		b->off = b->size;
		return;
	}
	b->off = b->size = 0;
}

int
msb_buf_set_max(struct msb_buf *b, size_t max)
{
	if (b->readonly)
		return MSB_ERR_INVALID_ARG;
	if (max < b->size - b->off)
		return MSB_ERR_TOO_LARGE;
	b->max = max;
	return 0;
}

size_t
msb_buf_len(const struct msb_buf *b)
{
	return b->size - b->off;
}

const uint8_t *
msb_buf_ptr(const struct msb_buf *b)
{
	return b->d == NULL ? (const uint8_t *)"" : b->d + b->off;
}

uint8_t *
msb_buf_mutable_ptr(struct msb_buf *b)
{
	if (b->readonly || b->d == NULL)
		return NULL;
	return b->d + b->off;
}

int
msb_buf_consume(struct msb_buf *b, size_t n)
{
	if (n > b->size - b->off)
		return MSB_ERR_INCOMPLETE;
	b->off += n;
	if (b->off == b->size && !b->readonly)
		b->off = b->size = 0;
	return 0;
}

int
msb_buf_consume_end(struct msb_buf *b, size_t n)
{
	if (n > b->size - b->off)
		return MSB_ERR_INCOMPLETE;
	b->size -= n;
	return 0;
}

int
msb_buf_check_reserve(const struct msb_buf *b, size_t len)
{
	if (b->readonly)
		return MSB_ERR_INVALID_ARG;
	if (len > b->max || b->size - b->off > b->max - len)
		return MSB_ERR_TOO_LARGE;
	return 0;
}

int
msb_buf_reserve(struct msb_buf *b, size_t len, uint8_t **dst)
{
	size_t used, need, nalloc;
	uint8_t *nd;
	int r;

	if (dst != NULL)
		*dst = NULL;
	if ((r = msb_buf_check_reserve(b, len)) != 0)
		return r;
	/* Slide unread data to the front before growing. */
	if (b->off > 0 && b->size + len > b->alloc) {
		memmove(b->d, b->d + b->off, b->size - b->off);
		b->size -= b->off;
		b->off = 0;
	}
	used = b->size;
	need = used + len;
	if (need > b->alloc) {
		nalloc = b->alloc < BUF_MIN_ALLOC ? BUF_MIN_ALLOC : b->alloc;
		while (nalloc < need)
			nalloc = nalloc > SIZE_MAX / 2 ? need : nalloc * 2;
		if (nalloc > b->max)
			nalloc = b->max > need ? b->max : need;
		if ((nd = realloc(b->d, nalloc)) == NULL)
			return MSB_ERR_ALLOC;
		b->d = nd;
		b->alloc = nalloc;
	}
	if (dst != NULL)
		*dst = b->d + b->size;
	b->size += len;
	return 0;
}

int
msb_buf_put(struct msb_buf *b, const void *p, size_t len)
{
	uint8_t *dst;
	int r;

	if (len == 0)
		return b->readonly ? MSB_ERR_INVALID_ARG : 0;
	if ((r = msb_buf_reserve(b, len, &dst)) != 0)
		return r;
	memcpy(dst, p, len);
	return 0;
}

int
msb_buf_put_u8(struct msb_buf *b, uint8_t v)
{
	return msb_buf_put(b, &v, 1);
}

int
msb_buf_put_u32(struct msb_buf *b, uint32_t v)
{
	uint8_t tmp[4];

	msb_poke_u32(tmp, v);
	return msb_buf_put(b, tmp, sizeof(tmp));
}

int
msb_buf_put_u64(struct msb_buf *b, uint64_t v)
{
	uint8_t tmp[8];

	msb_poke_u64(tmp, v);
	return msb_buf_put(b, tmp, sizeof(tmp));
}

int
msb_buf_put_string(struct msb_buf *b, const void *p, size_t len)
{
	uint8_t *dst;
	int r;

	if (len > UINT32_MAX)
		return MSB_ERR_TOO_LARGE;
	if (p == NULL && len != 0)
		return MSB_ERR_INVALID_ARG;
	if ((r = msb_buf_reserve(b, 4 + len, &dst)) != 0)
		return r;
	msb_poke_u32(dst, (uint32_t)len);
	if (len > 0)
		memcpy(dst + 4, p, len);
	return 0;
}

int
msb_buf_put_cstring(struct msb_buf *b, const char *s)
{
	if (s == NULL)
		s = "";
	return msb_buf_put_string(b, s, strlen(s));
}

int
msb_buf_put_stringb(struct msb_buf *b, const struct msb_buf *v)
{
	return msb_buf_put_string(b, msb_buf_ptr(v), msb_buf_len(v));
}

int
msb_buf_poke_u32(struct msb_buf *b, size_t off, uint32_t v)
{
	if (b->readonly)
		return MSB_ERR_INVALID_ARG;
	if (off > b->size - b->off || b->size - b->off - off < 4)
		return MSB_ERR_INCOMPLETE;
	msb_poke_u32(b->d + b->off + off, v);
	return 0;
}

int
msb_buf_get(struct msb_buf *b, void *p, size_t len)
{
	if (len > b->size - b->off)
		return MSB_ERR_INCOMPLETE;
	if (len > 0 && p != NULL)
		memcpy(p, b->d + b->off, len);
	return msb_buf_consume(b, len);
}

int
msb_buf_get_u8(struct msb_buf *b, uint8_t *v)
{
	uint8_t tmp;
	int r;

	if (v != NULL)
		*v = 0;
	if ((r = msb_buf_get(b, &tmp, 1)) != 0)
		return r;
	if (v != NULL)
		*v = tmp;
	return 0;
}

int
msb_buf_peek_u32(const struct msb_buf *b, uint32_t *v)
{
	if (v != NULL)
		*v = 0;
	if (b->size - b->off < 4)
		return MSB_ERR_INCOMPLETE;
	if (v != NULL)
		*v = msb_peek_u32(b->d + b->off);
	return 0;
}

int
msb_buf_get_u32(struct msb_buf *b, uint32_t *v)
{
	uint8_t tmp[4];
	int r;

	if (v != NULL)
		*v = 0;
	if ((r = msb_buf_get(b, tmp, sizeof(tmp))) != 0)
		return r;
	if (v != NULL)
		*v = msb_peek_u32(tmp);
	return 0;
}

int
msb_buf_get_u64(struct msb_buf *b, uint64_t *v)
{
	uint8_t tmp[8];
	int r;

	if (v != NULL)
		*v = 0;
	if ((r = msb_buf_get(b, tmp, sizeof(tmp))) != 0)
		return r;
	if (v != NULL)
		*v = msb_peek_u64(tmp);
	return 0;
}

/* Validate a string header without consuming; sets *lenp. */
static int
peek_string(const struct msb_buf *b, const uint8_t **valp, size_t *lenp)
{
	size_t avail = b->size - b->off;
	uint32_t len;

	*valp = NULL;
	*lenp = 0;
	if (avail < 4)
		return MSB_ERR_INCOMPLETE;
	len = msb_peek_u32(b->d + b->off);
	if (len > MSB_BUF_MAX_DEFAULT)
		return MSB_ERR_TOO_LARGE;
	if (avail - 4 < len)
		return MSB_ERR_INCOMPLETE;
	*valp = b->d + b->off + 4;
	*lenp = len;
	return 0;
}

int
msb_buf_get_string_direct(struct msb_buf *b, const uint8_t **valp,
    size_t *lenp)
{
	const uint8_t *p;
	size_t len;
	int r;

	if (valp != NULL)
		*valp = NULL;
	if (lenp != NULL)
		*lenp = 0;
	if ((r = peek_string(b, &p, &len)) != 0)
		return r;
	/* Consume first: the view stays valid (consume never frees). */
	if ((r = msb_buf_consume(b, 4 + len)) != 0)
		return r;
	if (valp != NULL)
		*valp = p;
	if (lenp != NULL)
		*lenp = len;
	return 0;
}

int
msb_buf_skip_string(struct msb_buf *b)
{
	return msb_buf_get_string_direct(b, NULL, NULL);
}

int
msb_buf_get_string(struct msb_buf *b, uint8_t **valp, size_t *lenp)
{
	const uint8_t *p;
	uint8_t *copy;
	size_t len;
	int r;

	if (valp != NULL)
		*valp = NULL;
	if (lenp != NULL)
		*lenp = 0;
	if ((r = peek_string(b, &p, &len)) != 0)
		return r;
	if (valp != NULL) {
		if ((copy = malloc(len + 1)) == NULL)
			return MSB_ERR_ALLOC;
		if (len > 0)
			memcpy(copy, p, len);
		copy[len] = '\0';
	} else
		copy = NULL;
	if ((r = msb_buf_consume(b, 4 + len)) != 0) {
		free(copy);
		return r;
	}
	if (valp != NULL)
		*valp = copy;
	if (lenp != NULL)
		*lenp = len;
	return 0;
}

int
msb_buf_get_cstring(struct msb_buf *b, char **valp, size_t *lenp)
{
	const uint8_t *p;
	size_t len;
	int r;

	if (valp != NULL)
		*valp = NULL;
	if (lenp != NULL)
		*lenp = 0;
	if ((r = peek_string(b, &p, &len)) != 0)
		return r;
	if (len > 0 && memchr(p, '\0', len) != NULL)
		return MSB_ERR_FORMAT;
	return msb_buf_get_string(b, (uint8_t **)valp, lenp);
}
