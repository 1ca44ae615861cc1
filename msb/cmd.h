/*
 * msb CLI: one table row per subcommand (msb/main.c), one file per command
 * family. A command returns the process exit status:
 *   0 success, 1 failure (message already printed on stderr),
 *   2 usage error, or the status of a command run inside the sandbox.
 */
#ifndef MSB_CMD_H
#define MSB_CMD_H

struct msb_cmd {
	const char *name;
	const char *alias;       /* NULL if none */
	int (*run)(int argc, char **argv);   /* argv[0] is the command name */
	const char *usage;       /* "NAME [options]" after "msb CMD " */
	const char *summary;     /* one line for `msb --help` */
};

/* Lookup in a NULL-terminated table by name or alias. */
const struct msb_cmd *msb_cmd_find(const struct msb_cmd *table,
    const char *name);
/* Print "usage: msb PREFIX USAGE" for a row to stderr and return 2. */
int msb_cmd_usage(const char *prefix, const struct msb_cmd *cmd);
/* Print the rows of a table as a help list on stdout. */
void msb_cmd_print_table(const char *prefix, const struct msb_cmd *table);
/* Report an error: "msb: message" on stderr; returns 1. */
int msb_cmd_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* sandbox lifecycle (msb/cmd-sandbox.c) */
int cmd_create(int argc, char **argv);
int cmd_start(int argc, char **argv);
int cmd_stop(int argc, char **argv);
int cmd_rm(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
/* command channel (msb/cmd-exec.c) */
int cmd_exec(int argc, char **argv);
/* ssh family (msb/cmd-ssh.c): authorize, config, serve */
int cmd_ssh(int argc, char **argv);

#endif
