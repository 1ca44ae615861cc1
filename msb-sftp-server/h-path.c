/*
 * Path operations: each becomes one filesystem-channel request, performed
 * by the worker inside the sandbox as the session user; the continuation
 * turns the reply (or the errno of an ERROR) into the SFTP reply.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "msb/buf.h"
#include "msb/err.h"
#include "msb/log.h"
#include "msb/proto.h"
#include "msb/xmalloc.h"
#include "ops.h"
#include "sftp.h"

void
setattrs_from_sftp(struct msb_fs_setattrs *sa, const struct sftp_attrs *a)
{
	memset(sa, 0, sizeof(*sa));
	if (a->flags & SSH2_FILEXFER_ATTR_SIZE) {
		sa->mask |= MSB_FS_SET_SIZE;
		sa->size = a->size;
	}
	if (a->flags & SSH2_FILEXFER_ATTR_PERMISSIONS) {
		sa->mask |= MSB_FS_SET_MODE;
		sa->mode = a->perm & 07777;
	}
	if (a->flags & SSH2_FILEXFER_ATTR_ACMODTIME) {
		/* v3 has whole seconds */
		sa->mask |= MSB_FS_SET_ATIME | MSB_FS_SET_MTIME;
		sa->atime_sec = a->atime;
		sa->mtime_sec = a->mtime;
	}
	if (a->flags & SSH2_FILEXFER_ATTR_UIDGID) {
		sa->mask |= MSB_FS_SET_UIDGID;
		sa->uid = a->uid;
		sa->gid = a->gid;
	}
}

void
log_setstat(const char *name, const struct sftp_attrs *a)
{
	char buf[64];
	time_t t = (time_t)a->mtime;
	struct tm tm;

	if (a->flags & SSH2_FILEXFER_ATTR_SIZE)
		log_info("set \"%s\" size %llu", name,
		    (unsigned long long)a->size);
	if (a->flags & SSH2_FILEXFER_ATTR_PERMISSIONS)
		log_info("set \"%s\" mode %04o", name, a->perm);
	if (a->flags & SSH2_FILEXFER_ATTR_ACMODTIME) {
		if (localtime_r(&t, &tm) == NULL ||
		    strftime(buf, sizeof(buf), "%Y%m%d-%H:%M:%S", &tm) == 0)
			snprintf(buf, sizeof(buf), "%u", a->mtime);
		log_info("set \"%s\" modtime %s", name, buf);
	}
	if (a->flags & SSH2_FILEXFER_ATTR_UIDGID)
		log_info("set \"%s\" owner %lu group %lu", name,
		    (unsigned long)a->uid, (unsigned long)a->gid);
}

/* ---- continuations ---- */

void
done_ok(struct srv *s, struct wreq *w, struct msb_frame *f)
{
	if (wreply_error(s, w, f, MSB_MSG_OK))
		return;
	reply_status(s, w->id, SSH2_FX_OK, NULL);
}

void
done_attrs(struct srv *s, struct wreq *w, struct msb_frame *f)
{
	struct msb_fs_attrs fa;
	struct sftp_attrs a;
	int r;

	if (wreply_error(s, w, f, MSB_MSG_FS_ATTRS))
		return;
	if ((r = msb_proto_get_attrs(f->payload, &fa)) != 0)
		log_fatal_r(r, "filesystem channel: bad FS_ATTRS");
	sftp_attrs_from_fs(&a, &fa);
	reply_attrs(s, w->id, &a);
}

