/*
 * Removing a sandbox: the state dir is renamed away first (so a half-removed
 * sandbox never shows up), then deleted with rm -rf. Unprivileged, the
 * upper dir holds files of subordinate ids and overlay work dirs of mode
 * 000, which the owner cannot delete directly: rm then runs as root of a
 * user namespace with the sandbox's own id map.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "msb/name.h"
#include "msb/sandbox.h"
#include "sandbox-int.h"

#define RM_PATH "/bin/rm"

static void __attribute__((noreturn))
exec_rm(const char *path)
{
	char *const argv[] = { "rm", "-rf", "--one-file-system", "--",
	    (char *)path, NULL };
	char *const envp[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", NULL };
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (null >= 0)
		(void)dup2(null, 0);
	execve(RM_PATH, argv, envp);
	_exit(127);
}

int
sb_rmtree(const char *path, struct msb_error *err)
{
	struct sb_idmap m;
	struct msb_error herr = MSB_ERROR_INIT;
	pid_t pid;
	int st;

	sb_idmap_detect(&m);
	if ((pid = fork()) < 0)
		return msb_error_sys(err, errno, "fork");
	if (pid == 0) {
		if (sb_idmap_enter_own(&m, &herr) != 0) {
			fprintf(stderr, "msb: %s\n", msb_error_msg(&herr));
			_exit(126);
		}
		exec_rm(path);
	}
	if (sb_wait_child(pid, &st) != 0)
		return msb_error_sys(err, errno, "waiting for rm");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return msb_error_set(err, EIO, "could not remove %s completely",
		    path);
	return 0;
}

/*
 * Load for removal: a sandbox whose config is damaged can still be removed
 * (it cannot be running: it could not have been started).
 */
static struct msb_sandbox *
load_for_remove(const char *name, struct msb_error *err)
{
	struct msb_sandbox *sb;
	char *home;

	if ((sb = msb_sandbox_load(name, err)) != NULL)
		return sb;
	if (err != NULL && (err->code == ENOENT || msb_name_validate(name,
	    NULL) != 0))
		return NULL;
	if ((sb = calloc(1, sizeof(*sb))) == NULL ||
	    (sb->cfg.name = strdup(name)) == NULL ||
	    (home = msb_home(err)) == NULL) {
		msb_sandbox_free(sb);
		return NULL;
	}
	sb->dir = sb_strjoin(home, "/sandboxes/", name);
	free(home);
	if (sb->dir == NULL) {
		msb_sandbox_free(sb);
		return NULL;
	}
	msb_error_clear(err);
	return sb;
}

int
msb_sandbox_remove(const char *name, int force, struct msb_error *err)
{
	struct msb_sandbox *sb;
	char *trash = NULL, *slash, suffix[48];
	struct timespec ts;
	int lock, r = -1;

	if ((sb = load_for_remove(name, err)) == NULL)
		return -1;
	if ((lock = sb_lock(sb->dir, MSB_START_TIMEOUT_MS + 5000, err)) < 0)
		goto out;
	if (sb_running(sb->dir, NULL)) {
		if (!force) {
			msb_error_set(err, EBUSY, "sandbox '%s' is running "
			    "(stop it first or use --force)", name);
			goto out;
		}
		if (msb_sandbox_stop(sb, MSB_STOP_TIMEOUT_MS, err) != 0)
			goto out;
	}
	if (sb_wait_gone(sb->dir, MSB_STOP_TIMEOUT_MS) != 0) {
		msb_error_set(err, EBUSY, "sandbox '%s' is still shutting down",
		    name);
		goto out;
	}
	/* Move out of sight first, under a name msb_sandbox_list skips. */
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(suffix, sizeof(suffix), "-%lx.%lx", (unsigned long)ts.tv_sec,
	    (unsigned long)ts.tv_nsec);
	if ((trash = malloc(strlen(sb->dir) + sizeof(suffix) + 16)) == NULL) {
		msb_error_set(err, ENOMEM, "out of memory");
		goto out;
	}
	strcpy(trash, sb->dir);
	slash = strrchr(trash, '/');
	sprintf(slash + 1, ".trash-%s%s", name, suffix);
	if (rename(sb->dir, trash) != 0) {
		msb_error_sys(err, errno, "cannot remove %s", sb->dir);
		goto out;
	}
	close(lock);
	lock = -1;
	r = sb_rmtree(trash, err);
out:
	if (lock >= 0)
		close(lock);
	free(trash);
	msb_sandbox_free(sb);
	return r;
}
