/*
 * Regression tests of the pty relay (lib/pty-relay.c) when the local
 * output is slower than the sandbox: the session has exited (EXITED came
 * first) while the master still holds output. Nothing may be lost (the
 * silence after EXITED used to be counted while the relay could not read,
 * so a slow client lost the tail), and the relay must wait in poll, not
 * spin (a master whose other side is closed reports POLLHUP even when
 * polled for nothing). The "master" is a socketpair: the relay only
 * reads and writes it; a fake agent sends HELLO_OK and EXITED.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msb/agent.h"
#include "msb/buf.h"
#include "msb/error.h"
#include "msb/proto.h"
#include "msb/pty-relay.h"
#include "agent-msg.h"
#include "fake-agent.h"

#define TOTAL (256 * 1024)
#define STALL_US 800000

TestSuite(pty_relay, .fini = fake_agent_stop);

static void
send_msg(int sock, uint8_t type, struct msb_buf *payload)
{
	struct msb_buf *b = msb_buf_new();

	if (msb_frame_begin(b, type, type == MSB_MSG_HELLO_OK ? 0 : 1) != 0 ||
	    msb_buf_put(b, msb_buf_ptr(payload), msb_buf_len(payload)) != 0 ||
	    msb_frame_end(b) != 0 || msb_frame_send(sock, b, NULL, 0) != 0)
		_exit(90);
	msb_buf_free(b);
}

/* HELLO_OK, then EXITED with status 7 at once; keep the connection. */
static void
fake_agent(int sock)
{
	struct msb_hello_ok_msg ok = { 1, "fake", "fake-agent" };
	struct msb_exited_msg ex = { MSB_EXIT_CODE, 7, 0 };
	struct msb_buf *rx = msb_buf_new(), *b = msb_buf_new();
	struct msb_frame f;
	char c;

	if (msb_frame_recv(sock, rx, &f) != 0)
		_exit(91);
	msb_frame_release(&f);
	if (msb_msg_put_hello_ok(b, &ok) != 0)
		_exit(92);
	send_msg(sock, MSB_MSG_HELLO_OK, b);
	msb_buf_reset(b);
	if (msb_msg_put_exited(b, &ex) != 0)
		_exit(93);
	send_msg(sock, MSB_MSG_EXITED, b);
	while (recv(sock, &c, 1, 0) > 0)
		;
	_exit(0);
}

static struct msb_agent *
connect_fake(void)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_agent *a;

	cr_assert_eq(msb_agent_connect(fake_agent_start("relay", fake_agent),
	    MSB_CHAN_COMMAND, NULL, &a, &err), 0, "%s", msb_error_msg(&err));
	return a;
}

struct side {
	int fd;
	int close_after;     /* writer: close its end when done */
	size_t n;            /* reader: bytes that arrived */
	int bad;             /* reader: a byte out of sequence */
};

/* The sandbox's program: TOTAL bytes of a known sequence, then exit. */
static void *
writer(void *arg)
{
	struct side *w = arg;
	char buf[4096];
	size_t off = 0, i, k;
	ssize_t n;

	while (off < TOTAL) {
		for (i = 0; i < sizeof(buf); i++)
			buf[i] = (char)((off + i) % 251);
		for (k = 0; k < sizeof(buf); k += (size_t)n)
			if ((n = send(w->fd, buf + k, sizeof(buf) - k,
			    MSG_NOSIGNAL)) <= 0)
				return NULL;
		off += sizeof(buf);
	}
	if (w->close_after)
		close(w->fd);
	return NULL;
}

/* The slow client: nothing for STALL_US, then everything. */
static void *
reader(void *arg)
{
	struct side *r = arg;
	char buf[8192];
	ssize_t n, i;

	usleep(STALL_US);
	while ((n = read(r->fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++)
			if (buf[i] != (char)((r->n + (size_t)i) % 251))
				r->bad = 1;
		r->n += (size_t)n;
	}
	return NULL;
}

static double
cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void
run(int close_slave)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_pty_relay_opts o;
	struct msb_exec_exit ex;
	struct side w, r;
	pthread_t tw, tr;
	int m[2], out[2], null;
	double cpu;

	memset(&o, 0, sizeof(o));

	/* The fake agent first: its fork must not hold copies of the
	 * pipes below (the reader would never see EOF). */
	o.agent = connect_fake();
	cr_assert_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, m), 0);
	cr_assert_eq(pipe2(out, O_CLOEXEC), 0);
	cr_assert_geq(null = open("/dev/null", O_RDONLY | O_CLOEXEC), 0);
	memset(&w, 0, sizeof(w));
	memset(&r, 0, sizeof(r));
	w.fd = m[1];
	w.close_after = close_slave;
	r.fd = out[0];
	o.in_fd = null;
	o.out_fd = out[1];
	o.master_fd = m[0];
	o.winch_fd = -1;
	cr_assert_eq(pthread_create(&tw, NULL, writer, &w), 0);
	cr_assert_eq(pthread_create(&tr, NULL, reader, &r), 0);
	cpu = cpu_seconds();
	cr_assert_eq(msb_pty_relay(&o, &ex, &err), 0, "%s",
	    msb_error_msg(&err));
	cpu = cpu_seconds() - cpu;
	/* Unblock both threads whatever the relay left unread. */
	shutdown(m[0], SHUT_RDWR);
	close(out[1]);
	pthread_join(tr, NULL);
	pthread_join(tw, NULL);
	if (!close_slave)
		close(m[1]);
	cr_assert_eq(ex.status, 7);
	cr_assert_eq(r.n, TOTAL, "the client got %zu of %d bytes", r.n, TOTAL);
	cr_assert_eq(r.bad, 0, "output out of sequence");
	/* Waiting STALL_US for the client: a spinning relay burns about
	 * that much CPU, a polling one next to nothing. */
	cr_assert_lt(cpu, STALL_US / 1e6 / 2, "the relay used %.2f s of CPU "
	    "while the client was not reading", cpu);
	close(m[0]);
	close(out[0]);
	close(null);
	msb_agent_close(o.agent);
}

/* A background process keeps the slave open: output after EXITED is
 * still delivered in full to a slow client. */
Test(pty_relay, slow_client_gets_all_output_slave_open, .timeout = 60)
{
	run(0);
}

/* The slave is closed (POLLHUP on the master): no spinning meanwhile. */
Test(pty_relay, slow_client_gets_all_output_slave_closed, .timeout = 60)
{
	run(1);
}
