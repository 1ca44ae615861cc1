/*
 * Unit tests of the client library (lib/agent-client.c) against a scripted
 * fake agent: the agent runs inside the sandbox, so the host-side client
 * must survive any reply it sends.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msb/agent.h"
#include "msb/buf.h"
#include "msb/error.h"
#include "msb/proto.h"
#include "agent-msg.h"
#include "fake-agent.h"

typedef void (*script_fn)(int sock);

TestSuite(agent_client, .fini = fake_agent_stop);

/* Send one frame of type/id with payload p (len bytes) and optional fd. */
static void
reply(int sock, uint8_t type, uint32_t id, const void *p, size_t len, int fd)
{
	struct msb_buf *b = msb_buf_new();

	if (msb_frame_begin(b, type, id) != 0 || msb_buf_put(b, p, len) != 0 ||
	    msb_frame_end(b) != 0 ||
	    msb_frame_send(sock, b, fd >= 0 ? &fd : NULL, fd >= 0) != 0)
		_exit(90);
	msb_buf_free(b);
}

/* Read and drop one request. */
static void
skip_request(int sock)
{
	struct msb_buf *rx = msb_buf_new();
	struct msb_frame f;

	if (msb_frame_recv(sock, rx, &f) != 0)
		_exit(91);
	msb_frame_release(&f);
	msb_buf_free(rx);
}

static void
hello_ok(int sock, uint32_t version)
{
	struct msb_buf *b = msb_buf_new();
	struct msb_hello_ok_msg ok = { version, "fake", "fake-agent" };

	skip_request(sock);
	if (msb_msg_put_hello_ok(b, &ok) != 0)
		_exit(92);
	reply(sock, MSB_MSG_HELLO_OK, 0, msb_buf_ptr(b), msb_buf_len(b), -1);
	msb_buf_free(b);
}

static void
error_reply(int sock, uint32_t id, uint32_t err, const char *msg)
{
	struct msb_buf *b = msb_buf_new();

	if (msb_buf_put_u32(b, err) != 0 || msb_buf_put_cstring(b, msg) != 0)
		_exit(93);
	reply(sock, MSB_MSG_ERROR, id, msb_buf_ptr(b), msb_buf_len(b), -1);
	msb_buf_free(b);
}

static int
connect_fake(script_fn fn, struct msb_agent **a, struct msb_error *err)
{
	return msb_agent_connect(fake_agent_start("client", fn),
	    MSB_CHAN_COMMAND, NULL, a, err);
}

static void
s_hello_error(int sock)
{
	skip_request(sock);
	error_reply(sock, 0, EPROTONOSUPPORT, "no common version");
}

Test(agent_client, hello_error)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_agent *a;

	cr_assert_eq(connect_fake(s_hello_error, &a, &err), -1);
	cr_assert_null(a);
	cr_assert_eq(err.code, EPROTONOSUPPORT);
	cr_assert_str_eq(msb_error_msg(&err), "no common version");
	msb_error_clear(&err);
}

static void
s_hello_garbage(int sock)
{
	skip_request(sock);
	reply(sock, MSB_MSG_HELLO_OK, 0, "\0\0\0\1\xff\xff\xff\xff", 8, -1);
}

Test(agent_client, hello_garbage)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_agent *a;

	cr_assert_eq(connect_fake(s_hello_garbage, &a, &err), -1);
	cr_assert_eq(err.code, EPROTO);
	msb_error_clear(&err);
}

static void
s_hello_v7(int sock)
{
	hello_ok(sock, 7);
}

Test(agent_client, hello_bad_version)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_agent *a;

	cr_assert_eq(connect_fake(s_hello_v7, &a, &err), -1);
	cr_assert_eq(err.code, EPROTONOSUPPORT);
	msb_error_clear(&err);
}

static void
s_hello_fd(int sock)
{
	struct msb_buf *b = msb_buf_new();
	struct msb_hello_ok_msg ok = { 1, "fake", "fake-agent" };

	skip_request(sock);
	if (msb_msg_put_hello_ok(b, &ok) != 0)
		_exit(92);
	/* An fd nobody asked for. */
	reply(sock, MSB_MSG_HELLO_OK, 0, msb_buf_ptr(b), msb_buf_len(b), 0);
	msb_buf_free(b);
}

Test(agent_client, hello_with_unexpected_fd)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_agent *a;

	cr_assert_eq(connect_fake(s_hello_fd, &a, &err), -1);
	cr_assert_eq(err.code, EPROTO);
	msb_error_clear(&err);
}

