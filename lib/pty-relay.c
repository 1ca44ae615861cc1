/*
 * Relay between a local terminal and the sandbox pty master (msb/pty-relay.h).
 * The sandbox's line discipline does all terminal processing, so the local
 * tty is put in raw mode and bytes pass through unchanged.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "msb/agent.h"
#include "msb/error.h"
#include "msb/pty-relay.h"

#define RELAY_BUF 16384
#define RELAY_DRAIN_MS 250

/* A one-direction byte queue. */
struct pipe_buf {
	uint8_t d[RELAY_BUF];
	size_t off, len;
};

struct relay {
	const struct msb_pty_relay_opts *o;
	struct pipe_buf to_master, to_out;
	int in_open;            /* still reading in_fd */
	int master_open;        /* still reading the master */
	int exited;
	int64_t drain_deadline;
	int sig_fd;
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
copy_winsize(const struct msb_pty_relay_opts *o)
{
	struct winsize ws;

	if (o->winch_fd >= 0 && ioctl(o->winch_fd, TIOCGWINSZ, &ws) == 0)
		(void)ioctl(o->master_fd, TIOCSWINSZ, &ws);
}

/* Read into an empty queue: >0 bytes, 0 EOF/EIO, -1 would block/retry. */
static ssize_t
fill(int fd, struct pipe_buf *q)
{
	ssize_t n;

	n = read(fd, q->d, sizeof(q->d));
	if (n > 0) {
		q->off = 0;
		q->len = (size_t)n;
		return n;
	}
	if (n == 0 || errno == EIO)
		return 0;
	if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
		return -1;
	return 0;
}

/* Write some of the queue: 0 ok (maybe partial), -1 the reader is gone. */
static int
drain(int fd, struct pipe_buf *q)
{
	ssize_t n;

	n = write(fd, q->d + q->off, q->len);
	if (n > 0) {
		q->off += (size_t)n;
		q->len -= (size_t)n;
		return 0;
	}
	if (n < 0 && (errno == EINTR || errno == EAGAIN ||
	    errno == EWOULDBLOCK))
		return 0;
	return -1;
}

static int
local_gone(struct msb_error *err, const char *what)
{
	return msb_error_set(err, EPIPE, "%s", what);
}

static int
relay_loop(struct relay *r, struct msb_exec_exit *ex, struct msb_error *err)
{
	const struct msb_pty_relay_opts *o = r->o;
	struct pollfd p[5];
	enum { P_IN, P_MASTER, P_OUT, P_AGENT, P_SIG };
	int idx[5], n, timeout, rc, want;
	int64_t now;

	for (;;) {
		now = now_ms();
		if (r->exited && (!r->master_open || now >= r->drain_deadline) &&
		    r->to_out.len == 0)
			return 0;
		n = 0;
		memset(idx, -1, sizeof(idx));
		if (r->in_open && r->to_master.len == 0) {
			idx[P_IN] = n;
			p[n].fd = o->in_fd;
			p[n++].events = POLLIN;
		}
		/* Only when there is something to do with it: a master whose
		 * slave is closed reports POLLHUP even for no events, and
		 * would spin the loop while the local output is slow. */
		want = (r->to_out.len == 0 ? POLLIN : 0) |
		    (r->to_master.len > 0 ? POLLOUT : 0);
		if (r->master_open && want != 0) {
			idx[P_MASTER] = n;
			p[n].fd = o->master_fd;
			p[n++].events = (short)want;
		}
		if (r->to_out.len > 0) {
			idx[P_OUT] = n;
			p[n].fd = o->out_fd;
			p[n++].events = POLLOUT;
		}
		if (!r->exited) {
			idx[P_AGENT] = n;
			p[n].fd = msb_agent_fd(o->agent);
			p[n++].events = POLLIN;
		}
		if (r->sig_fd >= 0) {
			idx[P_SIG] = n;
			p[n].fd = r->sig_fd;
			p[n++].events = POLLIN;
		}
		/* The silence after EXITED counts only while we can read. */
		timeout = -1;
		if (r->exited && r->master_open && r->to_out.len == 0)
			timeout = r->drain_deadline > now ?
			    (int)(r->drain_deadline - now) : 0;
		rc = poll(p, (nfds_t)n, timeout);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return msb_error_sys(err, errno, "poll");
		if (rc == 0)
			continue;       /* drain deadline: checked above */

		if (idx[P_SIG] >= 0 && p[idx[P_SIG]].revents != 0) {
			struct signalfd_siginfo si;

			while (read(r->sig_fd, &si, sizeof(si)) > 0)
				;
			copy_winsize(o);
		}
		if (idx[P_AGENT] >= 0 && p[idx[P_AGENT]].revents != 0) {
			rc = msb_agent_read_exit(o->agent, ex, err);
			if (rc < 0)
				return -1;
			if (rc == 1) {
				r->exited = 1;
				r->drain_deadline = now_ms() + RELAY_DRAIN_MS;
			}
		}
		if (idx[P_IN] >= 0 && p[idx[P_IN]].revents != 0) {
			ssize_t got = fill(o->in_fd, &r->to_master);

			if (got == 0) {
				/* A tty that hangs up is the user leaving; a
				 * pipe at EOF just has no more input (as with
				 * ssh -t, EOF does not reach a pty program). */
				if (isatty(o->in_fd))
					return local_gone(err, "the local "
					    "terminal hung up");
				r->in_open = 0;
			}
		}
		if (idx[P_MASTER] >= 0 && p[idx[P_MASTER]].revents != 0) {
			short re = p[idx[P_MASTER]].revents;

			if (r->to_master.len > 0 && (re & (POLLOUT | POLLERR |
			    POLLHUP)) != 0 && drain(o->master_fd,
			    &r->to_master) != 0)
				r->to_master.len = 0;  /* slave side gone */
			if (r->to_out.len == 0 && (re & (POLLIN | POLLHUP |
			    POLLERR)) != 0) {
				ssize_t got = fill(o->master_fd, &r->to_out);

				if (got == 0)
					r->master_open = 0;  /* EIO: closed */
				else if (got > 0 && r->exited)
					r->drain_deadline = now_ms() +
					    RELAY_DRAIN_MS;
			}
		}
		if (idx[P_OUT] >= 0 && p[idx[P_OUT]].revents != 0) {
			if (drain(o->out_fd, &r->to_out) != 0)
				return local_gone(err, "the local output is "
				    "closed");
			/* A slow reader must not cut off what the master
			 * still holds: the silence starts now. */
			if (r->to_out.len == 0 && r->exited)
				r->drain_deadline = now_ms() + RELAY_DRAIN_MS;
		}
	}
}

int
msb_pty_relay(const struct msb_pty_relay_opts *o, struct msb_exec_exit *ex,
    struct msb_error *err)
{
	struct relay r;
	struct termios saved, raw;
	struct sigaction ign, old_pipe;
	sigset_t winch, old_mask;
	int raw_set = 0, flags, rc;

