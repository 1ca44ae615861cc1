/*
 * Sessions: the processes started by EXEC, from fork to reaping. A session
 * whose client went away is hung up (SIGHUP + SIGCONT to its group) and
 * killed 2 s later if its leader still lives.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msb/buf.h"
#include "msb/log.h"
#include "msb/proto.h"
#include "msb/xmalloc.h"
#include "agent-msg.h"
#include "agent.h"
#include "plan.h"

struct session *
session_add(struct agent *a, pid_t pid)
{
	struct session *s = xcalloc(1, sizeof(*s));

	s->pid = pid;
	s->serial = ++a->next_serial;
	s->errpipe = -1;
	s->master = -1;
	if (a->nsess == a->capsess) {
		a->capsess = a->capsess == 0 ? 16 : a->capsess * 2;
		a->sess = xreallocarray(a->sess, a->capsess, sizeof(*a->sess));
	}
	a->sess[a->nsess++] = s;
	return s;
}

struct session *
session_by_pid(struct agent *a, pid_t pid)
{
	size_t i;

	for (i = 0; i < a->nsess; i++)
		if (a->sess[i]->pid == pid)
			return a->sess[i];
	return NULL;
}

struct session *
session_by_serial(struct agent *a, uint64_t serial)
{
	size_t i;

	for (i = 0; i < a->nsess; i++)
		if (a->sess[i]->serial == serial)
			return a->sess[i];
	return NULL;
}

static void
session_free(struct agent *a, struct session *s)
{
	size_t i;

	for (i = 0; i < a->nsess; i++)
		if (a->sess[i] == s) {
			a->sess[i] = a->sess[--a->nsess];
			break;
		}
	if (s->conn != NULL && s->conn->sess == s)
		s->conn->sess = NULL;
	if (s->errpipe >= 0)
		close(s->errpipe);
	if (s->master >= 0)
		close(s->master);
	free(s->what);
	free(s->user);
	free(s->cwd);
	free(s);
}

void
session_forget(struct agent *a, struct session *s)
{
	s->conn = NULL;
	session_free(a, s);
}

/*
 * Signal the session's process group. Only called while the leader is
 * unreaped, so the group id cannot have been reused. Before the child's
 * setsid() the group does not exist yet: signal the leader itself.
 */
void
session_kill(const struct session *s, int signo)
{
	if (s->reaped)
		return;         /* its pid and group may be reused now */
	if (kill(-s->pid, signo) != 0 && errno == ESRCH)
		(void)kill(s->pid, signo);
}

static void
send_started(struct agent *a, struct session *s)
{
	struct msb_buf *b = msb_buf_new();
	int fd = s->master;

	if (b == NULL || msb_frame_begin(b, MSB_MSG_STARTED, s->req_id) != 0 ||
	    msb_msg_put_started(b, (uint32_t)s->pid) != 0 ||
	    msb_frame_end(b) != 0)
		log_fatal("cannot compose STARTED");
	s->master = -1;
	s->conn->state = CONN_RUNNING;
	/* conn_send closes our copy of the master once it is sent. */
	conn_send(a, s->conn, b, fd);
	msb_buf_free(b);
}

static const char *
stage_text(int stage)
{
	static const char *const text[] = {
		[STAGE_PTY] = "cannot set up the pty",
		[STAGE_SETSID] = "cannot create a session",
		[STAGE_STDIO] = "cannot install the standard fds",
		[STAGE_USER] = "cannot switch to the user",
		[STAGE_CWD] = "cannot change directory",
		[STAGE_EXEC] = "cannot execute",
	};

	if (stage < STAGE_PTY || stage > STAGE_EXEC)
		return "setup failed";
	return text[stage];
}

/* The child failed before its program ran: ERROR instead of STARTED. */
static void
send_failure(struct agent *a, struct session *s,
    const struct child_report *r)
{
	struct conn *c = s->conn;

	s->failed = 1;
	log_verbose("exec %.100s as %.100s failed: %s: %s", s->what, s->user,
	    stage_text(r->stage), strerror(r->err));
	if (c == NULL)
		return;
	if (r->stage == STAGE_EXEC)
		conn_error(a, c, s->req_id, r->err, "%.200s: %s", s->what,
		    strerror(r->err));
	else if (r->stage == STAGE_CWD && s->cwd != NULL)
		conn_error(a, c, s->req_id, r->err, "cannot change to "
		    "directory %.200s: %s", s->cwd, strerror(r->err));
	else if (r->stage == STAGE_USER)
		conn_error(a, c, s->req_id, r->err, "cannot switch to user "
		    "'%.100s': %s", s->user, strerror(r->err));
	else
		conn_error(a, c, s->req_id, r->err, "%s: %s",
		    stage_text(r->stage), strerror(r->err));
	/* The connection may try again. */
	c->sess = NULL;
	c->state = CONN_READY;
	s->conn = NULL;
}

