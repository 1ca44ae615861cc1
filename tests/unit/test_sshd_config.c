/*
 * Unit tests of the generated sshd_config and account view; the config is
 * also checked by the real sshd (-t to validate, -T to read back the values
 * it parsed, including quoted paths with blanks, quotes and '%').
 */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msb/sandbox.h"
#include "msb/serve-opts.h"
#include "msb/sshd-config.h"

static struct msb_sshd_params
sample(void)
{
	struct msb_sshd_params p = {
		.sandbox = "devbox",
		.host_key = "/home/u/.msb/sandboxes/devbox/ssh/host_ed25519",
		.authorized_keys = "/home/u/.msb/ssh/authorized_keys",
		.shell = "/usr/libexec/msb/msb-shell",
		.sftp_server = "/usr/libexec/msb/msb-sftp-server",
		.agent_socket = "/home/u/.msb/sandboxes/devbox/run/agent.sock",
		.owner = "u",
		.sftp_flags = "-R -l INFO",
		.log_file = "/home/u/.msb/sandboxes/devbox/log",
		.log_level = NULL,
		.inactivity = 600,
		.privileged = 0,
	};
	return p;
}

static int
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return 1;
		p += n;
	}
	return 0;
}

static char *
fmt_rm(const char *dir)
{
	char *cmd;

	cr_assert_gt(asprintf(&cmd, "rm -rf '%s'", dir), 0);
	return cmd;
}

Test(sshd_config, locked_down_settings)
{
	static const char *const lines[] = {
		"HostKey \"/home/u/.msb/sandboxes/devbox/ssh/host_ed25519\"",
		"AuthorizedKeysFile \"/home/u/.msb/ssh/authorized_keys\"",
		"PidFile none", "StrictModes yes", "UsePAM no",
		"PubkeyAuthentication yes", "AuthenticationMethods publickey",
		"PasswordAuthentication no", "KbdInteractiveAuthentication no",
		"HostbasedAuthentication no", "PermitEmptyPasswords no",
		"PermitRootLogin prohibit-password", "MaxAuthTries 3",
		"LoginGraceTime 30", "PermitTTY yes",
		"PermitUserEnvironment MSB_KEY_LINE",
		"PermitUserRC no", "PrintMotd no", "PrintLastLog no", "UseDNS no",
		"DisableForwarding yes", "AllowTcpForwarding no",
		"AllowStreamLocalForwarding no", "AllowAgentForwarding no",
		"X11Forwarding no", "PermitTunnel no", "GatewayPorts no",
		"PermitOpen none", "PermitListen none", "ClientAliveInterval 30",
		"ClientAliveCountMax 3", "ChannelTimeout session:shell=600 session:subsystem:*=600",
		"UnusedConnectionTimeout 600", "LogLevel VERBOSE",
		"AcceptEnv LANG LC_* COLORTERM GIT_PROTOCOL",
		"SetEnv \"MSB_SANDBOX=devbox\" "
		"\"MSB_AGENT_SOCKET=/home/u/.msb/sandboxes/devbox/run/agent.sock\" "
		"\"MSB_OWNER=u\" \"MSB_SFTP_SERVER=/usr/libexec/msb/msb-sftp-server\" "
		"\"MSB_SFTP_FLAGS=-R -l INFO\" "
		"\"MSB_LOG_FILE=/home/u/.msb/sandboxes/devbox/log\" "
		"\"MSB_AUTHORIZED_KEYS=/home/u/.msb/ssh/authorized_keys\"",
		"ExposeAuthInfo yes",
		"Subsystem sftp \"/usr/libexec/msb/msb-sftp-server\"",
		"ForceCommand exec '/usr/libexec/msb/msb-shell'",
		NULL,
	};
	struct msb_sshd_params p = sample();
	struct msb_error err = MSB_ERROR_INIT;
	char *cfg = msb_sshd_config(&p, &err);
	size_t i;

	cr_assert_not_null(cfg, "%s", msb_error_msg(&err));
	for (i = 0; lines[i] != NULL; i++)
		cr_assert(has_line(cfg, lines[i]), "missing line: %s\n%s", lines[i],
		    cfg);
	cr_assert_null(strstr(cfg, "Include"));
	cr_assert_null(strstr(cfg, " yes\nPasswordAuthentication"));
	cr_assert_null(strstr(cfg, "DenyUsers"));
	free(cfg);
}

