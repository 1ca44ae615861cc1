/*
 * msb-agent: PID 1 of a sandbox (launch mode: inherited listening socket
 * and readiness fd) or an ordinary process serving a socket it creates
 * (dev mode, for tests). See msb-agent(8) and PROTOCOL.md.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "msb/buf.h"
#include "msb/error.h"
#include "msb/log.h"
#include "msb/name.h"
#include "msb/passwd.h"
#include "msb/xmalloc.h"
#include "agent.h"
#include "sockaddr.h"

struct options {
	const char *name;
	const char *user;
	const char *listen_path;
	int listen_fd;
	int ready_fd;
	int log_level;
};

static void __attribute__((noreturn))
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: msb-agent --name NAME --listen-fd FD [--ready-fd FD] "
	    "[--user USER]\n"
	    "                 [--log-level LEVEL]\n"
	    "       msb-agent --name NAME --listen PATH [--ready-fd FD] "
	    "[--user USER]\n"
	    "                 [--log-level LEVEL]\n"
	    "       msb-agent --help | --version\n");
	exit(status);
}

static int
parse_fd(const char *s, const char *opt)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || v < 0 || v > INT_MAX)
		log_fatal("%s: invalid file descriptor '%.50s'", opt, s);
	return (int)v;
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "user", required_argument, NULL, 'u' },
		{ "listen", required_argument, NULL, 'L' },
		{ "listen-fd", required_argument, NULL, 'l' },
		{ "ready-fd", required_argument, NULL, 'r' },
		{ "log-level", required_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct msb_error err = MSB_ERROR_INIT;
	int ch;

	memset(o, 0, sizeof(*o));
	o->listen_fd = o->ready_fd = -1;
	o->log_level = MSB_LOG_INFO;
	while ((ch = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			o->name = optarg;
			break;
		case 'u':
			o->user = optarg;
			break;
		case 'L':
			o->listen_path = optarg;
			break;
		case 'l':
			o->listen_fd = parse_fd(optarg, "--listen-fd");
			break;
		case 'r':
			o->ready_fd = parse_fd(optarg, "--ready-fd");
			break;
		case 'v':
			if ((o->log_level = msb_log_level_from_name(optarg)) < 0)
				log_fatal("unknown log level '%.50s'", optarg);
			break;
		case 'h':
			usage(0);
		case 'V':
			printf("%s\n", AGENT_VERSION_STRING);
			exit(0);
		default:
			usage(2);
		}
	}
	if (optind != argc)
		usage(2);
	if (o->name == NULL)
		log_fatal("--name is required");
	if (msb_name_validate(o->name, &err) != 0)
		log_fatal("%s", msb_error_msg(&err));
	if ((o->listen_path == NULL) == (o->listen_fd < 0))
		log_fatal("exactly one of --listen-fd and --listen is required");
	if (o->user != NULL && (o->user[0] == '\0' ||
	    strlen(o->user) > 256 || strchr(o->user, ':') != NULL))
		log_fatal("invalid user name '%.50s'", o->user);
	if (o->listen_fd >= 0 && o->listen_fd <= 2)
		log_fatal("--listen-fd must not be a standard fd");
	if (o->ready_fd >= 0 && (o->ready_fd <= 2 ||
	    o->ready_fd == o->listen_fd))
		log_fatal("--ready-fd must be another fd above 2");
}

/* Make sure 0-2 are open, so that no socket or pipe ever lands there. */
static void
sanitise_stdfd(void)
{
	int fd;

	while ((fd = open("/dev/null", O_RDWR)) >= 0 && fd <= 2)
		;
	if (fd > 2)
		close(fd);
	if (fcntl(STDERR_FILENO, F_GETFD) < 0)
		_exit(1);    /* nowhere even to log */
}

