/*
 * The sftp subsystem: sshd sets SSH_ORIGINAL_COMMAND to the configured
 * Subsystem command line, which msb-proxy makes the msb-sftp-server path
 * (a marker; reference/openssh.md 1.2). We exec msb-sftp-server with the
 * sandbox's SFTP policy flags; it talks to the agent's filesystem channel
 * as the session user. A client exec of that same string is treated the
 * same way, as stock sshd would.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shell.h"

#define SFTP_MAX_ARGS 32

/* Does command name an sftp-server (system mode: any such program)? */
static int
is_sftp_server_command(const char *cmd)
{
	size_t n = strcspn(cmd, " \t");
	const char *base;

	if (n == strlen("internal-sftp") && strncmp(cmd, "internal-sftp", n) == 0)
		return 1;
	for (base = cmd + n; base > cmd && base[-1] != '/'; base--)
		;
	return (size_t)(cmd + n - base) >= strlen("sftp-server") &&
	    strncmp(cmd + n - strlen("sftp-server"), "sftp-server",
	    strlen("sftp-server")) == 0;
}

int
shell_is_sftp(const struct shell_ctx *c)
{
	if (c->sftp_marker != NULL && strcmp(c->command, c->sftp_marker) == 0)
		return 1;
	return c->sftp_any_server && is_sftp_server_command(c->command);
}

void
shell_sftp(const struct shell_ctx *c)
{
	char *argv[SFTP_MAX_ARGS + 2], *envp[5], *flags, *tok, *save = NULL;
	size_t n = 0;

	if ((flags = strdup(c->sftp_flags != NULL ? c->sftp_flags : "")) == NULL)
		shell_die(c, SHELL_EXIT_FAILURE, "out of memory");
	argv[n++] = "msb-sftp-server";
	for (tok = strtok_r(flags, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		if (n > SFTP_MAX_ARGS)
			shell_die(c, SHELL_EXIT_FAILURE, "too many SFTP flags");
		argv[n++] = tok;
	}
	argv[n] = NULL;
	/* A clean environment: only what msb-sftp-server needs. */
	if (asprintf(&envp[0], "MSB_AGENT_SOCKET=%s", c->agent_socket) < 0 ||
	    asprintf(&envp[1], "MSB_SANDBOX_USER=%s", c->user) < 0 ||
	    asprintf(&envp[2], "MSB_LOG_FILE=%s", c->log_file != NULL ?
	    c->log_file : "") < 0 ||
	    asprintf(&envp[3], "MSB_SANDBOX=%s", c->sandbox) < 0)
		shell_die(c, SHELL_EXIT_FAILURE, "out of memory");
	envp[4] = NULL;
	execve(c->sftp_server, argv, envp);
	shell_die(c, errno == ENOENT ? SHELL_EXIT_NOTFOUND : SHELL_EXIT_NOEXEC,
	    "cannot run %s: %s", c->sftp_server, strerror(errno));
}
