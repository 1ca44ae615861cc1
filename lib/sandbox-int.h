/*
 * Internals of the embedded sandbox runtime (not installed).
 *
 * Process model of `msb start` (lib/sandbox-launch.c):
 *   caller ──fork──> (intermediate, exits) ──fork──> monitor
 *   monitor: setsid; [unprivileged: own user ns]; private mount ns; new
 *            pid/uts/ipc[/net] ns for its children; binds the agent binary
 *            read-only; builds the root tree (lib/sandbox-mounts.c); forks
 *            init; puts it into the limits' cgroups
 *   init:    PID 1 of the new pid ns; new cgroup ns (rooted at its cgroup);
 *            mounts /proc; enters a new user + mount ns (every mount built
 *            above becomes locked); pivot_root; stdin = /dev/null, stdout
 *            and stderr = the write-only log socket; seccomp;
 *            execveat(msb-agent) (lib/sandbox-init.c)
 * The monitor writes the uid/gid maps of init's user namespace, the pid
 * file, copies the agent's stderr into the log until init exits, then
 * removes run/pid, run/agent.sock and the cgroups.
 */
#ifndef MSB_SANDBOX_INT_H
#define MSB_SANDBOX_INT_H

#include <stdint.h>
#include <sys/types.h>

#include "msb/error.h"
#include "msb/sandbox.h"

/* How the sandbox's ids map to the host (lib/sandbox-idmap.c). */
enum sb_map_mode {
	SB_MAP_IDENTITY,   /* root: 0..2^32-2 -> same ids */
	SB_MAP_SINGLE,     /* unprivileged: 0 -> owner only */
	SB_MAP_SUBIDS,     /* unprivileged: 0 -> owner, 1.. -> /etc/sub[ug]id */
};

struct sb_idmap {
	enum sb_map_mode mode;
	uid_t uid;                /* owner (real ids of the caller) */
	gid_t gid;
	uid_t subuid;             /* SB_MAP_SUBIDS: first subordinate id */
	gid_t subgid;
	uint32_t nsubuid;         /* ids mapped from the range (<= 65535) */
	uint32_t nsubgid;
};

/* Everything the monitor and init need; filled by the caller of start. */
struct sb_launch {
	const struct msb_sandbox *sb;
	char *dir;                /* sandbox dir */
	char *root;               /* run/root: where the tree is assembled */
	char *home_real;          /* realpath($MSB_HOME), for masking */
	char *home_default;       /* realpath(~/.msb) if another dir, or NULL */
	struct sb_idmap map;
	int listen_fd;            /* bound + listening agent socket */
	int ready_fd;             /* write end of the readiness pipe */
	int agent_fd;             /* msb-agent executable, O_RDONLY; in the
	                             monitor: its read-only bind (O_PATH) */
	int log_fd;               /* $dir/log, O_APPEND */
	int sync_fd;              /* monitor <-> init (socketpair end) */
	dev_t sock_dev;           /* the socket file we bound, so the monitor */
	ino_t sock_ino;           /* removes only its own */
	const char *agent_path;   /* what agent_fd was opened from */
	int dir_fd;               /* sandbox dir (O_PATH), for log rotation */
	int log_pipe;             /* init: the log socket's write-only end */
	struct msb_limits *limits; /* resource limits, or NULL (none) */
	struct sb_cgroup *cgroup; /* monitor: cgroups made for the limits */
};

/* lib/home.c */
char *sb_default_home(struct msb_error *err);

/* lib/sandbox-util.c */
char *sb_strjoin(const char *a, const char *sep, const char *b);
int sb_path_under(const char *path, const char *dir);
int sb_mkdir(const char *path, mode_t mode, struct msb_error *err);
int sb_write_file(const char *path, const char *data, size_t len,
    mode_t mode, struct msb_error *err);
char *sb_read_small(const char *path, size_t max, struct msb_error *err);
int sb_lock(const char *dir, int timeout_ms, struct msb_error *err);
int sb_write_all(int fd, const void *p, size_t len);
void sb_reset_signals(void);
int sb_wait_child(pid_t pid, int *status);
char *sb_log_tail(const char *dir, size_t max);

/* lib/sandbox-state.c */
int sb_proc_stat(pid_t pid, uint64_t *st, int *exiting);
int sb_proc_starttime(pid_t pid, uint64_t *st);
int sb_wait_gone(const char *dir, int timeout_ms);
int sb_pidfile_read(const char *dir, pid_t *pid, uint64_t *starttime);
int sb_pidfile_write(const char *dir, pid_t pid, struct msb_error *err);
/* 1 if the process recorded in dir/run/pid is alive (same start time). */
int sb_running(const char *dir, pid_t *pid);

/* lib/sandbox-idmap.c */
int sb_idmap_detect(struct sb_idmap *m);
int sb_idmap_enter_own(const struct sb_idmap *m, struct msb_error *err);
int sb_idmap_write_nested(pid_t pid, const struct sb_idmap *m,
    struct msb_error *err);
int sb_idmap_run_helpers(pid_t pid, const struct sb_idmap *m,
    struct msb_error *err);

/* lib/sandbox-mounts.c: runs in the monitor */
int sb_build_root(struct sb_launch *l, struct msb_error *err);
int sb_root_open(int rootfd, const char *path, int flags, int resolve);
int sb_mount_at(int fd, const char *src, const char *fstype,
    unsigned long flags, const char *data);
int sb_bind_at(int tgtfd, const char *src, int readonly, int recursive,
    unsigned long extra_attrs);
int sb_bind_self_ro(int fd, unsigned long attrs);
int sb_mount_overlay(int tgt, int lo, int up, int wk, int identity,
    unsigned long flags);

/* lib/sandbox-mask.c: hide a state dir wherever the tree shows it */
int sb_mask_state(const struct sb_launch *l, int rootfd, const char *dir,
    int host_image, struct msb_error *err);

/* lib/sandbox-skel.c: the split layout's per-directory overlays */
int sb_build_split(struct sb_launch *l, int rootfd, struct msb_error *err);

/* lib/sandbox-net.c: runs in the monitor after unshare(CLONE_NEWNET/UTS) */
int sb_net_setup(const struct sb_launch *l, struct msb_error *err);

/* lib/sandbox-init.c: PID 1 of the sandbox until it becomes msb-agent */
void sb_init_main(struct sb_launch *l) __attribute__((noreturn));

/* lib/sandbox-seccomp.c */
int sb_seccomp_install(struct msb_error *err);

/* lib/sandbox-cgroup.c: resource limits ($dir/limits) as cgroups; the
 * monitor puts init into them before init makes its cgroup namespace. */
int sb_cgroup_enter(struct sb_launch *l, pid_t init, struct msb_error *err);
void sb_cgroup_cleanup(struct sb_launch *l);

/* lib/sandbox-limits.c: $dir/limits, or *out = NULL when there is none */
int sb_limits_load(const char *dir, struct msb_limits **out,
    struct msb_error *err);

/* lib/sandbox-mounts.c: the agent binary as a read-only, nosuid bind */
int sb_agent_bind(struct sb_launch *l, struct msb_error *err);

/* lib/sandbox-log.c: the monitor copies the agent's stderr into the log
 * (rotated to log.1 beyond SB_LOG_ROTATE_SIZE) until init has exited. */
#define SB_LOG_ROTATE_SIZE (1024 * 1024)
void sb_log_relay(struct sb_launch *l, int rd, pid_t init, int pidfd);

/* lib/sandbox-remove.c */
int sb_rmtree(const char *path, struct msb_error *err);

#endif
