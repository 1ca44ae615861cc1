/*
 * msb_image_has_user: does the sandbox's default user exist in the account
 * file its first start would see? `msb create --user` checks this so that a
 * typo fails at create time, not as "unknown user" in every later session.
 * The file is the image's (the host's / for `host`), or that of a volume
 * mounted on /etc; it is opened with RESOLVE_IN_ROOT so that an image's
 * absolute symlink (etc/passwd -> /x) stays inside the image.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msb/passwd.h"
#include "msb/sandbox.h"
#include "sandbox-int.h"

#define PASSWD_MAX (16u * 1024u * 1024u)   /* as lib/passwd.c */

/* The whole regular file at path below rootfd, NUL-terminated. */
static char *
read_in_root(int rootfd, const char *path, struct msb_error *err)
{
	struct stat st;
	char *buf = NULL;
	size_t used = 0;
	ssize_t n;
	int fd;

	if ((fd = sb_root_open(rootfd, path, O_RDONLY | O_NOCTTY |
	    O_NONBLOCK, RESOLVE_NO_MAGICLINKS)) < 0) {
		msb_error_sys(err, errno, "cannot open /%s", path);
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > PASSWD_MAX) {
		msb_error_set(err, EINVAL, "/%s is not a regular file of at "
		    "most %u bytes", path, PASSWD_MAX);
		close(fd);
		return NULL;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		msb_error_set(err, ENOMEM, "out of memory");
		close(fd);
		return NULL;
	}
	/* A file that grows meanwhile is read up to its size at fstat. */
	while (used < (size_t)st.st_size) {
		n = read(fd, buf + used, (size_t)st.st_size - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			msb_error_sys(err, errno, "cannot read /%s", path);
			free(buf);
			close(fd);
			return NULL;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	buf[used] = '\0';
	return buf;
}

int
msb_image_has_user(const struct msb_sandbox_config *cfg, const char *user,
    struct msb_error *err)
{
	const char *root = "/", *path = "etc/passwd";
	struct msb_pwdb db;
	char *text;
	size_t i;
	int rootfd, found;

	if (cfg->image != NULL && strcmp(cfg->image, "host") != 0)
		root = cfg->image;
	for (i = 0; i < cfg->nvolumes; i++)
		if (strcmp(cfg->volumes[i].target, "/etc") == 0) {
			root = cfg->volumes[i].host;
			path = "passwd";
		}
	if ((rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return msb_error_sys(err, errno, "cannot open %s", root);
	text = read_in_root(rootfd, path, err);
	close(rootfd);
	if (text == NULL)
		return -1;
	if (msb_pwdb_parse(&db, text, NULL, err) != 0) {
		free(text);
		return -1;
	}
	free(text);
	found = msb_pwdb_by_name(&db, user) != NULL;
	msb_pwdb_free(&db);
	return found;
}
