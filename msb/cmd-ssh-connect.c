/*
 * msb ssh [connect] [SSH-OPTION...] [USER@]NAME[.msb] [COMMAND...]
 *
 * Runs the system's OpenSSH client with the settings `msb ssh config`
 * would print (ProxyCommand, pinned host key) given as -o options, so a
 * sandbox is reachable without editing ~/.ssh/config, while the user's
 * own configuration (identities, agent, ControlMaster...) still applies.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msb/error.h"
#include "msb/name.h"
#include "msb/sandbox.h"
#include "cmd.h"
#include "cmd-ssh.h"

/* OpenSSH ssh(1) options that take an argument (ssh.c's getopt string). */
static const char ssh_optarg[] = "BbcDEeFIiJLlmOoPpQRSWw";
static const char ssh_noarg[] = "46AaCfGgKkMNnqsTtVvXxYy";

/* Index of the destination in argv, or -1 with a message. */
static int
find_destination(int argc, char **argv)
{
	int i;
	const char *p;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1 < argc ? i + 1 : -1;
		if (argv[i][0] != '-' || argv[i][1] == '\0')
			return i;
		for (p = argv[i] + 1; *p != '\0'; p++) {
			if (strchr(ssh_optarg, *p) != NULL) {
				/* -oFoo=bar, or the value is the next word */
				if (p[1] == '\0' && ++i >= argc)
					return -1;
				break;
			}
			if (strchr(ssh_noarg, *p) == NULL) {
				fprintf(stderr, "msb: ssh: unknown ssh option "
				    "'-%c'\n", *p);
				return -1;
			}
		}
	}
	return -1;
}

static int connect_to(int argc, char **argv, int implicit);

int
cmd_ssh_connect(int argc, char **argv)
{
	return connect_to(argc, argv, 0);
}

/* msb ssh NAME ...: argv[1] was no ssh command. */
int
cmd_ssh_connect_implicit(int argc, char **argv)
{
	return connect_to(argc, argv, 1);
}

/* Does sandbox NAME exist? Quietly. */
static int
sandbox_exists(const char *name)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_sandbox *sb = NULL;

	if (msb_name_validate(name, &err) == 0)
		sb = msb_sandbox_load(name, &err);
	msb_error_clear(&err);
	msb_sandbox_free(sb);
	return sb != NULL;
}

static int
connect_to(int argc, char **argv, int implicit)
{
	struct msb_ssh_host h;
	const char *ssh = getenv("MSB_SSH_CLIENT");
	char *dest, *name, *at, *o[4], **nargv;
	int di, i, k, r;
	size_t len;

	if ((di = find_destination(argc, argv)) < 0) {
		fprintf(stderr, "usage: msb ssh [connect] %s\n",
		    MSB_SSH_CONNECT_USAGE);
		return 2;
	}
	if ((dest = strdup(argv[di])) == NULL)
		return msb_cmd_fail("out of memory");
	at = strrchr(dest, '@');
	name = at != NULL ? at + 1 : dest;
	len = strlen(name);
	if (len > 4 && strcmp(name + len - 4, ".msb") == 0)
		name[len - 4] = '\0';
	if (at != NULL && at == dest) {
		free(dest);
		return msb_cmd_fail("ssh: empty user name in '%.80s'", argv[di]);
	}
	if (implicit && argv[1][0] != '-' && !sandbox_exists(name)) {
		fprintf(stderr, "msb: ssh: '%.64s' is neither a command (authorize, "
		    "config, serve, forwarding, connect) nor a sandbox\n", argv[1]);
		free(dest);
		return 2;
	}
	if (!ssh_name_ok("connect", name)) {
		free(dest);
		return 2;
	}
	if (msb_ssh_host_settings(name, &h) != 0) {
		free(dest);
		return 1;
	}
	o[0] = o[1] = o[2] = o[3] = NULL;
	if (asprintf(&o[0], "HostKeyAlias=%s", h.alias) < 0 ||
	    asprintf(&o[1], "ProxyCommand=%s", h.proxy) < 0 ||
	    asprintf(&o[2], "UserKnownHostsFile=%s", h.known_hosts) < 0 ||
	    asprintf(&o[3], "%.*s%s", at != NULL ? (int)(at - dest + 1) : 0,
	    dest, h.alias) < 0) {
		r = msb_cmd_fail("out of memory");
		goto out;
	}
	/* ssh + 5 pinned -o pairs + the user's words + NULL */
	if ((nargv = calloc((size_t)argc + 16, sizeof(*nargv))) == NULL) {
		r = msb_cmd_fail("out of memory");
		goto out;
	}
	k = 0;
	nargv[k++] = "ssh";
	nargv[k++] = "-o"; nargv[k++] = o[0];
	nargv[k++] = "-o"; nargv[k++] = o[1];
	nargv[k++] = "-o"; nargv[k++] = o[2];
	nargv[k++] = "-o"; nargv[k++] = "StrictHostKeyChecking=yes";
	nargv[k++] = "-o"; nargv[k++] = "UpdateHostKeys=no";
	/* The user's words as given, only the destination rewritten: ssh
	 * then parses them exactly as `ssh NAME.msb ...` (options after the
	 * destination too, "--" included). */
	for (i = 1; i < di; i++)
		nargv[k++] = argv[i];
	nargv[k++] = o[3];
	for (i = di + 1; i < argc; i++)
		nargv[k++] = argv[i];
	nargv[k] = NULL;
	fflush(NULL);
	if (ssh == NULL || *ssh == '\0')
		ssh = "ssh";
	execvp(ssh, nargv);
	r = msb_cmd_fail("cannot run %s: %s%s", ssh, strerror(errno),
	    errno == ENOENT ? " (install openssh-client)" : "");
	free(nargv);
out:
	for (i = 0; i < 4; i++)
		free(o[i]);
	msb_ssh_host_free(&h);
	free(dest);
	return r;
}
