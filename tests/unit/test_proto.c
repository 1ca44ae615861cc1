/* Unit tests of agent protocol framing, fd passing and shared codecs. */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "msb/buf.h"
#include "msb/err.h"
#include "msb/proto.h"

static int sv[2];

static void
setup(void)
{
	cr_assert_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
}

static void
teardown(void)
{
	close(sv[0]);
	close(sv[1]);
}

static void
send_raw(const void *p, size_t len, const int *fds, int nfds)
{
	struct msb_buf *b = msb_buf_new();

	cr_assert_eq(msb_buf_put(b, p, len), 0);
	cr_assert_eq(msb_frame_send(sv[0], b, fds, nfds), 0);
	msb_buf_free(b);
}

TestSuite(proto, .init = setup, .fini = teardown);

Test(proto, frame_roundtrip_with_fd)
{
	struct msb_buf *tx = msb_buf_new(), *rx = msb_buf_new();
	struct msb_frame f;
	struct stat a, b;
	char *s;
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	cr_assert_eq(msb_frame_begin(tx, MSB_MSG_FS_PATH, 77), 0);
	cr_assert_eq(msb_buf_put_cstring(tx, "/tmp/x"), 0);
	cr_assert_eq(msb_frame_end(tx), 0);
	cr_assert_eq(msb_frame_send(sv[0], tx, &fd, 1), 0);
	cr_assert_eq(msb_frame_recv(sv[1], rx, &f), 0);
	cr_assert_eq(f.type, MSB_MSG_FS_PATH);
	cr_assert_eq(f.id, 77);
	cr_assert_eq(f.nfds, 1);
	cr_assert_eq(fstat(fd, &a), 0);
	cr_assert_eq(fstat(f.fds[0], &b), 0);
	cr_assert_eq(a.st_ino, b.st_ino);
	cr_assert_eq(msb_buf_get_cstring(f.payload, &s, NULL), 0);
	cr_assert_str_eq(s, "/tmp/x");
	cr_assert_eq(msb_frame_expect_end(&f), 0);
	free(s);
	msb_frame_release(&f);
	close(fd);
	msb_buf_free(tx);
	msb_buf_free(rx);
}

Test(proto, eof_is_reported)
{
	struct msb_buf *rx = msb_buf_new();
	struct msb_frame f;

	close(sv[0]);
	sv[0] = open("/dev/null", O_RDONLY);
	cr_assert_eq(msb_frame_recv(sv[1], rx, &f), MSB_ERR_EOF);
	msb_buf_free(rx);
}

Test(proto, length_mismatch_is_protocol_error)
{
	struct msb_buf *rx = msb_buf_new();
	struct msb_frame f;
	uint8_t pkt[12] = { 0, 0, 0, 9, MSB_MSG_OK, 0, 0, 0, 1, 0, 0, 0 };

	send_raw(pkt, sizeof(pkt), NULL, 0);   /* says 9, carries 8 */
	cr_assert_eq(msb_frame_recv(sv[1], rx, &f), MSB_ERR_PROTOCOL);
	msb_buf_free(rx);
}

Test(proto, short_header_is_protocol_error)
{
	struct msb_buf *rx = msb_buf_new();
	struct msb_frame f;
	uint8_t pkt[3] = { 0, 0, 0 };

	send_raw(pkt, sizeof(pkt), NULL, 0);
	cr_assert_eq(msb_frame_recv(sv[1], rx, &f), MSB_ERR_PROTOCOL);
	msb_buf_free(rx);
}

Test(proto, oversized_packet_is_protocol_error)
{
	struct msb_buf *rx = msb_buf_new();
	struct msb_frame f;
	size_t len = MSB_PROTO_FRAME_MAX + 64;
	uint8_t *pkt = calloc(1, len);
	int big = 1 << 20;

	cr_assert_eq(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big)), 0);
	msb_poke_u32(pkt, (uint32_t)(len - 4));
	send_raw(pkt, len, NULL, 0);
	cr_assert_eq(msb_frame_recv(sv[1], rx, &f), MSB_ERR_PROTOCOL);
	free(pkt);
	msb_buf_free(rx);
}

Test(proto, too_many_fds_closed_and_rejected)
{
	struct msb_buf *rx = msb_buf_new(), *tx = msb_buf_new();
	struct msb_frame f;
	int fds[3], extra[2], i, before, after;

	for (i = 0; i < 3; i++)
		fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	cr_assert_eq(pipe(extra), 0);
	/* Find the lowest free fd before, to detect leaks afterwards. */
	before = dup(0);
	close(before);
	cr_assert_eq(msb_frame_begin(tx, MSB_MSG_OK, 1), 0);
	cr_assert_eq(msb_frame_end(tx), 0);
	/* Bypass the sender's own check with a raw sendmsg of 4 fds. */
	{
		union {
			char buf[CMSG_SPACE(sizeof(int) * 4)];
			struct cmsghdr align;
		} c;
		struct msghdr m;
		struct iovec iov;
		struct cmsghdr *cm;
		int four[4] = { fds[0], fds[1], fds[2], extra[0] };

		memset(&m, 0, sizeof(m));
		iov.iov_base = (void *)msb_buf_ptr(tx);
		iov.iov_len = msb_buf_len(tx);
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = c.buf;
		m.msg_controllen = sizeof(c.buf);
		cm = CMSG_FIRSTHDR(&m);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * 4);
		memcpy(CMSG_DATA(cm), four, sizeof(four));
		cr_assert_eq(sendmsg(sv[0], &m, 0), (ssize_t)iov.iov_len);
	}
	cr_assert_eq(msb_frame_recv(sv[1], rx, &f), MSB_ERR_PROTOCOL);
	after = dup(0);
	close(after);
	cr_assert_eq(before, after, "received fds leaked");
	for (i = 0; i < 3; i++)
		close(fds[i]);
	close(extra[0]);
	close(extra[1]);
	msb_buf_free(rx);
	msb_buf_free(tx);
}

