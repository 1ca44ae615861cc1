/* $MSB_HOME: where msb keeps its state (owner-only). */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msb/sandbox.h"
#include "sandbox-int.h"

/* An absolute, lexically clean copy of path ("//", "/./", trailing "/"). */
static char *
clean_abs(const char *path, struct msb_error *err)
{
	char *cwd = NULL, *full, *out, *w;
	const char *r;

	if (path[0] != '/') {
		if ((cwd = getcwd(NULL, 0)) == NULL) {
			msb_error_sys(err, errno, "cannot resolve '%s'", path);
			return NULL;
		}
		full = sb_strjoin(cwd, "/", path);
		free(cwd);
	} else
		full = strdup(path);
	if (full == NULL || (out = malloc(strlen(full) + 2)) == NULL) {
		free(full);
		msb_error_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	w = out;
	for (r = full; *r != '\0';) {
		while (*r == '/')
			r++;
		if (*r == '\0')
			break;
		if (r[0] == '.' && (r[1] == '/' || r[1] == '\0')) {
			r++;
			continue;
		}
		*w++ = '/';
		while (*r != '\0' && *r != '/')
			*w++ = *r++;
	}
	if (w == out)
		*w++ = '/';
	*w = '\0';
	free(full);
	return out;
}

/* ~/.msb, ignoring MSB_HOME. */
char *
sb_default_home(struct msb_error *err)
{
	const char *home;
	struct passwd *pw;
	char *h, *r;

	home = getenv("HOME");
	if (home == NULL || *home != '/') {
		if ((pw = getpwuid(getuid())) == NULL || pw->pw_dir == NULL ||
		    pw->pw_dir[0] != '/') {
			msb_error_set(err, ENOENT, "cannot find the home "
			    "directory: set HOME or MSB_HOME");
			return NULL;
		}
		home = pw->pw_dir;
	}
	if ((h = clean_abs(home, err)) == NULL)
		return NULL;
	r = sb_strjoin(strcmp(h, "/") == 0 ? "" : h, "/", ".msb");
	free(h);
	if (r == NULL)
		msb_error_set(err, ENOMEM, "out of memory");
	return r;
}

char *
msb_home(struct msb_error *err)
{
	const char *env = getenv("MSB_HOME");

	if (env != NULL && *env != '\0')
		return clean_abs(env, err);
	return sb_default_home(err);
}

/*
 * Create dir 0700 if missing; refuse one that belongs to somebody else.
 * follow: $MSB_HOME itself may be a symbolic link to the user's own
 * directory (the checks apply to that directory); its subdirectories may
 * not be links.
 */
static int
ensure_private_dir(const char *path, int follow, struct msb_error *err)
{
	struct stat st;

	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return msb_error_sys(err, errno, "cannot create %s", path);
	if ((follow ? stat(path, &st) : lstat(path, &st)) != 0)
		return msb_error_sys(err, errno, "%s", path);
	if (!S_ISDIR(st.st_mode))
		return msb_error_set(err, ENOTDIR, "%s is not a directory",
		    path);
	if (st.st_uid != geteuid())
		return msb_error_set(err, EPERM, "%s belongs to uid %u, not "
		    "to you", path, (unsigned)st.st_uid);
	if ((st.st_mode & 077) != 0 && chmod(path, st.st_mode & 0700) != 0)
		return msb_error_sys(err, errno, "chmod %s", path);
	return 0;
}

int
msb_home_ensure(struct msb_error *err)
{
	static const char *const subdirs[] = { "sandboxes", "ssh", NULL };
	char *home, *sub;
	size_t i;
	int r = 0;

	if ((home = msb_home(err)) == NULL)
		return -1;
	if (ensure_private_dir(home, 1, err) != 0) {
		free(home);
		return -1;
	}
	for (i = 0; subdirs[i] != NULL && r == 0; i++) {
		if ((sub = sb_strjoin(home, "/", subdirs[i])) == NULL)
			r = msb_error_set(err, ENOMEM, "out of memory");
		else
			r = ensure_private_dir(sub, 0, err);
		free(sub);
	}
	free(home);
	return r;
}
