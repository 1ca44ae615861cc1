/*
 * msb-shell: the ForceCommand of the sshd that msb-proxy runs (and,
 * with --sandbox, of an admin's system sshd).
 *
 * With msb-proxy, sshd's SetEnv gives us the sandbox (MSB_SANDBOX,
 * MSB_AGENT_SOCKET, MSB_OWNER, MSB_SFTP_SERVER, MSB_SFTP_FLAGS,
 * MSB_LOG_FILE); $USER is the SSH login name, which selects the sandbox
 * account (the owner's own login name means the sandbox's default user).
 * SSH_ORIGINAL_COMMAND says what the client asked for (reference/openssh.md
 * 1.2): unset = shell, equal to the Subsystem path = sftp, else a command.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "msb/log.h"
#include "shell.h"

/* status 0 (--help): on stdout; a usage error: on stderr. */
static void __attribute__((noreturn))
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: msb-shell                  (ForceCommand of msb-proxy's sshd)\n"
	    "       msb-shell --sandbox NAME   (ForceCommand of the system sshd;\n"
	    "                                   %%u in NAME is the login name)\n"
	    "       msb-shell --help | --version\n");
	exit(status);
}

static void
log_line(const struct shell_ctx *c, const char *msg)
{
	char stamp[32];
	struct tm tm;
	time_t now;
	int fd;

	if (c == NULL || c->log_file == NULL || *c->log_file == '\0')
		return;
	fd = open(c->log_file, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	now = time(NULL);
	if (localtime_r(&now, &tm) == NULL ||
	    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		strcpy(stamp, "-");
	dprintf(fd, "%s msb-shell[%ld]: %s\n", stamp, (long)getpid(), msg);
	close(fd);
}

void
shell_log(const struct shell_ctx *c, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_line(c, msg);
}

void
shell_die(const struct shell_ctx *c, int status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_error("%s", msg);
	log_line(c, msg);
	exit(status);
}

static const char *
env_required(const char *name)
{
	const char *v = getenv(name);

	if (v == NULL || *v == '\0')
		shell_die(NULL, SHELL_EXIT_FAILURE,
		    "%s is not set: msb-shell runs as the ForceCommand of the "
		    "sshd started by msb-proxy (or with --sandbox NAME)", name);
	return v;
}

/* msb-proxy mode: everything comes from sshd's SetEnv. */
static void
proxy_setup(struct shell_ctx *c)
{
	const char *user = getenv("USER"), *owner;

	c->sandbox = env_required("MSB_SANDBOX");
	c->agent_socket = strdup(env_required("MSB_AGENT_SOCKET"));
	owner = env_required("MSB_OWNER");
	c->sftp_server = env_required("MSB_SFTP_SERVER");
	c->sftp_marker = c->sftp_server;
	c->sftp_flags = strdup(getenv("MSB_SFTP_FLAGS") != NULL ?
	    getenv("MSB_SFTP_FLAGS") : "");
	c->log_file = getenv("MSB_LOG_FILE");
	if (c->agent_socket == NULL || c->sftp_flags == NULL)
		shell_die(c, SHELL_EXIT_FAILURE, "out of memory");
	/* sshd sets USER to the login name (getpwuid would see only the
	 * first of the accounts that share our uid). */
	if (user == NULL || *user == '\0')
		shell_die(c, SHELL_EXIT_FAILURE, "USER is not set");
	c->user = strcmp(user, owner) == 0 ? "" : user;
}

int
main(int argc, char **argv)
{
	struct shell_ctx c;
	const char *sandbox_arg = NULL;
	int i;

	msb_log_init("msb-shell", MSB_LOG_INFO);
	memset(&c, 0, sizeof(c));
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--sandbox") == 0 && i + 1 < argc)
			sandbox_arg = argv[++i];
		else if (strncmp(argv[i], "--sandbox=", 10) == 0)
			sandbox_arg = argv[i] + 10;
		else if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0)
			usage(0);
		else if (strcmp(argv[i], "--version") == 0 ||
		    strcmp(argv[i], "-V") == 0) {
			printf("msb-shell %s\n", PACKAGE_VERSION);
			return 0;
		} else
			usage(2);
	}
	c.command = getenv("SSH_ORIGINAL_COMMAND");
	if (sandbox_arg != NULL)
		shell_system_setup(&c, sandbox_arg);
	else {
		proxy_setup(&c);
		shell_key_command(&c);
	}
	if (!c.forced && c.command != NULL && shell_is_sftp(&c))
		shell_sftp(&c);
	shell_session(&c);
}