static void
s_close(int sock)
{
	skip_request(sock);
	close(sock);
	_exit(0);
}

Test(agent_client, agent_closes)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_agent *a;

	cr_assert_eq(connect_fake(s_close, &a, &err), -1);
	cr_assert_eq(err.code, ECONNRESET);
	msb_error_clear(&err);
}

Test(agent_client, no_agent)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_agent *a;

	cr_assert_eq(msb_agent_connect("/nonexistent/agent.sock",
	    MSB_CHAN_COMMAND, NULL, &a, &err), -1);
	cr_assert_eq(err.code, ENOENT);
	cr_assert_not_null(strstr(msb_error_msg(&err), "/nonexistent/agent.sock"));
	msb_error_clear(&err);
	cr_assert_eq(msb_agent_connect("/x", 7, NULL, &a, &err), -1);
	cr_assert_eq(err.code, EINVAL);
	msb_error_clear(&err);
}

static void
s_exec_enoent(int sock)
{
	hello_ok(sock, 1);
	skip_request(sock);
	error_reply(sock, 1, ENOENT, "nosuch: No such file or directory");
}

Test(agent_client, exec_error)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_exec_req req = MSB_EXEC_REQ_INIT;
	struct msb_exec_started st;
	struct msb_agent *a;
	char *argv[] = { "nosuch", NULL };

	cr_assert_eq(connect_fake(s_exec_enoent, &a, &err), 0);
	cr_assert_str_eq(msb_agent_sandbox(a), "fake");
	cr_assert_eq(msb_agent_version(a), 1);
	req.argv = argv;
	cr_assert_eq(msb_agent_exec(a, &req, &st, &err), -1);
	cr_assert_eq(err.code, ENOENT);
	cr_assert_str_eq(msb_error_msg(&err), "nosuch: No such file or directory");
	cr_assert_eq(st.master_fd, -1);
	msb_error_clear(&err);
	msb_agent_close(a);
}

Test(agent_client, exec_invalid_requests)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_exec_req req = MSB_EXEC_REQ_INIT;
	struct msb_exec_started st;
	struct msb_agent *a;
	char *argv[] = { "true", NULL };

	cr_assert_eq(connect_fake(s_exec_enoent, &a, &err), 0);
	/* Nothing to run, or a command with a login shell. */
	cr_assert_eq(msb_agent_exec(a, &req, &st, &err), -1);
	cr_assert_eq(err.code, EINVAL);
	req.login_shell = 1;
	req.argv = argv;
	cr_assert_eq(msb_agent_exec(a, &req, &st, &err), -1);
	cr_assert_eq(err.code, EINVAL);
	cr_assert_eq(msb_agent_signal(a, 0, &err), -1);
	cr_assert_eq(err.code, EINVAL);
	cr_assert_eq(msb_agent_signal(a, 65, &err), -1);
	msb_error_clear(&err);
	msb_agent_close(a);
}

static void
s_started_without_master(int sock)
{
	static const uint8_t pid[] = { 0, 0, 0, 42 };

	hello_ok(sock, 1);
	skip_request(sock);
	reply(sock, MSB_MSG_STARTED, 1, pid, sizeof(pid), -1);
}

Test(agent_client, pty_started_without_master)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_exec_req req = MSB_EXEC_REQ_INIT;
	struct msb_exec_started st;
	struct msb_agent *a;

	cr_assert_eq(connect_fake(s_started_without_master, &a, &err), 0);
	req.login_shell = 1;
	req.use_pty = 1;
	cr_assert_eq(msb_agent_exec(a, &req, &st, &err), -1);
	cr_assert_eq(err.code, EPROTO);
	msb_error_clear(&err);
	msb_agent_close(a);
}

static void
s_session(int sock)
{
	static const uint8_t pid[] = { 0, 0, 0, 42 };
	static const uint8_t bad_exit[] = { 1, 0, 0, 0, 99, 0 };
	static const uint8_t exit3[] = { 0, 0, 0, 0, 3, 0 };

	hello_ok(sock, 1);
	skip_request(sock);
	reply(sock, MSB_MSG_STARTED, 1, pid, sizeof(pid), -1);
	skip_request(sock);           /* SIGNAL */
	error_reply(sock, 2, ESRCH, "no process is running");
	reply(sock, MSB_MSG_EXITED, 1, exit3, sizeof(exit3), -1);
	reply(sock, MSB_MSG_EXITED, 1, bad_exit, sizeof(bad_exit), -1);
}