Test(sshd_config, inactivity_privileged_and_level)
{
	struct msb_sshd_params p = sample();
	char *cfg;

	p.inactivity = 0;
	p.privileged = 1;
	p.log_level = "debug2";
	cfg = msb_sshd_config(&p, NULL);
	cr_assert_not_null(cfg);
	cr_assert_null(strstr(cfg, "ChannelTimeout"));
	cr_assert_null(strstr(cfg, "UnusedConnectionTimeout"));
	cr_assert(has_line(cfg, "DenyUsers sshd"));
	cr_assert(has_line(cfg, "LogLevel debug2"));
	free(cfg);
	p.inactivity = 2;
	p.log_level = "LOUD";
	cr_assert_null(msb_sshd_config(&p, NULL));
	p.log_level = NULL;
	cfg = msb_sshd_config(&p, NULL);
	cr_assert(has_line(cfg,
	    "ChannelTimeout session:shell=2 session:subsystem:*=2"));
	cr_assert(has_line(cfg, "UnusedConnectionTimeout 2"));
	/* Commands (exec requests) and forwarded channels never idle out. */
	cr_assert_null(strstr(cfg, "session:*"));
	cr_assert_null(strstr(cfg, "session:command"));
	cr_assert_null(strstr(cfg, "direct-tcpip"));
	free(cfg);
}

Test(sshd_config, quoting)
{
	struct msb_sshd_params p = sample();
	struct msb_error err = MSB_ERROR_INIT;
	char *cfg, *q;

	p.host_key = "/tmp/a dir/\"q\"/hk";
	p.authorized_keys = "/tmp/50% off/authorized_keys";
	p.shell = "/opt/it's here/msb-shell";
	p.sftp_server = "/opt/my tools/msb-sftp-server";
	cfg = msb_sshd_config(&p, &err);
	cr_assert_not_null(cfg, "%s", msb_error_msg(&err));
	cr_assert(has_line(cfg, "HostKey \"/tmp/a dir/\\\"q\\\"/hk\""), "%s", cfg);
	cr_assert(has_line(cfg,
	    "AuthorizedKeysFile \"/tmp/50%% off/authorized_keys\""), "%s", cfg);
	cr_assert(has_line(cfg,
	    "ForceCommand exec '/opt/it'\\''s here/msb-shell'"), "%s", cfg);
	cr_assert(has_line(cfg,
	    "Subsystem sftp \"/opt/my tools/msb-sftp-server\""), "%s", cfg);
	free(cfg);
	/* values that cannot be represented are refused, not mangled */
	p = sample();
	p.agent_socket = "/tmp/x\ny";
	cr_assert_null(msb_sshd_config(&p, &err));
	cr_assert_eq(err.code, EINVAL);
	cr_assert_not_null(strstr(msb_error_msg(&err), "MSB_AGENT_SOCKET"));
	msb_error_clear(&err);
	p = sample();
	p.shell = "/opt/x\\/msb-shell";
	cr_assert_null(msb_sshd_config(&p, &err));
	msb_error_clear(&err);
	q = msb_sshcfg_quote("a\\b\"c", 0, NULL);
	cr_assert_str_eq(q, "\"a\\\\b\\\"c\"");
	free(q);
	q = msb_sh_quote("it's", NULL);
	cr_assert_str_eq(q, "'it'\\''s'");
	free(q);
}

