/*
 * Resource limits as cgroups (root only: v1 has no delegation, and v2 is
 * used only where the controller is already delegated to our cgroup).
 *
 * For each limited controller the monitor makes msb-NAME.PID below its own
 * cgroup of that hierarchy (nested, as /proc/self/cgroup says, so that a
 * CI job's or a service's own limits still apply), writes the limit, and
 * moves init into it before init creates the sandbox's cgroup namespace:
 * the namespace is rooted at the limited cgroup. The sandbox cannot raise
 * its limits: it may not create a cgroup namespace of its own (seccomp),
 * and without one it may not mount a cgroup file system. A limit that
 * cannot be applied fails the start rather than being silently dropped.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "msb/log.h"
#include "sandbox-int.h"

#define CG_MAX 4
#define LINE_SIZE 4096
#define RMDIR_TRIES 100         /* x 10 ms */

struct sb_cgroup {
	char *dirs[CG_MAX];     /* created, innermost last per hierarchy */
	size_t n;
};

/* Is word in the comma-separated list? */
static int
in_list(const char *list, size_t len, const char *word)
{
	size_t w = strlen(word), i = 0, j;

	while (i < len) {
		for (j = i; j < len && list[j] != ','; j++)
			;
		if (j - i == w && memcmp(list + i, word, w) == 0)
			return 1;
		i = j + 1;
	}
	return 0;
}

/* Our cgroup path in the v1 hierarchy with ctrl ("" = the v2 one). */
static char *
own_path(const char *ctrl)
{
	char line[LINE_SIZE], *c1, *c2, *r = NULL;
	FILE *f;

	if ((f = fopen("/proc/self/cgroup", "re")) == NULL)
		return NULL;
	while (r == NULL && fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if ((c1 = strchr(line, ':')) == NULL ||
		    (c2 = strchr(c1 + 1, ':')) == NULL)
			continue;
		if (*ctrl == '\0' ? c1 == line + 1 && line[0] == '0' &&
		    c2 == c1 + 1 : in_list(c1 + 1, (size_t)(c2 - c1 - 1), ctrl))
			r = strdup(c2 + 1);
	}
	fclose(f);
	return r;
}

/*
 * Where the hierarchy's cgroup `path` is in our mount namespace: the
 * cgroup (v1, super options list ctrl) or cgroup2 mount whose root is a
 * prefix of path.
 */
static char *
cg_dir(const char *ctrl, const char *path)
{
	char line[LINE_SIZE], *f[10], *sep, *save, *p, *r = NULL;
	const char *fstype = *ctrl != '\0' ? "cgroup" : "cgroup2";
	size_t n, rl;
	FILE *fp;

	if ((fp = fopen("/proc/self/mountinfo", "re")) == NULL)
		return NULL;
	while (r == NULL && fgets(line, sizeof(line), fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if ((sep = strstr(line, " - ")) == NULL)
			continue;
		*sep = '\0';
		for (n = 0, p = strtok_r(line, " ", &save); p != NULL && n < 10;
		    p = strtok_r(NULL, " ", &save))
			f[n++] = p;
		if (n < 5)
			continue;
		/* after " - ": fstype source super-options */
		p = strtok_r(sep + 3, " ", &save);
		if (p == NULL || strcmp(p, fstype) != 0 ||
		    strtok_r(NULL, " ", &save) == NULL ||
		    (p = strtok_r(NULL, " ", &save)) == NULL)
			continue;
		if (*ctrl != '\0' && !in_list(p, strlen(p), ctrl))
			continue;
		/* f[3]: root of the mount in the hierarchy; f[4]: where.
		 * (Paths with spaces are octal-escaped: never ours.) */
		rl = strcmp(f[3], "/") == 0 ? 0 : strlen(f[3]);
		if (strncmp(path, f[3], rl) != 0 ||
		    (path[rl] != '/' && path[rl] != '\0'))
			continue;
		r = sb_strjoin(f[4], "", path + rl);
	}
	fclose(fp);
	return r;
}

static int
write_text(const char *dir, const char *file, const char *text)
{
	char *path = sb_strjoin(dir, "/", file);
	int fd, r = -1, e;

	if (path == NULL)
		return -1;
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) >= 0) {
		r = sb_write_all(fd, text, strlen(text));
		e = errno;
		close(fd);
		errno = e;
	}
	free(path);
	return r;
}

