/*
 * msb-sftp-server internals: the session state shared by the event loop,
 * the request handlers and the filesystem-channel (worker) client.
 */
#ifndef MSB_SFTP_SERVER_H
#define MSB_SFTP_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "handle.h"
#include "packet.h"

struct msb_buf;
struct msb_frame;
struct srv;
struct wreq;

/* ---- request table (ops.c) ---- */

typedef void (*sftp_op_fn)(struct srv *s, struct sftp_req *req);

struct sftp_op {
	const char *name;        /* sftp-server's request name (-p/-P/-Q) */
	const char *ext_name;    /* SSH2_FXP_EXTENDED name, NULL for core */
	const char *ext_version; /* advertised version string */
	uint8_t type;            /* core request type */
	const char *args;        /* argument spec, see packet.h */
	unsigned hmask[SFTP_REQ_MAX]; /* handle kinds accepted per 'h' arg */
	int does_write;          /* refused in read-only mode */
	sftp_op_fn fn;
};

const struct sftp_op *sftp_op_by_type(uint8_t type);
const struct sftp_op *sftp_op_by_ext(const char *name);
const struct sftp_op *sftp_op_by_name(const char *name);
/* Every op, core first, then extensions in advertisement order. */
const struct sftp_op *sftp_ops_all(size_t *n);

/* ---- policy (policy.c) ---- */

/* Parse a comma-separated list of request names; -1 + message if bad. */
int sftp_policy_set(struct srv *s, int deny, const char *list);
int sftp_request_permitted(const struct srv *s, const struct sftp_op *op);

/* ---- worker requests in flight (worker.c) ---- */

typedef void (*wreq_done_fn)(struct srv *s, struct wreq *w,
    struct msb_frame *reply);

struct wreq {
	struct wreq *next;
	uint32_t wid;            /* frame id on the filesystem channel */
	uint32_t id;             /* the SFTP request it serves */
	wreq_done_fn done;
	int h;                   /* handle kept busy until the reply, or -1 */
	char *s1, *s2;           /* strings for the continuation and logs */
	uint32_t u;              /* small argument for the continuation */
	void *ctx;               /* gather state (users-groups-by-id) */
	int std_msg;             /* errors say the status's name, not strerror */
	size_t idx;
};

/* Start composing a worker request; append the payload to the buffer. */
struct msb_buf *wreq_begin(struct srv *s, uint8_t type);
/*
 * Queue the composed request. h >= 0 attaches that handle's fd and keeps
 * the handle busy until the reply has been handled. Returns the record so
 * the caller can fill s1/s2/u/ctx.
 */
struct wreq *wreq_submit(struct srv *s, int h, uint32_t id,
    wreq_done_fn done);
/* Drain replies (agent fd readable); -1 if the channel failed. */
int worker_read(struct srv *s);
/* Send queued frames (agent fd writable); -1 if the channel failed. */
int worker_flush(struct srv *s);
int worker_want_write(const struct srv *s);
/* Synchronous request, for start-up only (blocking socket). */
int worker_call(struct srv *s, struct msb_frame *f);

/*
 * When a reply is ERROR, send the matching SFTP status and return 1;
 * when it is not of the expected type, treat the channel as broken.
 */
int wreply_error(struct srv *s, struct wreq *w, struct msb_frame *f,
    uint8_t expect);

/* ---- replies to the client (reply.c) ---- */

size_t reply_begin(struct srv *s, uint8_t type, uint32_t id);
void reply_end(struct srv *s, size_t start);
void reply_status(struct srv *s, uint32_t id, uint32_t status,
    const char *msg);
void reply_errno(struct srv *s, uint32_t id, int err);
void reply_handle(struct srv *s, uint32_t id, int idx);
void reply_attrs(struct srv *s, uint32_t id, const struct sftp_attrs *a);
/* NAME with one entry and empty attributes (REALPATH, READLINK...). */
void reply_name1(struct srv *s, uint32_t id, const char *name);
/* Abort on a composition failure (out of memory, over the limit). */
void reply_check(int r);

/* ---- dispatch (dispatch.c) ---- */

/* Process one packet (type byte onwards). replay_h: see dispatch.c. */
void sftp_dispatch(struct srv *s, const uint8_t *pkt, size_t len, int replay_h);
/* A worker request on handle idx finished: replay requests waiting. */
void handle_unbusy(struct srv *s, int idx);
/* Close a handle (logging) and replay what waited on it. */
int handle_close(struct srv *s, int idx, const char *why);

/* ---- the session ---- */

#define SRV_MAX_INFLIGHT   256           /* worker requests */
/*
 * Stop starting requests when this much output waits for the client. Well
 * above what OpenSSH's client has in flight (64 x 256 KiB), so clients that
 * send many requests before reading replies do not stall (sftp-server
 * allows 128 MiB); only a client that never reads pays for the memory.
 */
#define SRV_OQUEUE_SOFT    (64u * 1024u * 1024u)
#define SRV_DEFERRED_MAX   (8u * 1024u * 1024u)

struct txframe;

struct srv {
	int in_fd, out_fd, agent_fd;
	/*
	 * Replies are composed at the end of oq and written from the front
	 * of sendq; the two swap when sendq is empty. A queue that is
	 * appended to while partly written would have to slide its data to
	 * make room; this way nothing is ever moved.
	 */
	struct msb_buf *iq, *oq, *sendq;
	int init_done;
	uint32_t client_version;
	/* policy */
	int readonly;
	char **allow, **deny;        /* NULL = no list */
	/* where relative paths resolve */
	char *start_dir;             /* absolute, from the worker */
	int join_relative;           /* -d given: prefix start_dir ourselves */
	struct sftp_handles ht;
	/* filesystem channel */
	struct msb_buf *ftx, *frx;   /* compose / receive */
	uint32_t next_wid;
	struct wreq *wq_head, *wq_tail;
	unsigned inflight;
	struct txframe *tx_head, *tx_tail;
	size_t deferred_bytes;
	uint64_t max_open_handles;   /* advertised in limits@openssh.com */
	time_t now;                  /* for long names, once per batch */
};

/* Bytes of replies not yet written to the client. */
size_t srv_out_pending(const struct srv *s);

/* Join a client path with the start directory if needed; heap string, or
 * NULL with errno = ENAMETOOLONG. */
char *srv_path(const struct srv *s, const char *path);

#endif
