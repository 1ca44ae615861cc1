/* Agent protocol framing and shared codecs (see PROTOCOL.md). */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/uio.h>
#include <termios.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "msb/buf.h"
#include "msb/err.h"
#include "msb/proto.h"

int
msb_frame_begin(struct msb_buf *b, uint8_t type, uint32_t id)
{
	int r;

	msb_buf_reset(b);
	if ((r = msb_buf_put_u32(b, 0)) != 0 ||
	    (r = msb_buf_put_u8(b, type)) != 0 ||
	    (r = msb_buf_put_u32(b, id)) != 0)
		return r;
	return 0;
}

int
msb_frame_end(struct msb_buf *b)
{
	size_t len = msb_buf_len(b);

	if (len < MSB_PROTO_HDR_LEN)
		return MSB_ERR_INVALID_ARG;
	if (len - 4 > MSB_PROTO_FRAME_MAX)
		return MSB_ERR_TOO_LARGE;
	return msb_buf_poke_u32(b, 0, (uint32_t)(len - 4));
}

int
msb_frame_send(int sock, const struct msb_buf *b, const int *fds, int nfds)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * MSB_PROTO_MAX_FDS)];
		struct cmsghdr align;
	} cmsgbuf;
	struct msghdr msg;
	struct iovec iov;
	struct cmsghdr *cmsg;
	ssize_t n;

	if (nfds < 0 || nfds > MSB_PROTO_MAX_FDS || (nfds > 0 && fds == NULL))
		return MSB_ERR_INVALID_ARG;
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = (void *)msb_buf_ptr(b);
	iov.iov_len = msb_buf_len(b);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (nfds > 0) {
		memset(&cmsgbuf, 0, sizeof(cmsgbuf));
		msg.msg_control = cmsgbuf.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * (size_t)nfds);
	}
	do {
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return MSB_ERR_SYSTEM;
	if ((size_t)n != iov.iov_len) {
		errno = EMSGSIZE;   /* seqpacket sends are atomic */
		return MSB_ERR_SYSTEM;
	}
	return 0;
}

static void
close_fds(int *fds, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (fds[i] >= 0) {
			close(fds[i]);
			fds[i] = -1;
		}
}

int
msb_frame_recv(int sock, struct msb_buf *rx, struct msb_frame *f)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * (MSB_PROTO_MAX_FDS + 8))];
		struct cmsghdr align;
	} cmsgbuf;
	struct msghdr msg;
	struct iovec iov;
	struct cmsghdr *cmsg;
	uint8_t *p;
	uint32_t len;
	size_t cap = MSB_PROTO_FRAME_MAX + 4 + 1, got, nf, i;
	int tmpfds[MSB_PROTO_MAX_FDS + 8], ntmp = 0, r, proto_err = 0;
	ssize_t n;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < MSB_PROTO_MAX_FDS; i++)
		f->fds[i] = -1;
	msb_buf_reset(rx);
	if ((r = msb_buf_reserve(rx, cap, &p)) != 0)
		return r;
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = p;
	iov.iov_len = cap;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cmsgbuf.buf;
	msg.msg_controllen = sizeof(cmsgbuf.buf);
	do {
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		msb_buf_reset(rx);
		return MSB_ERR_SYSTEM;
	}
	/* Collect every fd first so that none leaks on any error path. */
	for (cmsg = CMSG_FIRSTHDR(&msg); cmsg != NULL;
	    cmsg = CMSG_NXTHDR(&msg, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS) {
			proto_err = 1;
			continue;
		}
		nf = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < nf; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int),
			    sizeof(int));
			if (ntmp < (int)(sizeof(tmpfds) / sizeof(tmpfds[0])))
				tmpfds[ntmp++] = fd;
			else {
				close(fd);
				proto_err = 1;
			}
		}
	}
	if ((msg.msg_flags & (MSG_CTRUNC | MSG_TRUNC)) != 0 ||
	    ntmp > MSB_PROTO_MAX_FDS)
		proto_err = 1;
	got = (size_t)n;
	msb_buf_consume_end(rx, cap - got);
	if (n == 0 && ntmp == 0) {
		msb_buf_reset(rx);
		return MSB_ERR_EOF;
	}
	if (!proto_err) {
		if (got < MSB_PROTO_HDR_LEN)
			proto_err = 1;
		else {
			len = msb_peek_u32(p);
			if (len < MSB_PROTO_HDR_LEN - 4 ||
			    len > MSB_PROTO_FRAME_MAX || (size_t)len != got - 4)
				proto_err = 1;
		}
	}
	if (proto_err) {
		close_fds(tmpfds, ntmp);
		msb_buf_reset(rx);
		return MSB_ERR_PROTOCOL;
	}
	f->type = p[4];
	f->id = msb_peek_u32(p + 5);
	if ((f->payload = msb_buf_from(p + MSB_PROTO_HDR_LEN,
	    got - MSB_PROTO_HDR_LEN)) == NULL) {
		close_fds(tmpfds, ntmp);
		return MSB_ERR_ALLOC;
	}
	for (i = 0; i < (size_t)ntmp; i++)
		f->fds[i] = tmpfds[i];
	f->nfds = ntmp;
	return 0;
}