static int
exists(const char *dir, const char *file)
{
	char *path = sb_strjoin(dir, "/", file);
	int r = path != NULL && access(path, F_OK) == 0;

	free(path);
	return r;
}

/* Remove leftovers msb-NAME.PID of monitors that died (SIGKILL). */
static void
sweep(const char *parent, const char *name)
{
	char prefix[160], *p, *end;
	struct dirent *de;
	size_t pl;
	long pid;
	DIR *d;

	snprintf(prefix, sizeof(prefix), "msb-%s.", name);
	pl = strlen(prefix);
	if ((d = opendir(parent)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, pl) != 0)
			continue;
		pid = strtol(de->d_name + pl, &end, 10);
		if (*end != '\0' || pid <= 0 || kill((pid_t)pid, 0) == 0 ||
		    errno != ESRCH)
			continue;
		if ((p = sb_strjoin(parent, "/", de->d_name)) != NULL)
			(void)rmdir(p);
		free(p);
	}
	closedir(d);
}

/* The limit files of one controller; v2 = the unified hierarchy. */
static int
write_limits(const struct msb_limits *lim, const char *ctrl, int v2,
    const char *dir)
{
	char v[64];

	if (strcmp(ctrl, "memory") == 0) {
		snprintf(v, sizeof(v), "%llu", (unsigned long long)lim->memory);
		if (v2)
			return write_text(dir, "memory.max", v) != 0 ? -1 :
			    exists(dir, "memory.swap.max") ?
			    write_text(dir, "memory.swap.max", "0") : 0;
		if (write_text(dir, "memory.limit_in_bytes", v) != 0)
			return -1;
		/* No way around the limit through swap, where there is one. */
		if (exists(dir, "memory.memsw.limit_in_bytes") &&
		    write_text(dir, "memory.memsw.limit_in_bytes", v) != 0)
			return -1;
		(void)write_text(dir, "memory.swappiness", "0");
		return 0;
	}
	if (strcmp(ctrl, "pids") == 0) {
		snprintf(v, sizeof(v), "%llu", (unsigned long long)lim->pids);
		return write_text(dir, "pids.max", v);
	}
	/* cpu: quota per 100 ms period */
	if (v2) {
		snprintf(v, sizeof(v), "%llu 100000",
		    (unsigned long long)lim->cpu_milli * 100);
		return write_text(dir, "cpu.max", v);
	}
	snprintf(v, sizeof(v), "%llu", (unsigned long long)lim->cpu_milli * 100);
	if (write_text(dir, "cpu.cfs_period_us", "100000") != 0)
		return -1;
	return write_text(dir, "cpu.cfs_quota_us", v);
}

/* v2: is ctrl enabled for our children (cgroup.subtree_control)? */
static int
v2_delegated(const char *dir, const char *ctrl)
{
	char *path = sb_strjoin(dir, "/", "cgroup.subtree_control");
	char *text = path != NULL ? sb_read_small(path, 4096, NULL) : NULL;
	char *tok, *save = NULL;
	int r = 0;

	for (tok = text != NULL ? strtok_r(text, " \n", &save) : NULL;
	    tok != NULL && !r; tok = strtok_r(NULL, " \n", &save))
		r = strcmp(tok, ctrl) == 0;
	free(text);
	free(path);
	return r;
}

