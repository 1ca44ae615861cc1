/*
 * Connections: receive, validate and dispatch frames from a table; queue
 * replies when the peer's socket is full. A peer that breaks the protocol
 * gets an ERROR (when possible) and loses its connection, nothing more.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "msb/buf.h"
#include "msb/err.h"
#include "msb/log.h"
#include "msb/proto.h"
#include "msb/xmalloc.h"
#include "agent.h"

#define ST(s) CONN_STATE_BIT(s)

typedef int (*handler_fn)(struct agent *, struct conn *, struct msb_frame *);

/*
 * Which message is accepted on which channel (0: not chosen yet) in which
 * states, with how many fds. Filesystem connections never appear here:
 * they are handed to a worker right after HELLO. EXEC's exact fd count
 * depends on its flags and is checked by its decoder.
 */
static const struct handler {
	uint8_t type;
	uint8_t channel;
	unsigned states;
	int min_fds, max_fds;
	handler_fn fn;
} handlers[] = {
	{ MSB_MSG_HELLO, 0, ST(CONN_HELLO), 0, 0, cmd_hello },
	{ MSB_MSG_EXEC, MSB_CHAN_COMMAND, ST(CONN_READY), 0, 3, cmd_exec },
	{ MSB_MSG_SIGNAL, MSB_CHAN_COMMAND, ST(CONN_READY) | ST(CONN_STARTING) |
	    ST(CONN_RUNNING) | ST(CONN_DONE), 0, 0, cmd_signal },
	{ MSB_MSG_ACCOUNTS, MSB_CHAN_COMMAND, ST(CONN_READY), 0, 0,
	    cmd_accounts },
	{ 0, 0, 0, 0, 0, NULL },
};

static const char *const state_names[] = {
	"awaiting HELLO", "ready", "starting", "running", "finished",
};

struct conn *
conn_new(struct agent *a, int fd)
{
	struct conn *c = xcalloc(1, sizeof(*c));

	c->fd = fd;
	c->state = CONN_HELLO;
	c->hello_deadline = agent_now_ms() + MSB_PROTO_HELLO_TIMEOUT_MS;
	c->serial = ++a->next_serial;
	if (a->nconns == a->capconns) {
		a->capconns = a->capconns == 0 ? 16 : a->capconns * 2;
		a->conns = xreallocarray(a->conns, a->capconns,
		    sizeof(*a->conns));
	}
	a->conns[a->nconns++] = c;
	return c;
}

static void
outmsg_free(struct outmsg *m)
{
	if (m->fd >= 0)
		close(m->fd);
	msb_buf_free(m->b);
	free(m);
}

/* The connection is gone: hang up its session, free everything. */
void
conn_drop(struct agent *a, struct conn *c, const char *why)
{
	struct outmsg *m;

	if (c->dead)
		return;
	log_debug("connection #%llu closed: %s", (unsigned long long)c->serial,
	    why);
	c->dead = 1;
	if (c->sess != NULL)
		session_detach(a, c->sess);
	c->sess = NULL;
	while ((m = c->out_head) != NULL) {
		c->out_head = m->next;
		outmsg_free(m);
	}
	c->out_tail = NULL;
	c->nout = 0;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* Free dropped connections (deferred so that loops never see freed ones). */
void
conn_sweep(struct agent *a)
{
	size_t i = 0;

	while (i < a->nconns) {
		if (a->conns[i]->dead) {
			free(a->conns[i]);
			a->conns[i] = a->conns[--a->nconns];
		} else
			i++;
	}
}

/* 0 sent, 1 would block, -1 peer gone. */
static int
try_send(struct conn *c, const struct msb_buf *b, int fd)
{
	if (msb_frame_send(c->fd, b, fd >= 0 ? &fd : NULL, fd >= 0 ? 1 : 0)
	    == 0)
		return 0;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)
		return 1;
	return -1;
}

void
conn_send(struct agent *a, struct conn *c, struct msb_buf *b, int fd)
{
	struct outmsg *m;
	int r;

	if (c->dead) {
		if (fd >= 0)
			close(fd);
		return;
	}
	if (c->out_head == NULL) {
		if ((r = try_send(c, b, fd)) == 0) {
			if (fd >= 0)
				close(fd);   /* the peer has its own copy */
			return;
		}
		if (r < 0) {
			if (fd >= 0)
				close(fd);
			conn_drop(a, c, strerror(errno));
			return;
		}
	}
	if (c->nout >= AGENT_OUTBOX_MAX) {
		if (fd >= 0)
			close(fd);
		conn_drop(a, c, "peer does not read its replies");
		return;
	}
	m = xcalloc(1, sizeof(*m));
	m->b = msb_buf_new();
	if (m->b == NULL || msb_buf_put(m->b, msb_buf_ptr(b),
	    msb_buf_len(b)) != 0)
		log_fatal("out of memory");
	m->fd = fd;
	if (c->out_tail != NULL)
		c->out_tail->next = m;
	else
		c->out_head = m;
	c->out_tail = m;
	c->nout++;
}

