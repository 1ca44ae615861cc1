/*
 * Unit tests of the handshake and command-channel codecs (lib/agent-msg.c)
 * that msb-agent and the client library share: round trips, every
 * truncation, trailing bytes, hostile counts and values, mutation fuzzing.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "msb/agent.h"
#include "msb/buf.h"
#include "msb/err.h"
#include "msb/proto.h"
#include "agent-msg.h"

typedef int (*decode_fn)(struct msb_buf *, void *);

/* Decode p[0..len) with fn; also asserts nothing is consumed on failure. */
static int
decode(decode_fn fn, const uint8_t *p, size_t len, void *out)
{
	struct msb_buf *v = msb_buf_from(len ? p : (const uint8_t *)"", len);
	int r;

	cr_assert_not_null(v);
	r = fn(v, out);
	msb_buf_free(v);
	return r;
}

static int
dec_exec3(struct msb_buf *b, void *out)
{
	return msb_msg_get_exec(b, 3, out);
}

static int
dec_exec0(struct msb_buf *b, void *out)
{
	return msb_msg_get_exec(b, 0, out);
}

static int
dec_hello(struct msb_buf *b, void *out)
{
	return msb_msg_get_hello(b, out);
}

static int
dec_exited(struct msb_buf *b, void *out)
{
	return msb_msg_get_exited(b, out);
}

static int
dec_accounts(struct msb_buf *b, void *out)
{
	return msb_msg_get_accounts(b, out);
}

static struct msb_buf *
sample_exec(int pty)
{
	static char *argv[] = { "sh", "-c", "echo hi", NULL };
	static char *env[] = { "LANG=C.UTF-8", "A=b=c", NULL };
	struct msb_exec_msg m;
	struct msb_buf *b = msb_buf_new();
	struct termios tio;
	struct winsize ws = { 24, 80, 0, 0 };

	memset(&m, 0, sizeof(m));
	memset(&tio, 0, sizeof(tio));
	tio.c_lflag = ECHO | ICANON;
	tio.c_cc[VINTR] = 3;
	cfsetispeed(&tio, B38400);
	cfsetospeed(&tio, B38400);
	m.user = "app";
	m.flags = pty ? MSB_EXEC_PTY : 0;
	m.cwd = "/tmp";
	m.argv = argv;
	m.argc = 3;
	m.env = env;
	m.envc = 2;
	if (pty)
		msb_pty_params_from(&m.pty, "xterm-256color", &tio, &ws);
	cr_assert_eq(msb_msg_put_exec(b, &m), 0);
	return b;
}

Test(agent_msg, exec_roundtrip)
{
	struct msb_buf *b = sample_exec(0);
	struct msb_exec_msg m;

	cr_assert_eq(decode(dec_exec3, msb_buf_ptr(b), msb_buf_len(b), &m), 0);
	cr_assert_str_eq(m.user, "app");
	cr_assert_str_eq(m.cwd, "/tmp");
	cr_assert_eq(m.argc, 3);
	cr_assert_str_eq(m.argv[2], "echo hi");
	cr_assert_null(m.argv[3]);
	cr_assert_eq(m.envc, 2);
	cr_assert_str_eq(m.env[1], "A=b=c");
	cr_assert_null(m.env[2]);
	msb_exec_msg_free(&m);
	/* Without PTY the request must come with exactly 3 fds. */
	cr_assert_eq(decode(dec_exec0, msb_buf_ptr(b), msb_buf_len(b), &m),
	    MSB_ERR_PROTOCOL);
	msb_buf_free(b);
}

Test(agent_msg, exec_pty_roundtrip)
{
	struct msb_buf *b = sample_exec(1);
	struct msb_exec_msg m;

	cr_assert_eq(decode(dec_exec0, msb_buf_ptr(b), msb_buf_len(b), &m), 0);
	cr_assert_str_eq(m.pty.term, "xterm-256color");
	cr_assert_eq(m.pty.rows, 24);
	cr_assert_eq(m.pty.cols, 80);
	cr_assert_eq(m.pty.lflag, ECHO | ICANON);
	cr_assert_eq(m.pty.cc[VINTR], 3);
	cr_assert_eq(m.pty.ospeed, B38400);
	msb_exec_msg_free(&m);
	cr_assert_eq(decode(dec_exec3, msb_buf_ptr(b), msb_buf_len(b), &m),
	    MSB_ERR_PROTOCOL);
	msb_buf_free(b);
}

