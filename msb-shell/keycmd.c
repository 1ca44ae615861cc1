/*
 * authorized_keys command="..." (and a certificate's force-command) under
 * msb-proxy's sshd. sshd ignores both because our ForceCommand takes
 * precedence (session.c do_exec), so a key restricted to one command would
 * otherwise get a full shell.
 *
 * msb-proxy gives sshd a per-connection copy of authorized_keys in which
 * every key line carries environment="MSB_KEY_LINE=N", and lets exactly
 * that variable through (PermitUserEnvironment MSB_KEY_LINE). So sshd
 * itself tells us which line authenticated the session, and we apply that
 * line's command the way sshd would have: it replaces whatever the client
 * asked for (shell, command or subsystem), and the client's request goes
 * into SSH_ORIGINAL_COMMAND. For a certificate (a cert-authority line) we
 * also need the certificate's own force-command: sshd reveals the
 * certificate through ExposeAuthInfo ($SSH_USER_AUTH); if it could not
 * (its file goes to /tmp), the session is refused rather than let through
 * unrestricted.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msb/authkeys.h"
#include "msb/keys.h"
#include "shell.h"

#define USER_AUTH_MAX (64 * 1024)

static char *
read_small(const char *path, size_t max)
{
	char *buf = malloc(max + 1);
	size_t len = 0;
	ssize_t r;
	int fd;

	if (buf == NULL || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		free(buf);
		return NULL;
	}
	while (len < max && (r = read(fd, buf + len, max - len)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			close(fd);
			free(buf);
			return NULL;
		}
		len += (size_t)r;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* The certificate sshd accepted ("publickey TYPE BASE64" in $SSH_USER_AUTH). */
static void
session_cert(const struct shell_ctx *c, struct msb_pubkey *k)
{
	struct msb_error err = MSB_ERROR_INIT;
	const char *path = getenv("SSH_USER_AUTH");
	char *text, *line, *save = NULL;
	int found = 0;

	if (path == NULL || *path == '\0' ||
	    (text = read_small(path, USER_AUTH_MAX)) == NULL)
		shell_die(c, SHELL_EXIT_FAILURE, "refusing a certificate login: "
		    "sshd could not expose the certificate (ExposeAuthInfo needs "
		    "a writable /tmp) to check its force-command option");
	for (line = strtok_r(text, "\n", &save); line != NULL && !found;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "publickey ", 10) != 0)
			continue;
		if (msb_pubkey_parse_line(line + 10, strlen(line + 10), k,
		    &err) != 1)
			shell_die(c, SHELL_EXIT_FAILURE, "cannot parse the session "
			    "key: %s", msb_error_msg(&err));
		found = 1;
	}
	free(text);
	if (!found || !msb_pubkey_is_cert(k))
		shell_die(c, SHELL_EXIT_FAILURE, "no certificate in %s", path);
}

/* The certificate's force-command, after checking it matches the CA line. */
static char *
cert_force_command(const struct shell_ctx *c, const struct msb_pubkey *line_key)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_pubkey cert, ca;
	char *fc;

	session_cert(c, &cert);
	if (msb_pubkey_cert_info(&cert, &ca, &fc, &err) != 0)
		shell_die(c, SHELL_EXIT_FAILURE, "session certificate: %s",
		    msb_error_msg(&err));
	if (!msb_pubkey_equal(&ca, line_key))
		shell_die(c, SHELL_EXIT_FAILURE, "the session certificate was not "
		    "signed by the authorized key line sshd reported");
	msb_pubkey_free(&cert);
	msb_pubkey_free(&ca);
	return fc;
}

void
shell_key_command(struct shell_ctx *c)
{
	struct msb_error err = MSB_ERROR_INIT;
	const char *keys_path = getenv("MSB_AUTHORIZED_KEYS");
	const char *lineno = getenv(MSB_KEY_LINE_VAR);
	const struct msb_pubkey *k;
	struct msb_authkeys ak;
	char *forced = NULL, *fc = NULL, *tag = NULL, *flag = NULL, *end;
	unsigned long n;
	int r;

	if (keys_path == NULL || *keys_path == '\0')
		return;          /* not under msb-proxy's sshd */
	errno = 0;
	n = lineno != NULL ? strtoul(lineno, &end, 10) : 0;
	if (lineno == NULL || *lineno == '\0' || *end != '\0' || errno != 0 ||
	    n == 0)
		shell_die(c, SHELL_EXIT_FAILURE, "cannot tell which authorized key "
		    "was used (%s is not set)", MSB_KEY_LINE_VAR);
	if (msb_authkeys_read(keys_path, &ak, &err) != 0)
		shell_die(c, SHELL_EXIT_FAILURE, "%s", msb_error_msg(&err));
	/* Our tag is the line's first environment= option (msb-proxy put it). */
	if (n > ak.n || ak.v[n - 1].kind != MSB_AK_KEY ||
	    ak.v[n - 1].key.options == NULL ||
	    msb_keyopts_get(ak.v[n - 1].key.options, "environment", &tag) != 1 ||
	    tag == NULL ||
	    strncmp(tag, MSB_KEY_LINE_VAR "=", strlen(MSB_KEY_LINE_VAR "=")) != 0 ||
	    strcmp(tag + strlen(MSB_KEY_LINE_VAR "="), lineno) != 0)
		shell_die(c, SHELL_EXIT_FAILURE, "authorized key line %lu does not "
		    "match the session", n);
	free(tag);
	k = &ak.v[n - 1].key;
	if (msb_keyopts_get(k->options, "command", &forced) < 0 ||
	    (r = msb_keyopts_get(k->options, "cert-authority", &flag)) < 0)
		shell_die(c, SHELL_EXIT_FAILURE, "out of memory");
	if (r == 1) {
		fc = cert_force_command(c, k);
		if (fc != NULL && forced != NULL && strcmp(fc, forced) != 0)
			shell_die(c, SHELL_EXIT_FAILURE, "the certificate's "
			    "force-command and the key's command= differ");
		if (forced == NULL)
			forced = fc;
		else
			free(fc);
	}
	free(flag);
	msb_authkeys_close(&ak);
	if (forced == NULL)
		return;
	shell_log(c, "authorized key line %lu: command=\"%.200s\" replaces %s",
	    n, forced, c->command != NULL ? "the client's command" : "the shell");
	c->original_command = c->command;
	c->command = forced;
	c->forced = 1;
}
