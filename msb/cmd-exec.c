/*
 * msb exec: run a command inside a sandbox through the agent's command
 * channel. Without a pty our stdin/stdout/stderr are handed to the process
 * itself (zero copy, exact EOF); with -t the agent allocates a pty inside
 * and we relay it. The exit status is the command's (128+N for signal N).
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <unistd.h>

#include "msb/agent.h"
#include "msb/proto.h"
#include "msb/pty-relay.h"
#include "msb/sandbox.h"
#include "msb/xmalloc.h"
#include "cmd.h"
#include "opts.h"

static const char exec_help[] =
    "usage: msb exec [-t|-T] [-u USER] [-w DIR] [-e NAME=VALUE]... NAME -- "
    "COMMAND [ARG...]\n"
    "\n"
    "Run COMMAND (executed directly, no shell; found in the sandbox's PATH)\n"
    "inside sandbox NAME, starting the sandbox if it is stopped. The exit\n"
    "status is the command's, or 128+N if signal N killed it.\n"
    "\n"
    "  -t, --tty            allocate a pty inside the sandbox\n"
    "  -T, --no-tty         never allocate a pty (default: a pty if stdin\n"
    "                       and stdout are terminals)\n"
    "  -u, --user USER      run as this sandbox user (default: the\n"
    "                       sandbox's default user)\n"
    "  -w, --workdir DIR    working directory (default: the user's home)\n"
    "  -e, --env NAME=VALUE set an environment variable (repeatable)\n"
    "  -h, --help           show this help\n";

/* Signals a user sends to `msb exec` are meant for the command. */
static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1,
    SIGUSR2 };

struct exec_opts {
	int tty;                  /* -1 auto, 0 no, 1 yes */
	const char *user;
	const char *cwd;
	char **env;
	size_t nenv;
};

static int
env_ok(const char *e)
{
	const char *eq = strchr(e, '=');

	return eq != NULL && eq != e;
}

static void
env_add(struct exec_opts *o, const char *e)
{
	o->env = xreallocarray(o->env, o->nenv + 2, sizeof(*o->env));
	o->env[o->nenv++] = xstrdup(e);
	o->env[o->nenv] = NULL;
}

/* TERM (with a pty), LANG and LC_* come from the caller; -e wins. */
static char **
build_env(const struct exec_opts *o, int pty)
{
	extern char **environ;
	struct exec_opts all = { 0 };
	char **e;
	size_t i;

	for (e = environ; *e != NULL; e++)
		if (strncmp(*e, "LANG=", 5) == 0 || strncmp(*e, "LC_", 3) == 0 ||
		    (pty && strncmp(*e, "TERM=", 5) == 0))
			env_add(&all, *e);
	for (i = 0; i < o->nenv; i++)
		env_add(&all, o->env[i]);
	return all.env;
}

static void
strv_free(char **v)
{
	char **p;

	for (p = v; p != NULL && *p != NULL; p++)
		free(*p);
	free(v);
}

/* Without a pty: wait for EXITED, forwarding our signals to the session. */
static int
wait_plain(struct msb_agent *a, struct msb_exec_exit *ex)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct signalfd_siginfo si;
	struct pollfd pfd[2];
	sigset_t set;
	size_t i;
	int sfd, r;

	sigemptyset(&set);
	for (i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(&set, forwarded[i]);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0 ||
	    (sfd = signalfd(-1, &set, SFD_CLOEXEC)) < 0)
		return msb_cmd_fail("signalfd: %s", strerror(errno));
	pfd[0].fd = msb_agent_fd(a);
	pfd[0].events = POLLIN;
	pfd[1].fd = sfd;
	pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			r = msb_cmd_fail("poll: %s", strerror(errno));
			break;
		}
		if (pfd[1].revents & POLLIN &&
		    read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
			(void)msb_agent_signal(a, (int)si.ssi_signo, &err);
		msb_error_clear(&err);
		if (pfd[0].revents == 0)
			continue;
		r = msb_agent_read_exit(a, ex, &err);
		if (r == 1) {
			r = 0;
			break;
		}
		if (r < 0) {
			r = msb_cmd_fail("lost the connection to the agent: %s",
			    msb_error_msg(&err));
			break;
		}
	}
	msb_error_clear(&err);
	close(sfd);
	return r;
}

