/*
 * Text generated for the per-connection sshd: the locked-down sshd_config
 * and the account view (passwd, group, shadow, nsswitch.conf) that
 * msb-proxy bind-mounts over /etc in its private mount namespace.
 * Pure functions (no I/O), so they are unit-tested byte for byte.
 * Upper-layer convention: NULL / -1 with struct msb_error.
 */
#ifndef MSB_SSHD_CONFIG_H
#define MSB_SSHD_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "msb/error.h"

/* Default inactivity timeout (seconds): ChannelTimeout/UnusedConnectionTimeout. */
#define MSB_SSHD_DEFAULT_INACTIVITY 600
/* Default sshd LogLevel. */
#define MSB_SSHD_DEFAULT_LOG_LEVEL "VERBOSE"

struct msb_sshd_params {
	const char *sandbox;          /* sandbox name */
	const char *host_key;         /* absolute path */
	const char *authorized_keys;  /* absolute path; also MSB_AUTHORIZED_KEYS
	                                 for msb-shell (key command= options) */
	const char *shell;            /* msb-shell: ForceCommand exec SHELL */
	const char *sftp_server;      /* msb-sftp-server: the Subsystem marker */
	const char *agent_socket;     /* SetEnv MSB_AGENT_SOCKET */
	const char *owner;            /* SetEnv MSB_OWNER: owner's login name */
	const char *sftp_flags;       /* SetEnv MSB_SFTP_FLAGS ("" = none) */
	const char *log_file;         /* SetEnv MSB_LOG_FILE */
	const char *log_level;        /* sshd LogLevel; NULL = VERBOSE */
	uint32_t inactivity;          /* seconds; 0 = no inactivity timeout */
	int privileged;               /* sshd runs as root: deny the privsep user */
	int forwarding;               /* MSB_SSH_FWD_* (msb/sandbox.h): TCP
	                                 forwarding sshd allows; the caller runs
	                                 sshd in the sandbox's netns when set */
};

/* The complete sshd_config text (heap) or NULL. */
char *msb_sshd_config(const struct msb_sshd_params *p, struct msb_error *err);

/* 1 if level is an sshd LogLevel name (QUIET ... DEBUG3). */
int msb_sshd_log_level_ok(const char *level);

/*
 * sftp-server style flags for msb-sftp-server from the sandbox's SFTP
 * policy: "-R" (read-only), "-p LIST" (allow), "-P LIST" (deny),
 * "-l LEVEL" (log level), joined by single spaces; "" if none. Values must
 * not contain blanks (msb-shell splits on spaces).
 */
char *msb_sftp_flags(int readonly, const char *allow, const char *deny,
    const char *log_level, struct msb_error *err);

/*
 * Quote s as one token of an sshd_config/ssh_config line (OpenSSH
 * argv_split: double quotes, backslash escapes for \ and "). Rejects
 * control characters (EINVAL). percent: also double every '%' (keywords
 * that expand %-tokens).
 */
char *msb_sshcfg_quote(const char *s, int percent, struct msb_error *err);
/* Quote s for /bin/sh (single quotes). Rejects control characters. */
char *msb_sh_quote(const char *s, struct msb_error *err);

/* ---- account view ---- */

/* 1 if name may appear in the generated passwd (portable user name). */
int msb_account_name_ok(const char *name);

struct msb_view_params {
	char *const *names;        /* accounts; the owner's login name first */
	size_t nnames;
	uint32_t uid, gid;         /* the owner's host ids: every account's ids */
	const char *group;         /* name of gid */
	const char *home;          /* $MSB_HOME: every account's home */
	int privileged;            /* add the sshd privsep user and its group */
	uint32_t privsep_uid, privsep_gid;
	const char *privsep_group; /* name of privsep_gid, e.g. "nogroup" */
	int hosts_dns;             /* nsswitch "hosts: files dns" (forwarding
	                              in the host's network: sshd resolves -D/-L
	                              names), else "hosts: files" */
};

struct msb_view_files {
	char *passwd, *group, *shadow, *nsswitch;
};

/*
 * Generate the four files. Names failing msb_account_name_ok, duplicates
 * and (privileged) "sshd" are left out. Accounts get password "*" (not
 * locked, no password), shell /bin/sh (never bash: it would source
 * ~/.bashrc) and home = p->home. No "tty" group is listed.
 */
int msb_view_files_make(const struct msb_view_params *p,
    struct msb_view_files *out, struct msb_error *err);
void msb_view_files_free(struct msb_view_files *f);

#endif
