/* msb create|start|stop|rm|ls|inspect: sandbox lifecycle. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "msb/sandbox.h"
#include "msb/sftp-names.h"
#include "msb/xmalloc.h"
#include "cmd.h"
#include "opts.h"

/* ---- create ---- */

static const char create_help[] =
    "usage: msb create NAME [options]\n"
    "\n"
    "Create a sandbox (it is not started).\n"
    "\n"
    "  --image host|DIR        root filesystem: the host's / (default) or a\n"
    "                          rootfs directory; both read-only, writes go to\n"
    "                          the sandbox's own overlay upper dir\n"
    "  --user USER             default sandbox user (default root)\n"
    "  --net none|host         own network namespace with only lo (default)\n"
    "                          or the host's network\n"
    "  -v, --volume HOST_DIR:SANDBOX_DIR[:ro|:rw]\n"
    "                          bind-mount a host directory (repeatable)\n"
    "  --sftp-read-only        SFTP sessions may not modify files\n"
    "  --sftp-allow LIST       only these SFTP requests (comma-separated)\n"
    "  --sftp-deny LIST        refuse these SFTP requests\n"
    "  --sftp-log-level LEVEL  log SFTP operations (QUIET..DEBUG3)\n"
    "  --ssh-forwarding none|local|remote|all\n"
    "                          TCP forwarding over SSH (ssh -L/-D/-W, -R),\n"
    "                          opened inside the sandbox (default none)\n"
    "  --memory SIZE           memory limit, e.g. 512M (root: cgroups)\n"
    "  --pids N                limit on processes and threads (root)\n"
    "  --cpus N                CPU time per wall time, e.g. 1.5 (root)\n"
    "  -h, --help              show this help\n";

enum {
	OPT_IMAGE = 256, OPT_USER, OPT_NET, OPT_SFTP_RO, OPT_SFTP_ALLOW,
	OPT_SFTP_DENY, OPT_SFTP_LOG, OPT_SSH_FWD, OPT_MEMORY, OPT_PIDS,
	OPT_CPUS,
};

static int
add_volume(struct msb_sandbox_config *c, const char *spec)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_volume v;
	int r;

	if (msb_volume_parse(spec, &v, &err) != 0) {
		/* A malformed spec is a usage error; only ENOMEM and getcwd
		 * failures are not (a missing host dir is create's, exit 1). */
		r = err.code == EINVAL ? msb_usage_error("create", create_help,
		    "%s", msb_error_msg(&err)) : msb_cmd_fail("%s",
		    msb_error_msg(&err));
		msb_error_clear(&err);
		return r;
	}
	c->volumes = xreallocarray(c->volumes, c->nvolumes + 1,
	    sizeof(*c->volumes));
	c->volumes[c->nvolumes++] = v;
	return 0;
}

/* Replace a string option (repeated options: the last one wins). */
static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

/* A bad option value is a usage error (exit 2), like --net. */
static int
check_opt(int rc, struct msb_error *err)
{
	if (rc == 0)
		return 0;
	rc = msb_usage_error("create", create_help, "%s", msb_error_msg(err));
	msb_error_clear(err);
	return rc;
}

/*
 * --user must name an account of the image. With the host's / that is
 * final (exit 1, nothing written); a rootfs directory belongs to the user,
 * who may still add the account to it, so there it is only a warning.
 */
static int
check_user(const struct msb_sandbox_config *c)
{
	struct msb_error err = MSB_ERROR_INIT;
	int host = c->image == NULL || strcmp(c->image, "host") == 0;
	struct stat st;
	int r;

	/* A missing image is msb_sandbox_create's error to report. */
	if (!host && (stat(c->image, &st) != 0 || !S_ISDIR(st.st_mode)))
		return 0;
	r = msb_image_has_user(c, c->user, &err);
	if (r == 1)
		return 0;
	if (r == 0 && host)
		return msb_cmd_fail("user '%.40s' does not exist in the "
		    "image's /etc/passwd (image host); use an existing "
		    "account, or create the sandbox without --user and add "
		    "the account inside it (msb exec NAME -- useradd %.40s)",
		    c->user, c->user);
	if (r == 0)
		fprintf(stderr, "msb create: warning: user '%.40s' does not "
		    "exist in %s/etc/passwd; sessions fail until it is "
		    "added\n", c->user, c->image);
	else {
		if (host) {
			r = msb_cmd_fail("cannot check --user: %s",
			    msb_error_msg(&err));
			msb_error_clear(&err);
			return r;
		}
		fprintf(stderr, "msb create: warning: cannot check --user: "
		    "%s\n", msb_error_msg(&err));
	}
	msb_error_clear(&err);
	return 0;
}

