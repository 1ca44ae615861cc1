/*
 * msb ssh: authorize (keys), config (ssh_config blocks with a pinned host
 * key), serve (validate, then exec msb-proxy).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msb/authkeys.h"
#include "msb/hostkey.h"
#include "msb/keys.h"
#include "msb/name.h"
#include "msb/sandbox.h"
#include "msb/serve-opts.h"
#include "msb/sshd-config.h"
#include "cmd.h"
#include "cmd-ssh.h"

#define KEY_INPUT_MAX (1024 * 1024)

static int cmd_ssh_authorize(int argc, char **argv);
static int cmd_ssh_config(int argc, char **argv);
static int cmd_ssh_serve(int argc, char **argv);
static int cmd_ssh_forwarding(int argc, char **argv);

static const struct msb_cmd ssh_commands[] = {
	{ "authorize", NULL, cmd_ssh_authorize,
	  "[--file] FILE | --key KEY | --stdin | --list | --remove FINGERPRINT",
	  "allow a public key to log in to every sandbox" },
	{ "config", NULL, cmd_ssh_config,
	  "NAME... | --all [--inactivity-timeout DURATION | "
	  "--no-inactivity-timeout]\n"
	  "       msb ssh config NAME --port PORT [--host ADDRESS]",
	  "print ~/.ssh/config blocks (Host NAME.msb) with pinned host keys" },
	{ "serve", NULL, cmd_ssh_serve, MSB_SERVE_USAGE,
	  "serve SSH for a sandbox (ProxyCommand or loopback listener)" },
	{ "forwarding", NULL, cmd_ssh_forwarding,
	  "NAME [none|local|remote|all]",
	  "show or set the TCP forwarding a sandbox allows over SSH" },
	{ "connect", NULL, cmd_ssh_connect, MSB_SSH_CONNECT_USAGE,
	  "log in with ssh(1) without editing ~/.ssh/config "
	  "(also: msb ssh NAME)" },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* What `msb ssh COMMAND --help` prints after the usage line. */
static const struct {
	const char *name, *text;
} ssh_help[] = {
	{ "authorize",
	  "Allow public keys to log in to every sandbox of yours\n"
	  "($MSB_HOME/ssh/authorized_keys).\n\n"
	  "  [--file] FILE   add the keys in FILE, e.g. ~/.ssh/id_ed25519.pub\n"
	  "                  (the public key: a private key is refused)\n"
	  "  --key KEY       add the key line KEY\n"
	  "  --stdin         add the keys read from standard input\n"
	  "  --list          list the authorized keys\n"
	  "  --remove FP     remove the key with this SHA256 fingerprint, or the\n"
	  "                  one key with this comment\n"
	  "A key given again with other options or comment replaces its line.\n" },
	{ "config",
	  "Print Host blocks for ~/.ssh/config (Host NAME.msb) that pin each\n"
	  "sandbox's host key.\n\n"
	  "  --all                        every sandbox\n"
	  "  --inactivity-timeout DURATION, --no-inactivity-timeout\n"
	  "                               passed on to 'msb ssh serve' in the\n"
	  "                               ProxyCommand (default 10m)\n"
	  "  --port PORT [--host ADDRESS] reach a listener started with\n"
	  "                               'msb ssh serve NAME --port PORT'\n"
	  "                               instead of a ProxyCommand\n" },
	{ "serve",
	  "Serve SSH for sandbox NAME with the stock sshd.\n\n"
	  "  --stdio                      one connection on stdin/stdout "
	  "(ProxyCommand)\n"
	  "  --port PORT                  listen on 127.0.0.1:PORT\n"
	  "  --host ADDRESS               listen on ADDRESS instead\n"
	  "  --max-connections N          at most N sessions at once "
	  "(default 64)\n"
	  "  --inactivity-timeout DURATION\n"
	  "                               close idle shell and sftp sessions "
	  "and\n"
	  "                               connections without sessions "
	  "(default 10m)\n"
	  "  --no-inactivity-timeout      never\n"
	  "  --log-level LEVEL            sshd LogLevel (default VERBOSE)\n"
	  "  --forwarding MODE            narrow the sandbox's TCP forwarding\n"
	  "Exit status: 2 for usage errors, 1 if it fails before sshd runs.\n" },
	{ "connect",
	  "Run ssh(1) to sandbox NAME with the settings 'msb ssh config NAME'\n"
	  "prints, given as -o options: ~/.ssh/config needs no block, and the\n"
	  "rest of your ssh configuration still applies. SSH-OPTIONs are ssh's\n"
	  "own (-t, -A, -L, -i, -o ...). 'msb ssh NAME' is the same when NAME is\n"
	  "not one of the commands above. $MSB_SSH_CLIENT names another ssh.\n"
	  "Exit status: the remote command's, 255 on ssh errors.\n" },
	{ "forwarding",
	  "Show or set the TCP forwarding sandbox NAME allows over SSH:\n"
	  "none (default), local (ssh -L, -D, -W), remote (ssh -R) or all.\n" },
	{ NULL, NULL },
};

