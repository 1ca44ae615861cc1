/*
 * Filesystem channel worker (PROTOCOL.md 4.3): runs in a child the agent
 * forks per connection. It becomes the session's sandbox user, then serves
 * requests strictly in order, one reply per request, until EOF.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msb/buf.h"
#include "msb/err.h"
#include "msb/error.h"
#include "msb/passwd.h"
#include "msb/proto.h"
#include "fs-ops.h"
#include "fs-worker.h"

static const struct fs_op {
	uint8_t type;
	int nfds;              /* fds the request must carry */
	fs_handler fn;
} fs_ops[] = {
	{ MSB_MSG_FS_OPEN, 0, fs_open },
	{ MSB_MSG_FS_OPENDIR, 0, fs_opendir },
	{ MSB_MSG_FS_READDIR, 1, fs_readdir },
	{ MSB_MSG_FS_STAT, 0, fs_stat },
	{ MSB_MSG_FS_FSTAT, 1, fs_fstat },
	{ MSB_MSG_FS_SETSTAT, 0, fs_setstat },
	{ MSB_MSG_FS_FSETSTAT, 1, fs_fsetstat },
	{ MSB_MSG_FS_MKDIR, 0, fs_mkdir },
	{ MSB_MSG_FS_RMDIR, 0, fs_rmdir },
	{ MSB_MSG_FS_UNLINK, 0, fs_unlink },
	{ MSB_MSG_FS_RENAME, 0, fs_rename },
	{ MSB_MSG_FS_LINK, 0, fs_link },
	{ MSB_MSG_FS_SYMLINK, 0, fs_symlink },
	{ MSB_MSG_FS_READLINK, 0, fs_readlink },
	{ MSB_MSG_FS_REALPATH, 0, fs_realpath_op },
	{ MSB_MSG_FS_STATVFS, 0, fs_statvfs },
	{ MSB_MSG_FS_FSTATVFS, 1, fs_fstatvfs },
	{ MSB_MSG_FS_FSYNC, 1, fs_fsync },
	{ MSB_MSG_FS_GETPWNAM, 0, fs_getpwnam },
	{ MSB_MSG_FS_GETPWUID, 0, fs_getpwuid },
	{ MSB_MSG_FS_GETGRGID, 0, fs_getgrgid },
};

static const struct fs_op *
find_op(uint8_t type)
{
	size_t i;

	for (i = 0; i < sizeof(fs_ops) / sizeof(fs_ops[0]); i++)
		if (fs_ops[i].type == type)
			return &fs_ops[i];
	return NULL;
}

static int
send_hello_ok(struct fs_ctx *ctx, const struct fs_worker_args *args)
{
	int r;

	if ((r = msb_frame_begin(ctx->tx, MSB_MSG_HELLO_OK, 0)) != 0 ||
	    (r = msb_buf_put_u32(ctx->tx, args->version)) != 0 ||
	    (r = msb_buf_put_cstring(ctx->tx, args->sandbox)) != 0 ||
	    (r = msb_buf_put_cstring(ctx->tx, "msb-agent " PACKAGE_VERSION)) != 0 ||
	    (r = msb_frame_end(ctx->tx)) != 0)
		return r;
	return msb_frame_send(ctx->sock, ctx->tx, NULL, 0);
}

