/*
 * The filesystem channel from the server's side: requests are pipelined
 * (many in flight; the worker answers strictly in order, so replies match
 * the head of a FIFO), frames that the socket cannot take yet wait in a
 * send queue, and each reply runs the continuation of its request.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msb/buf.h"
#include "msb/err.h"
#include "msb/log.h"
#include "msb/proto.h"
#include "msb/xmalloc.h"
#include "server.h"
#include "sftp.h"
#include "status.h"

struct txframe {
	struct txframe *next;
	int fd;                  /* borrowed from a busy handle, or -1 */
	size_t len;
	uint8_t data[];
};

struct msb_buf *
wreq_begin(struct srv *s, uint8_t type)
{
	reply_check(msb_frame_begin(s->ftx, type, s->next_wid));
	return s->ftx;
}

static void
txq_push(struct srv *s, int fd)
{
	size_t len = msb_buf_len(s->ftx);
	struct txframe *t = xmalloc(sizeof(*t) + len);

	t->next = NULL;
	t->fd = fd;
	t->len = len;
	memcpy(t->data, msb_buf_ptr(s->ftx), len);
	if (s->tx_tail != NULL)
		s->tx_tail->next = t;
	else
		s->tx_head = t;
	s->tx_tail = t;
}

struct wreq *
wreq_submit(struct srv *s, int h, uint32_t id, wreq_done_fn done)
{
	struct sftp_handle *hp = NULL;
	struct wreq *w;
	int fd = -1, r;

	reply_check(msb_frame_end(s->ftx));
	if (h >= 0) {
		if ((hp = sftp_handle_at(&s->ht, h)) == NULL)
			log_fatal("internal error: request on a free handle");
		fd = hp->fd;
		hp->busy++;
	}
	w = xcalloc(1, sizeof(*w));
	w->wid = s->next_wid++;
	w->id = id;
	w->done = done;
	w->h = h;
	if (s->tx_head == NULL) {
		r = msb_frame_send(s->agent_fd, s->ftx, &fd, fd >= 0 ? 1 : 0);
		if (r != 0 && !(r == MSB_ERR_SYSTEM && (errno == EAGAIN ||
		    errno == EWOULDBLOCK)))
			log_fatal("filesystem channel: send: %s", r ==
			    MSB_ERR_SYSTEM ? strerror(errno) : msb_strerr(r));
		if (r != 0)
			txq_push(s, fd);
	} else
		txq_push(s, fd);
	if (s->wq_tail != NULL)
		s->wq_tail->next = w;
	else
		s->wq_head = w;
	s->wq_tail = w;
	s->inflight++;
	return w;
}

int
worker_want_write(const struct srv *s)
{
	return s->tx_head != NULL;
}

int
worker_flush(struct srv *s)
{
	struct msb_buf *view;
	struct txframe *t;
	int r;

	while ((t = s->tx_head) != NULL) {
		if ((view = msb_buf_from(t->data, t->len)) == NULL)
			log_fatal("out of memory");
		r = msb_frame_send(s->agent_fd, view, &t->fd, t->fd >= 0 ? 1 : 0);
		msb_buf_free(view);
		if (r == MSB_ERR_SYSTEM && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (r != 0) {
			log_error("filesystem channel: send: %s", r ==
			    MSB_ERR_SYSTEM ? strerror(errno) : msb_strerr(r));
			return -1;
		}
		s->tx_head = t->next;
		if (s->tx_head == NULL)
			s->tx_tail = NULL;
		free(t);
	}
	return 0;
}

static void
wreq_free(struct wreq *w)
{
	free(w->s1);
	free(w->s2);
	free(w);
}

int
worker_read(struct srv *s)
{
	struct msb_frame f;
	struct wreq *w;
	int r, h;

	for (;;) {
		r = msb_frame_recv(s->agent_fd, s->frx, &f);
		if (r == MSB_ERR_SYSTEM && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (r == MSB_ERR_EOF) {
			log_error("filesystem channel closed by the agent");
			return -1;
		}
		if (r != 0) {
			log_error("filesystem channel: receive: %s", r ==
			    MSB_ERR_SYSTEM ? strerror(errno) : msb_strerr(r));
			return -1;
		}
		if ((w = s->wq_head) == NULL || f.id != w->wid) {
			log_error("filesystem channel: unexpected %s (id %u)",
			    msb_msg_name(f.type), f.id);
			if (f.type == MSB_MSG_ERROR) {
				int e;
				char *m = NULL;

				if (msb_proto_get_error(f.payload, &e, &m) == 0)
					log_error("agent: %.200s", m);
				free(m);
			}
			msb_frame_release(&f);
			return -1;
		}
		if ((s->wq_head = w->next) == NULL)
			s->wq_tail = NULL;
		s->inflight--;
		w->done(s, w, &f);
		msb_frame_release(&f);
		h = w->h;
		wreq_free(w);
		if (h >= 0)
			handle_unbusy(s, h);
	}
}

int
wreply_error(struct srv *s, struct wreq *w, struct msb_frame *f,
    uint8_t expect)
{
	char *msg = NULL;
	int err, r;

	if (f->type == expect && f->nfds == (expect == MSB_MSG_FS_FD ? 1 : 0))
		return 0;
	if (f->type == MSB_MSG_ERROR && f->nfds == 0) {
		if ((r = msb_proto_get_error(f->payload, &err, &msg)) != 0)
			log_fatal_r(r, "filesystem channel: bad ERROR");
		log_debug("request %u: worker error %d: %.200s", w->id, err, msg);
		free(msg);
		if (w->std_msg)
			reply_status(s, w->id, sftp_status_from_errno(err),
			    NULL);
		else
			reply_errno(s, w->id, err);
		return 1;
	}
	log_fatal("filesystem channel: %s where %s was expected",
	    msb_msg_name(f->type), msb_msg_name(expect));
}

int
worker_call(struct srv *s, struct msb_frame *f)
{
	int r;

	reply_check(msb_frame_end(s->ftx));
	if ((r = msb_frame_send(s->agent_fd, s->ftx, NULL, 0)) != 0 ||
	    (r = msb_frame_recv(s->agent_fd, s->frx, f)) != 0)
		return r;
	if (f->id != s->next_wid++) {
		msb_frame_release(f);
		return MSB_ERR_PROTOCOL;
	}
	return 0;
}