static void
print_help(const struct msb_cmd *c)
{
	size_t i;

	printf("usage: msb ssh %s %s\n\n", c->name, c->usage);
	for (i = 0; ssh_help[i].name != NULL; i++)
		if (strcmp(ssh_help[i].name, c->name) == 0)
			fputs(ssh_help[i].text, stdout);
	printf("\nSee msb-ssh(1).\n");
}

static int
wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

int
cmd_ssh(int argc, char **argv)
{
	const struct msb_cmd *c;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		FILE *f = argc < 2 ? stderr : stdout;

		fprintf(f, "usage: msb ssh COMMAND [ARGS...]\n\ncommands:\n");
		if (f == stdout)
			msb_cmd_print_table("ssh", ssh_commands);
		else
			for (c = ssh_commands; c->name != NULL; c++)
				fprintf(f, "  msb ssh %-10s %s\n", c->name, c->summary);
		return argc < 2 ? 2 : 0;
	}
	if ((c = msb_cmd_find(ssh_commands, argv[1])) == NULL)
		/* msb ssh [USER@]NAME ..., msb ssh -t NAME ... */
		return cmd_ssh_connect_implicit(argc, argv);
	/* connect: a --help after the destination is the remote command's */
	if (strcmp(c->name, "connect") == 0 ? argc > 2 &&
	    (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0) :
	    wants_help(argc - 1, argv + 1)) {
		print_help(c);
		return 0;
	}
	return c->run(argc - 1, argv + 1);
}

/* A name no sandbox can have is a usage error (exit 2), reported here. */
int
ssh_name_ok(const char *cmd, const char *name)
{
	struct msb_error err = MSB_ERROR_INIT;

	if (msb_name_validate(name, &err) == 0)
		return 1;
	fprintf(stderr, "msb: ssh %s: %s\n", cmd, msb_error_msg(&err));
	msb_error_clear(&err);
	return 0;
}

/* ---- authorize ---- */

