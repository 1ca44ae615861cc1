/* Path canonicalisation with the semantics of OpenSSH's sftp-server. */
#ifndef MSB_AGENT_FS_PATH_H
#define MSB_AGENT_FS_PATH_H

/*
 * Resolve path like sftp-server's realpath: "" and "." are the working
 * directory; ".", ".." and "//" are collapsed; symlinks are followed; the
 * last component may be missing (every earlier one must exist). Returns a
 * heap string, or NULL with errno set (ENOENT, ENOTDIR, ELOOP, EACCES,
 * ENAMETOOLONG when the result would reach PATH_MAX, ENOMEM).
 */
char *fs_realpath(const char *path);

#endif