/* Close every inherited fd above 2 except the ones we were given. */
static void
close_inherited(int keep1, int keep2)
{
	int lo = keep1 < keep2 ? keep1 : keep2;
	int hi = keep1 < keep2 ? keep2 : keep1;
	unsigned from = 3;

	if (lo >= 3) {
		if ((unsigned)lo > from)
			(void)close_range(from, (unsigned)lo - 1, 0);
		from = (unsigned)lo + 1;
	}
	if (hi >= 3 && hi != lo) {
		if ((unsigned)hi > from)
			(void)close_range(from, (unsigned)hi - 1, 0);
		from = (unsigned)hi + 1;
	}
	(void)close_range(from, ~0U, 0);
}

static void
check_listen_fd(int fd)
{
	struct stat st;
	socklen_t len;
	int type = 0, acc = 0;

	if (fstat(fd, &st) != 0)
		log_fatal("--listen-fd %d: %s", fd, strerror(errno));
	len = sizeof(type);
	if (!S_ISSOCK(st.st_mode) ||
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 ||
	    type != SOCK_SEQPACKET)
		log_fatal("--listen-fd %d is not a SOCK_SEQPACKET socket", fd);
	len = sizeof(acc);
	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &len) != 0 ||
	    !acc)
		log_fatal("--listen-fd %d is not listening", fd);
	if (fcntl(fd, F_SETFL, O_NONBLOCK) != 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) != 0)
		log_fatal("--listen-fd %d: %s", fd, strerror(errno));
}

/* Dev mode: our own socket, 0600, replacing a stale one. */
static int
listen_on(struct agent *a, const char *path)
{
	struct sockaddr_un sun;
	struct stat st;
	mode_t old;
	int fd, probe, dirfd;

	if (msb_sockaddr_un(path, &sun, &dirfd) != 0)
		log_fatal("socket %s: %s", path, strerror(errno));
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			log_fatal("%s exists and is not a socket", path);
		probe = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		if (probe >= 0 && connect(probe, (struct sockaddr *)&sun,
		    sizeof(sun)) == 0)
			log_fatal("another agent is serving %s", path);
		if (probe >= 0)
			close(probe);
		if (unlink(path) != 0)
			log_fatal("cannot remove stale %s: %s", path,
			    strerror(errno));
	}
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0)) < 0)
		log_fatal("socket: %s", strerror(errno));
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0)
		log_fatal("bind %s: %s", path, strerror(errno));
	umask(old);
	if (dirfd >= 0)
		close(dirfd);
	if (chmod(path, 0600) != 0 || stat(path, &st) != 0)
		log_fatal("%s: %s", path, strerror(errno));
	a->listen_dev = st.st_dev;
	a->listen_ino = st.st_ino;
	if (listen(fd, SOMAXCONN) != 0)
		log_fatal("listen %s: %s", path, strerror(errno));
	return fd;
}

static void
setup_signals(struct agent *a)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL) != 0)
		log_fatal("sigaction: %s", strerror(errno));
	if (a->pid1 && (sigaction(SIGINT, &sa, NULL) != 0 ||
	    sigaction(SIGHUP, &sa, NULL) != 0))
		log_fatal("sigaction: %s", strerror(errno));
	/* An inherited SIG_IGN would make the kernel reap for us. */
	sa.sa_handler = SIG_DFL;
	if (sigaction(SIGCHLD, &sa, NULL) != 0)
		log_fatal("sigaction: %s", strerror(errno));
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	if (!a->pid1) {
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGHUP);
	}
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		log_fatal("sigprocmask: %s", strerror(errno));
	if ((a->sig_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) < 0)
		log_fatal("signalfd: %s", strerror(errno));
}

/* Dev mode default: the account we run as, if the passwd file knows it. */
static void
set_default_user(struct agent *a, const char *given)
{
	struct msb_pwdb db;
	const struct msb_pw *pw;

	a->default_user = given != NULL ? given : "root";
	if (given != NULL || a->listen_path == NULL ||
	    msb_pwdb_load(&db, a->passwd_path, NULL, NULL) != 0)
		return;
	if ((pw = msb_pwdb_by_uid(&db, (uint32_t)getuid())) != NULL)
		a->default_user = a->default_user_buf = xstrdup(pw->name);
	msb_pwdb_free(&db);
}

