/* Unit tests of volume specs (msb create -v). */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msb/sandbox.h"

static void
parse_ok(const char *spec, const char *host, const char *target, int ro)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_volume v;

	cr_assert_eq(msb_volume_parse(spec, &v, &err), 0, "%s: %s", spec,
	    msb_error_msg(&err));
	cr_assert_str_eq(v.host, host, "%s", spec);
	cr_assert_str_eq(v.target, target, "%s", spec);
	cr_assert_eq(v.readonly, ro, "%s", spec);
	msb_volume_free(&v);
}

static void
parse_bad(const char *spec, const char *needle)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_volume v;

	cr_assert_eq(msb_volume_parse(spec, &v, &err), -1, "%s accepted",
	    spec ? spec : "(null)");
	cr_assert_eq(err.code, EINVAL, "%s", spec ? spec : "(null)");
	cr_assert_not_null(strstr(msb_error_msg(&err), needle),
	    "%s: message '%s' lacks '%s'", spec ? spec : "(null)",
	    msb_error_msg(&err), needle);
	cr_assert_null(v.host);
	cr_assert_null(v.target);
	msb_error_clear(&err);
}

Test(volume, modes)
{
	parse_ok("/srv/data:/data", "/srv/data", "/data", 0);
	parse_ok("/srv/data:/data:ro", "/srv/data", "/data", 1);
	parse_ok("/srv/data:/data:rw", "/srv/data", "/data", 0);
	parse_ok("/srv:/srv", "/srv", "/srv", 0);
}

Test(volume, target_is_normalised)
{
	parse_ok("/a:/x//y/./z/", "/a", "/x/y/z", 0);
	parse_ok("/a:/./x", "/a", "/x", 0);
}

Test(volume, relative_host_is_made_absolute)
{
	char *cwd = getcwd(NULL, 0), *want;

	cr_assert_not_null(cwd);
	cr_assert_gt(asprintf(&want, "%s/src", cwd), 0);
	parse_ok("src:/src", want, "/src", 0);
	free(want);
	free(cwd);
}

Test(volume, malformed)
{
	parse_bad(NULL, "no volume");
	parse_bad("/a", "HOST_DIR:SANDBOX_DIR");
	parse_bad("/a:/b:ro:x", "HOST_DIR:SANDBOX_DIR");
	parse_bad(":/b", "empty host");
	parse_bad("/a:", "empty sandbox");
	parse_bad("/a:/b:rx", "unknown mode");
	parse_bad("/a:/b:", "unknown mode");
	parse_bad("/a:rel/dir", "absolute");
	parse_bad("/a:/x/../proc", "'..'");
}

Test(volume, reserved_targets)
{
	parse_bad("/a:/", "whole sandbox");
	parse_bad("/a://", "whole sandbox");
	parse_bad("/a:/proc", "/proc");
	parse_bad("/a:/proc/sys", "/proc");
	parse_bad("/a:/dev", "/dev");
	parse_bad("/a:/dev/pts", "/dev");
	parse_bad("/a:/dev/shm/x", "/dev");
	parse_bad("/a:/sys", "/sys");
	parse_bad("/a:/sys/fs/cgroup", "/sys");
	parse_bad("/a:" MSB_SANDBOX_RUN_DIR, MSB_SANDBOX_RUN_DIR);
	parse_bad("/a:" MSB_SANDBOX_RUN_DIR "/x", MSB_SANDBOX_RUN_DIR);
	parse_bad("/a:/run", MSB_SANDBOX_RUN_DIR);
	/* Near misses are fine. */
	parse_ok("/a:/proc2", "/a", "/proc2", 0);
	parse_ok("/a:/devices", "/a", "/devices", 0);
	parse_ok("/a:/run/user", "/a", "/run/user", 0);
	parse_ok("/a:/srv/dev", "/a", "/srv/dev", 0);
}
