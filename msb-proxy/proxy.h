/*
 * msb-proxy: serve SSH for one sandbox with stock OpenSSH.
 *
 * Per connection (fd 0/1 = the SSH stream): start the sandbox if needed,
 * make sure its host key exists, ask the agent for the sandbox's accounts,
 * generate a locked-down sshd_config and an account view, enter the
 * sandbox's network namespace if the sandbox allows TCP forwarding, enter a
 * private mount namespace (plus an identity-mapped user namespace when not
 * root) where the view is bind-mounted over /etc, and exec `sshd -i`.
 */
#ifndef MSB_PROXY_H
#define MSB_PROXY_H

#include <sys/types.h>

#include "msb/sandbox.h"
#include "msb/serve-opts.h"
#include "msb/sshd-config.h"

/*
 * Exit status for failures before sshd runs, and for usage errors: msb's
 * own convention (msb-ssh(1)). Through a ProxyCommand, ssh reports 255
 * whatever we return; run directly (a --port listener in a script) the
 * two cases can be told apart.
 */
#define PROXY_EXIT_FAILURE 1
#define PROXY_EXIT_USAGE 2

struct proxy {
	struct msb_serve_opts opts;
	struct msb_sandbox *sb;
	char *log_file;            /* $dir/log */
};

/* "msb-proxy: message" on stderr and in the sandbox log. */
void proxy_error(const struct proxy *px, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Only in the sandbox log. */
void proxy_log(const struct proxy *px, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Serve one connection on fds 0/1: ends in exec of sshd or exit(1). */
void proxy_session(struct proxy *px) __attribute__((noreturn));

/* Accept loop of --port mode; returns the exit status. */
int proxy_listen(struct proxy *px);

/*
 * Enter the private namespaces and put the account view in place:
 * session_dir gets a tmpfs holding the files (plus sshd_config, whose path
 * is returned in *config_path, and the authorized_keys snapshot sshd and
 * msb-shell read), bind-mounted over /etc/passwd, /etc/group, /etc/shadow
 * and /etc/nsswitch.conf; a private /tmp; as root no FUSE mounts and a
 * private /run/sshd. Unprivileged,
 * uid/gid (the owner's host ids) map to whatever ids they have in the
 * user namespace we are in (after netns_enter: the monitor's).
 */
int accview_enter(const char *session_dir, const struct msb_view_files *f,
    const char *sshd_config, const char *authorized_keys, int privileged,
    uid_t uid, gid_t gid, const char *const *keep, char **config_path,
    struct msb_error *err);

/*
 * In the private mount namespace (mounts.c). keep: NULL-terminated paths
 * sshd and msb-shell need (MSB_HOME, the sandbox's directory, the
 * directories of the helper programs).
 * mounts_drop_fuse: detach every FUSE mount not holding a kept path (root
 * only: unprivileged the copies are locked); *dropped counts them.
 * mounts_private_tmp: a fresh tmpfs on /tmp, with the kept paths below
 * the host's /tmp bound back at the same place.
 */
int mounts_drop_fuse(const char *const *keep, unsigned int *dropped,
    struct msb_error *err);
int mounts_private_tmp(const char *const *keep, struct msb_error *err);

/*
 * Join the network namespace of the sandbox's agent (unprivileged: after
 * the user namespace that owns it). *entered = 0 if sshd is in it already
 * (--net host). Call before accview_enter.
 */
int netns_enter(struct proxy *px, int *entered, struct msb_error *err);

#endif