/* Read the error pipe: EOF = exec happened; a record = failure. */
static int
read_report(struct session *s, struct child_report *r)
{
	ssize_t n;

	do {
		n = read(s->errpipe, r, sizeof(*r));
	} while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return -1;       /* not yet */
	close(s->errpipe);
	s->errpipe = -1;
	if (n == 0)
		return 0;
	if (n != (ssize_t)sizeof(*r)) {
		r->stage = 0;
		r->err = n < 0 ? errno : EIO;
	}
	return 1;
}

static void
errpipe_done(struct agent *a, struct session *s, int failed,
    const struct child_report *r)
{
	if (failed) {
		send_failure(a, s, r);
		if (s->master >= 0) {
			close(s->master);
			s->master = -1;
		}
	} else if (s->conn != NULL)
		send_started(a, s);
	else if (s->master >= 0) {
		close(s->master);
		s->master = -1;
	}
}

void
session_errpipe(struct agent *a, struct session *s)
{
	struct child_report r;
	int st;

	if ((st = read_report(s, &r)) < 0)
		return;
	errpipe_done(a, s, st, &r);
}

void
session_reaped(struct agent *a, struct session *s, int wstatus)
{
	struct child_report r;
	struct msb_exited_msg ex;
	struct msb_buf *b;
	struct conn *c;
	int st;

	s->reaped = 1;
	/* The child is gone, so the pipe holds its last word (or EOF). */
	if (s->errpipe >= 0) {
		if ((st = read_report(s, &r)) < 0)
			st = 0;
		errpipe_done(a, s, st, &r);
	}
	msb_exited_from_wstatus(&ex, wstatus);
	log_verbose("pid %ld (%.100s) %s %u%s", (long)s->pid, s->what,
	    ex.how == MSB_EXIT_SIGNAL ? "killed by signal" : "exited with",
	    ex.value, ex.core ? " (core dumped)" : "");
	c = s->conn;
	/* Detach first: a failing send must not hang up a reaped group. */
	s->conn = NULL;
	if (c != NULL && c->sess == s)
		c->sess = NULL;
	if (!s->failed && c != NULL && !c->dead) {
		if ((b = msb_buf_new()) == NULL ||
		    msb_frame_begin(b, MSB_MSG_EXITED, s->req_id) != 0 ||
		    msb_msg_put_exited(b, &ex) != 0 || msb_frame_end(b) != 0)
			log_fatal("cannot compose EXITED");
		c->state = CONN_DONE;
		conn_send(a, c, b, -1);
		msb_buf_free(b);
	}
	session_free(a, s);
}

/* The client went away while the session runs. */
void
session_detach(struct agent *a, struct session *s)
{
	(void)a;
	s->conn = NULL;
	if (s->failed)
		return;
	log_verbose("client of pid %ld (%.100s) went away: hanging up",
	    (long)s->pid, s->what);
	session_kill(s, SIGHUP);
	session_kill(s, SIGCONT);
	s->kill_deadline = agent_now_ms() + MSB_PROTO_KILL_GRACE_MS;
	if (s->master >= 0) {
		close(s->master);
		s->master = -1;
	}
}

void
session_timers(struct agent *a, int64_t now, int64_t *next)
{
	struct session *s;
	size_t i;

	for (i = 0; i < a->nsess; i++) {
		s = a->sess[i];
		if (s->kill_deadline == 0)
			continue;
		if (s->kill_deadline <= now) {
			log_verbose("pid %ld (%.100s) survived the hangup: "
			    "killing its process group", (long)s->pid, s->what);
			session_kill(s, SIGKILL);
			s->kill_deadline = 0;
		} else if (*next < 0 || s->kill_deadline < *next)
			*next = s->kill_deadline;
	}
}