Test(agent_client, session_exit_and_late_signal_error)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_exec_req req = MSB_EXEC_REQ_INIT;
	struct msb_exec_started st;
	struct msb_exec_exit ex;
	struct msb_agent *a;
	char *argv[] = { "x", NULL };

	cr_assert_eq(connect_fake(s_session, &a, &err), 0);
	req.argv = argv;
	cr_assert_eq(msb_agent_exec(a, &req, &st, &err), 0);
	cr_assert_eq(st.pid, 42);
	cr_assert_eq(msb_agent_signal(a, SIGTERM, &err), 0);
	/* The ERROR for the SIGNAL is skipped; then the real exit. */
	cr_assert_eq(msb_agent_wait_exit(a, &ex, &err), 0);
	cr_assert_eq(ex.signaled, 0);
	cr_assert_eq(ex.status, 3);
	cr_assert_eq(msb_exec_exit_code(&ex), 3);
	/* A corrupt EXITED (signal 99) is an error, not a status. */
	cr_assert_eq(msb_agent_read_exit(a, &ex, &err), -1);
	cr_assert_eq(err.code, EPROTO);
	msb_error_clear(&err);
	msb_agent_close(a);
}

static void
s_accounts_huge(int sock)
{
	struct msb_buf *b = msb_buf_new();

	hello_ok(sock, 1);
	skip_request(sock);
	if (msb_buf_put_cstring(b, "root") != 0 ||
	    msb_buf_put_u32(b, 0x7fffffff) != 0)
		_exit(95);
	reply(sock, MSB_MSG_ACCOUNTS_REPLY, 1, msb_buf_ptr(b), msb_buf_len(b),
	    -1);
	msb_buf_free(b);
}

Test(agent_client, accounts_hostile_count)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_accounts acc;
	struct msb_agent *a;

	cr_assert_eq(connect_fake(s_accounts_huge, &a, &err), 0);
	cr_assert_eq(msb_agent_accounts(a, &acc, &err), -1);
	cr_assert_eq(err.code, EPROTO);
	cr_assert_null(acc.v);
	msb_error_clear(&err);
	msb_agent_close(a);
}

/*
 * The agent is under the sandbox root's control: a "pty master" it hands
 * back must be a terminal, not a pipe, file or socket of its choosing.
 */
static void
s_started_with_fd(int sock, int fd)
{
	static const uint8_t pid[] = { 0, 0, 0, 42 };

	hello_ok(sock, 1);
	skip_request(sock);
	reply(sock, MSB_MSG_STARTED, 1, pid, sizeof(pid), fd);
}

static void
s_master_pipe(int sock)
{
	int p[2];

	if (pipe(p) != 0)
		_exit(96);
	s_started_with_fd(sock, p[0]);
}

static void
s_master_file(int sock)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd < 0)
		_exit(96);
	s_started_with_fd(sock, fd);
}

static void
s_master_real(int sock)
{
	int fd = posix_openpt(O_RDWR | O_NOCTTY);

	if (fd < 0 || grantpt(fd) != 0 || unlockpt(fd) != 0)
		_exit(96);
	s_started_with_fd(sock, fd);
}

static int
open_fds(void)
{
	int fd, n = 0;

	for (fd = 0; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			n++;
	return n;
}

static int
pty_exec(script_fn fn, struct msb_exec_started *st, struct msb_error *err)
{
	struct msb_exec_req req = MSB_EXEC_REQ_INIT;
	struct msb_agent *a;
	int r;

	cr_assert_eq(connect_fake(fn, &a, err), 0);
	req.login_shell = 1;
	req.use_pty = 1;
	r = msb_agent_exec(a, &req, st, err);
	msb_agent_close(a);
	return r;
}

Test(agent_client, pty_master_must_be_a_terminal)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_exec_started st;
	int before = open_fds();

	cr_assert_eq(pty_exec(s_master_pipe, &st, &err), -1);
	cr_assert_eq(err.code, EPROTO);
	cr_assert_eq(st.master_fd, -1);
	msb_error_clear(&err);
	fake_agent_stop();
	cr_assert_eq(pty_exec(s_master_file, &st, &err), -1);
	cr_assert_eq(err.code, EPROTO);
	msb_error_clear(&err);
	fake_agent_stop();
	cr_assert_eq(open_fds(), before, "the refused fds were closed");
	cr_assert_eq(pty_exec(s_master_real, &st, &err), 0);
	cr_assert_geq(st.master_fd, 0);
	cr_assert(isatty(st.master_fd));
	close(st.master_fd);
}