void
msb_frame_release(struct msb_frame *f)
{
	msb_buf_free(f->payload);
	f->payload = NULL;
	close_fds(f->fds, f->nfds);
	f->nfds = 0;
}

int
msb_frame_expect_end(const struct msb_frame *f)
{
	return msb_buf_len(f->payload) == 0 ? 0 : MSB_ERR_PROTOCOL;
}

int
msb_proto_send_error(int sock, uint32_t id, int err, const char *fmt, ...)
{
	struct msb_buf *b;
	char *msg = NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if ((b = msb_buf_new()) == NULL) {
		free(msg);
		return MSB_ERR_ALLOC;
	}
	if ((r = msb_frame_begin(b, MSB_MSG_ERROR, id)) == 0 &&
	    (r = msb_buf_put_u32(b, (uint32_t)err)) == 0 &&
	    (r = msb_buf_put_cstring(b, msg != NULL ? msg : strerror(err))) == 0 &&
	    (r = msb_frame_end(b)) == 0)
		r = msb_frame_send(sock, b, NULL, 0);
	free(msg);
	msb_buf_free(b);
	return r;
}

int
msb_proto_send_ok(int sock, uint32_t id)
{
	struct msb_buf *b;
	int r;

	if ((b = msb_buf_new()) == NULL)
		return MSB_ERR_ALLOC;
	if ((r = msb_frame_begin(b, MSB_MSG_OK, id)) == 0 &&
	    (r = msb_frame_end(b)) == 0)
		r = msb_frame_send(sock, b, NULL, 0);
	msb_buf_free(b);
	return r;
}

int
msb_proto_get_error(struct msb_buf *payload, int *errp, char **msgp)
{
	uint32_t e;
	int r;

	*errp = 0;
	if (msgp != NULL)
		*msgp = NULL;
	if ((r = msb_buf_get_u32(payload, &e)) != 0 ||
	    (r = msb_buf_get_cstring(payload, msgp, NULL)) != 0)
		return r;
	*errp = (int)e;
	return 0;
}

int
msb_proto_put_attrs(struct msb_buf *b, const struct msb_fs_attrs *a)
{
	int r;

	if ((r = msb_buf_put_u64(b, a->dev)) != 0 ||
	    (r = msb_buf_put_u64(b, a->ino)) != 0 ||
	    (r = msb_buf_put_u32(b, a->mode)) != 0 ||
	    (r = msb_buf_put_u32(b, a->nlink)) != 0 ||
	    (r = msb_buf_put_u32(b, a->uid)) != 0 ||
	    (r = msb_buf_put_u32(b, a->gid)) != 0 ||
	    (r = msb_buf_put_u64(b, a->rdev)) != 0 ||
	    (r = msb_buf_put_u64(b, a->size)) != 0 ||
	    (r = msb_buf_put_u64(b, a->blocks)) != 0 ||
	    (r = msb_buf_put_u64(b, (uint64_t)a->atime_sec)) != 0 ||
	    (r = msb_buf_put_u32(b, a->atime_nsec)) != 0 ||
	    (r = msb_buf_put_u64(b, (uint64_t)a->mtime_sec)) != 0 ||
	    (r = msb_buf_put_u32(b, a->mtime_nsec)) != 0 ||
	    (r = msb_buf_put_u64(b, (uint64_t)a->ctime_sec)) != 0 ||
	    (r = msb_buf_put_u32(b, a->ctime_nsec)) != 0)
		return r;
	return 0;
}

