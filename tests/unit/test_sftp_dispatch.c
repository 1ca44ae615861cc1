/*
 * Unit tests of msb-sftp-server's dispatcher without a client or agent:
 * packets go straight into sftp_dispatch(), replies are parsed from the
 * output queue, and the filesystem channel is a socketpair whose far end
 * the test reads and answers.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msb/buf.h"
#include "msb/err.h"
#include "msb/log.h"
#include "msb/proto.h"
#include "msb-sftp-server/handle.h"
#include "msb-sftp-server/packet.h"
#include "msb-sftp-server/server.h"
#include "msb-sftp-server/sftp.h"

static struct srv s;
static int agent_peer = -1;

static void
setup(void)
{
	int sv[2];

	memset(&s, 0, sizeof(s));
	msb_log_set_level(MSB_LOG_QUIET);
	cr_assert_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0, sv), 0);
	s.agent_fd = sv[0];
	agent_peer = sv[1];
	s.iq = msb_buf_new();
	s.oq = msb_buf_new();
	s.sendq = msb_buf_new();
	s.ftx = msb_buf_new();
	s.frx = msb_buf_new();
	s.next_wid = 1;
	s.start_dir = strdup("/home/u");
	s.max_open_handles = 100;
	sftp_handles_init(&s.ht, 100);
}

static void
teardown(void)
{
	close(s.agent_fd);
	close(agent_peer);
}

TestSuite(sftp_dispatch, .init = setup, .fini = teardown);

/* Build "type id payload" and dispatch it. */
static void
send_pkt(uint8_t type, uint32_t id, const struct msb_buf *payload)
{
	struct msb_buf *p = msb_buf_new();

	cr_assert_eq(msb_buf_put_u8(p, type), 0);
	cr_assert_eq(msb_buf_put_u32(p, id), 0);
	if (payload != NULL)
		cr_assert_eq(msb_buf_put(p, msb_buf_ptr(payload),
		    msb_buf_len(payload)), 0);
	sftp_dispatch(&s, msb_buf_ptr(p), msb_buf_len(p), -1);
	msb_buf_free(p);
}

static void
init_session(void)
{
	send_pkt(SSH2_FXP_INIT, 3, NULL);
	msb_buf_reset(s.oq);
}

struct reply {
	uint8_t type;
	uint32_t id;
	uint32_t status;         /* for STATUS */
	struct msb_buf *body;    /* after the id */
};

/* Pop the next reply packet from the output queue; 0 if none. */
static int
next_reply(struct reply *r)
{
	uint32_t len;

	memset(r, 0, sizeof(*r));
	if (msb_buf_len(s.oq) == 0)
		return 0;
	cr_assert_eq(msb_buf_get_u32(s.oq, &len), 0);
	cr_assert_geq(len, 5);
	cr_assert_leq(len, msb_buf_len(s.oq));
	cr_assert_leq(len, SFTP_MAX_MSG_LENGTH, "reply too big for clients");
	cr_assert_eq(msb_buf_get_u8(s.oq, &r->type), 0);
	cr_assert_eq(msb_buf_get_u32(s.oq, &r->id), 0);
	r->body = msb_buf_new();
	cr_assert_eq(msb_buf_put(r->body, msb_buf_ptr(s.oq), len - 5), 0);
	cr_assert_eq(msb_buf_consume(s.oq, len - 5), 0);
	if (r->type == SSH2_FXP_STATUS)
		cr_assert_eq(msb_buf_peek_u32(r->body, &r->status), 0);
	return 1;
}

static void
expect_status(uint32_t id, uint32_t status, const char *what)
{
	struct reply r;

	cr_assert_eq(next_reply(&r), 1, "%s: no reply", what);
	cr_assert_eq(r.type, SSH2_FXP_STATUS, "%s: type %u", what, r.type);
	cr_assert_eq(r.id, id, "%s: id", what);
	cr_assert_eq(r.status, status, "%s: status %u, expected %u", what,
	    r.status, status);
	msb_buf_free(r.body);
}

