/*
 * Assemble the sandbox's root tree at run/root (monitor, private mount
 * namespace, before init is forked): overlay root, /dev, /run, /tmp,
 * /etc/hosts + /etc/hostname, /sys, volumes, and masks over $MSB_HOME.
 *
 * Every path inside the new root is resolved with openat2(RESOLVE_IN_ROOT)
 * and mounted through its O_PATH fd: the image and the persistent upper dir
 * are under the sandbox's control, and a symlink planted there must never
 * steer a mount outside the root.
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
#include <sys/syscall.h>
#include <unistd.h>

#include "msb/log.h"
#include "sandbox-int.h"

int
sb_root_open(int rootfd, const char *path, int flags, int resolve)
{
	struct open_how how;

	memset(&how, 0, sizeof(how));
	how.flags = (uint64_t)(flags | O_CLOEXEC);
	how.resolve = (uint64_t)(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS |
	    resolve);
	if ((flags & O_CREAT) != 0)
		how.mode = 0644;
	while (*path == '/')
		path++;
	return (int)syscall(SYS_openat2, rootfd, *path != '\0' ? path : ".",
	    &how, sizeof(how));
}

int
sb_mount_at(int fd, const char *src, const char *fstype, unsigned long flags,
    const char *data)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return mount(src, path, fstype, flags, data);
}

/*
 * Attach a copy of the tree at (srcdir, src) onto tgtfd. attrs (MOUNT_ATTR_*)
 * are applied to the detached copy first, so it is never visible writable.
 */
static int
bind_tree(int srcdir, const char *src, int tgtfd, int readonly,
    int recursive, unsigned long attrs)
{
	struct mount_attr ma;
	int tree, r, e;

	tree = open_tree(srcdir, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
	    (recursive ? AT_RECURSIVE : 0) | (*src == '\0' ? AT_EMPTY_PATH :
	    0));
	if (tree < 0)
		return -1;
	memset(&ma, 0, sizeof(ma));
	ma.attr_set = attrs | (readonly ? MOUNT_ATTR_RDONLY : 0);
	r = 0;
	if (ma.attr_set != 0)
		r = mount_setattr(tree, "", AT_EMPTY_PATH |
		    (recursive ? AT_RECURSIVE : 0), &ma, sizeof(ma));
	if (r == 0)
		r = move_mount(tree, "", tgtfd, "", MOVE_MOUNT_F_EMPTY_PATH |
		    MOVE_MOUNT_T_EMPTY_PATH);
	e = errno;
	close(tree);
	errno = e;
	return r;
}

int
sb_bind_at(int tgtfd, const char *src, int readonly, int recursive,
    unsigned long attrs)
{
	return bind_tree(AT_FDCWD, src, tgtfd, readonly, recursive, attrs);
}

/* Make the mount tree at fd read-only by binding a read-only copy on it. */
int
sb_bind_self_ro(int fd, unsigned long attrs)
{
	return bind_tree(fd, "", fd, 1, 1, attrs);
}

/* O_PATH fd of directory path in the root, creating what is missing. */
static int
root_mkdirs(int rootfd, const char *path)
{
	char *copy, *p, *slash, save;
	int fd, pfd, e;

	fd = sb_root_open(rootfd, path, O_PATH | O_DIRECTORY, 0);
	if (fd >= 0 || errno != ENOENT)
		return fd;
	if ((copy = strdup(path)) == NULL)
		return -1;
	for (p = copy + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		save = *p;
		*p = '\0';
		fd = sb_root_open(rootfd, copy, O_PATH | O_DIRECTORY, 0);
		if (fd < 0 && errno == ENOENT) {
			slash = strrchr(copy, '/');
			*slash = '\0';
			pfd = sb_root_open(rootfd, copy, O_PATH | O_DIRECTORY,
			    0);
			*slash = '/';
			if (pfd < 0)
				break;
			if (mkdirat(pfd, slash + 1, 0755) != 0 &&
			    errno != EEXIST) {
				e = errno;
				close(pfd);
				errno = e;
				break;
			}
			close(pfd);
			fd = sb_root_open(rootfd, copy, O_PATH | O_DIRECTORY,
			    0);
		}
		if (fd < 0 || save == '\0')
			break;
		close(fd);
		*p = save;
	}
	e = errno;
	free(copy);
	errno = e;
	return fd;
}

