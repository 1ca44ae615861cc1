/*
 * User-namespace id maps.
 *
 * Root: init's user namespace maps every id to itself, so the sandbox root
 * keeps host root's file ownership (the `host` image is writable through
 * the overlay) but its capabilities only reach the sandbox's namespaces.
 *
 * Unprivileged: the monitor first enters a user namespace of its own:
 * 0 -> owner, plus 1..N -> the owner's /etc/subuid + /etc/subgid range
 * (written by the setuid newuidmap/newgidmap) or, without them, the single
 * map 0 -> owner with setgroups denied. Init's namespace below it then
 * maps 0..N-1 to the same ids.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox-int.h"

#define NEWUIDMAP "/usr/bin/newuidmap"
#define NEWGIDMAP "/usr/bin/newgidmap"
#define SUBID_MAX 65535u

/* First range of user (name or decimal id) in an /etc/sub[ug]id file. */
static int
subid_lookup(const char *file, const char *name, unsigned long id,
    unsigned long *start, unsigned long *count)
{
	char line[512], *who, *s, *c, *save = NULL, idbuf[32];
	FILE *f;
	int found = 0;

	if ((f = fopen(file, "re")) == NULL)
		return 0;
	snprintf(idbuf, sizeof(idbuf), "%lu", id);
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		who = strtok_r(line, ":\n", &save);
		s = strtok_r(NULL, ":\n", &save);
		c = strtok_r(NULL, ":\n", &save);
		if (who == NULL || s == NULL || c == NULL)
			continue;
		if ((name == NULL || strcmp(who, name) != 0) &&
		    strcmp(who, idbuf) != 0)
			continue;
		errno = 0;
		*start = strtoul(s, NULL, 10);
		*count = strtoul(c, NULL, 10);
		if (errno == 0 && *count > 0 && *start > 0)
			found = 1;
	}
	fclose(f);
	return found;
}

int
sb_idmap_detect(struct sb_idmap *m)
{
	struct passwd *pw;
	unsigned long us, uc, gs, gc;
	const char *name;

	memset(m, 0, sizeof(*m));
	m->uid = getuid();
	m->gid = getgid();
	if (geteuid() == 0) {
		m->mode = SB_MAP_IDENTITY;
		return 0;
	}
	m->mode = SB_MAP_SINGLE;
	/* MSB_SUBIDS=0: map the owner only, even where ranges exist. */
	if ((name = getenv("MSB_SUBIDS")) != NULL && strcmp(name, "0") == 0)
		return 0;
	pw = getpwuid(m->uid);
	name = pw != NULL ? pw->pw_name : NULL;
	if (access(NEWUIDMAP, X_OK) != 0 || access(NEWGIDMAP, X_OK) != 0)
		return 0;
	if (!subid_lookup("/etc/subuid", name, m->uid, &us, &uc) ||
	    !subid_lookup("/etc/subgid", name, m->uid, &gs, &gc))
		return 0;
	m->mode = SB_MAP_SUBIDS;
	m->subuid = (uid_t)us;
	m->subgid = (gid_t)gs;
	m->nsubuid = uc > SUBID_MAX ? SUBID_MAX : (uint32_t)uc;
	m->nsubgid = gc > SUBID_MAX ? SUBID_MAX : (uint32_t)gc;
	return 0;
}

static int
write_proc(pid_t pid, const char *file, const char *text,
    struct msb_error *err)
{
	char path[64];
	int fd, r;

	if (pid == 0)
		snprintf(path, sizeof(path), "/proc/self/%s", file);
	else
		snprintf(path, sizeof(path), "/proc/%ld/%s", (long)pid, file);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return msb_error_sys(err, errno, "cannot open %s", path);
	r = sb_write_all(fd, text, strlen(text));
	if (r != 0)
		msb_error_sys(err, errno, "cannot write the id map %s", path);
	close(fd);
	return r;
}

