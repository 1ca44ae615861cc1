/* Handshake and command-channel codecs (see agent-msg.h, PROTOCOL.md). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "msb/agent.h"
#include "msb/buf.h"
#include "msb/err.h"
#include "msb/proto.h"
#include "agent-msg.h"

/* Smallest encodings, used to reject huge counts before allocating. */
#define STRING_MIN 4u
#define ACCOUNT_MIN (3u * STRING_MIN + 8u)

static int
expect_end(const struct msb_buf *p)
{
	return msb_buf_len(p) == 0 ? 0 : MSB_ERR_FORMAT;
}

/* A NUL-free string of at most max bytes. */
static int
get_cstring_max(struct msb_buf *p, char **out, size_t max)
{
	size_t len;
	uint32_t n;
	int r;

	*out = NULL;
	if ((r = msb_buf_peek_u32(p, &n)) != 0)
		return r;
	if (n > max)
		return MSB_ERR_TOO_LARGE;
	return msb_buf_get_cstring(p, out, &len);
}

static void
strv_free(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* u32 count + count NUL-free strings into a NULL-terminated vector. */
static int
get_strv(struct msb_buf *p, char ***out, size_t *np, size_t max_count)
{
	char **v;
	uint32_t n, i;
	int r;

	*out = NULL;
	*np = 0;
	if ((r = msb_buf_get_u32(p, &n)) != 0)
		return r;
	if (n > max_count)
		return MSB_ERR_TOO_LARGE;
	if ((size_t)n > msb_buf_len(p) / STRING_MIN)
		return MSB_ERR_INCOMPLETE;
	if ((v = calloc((size_t)n + 1, sizeof(*v))) == NULL)
		return MSB_ERR_ALLOC;
	for (i = 0; i < n; i++) {
		if ((r = msb_buf_get_cstring(p, &v[i], NULL)) != 0) {
			strv_free(v, i);
			return r;
		}
	}
	*out = v;
	*np = n;
	return 0;
}

static int
put_strv(struct msb_buf *b, char *const *v, size_t n)
{
	size_t i;
	int r;

	if (n > MSB_PROTO_MAX_ARGS)
		return MSB_ERR_TOO_LARGE;
	if ((r = msb_buf_put_u32(b, (uint32_t)n)) != 0)
		return r;
	for (i = 0; i < n; i++)
		if ((r = msb_buf_put_cstring(b, v[i])) != 0)
			return r;
	return 0;
}

int
msb_msg_put_hello(struct msb_buf *b, const struct msb_hello_msg *m)
{
	int r;

	if ((r = msb_buf_put_cstring(b, MSB_PROTO_MAGIC)) != 0 ||
	    (r = msb_buf_put_u32(b, m->version_min)) != 0 ||
	    (r = msb_buf_put_u32(b, m->version_max)) != 0 ||
	    (r = msb_buf_put_u8(b, m->channel)) != 0 ||
	    (r = msb_buf_put_cstring(b, m->user)) != 0)
		return r;
	return 0;
}

int
msb_msg_get_hello(struct msb_buf *p, struct msb_hello_msg *m)
{
	const uint8_t *magic;
	size_t mlen;
	int r;

	memset(m, 0, sizeof(*m));
	if ((r = msb_buf_get_string_direct(p, &magic, &mlen)) != 0)
		return r;
	if (mlen != strlen(MSB_PROTO_MAGIC) ||
	    memcmp(magic, MSB_PROTO_MAGIC, mlen) != 0)
		return MSB_ERR_FORMAT;
	if ((r = msb_buf_get_u32(p, &m->version_min)) != 0 ||
	    (r = msb_buf_get_u32(p, &m->version_max)) != 0 ||
	    (r = msb_buf_get_u8(p, &m->channel)) != 0 ||
	    (r = get_cstring_max(p, &m->user, MSB_MSG_USER_MAX)) != 0)
		goto fail;
	if (m->version_min > m->version_max || m->version_min == 0) {
		r = MSB_ERR_FORMAT;
		goto fail;
	}
	if ((r = expect_end(p)) != 0)
		goto fail;
	return 0;
 fail:
	msb_hello_msg_free(m);
	return r;
}

void
msb_hello_msg_free(struct msb_hello_msg *m)
{
	free(m->user);
	memset(m, 0, sizeof(*m));
}

int
msb_msg_put_hello_ok(struct msb_buf *b, const struct msb_hello_ok_msg *m)
{
	int r;

	if ((r = msb_buf_put_u32(b, m->version)) != 0 ||
	    (r = msb_buf_put_cstring(b, m->sandbox)) != 0 ||
	    (r = msb_buf_put_cstring(b, m->agent)) != 0)
		return r;
	return 0;
}

int
msb_msg_get_hello_ok(struct msb_buf *p, struct msb_hello_ok_msg *m)
{
	int r;

	memset(m, 0, sizeof(*m));
	if ((r = msb_buf_get_u32(p, &m->version)) != 0 ||
	    (r = get_cstring_max(p, &m->sandbox, 4096)) != 0 ||
	    (r = get_cstring_max(p, &m->agent, 4096)) != 0 ||
	    (r = expect_end(p)) != 0) {
		msb_hello_ok_msg_free(m);
		return r;
	}
	return 0;
}

void
msb_hello_ok_msg_free(struct msb_hello_ok_msg *m)
{
	free(m->sandbox);
	free(m->agent);
	memset(m, 0, sizeof(*m));
}

/* NAME=value with a non-empty name. */
static int
env_entry_ok(const char *s)
{
	const char *eq = strchr(s, '=');

	return eq != NULL && eq != s;
}

int
msb_msg_put_exec(struct msb_buf *b, const struct msb_exec_msg *m)
{
	int r;

	if ((r = msb_buf_put_cstring(b, m->user)) != 0 ||
	    (r = msb_buf_put_u32(b, m->flags)) != 0 ||
	    (r = msb_buf_put_cstring(b, m->cwd)) != 0 ||
	    (r = put_strv(b, m->argv, m->argc)) != 0 ||
	    (r = put_strv(b, m->env, m->envc)) != 0)
		return r;
	if ((m->flags & MSB_EXEC_PTY) != 0 &&
	    (r = msb_proto_put_pty(b, &m->pty)) != 0)
		return r;
	return 0;
}

int
msb_msg_get_exec(struct msb_buf *p, int nfds, struct msb_exec_msg *m)
{
	size_t i;
	int r;

	memset(m, 0, sizeof(*m));
	if ((r = get_cstring_max(p, &m->user, MSB_MSG_USER_MAX)) != 0 ||
	    (r = msb_buf_get_u32(p, &m->flags)) != 0 ||
	    (r = get_cstring_max(p, &m->cwd, MSB_PROTO_MAX_PATH)) != 0 ||
	    (r = get_strv(p, &m->argv, &m->argc, MSB_PROTO_MAX_ARGS)) != 0 ||
	    (r = get_strv(p, &m->env, &m->envc, MSB_PROTO_MAX_ARGS)) != 0)
		goto fail;
	if ((m->flags & MSB_EXEC_PTY) != 0 &&
	    (r = msb_proto_get_pty(p, &m->pty)) != 0)
		goto fail;
	if ((r = expect_end(p)) != 0)
		goto fail;
	r = MSB_ERR_FORMAT;
	if ((m->flags & ~(MSB_EXEC_PTY | MSB_EXEC_LOGIN_SHELL |
	    MSB_EXEC_SHELL_CMD)) != 0)
		goto fail;
	if ((m->flags & MSB_EXEC_LOGIN_SHELL) != 0 ? m->argc != 0 ||
	    (m->flags & MSB_EXEC_SHELL_CMD) != 0 :
	    (m->flags & MSB_EXEC_SHELL_CMD) != 0 ? m->argc != 1 :
	    m->argc == 0)
		goto fail;
	for (i = 0; i < m->envc; i++)
		if (!env_entry_ok(m->env[i]))
			goto fail;
	if (nfds != ((m->flags & MSB_EXEC_PTY) != 0 ? 0 : 3)) {
		r = MSB_ERR_PROTOCOL;
		goto fail;
	}
	return 0;
 fail:
	msb_exec_msg_free(m);
	return r;
}

void
msb_exec_msg_free(struct msb_exec_msg *m)
{
	free(m->user);
	free(m->cwd);
	strv_free(m->argv, m->argc);
	strv_free(m->env, m->envc);
	msb_pty_params_free(&m->pty);
	memset(m, 0, sizeof(*m));
}

int
msb_msg_put_started(struct msb_buf *b, uint32_t pid)
{
	return msb_buf_put_u32(b, pid);
}

int
msb_msg_get_started(struct msb_buf *p, uint32_t *pid)
{
	int r;

	if ((r = msb_buf_get_u32(p, pid)) != 0)
		return r;
	if (*pid == 0 || *pid > 0x7fffffffu || expect_end(p) != 0) {
		*pid = 0;
		return MSB_ERR_FORMAT;
	}
	return 0;
}

static int
exited_valid(const struct msb_exited_msg *m)
{
	if (m->core > 1)
		return 0;
	if (m->how == MSB_EXIT_CODE)
		return m->value <= 255 && m->core == 0;
	if (m->how == MSB_EXIT_SIGNAL)
		return m->value >= 1 && m->value <= 64;
	return 0;
}

int
msb_msg_put_exited(struct msb_buf *b, const struct msb_exited_msg *m)
{
	int r;

	if (!exited_valid(m))
		return MSB_ERR_INVALID_ARG;
	if ((r = msb_buf_put_u8(b, m->how)) != 0 ||
	    (r = msb_buf_put_u32(b, m->value)) != 0 ||
	    (r = msb_buf_put_u8(b, m->core)) != 0)
		return r;
	return 0;
}

int
msb_msg_get_exited(struct msb_buf *p, struct msb_exited_msg *m)
{
	struct msb_exited_msg t;
	int r;

	memset(m, 0, sizeof(*m));
	if ((r = msb_buf_get_u8(p, &t.how)) != 0 ||
	    (r = msb_buf_get_u32(p, &t.value)) != 0 ||
	    (r = msb_buf_get_u8(p, &t.core)) != 0)
		return r;
	if (!exited_valid(&t) || expect_end(p) != 0)
		return MSB_ERR_FORMAT;
	*m = t;
	return 0;
}

void
msb_exited_from_wstatus(struct msb_exited_msg *m, int wstatus)
{
	memset(m, 0, sizeof(*m));
	if (WIFSIGNALED(wstatus)) {
		m->how = MSB_EXIT_SIGNAL;
		m->value = (uint32_t)WTERMSIG(wstatus);
		m->core = WCOREDUMP(wstatus) ? 1 : 0;
	} else {
		m->how = MSB_EXIT_CODE;
		m->value = (uint32_t)WEXITSTATUS(wstatus);
	}
}

int
msb_msg_put_signal(struct msb_buf *b, uint32_t signo)
{
	return msb_buf_put_u32(b, signo);
}

int
msb_msg_get_signal(struct msb_buf *p, uint32_t *signo)
{
	int r;

	if ((r = msb_buf_get_u32(p, signo)) != 0)
		return r;
	if (expect_end(p) != 0) {
		*signo = 0;
		return MSB_ERR_FORMAT;
	}
	return 0;
}

int
msb_msg_accounts_begin(struct msb_buf *b, const char *default_user,
    size_t *count_off)
{
	int r;

	if ((r = msb_buf_put_cstring(b, default_user)) != 0)
		return r;
	*count_off = msb_buf_len(b);
	return msb_buf_put_u32(b, 0);
}

int
msb_msg_accounts_add(struct msb_buf *b, const struct msb_account_ent *e,
    size_t room)
{
	size_t need = ACCOUNT_MIN + strlen(e->name) + strlen(e->home) +
	    strlen(e->shell);
	int r;

	if (msb_buf_len(b) > room || need > room - msb_buf_len(b))
		return MSB_ERR_TOO_LARGE;
	if ((r = msb_buf_put_cstring(b, e->name)) != 0 ||
	    (r = msb_buf_put_u32(b, e->uid)) != 0 ||
	    (r = msb_buf_put_u32(b, e->gid)) != 0 ||
	    (r = msb_buf_put_cstring(b, e->home)) != 0 ||
	    (r = msb_buf_put_cstring(b, e->shell)) != 0)
		return r;
	return 0;
}

int
msb_msg_accounts_end(struct msb_buf *b, size_t count_off, uint32_t n)
{
	return msb_buf_poke_u32(b, count_off, n);
}

int
msb_msg_get_accounts(struct msb_buf *p, struct msb_accounts *out)
{
	struct msb_accounts acc;
	struct msb_account *e;
	uint32_t n, i;
	int r;

	memset(out, 0, sizeof(*out));
	memset(&acc, 0, sizeof(acc));
	if ((r = get_cstring_max(p, &acc.default_user, MSB_MSG_USER_MAX)) != 0 ||
	    (r = msb_buf_get_u32(p, &n)) != 0)
		goto fail;
	if ((size_t)n > msb_buf_len(p) / ACCOUNT_MIN) {
		r = MSB_ERR_INCOMPLETE;
		goto fail;
	}
	if ((acc.v = calloc((size_t)n + 1, sizeof(*acc.v))) == NULL) {
		r = MSB_ERR_ALLOC;
		goto fail;
	}
	for (i = 0; i < n; i++) {
		e = &acc.v[i];
		if ((r = get_cstring_max(p, &e->name, MSB_MSG_USER_MAX)) != 0 ||
		    (r = msb_buf_get_u32(p, &e->uid)) != 0 ||
		    (r = msb_buf_get_u32(p, &e->gid)) != 0 ||
		    (r = get_cstring_max(p, &e->home, MSB_PROTO_MAX_PATH)) != 0 ||
		    (r = get_cstring_max(p, &e->shell, MSB_PROTO_MAX_PATH)) != 0) {
			acc.n = (size_t)i + 1;
			goto fail;
		}
	}
	acc.n = n;
	if ((r = expect_end(p)) != 0)
		goto fail;
	*out = acc;
	return 0;
 fail:
	msb_accounts_free(&acc);
	return r;
}
