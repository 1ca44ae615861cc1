/* Small helpers shared by the sandbox runtime files. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sandbox-int.h"

char *
sb_strjoin(const char *a, const char *sep, const char *b)
{
	size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
	char *s = malloc(la + ls + lb + 1);

	if (s == NULL)
		return NULL;
	memcpy(s, a, la);
	memcpy(s + la, sep, ls);
	memcpy(s + la + ls, b, lb + 1);
	return s;
}

/* 1 if path is dir or lies below it (both absolute and normalised). */
int
sb_path_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return 1;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* mkdir that accepts an existing directory; mode is enforced either way. */
int
sb_mkdir(const char *path, mode_t mode, struct msb_error *err)
{
	struct stat st;

	if (mkdir(path, mode) != 0 && errno != EEXIST)
		return msb_error_sys(err, errno, "cannot create %s", path);
	if (lstat(path, &st) != 0)
		return msb_error_sys(err, errno, "%s", path);
	if (!S_ISDIR(st.st_mode))
		return msb_error_set(err, ENOTDIR, "%s is not a directory",
		    path);
	if ((st.st_mode & 07777) != mode && chmod(path, mode) != 0)
		return msb_error_sys(err, errno, "chmod %s", path);
	return 0;
}

int
sb_write_all(int fd, const void *p, size_t len)
{
	const char *c = p;
	ssize_t n;

	while (len > 0) {
		n = write(fd, c, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		c += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Write a whole file atomically: path.tmp, fsync-free rename (state, not data). */
int
sb_write_file(const char *path, const char *data, size_t len, mode_t mode,
    struct msb_error *err)
{
	char *tmp = sb_strjoin(path, "", ".tmp");
	int fd;

	if (tmp == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    mode);
	if (fd < 0) {
		msb_error_sys(err, errno, "cannot create %s", tmp);
		free(tmp);
		return -1;
	}
	if (sb_write_all(fd, data, len) != 0 || fchmod(fd, mode) != 0) {
		msb_error_sys(err, errno, "cannot write %s", tmp);
		close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		msb_error_sys(err, errno, "cannot write %s", path);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

/* Read a small file into a NUL-terminated heap string (max bytes at most). */
char *
sb_read_small(const char *path, size_t max, struct msb_error *err)
{
	char *buf;
	size_t len = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		msb_error_sys(err, errno, "%s", path);
		return NULL;
	}
	if ((buf = malloc(max + 1)) == NULL) {
		close(fd);
		msb_error_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	while (len < max) {
		n = read(fd, buf + len, max - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			msb_error_sys(err, errno, "%s", path);
			close(fd);
			free(buf);
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

/*
 * Take the sandbox's lock (dir/lock, flock LOCK_EX), waiting at most
 * timeout_ms. Returns the fd (O_CLOEXEC: children never inherit it past
 * exec, and the launcher closes it explicitly in forked children).
 */
int
sb_lock(const char *dir, int timeout_ms, struct msb_error *err)
{
	char *path = sb_strjoin(dir, "/", "lock");
	struct timespec ts = { 0, 5 * 1000 * 1000 };
	int fd, waited = 0;

	if (path == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		msb_error_sys(err, errno, "cannot open %s", path);
		free(path);
		return -1;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			msb_error_sys(err, errno, "cannot lock %s", path);
			goto fail;
		}
		if (waited >= timeout_ms) {
			msb_error_set(err, ETIMEDOUT,
			    "timed out waiting for the lock %s (another msb "
			    "command is busy with this sandbox)", path);
			goto fail;
		}
		nanosleep(&ts, NULL);
		waited += 5;
	}
	free(path);
	return fd;
fail:
	close(fd);
	free(path);
	return -1;
}

/* Default dispositions and an empty mask (both survive execve). */
void
sb_reset_signals(void)
{
	struct sigaction sa;
	sigset_t set;
	int sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL);
	sigemptyset(&set);
	(void)sigprocmask(SIG_SETMASK, &set, NULL);
}

int
sb_wait_child(pid_t pid, int *status)
{
	pid_t r;

	do
		r = waitpid(pid, status, 0);
	while (r < 0 && errno == EINTR);
	return r == pid ? 0 : -1;
}

/* The last lines of dir/log (at most max bytes, whole lines), or NULL. */
char *
sb_log_tail(const char *dir, size_t max)
{
	char *path = sb_strjoin(dir, "/", "log"), *buf, *p;
	struct stat st;
	off_t off;
	ssize_t n;
	int fd;

	if (path == NULL)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || (buf = malloc(max + 1)) == NULL) {
		close(fd);
		return NULL;
	}
	off = st.st_size > (off_t)max ? st.st_size - (off_t)max : 0;
	n = pread(fd, buf, max, off);
	close(fd);
	if (n <= 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	p = buf;
	if (off > 0 && (p = strchr(buf, '\n')) != NULL)
		p++;
	else
		p = buf;
	memmove(buf, p, strlen(p) + 1);
	return buf;
}
