/*
 * Relay between a local terminal (or any fd pair) and a pty master inside
 * the sandbox, used by msb-shell (sshd's pty) and `msb exec -t`.
 * Upper-layer convention: 0 / -1 with struct msb_error.
 */
#ifndef MSB_PTY_RELAY_H
#define MSB_PTY_RELAY_H

#include "msb/agent.h"
#include "msb/error.h"

struct msb_pty_relay_opts {
	int in_fd;            /* local input (e.g. 0) */
	int out_fd;           /* local output (e.g. 1) */
	int master_fd;        /* sandbox pty master from STARTED */
	int winch_fd;         /* fd whose TIOCGWINSZ is copied to the master on
	                         SIGWINCH (usually in_fd), -1 for none */
	struct msb_agent *agent;  /* EXITED arrives here */
};

/*
 * Put in_fd in raw mode if it is a tty (restored on return), relay bytes
 * both ways, forward window changes, until the session's process exited and
 * its output is drained (EIO on the master, or 250 ms of silence after
 * EXITED). Fills *ex. If the local side goes away (EOF/EIO/SIGHUP on in_fd
 * or EPIPE on out_fd) it returns -1 with err->code = EPIPE; the caller then
 * closes the agent connection, which makes the agent hang up the session.
 * Only a terminal in_fd going away counts: EOF on a non-tty in_fd (a pipe,
 * /dev/null) just ends the input, as with `ssh -t` (a pty program never
 * sees the caller's EOF). master_fd is switched to non-blocking mode;
 * SIGPIPE is ignored and SIGWINCH blocked while the relay runs.
 */
int msb_pty_relay(const struct msb_pty_relay_opts *o, struct msb_exec_exit *ex,
    struct msb_error *err);

#endif
