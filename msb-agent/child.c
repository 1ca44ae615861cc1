/*
 * The forked EXEC child: session, terminal or stdio, identity, directory,
 * exec. Failures before the program runs go to the parent over errfd
 * (close-on-exec, so a successful exec reads as EOF there).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "msb/error.h"
#include "msb/passwd.h"
#include "agent.h"
#include "plan.h"

/*
 * glibc refuses to touch the signals it reserves for itself (32, 33), but
 * an inherited SIG_IGN on them would still reach the program: ask the
 * kernel directly.
 */
static void
reset_reserved(int sig)
{
	struct {
		void *handler;
		unsigned long flags;
		void *restorer;
		uint64_t mask;
	} ksa;

	memset(&ksa, 0, sizeof(ksa));
	ksa.handler = SIG_DFL;
	(void)syscall(SYS_rt_sigaction, sig, &ksa, NULL, sizeof(ksa.mask));
}

void
child_reset_signals(void)
{
	struct sigaction sa;
	sigset_t none;
	int sig;

	/* Ignored dispositions survive exec; the agent ignores several. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP &&
		    sigaction(sig, &sa, NULL) != 0)
			reset_reserved(sig);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
}

static void __attribute__((noreturn))
report(int errfd, enum child_stage stage, int err)
{
	struct child_report r;
	ssize_t n;

	r.stage = (int32_t)stage;
	r.err = err != 0 ? err : EIO;
	do {
		n = write(errfd, &r, sizeof(r));
	} while (n < 0 && errno == EINTR);
	_exit(stage == STAGE_EXEC && (err == ENOENT || err == ENOTDIR) ?
	    127 : 126);
}

static int
open_slave(int master)
{
	char name[64];
	int fd;

	fd = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0 || (errno != EINVAL && errno != ENOTTY))
		return fd;
	/* Kernels before 4.13: by name. */
	if (ptsname_r(master, name, sizeof(name)) != 0)
		return -1;
	return open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
}

/* Controlling terminal on fds 0-2, with the caller's modes and size. */
static void
setup_pty(const struct exec_plan *p, int errfd)
{
	int slave, i;

	if ((slave = open_slave(p->master)) < 0)
		report(errfd, STAGE_PTY, errno);
	if (ioctl(slave, TIOCSCTTY, 0) != 0)
		report(errfd, STAGE_PTY, errno);
	if (p->set_termios && tcsetattr(slave, TCSANOW, &p->tio) != 0)
		report(errfd, STAGE_PTY, errno);
	if ((p->ws.ws_row != 0 || p->ws.ws_col != 0) &&
	    ioctl(slave, TIOCSWINSZ, &p->ws) != 0)
		report(errfd, STAGE_PTY, errno);
	/* Like sshd's pty_setowner; failure (user namespace) is harmless. */
	(void)!fchown(slave, (uid_t)p->pw->uid,
	    p->tty_gid >= 0 ? (gid_t)p->tty_gid : (gid_t)-1);
	(void)!fchmod(slave, p->tty_gid >= 0 ? 0620 : 0600);
	for (i = 0; i < 3; i++)
		if (dup2(slave, i) < 0)
			report(errfd, STAGE_STDIO, errno);
	if (slave > 2)
		close(slave);
}

/*
 * An empty "SSH_TTY=" entry from the caller (msb-shell) asks for the
 * slave's path as the session sees it, as sshd sets SSH_TTY to its pty.
 */
static void
fill_ssh_tty(const struct exec_plan *p)
{
	static char entry[64];
	char name[32];
	size_t i;

	for (i = 0; p->envp[i] != NULL; i++)
		if (strcmp(p->envp[i], "SSH_TTY=") == 0)
			break;
	if (p->envp[i] == NULL || ptsname_r(p->master, name, sizeof(name)) != 0)
		return;
	snprintf(entry, sizeof(entry), "SSH_TTY=%s", name);
	p->envp[i] = entry;      /* this child's copy; it execs or exits */
}

static void
setup_stdio(const struct exec_plan *p, int errfd)
{
	int i;

	/* The agent keeps 0-2 open, so received fds are >= 3. */
	for (i = 0; i < 3; i++)
		if (dup2(p->fds[i], i) < 0)
			report(errfd, STAGE_STDIO, errno);
}

/* Close every fd above 2 except errfd (close-on-exec). */
static void
close_extra_fds(int errfd)
{
	if (errfd > 3)
		(void)close_range(3, (unsigned)errfd - 1, 0);
	(void)close_range((unsigned)errfd + 1, ~0U, 0);
}

static void
change_dir(const struct exec_plan *p, int errfd)
{
	if (p->cwd != NULL) {
		if (chdir(p->cwd) != 0)
			report(errfd, STAGE_CWD, errno);
		return;
	}
	if (chdir(p->pw->home) != 0) {
		/* As sshd: warn on the session's stderr and carry on. */
		dprintf(STDERR_FILENO, "Could not chdir to home directory "
		    "%s: %s\n", p->pw->home,
		    strerror(errno));
		if (chdir("/") != 0)
			report(errfd, STAGE_CWD, errno);
	}
}

/* execvpe() semantics with the candidates computed from the new PATH. */
static void __attribute__((noreturn))
run(const struct exec_plan *p, int errfd)
{
	int err = ENOENT, seen_eacces = 0;
	size_t i;

	for (i = 0; p->paths[i] != NULL; i++) {
		execve(p->paths[i], p->argv, p->envp);
		err = errno;
		if (err == ENOEXEC) {
			/* A script without #!: run it with the shell. */
			p->sh_argv[1] = p->paths[i];
			execve("/bin/sh", p->sh_argv, p->envp);
			err = errno;
			break;
		}
		if (err == EACCES)
			seen_eacces = 1;
		else if (err != ENOENT && err != ENOTDIR && err != ESTALE &&
		    err != ENODEV && err != ETIMEDOUT)
			break;
	}
	if (seen_eacces && (err == ENOENT || err == ENOTDIR))
		err = EACCES;
	report(errfd, STAGE_EXEC, err);
}

void
child_exec(const struct exec_plan *p, int errfd)
{
	struct msb_error err = MSB_ERROR_INIT;

	child_reset_signals();
	if (setsid() < 0)
		report(errfd, STAGE_SETSID, errno);
	if (p->use_pty) {
		setup_pty(p, errfd);
		fill_ssh_tty(p);
	} else
		setup_stdio(p, errfd);
	close_extra_fds(errfd);
	(void)setrlimit(RLIMIT_NOFILE, &p->nofile);
	if (msb_become_user(p->db, p->pw, &err) != 0)
		report(errfd, STAGE_USER, err.code);
	change_dir(p, errfd);
	umask(022);
	run(p, errfd);
}
