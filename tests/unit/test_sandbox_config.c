/*
 * Unit tests of the sandbox config file (libconfig round trip) and of
 * msb_sandbox_create's validation: every refusal writes nothing.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msb/sandbox.h"

static char tmp[64];

static void
setup(void)
{
	char path[128];

	strcpy(tmp, "/tmp/msb-unit-cfg.XXXXXX");
	cr_assert_not_null(mkdtemp(tmp));
	snprintf(path, sizeof(path), "%s/home", tmp);
	setenv("MSB_HOME", path, 1);
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	cr_assert_eq(system(cmd), 0);
}

static struct msb_sandbox_config
sample(void)
{
	static struct msb_volume vols[3];
	struct msb_sandbox_config c;

	memset(&c, 0, sizeof(c));
	vols[0] = (struct msb_volume){ "/srv/a", "/a", 0 };
	vols[1] = (struct msb_volume){ "/srv/with \"quote\" and \\ back",
	    "/b", 1 };
	vols[2] = (struct msb_volume){ "/srv/\xc3\xa4nd/tab\there", "/c/d", 0 };
	c.name = "dev.box-1_x";
	c.image = "/srv/rootfs";
	c.user = "app";
	c.net_host = 1;
	c.volumes = vols;
	c.nvolumes = 3;
	c.created = 1764786900123LL;
	c.sftp_readonly = 1;
	c.sftp_allow = "open,read,close";
	c.sftp_deny = "remove";
	c.sftp_log_level = "VERBOSE";
	c.layout = MSB_LAYOUT_SPLIT;
	return c;
}

Test(config, round_trip, .init = setup, .fini = teardown)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_sandbox_config in = sample(), out;
	char path[128];
	size_t i;

	snprintf(path, sizeof(path), "%s/config", tmp);
	cr_assert_eq(msb_sandbox_config_write(path, &in, &err), 0, "%s",
	    msb_error_msg(&err));
	cr_assert_eq(msb_sandbox_config_read(path, &out, &err), 0, "%s",
	    msb_error_msg(&err));
	cr_assert_str_eq(out.name, in.name);
	cr_assert_str_eq(out.image, in.image);
	cr_assert_str_eq(out.user, in.user);
	cr_assert_eq(out.net_host, 1);
	cr_assert_eq(out.created, in.created);
	cr_assert_eq(out.layout, MSB_LAYOUT_SPLIT);
	cr_assert_eq(out.nvolumes, in.nvolumes);
	for (i = 0; i < in.nvolumes; i++) {
		cr_assert_str_eq(out.volumes[i].host, in.volumes[i].host);
		cr_assert_str_eq(out.volumes[i].target, in.volumes[i].target);
		cr_assert_eq(out.volumes[i].readonly, in.volumes[i].readonly);
	}
	cr_assert_eq(out.sftp_readonly, 1);
	cr_assert_str_eq(out.sftp_allow, in.sftp_allow);
	cr_assert_str_eq(out.sftp_deny, in.sftp_deny);
	cr_assert_str_eq(out.sftp_log_level, in.sftp_log_level);
	msb_sandbox_config_free(&out);
	/* Written owner-only, no temp file left behind. */
	{
		struct stat st;
		char t[140];

		cr_assert_eq(stat(path, &st), 0);
		cr_assert_eq(st.st_mode & 0777, 0600);
		snprintf(t, sizeof(t), "%s.tmp", path);
		cr_assert_eq(access(t, F_OK), -1);
	}
}

Test(config, defaults_for_optional_fields, .init = setup, .fini = teardown)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_sandbox_config out;
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/config", tmp);
	cr_assert_not_null(f = fopen(path, "w"));
	fputs("version = 1;\nname = \"x\";\nimage = \"host\";\n", f);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(msb_sandbox_config_read(path, &out, &err), 0, "%s",
	    msb_error_msg(&err));
	cr_assert_str_eq(out.user, "root");
	cr_assert_eq(out.net_host, 0);
	cr_assert_eq(out.nvolumes, 0);
	cr_assert_null(out.sftp_allow);
	cr_assert_null(out.sftp_log_level);
	cr_assert_eq(out.layout, MSB_LAYOUT_SINGLE);
	msb_sandbox_config_free(&out);
}

static void
read_bad(const char *text, const char *needle)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_sandbox_config out;
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/config", tmp);
	cr_assert_not_null(f = fopen(path, "w"));
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(msb_sandbox_config_read(path, &out, &err), -1, "%s",
	    text);
	cr_assert_not_null(strstr(msb_error_msg(&err), needle), "%s: %s",
	    text, msb_error_msg(&err));
	cr_assert_null(out.name);
	msb_error_clear(&err);
}

Test(config, bad_files_are_refused, .init = setup, .fini = teardown)
{
	read_bad("version = 1; name = \"x\"", "config");      /* syntax */
	read_bad("name = \"x\"; image = \"host\";", "version");
	read_bad("version = 2; name = \"x\"; image = \"host\";", "version");
	read_bad("version = 1; image = \"host\";", "invalid");
	read_bad("version = 1; name = \"x\"; image = \"rel\";", "invalid");
	read_bad("version = 1; name = \"x\"; image = \"host\"; net = \"x\";",
	    "invalid");
	read_bad("version = 1; name = \"x\"; image = \"host\"; volumes = "
	    "( { host = \"/a\"; target = \"/proc\"; } );", "invalid");
	read_bad("version = 1; name = \"x\"; image = \"host\"; volumes = "
	    "( { host = \"/a\"; } );", "invalid");
}

