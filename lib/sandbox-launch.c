/*
 * msb_sandbox_start: prepare the state dir, the agent socket and the
 * readiness pipe, fork the detached monitor (see sandbox-int.h) and wait
 * until the agent writes "ready\n" (or the launch reports "error: ...").
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "msb/sandbox.h"
#include "sandbox-int.h"

void sb_monitor_main(struct sb_launch *l) __attribute__((noreturn));

static void
launch_init(struct sb_launch *l, const struct msb_sandbox *sb)
{
	memset(l, 0, sizeof(*l));
	l->sb = sb;
	l->listen_fd = l->ready_fd = l->agent_fd = l->log_fd = -1;
	l->sync_fd = l->dir_fd = l->log_pipe = -1;
}

static void
launch_free(struct sb_launch *l)
{
	if (l->listen_fd >= 0)
		close(l->listen_fd);
	if (l->ready_fd >= 0)
		close(l->ready_fd);
	if (l->agent_fd >= 0)
		close(l->agent_fd);
	if (l->log_fd >= 0)
		close(l->log_fd);
	if (l->dir_fd >= 0)
		close(l->dir_fd);
	free(l->limits);
	free(l->dir);
	free(l->root);
	free(l->home_real);
	free(l->home_default);
	launch_init(l, NULL);
}

/* Write run/<name> unless it already holds text (saves a journal commit). */
static int
write_run_file(const char *dir, const char *name, const char *text,
    struct msb_error *err)
{
	char *path = sb_strjoin(dir, "/run/", name), *old;
	int r = 0;

