/*
 * Directory handles. The worker returns a whole getdents batch (with lstat
 * attributes and owner names) per FS_READDIR; entries not yet handed out
 * wait on the handle, so one worker round trip serves several READDIRs.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "msb/buf.h"
#include "msb/err.h"
#include "msb/log.h"
#include "msb/proto.h"
#include "msb/xmalloc.h"
#include "longname.h"
#include "ops.h"
#include "sftp.h"

/* Keep NAME replies well below the 256 KiB clients accept. */
#define NAMES_REPLY_SOFT_MAX (64u * 1024u)

static void
done_opendir(struct srv *s, struct wreq *w, struct msb_frame *f)
{
	uint8_t kind;
	int idx, fd, r;

	if (wreply_error(s, w, f, MSB_MSG_FS_FD))
		return;
	if ((r = msb_buf_get_u8(f->payload, &kind)) != 0)
		log_fatal_r(r, "filesystem channel: bad FS_FD");
	fd = f->fds[0];
	f->fds[0] = -1;
	idx = sftp_handle_new(&s->ht, SFTP_H_DIR, fd, 0, w->s1);
	if (idx < 0) {
		close(fd);
		reply_status(s, w->id, SSH2_FX_FAILURE, "Too many open files");
		return;
	}
	reply_handle(s, w->id, idx);
}

void
op_opendir(struct srv *s, struct sftp_req *req)
{
	struct msb_buf *b;
	struct wreq *w;

	log_info("opendir \"%s\"", req->str[0]);
	if (s->ht.used >= s->ht.max) {
		reply_status(s, req->id, SSH2_FX_FAILURE, "Too many open files");
		return;
	}
	b = wreq_begin(s, MSB_MSG_FS_OPENDIR);
	reply_check(msb_buf_put_cstring(b, req->str[0]));
	w = wreq_submit(s, -1, req->id, done_opendir);
	w->s1 = xstrdup(req->str[0]);
}

/* One FS_NAMES entry -> one NAME entry (name, long name, ATTRS). */
static void
emit_entry(struct srv *s, struct msb_buf *src)
{
	struct msb_fs_attrs fa;
	struct sftp_attrs a;
	char *name = NULL, *user = NULL, *group = NULL, *ln;
	int r;

	if ((r = msb_buf_get_cstring(src, &name, NULL)) != 0 ||
	    (r = msb_proto_get_attrs(src, &fa)) != 0 ||
	    (r = msb_buf_get_cstring(src, &user, NULL)) != 0 ||
	    (r = msb_buf_get_cstring(src, &group, NULL)) != 0)
		log_fatal_r(r, "filesystem channel: bad FS_NAMES entry");
	ln = sftp_longname(name, &fa, user, group, s->now);
	sftp_attrs_from_fs(&a, &fa);
	reply_check(msb_buf_put_cstring(s->oq, name));
	reply_check(msb_buf_put_cstring(s->oq, ln));
	reply_check(sftp_attrs_encode(s->oq, &a));
	free(ln);
	free(name);
	free(user);
	free(group);
}

/* A NAME reply from the entries waiting on the handle. */
static void
emit_names(struct srv *s, uint32_t id, struct sftp_handle *h)
{
	size_t start, count_at;
	uint32_t n = 0;

	s->now = time(NULL);
	start = reply_begin(s, SSH2_FXP_NAME, id);
	count_at = msb_buf_len(s->oq);
	reply_check(msb_buf_put_u32(s->oq, 0));
	while (h->names_left > 0 &&
	    msb_buf_len(s->oq) - start < NAMES_REPLY_SOFT_MAX) {
		emit_entry(s, h->names);
		h->names_left--;
		n++;
	}
	reply_check(msb_buf_poke_u32(s->oq, count_at, n));
	reply_end(s, start);
	log_debug("request %u: sent names count %u", id, n);
	if (h->names_left == 0) {
		msb_buf_free(h->names);
		h->names = NULL;
	}
}

static void
done_readdir(struct srv *s, struct wreq *w, struct msb_frame *f)
{
	struct sftp_handle *h = sftp_handle_at(&s->ht, w->h);
	uint32_t count;
	int r;

	if (wreply_error(s, w, f, MSB_MSG_FS_NAMES))
		return;
	if ((r = msb_buf_get_u32(f->payload, &count)) != 0)
		log_fatal_r(r, "filesystem channel: bad FS_NAMES");
	if (count == 0) {
		reply_status(s, w->id, SSH2_FX_EOF, NULL);
		return;
	}
	/* The payload is a view of the receive buffer: keep a copy. */
	if ((h->names = msb_buf_new()) == NULL ||
	    msb_buf_put(h->names, msb_buf_ptr(f->payload),
	    msb_buf_len(f->payload)) != 0)
		log_fatal("out of memory");
	h->names_left = count;
	emit_names(s, w->id, h);
}

void
op_readdir(struct srv *s, struct sftp_req *req)
{
	struct sftp_handle *h = sftp_handle_at(&s->ht, req->hidx[0]);

	if (h == NULL || h->kind != SFTP_H_DIR) {
		reply_status(s, req->id, SSH2_FX_FAILURE, NULL);
		return;
	}
	log_debug("request %u: readdir \"%s\" (handle %d)", req->id, h->name,
	    req->hidx[0]);
	if (h->names_left > 0) {
		emit_names(s, req->id, h);
		return;
	}
	(void)wreq_begin(s, MSB_MSG_FS_READDIR);
	(void)wreq_submit(s, req->hidx[0], req->id, done_readdir);
}
