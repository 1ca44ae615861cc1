/*
 * Sandbox state and lifecycle (the embedded namespace runtime).
 * Upper-layer convention: 0 / -1 (or NULL) with struct msb_error.
 *
 * State lives in $MSB_HOME (default ~/.msb, mode 0700):
 *   sandboxes/NAME/config            libconfig file (struct msb_sandbox_config)
 *   sandboxes/NAME/upper/, work/     overlay upper and work dirs (persist)
 *   sandboxes/NAME/run/agent.sock    the agent's socket (while running)
 *   sandboxes/NAME/run/pid           "PID STARTTIME" of the agent (PID 1)
 *   sandboxes/NAME/ssh/host_ed25519  per-sandbox SSH host key (0600)
 *   sandboxes/NAME/log               runtime and sshd log
 *   ssh/authorized_keys              keys allowed to reach every sandbox
 */
#ifndef MSB_SANDBOX_H
#define MSB_SANDBOX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "msb/error.h"

struct msb_volume {
	char *host;          /* absolute, existing directory on the host */
	char *target;        /* absolute path inside the sandbox */
	int readonly;
};

struct msb_sandbox_config {
	char *name;
	char *image;         /* "host" or an absolute rootfs directory */
	char *user;          /* default sandbox user (default "root") */
	int net_host;        /* 1: share the host network namespace */
	struct msb_volume *volumes;
	size_t nvolumes;
	int64_t created;     /* unix time */
	/* SFTP policy, passed to msb-sftp-server (like sftp-server -R/-p/-P/-l) */
	int sftp_readonly;
	char *sftp_allow;    /* comma-separated request names or NULL */
	char *sftp_deny;
	char *sftp_log_level;  /* NULL = off */
	/* TCP forwarding msb-proxy's sshd allows: MSB_SSH_FWD_* bits */
	int ssh_forwarding;
	/* How the root is assembled (set by msb_sandbox_create). */
	int layout;          /* enum msb_rootfs_layout */
};

/*
 * MSB_LAYOUT_SINGLE: one overlay, lower = image, upper = upper/, work = work/.
 * MSB_LAYOUT_SPLIT: image `host` without root privileges, where the host's
 * "/" cannot be an overlay lower inside a user namespace: a generated
 * skeleton overlay (upper/root, work/root) with one overlay per top-level
 * host directory on it (upper/dirs/D, work/dirs/D).
 */
enum msb_rootfs_layout {
	MSB_LAYOUT_SINGLE = 0,
	MSB_LAYOUT_SPLIT = 1,
};

/*
 * ssh_forwarding bits (msb create --ssh-forwarding, msb ssh forwarding).
 * Any bit set makes msb-proxy run sshd in the sandbox's network namespace.
 */
#define MSB_SSH_FWD_NONE 0
#define MSB_SSH_FWD_LOCAL 0x1    /* -L, -D, -W: connections open inside */
#define MSB_SSH_FWD_REMOTE 0x2   /* -R: sshd listens inside */
#define MSB_SSH_FWD_ALL (MSB_SSH_FWD_LOCAL | MSB_SSH_FWD_REMOTE)

/* "none", "local", "remote", "all" <-> MSB_SSH_FWD_*; parse: 0 / -1. */
int msb_ssh_forwarding_parse(const char *s, int *out);
const char *msb_ssh_forwarding_name(int fwd);

/* Inside the sandbox: reserved for the runtime (no volume may cover it). */
#define MSB_SANDBOX_RUN_DIR "/run/msb"
#define MSB_START_TIMEOUT_MS 10000
#define MSB_STOP_TIMEOUT_MS 10000

struct msb_sandbox {
	struct msb_sandbox_config cfg;
	char *dir;           /* $MSB_HOME/sandboxes/NAME */
};

struct msb_sandbox_status {
	int running;
	pid_t pid;           /* host pid of the agent (PID 1 inside) */
	int64_t started;     /* unix time the sandbox was started, or 0 */
};

/* $MSB_HOME or ~/.msb (heap string). Creates nothing. */
char *msb_home(struct msb_error *err);
/* Create $MSB_HOME (0700) and its sandboxes/ and ssh/ subdirs if missing. */
int msb_home_ensure(struct msb_error *err);

/*
 * Parse "HOST:TARGET[:ro]" (also ":rw"). TARGET must be absolute; it is
 * normalised ("//", "." removed; ".." refused) and must not be "/" nor
 * cover or lie inside /proc, /dev, /sys or MSB_SANDBOX_RUN_DIR. A relative
 * HOST is made absolute against the working directory; whether it exists
 * is checked by msb_sandbox_create.
 */
int msb_volume_parse(const char *spec, struct msb_volume *v,
    struct msb_error *err);
