/*
 * File handles. The worker opens the file inside the sandbox, as the
 * session user, and passes the descriptor back; from then on READ and
 * WRITE are plain pread/pwrite here, so bulk data never crosses the agent
 * and the reply data is read straight into the output queue.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msb/buf.h"
#include "msb/err.h"
#include "msb/log.h"
#include "msb/proto.h"
#include "msb/xmalloc.h"
#include "ops.h"
#include "sftp.h"

/* "READ,WRITE,CREATE" for the open log line, like sftp-server. */
static void
pflags_string(uint32_t pflags, char *buf, size_t len)
{
	static const struct {
		uint32_t flag;
		const char *name;
	} names[] = {
		{ SSH2_FXF_READ, "READ" }, { SSH2_FXF_WRITE, "WRITE" },
		{ SSH2_FXF_APPEND, "APPEND" }, { SSH2_FXF_CREAT, "CREATE" },
		{ SSH2_FXF_TRUNC, "TRUNCATE" }, { SSH2_FXF_EXCL, "EXCL" },
	};
	size_t i, used = 0;
	int n;

	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(pflags & names[i].flag))
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used > 0 ? "," : "",
		    names[i].name);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
}

/* sftp-server's flags_from_portable, in filesystem-channel terms. */
static uint32_t
fs_flags(uint32_t pflags)
{
	uint32_t f;

	if ((pflags & SSH2_FXF_READ) && (pflags & SSH2_FXF_WRITE))
		f = MSB_FS_O_RDWR;
	else if (pflags & SSH2_FXF_WRITE)
		f = MSB_FS_O_WRONLY;
	else
		f = MSB_FS_O_RDONLY;
	if (pflags & SSH2_FXF_APPEND)
		f |= MSB_FS_O_APPEND;
	if (pflags & SSH2_FXF_CREAT)
		f |= MSB_FS_O_CREAT;
	if (pflags & SSH2_FXF_TRUNC)
		f |= MSB_FS_O_TRUNC;
	if (pflags & SSH2_FXF_EXCL)
		f |= MSB_FS_O_EXCL;
	return f;
}

static void
done_open(struct srv *s, struct wreq *w, struct msb_frame *f)
{
	uint8_t kind;
	int idx, fd, r;

	if (wreply_error(s, w, f, MSB_MSG_FS_FD))
		return;
	if ((r = msb_buf_get_u8(f->payload, &kind)) != 0)
		log_fatal_r(r, "filesystem channel: bad FS_FD");
	fd = f->fds[0];
	f->fds[0] = -1;            /* ours now */
	idx = sftp_handle_new(&s->ht, SFTP_H_FILE, fd,
	    (w->u & MSB_FS_O_APPEND) != 0, w->s1);
	if (idx < 0) {
		close(fd);
		reply_status(s, w->id, SSH2_FX_FAILURE, "Too many open files");
		return;
	}
	reply_handle(s, w->id, idx);
}

void
op_open(struct srv *s, struct sftp_req *req)
{
	uint32_t pflags = req->u32[0], flags = fs_flags(pflags), mode;
	struct msb_buf *b;
	struct wreq *w;
	char fl[64];

	mode = (req->attrs.flags & SSH2_FILEXFER_ATTR_PERMISSIONS) ?
	    req->attrs.perm : 0666;
	pflags_string(pflags, fl, sizeof(fl));
	log_info("open \"%s\" flags %s mode 0%o", req->str[0], fl, mode);
	if (s->readonly && ((flags & MSB_FS_O_ACCMODE) != MSB_FS_O_RDONLY ||
	    (flags & (MSB_FS_O_CREAT | MSB_FS_O_TRUNC)) != 0)) {
		log_verbose("Refusing open request in read-only mode");
		reply_status(s, req->id, SSH2_FX_PERMISSION_DENIED, NULL);
		return;
	}
	if (s->ht.used >= s->ht.max) {
		reply_status(s, req->id, SSH2_FX_FAILURE, "Too many open files");
		return;
	}
	b = wreq_begin(s, MSB_MSG_FS_OPEN);
	reply_check(msb_buf_put_cstring(b, req->str[0]));
	reply_check(msb_buf_put_u32(b, flags));
	reply_check(msb_buf_put_u32(b, mode & 07777));
	w = wreq_submit(s, -1, req->id, done_open);
	w->s1 = xstrdup(req->str[0]);
	w->u = flags;
}

void
op_close(struct srv *s, struct sftp_req *req)
{
	if (req->hidx[0] < 0) {
		reply_status(s, req->id, SSH2_FX_NO_SUCH_FILE, NULL);
		return;
	}
	if (handle_close(s, req->hidx[0], NULL) != 0)
		reply_errno(s, req->id, errno);
	else
		reply_status(s, req->id, SSH2_FX_OK, NULL);
}

