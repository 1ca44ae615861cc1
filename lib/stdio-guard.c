/* Park fds 0-2 while starting background processes (see msb/stdio-guard.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "msb/stdio-guard.h"

int
msb_stdio_guard_begin(struct msb_stdio_guard *g, struct msb_error *err)
{
	int i, null;

	g->active = 0;
	for (i = 0; i < 3; i++)
		g->saved[i] = -1;
	if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
		return msb_error_sys(err, errno, "cannot open /dev/null");
	if (null < 3) {
		/* One of 0-2 was closed; keep our own copy out of that range
		 * (the loop below fills the slot with /dev/null anyway). */
		if ((i = fcntl(null, F_DUPFD_CLOEXEC, 3)) < 0)
			return msb_error_sys(err, errno, "cannot open /dev/null");
		null = i;
	}
	for (i = 0; i < 3; i++) {
		/* 3 and up: parking never lands on another of 0-2. */
		if ((g->saved[i] = fcntl(i, F_DUPFD_CLOEXEC, 3)) < 0 &&
		    errno != EBADF)
			goto fail;
		if (dup2(null, i) < 0)
			goto fail;
	}
	close(null);
	g->active = 1;
	return 0;
fail:
	msb_error_sys(err, errno, "cannot redirect standard descriptors");
	close(null);
	g->active = 1;
	msb_stdio_guard_end(g, NULL);
	return -1;
}

int
msb_stdio_guard_end(struct msb_stdio_guard *g, struct msb_error *err)
{
	int i, r = 0;

	if (!g->active)
		return 0;
	for (i = 0; i < 3; i++) {
		if (g->saved[i] < 0)
			continue;
		if (dup2(g->saved[i], i) < 0 && r == 0)
			r = msb_error_sys(err, errno,
			    "cannot restore standard descriptors");
		close(g->saved[i]);
		g->saved[i] = -1;
	}
	g->active = 0;
	return r;
}
