/*
 * Filesystem channel: path and fd operations. They run in the worker, as the
 * session's sandbox user, so the kernel checks every permission and new
 * files get that user as owner.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <unistd.h>

#include "msb/buf.h"
#include "msb/err.h"
#include "msb/proto.h"
#include "fs-ops.h"
#include "fs-path.h"

int
fs_fail(struct fs_ctx *ctx, int err)
{
	ctx->err = err != 0 ? err : EIO;
	return FS_FAIL;
}

int
fs_get_path(struct msb_buf *b, char **pathp)
{
	size_t len;
	int r;

	if ((r = msb_buf_get_cstring(b, pathp, &len)) != 0)
		return r;
	if (len > MSB_PROTO_MAX_PATH) {
		free(*pathp);
		*pathp = NULL;
		return MSB_ERR_TOO_LARGE;
	}
	return 0;
}

/* Compose a reply that carries only ATTRS, e.g. FS_ATTRS. */
static int
reply_attrs(struct fs_ctx *ctx, uint32_t id, const struct stat *st)
{
	struct msb_fs_attrs a;
	int r;

	msb_fs_attrs_from_stat(&a, st);
	if ((r = msb_frame_begin(ctx->tx, MSB_MSG_FS_ATTRS, id)) != 0 ||
	    (r = msb_proto_put_attrs(ctx->tx, &a)) != 0)
		return r;
	return FS_REPLY;
}

static int
reply_ok(struct fs_ctx *ctx, uint32_t id)
{
	int r;

	if ((r = msb_frame_begin(ctx->tx, MSB_MSG_OK, id)) != 0)
		return r;
	return FS_REPLY;
}

static int
reply_path(struct fs_ctx *ctx, uint32_t id, const char *path)
{
	int r;

	if ((r = msb_frame_begin(ctx->tx, MSB_MSG_FS_PATH, id)) != 0 ||
	    (r = msb_buf_put_cstring(ctx->tx, path)) != 0)
		return r;
	return FS_REPLY;
}

/* FS_FD: kind + ATTRS, with fd attached (the worker closes it after send). */
static int
reply_fd(struct fs_ctx *ctx, uint32_t id, int fd)
{
	struct msb_fs_attrs a;
	struct stat st;
	int r;

	if (fstat(fd, &st) != 0) {
		r = fs_fail(ctx, errno);
		close(fd);
		return r;
	}
	msb_fs_attrs_from_stat(&a, &st);
	if ((r = msb_frame_begin(ctx->tx, MSB_MSG_FS_FD, id)) != 0 ||
	    (r = msb_buf_put_u8(ctx->tx, S_ISDIR(st.st_mode) ?
	    MSB_FS_KIND_DIR : MSB_FS_KIND_FILE)) != 0 ||
	    (r = msb_proto_put_attrs(ctx->tx, &a)) != 0) {
		close(fd);
		return r;
	}
	ctx->out_fd = fd;
	return FS_REPLY;
}

/* Decode "string path" + end of payload (the common request shape). */
static int
get_path_only(struct msb_frame *f, char **pathp)
{
	int r;

	if ((r = fs_get_path(f->payload, pathp)) != 0)
		return r;
	if ((r = msb_frame_expect_end(f)) != 0) {
		free(*pathp);
		*pathp = NULL;
		return r;
	}
	return 0;
}

static int
get_two_paths(struct msb_frame *f, char **a, char **b)
{
	int r;

	*b = NULL;
	if ((r = fs_get_path(f->payload, a)) != 0)
		return r;
	if ((r = fs_get_path(f->payload, b)) != 0) {
		free(*a);
		*a = NULL;
		return r;
	}
	return 0;
}

static int
open_flags(uint32_t fl, int *oflags)
{
	static const int acc[] = { O_RDONLY, O_WRONLY, O_RDWR };
	uint32_t known = MSB_FS_O_ACCMODE | MSB_FS_O_APPEND | MSB_FS_O_CREAT |
	    MSB_FS_O_TRUNC | MSB_FS_O_EXCL;

	if ((fl & ~known) != 0 || (fl & MSB_FS_O_ACCMODE) > 2)
		return MSB_ERR_FORMAT;
	*oflags = acc[fl & MSB_FS_O_ACCMODE] |
	    ((fl & MSB_FS_O_APPEND) ? O_APPEND : 0) |
	    ((fl & MSB_FS_O_CREAT) ? O_CREAT : 0) |
	    ((fl & MSB_FS_O_TRUNC) ? O_TRUNC : 0) |
	    ((fl & MSB_FS_O_EXCL) ? O_EXCL : 0);
	return 0;
}

