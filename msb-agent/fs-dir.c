/*
 * FS_READDIR: one batch of directory entries with lstat attributes and
 * owner names. The worker keeps no state: the client passes the directory
 * fd each time and the kernel's file offset remembers the position.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msb/buf.h"
#include "msb/err.h"
#include "msb/proto.h"
#include "fs-ops.h"

#define FS_DENTS_BUF (32u * 1024u)

/* Space kept free in the reply: header (9) + count (4). */
#define FS_NAMES_MAX (MSB_PROTO_FRAME_MAX - 5u - 4u)

struct dent {                  /* struct linux_dirent64 */
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

#define ENT_ADDED   0
#define ENT_FULL    1          /* would not fit: nothing appended */
#define ENT_SKIPPED 2          /* vanished or unreadable */

/* Append one entry: ENT_* or a negative MSB_ERR_*. */
static int
put_entry(struct fs_ctx *ctx, size_t start, int dfd, const char *name)
{
	struct msb_fs_attrs a;
	struct stat st;
	char ubuf[16], gbuf[16];
	const char *u, *g;
	size_t before = msb_buf_len(ctx->tx);
	int r;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return ENT_SKIPPED;
	msb_fs_attrs_from_stat(&a, &st);
	u = fs_user_name(ctx, a.uid, ubuf, sizeof(ubuf));
	g = fs_group_name(ctx, a.gid, gbuf, sizeof(gbuf));
	if ((r = msb_buf_put_cstring(ctx->tx, name)) != 0 ||
	    (r = msb_proto_put_attrs(ctx->tx, &a)) != 0 ||
	    (r = msb_buf_put_cstring(ctx->tx, u)) != 0 ||
	    (r = msb_buf_put_cstring(ctx->tx, g)) != 0)
		return r;
	if (msb_buf_len(ctx->tx) - start > FS_NAMES_MAX) {
		msb_buf_consume_end(ctx->tx, msb_buf_len(ctx->tx) - before);
		return ENT_FULL;
	}
	return ENT_ADDED;
}

int
fs_readdir(struct fs_ctx *ctx, struct msb_frame *f)
{
	union {
		char buf[FS_DENTS_BUF];
		struct dent align;
	} u;
	struct dent *d;
	uint32_t count = 0;
	size_t start, pos;
	off_t resume;
	ssize_t n;
	int dfd = f->fds[0], r;

	if ((r = msb_frame_expect_end(f)) != 0)
		return r;
	if ((r = msb_frame_begin(ctx->tx, MSB_MSG_FS_NAMES, f->id)) != 0 ||
	    (r = msb_buf_put_u32(ctx->tx, 0)) != 0)
		return r;
	start = msb_buf_len(ctx->tx);
	/* Loop only while every entry of a batch was skipped. */
	while (count == 0) {
		if ((resume = lseek(dfd, 0, SEEK_CUR)) < 0)
			return fs_fail(ctx, errno);
		if ((n = getdents64(dfd, u.buf, sizeof(u.buf))) < 0)
			return fs_fail(ctx, errno);
		if (n == 0)
			break;             /* end of directory: count 0 */
		for (pos = 0; pos < (size_t)n; pos += d->d_reclen) {
			d = (struct dent *)(u.buf + pos);
			r = put_entry(ctx, start, dfd, d->d_name);
			if (r < 0)
				return r;
			if (r == ENT_FULL) {
				if (count == 0)      /* cannot happen: names are capped */
					return fs_fail(ctx, ENAMETOOLONG);
				/* The next READDIR starts at this entry. */
				if (lseek(dfd, resume, SEEK_SET) < 0)
					return fs_fail(ctx, errno);
				goto done;
			}
			if (r == ENT_ADDED)
				count++;
			resume = (off_t)d->d_off;
		}
	}
 done:
	if ((r = msb_buf_poke_u32(ctx->tx, MSB_PROTO_HDR_LEN, count)) != 0)
		return r;
	return FS_REPLY;
}