int
msb_proto_get_attrs(struct msb_buf *b, struct msb_fs_attrs *a)
{
	struct msb_fs_attrs t;
	uint64_t as, ms, cs;
	int r;

	memset(a, 0, sizeof(*a));
	memset(&t, 0, sizeof(t));
	if ((r = msb_buf_get_u64(b, &t.dev)) != 0 ||
	    (r = msb_buf_get_u64(b, &t.ino)) != 0 ||
	    (r = msb_buf_get_u32(b, &t.mode)) != 0 ||
	    (r = msb_buf_get_u32(b, &t.nlink)) != 0 ||
	    (r = msb_buf_get_u32(b, &t.uid)) != 0 ||
	    (r = msb_buf_get_u32(b, &t.gid)) != 0 ||
	    (r = msb_buf_get_u64(b, &t.rdev)) != 0 ||
	    (r = msb_buf_get_u64(b, &t.size)) != 0 ||
	    (r = msb_buf_get_u64(b, &t.blocks)) != 0 ||
	    (r = msb_buf_get_u64(b, &as)) != 0 ||
	    (r = msb_buf_get_u32(b, &t.atime_nsec)) != 0 ||
	    (r = msb_buf_get_u64(b, &ms)) != 0 ||
	    (r = msb_buf_get_u32(b, &t.mtime_nsec)) != 0 ||
	    (r = msb_buf_get_u64(b, &cs)) != 0 ||
	    (r = msb_buf_get_u32(b, &t.ctime_nsec)) != 0)
		return r;
	t.atime_sec = (int64_t)as;
	t.mtime_sec = (int64_t)ms;
	t.ctime_sec = (int64_t)cs;
	*a = t;
	return 0;
}

void
msb_fs_attrs_from_stat(struct msb_fs_attrs *a, const struct stat *st)
{
	memset(a, 0, sizeof(*a));
	a->dev = (uint64_t)st->st_dev;
	a->ino = (uint64_t)st->st_ino;
	a->mode = (uint32_t)st->st_mode;
	a->nlink = (uint32_t)st->st_nlink;
	a->uid = (uint32_t)st->st_uid;
	a->gid = (uint32_t)st->st_gid;
	a->rdev = (uint64_t)st->st_rdev;
	a->size = (uint64_t)st->st_size;
	a->blocks = (uint64_t)st->st_blocks;
	a->atime_sec = (int64_t)st->st_atim.tv_sec;
	a->atime_nsec = (uint32_t)st->st_atim.tv_nsec;
	a->mtime_sec = (int64_t)st->st_mtim.tv_sec;
	a->mtime_nsec = (uint32_t)st->st_mtim.tv_nsec;
	a->ctime_sec = (int64_t)st->st_ctim.tv_sec;
	a->ctime_nsec = (uint32_t)st->st_ctim.tv_nsec;
}