static void
signal_ready(int fd)
{
	static const char msg[] = "ready\n";
	ssize_t n;

	if (fd < 0)
		return;
	do {
		n = write(fd, msg, sizeof(msg) - 1);
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(msg) - 1)
		log_error("--ready-fd %d: %s", fd, n < 0 ? strerror(errno) :
		    "short write");
	close(fd);
}

static void
remove_socket(const struct agent *a)
{
	struct stat st;

	/* Only if it is still ours (not a successor's). */
	if (a->listen_path != NULL && lstat(a->listen_path, &st) == 0 &&
	    st.st_dev == a->listen_dev && st.st_ino == a->listen_ino)
		(void)unlink(a->listen_path);
}

int
main(int argc, char **argv)
{
	struct options o;
	struct agent a;
	struct rlimit rl;
	struct stat st;

	sanitise_stdfd();
	msb_log_init("msb-agent", MSB_LOG_INFO);
	/*
	 * Set-user-ID (or -group) the agent would run programs as anybody
	 * for whoever starts it: never. A sandbox's root must not be able to
	 * make it so (the launcher executes it through a read-only nosuid
	 * bind), and this stops it should the file be changed another way.
	 */
	if (getuid() != geteuid() || getgid() != getegid())
		log_fatal("refusing to run set-user-ID or set-group-ID");
	msb_log_set_fatal_status(2);     /* option errors are usage errors */
	parse_options(argc, argv, &o);
	msb_log_set_fatal_status(1);
	msb_log_set_level((enum msb_log_level)o.log_level);

	memset(&a, 0, sizeof(a));
	a.name = o.name;
	a.passwd_path = "/etc/passwd";
	a.group_path = "/etc/group";
	a.listen_path = o.listen_path;
	a.listen_fd = -1;
	a.sig_fd = -1;
	a.pid1 = getpid() == 1;

	if (o.listen_fd >= 0) {
		/* Launch mode: stderr is a socket (or pipe) to the monitor,
		 * which stamps every line itself; anything else (a file) gets
		 * stamps here. */
		if (fstat(STDERR_FILENO, &st) != 0 ||
		    !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
			msb_log_set_fd(STDERR_FILENO);
		if (o.ready_fd >= 0 && fcntl(o.ready_fd, F_SETFD,
		    FD_CLOEXEC) != 0)
			log_fatal("--ready-fd %d: %s", o.ready_fd,
			    strerror(errno));
		close_inherited(o.listen_fd, o.ready_fd);
		check_listen_fd(o.listen_fd);
		a.listen_fd = o.listen_fd;
	} else {
		if (o.ready_fd >= 0 && fcntl(o.ready_fd, F_SETFD,
		    FD_CLOEXEC) != 0)
			log_fatal("--ready-fd %d: %s", o.ready_fd,
			    strerror(errno));
		close_inherited(o.ready_fd, -1);
		a.listen_fd = listen_on(&a, o.listen_path);
	}
	setup_signals(&a);
	/* Orphans of our sessions come back to us (implicit as PID 1). */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
		log_error("PR_SET_CHILD_SUBREAPER: %s", strerror(errno));
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		log_fatal("getrlimit: %s", strerror(errno));
	a.nofile = rl;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		log_error("setrlimit: %s", strerror(errno));
	set_default_user(&a, o.user);
	if ((a.rx = msb_buf_new()) == NULL)
		log_fatal("out of memory");

	log_info("%s serving sandbox %s (default user %s)%s",
	    AGENT_VERSION_STRING, a.name, a.default_user,
	    a.pid1 ? " as PID 1" : "");
	signal_ready(o.ready_fd);
	agent_run(&a);
	remove_socket(&a);
	free(a.default_user_buf);
	agent_free(&a);
	return 0;
}