/* ---- msb_sandbox_create ---- */

static int
count_entries(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	if (d == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
create_bad(struct msb_sandbox_config *c, int code, const char *needle)
{
	struct msb_error err = MSB_ERROR_INIT;
	char dir[128];

	snprintf(dir, sizeof(dir), "%s/home/sandboxes", tmp);
	int before = count_entries(dir);
	cr_assert_eq(msb_sandbox_create(c, &err), -1, "%s accepted",
	    c->name ? c->name : "(null)");
	cr_assert_eq(err.code, code, "%s: code %d: %s", needle, err.code,
	    msb_error_msg(&err));
	cr_assert_not_null(strstr(msb_error_msg(&err), needle), "'%s' lacks "
	    "'%s'", msb_error_msg(&err), needle);
	cr_assert_eq(count_entries(dir), before, "%s: state written", needle);
	msb_error_clear(&err);
}

Test(create, validates_and_writes_nothing_on_failure, .init = setup,
    .fini = teardown)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_sandbox_config c;
	struct msb_volume v;
	struct msb_sandbox *sb;
	char vol[128], img[128];

	memset(&c, 0, sizeof(c));
	c.name = "bad name";
	create_bad(&c, EINVAL, "invalid sandbox name");
	c.name = "";
	create_bad(&c, EINVAL, "invalid sandbox name");
	c.name = "ok";
	c.image = "/nonexistent-image";
	create_bad(&c, ENOENT, "/nonexistent-image");
	snprintf(img, sizeof(img), "%s/img", tmp);
	cr_assert_eq(mkdir(img, 0755), 0);
	c.image = img;
	create_bad(&c, EINVAL, "does not look like a root filesystem");
	c.image = NULL;
	c.user = "-x";
	create_bad(&c, EINVAL, "invalid user name");
	c.user = NULL;
	v = (struct msb_volume){ "/nonexistent-vol", "/v", 0 };
	c.volumes = &v;
	c.nvolumes = 1;
	create_bad(&c, ENOENT, "/nonexistent-vol");
	snprintf(vol, sizeof(vol), "%s/vol", tmp);
	cr_assert_eq(mkdir(vol, 0755), 0);
	v.host = vol;
	v.target = "/dev/pts";
	create_bad(&c, EINVAL, "/dev");
	v.target = "/v";
	c.sftp_log_level = "LOUD";
	create_bad(&c, EINVAL, "log level");
	c.sftp_log_level = NULL;
	c.sftp_allow = "open;rm -rf";
	create_bad(&c, EINVAL, "--sftp-allow");
	c.sftp_allow = NULL;

	/* Now a valid one, then the same name again. */
	cr_assert_eq(msb_sandbox_create(&c, &err), 0, "%s",
	    msb_error_msg(&err));
	create_bad(&c, EEXIST, "already exists");
	cr_assert_not_null(sb = msb_sandbox_load("ok", &err), "%s",
	    msb_error_msg(&err));
	cr_assert_str_eq(sb->cfg.image, "host");
	cr_assert_str_eq(sb->cfg.user, "root");
	cr_assert_eq(sb->cfg.nvolumes, 1);
	cr_assert_str_eq(sb->cfg.volumes[0].host, vol);
	cr_assert_gt(sb->cfg.created, 0);
	msb_sandbox_free(sb);
	cr_assert_null(msb_sandbox_load("missing", &err));
	cr_assert_eq(err.code, ENOENT);
	cr_assert_str_eq(msb_error_msg(&err), "sandbox 'missing' does not "
	    "exist");
	msb_error_clear(&err);
}

Test(create, list_is_sorted_and_skips_internal_dirs, .init = setup,
    .fini = teardown)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_sandbox_config c;
	const char *names[] = { "zeta", "alpha", "Mid" };
	char **v, path[160];
	size_t n, i;

	memset(&c, 0, sizeof(c));
	cr_assert_eq(msb_sandbox_list(&v, &n, &err), 0);
	cr_assert_eq(n, 0);
	msb_strv_free(v);
	for (i = 0; i < 3; i++) {
		c.name = (char *)names[i];
		cr_assert_eq(msb_sandbox_create(&c, &err), 0, "%s",
		    msb_error_msg(&err));
	}
	snprintf(path, sizeof(path), "%s/home/sandboxes/.trash-old-1", tmp);
	cr_assert_eq(mkdir(path, 0700), 0);
	cr_assert_eq(msb_sandbox_list(&v, &n, &err), 0);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(v[0], "Mid");
	cr_assert_str_eq(v[1], "alpha");
	cr_assert_str_eq(v[2], "zeta");
	cr_assert_null(v[3]);
	msb_strv_free(v);
	cr_assert_eq(msb_sandbox_remove("alpha", 0, &err), 0, "%s",
	    msb_error_msg(&err));
	cr_assert_eq(msb_sandbox_list(&v, &n, &err), 0);
	cr_assert_eq(n, 2);
	msb_strv_free(v);
	cr_assert_eq(msb_sandbox_remove("alpha", 0, &err), -1);
	cr_assert_eq(err.code, ENOENT);
	msb_error_clear(&err);
}
