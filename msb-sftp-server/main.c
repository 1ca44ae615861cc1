/*
 * msb-sftp-server: SFTP v3 and the OpenSSH extensions over a sandbox's
 * filesystem channel. sshd runs it (through msb-shell) as the sftp
 * subsystem; it speaks SFTP on stdin/stdout and has the sandbox's agent
 * perform every path operation inside the sandbox as the session user.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msb/agent.h"
#include "msb/buf.h"
#include "msb/err.h"
#include "msb/error.h"
#include "msb/log.h"
#include "msb/proto.h"
#include "msb/xmalloc.h"
#include "loop.h"
#include "server.h"
#include "sftp.h"

/* Pipe buffer we ask for on stdin/stdout (the default pipe-max-size). */
#define PIPE_SIZE (1024 * 1024)

/* Input buffer allocation (see main()). */
#define IQ_PREALLOC (2u * 1024u * 1024u)

/* Descriptors we need besides handles: stdio, agent, log, spare. */
#define FDS_RESERVED 8

static int log_to_file;

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: msb-sftp-server [-ehRV] [-d start_directory] [-l log_level] "
	    "[-P denied_requests]\n"
	    "           [-p allowed_requests] [-S agent_socket] "
	    "[-U sandbox_user] [-L log_file]\n"
	    "       msb-sftp-server -Q protocol_feature\n"
	    "       msb-sftp-server --help | --version\n");
}

/* Start-up failures also go to stderr, which the client shows. */
static void __attribute__((noreturn, format(printf, 1, 2)))
startup_fail(const char *fmt, ...)
{
	va_list ap;
	char msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_error("%s", msg);
	if (log_to_file)
		fprintf(stderr, "msb-sftp-server: %s\n", msg);
	exit(1);
}

static void
query(const char *what)
{
	const struct sftp_op *ops;
	size_t i, n;

	if (strcasecmp(what, "requests") != 0) {
		fprintf(stderr, "msb-sftp-server: invalid query type \"%s\" "
		    "(only \"requests\")\n", what);
		exit(1);
	}
	ops = sftp_ops_all(&n);
	for (i = 0; i < n; i++)
		printf("%s\n", ops[i].name);
	exit(0);
}

static void
set_nonblock(int fd, const char *what)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		startup_fail("%s: fcntl: %s", what, strerror(errno));
}

/*
 * sshd connects the subsystem through pipes of 64 KiB: a 256 KiB DATA reply
 * would take several poll/write rounds. Bigger pipes (if allowed; not an
 * error otherwise) let one write carry a whole reply.
 */
static void
grow_pipe(int fd)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode))
		(void)fcntl(fd, F_SETPIPE_SZ, PIPE_SIZE);
}

/* Blocking request/reply during start-up; NULL + errno on ERROR. */
static char *
sync_path(struct srv *s, uint8_t type, const char *arg, uint8_t want,
    int *errp)
{
	struct msb_frame f;
	char *res = NULL, *msg = NULL;
	int r, e;

	*errp = 0;
	reply_check(msb_buf_put_cstring(wreq_begin(s, type), arg));
	if ((r = worker_call(s, &f)) != 0)
		startup_fail("filesystem channel: %s", r == MSB_ERR_SYSTEM ?
		    strerror(errno) : msb_strerr(r));
	if (f.type == MSB_MSG_ERROR) {
		if (msb_proto_get_error(f.payload, &e, &msg) != 0)
			startup_fail("filesystem channel: bad ERROR");
		*errp = e;
		free(msg);
	} else if (f.type != want ||
	    msb_buf_get_cstring(f.payload, &res, NULL) != 0)
		startup_fail("filesystem channel: unexpected %s",
		    msb_msg_name(f.type));
	msb_frame_release(&f);
	return res;
}

/* The session user, as the worker sees it in the sandbox. */
struct session_user {
	char *name, *home;
	uint32_t uid;
};

static void
lookup_session_user(struct srv *s, struct session_user *u)
{
	struct msb_frame f;
	uint32_t gid;

	memset(u, 0, sizeof(*u));
	reply_check(msb_buf_put_cstring(wreq_begin(s, MSB_MSG_FS_GETPWNAM), ""));
	if (worker_call(s, &f) != 0 || f.type != MSB_MSG_FS_PW ||
	    msb_buf_get_cstring(f.payload, &u->name, NULL) != 0 ||
	    msb_buf_get_u32(f.payload, &u->uid) != 0 ||
	    msb_buf_get_u32(f.payload, &gid) != 0 ||
	    msb_buf_get_cstring(f.payload, &u->home, NULL) != 0)
		startup_fail("cannot look up the session user in the sandbox");
	msb_frame_release(&f);
}

/* -d: a leading "~", "%d" (home), "%u" (user name), "%U" (uid), "%%". */
static char *
expand_start_dir(const char *dir, const struct session_user *u)
{
	char *out, *n, one[2] = { 0, 0 }, uid[16];
	const char *p = dir, *add;

	snprintf(uid, sizeof(uid), "%u", u->uid);
	out = xstrdup("");
	if (p[0] == '~' && (p[1] == '\0' || p[1] == '/')) {
		free(out);
		out = xstrdup(u->home);
		p++;
	}
	for (; *p != '\0'; p++) {
		if (*p == '%' && p[1] != '\0' && strchr("duU%", p[1]) != NULL) {
			p++;
			add = *p == 'd' ? u->home : *p == 'u' ? u->name :
			    *p == 'U' ? uid : "%";
		} else {
			one[0] = *p;
			add = one;
		}
		n = xstrfmt("%s%s", out, add);
		free(out);
		out = n;
	}
	return out;
}

