/*
 * What an EXEC child does, computed in the parent before fork() so that
 * the child only makes system calls: argv, environment, execve candidates,
 * terminal state. The builders are pure functions (unit-tested).
 */
#ifndef MSB_AGENT_PLAN_H
#define MSB_AGENT_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <termios.h>
#include <sys/ioctl.h>

#include "msb/passwd.h"

struct msb_exec_msg;

#define PLAN_PATH_ROOT "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define PLAN_PATH_USER "/usr/local/bin:/usr/bin:/bin:/usr/games"
#define PLAN_DEFAULT_SHELL "/bin/sh"

/* Where a child failed before its program ran (sent over the error pipe). */
enum child_stage {
	STAGE_PTY = 1,
	STAGE_SETSID,
	STAGE_STDIO,
	STAGE_USER,
	STAGE_CWD,
	STAGE_EXEC,
};

struct child_report {
	int32_t stage;
	int32_t err;
};

struct exec_plan {
	const struct msb_pwdb *db;
	const struct msb_pw *pw;
	char *what;              /* the program, for error messages */
	char **argv;
	char **envp;
	char **paths;            /* execve candidates, NULL-terminated */
	char **sh_argv;          /* for ENOEXEC: /bin/sh, <slot>, argv[1..] */
	char *cwd;               /* NULL: the user's home */
	int use_pty;
	int master;              /* with use_pty */
	int set_termios;         /* 0: keep the pty's default modes */
	struct termios tio;
	struct winsize ws;
	int fds[3];              /* without use_pty */
	long tty_gid;            /* owner group of the pty slave, -1 none */
	struct rlimit nofile;    /* RLIMIT_NOFILE to restore */
};

/*
 * Base environment (USER LOGNAME HOME SHELL PATH [TERM]) with the request's
 * entries on top; a later entry replaces an earlier one of the same name.
 */
char **plan_env(const struct msb_pw *pw, const char *term,
    char *const *req_env, size_t n);
/* Value of NAME in a NULL-terminated environment, or NULL. */
const char *plan_getenv(char *const *envp, const char *name);
/* execve candidates for file: itself if it has a '/', else PATH lookup
 * (an empty PATH element is the current directory). */
char **plan_paths(const char *file, const char *path);
/* "-" + basename(shell), as login(1) does. */
char *plan_login_argv0(const char *shell);
void plan_strv_free(char **v);

/* Fill *p for the request (argv/env/paths/terminal); fds set by caller. */
void plan_build(struct exec_plan *p, const struct msb_pwdb *db,
    const struct msb_pw *pw, const struct msb_exec_msg *m);
void plan_free(struct exec_plan *p);

/* child.c: run the plan in the forked child; never returns. */
void child_exec(const struct exec_plan *p, int errfd)
    __attribute__((noreturn));

#endif