/* The limits file of a sandbox just created (none: nothing to do). */
static int
set_limits(const char *name, const struct msb_limits *lim,
    struct msb_error *err)
{
	struct msb_sandbox *sb;
	int r;

	if (lim->memory == 0 && lim->pids == 0 && lim->cpu_milli == 0)
		return 0;
	if ((sb = msb_sandbox_load(name, err)) == NULL)
		return -1;
	r = msb_sandbox_limits_write(sb, lim, err);
	msb_sandbox_free(sb);
	return r;
}

int
cmd_create(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "image", required_argument, NULL, OPT_IMAGE },
		{ "user", required_argument, NULL, OPT_USER },
		{ "net", required_argument, NULL, OPT_NET },
		{ "volume", required_argument, NULL, 'v' },
		{ "sftp-read-only", no_argument, NULL, OPT_SFTP_RO },
		{ "sftp-allow", required_argument, NULL, OPT_SFTP_ALLOW },
		{ "sftp-deny", required_argument, NULL, OPT_SFTP_DENY },
		{ "sftp-log-level", required_argument, NULL, OPT_SFTP_LOG },
		{ "ssh-forwarding", required_argument, NULL, OPT_SSH_FWD },
		{ "memory", required_argument, NULL, OPT_MEMORY },
		{ "pids", required_argument, NULL, OPT_PIDS },
		{ "cpus", required_argument, NULL, OPT_CPUS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct msb_sandbox_config c;
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_limits lim;
	int ch, r = 0;

	memset(&c, 0, sizeof(c));
	memset(&lim, 0, sizeof(lim));
	while ((ch = msb_getopt(argc, argv, "v:h", longopts)) != -1) {
		switch (ch) {
		case OPT_IMAGE:
			set_str(&c.image, optarg);
			break;
		case OPT_USER:
			set_str(&c.user, optarg);
			break;
		case OPT_NET:
			if (strcmp(optarg, "host") == 0)
				c.net_host = 1;
			else if (strcmp(optarg, "none") == 0)
				c.net_host = 0;
			else
				r = msb_usage_error("create", create_help,
				    "--net must be 'none' or 'host', not "
				    "'%.40s'", optarg);
			break;
		case 'v':
			r = add_volume(&c, optarg);
			break;
		case OPT_SFTP_RO:
			c.sftp_readonly = 1;
			break;
		case OPT_SFTP_ALLOW:
			set_str(&c.sftp_allow, optarg);
			r = check_opt(msb_sftp_request_list_check("--sftp-allow",
			    optarg, &err), &err);
			break;
		case OPT_SFTP_DENY:
			set_str(&c.sftp_deny, optarg);
			r = check_opt(msb_sftp_request_list_check("--sftp-deny",
			    optarg, &err), &err);
			break;
		case OPT_SFTP_LOG:
			set_str(&c.sftp_log_level, optarg);
			r = check_opt(msb_sftp_log_level_check(optarg, &err),
			    &err);
			break;
		case OPT_SSH_FWD:
			if (msb_ssh_forwarding_parse(optarg,
			    &c.ssh_forwarding) != 0)
				r = msb_usage_error("create", create_help,
				    "--ssh-forwarding must be 'none', 'local', "
				    "'remote' or 'all', not '%.40s'", optarg);
			break;
		case OPT_MEMORY:
			r = check_opt(msb_limits_parse_memory(optarg,
			    &lim.memory, &err), &err);
			break;
		case OPT_PIDS:
			r = check_opt(msb_limits_parse_pids(optarg, &lim.pids,
			    &err), &err);
			break;
		case OPT_CPUS:
			r = check_opt(msb_limits_parse_cpus(optarg,
			    &lim.cpu_milli, &err), &err);
			break;
		case 'h':
			fputs(create_help, stdout);
			msb_sandbox_config_free(&c);
			return 0;
		default:
			r = msb_usage_error("create", create_help, NULL);
			break;
		}
		if (r != 0)
			break;
	}
	if (r == 0 && argc - optind != 1)
		r = msb_usage_error("create", create_help, argc == optind ?
		    "missing sandbox name" : "too many arguments");
	if (r == 0)
		r = msb_check_name("create", create_help, argv[optind]);
	if (r == 0 && (lim.memory != 0 || lim.pids != 0 || lim.cpu_milli != 0) &&
	    geteuid() != 0)
		r = msb_cmd_fail("resource limits (--memory, --pids, --cpus) "
		    "need root (cgroups); unprivileged, set rlimits with ulimit "
		    "before 'msb start' instead");
	if (r == 0 && c.user != NULL)
		r = check_user(&c);
	if (r == 0) {
		c.name = xstrdup(argv[optind]);
		if (msb_sandbox_create(&c, &err) != 0)
			r = msb_cmd_fail("%s", msb_error_msg(&err));
		else if (set_limits(c.name, &lim, &err) != 0) {
			r = msb_cmd_fail("%s", msb_error_msg(&err));
			msb_error_clear(&err);
			/* All or nothing: the sandbox without its limits
			 * would be a surprise. */
			(void)msb_sandbox_remove(c.name, 1, &err);
		}
	}
	msb_error_clear(&err);
	msb_sandbox_config_free(&c);
	return r;
}

