/*
 * Options of `msb ssh serve` / msb-proxy, parsed by one function so that
 * the CLI (which validates, then execs msb-proxy with the same arguments)
 * and msb-proxy agree exactly.
 * Upper-layer convention: 0 / -1 with struct msb_error (EINVAL = usage).
 */
#ifndef MSB_SERVE_OPTS_H
#define MSB_SERVE_OPTS_H

#include <stdint.h>

#include "msb/error.h"

#define MSB_SERVE_DEFAULT_HOST "127.0.0.1"
#define MSB_SERVE_DEFAULT_PORT 2222
#define MSB_SERVE_DEFAULT_MAX_CONNECTIONS 64

#define MSB_SERVE_USAGE \
	"NAME (--stdio | --port PORT [--host ADDRESS] [--max-connections N])\n" \
	"       [--inactivity-timeout DURATION | --no-inactivity-timeout] " \
	"[--log-level LEVEL]\n" \
	"       [--forwarding none|local|remote|all]"

struct msb_serve_opts {
	const char *name;          /* sandbox */
	int stdio;                 /* one connection on stdin/stdout */
	int listen;                /* TCP listener (--port) */
	int port;
	const char *host;          /* listener address */
	int host_given;            /* --host was explicit */
	uint32_t inactivity;       /* seconds; 0 = none */
	const char *log_level;     /* sshd LogLevel */
	unsigned int max_connections;
	int max_given;
	int forwarding;            /* --forwarding: MSB_SSH_FWD_*; -1 = not
	                              given (the sandbox's setting) */
};

/*
 * Parse argv[1..argc-1] (argv[0] is the command name). Accepts "--opt VALUE"
 * and "--opt=VALUE". Exactly one of --stdio / --port. Strings point into argv.
 */
int msb_serve_opts_parse(int argc, char **argv, struct msb_serve_opts *o,
    struct msb_error *err);
/*
 * The forwarding a connection gets: what the sandbox allows (its
 * ssh_forwarding), narrowed by --forwarding. It never widens.
 */
int msb_serve_forwarding(const struct msb_serve_opts *o, int allowed);
/* 1 if the parsed host is a loopback address. */
int msb_serve_host_is_loopback(const char *host);

#endif