Test(sshd_config, sftp_flags)
{
	struct msb_error err = MSB_ERROR_INIT;
	char *s;

	s = msb_sftp_flags(0, NULL, NULL, NULL, &err);
	cr_assert_str_eq(s, "");
	free(s);
	s = msb_sftp_flags(1, "open,read,close", NULL, "VERBOSE", &err);
	cr_assert_str_eq(s, "-R -p open,read,close -l VERBOSE");
	free(s);
	s = msb_sftp_flags(0, NULL, "remove,rmdir", NULL, &err);
	cr_assert_str_eq(s, "-P remove,rmdir");
	free(s);
	cr_assert_null(msb_sftp_flags(0, "open, read", NULL, NULL, &err));
	cr_assert_eq(err.code, EINVAL);
	msb_error_clear(&err);
	cr_assert_null(msb_sftp_flags(0, NULL, "", NULL, &err));
	msb_error_clear(&err);
}

/* Forwarding lines of each mode; everything else is the locked-down config. */
Test(sshd_config, forwarding_modes)
{
	static const struct {
		int fwd;
		const char *tcp, *open, *listen;
	} modes[] = {
		{ MSB_SSH_FWD_LOCAL, "local", "any", "none" },
		{ MSB_SSH_FWD_REMOTE, "remote", "none", "any" },
		{ MSB_SSH_FWD_ALL, "yes", "any", "any" },
	};
	static const char *const always[] = {
		"AllowStreamLocalForwarding no", "AllowAgentForwarding no",
		"X11Forwarding no", "PermitTunnel no", "GatewayPorts no",
		"ForceCommand exec '/usr/libexec/msb/msb-shell'",
		"PasswordAuthentication no",
		"ChannelTimeout session:shell=600 session:subsystem:*=600", NULL,
	};
	struct msb_sshd_params p = sample();
	char *off, *cfg, *line;
	size_t i, j;

	off = msb_sshd_config(&p, NULL);
	cr_assert_not_null(off);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		p.forwarding = modes[i].fwd;
		cfg = msb_sshd_config(&p, NULL);
		cr_assert_not_null(cfg);
		cr_assert_null(strstr(cfg, "DisableForwarding"), "%s", cfg);
		cr_assert_gt(asprintf(&line, "AllowTcpForwarding %s",
		    modes[i].tcp), 0);
		cr_assert(has_line(cfg, line), "%s\n%s", line, cfg);
		free(line);
		cr_assert_gt(asprintf(&line, "PermitOpen %s", modes[i].open), 0);
		cr_assert(has_line(cfg, line), "%s\n%s", line, cfg);
		free(line);
		cr_assert_gt(asprintf(&line, "PermitListen %s", modes[i].listen),
		    0);
		cr_assert(has_line(cfg, line), "%s\n%s", line, cfg);
		free(line);
		for (j = 0; always[j] != NULL; j++)
			cr_assert(has_line(cfg, always[j]), "%s\n%s", always[j],
			    cfg);
		free(cfg);
	}
	/* Bits outside the mask are ignored: off is off. */
	p.forwarding = 0x10;
	cfg = msb_sshd_config(&p, NULL);
	cr_assert_str_eq(cfg, off);
	free(cfg);
	free(off);
}