/* POLLOUT: send what was queued. */
void
conn_flush(struct agent *a, struct conn *c)
{
	struct outmsg *m;
	int r;

	while (!c->dead && (m = c->out_head) != NULL) {
		if ((r = try_send(c, m->b, m->fd)) == 1)
			return;
		if (r < 0) {
			conn_drop(a, c, strerror(errno));
			return;
		}
		c->out_head = m->next;
		if (c->out_head == NULL)
			c->out_tail = NULL;
		c->nout--;
		outmsg_free(m);
	}
}

static void
send_verror(struct agent *a, struct conn *c, uint32_t id, int err,
    const char *fmt, va_list ap)
{
	struct msb_buf *b;
	char *msg = NULL;

	if (vasprintf(&msg, fmt, ap) < 0)
		log_fatal("out of memory");
	if ((b = msb_buf_new()) == NULL ||
	    msb_frame_begin(b, MSB_MSG_ERROR, id) != 0 ||
	    msb_buf_put_u32(b, (uint32_t)err) != 0 ||
	    msb_buf_put_cstring(b, msg) != 0 || msb_frame_end(b) != 0)
		log_fatal("cannot compose ERROR");
	log_verbose("connection #%llu: ERROR %d: %.200s",
	    (unsigned long long)c->serial, err, msg);
	conn_send(a, c, b, -1);
	msb_buf_free(b);
	free(msg);
}

void
conn_error(struct agent *a, struct conn *c, uint32_t id, int err,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	send_verror(a, c, id, err, fmt, ap);
	va_end(ap);
}

int
conn_fail(struct agent *a, struct conn *c, uint32_t id, int err,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	send_verror(a, c, id, err, fmt, ap);
	va_end(ap);
	conn_drop(a, c, "protocol error");
	return -1;
}

static const struct handler *
find_handler(uint8_t type)
{
	const struct handler *h;

	for (h = handlers; h->fn != NULL; h++)
		if (h->type == type)
			return h;
	return NULL;
}

static void
dispatch(struct agent *a, struct conn *c, struct msb_frame *f)
{
	const struct handler *h = find_handler(f->type);

	log_debug2("connection #%llu: %s id %u, %d fds",
	    (unsigned long long)c->serial, msb_msg_name(f->type), f->id,
	    f->nfds);
	if (h == NULL) {
		conn_fail(a, c, f->id, EPROTO, "unknown message type 0x%02x",
		    f->type);
		return;
	}
	if (h->channel != c->channel || (h->states & ST(c->state)) == 0) {
		conn_fail(a, c, f->id, EPROTO, "unexpected %s (connection %s)",
		    msb_msg_name(f->type), state_names[c->state]);
		return;
	}
	if (f->nfds < h->min_fds || f->nfds > h->max_fds) {
		conn_fail(a, c, f->id, EPROTO, "%s with %d file descriptors",
		    msb_msg_name(f->type), f->nfds);
		return;
	}
	(void)h->fn(a, c, f);
}

/* Size of the next packet without consuming it; -1 if none or error. */
static ssize_t
peek_size(int fd)
{
	ssize_t n;

	do {
		n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
	} while (n < 0 && errno == EINTR);
	return n;
}

/*
 * recvmsg() returns 0 both at EOF and for an empty packet; only a real EOF
 * comes with the peer's shutdown.
 */
static int
peer_closed(int fd)
{
	struct pollfd p;

	p.fd = fd;
	p.events = POLLRDHUP;
	p.revents = 0;
	if (poll(&p, 1, 0) < 0)
		return 1;
	return (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

void
conn_read(struct agent *a, struct conn *c)
{
	struct msb_frame f;
	ssize_t size;
	int i, r;

	for (i = 0; i < AGENT_FRAMES_PER_WAKE; i++) {
		if (c->dead || c->out_head != NULL)
			return;
		size = peek_size(c->fd);
		r = msb_frame_recv(c->fd, a->rx, &f);
		if (r == MSB_ERR_SYSTEM && (errno == EAGAIN ||
		    errno == EWOULDBLOCK))
			return;
		if (r == MSB_ERR_EOF) {
			if (peer_closed(c->fd))
				conn_drop(a, c, "closed by peer");
			else
				conn_fail(a, c, 0, EPROTO, "empty packet");
			return;
		}
		if (r == MSB_ERR_SYSTEM) {
			conn_drop(a, c, strerror(errno));
			return;
		}
		if (r == MSB_ERR_PROTOCOL) {
			if (size > (ssize_t)MSB_PROTO_FRAME_MAX + 4)
				conn_fail(a, c, 0, EMSGSIZE, "frame of %zd "
				    "bytes exceeds the limit of %u", size,
				    MSB_PROTO_FRAME_MAX + 4);
			else
				conn_fail(a, c, 0, EPROTO, "malformed frame "
				    "(%zd bytes)", size);
			return;
		}
		if (r != 0) {
			conn_drop(a, c, msb_strerr(r));
			return;
		}
		dispatch(a, c, &f);
		msb_frame_release(&f);
	}
}
