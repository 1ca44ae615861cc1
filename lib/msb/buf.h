/*
 * msb_buf: the one bounds-checked byte buffer through which every byte from
 * a peer is parsed and every message is composed.
 *
 * Integers are big-endian on the wire. A "string" is u32 length + bytes.
 *
 * Conventions (codec layer, see err.h): functions return 0 or a negative
 * MSB_ERR_* code. Getters clear their out-parameters first and consume bytes
 * only on success, so a short buffer yields MSB_ERR_INCOMPLETE and leaves the
 * read position unchanged. A buffer never grows beyond its maximum size
 * (MSB_BUF_MAX_DEFAULT unless msb_buf_set_max() lowered or raised it).
 */
#ifndef MSB_BUF_H
#define MSB_BUF_H

#include <stddef.h>
#include <stdint.h>

#define MSB_BUF_MAX_DEFAULT (64u * 1024u * 1024u)

struct msb_buf;

/* Allocate an empty growable buffer; NULL on out of memory. */
struct msb_buf *msb_buf_new(void);
/*
 * A read-only view of len bytes at p (not copied, not owned). Getters work;
 * putters fail with MSB_ERR_INVALID_ARG. p must outlive the view.
 */
struct msb_buf *msb_buf_from(const void *p, size_t len);
void msb_buf_free(struct msb_buf *b);
/* Drop all content (keeps the allocation). */
void msb_buf_reset(struct msb_buf *b);
int msb_buf_set_max(struct msb_buf *b, size_t max);

/* Bytes available to read. */
size_t msb_buf_len(const struct msb_buf *b);
/* Pointer to the first unread byte; valid until the next modifying call. */
const uint8_t *msb_buf_ptr(const struct msb_buf *b);
/* Mutable pointer to the unread bytes (NULL for read-only views). */
uint8_t *msb_buf_mutable_ptr(struct msb_buf *b);
/* Discard n unread bytes (from the front / from the end). */
int msb_buf_consume(struct msb_buf *b, size_t n);
int msb_buf_consume_end(struct msb_buf *b, size_t n);
/* Make room for len more bytes at the end; *dst points at them. */
int msb_buf_reserve(struct msb_buf *b, size_t len, uint8_t **dst);
/* 0 if len more bytes would fit under the maximum. */
int msb_buf_check_reserve(const struct msb_buf *b, size_t len);

/* Putters: append. */
int msb_buf_put(struct msb_buf *b, const void *p, size_t len);
int msb_buf_put_u8(struct msb_buf *b, uint8_t v);
int msb_buf_put_u32(struct msb_buf *b, uint32_t v);
int msb_buf_put_u64(struct msb_buf *b, uint64_t v);
int msb_buf_put_string(struct msb_buf *b, const void *p, size_t len);
int msb_buf_put_cstring(struct msb_buf *b, const char *s);   /* NULL = "" */
/* Append the unread bytes of another buffer as a string. */
int msb_buf_put_stringb(struct msb_buf *b, const struct msb_buf *v);
/* Overwrite 4 bytes at offset off (from the first unread byte). */
int msb_buf_poke_u32(struct msb_buf *b, size_t off, uint32_t v);

/* Getters: consume from the front. */
int msb_buf_get(struct msb_buf *b, void *p, size_t len);
int msb_buf_get_u8(struct msb_buf *b, uint8_t *v);
int msb_buf_get_u32(struct msb_buf *b, uint32_t *v);
int msb_buf_get_u64(struct msb_buf *b, uint64_t *v);
int msb_buf_peek_u32(const struct msb_buf *b, uint32_t *v);
/*
 * Get a string into a fresh heap copy (always NUL-terminated; caller frees).
 * lenp may be NULL.
 */
int msb_buf_get_string(struct msb_buf *b, uint8_t **valp, size_t *lenp);
/* As msb_buf_get_string but rejects embedded NUL (MSB_ERR_FORMAT). */
int msb_buf_get_cstring(struct msb_buf *b, char **valp, size_t *lenp);
/*
 * Borrow a string without copying: *valp points into the buffer and is valid
 * until the next modifying call. Not NUL-terminated.
 */
int msb_buf_get_string_direct(struct msb_buf *b, const uint8_t **valp,
    size_t *lenp);
/* Skip a string. */
int msb_buf_skip_string(struct msb_buf *b);

/* Big-endian helpers on raw memory. */
static inline uint32_t
msb_peek_u32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	    ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline void
msb_poke_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline uint64_t
msb_peek_u64(const uint8_t *p)
{
	return ((uint64_t)msb_peek_u32(p) << 32) | msb_peek_u32(p + 4);
}

static inline void
msb_poke_u64(uint8_t *p, uint64_t v)
{
	msb_poke_u32(p, (uint32_t)(v >> 32));
	msb_poke_u32(p + 4, (uint32_t)v);
}

#endif
