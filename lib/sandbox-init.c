/*
 * Sandbox init: forked by the monitor as PID 1 of the new pid namespace.
 * It mounts /proc (which needs the new pid namespace) and hardens it, then
 * enters a new user + mount namespace below the monitor's: the copied mount
 * tree is then locked (MNT_LOCKED), so nothing the runtime mounted can be
 * unmounted or moved from inside to reveal what it covers. Then pivot_root,
 * the seccomp filter, and execveat(msb-agent).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "msb/log.h"
#include "sandbox-int.h"

/* Read-only, as in other runtimes: these write to the host kernel. */
static const char *const proc_readonly[] = {
	"sys", "sysrq-trigger", "irq", "bus", "fs", NULL,
};
/* Files hidden behind /dev/null, directories behind an empty tmpfs. */
static const char *const proc_masked[] = {
	"kcore", "keys", "timer_list", "sched_debug", "latency_stats",
	"acpi", "scsi", "asound", NULL,
};

static void __attribute__((noreturn))
die(struct sb_launch *l, const struct msb_error *err)
{
	char buf[1024];
	int n;

	log_error("%s", msb_error_msg(err));
	n = snprintf(buf, sizeof(buf), "error: %s\n", msb_error_msg(err));
	if (n > 0)
		(void)sb_write_all(l->ready_fd, buf, (size_t)n < sizeof(buf) ?
		    (size_t)n : sizeof(buf) - 1);
	_exit(1);
}