/* Become the user and enter its home; ERROR to the client on failure. */
static int
setup(struct fs_ctx *ctx, const struct fs_worker_args *args)
{
	struct msb_error err = MSB_ERROR_INIT;
	const char *name;
	sigset_t none;

	/* The agent's signal setup (masks for signalfd) is not ours. */
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	(void)signal(SIGPIPE, SIG_IGN);

	name = args->user != NULL && args->user[0] != '\0' ? args->user :
	    args->default_user;
	if (msb_pwdb_load(&ctx->db, "/etc/passwd", "/etc/group", &err) != 0) {
		msb_proto_send_error(ctx->sock, 0, err.code != 0 ? err.code :
		    EIO, "%s", msb_error_msg(&err));
		msb_error_clear(&err);
		return -1;
	}
	if (name == NULL || (ctx->pw = msb_pwdb_by_name(&ctx->db, name)) == NULL) {
		msb_proto_send_error(ctx->sock, 0, ENOENT, "unknown user '%.100s'",
		    name != NULL ? name : "");
		return -1;
	}
	if (msb_become_user(&ctx->db, ctx->pw, &err) != 0) {
		msb_proto_send_error(ctx->sock, 0, err.code != 0 ? err.code :
		    EPERM, "%s", msb_error_msg(&err));
		msb_error_clear(&err);
		return -1;
	}
	/* Relative paths resolve against the home directory, as with sshd. */
	if (ctx->pw->home[0] == '\0' || chdir(ctx->pw->home) != 0)
		if (chdir("/") != 0) {
			msb_proto_send_error(ctx->sock, 0, errno,
			    "cannot enter / in the sandbox");
			return -1;
		}
	umask(022);
	return send_hello_ok(ctx, args) == 0 ? 0 : -1;
}

/*
 * One request. Returns 0 to go on, -1 to end the connection (protocol
 * error, or the reply could not be sent).
 */
static int
serve_one(struct fs_ctx *ctx, struct msb_frame *f)
{
	const struct fs_op *op = find_op(f->type);
	int r;

	if (op == NULL || f->nfds != op->nfds) {
		msb_proto_send_error(ctx->sock, f->id, EPROTO,
		    op == NULL ? "unexpected message %s on the filesystem "
		    "channel" : "wrong number of fds with %s",
		    msb_msg_name(f->type));
		return -1;
	}
	ctx->out_fd = -1;
	ctx->err = 0;
	r = op->fn(ctx, f);
	if (r == FS_FAIL) {
		r = msb_proto_send_error(ctx->sock, f->id, ctx->err, "%s",
		    strerror(ctx->err));
		return r == 0 ? 0 : -1;
	}
	if (r != FS_REPLY || (r = msb_frame_end(ctx->tx)) != 0) {
		if (ctx->out_fd >= 0)
			close(ctx->out_fd);
		msb_proto_send_error(ctx->sock, f->id,
		    r == MSB_ERR_TOO_LARGE ? EMSGSIZE : EPROTO,
		    "malformed %s request: %s", msb_msg_name(f->type),
		    msb_strerr(r));
		return -1;
	}
	r = msb_frame_send(ctx->sock, ctx->tx, &ctx->out_fd,
	    ctx->out_fd >= 0 ? 1 : 0);
	if (ctx->out_fd >= 0)
		close(ctx->out_fd);
	return r == 0 ? 0 : -1;
}

int
fs_worker_main(const struct fs_worker_args *args)
{
	struct fs_ctx ctx;
	struct msb_buf *rx;
	struct msb_frame f;
	int r, status = 1;

	memset(&ctx, 0, sizeof(ctx));
	ctx.sock = args->sock;
	ctx.out_fd = -1;
	if ((ctx.tx = msb_buf_new()) == NULL || (rx = msb_buf_new()) == NULL) {
		msb_proto_send_error(ctx.sock, 0, ENOMEM, "out of memory");
		msb_buf_free(ctx.tx);
		return 1;
	}
	if (setup(&ctx, args) != 0)
		goto out;
	for (;;) {
		r = msb_frame_recv(ctx.sock, rx, &f);
		if (r == MSB_ERR_EOF) {
			status = 0;
			break;
		}
		if (r == MSB_ERR_PROTOCOL) {
			msb_proto_send_error(ctx.sock, 0, EPROTO,
			    "malformed frame on the filesystem channel");
			break;
		}
		if (r != 0)
			break;
		r = serve_one(&ctx, &f);
		msb_frame_release(&f);
		if (r != 0)
			break;
	}
 out:
	msb_pwdb_free(&ctx.db);
	msb_buf_free(ctx.tx);
	msb_buf_free(rx);
	return status;
}