static int
fail_at(struct msb_error *err, const char *what, const char *path)
{
	return msb_error_sys(err, errno, "%s %s", what, path);
}

/*
 * O_PATH fd of a host directory from the config (made absolute and free
 * of symbolic links by create). Opened without following any link: a
 * sandbox that can write a parent of it (through another volume, or the
 * image dir inside a volume) could otherwise swap in a link to /etc and
 * get the host's /etc mounted writable at the next start.
 */
static int
open_host_dir(const char *path, const char *what, struct msb_error *err)
{
	struct open_how how;
	int fd;

	memset(&how, 0, sizeof(how));
	how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
	how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
	if (fd < 0 && errno == ELOOP)
		msb_error_set(err, ELOOP, "%s %s now contains a symbolic link "
		    "(it had none when the sandbox was created): refusing to "
		    "follow it; re-create the sandbox if that is intended",
		    what, path);
	else if (fd < 0)
		msb_error_sys(err, errno, "%s %s", what, path);
	return fd;
}

/*
 * O_PATH fd of directory name in parent, replacing whatever non-directory
 * the sandbox may have left there (a symlink planted in the upper dir must
 * not redirect the runtime's own mounts).
 */
static int
fixed_dir(int parent, const char *name)
{
	struct stat st;

	if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!S_ISDIR(st.st_mode) && unlinkat(parent, name, 0) != 0)
			return -1;
	} else if (errno != ENOENT)
		return -1;
	if (mkdirat(parent, name, 0755) != 0 && errno != EEXIST)
		return -1;
	return openat(parent, name, O_PATH | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
}