static pid_t
spawn(char *const argv[], struct msb_error *err)
{
	pid_t pid = fork();

	if (pid < 0)
		msb_error_sys(err, errno, "fork");
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static int
reap(pid_t pid, const char *what, struct msb_error *err)
{
	int st;

	if (sb_wait_child(pid, &st) != 0)
		return msb_error_sys(err, errno, "waiting for %s", what);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return msb_error_set(err, EPERM, "%s failed (status %d): check "
		    "/etc/subuid and /etc/subgid", what, WIFEXITED(st) ?
		    WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return 0;
}

/*
 * Run newuidmap + newgidmap (concurrently) for pid, which has just unshared
 * its user namespace. Called from a process still in the parent namespace.
 */
int
sb_idmap_run_helpers(pid_t pid, const struct sb_idmap *m,
    struct msb_error *err)
{
	char p[32], uown[32], usub[32], un[32], gown[32], gsub[32], gn[32];
	char *uargv[] = { NEWUIDMAP, p, "0", uown, "1", "1", usub, un, NULL };
	char *gargv[] = { NEWGIDMAP, p, "0", gown, "1", "1", gsub, gn, NULL };
	pid_t u, g;
	int r;

	snprintf(p, sizeof(p), "%ld", (long)pid);
	snprintf(uown, sizeof(uown), "%lu", (unsigned long)m->uid);
	snprintf(usub, sizeof(usub), "%lu", (unsigned long)m->subuid);
	snprintf(un, sizeof(un), "%lu", (unsigned long)m->nsubuid);
	snprintf(gown, sizeof(gown), "%lu", (unsigned long)m->gid);
	snprintf(gsub, sizeof(gsub), "%lu", (unsigned long)m->subgid);
	snprintf(gn, sizeof(gn), "%lu", (unsigned long)m->nsubgid);
	if ((u = spawn(uargv, err)) < 0)
		return -1;
	if ((g = spawn(gargv, err)) < 0) {
		(void)reap(u, NEWUIDMAP, NULL);
		return -1;
	}
	r = reap(u, NEWUIDMAP, err);
	if (reap(g, NEWGIDMAP, r == 0 ? err : NULL) != 0)
		r = -1;
	return r;
}

/*
 * Unprivileged: move the calling process into a new user namespace in
 * which it is root (no-op for SB_MAP_IDENTITY). A helper child stays
 * outside to run the setuid map writers.
 */
int
sb_idmap_enter_own(const struct sb_idmap *m, struct msb_error *err)
{
	char text[64];
	int pfd[2], st;
	pid_t self = getpid(), helper;
	char c = 0;
	struct msb_error herr = MSB_ERROR_INIT;

	if (m->mode == SB_MAP_IDENTITY)
		return 0;
	if (m->mode == SB_MAP_SINGLE) {
		if (unshare(CLONE_NEWUSER) != 0)
			return msb_error_sys(err, errno, "cannot create a user "
			    "namespace");
		snprintf(text, sizeof(text), "0 %lu 1\n", (unsigned long)m->uid);
		if (write_proc(0, "setgroups", "deny", err) != 0 ||
		    write_proc(0, "uid_map", text, err) != 0)
			return -1;
		snprintf(text, sizeof(text), "0 %lu 1\n", (unsigned long)m->gid);
		return write_proc(0, "gid_map", text, err);
	}
	if (pipe2(pfd, O_CLOEXEC) != 0)
		return msb_error_sys(err, errno, "pipe");
	if ((helper = fork()) < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return msb_error_sys(err, errno, "fork");
	}
	if (helper == 0) {
		close(pfd[1]);
		if (read(pfd[0], &c, 1) != 1)
			_exit(1);
		if (sb_idmap_run_helpers(self, m, &herr) != 0) {
			fprintf(stderr, "%s\n", msb_error_msg(&herr));
			_exit(1);
		}
		_exit(0);
	}
	close(pfd[0]);
	if (unshare(CLONE_NEWUSER) != 0) {
		msb_error_sys(err, errno, "cannot create a user namespace");
		close(pfd[1]);
		sb_wait_child(helper, &st);
		return -1;
	}
	c = 1;
	(void)!write(pfd[1], &c, 1);
	close(pfd[1]);
	if (sb_wait_child(helper, &st) != 0 || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0)
		return msb_error_set(err, EPERM, "newuidmap/newgidmap could not "
		    "set up the id map (see the log)");
	return 0;
}

/*
 * Map init's new user namespace onto ours, id for id (called by the
 * monitor, from the parent namespace).
 */
int
sb_idmap_write_nested(pid_t pid, const struct sb_idmap *m,
    struct msb_error *err)
{
	char text[96];

	/* Each extent must lie within one extent of our own map. */
	switch (m->mode) {
	case SB_MAP_IDENTITY:
		strcpy(text, "0 0 4294967295\n");
		break;
	case SB_MAP_SINGLE:
		strcpy(text, "0 0 1\n");
		break;
	default:
		snprintf(text, sizeof(text), "0 0 1\n1 1 %lu\n",
		    (unsigned long)m->nsubuid);
		break;
	}
	if (write_proc(pid, "uid_map", text, err) != 0)
		return -1;
	if (m->mode == SB_MAP_SUBIDS)
		snprintf(text, sizeof(text), "0 0 1\n1 1 %lu\n",
		    (unsigned long)m->nsubgid);
	return write_proc(pid, "gid_map", text, err);
}
