/* msb: command-line entry point and subcommand dispatch. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msb/log.h"
#include "cmd.h"

static const struct msb_cmd commands[] = {
	{ "create", NULL, cmd_create,
	  "NAME [--image host|DIR] [--user USER] [--net none|host] "
	  "[-v HOST_DIR:SANDBOX_DIR[:ro]]... [--ssh-forwarding MODE] "
	  "[--sftp-read-only] "
	  "[--sftp-allow LIST] [--sftp-deny LIST] [--sftp-log-level LEVEL] "
	  "[--memory SIZE] [--pids N] [--cpus N]",
	  "create a sandbox" },
	{ "start", NULL, cmd_start, "NAME...", "start sandboxes" },
	{ "stop", NULL, cmd_stop, "[-t SECONDS] NAME...", "stop sandboxes" },
	{ "rm", "remove", cmd_rm, "[-f|--force] NAME...", "remove sandboxes" },
	{ "ls", "list", cmd_ls, "[-q]", "list sandboxes" },
	{ "inspect", NULL, cmd_inspect, "NAME", "show a sandbox's settings" },
	{ "exec", NULL, cmd_exec,
	  "[-t|-T] [-u USER] [-w DIR] [-e NAME=VALUE]... NAME -- COMMAND [ARG...]",
	  "run a command inside a sandbox" },
	{ "ssh", NULL, cmd_ssh, "authorize|config|serve|forwarding ...",
	  "SSH access to sandboxes (see msb ssh --help)" },
	{ NULL, NULL, NULL, NULL, NULL },
};

const struct msb_cmd *
msb_cmd_find(const struct msb_cmd *table, const char *name)
{
	const struct msb_cmd *c;

	for (c = table; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0 ||
		    (c->alias != NULL && strcmp(c->alias, name) == 0))
			return c;
	return NULL;
}

int
msb_cmd_usage(const char *prefix, const struct msb_cmd *cmd)
{
	fprintf(stderr, "usage: msb %s%s%s %s\n", prefix, *prefix ? " " : "",
	    cmd->name, cmd->usage);
	return 2;
}

void
msb_cmd_print_table(const char *prefix, const struct msb_cmd *table)
{
	const struct msb_cmd *c;

	for (c = table; c->name != NULL; c++)
		printf("  msb %s%s%-10s %s\n", prefix, *prefix ? " " : "",
		    c->name, c->summary);
}

int
msb_cmd_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("msb: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static void
usage_all(FILE *f)
{
	fprintf(f, "usage: msb COMMAND [ARGS...]\n\ncommands:\n");
	if (f == stdout)
		msb_cmd_print_table("", commands);
	else {
		const struct msb_cmd *c;

		for (c = commands; c->name != NULL; c++)
			fprintf(f, "  msb %-10s %s\n", c->name, c->summary);
	}
	fprintf(f, "\nRun 'msb COMMAND --help' for a command's options.\n");
}

int
main(int argc, char **argv)
{
	const struct msb_cmd *cmd;

	msb_log_init("msb", MSB_LOG_INFO);
	if (argc < 2) {
		usage_all(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage_all(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("msb %s\n", PACKAGE_VERSION);
		return 0;
	}
	if ((cmd = msb_cmd_find(commands, argv[1])) == NULL) {
		fprintf(stderr, "msb: unknown command '%.64s'\n", argv[1]);
		usage_all(stderr);
		return 2;
	}
	return cmd->run(argc - 1, argv + 1);
}