int
fs_open(struct fs_ctx *ctx, struct msb_frame *f)
{
	struct stat st;
	uint32_t flags, mode;
	char *path;
	int r, oflags, fd, fl;

	if ((r = fs_get_path(f->payload, &path)) != 0)
		return r;
	if ((r = msb_buf_get_u32(f->payload, &flags)) != 0 ||
	    (r = msb_buf_get_u32(f->payload, &mode)) != 0 ||
	    (r = msb_frame_expect_end(f)) != 0 ||
	    (r = open_flags(flags, &oflags)) != 0) {
		free(path);
		return r;
	}
	/*
	 * O_NONBLOCK: opening a FIFO or a device must never stall the
	 * session. It is cleared again for regular files below.
	 */
	fd = open(path, oflags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
	    (mode_t)(mode & 07777));
	free(path);
	if (fd < 0)
		return fs_fail(ctx, errno);
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (fl = fcntl(fd, F_GETFL)) >= 0)
		(void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return reply_fd(ctx, f->id, fd);
}

int
fs_opendir(struct fs_ctx *ctx, struct msb_frame *f)
{
	char *path;
	int r, fd;

	if ((r = get_path_only(f, &path)) != 0)
		return r;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY);
	free(path);
	if (fd < 0)
		return fs_fail(ctx, errno);
	return reply_fd(ctx, f->id, fd);
}

int
fs_stat(struct fs_ctx *ctx, struct msb_frame *f)
{
	struct stat st;
	uint8_t follow;
	char *path;
	int r;

	if ((r = fs_get_path(f->payload, &path)) != 0)
		return r;
	if ((r = msb_buf_get_u8(f->payload, &follow)) != 0 ||
	    (r = msb_frame_expect_end(f)) != 0 || follow > 1) {
		free(path);
		return r != 0 ? r : MSB_ERR_FORMAT;
	}
	r = follow ? stat(path, &st) : lstat(path, &st);
	free(path);
	if (r != 0)
		return fs_fail(ctx, errno);
	return reply_attrs(ctx, f->id, &st);
}

int
fs_fstat(struct fs_ctx *ctx, struct msb_frame *f)
{
	struct stat st;
	int r;

	if ((r = msb_frame_expect_end(f)) != 0)
		return r;
	if (fstat(f->fds[0], &st) != 0)
		return fs_fail(ctx, errno);
	return reply_attrs(ctx, f->id, &st);
}

/* The two timestamps of SETATTRS, UTIME_OMIT for those not in the mask. */
static void
set_times(const struct msb_fs_setattrs *s, struct timespec ts[2])
{
	ts[0].tv_sec = (time_t)s->atime_sec;
	ts[0].tv_nsec = (long)s->atime_nsec;
	ts[1].tv_sec = (time_t)s->mtime_sec;
	ts[1].tv_nsec = (long)s->mtime_nsec;
	if (!(s->mask & MSB_FS_SET_ATIME))
		ts[0].tv_nsec = UTIME_OMIT;
	if (!(s->mask & MSB_FS_SET_MTIME))
		ts[1].tv_nsec = UTIME_OMIT;
}

/*
 * Apply SETATTRS in the order size, mode, times, owner (sftp-server's
 * order). Every requested field is attempted; the result is the errno of the
 * last failure. fd >= 0 selects the f* calls, else path (with follow).
 */
static int
apply_setattrs(struct fs_ctx *ctx, int fd, const char *path, int follow,
    const struct msb_fs_setattrs *s)
{
	struct timespec ts[2];
	int err = 0;

	if (s->mask & MSB_FS_SET_SIZE) {
		/* a size makes no sense for a link itself */
		if (s->size > (uint64_t)INT64_MAX || (fd < 0 && !follow))
			err = EINVAL;
		else if ((fd >= 0 ? ftruncate(fd, (off_t)s->size) :
		    truncate(path, (off_t)s->size)) != 0)
			err = errno;
	}
	if (s->mask & MSB_FS_SET_MODE) {
		mode_t m = (mode_t)(s->mode & 07777);

		if (fd >= 0 ? fchmod(fd, m) : follow ? chmod(path, m) :
		    fchmodat(AT_FDCWD, path, m, AT_SYMLINK_NOFOLLOW))
			err = errno;
	}
	if (s->mask & (MSB_FS_SET_ATIME | MSB_FS_SET_MTIME)) {
		set_times(s, ts);
		if (fd >= 0 ? futimens(fd, ts) : utimensat(AT_FDCWD, path, ts,
		    follow ? 0 : AT_SYMLINK_NOFOLLOW))
			err = errno;
	}
	if (s->mask & MSB_FS_SET_UIDGID) {
		if (fd >= 0 ? fchown(fd, s->uid, s->gid) : follow ?
		    chown(path, s->uid, s->gid) : lchown(path, s->uid, s->gid))
			err = errno;
	}
	if (err != 0)
		return fs_fail(ctx, err);
	return FS_REPLY;
}

