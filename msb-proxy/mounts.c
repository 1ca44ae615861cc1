/*
 * Mounts of the connection's private mount namespace that the copy of the
 * host's table would otherwise get wrong (called by accview.c, inside it):
 *
 * - FUSE mounts. A copy of a FUSE mount keeps its filesystem alive: after
 *   `fusermount -u` on the host, an sshfs whose ssh connection runs
 *   through us would wait for a release that never comes while our sshd
 *   waits for sshfs. As root we detach every FUSE mount (sshd needs none);
 *   unprivileged they are locked into the copy, and only the slave
 *   propagation accview.c sets up lets a host unmount reach them.
 * - /tmp. sshd writes ExposeAuthInfo's /tmp/sshauth.* there and, in inetd
 *   mode, may not remove it: a private tmpfs takes them away with the
 *   namespace. State that happens to live under /tmp (an MSB_HOME or
 *   helper programs in a test directory) is bound back in at its path.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proxy.h"

/* 1 if path is dir or below it (whole components). */
static int
path_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (n == 1 && dir[0] == '/')
		return 1;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Decode mountinfo's octal escapes (\040 for a blank) in place. */
static void
unescape(char *s)
{
	char *o = s;

	for (; *s != '\0'; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
			    (s[3] - '0'));
			s += 3;
		} else
			*o++ = *s;
	}
	*o = '\0';
}

static int
is_fuse(const char *fstype)
{
	return strcmp(fstype, "fuse") == 0 || strcmp(fstype, "fuseblk") == 0 ||
	    strncmp(fstype, "fuse.", 5) == 0;
}

/*
 * Mount point and type of one mountinfo line ("ID PARENT MAJ:MIN ROOT
 * MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS"); -1 if the
 * line does not have that shape.
 */
static int
parse_line(char *line, char **mnt, char **fstype)
{
	char *save = NULL, *tok;
	int field = 0, dash = 0;

	*mnt = *fstype = NULL;
	for (tok = strtok_r(line, " \n", &save); tok != NULL;
	    tok = strtok_r(NULL, " \n", &save), field++) {
		if (field == 4)
			*mnt = tok;
		else if (field > 5 && !dash && strcmp(tok, "-") == 0)
			dash = 1;
		else if (dash) {
			*fstype = tok;
			break;
		}
	}
	if (*mnt == NULL || *fstype == NULL)
		return -1;
	unescape(*mnt);
	return 0;
}

static int
needed(const char *mnt, const char *const *keep)
{
	size_t i;

	/* A FUSE mount holding our state (MSB_HOME on sshfs) must stay. */
	for (i = 0; keep[i] != NULL; i++)
		if (path_under(keep[i], mnt))
			return 1;
	return 0;
}

int
mounts_drop_fuse(const char *const *keep, unsigned int *dropped,
    struct msb_error *err)
{
	char *line = NULL, *mnt, *fstype;
	size_t cap = 0;
	FILE *f;

	*dropped = 0;
	if ((f = fopen("/proc/self/mountinfo", "re")) == NULL)
		return msb_error_sys(err, errno, "cannot read "
		    "/proc/self/mountinfo");
	while (getline(&line, &cap, f) > 0) {
		if (parse_line(line, &mnt, &fstype) != 0 || !is_fuse(fstype) ||
		    needed(mnt, keep))
			continue;
		/* Lazily: a mount stacked on top goes with it. */
		if (umount2(mnt, MNT_DETACH | UMOUNT_NOFOLLOW) == 0)
			(*dropped)++;
		else if (errno != EINVAL && errno != ENOENT) {
			msb_error_sys(err, errno, "cannot detach the FUSE "
			    "mount %.200s", mnt);
			free(line);
			fclose(f);
			return -1;
		}
	}
	free(line);
	fclose(f);
	return 0;
}

/* mkdir -p of path (absolute), each new level 0755. */
static int
mkdirs(const char *path, struct msb_error *err)
{
	char *p, *s, c;

	if ((p = strdup(path)) == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	for (s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		c = *s;
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST) {
			msb_error_sys(err, errno, "cannot create %s", p);
			free(p);
			return -1;
		}
		if ((*s = c) == '\0')
			break;
	}
	free(p);
	return 0;
}

int
mounts_private_tmp(const char *const *keep, struct msb_error *err)
{
	char tmp[PATH_MAX], real[PATH_MAX], src[64 + PATH_MAX];
	char *back[16];
	size_t nback = 0, i, j;
	int fd, r = -1, dup;

	if (realpath("/tmp", tmp) == NULL)
		return msb_error_sys(err, errno, "cannot resolve /tmp");
	/* What must stay reachable at its path: the host's /tmp below it. */
	for (i = 0; keep[i] != NULL; i++) {
		if (realpath(keep[i], real) == NULL || !path_under(real, tmp) ||
		    strcmp(real, tmp) == 0)
			continue;
		if (nback == sizeof(back) / sizeof(back[0])) {
			msb_error_set(err, E2BIG, "too many paths below /tmp");
			goto out;
		}
		if ((back[nback] = strdup(real)) == NULL) {
			msb_error_set(err, ENOMEM, "out of memory");
			goto out;
		}
		nback++;
	}
	if ((fd = open(tmp, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		msb_error_sys(err, errno, "cannot open %s", tmp);
		goto out;
	}
	if (mount("tmpfs", tmp, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
	    "mode=1777,size=16m") != 0) {
		msb_error_sys(err, errno, "cannot mount a private tmpfs on %s",
		    tmp);
		close(fd);
		goto out;
	}
	for (i = 0; i < nback; i++) {
		/* Nested in another one bound back already: covered. */
		for (j = 0, dup = 0; j < nback && !dup; j++)
			dup = j != i && path_under(back[i], back[j]) &&
			    (strcmp(back[i], back[j]) != 0 || j < i);
		if (dup)
			continue;
		snprintf(src, sizeof(src), "/proc/self/fd/%d%s", fd,
		    back[i] + strlen(tmp));
		if (mkdirs(back[i], err) != 0)
			break;
		if (mount(src, back[i], NULL, MS_BIND | MS_REC, NULL) != 0) {
			msb_error_sys(err, errno, "cannot bind %s back into the "
			    "private /tmp", back[i]);
			break;
		}
	}
	close(fd);
	r = i == nback ? 0 : -1;
out:
	for (i = 0; i < nback; i++)
		free(back[i]);
	return r;
}
