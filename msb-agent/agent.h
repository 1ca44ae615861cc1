/*
 * msb-agent internals: one single-threaded poll loop serving every
 * connection of the sandbox (PROTOCOL.md). Programs-layer convention: log
 * with log_*(); a peer's mistake costs that peer its connection only.
 */
#ifndef MSB_AGENT_INTERNAL_H
#define MSB_AGENT_INTERNAL_H

#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <termios.h>
#include <sys/ioctl.h>

#include "msb/buf.h"
#include "msb/passwd.h"
#include "msb/proto.h"

#define AGENT_VERSION_STRING "msb-agent " PACKAGE_VERSION
#define AGENT_MAX_CONNS      4096      /* more are accepted and closed */
#define AGENT_OUTBOX_MAX     16        /* queued replies before we give up */
#define AGENT_STOP_GRACE_MS  5000      /* SIGTERM -> SIGKILL at shutdown */
#define AGENT_FRAMES_PER_WAKE 16       /* fairness between connections */

enum conn_state {
	CONN_HELLO = 0,         /* waiting for HELLO */
	CONN_READY,             /* command channel, nothing running */
	CONN_STARTING,          /* EXEC forked, waiting for exec or failure */
	CONN_RUNNING,           /* STARTED sent */
	CONN_DONE,              /* EXITED sent */
};
#define CONN_STATE_BIT(s) (1u << (s))

struct outmsg {
	struct outmsg *next;
	struct msb_buf *b;
	int fd;                 /* attached fd (closed once sent), or -1 */
};

struct session;

struct conn {
	int fd;
	enum conn_state state;
	uint8_t channel;            /* 0 until HELLO */
	int64_t hello_deadline;     /* monotonic ms */
	struct session *sess;       /* while STARTING / RUNNING */
	struct outmsg *out_head, *out_tail;
	size_t nout;
	int dead;                   /* remove at the end of this iteration */
	uint64_t serial;            /* for logs */
};

struct session {
	pid_t pid;                  /* leader; also the process group */
	uint64_t serial;
	uint32_t req_id;            /* id of the EXEC */
	struct conn *conn;          /* NULL once detached */
	int errpipe;                /* read end while starting, else -1 */
	int master;                 /* pty master until STARTED, else -1 */
	int failed;                 /* setup failed: nothing to report */
	int reaped;                 /* being reported: never signal again */
	int64_t kill_deadline;      /* SIGKILL the group then; 0 = none */
	char *what;                 /* argv[0] or the shell, for messages */
	char *user;
	char *cwd;                  /* requested directory, or NULL */
};

struct agent {
	const char *name;           /* sandbox name */
	const char *default_user;
	char *default_user_buf;     /* owned storage of default_user */
	const char *passwd_path, *group_path;
	const char *listen_path;    /* dev mode: ours to unlink */
	dev_t listen_dev;
	ino_t listen_ino;
	int listen_fd;
	int sig_fd;
	int pid1;                   /* really PID 1: kill(-1) at shutdown */
	struct rlimit nofile;       /* restored in children */

	struct conn **conns;
	size_t nconns, capconns;
	struct session **sess;
	size_t nsess, capsess;
	pid_t *workers;             /* filesystem workers */
	size_t nworkers, capworkers;
	uint64_t next_serial;

	struct msb_buf *rx;         /* shared receive buffer */
	int64_t accept_pause_until; /* after EMFILE */

	int stopping;
	int stop_killed;
	int64_t stop_deadline;
};

/* time.c-style helper (loop.c) */
int64_t agent_now_ms(void);

/* loop.c */
int agent_run(struct agent *a);
void agent_free(struct agent *a);
void agent_stop(struct agent *a);

/* conn.c */
struct conn *conn_new(struct agent *a, int fd);
void conn_read(struct agent *a, struct conn *c);
void conn_flush(struct agent *a, struct conn *c);
void conn_drop(struct agent *a, struct conn *c, const char *why);
void conn_sweep(struct agent *a);
/* Send a composed frame (fd attached if >= 0; closed once sent). */
void conn_send(struct agent *a, struct conn *c, struct msb_buf *b, int fd);
/* ERROR reply; the connection stays. */
void conn_error(struct agent *a, struct conn *c, uint32_t id, int err,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* ERROR reply (best effort) and close the connection. Returns -1. */
int conn_fail(struct agent *a, struct conn *c, uint32_t id, int err,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* cmd.c: message handlers, called through the dispatch table in conn.c */
int cmd_hello(struct agent *a, struct conn *c, struct msb_frame *f);
int cmd_exec(struct agent *a, struct conn *c, struct msb_frame *f);
int cmd_signal(struct agent *a, struct conn *c, struct msb_frame *f);
int cmd_accounts(struct agent *a, struct conn *c, struct msb_frame *f);
/* A codec error as the protocol error it stands for. */
int cmd_decode_fail(struct agent *a, struct conn *c, uint32_t id, int r,
    const char *what);

/* session.c */
struct session *session_add(struct agent *a, pid_t pid);
void session_errpipe(struct agent *a, struct session *s);
void session_reaped(struct agent *a, struct session *s, int wstatus);
void session_detach(struct agent *a, struct session *s);
void session_timers(struct agent *a, int64_t now, int64_t *next);
struct session *session_by_pid(struct agent *a, pid_t pid);
struct session *session_by_serial(struct agent *a, uint64_t serial);
void session_kill(const struct session *s, int signo);
/* Drop the record without reporting (agent exit). */
void session_forget(struct agent *a, struct session *s);

/* worker.c: filesystem channel */
int worker_spawn(struct agent *a, struct conn *c, const char *user,
    uint32_t version);
int worker_reaped(struct agent *a, pid_t pid);

/* Child-side reset shared by sessions and workers (child.c). */
void child_reset_signals(void);

#endif