/* ---- start / stop / rm: the same shape over a list of names ---- */

struct each_opts {
	int timeout_ms;
	int force;
};

typedef int (*each_fn)(const char *name, const struct each_opts *o,
    struct msb_error *err);

static int
do_start(const char *name, const struct each_opts *o, struct msb_error *err)
{
	struct msb_sandbox *sb;
	int r;

	(void)o;
	if ((sb = msb_sandbox_load(name, err)) == NULL)
		return -1;
	r = msb_sandbox_start(sb, err);
	msb_sandbox_free(sb);
	return r;
}

static int
do_stop(const char *name, const struct each_opts *o, struct msb_error *err)
{
	struct msb_sandbox *sb;
	int r;

	if ((sb = msb_sandbox_load(name, err)) == NULL)
		return -1;
	r = msb_sandbox_stop(sb, o->timeout_ms, err);
	msb_sandbox_free(sb);
	return r;
}

static int
do_rm(const char *name, const struct each_opts *o, struct msb_error *err)
{
	return msb_sandbox_remove(name, o->force, err);
}

/* Apply fn to every name; report each failure, exit 1 if any failed. */
static int
for_each_name(int argc, char **argv, each_fn fn, const struct each_opts *o)
{
	struct msb_error err = MSB_ERROR_INIT;
	int i, r = 0;

	for (i = optind; i < argc; i++) {
		if (fn(argv[i], o, &err) != 0) {
			r = msb_cmd_fail("%s", msb_error_msg(&err));
			msb_error_clear(&err);
		}
	}
	return r;
}

static const char start_help[] =
    "usage: msb start NAME...\n"
    "\n"
    "Start sandboxes (a running sandbox is left alone). Returns once the\n"
    "agent inside accepts connections.\n"
    "\n"
    "  -h, --help   show this help\n";

static const char stop_help[] =
    "usage: msb stop [-t SECONDS] NAME...\n"
    "\n"
    "Stop sandboxes: SIGTERM to the agent (PID 1), which ends every process\n"
    "inside; SIGKILL after the timeout.\n"
    "\n"
    "  -t, --timeout SECONDS   wait this long before SIGKILL (default 10)\n"
    "  -h, --help              show this help\n";

static const char rm_help[] =
    "usage: msb rm [-f|--force] NAME...\n"
    "\n"
    "Remove sandboxes and all their state (upper dir, keys, log).\n"
    "\n"
    "  -f, --force   stop a running sandbox first (else it is refused)\n"
    "  -h, --help    show this help\n";