void
done_statvfs(struct srv *s, struct wreq *w, struct msb_frame *f)
{
	struct msb_fs_statvfs v;
	size_t start;
	int r;

	if (wreply_error(s, w, f, MSB_MSG_FS_STATVFS_REPLY))
		return;
	if ((r = msb_proto_get_statvfs(f->payload, &v)) != 0)
		log_fatal_r(r, "filesystem channel: bad FS_STATVFS_REPLY");
	start = reply_begin(s, SSH2_FXP_EXTENDED_REPLY, w->id);
	reply_check(msb_buf_put_u64(s->oq, v.bsize));
	reply_check(msb_buf_put_u64(s->oq, v.frsize));
	reply_check(msb_buf_put_u64(s->oq, v.blocks));
	reply_check(msb_buf_put_u64(s->oq, v.bfree));
	reply_check(msb_buf_put_u64(s->oq, v.bavail));
	reply_check(msb_buf_put_u64(s->oq, v.files));
	reply_check(msb_buf_put_u64(s->oq, v.ffree));
	reply_check(msb_buf_put_u64(s->oq, v.favail));
	reply_check(msb_buf_put_u64(s->oq, v.fsid));
	reply_check(msb_buf_put_u64(s->oq,
	    ((v.flag & MSB_FS_ST_RDONLY) ? SSH2_FXE_STATVFS_ST_RDONLY : 0) |
	    ((v.flag & MSB_FS_ST_NOSUID) ? SSH2_FXE_STATVFS_ST_NOSUID : 0)));
	reply_check(msb_buf_put_u64(s->oq, v.namemax));
	reply_end(s, start);
}

void
done_name1(struct srv *s, struct wreq *w, struct msb_frame *f)
{
	char *path = NULL;
	int r;

	if (wreply_error(s, w, f, MSB_MSG_FS_PATH))
		return;
	if ((r = msb_buf_get_cstring(f->payload, &path, NULL)) != 0)
		log_fatal_r(r, "filesystem channel: bad FS_PATH");
	reply_name1(s, w->id, path);
	free(path);
}

/* ---- requests ---- */

static void
one_path(struct srv *s, struct sftp_req *req, uint8_t type,
    wreq_done_fn done)
{
	struct msb_buf *b = wreq_begin(s, type);

	reply_check(msb_buf_put_cstring(b, req->str[0]));
	(void)wreq_submit(s, -1, req->id, done);
}

static void
two_paths(struct srv *s, struct sftp_req *req, uint8_t type)
{
	struct msb_buf *b = wreq_begin(s, type);

	reply_check(msb_buf_put_cstring(b, req->str[0]));
	reply_check(msb_buf_put_cstring(b, req->str[1]));
	(void)wreq_submit(s, -1, req->id, done_ok);
}

static void
do_stat(struct srv *s, struct sftp_req *req, int follow)
{
	struct msb_buf *b = wreq_begin(s, MSB_MSG_FS_STAT);

	log_verbose("%sstat name \"%s\"", follow ? "" : "l", req->str[0]);
	reply_check(msb_buf_put_cstring(b, req->str[0]));
	reply_check(msb_buf_put_u8(b, follow ? 1 : 0));
	(void)wreq_submit(s, -1, req->id, done_attrs);
}

void
op_stat(struct srv *s, struct sftp_req *req)
{
	do_stat(s, req, 1);
}

void
op_lstat(struct srv *s, struct sftp_req *req)
{
	do_stat(s, req, 0);
}

static void
do_setstat(struct srv *s, struct sftp_req *req, int follow)
{
	struct msb_fs_setattrs sa;
	struct msb_buf *b;

	log_setstat(req->str[0], &req->attrs);
	setattrs_from_sftp(&sa, &req->attrs);
	b = wreq_begin(s, MSB_MSG_FS_SETSTAT);
	reply_check(msb_buf_put_cstring(b, req->str[0]));
	reply_check(msb_buf_put_u8(b, follow ? 1 : 0));
	reply_check(msb_proto_put_setattrs(b, &sa));
	(void)wreq_submit(s, -1, req->id, done_ok);
}

void
op_setstat(struct srv *s, struct sftp_req *req)
{
	do_setstat(s, req, 1);
}