static void
setup_start_dir(struct srv *s, const char *dir, const struct session_user *u)
{
	char *d;
	int e;

	if (dir != NULL) {
		d = expand_start_dir(dir, u);
		if ((s->start_dir = sync_path(s, MSB_MSG_FS_REALPATH, d,
		    MSB_MSG_FS_PATH, &e)) != NULL)
			s->join_relative = 1;
		else
			log_error("chdir to \"%s\" failed: %s", d, strerror(e));
		free(d);
	}
	if (s->start_dir == NULL &&
	    (s->start_dir = sync_path(s, MSB_MSG_FS_REALPATH, ".",
	    MSB_MSG_FS_PATH, &e)) == NULL)
		startup_fail("cannot resolve the working directory in the "
		    "sandbox: %s", strerror(e));
}

static size_t
handle_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 64;
	/* More handles cost nothing until used: take what we may. */
	if (rl.rlim_cur < rl.rlim_max && rl.rlim_cur < 65536) {
		rl.rlim_cur = rl.rlim_max < 65536 ? rl.rlim_max : 65536;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY)
		return SFTP_HANDLE_MAX_SLOTS;
	return rl.rlim_cur > FDS_RESERVED + 1 ? rl.rlim_cur - FDS_RESERVED : 1;
}

int
main(int argc, char **argv)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_agent *agent;
	struct session_user su;
	struct srv s;
	const char *sock = getenv("MSB_AGENT_SOCKET");
	const char *user = getenv("MSB_SANDBOX_USER");
	const char *logfile = getenv("MSB_LOG_FILE");
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *client;
	int ch, log_stderr = 0, level;

	memset(&s, 0, sizeof(s));
	msb_log_init(argv[0], MSB_LOG_ERROR);
	while ((ch = getopt_long(argc, argv, "d:ehL:l:P:p:Q:RS:U:V", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			dir = optarg;
			break;
		case 'e':
			log_stderr = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("msb-sftp-server %s\n", PACKAGE_VERSION);
			return 0;
		case 'L':
			logfile = optarg;
			break;
		case 'l':
			if ((level = msb_log_level_from_name(optarg)) < 0) {
				fprintf(stderr, "msb-sftp-server: invalid log "
				    "level \"%s\"\n", optarg);
				return 1;
			}
			msb_log_set_level((enum msb_log_level)level);
			break;
		case 'P':
		case 'p':
			if (sftp_policy_set(&s, ch == 'P', optarg) != 0)
				return 1;
			break;
		case 'Q':
			query(optarg);
			break;
		case 'R':
			s.readonly = 1;
			break;
		case 'S':
			sock = optarg;
			break;
		case 'U':
			user = optarg;
			break;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 1;
	}
	if (!log_stderr && logfile != NULL && logfile[0] != '\0') {
		if (msb_log_open_file(logfile) != 0) {
			fprintf(stderr, "msb-sftp-server: cannot open log file "
			    "%s: %s\n", logfile, strerror(errno));
			return 1;
		}
		log_to_file = 1;
	}
	(void)signal(SIGPIPE, SIG_IGN);
	if (sock == NULL || sock[0] == '\0')
		startup_fail("no agent socket: use -S or set MSB_AGENT_SOCKET");
	if (msb_agent_connect(sock, MSB_CHAN_FS, user != NULL ? user : "",
	    &agent, &err) != 0)
		startup_fail("%s", msb_error_msg(&err));
	s.in_fd = STDIN_FILENO;
	s.out_fd = STDOUT_FILENO;
	s.agent_fd = msb_agent_fd(agent);
	if ((s.iq = msb_buf_new()) == NULL || (s.oq = msb_buf_new()) == NULL ||
	    (s.sendq = msb_buf_new()) == NULL ||
	    (s.ftx = msb_buf_new()) == NULL || (s.frx = msb_buf_new()) == NULL)
		startup_fail("out of memory");
	/* room for the soft limit plus a burst of replies over it */
	if (msb_buf_set_max(s.oq, 2 * SRV_OQUEUE_SOFT) != 0 ||
	    msb_buf_set_max(s.sendq, 2 * SRV_OQUEUE_SOFT) != 0)
		startup_fail("output queue limit");
	/*
	 * A roomy input buffer: reads append to it and the partial packet at
	 * its end only has to be moved to the front once every few reads.
	 */
	if (msb_buf_reserve(s.iq, IQ_PREALLOC, NULL) != 0 ||
	    msb_buf_consume_end(s.iq, IQ_PREALLOC) != 0)
		startup_fail("out of memory");
	s.next_wid = 1;
	lookup_session_user(&s, &su);
	setup_start_dir(&s, dir, &su);
	sftp_handles_init(&s.ht, handle_limit());
	s.max_open_handles = s.ht.max;
	set_nonblock(s.in_fd, "stdin");
	set_nonblock(s.out_fd, "stdout");
	grow_pipe(s.in_fd);
	grow_pipe(s.out_fd);
	set_nonblock(s.agent_fd, "agent socket");
	if ((client = getenv("SSH_CONNECTION")) == NULL)
		client = "UNKNOWN";
	log_info("session opened for sandbox %s user %s from [%.*s]",
	    msb_agent_sandbox(agent), su.name, (int)strcspn(client, " "),
	    client);
	log_verbose("start directory \"%s\"", s.start_dir);
	srv_loop(&s);
}