void
op_read(struct srv *s, struct sftp_req *req)
{
	struct sftp_handle *h = sftp_handle_at(&s->ht, req->hidx[0]);
	uint64_t off = req->u64[0];
	uint32_t len = req->u32[0];
	size_t start;
	uint8_t *dst;
	ssize_t n;
	int err;

	if (h == NULL || h->kind != SFTP_H_FILE) {
		reply_status(s, req->id, SSH2_FX_FAILURE, NULL);
		return;
	}
	log_debug("request %u: read \"%s\" (handle %d) off %llu len %u",
	    req->id, h->name, req->hidx[0], (unsigned long long)off, len);
	if (off > (uint64_t)INT64_MAX) {
		reply_errno(s, req->id, EINVAL);
		return;
	}
	if (len > SFTP_MAX_READ_LENGTH)
		len = SFTP_MAX_READ_LENGTH;
	start = reply_begin(s, SSH2_FXP_DATA, req->id);
	reply_check(msb_buf_put_u32(s->oq, len));
	reply_check(msb_buf_reserve(s->oq, len, &dst));
	n = 0;
	if (len > 0)
		do {
			n = pread(h->fd, dst, len, (off_t)off);
		} while (n < 0 && errno == EINTR);
	if (n <= 0 && len > 0) {
		err = errno;
		/* Take the unfinished DATA packet back out of the queue. */
		reply_check(msb_buf_consume_end(s->oq, msb_buf_len(s->oq) - start));
		if (n == 0)
			reply_status(s, req->id, SSH2_FX_EOF, NULL);
		else {
			log_error("read \"%.100s\": %s", h->name, strerror(err));
			reply_errno(s, req->id, err);
		}
		return;
	}
	/* A short read (only at EOF for files): the client asks again. */
	reply_check(msb_buf_consume_end(s->oq, len - (size_t)n));
	reply_check(msb_buf_poke_u32(s->oq, start + 9, (uint32_t)n));
	reply_end(s, start);
	h->bytes_read += (uint64_t)n;
}

void
op_write(struct srv *s, struct sftp_req *req)
{
	struct sftp_handle *h = sftp_handle_at(&s->ht, req->hidx[0]);
	uint64_t off = req->u64[0];
	size_t done = 0;
	ssize_t n;

	if (h == NULL || h->kind != SFTP_H_FILE) {
		reply_status(s, req->id, SSH2_FX_FAILURE, NULL);
		return;
	}
	log_debug("request %u: write \"%s\" (handle %d) off %llu len %zu",
	    req->id, h->name, req->hidx[0], (unsigned long long)off,
	    req->datalen);
	/* On an O_APPEND descriptor Linux pwrite appends: offset ignored. */
	if (h->append)
		off = 0;
	else if (off > (uint64_t)INT64_MAX - req->datalen) {
		reply_errno(s, req->id, EINVAL);
		return;
	}
	while (done < req->datalen) {
		n = pwrite(h->fd, req->data + done, req->datalen - done,
		    (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = ENOSPC;
			/*
			 * sftp-server seeks first: an offset past what the
			 * filesystem allows is its lseek's EINVAL, not EFBIG.
			 */
			if (errno == EFBIG && done == 0 && !h->append &&
			    lseek(h->fd, (off_t)off, SEEK_SET) < 0)
				errno = EINVAL;
			log_error("write \"%.100s\": %s", h->name,
			    strerror(errno));
			h->bytes_written += done;
			reply_errno(s, req->id, errno);
			return;
		}
		done += (size_t)n;
	}
	h->bytes_written += done;
	reply_status(s, req->id, SSH2_FX_OK, NULL);
}

void
op_fstat(struct srv *s, struct sftp_req *req)
{
	struct sftp_handle *h = sftp_handle_at(&s->ht, req->hidx[0]);

	if (h == NULL) {
		reply_status(s, req->id, SSH2_FX_FAILURE, NULL);
		return;
	}
	log_debug("request %u: fstat \"%s\" (handle %d)", req->id, h->name,
	    req->hidx[0]);
	(void)wreq_begin(s, MSB_MSG_FS_FSTAT);
	(void)wreq_submit(s, req->hidx[0], req->id, done_attrs);
}

void
op_fsetstat(struct srv *s, struct sftp_req *req)
{
	struct sftp_handle *h = sftp_handle_at(&s->ht, req->hidx[0]);
	struct msb_fs_setattrs sa;
	struct msb_buf *b;

	if (h == NULL) {
		reply_status(s, req->id, SSH2_FX_FAILURE, NULL);
		return;
	}
	log_setstat(h->name, &req->attrs);
	setattrs_from_sftp(&sa, &req->attrs);
	b = wreq_begin(s, MSB_MSG_FS_FSETSTAT);
	reply_check(msb_proto_put_setattrs(b, &sa));
	(void)wreq_submit(s, req->hidx[0], req->id, done_ok);
}

void
op_fsync(struct srv *s, struct sftp_req *req)
{
	struct sftp_handle *h = sftp_handle_at(&s->ht, req->hidx[0]);

	if (h == NULL) {
		reply_status(s, req->id, SSH2_FX_NO_SUCH_FILE, NULL);
		return;
	}
	log_verbose("fsync \"%s\"", h->name);
	/* A directory handle syncs the directory itself (new entries). */
	if (fsync(h->fd) != 0)
		reply_errno(s, req->id, errno);
	else
		reply_status(s, req->id, SSH2_FX_OK, NULL);
}

void
op_fstatvfs(struct srv *s, struct sftp_req *req)
{
	struct sftp_handle *h = sftp_handle_at(&s->ht, req->hidx[0]);

	if (h == NULL) {
		reply_status(s, req->id, SSH2_FX_FAILURE, NULL);
		return;
	}
	log_debug("request %u: fstatvfs \"%s\" (handle %d)", req->id, h->name,
	    req->hidx[0]);
	(void)wreq_begin(s, MSB_MSG_FS_FSTATVFS);
	(void)wreq_submit(s, req->hidx[0], req->id, done_statvfs);
}
