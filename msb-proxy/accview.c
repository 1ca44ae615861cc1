/*
 * The account view (design.md section 3): sshd only logs in users that
 * getpwnam() knows, and unprivileged only its own uid. So sshd runs in a
 * private mount namespace where /etc/passwd lists the sandbox's account
 * names, all with the owner's uid and gid. Unprivileged, an identity-mapped
 * user namespace (uid U -> U, gid G -> G) gives us the right to mount, and
 * exec drops those capabilities again for sshd. Everything vanishes with the
 * namespace: there is nothing to clean up.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proxy.h"

#define PRIVSEP_DIR "/run/sshd"

static int
write_proc(const char *path, const char *text, struct msb_error *err)
{
	size_t len = strlen(text);
	ssize_t w;
	int fd;

	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return msb_error_sys(err, errno, "cannot open %s", path);
	w = write(fd, text, len);
	if (w < 0 || (size_t)w != len) {
		msb_error_sys(err, w < 0 ? errno : EIO, "cannot write %s", path);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int
write_file(const char *dir, const char *name, const char *text, mode_t mode,
    char **pathp, struct msb_error *err)
{
	char *path;
	size_t len = strlen(text), off = 0;
	ssize_t w;
	int fd;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return msb_error_set(err, ENOMEM, "out of memory");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0) {
		msb_error_sys(err, errno, "cannot create %s", path);
		free(path);
		return -1;
	}
	while (off < len) {
		w = write(fd, text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			msb_error_sys(err, w < 0 ? errno : EIO, "cannot write %s",
			    path);
			close(fd);
			free(path);
			return -1;
		}
		off += (size_t)w;
	}
	if (fchmod(fd, mode) != 0 || close(fd) != 0) {
		msb_error_sys(err, errno, "cannot write %s", path);
		free(path);
		return -1;
	}
	if (pathp != NULL)
		*pathp = path;
	else
		free(path);
	return 0;
}

/* Bind src over target; a missing optional target is skipped. */
static int
bind_over(const char *src, const char *target, int optional,
    struct msb_error *err)
{
	if (mount(src, target, NULL, MS_BIND, NULL) == 0)
		return 0;
	if (optional && errno == ENOENT)
		return 0;
	return msb_error_sys(err, errno, "cannot bind %s over %s", src, target);
}

static int
enter_namespaces(int privileged, uid_t uid, gid_t gid, struct msb_error *err)
{
	char map[64];
	/* Our ids here: the owner's, or 0 in the sandbox monitor's namespace. */
	uid_t outer_uid = getuid();
	gid_t outer_gid = getgid();

	if (privileged) {
		if (unshare(CLONE_NEWNS) != 0)
			return msb_error_sys(err, errno,
			    "cannot create a mount namespace");
	} else {
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
			return msb_error_sys(err, errno, "cannot create a user "
			    "namespace (are unprivileged user namespaces "
			    "disabled?)");
		snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)uid,
		    (unsigned)outer_uid);
		if (write_proc("/proc/self/uid_map", map, err) != 0 ||
		    write_proc("/proc/self/setgroups", "deny\n", err) != 0)
			return -1;
		snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)gid,
		    (unsigned)outer_gid);
		if (write_proc("/proc/self/gid_map", map, err) != 0)
			return -1;
	}
	/*
	 * Nothing we mount may propagate back to the host; but the host's
	 * unmounts (where its mounts are shared, as systemd makes them) reach
	 * our copy, so that we never pin a filesystem the user unmounted
	 * (an sshfs connected through us: mounts.c).
	 */
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) != 0)
		return msb_error_sys(err, errno, "cannot make / a slave mount");
	return 0;
}

static int
privsep_dir_ensure(struct msb_error *err)
{
	struct stat st;

	/* sshd insists on a root-owned, not group/world-writable dir. */
	if (mkdir(PRIVSEP_DIR, 0755) != 0 && errno != EEXIST)
		return msb_error_sys(err, errno, "cannot create %s", PRIVSEP_DIR);
	if (lstat(PRIVSEP_DIR, &st) != 0 || !S_ISDIR(st.st_mode))
		return msb_error_set(err, ENOTDIR, "%s is not a directory",
		    PRIVSEP_DIR);
	return 0;
}

int
accview_enter(const char *session_dir, const struct msb_view_files *f,
    const char *sshd_config, const char *authorized_keys, int privileged,
    uid_t uid, gid_t gid, const char *const *keep, char **config_path,
    struct msb_error *err)
{
	static const struct {
		const char *name, *target;
		mode_t mode;
		int optional;
	} files[] = {
		{ "passwd", "/etc/passwd", 0644, 0 },
		{ "group", "/etc/group", 0644, 0 },
		{ "shadow", "/etc/shadow", 0600, 1 },
		{ "nsswitch.conf", "/etc/nsswitch.conf", 0644, 1 },
		/*
		 * sshd runs the host's /etc/ssh/sshrc (a compiled-in path, not
		 * stopped by PermitUserRC) for every session, on the host, and
		 * its output would corrupt sftp and rsync: empty it.
		 */
		{ "sshrc", "/etc/ssh/sshrc", 0644, 1 },
	};
	const char *texts[5];
	char *src;
	unsigned int dropped;
	size_t i;

	texts[0] = f->passwd;
	texts[1] = f->group;
	texts[2] = f->shadow;
	texts[3] = f->nsswitch;
	texts[4] = "";
	*config_path = NULL;
	if (mkdir(session_dir, 0700) != 0 && errno != EEXIST)
		return msb_error_sys(err, errno, "cannot create %s", session_dir);
	if (privileged && privsep_dir_ensure(err) != 0)
		return -1;
	if (enter_namespaces(privileged, uid, gid, err) != 0)
		return -1;
	/* Unprivileged, the copied mounts are locked: we cannot. */
	if (privileged && mounts_drop_fuse(keep, &dropped, err) != 0)
		return -1;
	(void)dropped;
	if (mounts_private_tmp(keep, err) != 0)
		return -1;
	/* Room for the largest authorized_keys msb accepts (16 MiB). */
	if (mount("tmpfs", session_dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
	    "mode=0700,size=20m") != 0)
		return msb_error_sys(err, errno, "cannot mount a tmpfs on %s",
		    session_dir);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (write_file(session_dir, files[i].name, texts[i], files[i].mode,
		    &src, err) != 0)
			return -1;
		if (bind_over(src, files[i].target, files[i].optional, err) != 0) {
			free(src);
			return -1;
		}
		free(src);
	}
	if (write_file(session_dir, "sshd_config", sshd_config, 0600,
	    config_path, err) != 0 ||
	    write_file(session_dir, "authorized_keys", authorized_keys, 0600,
	    NULL, err) != 0)
		return -1;
	if (privileged && mount("tmpfs", PRIVSEP_DIR, "tmpfs",
	    MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0755,size=64k") != 0)
		return msb_error_sys(err, errno, "cannot mount a tmpfs on %s",
		    PRIVSEP_DIR);
	/* nscd would answer from the host's databases: hide its socket. */
	if (access("/run/nscd", F_OK) == 0 && mount("tmpfs", "/run/nscd", "tmpfs",
	    MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k") != 0)
		return msb_error_sys(err, errno, "cannot hide /run/nscd");
	return 0;
}