/* Every proper prefix fails cleanly; one extra byte is rejected. */
static void
check_truncations(struct msb_buf *b, decode_fn fn, void *out,
    void (*release)(void *))
{
	size_t len = msb_buf_len(b), i;
	uint8_t *copy = malloc(len + 1);
	int r;

	memcpy(copy, msb_buf_ptr(b), len);
	for (i = 0; i < len; i++) {
		r = decode(fn, copy, i, out);
		cr_assert_lt(r, 0, "prefix of %zu/%zu bytes accepted", i, len);
	}
	copy[len] = 0;
	cr_assert_eq(decode(fn, copy, len + 1, out), MSB_ERR_FORMAT,
	    "trailing byte accepted");
	cr_assert_eq(decode(fn, copy, len, out), 0);
	release(out);
	free(copy);
}

static void
release_exec(void *p)
{
	msb_exec_msg_free(p);
}

static void
release_hello(void *p)
{
	msb_hello_msg_free(p);
}

static void
release_accounts(void *p)
{
	msb_accounts_free(p);
}

Test(agent_msg, exec_truncated_and_trailing)
{
	struct msb_buf *b = sample_exec(0), *bp = sample_exec(1);
	struct msb_exec_msg m;

	check_truncations(b, dec_exec3, &m, release_exec);
	check_truncations(bp, dec_exec0, &m, release_exec);
	msb_buf_free(b);
	msb_buf_free(bp);
}

/* A hand-built EXEC payload: user, flags, cwd, argc, argv..., envc, env... */
static struct msb_buf *
raw_exec(uint32_t flags, uint32_t argc, const char *const *argv,
    uint32_t envc, const char *const *env)
{
	struct msb_buf *b = msb_buf_new();
	uint32_t i;

	cr_assert_eq(msb_buf_put_cstring(b, ""), 0);
	cr_assert_eq(msb_buf_put_u32(b, flags), 0);
	cr_assert_eq(msb_buf_put_cstring(b, ""), 0);
	cr_assert_eq(msb_buf_put_u32(b, argc), 0);
	for (i = 0; argv != NULL && argv[i] != NULL; i++)
		cr_assert_eq(msb_buf_put_cstring(b, argv[i]), 0);
	cr_assert_eq(msb_buf_put_u32(b, envc), 0);
	for (i = 0; env != NULL && env[i] != NULL; i++)
		cr_assert_eq(msb_buf_put_cstring(b, env[i]), 0);
	return b;
}

static int
try_exec(struct msb_buf *b, int nfds)
{
	struct msb_exec_msg m;
	int r = decode(nfds == 3 ? dec_exec3 : dec_exec0, msb_buf_ptr(b),
	    msb_buf_len(b), &m);

	if (r == 0)
		msb_exec_msg_free(&m);
	msb_buf_free(b);
	return r;
}

