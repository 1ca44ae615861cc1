/*
 * System-sshd mode: `ForceCommand exec msb-shell --sandbox NAME` in an
 * admin's sshd_config (sshd_config.d/msb.conf). The host account that
 * logged in is the identity; its own sandbox NAME (in its $MSB_HOME, by
 * default ~/.msb) is the target, as the sandbox's default user. "%u" in
 * NAME is replaced by the login name ("%%" is a literal '%'), because sshd
 * does not expand tokens in ForceCommand.
 *
 * The system sshd's Subsystem sftp command is whatever the admin set, so
 * any command naming an sftp-server (or internal-sftp) counts as sftp.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msb/name.h"
#include "msb/sandbox.h"
#include "msb/sshd-config.h"
#include "msb/stdio-guard.h"
#include "shell.h"

static char *
expand_name(const char *arg)
{
	const char *user = getenv("USER"), *p;
	size_t n = 0;
	char *out, *o;

	if (user == NULL)
		user = "";
	for (p = arg; *p != '\0'; p++)
		n += (p[0] == '%' && p[1] == 'u') ? strlen(user) : 1;
	if ((out = malloc(n + 1)) == NULL)
		return NULL;
	for (o = out, p = arg; *p != '\0'; p++) {
		if (p[0] == '%' && p[1] == 'u') {
			memcpy(o, user, strlen(user));
			o += strlen(user);
			p++;
		} else if (p[0] == '%' && p[1] == '%') {
			*o++ = '%';
			p++;
		} else
			*o++ = *p;
	}
	*o = '\0';
	return out;
}

void
shell_system_setup(struct shell_ctx *c, const char *name_arg)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_stdio_guard guard;
	struct msb_sandbox *sb;
	char *name;
	int r;

	if ((name = expand_name(name_arg)) == NULL)
		shell_die(c, SHELL_EXIT_FAILURE, "out of memory");
	if (msb_name_validate(name, &err) != 0)
		shell_die(c, SHELL_EXIT_FAILURE, "%s", msb_error_msg(&err));
	c->sandbox = name;
	if ((sb = msb_sandbox_load(name, &err)) == NULL)
		shell_die(c, SHELL_EXIT_FAILURE, "%s", msb_error_msg(&err));
	c->log_file = msb_sandbox_path(sb, "log");
	c->agent_socket = msb_sandbox_path(sb, "run/agent.sock");
	if (c->log_file == NULL || c->agent_socket == NULL)
		shell_die(c, SHELL_EXIT_FAILURE, "out of memory");
	/* The launcher must not inherit sshd's session pipes. */
	if (msb_stdio_guard_begin(&guard, &err) != 0)
		shell_die(c, SHELL_EXIT_FAILURE, "%s", msb_error_msg(&err));
	r = msb_sandbox_start(sb, &err);
	if (msb_stdio_guard_end(&guard, NULL) != 0)
		_exit(SHELL_EXIT_FAILURE);
	if (r != 0)
		shell_die(c, SHELL_EXIT_FAILURE, "cannot start sandbox %s: %s",
		    name, msb_error_msg(&err));
	c->sftp_flags = msb_sftp_flags(sb->cfg.sftp_readonly, sb->cfg.sftp_allow,
	    sb->cfg.sftp_deny, sb->cfg.sftp_log_level, &err);
	if (c->sftp_flags == NULL)
		shell_die(c, SHELL_EXIT_FAILURE, "sandbox %s: %s", name,
		    msb_error_msg(&err));
	c->user = "";
	c->sftp_server = msb_prog_path("MSB_SFTP_SERVER");
	c->sftp_marker = NULL;
	c->sftp_any_server = 1;
	/* Kept (c points into it) until the process ends. */
	c->sb = sb;
}