static char *
read_fd_all(int fd, size_t max, size_t *lenp, const char *what)
{
	char *buf = malloc(max + 1);
	size_t len = 0;
	ssize_t r;

	if (buf == NULL) {
		msb_cmd_fail("out of memory");
		return NULL;
	}
	for (;;) {
		r = read(fd, buf + len, max + 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			msb_cmd_fail("cannot read %s: %s", what, strerror(errno));
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > max) {
			msb_cmd_fail("%s is larger than %zu bytes: not a public key "
			    "file", what, max);
			free(buf);
			return NULL;
		}
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

static char *
read_key_file(const char *path, size_t *lenp)
{
	char *text;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		msb_cmd_fail("cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	text = read_fd_all(fd, KEY_INPUT_MAX, lenp, path);
	close(fd);
	return text;
}

/* "ssh-ed25519 SHA256:... comment" for messages. */
static void
print_key(FILE *f, const char *prefix, const struct msb_pubkey *k)
{
	char *fp = msb_pubkey_fingerprint(k);

	fprintf(f, "%s%s %s%s%s\n", prefix, fp != NULL ? fp : "?", k->type,
	    k->comment ? " " : "", k->comment ? k->comment : "");
	free(fp);
}

static int
open_keys(struct msb_authkeys *ak)
{
	struct msb_error err = MSB_ERROR_INIT;
	char *home, *dir;
	int r;

	if (msb_home_ensure(&err) != 0 || (home = msb_home(&err)) == NULL) {
		r = msb_cmd_fail("%s", msb_error_msg(&err));
		msb_error_clear(&err);
		return r;
	}
	if (asprintf(&dir, "%s/ssh", home) < 0) {
		free(home);
		return msb_cmd_fail("out of memory");
	}
	free(home);
	r = msb_authkeys_open(dir, ak, &err);
	free(dir);
	if (r != 0) {
		r = msb_cmd_fail("%s", msb_error_msg(&err));
		msb_error_clear(&err);
		return r;
	}
	return 0;
}

static int
authorize_list(void)
{
	struct msb_authkeys ak;
	size_t i, n = 0;

	if (open_keys(&ak) != 0)
		return 1;
	for (i = 0; i < ak.n; i++) {
		if (ak.v[i].kind == MSB_AK_BAD)
			fprintf(stderr, "msb: %s line %zu does not parse: %s\n",
			    ak.path, i + 1, ak.v[i].error);
		if (ak.v[i].kind != MSB_AK_KEY)
			continue;
		n++;
		print_key(stdout, "", &ak.v[i].key);
		if (ak.v[i].key.options != NULL)
			printf("  options: %s\n", ak.v[i].key.options);
	}
	if (n == 0)
		fprintf(stderr, "msb: no key is authorized yet (%s)\n", ak.path);
	msb_authkeys_close(&ak);
	return 0;
}

static int
key_matches(const struct msb_pubkey *k, const char *what)
{
	char *fp = msb_pubkey_fingerprint(k);
	int m;

	if (fp == NULL)
		return 0;
	m = strcmp(fp, what) == 0 || strcmp(fp + strlen("SHA256:"), what) == 0 ||
	    (k->comment != NULL && strcmp(k->comment, what) == 0);
	free(fp);
	return m;
}

/*
 * A fingerprint names one key; a comment may name several (every laptop key
 * is "user@host"). Removing all of them on a guess could lock the user out,
 * so a comment must name exactly one key.
 */
static int
authorize_remove(const char *what)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_authkeys ak;
	size_t i, j, matched = 0;
	int r = 0, ambiguous;

	if (*what == '\0')
		return msb_cmd_fail("ssh authorize --remove: empty argument");
	if (open_keys(&ak) != 0)
		return 1;
	/* Count distinct keys: one key listed twice is still one key. */
	for (i = 0; i < ak.n; i++) {
		if (ak.v[i].kind != MSB_AK_KEY || !key_matches(&ak.v[i].key, what))
			continue;
		for (j = 0; j < i; j++)
			if (ak.v[j].kind == MSB_AK_KEY &&
			    key_matches(&ak.v[j].key, what) &&
			    msb_pubkey_equal(&ak.v[j].key, &ak.v[i].key))
				break;
		if (j == i)
			matched++;
	}
	ambiguous = matched > 1;
	if (matched == 0)
		r = msb_cmd_fail("no authorized key has the fingerprint or "
		    "comment '%.100s' (see msb ssh authorize --list)", what);
	else if (ambiguous) {
		fprintf(stderr, "msb: ssh authorize --remove: %zu keys have the "
		    "comment '%.100s'; give the fingerprint of the one to "
		    "remove (nothing changed):\n", matched, what);
		for (i = 0; i < ak.n; i++)
			if (ak.v[i].kind == MSB_AK_KEY &&
			    key_matches(&ak.v[i].key, what))
				print_key(stderr, "  ", &ak.v[i].key);
		r = 1;
	} else {
		for (i = ak.n; i-- > 0;) {
			if (ak.v[i].kind != MSB_AK_KEY ||
			    !key_matches(&ak.v[i].key, what))
				continue;
			print_key(stdout, "removed: ", &ak.v[i].key);
			msb_authkeys_remove(&ak, i);
		}
		if (msb_authkeys_commit(&ak, &err) != 0) {
			r = msb_cmd_fail("%s", msb_error_msg(&err));
			msb_error_clear(&err);
		}
	}
	msb_authkeys_close(&ak);
	return r;
}

/*
 * A private key where a public one belongs (`--file ~/.ssh/id_ed25519`):
 * say so plainly, naming the .pub file when there is one, rather than
 * "does not parse". The key itself is never echoed.
 */
static int
is_private_key(const char *text, size_t len)
{
	static const char *const marks[] = {
		"-----BEGIN OPENSSH PRIVATE KEY-----",
		"PRIVATE KEY-----",          /* PEM: RSA, EC, DSA, PKCS#8 */
		"PuTTY-User-Key-File-",
		"---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----",
	};
	size_t i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (memmem(text, len, marks[i], strlen(marks[i])) != NULL)
			return 1;
	return 0;
}

static int
private_key_error(const char *source, const char *path)
{
	char *pub = NULL;
	int r;

	if (path != NULL && asprintf(&pub, "%s.pub", path) < 0)
		pub = NULL;
	if (pub != NULL && access(pub, R_OK) == 0)
		r = msb_cmd_fail("ssh authorize: %s: this is a private key; give "
		    "the .pub file: msb ssh authorize %s", source, pub);
	else
		r = msb_cmd_fail("ssh authorize: %s: this is a private key; give "
		    "the .pub file (ssh-keygen -y -f KEY prints it)", source);
	free(pub);
	return r;
}

/* Options or comment of two lines for the same key differ. */
static int
key_line_differs(const struct msb_pubkey *a, const struct msb_pubkey *b)
{
	char *la = msb_pubkey_format(a), *lb = msb_pubkey_format(b);
	int d = la == NULL || lb == NULL || strcmp(la, lb) != 0;

	free(la);
	free(lb);
	return d;
}

/*
 * path: the file the text came from (for the .pub hint), or NULL.
 * A key already present with other options or comment is replaced in
 * place: the user asked for exactly this line, and keeping the old one
 * would silently drop new restrictions.
 */
static int
authorize_add(const char *text, size_t len, const char *source,
    const char *path)
{
	static const char *const said[] = {
		[MSB_AK_PUT_SAME] = "already authorized: ",
		[MSB_AK_PUT_ADDED] = "authorized: ",
		[MSB_AK_PUT_UPDATED] = "updated: ",
	};
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_authkeys ak;
	struct msb_pubkey *keys;
	size_t n, i, j;
	int r = 0, put = 0;

	if (is_private_key(text, len))
		return private_key_error(source, path);
	/* Every key is validated before the file is touched. */
	if (msb_pubkeys_parse_text(text, len, &keys, &n, &err) != 0) {
		r = msb_cmd_fail("ssh authorize: %s: %s", source,
		    msb_error_msg(&err));
		msb_error_clear(&err);
		return r;
	}
	/* The same key twice with other options: which one is meant? */
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (msb_pubkey_equal(&keys[i], &keys[j]) &&
			    key_line_differs(&keys[i], &keys[j])) {
				char *fp = msb_pubkey_fingerprint(&keys[i]);

				r = msb_cmd_fail("ssh authorize: %s: the key %s "
				    "appears twice with different options or "
				    "comments; nothing changed", source,
				    fp != NULL ? fp : "?");
				free(fp);
				msb_pubkeys_free(keys, n);
				return r;
			}
	if (open_keys(&ak) != 0) {
		msb_pubkeys_free(keys, n);
		return 1;
	}
	for (i = 0; i < n; i++) {
		if ((put = msb_authkeys_put(&ak, &keys[i], &err)) < 0)
			break;
		print_key(stdout, said[put], &keys[i]);
		if (put == MSB_AK_PUT_UPDATED)
			printf("  options: %s\n", keys[i].options != NULL ?
			    keys[i].options : "(none)");
	}
	if (put < 0 || msb_authkeys_commit(&ak, &err) != 0) {
		r = msb_cmd_fail("%s", msb_error_msg(&err));
		msb_error_clear(&err);
	}
	msb_authkeys_close(&ak);
	msb_pubkeys_free(keys, n);
	return r;
}

static int
cmd_ssh_authorize(int argc, char **argv)
{
	const char *file = NULL, *key = NULL, *remove = NULL, *src;
	int use_stdin = 0, list = 0, modes, i, r;
	char *text;
	size_t len;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--stdin") == 0)
			use_stdin++;
		else if (strcmp(argv[i], "--list") == 0)
			list++;
		else if ((strcmp(argv[i], "--file") == 0 ||
		    strcmp(argv[i], "--key") == 0 ||
		    strcmp(argv[i], "--remove") == 0) && i + 1 < argc) {
			const char **slot = argv[i][2] == 'f' ? &file :
			    argv[i][2] == 'k' ? &key : &remove;

			if (*slot != NULL)
				goto usage;
			*slot = argv[++i];
		} else if (strcmp(argv[i], "--") == 0 && i + 2 == argc &&
		    file == NULL) {
			file = argv[++i];
		} else if (argv[i][0] != '-' && file == NULL)
			file = argv[i];     /* msb ssh authorize FILE */
		else
			goto usage;
	}
	modes = (file != NULL) + (key != NULL) + use_stdin + list +
	    (remove != NULL);
	if (modes != 1 || use_stdin > 1 || list > 1)
		goto usage;
	if (list)
		return authorize_list();
	if (remove != NULL)
		return authorize_remove(remove);
	if (key != NULL)
		return authorize_add(key, strlen(key), "--key", NULL);
	if (use_stdin) {
		if ((text = read_fd_all(STDIN_FILENO, KEY_INPUT_MAX, &len,
		    "standard input")) == NULL)
			return 1;
		src = "standard input";
	} else {
		if ((text = read_key_file(file, &len)) == NULL)
			return 1;
		src = file;
	}
	r = authorize_add(text, len, src, use_stdin ? NULL : file);
	free(text);
	return r;
usage:
	fprintf(stderr, "msb: ssh authorize: give exactly one of FILE, "
	    "--file FILE, --key KEY, --stdin, --list, --remove FINGERPRINT\n");
	return msb_cmd_usage("ssh", &ssh_commands[0]);
}

/* ---- config ---- */

/* Helper-program overrides the ProxyCommand must carry along. */
static const char *const carried_env[] = {
	"MSB_PROXY", "MSB_SHELL", "MSB_SFTP_SERVER", "MSB_AGENT", "MSB_SSHD",
	"MSB_SSH_KEYGEN", NULL,
};

/* A shell word for ProxyCommand: sh-quoted, '%' doubled (ssh expands %-tokens). */
static int
put_proxy_word(FILE *f, const char *word)
{
	char *q = msb_sh_quote(word, NULL);
	const char *p;

	if (q == NULL)
		return -1;
	for (p = q; *p != '\0'; p++) {
		if (*p == '%')
			fputc('%', f);
		fputc(*p, f);
	}
	free(q);
	return 0;
}

static int
default_home(const char *home)
{
	const char *h = getenv("HOME");
	char *def;
	int same;

	if (h == NULL || asprintf(&def, "%s/.msb", h) < 0)
		return 0;
	same = strcmp(def, home) == 0;
	free(def);
	return same;
}

/* What `msb ssh config` puts into each block besides the name. */
struct config_opts {
	const char *inactivity;   /* --inactivity-timeout value, or NULL */
	int no_inactivity;        /* --no-inactivity-timeout */
	const char *port;         /* --port: a listener instead of ProxyCommand */
	const char *host;         /* --host (with --port) */
};

/* The ProxyCommand line (heap). */
static char *
proxy_command(const char *name, const struct config_opts *co)
{
	char exe[PATH_MAX], *line = NULL, *kv;
	const char *home = getenv("MSB_HOME"), *v;
	int envs = 0, bad = 0;
	size_t len, i;
	FILE *f;

	if (realpath("/proc/self/exe", exe) == NULL) {
		msb_cmd_fail("cannot find this program's path: %s", strerror(errno));
		return NULL;
	}
	if ((f = open_memstream(&line, &len)) == NULL)
		return NULL;
	for (i = 0; carried_env[i] != NULL; i++)
		if ((v = getenv(carried_env[i])) != NULL && *v == '/')
			envs++;
	if (home != NULL && *home != '\0' && !default_home(home))
		envs++;
	if (envs > 0)
		fputs("/usr/bin/env ", f);
	if (home != NULL && *home != '\0' && !default_home(home)) {
		if (asprintf(&kv, "MSB_HOME=%s", home) < 0)
			bad = 1;
		else {
			bad |= put_proxy_word(f, kv);
			free(kv);
			fputc(' ', f);
		}
	}
	for (i = 0; carried_env[i] != NULL; i++) {
		if ((v = getenv(carried_env[i])) == NULL || *v != '/')
			continue;
		if (asprintf(&kv, "%s=%s", carried_env[i], v) < 0)
			bad = 1;
		else {
			bad |= put_proxy_word(f, kv);
			free(kv);
			fputc(' ', f);
		}
	}
	bad |= put_proxy_word(f, exe);
	fprintf(f, " ssh serve %s --stdio", name);
	if (co->no_inactivity)
		fputs(" --no-inactivity-timeout", f);
	else if (co->inactivity != NULL)
		/* checked by config_parse: digits and unit letters only */
		fprintf(f, " --inactivity-timeout %s", co->inactivity);
	if (fclose(f) != 0 || bad) {
		free(line);
		msb_cmd_fail("cannot quote the ProxyCommand (control characters "
		    "or backslashes in a path?)");
		return NULL;
	}
	return line;
}

void
msb_ssh_host_free(struct msb_ssh_host *h)
{
	free(h->alias);
	free(h->proxy);
	free(h->known_hosts);
	memset(h, 0, sizeof(*h));
}

/* Load NAME, ensure and pin its host key, compose the block's values
 * (proxy only without --port). 0, or 1 after reporting on stderr. */
static int
host_settings(const char *name, const struct config_opts *co,
    struct msb_ssh_host *h)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_sandbox *sb;
	char *key = NULL, *pub = NULL, *kh = NULL;
	int r = 1;

	memset(h, 0, sizeof(*h));
	if (msb_name_validate(name, &err) != 0 ||
	    (sb = msb_sandbox_load(name, &err)) == NULL) {
		msb_cmd_fail("%s", msb_error_msg(&err));
		msb_error_clear(&err);
		return 1;
	}
	if ((key = msb_hostkey_ensure(sb->dir, name, NULL, &err)) == NULL ||
	    (pub = msb_hostkey_public(key, &err)) == NULL) {
		msb_cmd_fail("%s", msb_error_msg(&err));
		goto out;
	}
	if ((kh = msb_sandbox_path(sb, "ssh/known_hosts")) == NULL ||
	    asprintf(&h->alias, "%s.msb", name) < 0) {
		h->alias = NULL;
		msb_cmd_fail("out of memory");
		goto out;
	}
	if (strstr(kh, "${") != NULL) {
		msb_cmd_fail("%s: '${' in a path cannot be used in ssh_config", kh);
		goto out;
	}
	/* The local state is authoritative: the pin always matches the key. */
	if (msb_known_hosts_write(kh, h->alias, pub, 0, &err) != 0 ||
	    (h->known_hosts = msb_sshcfg_quote(kh, 1, &err)) == NULL) {
		msb_cmd_fail("%s", msb_error_msg(&err));
		goto out;
	}
	if (co->port == NULL && (h->proxy = proxy_command(name, co)) == NULL)
		goto out;
	r = 0;
out:
	if (r != 0)
		msb_ssh_host_free(h);
	msb_error_clear(&err);
	free(key);
	free(pub);
	free(kh);
	msb_sandbox_free(sb);
	return r;
}

