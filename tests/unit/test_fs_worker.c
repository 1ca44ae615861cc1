/*
 * Unit tests of the agent's filesystem channel worker: fs_worker_main() runs
 * in a forked child on one end of a socketpair, as the agent runs it; the
 * test speaks PROTOCOL.md 4.3 on the other end and checks real files.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msb/buf.h"
#include "msb/err.h"
#include "msb/error.h"
#include "msb/passwd.h"
#include "msb/proto.h"
#include "msb-agent/fs-path.h"
#include "msb-agent/fs-worker.h"

static int sock = -1;
static pid_t child = -1;
static char dir[64];
static struct msb_buf *tx, *rx;
static uint32_t next_id = 1;
static char myname[256];

static void
rm_tree(const char *path)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	(void)!system(cmd);
}

static void
find_myname(void)
{
	struct msb_pwdb db;
	const struct msb_pw *pw;

	memset(&db, 0, sizeof(db));
	cr_assert_eq(msb_pwdb_load(&db, "/etc/passwd", "/etc/group", NULL), 0);
	pw = msb_pwdb_by_uid(&db, (uint32_t)getuid());
	cr_assert_not_null(pw, "the test user needs a passwd entry");
	snprintf(myname, sizeof(myname), "%s", pw->name);
	msb_pwdb_free(&db);
}

/* Fork a worker for user; 0 if it said HELLO_OK, else the ERROR errno. */
static int
start_worker(const char *user)
{
	struct fs_worker_args args;
	struct msb_frame f;
	int sv[2], e = 0;
	char *msg = NULL;

	cr_assert_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	child = fork();
	cr_assert_geq(child, 0);
	if (child == 0) {
		close(sv[0]);
		memset(&args, 0, sizeof(args));
		args.sock = sv[1];
		args.user = user;
		args.default_user = myname;
		args.sandbox = "unit";
		args.version = 1;
		_exit(fs_worker_main(&args));
	}
	close(sv[1]);
	sock = sv[0];
	cr_assert_eq(msb_frame_recv(sock, rx, &f), 0);
	if (f.type == MSB_MSG_ERROR) {
		cr_assert_eq(msb_proto_get_error(f.payload, &e, &msg), 0);
		cr_assert_str_eq(msg, "unknown user 'nosuchuser'");
		free(msg);
	} else
		cr_assert_eq(f.type, MSB_MSG_HELLO_OK);
	msb_frame_release(&f);
	return e;
}

static void
setup(void)
{
	tx = msb_buf_new();
	rx = msb_buf_new();
	find_myname();
	snprintf(dir, sizeof(dir), "/tmp/msb-fsw.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(start_worker(""), 0);
}

static void
teardown(void)
{
	int st;

	if (sock >= 0)
		close(sock);
	if (child > 0)
		waitpid(child, &st, 0);
	rm_tree(dir);
	msb_buf_free(tx);
	msb_buf_free(rx);
}

TestSuite(fs_worker, .init = setup, .fini = teardown);

static char *
p(const char *rel)
{
	static char buf[4][PATH_MAX];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, rel);
	return buf[i];
}

static struct msb_buf *
begin(uint8_t type)
{
	cr_assert_eq(msb_frame_begin(tx, type, next_id), 0);
	return tx;
}

/* Send the composed request (with fd if >= 0) and receive the reply. */
static void
call(int fd, struct msb_frame *f)
{
	cr_assert_eq(msb_frame_end(tx), 0);
	cr_assert_eq(msb_frame_send(sock, tx, &fd, fd >= 0 ? 1 : 0), 0);
	cr_assert_eq(msb_frame_recv(sock, rx, f), 0);
	cr_assert_eq(f->id, next_id, "reply id");
	next_id++;
}

static int
reply_errno(struct msb_frame *f)
{
	char *msg;
	int e;

	cr_assert_eq(f->type, MSB_MSG_ERROR, "expected ERROR, got %s",
	    msb_msg_name(f->type));
	cr_assert_eq(msb_proto_get_error(f->payload, &e, &msg), 0);
	cr_assert_str_eq(msg, strerror(e), "the message is the errno text");
	free(msg);
	return e;
}