Test(sshd_config, forwarding_names_and_serve_override)
{
	static const char *const names[] = { "none", "local", "remote", "all" };
	char *argv[] = { "serve", "devbox", "--stdio", "--forwarding", NULL,
	    NULL };
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_serve_opts o;
	int i, v;

	for (i = 0; i < 4; i++) {
		cr_assert_eq(msb_ssh_forwarding_parse(names[i], &v), 0);
		cr_assert_eq(v, i);
		cr_assert_str_eq(msb_ssh_forwarding_name(i), names[i]);
	}
	cr_assert_eq(msb_ssh_forwarding_parse("yes", &v), -1);
	cr_assert_eq(msb_ssh_forwarding_parse("", &v), -1);
	cr_assert_eq(msb_ssh_forwarding_parse("Local", &v), -1);
	cr_assert_eq(msb_ssh_forwarding_parse(NULL, &v), -1);

	/* not given: the sandbox's setting, whatever it is */
	cr_assert_eq(msb_serve_opts_parse(3, argv, &o, &err), 0);
	cr_assert_eq(o.forwarding, -1);
	cr_assert_eq(msb_serve_forwarding(&o, MSB_SSH_FWD_ALL), MSB_SSH_FWD_ALL);
	cr_assert_eq(msb_serve_forwarding(&o, MSB_SSH_FWD_NONE), 0);
	/* given: it only narrows */
	argv[4] = "local";
	cr_assert_eq(msb_serve_opts_parse(5, argv, &o, &err), 0);
	cr_assert_eq(o.forwarding, MSB_SSH_FWD_LOCAL);
	cr_assert_eq(msb_serve_forwarding(&o, MSB_SSH_FWD_ALL), MSB_SSH_FWD_LOCAL);
	cr_assert_eq(msb_serve_forwarding(&o, MSB_SSH_FWD_REMOTE), 0);
	argv[4] = "all";
	cr_assert_eq(msb_serve_opts_parse(5, argv, &o, &err), 0);
	cr_assert_eq(msb_serve_forwarding(&o, MSB_SSH_FWD_REMOTE),
	    MSB_SSH_FWD_REMOTE);
	argv[4] = "none";
	cr_assert_eq(msb_serve_opts_parse(5, argv, &o, &err), 0);
	cr_assert_eq(msb_serve_forwarding(&o, MSB_SSH_FWD_ALL), 0);
	argv[4] = "everything";
	cr_assert_eq(msb_serve_opts_parse(5, argv, &o, &err), -1);
	cr_assert_eq(err.code, EINVAL);
	cr_assert_not_null(strstr(msb_error_msg(&err), "--forwarding"));
	msb_error_clear(&err);
	cr_assert_eq(msb_serve_opts_parse(4, argv, &o, &err), -1);
	msb_error_clear(&err);
}

/* The per-sandbox setting in the sandbox config file. */
Test(sshd_config, forwarding_in_sandbox_config)
{
	char dir[] = "/tmp/msb-test-fwdcfg.XXXXXX", *path, *cmd;
	struct msb_sandbox_config in, out;
	struct msb_error err = MSB_ERROR_INIT;
	FILE *f;
	int i;

	cr_assert_not_null(mkdtemp(dir));
	cr_assert_gt(asprintf(&path, "%s/config", dir), 0);
	memset(&in, 0, sizeof(in));
	in.name = "devbox";
	in.image = "host";
	in.user = "root";
	for (i = MSB_SSH_FWD_NONE; i <= MSB_SSH_FWD_ALL; i++) {
		in.ssh_forwarding = i;
		cr_assert_eq(msb_sandbox_config_write(path, &in, &err), 0, "%s",
		    msb_error_msg(&err));
		cr_assert_eq(msb_sandbox_config_read(path, &out, &err), 0, "%s",
		    msb_error_msg(&err));
		cr_assert_eq(out.ssh_forwarding, i);
		msb_sandbox_config_free(&out);
	}
	/* a config written before the setting existed: none */
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("version = 1;\nname = \"x\";\nimage = \"host\";\n"
	    "sftp = { read_only = false; };\n", f);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(msb_sandbox_config_read(path, &out, &err), 0, "%s",
	    msb_error_msg(&err));
	cr_assert_eq(out.ssh_forwarding, MSB_SSH_FWD_NONE);
	msb_sandbox_config_free(&out);
	/* an unknown value fails closed */
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("version = 1;\nname = \"x\";\nimage = \"host\";\n"
	    "ssh = { forwarding = \"everything\"; };\n", f);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(msb_sandbox_config_read(path, &out, &err), -1);
	cr_assert_eq(err.code, EINVAL);
	msb_error_clear(&err);
	cmd = fmt_rm(dir);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	free(path);
}