int
msb_ssh_host_settings(const char *name, struct msb_ssh_host *h)
{
	struct config_opts co;

	memset(&co, 0, sizeof(co));
	return host_settings(name, &co, h);
}

static int
config_block(FILE *out, const char *name, const struct config_opts *co)
{
	struct msb_ssh_host h;

	if (host_settings(name, co, &h) != 0)
		return 1;
	if (co->port != NULL)
		/* A listener of `msb ssh serve NAME --port PORT`. */
		fprintf(out,
		    "Host %s\n"
		    "\tHostName %s\n"
		    "\tPort %s\n"
		    "\tHostKeyAlias %s\n",
		    h.alias, co->host != NULL ? co->host : MSB_SERVE_DEFAULT_HOST,
		    co->port, h.alias);
	else
		fprintf(out,
		    "Host %s\n"
		    "\tHostName %s\n"
		    "\tHostKeyAlias %s\n"
		    "\tProxyCommand %s\n",
		    h.alias, h.alias, h.alias, h.proxy);
	fprintf(out,
	    "\tUserKnownHostsFile %s\n"
	    "\tStrictHostKeyChecking yes\n"
	    "\tUpdateHostKeys no\n"
	    "\n", h.known_hosts);
	msb_ssh_host_free(&h);
	return 0;
}