int
msb_proto_put_setattrs(struct msb_buf *b, const struct msb_fs_setattrs *s)
{
	int r;

	if ((r = msb_buf_put_u32(b, s->mask)) != 0 ||
	    (r = msb_buf_put_u64(b, s->size)) != 0 ||
	    (r = msb_buf_put_u32(b, s->mode)) != 0 ||
	    (r = msb_buf_put_u32(b, s->uid)) != 0 ||
	    (r = msb_buf_put_u32(b, s->gid)) != 0 ||
	    (r = msb_buf_put_u64(b, (uint64_t)s->atime_sec)) != 0 ||
	    (r = msb_buf_put_u32(b, s->atime_nsec)) != 0 ||
	    (r = msb_buf_put_u64(b, (uint64_t)s->mtime_sec)) != 0 ||
	    (r = msb_buf_put_u32(b, s->mtime_nsec)) != 0)
		return r;
	return 0;
}

int
msb_proto_get_setattrs(struct msb_buf *b, struct msb_fs_setattrs *s)
{
	struct msb_fs_setattrs t;
	uint64_t as, ms;
	int r;

	memset(s, 0, sizeof(*s));
	memset(&t, 0, sizeof(t));
	if ((r = msb_buf_get_u32(b, &t.mask)) != 0 ||
	    (r = msb_buf_get_u64(b, &t.size)) != 0 ||
	    (r = msb_buf_get_u32(b, &t.mode)) != 0 ||
	    (r = msb_buf_get_u32(b, &t.uid)) != 0 ||
	    (r = msb_buf_get_u32(b, &t.gid)) != 0 ||
	    (r = msb_buf_get_u64(b, &as)) != 0 ||
	    (r = msb_buf_get_u32(b, &t.atime_nsec)) != 0 ||
	    (r = msb_buf_get_u64(b, &ms)) != 0 ||
	    (r = msb_buf_get_u32(b, &t.mtime_nsec)) != 0)
		return r;
	if ((t.mask & ~(uint32_t)0x1f) != 0 || t.atime_nsec >= 1000000000u ||
	    t.mtime_nsec >= 1000000000u)
		return MSB_ERR_FORMAT;
	t.atime_sec = (int64_t)as;
	t.mtime_sec = (int64_t)ms;
	*s = t;
	return 0;
}

int
msb_proto_put_statvfs(struct msb_buf *b, const struct msb_fs_statvfs *v)
{
	const uint64_t f[11] = { v->bsize, v->frsize, v->blocks, v->bfree,
	    v->bavail, v->files, v->ffree, v->favail, v->fsid, v->flag,
	    v->namemax };
	size_t i;
	int r;

	for (i = 0; i < 11; i++)
		if ((r = msb_buf_put_u64(b, f[i])) != 0)
			return r;
	return 0;
}

int
msb_proto_get_statvfs(struct msb_buf *b, struct msb_fs_statvfs *v)
{
	uint64_t f[11];
	size_t i;
	int r;

	memset(v, 0, sizeof(*v));
	for (i = 0; i < 11; i++)
		if ((r = msb_buf_get_u64(b, &f[i])) != 0)
			return r;
	v->bsize = f[0]; v->frsize = f[1]; v->blocks = f[2]; v->bfree = f[3];
	v->bavail = f[4]; v->files = f[5]; v->ffree = f[6]; v->favail = f[7];
	v->fsid = f[8]; v->flag = f[9]; v->namemax = f[10];
	return 0;
}

void
msb_fs_statvfs_from(struct msb_fs_statvfs *v, const struct statvfs *st)
{
	memset(v, 0, sizeof(*v));
	v->bsize = st->f_bsize;
	v->frsize = st->f_frsize;
	v->blocks = st->f_blocks;
	v->bfree = st->f_bfree;
	v->bavail = st->f_bavail;
	v->files = st->f_files;
	v->ffree = st->f_ffree;
	v->favail = st->f_favail;
	v->fsid = st->f_fsid;
	v->flag = ((st->f_flag & ST_RDONLY) ? MSB_FS_ST_RDONLY : 0) |
	    ((st->f_flag & ST_NOSUID) ? MSB_FS_ST_NOSUID : 0);
	v->namemax = st->f_namemax;
}

