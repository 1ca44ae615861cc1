/* Unit tests of the passwd/group parser (lib/passwd.c). */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msb/error.h"
#include "msb/passwd.h"

static const char *passwd_ok =
    "root:x:0:0:root:/root:/bin/bash\n"
    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    "app:x:1000:1000:App User,,,:/home/app:/bin/sh\n"
    "noshell:x:1001:1001::/home/noshell:\n";

static const char *group_ok =
    "root:x:0:\n"
    "tty:x:5:\n"
    "wheel:x:10:app,daemon\n"
    "app:x:1000:\n"
    "dev:x:2000:other,app\n"
    "dup:x:10:app\n";

Test(passwd, parses_entries)
{
	struct msb_pwdb db;
	const struct msb_pw *pw;

	cr_assert_eq(msb_pwdb_parse(&db, passwd_ok, group_ok, NULL), 0);
	cr_assert_eq(db.npw, 4);
	cr_assert_eq(db.ngr, 6);
	pw = msb_pwdb_by_name(&db, "app");
	cr_assert_not_null(pw);
	cr_assert_eq(pw->uid, 1000);
	cr_assert_eq(pw->gid, 1000);
	cr_assert_str_eq(pw->gecos, "App User,,,");
	cr_assert_str_eq(pw->home, "/home/app");
	cr_assert_str_eq(pw->shell, "/bin/sh");
	pw = msb_pwdb_by_name(&db, "noshell");
	cr_assert_not_null(pw);
	cr_assert_str_eq(pw->shell, "");
	cr_assert_str_eq(msb_pwdb_by_uid(&db, 0)->name, "root");
	cr_assert_null(msb_pwdb_by_name(&db, "nobody"));
	cr_assert_null(msb_pwdb_by_name(&db, "ap"));
	cr_assert_null(msb_pwdb_by_uid(&db, 4242));
	cr_assert_str_eq(msb_pwdb_gr_by_gid(&db, 5)->name, "tty");
	cr_assert_eq(msb_pwdb_gr_by_name(&db, "dev")->gid, 2000);
	cr_assert_str_eq(msb_pwdb_gr_by_name(&db, "dev")->members[1], "app");
	cr_assert_null(msb_pwdb_gr_by_name(&db, "dev")->members[2]);
	msb_pwdb_free(&db);
}

