/*
 * Shell and command sessions inside the sandbox.
 *
 * Without a pty our stdin/stdout/stderr (sshd's pipes) are handed to the
 * agent, which installs them as the sandbox process's fds 0-2: no byte is
 * copied by us and EOF is exact. We only wait for EXITED, watching fds 1
 * and 2 for POLLERR/POLLHUP: sshd closes its read ends when the client has
 * gone (reference/openssh.md 2.3), and then we close the agent connection,
 * which makes the agent hang up the session (SIGHUP, then SIGKILL).
 *
 * With a pty (sshd gave us one as fds 0-2) the agent opens a pty inside the
 * sandbox with the client's termios and window size, and we relay between
 * the two masters (msb_pty_relay: raw mode here, SIGWINCH -> TIOCSWINSZ).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>

#include "msb/agent.h"
#include "msb/proto.h"
#include "msb/pty-relay.h"
#include "shell.h"

extern char **environ;

/* Client-side variables that make sense inside the sandbox. */
static const struct {
	const char *name;
	int prefix;          /* match NAME* */
	int pty_only;
} forwarded_env[] = {
	{ "TERM", 0, 1 },
	{ "LANG", 0, 0 },
	{ "LC_", 1, 0 },
	{ "COLORTERM", 0, 0 },
	{ "GIT_PROTOCOL", 0, 0 },   /* git's protocol v2 request (git sends it) */
	{ "SSH_CLIENT", 0, 0 },
	{ "SSH_CONNECTION", 0, 0 },
};

static int
env_forwarded(const char *kv, int pty)
{
	size_t i, n;

	for (i = 0; i < sizeof(forwarded_env) / sizeof(forwarded_env[0]); i++) {
		n = strlen(forwarded_env[i].name);
		if (strncmp(kv, forwarded_env[i].name, n) != 0)
			continue;
		if (!forwarded_env[i].prefix && kv[n] != '=')
			continue;
		if (forwarded_env[i].prefix && strchr(kv + n, '=') == NULL)
			continue;
		return !forwarded_env[i].pty_only || pty;
	}
	return 0;
}

/*
 * NULL-terminated pointers into environ, plus SSH_ORIGINAL_COMMAND when a
 * key's command= replaced the client's request (as sshd would set it), and
 * with a pty an empty SSH_TTY (sshd's is a host path).
 */
static char **
session_env(const struct shell_ctx *c, int pty)
{
	size_t n = 0, i;
	char **v;

	for (i = 0; environ[i] != NULL; i++)
		n++;
	if ((v = calloc(n + 3, sizeof(*v))) == NULL)
		return NULL;
	for (n = 0, i = 0; environ[i] != NULL; i++)
		if (env_forwarded(environ[i], pty))
			v[n++] = environ[i];
	/* The agent fills in the sandbox pty's path (PROTOCOL.md 4.2). */
	if (pty)
		v[n++] = "SSH_TTY=";
	if (c->forced && c->original_command != NULL &&
	    asprintf(&v[n++], "SSH_ORIGINAL_COMMAND=%s",
	    c->original_command) < 0) {
		free(v);
		return NULL;
	}
	v[n] = NULL;
	return v;
}

void
shell_exit_like(const struct msb_exec_exit *ex)
{
	struct rlimit no_core = { 0, 0 };
	struct sigaction dfl;
	sigset_t set;

	if (!ex->signaled)
		exit(ex->status & 0xff);
	/*
	 * Die of the same signal so that sshd (our parent, thanks to "exec"
	 * in the ForceCommand) reports exit-signal. No core file here: the
	 * core, if any, was the sandbox's.
	 */
	(void)setrlimit(RLIMIT_CORE, &no_core);
	if (ex->status == SIGKILL)
		raise(SIGKILL);         /* no disposition to reset */
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	if (ex->status > 0 && ex->status < NSIG &&
	    sigaction(ex->status, &dfl, NULL) == 0) {
		sigemptyset(&set);
		sigaddset(&set, ex->status);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		raise(ex->status);
	}
	/* Stop-like or ignored signals do not end us: report like a shell. */
	_exit(128 + (ex->status & 0x7f));
}

static void
exec_failed(const struct shell_ctx *c, struct msb_error *err)
{
	int status;

	/*
	 * The client library refuses an EXEC that does not fit in one agent
	 * frame (sshd took the command: its own limit is the kernel's 128 KiB
	 * per string). Say what was too long, like a shell's E2BIG.
	 */
	if (err->code == E2BIG && c->command != NULL)
		shell_die(c, SHELL_EXIT_NOEXEC, "command too long for the "
		    "sandbox: %zu bytes (a command and its environment must fit "
		    "in one %u-byte agent request)", strlen(c->command),
		    MSB_PROTO_FRAME_MAX);
	status = err->code == ENOENT ? SHELL_EXIT_NOTFOUND :
	    err->code == EACCES || err->code == ENOEXEC || err->code == EISDIR ||
	    err->code == EPERM ? SHELL_EXIT_NOEXEC : SHELL_EXIT_FAILURE;

	shell_die(c, status, "%s", msb_error_msg(err));
}

