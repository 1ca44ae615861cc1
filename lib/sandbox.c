/* Sandbox state directories: create, load, save, list. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "msb/log.h"
#include "msb/name.h"
#include "msb/sandbox.h"
#include "msb/sftp-names.h"
#include "sandbox-int.h"

char *
msb_sandbox_path(const struct msb_sandbox *sb, const char *rel)
{
	return sb_strjoin(sb->dir, "/", rel);
}

/* $MSB_HOME/sandboxes[/name] (heap). */
static char *
sandboxes_dir(const char *name, struct msb_error *err)
{
	char *home = msb_home(err), *d;

	if (home == NULL)
		return NULL;
	d = name != NULL ? sb_strjoin(home, "/sandboxes/", name) :
	    sb_strjoin(home, "/", "sandboxes");
	free(home);
	if (d == NULL)
		msb_error_set(err, ENOMEM, "out of memory");
	return d;
}

/* A rootfs: a directory with etc/ and a bin/ (directory or symlink). */
static int
check_image_dir(const char *dir, const char *home, struct msb_error *err)
{
	struct stat st;
	char *etc, *bin;
	int ok;

	if (stat(dir, &st) != 0)
		return msb_error_sys(err, errno, "image %s", dir);
	if (!S_ISDIR(st.st_mode))
		return msb_error_set(err, ENOTDIR, "image %s is not a "
		    "directory", dir);
	if (strcmp(dir, "/") == 0)
		return msb_error_set(err, EINVAL, "image /: use --image host");
	if (sb_path_under(dir, home) || sb_path_under(home, dir))
		return msb_error_set(err, EINVAL, "image %s overlaps the msb "
		    "state directory %s", dir, home);
	etc = sb_strjoin(dir, "/", "etc");
	bin = sb_strjoin(dir, "/", "bin");
	ok = etc != NULL && bin != NULL && stat(etc, &st) == 0 &&
	    S_ISDIR(st.st_mode) && lstat(bin, &st) == 0;
	free(etc);
	free(bin);
	if (!ok)
		return msb_error_set(err, EINVAL, "image %s does not look like "
		    "a root filesystem (no etc/ or bin/)", dir);
	return 0;
}

static int
check_volumes(struct msb_sandbox_config *c, const char *home,
    struct msb_error *err)
{
	struct msb_volume *v;
	struct stat st;
	char *real;
	size_t i, j;

	for (i = 0; i < c->nvolumes; i++) {
		v = &c->volumes[i];
		if (msb_volume_check_target(v->target, err) != 0)
			return -1;
		if ((real = realpath(v->host, NULL)) == NULL)
			return msb_error_sys(err, errno, "volume host directory "
			    "%s", v->host);
		free(v->host);
		v->host = real;
		if (stat(real, &st) != 0 || !S_ISDIR(st.st_mode))
			return msb_error_set(err, ENOTDIR, "volume host path %s "
			    "is not a directory", real);
		if (sb_path_under(real, home))
			return msb_error_set(err, EINVAL, "volume host directory "
			    "%s is inside the msb state directory %s", real,
			    home);
		for (j = 0; j < i; j++)
			if (strcmp(c->volumes[j].target, v->target) == 0)
				return msb_error_set(err, EINVAL, "two volumes "
				    "for the same target %s", v->target);
	}
	return 0;
}

static int
dup_config(struct msb_sandbox_config *d, const struct msb_sandbox_config *s)
{
	size_t i;

	memset(d, 0, sizeof(*d));
	*d = *s;
	d->name = d->image = d->user = NULL;
	d->sftp_allow = d->sftp_deny = d->sftp_log_level = NULL;
	d->volumes = NULL;
	d->nvolumes = 0;
#define DUP(f) if (s->f != NULL && (d->f = strdup(s->f)) == NULL) return -1
	DUP(name);
	DUP(image);
	DUP(user);
	DUP(sftp_allow);
	DUP(sftp_deny);
	DUP(sftp_log_level);
#undef DUP
	if (s->nvolumes == 0)
		return 0;
	if ((d->volumes = calloc(s->nvolumes, sizeof(*d->volumes))) == NULL)
		return -1;
	for (i = 0; i < s->nvolumes; i++) {
		d->nvolumes++;
		d->volumes[i].readonly = s->volumes[i].readonly;
		if ((d->volumes[i].host = strdup(s->volumes[i].host)) == NULL ||
		    (d->volumes[i].target = strdup(s->volumes[i].target)) ==
		    NULL)
			return -1;
	}
	return 0;
}

