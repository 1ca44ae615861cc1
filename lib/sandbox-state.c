/*
 * Is a sandbox running, and stopping it. run/pid holds "PID STARTTIME" of
 * the agent (host pid; STARTTIME = field 22 of /proc/PID/stat), so a
 * recycled pid never passes for the sandbox.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "msb/sandbox.h"
#include "sandbox-int.h"

#define PF_EXITING_FLAG 0x4u     /* PF_EXITING in field 9 of /proc/PID/stat */

/*
 * Start time (field 22 of /proc/PID/stat) of a process that exists, and
 * whether it is on its way out (PF_EXITING: its files are closed but its
 * namespaces may still be torn down) or a zombie. -1 (ESRCH) if gone.
 */
int
sb_proc_stat(pid_t pid, uint64_t *st, int *exiting)
{
	char path[64], buf[1024], *p, *end;
	unsigned long long flags = 0;
	ssize_t n;
	int fd, field;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* comm (field 2) may contain spaces and ')': skip to the last ')'. */
	if ((p = strrchr(buf, ')')) == NULL || p[1] != ' ')
		return -1;
	p++;
	*exiting = p[1] == 'Z' || p[1] == 'X';
	for (field = 3; field < 22; field++) {
		if ((p = strchr(p + 1, ' ')) == NULL)
			return -1;
		if (field == 8)
			flags = strtoull(p + 1, NULL, 10);
	}
	if (flags & PF_EXITING_FLAG)
		*exiting = 1;
	errno = 0;
	*st = strtoull(p + 1, &end, 10);
	return errno == 0 && end != p + 1 ? 0 : -1;
}

/* Start time of a live process (not exiting), else -1 with ESRCH. */
int
sb_proc_starttime(pid_t pid, uint64_t *st)
{
	int exiting;

	if (sb_proc_stat(pid, st, &exiting) != 0)
		return -1;
	if (exiting) {
		errno = ESRCH;
		return -1;
	}
	return 0;
}

int
sb_pidfile_read(const char *dir, pid_t *pid, uint64_t *starttime)
{
	char *path = sb_strjoin(dir, "/", "run/pid"), *s;
	long long p;
	unsigned long long st;
	int r = -1;

	if (path == NULL)
		return -1;
	s = sb_read_small(path, 64, NULL);
	free(path);
	if (s == NULL)
		return -1;
	if (sscanf(s, "%lld %llu", &p, &st) == 2 && p > 1 && p < INT32_MAX) {
		*pid = (pid_t)p;
		*starttime = st;
		r = 0;
	}
	free(s);
	return r;
}

int
sb_pidfile_write(const char *dir, pid_t pid, struct msb_error *err)
{
	char *path = sb_strjoin(dir, "/", "run/pid"), buf[64];
	uint64_t st;
	int n, r;

	if (path == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	if (sb_proc_starttime(pid, &st) != 0) {
		free(path);
		return msb_error_sys(err, errno ? errno : ESRCH,
		    "cannot read the start time of pid %ld", (long)pid);
	}
	n = snprintf(buf, sizeof(buf), "%ld %" PRIu64 "\n", (long)pid, st);
	r = sb_write_file(path, buf, (size_t)n, 0600, err);
	free(path);
	return r;
}

int
sb_running(const char *dir, pid_t *pid)
{
	uint64_t want, have;
	pid_t p;

	if (sb_pidfile_read(dir, &p, &want) != 0)
		return 0;
	if (sb_proc_starttime(p, &have) != 0 || have != want)
		return 0;
	if (pid != NULL)
		*pid = p;
	return 1;
}

static int
pidfd_wait(int pidfd, int timeout_ms)
{
	struct pollfd pfd = { pidfd, POLLIN, 0 };
	int r;

	do
		r = poll(&pfd, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	return r;
}

/*
 * If the agent recorded in run/pid is still exiting (closed its files but
 * not yet gone), wait until it is: its namespaces and the overlay mount
 * must be released before the sandbox is started again.
 */
int
sb_wait_gone(const char *dir, int timeout_ms)
{
	uint64_t want, have;
	int exiting, pidfd, r;
	pid_t pid;

	if (sb_pidfile_read(dir, &pid, &want) != 0)
		return 0;
	if ((pidfd = (int)syscall(SYS_pidfd_open, pid, 0)) < 0)
		return 0;
	r = 0;
	if (sb_proc_stat(pid, &have, &exiting) == 0 && have == want)
		r = pidfd_wait(pidfd, timeout_ms) == 1 ? 0 : -1;
	close(pidfd);
	return r;
}

int
msb_sandbox_status(const struct msb_sandbox *sb,
    struct msb_sandbox_status *st, struct msb_error *err)
{
	char *path;
	struct stat sst;

	(void)err;
	memset(st, 0, sizeof(*st));
	if (!sb_running(sb->dir, &st->pid)) {
		st->pid = 0;
		return 0;
	}
	st->running = 1;
	if ((path = sb_strjoin(sb->dir, "/", "run/pid")) != NULL &&
	    stat(path, &sst) == 0)
		st->started = (int64_t)sst.st_mtime;
	free(path);
	return 0;
}

int
msb_sandbox_stop(struct msb_sandbox *sb, int timeout_ms,
    struct msb_error *err)
{
	uint64_t want, have;
	pid_t pid;
	int pidfd, r;

	if (sb_pidfile_read(sb->dir, &pid, &want) != 0)
		return 0;
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return errno == ESRCH ? 0 : msb_error_sys(err, errno,
		    "stopping '%s': pidfd_open", sb->cfg.name);
	/* The pidfd pins the process: now check it is still ours. */
	if (sb_proc_starttime(pid, &have) != 0 || have != want) {
		close(pidfd);
		return 0;
	}
	if (syscall(SYS_pidfd_send_signal, pidfd, SIGTERM, NULL, 0) != 0 &&
	    errno != ESRCH) {
		msb_error_sys(err, errno, "stopping '%s'", sb->cfg.name);
		close(pidfd);
		return -1;
	}
	r = pidfd_wait(pidfd, timeout_ms < 0 ? 0 : timeout_ms);
	if (r == 0) {
		(void)syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
		r = pidfd_wait(pidfd, 10000);
	}
	close(pidfd);
	if (r <= 0)
		return msb_error_set(err, ETIMEDOUT, "sandbox '%s' (pid %ld) "
		    "did not stop", sb->cfg.name, (long)pid);
	return 0;
}