int
msb_proto_put_pty(struct msb_buf *b, const struct msb_pty_params *p)
{
	int r;

	if ((r = msb_buf_put_cstring(b, p->term)) != 0 ||
	    (r = msb_buf_put_u32(b, p->rows)) != 0 ||
	    (r = msb_buf_put_u32(b, p->cols)) != 0 ||
	    (r = msb_buf_put_u32(b, p->xpixel)) != 0 ||
	    (r = msb_buf_put_u32(b, p->ypixel)) != 0 ||
	    (r = msb_buf_put_u32(b, p->iflag)) != 0 ||
	    (r = msb_buf_put_u32(b, p->oflag)) != 0 ||
	    (r = msb_buf_put_u32(b, p->cflag)) != 0 ||
	    (r = msb_buf_put_u32(b, p->lflag)) != 0 ||
	    (r = msb_buf_put_u32(b, p->ispeed)) != 0 ||
	    (r = msb_buf_put_u32(b, p->ospeed)) != 0 ||
	    (r = msb_buf_put_string(b, p->cc, sizeof(p->cc))) != 0)
		return r;
	return 0;
}

int
msb_proto_get_pty(struct msb_buf *b, struct msb_pty_params *p)
{
	const uint8_t *cc;
	size_t cclen;
	int r;

	memset(p, 0, sizeof(*p));
	if ((r = msb_buf_get_cstring(b, &p->term, NULL)) != 0)
		return r;
	if ((r = msb_buf_get_u32(b, &p->rows)) != 0 ||
	    (r = msb_buf_get_u32(b, &p->cols)) != 0 ||
	    (r = msb_buf_get_u32(b, &p->xpixel)) != 0 ||
	    (r = msb_buf_get_u32(b, &p->ypixel)) != 0 ||
	    (r = msb_buf_get_u32(b, &p->iflag)) != 0 ||
	    (r = msb_buf_get_u32(b, &p->oflag)) != 0 ||
	    (r = msb_buf_get_u32(b, &p->cflag)) != 0 ||
	    (r = msb_buf_get_u32(b, &p->lflag)) != 0 ||
	    (r = msb_buf_get_u32(b, &p->ispeed)) != 0 ||
	    (r = msb_buf_get_u32(b, &p->ospeed)) != 0 ||
	    (r = msb_buf_get_string_direct(b, &cc, &cclen)) != 0)
		goto fail;
	if (cclen != sizeof(p->cc) || p->rows > 0xffff || p->cols > 0xffff ||
	    p->xpixel > 0xffff || p->ypixel > 0xffff) {
		r = MSB_ERR_FORMAT;
		goto fail;
	}
	memcpy(p->cc, cc, sizeof(p->cc));
	return 0;
 fail:
	free(p->term);
	memset(p, 0, sizeof(*p));
	return r;
}

void
msb_pty_params_from(struct msb_pty_params *p, const char *term,
    const struct termios *tio, const struct winsize *ws)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	p->term = (char *)term;
	if (ws != NULL) {
		p->rows = ws->ws_row;
		p->cols = ws->ws_col;
		p->xpixel = ws->ws_xpixel;
		p->ypixel = ws->ws_ypixel;
	}
	if (tio != NULL) {
		p->iflag = (uint32_t)tio->c_iflag;
		p->oflag = (uint32_t)tio->c_oflag;
		p->cflag = (uint32_t)tio->c_cflag;
		p->lflag = (uint32_t)tio->c_lflag;
		p->ispeed = (uint32_t)cfgetispeed(tio);
		p->ospeed = (uint32_t)cfgetospeed(tio);
		for (i = 0; i < sizeof(p->cc) && i < NCCS; i++)
			p->cc[i] = tio->c_cc[i];
	}
}

void
msb_pty_params_to(const struct msb_pty_params *p, struct termios *tio,
    struct winsize *ws)
{
	size_t i;

