/*
 * Keep fds 0-2 away from code that may start long-lived processes (the
 * sandbox launcher): while the guard is active they point at /dev/null and
 * the real ones are parked on close-on-exec descriptors. In msb-proxy these
 * fds are the SSH connection (nothing but sshd may write to it, and a
 * daemon holding it would keep the connection open); in msb-shell they are
 * sshd's session pipes.
 * Upper-layer convention: 0 / -1 with struct msb_error.
 */
#ifndef MSB_STDIO_GUARD_H
#define MSB_STDIO_GUARD_H

#include "msb/error.h"

struct msb_stdio_guard {
	int saved[3];
	int active;
};

int msb_stdio_guard_begin(struct msb_stdio_guard *g, struct msb_error *err);
/* Put the real fds back (no-op if not active). */
int msb_stdio_guard_end(struct msb_stdio_guard *g, struct msb_error *err);

#endif
