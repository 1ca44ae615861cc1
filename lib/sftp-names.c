/* The SFTP request name table shared by the CLI and msb-sftp-server. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "msb/log.h"
#include "msb/sftp-names.h"

const char *const msb_sftp_request_names[] = {
	"open", "close", "read", "write", "lstat", "fstat", "setstat",
	"fsetstat", "opendir", "readdir", "remove", "mkdir", "rmdir",
	"realpath", "stat", "rename", "readlink", "symlink",
	/* extensions */
	"posix-rename", "statvfs", "fstatvfs", "hardlink", "fsync",
	"lsetstat", "limits", "expand-path", "copy-data", "home-directory",
	"users-groups-by-id",
	NULL,
};

static int
known_n(const char *name, size_t len)
{
	size_t i;

	for (i = 0; msb_sftp_request_names[i] != NULL; i++)
		if (strlen(msb_sftp_request_names[i]) == len &&
		    memcmp(msb_sftp_request_names[i], name, len) == 0)
			return 1;
	return 0;
}

int
msb_sftp_request_known(const char *name)
{
	return known_n(name, strlen(name));
}

/* The item quoted in an error: printable, at most 40 bytes. */
static void
quote(char *dst, const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len && i < 40; i++)
		dst[i] = isprint((unsigned char)p[i]) ? p[i] : '?';
	dst[i] = '\0';
}

/* "open, close, ...": the table, for error messages. */
static void
join(char *dst, size_t size)
{
	size_t i, off = 0;
	int n;

	dst[0] = '\0';
	for (i = 0; msb_sftp_request_names[i] != NULL; i++) {
		n = snprintf(dst + off, size - off, "%s%s", i > 0 ? ", " : "",
		    msb_sftp_request_names[i]);
		if (n < 0 || (size_t)n >= size - off)
			return;
		off += (size_t)n;
	}
}

int
msb_sftp_request_list_check(const char *what, const char *list,
    struct msb_error *err)
{
	const char *p, *comma;
	char item[41], known[512];
	size_t len;

	if (list == NULL)
		return 0;
	if (*list == '\0')
		return msb_error_set(err, EINVAL, "%s: empty list of SFTP "
		    "requests", what);
	for (p = list;; p = comma + 1) {
		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (len == 0)
			return msb_error_set(err, EINVAL, "%s: empty item in "
			    "the list of SFTP requests", what);
		if (!known_n(p, len)) {
			quote(item, p, len);
			join(known, sizeof(known));
			return msb_error_set(err, EINVAL, "%s: unknown SFTP "
			    "request '%s%s' (known: %s)", what, item,
			    len > 40 ? "..." : "", known);
		}
		if (comma == NULL)
			return 0;
	}
}

int
msb_sftp_log_level_check(const char *level, struct msb_error *err)
{
	char item[41], known[256];
	size_t i, off = 0;
	const char *n;
	int k;

	if (level == NULL || msb_log_level_from_name(level) >= 0)
		return 0;
	known[0] = '\0';
	for (i = 0; (n = msb_log_level_name_at(i)) != NULL; i++) {
		k = snprintf(known + off, sizeof(known) - off, "%s%s",
		    i > 0 ? ", " : "", n);
		if (k < 0 || (size_t)k >= sizeof(known) - off)
			break;
		off += (size_t)k;
	}
	quote(item, level, strlen(level));
	return msb_error_set(err, EINVAL, "--sftp-log-level: unknown log "
	    "level '%s%s' (known: %s)", item, strlen(level) > 40 ? "..." : "",
	    known);
}
