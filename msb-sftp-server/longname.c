/*
 * Long names for READDIR (sftp-common.c ls_file with the sandbox's user and
 * group names). Clients print them verbatim for `ls -l` when they do not
 * format the ATTRS themselves.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "msb/proto.h"
#include "msb/xmalloc.h"
#include "longname.h"

void
sftp_strmode(uint32_t mode, char out[12])
{
	static const struct {
		uint32_t fmt;
		char c;
	} types[] = {
		{ S_IFDIR, 'd' }, { S_IFCHR, 'c' }, { S_IFBLK, 'b' },
		{ S_IFREG, '-' }, { S_IFLNK, 'l' }, { S_IFSOCK, 's' },
		{ S_IFIFO, 'p' },
	};
	size_t i;

	out[0] = '?';
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if ((mode & S_IFMT) == types[i].fmt)
			out[0] = types[i].c;
	out[1] = (mode & S_IRUSR) ? 'r' : '-';
	out[2] = (mode & S_IWUSR) ? 'w' : '-';
	out[3] = (mode & S_ISUID) ? ((mode & S_IXUSR) ? 's' : 'S') :
	    ((mode & S_IXUSR) ? 'x' : '-');
	out[4] = (mode & S_IRGRP) ? 'r' : '-';
	out[5] = (mode & S_IWGRP) ? 'w' : '-';
	out[6] = (mode & S_ISGID) ? ((mode & S_IXGRP) ? 's' : 'S') :
	    ((mode & S_IXGRP) ? 'x' : '-');
	out[7] = (mode & S_IROTH) ? 'r' : '-';
	out[8] = (mode & S_IWOTH) ? 'w' : '-';
	out[9] = (mode & S_ISVTX) ? ((mode & S_IXOTH) ? 't' : 'T') :
	    ((mode & S_IXOTH) ? 'x' : '-');
	out[10] = ' ';
	out[11] = '\0';
}

char *
sftp_longname(const char *name, const struct msb_fs_attrs *a,
    const char *user, const char *group, time_t now)
{
	char mode[12], tbuf[32], lc[16];
	time_t mt = (time_t)a->mtime_sec;
	struct tm tm;
	size_t sz = 0;
	int ulen, glen;

	sftp_strmode(a->mode, mode);
	snprintf(lc, sizeof(lc), "%u", a->nlink);
	if (localtime_r(&mt, &tm) != NULL) {
		if (now - (365 * 24 * 60 * 60) / 2 < mt && now >= mt)
			sz = strftime(tbuf, sizeof(tbuf), "%b %e %H:%M", &tm);
		else
			sz = strftime(tbuf, sizeof(tbuf), "%b %e  %Y", &tm);
	}
	if (sz == 0)
		tbuf[0] = '\0';
	ulen = strlen(user) > 8 ? (int)strlen(user) : 8;
	glen = strlen(group) > 8 ? (int)strlen(group) : 8;
	return xstrfmt("%s %3s %-*s %-*s %8llu %s %s", mode, lc, ulen, user,
	    glen, group, (unsigned long long)a->size, tbuf, name);
}
