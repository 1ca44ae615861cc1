/* Process titles (see msb/proctitle.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <bsd/unistd.h>

#include "msb/proctitle.h"

static int ready;

/*
 * Runs before main, with main's arguments (a glibc guarantee for
 * .init_array entries). setproctitle_init moves the environment so that
 * argv's and environ's space can hold the title.
 */
__attribute__((constructor)) static void
proctitle_init(int argc, char **argv, char **envp)
{
	if (argc > 0 && argv != NULL && argv[0] != NULL && envp != NULL) {
		setproctitle_init(argc, argv, envp);
		ready = 1;
	}
}

void
msb_proctitle(const char *fmt, ...)
{
	char title[256];
	va_list ap;

	if (!ready)
		return;
	va_start(ap, fmt);
	vsnprintf(title, sizeof(title), fmt, ap);
	va_end(ap);
	/* "-": the title as given, without "progname: " in front. */
	setproctitle("-%s", title);
}
