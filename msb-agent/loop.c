/*
 * The agent's event loop: one poll() over the listening socket, the
 * signalfd, every connection and every starting session's error pipe, with
 * deadlines (HELLO, hang-up kills, shutdown) as the poll timeout.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "msb/log.h"
#include "msb/xmalloc.h"
#include "agent.h"

/* What each pollfd slot stands for. */
enum slot_kind { SLOT_LISTEN, SLOT_SIGNAL, SLOT_CONN, SLOT_ERRPIPE };

struct slot {
	enum slot_kind kind;
	void *ptr;
	uint64_t serial;         /* guards against a conn freed meanwhile */
};

int64_t
agent_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
do_accept(struct agent *a)
{
	int fd;

	for (;;) {
		fd = accept4(a->listen_fd, NULL, NULL,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			log_error("accept: %s", strerror(errno));
			/* EMFILE and friends: breathe instead of spinning. */
			a->accept_pause_until = agent_now_ms() + 100;
			return;
		}
		if (a->nconns >= AGENT_MAX_CONNS) {
			log_error("too many connections (%d): refusing one",
			    AGENT_MAX_CONNS);
			close(fd);
			continue;
		}
		(void)conn_new(a, fd);
	}
}

/* Reap every child; sessions report EXITED, workers are forgotten. */
static void
reap(struct agent *a)
{
	struct session *s;
	pid_t pid;
	int status;

	for (;;) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid <= 0)
			return;
		if ((s = session_by_pid(a, pid)) != NULL)
			session_reaped(a, s, status);
		else if (worker_reaped(a, pid))
			log_debug("filesystem worker %ld finished (status "
			    "0x%x)", (long)pid, status);
		else
			log_debug2("reaped orphan %ld", (long)pid);
	}
}

/* Signal everything we are responsible for (see agent_stop). */
static void
signal_all(struct agent *a, int signo)
{
	size_t i;

	if (a->pid1) {
		(void)kill(-1, signo);
		return;
	}
	for (i = 0; i < a->nsess; i++)
		session_kill(a->sess[i], signo);
	for (i = 0; i < a->nworkers; i++)
		(void)kill(a->workers[i], signo);
}

void
agent_stop(struct agent *a)
{
	if (a->stopping)
		return;
	log_info("stopping: terminating all processes");
	a->stopping = 1;
	if (a->listen_fd >= 0) {
		close(a->listen_fd);
		a->listen_fd = -1;
	}
	signal_all(a, SIGTERM);
	signal_all(a, SIGCONT);
	a->stop_deadline = agent_now_ms() + AGENT_STOP_GRACE_MS;
}

/* 1 when nothing is left to wait for. */
static int
stop_finished(struct agent *a)
{
	siginfo_t si;

	if (a->pid1) {
		/* No children at all (WNOWAIT: reap() handles the rest). */
		memset(&si, 0, sizeof(si));
		return waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 &&
		    errno == ECHILD;
	}
	return a->nsess == 0 && a->nworkers == 0;
}

static void
handle_signals(struct agent *a)
{
	struct signalfd_siginfo si;
	ssize_t n;
	int chld = 0;

	for (;;) {
		n = read(a->sig_fd, &si, sizeof(si));
		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof(si))
			break;
		if (si.ssi_signo == SIGCHLD)
			chld = 1;
		else {
			log_info("received signal %u", si.ssi_signo);
			agent_stop(a);
		}
	}
	if (chld || a->stopping)
		reap(a);
}

static void
timers(struct agent *a, int64_t now, int64_t *next)
{
	size_t i;
	struct conn *c;

	for (i = 0; i < a->nconns; i++) {
		c = a->conns[i];
		if (c->dead || c->state != CONN_HELLO)
			continue;
		if (c->hello_deadline <= now)
			conn_fail(a, c, 0, ETIMEDOUT, "no HELLO within %d ms",
			    MSB_PROTO_HELLO_TIMEOUT_MS);
		else if (*next < 0 || c->hello_deadline < *next)
			*next = c->hello_deadline;
	}
	session_timers(a, now, next);
	if (a->accept_pause_until > now &&
	    (*next < 0 || a->accept_pause_until < *next))
		*next = a->accept_pause_until;
	if (a->stopping) {
		if (a->stop_deadline <= now) {
			if (!a->stop_killed) {
				log_info("processes left after %d ms: "
				    "killing them", AGENT_STOP_GRACE_MS);
				signal_all(a, SIGKILL);
				a->stop_killed = 1;
			}
			/* Re-check (reap) regularly until they are gone. */
			a->stop_deadline = now + 100;
		}
		if (*next < 0 || a->stop_deadline < *next)
			*next = a->stop_deadline;
	}
}

