/*
 * Unit tests of how msb-agent builds an EXEC child's environment, argv and
 * execve candidates (msb-agent/plan.c).
 */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "msb/passwd.h"
#include "msb/proto.h"
#include "agent-msg.h"
#include "plan.h"

static size_t
count(char **v)
{
	size_t n = 0;

	while (v[n] != NULL)
		n++;
	return n;
}

Test(agent_plan, base_environment_user)
{
	struct msb_pw pw = { "app", 1000, 1000, "", "/home/app", "/bin/bash" };
	char *req[] = { "LANG=C.UTF-8", NULL };
	char **env = plan_env(&pw, NULL, req, 1);

	cr_assert_str_eq(plan_getenv(env, "USER"), "app");
	cr_assert_str_eq(plan_getenv(env, "LOGNAME"), "app");
	cr_assert_str_eq(plan_getenv(env, "HOME"), "/home/app");
	cr_assert_str_eq(plan_getenv(env, "SHELL"), "/bin/bash");
	cr_assert_str_eq(plan_getenv(env, "PATH"), PLAN_PATH_USER);
	cr_assert_str_eq(plan_getenv(env, "LANG"), "C.UTF-8");
	cr_assert_null(plan_getenv(env, "TERM"));
	cr_assert_null(plan_getenv(env, "LAN"));
	cr_assert_eq(count(env), 6);
	plan_strv_free(env);
}

Test(agent_plan, root_path_term_and_overrides)
{
	struct msb_pw pw = { "root", 0, 0, "", "/root", "" };
	char *req[] = { "PATH=/opt/bin", "X=1", "X=2", "HOME=/elsewhere",
	    "TERM=vt100", NULL };
	char **env = plan_env(&pw, "xterm", req, 5);

	/* Empty shell field means /bin/sh; later entries win. */
	cr_assert_str_eq(plan_getenv(env, "SHELL"), "/bin/sh");
	cr_assert_str_eq(plan_getenv(env, "PATH"), "/opt/bin");
	cr_assert_str_eq(plan_getenv(env, "X"), "2");
	cr_assert_str_eq(plan_getenv(env, "HOME"), "/elsewhere");
	cr_assert_str_eq(plan_getenv(env, "TERM"), "vt100");
	cr_assert_eq(count(env), 7);
	plan_strv_free(env);
	env = plan_env(&pw, "xterm", NULL, 0);
	cr_assert_str_eq(plan_getenv(env, "PATH"), PLAN_PATH_ROOT);
	cr_assert_str_eq(plan_getenv(env, "TERM"), "xterm");
	plan_strv_free(env);
	env = plan_env(&pw, "", NULL, 0);
	cr_assert_null(plan_getenv(env, "TERM"));
	plan_strv_free(env);
}

Test(agent_plan, exec_candidates)
{
	char **v;

	v = plan_paths("ls", "/usr/local/bin:/bin");
	cr_assert_eq(count(v), 2);
	cr_assert_str_eq(v[0], "/usr/local/bin/ls");
	cr_assert_str_eq(v[1], "/bin/ls");
	plan_strv_free(v);
	/* A slash: no lookup. */
	v = plan_paths("./run.sh", "/bin");
	cr_assert_eq(count(v), 1);
	cr_assert_str_eq(v[0], "./run.sh");
	plan_strv_free(v);
	/* Empty elements are the current directory. */
	v = plan_paths("x", ":/bin:");
	cr_assert_eq(count(v), 3);
	cr_assert_str_eq(v[0], "x");
	cr_assert_str_eq(v[1], "/bin/x");
	cr_assert_str_eq(v[2], "x");
	plan_strv_free(v);
	/* No PATH at all: a default; an empty name: nothing to run. */
	v = plan_paths("sh", NULL);
	cr_assert_eq(count(v), 2);
	cr_assert_str_eq(v[0], "/bin/sh");
	plan_strv_free(v);
	v = plan_paths("", "/bin");
	cr_assert_eq(count(v), 0);
	plan_strv_free(v);
}

