/*
 * libFuzzer harness: a packet as the agent or a host client receives it.
 * The input is sent as one SOCK_SEQPACKET packet; msb_frame_recv must
 * accept exactly the well-formed frames (length field = packet length - 4,
 * within limits), and the payload of an accepted frame goes to the
 * decoder for its type, as the agent's and the clients' dispatch does.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "msb/agent.h"
#include "msb/buf.h"
#include "msb/err.h"
#include "msb/proto.h"
#include "agent-msg.h"
#include "fuzz.h"

static int sp[2] = { -1, -1 };
static struct msb_buf *rx;

static void
decode(struct msb_frame *f)
{
	struct msb_hello_msg h;
	struct msb_hello_ok_msg ok;
	struct msb_exec_msg e;
	struct msb_exited_msg x;
	struct msb_accounts a;
	uint32_t u;
	char *msg;
	int err;

	switch (f->type) {
	case MSB_MSG_HELLO:
		if (msb_msg_get_hello(f->payload, &h) == 0)
			msb_hello_msg_free(&h);
		break;
	case MSB_MSG_HELLO_OK:
		if (msb_msg_get_hello_ok(f->payload, &ok) == 0)
			msb_hello_ok_msg_free(&ok);
		break;
	case MSB_MSG_ERROR:
		if (msb_proto_get_error(f->payload, &err, &msg) == 0)
			free(msg);
		break;
	case MSB_MSG_OK:
	case MSB_MSG_ACCOUNTS:
		(void)msb_frame_expect_end(f);
		break;
	case MSB_MSG_EXEC:
		if (msb_msg_get_exec(f->payload, f->nfds, &e) == 0)
			msb_exec_msg_free(&e);
		break;
	case MSB_MSG_STARTED:
		(void)msb_msg_get_started(f->payload, &u);
		break;
	case MSB_MSG_EXITED:
		(void)msb_msg_get_exited(f->payload, &x);
		break;
	case MSB_MSG_SIGNAL:
		(void)msb_msg_get_signal(f->payload, &u);
		break;
	case MSB_MSG_ACCOUNTS_REPLY:
		if (msb_msg_get_accounts(f->payload, &a) == 0)
			msb_accounts_free(&a);
		break;
	default:
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msb_frame f;
	uint32_t len;
	int r;

	if (sp[0] < 0) {
		FUZZ_CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
		    sp) == 0);
		/* Room for the largest packet the codec could see. */
		r = 4 * 1024 * 1024;
		(void)setsockopt(sp[0], SOL_SOCKET, SO_SNDBUF, &r, sizeof(r));
		(void)setsockopt(sp[1], SOL_SOCKET, SO_RCVBUF, &r, sizeof(r));
		FUZZ_CHECK((rx = msb_buf_new()) != NULL);
	}
	if (size == 0 || size > MSB_PROTO_FRAME_MAX + 64)
		return 0;
	if (send(sp[0], data, size, 0) != (ssize_t)size)
		return 0;
	r = msb_frame_recv(sp[1], rx, &f);
	len = size >= 4 ? (uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 |
	    (uint32_t)data[2] << 8 | data[3] : 0;
	if (r == 0) {
		FUZZ_CHECK(size >= MSB_PROTO_HDR_LEN && len == size - 4 &&
		    len <= MSB_PROTO_FRAME_MAX);
		FUZZ_CHECK(f.type == data[4] && f.nfds == 0);
		FUZZ_CHECK(msb_buf_len(f.payload) == size - MSB_PROTO_HDR_LEN);
		decode(&f);
		msb_frame_release(&f);
	} else
		FUZZ_CHECK(r == MSB_ERR_PROTOCOL && (size < MSB_PROTO_HDR_LEN ||
		    len != size - 4 || len > MSB_PROTO_FRAME_MAX));
	return 0;
}