int
fs_setstat(struct fs_ctx *ctx, struct msb_frame *f)
{
	struct msb_fs_setattrs s;
	uint8_t follow;
	char *path;
	int r;

	if ((r = fs_get_path(f->payload, &path)) != 0)
		return r;
	if ((r = msb_buf_get_u8(f->payload, &follow)) != 0 ||
	    (r = msb_proto_get_setattrs(f->payload, &s)) != 0 ||
	    (r = msb_frame_expect_end(f)) != 0 || follow > 1) {
		free(path);
		return r != 0 ? r : MSB_ERR_FORMAT;
	}
	r = apply_setattrs(ctx, -1, path, follow, &s);
	free(path);
	return r == FS_REPLY ? reply_ok(ctx, f->id) : r;
}

int
fs_fsetstat(struct fs_ctx *ctx, struct msb_frame *f)
{
	struct msb_fs_setattrs s;
	int r;

	if ((r = msb_proto_get_setattrs(f->payload, &s)) != 0 ||
	    (r = msb_frame_expect_end(f)) != 0)
		return r;
	r = apply_setattrs(ctx, f->fds[0], NULL, 1, &s);
	return r == FS_REPLY ? reply_ok(ctx, f->id) : r;
}

int
fs_mkdir(struct fs_ctx *ctx, struct msb_frame *f)
{
	uint32_t mode;
	char *path;
	int r;

	if ((r = fs_get_path(f->payload, &path)) != 0)
		return r;
	if ((r = msb_buf_get_u32(f->payload, &mode)) != 0 ||
	    (r = msb_frame_expect_end(f)) != 0) {
		free(path);
		return r;
	}
	r = mkdir(path, (mode_t)(mode & 07777));
	free(path);
	if (r != 0)
		return fs_fail(ctx, errno);
	return reply_ok(ctx, f->id);
}

/* The ops that take one path and return OK. */
static int
path_op(struct fs_ctx *ctx, struct msb_frame *f, int (*op)(const char *))
{
	char *path;
	int r;

	if ((r = get_path_only(f, &path)) != 0)
		return r;
	r = op(path);
	free(path);
	if (r != 0)
		return fs_fail(ctx, errno);
	return reply_ok(ctx, f->id);
}

int
fs_rmdir(struct fs_ctx *ctx, struct msb_frame *f)
{
	return path_op(ctx, f, rmdir);
}

int
fs_unlink(struct fs_ctx *ctx, struct msb_frame *f)
{
	return path_op(ctx, f, unlink);
}

/*
 * rename(2) and link(2) say EXDEV for paths on two mounts before they look
 * at the names. In a sandbox with volumes that hides what a user on one
 * filesystem (and sftp-server there) is told: that the source or the
 * target's directory does not exist. Find that errno.
 */
static int
xdev_errno(const char *from, const char *to)
{
	struct stat st;
	const char *slash;
	char *dir;
	int err = EXDEV;

	if (lstat(from, &st) != 0)
		return errno;
	if ((slash = strrchr(to, '/')) != NULL && slash != to &&
	    (dir = strndup(to, (size_t)(slash - to))) != NULL) {
		if (stat(dir, &st) != 0)
			err = errno;
		else if (!S_ISDIR(st.st_mode))
			err = ENOTDIR;
		free(dir);
	}
	return err;
}

/*
 * rename that never replaces: renameat2(RENAME_NOREPLACE) where the
 * filesystem has it; else, like sftp-server, link+unlink for regular files
 * (atomic "fail if exists") and a racy check+rename for the rest.
 */
static int
rename_noreplace(const char *from, const char *to)
{
	struct stat st;
	int saved;

	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno == EEXIST) {
		/*
		 * sftp-server checks a non-regular source's target with
		 * stat(), so a dangling symlink there does not count as
		 * existing: rename(2) then replaces it (or fails, ENOTDIR
		 * for a directory). Do the same.
		 */
		saved = errno;
		if (lstat(from, &st) == 0 && !S_ISREG(st.st_mode) &&
		    stat(to, &st) != 0 && errno == ENOENT)
			return rename(from, to);
		errno = saved;
		return -1;
	}
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		return -1;
	if (lstat(from, &st) != 0)
		return -1;
	if (S_ISREG(st.st_mode)) {
		if (link(from, to) == 0) {
			if (unlink(from) == 0)
				return 0;
			saved = errno;
			(void)unlink(to);
			errno = saved;
			return -1;
		}
		if (errno != EOPNOTSUPP && errno != ENOSYS && errno != EXDEV &&
		    errno != EPERM)
			return -1;
	}
	if (lstat(to, &st) == 0) {
		errno = EEXIST;
		return -1;
	}
	return rename(from, to);
}