static int
valid_host(const char *h)
{
	struct in_addr a4;
	struct in6_addr a6;

	return inet_pton(AF_INET, h, &a4) == 1 ||
	    inet_pton(AF_INET6, h, &a6) == 1;
}

/* msb ssh config's options with a value, as "--opt VALUE" or "--opt=VALUE". */
static const char *const config_valued[] = {
	"--inactivity-timeout", "--port", "--host", NULL,
};

/* Index in config_valued, or -1; *inline_value: the part after '='. */
static int
valued_option(const char *arg, const char **inline_value)
{
	const char *eq = strchr(arg, '=');
	size_t n = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
	int j;

	*inline_value = eq != NULL ? eq + 1 : NULL;
	for (j = 0; config_valued[j] != NULL; j++)
		if (strlen(config_valued[j]) == n &&
		    strncmp(config_valued[j], arg, n) == 0)
			return j;
	return -1;
}

/*
 * Options of msb ssh config: the timeout ones are checked here (the same
 * parser as serve) and passed on to the ProxyCommand as given, so the
 * printed line reads as the user wrote it.
 */
static int
config_parse(int argc, char **argv, struct config_opts *co, int *all,
    char ***names, size_t *nnames)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_serve_opts so;
	const char *v;
	char *sargv[5];
	int i, j, seen = 0, sargc, r;

	memset(co, 0, sizeof(*co));
	*all = 0;
	*nnames = 0;
	if ((*names = calloc((size_t)argc + 1, sizeof(**names))) == NULL)
		return msb_cmd_fail("out of memory");
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--all") == 0) {
			*all = 1;
			continue;
		}
		if (strcmp(argv[i], "--no-inactivity-timeout") == 0) {
			co->no_inactivity = 1;
			seen++;
			continue;
		}
		if (argv[i][0] != '-') {
			(*names)[(*nnames)++] = argv[i];
			continue;
		}
		if ((j = valued_option(argv[i], &v)) < 0) {
			fprintf(stderr, "msb: ssh config: unknown option "
			    "'%.60s'\n", argv[i]);
			return 2;
		}
		if (v == NULL && (v = argv[++i]) == NULL) {
			fprintf(stderr, "msb: ssh config: option %s needs a "
			    "value\n", config_valued[j]);
			return 2;
		}
		if (j == 0) {
			co->inactivity = v;
			seen++;
		} else if (j == 1)
			co->port = v;
		else
			co->host = v;
	}
	if (*all == (*nnames > 0)) {
		fprintf(stderr, "msb: ssh config: give sandbox names or --all\n");
		return 2;
	}
	if (seen > 1) {
		fprintf(stderr, "msb: ssh config: give one of "
		    "--inactivity-timeout and --no-inactivity-timeout, once\n");
		return 2;
	}
	if (co->port != NULL && (seen > 0 || *all || *nnames != 1)) {
		fprintf(stderr, "msb: ssh config: --port names one listener: "
		    "one sandbox, and its timeout is set on 'msb ssh serve "
		    "--port'\n");
		return 2;
	}
	if (co->host != NULL && co->port == NULL) {
		fprintf(stderr, "msb: ssh config: --host needs --port\n");
		return 2;
	}
	/* Validate with serve's own parser: it must accept them later. */
	sargc = 0;
	sargv[sargc++] = "serve";
	sargv[sargc++] = "x";
	if (co->inactivity != NULL) {
		if (asprintf(&sargv[sargc], "--inactivity-timeout=%s",
		    co->inactivity) < 0)
			return msb_cmd_fail("out of memory");
		sargc++;
	}
	if (co->port != NULL) {
		sargv[sargc++] = "--port";
		sargv[sargc++] = (char *)co->port;
	} else
		sargv[sargc++] = "--stdio";
	sargv[sargc] = NULL;
	r = msb_serve_opts_parse(sargc, sargv, &so, &err);
	if (co->inactivity != NULL)
		free(sargv[2]);
	if (r != 0) {
		fprintf(stderr, "msb: ssh config: %s\n", msb_error_msg(&err));
		msb_error_clear(&err);
		return 2;
	}
	if (co->host != NULL && strcmp(co->host, "localhost") != 0 &&
	    !valid_host(co->host)) {
		fprintf(stderr, "msb: ssh config: invalid --host '%.60s': give "
		    "an IPv4 or IPv6 address\n", co->host);
		return 2;
	}
	return 0;
}

