/*
 * Account lookups for the filesystem channel, answered from the sandbox's
 * own /etc/passwd and /etc/group (loaded once when the worker starts).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msb/buf.h"
#include "msb/err.h"
#include "msb/proto.h"
#include "fs-ops.h"

/* Longer names are shown as numbers: they must fit in listings. */
#define FS_NAME_SHOW_MAX 64

const char *
fs_user_name(const struct fs_ctx *ctx, uint32_t uid, char *tmp, size_t tmplen)
{
	const struct msb_pw *pw = msb_pwdb_by_uid(&ctx->db, uid);

	if (pw != NULL && strlen(pw->name) <= FS_NAME_SHOW_MAX)
		return pw->name;
	snprintf(tmp, tmplen, "%u", uid);
	return tmp;
}

const char *
fs_group_name(const struct fs_ctx *ctx, uint32_t gid, char *tmp,
    size_t tmplen)
{
	const struct msb_gr *gr = msb_pwdb_gr_by_gid(&ctx->db, gid);

	if (gr != NULL && strlen(gr->name) <= FS_NAME_SHOW_MAX)
		return gr->name;
	snprintf(tmp, tmplen, "%u", gid);
	return tmp;
}

static int
reply_pw(struct fs_ctx *ctx, uint32_t id, const struct msb_pw *pw)
{
	int r;

	if ((r = msb_frame_begin(ctx->tx, MSB_MSG_FS_PW, id)) != 0 ||
	    (r = msb_buf_put_cstring(ctx->tx, pw->name)) != 0 ||
	    (r = msb_buf_put_u32(ctx->tx, pw->uid)) != 0 ||
	    (r = msb_buf_put_u32(ctx->tx, pw->gid)) != 0 ||
	    (r = msb_buf_put_cstring(ctx->tx, pw->home)) != 0 ||
	    (r = msb_buf_put_cstring(ctx->tx, pw->shell)) != 0)
		return r;
	return FS_REPLY;
}

int
fs_getpwnam(struct fs_ctx *ctx, struct msb_frame *f)
{
	const struct msb_pw *pw;
	char *name;
	int r;

	if ((r = msb_buf_get_cstring(f->payload, &name, NULL)) != 0)
		return r;
	if ((r = msb_frame_expect_end(f)) != 0) {
		free(name);
		return r;
	}
	pw = name[0] == '\0' ? ctx->pw : msb_pwdb_by_name(&ctx->db, name);
	free(name);
	if (pw == NULL)
		return fs_fail(ctx, ENOENT);
	return reply_pw(ctx, f->id, pw);
}

int
fs_getpwuid(struct fs_ctx *ctx, struct msb_frame *f)
{
	const struct msb_pw *pw;
	uint32_t uid;
	int r;

	if ((r = msb_buf_get_u32(f->payload, &uid)) != 0 ||
	    (r = msb_frame_expect_end(f)) != 0)
		return r;
	if ((pw = msb_pwdb_by_uid(&ctx->db, uid)) == NULL)
		return fs_fail(ctx, ENOENT);
	return reply_pw(ctx, f->id, pw);
}

int
fs_getgrgid(struct fs_ctx *ctx, struct msb_frame *f)
{
	const struct msb_gr *gr;
	uint32_t gid;
	int r;

	if ((r = msb_buf_get_u32(f->payload, &gid)) != 0 ||
	    (r = msb_frame_expect_end(f)) != 0)
		return r;
	if ((gr = msb_pwdb_gr_by_gid(&ctx->db, gid)) == NULL)
		return fs_fail(ctx, ENOENT);
	if ((r = msb_frame_begin(ctx->tx, MSB_MSG_FS_GR, f->id)) != 0 ||
	    (r = msb_buf_put_cstring(ctx->tx, gr->name)) != 0 ||
	    (r = msb_buf_put_u32(ctx->tx, gr->gid)) != 0)
		return r;
	return FS_REPLY;
}
