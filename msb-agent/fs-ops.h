/*
 * Filesystem channel worker internals (PROTOCOL.md 4.3): the per-connection
 * context and the request handlers, one per message type.
 */
#ifndef MSB_AGENT_FS_OPS_H
#define MSB_AGENT_FS_OPS_H

#include <stddef.h>
#include <stdint.h>

#include "msb/passwd.h"

struct msb_buf;
struct msb_frame;

struct fs_ctx {
	int sock;
	struct msb_pwdb db;          /* the sandbox's /etc/passwd + group */
	const struct msb_pw *pw;     /* the session user (in db) */
	struct msb_buf *tx;          /* reply being composed */
	int out_fd;                  /* fd to attach to the reply, or -1 */
	int err;                     /* errno of a failed operation */
};

/*
 * A handler decodes the request payload and either composes the complete
 * reply frame in ctx->tx (FS_REPLY; ctx->out_fd set when an fd goes with
 * it), or records an errno in ctx->err (FS_FAIL: the worker sends ERROR),
 * or returns a negative MSB_ERR_* when the request is malformed (the worker
 * sends ERROR EPROTO and closes the connection).
 */
#define FS_REPLY 0
#define FS_FAIL  1
typedef int (*fs_handler)(struct fs_ctx *ctx, struct msb_frame *f);

/* fs-ops.c: path and fd operations */
int fs_open(struct fs_ctx *, struct msb_frame *);
int fs_opendir(struct fs_ctx *, struct msb_frame *);
int fs_stat(struct fs_ctx *, struct msb_frame *);
int fs_fstat(struct fs_ctx *, struct msb_frame *);
int fs_setstat(struct fs_ctx *, struct msb_frame *);
int fs_fsetstat(struct fs_ctx *, struct msb_frame *);
int fs_mkdir(struct fs_ctx *, struct msb_frame *);
int fs_rmdir(struct fs_ctx *, struct msb_frame *);
int fs_unlink(struct fs_ctx *, struct msb_frame *);
int fs_rename(struct fs_ctx *, struct msb_frame *);
int fs_link(struct fs_ctx *, struct msb_frame *);
int fs_symlink(struct fs_ctx *, struct msb_frame *);
int fs_readlink(struct fs_ctx *, struct msb_frame *);
int fs_realpath_op(struct fs_ctx *, struct msb_frame *);
int fs_statvfs(struct fs_ctx *, struct msb_frame *);
int fs_fstatvfs(struct fs_ctx *, struct msb_frame *);
int fs_fsync(struct fs_ctx *, struct msb_frame *);
/* fs-dir.c */
int fs_readdir(struct fs_ctx *, struct msb_frame *);
/* fs-users.c */
int fs_getpwnam(struct fs_ctx *, struct msb_frame *);
int fs_getpwuid(struct fs_ctx *, struct msb_frame *);
int fs_getgrgid(struct fs_ctx *, struct msb_frame *);
/* Name of a uid/gid for listings: from the sandbox's files, else decimal. */
const char *fs_user_name(const struct fs_ctx *ctx, uint32_t uid, char *tmp,
    size_t tmplen);
const char *fs_group_name(const struct fs_ctx *ctx, uint32_t gid, char *tmp,
    size_t tmplen);

/* Helpers shared by the handlers (fs-ops.c). */
/* Decode a path string (no NUL, at most MSB_PROTO_MAX_PATH bytes). */
int fs_get_path(struct msb_buf *b, char **pathp);
/* Set ctx->err from errno and return FS_FAIL. */
int fs_fail(struct fs_ctx *ctx, int err);

#endif
