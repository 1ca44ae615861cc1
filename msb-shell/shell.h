/*
 * msb-shell: sshd's ForceCommand. Decides what the SSH session is (login
 * shell, remote command, sftp subsystem) and runs it inside the sandbox
 * through the agent's command channel, or hands sftp to msb-sftp-server.
 */
#ifndef MSB_SHELL_H
#define MSB_SHELL_H

#include "msb/agent.h"

struct msb_sandbox;

/* Exit statuses of our own failures (a shell's conventions). */
#define SHELL_EXIT_NOTFOUND 127    /* unknown user or program */
#define SHELL_EXIT_NOEXEC 126      /* cannot execute */
#define SHELL_EXIT_FAILURE 255     /* sandbox unreachable, protocol errors */

struct shell_ctx {
	const char *sandbox;       /* name, for messages */
	char *agent_socket;
	const char *user;          /* sandbox user; "" = the default user */
	const char *command;       /* what to run: SSH_ORIGINAL_COMMAND, the
	                              key's command=, or NULL (login shell) */
	const char *original_command;  /* with forced: the client's request */
	int forced;                /* command comes from the key's command= */
	const char *sftp_server;   /* program to exec for sftp */
	const char *sftp_marker;   /* command value that means "sftp" */
	int sftp_any_server;       /* system mode: any *sftp-server command */
	char *sftp_flags;          /* "-R -l INFO" or "" */
	const char *log_file;      /* sshd/runtime log, or NULL */
	struct msb_sandbox *sb;    /* system mode: the loaded sandbox */
};

/* Print "msb-shell: message" on stderr (and to the log file) and exit. */
void shell_die(const struct shell_ctx *c, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));
/* A line in the sandbox log only. */
void shell_log(const struct shell_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Apply the authenticating key's command= option (or a certificate's
 * force-command), as sshd would have without our ForceCommand.
 */
void shell_key_command(struct shell_ctx *c);

/* Run the login shell (command NULL) or `sh -c command`; never returns. */
void shell_session(const struct shell_ctx *c) __attribute__((noreturn));
/* Exec msb-sftp-server for the session user; never returns. */
void shell_sftp(const struct shell_ctx *c) __attribute__((noreturn));
/* 1 if c->command asks for the sftp subsystem. */
int shell_is_sftp(const struct shell_ctx *c);

/*
 * System-sshd mode (--sandbox NAME): fill the context from the sandbox's
 * state in the logged-in user's $MSB_HOME, starting it if it is stopped.
 */
void shell_system_setup(struct shell_ctx *c, const char *name_arg);

/* Exit like the sandbox process did: status, or the same signal. */
void shell_exit_like(const struct msb_exec_exit *ex) __attribute__((noreturn));

#endif