Test(account_view, unprivileged_files)
{
	char *names[] = { "alice", "root", "app", "alice", "bad:name", "-x",
	    "sshd", "we ird", "app2.x_y-z" };
	struct msb_view_params p = {
		.names = names, .nnames = 9, .uid = 1000, .gid = 1001,
		.group = "alice", .home = "/home/alice/.msb", .privileged = 0,
	};
	struct msb_view_files f;
	struct msb_error err = MSB_ERROR_INIT;

	cr_assert_eq(msb_view_files_make(&p, &f, &err), 0, "%s",
	    msb_error_msg(&err));
	cr_assert_str_eq(f.passwd,
	    "alice:x:1000:1001:msb sandbox account:/home/alice/.msb:/bin/sh\n"
	    "root:x:1000:1001:msb sandbox account:/home/alice/.msb:/bin/sh\n"
	    "app:x:1000:1001:msb sandbox account:/home/alice/.msb:/bin/sh\n"
	    "sshd:x:1000:1001:msb sandbox account:/home/alice/.msb:/bin/sh\n"
	    "app2.x_y-z:x:1000:1001:msb sandbox account:/home/alice/.msb:/bin/sh\n");
	cr_assert_str_eq(f.shadow,
	    "alice:*:::::::\nroot:*:::::::\napp:*:::::::\nsshd:*:::::::\n"
	    "app2.x_y-z:*:::::::\n");
	cr_assert_str_eq(f.group, "alice:x:1001:\n");
	cr_assert_str_eq(f.nsswitch,
	    "passwd: files\ngroup: files\nshadow: files\nhosts: files\n");
	cr_assert_null(strstr(f.group, "tty"));
	cr_assert_null(strstr(f.passwd, "bash"));
	msb_view_files_free(&f);
}

Test(account_view, privileged_files)
{
	char *names[] = { "root", "sshd", "app" };
	struct msb_view_params p = {
		.names = names, .nnames = 3, .uid = 0, .gid = 0, .group = "root",
		.home = "/root/.msb", .privileged = 1, .privsep_uid = 102,
		.privsep_gid = 65534, .privsep_group = "nogroup",
	};
	struct msb_view_files f;

	cr_assert_eq(msb_view_files_make(&p, &f, NULL), 0);
	/* the sandbox's own "sshd" account gives way to the privsep user */
	cr_assert_str_eq(f.passwd,
	    "root:x:0:0:msb sandbox account:/root/.msb:/bin/sh\n"
	    "app:x:0:0:msb sandbox account:/root/.msb:/bin/sh\n"
	    "sshd:x:102:65534:privilege separation:/run/sshd:/usr/sbin/nologin\n");
	cr_assert_str_eq(f.group, "root:x:0:\nnogroup:x:65534:\n");
	cr_assert_str_eq(f.shadow, "root:*:::::::\napp:*:::::::\nsshd:*:::::::\n");
	msb_view_files_free(&f);
	/* forwarding in the host's network: sshd resolves -D/-L names by DNS */
	p.hosts_dns = 1;
	cr_assert_eq(msb_view_files_make(&p, &f, NULL), 0);
	cr_assert_str_eq(f.nsswitch,
	    "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n");
	msb_view_files_free(&f);
}

Test(account_view, bad_home_refused)
{
	char *names[] = { "a" };
	struct msb_view_params p = {
		.names = names, .nnames = 1, .uid = 1, .gid = 1, .group = "g",
		.home = "/home/a:b",
	};
	struct msb_view_files f;
	struct msb_error err = MSB_ERROR_INIT;

	cr_assert_eq(msb_view_files_make(&p, &f, &err), -1);
	cr_assert_eq(err.code, EINVAL);
	msb_error_clear(&err);
	p.home = "relative";
	cr_assert_eq(msb_view_files_make(&p, &f, NULL), -1);
	cr_assert(msb_account_name_ok("root"));
	cr_assert_not(msb_account_name_ok(""));
	cr_assert_not(msb_account_name_ok("a/b"));
	cr_assert_not(msb_account_name_ok("abcdefghijklmnopqrstuvwxyz0123456"));
}

