/*
 * The split layout (image `host`, unprivileged). Inside a user namespace
 * the host's "/" cannot be an overlay lower (it has locked submounts), so
 * the root is an overlay of a generated skeleton (the host's top-level
 * symlinks and empty directories, in run/skel) and every readable top-level
 * host directory gets an overlay of its own on top of it; /var/tmp is the
 * sandbox's own.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msb/log.h"
#include "sandbox-int.h"

/* Top-level directories that stay empty (the runtime mounts its own or they
 * are host-only). */
static const char *const skipped[] = {
	"proc", "sys", "dev", "run", "tmp", "mnt", "media", "lost+found",
	"boot", NULL,
};

static int
is_skipped(const char *name)
{
	size_t i;

	for (i = 0; skipped[i] != NULL; i++)
		if (strcmp(name, skipped[i]) == 0)
			return 1;
	return 0;
}

/* Remove a skeleton entry (a symlink or an empty directory). */
static int
remove_entry(int skel, const char *name, const struct stat *st)
{
	return unlinkat(skel, name, S_ISDIR(st->st_mode) ? AT_REMOVEDIR : 0);
}

/* Remove skeleton entries whose name no longer exists at the host's "/". */
static int
prune_skel(int skel, int hostroot, struct msb_error *err)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int fd;

	if ((fd = openat(skel, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return msb_error_sys(err, errno, "cannot read the skeleton");
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(hostroot, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 ||
		    errno != ENOENT ||
		    fstatat(skel, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (remove_entry(skel, de->d_name, &st) != 0) {
			msb_error_sys(err, errno, "cannot clean the skeleton "
			    "entry %s", de->d_name);
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	return 0;
}

static int
mount_dir_overlay(const struct sb_launch *l, int rootfd, const char *name,
    const struct stat *hst, struct msb_error *err)
{
	char *upper, *work, host[PATH_MAX];
	int tgt = -1, lo = -1, up = -1, wk = -1, r = -1;

	upper = sb_strjoin(l->dir, "/upper/dirs/", name);
	work = sb_strjoin(l->dir, "/work/dirs/", name);
	snprintf(host, sizeof(host), "/%s", name);
	if (upper == NULL || work == NULL) {
		msb_error_set(err, ENOMEM, "out of memory");
		goto out;
	}
	/* The merged directory shows the upper dir's mode: copy the host's. */
	if (sb_mkdir(upper, hst->st_mode & 07777, err) != 0 ||
	    sb_mkdir(work, 0700, err) != 0)
		goto out;
	if ((tgt = sb_root_open(rootfd, host, O_PATH | O_DIRECTORY,
	    RESOLVE_NO_SYMLINKS)) < 0) {
		msb_error_sys(err, errno, "cannot open %s in the skeleton",
		    host);
		goto out;
	}
	lo = open(host, O_PATH | O_DIRECTORY | O_CLOEXEC);
	up = open(upper, O_PATH | O_DIRECTORY | O_CLOEXEC);
	wk = open(work, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (lo < 0 || up < 0 || wk < 0) {
		msb_error_sys(err, errno, "cannot open the layers of %s", host);
		goto out;
	}
	if (sb_mount_overlay(tgt, lo, up, wk, l->map.mode == SB_MAP_IDENTITY,
	    MS_NODEV) == 0)
		r = 0;
	else {
		/* E.g. submounts below it: show it read-only instead. */
		log_info("overlay on %s failed (%s): bind-mounting it "
		    "read-only", host, strerror(errno));
		if (sb_bind_at(tgt, host, 1, 1, MOUNT_ATTR_NOSUID |
		    MOUNT_ATTR_NODEV) == 0)
			r = 0;
		else
			msb_error_sys(err, errno, "cannot mount %s", host);
	}
out:
	if (tgt >= 0)
		close(tgt);
	if (lo >= 0)
		close(lo);
	if (up >= 0)
		close(up);
	if (wk >= 0)
		close(wk);
	free(upper);
	free(work);
	return r;
}

/*
 * The host's /var/tmp belongs to host root, whom the user namespace does
 * not map: creating a file there needs a copy-up that fails (EOVERFLOW),
 * and the overlay would show what other host users keep there. The
 * sandbox gets its own instead: an overlay of an empty directory with
 * upper/vartmp, mode 1777 like the real one, kept across restarts as
 * /var/tmp promises (unlike /tmp). Nothing to do when the root shows no
 * /var/tmp directory (a symbolic link, e.g. to /tmp, stays inside).
 */
static int
mount_var_tmp(const struct sb_launch *l, int rootfd, struct msb_error *err)
{
	char *empty = sb_strjoin(l->dir, "/run/empty", "");
	char *upper = sb_strjoin(l->dir, "/upper/vartmp", "");
	char *work = sb_strjoin(l->dir, "/work/vartmp", "");
	int tgt = -1, lo = -1, up = -1, wk = -1, r = -1;

	if (empty == NULL || upper == NULL || work == NULL) {
		msb_error_set(err, ENOMEM, "out of memory");
		goto out;
	}
	if ((tgt = sb_root_open(rootfd, "/var/tmp", O_PATH | O_DIRECTORY,
	    RESOLVE_NO_SYMLINKS)) < 0) {
		if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
			r = 0;
		else
			msb_error_sys(err, errno, "cannot open /var/tmp in "
			    "the sandbox's root");
		goto out;
	}
	if (sb_mkdir(empty, 0700, err) != 0 ||
	    sb_mkdir(upper, 01777, err) != 0 ||
	    sb_mkdir(work, 0700, err) != 0)
		goto out;
	lo = open(empty, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	up = open(upper, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	wk = open(work, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (lo < 0 || up < 0 || wk < 0) {
		msb_error_sys(err, errno, "cannot open the layers of /var/tmp");
		goto out;
	}
	if (sb_mount_overlay(tgt, lo, up, wk, l->map.mode == SB_MAP_IDENTITY,
	    MS_NOSUID | MS_NODEV) != 0)
		msb_error_sys(err, errno, "cannot mount the sandbox's own "
		    "/var/tmp");
	else
		r = 0;
out:
	if (tgt >= 0)
		close(tgt);
	if (lo >= 0)
		close(lo);
	if (up >= 0)
		close(up);
	if (wk >= 0)
		close(wk);
	free(empty);
	free(upper);
	free(work);
	return r;
}

/*
 * Make skel/name match the host's /name (same symlink, or an empty
 * directory); steady state costs no writes. *wanted: overlay it.
 */
static int
skel_sync(int skel, int hostroot, const char *name, const struct stat *hst,
    int *wanted)
{
	char target[PATH_MAX], have[PATH_MAX];
	struct stat st;
	ssize_t n, m;
	int exists, fd;

	*wanted = 0;
	exists = fstatat(skel, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
	if (S_ISLNK(hst->st_mode)) {
		if ((n = readlinkat(hostroot, name, target, sizeof(target) - 1)) <
		    0)
			return 0;
		if (exists && S_ISLNK(st.st_mode) && (m = readlinkat(skel, name,
		    have, sizeof(have))) == n && memcmp(have, target,
		    (size_t)n) == 0)
			return 0;
		target[n] = '\0';
		if (exists && remove_entry(skel, name, &st) != 0)
			return -1;
		return symlinkat(target, skel, name);
	}
	if (!S_ISDIR(hst->st_mode))    /* top-level files are left out */
		return exists ? remove_entry(skel, name, &st) : 0;
	if (exists && !S_ISDIR(st.st_mode)) {
		if (remove_entry(skel, name, &st) != 0)
			return -1;
		exists = 0;
	}
	if (!exists && mkdirat(skel, name, 0755) != 0)
		return -1;
	if (is_skipped(name))
		return 0;
	/* Only what this user can read; the rest stays an empty directory. */
	if ((fd = openat(hostroot, name, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) >= 0) {
		close(fd);
		*wanted = 1;
	}
	return 0;
}

int
sb_build_split(struct sb_launch *l, int rootfd, struct msb_error *err)
{
	char *skel = sb_strjoin(l->dir, "/run/skel", "");
	char *upper = sb_strjoin(l->dir, "/upper/root", "");
	char *work = sb_strjoin(l->dir, "/work/root", "");
	char **names = NULL, **tmp;
	struct stat *stats = NULL, *stmp, st;
	size_t n = 0, i;
	struct dirent *de;
	DIR *d = NULL;
	int sk = -1, wanted, r = -1, lo = -1, up = -1, wk = -1, fd;

	if (skel == NULL || upper == NULL || work == NULL) {
		msb_error_set(err, ENOMEM, "out of memory");
		goto out;
	}
	if (sb_mkdir(skel, 0755, err) != 0)
		goto out;
	if ((sk = open(skel, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    (d = opendir("/")) == NULL) {
		msb_error_sys(err, errno, "cannot read /");
		goto out;
	}
	if (prune_skel(sk, dirfd(d), err) != 0)
		goto out;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && (de->d_name[1] == '\0' ||
		    (de->d_name[1] == '.' && de->d_name[2] == '\0')))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (skel_sync(sk, dirfd(d), de->d_name, &st, &wanted) != 0) {
			msb_error_sys(err, errno, "cannot create %s/%s", skel,
			    de->d_name);
			goto out;
		}
		if (!wanted)
			continue;
		tmp = realloc(names, (n + 1) * sizeof(*names));
		stmp = tmp != NULL ? realloc(stats, (n + 1) * sizeof(*stats)) :
		    NULL;
		if (tmp != NULL)
			names = tmp;
		if (stmp != NULL)
			stats = stmp;
		if (tmp == NULL || stmp == NULL ||
		    (names[n] = strdup(de->d_name)) == NULL) {
			msb_error_set(err, ENOMEM, "out of memory");
			goto out;
		}
		stats[n++] = st;
	}
	lo = open(skel, O_PATH | O_DIRECTORY | O_CLOEXEC);
	up = open(upper, O_PATH | O_DIRECTORY | O_CLOEXEC);
	wk = open(work, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (lo < 0 || up < 0 || wk < 0) {
		msb_error_sys(err, errno, "cannot open the root layers");
		goto out;
	}
	if (sb_mount_overlay(rootfd, lo, up, wk,
	    l->map.mode == SB_MAP_IDENTITY, MS_NODEV) != 0) {
		msb_error_sys(err, errno, "cannot mount the skeleton root");
		goto out;
	}
	if ((fd = open(l->root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		msb_error_sys(err, errno, "cannot open %s", l->root);
		goto out;
	}
	for (i = 0; i < n; i++)
		if (mount_dir_overlay(l, fd, names[i], &stats[i], err) != 0)
			break;
	r = i == n ? mount_var_tmp(l, fd, err) : -1;
	close(fd);
out:
	if (d != NULL)
		closedir(d);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(stats);
	if (sk >= 0)
		close(sk);
	if (lo >= 0)
		close(lo);
	if (up >= 0)
		close(up);
	if (wk >= 0)
		close(wk);
	free(skel);
	free(upper);
	free(work);
	return r;
}
