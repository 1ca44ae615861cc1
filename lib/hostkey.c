/* Per-sandbox SSH host key and known_hosts pin (see msb/hostkey.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "msb/authkeys.h"
#include "msb/base64.h"
#include "msb/buf.h"
#include "msb/hostkey.h"
#include "msb/keys.h"
#include "msb/sandbox.h"

#define PEM_BEGIN "-----BEGIN OPENSSH PRIVATE KEY-----"
#define PEM_END "-----END OPENSSH PRIVATE KEY-----"
#define KEY_MAGIC "openssh-key-v1"
#define KEYFILE_MAX (64u * 1024u)
#define KEYGEN_TIMEOUT_MS 30000

extern char **environ;

/* Read a small file whole (NUL-terminated). */
static char *
slurp(const char *path, size_t max, size_t *lenp, struct msb_error *err)
{
	char *buf;
	size_t len = 0;
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		msb_error_sys(err, errno, "cannot open %s", path);
		return NULL;
	}
	if ((buf = malloc(max + 1)) == NULL) {
		close(fd);
		msb_error_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	for (;;) {
		r = read(fd, buf + len, max + 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
		if (len > max)
			break;
	}
	if (r < 0 || len > max) {
		if (r < 0)
			msb_error_sys(err, errno, "cannot read %s", path);
		else
			msb_error_set(err, EFBIG, "%s is too large", path);
		close(fd);
		free(buf);
		return NULL;
	}
	close(fd);
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return buf;
}

char *
msb_hostkey_public(const char *keyfile, struct msb_error *err)
{
	char *text, *b64 = NULL, *out = NULL, *p, *end, *o;
	uint8_t *bin = NULL;
	size_t binlen, bloblen;
	const uint8_t *blob;
	struct msb_buf *b = NULL;
	uint32_t nkeys;

	if ((text = slurp(keyfile, KEYFILE_MAX, NULL, err)) == NULL)
		return NULL;
	if ((p = strstr(text, PEM_BEGIN)) == NULL ||
	    (end = strstr(p, PEM_END)) == NULL) {
		msb_error_set(err, EINVAL, "%s is not an OpenSSH private key",
		    keyfile);
		goto out;
	}
	p += strlen(PEM_BEGIN);
	if ((b64 = malloc((size_t)(end - p) + 1)) == NULL) {
		msb_error_set(err, ENOMEM, "out of memory");
		goto out;
	}
	for (o = b64; p < end; p++)
		if (*p != '\n' && *p != '\r' && *p != ' ' && *p != '\t')
			*o++ = *p;
	*o = '\0';
	if (msb_b64_decode(b64, strlen(b64), &bin, &binlen) != 0 ||
	    (b = msb_buf_from(bin, binlen)) == NULL) {
		msb_error_set(err, EINVAL, "%s: damaged key encoding", keyfile);
		goto out;
	}
	/* magic\0, cipher, kdf, kdf options, nkeys, first public key blob */
	if (msb_buf_len(b) < sizeof(KEY_MAGIC) ||
	    memcmp(msb_buf_ptr(b), KEY_MAGIC, sizeof(KEY_MAGIC)) != 0 ||
	    msb_buf_consume(b, sizeof(KEY_MAGIC)) != 0 ||
	    msb_buf_skip_string(b) != 0 || msb_buf_skip_string(b) != 0 ||
	    msb_buf_skip_string(b) != 0 || msb_buf_get_u32(b, &nkeys) != 0 ||
	    nkeys != 1 || msb_buf_get_string_direct(b, &blob, &bloblen) != 0) {
		msb_error_set(err, EINVAL, "%s: not a single-key OpenSSH "
		    "private key", keyfile);
		goto out;
	}
	if (msb_pubkey_check_blob("ssh-ed25519", blob, bloblen, err) != 0) {
		msb_error_wrap(err, "%s", keyfile);
		goto out;
	}
	free(b64);
	if ((b64 = msb_b64_encode(blob, bloblen, 1)) == NULL ||
	    asprintf(&out, "ssh-ed25519 %s", b64) < 0) {
		out = NULL;
		msb_error_set(err, ENOMEM, "out of memory");
	}
out:
	msb_buf_free(b);
	free(bin);
	free(b64);
	free(text);
	return out;
}

/* Run ssh-keygen to write a new key at path; its stderr ends up in err. */
static int
run_keygen(const char *path, const char *comment, struct msb_error *err)
{
	const char *keygen = msb_prog_path("MSB_SSH_KEYGEN");
	char *argv[] = { "ssh-keygen", "-q", "-N", "", "-t", "ed25519", "-C",
	    (char *)comment, "-f", (char *)path, NULL };
	posix_spawn_file_actions_t fa;
	char msg[512];
	size_t mlen = 0;
	int pfd[2], status, r;
	struct pollfd pf;
	pid_t pid;
	ssize_t n;
	struct timespec t0, t1;

	if (pipe2(pfd, O_CLOEXEC) != 0)
		return msb_error_sys(err, errno, "pipe");
	if ((r = posix_spawn_file_actions_init(&fa)) != 0) {
		close(pfd[0]);
		close(pfd[1]);
		return msb_error_sys(err, r, "posix_spawn");
	}
	/* Never let the helper touch our stdin/stdout (the SSH stream). */
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
	r = posix_spawn(&pid, keygen, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	if (r != 0) {
		close(pfd[0]);
		return msb_error_sys(err, r, "cannot run %s", keygen);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pf.fd = pfd[0];
	pf.events = POLLIN;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		long left = KEYGEN_TIMEOUT_MS - ((t1.tv_sec - t0.tv_sec) * 1000 +
		    (t1.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0) {
			kill(pid, SIGKILL);
			break;
		}
		r = poll(&pf, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			continue;
		n = read(pfd[0], msg + mlen, sizeof(msg) - 1 - mlen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		mlen += (size_t)n;
		if (mlen == sizeof(msg) - 1)
			mlen = 0;    /* keep the tail only */
	}
	close(pfd[0]);
	msg[mlen] = '\0';
	while (mlen > 0 && (msg[mlen - 1] == '\n' || msg[mlen - 1] == '\r'))
		msg[--mlen] = '\0';
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return msb_error_sys(err, errno, "waitpid");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	return msb_error_set(err, EIO, "%s failed%s%s", keygen,
	    mlen ? ": " : "", msg);
}

static int
key_file_ok(const char *path, struct msb_error *err)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return msb_error_sys(err, errno, "cannot stat %s", path);
	if (!S_ISREG(st.st_mode))
		return msb_error_set(err, EINVAL, "%s is not a regular file", path);
	if (st.st_uid != geteuid())
		return msb_error_set(err, EPERM, "%s is not owned by you", path);
	/* sshd refuses host keys that others can read. */
	if ((st.st_mode & 077) != 0 && chmod(path, 0600) != 0)
		return msb_error_sys(err, errno, "cannot chmod 0600 %s", path);
	return 0;
}

char *
msb_hostkey_ensure(const char *sandbox_dir, const char *name, int *created,
    struct msb_error *err)
{
	char *sshdir = NULL, *path = NULL, *tmp = NULL, *tmppub = NULL;
	char *comment = NULL;
	int r;

	if (created != NULL)
		*created = 0;
	if (asprintf(&sshdir, "%s/ssh", sandbox_dir) < 0 ||
	    asprintf(&path, "%s/host_ed25519", sshdir) < 0) {
		free(sshdir);
		msb_error_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	if (msb_private_dir_ensure(sshdir, err) != 0)
		goto fail;
	if (access(path, F_OK) == 0) {
		if (key_file_ok(path, err) != 0)
			goto fail;
		free(sshdir);
		return path;
	}
	if (asprintf(&tmp, "%s/.host_ed25519.%ld.%lx", sshdir, (long)getpid(),
	    (unsigned long)random()) < 0 ||
	    asprintf(&tmppub, "%s.pub", tmp) < 0 ||
	    asprintf(&comment, "msb-host-%s", name) < 0) {
		msb_error_set(err, ENOMEM, "out of memory");
		goto fail;
	}
	if (run_keygen(tmp, comment, err) != 0) {
		msb_error_wrap(err, "creating the host key of sandbox '%s'", name);
		goto fail_unlink;
	}
	/* link() publishes the complete file or fails if another process won. */
	r = link(tmp, path);
	if (r != 0 && errno != EEXIST) {
		msb_error_sys(err, errno, "cannot create %s", path);
		goto fail_unlink;
	}
	if (r == 0 && created != NULL)
		*created = 1;
	unlink(tmp);
	unlink(tmppub);
	if (key_file_ok(path, err) != 0)
		goto fail;
	free(sshdir);
	free(tmp);
	free(tmppub);
	free(comment);
	return path;
fail_unlink:
	unlink(tmp);
	unlink(tmppub);
fail:
	free(sshdir);
	free(path);
	free(tmp);
	free(tmppub);
	free(comment);
	return NULL;
}

int
msb_known_hosts_write(const char *path, const char *host, const char *pub,
    int only_if_missing, struct msb_error *err)
{
	char *line;
	int r;

	if (only_if_missing && access(path, F_OK) == 0)
		return 0;
	if (asprintf(&line, "%s %s\n", host, pub) < 0)
		return msb_error_set(err, ENOMEM, "out of memory");
	r = msb_file_replace(path, line, strlen(line), 0600, err);
	free(line);
	return r;
}