Test(agent_plan, login_shell)
{
	struct msb_pwdb db;
	struct msb_exec_msg m;
	struct exec_plan p;
	char *s;

	s = plan_login_argv0("/bin/bash");
	cr_assert_str_eq(s, "-bash");
	free(s);
	s = plan_login_argv0("zsh");
	cr_assert_str_eq(s, "-zsh");
	free(s);

	cr_assert_eq(msb_pwdb_parse(&db, "app:x:1000:1000::/home/app:\n",
	    "tty:x:5:\n", NULL), 0);
	memset(&m, 0, sizeof(m));
	m.flags = MSB_EXEC_LOGIN_SHELL;
	plan_build(&p, &db, &db.pw[0], &m);
	cr_assert_str_eq(p.argv[0], "-sh");
	cr_assert_null(p.argv[1]);
	cr_assert_str_eq(p.paths[0], "/bin/sh");
	cr_assert_null(p.paths[1]);
	cr_assert_null(p.cwd);
	cr_assert_eq(p.tty_gid, 5);
	cr_assert_eq(p.use_pty, 0);
	plan_free(&p);
	msb_pwdb_free(&db);
}

Test(agent_plan, shell_command)
{
	static char *argv[] = { "echo {1..3}; exit 3", NULL };
	struct msb_pwdb db;
	struct msb_exec_msg m;
	struct exec_plan p;

	cr_assert_eq(msb_pwdb_parse(&db, "app:x:1000:1000::/home/app:/bin/bash\n"
	    "nol:x:1001:1001::/:/usr/sbin/nologin\nempty:x:1002:1002::/:\n",
	    NULL, NULL), 0);
	memset(&m, 0, sizeof(m));
	m.flags = MSB_EXEC_SHELL_CMD;
	m.argv = argv;
	m.argc = 1;
	/* As sshd: the account's shell, argv0 its base name, -c COMMAND. */
	plan_build(&p, &db, &db.pw[0], &m);
	cr_assert_str_eq(p.argv[0], "bash");
	cr_assert_str_eq(p.argv[1], "-c");
	cr_assert_str_eq(p.argv[2], argv[0]);
	cr_assert_null(p.argv[3]);
	cr_assert_str_eq(p.paths[0], "/bin/bash");
	cr_assert_null(p.paths[1]);
	plan_free(&p);
	plan_build(&p, &db, &db.pw[1], &m);
	cr_assert_str_eq(p.argv[0], "nologin");
	cr_assert_str_eq(p.paths[0], "/usr/sbin/nologin");
	plan_free(&p);
	plan_build(&p, &db, &db.pw[2], &m);
	cr_assert_str_eq(p.argv[0], "sh");
	cr_assert_str_eq(p.paths[0], "/bin/sh");
	plan_free(&p);
	msb_pwdb_free(&db);
}

Test(agent_plan, argv_and_pty)
{
	static char *argv[] = { "printf", "%s\\n", "a b", NULL };
	struct msb_pwdb db;
	struct msb_exec_msg m;
	struct exec_plan p;

	cr_assert_eq(msb_pwdb_parse(&db, "root:x:0:0::/root:/bin/sh\n", NULL,
	    NULL), 0);
	memset(&m, 0, sizeof(m));
	m.flags = MSB_EXEC_PTY;
	m.argv = argv;
	m.argc = 3;
	m.cwd = "/tmp";
	m.pty.term = "screen";
	m.pty.rows = 40;
	m.pty.cols = 132;
	plan_build(&p, &db, &db.pw[0], &m);
	cr_assert_str_eq(p.argv[2], "a b");
	cr_assert_str_eq(p.paths[0], "/usr/local/sbin/printf");
	cr_assert_str_eq(p.sh_argv[0], "/bin/sh");
	cr_assert_str_eq(p.sh_argv[2], "%s\\n");
	cr_assert_str_eq(p.sh_argv[3], "a b");
	cr_assert_null(p.sh_argv[4]);
	cr_assert_str_eq(p.cwd, "/tmp");
	cr_assert_eq(p.ws.ws_row, 40);
	cr_assert_eq(p.ws.ws_col, 132);
	cr_assert_eq(p.set_termios, 0, "all-zero termios keeps the defaults");
	cr_assert_eq(p.tty_gid, -1);
	cr_assert_str_eq(plan_getenv(p.envp, "TERM"), "screen");
	plan_free(&p);
	m.pty.lflag = 1;
	plan_build(&p, &db, &db.pw[0], &m);
	cr_assert_eq(p.set_termios, 1);
	plan_free(&p);
	msb_pwdb_free(&db);
}
