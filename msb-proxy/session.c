/*
 * One SSH connection: everything up to exec of `sshd -i`.
 * Nothing here writes to stdout: in --stdio mode it is the SSH stream.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msb/agent.h"
#include "msb/authkeys.h"
#include "msb/hostkey.h"
#include "msb/proto.h"
#include "msb/stdio-guard.h"
#include "proxy.h"

static void fail(struct proxy *px, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

static void
fail(struct proxy *px, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	proxy_error(px, "%s", msg);
	exit(PROXY_EXIT_FAILURE);
}

/* The owner's login name: it maps to the sandbox's default user. */
static char *
owner_name(void)
{
	struct passwd *pw = getpwuid(getuid());
	const char *env = getenv("USER");

	if (pw != NULL && msb_account_name_ok(pw->pw_name))
		return strdup(pw->pw_name);
	if (env != NULL && msb_account_name_ok(env))
		return strdup(env);
	return strdup("owner");
}

static char *
group_name(gid_t gid, const char *fallback)
{
	struct group *gr = getgrgid(gid);

	return strdup(gr != NULL && msb_account_name_ok(gr->gr_name) ?
	    gr->gr_name : fallback);
}

static void
fetch_accounts(struct proxy *px, const char *sock, struct msb_accounts *acc)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_agent *a;

	if (msb_agent_connect(sock, MSB_CHAN_COMMAND, NULL, &a, &err) != 0 ||
	    msb_agent_accounts(a, acc, &err) != 0)
		fail(px, "sandbox %s: cannot list its accounts: %s",
		    px->opts.name, msb_error_msg(&err));
	msb_agent_close(a);
}

/* Host key, and the known_hosts pin for a key we have just created. */
static char *
host_key(struct proxy *px)
{
	struct msb_error err = MSB_ERROR_INIT;
	char *key, *pub, *kh, *alias;
	int created;

	key = msb_hostkey_ensure(px->sb->dir, px->opts.name, &created, &err);
	if (key == NULL)
		fail(px, "%s", msb_error_msg(&err));
	if (!created)
		return key;
	proxy_log(px, "created host key %s", key);
	kh = msb_sandbox_path(px->sb, "ssh/known_hosts");
	if (asprintf(&alias, "%s.msb", px->opts.name) < 0 || kh == NULL)
		fail(px, "out of memory");
	if ((pub = msb_hostkey_public(key, &err)) == NULL ||
	    msb_known_hosts_write(kh, alias, pub, 1, &err) != 0)
		fail(px, "%s", msb_error_msg(&err));
	free(pub);
	free(kh);
	free(alias);
	return key;
}

/*
 * The connection's own copy of $MSB_HOME/ssh/authorized_keys, each key line
 * tagged with its line number (msb_authkeys_snapshot): sshd and msb-shell,
 * which applies command= options, then read the same lines.
 */
static char *
authorized_keys_snapshot(struct proxy *px, const char *home)
{
	struct msb_error err = MSB_ERROR_INIT;
	char *path, *text, *copy;
	size_t len = 0, nbad;
	ssize_t r;
	int fd;

	if (asprintf(&path, "%s/ssh/authorized_keys", home) < 0)
		fail(px, "out of memory");
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			fail(px, "no key is authorized for msb sandboxes yet (%s "
			    "is missing): run 'msb ssh authorize --file "
			    "~/.ssh/id_ed25519.pub'", path);
		fail(px, "cannot open %s: %s", path, strerror(errno));
	}
	if ((text = malloc(MSB_AUTHKEYS_FILE_MAX + 1)) == NULL)
		fail(px, "out of memory");
	while ((r = read(fd, text + len, MSB_AUTHKEYS_FILE_MAX + 1 - len)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			fail(px, "cannot read %s: %s", path, strerror(errno));
		len += (size_t)r;
		if (len > MSB_AUTHKEYS_FILE_MAX)
			fail(px, "%s is larger than %u bytes", path,
			    MSB_AUTHKEYS_FILE_MAX);
	}
	close(fd);
	if (msb_authkeys_snapshot(text, len, &copy, &nbad, &err) != 0)
		fail(px, "%s: %s", path, msb_error_msg(&err));
	if (nbad > 0)
		proxy_log(px, "%s: %zu line(s) that do not parse are ignored (see "
		    "msb ssh authorize --list)", path, nbad);
	free(text);
	free(path);
	return copy;
}