static int
cmd_ssh_config(int argc, char **argv)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct config_opts co;
	char **names = NULL, **given = NULL, *text = NULL;
	size_t n = 0, i, len;
	int all, r;
	FILE *out;

	if ((r = config_parse(argc, argv, &co, &all, &given, &n)) != 0) {
		free(given);
		return r == 2 ? msb_cmd_usage("ssh", &ssh_commands[1]) : r;
	}
	for (i = 0; !all && i < n; i++)
		if (!ssh_name_ok("config", given[i])) {
			free(given);
			return msb_cmd_usage("ssh", &ssh_commands[1]);
		}
	if (all) {
		if (msb_sandbox_list(&names, &n, &err) != 0) {
			r = msb_cmd_fail("%s", msb_error_msg(&err));
			msb_error_clear(&err);
			free(given);
			return r;
		}
	}
	/* Everything is composed first: on any error stdout stays empty. */
	if ((out = open_memstream(&text, &len)) == NULL) {
		free(given);
		if (all)
			msb_strv_free(names);
		return msb_cmd_fail("out of memory");
	}
	for (i = 0; i < n && r == 0; i++)
		r = config_block(out, all ? names[i] : given[i], &co);
	if (fclose(out) != 0)
		r = msb_cmd_fail("out of memory");
	if (r == 0 && len > 0 && (fwrite(text, 1, len, stdout) != len ||
	    fflush(stdout) != 0))
		r = msb_cmd_fail("cannot write the configuration: %s",
		    strerror(errno));
	free(text);
	free(given);
	if (all)
		msb_strv_free(names);
	return r;
}

