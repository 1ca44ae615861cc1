/*
 * passwd(5) / group(5) parser and user switching for the agent's children.
 * No NSS: the agent is static and must read the sandbox's own files.
 * The parser is tolerant like glibc's files backend: malformed lines,
 * comments and NIS compat ('+'/'-') lines are skipped, never fatal.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msb/passwd.h"

/* Account files larger than this are refused (a sandbox cannot make the
 * agent allocate without bound). */
#define PWDB_FILE_MAX (16u * 1024u * 1024u)

/* One line split in place into at most nmax fields; returns the count. */
static size_t
split_fields(char *line, char **fields, size_t nmax)
{
	size_t n = 0;
	char *p = line, *colon;

	for (;;) {
		if (n == nmax)
			return nmax + 1;    /* too many fields */
		fields[n++] = p;
		if ((colon = strchr(p, ':')) == NULL)
			break;
		*colon = '\0';
		p = colon + 1;
	}
	return n;
}

/* Decimal id 0..UINT32_MAX-1 ((uid_t)-1 is "no id"); -1 if invalid. */
static int
parse_id(const char *s, uint32_t *out)
{
	unsigned long long v = 0;
	const char *p;

	if (*s == '\0')
		return -1;
	for (p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (unsigned)(*p - '0');
		if (v >= 0xffffffffULL)
			return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

/* Lines that are not account entries. */
static int
skip_line(const char *line)
{
	return line[0] == '\0' || line[0] == '#' || line[0] == '+' ||
	    line[0] == '-';
}

static void
pw_free(struct msb_pw *pw)
{
	free(pw->name);
	free(pw->gecos);
	free(pw->home);
	free(pw->shell);
	memset(pw, 0, sizeof(*pw));
}

static void
gr_free(struct msb_gr *gr)
{
	size_t i;

	free(gr->name);
	if (gr->members != NULL)
		for (i = 0; gr->members[i] != NULL; i++)
			free(gr->members[i]);
	free(gr->members);
	memset(gr, 0, sizeof(*gr));
}

/* 0 = added or skipped, -1 = out of memory. */
static int
add_pw_line(struct msb_pwdb *db, char *line)
{
	char *f[7];
	struct msb_pw pw, *v;

	if (skip_line(line) || split_fields(line, f, 7) != 7 || *f[0] == '\0')
		return 0;
	memset(&pw, 0, sizeof(pw));
	if (parse_id(f[2], &pw.uid) != 0 || parse_id(f[3], &pw.gid) != 0)
		return 0;
	if ((pw.name = strdup(f[0])) == NULL || (pw.gecos = strdup(f[4])) == NULL ||
	    (pw.home = strdup(f[5])) == NULL || (pw.shell = strdup(f[6])) == NULL)
		goto oom;
	if ((v = reallocarray(db->pw, db->npw + 1, sizeof(*v))) == NULL)
		goto oom;
	db->pw = v;
	db->pw[db->npw++] = pw;
	return 0;
 oom:
	pw_free(&pw);
	return -1;
}

static int
add_gr_line(struct msb_pwdb *db, char *line)
{
	char *f[4], *p, *comma;
	struct msb_gr gr, *v;
	size_t n = 0, cap = 1;

	if (skip_line(line) || split_fields(line, f, 4) != 4 || *f[0] == '\0')
		return 0;
	memset(&gr, 0, sizeof(gr));
	if (parse_id(f[2], &gr.gid) != 0)
		return 0;
	for (p = f[3]; *p != '\0'; p++)
		if (*p == ',')
			cap++;
	if ((gr.name = strdup(f[0])) == NULL ||
	    (gr.members = calloc(cap + 1, sizeof(char *))) == NULL)
		goto oom;
	for (p = f[3]; p != NULL; p = comma != NULL ? comma + 1 : NULL) {
		if ((comma = strchr(p, ',')) != NULL)
			*comma = '\0';
		if (*p == '\0')
			continue;
		if ((gr.members[n] = strdup(p)) == NULL)
			goto oom;
		n++;
	}
	if ((v = reallocarray(db->gr, db->ngr + 1, sizeof(*v))) == NULL)
		goto oom;
	db->gr = v;
	db->gr[db->ngr++] = gr;
	return 0;
 oom:
	gr_free(&gr);
	return -1;
}

/*
 * Feed every line of text[0..len) to add(); a line holding a NUL byte is
 * malformed and skipped. Lines are copied, so there is no length limit.
 */
static int
parse_text(struct msb_pwdb *db, const char *text, size_t len,
    int (*add)(struct msb_pwdb *, char *))
{
	const char *p = text, *end = text + len, *nl;
	char *line;
	size_t l;
	int r;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		l = (size_t)((nl != NULL ? nl : end) - p);
		if (l > 0 && p[l - 1] == '\r')
			l--;
		if (memchr(p, '\0', l) == NULL) {
			if ((line = strndup(p, l)) == NULL)
				return -1;
			r = add(db, line);
			free(line);
			if (r != 0)
				return -1;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return 0;
}

int
msb_pwdb_parse(struct msb_pwdb *db, const char *passwd_text,
    const char *group_text, struct msb_error *err)
{
	memset(db, 0, sizeof(*db));
	if ((passwd_text != NULL && parse_text(db, passwd_text,
	    strlen(passwd_text), add_pw_line) != 0) ||
	    (group_text != NULL && parse_text(db, group_text,
	    strlen(group_text), add_gr_line) != 0)) {
		msb_pwdb_free(db);
		return msb_error_set(err, ENOMEM, "out of memory");
	}
	return 0;
}

/* The whole regular file open on fd (closed here) into a heap buffer;
 * *len excludes the added NUL; path names it in messages. */
static int
read_fd(int fd, const char *path, char **out, size_t *len,
    struct msb_error *err)
{
	struct stat st;
	char *buf = NULL, *nb;
	size_t cap = 0, used = 0;
	ssize_t n;

	*out = NULL;
	*len = 0;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return msb_error_set(err, EINVAL, "%s is not a regular file",
		    path);
	}
	for (;;) {
		if (cap - used < 4096) {
			if (cap >= PWDB_FILE_MAX) {
				free(buf);
				close(fd);
				return msb_error_set(err, EFBIG,
				    "%s is larger than %u bytes", path,
				    PWDB_FILE_MAX);
			}
			cap = cap == 0 ? 8192 : cap * 2;
			if ((nb = realloc(buf, cap + 1)) == NULL) {
				free(buf);
				close(fd);
				return msb_error_set(err, ENOMEM,
				    "out of memory");
			}
			buf = nb;
		}
		n = read(fd, buf + used, cap - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			msb_error_sys(err, errno, "cannot read %s", path);
			free(buf);
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	buf[used] = '\0';
	*out = buf;
	*len = used;
	return 0;
}

static int
read_file(const char *path, char **out, size_t *len, struct msb_error *err)
{
	int fd;

	*out = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return msb_error_sys(err, errno, "cannot open %s", path);
	return read_fd(fd, path, out, len, err);
}

int
msb_pwdb_load_fd(struct msb_pwdb *db, int passwd_fd, const char *name,
    struct msb_error *err)
{
	char *text;
	size_t len;
	int r;

	memset(db, 0, sizeof(*db));
	if (read_fd(passwd_fd, name, &text, &len, err) != 0)
		return -1;
	r = parse_text(db, text, len, add_pw_line);
	free(text);
	if (r != 0) {
		msb_pwdb_free(db);
		return msb_error_set(err, ENOMEM, "out of memory");
	}
	return 0;
}

int
msb_pwdb_load(struct msb_pwdb *db, const char *passwd_path,
    const char *group_path, struct msb_error *err)
{
	char *text;
	size_t len;
	int r;

	memset(db, 0, sizeof(*db));
	if (read_file(passwd_path, &text, &len, err) != 0)
		return -1;
	r = parse_text(db, text, len, add_pw_line);
	free(text);
	if (r != 0)
		goto oom;
	if (group_path != NULL) {
		struct msb_error gerr = MSB_ERROR_INIT;

		if (read_file(group_path, &text, &len, &gerr) != 0) {
			if (gerr.code != ENOENT) {
				msb_error_set(err, gerr.code, "%s",
				    msb_error_msg(&gerr));
				msb_error_clear(&gerr);
				msb_pwdb_free(db);
				return -1;
			}
			msb_error_clear(&gerr);  /* no group file: no groups */
		} else {
			r = parse_text(db, text, len, add_gr_line);
			free(text);
			if (r != 0)
				goto oom;
		}
	}
	return 0;
 oom:
	msb_pwdb_free(db);
	return msb_error_set(err, ENOMEM, "out of memory");
}

void
msb_pwdb_free(struct msb_pwdb *db)
{
	size_t i;

	if (db == NULL)
		return;
	for (i = 0; i < db->npw; i++)
		pw_free(&db->pw[i]);
	for (i = 0; i < db->ngr; i++)
		gr_free(&db->gr[i]);
	free(db->pw);
	free(db->gr);
	memset(db, 0, sizeof(*db));
}

/* First match wins, as with the glibc files backend. */
const struct msb_pw *
msb_pwdb_by_name(const struct msb_pwdb *db, const char *name)
{
	size_t i;

	for (i = 0; i < db->npw; i++)
		if (strcmp(db->pw[i].name, name) == 0)
			return &db->pw[i];
	return NULL;
}

const struct msb_pw *
msb_pwdb_by_uid(const struct msb_pwdb *db, uint32_t uid)
{
	size_t i;

	for (i = 0; i < db->npw; i++)
		if (db->pw[i].uid == uid)
			return &db->pw[i];
	return NULL;
}

const struct msb_gr *
msb_pwdb_gr_by_gid(const struct msb_pwdb *db, uint32_t gid)
{
	size_t i;

	for (i = 0; i < db->ngr; i++)
		if (db->gr[i].gid == gid)
			return &db->gr[i];
	return NULL;
}

const struct msb_gr *
msb_pwdb_gr_by_name(const struct msb_pwdb *db, const char *name)
{
	size_t i;

	for (i = 0; i < db->ngr; i++)
		if (strcmp(db->gr[i].name, name) == 0)
			return &db->gr[i];
	return NULL;
}

static int
has_gid(const gid_t *v, size_t n, gid_t g)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == g)
			return 1;
	return 0;
}

int
msb_pwdb_groups(const struct msb_pwdb *db, const struct msb_pw *pw,
    gid_t **out, size_t *n, struct msb_error *err)
{
	gid_t *v;
	size_t i, j, cnt = 1;

	*out = NULL;
	*n = 0;
	if ((v = calloc(db->ngr + 1, sizeof(*v))) == NULL)
		return msb_error_set(err, ENOMEM, "out of memory");
	v[0] = (gid_t)pw->gid;
	for (i = 0; i < db->ngr; i++) {
		const struct msb_gr *g = &db->gr[i];

		for (j = 0; g->members[j] != NULL; j++) {
			if (strcmp(g->members[j], pw->name) != 0)
				continue;
			if (!has_gid(v, cnt, (gid_t)g->gid))
				v[cnt++] = (gid_t)g->gid;
			break;
		}
	}
	if (cnt > NGROUPS_MAX)
		cnt = NGROUPS_MAX;    /* setgroups refuses more */
	*out = v;
	*n = cnt;
	return 0;
}

/* 1 if /proc/self/setgroups says "deny" (unprivileged user namespace). */
static int
setgroups_denied(void)
{
	char buf[16];
	ssize_t n;
	int fd;

	if ((fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strncmp(buf, "deny", 4) == 0;
}

int
msb_become_user(const struct msb_pwdb *db, const struct msb_pw *pw,
    struct msb_error *err)
{
	uid_t uid = (uid_t)pw->uid, ruid, euid, suid;
	gid_t gid = (gid_t)pw->gid, rgid, egid, sgid;
	gid_t *groups;
	size_t ngroups;

	/* Unprivileged (dev mode): only "switching" to ourselves works. */
	if (geteuid() != 0 && getuid() == uid && geteuid() == uid &&
	    getgid() == gid && getegid() == gid)
		return 0;
	if (msb_pwdb_groups(db, pw, &groups, &ngroups, err) != 0)
		return -1;
	if (setgroups(ngroups, groups) != 0) {
		/* A single-id user namespace forbids setgroups for good. */
		if (errno != EPERM || !setgroups_denied()) {
			msb_error_sys(err, errno, "cannot set the groups of "
			    "user '%s'", pw->name);
			free(groups);
			return -1;
		}
	}
	free(groups);
	if (setresgid(gid, gid, gid) != 0)
		return msb_error_sys(err, errno, "cannot set gid %u for "
		    "user '%s'", (unsigned)gid, pw->name);
	if (setresuid(uid, uid, uid) != 0)
		return msb_error_sys(err, errno, "cannot set uid %u for "
		    "user '%s'", (unsigned)uid, pw->name);
	/* Verify, and make sure privileges cannot come back. */
	if (getresuid(&ruid, &euid, &suid) != 0 ||
	    getresgid(&rgid, &egid, &sgid) != 0 ||
	    ruid != uid || euid != uid || suid != uid ||
	    rgid != gid || egid != gid || sgid != gid)
		return msb_error_set(err, EPERM, "switching to user '%s' "
		    "did not take effect", pw->name);
	if (uid != 0 && (setuid(0) == 0 || seteuid(0) == 0))
		return msb_error_set(err, EPERM, "user '%s' could regain "
		    "root after the switch", pw->name);
	return 0;
}