/* The sandbox's TCP forwarding, narrowed by serve --forwarding. */
static int
forwarding(struct proxy *px)
{
	int allowed = px->sb->cfg.ssh_forwarding & MSB_SSH_FWD_ALL;
	int fwd = msb_serve_forwarding(&px->opts, allowed);

	/* main() refused a wider --forwarding; the sandbox changed since. */
	if (px->opts.forwarding >= 0 && fwd != px->opts.forwarding)
		proxy_log(px, "--forwarding %s narrowed to '%s': sandbox %s "
		    "allows '%s' now",
		    msb_ssh_forwarding_name(px->opts.forwarding),
		    msb_ssh_forwarding_name(fwd), px->opts.name,
		    msb_ssh_forwarding_name(allowed));
	return fwd;
}

static void
enter_sandbox_net(struct proxy *px, int fwd)
{
	struct msb_error err = MSB_ERROR_INIT;
	int entered;

	if (netns_enter(px, &entered, &err) != 0)
		fail(px, "TCP forwarding: %s", msb_error_msg(&err));
	proxy_log(px, "TCP forwarding '%s' in %s", msb_ssh_forwarding_name(fwd),
	    entered ? "the sandbox's network namespace" :
	    "the host's network (--net host)");
}

/* The directory of program path prog (heap). */
static char *
dir_of(struct proxy *px, const char *prog)
{
	const char *slash = strrchr(prog, '/');
	char *d;

	if (slash == NULL || slash == prog)
		d = strdup("/");
	else
		d = strndup(prog, (size_t)(slash - prog));
	if (d == NULL)
		fail(px, "out of memory");
	return d;
}

/*
 * What sshd and msb-shell must still reach in the private mount namespace
 * (see mounts.c): the state, the sandbox, and the helper programs (which
 * may live in a test directory under /tmp).
 */
static char **
keep_paths(struct proxy *px, const char *home, const char *sshd,
    const char *shell, const char *sftp)
{
	char **v = calloc(8, sizeof(*v));
	size_t n = 0;

	if (v == NULL || (v[n++] = strdup(home)) == NULL ||
	    (v[n++] = strdup(px->sb->dir)) == NULL)
		fail(px, "out of memory");
	v[n++] = dir_of(px, sshd);
	v[n++] = dir_of(px, shell);
	v[n++] = dir_of(px, sftp);
	v[n++] = dir_of(px, msb_prog_path("MSB_SSH_KEYGEN"));
	return v;
}