/* ---- the real sshd reads the generated file back ---- */

static const char *
sshd_path(void)
{
	const char *p = getenv("MSB_SSHD");

	return p != NULL && *p == '/' ? p : MSB_SSHD_PATH;
}

/*
 * Run sshd with args; as root inside a private mount namespace with a
 * tmpfs /run holding /run/sshd (sshd insists on its privsep directory),
 * so the host is not touched. Returns its stdout (heap) and exit status.
 */
static char *
run_sshd(char *const args[], int *status)
{
	int pfd[2];
	pid_t pid;
	char *out = NULL;
	size_t n = 0;
	FILE *f;

	cr_assert_eq(pipe(pfd), 0);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		if (geteuid() == 0 &&
		    (unshare(CLONE_NEWNS) != 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
		    mount("tmpfs", "/run", "tmpfs", 0, "mode=0755") != 0 ||
		    mkdir("/run/sshd", 0755) != 0))
			_exit(99);
		execv(sshd_path(), args);
		_exit(98);
	}
	close(pfd[1]);
	f = fdopen(pfd[0], "r");
	cr_assert_not_null(f);
	if (getdelim(&out, &n, '\0', f) < 0) {
		free(out);
		out = strdup("");
	}
	fclose(f);
	cr_assert_eq(waitpid(pid, status, 0), pid);
	return out;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

static char *
fmt(const char *f, ...)
{
	va_list ap;
	char *s;
	int r;

	va_start(ap, f);
	r = vasprintf(&s, f, ap);
	va_end(ap);
	cr_assert_neq(r, -1);
	return s;
}

Test(sshd_config, accepted_by_real_sshd)
{
	char dir[] = "/tmp/msb-test-sshdcfg.XXXXXX";
	char *base, *cmd, *cfgpath, *cfg, *out, *want;
	struct msb_sshd_params p = sample();
	int status;
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	base = fmt("%s/a \"dir\" 100%%", dir);
	cr_assert_eq(mkdir(base, 0700), 0);
	cmd = fmt("ssh-keygen -q -N '' -t ed25519 -f '%s/hk'", base);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	p.host_key = fmt("%s/hk", base);
	p.authorized_keys = fmt("%s/authorized_keys", base);
	p.shell = fmt("%s/it's/msb-shell", base);
	p.sftp_server = fmt("%s/msb-sftp-server", base);
	p.agent_socket = fmt("%s/run/agent.sock", base);
	p.privileged = geteuid() == 0;
	cfg = msb_sshd_config(&p, NULL);
	cr_assert_not_null(cfg);
	cfgpath = fmt("%s/sshd_config", base);
	f = fopen(cfgpath, "w");
	cr_assert_not_null(f);
	fputs(cfg, f);
	cr_assert_eq(fclose(f), 0);

	{
		char *args[] = { "sshd", "-t", "-f", cfgpath, NULL };

		out = run_sshd(args, &status);
		cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "sshd -t rejected the config:\n%s", cfg);
		free(out);
	}
	{
		char *args[] = { "sshd", "-T", "-f", cfgpath, "-C",
		    "user=app,host=h,addr=127.0.0.1", NULL };

		out = run_sshd(args, &status);
		cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		/* sshd -T prints the values it parsed (lower-case keywords) */
		want = fmt("hostkey %s\n", p.host_key);
		cr_assert_not_null(strstr(out, want), "%s", out);
		free(want);
		want = fmt("subsystem sftp %s\n", p.sftp_server);
		cr_assert_not_null(strstr(out, want), "%s", out);
		free(want);
		want = fmt("setenv MSB_AGENT_SOCKET=%s\n", p.agent_socket);
		cr_assert_not_null(strstr(out, want), "%s", out);
		free(want);
		cr_assert_not_null(strstr(out, "setenv MSB_SFTP_FLAGS=-R -l INFO\n"));
		cr_assert_not_null(strstr(out, "passwordauthentication no\n"));
		cr_assert_not_null(strstr(out, "allowtcpforwarding no\n"));
		cr_assert_not_null(strstr(out, "permituserrc no\n"));
		cr_assert_not_null(strstr(out, "usepam no\n"));
		cr_assert_not_null(strstr(out, "exposeauthinfo yes\n"));
		cr_assert_not_null(strstr(out, "permituserenvironment MSB_KEY_LINE\n"),
		    "%s", out);
		cr_assert_not_null(strstr(out, "channeltimeout session:shell=600 "
		    "session:subsystem:*=600\n"), "%s", out);
		cr_assert_not_null(strstr(out, "unusedconnectiontimeout 600\n"));
		cr_assert_not_null(strstr(out, "forcecommand exec '"), "%s", out);
		free(out);
	}
	cmd = fmt("rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	free(cfg);
	free(cfgpath);
	free(base);
	free((char *)p.host_key);
	free((char *)p.authorized_keys);
	free((char *)p.shell);
	free((char *)p.sftp_server);
	free((char *)p.agent_socket);
}