/* The next frame the server sent on the filesystem channel. */
static int
worker_frame(struct msb_frame *f)
{
	static struct msb_buf *rx;

	if (rx == NULL)
		rx = msb_buf_new();
	return msb_frame_recv(agent_peer, rx, f);
}

Test(sftp_dispatch, version_lists_extensions_in_openssh_order)
{
	static const char *const want[][2] = {
		{ "posix-rename@openssh.com", "1" },
		{ "statvfs@openssh.com", "2" }, { "fstatvfs@openssh.com", "2" },
		{ "hardlink@openssh.com", "1" }, { "fsync@openssh.com", "1" },
		{ "lsetstat@openssh.com", "1" }, { "limits@openssh.com", "1" },
		{ "expand-path@openssh.com", "1" }, { "copy-data", "1" },
		{ "home-directory", "1" },
		{ "users-groups-by-id@openssh.com", "1" },
	};
	struct reply r;
	char *name, *ver;
	size_t i;

	send_pkt(SSH2_FXP_INIT, 3, NULL);
	cr_assert_eq(next_reply(&r), 1);
	cr_assert_eq(r.type, SSH2_FXP_VERSION);
	cr_assert_eq(r.id, 3, "version 3");
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		cr_assert_eq(msb_buf_get_cstring(r.body, &name, NULL), 0);
		cr_assert_eq(msb_buf_get_cstring(r.body, &ver, NULL), 0);
		cr_assert_str_eq(name, want[i][0]);
		cr_assert_str_eq(ver, want[i][1], "%s", name);
		free(name);
		free(ver);
	}
	cr_assert_eq(msb_buf_len(r.body), 0);
	cr_assert(s.init_done);
	msb_buf_free(r.body);
}

Test(sftp_dispatch, readonly_and_lists_filter_version_and_requests)
{
	struct msb_buf *pl = msb_buf_new();
	struct reply r;
	char *name;
	int seen_limits = 0;

	s.readonly = 1;
	cr_assert_eq(sftp_policy_set(&s, 1, "limits,stat"), 0);
	cr_assert_neq(sftp_policy_set(&s, 0, "open,nosuchrequest"), 0,
	    "unknown request names are refused");
	send_pkt(SSH2_FXP_INIT, 3, NULL);
	cr_assert_eq(next_reply(&r), 1);
	while (msb_buf_len(r.body) > 0) {
		cr_assert_eq(msb_buf_get_cstring(r.body, &name, NULL), 0);
		cr_assert_eq(msb_buf_skip_string(r.body), 0);
		cr_assert_str_neq(name, "posix-rename@openssh.com");
		cr_assert_str_neq(name, "copy-data");
		cr_assert_str_neq(name, "limits@openssh.com");
		seen_limits |= strcmp(name, "statvfs@openssh.com") == 0;
		free(name);
	}
	cr_assert(seen_limits, "read-only extensions stay advertised");
	msb_buf_free(r.body);
	cr_assert_eq(msb_buf_put_cstring(pl, "x"), 0);
	send_pkt(SSH2_FXP_REMOVE, 5, pl);
	expect_status(5, SSH2_FX_PERMISSION_DENIED, "remove in -R");
	send_pkt(SSH2_FXP_STAT, 6, pl);
	expect_status(6, SSH2_FX_PERMISSION_DENIED, "denylisted stat");
	/* OPEN for writing is refused by -R, OPEN for reading is not */
	cr_assert_eq(msb_buf_put_u32(pl, SSH2_FXF_WRITE | SSH2_FXF_CREAT), 0);
	cr_assert_eq(msb_buf_put_u32(pl, 0), 0);
	send_pkt(SSH2_FXP_OPEN, 7, pl);
	expect_status(7, SSH2_FX_PERMISSION_DENIED, "write open in -R");
	cr_assert_eq(next_reply(&r), 0);
	msb_buf_free(pl);
}