static int
run(struct msb_sandbox *sb, const struct exec_opts *o, char **cmd)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_exec_req req = MSB_EXEC_REQ_INIT;
	struct msb_exec_started started;
	struct msb_exec_exit ex;
	struct msb_pty_relay_opts ro;
	struct msb_agent *a = NULL;
	char *sock = NULL, **env;
	int pty, r;

	pty = o->tty >= 0 ? o->tty : isatty(0) && isatty(1);
	if (msb_sandbox_start(sb, &err) != 0) {
		r = msb_cmd_fail("%s", msb_error_msg(&err));
		msb_error_clear(&err);
		return r;
	}
	sock = msb_sandbox_path(sb, "run/agent.sock");
	if (sock == NULL || msb_agent_connect(sock, MSB_CHAN_COMMAND, NULL, &a,
	    &err) != 0) {
		r = msb_cmd_fail("sandbox '%s': %s", sb->cfg.name,
		    msb_error_msg(&err));
		msb_error_clear(&err);
		free(sock);
		return r;
	}
	free(sock);
	env = build_env(o, pty);
	req.user = o->user;
	req.cwd = o->cwd;
	req.argv = cmd;
	req.env = env;
	req.use_pty = pty;
	if (pty) {
		req.term = getenv("TERM");
		if (!isatty(0) || tcgetattr(0, &req.tio) != 0)
			memset(&req.tio, 0, sizeof(req.tio));
		if (ioctl(0, TIOCGWINSZ, &req.ws) != 0 &&
		    ioctl(1, TIOCGWINSZ, &req.ws) != 0) {
			req.ws.ws_row = 24;
			req.ws.ws_col = 80;
		}
	}
	if (msb_agent_exec(a, &req, &started, &err) != 0) {
		msb_cmd_fail("%s", msb_error_msg(&err));
		r = err.code == ENOENT ? 127 : err.code == EPIPE ||
		    err.code == ECONNRESET || err.code == EPROTO ? 1 : 126;
		goto out;
	}
	if (pty) {
		memset(&ro, 0, sizeof(ro));
		ro.in_fd = 0;
		ro.out_fd = 1;
		ro.master_fd = started.master_fd;
		ro.winch_fd = isatty(0) ? 0 : isatty(1) ? 1 : -1;
		ro.agent = a;
		r = msb_pty_relay(&ro, &ex, &err);
		close(started.master_fd);
		if (r != 0) {
			/* Our terminal went away: closing the connection
			 * hangs up the session. */
			if (err.code != EPIPE)
				msb_cmd_fail("%s", msb_error_msg(&err));
			r = 1;
			goto out;
		}
	} else if ((r = wait_plain(a, &ex)) != 0)
		goto out;
	r = msb_exec_exit_code(&ex);
out:
	msb_error_clear(&err);
	msb_agent_close(a);
	strv_free(env);
	return r;
}

int
cmd_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "tty", no_argument, NULL, 't' },
		{ "no-tty", no_argument, NULL, 'T' },
		{ "user", required_argument, NULL, 'u' },
		{ "workdir", required_argument, NULL, 'w' },
		{ "env", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct exec_opts o = { -1, NULL, NULL, NULL, 0 };
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_sandbox *sb;
	const char *name;
	int ch, r = 0;

	while (r == 0 && (ch = msb_getopt(argc, argv, "+tTu:w:e:h",
	    longopts)) != -1) {
		switch (ch) {
		case 't':
		case 'T':
			o.tty = ch == 't';
			break;
		case 'u':
			o.user = optarg;
			break;
		case 'w':
			o.cwd = optarg;
			break;
		case 'e':
			if (!env_ok(optarg))
				r = msb_usage_error("exec", exec_help, "invalid "
				    "environment entry '%.64s' (NAME=VALUE)",
				    optarg);
			else
				env_add(&o, optarg);
			break;
		case 'h':
			fputs(exec_help, stdout);
			strv_free(o.env);
			return 0;
		default:
			r = msb_usage_error("exec", exec_help, NULL);
		}
	}
	if (r == 0 && optind == argc)
		r = msb_usage_error("exec", exec_help, "missing sandbox name");
	if (r != 0) {
		strv_free(o.env);
		return r;
	}
	name = argv[optind++];
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	if (optind == argc) {
		strv_free(o.env);
		return msb_usage_error("exec", exec_help, "missing command");
	}
	if (msb_check_name("exec", exec_help, name) != 0) {
		strv_free(o.env);
		return 2;
	}
	if ((sb = msb_sandbox_load(name, &err)) == NULL) {
		r = msb_cmd_fail("%s", msb_error_msg(&err));
		msb_error_clear(&err);
	} else {
		r = run(sb, &o, argv + optind);
		msb_sandbox_free(sb);
	}
	strv_free(o.env);
	return r;
}
