/* The handle table (see handle.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msb/buf.h"
#include "msb/xmalloc.h"
#include "handle.h"

#define GEN_MASK ((1u << (32 - SFTP_HANDLE_SLOT_BITS)) - 1)

void
sftp_handles_init(struct sftp_handles *t, size_t max)
{
	memset(t, 0, sizeof(*t));
	t->max = max < SFTP_HANDLE_MAX_SLOTS ? max : SFTP_HANDLE_MAX_SLOTS;
	t->first_free = -1;
}

int
sftp_handle_new(struct sftp_handles *t, enum sftp_handle_kind kind, int fd,
    int append, const char *name)
{
	struct sftp_handle *h;
	size_t i, nn;
	int idx;

	if (t->used >= t->max)
		return -1;
	if (t->first_free < 0) {
		nn = t->n < 16 ? 16 : t->n * 2;
		if (nn > t->max)
			nn = t->max;
		t->v = xreallocarray(t->v, nn, sizeof(*t->v));
		memset(t->v + t->n, 0, (nn - t->n) * sizeof(*t->v));
		/* Chain the new slots so the lowest is used first. */
		for (i = nn; i > t->n; i--) {
			t->v[i - 1].next_free = t->first_free;
			t->v[i - 1].fd = -1;
			t->first_free = (int)(i - 1);
		}
		t->n = nn;
	}
	idx = t->first_free;
	h = &t->v[idx];
	t->first_free = h->next_free;
	h->kind = kind;
	h->fd = fd;
	h->append = append;
	h->name = xstrdup(name);
	h->bytes_read = h->bytes_written = 0;
	h->busy = 0;
	h->wait_head = h->wait_tail = NULL;
	h->names = NULL;
	h->names_left = 0;
	t->used++;
	return idx;
}

int
sftp_handle_lookup(const struct sftp_handles *t, const uint8_t *p, size_t len,
    unsigned kind_mask)
{
	uint32_t v, idx;

	if (len != 4)
		return -1;
	v = msb_peek_u32(p);
	idx = v & (SFTP_HANDLE_MAX_SLOTS - 1);
	if (idx >= t->n || t->v[idx].kind == SFTP_H_FREE ||
	    (v >> SFTP_HANDLE_SLOT_BITS) != t->v[idx].gen ||
	    !(kind_mask & (1u << t->v[idx].kind)))
		return -1;
	return (int)idx;
}

struct sftp_handle *
sftp_handle_at(struct sftp_handles *t, int idx)
{
	if (idx < 0 || (size_t)idx >= t->n || t->v[idx].kind == SFTP_H_FREE)
		return NULL;
	return &t->v[idx];
}

void
sftp_handle_wire(const struct sftp_handles *t, int idx, uint8_t out[4])
{
	msb_poke_u32(out, (t->v[idx].gen << SFTP_HANDLE_SLOT_BITS) |
	    (uint32_t)idx);
}

int
sftp_handle_free(struct sftp_handles *t, int idx, struct sftp_deferred **waitp)
{
	struct sftp_handle *h = &t->v[idx];
	int r = 0, saved = 0;

	if (h->fd >= 0 && close(h->fd) != 0) {
		r = -1;
		saved = errno;
	}
	free(h->name);
	msb_buf_free(h->names);
	*waitp = h->wait_head;
	h->wait_head = h->wait_tail = NULL;
	h->names = NULL;
	h->names_left = 0;
	h->name = NULL;
	h->fd = -1;
	h->kind = SFTP_H_FREE;
	h->gen = (h->gen + 1) & GEN_MASK;
	h->next_free = t->first_free;
	t->first_free = idx;
	t->used--;
	errno = saved;
	return r;
}