Test(passwd, groups_primary_first_deduplicated)
{
	struct msb_pwdb db;
	gid_t *g;
	size_t n;

	cr_assert_eq(msb_pwdb_parse(&db, passwd_ok, group_ok, NULL), 0);
	cr_assert_eq(msb_pwdb_groups(&db, msb_pwdb_by_name(&db, "app"), &g,
	    &n, NULL), 0);
	/* 1000 primary; wheel(10) and dev(2000); "dup" has gid 10 again. */
	cr_assert_eq(n, 3);
	cr_assert_eq(g[0], 1000);
	cr_assert_eq(g[1], 10);
	cr_assert_eq(g[2], 2000);
	free(g);
	cr_assert_eq(msb_pwdb_groups(&db, msb_pwdb_by_name(&db, "root"), &g,
	    &n, NULL), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(g[0], 0);
	free(g);
	msb_pwdb_free(&db);
}

Test(passwd, skips_malformed_and_hostile_lines)
{
	static const char *pw =
	    "# comment:x:0:0::/:/bin/sh\n"
	    "\n"
	    "+nisuser::::::\n"
	    "-excluded:x:5:5::/:/bin/sh\n"
	    "+\n"
	    "short:x:1:1:/home\n"
	    "toolong:x:1:1:g:/h:/s:extra\n"
	    ":x:2:2::/:/bin/sh\n"
	    "badid:x:12a:1::/:/bin/sh\n"
	    "negative:x:-1:1::/:/bin/sh\n"
	    "huge:x:4294967296:1::/:/bin/sh\n"
	    "minus1:x:4294967295:1::/:/bin/sh\n"
	    "emptyid:x::1::/:/bin/sh\n"
	    "badgid:x:3:zz::/:/bin/sh\n"
	    "crlf:x:7:7::/home/crlf:/bin/sh\r\n"
	    "good:x:4294967294:9::/g:/bin/sh\n"
	    "lastline:x:8:8::/l:/bin/sh";           /* no newline */
	static const char *gr =
	    "#g:x:1:\n"
	    "short:x:1\n"
	    "badgid:x:abc:u\n"
	    "commas:x:50:,,a,,b,\n"
	    "+::::\n";
	struct msb_pwdb db;
	const struct msb_gr *g;

	cr_assert_eq(msb_pwdb_parse(&db, pw, gr, NULL), 0);
	cr_assert_eq(db.npw, 3, "got %zu entries", db.npw);
	cr_assert_str_eq(msb_pwdb_by_name(&db, "crlf")->shell, "/bin/sh");
	cr_assert_eq(msb_pwdb_by_name(&db, "good")->uid, 4294967294u);
	cr_assert_not_null(msb_pwdb_by_name(&db, "lastline"));
	cr_assert_null(msb_pwdb_by_name(&db, "minus1"));
	cr_assert_null(msb_pwdb_by_name(&db, "+nisuser"));
	cr_assert_eq(db.ngr, 1);
	g = msb_pwdb_gr_by_gid(&db, 50);
	cr_assert_not_null(g);
	cr_assert_str_eq(g->members[0], "a");
	cr_assert_str_eq(g->members[1], "b");
	cr_assert_null(g->members[2]);
	msb_pwdb_free(&db);
}

Test(passwd, first_entry_wins)
{
	struct msb_pwdb db;

	cr_assert_eq(msb_pwdb_parse(&db, "a:x:1:1::/one:/bin/sh\n"
	    "a:x:2:2::/two:/bin/sh\n", NULL, NULL), 0);
	cr_assert_eq(msb_pwdb_by_name(&db, "a")->uid, 1);
	cr_assert_eq(db.ngr, 0);
	msb_pwdb_free(&db);
}

Test(passwd, very_long_lines)
{
	size_t n = 200000;
	char *pw = malloc(n + 64), *gr = malloc(n * 2 + 64);
	struct msb_pwdb db;
	size_t i, off;

	/* A 200 kB gecos field and a group with 100000 members. */
	off = (size_t)sprintf(pw, "long:x:5:5:");
	memset(pw + off, 'g', n);
	strcpy(pw + off + n, ":/home/long:/bin/sh\n");
	off = (size_t)sprintf(gr, "big:x:77:");
	for (i = 0; i < n / 2; i++) {
		gr[off++] = i == n / 2 - 1 ? 'l' : 'm';
		gr[off++] = ',';
	}
	strcpy(gr + off, "long\n");
	cr_assert_eq(msb_pwdb_parse(&db, pw, gr, NULL), 0);
	cr_assert_eq(strlen(msb_pwdb_by_name(&db, "long")->gecos), n);
	{
		gid_t *g;
		size_t ng;

		cr_assert_eq(msb_pwdb_groups(&db, msb_pwdb_by_name(&db,
		    "long"), &g, &ng, NULL), 0);
		cr_assert_eq(ng, 2);
		cr_assert_eq(g[1], 77);
		free(g);
	}
	msb_pwdb_free(&db);
	free(pw);
	free(gr);
}

Test(passwd, load_files_and_nul_bytes)
{
	char dir[] = "/tmp/msb-pwtest.XXXXXX", p[64], g[64];
	static const char data[] = "a:x:1:1::/a:/bin/sh\n"
	    "b\0d:x:2:2::/b:/bin/sh\n"
	    "c:x:3:3::/c:/bin/sh\n";
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_pwdb db;
	int fd;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/passwd", dir);
	snprintf(g, sizeof(g), "%s/group", dir);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, data, sizeof(data) - 1),
	    (ssize_t)sizeof(data) - 1);
	close(fd);
	/* Missing group file: empty group table. */
	cr_assert_eq(msb_pwdb_load(&db, p, g, &err), 0);
	cr_assert_eq(db.npw, 2);
	cr_assert_not_null(msb_pwdb_by_name(&db, "a"));
	cr_assert_not_null(msb_pwdb_by_name(&db, "c"));
	cr_assert_eq(db.ngr, 0);
	msb_pwdb_free(&db);
	/* Missing passwd file: an error naming it. */
	unlink(p);
	cr_assert_eq(msb_pwdb_load(&db, p, g, &err), -1);
	cr_assert_eq(err.code, ENOENT);
	cr_assert_not_null(strstr(msb_error_msg(&err), "passwd"));
	msb_error_clear(&err);
	/* A directory is not an account file. */
	cr_assert_eq(msb_pwdb_load(&db, dir, NULL, &err), -1);
	msb_error_clear(&err);
	rmdir(dir);
}

/* Run in a child: the switch is irreversible. */
Test(passwd, become_user)
{
	static const char *pw =
	    "root:x:0:0::/root:/bin/sh\n"
	    "alice:x:54321:54321::/home/alice:/bin/sh\n";
	static const char *gr = "alice:x:54321:\nextra:x:54322:bob,alice\n";
	struct msb_pwdb db;
	char self[128];
	pid_t pid;
	int status;

	if (geteuid() != 0) {
		/* Unprivileged: only "switching" to ourselves works. */
		struct msb_error err = MSB_ERROR_INIT;

		snprintf(self, sizeof(self), "me:x:%u:%u::/:/bin/sh\n",
		    (unsigned)getuid(), (unsigned)getgid());
		cr_assert_eq(msb_pwdb_parse(&db, self, NULL, NULL), 0);
		cr_assert_eq(msb_become_user(&db, &db.pw[0], &err), 0);
		msb_pwdb_free(&db);
		cr_assert_eq(msb_pwdb_parse(&db, pw, gr, NULL), 0);
		cr_assert_eq(msb_become_user(&db, &db.pw[1], &err), -1);
		cr_assert_eq(err.code, EPERM);
		msb_error_clear(&err);
		msb_pwdb_free(&db);
		return;
	}
	cr_assert_eq(msb_pwdb_parse(&db, pw, gr, NULL), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct msb_error err = MSB_ERROR_INIT;
		gid_t groups[8];
		int n;

		if (msb_become_user(&db, msb_pwdb_by_name(&db, "alice"),
		    &err) != 0)
			_exit(10);
		if (getuid() != 54321 || geteuid() != 54321 ||
		    getgid() != 54321 || getegid() != 54321)
			_exit(11);
		n = getgroups(8, groups);
		if (n != 2 || groups[0] != 54321 || groups[1] != 54322)
			_exit(12);
		if (setuid(0) == 0)
			_exit(13);
		_exit(0);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status));
	cr_assert_eq(WEXITSTATUS(status), 0, "child failed at step %d",
	    WEXITSTATUS(status));
	msb_pwdb_free(&db);
}
