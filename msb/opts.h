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

#endif
