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
#include <string.h>
#include <unistd.h>

#include "msb/passwd.h"
#include "msb/sandbox.h"
#include "sandbox-int.h"

int
msb_image_has_user(const struct msb_sandbox_config *cfg, const char *user,
    struct msb_error *err)
{
	const char *root = "/", *path = "/etc/passwd";
	struct msb_pwdb db;
	size_t i;
	int rootfd, fd, found, e;

	if (cfg->image != NULL && strcmp(cfg->image, "host") != 0)
		root = cfg->image;
	for (i = 0; i < cfg->nvolumes; i++)
		if (strcmp(cfg->volumes[i].target, "/etc") == 0) {
			root = cfg->volumes[i].host;
			path = "/passwd";
		}
	if ((rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return msb_error_sys(err, errno, "cannot open %s", root);
	/* O_NONBLOCK: a FIFO planted as the file must not block the open. */
	fd = sb_root_open(rootfd, path + 1, O_RDONLY | O_NOCTTY | O_NONBLOCK,
	    RESOLVE_NO_MAGICLINKS);
	e = errno;
	close(rootfd);
	if (fd < 0)
		return msb_error_sys(err, e, "cannot open %s", path);
	if (msb_pwdb_load_fd(&db, fd, path, err) != 0)
		return -1;
	found = msb_pwdb_by_name(&db, user) != NULL;
	msb_pwdb_free(&db);
	return found;
}