int
agent_run(struct agent *a)
{
	struct pollfd *pfd = NULL;
	struct slot *slots = NULL;
	size_t cap = 0, n, i;
	int64_t now, next;
	int timeout, r;

	for (;;) {
		now = agent_now_ms();
		next = -1;
		timers(a, now, &next);
		conn_sweep(a);
		if (a->stopping)
			reap(a);      /* do not depend on SIGCHLD timing */
		if (a->stopping && stop_finished(a)) {
			log_info("stopped");
			break;
		}
		/* Build the poll set. */
		n = 2 + a->nconns + a->nsess;
		if (n > cap) {
			cap = n * 2;
			pfd = xreallocarray(pfd, cap, sizeof(*pfd));
			slots = xreallocarray(slots, cap, sizeof(*slots));
		}
		n = 0;
		pfd[n].fd = a->sig_fd;
		pfd[n].events = POLLIN;
		slots[n++].kind = SLOT_SIGNAL;
		if (a->listen_fd >= 0 && a->accept_pause_until <= now) {
			pfd[n].fd = a->listen_fd;
			pfd[n].events = POLLIN;
			slots[n++].kind = SLOT_LISTEN;
		}
		for (i = 0; i < a->nconns; i++) {
			struct conn *c = a->conns[i];

			pfd[n].fd = c->fd;
			/* Backpressure: no new requests while replies wait. */
			pfd[n].events = c->out_head != NULL ? POLLOUT : POLLIN;
			slots[n].kind = SLOT_CONN;
			slots[n].ptr = c;
			slots[n++].serial = c->serial;
		}
		for (i = 0; i < a->nsess; i++) {
			if (a->sess[i]->errpipe < 0)
				continue;
			pfd[n].fd = a->sess[i]->errpipe;
			pfd[n].events = POLLIN;
			slots[n].kind = SLOT_ERRPIPE;
			slots[n].ptr = NULL;
			slots[n++].serial = a->sess[i]->serial;
		}
		timeout = next < 0 ? -1 : (int)(next > now ? next - now : 0);
		r = poll(pfd, n, timeout);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			log_fatal("poll: %s", strerror(errno));
		}
		if (r == 0)
			continue;
		/* Signals first: reaping may end sessions polled below. */
		if (pfd[0].revents != 0)
			handle_signals(a);
		for (i = 1; i < n; i++) {
			if (pfd[i].revents == 0)
				continue;
			switch (slots[i].kind) {
			case SLOT_LISTEN:
				if (a->listen_fd >= 0)
					do_accept(a);
				break;
			case SLOT_CONN: {
				struct conn *c = slots[i].ptr;

				if (c->dead)
					break;
				if (c->out_head != NULL)
					conn_flush(a, c);
				else
					conn_read(a, c);
				break;
			}
			case SLOT_ERRPIPE: {
				/* Reaping above may have freed the session. */
				struct session *s;

				s = session_by_serial(a, slots[i].serial);
				if (s != NULL && s->errpipe >= 0)
					session_errpipe(a, s);
				break;
			}
			case SLOT_SIGNAL:
				break;
			}
		}
	}
	free(pfd);
	free(slots);
	return 0;
}

/* Release everything at exit (keeps leak checkers meaningful). */
void
agent_free(struct agent *a)
{
	size_t i;

	for (i = 0; i < a->nconns; i++)
		conn_drop(a, a->conns[i], "agent exiting");
	conn_sweep(a);
	free(a->conns);
	while (a->nsess > 0)
		session_forget(a, a->sess[0]);
	free(a->sess);
	free(a->workers);
	if (a->listen_fd >= 0)
		close(a->listen_fd);
	if (a->sig_fd >= 0)
		close(a->sig_fd);
	msb_buf_free(a->rx);
	memset(a, 0, sizeof(*a));
}
