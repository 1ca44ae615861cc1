/*
 * Request dispatch: find the request in the table, decode its arguments,
 * apply the policy, keep per-handle order, and call the handler.
 *
 * Ordering: replies may leave out of order (clients match ids), but the
 * requests on one handle run in the order they arrived. While a worker
 * request that uses a handle is in flight (the handle is "busy"), later
 * requests naming that handle wait in its queue and are replayed, in
 * order, when it becomes idle.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "msb/buf.h"
#include "msb/err.h"
#include "msb/log.h"
#include "msb/proto.h"
#include "msb/xmalloc.h"
#include "server.h"
#include "sftp.h"

char *
srv_path(const struct srv *s, const char *path)
{
	char *p;

	/*
	 * "" stays "": sftp-server passes it to the system, which says
	 * ENOENT (REALPATH and expand-path map it to the start dir).
	 */
	if (s->join_relative && path[0] != '/' && path[0] != '\0')
		p = xstrfmt("%s%s%s", s->start_dir,
		    strcmp(s->start_dir, "/") == 0 ? "" : "/", path);
	else
		p = xstrdup(path);
	if (strlen(p) > MSB_PROTO_MAX_PATH) {
		free(p);
		errno = ENAMETOOLONG;
		return NULL;
	}
	return p;
}

static void
process_init(struct srv *s, uint32_t version)
{
	const struct sftp_op *ops;
	size_t i, n, start;

	s->client_version = version;
	log_verbose("received client version %u", version);
	start = reply_begin(s, SSH2_FXP_VERSION, SFTP_VERSION);
	ops = sftp_ops_all(&n);
	for (i = 0; i < n; i++) {
		if (ops[i].ext_name == NULL || !sftp_request_permitted(s, &ops[i]))
			continue;
		reply_check(msb_buf_put_cstring(s->oq, ops[i].ext_name));
		reply_check(msb_buf_put_cstring(s->oq, ops[i].ext_version));
	}
	reply_end(s, start);
	s->init_done = 1;
}

static void
defer(struct srv *s, int idx, const uint8_t *pkt, size_t len)
{
	struct sftp_handle *h = sftp_handle_at(&s->ht, idx);
	struct sftp_deferred *d = xmalloc(sizeof(*d) + len);

	d->next = NULL;
	d->len = len;
	memcpy(d->pkt, pkt, len);
	if (h->wait_tail != NULL)
		h->wait_tail->next = d;
	else
		h->wait_head = d;
	h->wait_tail = d;
	s->deferred_bytes += len;
}

/* Run the requests queued on idx while it is idle. */
static void
replay(struct srv *s, int idx)
{
	struct sftp_handle *h = sftp_handle_at(&s->ht, idx);
	struct sftp_deferred *d;
	uint32_t gen = h != NULL ? h->gen : 0;

	/* Re-fetch every time: handlers may grow or change the table. */
	while ((h = sftp_handle_at(&s->ht, idx)) != NULL && h->gen == gen &&
	    h->busy == 0 && (d = h->wait_head) != NULL) {
		if ((h->wait_head = d->next) == NULL)
			h->wait_tail = NULL;
		s->deferred_bytes -= d->len;
		sftp_dispatch(s, d->pkt, d->len, idx);
		free(d);
	}
}

void
handle_unbusy(struct srv *s, int idx)
{
	struct sftp_handle *h = sftp_handle_at(&s->ht, idx);

	if (h == NULL || h->busy == 0)
		log_fatal("internal error: handle %d not busy", idx);
	if (--h->busy == 0)
		replay(s, idx);
}

int
handle_close(struct srv *s, int idx, const char *why)
{
	struct sftp_handle *h = sftp_handle_at(&s->ht, idx);
	struct sftp_deferred *d, *next;
	int r, saved;

	if (h->kind == SFTP_H_FILE)
		log_info("%s%sclose \"%s\" bytes read %llu written %llu",
		    why != NULL ? why : "", why != NULL ? " " : "", h->name,
		    (unsigned long long)h->bytes_read,
		    (unsigned long long)h->bytes_written);
	else
		log_info("%s%sclosedir \"%s\"", why != NULL ? why : "",
		    why != NULL ? " " : "", h->name);
	r = sftp_handle_free(&s->ht, idx, &d);
	saved = errno;
	/* What waited behind the close now finds the handle gone. */
	for (; d != NULL; d = next) {
		next = d->next;
		s->deferred_bytes -= d->len;
		sftp_dispatch(s, d->pkt, d->len, -1);
		free(d);
	}
	errno = saved;
	return r;
}