/* ---- serve ---- */

static int
cmd_ssh_serve(int argc, char **argv)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_serve_opts o;
	struct msb_sandbox *sb;
	const char *proxy = msb_prog_path("MSB_PROXY");
	char **pargv;
	int i;

	if (msb_serve_opts_parse(argc, argv, &o, &err) != 0) {
		fprintf(stderr, "msb: ssh serve: %s\n", msb_error_msg(&err));
		msb_error_clear(&err);
		return msb_cmd_usage("ssh", &ssh_commands[2]);
	}
	if ((sb = msb_sandbox_load(o.name, &err)) == NULL) {
		i = msb_cmd_fail("%s", msb_error_msg(&err));
		msb_error_clear(&err);
		return i;
	}
	msb_sandbox_free(sb);
	if ((pargv = calloc((size_t)argc + 1, sizeof(*pargv))) == NULL)
		return msb_cmd_fail("out of memory");
	pargv[0] = "msb-proxy";
	for (i = 1; i < argc; i++)
		pargv[i] = argv[i];
	execv(proxy, pargv);
	free(pargv);
	return msb_cmd_fail("cannot run %s: %s", proxy, strerror(errno));
}

/* ---- forwarding ---- */

/*
 * A setting of the sandbox (like --ssh-forwarding at create time), not of
 * one listener: it may change without recreating the sandbox (which would
 * lose its upper dir), and each new connection reads it.
 */
