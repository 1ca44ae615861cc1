/*
 * Hide a state directory ($MSB_HOME, ~/.msb) wherever the sandbox's tree
 * shows it, by identity rather than by name: the same directory can appear
 * under other paths (MSB_HOME a bind mount of /data/msb, which the host
 * image then shows at /data/msb; a volume holding a bind mount of it; a
 * bind of a single state file). From the monitor's mount table: every
 * mount of the sandbox's tree on the state directory's file system whose
 * root contains the directory gets a mask at the directory's place in it,
 * and every such mount whose root lies inside the directory is masked
 * whole. The host image (an overlay of the host's root mount) shows the
 * directory at its path within that file system.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "sandbox-int.h"

struct mnt {
	dev_t dev;
	char *root;      /* the mount's root within its file system */
	char *point;     /* where it is mounted */
};

struct mnt_table {
	struct mnt *v;
	size_t n;
};

static void
table_free(struct mnt_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->v[i].root);
		free(t->v[i].point);
	}
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static char *
unescape(const char *s)
{
	char *out = malloc(strlen(s) + 1), *w = out;

	if (out == NULL)
		return NULL;
	while (*s != '\0') {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
			    (s[3] - '0'));
			s += 4;
		} else
			*w++ = *s++;
	}
	*w = '\0';
	return out;
}

static int
table_load(struct mnt_table *t)
{
	char *line = NULL, *f[5], *save, *p;
	unsigned maj, min;
	size_t cap = 0, n;
	struct mnt *tmp;
	FILE *fp;
	int r = 0;

	memset(t, 0, sizeof(*t));
	if ((fp = fopen("/proc/self/mountinfo", "re")) == NULL)
		return -1;
	while (r == 0 && getline(&line, &cap, fp) > 0) {
		for (n = 0, p = strtok_r(line, " \n", &save); p != NULL && n < 5;
		    p = strtok_r(NULL, " \n", &save))
			f[n++] = p;
		if (n < 5 || sscanf(f[2], "%u:%u", &maj, &min) != 2)
			continue;
		if ((tmp = realloc(t->v, (t->n + 1) * sizeof(*t->v))) == NULL) {
			r = -1;
			break;
		}
		t->v = tmp;
		t->v[t->n].dev = makedev(maj, min);
		t->v[t->n].root = unescape(f[3]);
		t->v[t->n].point = unescape(f[4]);
		if (t->v[t->n].root == NULL || t->v[t->n].point == NULL) {
			free(t->v[t->n].root);
			free(t->v[t->n].point);
			r = -1;
			break;
		}
		t->n++;
	}
	free(line);
	fclose(fp);
	if (r != 0)
		table_free(t);
	return r;
}

/* path relative to base ("" when equal), or NULL if not below it. */
static const char *
below(const char *path, const char *base)
{
	size_t n = strlen(base);

	if (strcmp(base, "/") == 0)
		return path + (path[0] == '/' && path[1] == '\0');
	if (strncmp(path, base, n) != 0 || (path[n] != '\0' && path[n] != '/'))
		return NULL;
	return path + n;
}

/* Where dir lives: its file system and its path within it. */
static char *
fs_path(const struct mnt_table *t, const char *root, const char *dir,
    dev_t *dev)
{
	const struct mnt *best = NULL;
	const char *rest;
	size_t i, bl = 0;

	/* The last (topmost) of the longest mount points above dir, not
	 * counting the sandbox's own tree. */
	for (i = 0; i < t->n; i++) {
		if (below(t->v[i].point, root) != NULL ||
		    (rest = below(dir, t->v[i].point)) == NULL)
			continue;
		if (best == NULL || strlen(t->v[i].point) >= bl) {
			best = &t->v[i];
			bl = strlen(best->point);
		}
	}
	if (best == NULL)
		return NULL;
	*dev = best->dev;
	rest = below(dir, best->point);
	return sb_strjoin(strcmp(best->root, "/") == 0 ? "" : best->root, "",
	    *rest != '\0' ? rest : (strcmp(best->root, "/") == 0 ? "/" : ""));
}

/* An empty read-only tmpfs on a directory, /dev/null on anything else. */
static int
mask_any(int rootfd, const char *path, struct msb_error *err)
{
	struct stat st;
	int fd, r;

	fd = sb_root_open(rootfd, path, O_PATH, 0);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 :
		    msb_error_sys(err, errno, "cannot mask %s", path);
	if (fstat(fd, &st) != 0)
		r = -1;
	else if (S_ISDIR(st.st_mode))
		r = sb_mount_at(fd, "tmpfs", "tmpfs", MS_RDONLY | MS_NOSUID |
		    MS_NODEV | MS_NOEXEC, "size=4k,mode=755");
	else
		r = sb_bind_at(fd, "/dev/null", 1, 0, MOUNT_ATTR_NOSUID |
		    MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODEV);
	close(fd);
	return r != 0 ? msb_error_sys(err, errno, "cannot mask %s", path) : 0;
}

int
sb_mask_state(const struct sb_launch *l, int rootfd, const char *dir,
    int host_image, struct msb_error *err)
{
	struct mnt_table t;
	struct stat rst;
	const char *rest, *inner;
	char *fsrel, *path, *run, *runrel = NULL;
	dev_t dev = 0, rdev = 0;
	size_t i, nm;
	int r = 0;

	if (table_load(&t) != 0)
		return msb_error_sys(err, errno ? errno : ENOMEM, "cannot read "
		    "the mount table");
	if ((fsrel = fs_path(&t, l->root, dir, &dev)) == NULL) {
		table_free(&t);
		return 0;      /* not mounted anywhere we know: nothing to do */
	}
	/* The sandbox's own run/hosts and run/hostname binds stay. */
	if ((run = sb_strjoin(l->dir, "/", "run")) != NULL)
		runrel = fs_path(&t, l->root, run, &rdev);
	free(run);
	/* The host image shows the host root mount's file system. */
	if (host_image && stat("/", &rst) == 0 && rst.st_dev == dev &&
	    strcmp(fsrel, dir) != 0)
		r = mask_any(rootfd, fsrel, err);
	/* Masks added below are tmpfs: other devices, so the scan of the
	 * table loaded before them stays valid. */
	nm = t.n;
	for (i = 0; i < nm && r == 0; i++) {
		if (t.v[i].dev != dev ||
		    (inner = below(t.v[i].point, l->root)) == NULL ||
		    (runrel != NULL && rdev == dev &&
		    below(t.v[i].root, runrel) != NULL))
			continue;
		if (*inner == '\0')
			inner = "/";
		if ((rest = below(fsrel, t.v[i].root)) != NULL) {
			if ((path = sb_strjoin(strcmp(inner, "/") == 0 ? "" :
			    inner, "", *rest != '\0' ? rest : "")) == NULL) {
				r = msb_error_set(err, ENOMEM, "out of memory");
				break;
			}
			r = mask_any(rootfd, *path != '\0' ? path : "/", err);
			free(path);
		} else if (below(t.v[i].root, fsrel) != NULL)
			r = mask_any(rootfd, inner, err);
	}
	free(fsrel);
	free(runrel);
	table_free(&t);
	return r;
}