/* Decode, check and run one request; replies on every failure path. */
static void
run_request(struct srv *s, const struct sftp_op *op, struct sftp_req *req,
    struct msb_buf *b, const uint8_t *pkt, size_t len, int replay_h)
{
	struct sftp_handle *h;
	char *p;
	int i, r;

	if ((r = sftp_req_decode(op->args, b, req)) != 0) {
		log_error("request %u: malformed %s request: %s", req->id,
		    op->name, msb_strerr(r));
		reply_status(s, req->id, SSH2_FX_BAD_MESSAGE, NULL);
		return;
	}
	if (!sftp_request_permitted(s, op)) {
		reply_status(s, req->id, SSH2_FX_PERMISSION_DENIED, NULL);
		return;
	}
	for (i = 0; i < req->nhandle; i++) {
		req->hidx[i] = -1;
		if (req->handle[i].len < SFTP_MAX_HANDLE_LEN)
			req->hidx[i] = sftp_handle_lookup(&s->ht,
			    req->handle[i].p, req->handle[i].len, op->hmask[i]);
		if (req->hidx[i] < 0)
			continue;
		h = sftp_handle_at(&s->ht, req->hidx[i]);
		if (h->busy > 0 || (h->wait_head != NULL &&
		    req->hidx[i] != replay_h)) {
			defer(s, req->hidx[i], pkt, len);
			return;
		}
	}
	for (i = 0; i < req->nstr; i++) {
		if (req->is_path[i]) {
			if ((p = srv_path(s, req->str[i])) == NULL) {
				reply_errno(s, req->id, ENAMETOOLONG);
				return;
			}
			free(req->str[i]);
			req->str[i] = p;
		} else if (strlen(req->str[i]) > MSB_PROTO_MAX_PATH) {
			reply_errno(s, req->id, ENAMETOOLONG);
			return;
		}
	}
	op->fn(s, req);
}

void
sftp_dispatch(struct srv *s, const uint8_t *pkt, size_t len, int replay_h)
{
	const struct sftp_op *op;
	struct sftp_req req;
	struct msb_buf *b;
	char *ext = NULL;
	int r;

	memset(&req, 0, sizeof(req));
	if ((b = msb_buf_from(pkt, len)) == NULL)
		log_fatal("out of memory");
	/* The framing guaranteed type + 4 bytes. */
	if (msb_buf_get_u8(b, &req.type) != 0 || msb_buf_get_u32(b, &req.id) != 0)
		log_fatal("internal error: short packet");
	if (req.type == SSH2_FXP_INIT) {
		process_init(s, req.id);
		goto out;
	}
	if (!s->init_done) {
		log_error("received %u request before init", req.type);
		exit(1);
	}
	if (req.type == SSH2_FXP_EXTENDED) {
		if ((r = msb_buf_get_cstring(b, &ext, NULL)) != 0) {
			log_error("request %u: malformed extended request: %s",
			    req.id, msb_strerr(r));
			reply_status(s, req.id, SSH2_FX_BAD_MESSAGE, NULL);
			goto out;
		}
		if ((op = sftp_op_by_ext(ext)) == NULL) {
			log_error("Unknown extended request \"%.100s\"", ext);
			reply_status(s, req.id, SSH2_FX_OP_UNSUPPORTED, NULL);
			goto out;
		}
	} else if ((op = sftp_op_by_type(req.type)) == NULL) {
		log_error("Unknown message %u", req.type);
		reply_status(s, req.id, SSH2_FX_OP_UNSUPPORTED, NULL);
		goto out;
	}
	run_request(s, op, &req, b, pkt, len, replay_h);
 out:
	sftp_req_free(&req);
	free(ext);
	msb_buf_free(b);
}
