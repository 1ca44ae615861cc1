/*
 * Codecs of the handshake and command-channel messages (PROTOCOL.md 3, 4.2),
 * shared by msb-agent and the client library so that both ends agree on
 * every byte. Internal to libmsb (not installed).
 *
 * Codec-layer convention: 0 or a negative MSB_ERR_*; never logs. Decoders
 * take the payload of one frame, validate every field and reject trailing
 * bytes (MSB_ERR_FORMAT), a payload that ends early (MSB_ERR_INCOMPLETE) and
 * counts or lengths over the protocol limits (MSB_ERR_TOO_LARGE). On failure
 * the output structure is left empty (nothing to free).
 */
#ifndef MSB_AGENT_MSG_H
#define MSB_AGENT_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "msb/proto.h"

struct msb_buf;
struct msb_accounts;

/* Longest user name accepted in HELLO and EXEC (bytes). */
#define MSB_MSG_USER_MAX 256

struct msb_hello_msg {
	uint32_t version_min, version_max;
	uint8_t channel;
	char *user;               /* heap (decoder) / borrowed (encoder) */
};

struct msb_hello_ok_msg {
	uint32_t version;
	char *sandbox;
	char *agent;
};

struct msb_exec_msg {
	char *user;
	uint32_t flags;           /* MSB_EXEC_PTY | _LOGIN_SHELL | _SHELL_CMD */
	char *cwd;
	char **argv;              /* argc entries + NULL */
	size_t argc;
	char **env;               /* envc entries + NULL */
	size_t envc;
	struct msb_pty_params pty;   /* only with MSB_EXEC_PTY */
};

struct msb_exited_msg {
	uint8_t how;              /* MSB_EXIT_CODE / MSB_EXIT_SIGNAL */
	uint32_t value;
	uint8_t core;
};

struct msb_account_ent {
	const char *name, *home, *shell;
	uint32_t uid, gid;
};

/* HELLO: checks magic and that min <= max; channel is not judged here. */
int msb_msg_put_hello(struct msb_buf *b, const struct msb_hello_msg *m);
int msb_msg_get_hello(struct msb_buf *p, struct msb_hello_msg *m);
void msb_hello_msg_free(struct msb_hello_msg *m);

int msb_msg_put_hello_ok(struct msb_buf *b, const struct msb_hello_ok_msg *m);
int msb_msg_get_hello_ok(struct msb_buf *p, struct msb_hello_ok_msg *m);
void msb_hello_ok_msg_free(struct msb_hello_ok_msg *m);

/*
 * EXEC. The decoder also checks the request against the number of fds that
 * came with it (3 without PTY, 0 with PTY: MSB_ERR_PROTOCOL otherwise),
 * unknown flags, LOGIN_SHELL with argv / an empty argv without it, and env
 * entries that are not NAME=value (MSB_ERR_FORMAT).
 */
int msb_msg_put_exec(struct msb_buf *b, const struct msb_exec_msg *m);
int msb_msg_get_exec(struct msb_buf *p, int nfds, struct msb_exec_msg *m);
void msb_exec_msg_free(struct msb_exec_msg *m);

int msb_msg_put_started(struct msb_buf *b, uint32_t pid);
int msb_msg_get_started(struct msb_buf *p, uint32_t *pid);

/* EXITED: how 0/1, core 0/1, status 0..255 or signal 1..64. */
int msb_msg_put_exited(struct msb_buf *b, const struct msb_exited_msg *m);
int msb_msg_get_exited(struct msb_buf *p, struct msb_exited_msg *m);
/* From a waitpid() status. */
void msb_exited_from_wstatus(struct msb_exited_msg *m, int wstatus);

/* SIGNAL: the number is not judged here (the agent answers ERROR EINVAL). */
int msb_msg_put_signal(struct msb_buf *b, uint32_t signo);
int msb_msg_get_signal(struct msb_buf *p, uint32_t *signo);

/*
 * ACCOUNTS_REPLY, composed incrementally so that the list can stop at the
 * frame limit: begin writes default_user and a count placeholder, add
 * returns MSB_ERR_TOO_LARGE (and writes nothing) when the entry would push
 * the frame over room bytes, end patches the count.
 */
int msb_msg_accounts_begin(struct msb_buf *b, const char *default_user,
    size_t *count_off);
int msb_msg_accounts_add(struct msb_buf *b, const struct msb_account_ent *e,
    size_t room);
int msb_msg_accounts_end(struct msb_buf *b, size_t count_off, uint32_t n);
/* Decode ACCOUNTS_REPLY into *out (free with msb_accounts_free). */
int msb_msg_get_accounts(struct msb_buf *p, struct msb_accounts *out);

#endif