	if (ws != NULL) {
		memset(ws, 0, sizeof(*ws));
		ws->ws_row = (unsigned short)p->rows;
		ws->ws_col = (unsigned short)p->cols;
		ws->ws_xpixel = (unsigned short)p->xpixel;
		ws->ws_ypixel = (unsigned short)p->ypixel;
	}
	if (tio != NULL) {
		memset(tio, 0, sizeof(*tio));
		tio->c_iflag = (tcflag_t)p->iflag;
		tio->c_oflag = (tcflag_t)p->oflag;
		tio->c_cflag = (tcflag_t)p->cflag;
		tio->c_lflag = (tcflag_t)p->lflag;
		for (i = 0; i < sizeof(p->cc) && i < NCCS; i++)
			tio->c_cc[i] = p->cc[i];
		cfsetispeed(tio, (speed_t)p->ispeed);
		cfsetospeed(tio, (speed_t)p->ospeed);
	}
}

void
msb_pty_params_free(struct msb_pty_params *p)
{
	free(p->term);
	p->term = NULL;
}

const char *
msb_msg_name(uint8_t type)
{
	static const struct {
		uint8_t type;
		const char *name;
	} names[] = {
		{ MSB_MSG_HELLO, "HELLO" }, { MSB_MSG_HELLO_OK, "HELLO_OK" },
		{ MSB_MSG_ERROR, "ERROR" }, { MSB_MSG_OK, "OK" },
		{ MSB_MSG_EXEC, "EXEC" }, { MSB_MSG_STARTED, "STARTED" },
		{ MSB_MSG_EXITED, "EXITED" }, { MSB_MSG_SIGNAL, "SIGNAL" },
		{ MSB_MSG_RESIZE, "RESIZE" }, { MSB_MSG_ACCOUNTS, "ACCOUNTS" },
		{ MSB_MSG_ACCOUNTS_REPLY, "ACCOUNTS_REPLY" },
		{ MSB_MSG_FS_OPEN, "FS_OPEN" }, { MSB_MSG_FS_OPENDIR, "FS_OPENDIR" },
		{ MSB_MSG_FS_READDIR, "FS_READDIR" }, { MSB_MSG_FS_STAT, "FS_STAT" },
		{ MSB_MSG_FS_FSTAT, "FS_FSTAT" }, { MSB_MSG_FS_SETSTAT, "FS_SETSTAT" },
		{ MSB_MSG_FS_FSETSTAT, "FS_FSETSTAT" }, { MSB_MSG_FS_MKDIR, "FS_MKDIR" },
		{ MSB_MSG_FS_RMDIR, "FS_RMDIR" }, { MSB_MSG_FS_UNLINK, "FS_UNLINK" },
		{ MSB_MSG_FS_RENAME, "FS_RENAME" }, { MSB_MSG_FS_LINK, "FS_LINK" },
		{ MSB_MSG_FS_SYMLINK, "FS_SYMLINK" },
		{ MSB_MSG_FS_READLINK, "FS_READLINK" },
		{ MSB_MSG_FS_REALPATH, "FS_REALPATH" },
		{ MSB_MSG_FS_STATVFS, "FS_STATVFS" },
		{ MSB_MSG_FS_FSTATVFS, "FS_FSTATVFS" }, { MSB_MSG_FS_FSYNC, "FS_FSYNC" },
		{ MSB_MSG_FS_GETPWNAM, "FS_GETPWNAM" },
		{ MSB_MSG_FS_GETPWUID, "FS_GETPWUID" },
		{ MSB_MSG_FS_GETGRGID, "FS_GETGRGID" }, { MSB_MSG_FS_FD, "FS_FD" },
		{ MSB_MSG_FS_ATTRS, "FS_ATTRS" }, { MSB_MSG_FS_NAMES, "FS_NAMES" },
		{ MSB_MSG_FS_PATH, "FS_PATH" },
		{ MSB_MSG_FS_STATVFS_REPLY, "FS_STATVFS_REPLY" },
		{ MSB_MSG_FS_PW, "FS_PW" }, { MSB_MSG_FS_GR, "FS_GR" },
	};
	static char unknown[8];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].type == type)
			return names[i].name;
	snprintf(unknown, sizeof(unknown), "0x%02x", type);
	return unknown;
}