/* Wait for EXITED while watching for the client going away. */
static void wait_nopty(const struct shell_ctx *, struct msb_agent *)
    __attribute__((noreturn));

static void
wait_nopty(const struct shell_ctx *c, struct msb_agent *a)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_exec_exit ex;
	struct pollfd p[3];
	int r, i;

	p[0].fd = msb_agent_fd(a);
	p[0].events = POLLIN;
	p[1].fd = STDOUT_FILENO;
	p[1].events = 0;
	p[2].fd = STDERR_FILENO;
	p[2].events = 0;
	for (;;) {
		r = poll(p, 3, -1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			shell_die(c, SHELL_EXIT_FAILURE, "poll: %s", strerror(errno));
		if (p[0].revents != 0) {
			r = msb_agent_read_exit(a, &ex, &err);
			if (r == 1) {
				msb_agent_close(a);
				shell_exit_like(&ex);
			}
			if (r < 0)
				shell_die(c, SHELL_EXIT_FAILURE,
				    "lost the connection to sandbox %s: %s",
				    c->sandbox, msb_error_msg(&err));
		}
		for (i = 1; i < 3; i++) {
			if ((p[i].revents & (POLLERR | POLLHUP)) == 0)
				continue;
			/* The client is gone: hang up the sandbox session. */
			shell_log(c, "client went away (sshd closed fd %d); "
			    "hanging up the session", i);
			msb_agent_close(a);
			_exit(SHELL_EXIT_FAILURE);
		}
		for (i = 1; i < 3; i++)
			if (p[i].revents & POLLNVAL)
				p[i].fd = -1;
	}
}

static void
run_pty(const struct shell_ctx *c, struct msb_agent *a,
    struct msb_exec_req *req)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_exec_started st;
	struct msb_exec_exit ex;
	struct msb_pty_relay_opts o;

	req->use_pty = 1;
	req->term = getenv("TERM");
	if (tcgetattr(STDIN_FILENO, &req->tio) != 0)
		memset(&req->tio, 0, sizeof(req->tio));
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &req->ws) != 0)
		memset(&req->ws, 0, sizeof(req->ws));
	if (msb_agent_exec(a, req, &st, &err) != 0)
		exec_failed(c, &err);
	memset(&o, 0, sizeof(o));
	o.in_fd = STDIN_FILENO;
	o.out_fd = STDOUT_FILENO;
	o.master_fd = st.master_fd;
	o.winch_fd = STDIN_FILENO;
	o.agent = a;
	if (msb_pty_relay(&o, &ex, &err) != 0) {
		if (err.code == EPIPE) {
			shell_log(c, "terminal went away; hanging up the session");
			msb_agent_close(a);
			_exit(SHELL_EXIT_FAILURE);
		}
		shell_die(c, SHELL_EXIT_FAILURE, "sandbox %s: %s", c->sandbox,
		    msb_error_msg(&err));
	}
	close(st.master_fd);
	msb_agent_close(a);
	shell_exit_like(&ex);
}

void
shell_session(const struct shell_ctx *c)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_exec_req req = MSB_EXEC_REQ_INIT;
	struct msb_exec_started st;
	struct msb_agent *a;
	char *argv[2];
	int pty = isatty(STDIN_FILENO), fd;

	if (msb_agent_connect(c->agent_socket, MSB_CHAN_COMMAND, NULL, &a,
	    &err) != 0) {
		if (err.code == ENOENT || err.code == ECONNREFUSED) {
			shell_log(c, "%s", msb_error_msg(&err));
			shell_die(c, SHELL_EXIT_FAILURE,
			    "sandbox %s is not running", c->sandbox);
		}
		shell_die(c, SHELL_EXIT_FAILURE, "sandbox %s: %s", c->sandbox,
		    msb_error_msg(&err));
	}
	req.user = c->user;
	if (c->command == NULL)
		req.login_shell = 1;
	else {
		/* The account's shell runs it, as with sshd: bash syntax for
		 * a bash user, nologin refuses, git-shell restricts. */
		argv[0] = (char *)c->command;
		argv[1] = NULL;
		req.argv = argv;
		req.shell_command = 1;
	}
	if ((req.env = session_env(c, pty)) == NULL)
		shell_die(c, SHELL_EXIT_FAILURE, "out of memory");
	/* sshd reset SIGPIPE to default; a write error must not kill us. */
	signal(SIGPIPE, SIG_IGN);
	if (pty)
		run_pty(c, a, &req);
	if (msb_agent_exec(a, &req, &st, &err) != 0)
		exec_failed(c, &err);
	/*
	 * The sandbox process owns stdin now; holding the read end would keep
	 * sshd's writes succeeding after that process is gone.
	 */
	if ((fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0) {
		dup2(fd, STDIN_FILENO);
		close(fd);
	}
	wait_nopty(c, a);
}