	memset(ex, 0, sizeof(*ex));
	memset(&r, 0, sizeof(r));
	r.o = o;
	r.in_open = 1;
	r.master_open = 1;
	r.sig_fd = -1;
	if ((flags = fcntl(o->master_fd, F_GETFL)) < 0 ||
	    fcntl(o->master_fd, F_SETFL, flags | O_NONBLOCK) != 0)
		return msb_error_sys(err, errno, "pty master");
	if (isatty(o->in_fd) && tcgetattr(o->in_fd, &saved) == 0) {
		raw = saved;
		cfmakeraw(&raw);
		if (tcsetattr(o->in_fd, TCSADRAIN, &raw) == 0)
			raw_set = 1;
	}
	/* EPIPE must be an error return, not the death of the caller. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old_pipe);
	sigemptyset(&winch);
	sigaddset(&winch, SIGWINCH);
	sigprocmask(SIG_BLOCK, &winch, &old_mask);
	if (o->winch_fd >= 0) {
		r.sig_fd = signalfd(-1, &winch, SFD_NONBLOCK | SFD_CLOEXEC);
		/* A resize between EXEC and now would be lost otherwise. */
		copy_winsize(o);
	}

	rc = relay_loop(&r, ex, err);

	if (r.sig_fd >= 0)
		close(r.sig_fd);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
	if (raw_set)
		(void)tcsetattr(o->in_fd, TCSADRAIN, &saved);
	return rc;
}
