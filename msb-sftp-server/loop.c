/*
 * The event loop: SFTP packets from stdin, replies to stdout, requests and
 * replies on the filesystem channel, all non-blocking. Flow control as in
 * sftp-server: input is only read, and requests only started, while the
 * output queue, the worker pipeline and the deferred requests have room.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msb/buf.h"
#include "msb/err.h"
#include "msb/log.h"
#include "loop.h"
#include "server.h"
#include "sftp.h"

#define IN_CHUNK  (256u * 1024u)
/* Room for one more maximal packet plus a read chunk. */
#define IQ_MAX    (2u * (SFTP_MAX_MSG_LENGTH + 4u) + IN_CHUNK)

void
srv_exit(struct srv *s, int status)
{
	size_t i;

	for (i = 0; i < s->ht.n; i++)
		if (s->ht.v[i].kind != SFTP_H_FREE)
			handle_close(s, (int)i, "forced");
	log_info("session closed");
	exit(status);
}

size_t
srv_out_pending(const struct srv *s)
{
	return msb_buf_len(s->oq) + msb_buf_len(s->sendq);
}

/* May more requests be started now? */
static int
can_process(const struct srv *s)
{
	return srv_out_pending(s) < SRV_OQUEUE_SOFT &&
	    s->inflight < SRV_MAX_INFLIGHT &&
	    s->deferred_bytes < SRV_DEFERRED_MAX && !worker_want_write(s);
}

/* Is a whole packet waiting that may be started now? */
static int
input_ready(const struct srv *s)
{
	struct sftp_frame fr;

	return can_process(s) && sftp_frame_peek(msb_buf_ptr(s->iq),
	    msb_buf_len(s->iq), &fr) != MSB_ERR_INCOMPLETE;
}

static void
process_input(struct srv *s)
{
	struct sftp_frame fr;
	int r;

	while (can_process(s)) {
		r = sftp_frame_peek(msb_buf_ptr(s->iq), msb_buf_len(s->iq), &fr);
		if (r == MSB_ERR_INCOMPLETE)
			return;
		if (r == MSB_ERR_TOO_LARGE) {
			log_error("bad message: packet of %u bytes exceeds the "
			    "limit of %u", msb_peek_u32(msb_buf_ptr(s->iq)),
			    SFTP_MAX_MSG_LENGTH);
			srv_exit(s, 11);
		}
		if (r != 0) {
			log_error("bad message: packet too short");
			srv_exit(s, 11);
		}
		sftp_dispatch(s, fr.pkt, fr.len, -1);
		reply_check(msb_buf_consume(s->iq, 4 + fr.len));
	}
}

/* 0 ok, 1 EOF, -1 error */
static int
read_input(struct srv *s)
{
	uint8_t *p;
	ssize_t n;

	reply_check(msb_buf_reserve(s->iq, IN_CHUNK, &p));
	n = read(s->in_fd, p, IN_CHUNK);
	reply_check(msb_buf_consume_end(s->iq, IN_CHUNK - (n > 0 ? (size_t)n : 0)));
	if (n > 0)
		return 0;
	if (n == 0)
		return 1;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return 0;
	log_error("read: %s", strerror(errno));
	return -1;
}

/* 0 ok, 1 the client is gone, -1 error */
static int
write_output(struct srv *s)
{
	ssize_t n;

	struct msb_buf *t;

	while (srv_out_pending(s) > 0) {
		if (msb_buf_len(s->sendq) == 0) {
			t = s->sendq;
			s->sendq = s->oq;
			s->oq = t;
		}
		n = write(s->out_fd, msb_buf_ptr(s->sendq),
		    msb_buf_len(s->sendq));
		if (n > 0) {
			reply_check(msb_buf_consume(s->sendq, (size_t)n));
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || errno == EPIPE)
			return 1;
		log_error("write: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void
check_output(struct srv *s)
{
	int r = write_output(s);

	if (r != 0) {
		log_debug("write %s", r > 0 ? "eof" : "error");
		srv_exit(s, r > 0 ? 0 : 1);
	}
}

void
srv_loop(struct srv *s)
{
	struct pollfd pfd[3];
	int r;

	for (;;) {
		/*
		 * Requests left waiting by the flow control must run before
		 * we block: their client may be waiting for them.
		 */
		do {
			process_input(s);
			if (worker_want_write(s) && worker_flush(s) != 0)
				srv_exit(s, 1);
			if (srv_out_pending(s) > 0)
				check_output(s);
		} while (input_ready(s));
		memset(pfd, 0, sizeof(pfd));
		pfd[0].fd = s->in_fd;
		if (can_process(s) && msb_buf_len(s->iq) + IN_CHUNK <= IQ_MAX)
			pfd[0].events = POLLIN;
		pfd[1].fd = s->out_fd;
		if (srv_out_pending(s) > 0)
			pfd[1].events = POLLOUT;
		pfd[2].fd = s->agent_fd;
		pfd[2].events = POLLIN | (worker_want_write(s) ? POLLOUT : 0);
		if (poll(pfd, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_error("poll: %s", strerror(errno));
			srv_exit(s, 2);
		}
		if (pfd[2].revents & (POLLOUT | POLLERR | POLLHUP)) {
			if (worker_flush(s) != 0)
				srv_exit(s, 1);
		}
		if (pfd[2].revents & (POLLIN | POLLERR | POLLHUP)) {
			if (worker_read(s) != 0)
				srv_exit(s, 1);
		}
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			if ((r = read_input(s)) != 0) {
				log_debug("read %s", r > 0 ? "eof" : "error");
				srv_exit(s, r > 0 ? 0 : 1);
			}
		}
	}
}
