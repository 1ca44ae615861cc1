/*
 * Host-side client of the agent (msb/agent.h): connect + HELLO, EXEC,
 * waiting for EXITED, SIGNAL, ACCOUNTS. Blocking calls on one connection.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "msb/agent.h"
#include "msb/buf.h"
#include "msb/err.h"
#include "msb/error.h"
#include "msb/proto.h"
#include "agent-msg.h"
#include "sockaddr.h"

/* How long connect+HELLO and EXEC may take before we call the agent hung. */
#define CLIENT_REPLY_TIMEOUT_MS 30000

/* Ids: HELLO 0, EXEC/ACCOUNTS 1, SIGNALs from 2 (their ERRORs are told
 * apart from the EXEC's by id). */
#define ID_REQUEST 1u
#define ID_SIGNAL_FIRST 2u

struct msb_agent {
	int fd;
	char *sandbox;
	uint32_t version;
	uint32_t next_signal_id;
	struct msb_buf *rx;
	struct msb_buf *tx;
};

int
msb_agent_fd(const struct msb_agent *a)
{
	return a->fd;
}

const char *
msb_agent_sandbox(const struct msb_agent *a)
{
	return a->sandbox;
}

uint32_t
msb_agent_version(const struct msb_agent *a)
{
	return a->version;
}

void
msb_agent_close(struct msb_agent *a)
{
	if (a == NULL)
		return;
	if (a->fd >= 0)
		close(a->fd);
	free(a->sandbox);
	msb_buf_free(a->rx);
	msb_buf_free(a->tx);
	free(a);
}

static int
codec_error(struct msb_error *err, int r, const char *what)
{
	if (r == MSB_ERR_SYSTEM)
		return msb_error_sys(err, errno, "%s", what);
	if (r == MSB_ERR_EOF)
		return msb_error_set(err, ECONNRESET, "%s: the agent closed "
		    "the connection", what);
	if (r == MSB_ERR_ALLOC)
		return msb_error_set(err, ENOMEM, "%s: out of memory", what);
	return msb_error_set(err, EPROTO, "%s: %s", what, msb_strerr(r));
}

static int
send_frame(struct msb_agent *a, const int *fds, int nfds, struct msb_error *err,
    const char *what)
{
	int r;

	if ((r = msb_frame_end(a->tx)) != 0)
		return msb_error_set(err, r == MSB_ERR_TOO_LARGE ? E2BIG :
		    EINVAL, "%s: request too large for one frame", what);
	if ((r = msb_frame_send(a->fd, a->tx, fds, nfds)) != 0)
		return codec_error(err, r, what);
	return 0;
}

/* Wait up to timeout_ms (-1 forever) for a frame. */
static int
recv_frame(struct msb_agent *a, struct msb_frame *f, int timeout_ms,
    struct msb_error *err, const char *what)
{
	struct pollfd p;
	int r;

	if (timeout_ms >= 0) {
		p.fd = a->fd;
		p.events = POLLIN;
		do {
			r = poll(&p, 1, timeout_ms);
		} while (r < 0 && errno == EINTR);
		if (r < 0)
			return msb_error_sys(err, errno, "%s: poll", what);
		if (r == 0)
			return msb_error_set(err, ETIMEDOUT, "%s: no reply "
			    "from the agent within %d s", what,
			    timeout_ms / 1000);
	}
	if ((r = msb_frame_recv(a->fd, a->rx, f)) != 0)
		return codec_error(err, r, what);
	return 0;
}

/* An ERROR frame as *err (code = the agent's errno). */
static int
agent_error(struct msb_frame *f, struct msb_error *err, const char *what)
{
	char *msg = NULL;
	int code = 0;

	if (msb_proto_get_error(f->payload, &code, &msg) != 0 || code <= 0) {
		free(msg);
		return msb_error_set(err, EPROTO, "%s: malformed ERROR from "
		    "the agent", what);
	}
	msb_error_set(err, code, "%s", msg);
	free(msg);
	return -1;
}

static int
unexpected(struct msb_frame *f, struct msb_error *err, const char *what)
{
	return msb_error_set(err, EPROTO, "%s: unexpected %s from the agent",
	    what, msb_msg_name(f->type));
}

static int
hello(struct msb_agent *a, int channel, const char *user,
    struct msb_error *err)
{
	struct msb_hello_msg h;
	struct msb_hello_ok_msg ok;
	struct msb_frame f;
	int r;