	if (path == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	old = sb_read_small(path, 4096, NULL);
	if (old == NULL || strcmp(old, text) != 0)
		r = sb_write_file(path, text, strlen(text), 0644, err);
	free(old);
	free(path);
	return r;
}

static int
open_log(struct sb_launch *l, struct msb_error *err)
{
	char *path = sb_strjoin(l->dir, "/", "log"), *old;
	struct stat st;

	if (path == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	if (stat(path, &st) == 0 && st.st_size > SB_LOG_ROTATE_SIZE &&
	    (old = sb_strjoin(path, "", ".1")) != NULL) {
		(void)rename(path, old);
		free(old);
	}
	l->log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW, 0600);
	if (l->log_fd < 0)
		msb_error_sys(err, errno, "cannot open %s", path);
	free(path);
	return l->log_fd < 0 ? -1 : 0;
}

/*
 * The agent's listening socket at run/agent.sock (0600 in a 0700 dir). A
 * path too long for sun_path is reached through /proc/self/fd/DIRFD.
 */
static int
make_socket(struct sb_launch *l, struct msb_error *err)
{
	struct sockaddr_un sun;
	char *run = sb_strjoin(l->dir, "/", "run");
	char *path = sb_strjoin(l->dir, "/", "run/agent.sock");
	struct stat st;
	int dirfd = -1, fd = -1, r = -1;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (run == NULL || path == NULL) {
		msb_error_set(err, ENOMEM, "out of memory");
		goto out;
	}
	if (strlen(path) < sizeof(sun.sun_path))
		strcpy(sun.sun_path, path);
	else {
		if ((dirfd = open(run, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
			msb_error_sys(err, errno, "cannot open %s", run);
			goto out;
		}
		snprintf(sun.sun_path, sizeof(sun.sun_path),
		    "/proc/self/fd/%d/agent.sock", dirfd);
	}
	(void)unlink(path);
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0 ||
	    chmod(path, 0600) != 0 || listen(fd, SOMAXCONN) != 0 ||
	    stat(path, &st) != 0) {
		msb_error_sys(err, errno, "cannot create the agent socket %s",
		    path);
		goto out;
	}
	l->sock_dev = st.st_dev;
	l->sock_ino = st.st_ino;
	l->listen_fd = fd;
	fd = -1;
	r = 0;
out:
	if (fd >= 0)
		close(fd);
	if (dirfd >= 0)
		close(dirfd);
	free(run);
	free(path);
	return r;
}

/*
 * The owner's default state dir when MSB_HOME points elsewhere (tests, a
 * second setup): masked as well, it holds the owner's real sandboxes.
 */
static char *
default_home(void)
{
	char *h = sb_default_home(NULL), *r;

	if (h == NULL)
		return NULL;
	r = realpath(h, NULL);
	free(h);
	return r;
}

static int
prepare(struct sb_launch *l, struct msb_error *err)
{
	const struct msb_sandbox_config *c = &l->sb->cfg;
	const char *agent = msb_prog_path("MSB_AGENT");
	char *home, *run, text[512];
	struct stat st;
	int pfd[2];

	sb_idmap_detect(&l->map);
	if (c->layout == MSB_LAYOUT_SINGLE && strcmp(c->image, "host") == 0 &&
	    l->map.mode != SB_MAP_IDENTITY)
		return msb_error_set(err, EPERM, "sandbox '%s' was created by "
		    "root (its root is an overlay of the host's /), so only "
		    "root can start it", c->name);
	if (strcmp(c->image, "host") != 0) {
		if (stat(c->image, &st) != 0)
			return msb_error_sys(err, errno, "image %s of sandbox "
			    "'%s'", c->image, c->name);
		if (!S_ISDIR(st.st_mode))
			return msb_error_set(err, ENOTDIR, "image %s of sandbox "
			    "'%s' is not a directory", c->image, c->name);
	}
	if ((home = msb_home(err)) == NULL)
		return -1;
	l->home_real = realpath(home, NULL);
	free(home);
	l->home_default = default_home();
	if (l->home_default != NULL && l->home_real != NULL &&
	    strcmp(l->home_default, l->home_real) == 0) {
		free(l->home_default);
		l->home_default = NULL;
	}
	l->dir = strdup(l->sb->dir);
	l->root = sb_strjoin(l->sb->dir, "/", "run/root");
	run = sb_strjoin(l->sb->dir, "/", "run");
	if (l->home_real == NULL) {
		free(run);
		return msb_error_sys(err, errno, "cannot resolve $MSB_HOME");
	}
	if (l->dir == NULL || l->root == NULL || run == NULL) {
		free(run);
		return msb_error_set(err, ENOMEM, "out of memory");
	}
	if (sb_mkdir(run, 0700, err) != 0 || sb_mkdir(l->root, 0700, err) != 0) {
		free(run);
		return -1;
	}
	free(run);
	snprintf(text, sizeof(text), "%.64s\n", c->name);
	if (write_run_file(l->dir, "hostname", text, err) != 0)
		return -1;
	/* The host name is the name cut to 64 bytes; both resolve. */
	snprintf(text, sizeof(text), "127.0.0.1\tlocalhost %.64s%s%s\n"
	    "::1\tlocalhost ip6-localhost ip6-loopback\n", c->name,
	    strlen(c->name) > 64 ? " " : "", strlen(c->name) > 64 ?
	    c->name : "");
	if (write_run_file(l->dir, "hosts", text, err) != 0)
		return -1;
	if (open_log(l, err) != 0)
		return -1;
	if ((l->agent_fd = open(agent, O_RDONLY | O_CLOEXEC)) < 0)
		return msb_error_sys(err, errno, "cannot open the agent %s "
		    "(set MSB_AGENT to override)", agent);
	l->agent_path = agent;
	if ((l->dir_fd = open(l->dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return msb_error_sys(err, errno, "cannot open %s", l->dir);
	if (sb_limits_load(l->dir, &l->limits, err) != 0)
		return -1;
	if (l->limits != NULL && l->map.mode != SB_MAP_IDENTITY)
		return msb_error_set(err, EPERM, "sandbox '%s' has resource "
		    "limits (%s/limits), which need root (cgroups); "
		    "unprivileged, set rlimits with ulimit before starting it "
		    "instead", c->name, l->dir);
	if (make_socket(l, err) != 0)
		return -1;
	if (pipe2(pfd, O_CLOEXEC) != 0)
		return msb_error_sys(err, errno, "pipe");
	l->ready_fd = pfd[1];
	return pfd[0];
}

static int
remove_stale(const char *dir)
{
	static const char *const files[] = { "run/pid", "run/agent.sock",
	    NULL };
	char *p;
	size_t i;

	for (i = 0; files[i] != NULL; i++) {
		if ((p = sb_strjoin(dir, "/", files[i])) == NULL)
			return -1;
		(void)unlink(p);
		free(p);
	}
	return 0;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for "ready\n"; anything else is the launch's error report. */
static int
wait_ready(struct msb_sandbox *sb, int rd, struct msb_error *err)
{
	char buf[2048], *tail, *nl;
	size_t len = 0;
	int64_t deadline = now_ms() + MSB_START_TIMEOUT_MS, left;
	struct pollfd pfd = { rd, POLLIN, 0 };
	ssize_t n;
	int r;

	for (;;) {
		if ((left = deadline - now_ms()) <= 0) {
			(void)msb_sandbox_stop(sb, 0, NULL);
			tail = sb_log_tail(sb->dir, 600);
			msb_error_set(err, ETIMEDOUT, "sandbox '%s' did not "
			    "become ready within %d s%s%s", sb->cfg.name,
			    MSB_START_TIMEOUT_MS / 1000, tail ? "; log:\n" : "",
			    tail ? tail : "");
			free(tail);
			return -1;
		}
		r = poll(&pfd, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return msb_error_sys(err, errno, "poll");
		if (r == 0)
			continue;
		n = read(rd, buf + len, sizeof(buf) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if (strncmp(buf, "ready\n", len < 6 ? len : 6) == 0) {
			if (len >= 6)
				return 0;
			continue;
		}
		if (len == sizeof(buf) - 1)
			break;
	}
	buf[len] = '\0';
	if (strncmp(buf, "error: ", 7) == 0) {
		if ((nl = strchr(buf, '\n')) != NULL)
			*nl = '\0';
		return msb_error_set(err, EIO, "cannot start sandbox '%s': %s",
		    sb->cfg.name, buf + 7);
	}
	tail = sb_log_tail(sb->dir, 600);
	msb_error_set(err, EIO, "sandbox '%s' exited while starting%s%s",
	    sb->cfg.name, tail ? "; log:\n" : "", tail ? tail : "");
	free(tail);
	return -1;
}

int
msb_sandbox_start(struct msb_sandbox *sb, struct msb_error *err)
{
	struct sb_launch l;
	int lockfd, rd, st, r = -1;
	pid_t pid;

	if ((lockfd = sb_lock(sb->dir, MSB_START_TIMEOUT_MS + 5000, err)) < 0)
		return -1;
	if (sb_running(sb->dir, NULL)) {
		close(lockfd);
		return 0;
	}
	launch_init(&l, sb);
	if (sb_wait_gone(sb->dir, MSB_STOP_TIMEOUT_MS) != 0) {
		msb_error_set(err, EBUSY, "sandbox '%s' is still shutting "
		    "down", sb->cfg.name);
		goto out;
	}
	if (remove_stale(sb->dir) != 0) {
		msb_error_set(err, ENOMEM, "out of memory");
		goto out;
	}
	if ((rd = prepare(&l, err)) < 0)
		goto out;
	if ((pid = fork()) < 0) {
		msb_error_sys(err, errno, "fork");
		close(rd);
		goto out;
	}
	if (pid == 0) {
		/* Intermediate: the monitor must not be our child (no zombie
		 * for long-lived callers) nor hold the lock. */
		close(lockfd);
		close(rd);
		if ((pid = fork()) == 0)
			sb_monitor_main(&l);
		_exit(pid < 0);
	}
	close(l.ready_fd);
	l.ready_fd = -1;
	close(l.listen_fd);
	l.listen_fd = -1;
	if (sb_wait_child(pid, &st) == 0 && (!WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0)) {
		close(rd);
		msb_error_set(err, EAGAIN, "cannot fork the sandbox monitor");
		goto out;
	}
	r = wait_ready(sb, rd, err);
	close(rd);
out:
	launch_free(&l);
	close(lockfd);
	return r;
}