static void
expect_ok(struct msb_frame *f, const char *what)
{
	if (f->type == MSB_MSG_ERROR)
		cr_assert_fail("%s: ERROR %d", what, reply_errno(f));
	cr_assert_eq(f->type, MSB_MSG_OK, "%s", what);
	msb_frame_release(f);
}

static void
path_req(uint8_t type, const char *path, struct msb_frame *f)
{
	cr_assert_eq(msb_buf_put_cstring(begin(type), path), 0);
	call(-1, f);
}

static int
open_req(const char *path, uint32_t flags, uint32_t mode, struct msb_frame *f)
{
	struct msb_fs_attrs a;
	uint8_t kind;
	int fd;

	cr_assert_eq(msb_buf_put_cstring(begin(MSB_MSG_FS_OPEN), path), 0);
	cr_assert_eq(msb_buf_put_u32(tx, flags), 0);
	cr_assert_eq(msb_buf_put_u32(tx, mode), 0);
	call(-1, f);
	if (f->type != MSB_MSG_FS_FD) {
		fd = -reply_errno(f);
		msb_frame_release(f);
		return fd;
	}
	cr_assert_eq(f->nfds, 1);
	cr_assert_eq(msb_buf_get_u8(f->payload, &kind), 0);
	cr_assert_eq(msb_proto_get_attrs(f->payload, &a), 0);
	cr_assert_eq(kind, S_ISDIR(a.mode) ? MSB_FS_KIND_DIR : MSB_FS_KIND_FILE);
	fd = f->fds[0];
	f->fds[0] = -1;
	msb_frame_release(f);
	return fd;
}

Test(fs_worker, unknown_user_is_enoent)
{
	int st;

	close(sock);
	waitpid(child, &st, 0);
	cr_assert_eq(start_worker("nosuchuser"), ENOENT);
}

