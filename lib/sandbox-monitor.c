/*
 * The monitor: a detached process per running sandbox. It creates the
 * sandbox's namespaces, assembles the root, forks init (PID 1, later
 * msb-agent), writes init's id maps and run/pid, waits for init to exit and
 * then removes run/pid and run/agent.sock (only if they are still its own).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msb/log.h"
#include "msb/proctitle.h"
#include "sandbox-int.h"

void sb_monitor_main(struct sb_launch *l) __attribute__((noreturn));

static void
report(struct sb_launch *l, const struct msb_error *err)
{
	char buf[1024];
	int n;

	log_error("%s", msb_error_msg(err));
	if (l->ready_fd < 0)
		return;
	n = snprintf(buf, sizeof(buf), "error: %s\n", msb_error_msg(err));
	if (n > 0)
		(void)sb_write_all(l->ready_fd, buf, (size_t)n < sizeof(buf) ?
		    (size_t)n : sizeof(buf) - 1);
}

static int
cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Close every fd above 2 but the launch's own (inherited from any caller). */
static void
close_others(struct sb_launch *l)
{
	int keep[5] = { l->listen_fd, l->ready_fd, l->agent_fd, l->log_fd,
	    l->dir_fd };
	unsigned from = 3;
	size_t i;

	qsort(keep, 5, sizeof(keep[0]), cmp_int);
	for (i = 0; i < 5; i++) {
		if (keep[i] < 3)
			continue;
		if ((unsigned)keep[i] > from)
			(void)syscall(SYS_close_range, from,
			    (unsigned)keep[i] - 1, 0);
		from = (unsigned)keep[i] + 1;
	}
	(void)syscall(SYS_close_range, from, ~0U, 0);
}

static void
detach(struct sb_launch *l)
{
	int null;

	(void)setsid();
	if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0) {
		(void)dup2(null, 0);
		(void)dup2(null, 1);
		if (null > 2)
			close(null);
	}
	(void)dup2(l->log_fd, 2);
	if (chdir("/") != 0)
		log_error("chdir /: %s", strerror(errno));
	close_others(l);
	sb_reset_signals();
	(void)signal(SIGPIPE, SIG_IGN);
	(void)prctl(PR_SET_NAME, "msb-monitor", 0, 0, 0);
	/* Not the argv of whatever started us (msb-proxy, msb start). */
	msb_proctitle("msb-monitor %s", l->sb->cfg.name);
	msb_log_init("msb-sandbox", MSB_LOG_INFO);
	msb_log_set_fd(STDERR_FILENO);
}

static int
setup_namespaces(struct sb_launch *l, struct msb_error *err)
{
	/* The cgroup namespace is init's own, made once it is in the
	 * limits' cgroups (sb_cgroup_enter). */
	int flags = CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC |
	    (l->sb->cfg.net_host ? 0 : CLONE_NEWNET);

	if (sb_idmap_enter_own(&l->map, err) != 0)
		return -1;
	if (unshare(CLONE_NEWNS) != 0)
		return msb_error_sys(err, errno, "cannot create a mount "
		    "namespace");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		return msb_error_sys(err, errno, "cannot make / private");
	/* CLONE_NEWPID applies to the next child: init. */
	if (unshare(flags) != 0)
		return msb_error_sys(err, errno, "cannot create the sandbox's "
		    "namespaces");
	return sb_net_setup(l, err);
}

/* Put init into the limits' cgroups; then it may make its namespaces. */
static int
place_init(struct sb_launch *l, pid_t pid, int fd, struct msb_error *err)
{
	char c = 'C';

	if (sb_cgroup_enter(l, pid, err) != 0)
		return -1;
	if (sb_write_all(fd, &c, 1) != 0)
		return msb_error_sys(err, errno, "init gone");
	return 0;
}

