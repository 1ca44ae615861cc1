/* A scripted stand-in for msb-agent (see fake-agent.h). */
#include "config.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fake-agent.h"

static char dir[64], path[128];
static pid_t server = -1;

const char *
fake_agent_start(const char *tag, void (*serve)(int sock))
{
	struct sockaddr_un sun;
	char c;
	int ls, s;

	snprintf(dir, sizeof(dir), "/tmp/msb-%s-test.XXXXXX", tag);
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/agent.sock", dir);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	cr_assert_lt(strlen(path), sizeof(sun.sun_path));
	strcpy(sun.sun_path, path);
	ls = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	cr_assert_geq(ls, 0);
	cr_assert_eq(bind(ls, (struct sockaddr *)&sun, sizeof(sun)), 0);
	cr_assert_eq(listen(ls, 4), 0);
	server = fork();
	cr_assert_geq(server, 0);
	if (server == 0) {
		if ((s = accept(ls, NULL, NULL)) < 0)
			_exit(94);
		serve(s);
		/* Keep the connection until the client is done. */
		while (recv(s, &c, 1, 0) > 0)
			;
		_exit(0);
	}
	close(ls);
	return path;
}

void
fake_agent_stop(void)
{
	int st;

	if (server > 0) {
		kill(server, SIGKILL);
		waitpid(server, &st, 0);
		server = -1;
	}
	if (dir[0] != '\0') {
		unlink(path);
		rmdir(dir);
		dir[0] = '\0';
	}
}