/* The same for a regular file (created empty). */
static int
fixed_file(int parent, const char *name)
{
	struct stat st;
	int fd;

	if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISREG(st.st_mode))
			return openat(parent, name, O_PATH | O_NOFOLLOW |
			    O_CLOEXEC);
		if (unlinkat(parent, name, S_ISDIR(st.st_mode) ?
		    AT_REMOVEDIR : 0) != 0)
			return -1;
	} else if (errno != ENOENT)
		return -1;
	fd = openat(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	close(fd);
	return openat(parent, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
}

/* A fresh tmpfs on the top-level directory name. */
static int
mount_tmpfs(int rootfd, const char *name, unsigned long flags,
    const char *data, struct msb_error *err)
{
	int fd = fixed_dir(rootfd, name), r;

	if (fd < 0)
		return fail_at(err, "cannot create the mount point /", name);
	r = sb_mount_at(fd, "tmpfs", "tmpfs", flags, data);
	close(fd);
	return r != 0 ? fail_at(err, "cannot mount a tmpfs on /", name) : 0;
}

/*
 * Mount an overlay of the O_PATH fds lo, up, wk onto tgt. Identity-mapped
 * (root) sandboxes get redirect_dir=on so that renaming a directory of the
 * image works as on any file system instead of failing with EXDEV (SFTP
 * rename, mv of a big tree); the kernel refuses redirects with userxattr,
 * so mapped sandboxes keep EXDEV (mv copies then). A kernel without the
 * option gets the plain mount.
 */
int
sb_mount_overlay(int tgt, int lo, int up, int wk, int identity,
    unsigned long flags)
{
	char opts[160];
	int n, redirect;

	for (redirect = identity; redirect >= 0; redirect--) {
		n = snprintf(opts, sizeof(opts), "lowerdir=/proc/self/fd/%d,"
		    "upperdir=/proc/self/fd/%d,workdir=/proc/self/fd/%d%s%s",
		    lo, up, wk, identity ? "" : ",userxattr",
		    redirect ? ",redirect_dir=on" : "");
		if (n < 0 || (size_t)n >= sizeof(opts)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (sb_mount_at(tgt, "overlay", "overlay", flags, opts) == 0)
			return 0;
		if (errno != EINVAL)
			return -1;
	}
	return -1;
}

/* Mount an overlay of lower (an O_PATH fd), upper, work onto tgtfd. */
static int
mount_overlay(int tgtfd, int lo, const char *upper, const char *work,
    int userxattr)
{
	int up = -1, wk = -1, r = -1, e;

	if (lo >= 0)
		up = open(upper, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (up >= 0)
		wk = open(work, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (wk >= 0)
		r = sb_mount_overlay(tgtfd, lo, up, wk, !userxattr, MS_NODEV);
	e = errno;
	if (up >= 0)
		close(up);
	if (wk >= 0)
		close(wk);
	errno = e;
	return r;
}

static int
build_overlay_root(struct sb_launch *l, struct msb_error *err)
{
	const struct msb_sandbox_config *c = &l->sb->cfg;
	const char *lower = strcmp(c->image, "host") == 0 ? "/" : c->image;
	char *upper = sb_strjoin(l->dir, "/", "upper");
	char *work = sb_strjoin(l->dir, "/", "work");
	int fd, lo = -1, r = -1;

	if (upper == NULL || work == NULL) {
		msb_error_set(err, ENOMEM, "out of memory");
		goto out;
	}
	if ((lo = open_host_dir(lower, "image", err)) < 0)
		goto out;
	if ((fd = open(l->root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fail_at(err, "cannot open", l->root);
		goto out;
	}
	r = mount_overlay(fd, lo, upper, work,
	    l->map.mode != SB_MAP_IDENTITY);
	close(fd);
	if (r != 0)
		msb_error_sys(err, errno, "cannot mount the overlay root "
		    "(lower %s, upper %s)", lower, upper);
out:
	if (lo >= 0)
		close(lo);
	free(upper);
	free(work);
	return r;
}

/* /proc must be a directory: init mounts proc there. */
static int
proc_dir(int rootfd, struct msb_error *err)
{
	int fd = fixed_dir(rootfd, "proc");

	if (fd < 0)
		return fail_at(err, "cannot create", "/proc");
	close(fd);
	return 0;
}

static const struct {
	const char *name;
	const char *target;      /* symlink target, or NULL: bind host node */
} dev_entries[] = {
	{ "null", NULL }, { "zero", NULL }, { "full", NULL },
	{ "random", NULL }, { "urandom", NULL }, { "tty", NULL },
	{ "ptmx", "pts/ptmx" }, { "fd", "/proc/self/fd" },
	{ "stdin", "/proc/self/fd/0" }, { "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
};

/* A minimal /dev: host nodes bound in (mknod is impossible in a user ns). */
static int
build_dev(const struct sb_launch *l, int rootfd, struct msb_error *err)
{
	char opts[96], host[32];
	const char *what = "/dev";
	size_t i;
	int dev, fd, r;

	if (mount_tmpfs(rootfd, "dev", MS_NOSUID, "mode=755,size=65536k",
	    err) != 0)
		return -1;
	if ((dev = sb_root_open(rootfd, "/dev", O_RDONLY | O_DIRECTORY,
	    RESOLVE_NO_SYMLINKS)) < 0)
		return fail_at(err, "cannot open", "/dev");
	for (i = 0; i < sizeof(dev_entries) / sizeof(dev_entries[0]); i++) {
		what = dev_entries[i].name;
		if (dev_entries[i].target != NULL) {
			if (symlinkat(dev_entries[i].target, dev,
			    dev_entries[i].name) != 0)
				goto fail;
			continue;
		}
		fd = openat(dev, dev_entries[i].name, O_WRONLY | O_CREAT |
		    O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0)
			goto fail;
		close(fd);
		if ((fd = openat(dev, dev_entries[i].name, O_PATH |
		    O_CLOEXEC)) < 0)
			goto fail;
		snprintf(host, sizeof(host), "/dev/%s", dev_entries[i].name);
		/* Read-only: reading and writing the device still work, but
		 * the node is the host's own inode, and root (identity map)
		 * owns it: chmod /dev/null would break the host's. */
		r = sb_bind_at(fd, host, 1, 0, MOUNT_ATTR_NOSUID |
		    MOUNT_ATTR_NOEXEC);
		close(fd);
		if (r != 0)
			goto fail;
	}
	what = "pts";
	if (mkdirat(dev, "pts", 0755) != 0 || mkdirat(dev, "shm", 01777) != 0)
		goto fail;
	if ((fd = openat(dev, "pts", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		goto fail;
	/* gid=5 (tty) only where the sandbox can name it. */
	snprintf(opts, sizeof(opts), "newinstance,ptmxmode=0666,mode=0620%s",
	    l->map.mode == SB_MAP_SINGLE ? "" : ",gid=5");
	r = sb_mount_at(fd, "devpts", "devpts", MS_NOSUID | MS_NOEXEC, opts);
	close(fd);
	if (r != 0) {
		close(dev);
		return fail_at(err, "cannot mount devpts on", "/dev/pts");
	}
	what = "shm";
	if ((fd = openat(dev, "shm", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		goto fail;
	r = sb_mount_at(fd, "shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
	    "mode=1777");
	close(fd);
	if (r != 0) {
		close(dev);
		return fail_at(err, "cannot mount a tmpfs on", "/dev/shm");
	}
	close(dev);
	return 0;
fail:
	msb_error_sys(err, errno, "cannot populate /dev (%s)", what);
	close(dev);
	return -1;
}

/* Bind dir/run/<file> over /etc/<file>. */
static int
bind_run_file(const struct sb_launch *l, int rootfd, const char *file,
    struct msb_error *err)
{
	char *src = sb_strjoin(l->dir, "/run/", file);
	int etc, fd, r;

	if (src == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	if ((etc = root_mkdirs(rootfd, "/etc")) < 0) {
		free(src);
		return fail_at(err, "cannot create", "/etc");
	}
	fd = fixed_file(etc, file);
	close(etc);
	if (fd < 0) {
		r = msb_error_sys(err, errno, "cannot create /etc/%s", file);
		free(src);
		return r;
	}
	r = sb_bind_at(fd, src, 0, 0, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
	    MOUNT_ATTR_NOEXEC);
	close(fd);
	free(src);
	return r != 0 ? msb_error_sys(err, errno, "cannot bind-mount /etc/%s",
	    file) : 0;
}

/* Hidden in /sys: firmware tables and energy counters (a side channel). */
static const char *const sys_masked[] = {
	"firmware", "devices/virtual/powercap", NULL,
};

static int
build_sys(const struct sb_launch *l, int rootfd, struct msb_error *err)
{
	int fd = fixed_dir(rootfd, "sys"), sys, m, r;
	size_t i;

	if (fd < 0)
		return fail_at(err, "cannot create", "/sys");
	/* A fresh sysfs shows only the sandbox's own network namespace. */
	if (!l->sb->cfg.net_host)
		r = sb_mount_at(fd, "sysfs", "sysfs", MS_RDONLY | MS_NOSUID |
		    MS_NODEV | MS_NOEXEC, NULL);
	else
		r = sb_bind_at(fd, "/sys", 1, 1, MOUNT_ATTR_NOSUID |
		    MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	close(fd);
	if (r != 0)
		return fail_at(err, "cannot mount", "/sys");
	if ((sys = sb_root_open(rootfd, "/sys", O_PATH | O_DIRECTORY,
	    RESOLVE_NO_SYMLINKS)) < 0)
		return fail_at(err, "cannot open", "/sys");
	for (i = 0, r = 0; sys_masked[i] != NULL && r == 0; i++) {
		m = openat(sys, sys_masked[i], O_PATH | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
		if (m < 0)
			continue;
		if (sb_mount_at(m, "tmpfs", "tmpfs", MS_RDONLY | MS_NOSUID |
		    MS_NODEV | MS_NOEXEC, "size=4k,mode=555") != 0)
			r = msb_error_sys(err, errno, "cannot mask /sys/%s",
			    sys_masked[i]);
		close(m);
	}
	close(sys);
	return r;
}

static int
cmp_volume(const void *a, const void *b)
{
	const struct msb_volume *const *x = a, *const *y = b;

	return strcmp((*x)->target, (*y)->target);
}

static int
build_volumes(const struct sb_launch *l, int rootfd, struct msb_error *err)
{
	const struct msb_sandbox_config *c = &l->sb->cfg;
	const struct msb_volume **v;
	size_t i;
	int fd, src, r = 0;

	if (c->nvolumes == 0)
		return 0;
	if ((v = calloc(c->nvolumes, sizeof(*v))) == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	for (i = 0; i < c->nvolumes; i++)
		v[i] = &c->volumes[i];
	/* Parents before children, so a nested volume lands on top. */
	qsort(v, c->nvolumes, sizeof(*v), cmp_volume);
	for (i = 0; i < c->nvolumes && r == 0; i++) {
		if ((src = open_host_dir(v[i]->host, "volume host directory",
		    err)) < 0) {
			r = -1;
			break;
		}
		if ((fd = root_mkdirs(rootfd, v[i]->target)) < 0) {
			r = msb_error_sys(err, errno, "volume %s: cannot create "
			    "the mount point %s", v[i]->host, v[i]->target);
			close(src);
			break;
		}
		if (bind_tree(src, "", fd, v[i]->readonly, 1,
		    MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV) != 0)
			r = msb_error_sys(err, errno, "volume %s:%s",
			    v[i]->host, v[i]->target);
		close(fd);
		close(src);
	}
	free(v);
	return r;
}

/* An empty read-only tmpfs over path, if path exists in the root. */
static int
mask(int rootfd, const char *path, struct msb_error *err)
{
	int fd = sb_root_open(rootfd, path, O_PATH | O_DIRECTORY, 0), r;

	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 :
		    fail_at(err, "cannot mask", path);
	r = sb_mount_at(fd, "tmpfs", "tmpfs", MS_RDONLY | MS_NOSUID |
	    MS_NODEV | MS_NOEXEC, "size=4k,mode=755");
	close(fd);
	return r != 0 ? fail_at(err, "cannot mask", path) : 0;
}

/* An empty tmpfs over dir wherever the sandbox could reach it. */
static int
mask_everywhere(const struct sb_launch *l, int rootfd, const char *dir,
    struct msb_error *err)
{
	const struct msb_sandbox_config *c = &l->sb->cfg;
	char *p;
	size_t i;
	int r;

	if (strcmp(c->image, "host") == 0 && mask(rootfd, dir, err) != 0)
		return -1;
	for (i = 0; i < c->nvolumes; i++) {
		if (!sb_path_under(dir, c->volumes[i].host))
			continue;
		p = sb_strjoin(c->volumes[i].target, "",
		    dir + (strcmp(c->volumes[i].host, "/") == 0 ? 0 :
		    strlen(c->volumes[i].host)));
		if (p == NULL)
			return msb_error_set(err, ENOMEM, "out of memory");
		r = mask(rootfd, p, err);
		free(p);
		if (r != 0)
			return -1;
	}
	return 0;
}

/*
 * Hide $MSB_HOME (other sandboxes' upper dirs and agent sockets) through
 * the host image and through volumes; also ~/.msb if MSB_HOME is elsewhere.
 */
static int
build_masks(const struct sb_launch *l, int rootfd, struct msb_error *err)
{
	int host = strcmp(l->sb->cfg.image, "host") == 0;

	if (mask_everywhere(l, rootfd, l->home_real, err) != 0 ||
	    sb_mask_state(l, rootfd, l->home_real, host, err) != 0)
		return -1;
	if (l->home_default != NULL &&
	    (mask_everywhere(l, rootfd, l->home_default, err) != 0 ||
	    sb_mask_state(l, rootfd, l->home_default, host, err) != 0))
		return -1;
	return 0;
}

/*
 * The agent binary as init executes it: a detached read-only, nosuid bind
 * of the file (made in the monitor's private mount namespace). Inside the
 * sandbox /proc/1/exe names this mount, so the sandbox's root, which owns
 * the host's msb-agent under the identity map, cannot chmod (set-user-ID),
 * chown, touch or set extended attributes on it through that link.
 */
int
sb_agent_bind(struct sb_launch *l, struct msb_error *err)
{
	struct mount_attr ma;
	struct stat want, have;
	int tree;

	if (fstat(l->agent_fd, &want) != 0)
		return msb_error_sys(err, errno, "%s", l->agent_path);
	tree = open_tree(AT_FDCWD, l->agent_path, OPEN_TREE_CLONE |
	    OPEN_TREE_CLOEXEC);
	if (tree < 0)
		return msb_error_sys(err, errno, "cannot bind the agent %s",
		    l->agent_path);
	memset(&ma, 0, sizeof(ma));
	ma.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
	if (mount_setattr(tree, "", AT_EMPTY_PATH, &ma, sizeof(ma)) != 0 ||
	    fstat(tree, &have) != 0) {
		msb_error_sys(err, errno, "cannot bind the agent %s "
		    "read-only", l->agent_path);
		close(tree);
		return -1;
	}
	if (have.st_dev != want.st_dev || have.st_ino != want.st_ino ||
	    !S_ISREG(have.st_mode)) {
		close(tree);
		return msb_error_set(err, ESTALE, "the agent %s changed while "
		    "the sandbox was starting", l->agent_path);
	}
	close(l->agent_fd);
	l->agent_fd = tree;
	return 0;
}

int
sb_build_root(struct sb_launch *l, struct msb_error *err)
{
	int rootfd, r = -1;

	umask(022);
	if (l->sb->cfg.layout == MSB_LAYOUT_SPLIT) {
		if ((rootfd = open(l->root, O_PATH | O_DIRECTORY |
		    O_CLOEXEC)) < 0)
			return fail_at(err, "cannot open", l->root);
		r = sb_build_split(l, rootfd, err);
		close(rootfd);
		if (r != 0)
			return -1;
	} else if (build_overlay_root(l, err) != 0)
		return -1;
	/* Reopen: the fd must name the overlay, not the directory below it. */
	if ((rootfd = open(l->root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return fail_at(err, "cannot open", l->root);
	if (proc_dir(rootfd, err) == 0 &&
	    build_dev(l, rootfd, err) == 0 &&
	    mount_tmpfs(rootfd, "run", MS_NOSUID | MS_NODEV, "mode=755",
	    err) == 0 &&
	    mount_tmpfs(rootfd, "tmp", MS_NOSUID | MS_NODEV, "mode=1777",
	    err) == 0 &&
	    bind_run_file(l, rootfd, "hosts", err) == 0 &&
	    bind_run_file(l, rootfd, "hostname", err) == 0 &&
	    build_sys(l, rootfd, err) == 0 &&
	    build_volumes(l, rootfd, err) == 0 &&
	    build_masks(l, rootfd, err) == 0)
		r = 0;
	close(rootfd);
	return r;
}