Test(proto, frame_end_rejects_oversize)
{
	struct msb_buf *tx = msb_buf_new();
	uint8_t *p;

	cr_assert_eq(msb_frame_begin(tx, MSB_MSG_OK, 1), 0);
	cr_assert_eq(msb_buf_reserve(tx, MSB_PROTO_FRAME_MAX, &p), 0);
	memset(p, 0, MSB_PROTO_FRAME_MAX);
	cr_assert_eq(msb_frame_end(tx), MSB_ERR_TOO_LARGE);
	msb_buf_free(tx);
}

Test(proto, error_reply_roundtrip)
{
	struct msb_buf *rx = msb_buf_new();
	struct msb_frame f;
	char *msg;
	int e;

	cr_assert_eq(msb_proto_send_error(sv[0], 5, ENOENT, "unknown user '%s'", "bob"), 0);
	cr_assert_eq(msb_frame_recv(sv[1], rx, &f), 0);
	cr_assert_eq(f.type, MSB_MSG_ERROR);
	cr_assert_eq(f.id, 5);
	cr_assert_eq(msb_proto_get_error(f.payload, &e, &msg), 0);
	cr_assert_eq(e, ENOENT);
	cr_assert_str_eq(msg, "unknown user 'bob'");
	free(msg);
	msb_frame_release(&f);
	msb_buf_free(rx);
}

Test(proto, attrs_roundtrip_and_truncation)
{
	struct msb_buf *b = msb_buf_new(), *v;
	struct msb_fs_attrs a, out;
	struct stat st;
	size_t full, n;

	cr_assert_eq(stat("/", &st), 0);
	msb_fs_attrs_from_stat(&a, &st);
	a.mtime_sec = -5;
	cr_assert_eq(msb_proto_put_attrs(b, &a), 0);
	full = msb_buf_len(b);
	cr_assert_eq(full, 92);
	for (n = 0; n < full; n++) {
		v = msb_buf_from(msb_buf_ptr(b), n);
		cr_assert_eq(msb_proto_get_attrs(v, &out), MSB_ERR_INCOMPLETE);
		msb_buf_free(v);
	}
	cr_assert_eq(msb_proto_get_attrs(b, &out), 0);
	cr_assert_eq(memcmp(&a, &out, sizeof(a)), 0);
	msb_buf_free(b);
}

Test(proto, setattrs_rejects_bad_values)
{
	struct msb_buf *b = msb_buf_new();
	struct msb_fs_setattrs s, out;

	memset(&s, 0, sizeof(s));
	s.mask = 0x80;
	cr_assert_eq(msb_proto_put_setattrs(b, &s), 0);
	cr_assert_eq(msb_proto_get_setattrs(b, &out), MSB_ERR_FORMAT);
	msb_buf_reset(b);
	s.mask = MSB_FS_SET_ATIME;
	s.atime_nsec = 1000000000u;
	cr_assert_eq(msb_proto_put_setattrs(b, &s), 0);
	cr_assert_eq(msb_proto_get_setattrs(b, &out), MSB_ERR_FORMAT);
	msb_buf_free(b);
}

Test(proto, pty_params_roundtrip)
{
	struct msb_buf *b = msb_buf_new();
	struct msb_pty_params p, q;
	struct termios tio, t2;
	struct winsize ws = { 40, 120, 0, 0 }, w2;

	memset(&tio, 0, sizeof(tio));
	tio.c_lflag = ICANON | ECHO | ISIG;
	tio.c_cc[VINTR] = 3;
	cfsetispeed(&tio, B38400);
	cfsetospeed(&tio, B38400);
	msb_pty_params_from(&p, "xterm-256color", &tio, &ws);
	cr_assert_eq(msb_proto_put_pty(b, &p), 0);
	cr_assert_eq(msb_proto_get_pty(b, &q), 0);
	cr_assert_str_eq(q.term, "xterm-256color");
	msb_pty_params_to(&q, &t2, &w2);
	cr_assert_eq(w2.ws_row, 40);
	cr_assert_eq(w2.ws_col, 120);
	cr_assert_eq(t2.c_lflag, tio.c_lflag);
	cr_assert_eq(t2.c_cc[VINTR], 3);
	cr_assert_eq(cfgetospeed(&t2), B38400);
	msb_pty_params_free(&q);
	msb_buf_free(b);
}