/* Validate and normalise a copy of the caller's config (nothing written). */
static int
prepare_config(struct msb_sandbox_config *c, const char *home,
    struct msb_error *err)
{
	char *real;

	if (msb_name_validate(c->name, err) != 0)
		return -1;
	if (c->user == NULL && (c->user = strdup("root")) == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	if (msb_user_name_validate(c->user, err) != 0)
		return -1;
	if (c->image == NULL && (c->image = strdup("host")) == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	if (strcmp(c->image, "host") != 0) {
		if ((real = realpath(c->image, NULL)) == NULL)
			return msb_error_sys(err, errno, "image %s", c->image);
		free(c->image);
		c->image = real;
		if (check_image_dir(real, home, err) != 0)
			return -1;
	}
	if (check_volumes(c, home, err) != 0 ||
	    msb_sftp_request_list_check("--sftp-allow", c->sftp_allow,
	    err) != 0 ||
	    msb_sftp_request_list_check("--sftp-deny", c->sftp_deny, err) != 0)
		return -1;
	if (msb_sftp_log_level_check(c->sftp_log_level, err) != 0)
		return -1;
	c->layout = strcmp(c->image, "host") == 0 && geteuid() != 0 ?
	    MSB_LAYOUT_SPLIT : MSB_LAYOUT_SINGLE;
	c->created = (int64_t)time(NULL);
	return 0;
}

static int
populate(const char *tmp, const struct msb_sandbox_config *c,
    struct msb_error *err)
{
	static const char *const dirs[] = { "upper", "work", "run", "ssh",
	    NULL };
	static const char *const split_dirs[] = { "upper/root", "upper/dirs",
	    "work/root", "work/dirs", NULL };
	char *p;
	size_t i;
	int fd, r = 0;

	for (i = 0; dirs[i] != NULL && r == 0; i++) {
		if ((p = sb_strjoin(tmp, "/", dirs[i])) == NULL)
			return msb_error_set(err, ENOMEM, "out of memory");
		r = sb_mkdir(p, strcmp(dirs[i], "upper") == 0 ? 0755 : 0700,
		    err);
		free(p);
	}
	for (i = 0; c->layout == MSB_LAYOUT_SPLIT && split_dirs[i] != NULL &&
	    r == 0; i++) {
		if ((p = sb_strjoin(tmp, "/", split_dirs[i])) == NULL)
			return msb_error_set(err, ENOMEM, "out of memory");
		r = sb_mkdir(p, 0755, err);
		free(p);
	}
	if (r != 0)
		return -1;
	for (i = 0; i < 2; i++) {
		p = sb_strjoin(tmp, "/", i == 0 ? "log" : "lock");
		if (p == NULL)
			return msb_error_set(err, ENOMEM, "out of memory");
		fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0)
			r = msb_error_sys(err, errno, "cannot create %s", p);
		else
			close(fd);
		free(p);
		if (r != 0)
			return -1;
	}
	if ((p = sb_strjoin(tmp, "/", "config")) == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	r = msb_sandbox_config_write(p, c, err);
	free(p);
	return r;
}

int
msb_sandbox_create(const struct msb_sandbox_config *cfg,
    struct msb_error *err)
{
	struct msb_sandbox_config c;
	char *home = NULL, *real_home = NULL, *dir = NULL, *tmp = NULL;
	struct stat st;
	int r = -1;

	if (dup_config(&c, cfg) != 0) {
		msb_sandbox_config_free(&c);
		return msb_error_set(err, ENOMEM, "out of memory");
	}
	if (msb_name_validate(c.name, err) != 0 ||
	    (home = msb_home(err)) == NULL)
		goto out;
	/* Compare against the resolved home (it may not exist yet). */
	real_home = realpath(home, NULL);
	if (prepare_config(&c, real_home != NULL ? real_home : home, err) != 0)
		goto out;
	if ((dir = sandboxes_dir(c.name, err)) == NULL)
		goto out;
	if (lstat(dir, &st) == 0) {
		msb_error_set(err, EEXIST, "sandbox '%s' already exists",
		    c.name);
		goto out;
	}
	if (msb_home_ensure(err) != 0)
		goto out;
	if ((tmp = sandboxes_dir(".create-XXXXXX", err)) == NULL)
		goto out;
	if (mkdtemp(tmp) == NULL) {
		msb_error_sys(err, errno, "cannot create %s", tmp);
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (chmod(tmp, 0700) != 0) {
		msb_error_sys(err, errno, "chmod %s", tmp);
		goto out;
	}
	if (populate(tmp, &c, err) != 0)
		goto out;
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_NOREPLACE) != 0) {
		if (errno == EEXIST || errno == ENOTEMPTY)
			msb_error_set(err, EEXIST, "sandbox '%s' already "
			    "exists", c.name);
		else
			msb_error_sys(err, errno, "cannot create %s", dir);
		goto out;
	}
	free(tmp);
	tmp = NULL;
	r = 0;
out:
	if (tmp != NULL)
		(void)sb_rmtree(tmp, NULL);
	free(tmp);
	free(dir);
	free(home);
	free(real_home);
	msb_sandbox_config_free(&c);
	return r;
}

struct msb_sandbox *
msb_sandbox_load(const char *name, struct msb_error *err)
{
	struct msb_sandbox *sb;
	char *cfgpath;
	struct stat st;

	if (msb_name_validate(name, err) != 0)
		return NULL;
	if ((sb = calloc(1, sizeof(*sb))) == NULL) {
		msb_error_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	if ((sb->dir = sandboxes_dir(name, err)) == NULL)
		goto fail;
	if (lstat(sb->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		msb_error_set(err, ENOENT, "sandbox '%s' does not exist", name);
		goto fail;
	}
	if ((cfgpath = sb_strjoin(sb->dir, "/", "config")) == NULL) {
		msb_error_set(err, ENOMEM, "out of memory");
		goto fail;
	}
	if (msb_sandbox_config_read(cfgpath, &sb->cfg, err) != 0) {
		free(cfgpath);
		msb_error_wrap(err, "sandbox '%s'", name);
		goto fail;
	}
	free(cfgpath);
	if (strcmp(sb->cfg.name, name) != 0) {
		msb_error_set(err, EINVAL, "sandbox '%s': its config names "
		    "'%.128s'", name, sb->cfg.name);
		goto fail;
	}
	return sb;
fail:
	msb_sandbox_free(sb);
	return NULL;
}

void
msb_sandbox_free(struct msb_sandbox *sb)
{
	if (sb == NULL)
		return;
	msb_sandbox_config_free(&sb->cfg);
	free(sb->dir);
	free(sb);
}

int
msb_sandbox_save(const struct msb_sandbox *sb, struct msb_error *err)
{
	char *p = sb_strjoin(sb->dir, "/", "config");
	int r;

	if (p == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	r = msb_sandbox_config_write(p, &sb->cfg, err);
	free(p);
	return r;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
msb_sandbox_list(char ***names, size_t *n, struct msb_error *err)
{
	char *dir, **v = NULL, **tmp, *cfg;
	struct dirent *de;
	struct stat st;
	size_t cnt = 0;
	DIR *d;

	*names = NULL;
	*n = 0;
	if ((dir = sandboxes_dir(NULL, err)) == NULL)
		return -1;
	if ((d = opendir(dir)) == NULL) {
		free(dir);
		if (errno != ENOENT)
			return msb_error_sys(err, errno, "cannot list sandboxes");
		if ((*names = calloc(1, sizeof(char *))) == NULL)
			return msb_error_set(err, ENOMEM, "out of memory");
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		/* Skips ".", "..", and in-progress .create-* / .trash-*. */
		if (msb_name_validate(de->d_name, NULL) != 0)
			continue;
		cfg = sb_strjoin(dir, "/", de->d_name);
		tmp = cfg != NULL ? realloc(v, (cnt + 2) * sizeof(*v)) : NULL;
		if (tmp == NULL) {
			free(cfg);
			goto nomem;
		}
		v = tmp;
		if (lstat(cfg, &st) != 0 || !S_ISDIR(st.st_mode)) {
			free(cfg);
			continue;
		}
		free(cfg);
		if ((v[cnt] = strdup(de->d_name)) == NULL)
			goto nomem;
		v[++cnt] = NULL;
	}
	closedir(d);
	free(dir);
	if (v == NULL && (v = calloc(1, sizeof(*v))) == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	qsort(v, cnt, sizeof(*v), cmp_str);
	*names = v;
	*n = cnt;
	return 0;
nomem:
	closedir(d);
	free(dir);
	if (v != NULL) {
		v[cnt] = NULL;
		msb_strv_free(v);
	}
	return msb_error_set(err, ENOMEM, "out of memory");
}

void
msb_strv_free(char **v)
{
	char **p;

	if (v == NULL)
		return;
	for (p = v; *p != NULL; p++)
		free(*p);
	free(v);
}