Test(agent_msg, exec_hostile)
{
	static const char *const one[] = { "true", NULL };
	static const char *const badenv[] = { "NOEQUALS", NULL };
	static const char *const emptyname[] = { "=x", NULL };
	struct msb_buf *b;

	cr_assert_eq(try_exec(raw_exec(0, 1, one, 0, NULL), 3), 0);
	/* Counts beyond the limit, and counts larger than the payload. */
	cr_assert_eq(try_exec(raw_exec(0, 4097, NULL, 0, NULL), 3),
	    MSB_ERR_TOO_LARGE);
	cr_assert_eq(try_exec(raw_exec(0, 0xffffffffu, NULL, 0, NULL), 3),
	    MSB_ERR_TOO_LARGE);
	cr_assert_eq(try_exec(raw_exec(0, 4000, one, 0, NULL), 3),
	    MSB_ERR_INCOMPLETE);
	cr_assert_eq(try_exec(raw_exec(0, 1, one, 4097, NULL), 3),
	    MSB_ERR_TOO_LARGE);
	/* Semantics. */
	cr_assert_eq(try_exec(raw_exec(0, 0, NULL, 0, NULL), 3),
	    MSB_ERR_FORMAT, "empty argv without LOGIN_SHELL");
	cr_assert_eq(try_exec(raw_exec(MSB_EXEC_LOGIN_SHELL, 1, one, 0, NULL),
	    3), MSB_ERR_FORMAT, "argv with LOGIN_SHELL");
	cr_assert_eq(try_exec(raw_exec(MSB_EXEC_LOGIN_SHELL, 0, NULL, 0, NULL),
	    3), 0);
	cr_assert_eq(try_exec(raw_exec(0x8, 1, one, 0, NULL), 3),
	    MSB_ERR_FORMAT, "unknown flag");
	cr_assert_eq(try_exec(raw_exec(MSB_EXEC_SHELL_CMD, 1, one, 0, NULL),
	    3), 0, "SHELL_CMD with one string");
	cr_assert_eq(try_exec(raw_exec(MSB_EXEC_SHELL_CMD, 0, NULL, 0, NULL),
	    3), MSB_ERR_FORMAT, "SHELL_CMD without a command");
	cr_assert_eq(try_exec(raw_exec(MSB_EXEC_SHELL_CMD |
	    MSB_EXEC_LOGIN_SHELL, 0, NULL, 0, NULL), 3), MSB_ERR_FORMAT,
	    "SHELL_CMD with LOGIN_SHELL");
	cr_assert_eq(try_exec(raw_exec(0, 1, one, 1, badenv), 3),
	    MSB_ERR_FORMAT);
	cr_assert_eq(try_exec(raw_exec(0, 1, one, 1, emptyname), 3),
	    MSB_ERR_FORMAT);
	cr_assert_eq(try_exec(raw_exec(0, 1, one, 0, NULL), 2),
	    MSB_ERR_PROTOCOL);
	/* PTY flag without the pty block. */
	cr_assert_eq(try_exec(raw_exec(MSB_EXEC_PTY, 1, one, 0, NULL), 0),
	    MSB_ERR_INCOMPLETE);
	/* Embedded NUL in an argument. */
	b = msb_buf_new();
	cr_assert_eq(msb_buf_put_cstring(b, ""), 0);
	cr_assert_eq(msb_buf_put_u32(b, 0), 0);
	cr_assert_eq(msb_buf_put_cstring(b, ""), 0);
	cr_assert_eq(msb_buf_put_u32(b, 1), 0);
	cr_assert_eq(msb_buf_put_string(b, "a\0b", 3), 0);
	cr_assert_eq(msb_buf_put_u32(b, 0), 0);
	cr_assert_eq(try_exec(b, 3), MSB_ERR_FORMAT);
}

Test(agent_msg, exec_long_fields)
{
	char *big = malloc(MSB_PROTO_MAX_PATH + 2);
	struct msb_buf *b = msb_buf_new();
	static const char *const one[] = { "true", NULL };

	memset(big, 'u', MSB_PROTO_MAX_PATH + 1);
	big[MSB_PROTO_MAX_PATH + 1] = '\0';
	/* A 4097-byte cwd. */
	cr_assert_eq(msb_buf_put_cstring(b, ""), 0);
	cr_assert_eq(msb_buf_put_u32(b, 0), 0);
	cr_assert_eq(msb_buf_put_cstring(b, big), 0);
	cr_assert_eq(msb_buf_put_u32(b, 1), 0);
	cr_assert_eq(msb_buf_put_cstring(b, one[0]), 0);
	cr_assert_eq(msb_buf_put_u32(b, 0), 0);
	cr_assert_eq(try_exec(b, 3), MSB_ERR_TOO_LARGE);
	/* A 257-byte user name. */
	big[MSB_MSG_USER_MAX + 1] = '\0';
	b = msb_buf_new();
	cr_assert_eq(msb_buf_put_cstring(b, big), 0);
	cr_assert_eq(msb_buf_put_u32(b, 0), 0);
	cr_assert_eq(msb_buf_put_cstring(b, ""), 0);
	cr_assert_eq(msb_buf_put_u32(b, 1), 0);
	cr_assert_eq(msb_buf_put_cstring(b, one[0]), 0);
	cr_assert_eq(msb_buf_put_u32(b, 0), 0);
	cr_assert_eq(try_exec(b, 3), MSB_ERR_TOO_LARGE);
	free(big);
}

