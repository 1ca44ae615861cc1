/*
 * agent-cli: test driver for msb-agent's command channel, built on the
 * client library (msb/agent.h, msb/pty-relay.h).
 *
 *   agent-cli [-s SOCKET] ping
 *   agent-cli [-s SOCKET] accounts
 *   agent-cli [-s SOCKET] exec [-t] [-l] [-u USER] [-C DIR] [-e NAME=VALUE]...
 *                         [--term T] [--rows N] [--cols N] [--report FILE]
 *                         [--] [ARGV...]
 *
 * SOCKET defaults to $MSB_AGENT_SOCK. exec exits with the session's status
 * (128 + signal for a signal death); an agent ERROR is printed and gives
 * 127 (ENOENT) or 126, like a shell; a connection failure gives 255.
 * Without -t, SIGINT SIGTERM SIGHUP SIGQUIT SIGUSR1 SIGUSR2 received by
 * agent-cli are forwarded to the session with SIGNAL. --report writes
 * "exited N" or "signaled N core C" to FILE.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
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
#include "msb/error.h"
#include "msb/proto.h"
#include "msb/pty-relay.h"

#define EXIT_CONNECT 255

static const char *sock_path;

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: agent-cli [-s SOCKET] ping|accounts|exec "
	    "[-t] [-l] [-u USER] [-C DIR] [-e N=V]... [--term T]\n"
	    "       [--rows N] [--cols N] [--report FILE] [--] [ARGV...]\n");
	exit(2);
}

static struct msb_agent *
connect_or_die(void)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_agent *a;

	if (msb_agent_connect(sock_path, MSB_CHAN_COMMAND, NULL, &a, &err)
	    != 0) {
		fprintf(stderr, "agent-cli: %s\n", msb_error_msg(&err));
		msb_error_clear(&err);
		exit(EXIT_CONNECT);
	}
	return a;
}

static int
cmd_ping(void)
{
	struct msb_agent *a = connect_or_die();

	printf("%s %u\n", msb_agent_sandbox(a), msb_agent_version(a));
	msb_agent_close(a);
	return 0;
}

static int
cmd_accounts(void)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_agent *a = connect_or_die();
	struct msb_accounts acc;
	size_t i;

	if (msb_agent_accounts(a, &acc, &err) != 0) {
		fprintf(stderr, "agent-cli: %s\n", msb_error_msg(&err));
		msb_error_clear(&err);
		msb_agent_close(a);
		return 1;
	}
	printf("default %s\n", acc.default_user);
	for (i = 0; i < acc.n; i++)
		printf("%s %u %u %s %s\n", acc.v[i].name, acc.v[i].uid,
		    acc.v[i].gid, acc.v[i].home, acc.v[i].shell);
	msb_accounts_free(&acc);
	msb_agent_close(a);
	return 0;
}

/* Wait for EXITED, forwarding our signals to the session. */
static const int fwd_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT,
    SIGUSR1, SIGUSR2 };

/* Blocked from before EXEC, so that none is lost or kills us meanwhile. */
static void
forwarded_set(sigset_t *set)
{
	size_t i;

	sigemptyset(set);
	for (i = 0; i < sizeof(fwd_signals) / sizeof(fwd_signals[0]); i++)
		sigaddset(set, fwd_signals[i]);
}

static int
wait_forwarding(struct msb_agent *a, struct msb_exec_exit *ex,
    struct msb_error *err)
{
	struct signalfd_siginfo si;
	struct pollfd p[2];
	sigset_t set;
	int sfd, r;

	forwarded_set(&set);
	if ((sfd = signalfd(-1, &set, SFD_CLOEXEC)) < 0)
		return msb_error_sys(err, errno, "signalfd");
	for (;;) {
		p[0].fd = msb_agent_fd(a);
		p[0].events = POLLIN;
		p[1].fd = sfd;
		p[1].events = POLLIN;
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return msb_error_sys(err, errno, "poll");
		}
		if (p[1].revents != 0 &&
		    read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si) &&
		    msb_agent_signal(a, (int)si.ssi_signo, err) != 0)
			return -1;
		if (p[0].revents != 0) {
			r = msb_agent_read_exit(a, ex, err);
			if (r != 0)
				return r < 0 ? -1 : 0;
		}
	}
}