static int
cmd_ssh_forwarding(int argc, char **argv)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_sandbox *sb;
	int fwd = 0, r;

	if (argc < 2 || argc > 3 || argv[1][0] == '-')
		return msb_cmd_usage("ssh", &ssh_commands[3]);
	if (argc == 3 && msb_ssh_forwarding_parse(argv[2], &fwd) != 0) {
		fprintf(stderr, "msb: ssh forwarding: invalid mode '%.40s' "
		    "(none, local, remote, all)\n", argv[2]);
		return msb_cmd_usage("ssh", &ssh_commands[3]);
	}
	if (!ssh_name_ok("forwarding", argv[1]))
		return msb_cmd_usage("ssh", &ssh_commands[3]);
	if ((sb = msb_sandbox_load(argv[1], &err)) == NULL) {
		r = msb_cmd_fail("%s", msb_error_msg(&err));
		msb_error_clear(&err);
		return r;
	}
	r = 0;
	if (argc == 2)
		printf("%s\n", msb_ssh_forwarding_name(sb->cfg.ssh_forwarding));
	else if (fwd != sb->cfg.ssh_forwarding) {
		sb->cfg.ssh_forwarding = fwd;
		if (msb_sandbox_save(sb, &err) != 0) {
			r = msb_cmd_fail("%s", msb_error_msg(&err));
			msb_error_clear(&err);
		}
	}
	msb_sandbox_free(sb);
	return r;
}
