/*
 * The SFTP request names of libmsb (what `msb create --sftp-allow/-deny`
 * accepts) against msb-sftp-server's own request table, the create-time
 * checks of request lists and log levels, and msb_image_has_user (`msb
 * create --user`).
 */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msb/sandbox.h"
#include "msb/sftp-names.h"
#include "msb-sftp-server/server.h"

Test(sftp_names, same_table_as_the_server)
{
	const struct sftp_op *ops;
	size_t n, i;

	ops = sftp_ops_all(&n);
	for (i = 0; i < n; i++) {
		cr_assert_not_null(msb_sftp_request_names[i], "libmsb lacks "
		    "'%s'", ops[i].name);
		cr_assert_str_eq(msb_sftp_request_names[i], ops[i].name);
		cr_assert(msb_sftp_request_known(ops[i].name));
	}
	cr_assert_null(msb_sftp_request_names[n], "libmsb has '%s', the "
	    "server does not", msb_sftp_request_names[n]);
	for (i = 0; msb_sftp_request_names[i] != NULL; i++)
		cr_assert_not_null(sftp_op_by_name(msb_sftp_request_names[i]));
}

static void
bad_list(const char *list, const char *needle)
{
	struct msb_error err = MSB_ERROR_INIT;

	cr_assert_eq(msb_sftp_request_list_check("--sftp-allow", list, &err),
	    -1, "'%s' accepted", list);
	cr_assert_eq(err.code, EINVAL);
	cr_assert_not_null(strstr(msb_error_msg(&err), needle), "'%s' lacks "
	    "'%s'", msb_error_msg(&err), needle);
	cr_assert_not_null(strstr(msb_error_msg(&err), "--sftp-allow"));
	msb_error_clear(&err);
}

Test(sftp_names, list_check)
{
	struct msb_error err = MSB_ERROR_INIT;

	cr_assert_eq(msb_sftp_request_list_check("x", NULL, &err), 0);
	cr_assert_eq(msb_sftp_request_list_check("x", "open", &err), 0);
	cr_assert_eq(msb_sftp_request_list_check("x",
	    "open,read,close,posix-rename,users-groups-by-id", &err), 0);
	bad_list("bogus", "unknown SFTP request 'bogus' (known: open, close");
	bad_list("open,bogus", "'bogus'");
	bad_list("OPEN", "'OPEN'");
	bad_list("open;rm -rf", "'open;rm -rf'");
	bad_list("posix-rename@openssh.com", "'posix-rename@openssh.com'");
	bad_list("", "empty list");
	bad_list("open,", "empty item");
	bad_list(",open", "empty item");
	bad_list("open,,read", "empty item");
	bad_list("op\x1b[31m", "'op?[31m'");
	/* A long item is cut in the message. */
	bad_list("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'");
}

Test(sftp_names, log_level_check)
{
	struct msb_error err = MSB_ERROR_INIT;

	cr_assert_eq(msb_sftp_log_level_check(NULL, &err), 0);
	cr_assert_eq(msb_sftp_log_level_check("VERBOSE", &err), 0);
	cr_assert_eq(msb_sftp_log_level_check("debug3", &err), 0);
	cr_assert_eq(msb_sftp_log_level_check("LOUD", &err), -1);
	cr_assert_eq(err.code, EINVAL);
	cr_assert_str_eq(msb_error_msg(&err), "--sftp-log-level: unknown log "
	    "level 'LOUD' (known: QUIET, FATAL, ERROR, INFO, VERBOSE, DEBUG, "
	    "DEBUG1, DEBUG2, DEBUG3)");
	msb_error_clear(&err);
}

static char tmp[64];

static void
mk(const char *rel, const char *text)
{
	char path[192];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	cr_assert_not_null(f = fopen(path, "w"));
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

static void
setup(void)
{
	char path[128];

	strcpy(tmp, "/tmp/msb-unit-names.XXXXXX");
	cr_assert_not_null(mkdtemp(tmp));
	snprintf(path, sizeof(path), "%s/img", tmp);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/img/etc", tmp);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/vol", tmp);
	cr_assert_eq(mkdir(path, 0755), 0);
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	cr_assert_eq(system(cmd), 0);
}

Test(image_user, image_passwd, .init = setup, .fini = teardown)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_sandbox_config c;
	struct msb_volume v;
	char img[96], vol[96], link[128];

	memset(&c, 0, sizeof(c));
	snprintf(img, sizeof(img), "%s/img", tmp);
	c.image = img;
	mk("img/etc/passwd", "# comment\nroot:x:0:0:root:/root:/bin/sh\n"
	    "app:x:1000:1000::/home/app:/bin/sh\n");
	cr_assert_eq(msb_image_has_user(&c, "app", &err), 1, "%s",
	    msb_error_msg(&err));
	cr_assert_eq(msb_image_has_user(&c, "bob", &err), 0);
	cr_assert_eq(msb_image_has_user(&c, "comment", &err), 0);

	/* A volume on /etc supplies the file instead. */
	snprintf(vol, sizeof(vol), "%s/vol", tmp);
	mk("vol/passwd", "bob:x:1001:1001::/home/bob:/bin/sh\n");
	v = (struct msb_volume){ vol, "/etc", 0 };
	c.volumes = &v;
	c.nvolumes = 1;
	cr_assert_eq(msb_image_has_user(&c, "bob", &err), 1);
	cr_assert_eq(msb_image_has_user(&c, "app", &err), 0);
	c.volumes = NULL;
	c.nvolumes = 0;

	/* An absolute symlink resolves inside the image, never on the
	 * host (where /etc/passwd has root and /msb-unit-x does not exist). */
	snprintf(link, sizeof(link), "%s/img/etc/passwd", tmp);
	cr_assert_eq(unlink(link), 0);
	cr_assert_eq(symlink("/msb-unit-x", link), 0);
	mk("img/msb-unit-x", "carl:x:1002:1002::/home/carl:/bin/sh\n");
	cr_assert_eq(msb_image_has_user(&c, "carl", &err), 1, "%s",
	    msb_error_msg(&err));
	cr_assert_eq(unlink(link), 0);
	cr_assert_eq(symlink("/etc/../etc/../../etc/passwd", link), 0);
	cr_assert_eq(msb_image_has_user(&c, "root", &err), -1);
	cr_assert_eq(err.code, ELOOP, "%s", msb_error_msg(&err));
	msb_error_clear(&err);
	cr_assert_eq(unlink(link), 0);
	cr_assert_eq(symlink("/nope", link), 0);
	cr_assert_eq(msb_image_has_user(&c, "root", &err), -1);
	cr_assert_eq(err.code, ENOENT);
	msb_error_clear(&err);

	/* A directory where the file should be is an error, not "absent". */
	cr_assert_eq(unlink(link), 0);
	cr_assert_eq(mkdir(link, 0755), 0);
	cr_assert_eq(msb_image_has_user(&c, "root", &err), -1);
	cr_assert_eq(err.code, EINVAL);
	msb_error_clear(&err);

	/* The host image: the host's own passwd has root. */
	c.image = NULL;
	cr_assert_eq(msb_image_has_user(&c, "root", &err), 1);
	c.image = "host";
	cr_assert_eq(msb_image_has_user(&c, "no-such-user-xyz", &err), 0);
}