int
fs_rename(struct fs_ctx *ctx, struct msb_frame *f)
{
	uint32_t flags;
	char *from, *to;
	int r, saved;

	if ((r = get_two_paths(f, &from, &to)) != 0)
		return r;
	if ((r = msb_buf_get_u32(f->payload, &flags)) != 0 ||
	    (r = msb_frame_expect_end(f)) != 0 ||
	    (flags & ~MSB_FS_RENAME_NOREPLACE) != 0) {
		free(from);
		free(to);
		return r != 0 ? r : MSB_ERR_FORMAT;
	}
	r = (flags & MSB_FS_RENAME_NOREPLACE) ? rename_noreplace(from, to) :
	    rename(from, to);
	if (r != 0 && errno == EXDEV)
		errno = xdev_errno(from, to);
	saved = errno;
	free(from);
	free(to);
	if (r != 0)
		return fs_fail(ctx, saved);
	return reply_ok(ctx, f->id);
}

/* The ops that take two paths and return OK. */
static int
two_path_op(struct fs_ctx *ctx, struct msb_frame *f,
    int (*op)(const char *, const char *))
{
	char *a, *b;
	int r, saved;

	if ((r = get_two_paths(f, &a, &b)) != 0)
		return r;
	if ((r = msb_frame_expect_end(f)) != 0) {
		free(a);
		free(b);
		return r;
	}
	r = op(a, b);
	if (r != 0 && errno == EXDEV && op == link)
		errno = xdev_errno(a, b);
	saved = errno;
	free(a);
	free(b);
	if (r != 0)
		return fs_fail(ctx, saved);
	return reply_ok(ctx, f->id);
}

int
fs_link(struct fs_ctx *ctx, struct msb_frame *f)
{
	return two_path_op(ctx, f, link);
}

int
fs_symlink(struct fs_ctx *ctx, struct msb_frame *f)
{
	/* target first, stored as given; then the new link's path */
	return two_path_op(ctx, f, symlink);
}

int
fs_readlink(struct fs_ctx *ctx, struct msb_frame *f)
{
	char *path, buf[PATH_MAX];
	ssize_t n;
	int r;

	if ((r = get_path_only(f, &path)) != 0)
		return r;
	n = readlink(path, buf, sizeof(buf) - 1);
	free(path);
	if (n < 0)
		return fs_fail(ctx, errno);
	buf[n] = '\0';
	return reply_path(ctx, f->id, buf);
}

int
fs_realpath_op(struct fs_ctx *ctx, struct msb_frame *f)
{
	char *path, *res;
	int r;

	if ((r = get_path_only(f, &path)) != 0)
		return r;
	res = fs_realpath(path);
	free(path);
	if (res == NULL)
		return fs_fail(ctx, errno);
	r = reply_path(ctx, f->id, res);
	free(res);
	return r;
}

static int
reply_statvfs(struct fs_ctx *ctx, uint32_t id, const struct statvfs *st)
{
	struct msb_fs_statvfs v;
	int r;

	msb_fs_statvfs_from(&v, st);
	if ((r = msb_frame_begin(ctx->tx, MSB_MSG_FS_STATVFS_REPLY, id)) != 0 ||
	    (r = msb_proto_put_statvfs(ctx->tx, &v)) != 0)
		return r;
	return FS_REPLY;
}

int
fs_statvfs(struct fs_ctx *ctx, struct msb_frame *f)
{
	struct statvfs st;
	char *path;
	int r;

	if ((r = get_path_only(f, &path)) != 0)
		return r;
	r = statvfs(path, &st);
	free(path);
	if (r != 0)
		return fs_fail(ctx, errno);
	return reply_statvfs(ctx, f->id, &st);
}

int
fs_fstatvfs(struct fs_ctx *ctx, struct msb_frame *f)
{
	struct statvfs st;
	int r;

	if ((r = msb_frame_expect_end(f)) != 0)
		return r;
	if (fstatvfs(f->fds[0], &st) != 0)
		return fs_fail(ctx, errno);
	return reply_statvfs(ctx, f->id, &st);
}

int
fs_fsync(struct fs_ctx *ctx, struct msb_frame *f)
{
	int r;

	if ((r = msb_frame_expect_end(f)) != 0)
		return r;
	if (fsync(f->fds[0]) != 0)
		return fs_fail(ctx, errno);
	return reply_ok(ctx, f->id);
}
