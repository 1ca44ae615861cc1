/* The "ls -l" line of a READDIR entry, exactly as sftp-server makes it. */
#ifndef MSB_SFTP_LONGNAME_H
#define MSB_SFTP_LONGNAME_H

#include <stdint.h>
#include <time.h>

struct msb_fs_attrs;

/*
 * "drwxr-xr-x    2 root     root         4096 Dec  3 16:34 sub": mode,
 * links, user and group (names from the sandbox, width >= 8), size, then
 * "%b %e %H:%M" for an mtime within the last six months (else
 * "%b %e  %Y"), then the name. now is the current time. Returns a heap
 * string.
 */
char *sftp_longname(const char *name, const struct msb_fs_attrs *a,
    const char *user, const char *group, time_t now);
/* strmode(3): 10 type/permission characters and a space, NUL-terminated. */
void sftp_strmode(uint32_t mode, char out[12]);

#endif
