/*
 * realpath for the filesystem channel. Unlike realpath(3) a missing last
 * component is not an error, which is what SFTP clients rely on when they
 * canonicalise the name of a file they are about to upload.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs-path.h"

#define FS_SYMLOOP_MAX 40

/* A growable string; every append keeps it below PATH_MAX. */
struct pstr {
	char *s;
	size_t len, cap;
};

static int
pstr_reserve(struct pstr *p, size_t more)
{
	size_t ncap;
	char *n;

	if (p->len + more >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (p->len + more + 1 <= p->cap)
		return 0;
	ncap = p->cap < 64 ? 64 : p->cap;
	while (ncap < p->len + more + 1)
		ncap *= 2;
	if ((n = realloc(p->s, ncap)) == NULL)
		return -1;
	p->s = n;
	p->cap = ncap;
	return 0;
}

static int
pstr_append(struct pstr *p, const char *s, size_t n)
{
	if (pstr_reserve(p, n) != 0)
		return -1;
	memcpy(p->s + p->len, s, n);
	p->len += n;
	p->s[p->len] = '\0';
	return 0;
}

static int
pstr_set(struct pstr *p, const char *s)
{
	p->len = 0;
	return pstr_append(p, s, strlen(s));
}

/* Drop the last component of an absolute path ending in '/'; "/" stays. */
static void
pstr_strip_last(struct pstr *p)
{
	if (p->len <= 1)
		return;
	p->len--;                          /* the trailing '/' */
	while (p->len > 0 && p->s[p->len - 1] != '/')
		p->len--;
	p->s[p->len] = '\0';
}

/*
 * Replace the still unprocessed components (rest, which the caller owns) by
 * the link target followed by them: "target/rest".
 */
static char *
splice_link(const char *target, size_t tlen, const char *rest, int more)
{
	size_t rlen = more ? strlen(rest) : 0;
	char *n;

	if (tlen + 1 + rlen >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	if ((n = malloc(tlen + 1 + rlen + 1)) == NULL)
		return NULL;
	memcpy(n, target, tlen);
	if (more) {
		n[tlen] = '/';
		memcpy(n + tlen + 1, rest, rlen + 1);
	} else
		n[tlen] = '\0';
	return n;
}

static char *
read_link(const char *path, size_t *lenp)
{
	size_t cap = 256;
	ssize_t n;
	char *buf = NULL, *nb;

	for (;;) {
		if ((nb = realloc(buf, cap)) == NULL)
			goto fail;
		buf = nb;
		if ((n = readlink(path, buf, cap)) < 0)
			goto fail;
		if ((size_t)n < cap) {
			buf[n] = '\0';
			*lenp = (size_t)n;
			return buf;
		}
		if (cap >= PATH_MAX) {
			errno = ENAMETOOLONG;
			goto fail;
		}
		cap *= 2;
	}
 fail:
	free(buf);
	return NULL;
}

char *
fs_realpath(const char *path)
{
	struct pstr res = { NULL, 0, 0 };
	struct stat st;
	char *left = NULL, *cwd = NULL, *tok, *slash, *target, *n;
	size_t tlen;
	unsigned links = 0;
	int more, saved;

	if (path[0] == '\0')
		path = ".";
	if (path[0] == '/') {
		if (pstr_set(&res, "/") != 0)
			goto fail;
		path++;
	} else {
		if ((cwd = getcwd(NULL, 0)) == NULL || pstr_set(&res, cwd) != 0)
			goto fail;
		free(cwd);
		cwd = NULL;
	}
	if (strlen(path) >= PATH_MAX) {
		errno = ENAMETOOLONG;
		goto fail;
	}
	if ((left = strdup(path)) == NULL)
		goto fail;
	tok = left;
	while (tok != NULL && *tok != '\0') {
		if ((slash = strchr(tok, '/')) != NULL)
			*slash = '\0';
		more = slash != NULL;
		if (res.s[res.len - 1] != '/' && pstr_append(&res, "/", 1) != 0)
			goto fail;
		if (*tok == '\0' || strcmp(tok, ".") == 0) {
			tok = more ? slash + 1 : NULL;
			continue;
		}
		if (strcmp(tok, "..") == 0) {
			pstr_strip_last(&res);
			tok = more ? slash + 1 : NULL;
			continue;
		}
		if (pstr_append(&res, tok, strlen(tok)) != 0)
			goto fail;
		if (lstat(res.s, &st) != 0) {
			/* A missing last component is fine (upload targets). */
			if (errno == ENOENT && !more)
				break;
			goto fail;
		}
		if (!S_ISLNK(st.st_mode)) {
			tok = more ? slash + 1 : NULL;
			continue;
		}
		if (++links > FS_SYMLOOP_MAX) {
			errno = ELOOP;
			goto fail;
		}
		if ((target = read_link(res.s, &tlen)) == NULL)
			goto fail;
		if (target[0] == '/') {
			res.len = 1;
			res.s[1] = '\0';
		} else
			pstr_strip_last(&res);
		n = splice_link(target, tlen, more ? slash + 1 : "", more);
		free(target);
		if (n == NULL)
			goto fail;
		free(left);
		left = tok = n;
	}
	if (res.len > 1 && res.s[res.len - 1] == '/')
		res.s[--res.len] = '\0';
	free(left);
	return res.s;
 fail:
	saved = errno;
	free(cwd);
	free(left);
	free(res.s);
	errno = saved;
	return NULL;
}