Test(sftp_dispatch, unknown_malformed_and_invalid_handles)
{
	static const struct {
		uint8_t type;
		const char *ext;
		uint32_t status;
	} inval[] = {
		{ SSH2_FXP_CLOSE, NULL, SSH2_FX_NO_SUCH_FILE },
		{ SSH2_FXP_READ, NULL, SSH2_FX_FAILURE },
		{ SSH2_FXP_WRITE, NULL, SSH2_FX_FAILURE },
		{ SSH2_FXP_FSTAT, NULL, SSH2_FX_FAILURE },
		{ SSH2_FXP_FSETSTAT, NULL, SSH2_FX_FAILURE },
		{ SSH2_FXP_READDIR, NULL, SSH2_FX_FAILURE },
		{ 0, "fsync@openssh.com", SSH2_FX_NO_SUCH_FILE },
		{ 0, "fstatvfs@openssh.com", SSH2_FX_FAILURE },
		{ 0, "copy-data", SSH2_FX_FAILURE },     /* as sftp-server 9.2 */
	};
	const struct sftp_op *op;
	struct msb_buf *pl = msb_buf_new();
	struct msb_frame f;
	uint8_t h[4] = { 0xde, 0xad, 0xbe, 0xef };
	size_t i, k;
	uint32_t id = 100;

	init_session();
	send_pkt(99, 1, NULL);
	expect_status(1, SSH2_FX_OP_UNSUPPORTED, "unknown type");
	cr_assert_eq(msb_buf_put_cstring(pl, "nosuch@example.com"), 0);
	send_pkt(SSH2_FXP_EXTENDED, 2, pl);
	expect_status(2, SSH2_FX_OP_UNSUPPORTED, "unknown extension");
	msb_buf_reset(pl);
	send_pkt(SSH2_FXP_OPEN, 3, NULL);
	expect_status(3, SSH2_FX_BAD_MESSAGE, "empty OPEN");
	send_pkt(SSH2_FXP_EXTENDED, 4, NULL);
	expect_status(4, SSH2_FX_BAD_MESSAGE, "EXTENDED without a name");
	cr_assert_eq(msb_buf_put_cstring(pl, "lsetstat@openssh.com"), 0);
	cr_assert_eq(msb_buf_put_cstring(pl, "x"), 0);
	cr_assert_eq(msb_buf_put_u32(pl, SSH2_FILEXFER_ATTR_SIZE), 0);
	cr_assert_eq(msb_buf_put_u64(pl, 0), 0);
	send_pkt(SSH2_FXP_EXTENDED, 5, pl);
	expect_status(5, SSH2_FX_BAD_MESSAGE, "lsetstat with a size");
	for (i = 0; i < sizeof(inval) / sizeof(inval[0]); i++) {
		op = inval[i].ext != NULL ? sftp_op_by_ext(inval[i].ext) :
		    sftp_op_by_type(inval[i].type);
		cr_assert_not_null(op);
		msb_buf_reset(pl);
		if (inval[i].ext != NULL)
			cr_assert_eq(msb_buf_put_cstring(pl, inval[i].ext), 0);
		for (k = 0; op->args[k] != '\0'; k++) {
			switch (op->args[k]) {
			case 'h':
				cr_assert_eq(msb_buf_put_string(pl, h, 4), 0);
				break;
			case 'q':
				cr_assert_eq(msb_buf_put_u64(pl, 0), 0);
				break;
			case 'u':
			case 'a':
				cr_assert_eq(msb_buf_put_u32(pl, 0), 0);
				break;
			case 'd':
				cr_assert_eq(msb_buf_put_cstring(pl, "x"), 0);
				break;
			}
		}
		send_pkt(inval[i].ext != NULL ? SSH2_FXP_EXTENDED :
		    inval[i].type, ++id, pl);
		expect_status(id, inval[i].status, op->name);
	}
	cr_assert_eq(worker_frame(&f), MSB_ERR_SYSTEM,
	    "no worker request for invalid handles");
	cr_assert_eq(errno, EAGAIN);
	msb_buf_free(pl);
}

/* Per-handle order: a READ behind an FSTAT on the same handle waits for
 * the worker's answer, then runs; replies carry the right ids. */
