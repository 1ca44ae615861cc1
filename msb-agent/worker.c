/*
 * Filesystem channel: after a valid HELLO with channel 2 the connection is
 * handed to a forked worker (fs-worker.c), which answers HELLO itself.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msb/log.h"
#include "msb/xmalloc.h"
#include "agent.h"
#include "fs-worker.h"

/* The worker's fd for the connection. */
#define WORKER_SOCK 3

static void __attribute__((noreturn))
worker_child(struct agent *a, int sock, const char *user, uint32_t version)
{
	struct fs_worker_args args;
	int flags;

	child_reset_signals();
	/* Keep only stdio (the log) and the connection, blocking. */
	if (sock != WORKER_SOCK) {
		if (dup2(sock, WORKER_SOCK) < 0) {
			log_error("filesystem worker: dup2: %s",
			    strerror(errno));
			_exit(1);
		}
	}
	(void)close_range(WORKER_SOCK + 1, ~0U, 0);
	if ((flags = fcntl(WORKER_SOCK, F_GETFL)) < 0 ||
	    fcntl(WORKER_SOCK, F_SETFL, flags & ~O_NONBLOCK) != 0 ||
	    fcntl(WORKER_SOCK, F_SETFD, FD_CLOEXEC) != 0) {
		log_error("filesystem worker: fcntl: %s", strerror(errno));
		_exit(1);
	}
	(void)setrlimit(RLIMIT_NOFILE, &a->nofile);
	memset(&args, 0, sizeof(args));
	args.sock = WORKER_SOCK;
	args.user = user;
	args.default_user = a->default_user;
	args.sandbox = a->name;
	args.version = version;
	_exit(fs_worker_main(&args));
}

int
worker_spawn(struct agent *a, struct conn *c, const char *user,
    uint32_t version)
{
	pid_t pid;

	if ((pid = fork()) < 0) {
		return conn_fail(a, c, 0, errno, "fork: %s", strerror(errno));
	}
	if (pid == 0)
		worker_child(a, c->fd, user, version);
	log_verbose("connection #%llu: filesystem worker for user '%.100s': "
	    "pid %ld", (unsigned long long)c->serial,
	    user[0] != '\0' ? user : a->default_user, (long)pid);
	if (a->nworkers == a->capworkers) {
		a->capworkers = a->capworkers == 0 ? 16 : a->capworkers * 2;
		a->workers = xreallocarray(a->workers, a->capworkers,
		    sizeof(*a->workers));
	}
	a->workers[a->nworkers++] = pid;
	conn_drop(a, c, "handed to the filesystem worker");
	return 0;
}

int
worker_reaped(struct agent *a, pid_t pid)
{
	size_t i;

	for (i = 0; i < a->nworkers; i++)
		if (a->workers[i] == pid) {
			a->workers[i] = a->workers[--a->nworkers];
			return 1;
		}
	return 0;
}
