/*
 * libFuzzer harness: the handshake and command-channel decoders
 * (lib/agent-msg.c) and the shared codecs of lib/proto.c, fed one payload
 * each. The first byte picks the decoder. Whatever decodes must encode
 * again and decode to the same thing (round trip), and every failure must
 * leave nothing to free (ASan/LSan watch).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msb/agent.h"
#include "msb/buf.h"
#include "msb/err.h"
#include "msb/proto.h"
#include "agent-msg.h"
#include "fuzz.h"

static struct msb_buf *
reencode_start(void)
{
	struct msb_buf *b = msb_buf_new();

	FUZZ_CHECK(b != NULL);
	return b;
}

static void
do_hello(struct msb_buf *p)
{
	struct msb_hello_msg m, m2;
	struct msb_buf *b;

	if (msb_msg_get_hello(p, &m) != 0)
		return;
	b = reencode_start();
	FUZZ_CHECK(msb_msg_put_hello(b, &m) == 0);
	FUZZ_CHECK(msb_msg_get_hello(b, &m2) == 0);
	FUZZ_CHECK(m.version_min == m2.version_min &&
	    m.version_max == m2.version_max && m.channel == m2.channel &&
	    strcmp(m.user, m2.user) == 0);
	msb_hello_msg_free(&m2);
	msb_hello_msg_free(&m);
	msb_buf_free(b);
}

static void
do_hello_ok(struct msb_buf *p)
{
	struct msb_hello_ok_msg m;

	if (msb_msg_get_hello_ok(p, &m) == 0)
		msb_hello_ok_msg_free(&m);
}

static void
do_exec(struct msb_buf *p, int nfds)
{
	struct msb_exec_msg m, m2;
	struct msb_buf *b;
	size_t i;

	if (msb_msg_get_exec(p, nfds, &m) != 0)
		return;
	FUZZ_CHECK(m.argv != NULL && m.argv[m.argc] == NULL);
	FUZZ_CHECK(m.env != NULL && m.env[m.envc] == NULL);
	b = reencode_start();
	FUZZ_CHECK(msb_msg_put_exec(b, &m) == 0);
	FUZZ_CHECK(msb_msg_get_exec(b, nfds, &m2) == 0);
	FUZZ_CHECK(m.argc == m2.argc && m.envc == m2.envc &&
	    m.flags == m2.flags && strcmp(m.cwd, m2.cwd) == 0 &&
	    strcmp(m.user, m2.user) == 0);
	for (i = 0; i < m.argc; i++)
		FUZZ_CHECK(strcmp(m.argv[i], m2.argv[i]) == 0);
	msb_exec_msg_free(&m2);
	msb_exec_msg_free(&m);
	msb_buf_free(b);
}

static void
do_exited(struct msb_buf *p)
{
	struct msb_exited_msg m;

	if (msb_msg_get_exited(p, &m) != 0)
		return;
	/* What a host client may re-raise: a real signal number. */
	if (m.how == MSB_EXIT_SIGNAL)
		FUZZ_CHECK(m.value >= 1 && m.value <= 64);
	else
		FUZZ_CHECK(m.value <= 255);
}

static void
do_accounts(struct msb_buf *p)
{
	struct msb_accounts a;
	size_t i;

	if (msb_msg_get_accounts(p, &a) != 0)
		return;
	for (i = 0; i < a.n; i++)
		FUZZ_CHECK(a.v[i].name != NULL && a.v[i].home != NULL &&
		    a.v[i].shell != NULL);
	msb_accounts_free(&a);
}

static void
do_misc(uint8_t sel, struct msb_buf *p)
{
	struct msb_fs_attrs at;
	struct msb_fs_setattrs sa;
	struct msb_fs_statvfs sv;
	struct msb_pty_params pty;
	uint32_t u;
	char *msg;
	int e;

	switch (sel) {
	case 0:
		(void)msb_msg_get_started(p, &u);
		break;
	case 1:
		(void)msb_msg_get_signal(p, &u);
		break;
	case 2:
		if (msb_proto_get_error(p, &e, &msg) == 0)
			free(msg);
		break;
	case 3:
		(void)msb_proto_get_attrs(p, &at);
		break;
	case 4:
		(void)msb_proto_get_setattrs(p, &sa);
		break;
	case 5:
		(void)msb_proto_get_statvfs(p, &sv);
		break;
	default:
		if (msb_proto_get_pty(p, &pty) == 0)
			msb_pty_params_free(&pty);
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msb_buf *p;
	uint8_t sel;

	if (size < 1)
		return 0;
	sel = data[0];
	if ((p = msb_buf_from(data + 1, size - 1)) == NULL)
		return 0;
	switch (sel % 8) {
	case 0:
		do_hello(p);
		break;
	case 1:
		do_hello_ok(p);
		break;
	case 2:
		do_exec(p, (sel >> 3) & 1 ? 3 : 0);
		break;
	case 3:
		do_exited(p);
		break;
	case 4:
		do_accounts(p);
		break;
	default:
		do_misc((uint8_t)(sel >> 3), p);
		break;
	}
	msb_buf_free(p);
	return 0;
}