/* Wait for init's "user namespace created", then map it. */
static int
map_init(struct sb_launch *l, pid_t pid, int fd, struct msb_error *err)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	char c = 0;
	int r;

	do
		r = poll(&pfd, 1, MSB_START_TIMEOUT_MS);
	while (r < 0 && errno == EINTR);
	if (r != 1 || read(fd, &c, 1) != 1 || c != 'U')
		return msb_error_set(err, EPROTO, "init failed before its user "
		    "namespace was ready");
	if (sb_idmap_write_nested(pid, &l->map, err) != 0 ||
	    sb_pidfile_write(l->dir, pid, err) != 0)
		return -1;
	c = 'G';
	if (sb_write_all(fd, &c, 1) != 0)
		return msb_error_sys(err, errno, "init gone");
	return 0;
}

static void __attribute__((noreturn))
fail(struct sb_launch *l, const struct msb_error *err)
{
	report(l, err);
	sb_cgroup_cleanup(l);
	_exit(1);
}

/* After init exited: remove run/pid and the socket if they are ours. */
static void
cleanup(struct sb_launch *l, pid_t pid)
{
	char *sock = sb_strjoin(l->dir, "/", "run/agent.sock");
	char *pidf = sb_strjoin(l->dir, "/", "run/pid");
	struct stat st;
	uint64_t stime;
	pid_t p;
	int lock;

	if ((lock = sb_lock(l->dir, 60000, NULL)) < 0)
		goto out;
	if (sb_pidfile_read(l->dir, &p, &stime) == 0 && p == pid && pidf)
		(void)unlink(pidf);
	if (sock != NULL && lstat(sock, &st) == 0 && st.st_dev == l->sock_dev &&
	    st.st_ino == l->sock_ino)
		(void)unlink(sock);
	close(lock);
out:
	free(sock);
	free(pidf);
}

static void
log_exit(const char *name, int st)
{
	if (WIFEXITED(st))
		log_info("sandbox '%s' stopped (agent exit status %d)", name,
		    WEXITSTATUS(st));
	else
		log_info("sandbox '%s' stopped (agent killed by signal %d)",
		    name, WTERMSIG(st));
}

void
sb_monitor_main(struct sb_launch *l)
{
	struct msb_error err = MSB_ERROR_INIT;
	int sp[2], lp[2], st, pidfd;
	pid_t pid;

	detach(l);
	if (setup_namespaces(l, &err) != 0 || sb_agent_bind(l, &err) != 0 ||
	    sb_build_root(l, &err) != 0)
		fail(l, &err);
	/* The log channel is a socket, not a pipe: a socket cannot be
	 * reopened through /proc/1/fd (ENXIO), and with the directions shut
	 * down a copy taken from PID 1 (pidfd_getfd) can only write, never
	 * read the lines away before the monitor sees them. */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) != 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, lp) != 0 ||
	    shutdown(lp[0], SHUT_WR) != 0 || shutdown(lp[1], SHUT_RD) != 0) {
		msb_error_sys(&err, errno, "socketpair");
		fail(l, &err);
	}
	if ((pid = fork()) < 0) {
		msb_error_sys(&err, errno, "cannot fork the sandbox's init");
		fail(l, &err);
	}
	if (pid == 0) {
		close(sp[0]);
		close(lp[0]);
		l->sync_fd = sp[1];
		l->log_pipe = lp[1];
		sb_init_main(l);
	}
	close(sp[1]);
	close(lp[1]);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (place_init(l, pid, sp[0], &err) != 0) {
		(void)kill(pid, SIGKILL);
		(void)sb_wait_child(pid, &st);
		close(sp[0]);
		fail(l, &err);
	}
	if (map_init(l, pid, sp[0], &err) != 0) {
		(void)kill(pid, SIGKILL);
		report(l, &err);
	} else
		log_info("sandbox '%s' started (pid %ld)", l->sb->cfg.name,
		    (long)pid);
	close(sp[0]);
	/* Init has its own copy of the tree now; drop ours. */
	(void)umount2(l->root, MNT_DETACH);
	close(l->ready_fd);
	close(l->listen_fd);
	close(l->agent_fd);
	l->ready_fd = l->listen_fd = l->agent_fd = -1;
	sb_log_relay(l, lp[0], pid, pidfd);
	close(lp[0]);
	if (pidfd >= 0)
		close(pidfd);
	if (sb_wait_child(pid, &st) == 0)
		log_exit(l->sb->cfg.name, st);
	cleanup(l, pid);
	sb_cgroup_cleanup(l);
	_exit(0);
}