static int
names_cmd(int argc, char **argv, const char *cmd, const char *help,
    const char *shortopts, const struct option *longopts, each_fn fn)
{
	struct each_opts o = { MSB_STOP_TIMEOUT_MS, 0 };
	char *end;
	long v;
	int ch, i;

	while ((ch = msb_getopt(argc, argv, shortopts, longopts)) != -1) {
		switch (ch) {
		case 't':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno != 0 || *optarg == '\0' || *end != '\0' ||
			    v < 0 || v > 86400)
				return msb_usage_error(cmd, help, "invalid "
				    "timeout '%.40s' (seconds, 0-86400)",
				    optarg);
			o.timeout_ms = (int)v * 1000;
			break;
		case 'f':
			o.force = 1;
			break;
		case 'h':
			fputs(help, stdout);
			return 0;
		default:
			return msb_usage_error(cmd, help, NULL);
		}
	}
	if (optind == argc)
		return msb_usage_error(cmd, help, "missing sandbox name");
	/* Every name is checked before any sandbox is touched. */
	for (i = optind; i < argc; i++)
		if (msb_check_name(cmd, help, argv[i]) != 0)
			return 2;
	return for_each_name(argc, argv, fn, &o);
}

int
cmd_start(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};

	return names_cmd(argc, argv, "start", start_help, "h", longopts,
	    do_start);
}

int
cmd_stop(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};

	return names_cmd(argc, argv, "stop", stop_help, "t:h", longopts,
	    do_stop);
}

int
cmd_rm(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};

	return names_cmd(argc, argv, "rm", rm_help, "fh", longopts, do_rm);
}

/* ---- ls ---- */

static const char ls_help[] =
    "usage: msb ls [-q]\n"
    "\n"
    "List sandboxes: NAME STATE IMAGE PID CREATED.\n"
    "\n"
    "  -q, --quiet   names only\n"
    "  -h, --help    show this help\n";

/* Terminal-safe copy of a string from a state file. */
static char *
printable(const char *s)
{
	char *c = xstrdup(s != NULL ? s : "-"), *p;

	for (p = c; *p != '\0'; p++)
		if (iscntrl((unsigned char)*p))
			*p = '?';
	return c;
}

static char *
fmt_time(int64_t t)
{
	char buf[64];
	struct tm tm;
	time_t tt = (time_t)t;

	if (t <= 0 || localtime_r(&tt, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm) == 0)
		return xstrdup("-");
	return xstrdup(buf);
}

struct ls_row {
	char *col[5];
};

/* One padded column; the last one ends the line without padding. */
static void
ls_cell(const char *s, int col, size_t width)
{
	if (col < 4)
		printf("%-*s  ", (int)width, s);
	else
		printf("%s\n", s);
}

static void
ls_fill(struct ls_row *row, const char *name)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_sandbox_status st;
	struct msb_sandbox *sb;

	row->col[0] = xstrdup(name);
	if ((sb = msb_sandbox_load(name, &err)) == NULL) {
		row->col[1] = xstrdup("broken");
		row->col[2] = xstrdup("-");
		row->col[3] = xstrdup("-");
		row->col[4] = xstrdup("-");
		msb_error_clear(&err);
		return;
	}
	(void)msb_sandbox_status(sb, &st, &err);
	row->col[1] = xstrdup(st.running ? "running" : "stopped");
	row->col[2] = printable(sb->cfg.image);
	row->col[3] = st.running ? xstrfmt("%ld", (long)st.pid) :
	    xstrdup("-");
	row->col[4] = fmt_time(sb->cfg.created);
	msb_sandbox_free(sb);
}