Test(fs_worker, open_flags_modes_and_fd_passing)
{
	struct msb_frame f;
	struct stat st;
	char buf[16];
	int fd;

	fd = open_req(p("f"), MSB_FS_O_WRONLY | MSB_FS_O_CREAT, 0640, &f);
	cr_assert_geq(fd, 0);
	cr_assert_eq(pwrite(fd, "hello", 5, 0), 5);
	cr_assert_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	cr_assert_eq(fcntl(fd, F_GETFL) & O_NONBLOCK, 0,
	    "regular files are blocking");
	close(fd);
	cr_assert_eq(stat(p("f"), &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0640 & ~022 & 07777);
	cr_assert_eq(st.st_uid, getuid(), "created by the session user");
	/* EXCL on an existing file */
	cr_assert_eq(open_req(p("f"), MSB_FS_O_WRONLY | MSB_FS_O_CREAT |
	    MSB_FS_O_EXCL, 0644, &f), -EEXIST);
	/* APPEND: pwrite appends whatever the offset */
	fd = open_req(p("f"), MSB_FS_O_WRONLY | MSB_FS_O_APPEND, 0, &f);
	cr_assert_eq(pwrite(fd, "!", 1, 0), 1);
	close(fd);
	fd = open_req(p("f"), MSB_FS_O_RDONLY, 0, &f);
	cr_assert_eq(pread(fd, buf, sizeof(buf), 0), 6);
	cr_assert_eq(memcmp(buf, "hello!", 6), 0);
	cr_assert_lt(write(fd, "x", 1), 0, "read-only fd");
	close(fd);
	/* TRUNC */
	fd = open_req(p("f"), MSB_FS_O_RDWR | MSB_FS_O_TRUNC, 0, &f);
	close(fd);
	cr_assert_eq(stat(p("f"), &st), 0);
	cr_assert_eq(st.st_size, 0);
	/* missing file, and a FIFO does not block the worker */
	cr_assert_eq(open_req(p("nope"), MSB_FS_O_RDONLY, 0, &f), -ENOENT);
	cr_assert_eq(mkfifo(p("fifo"), 0600), 0);
	fd = open_req(p("fifo"), MSB_FS_O_RDONLY, 0, &f);
	cr_assert_geq(fd, 0);
	close(fd);
}

Test(fs_worker, stat_setstat_order_and_nofollow)
{
	struct msb_fs_setattrs sa;
	struct msb_fs_attrs a;
	struct msb_frame f;
	struct stat st;
	int fd;

	fd = open(p("f"), O_CREAT | O_WRONLY, 0644);
	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_eq(symlink("f", p("l")), 0);
	memset(&sa, 0, sizeof(sa));
	sa.mask = MSB_FS_SET_SIZE | MSB_FS_SET_MODE | MSB_FS_SET_ATIME |
	    MSB_FS_SET_MTIME;
	sa.size = 5ull << 30;
	sa.mode = 0600;
	sa.atime_sec = 1000000000;
	sa.mtime_sec = 1200000000;
	sa.mtime_nsec = 5;
	cr_assert_eq(msb_buf_put_cstring(begin(MSB_MSG_FS_SETSTAT), p("l")), 0);
	cr_assert_eq(msb_buf_put_u8(tx, 1), 0);
	cr_assert_eq(msb_proto_put_setattrs(tx, &sa), 0);
	call(-1, &f);
	expect_ok(&f, "setstat through a link");
	cr_assert_eq(stat(p("f"), &st), 0);
	cr_assert_eq(st.st_size, 5ll << 30, "sparse 5 GiB");
	cr_assert_eq(st.st_mode & 07777, 0600);
	cr_assert_eq(st.st_mtim.tv_sec, 1200000000);
	cr_assert_eq(st.st_mtim.tv_nsec, 5);
	cr_assert_eq(st.st_atim.tv_sec, 1000000000);
	/* follow 0 with a size: EINVAL; the link itself keeps its mode */
	sa.mask = MSB_FS_SET_SIZE;
	cr_assert_eq(msb_buf_put_cstring(begin(MSB_MSG_FS_SETSTAT), p("l")), 0);
	cr_assert_eq(msb_buf_put_u8(tx, 0), 0);
	cr_assert_eq(msb_proto_put_setattrs(tx, &sa), 0);
	call(-1, &f);
	cr_assert_eq(reply_errno(&f), EINVAL);
	msb_frame_release(&f);
	/* lstat vs stat */
	cr_assert_eq(msb_buf_put_cstring(begin(MSB_MSG_FS_STAT), p("l")), 0);
	cr_assert_eq(msb_buf_put_u8(tx, 0), 0);
	call(-1, &f);
	cr_assert_eq(f.type, MSB_MSG_FS_ATTRS);
	cr_assert_eq(msb_proto_get_attrs(f.payload, &a), 0);
	cr_assert(S_ISLNK(a.mode));
	msb_frame_release(&f);
	cr_assert_eq(msb_buf_put_cstring(begin(MSB_MSG_FS_STAT), p("l")), 0);
	cr_assert_eq(msb_buf_put_u8(tx, 1), 0);
	call(-1, &f);
	cr_assert_eq(msb_proto_get_attrs(f.payload, &a), 0);
	cr_assert(S_ISREG(a.mode));
	cr_assert_eq(a.size, 5ull << 30);
	msb_frame_release(&f);
	/* FSETSTAT and FSTAT on a passed fd */
	fd = open(p("f"), O_RDWR | O_CLOEXEC);
	sa.mask = MSB_FS_SET_SIZE;
	sa.size = 3;
	cr_assert_eq(msb_proto_put_setattrs(begin(MSB_MSG_FS_FSETSTAT), &sa), 0);
	call(fd, &f);
	expect_ok(&f, "fsetstat size");
	begin(MSB_MSG_FS_FSTAT);
	call(fd, &f);
	cr_assert_eq(msb_proto_get_attrs(f.payload, &a), 0);
	cr_assert_eq(a.size, 3);
	msb_frame_release(&f);
	close(fd);
}

Test(fs_worker, rename_noreplace_link_symlink_readlink)
{
	struct msb_frame f;
	char *target;
	int fd;

	fd = open(p("a"), O_CREAT | O_WRONLY, 0644);
	close(fd);
	fd = open(p("b"), O_CREAT | O_WRONLY, 0644);
	close(fd);
	cr_assert_eq(msb_buf_put_cstring(begin(MSB_MSG_FS_RENAME), p("a")), 0);
	cr_assert_eq(msb_buf_put_cstring(tx, p("b")), 0);
	cr_assert_eq(msb_buf_put_u32(tx, MSB_FS_RENAME_NOREPLACE), 0);
	call(-1, &f);
	cr_assert_eq(reply_errno(&f), EEXIST);
	msb_frame_release(&f);
	cr_assert_eq(access(p("a"), F_OK), 0, "source kept");
	cr_assert_eq(msb_buf_put_cstring(begin(MSB_MSG_FS_RENAME), p("a")), 0);
	cr_assert_eq(msb_buf_put_cstring(tx, p("b")), 0);
	cr_assert_eq(msb_buf_put_u32(tx, 0), 0);
	call(-1, &f);
	expect_ok(&f, "replacing rename");
	cr_assert_neq(access(p("a"), F_OK), 0);
	/* link + symlink (target stored as given) + readlink */
	cr_assert_eq(msb_buf_put_cstring(begin(MSB_MSG_FS_LINK), p("b")), 0);
	cr_assert_eq(msb_buf_put_cstring(tx, p("c")), 0);
	call(-1, &f);
	expect_ok(&f, "link");
	cr_assert_eq(msb_buf_put_cstring(begin(MSB_MSG_FS_SYMLINK), "../x/b"), 0);
	cr_assert_eq(msb_buf_put_cstring(tx, p("s")), 0);
	call(-1, &f);
	expect_ok(&f, "symlink");
	path_req(MSB_MSG_FS_READLINK, p("s"), &f);
	cr_assert_eq(f.type, MSB_MSG_FS_PATH);
	cr_assert_eq(msb_buf_get_cstring(f.payload, &target, NULL), 0);
	cr_assert_str_eq(target, "../x/b");
	free(target);
	msb_frame_release(&f);
	/* mkdir, rmdir of a non-empty dir, unlink of a dir */
	cr_assert_eq(msb_buf_put_cstring(begin(MSB_MSG_FS_MKDIR), p("d")), 0);
	cr_assert_eq(msb_buf_put_u32(tx, 0700), 0);
	call(-1, &f);
	expect_ok(&f, "mkdir");
	fd = open(p("d/x"), O_CREAT | O_WRONLY, 0644);
	close(fd);
	path_req(MSB_MSG_FS_RMDIR, p("d"), &f);
	cr_assert_eq(reply_errno(&f), ENOTEMPTY);
	msb_frame_release(&f);
	path_req(MSB_MSG_FS_UNLINK, p("d"), &f);
	cr_assert_eq(reply_errno(&f), EISDIR);
	msb_frame_release(&f);
}

/* 3000 entries need several frames: each name comes exactly once, with
 * "." and "..", and count 0 marks the end. */
Test(fs_worker, readdir_batches_resume_exactly)
{
	static char seen[3000];
	struct msb_fs_attrs a;
	struct msb_frame f;
	uint32_t count, i, batches = 0, dots = 0, total = 0;
	char *name, *u, *g;
	int fd, dfd, k;

	cr_assert_eq(mkdir(p("big"), 0755), 0);
	for (k = 0; k < 3000; k++) {
		char n[64];

		snprintf(n, sizeof(n), "big/entry-with-a-longish-name-%04d", k);
		fd = open(p(n), O_CREAT | O_WRONLY, 0644);
		cr_assert_geq(fd, 0);
		close(fd);
	}
	dfd = open(p("big"), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	for (;;) {
		begin(MSB_MSG_FS_READDIR);
		call(dfd, &f);
		cr_assert_eq(f.type, MSB_MSG_FS_NAMES);
		cr_assert_leq(msb_buf_len(f.payload) + 9, MSB_PROTO_FRAME_MAX + 4);
		cr_assert_eq(msb_buf_get_u32(f.payload, &count), 0);
		if (count == 0) {
			msb_frame_release(&f);
			break;
		}
		batches++;
		for (i = 0; i < count; i++) {
			cr_assert_eq(msb_buf_get_cstring(f.payload, &name, NULL), 0);
			cr_assert_eq(msb_proto_get_attrs(f.payload, &a), 0);
			cr_assert_eq(msb_buf_get_cstring(f.payload, &u, NULL), 0);
			cr_assert_eq(msb_buf_get_cstring(f.payload, &g, NULL), 0);
			cr_assert_str_eq(u, myname, "owner name from passwd");
			if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
				dots++;
			else {
				cr_assert_eq(sscanf(name,
				    "entry-with-a-longish-name-%d", &k), 1);
				cr_assert_eq(seen[k], 0, "%s listed twice", name);
				seen[k] = 1;
				cr_assert(S_ISREG(a.mode));
			}
			total++;
			free(name);
			free(u);
			free(g);
		}
		cr_assert_eq(msb_buf_len(f.payload), 0);
		msb_frame_release(&f);
	}
	close(dfd);
	cr_assert_eq(dots, 2);
	cr_assert_eq(total, 3002);
	cr_assert_gt(batches, 1, "must have needed several frames");
}

Test(fs_worker, realpath_statvfs_and_accounts)
{
	struct msb_fs_statvfs v;
	struct msb_frame f;
	char *res, *name, *home, want[PATH_MAX];
	uint32_t uid, gid;

	cr_assert_eq(mkdir(p("r"), 0755), 0);
	cr_assert_eq(symlink("r", p("lr")), 0);
	path_req(MSB_MSG_FS_REALPATH, p("lr//./missing"), &f);
	cr_assert_eq(f.type, MSB_MSG_FS_PATH);
	cr_assert_eq(msb_buf_get_cstring(f.payload, &res, NULL), 0);
	cr_assert_not_null(realpath(dir, want));
	strcat(want, "/r/missing");
	cr_assert_str_eq(res, want, "last component may be missing");
	free(res);
	msb_frame_release(&f);
	path_req(MSB_MSG_FS_REALPATH, p("nodir/missing"), &f);
	cr_assert_eq(reply_errno(&f), ENOENT);
	msb_frame_release(&f);
	path_req(MSB_MSG_FS_STATVFS, dir, &f);
	cr_assert_eq(f.type, MSB_MSG_FS_STATVFS_REPLY);
	cr_assert_eq(msb_proto_get_statvfs(f.payload, &v), 0);
	cr_assert_gt(v.bsize, 0);
	cr_assert_gt(v.namemax, 0);
	msb_frame_release(&f);
	/* "" is the session user */
	cr_assert_eq(msb_buf_put_cstring(begin(MSB_MSG_FS_GETPWNAM), ""), 0);
	call(-1, &f);
	cr_assert_eq(f.type, MSB_MSG_FS_PW);
	cr_assert_eq(msb_buf_get_cstring(f.payload, &name, NULL), 0);
	cr_assert_eq(msb_buf_get_u32(f.payload, &uid), 0);
	cr_assert_eq(msb_buf_get_u32(f.payload, &gid), 0);
	cr_assert_eq(msb_buf_get_cstring(f.payload, &home, NULL), 0);
	cr_assert_str_eq(name, myname);
	cr_assert_eq(uid, getuid());
	free(name);
	free(home);
	msb_frame_release(&f);
	cr_assert_eq(msb_buf_put_u32(begin(MSB_MSG_FS_GETPWUID), 4000000000u), 0);
	call(-1, &f);
	cr_assert_eq(reply_errno(&f), ENOENT);
	msb_frame_release(&f);
	cr_assert_eq(msb_buf_put_u32(begin(MSB_MSG_FS_GETGRGID), 0), 0);
	call(-1, &f);
	cr_assert_eq(f.type, MSB_MSG_FS_GR);
	msb_frame_release(&f);
}

/* Malformed requests: ERROR EPROTO, then the worker closes. */
Test(fs_worker, malformed_request_closes)
{
	struct msb_frame f;
	char *msg;
	int e, st;

	cr_assert_eq(msb_buf_put_u32(begin(MSB_MSG_FS_STAT), 3), 0);  /* short */
	call(-1, &f);
	cr_assert_eq(f.type, MSB_MSG_ERROR);
	cr_assert_eq(msb_proto_get_error(f.payload, &e, &msg), 0);
	cr_assert_eq(e, EPROTO);
	free(msg);
	msb_frame_release(&f);
	cr_assert_eq(msb_frame_recv(sock, rx, &f), MSB_ERR_EOF);
	cr_assert_eq(waitpid(child, &st, 0), child);
	child = -1;
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) != 0);
}