	h.version_min = 1;
	h.version_max = MSB_PROTO_VERSION;
	h.channel = (uint8_t)channel;
	h.user = (char *)(user != NULL ? user : "");
	if ((r = msb_frame_begin(a->tx, MSB_MSG_HELLO, 0)) != 0 ||
	    (r = msb_msg_put_hello(a->tx, &h)) != 0)
		return codec_error(err, r, "HELLO");
	if (send_frame(a, NULL, 0, err, "HELLO") != 0 ||
	    recv_frame(a, &f, CLIENT_REPLY_TIMEOUT_MS, err, "HELLO") != 0)
		return -1;
	if (f.type == MSB_MSG_ERROR && f.nfds == 0)
		r = agent_error(&f, err, "HELLO");
	else if (f.type != MSB_MSG_HELLO_OK || f.nfds != 0)
		r = unexpected(&f, err, "HELLO");
	else if ((r = msb_msg_get_hello_ok(f.payload, &ok)) != 0)
		r = codec_error(err, r, "HELLO_OK");
	else if (ok.version < 1 || ok.version > MSB_PROTO_VERSION) {
		r = msb_error_set(err, EPROTONOSUPPORT, "the agent chose "
		    "protocol version %u", ok.version);
		msb_hello_ok_msg_free(&ok);
	} else {
		a->version = ok.version;
		a->sandbox = ok.sandbox;
		ok.sandbox = NULL;
		msb_hello_ok_msg_free(&ok);
	}
	msb_frame_release(&f);
	return r == 0 ? 0 : -1;
}

int
msb_agent_connect(const char *path, int channel, const char *user,
    struct msb_agent **out, struct msb_error *err)
{
	struct sockaddr_un sun;
	struct msb_agent *a;
	int r, dirfd;

	*out = NULL;
	if (channel != MSB_CHAN_COMMAND && channel != MSB_CHAN_FS)
		return msb_error_set(err, EINVAL, "invalid channel %d", channel);
	if (msb_sockaddr_un(path, &sun, &dirfd) != 0)
		return msb_error_sys(err, errno, "agent socket %s", path);
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	a->next_signal_id = ID_SIGNAL_FIRST;
	if ((a->rx = msb_buf_new()) == NULL || (a->tx = msb_buf_new()) == NULL) {
		msb_agent_close(a);
		return msb_error_set(err, ENOMEM, "out of memory");
	}
	if ((a->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) < 0) {
		msb_error_sys(err, errno, "socket");
		msb_agent_close(a);
		return -1;
	}
	do {
		r = connect(a->fd, (struct sockaddr *)&sun, sizeof(sun));
	} while (r != 0 && errno == EINTR);
	if (dirfd >= 0) {
		int e = errno;

		close(dirfd);
		errno = e;
	}
	if (r != 0) {
		msb_error_sys(err, errno, "cannot connect to the agent at %s",
		    path);
		msb_agent_close(a);
		return -1;
	}
	if (hello(a, channel, user, err) != 0) {
		msb_agent_close(a);
		return -1;
	}
	*out = a;
	return 0;
}

static size_t
strv_len(char *const *v)
{
	size_t n = 0;

	if (v != NULL)
		while (v[n] != NULL)
			n++;
	return n;
}

/*
 * The agent is PID 1 of the sandbox, so under the sandbox root's control:
 * the fd it hands back as the pty master must be what it claims (a
 * character device that is a terminal), not any file or socket.
 */
static int
is_pty_master(int fd)
{
	struct termios tio;
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) &&
	    tcgetattr(fd, &tio) == 0;
}

int
msb_agent_exec(struct msb_agent *a, const struct msb_exec_req *req,
    struct msb_exec_started *started, struct msb_error *err)
{
	struct msb_exec_msg m;
	struct msb_frame f;
	uint32_t pid;
	int r;

	started->pid = -1;
	started->master_fd = -1;
	memset(&m, 0, sizeof(m));
	m.user = (char *)(req->user != NULL ? req->user : "");
	m.cwd = (char *)(req->cwd != NULL ? req->cwd : "");
	m.flags = (req->use_pty ? MSB_EXEC_PTY : 0) |
	    (req->login_shell ? MSB_EXEC_LOGIN_SHELL : 0) |
	    (req->shell_command ? MSB_EXEC_SHELL_CMD : 0);
	m.argv = (char **)req->argv;
	m.argc = strv_len(req->argv);
	m.env = (char **)req->env;
	m.envc = strv_len(req->env);
	if (req->login_shell ? m.argc != 0 || req->shell_command :
	    req->shell_command ? m.argc != 1 : m.argc == 0)
		return msb_error_set(err, EINVAL, req->login_shell ?
		    "a login shell takes no command" : req->shell_command ?
		    "a shell command is one string" : "empty command");
	if (m.argc > MSB_PROTO_MAX_ARGS || m.envc > MSB_PROTO_MAX_ARGS)
		return msb_error_set(err, E2BIG, "more than %d arguments or "
		    "environment entries", MSB_PROTO_MAX_ARGS);
	if (req->use_pty)
		msb_pty_params_from(&m.pty, req->term != NULL ? req->term : "",
		    &req->tio, &req->ws);
	if ((r = msb_frame_begin(a->tx, MSB_MSG_EXEC, ID_REQUEST)) != 0 ||
	    (r = msb_msg_put_exec(a->tx, &m)) != 0) {
		if (r == MSB_ERR_TOO_LARGE)
			return msb_error_set(err, E2BIG, "command and "
			    "environment too large for one request");
		return codec_error(err, r, "EXEC");
	}
	if (send_frame(a, req->use_pty ? NULL : req->fds,
	    req->use_pty ? 0 : 3, err, "EXEC") != 0)
		return -1;
	if (recv_frame(a, &f, CLIENT_REPLY_TIMEOUT_MS, err, "EXEC") != 0)
		return -1;
	if (f.type == MSB_MSG_ERROR && f.nfds == 0)
		r = agent_error(&f, err, "EXEC");
	else if (f.type != MSB_MSG_STARTED || f.id != ID_REQUEST ||
	    f.nfds != (req->use_pty ? 1 : 0))
		r = unexpected(&f, err, "EXEC");
	else if ((r = msb_msg_get_started(f.payload, &pid)) != 0)
		r = codec_error(err, r, "STARTED");
	else if (req->use_pty && !is_pty_master(f.fds[0]))
		r = msb_error_set(err, EPROTO, "EXEC: the agent passed a pty "
		    "master that is not a terminal");
	else {
		started->pid = (pid_t)pid;
		if (req->use_pty) {
			started->master_fd = f.fds[0];
			f.fds[0] = -1;
		}
	}
	msb_frame_release(&f);
	return r == 0 ? 0 : -1;
}