/* sshd -T of the config for each forwarding mode: what sshd will enforce. */
Test(sshd_config, forwarding_accepted_by_real_sshd)
{
	static const struct {
		int fwd;
		const char *const want[4];
	} modes[] = {
		{ MSB_SSH_FWD_NONE, { "disableforwarding yes\n",
		    "allowtcpforwarding no\n", "permitopen none\n",
		    "permitlisten none\n" } },
		{ MSB_SSH_FWD_LOCAL, { "disableforwarding no\n",
		    "allowtcpforwarding local\n", "permitopen any\n",
		    "permitlisten none\n" } },
		{ MSB_SSH_FWD_REMOTE, { "disableforwarding no\n",
		    "allowtcpforwarding remote\n", "permitopen none\n",
		    "permitlisten any\n" } },
		{ MSB_SSH_FWD_ALL, { "disableforwarding no\n",
		    "allowtcpforwarding yes\n", "permitopen any\n",
		    "permitlisten any\n" } },
	};
	static const char *const off[] = {
		"allowstreamlocalforwarding no\n", "allowagentforwarding no\n",
		"x11forwarding no\n", "permittunnel no\n", "gatewayports no\n",
		NULL,
	};
	char dir[] = "/tmp/msb-test-sshdfwd.XXXXXX";
	struct msb_sshd_params p = sample();
	char *cmd, *cfgpath, *cfg, *out;
	int status;
	size_t i, j;
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	cmd = fmt("ssh-keygen -q -N '' -t ed25519 -f '%s/hk'", dir);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	p.host_key = fmt("%s/hk", dir);
	p.privileged = geteuid() == 0;
	cfgpath = fmt("%s/sshd_config", dir);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		char *args[] = { "sshd", "-T", "-f", cfgpath, "-C",
		    "user=app,host=h,addr=127.0.0.1", NULL };

		p.forwarding = modes[i].fwd;
		cfg = msb_sshd_config(&p, NULL);
		cr_assert_not_null(cfg);
		f = fopen(cfgpath, "w");
		cr_assert_not_null(f);
		fputs(cfg, f);
		cr_assert_eq(fclose(f), 0);
		out = run_sshd(args, &status);
		cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "sshd -T rejected:\n%s", cfg);
		for (j = 0; j < 4; j++)
			cr_assert_not_null(strstr(out, modes[i].want[j]),
			    "mode %d: no '%s' in\n%s", modes[i].fwd,
			    modes[i].want[j], out);
		for (j = 0; off[j] != NULL; j++)
			cr_assert_not_null(strstr(out, off[j]), "mode %d: no "
			    "'%s' in\n%s", modes[i].fwd, off[j], out);
		free(out);
		free(cfg);
	}
	cmd = fmt("rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	free(cfgpath);
	free((char *)p.host_key);
}