int
cmd_ls(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const head[5] = { "NAME", "STATE", "IMAGE", "PID",
	    "CREATED" };
	struct msb_error err = MSB_ERROR_INIT;
	struct ls_row *rows;
	size_t n, i, w[5], len;
	char **names;
	int ch, quiet = 0, c;

	while ((ch = msb_getopt(argc, argv, "qh", longopts)) != -1) {
		if (ch == 'q')
			quiet = 1;
		else if (ch == 'h') {
			fputs(ls_help, stdout);
			return 0;
		} else
			return msb_usage_error("ls", ls_help, NULL);
	}
	if (optind != argc)
		return msb_usage_error("ls", ls_help, "too many arguments");
	if (msb_sandbox_list(&names, &n, &err) != 0) {
		msb_cmd_fail("%s", msb_error_msg(&err));
		msb_error_clear(&err);
		return 1;
	}
	if (quiet) {
		for (i = 0; i < n; i++)
			printf("%s\n", names[i]);
		msb_strv_free(names);
		return 0;
	}
	rows = xcalloc(n, sizeof(*rows));
	for (c = 0; c < 5; c++)
		w[c] = strlen(head[c]);
	for (i = 0; i < n; i++) {
		ls_fill(&rows[i], names[i]);
		for (c = 0; c < 5; c++)
			if ((len = strlen(rows[i].col[c])) > w[c])
				w[c] = len;
	}
	for (c = 0; c < 5; c++)
		ls_cell(head[c], c, w[c]);
	for (i = 0; i < n; i++) {
		for (c = 0; c < 5; c++) {
			ls_cell(rows[i].col[c], c, w[c]);
			free(rows[i].col[c]);
		}
	}
	free(rows);
	msb_strv_free(names);
	return 0;
}

/* ---- inspect ---- */

static const char inspect_help[] =
    "usage: msb inspect NAME\n"
    "\n"
    "Show a sandbox's settings and status as \"key: value\" lines.\n"
    "\n"
    "  -h, --help   show this help\n";

static void
kv(const char *key, const char *value)
{
	char *v = printable(value);

	printf("%s: %s\n", key, v);
	free(v);
}

static void
kv_free(const char *key, char *value)
{
	kv(key, value);
	free(value);
}

static void
inspect_print(const struct msb_sandbox *sb,
    const struct msb_sandbox_status *st)
{
	const struct msb_sandbox_config *c = &sb->cfg;
	size_t i;

	kv("name", c->name);
	kv("state", st->running ? "running" : "stopped");
	kv_free("pid", st->running ? xstrfmt("%ld", (long)st->pid) :
	    xstrdup("-"));
	kv_free("started", st->running ? fmt_time(st->started) : xstrdup("-"));
	kv("image", c->image);
	kv("user", c->user);
	kv("net", c->net_host ? "host" : "none");
	kv("rootfs", c->layout == MSB_LAYOUT_SPLIT ?
	    "overlay per top-level directory (unprivileged host image)" :
	    "overlay");
	for (i = 0; i < c->nvolumes; i++)
		kv_free("volume", xstrfmt("%s:%s:%s", c->volumes[i].host,
		    c->volumes[i].target, c->volumes[i].readonly ? "ro" : "rw"));
	kv_free("created", fmt_time(c->created));
	kv("dir", sb->dir);
	kv_free("socket", msb_sandbox_path(sb, "run/agent.sock"));
	kv_free("log", msb_sandbox_path(sb, "log"));
	kv("sftp-read-only", c->sftp_readonly ? "yes" : "no");
	kv("sftp-allow", c->sftp_allow);
	kv("sftp-deny", c->sftp_deny);
	kv("sftp-log-level", c->sftp_log_level);
	kv("ssh-forwarding", msb_ssh_forwarding_name(c->ssh_forwarding));
}

int
cmd_inspect(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_sandbox_status st;
	struct msb_sandbox *sb;
	int ch;

	while ((ch = msb_getopt(argc, argv, "h", longopts)) != -1) {
		if (ch == 'h') {
			fputs(inspect_help, stdout);
			return 0;
		}
		return msb_usage_error("inspect", inspect_help, NULL);
	}
	if (argc - optind != 1)
		return msb_usage_error("inspect", inspect_help,
		    optind == argc ? "missing sandbox name" :
		    "too many arguments");
	if (msb_check_name("inspect", inspect_help, argv[optind]) != 0)
		return 2;
	if ((sb = msb_sandbox_load(argv[optind], &err)) == NULL ||
	    msb_sandbox_status(sb, &st, &err) != 0) {
		msb_cmd_fail("%s", msb_error_msg(&err));
		msb_error_clear(&err);
		msb_sandbox_free(sb);
		return 1;
	}
	inspect_print(sb, &st);
	msb_sandbox_free(sb);
	return 0;
}
