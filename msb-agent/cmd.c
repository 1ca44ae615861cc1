/* Handlers of the handshake and command-channel messages (PROTOCOL.md 3, 4.2). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msb/buf.h"
#include "msb/err.h"
#include "msb/error.h"
#include "msb/log.h"
#include "msb/passwd.h"
#include "msb/proto.h"
#include "msb/xmalloc.h"
#include "agent-msg.h"
#include "agent.h"
#include "plan.h"

int
cmd_decode_fail(struct agent *a, struct conn *c, uint32_t id, int r,
    const char *what)
{
	if (r == MSB_ERR_TOO_LARGE)
		return conn_fail(a, c, id, EMSGSIZE, "%s: a field exceeds "
		    "the protocol limits", what);
	if (r == MSB_ERR_ALLOC)
		log_fatal("out of memory");
	return conn_fail(a, c, id, EPROTO, "malformed %s: %s", what,
	    msb_strerr(r));
}

static struct msb_buf *
frame_new(uint8_t type, uint32_t id)
{
	struct msb_buf *b = msb_buf_new();

	if (b == NULL || msb_frame_begin(b, type, id) != 0)
		log_fatal("out of memory");
	return b;
}

static void
frame_finish(struct msb_buf *b, int r)
{
	if (r != 0 || msb_frame_end(b) != 0)
		log_fatal("cannot compose a reply: %s", msb_strerr(r));
}

int
cmd_hello(struct agent *a, struct conn *c, struct msb_frame *f)
{
	struct msb_hello_msg h;
	struct msb_hello_ok_msg ok;
	struct msb_buf *b;
	uint32_t version;
	int r;

	if ((r = msb_msg_get_hello(f->payload, &h)) != 0)
		return cmd_decode_fail(a, c, f->id, r, "HELLO");
	if (h.version_min > MSB_PROTO_VERSION) {
		msb_hello_msg_free(&h);
		return conn_fail(a, c, f->id, EPROTONOSUPPORT, "no common "
		    "protocol version (agent speaks %d)", MSB_PROTO_VERSION);
	}
	version = h.version_max < MSB_PROTO_VERSION ? h.version_max :
	    MSB_PROTO_VERSION;
	if (h.channel == MSB_CHAN_FS) {
		r = worker_spawn(a, c, h.user, version);
		msb_hello_msg_free(&h);
		return r;
	}
	if (h.channel != MSB_CHAN_COMMAND) {
		msb_hello_msg_free(&h);
		return conn_fail(a, c, f->id, EPROTO, "unknown channel %u",
		    (unsigned)h.channel);
	}
	if (h.user[0] != '\0') {
		msb_hello_msg_free(&h);
		return conn_fail(a, c, f->id, EPROTO, "HELLO on the command "
		    "channel names a user");
	}
	msb_hello_msg_free(&h);
	b = frame_new(MSB_MSG_HELLO_OK, f->id);
	ok.version = version;
	ok.sandbox = (char *)a->name;
	ok.agent = (char *)AGENT_VERSION_STRING;
	frame_finish(b, msb_msg_put_hello_ok(b, &ok));
	c->state = CONN_READY;
	c->channel = MSB_CHAN_COMMAND;
	conn_send(a, c, b, -1);
	msb_buf_free(b);
	return 0;
}

/* The sandbox's account database; ERROR reply on failure. */
static int
load_pwdb(struct agent *a, struct conn *c, uint32_t id, struct msb_pwdb *db)
{
	struct msb_error err = MSB_ERROR_INIT;

	if (msb_pwdb_load(db, a->passwd_path, a->group_path, &err) == 0)
		return 0;
	log_error("%s", msb_error_msg(&err));
	conn_error(a, c, id, err.code != 0 ? err.code : EIO, "cannot read "
	    "the sandbox's accounts: %s", msb_error_msg(&err));
	msb_error_clear(&err);
	return -1;
}