/* Random byte flips must never crash (run under ASan in CI builds). */
Test(agent_msg, exec_mutations)
{
	struct msb_buf *src[2] = { sample_exec(0), sample_exec(1) };
	struct msb_exec_msg m;
	uint8_t *copy;
	size_t len, k, i;
	unsigned seed = 12345;
	int s, ok = 0;

	for (s = 0; s < 2; s++) {
		len = msb_buf_len(src[s]);
		copy = malloc(len);
		for (k = 0; k < 20000; k++) {
			memcpy(copy, msb_buf_ptr(src[s]), len);
			for (i = 0; i < 1 + k % 4; i++)
				copy[rand_r(&seed) % len] = (uint8_t)rand_r(&seed);
			if (decode(s == 0 ? dec_exec3 : dec_exec0, copy,
			    rand_r(&seed) % 8 == 0 ? rand_r(&seed) % len : len,
			    &m) == 0) {
				ok++;
				msb_exec_msg_free(&m);
			}
		}
		free(copy);
		msb_buf_free(src[s]);
	}
	cr_assert_gt(ok, 0, "no mutation decoded at all (flips only in strings)");
}

Test(agent_msg, hello)
{
	struct msb_hello_msg h = { 1, 1, MSB_CHAN_FS, "bob" }, d;
	struct msb_buf *b = msb_buf_new();
	uint8_t raw[64];
	size_t n;

	cr_assert_eq(msb_msg_put_hello(b, &h), 0);
	cr_assert_eq(decode(dec_hello, msb_buf_ptr(b), msb_buf_len(b), &d), 0);
	cr_assert_eq(d.channel, MSB_CHAN_FS);
	cr_assert_str_eq(d.user, "bob");
	msb_hello_msg_free(&d);
	check_truncations(b, dec_hello, &d, release_hello);
	/* Wrong magic. */
	n = msb_buf_len(b);
	memcpy(raw, msb_buf_ptr(b), n);
	raw[5] = 'X';
	cr_assert_eq(decode(dec_hello, raw, n, &d), MSB_ERR_FORMAT);
	msb_buf_free(b);
	/* min > max, and version 0. */
	b = msb_buf_new();
	h.version_min = 2;
	cr_assert_eq(msb_msg_put_hello(b, &h), 0);
	cr_assert_eq(decode(dec_hello, msb_buf_ptr(b), msb_buf_len(b), &d),
	    MSB_ERR_FORMAT);
	msb_buf_reset(b);
	h.version_min = 0;
	cr_assert_eq(msb_msg_put_hello(b, &h), 0);
	cr_assert_eq(decode(dec_hello, msb_buf_ptr(b), msb_buf_len(b), &d),
	    MSB_ERR_FORMAT);
	msb_buf_free(b);
}

Test(agent_msg, exited)
{
	struct msb_exited_msg e, d;
	struct msb_buf *b = msb_buf_new();
	static const uint8_t bad[][6] = {
		{ 2, 0, 0, 0, 0, 0 },          /* how 2 */
		{ 0, 0, 0, 1, 0, 0 },          /* status 256 */
		{ 1, 0, 0, 0, 0, 0 },          /* signal 0 */
		{ 1, 0, 0, 0, 65, 0 },         /* signal 65 */
		{ 1, 0, 0, 0, 9, 2 },          /* core 2 */
		{ 0, 0, 0, 0, 1, 1 },          /* core with exit */
	};
	size_t i;

	msb_exited_from_wstatus(&e, 3 << 8);
	cr_assert_eq(e.how, MSB_EXIT_CODE);
	cr_assert_eq(e.value, 3);
	msb_exited_from_wstatus(&e, SIGTERM);
	cr_assert_eq(e.how, MSB_EXIT_SIGNAL);
	cr_assert_eq(e.value, SIGTERM);
	cr_assert_eq(e.core, 0);
	msb_exited_from_wstatus(&e, SIGSEGV | 0x80);
	cr_assert_eq(e.core, 1);
	cr_assert_eq(msb_msg_put_exited(b, &e), 0);
	cr_assert_eq(decode(dec_exited, msb_buf_ptr(b), msb_buf_len(b), &d), 0);
	cr_assert_eq(d.value, SIGSEGV);
	cr_assert_eq(d.core, 1);
	cr_assert_eq(decode(dec_exited, msb_buf_ptr(b), 5, &d),
	    MSB_ERR_INCOMPLETE);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(decode(dec_exited, bad[i], 6, &d), MSB_ERR_FORMAT,
		    "bad EXITED %zu accepted", i);
	e.how = 7;
	cr_assert_eq(msb_msg_put_exited(b, &e), MSB_ERR_INVALID_ARG);
	msb_buf_free(b);
}

