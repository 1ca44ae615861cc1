/* Building an EXEC child's argv, environment and execve candidates. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "msb/proto.h"
#include "msb/xmalloc.h"
#include "agent-msg.h"
#include "plan.h"

void
plan_strv_free(char **v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

static size_t
name_len(const char *entry)
{
	const char *eq = strchr(entry, '=');

	return eq != NULL ? (size_t)(eq - entry) : strlen(entry);
}

/* Set or replace entry (NAME=value) in v[0..*n); v has room for it. */
static void
env_set(char **v, size_t *n, char *entry)
{
	size_t i, l = name_len(entry);

	for (i = 0; i < *n; i++) {
		if (name_len(v[i]) == l && strncmp(v[i], entry, l) == 0) {
			free(v[i]);
			v[i] = entry;
			return;
		}
	}
	v[(*n)++] = entry;
}

char **
plan_env(const struct msb_pw *pw, const char *term, char *const *req_env,
    size_t n)
{
	char **v = xcalloc(n + 8, sizeof(char *));
	const char *shell = pw->shell[0] != '\0' ? pw->shell :
	    PLAN_DEFAULT_SHELL;
	size_t cnt = 0, i;

	env_set(v, &cnt, xstrfmt("USER=%s", pw->name));
	env_set(v, &cnt, xstrfmt("LOGNAME=%s", pw->name));
	env_set(v, &cnt, xstrfmt("HOME=%s", pw->home));
	env_set(v, &cnt, xstrfmt("SHELL=%s", shell));
	env_set(v, &cnt, xstrfmt("PATH=%s", pw->uid == 0 ? PLAN_PATH_ROOT :
	    PLAN_PATH_USER));
	if (term != NULL && term[0] != '\0')
		env_set(v, &cnt, xstrfmt("TERM=%s", term));
	for (i = 0; i < n; i++)
		env_set(v, &cnt, xstrdup(req_env[i]));
	v[cnt] = NULL;
	return v;
}

const char *
plan_getenv(char *const *envp, const char *name)
{
	size_t l = strlen(name), i;

	for (i = 0; envp[i] != NULL; i++)
		if (strncmp(envp[i], name, l) == 0 && envp[i][l] == '=')
			return envp[i] + l + 1;
	return NULL;
}

char **
plan_paths(const char *file, const char *path)
{
	const char *p, *colon;
	char **v;
	size_t n = 1, cnt = 0, dlen;

	if (file[0] == '\0') {
		v = xcalloc(1, sizeof(char *));
		return v;
	}
	if (strchr(file, '/') != NULL) {
		v = xcalloc(2, sizeof(char *));
		v[0] = xstrdup(file);
		return v;
	}
	if (path == NULL)
		path = "/bin:/usr/bin";
	for (p = path; *p != '\0'; p++)
		if (*p == ':')
			n++;
	v = xcalloc(n + 1, sizeof(char *));
	for (p = path;; p = colon + 1) {
		colon = strchr(p, ':');
		dlen = colon != NULL ? (size_t)(colon - p) : strlen(p);
		if (dlen == 0)
			v[cnt++] = xstrdup(file);   /* "" = current directory */
		else
			v[cnt++] = xstrfmt("%.*s/%s", (int)dlen, p, file);
		if (colon == NULL)
			break;
	}
	v[cnt] = NULL;
	return v;
}

char *
plan_login_argv0(const char *shell)
{
	const char *slash = strrchr(shell, '/');

	return xstrfmt("-%s", slash != NULL ? slash + 1 : shell);
}

static int
termios_given(const struct msb_pty_params *pp)
{
	size_t i;

	if (pp->iflag != 0 || pp->oflag != 0 || pp->cflag != 0 ||
	    pp->lflag != 0)
		return 1;
	for (i = 0; i < sizeof(pp->cc); i++)
		if (pp->cc[i] != 0)
			return 1;
	return 0;
}

void
plan_build(struct exec_plan *p, const struct msb_pwdb *db,
    const struct msb_pw *pw, const struct msb_exec_msg *m)
{
	const char *shell = pw->shell[0] != '\0' ? pw->shell :
	    PLAN_DEFAULT_SHELL;
	const struct msb_gr *tty;
	size_t i, argc;

	memset(p, 0, sizeof(*p));
	p->db = db;
	p->pw = pw;
	p->master = -1;
	p->fds[0] = p->fds[1] = p->fds[2] = -1;
	p->use_pty = (m->flags & MSB_EXEC_PTY) != 0;
	p->envp = plan_env(pw, p->use_pty ? m->pty.term : NULL, m->env,
	    m->envc);
	if ((m->flags & MSB_EXEC_LOGIN_SHELL) != 0) {
		argc = 1;
		p->argv = xcalloc(2, sizeof(char *));
		p->argv[0] = plan_login_argv0(shell);
		p->what = xstrdup(shell);
		p->paths = plan_paths(shell, NULL);
	} else if ((m->flags & MSB_EXEC_SHELL_CMD) != 0) {
		/* sshd's do_child(): argv[0] is the shell's base name. */
		const char *slash = strrchr(shell, '/');

		argc = 3;
		p->argv = xcalloc(4, sizeof(char *));
		p->argv[0] = xstrdup(slash != NULL ? slash + 1 : shell);
		p->argv[1] = xstrdup("-c");
		p->argv[2] = xstrdup(m->argv[0]);
		p->what = xstrdup(shell);
		p->paths = plan_paths(shell, NULL);
	} else {
		argc = m->argc;
		p->argv = xcalloc(argc + 1, sizeof(char *));
		for (i = 0; i < argc; i++)
			p->argv[i] = xstrdup(m->argv[i]);
		p->what = xstrdup(m->argv[0]);
		p->paths = plan_paths(m->argv[0], plan_getenv(p->envp, "PATH"));
	}
	p->sh_argv = xcalloc(argc + 2, sizeof(char *));
	p->sh_argv[0] = xstrdup("/bin/sh");
	p->sh_argv[1] = NULL;            /* the candidate, set in the child */
	for (i = 1; i < argc; i++)
		p->sh_argv[i + 1] = xstrdup(p->argv[i]);
	if (m->cwd != NULL && m->cwd[0] != '\0')
		p->cwd = xstrdup(m->cwd);
	if (p->use_pty) {
		msb_pty_params_to(&m->pty, &p->tio, &p->ws);
		p->set_termios = termios_given(&m->pty);
	}
	tty = msb_pwdb_gr_by_name(db, "tty");
	p->tty_gid = tty != NULL ? (long)tty->gid : -1;
}

void
plan_free(struct exec_plan *p)
{
	size_t i;

	free(p->what);
	plan_strv_free(p->argv);
	plan_strv_free(p->envp);
	plan_strv_free(p->paths);
	if (p->sh_argv != NULL) {
		/* slot 1 is never owned; free 0 and 2.. */
		free(p->sh_argv[0]);
		for (i = 2; p->sh_argv[i] != NULL; i++)
			free(p->sh_argv[i]);
		free(p->sh_argv);
	}
	free(p->cwd);
	memset(p, 0, sizeof(*p));
}
