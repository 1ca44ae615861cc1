/*
 * The agent's standard output and error are a socket to the monitor, not
 * the host's log file: the sandbox's root can reach every fd of its PID 1
 * (ptrace, /proc/1/fd, pidfd_getfd), and must not read or rewrite a host
 * file through it. The monitor copies what arrives into $dir/log, one line
 * at a time, with its own timestamp and the agent's name: bytes from inside
 * the sandbox can neither pose as another program's log lines nor carry
 * control characters, and the file is rotated to log.1 (one old file
 * kept) so that a flood costs at most twice SB_LOG_ROTATE_SIZE of disk.
 * Host-side writers (msb-proxy, sshd -E, msb-shell, msb-sftp-server -l)
 * append to the same file by path; the monitor checks its size every
 * LOG_CHECK_MS too, so their lines are rotated as well.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sandbox-int.h"

#define LINE_MAX_OUT 1024       /* longer lines are split */
#define AGENT_PREFIX "msb-agent: "
#define DRAIN_READS_MAX 256      /* x LINE_MAX_OUT bytes at most */
#define LOG_CHECK_MS 60000       /* size check when the agent is quiet */

struct relay {
	struct sb_launch *l;
	pid_t init;
	char buf[LINE_MAX_OUT];
	size_t len;
};

/* Start a fresh log when the current one is over the limit. */
static void
rotate(struct sb_launch *l)
{
	struct stat st;
	int fd;

	if (l->log_fd < 0 || fstat(l->log_fd, &st) != 0 ||
	    st.st_size <= SB_LOG_ROTATE_SIZE || l->dir_fd < 0)
		return;
	if (renameat(l->dir_fd, "log", l->dir_fd, "log.1") != 0)
		return;
	fd = openat(l->dir_fd, "log", O_WRONLY | O_APPEND | O_CREAT |
	    O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return;
	(void)dup2(fd, STDERR_FILENO);   /* the monitor's own log lines */
	close(l->log_fd);
	l->log_fd = fd;
}

static void
emit(struct relay *r, const char *p, size_t n)
{
	char out[LINE_MAX_OUT + 128], stamp[32];
	struct tm tm;
	time_t now;
	size_t i, plen = strlen(AGENT_PREFIX), off;
	int k;

	if (n >= plen && memcmp(p, AGENT_PREFIX, plen) == 0) {
		p += plen;
		n -= plen;
	}
	now = time(NULL);
	if (localtime_r(&now, &tm) == NULL ||
	    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		strcpy(stamp, "-");
	k = snprintf(out, sizeof(out), "%s msb-agent[%ld]: ", stamp,
	    (long)r->init);
	if (k < 0 || (size_t)k >= sizeof(out))
		return;
	off = (size_t)k;
	for (i = 0; i < n && off < sizeof(out) - 1; i++)
		out[off++] = iscntrl((unsigned char)p[i]) && p[i] != '\t' ?
		    '?' : p[i];
	out[off++] = '\n';
	rotate(r->l);
	(void)sb_write_all(r->l->log_fd, out, off);
}

/* Emit every complete line in the buffer (all of it when flushing). */
static void
lines(struct relay *r, int flush)
{
	char *nl;
	size_t start = 0, n;

	while (start < r->len) {
		nl = memchr(r->buf + start, '\n', r->len - start);
		if (nl == NULL) {
			/* A partial line waits for its end unless it fills
			 * the whole buffer (then it is split). */
			if (!flush && (start > 0 || r->len < sizeof(r->buf)))
				break;
			n = r->len - start;
		} else
			n = (size_t)(nl - (r->buf + start));
		emit(r, r->buf + start, n);
		start += n + (nl != NULL);
	}
	memmove(r->buf, r->buf + start, r->len - start);
	r->len -= start;
}

/* Read what is there; 0 at EOF (or a hard error), 1 otherwise. */
static int
pull(struct relay *r, int rd)
{
	ssize_t n;

	do
		n = read(rd, r->buf + r->len, sizeof(r->buf) - r->len);
	while (n < 0 && errno == EINTR);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
		return 0;
	if (n > 0) {
		r->len += (size_t)n;
		lines(r, 0);
	}
	return 1;
}

/*
 * Copy the agent's output (rd) until init has exited (pidfd readable) or
 * every writer is gone, then drain what is left without blocking: a
 * writer that outlives init (an fd smuggled to the host over the agent
 * socket) must not keep the monitor from reaping it.
 */
void
sb_log_relay(struct sb_launch *l, int rd, pid_t init, int pidfd)
{
	struct relay r;
	struct pollfd p[2];
	int nfds, flags, rc, i;

	memset(&r, 0, sizeof(r));
	r.l = l;
	r.init = init;
	if ((flags = fcntl(rd, F_GETFL)) >= 0)
		(void)fcntl(rd, F_SETFL, flags | O_NONBLOCK);
	for (;;) {
		p[0].fd = rd;
		p[0].events = POLLIN;
		p[1].fd = pidfd;
		p[1].events = POLLIN;
		nfds = pidfd >= 0 ? 2 : 1;
		rc = poll(p, (nfds_t)nfds, LOG_CHECK_MS);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			break;
		if (rc == 0) {
			rotate(l);
			continue;
		}
		if (p[0].revents != 0 && !pull(&r, rd))
			break;
		if (nfds == 2 && p[1].revents != 0)
			break;
	}
	/* What init and its last processes wrote before they died: about
	 * one socket buffer's worth, never an endless stream. */
	for (i = 0; i < DRAIN_READS_MAX; i++) {
		struct pollfd q = { rd, POLLIN, 0 };

		if (poll(&q, 1, 0) != 1 || !pull(&r, rd))
			break;
	}
	lines(&r, 1);
}