Test(agent_msg, signal_and_started)
{
	static const uint8_t sig[] = { 0, 0, 0, 15 }, sig_long[] = { 0, 0, 0,
	    15, 0 }, pid0[] = { 0, 0, 0, 0 }, pidneg[] = { 0x80, 0, 0, 1 },
	    pid[] = { 0, 0, 1, 0 };
	struct msb_buf *v;
	uint32_t x;

	v = msb_buf_from(sig, sizeof(sig));
	cr_assert_eq(msb_msg_get_signal(v, &x), 0);
	cr_assert_eq(x, 15);
	msb_buf_free(v);
	v = msb_buf_from(sig_long, sizeof(sig_long));
	cr_assert_eq(msb_msg_get_signal(v, &x), MSB_ERR_FORMAT);
	msb_buf_free(v);
	v = msb_buf_from(sig, 3);
	cr_assert_eq(msb_msg_get_signal(v, &x), MSB_ERR_INCOMPLETE);
	msb_buf_free(v);
	v = msb_buf_from(pid, sizeof(pid));
	cr_assert_eq(msb_msg_get_started(v, &x), 0);
	cr_assert_eq(x, 256);
	msb_buf_free(v);
	v = msb_buf_from(pid0, sizeof(pid0));
	cr_assert_eq(msb_msg_get_started(v, &x), MSB_ERR_FORMAT);
	msb_buf_free(v);
	v = msb_buf_from(pidneg, sizeof(pidneg));
	cr_assert_eq(msb_msg_get_started(v, &x), MSB_ERR_FORMAT);
	msb_buf_free(v);
}

Test(agent_msg, accounts)
{
	struct msb_account_ent e = { "root", "/root", "/bin/sh", 0, 0 };
	struct msb_buf *b = msb_buf_new();
	struct msb_accounts acc;
	size_t off;
	uint32_t n = 0;

	cr_assert_eq(msb_msg_accounts_begin(b, "app", &off), 0);
	cr_assert_eq(msb_msg_accounts_add(b, &e, 4096), 0);
	n++;
	e.name = "app";
	e.uid = e.gid = 1000;
	e.home = "/home/app";
	cr_assert_eq(msb_msg_accounts_add(b, &e, 4096), 0);
	n++;
	/* Room for nothing more. */
	cr_assert_eq(msb_msg_accounts_add(b, &e, msb_buf_len(b) + 10),
	    MSB_ERR_TOO_LARGE);
	cr_assert_eq(msb_msg_accounts_end(b, off, n), 0);
	cr_assert_eq(decode(dec_accounts, msb_buf_ptr(b), msb_buf_len(b), &acc),
	    0);
	cr_assert_str_eq(acc.default_user, "app");
	cr_assert_eq(acc.n, 2);
	cr_assert_str_eq(acc.v[1].home, "/home/app");
	cr_assert_eq(acc.v[1].uid, 1000);
	msb_accounts_free(&acc);
	check_truncations(b, dec_accounts, &acc, release_accounts);
	/* A count far beyond the payload. */
	cr_assert_eq(msb_msg_accounts_end(b, off, 0xffffffffu), 0);
	cr_assert_eq(decode(dec_accounts, msb_buf_ptr(b), msb_buf_len(b), &acc),
	    MSB_ERR_INCOMPLETE);
	msb_buf_free(b);
}

Test(agent_msg, exit_code)
{
	struct msb_exec_exit ex = { 0, 0, 0 };

	cr_assert_eq(msb_exec_exit_code(&ex), 0);
	ex.status = 3;
	cr_assert_eq(msb_exec_exit_code(&ex), 3);
	ex.status = 255;
	cr_assert_eq(msb_exec_exit_code(&ex), 255);
	ex.signaled = 1;
	ex.status = SIGTERM;
	cr_assert_eq(msb_exec_exit_code(&ex), 143);
	ex.status = SIGKILL;
	ex.core_dumped = 1;
	cr_assert_eq(msb_exec_exit_code(&ex), 137);
}