Test(sftp_dispatch, requests_wait_for_busy_handle)
{
	struct msb_buf *pl = msb_buf_new(), *rb = msb_buf_new();
	struct msb_fs_attrs fa;
	struct msb_frame f;
	struct reply r;
	uint8_t w[4];
	int fd, idx;

	init_session();
	fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	cr_assert_geq(fd, 0);
	idx = sftp_handle_new(&s.ht, SFTP_H_FILE, fd, 0, "/dev/zero");
	sftp_handle_wire(&s.ht, idx, w);
	cr_assert_eq(msb_buf_put_string(pl, w, 4), 0);
	send_pkt(SSH2_FXP_FSTAT, 10, pl);
	cr_assert_eq(msb_buf_len(s.oq), 0, "FSTAT waits for the worker");
	cr_assert_eq(msb_buf_put_u64(pl, 0), 0);
	cr_assert_eq(msb_buf_put_u32(pl, 100), 0);
	send_pkt(SSH2_FXP_READ, 11, pl);
	cr_assert_eq(msb_buf_len(s.oq), 0, "READ waits behind FSTAT");
	cr_assert_gt(s.deferred_bytes, 0);

	cr_assert_eq(worker_frame(&f), 0);
	cr_assert_eq(f.type, MSB_MSG_FS_FSTAT);
	cr_assert_eq(f.nfds, 1, "the handle's fd goes with FS_FSTAT");
	memset(&fa, 0, sizeof(fa));
	fa.mode = 020666;
	fa.size = 0;
	cr_assert_eq(msb_frame_begin(rb, MSB_MSG_FS_ATTRS, f.id), 0);
	cr_assert_eq(msb_proto_put_attrs(rb, &fa), 0);
	cr_assert_eq(msb_frame_end(rb), 0);
	cr_assert_eq(msb_frame_send(agent_peer, rb, NULL, 0), 0);
	msb_frame_release(&f);
	cr_assert_eq(worker_read(&s), 0);

	cr_assert_eq(next_reply(&r), 1);
	cr_assert_eq(r.type, SSH2_FXP_ATTRS);
	cr_assert_eq(r.id, 10);
	msb_buf_free(r.body);
	cr_assert_eq(next_reply(&r), 1);
	cr_assert_eq(r.type, SSH2_FXP_DATA, "the READ ran after the reply");
	cr_assert_eq(r.id, 11);
	msb_buf_free(r.body);
	cr_assert_eq(s.deferred_bytes, 0);
	cr_assert_eq(s.inflight, 0);
	msb_buf_free(pl);
	msb_buf_free(rb);
}

/* Random packets of every type: no crash, every reply well-formed. */
Test(sftp_dispatch, fuzz_random_packets)
{
	const struct sftp_op *ops;
	struct msb_frame f;
	struct msb_buf *pl = msb_buf_new();
	struct reply r;
	uint8_t junk[300];
	size_t n, i, len, k;

	init_session();
	ops = sftp_ops_all(&n);
	srandom(4242);
	for (i = 0; i < 20000; i++) {
		msb_buf_reset(pl);
		k = (size_t)random() % (n + 1);
		len = (size_t)random() % sizeof(junk);
		for (size_t j = 0; j < len; j++)
			junk[j] = (uint8_t)random();
		/* small lengths so strings and counts are sometimes valid */
		if (len > 4 && random() % 2)
			msb_poke_u32(junk, (uint32_t)(random() % 16));
		if (k < n && ops[k].ext_name != NULL)
			cr_assert_eq(msb_buf_put_cstring(pl, ops[k].ext_name), 0);
		cr_assert_eq(msb_buf_put(pl, junk, len), 0);
		send_pkt(k == n ? (uint8_t)random() : k < n &&
		    ops[k].ext_name != NULL ? SSH2_FXP_EXTENDED : ops[k].type,
		    (uint32_t)i, pl);
		while (next_reply(&r) == 1) {
			cr_assert(r.type == SSH2_FXP_STATUS ||
			    r.type == SSH2_FXP_EXTENDED_REPLY ||
			    r.type == SSH2_FXP_VERSION);
			msb_buf_free(r.body);
		}
		/* Drop what reached the "worker"; nothing will answer. */
		while (worker_frame(&f) == 0)
			msb_frame_release(&f);
	}
	msb_buf_free(pl);
}
