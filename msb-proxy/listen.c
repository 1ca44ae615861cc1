/*
 * --port mode: a TCP accept loop (loopback by default) that forks one
 * child per connection with the socket as fds 0 and 1 and runs the same
 * per-connection path as --stdio. Children are counted (connection limit)
 * and reaped from a signalfd; SIGTERM/SIGINT/SIGHUP stop the listener
 * (sessions already running carry on, as with sshd).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proxy.h"

static int
open_listener(struct proxy *px, char *shown, size_t shownlen)
{
	struct addrinfo hints, *res = NULL, *ai;
	const char *host = strcmp(px->opts.host, "localhost") == 0 ?
	    "127.0.0.1" : px->opts.host;
	char port[16];
	int fd = -1, one = 1, r, e = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	snprintf(port, sizeof(port), "%d", px->opts.port);
	if ((r = getaddrinfo(host, port, &hints, &res)) != 0) {
		proxy_error(px, "invalid address %s: %s", host, gai_strerror(r));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			e = errno;
			continue;
		}
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		    listen(fd, 128) == 0)
			break;
		e = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		proxy_error(px, "cannot listen on %s port %d: %s", host,
		    px->opts.port, strerror(e));
		return -1;
	}
	snprintf(shown, shownlen, strchr(host, ':') ? "[%s]:%d" : "%s:%d", host,
	    px->opts.port);
	return fd;
}

static void
child(struct proxy *px, int conn, int lfd, int sfd, const sigset_t *oldmask)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_sandbox *sb;

	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, oldmask, NULL);
	close(lfd);
	close(sfd);
	if (dup2(conn, STDIN_FILENO) < 0 || dup2(conn, STDOUT_FILENO) < 0) {
		proxy_error(px, "dup2: %s", strerror(errno));
		_exit(PROXY_EXIT_FAILURE);
	}
	close(conn);
	/* Settings changed since the listener started apply to new sessions. */
	if ((sb = msb_sandbox_load(px->opts.name, &err)) == NULL) {
		proxy_error(px, "%s", msb_error_msg(&err));
		_exit(PROXY_EXIT_FAILURE);
	}
	msb_sandbox_free(px->sb);
	px->sb = sb;
	proxy_session(px);
}

int
proxy_listen(struct proxy *px)
{
	char shown[128];
	sigset_t mask, oldmask;
	struct signalfd_siginfo si;
	struct pollfd p[2];
	unsigned int active = 0;
	int lfd, sfd, conn, status, stop = 0;
	pid_t pid;

	if (!msb_serve_host_is_loopback(px->opts.host))
		fprintf(stderr, "msb-proxy: warning: listening on %s, which is "
		    "not a loopback address: other machines can reach it\n",
		    px->opts.host);
	if ((lfd = open_listener(px, shown, sizeof(shown))) < 0)
		return PROXY_EXIT_FAILURE;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, &oldmask) != 0 ||
	    (sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		proxy_error(px, "signalfd: %s", strerror(errno));
		return PROXY_EXIT_FAILURE;
	}
	signal(SIGPIPE, SIG_IGN);
	fprintf(stderr, "msb-proxy: serving sandbox %s on %s (at most %u "
	    "connections)\n", px->opts.name, shown, px->opts.max_connections);
	proxy_log(px, "listening on %s", shown);
	p[0].fd = lfd;
	p[0].events = POLLIN;
	p[1].fd = sfd;
	p[1].events = POLLIN;
	while (!stop) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			proxy_error(px, "poll: %s", strerror(errno));
			break;
		}
		if (p[1].revents != 0) {
			while (read(sfd, &si, sizeof(si)) == sizeof(si))
				if (si.ssi_signo != SIGCHLD)
					stop = 1;
			while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
				if (active > 0)
					active--;
		}
		if (stop || (p[0].revents & POLLIN) == 0)
			continue;
		conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (conn < 0) {
			if (errno != EINTR && errno != EAGAIN &&
			    errno != ECONNABORTED)
				proxy_log(px, "accept: %s", strerror(errno));
			continue;
		}
		if (active >= px->opts.max_connections) {
			/* Refuse at once rather than leave the client hanging. */
			proxy_log(px, "connection refused: limit of %u reached",
			    px->opts.max_connections);
			close(conn);
			continue;
		}
		pid = fork();
		if (pid == 0)
			child(px, conn, lfd, sfd, &oldmask);
		if (pid < 0)
			proxy_log(px, "fork: %s", strerror(errno));
		else
			active++;
		close(conn);
	}
	close(lfd);
	close(sfd);
	proxy_log(px, "listener on %s stopped (%u sessions still running)",
	    shown, active);
	fprintf(stderr, "msb-proxy: stopped\n");
	return 0;
}