int
msb_agent_read_exit(struct msb_agent *a, struct msb_exec_exit *ex,
    struct msb_error *err)
{
	struct msb_exited_msg m;
	struct msb_frame f;
	int r;

	memset(ex, 0, sizeof(*ex));
	if (recv_frame(a, &f, -1, err, "waiting for the exit status") != 0)
		return -1;
	if (f.type == MSB_MSG_EXITED && f.nfds == 0) {
		if ((r = msb_msg_get_exited(f.payload, &m)) != 0)
			r = codec_error(err, r, "EXITED");
		else {
			ex->signaled = m.how == MSB_EXIT_SIGNAL;
			ex->status = (int)m.value;
			ex->core_dumped = m.core;
			r = 1;
		}
	} else if (f.type == MSB_MSG_ERROR && f.id >= ID_SIGNAL_FIRST &&
	    f.nfds == 0)
		r = 0;          /* a SIGNAL that found no process: harmless */
	else if (f.type == MSB_MSG_ERROR && f.nfds == 0)
		r = agent_error(&f, err, "session");
	else
		r = unexpected(&f, err, "session");
	msb_frame_release(&f);
	return r;
}

int
msb_agent_wait_exit(struct msb_agent *a, struct msb_exec_exit *ex,
    struct msb_error *err)
{
	int r;

	while ((r = msb_agent_read_exit(a, ex, err)) == 0)
		;
	return r < 0 ? -1 : 0;
}

int
msb_agent_signal(struct msb_agent *a, int signo, struct msb_error *err)
{
	int r;

	if (signo < 1 || signo > 64)
		return msb_error_set(err, EINVAL, "invalid signal number %d",
		    signo);
	if ((r = msb_frame_begin(a->tx, MSB_MSG_SIGNAL,
	    a->next_signal_id)) != 0 ||
	    (r = msb_msg_put_signal(a->tx, (uint32_t)signo)) != 0)
		return codec_error(err, r, "SIGNAL");
	if (a->next_signal_id < UINT32_MAX)
		a->next_signal_id++;
	return send_frame(a, NULL, 0, err, "SIGNAL");
}

int
msb_exec_exit_code(const struct msb_exec_exit *ex)
{
	if (ex->signaled)
		return 128 + ex->status;
	return ex->status & 0xff;
}

int
msb_agent_accounts(struct msb_agent *a, struct msb_accounts *out,
    struct msb_error *err)
{
	struct msb_frame f;
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = msb_frame_begin(a->tx, MSB_MSG_ACCOUNTS, ID_REQUEST)) != 0)
		return codec_error(err, r, "ACCOUNTS");
	if (send_frame(a, NULL, 0, err, "ACCOUNTS") != 0 ||
	    recv_frame(a, &f, CLIENT_REPLY_TIMEOUT_MS, err, "ACCOUNTS") != 0)
		return -1;
	if (f.type == MSB_MSG_ERROR && f.nfds == 0)
		r = agent_error(&f, err, "ACCOUNTS");
	else if (f.type != MSB_MSG_ACCOUNTS_REPLY || f.nfds != 0)
		r = unexpected(&f, err, "ACCOUNTS");
	else if ((r = msb_msg_get_accounts(f.payload, out)) != 0)
		r = codec_error(err, r, "ACCOUNTS_REPLY");
	msb_frame_release(&f);
	return r == 0 ? 0 : -1;
}

void
msb_accounts_free(struct msb_accounts *acc)
{
	size_t i;

	if (acc == NULL)
		return;
	free(acc->default_user);
	for (i = 0; acc->v != NULL && i < acc->n; i++) {
		free(acc->v[i].name);
		free(acc->v[i].home);
		free(acc->v[i].shell);
	}
	free(acc->v);
	memset(acc, 0, sizeof(*acc));
}