Test(fs_worker, fd_count_must_match)
{
	struct msb_frame f;
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	/* FS_FSTAT without its fd */
	begin(MSB_MSG_FS_FSTAT);
	call(-1, &f);
	cr_assert_eq(f.type, MSB_MSG_ERROR);
	msb_frame_release(&f);
	cr_assert_eq(msb_frame_recv(sock, rx, &f), MSB_ERR_EOF);
	close(fd);
}

Test(fs_worker, unexpected_message_type)
{
	struct msb_frame f;

	begin(MSB_MSG_EXEC);
	call(-1, &f);
	cr_assert_eq(f.type, MSB_MSG_ERROR);
	msb_frame_release(&f);
	cr_assert_eq(msb_frame_recv(sock, rx, &f), MSB_ERR_EOF);
}

/* fs_realpath directly (relative to the cwd). */
Test(fs_worker, realpath_semantics)
{
	char old[PATH_MAX], want[PATH_MAX], *r;

	cr_assert_not_null(getcwd(old, sizeof(old)));
	cr_assert_eq(chdir(dir), 0);
	cr_assert_not_null(realpath(".", want));
	r = fs_realpath("");
	cr_assert_str_eq(r, want, "\"\" is the cwd");
	free(r);
	r = fs_realpath(".");
	cr_assert_str_eq(r, want);
	free(r);
	r = fs_realpath("/tmp/../etc//./");
	cr_assert_str_eq(r, "/etc");
	free(r);
	r = fs_realpath("/");
	cr_assert_str_eq(r, "/");
	free(r);
	r = fs_realpath("/..");
	cr_assert_str_eq(r, "/");
	free(r);
	cr_assert_eq(symlink("loop2", "loop1"), 0);
	cr_assert_eq(symlink("loop1", "loop2"), 0);
	errno = 0;
	cr_assert_null(fs_realpath("loop1/x"));
	cr_assert_eq(errno, ELOOP);
	cr_assert_eq(symlink("/etc", "abs"), 0);
	r = fs_realpath("abs/../tmp");
	cr_assert_str_eq(r, "/tmp", "symlinks resolve before ..");
	free(r);
	cr_assert_eq(mkdir("sub", 0755), 0);
	cr_assert_eq(symlink("sub/nothere", "dangling"), 0);
	r = fs_realpath("dangling");
	strcat(want, "/sub/nothere");
	cr_assert_str_eq(r, want, "a dangling last link resolves to its target");
	free(r);
	cr_assert_null(fs_realpath("nothere/x"));
	cr_assert_eq(errno, ENOENT);
	cr_assert_null(fs_realpath("missing/"));
	cr_assert_eq(chdir(old), 0);
}
