/*
 * msb-proxy: `msb ssh serve` (the CLI validates, then execs us with the
 * same arguments). --stdio serves one connection on stdin/stdout (an
 * OpenSSH ProxyCommand); --port runs a loopback accept loop that forks the
 * same per-connection path for each client.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "msb/log.h"
#include "proxy.h"

static void
log_to_file(const struct proxy *px, const char *msg)
{
	char stamp[32];
	struct tm tm;
	time_t now;
	int fd;

	if (px == NULL || px->log_file == NULL)
		return;
	fd = open(px->log_file, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	now = time(NULL);
	if (localtime_r(&now, &tm) == NULL ||
	    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		strcpy(stamp, "-");
	dprintf(fd, "%s msb-proxy[%ld]: %s\n", stamp, (long)getpid(), msg);
	close(fd);
}

void
proxy_log(const struct proxy *px, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_to_file(px, msg);
}

void
proxy_error(const struct proxy *px, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_error("%s", msg);      /* stderr: never stdout */
	log_to_file(px, msg);
}

int
main(int argc, char **argv)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct proxy px;
	int i, r;

	msb_log_init("msb-proxy", MSB_LOG_INFO);
	memset(&px, 0, sizeof(px));
	/* Anywhere on the line, as with msb(1); no name starts with '-'. */
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			printf("usage: msb-proxy " MSB_SERVE_USAGE "\n"
			    "       msb-proxy --help | --version\n"
			    "Started by 'msb ssh serve'; see msb-proxy(8) and "
			    "msb-ssh(1).\n");
			return 0;
		}
		if (strcmp(argv[i], "--version") == 0 ||
		    strcmp(argv[i], "-V") == 0) {
			printf("msb-proxy %s\n", PACKAGE_VERSION);
			return 0;
		}
	}
	if (msb_serve_opts_parse(argc, argv, &px.opts, &err) != 0) {
		log_error("%s", msb_error_msg(&err));
		fprintf(stderr, "usage: msb-proxy " MSB_SERVE_USAGE "\n"
		    "       msb-proxy --help | --version\n");
		msb_error_clear(&err);
		return PROXY_EXIT_USAGE;
	}
	if ((px.sb = msb_sandbox_load(px.opts.name, &err)) == NULL) {
		log_error("%s", msb_error_msg(&err));
		msb_error_clear(&err);
		return PROXY_EXIT_FAILURE;
	}
	if ((px.log_file = msb_sandbox_path(px.sb, "log")) == NULL) {
		log_error("out of memory");
		msb_sandbox_free(px.sb);
		return PROXY_EXIT_FAILURE;
	}
	/* --forwarding only narrows what the sandbox's owner allowed. */
	if (px.opts.forwarding > 0 &&
	    (px.opts.forwarding & ~px.sb->cfg.ssh_forwarding) != 0) {
		proxy_error(&px, "--forwarding %s: sandbox %s allows TCP "
		    "forwarding '%s' only (change that with 'msb ssh forwarding "
		    "%s MODE')", msb_ssh_forwarding_name(px.opts.forwarding),
		    px.opts.name,
		    msb_ssh_forwarding_name(px.sb->cfg.ssh_forwarding),
		    px.opts.name);
		msb_sandbox_free(px.sb);
		free(px.log_file);
		return PROXY_EXIT_FAILURE;
	}
	if (px.opts.stdio)
		proxy_session(&px);
	r = proxy_listen(&px);
	msb_sandbox_free(px.sb);
	free(px.log_file);
	return r;
}