static int
add_dir(struct sb_cgroup *cg, char *dir)
{
	size_t i;

	for (i = 0; i < cg->n; i++)
		if (strcmp(cg->dirs[i], dir) == 0) {
			free(dir);
			return 0;
		}
	if (cg->n == CG_MAX) {
		free(dir);
		return -1;
	}
	cg->dirs[cg->n++] = dir;
	return 0;
}

/* Make (or find) the cgroup for ctrl, with its limit, holding init. */
static int
limit_one(struct sb_launch *l, const char *ctrl, pid_t init,
    struct msb_error *err)
{
	char *own, *parent = NULL, *dir = NULL, leaf[200], pidtext[32];
	int v2 = 0, r = -1;

	if ((own = own_path(ctrl)) != NULL)
		parent = cg_dir(ctrl, own);
	if (parent == NULL) {
		free(own);
		v2 = 1;
		if ((own = own_path("")) != NULL)
			parent = cg_dir("", own);
		if (parent == NULL || !v2_delegated(parent, ctrl)) {
			msb_error_set(err, EOPNOTSUPP, "cannot apply the %s "
			    "limit: no cgroup v1 %s hierarchy and the cgroup v2 "
			    "%s controller is not delegated to %s", ctrl, ctrl,
			    ctrl, own != NULL ? own : "our cgroup");
			goto out;
		}
	}
	sweep(parent, l->sb->cfg.name);
	snprintf(leaf, sizeof(leaf), "msb-%.128s.%ld", l->sb->cfg.name,
	    (long)getpid());
	if ((dir = sb_strjoin(parent, "/", leaf)) == NULL) {
		msb_error_set(err, ENOMEM, "out of memory");
		goto out;
	}
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		msb_error_sys(err, errno, "cannot create the cgroup %s", dir);
		goto out;
	}
	if (add_dir(l->cgroup, dir) != 0) {
		msb_error_set(err, EINVAL, "too many cgroups");
		dir = NULL;
		goto out;
	}
	if (write_limits(l->limits, ctrl, v2, dir) != 0) {
		msb_error_sys(err, errno, "cannot set the %s limit in %s",
		    ctrl, dir);
		goto out_kept;
	}
	snprintf(pidtext, sizeof(pidtext), "%ld", (long)init);
	if (write_text(dir, "cgroup.procs", pidtext) != 0) {
		msb_error_sys(err, errno, "cannot move the sandbox into %s",
		    dir);
		goto out_kept;
	}
	r = 0;
out_kept:
	dir = NULL;      /* owned by l->cgroup now */
out:
	free(dir);
	free(own);
	free(parent);
	return r;
}

int
sb_cgroup_enter(struct sb_launch *l, pid_t init, struct msb_error *err)
{
	const struct msb_limits *lim = l->limits;

	if (lim == NULL)
		return 0;
	if (l->map.mode != SB_MAP_IDENTITY)
		return msb_error_set(err, EPERM, "resource limits need root");
	if ((l->cgroup = calloc(1, sizeof(*l->cgroup))) == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	if ((lim->memory != 0 && limit_one(l, "memory", init, err) != 0) ||
	    (lim->pids != 0 && limit_one(l, "pids", init, err) != 0) ||
	    (lim->cpu_milli != 0 && limit_one(l, "cpu", init, err) != 0))
		return -1;
	return 0;
}

void
sb_cgroup_cleanup(struct sb_launch *l)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	size_t i;
	int t;

	if (l->cgroup == NULL)
		return;
	/* Init has been reaped, and with it every process of its pid
	 * namespace; a cgroup may still be busy for a moment. */
	for (i = l->cgroup->n; i-- > 0;) {
		for (t = 0; t < RMDIR_TRIES && rmdir(l->cgroup->dirs[i]) != 0 &&
		    errno == EBUSY; t++)
			nanosleep(&ts, NULL);
		free(l->cgroup->dirs[i]);
	}
	free(l->cgroup);
	l->cgroup = NULL;
}
