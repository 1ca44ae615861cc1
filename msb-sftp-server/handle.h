/*
 * The handle table. A handle on the wire is 4 bytes: a slot index (low 20
 * bits) and the slot's generation (high 12 bits), so a stale handle from a
 * closed file is refused instead of reaching the file now in its slot.
 */
#ifndef MSB_SFTP_HANDLE_H
#define MSB_SFTP_HANDLE_H

#include <stddef.h>
#include <stdint.h>

#define SFTP_HANDLE_SLOT_BITS 20
#define SFTP_HANDLE_MAX_SLOTS (1u << SFTP_HANDLE_SLOT_BITS)

enum sftp_handle_kind {
	SFTP_H_FREE = 0,
	SFTP_H_FILE = 1,
	SFTP_H_DIR = 2,
};

struct msb_buf;

/* A request waiting for its handle to become idle (raw packet copy). */
struct sftp_deferred {
	struct sftp_deferred *next;
	size_t len;
	uint8_t pkt[];
};

struct sftp_handle {
	enum sftp_handle_kind kind;
	int fd;
	int append;              /* opened with O_APPEND */
	uint32_t gen;
	char *name;              /* the client's path, for logs */
	uint64_t bytes_read, bytes_written;
	unsigned busy;           /* worker requests in flight using it */
	struct sftp_deferred *wait_head, *wait_tail;
	/* directory listing: a received FS_NAMES batch not yet handed out */
	struct msb_buf *names;
	uint32_t names_left;
	int next_free;
};

struct sftp_handles {
	struct sftp_handle *v;
	size_t n;                /* slots allocated */
	size_t used;
	size_t max;              /* at most this many open handles */
	int first_free;          /* -1: none */
};

void sftp_handles_init(struct sftp_handles *t, size_t max);
/* Take a slot for fd; -1 when the table is full. name is copied. */
int sftp_handle_new(struct sftp_handles *t, enum sftp_handle_kind kind,
    int fd, int append, const char *name);
/* The slot for a wire handle of one of the kinds in mask (1 << kind), or
 * -1 if the string is not a live handle. */
int sftp_handle_lookup(const struct sftp_handles *t, const uint8_t *p,
    size_t len, unsigned kind_mask);
struct sftp_handle *sftp_handle_at(struct sftp_handles *t, int idx);
/* The 4-byte wire form of a slot. */
void sftp_handle_wire(const struct sftp_handles *t, int idx, uint8_t out[4]);
/*
 * Free the slot: closes the fd and returns its close() result (errno set);
 * the deferred queue is handed to the caller (*waitp) to replay.
 */
int sftp_handle_free(struct sftp_handles *t, int idx,
    struct sftp_deferred **waitp);

#define SFTP_HMASK_FILE (1u << SFTP_H_FILE)
#define SFTP_HMASK_DIR  (1u << SFTP_H_DIR)
#define SFTP_HMASK_ANY  (SFTP_HMASK_FILE | SFTP_HMASK_DIR)

#endif