static int
harden_proc(int proc, struct msb_error *err)
{
	struct stat st;
	size_t i;
	int fd, r;

	for (i = 0; proc_readonly[i] != NULL; i++) {
		fd = openat(proc, proc_readonly[i], O_PATH | O_NOFOLLOW |
		    O_CLOEXEC);
		if (fd < 0 && errno == ENOENT)
			continue;
		if (fd < 0 || sb_bind_self_ro(fd, MOUNT_ATTR_NOSUID |
		    MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC) != 0) {
			r = msb_error_sys(err, errno, "cannot make /proc/%s "
			    "read-only", proc_readonly[i]);
			if (fd >= 0)
				close(fd);
			return r;
		}
		close(fd);
	}
	for (i = 0; proc_masked[i] != NULL; i++) {
		fd = openat(proc, proc_masked[i], O_PATH | O_NOFOLLOW |
		    O_CLOEXEC);
		if (fd < 0 && errno == ENOENT)
			continue;
		if (fd < 0 || fstat(fd, &st) != 0)
			r = -1;
		else if (S_ISDIR(st.st_mode))
			r = sb_mount_at(fd, "tmpfs", "tmpfs", MS_RDONLY |
			    MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=555");
		else
			r = sb_bind_at(fd, "/dev/null", 1, 0, MOUNT_ATTR_NOSUID |
			    MOUNT_ATTR_NOEXEC);
		if (r != 0) {
			r = msb_error_sys(err, errno, "cannot mask /proc/%s",
			    proc_masked[i]);
			if (fd >= 0)
				close(fd);
			return r;
		}
		close(fd);
	}
	return 0;
}

static int
mount_proc(const struct sb_launch *l, struct msb_error *err)
{
	int rootfd, fd, r;

	if ((rootfd = open(l->root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return msb_error_sys(err, errno, "cannot open %s", l->root);
	fd = sb_root_open(rootfd, "/proc", O_PATH | O_DIRECTORY,
	    RESOLVE_NO_SYMLINKS);
	if (fd < 0 || sb_mount_at(fd, "proc", "proc", MS_NOSUID | MS_NODEV |
	    MS_NOEXEC, NULL) != 0) {
		r = msb_error_sys(err, errno, "cannot mount /proc");
		goto out;
	}
	close(fd);
	/* The fd named the directory below the mount; open the new proc. */
	fd = sb_root_open(rootfd, "/proc", O_RDONLY | O_DIRECTORY,
	    RESOLVE_NO_SYMLINKS);
	if (fd < 0) {
		r = msb_error_sys(err, errno, "cannot open /proc");
		goto out;
	}
	r = harden_proc(fd, err);
out:
	if (fd >= 0)
		close(fd);
	close(rootfd);
	return r;
}

/* Wait until the monitor has put us into the limits' cgroups. */
static int
wait_placed(const struct sb_launch *l, struct msb_error *err)
{
	struct pollfd pfd = { l->sync_fd, POLLIN, 0 };
	char c = 0;

	if (poll(&pfd, 1, MSB_START_TIMEOUT_MS) != 1 ||
	    read(l->sync_fd, &c, 1) != 1 || c != 'C')
		return msb_error_set(err, EPROTO, "the monitor did not set up "
		    "the cgroups");
	return 0;
}

/* Tell the monitor we have a new user namespace; wait for its maps. */
static int
sync_maps(const struct sb_launch *l, struct msb_error *err)
{
	struct pollfd pfd = { l->sync_fd, POLLIN, 0 };
	char c = 'U';

	if (sb_write_all(l->sync_fd, &c, 1) != 0)
		return msb_error_sys(err, errno, "monitor gone");
	if (poll(&pfd, 1, MSB_START_TIMEOUT_MS) != 1 ||
	    read(l->sync_fd, &c, 1) != 1 || c != 'G')
		return msb_error_set(err, EPROTO, "the monitor did not set up "
		    "the id maps");
	return 0;
}

static int
enter_root(const struct sb_launch *l, struct msb_error *err)
{
	/* A bind of the (now locked) root on itself: pivot_root needs an
	 * unlocked mount; its children stay locked. */
	if (mount(l->root, l->root, NULL, MS_BIND | MS_REC, NULL) != 0)
		return msb_error_sys(err, errno, "cannot bind the root");
	if (chdir(l->root) != 0)
		return msb_error_sys(err, errno, "chdir %s", l->root);
	if (syscall(SYS_pivot_root, ".", ".") != 0)
		return msb_error_sys(err, errno, "pivot_root");
	if (umount2(".", MNT_DETACH) != 0)
		return msb_error_sys(err, errno, "cannot detach the old root");
	if (chdir("/") != 0)
		return msb_error_sys(err, errno, "chdir /");
	return 0;
}

/*
 * The agent's fds, whatever numbers they have now: 0 the sandbox's own
 * /dev/null, 1 and 2 the write-only log socket to the monitor (not the
 * host's log file: the sandbox's root can open /proc/1/fd/N), 3 the
 * listening socket, 4 the readiness pipe. Runs after pivot_root.
 */
static int
place_fds(struct sb_launch *l, struct msb_error *err)
{
	int lf, rf, af, pf, nf, flags;

	nf = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (nf < 0)
		return msb_error_sys(err, errno, "cannot open /dev/null");
	lf = fcntl(l->listen_fd, F_DUPFD_CLOEXEC, 10);
	rf = fcntl(l->ready_fd, F_DUPFD_CLOEXEC, 10);
	af = fcntl(l->agent_fd, F_DUPFD_CLOEXEC, 10);
	pf = fcntl(l->log_pipe, F_DUPFD_CLOEXEC, 10);
	if (lf < 0 || rf < 0 || af < 0 || pf < 0 ||
	    (nf = fcntl(nf, F_DUPFD_CLOEXEC, 10)) < 0)
		return msb_error_sys(err, errno, "fcntl");
	/* PID 1 must never block on its log: a full buffer drops lines. */
	if ((flags = fcntl(pf, F_GETFL)) < 0 ||
	    fcntl(pf, F_SETFL, flags | O_NONBLOCK) != 0)
		return msb_error_sys(err, errno, "fcntl");
	if (dup2(nf, 0) != 0 || dup2(pf, 1) != 1 || dup2(pf, 2) != 2 ||
	    dup2(lf, 3) != 3 || dup2(rf, 4) != 4)
		return msb_error_sys(err, errno, "dup2");
	l->listen_fd = 3;
	l->ready_fd = 4;
	l->agent_fd = af;
	/* Everything else closes at exec (af itself must stay open till then). */
	if (syscall(SYS_close_range, 5, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
		return msb_error_sys(err, errno, "close_range");
	return 0;
}

/* Sanitizer settings of an --enable-asan build reach the agent. */
static size_t
build_env(char **envp, size_t max)
{
	static const char *const pass[] = { "ASAN_OPTIONS", "UBSAN_OPTIONS",
	    "LSAN_OPTIONS", NULL };
	static char path[] =
	    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	extern char **environ;
	size_t n = 0, i, len;
	char **e;

	envp[n++] = path;
	for (e = environ; *e != NULL && n + 1 < max; e++)
		for (i = 0; pass[i] != NULL; i++) {
			len = strlen(pass[i]);
			if (strncmp(*e, pass[i], len) == 0 && (*e)[len] == '=')
				envp[n++] = *e;
		}
	envp[n] = NULL;
	return n;
}

void
sb_init_main(struct sb_launch *l)
{
	struct msb_error err = MSB_ERROR_INIT;
	char *argv[] = { "msb-agent", "--name", l->sb->cfg.name, "--user",
	    l->sb->cfg.user, "--listen-fd", "3", "--ready-fd", "4", NULL };
	char *envp[8];

	(void)setsid();
	/* Rooted at the (limited) cgroup we are in now, and owned by the
	 * runtime's user namespace, not the sandbox's: the sandbox cannot
	 * mount a cgroup file system to change its own or the host's. */
	if (wait_placed(l, &err) != 0)
		die(l, &err);
	if (unshare(CLONE_NEWCGROUP) != 0) {
		msb_error_sys(&err, errno, "cannot create the sandbox's cgroup "
		    "namespace");
		die(l, &err);
	}
	if (mount_proc(l, &err) != 0)
		die(l, &err);
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) {
		msb_error_sys(&err, errno, "cannot create the sandbox's user "
		    "namespace");
		die(l, &err);
	}
	if (sync_maps(l, &err) != 0 || enter_root(l, &err) != 0 ||
	    place_fds(l, &err) != 0)
		die(l, &err);
	build_env(envp, sizeof(envp) / sizeof(envp[0]));
	sb_reset_signals();
	if (sb_seccomp_install(&err) != 0)
		die(l, &err);
	syscall(SYS_execveat, l->agent_fd, "", argv, envp, AT_EMPTY_PATH);
	msb_error_sys(&err, errno, "cannot execute msb-agent");
	die(l, &err);
}
