/* The authorized_keys file: locked, verbatim-preserving, atomic (msb/authkeys.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msb/authkeys.h"

int
msb_private_dir_ensure(const char *dir, struct msb_error *err)
{
	struct stat st;

	if (mkdir(dir, 0700) == 0)
		return 0;
	if (errno != EEXIST)
		return msb_error_sys(err, errno, "cannot create %s", dir);
	if (lstat(dir, &st) != 0)
		return msb_error_sys(err, errno, "cannot stat %s", dir);
	if (!S_ISDIR(st.st_mode))
		return msb_error_set(err, ENOTDIR, "%s is not a directory", dir);
	if (st.st_uid != geteuid())
		return msb_error_set(err, EPERM,
		    "%s is owned by uid %u, not by you", dir, (unsigned)st.st_uid);
	if ((st.st_mode & 077) != 0 && chmod(dir, 0700) != 0)
		return msb_error_sys(err, errno, "cannot chmod 0700 %s", dir);
	return 0;
}

static int
write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	ssize_t w;

	while (len > 0) {
		w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static int
fsync_parent(const char *path)
{
	char *dir = strdup(path), *slash;
	int fd, r = 0;

	if (dir == NULL)
		return -1;
	if ((slash = strrchr(dir, '/')) == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		r = -1;
	else {
		if (fsync(fd) != 0 && errno != EINVAL)
			r = -1;
		close(fd);
	}
	free(dir);
	return r;
}

int
msb_file_replace(const char *path, const void *data, size_t len,
    unsigned int mode, struct msb_error *err)
{
	char *tmp = NULL;
	int fd = -1, e;
	unsigned int i;

	for (i = 0; i < 100; i++) {
		free(tmp);
		if (asprintf(&tmp, "%s.tmp.%ld.%u", path, (long)getpid(),
		    (unsigned)random() ^ i) < 0)
			return msb_error_set(err, ENOMEM, "out of memory");
		/* Created with the final mode (umask can only narrow it). */
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, (mode_t)(mode & 0600));
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		e = errno;
		msb_error_sys(err, e, "cannot create %s", tmp);
		free(tmp);
		return -1;
	}
	if (fchmod(fd, (mode_t)mode) != 0 || write_all(fd, data, len) != 0 ||
	    fsync(fd) != 0) {
		e = errno;
		msb_error_sys(err, e, "cannot write %s", tmp);
		goto fail;
	}
	if (close(fd) != 0) {
		e = errno;
		fd = -1;
		msb_error_sys(err, e, "cannot write %s", tmp);
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		e = errno;
		msb_error_sys(err, e, "cannot rename %s to %s", tmp, path);
		goto fail;
	}
	free(tmp);
	if (fsync_parent(path) != 0)
		return msb_error_sys(err, errno, "cannot sync the directory of %s",
		    path);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return -1;
}

static void
entry_free(struct msb_authkeys_entry *e)
{
	free(e->line);
	free(e->error);
	msb_pubkey_free(&e->key);
}

void
msb_authkeys_close(struct msb_authkeys *ak)
{
	size_t i;

	for (i = 0; i < ak->n; i++)
		entry_free(&ak->v[i]);
	free(ak->v);
	free(ak->dir);
	free(ak->path);
	if (ak->lock_fd >= 0)
		close(ak->lock_fd);
	memset(ak, 0, sizeof(*ak));
	ak->lock_fd = -1;
}

static int
add_entry(struct msb_authkeys *ak, char *line, struct msb_error *err)
{
	struct msb_authkeys_entry *nv, *e;
	struct msb_error perr = MSB_ERROR_INIT;
	int r;

	if ((nv = reallocarray(ak->v, ak->n + 1, sizeof(*nv))) == NULL) {
		free(line);
		return msb_error_set(err, ENOMEM, "out of memory");
	}
	ak->v = nv;
	e = &ak->v[ak->n++];
	memset(e, 0, sizeof(*e));
	e->line = line;
	r = msb_pubkey_parse_line(line, strlen(line), &e->key, &perr);
	if (r > 0)
		e->kind = MSB_AK_KEY;
	else if (r == 0)
		e->kind = MSB_AK_OTHER;
	else {
		if (perr.code == ENOMEM) {
			msb_error_clear(&perr);
			return msb_error_set(err, ENOMEM, "out of memory");
		}
		e->kind = MSB_AK_BAD;
		e->error = perr.msg;
		perr.msg = NULL;
	}
	msb_error_clear(&perr);
	return 0;
}

