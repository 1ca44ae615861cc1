/* Option parsing helpers shared by the msb subcommands. */
#ifndef MSB_OPTS_H
#define MSB_OPTS_H

#include <getopt.h>

/*
 * getopt_long with msb-style messages ("msb CMD: unknown option '-x'"),
 * printed here; returns '?' for any error. A leading '+' in shortopts stops
 * at the first non-option (for commands that take a command line).
 */
int msb_getopt(int argc, char **argv, const char *shortopts,
    const struct option *longopts);
/*
 * Print "msb CMD: message" (if fmt is not NULL), the usage line (the first
 * line of help) and a --help hint on stderr; returns 2.
 */
int msb_usage_error(const char *cmd, const char *help, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * A sandbox name that cannot exist is a usage error (exit 2), caught before
 * libmsb is asked; a valid name of a missing sandbox stays a failure (1).
 * Returns 0 if name is valid, else prints as msb_usage_error and returns 2.
 */
int msb_check_name(const char *cmd, const char *help, const char *name);

#endif