static int
open_master(void)
{
	int fd;

	if ((fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
		return -1;
	if (grantpt(fd) != 0 || unlockpt(fd) != 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int
cmd_exec(struct agent *a, struct conn *c, struct msb_frame *f)
{
	struct msb_exec_msg m;
	struct msb_pwdb db;
	const struct msb_pw *pw;
	const char *user;
	struct exec_plan plan;
	struct session *s;
	int pipefd[2], i, r;
	pid_t pid;

	if ((r = msb_msg_get_exec(f->payload, f->nfds, &m)) != 0) {
		if (r == MSB_ERR_PROTOCOL)
			return conn_fail(a, c, f->id, EPROTO, "EXEC takes 3 "
			    "file descriptors without PTY and none with PTY "
			    "(got %d)", f->nfds);
		return cmd_decode_fail(a, c, f->id, r, "EXEC");
	}
	user = m.user[0] != '\0' ? m.user : a->default_user;
	if (load_pwdb(a, c, f->id, &db) != 0) {
		msb_exec_msg_free(&m);
		return 0;
	}
	if ((pw = msb_pwdb_by_name(&db, user)) == NULL) {
		conn_error(a, c, f->id, ENOENT, "unknown user '%.100s'", user);
		goto out;
	}
	plan_build(&plan, &db, pw, &m);
	plan.nofile = a->nofile;
	if (plan.use_pty && (plan.master = open_master()) < 0) {
		conn_error(a, c, f->id, errno, "cannot allocate a pty: %s",
		    strerror(errno));
		goto out_plan;
	}
	for (i = 0; i < 3 && !plan.use_pty; i++)
		plan.fds[i] = f->fds[i];
	if (pipe2(pipefd, O_CLOEXEC) != 0) {
		conn_error(a, c, f->id, errno, "pipe: %s", strerror(errno));
		goto out_master;
	}
	if ((pid = fork()) < 0) {
		conn_error(a, c, f->id, errno, "fork: %s", strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		goto out_master;
	}
	if (pid == 0) {
		close(pipefd[0]);
		child_exec(&plan, pipefd[1]);
	}
	close(pipefd[1]);
	if (fcntl(pipefd[0], F_SETFL, O_NONBLOCK) != 0)
		log_error("fcntl: %s", strerror(errno));
	log_verbose("connection #%llu: exec %.100s as %.100s%s: pid %ld",
	    (unsigned long long)c->serial, plan.what, pw->name,
	    plan.use_pty ? " with pty" : "", (long)pid);
	s = session_add(a, pid);
	s->req_id = f->id;
	s->conn = c;
	s->errpipe = pipefd[0];
	s->master = plan.master;
	plan.master = -1;
	s->what = xstrdup(plan.what);
	s->user = xstrdup(pw->name);
	s->cwd = plan.cwd != NULL ? xstrdup(plan.cwd) : NULL;
	c->sess = s;
	c->state = CONN_STARTING;
 out_master:
	if (plan.master >= 0)
		close(plan.master);
 out_plan:
	plan_free(&plan);
 out:
	msb_pwdb_free(&db);
	msb_exec_msg_free(&m);
	return 0;
}

int
cmd_signal(struct agent *a, struct conn *c, struct msb_frame *f)
{
	uint32_t signo;
	int r;

	if ((r = msb_msg_get_signal(f->payload, &signo)) != 0)
		return cmd_decode_fail(a, c, f->id, r, "SIGNAL");
	if (signo < 1 || signo > 64) {
		conn_error(a, c, f->id, EINVAL, "invalid signal number %u",
		    signo);
		return 0;
	}
	if (c->sess == NULL) {
		conn_error(a, c, f->id, ESRCH, "no process is running");
		return 0;
	}
	log_debug("connection #%llu: signal %u to %ld",
	    (unsigned long long)c->serial, signo, (long)c->sess->pid);
	session_kill(c->sess, (int)signo);
	return 0;
}

int
cmd_accounts(struct agent *a, struct conn *c, struct msb_frame *f)
{
	struct msb_account_ent e;
	struct msb_pwdb db;
	struct msb_buf *b;
	size_t off, i;
	uint32_t n = 0;
	int r;

	if (msb_frame_expect_end(f) != 0)
		return conn_fail(a, c, f->id, EPROTO, "ACCOUNTS has a payload");
	if (load_pwdb(a, c, f->id, &db) != 0)
		return 0;
	b = frame_new(MSB_MSG_ACCOUNTS_REPLY, f->id);
	if (msb_msg_accounts_begin(b, a->default_user, &off) != 0)
		log_fatal("cannot compose ACCOUNTS_REPLY");
	for (i = 0; i < db.npw; i++) {
		e.name = db.pw[i].name;
		e.uid = db.pw[i].uid;
		e.gid = db.pw[i].gid;
		e.home = db.pw[i].home;
		e.shell = db.pw[i].shell;
		r = msb_msg_accounts_add(b, &e, MSB_PROTO_FRAME_MAX + 4);
		if (r == MSB_ERR_TOO_LARGE) {
			log_error("ACCOUNTS_REPLY: %zu of %zu accounts fit in "
			    "one frame; list truncated", i, db.npw);
			break;
		}
		if (r != 0)
			log_fatal("cannot compose ACCOUNTS_REPLY");
		n++;
	}
	if (msb_msg_accounts_end(b, off, n) != 0 || msb_frame_end(b) != 0)
		log_fatal("cannot compose ACCOUNTS_REPLY");
	conn_send(a, c, b, -1);
	msb_buf_free(b);
	msb_pwdb_free(&db);
	return 0;
}