/* Split data into entries, one per line (the last one may lack '\n'). */
static int
parse_entries(struct msb_authkeys *ak, const char *data, size_t len,
    struct msb_error *err)
{
	const char *p, *nl;
	char *line;

	for (p = data; p < data + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(data + len - p));
		if (nl == NULL)
			nl = data + len;
		if ((line = strndup(p, (size_t)(nl - p))) == NULL)
			return msb_error_set(err, ENOMEM, "out of memory");
		if (add_entry(ak, line, err) != 0)
			return -1;
	}
	return 0;
}

static int
load_file(struct msb_authkeys *ak, struct msb_error *err)
{
	struct stat st;
	char *data = NULL;
	size_t len = 0;
	ssize_t r;
	int fd;

	fd = open(ak->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return msb_error_sys(err, errno, "cannot open %s", ak->path);
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return msb_error_set(err, EINVAL, "%s is not a regular file",
		    ak->path);
	}
	if ((size_t)st.st_size > MSB_AUTHKEYS_FILE_MAX) {
		close(fd);
		return msb_error_set(err, EFBIG, "%s is larger than %u bytes",
		    ak->path, MSB_AUTHKEYS_FILE_MAX);
	}
	if ((data = malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		return msb_error_set(err, ENOMEM, "out of memory");
	}
	while (len < (size_t)st.st_size) {
		r = read(fd, data + len, (size_t)st.st_size - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			msb_error_sys(err, errno, "cannot read %s", ak->path);
			free(data);
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	r = parse_entries(ak, data, len, err);
	free(data);
	return (int)r;
}

int
msb_authkeys_snapshot(const char *text, size_t len, char **out,
    size_t *nbad, struct msb_error *err)
{
	struct msb_authkeys ak;
	struct msb_pubkey tagged;
	char *opts, *line;
	const char *p;
	size_t i, olen;
	FILE *f;
	int r = -1;

	*out = NULL;
	*nbad = 0;
	memset(&ak, 0, sizeof(ak));
	ak.lock_fd = -1;
	if (memchr(text, '\0', len) != NULL)
		return msb_error_set(err, EINVAL, "authorized_keys contains a NUL byte");
	if (parse_entries(&ak, text, len, err) != 0)
		goto out;
	if ((f = open_memstream(out, &olen)) == NULL) {
		msb_error_set(err, ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < ak.n; i++) {
		if (ak.v[i].kind == MSB_AK_OTHER) {
			fprintf(f, "%s\n", ak.v[i].line);
			continue;
		}
		if (ak.v[i].kind == MSB_AK_BAD) {
			/* sshd might accept what we cannot check: keep it out.
			 * The reason may quote the line's own bytes: one
			 * comment line, printable, or a newline in it would
			 * hand sshd an unchecked line. */
			fputs("# msb: ignored (", f);
			for (p = ak.v[i].error; *p != '\0'; p++)
				fputc(isprint((unsigned char)*p) ? *p : '?', f);
			fputs(")\n", f);
			(*nbad)++;
			continue;
		}
		tagged = ak.v[i].key;
		if (asprintf(&opts, "environment=\"" MSB_KEY_LINE_VAR "=%zu\"%s%s",
		    i + 1, tagged.options != NULL ? "," : "",
		    tagged.options != NULL ? tagged.options : "") < 0) {
			fclose(f);
			msb_error_set(err, ENOMEM, "out of memory");
			goto out;
		}
		tagged.options = opts;
		line = msb_pubkey_format(&tagged);
		free(opts);
		if (line == NULL) {
			fclose(f);
			msb_error_set(err, ENOMEM, "out of memory");
			goto out;
		}
		fprintf(f, "%s\n", line);
		free(line);
	}
	if (ferror(f) | fclose(f)) {
		msb_error_set(err, ENOMEM, "out of memory");
		goto out;
	}
	r = 0;
out:
	if (r != 0) {
		free(*out);
		*out = NULL;
	}
	msb_authkeys_close(&ak);
	return r;
}

int
msb_authkeys_open(const char *dir, struct msb_authkeys *ak,
    struct msb_error *err)
{
	memset(ak, 0, sizeof(*ak));
	ak->lock_fd = -1;
	if (msb_private_dir_ensure(dir, err) != 0)
		return -1;
	if ((ak->dir = strdup(dir)) == NULL ||
	    asprintf(&ak->path, "%s/authorized_keys", dir) < 0) {
		ak->path = NULL;
		msb_authkeys_close(ak);
		return msb_error_set(err, ENOMEM, "out of memory");
	}
	ak->lock_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ak->lock_fd < 0 || flock(ak->lock_fd, LOCK_EX) != 0) {
		msb_error_sys(err, errno, "cannot lock %s", dir);
		msb_authkeys_close(ak);
		return -1;
	}
	if (load_file(ak, err) != 0) {
		msb_authkeys_close(ak);
		return -1;
	}
	return 0;
}

int
msb_authkeys_read(const char *path, struct msb_authkeys *ak,
    struct msb_error *err)
{
	memset(ak, 0, sizeof(*ak));
	ak->lock_fd = -1;
	if ((ak->path = strdup(path)) == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	if (access(path, F_OK) != 0) {
		msb_error_sys(err, errno, "cannot read %s", path);
		msb_authkeys_close(ak);
		return -1;
	}
	if (load_file(ak, err) != 0) {
		msb_authkeys_close(ak);
		return -1;
	}
	return 0;
}

long
msb_authkeys_find(const struct msb_authkeys *ak, const struct msb_pubkey *k)
{
	size_t i;

	for (i = 0; i < ak->n; i++)
		if (ak->v[i].kind == MSB_AK_KEY &&
		    msb_pubkey_equal(&ak->v[i].key, k))
			return (long)i;
	return -1;
}

int
msb_authkeys_append(struct msb_authkeys *ak, const struct msb_pubkey *k,
    struct msb_error *err)
{
	char *line = msb_pubkey_format(k);

	if (line == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	if (add_entry(ak, line, err) != 0)
		return -1;
	ak->dirty = 1;
	return 0;
}

static int
str_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

int
msb_authkeys_put(struct msb_authkeys *ak, const struct msb_pubkey *k,
    struct msb_error *err)
{
	struct msb_pubkey parsed = MSB_PUBKEY_INIT;
	struct msb_error perr = MSB_ERROR_INIT;
	struct msb_authkeys_entry *e;
	long first = msb_authkeys_find(ak, k);
	size_t i, others = 0;
	char *line;

	if (first < 0)
		return msb_authkeys_append(ak, k, err) == 0 ?
		    MSB_AK_PUT_ADDED : -1;
	for (i = (size_t)first + 1; i < ak->n; i++)
		if (ak->v[i].kind == MSB_AK_KEY &&
		    msb_pubkey_equal(&ak->v[i].key, k))
			others++;
	e = &ak->v[first];
	if (others == 0 && str_same(e->key.options, k->options) &&
	    str_same(e->key.comment, k->comment))
		return MSB_AK_PUT_SAME;
	if ((line = msb_pubkey_format(k)) == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	/* Parse our own canonical line so the entry owns its fields. */
	if (msb_pubkey_parse_line(line, strlen(line), &parsed, &perr) != 1) {
		free(line);
		msb_error_set(err, perr.code != 0 ? perr.code : EINVAL, "%s",
		    msb_error_msg(&perr));
		msb_error_clear(&perr);
		msb_pubkey_free(&parsed);
		return -1;
	}
	msb_pubkey_free(&e->key);
	free(e->line);
	e->line = line;
	e->key = parsed;
	for (i = ak->n; i-- > (size_t)first + 1;)
		if (ak->v[i].kind == MSB_AK_KEY &&
		    msb_pubkey_equal(&ak->v[i].key, k))
			msb_authkeys_remove(ak, i);
	ak->dirty = 1;
	return MSB_AK_PUT_UPDATED;
}

void
msb_authkeys_remove(struct msb_authkeys *ak, size_t i)
{
	if (i >= ak->n)
		return;
	entry_free(&ak->v[i]);
	memmove(&ak->v[i], &ak->v[i + 1], (ak->n - i - 1) * sizeof(*ak->v));
	ak->n--;
	ak->dirty = 1;
}

int
msb_authkeys_commit(struct msb_authkeys *ak, struct msb_error *err)
{
	char *data = NULL, *p;
	size_t len = 0, i, l;
	int r;

	if (!ak->dirty)
		return 0;
	for (i = 0; i < ak->n; i++)
		len += strlen(ak->v[i].line) + 1;
	if ((data = malloc(len + 1)) == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	for (p = data, i = 0; i < ak->n; i++) {
		l = strlen(ak->v[i].line);
		memcpy(p, ak->v[i].line, l);
		p[l] = '\n';
		p += l + 1;
	}
	r = msb_file_replace(ak->path, data, len, 0600, err);
	free(data);
	if (r == 0)
		ak->dirty = 0;
	return r;
}