void
proxy_session(struct proxy *px)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_stdio_guard guard;
	struct msb_sshd_params sp;
	struct msb_view_params vp;
	struct msb_view_files vf;
	struct msb_accounts acc;
	struct passwd *privsep = NULL;
	char **names, *home, *authkeys, *sock, *cfg, *cfgpath, *session_dir;
	char **keep;
	char *sftp_flags, *owner, *group, *privsep_group = NULL, *authkeys_text;
	const char *sshd = msb_prog_path("MSB_SSHD");
	int privileged = geteuid() == 0, r;
	uid_t privsep_uid = 0;
	gid_t privsep_gid = 0;
	size_t i;

	if ((home = msb_home(&err)) == NULL)
		fail(px, "%s", msb_error_msg(&err));
	sock = msb_sandbox_path(px->sb, "run/agent.sock");
	session_dir = msb_sandbox_path(px->sb, "ssh/session");
	if (sock == NULL || session_dir == NULL ||
	    asprintf(&authkeys, "%s/authorized_keys", session_dir) < 0)
		fail(px, "out of memory");
	/* First: without keys nobody gets in, so do not start anything. */
	authkeys_text = authorized_keys_snapshot(px, home);

	/* The launcher must see neither the SSH stream nor our terminal. */
	if (msb_stdio_guard_begin(&guard, &err) != 0)
		fail(px, "%s", msb_error_msg(&err));
	r = msb_sandbox_start(px->sb, &err);
	if (msb_stdio_guard_end(&guard, NULL) != 0)
		_exit(PROXY_EXIT_FAILURE);
	if (r != 0)
		fail(px, "cannot start sandbox %s: %s", px->opts.name,
		    msb_error_msg(&err));

	memset(&sp, 0, sizeof(sp));
	sp.host_key = host_key(px);
	fetch_accounts(px, sock, &acc);
	if ((owner = owner_name()) == NULL ||
	    (group = group_name(getgid(), "msb-owner")) == NULL)
		fail(px, "out of memory");
	if (privileged) {
		if ((privsep = getpwnam("sshd")) == NULL)
			fail(px, "the sshd privilege separation user does not "
			    "exist (install the openssh-server package)");
		privsep_uid = privsep->pw_uid;      /* static storage: copy */
		privsep_gid = privsep->pw_gid;
		if ((privsep_group = group_name(privsep_gid, "nogroup")) == NULL)
			fail(px, "out of memory");
	}
	sftp_flags = msb_sftp_flags(px->sb->cfg.sftp_readonly,
	    px->sb->cfg.sftp_allow, px->sb->cfg.sftp_deny,
	    px->sb->cfg.sftp_log_level, &err);
	if (sftp_flags == NULL)
		fail(px, "sandbox %s: %s", px->opts.name, msb_error_msg(&err));

	sp.sandbox = px->opts.name;
	sp.authorized_keys = authkeys;
	sp.shell = msb_prog_path("MSB_SHELL");
	sp.sftp_server = msb_prog_path("MSB_SFTP_SERVER");
	sp.agent_socket = sock;
	sp.owner = owner;
	sp.sftp_flags = sftp_flags;
	sp.log_file = px->log_file;
	sp.log_level = px->opts.log_level;
	sp.inactivity = px->opts.inactivity;
	sp.privileged = privileged;
	sp.forwarding = forwarding(px);
	if ((cfg = msb_sshd_config(&sp, &err)) == NULL)
		fail(px, "cannot generate the sshd configuration: %s",
		    msb_error_msg(&err));

	/* The owner's own name first, then the sandbox's accounts. */
	if ((names = calloc(acc.n + 1, sizeof(*names))) == NULL)
		fail(px, "out of memory");
	names[0] = owner;
	for (i = 0; i < acc.n; i++)
		names[i + 1] = acc.v[i].name;
	memset(&vp, 0, sizeof(vp));
	vp.names = names;
	vp.nnames = acc.n + 1;
	vp.uid = (uint32_t)getuid();
	vp.gid = (uint32_t)getgid();
	vp.group = group;
	vp.home = home;
	vp.privileged = privileged;
	/*
	 * DNS for -D/-L names only where the sandbox has a network: in its
	 * own (--net none) it would mean sshd parsing answers from whatever
	 * the sandbox runs on its loopback, for names nothing could reach.
	 */
	vp.hosts_dns = sp.forwarding != MSB_SSH_FWD_NONE &&
	    px->sb->cfg.net_host;
	if (privileged) {
		vp.privsep_uid = (uint32_t)privsep_uid;
		vp.privsep_gid = (uint32_t)privsep_gid;
		vp.privsep_group = privsep_group;
	}
	if (msb_view_files_make(&vp, &vf, &err) != 0)
		fail(px, "cannot generate the account view: %s",
		    msb_error_msg(&err));

	/* Before the account view: it nests inside the sandbox's user ns. */
	if (sp.forwarding != MSB_SSH_FWD_NONE)
		enter_sandbox_net(px, sp.forwarding);
	keep = keep_paths(px, home, sshd, sp.shell, sp.sftp_server);
	if (accview_enter(session_dir, &vf, cfg, authkeys_text, privileged,
	    (uid_t)vp.uid, (gid_t)vp.gid, (const char *const *)keep, &cfgpath,
	    &err) != 0)
		fail(px, "%s", msb_error_msg(&err));
	proxy_log(px, "%s: exec %s for %zu sandbox accounts", px->opts.name, sshd,
	    acc.n);
	{
		char *argv[] = { "sshd", "-i", "-f", cfgpath, "-E", px->log_file,
		    NULL };

		execv(sshd, argv);
	}
	fail(px, "cannot run %s: %s", sshd, strerror(errno));
}