void
op_lsetstat(struct srv *s, struct sftp_req *req)
{
	/* a size makes no sense for a link itself */
	if (req->attrs.flags & SSH2_FILEXFER_ATTR_SIZE) {
		reply_status(s, req->id, SSH2_FX_BAD_MESSAGE, NULL);
		return;
	}
	do_setstat(s, req, 0);
}

void
op_remove(struct srv *s, struct sftp_req *req)
{
	log_info("remove name \"%s\"", req->str[0]);
	one_path(s, req, MSB_MSG_FS_UNLINK, done_ok);
}

void
op_mkdir(struct srv *s, struct sftp_req *req)
{
	uint32_t mode = (req->attrs.flags & SSH2_FILEXFER_ATTR_PERMISSIONS) ?
	    req->attrs.perm & 07777 : 0777;
	struct msb_buf *b;

	log_info("mkdir name \"%s\" mode 0%o", req->str[0], mode);
	b = wreq_begin(s, MSB_MSG_FS_MKDIR);
	reply_check(msb_buf_put_cstring(b, req->str[0]));
	reply_check(msb_buf_put_u32(b, mode));
	(void)wreq_submit(s, -1, req->id, done_ok);
}

void
op_rmdir(struct srv *s, struct sftp_req *req)
{
	log_info("rmdir name \"%s\"", req->str[0]);
	one_path(s, req, MSB_MSG_FS_RMDIR, done_ok);
}

void
op_realpath(struct srv *s, struct sftp_req *req)
{
	struct msb_buf *b;

	/* "" is the start directory (the worker's cwd unless -d) */
	if (req->str[0][0] == '\0' && s->join_relative) {
		free(req->str[0]);
		req->str[0] = xstrdup(s->start_dir);
	}
	log_verbose("realpath \"%s\"", req->str[0]);
	/* OpenSSH's sftp prints this text ("realpath x: No such file") */
	b = wreq_begin(s, MSB_MSG_FS_REALPATH);
	reply_check(msb_buf_put_cstring(b, req->str[0]));
	wreq_submit(s, -1, req->id, done_name1)->std_msg = 1;
}

static void
do_rename(struct srv *s, struct sftp_req *req, uint32_t flags)
{
	struct msb_buf *b = wreq_begin(s, MSB_MSG_FS_RENAME);

	reply_check(msb_buf_put_cstring(b, req->str[0]));
	reply_check(msb_buf_put_cstring(b, req->str[1]));
	reply_check(msb_buf_put_u32(b, flags));
	(void)wreq_submit(s, -1, req->id, done_ok);
}

void
op_rename(struct srv *s, struct sftp_req *req)
{
	/* SFTP v3 RENAME never replaces an existing target */
	log_info("rename old \"%s\" new \"%s\"", req->str[0], req->str[1]);
	do_rename(s, req, MSB_FS_RENAME_NOREPLACE);
}

void
op_posix_rename(struct srv *s, struct sftp_req *req)
{
	log_info("posix-rename old \"%s\" new \"%s\"", req->str[0],
	    req->str[1]);
	do_rename(s, req, 0);
}

void
op_readlink(struct srv *s, struct sftp_req *req)
{
	log_verbose("readlink \"%s\"", req->str[0]);
	one_path(s, req, MSB_MSG_FS_READLINK, done_name1);
}

void
op_symlink(struct srv *s, struct sftp_req *req)
{
	/* str[0] is the target, stored as given; str[1] the new link */
	log_info("symlink old \"%s\" new \"%s\"", req->str[0], req->str[1]);
	two_paths(s, req, MSB_MSG_FS_SYMLINK);
}

void
op_hardlink(struct srv *s, struct sftp_req *req)
{
	log_info("hardlink old \"%s\" new \"%s\"", req->str[0], req->str[1]);
	two_paths(s, req, MSB_MSG_FS_LINK);
}

void
op_statvfs(struct srv *s, struct sftp_req *req)
{
	log_info("statvfs \"%s\"", req->str[0]);
	one_path(s, req, MSB_MSG_FS_STATVFS, done_statvfs);
}
