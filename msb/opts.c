/* Option parsing helpers shared by the msb subcommands. */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "msb/error.h"
#include "msb/name.h"
#include "opts.h"

int
msb_getopt(int argc, char **argv, const char *shortopts,
    const struct option *longopts)
{
	char spec[128];
	int ch, plus = shortopts[0] == '+';

	snprintf(spec, sizeof(spec), "%s:%s", plus ? "+" : "",
	    shortopts + plus);
	opterr = 0;
	ch = getopt_long(argc, argv, spec, longopts, NULL);
	if (ch == '?' || ch == ':') {
		if (optopt > 0 && optopt < 128 && isalnum(optopt))
			fprintf(stderr, ch == '?' ? "msb %s: unknown option "
			    "'-%c'\n" : "msb %s: option '-%c' needs a value\n",
			    argv[0], optopt);
		else
			fprintf(stderr, ch == '?' ? "msb %s: unknown option "
			    "'%.64s'\n" : "msb %s: option '%.64s' needs a "
			    "value\n", argv[0], argv[optind - 1]);
		ch = '?';
	}
	return ch;
}

int
msb_usage_error(const char *cmd, const char *help, const char *fmt, ...)
{
	const char *nl = strchr(help, '\n');
	va_list ap;

	if (fmt != NULL) {
		fprintf(stderr, "msb %s: ", cmd);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	fprintf(stderr, "%.*s\nTry 'msb %s --help'.\n",
	    nl != NULL ? (int)(nl - help) : (int)strlen(help), help, cmd);
	return 2;
}

int
msb_check_name(const char *cmd, const char *help, const char *name)
{
	struct msb_error err = MSB_ERROR_INIT;
	int r;

	if (msb_name_validate(name, &err) == 0)
		return 0;
	r = msb_usage_error(cmd, help, "%s", msb_error_msg(&err));
	msb_error_clear(&err);
	return r;
}
