/* Unit tests of $MSB_HOME resolution and creation. */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msb/sandbox.h"

static char *
home_now(void)
{
	struct msb_error err = MSB_ERROR_INIT;
	char *h = msb_home(&err);

	cr_assert_not_null(h, "%s", msb_error_msg(&err));
	return h;
}

Test(home, msb_home_env_wins)
{
	char *h;

	setenv("HOME", "/home/someone", 1);
	setenv("MSB_HOME", "/srv/msb-state", 1);
	h = home_now();
	cr_assert_str_eq(h, "/srv/msb-state");
	free(h);
	setenv("MSB_HOME", "/srv//msb-state/./x/", 1);
	h = home_now();
	cr_assert_str_eq(h, "/srv/msb-state/x");
	free(h);
}

Test(home, default_is_dot_msb_in_home)
{
	char *h;

	unsetenv("MSB_HOME");
	setenv("HOME", "/home/someone/", 1);
	h = home_now();
	cr_assert_str_eq(h, "/home/someone/.msb");
	free(h);
	setenv("MSB_HOME", "", 1);
	h = home_now();
	cr_assert_str_eq(h, "/home/someone/.msb");
	free(h);
	setenv("HOME", "/", 1);
	h = home_now();
	cr_assert_str_eq(h, "/.msb");
	free(h);
}

Test(home, relative_msb_home_is_made_absolute)
{
	char *cwd = getcwd(NULL, 0), *want, *h;

	cr_assert_not_null(cwd);
	setenv("MSB_HOME", "rel/state", 1);
	cr_assert_gt(asprintf(&want, "%s/rel/state", cwd), 0);
	h = home_now();
	cr_assert_str_eq(h, want);
	free(h);
	free(want);
	free(cwd);
}

Test(home, ensure_creates_private_dirs)
{
	char tmpl[] = "/tmp/msb-unit-home.XXXXXX", *home, path[512];
	struct msb_error err = MSB_ERROR_INIT;
	struct stat st;

	cr_assert_not_null(mkdtemp(tmpl));
	snprintf(path, sizeof(path), "%s/state", tmpl);
	home = strdup(path);
	setenv("MSB_HOME", home, 1);
	cr_assert_eq(msb_home_ensure(&err), 0, "%s", msb_error_msg(&err));
	cr_assert_eq(stat(home, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700);
	snprintf(path, sizeof(path), "%s/sandboxes", home);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700);
	snprintf(path, sizeof(path), "%s/ssh", home);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700);
	/* A group/world-readable home is tightened. */
	cr_assert_eq(chmod(home, 0755), 0);
	cr_assert_eq(msb_home_ensure(&err), 0, "%s", msb_error_msg(&err));
	cr_assert_eq(stat(home, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700);
	/* A file where the home should be is an error, not a crash. */
	snprintf(path, sizeof(path), "%s/file", tmpl);
	cr_assert_eq(close(creat(path, 0600)), 0);
	setenv("MSB_HOME", path, 1);
	cr_assert_eq(msb_home_ensure(&err), -1);
	cr_assert_eq(err.code, ENOTDIR);
	msb_error_clear(&err);
	snprintf(path, sizeof(path), "rm -rf '%s'", tmpl);
	cr_assert_eq(system(path), 0);
	free(home);
}