static void
write_report(const char *path, const struct msb_exec_exit *ex)
{
	FILE *f;

	if (path == NULL)
		return;
	if ((f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "agent-cli: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	if (ex->signaled)
		fprintf(f, "signaled %d core %d\n", ex->status,
		    ex->core_dumped);
	else
		fprintf(f, "exited %d\n", ex->status);
	if (fclose(f) != 0) {
		fprintf(stderr, "agent-cli: %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static unsigned short
parse_dim(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 0 || v > 65535)
		usage();
	return (unsigned short)v;
}

static int
cmd_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "term", required_argument, NULL, 'T' },
		{ "rows", required_argument, NULL, 'R' },
		{ "cols", required_argument, NULL, 'K' },
		{ "report", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct msb_exec_req req = MSB_EXEC_REQ_INIT;
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_exec_started st;
	struct msb_exec_exit ex;
	struct msb_agent *a;
	const char *report = NULL;
	char **env;
	size_t nenv = 0;
	int ch, rows = -1, cols = -1, r;

	if ((env = calloc((size_t)argc + 1, sizeof(char *))) == NULL)
		return 1;
	req.term = getenv("TERM");
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+tlu:C:e:", longopts, NULL))
	    != -1) {
		switch (ch) {
		case 't': req.use_pty = 1; break;
		case 'l': req.login_shell = 1; break;
		case 'u': req.user = optarg; break;
		case 'C': req.cwd = optarg; break;
		case 'e': env[nenv++] = optarg; break;
		case 'T': req.term = optarg; break;
		case 'R': rows = parse_dim(optarg); break;
		case 'K': cols = parse_dim(optarg); break;
		case 'r': report = optarg; break;
		default: usage();
		}
	}
	req.argv = optind < argc ? argv + optind : NULL;
	req.env = env;
	if (req.use_pty) {
		if (isatty(STDIN_FILENO)) {
			(void)tcgetattr(STDIN_FILENO, &req.tio);
			(void)ioctl(STDIN_FILENO, TIOCGWINSZ, &req.ws);
		} else {
			req.ws.ws_row = 24;
			req.ws.ws_col = 80;
		}
		if (rows >= 0)
			req.ws.ws_row = (unsigned short)rows;
		if (cols >= 0)
			req.ws.ws_col = (unsigned short)cols;
	}
	if (!req.use_pty) {
		sigset_t set;

		forwarded_set(&set);
		if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
			return 1;
	}
	a = connect_or_die();
	if (msb_agent_exec(a, &req, &st, &err) != 0) {
		fprintf(stderr, "agent-cli: %s\n", msb_error_msg(&err));
		r = err.code == ENOENT ? 127 : 126;
		goto out;
	}
	if (req.use_pty) {
		struct msb_pty_relay_opts o = {
			.in_fd = STDIN_FILENO, .out_fd = STDOUT_FILENO,
			.master_fd = st.master_fd,
			.winch_fd = isatty(STDIN_FILENO) ? STDIN_FILENO : -1,
			.agent = a,
		};

		r = msb_pty_relay(&o, &ex, &err);
		close(st.master_fd);
	} else
		r = wait_forwarding(a, &ex, &err);
	if (r != 0) {
		fprintf(stderr, "agent-cli: %s\n", msb_error_msg(&err));
		r = EXIT_CONNECT;
	} else {
		write_report(report, &ex);
		r = msb_exec_exit_code(&ex);
	}
 out:
	msb_error_clear(&err);
	msb_agent_close(a);
	free(env);
	return r;
}

int
main(int argc, char **argv)
{
	int ch;

	sock_path = getenv("MSB_AGENT_SOCK");
	while ((ch = getopt(argc, argv, "+s:")) != -1) {
		if (ch == 's')
			sock_path = optarg;
		else
			usage();
	}
	if (optind >= argc || sock_path == NULL)
		usage();
	if (strcmp(argv[optind], "ping") == 0)
		return cmd_ping();
	if (strcmp(argv[optind], "accounts") == 0)
		return cmd_accounts();
	if (strcmp(argv[optind], "exec") == 0)
		return cmd_exec(argc - optind, argv + optind);
	usage();
}