void msb_volume_free(struct msb_volume *v);
/* The target checks of msb_volume_parse on a normalised absolute path. */
int msb_volume_check_target(const char *target, struct msb_error *err);
void msb_sandbox_config_free(struct msb_sandbox_config *cfg);
/* Default sandbox user names: 1-32 of [A-Za-z0-9._-], not starting with '-'. */
int msb_user_name_validate(const char *user, struct msb_error *err);

/* The config file format (libconfig); written atomically (temp + rename). */
int msb_sandbox_config_write(const char *path,
    const struct msb_sandbox_config *cfg, struct msb_error *err);
/* Fills *cfg (free with msb_sandbox_config_free; zeroed on failure). */
int msb_sandbox_config_read(const char *path, struct msb_sandbox_config *cfg,
    struct msb_error *err);

/*
 * Validate cfg (name, image, volumes) and create the state directory.
 * Fails with EEXIST if the name is taken; writes nothing on any failure.
 */
int msb_sandbox_create(const struct msb_sandbox_config *cfg,
    struct msb_error *err);
/*
 * Whether the account user is in the /etc/passwd that a sandbox made from
 * cfg (image, volumes) sees at its first start: 1 yes, 0 no, -1 with err
 * when the file cannot be read. cfg->image may be relative or NULL (host).
 */
int msb_image_has_user(const struct msb_sandbox_config *cfg,
    const char *user, struct msb_error *err);
/*
 * Load an existing sandbox. Invalid name: EINVAL; missing: ENOENT with
 * "sandbox 'NAME' does not exist".
 */
struct msb_sandbox *msb_sandbox_load(const char *name, struct msb_error *err);
void msb_sandbox_free(struct msb_sandbox *sb);
/* Rewrite the config file (after changing sb->cfg). */
int msb_sandbox_save(const struct msb_sandbox *sb, struct msb_error *err);

/* Heap path below the sandbox dir, e.g. msb_sandbox_path(sb, "run/agent.sock"). */
char *msb_sandbox_path(const struct msb_sandbox *sb, const char *rel);

int msb_sandbox_status(const struct msb_sandbox *sb,
    struct msb_sandbox_status *st, struct msb_error *err);
/*
 * Start the sandbox if it is not running (idempotent; serialised with a
 * lock so that concurrent callers start it once). Returns when the agent
 * accepts connections. Prints nothing on stdout.
 */
int msb_sandbox_start(struct msb_sandbox *sb, struct msb_error *err);
/* SIGTERM to the agent, SIGKILL after timeout_ms; 0 if already stopped. */
int msb_sandbox_stop(struct msb_sandbox *sb, int timeout_ms,
    struct msb_error *err);
/* Remove state; refuses a running sandbox (EBUSY) unless force (stops it). */
int msb_sandbox_remove(const char *name, int force, struct msb_error *err);
/* Sorted names of all sandboxes. */
int msb_sandbox_list(char ***names, size_t *n, struct msb_error *err);
void msb_strv_free(char **v);

/*
 * Resource limits (root only: cgroups; msb(1) RESOURCE LIMITS), kept in
 * sandboxes/NAME/limits and applied at the next start. 0 = no limit.
 */
struct msb_limits {
	uint64_t memory;       /* bytes of memory (no swap beyond it) */
	uint64_t pids;         /* processes and threads in the sandbox */
	uint64_t cpu_milli;    /* CPU time per wall time, 1000 = one CPU */
};
/* "536870912", "512M", "2g" (K M G T: powers of 1024); >= 4 MiB. */
int msb_limits_parse_memory(const char *s, uint64_t *out,
    struct msb_error *err);
/* "1", "0.5", "2.25" CPUs (0.01 .. 1024) into thousandths. */
int msb_limits_parse_cpus(const char *s, uint64_t *milli,
    struct msb_error *err);
/* A process count, 1 .. 4194304. */
int msb_limits_parse_pids(const char *s, uint64_t *out,
    struct msb_error *err);
/* Read the limits (all 0 when there is no limits file). */
int msb_sandbox_limits_read(const struct msb_sandbox *sb,
    struct msb_limits *out, struct msb_error *err);
/* Write them atomically (0600); all 0 removes the file. */
int msb_sandbox_limits_write(const struct msb_sandbox *sb,
    const struct msb_limits *lim, struct msb_error *err);

/* Paths of helper programs: env override (MSB_AGENT, MSB_SHELL,
 * MSB_SFTP_SERVER, MSB_PROXY, MSB_SSHD, MSB_SSH_KEYGEN) or the configured
 * install path. Never NULL. */
const char *msb_prog_path(const char *which);

#endif
