/*
 * Host-side client of the agent's command channel (PROTOCOL.md 4.2).
 * Upper-layer convention: 0 / -1 with struct msb_error (see error.h).
 *
 * Typical use (zero-copy stdio):
 *     struct msb_agent *a;
 *     msb_agent_connect(sock_path, MSB_CHAN_COMMAND, NULL, &a, &err);
 *     struct msb_exec_req req = MSB_EXEC_REQ_INIT;
 *     req.argv = argv; req.env = env; req.fds[0..2] = 0,1,2;
 *     msb_agent_exec(a, &req, &started, &err);
 *     msb_agent_wait_exit(a, &exit, &err);      // blocks until EXITED
 */
#ifndef MSB_AGENT_H
#define MSB_AGENT_H

#include <stdint.h>
#include <sys/types.h>
#include <termios.h>
#include <sys/ioctl.h>

#include "msb/error.h"

struct msb_agent;

/*
 * Connect to the agent socket at path and complete the HELLO exchange on the
 * given channel (MSB_CHAN_COMMAND or MSB_CHAN_FS; user is the filesystem
 * worker's user, NULL/"" = sandbox default). The socket is blocking and
 * close-on-exec. Paths longer than sun_path are reached through
 * /proc/self/fd. An agent that does not answer HELLO within 30 s is an
 * ETIMEDOUT error; on ERROR, err->code is the agent's errno.
 */
int msb_agent_connect(const char *path, int channel, const char *user,
    struct msb_agent **out, struct msb_error *err);
void msb_agent_close(struct msb_agent *a);
/* The connected socket, for poll(). */
int msb_agent_fd(const struct msb_agent *a);
/* Sandbox name and negotiated version from HELLO_OK. */
const char *msb_agent_sandbox(const struct msb_agent *a);
uint32_t msb_agent_version(const struct msb_agent *a);

struct msb_exec_req {
	const char *user;          /* NULL or "" = sandbox default user */
	const char *cwd;           /* NULL or "" = the user's home */
	int login_shell;           /* run the login shell; argv must be NULL */
	int shell_command;         /* argv = { COMMAND }: the user's shell runs
	                              it with -c, as sshd does */
	char *const *argv;         /* NULL-terminated; argv[0] found in PATH */
	char *const *env;          /* NULL-terminated "NAME=value" or NULL */
	int use_pty;
	/* with use_pty (tio all zero: keep the pty's default modes; ws 0x0:
	 * leave the size unset): */
	const char *term;
	struct termios tio;
	struct winsize ws;
	/* without use_pty: stdin, stdout, stderr passed to the process */
	int fds[3];
};
#define MSB_EXEC_REQ_INIT { NULL, NULL, 0, 0, NULL, NULL, 0, NULL, {0}, {0}, \
	{ 0, 1, 2 } }

struct msb_exec_started {
	pid_t pid;                 /* pid inside the sandbox */
	int master_fd;             /* pty master (use_pty), else -1; caller owns */
};

/*
 * Send EXEC and wait for STARTED. On ERROR from the agent returns -1 with
 * err->code = the agent's errno (ENOENT: unknown user or program) and
 * err->msg = its message.
 */
int msb_agent_exec(struct msb_agent *a, const struct msb_exec_req *req,
    struct msb_exec_started *started, struct msb_error *err);

struct msb_exec_exit {
	int signaled;              /* 0: exited with status; 1: killed by signal */
	int status;                /* exit status, or signal number */
	int core_dumped;
};

/* Block until EXITED (or the connection fails: -1). */
int msb_agent_wait_exit(struct msb_agent *a, struct msb_exec_exit *ex,
    struct msb_error *err);
/*
 * Non-blocking variant for poll loops: call when msb_agent_fd() is readable.
 * Returns 1 and fills *ex on EXITED, 0 if the frame was something else
 * (ignored: e.g. the ERROR for a SIGNAL that found no process), -1 on error
 * or EOF.
 */
int msb_agent_read_exit(struct msb_agent *a, struct msb_exec_exit *ex,
    struct msb_error *err);
/* Deliver a signal to the session's process group. */
int msb_agent_signal(struct msb_agent *a, int signo, struct msb_error *err);

/* Shell-style exit code for an exit record: status, or 128 + signal. */
int msb_exec_exit_code(const struct msb_exec_exit *ex);

struct msb_account {
	char *name;
	uint32_t uid, gid;
	char *home;
	char *shell;
};

struct msb_accounts {
	char *default_user;
	struct msb_account *v;
	size_t n;
};

/* ACCOUNTS request on a fresh command-channel connection. */
int msb_agent_accounts(struct msb_agent *a, struct msb_accounts *out,
    struct msb_error *err);
void msb_accounts_free(struct msb_accounts *acc);

#endif
