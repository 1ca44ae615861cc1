/* Request handlers of msb-sftp-server, one group per file. */
#ifndef MSB_SFTP_OPS_H
#define MSB_SFTP_OPS_H

#include "server.h"

/* h-file.c: handles on files; data moves locally with pread/pwrite */
void op_open(struct srv *, struct sftp_req *);
void op_close(struct srv *, struct sftp_req *);
void op_read(struct srv *, struct sftp_req *);
void op_write(struct srv *, struct sftp_req *);
void op_fstat(struct srv *, struct sftp_req *);
void op_fsetstat(struct srv *, struct sftp_req *);
void op_fsync(struct srv *, struct sftp_req *);
void op_fstatvfs(struct srv *, struct sftp_req *);
void op_copy_data(struct srv *, struct sftp_req *);

/* h-path.c: path operations, performed by the worker in the sandbox */
void op_lstat(struct srv *, struct sftp_req *);
void op_stat(struct srv *, struct sftp_req *);
void op_setstat(struct srv *, struct sftp_req *);
void op_lsetstat(struct srv *, struct sftp_req *);
void op_remove(struct srv *, struct sftp_req *);
void op_mkdir(struct srv *, struct sftp_req *);
void op_rmdir(struct srv *, struct sftp_req *);
void op_realpath(struct srv *, struct sftp_req *);
void op_rename(struct srv *, struct sftp_req *);
void op_posix_rename(struct srv *, struct sftp_req *);
void op_readlink(struct srv *, struct sftp_req *);
void op_symlink(struct srv *, struct sftp_req *);
void op_hardlink(struct srv *, struct sftp_req *);
void op_statvfs(struct srv *, struct sftp_req *);

/* h-dir.c */
void op_opendir(struct srv *, struct sftp_req *);
void op_readdir(struct srv *, struct sftp_req *);

/* h-ext.c: the remaining OpenSSH extensions */
void op_limits(struct srv *, struct sftp_req *);
void op_expand_path(struct srv *, struct sftp_req *);
void op_home_directory(struct srv *, struct sftp_req *);
void op_users_groups_by_id(struct srv *, struct sftp_req *);

/* Shared by handlers: SFTP ATTRS -> filesystem-channel SETATTRS. */
struct msb_fs_setattrs;
void setattrs_from_sftp(struct msb_fs_setattrs *s, const struct sftp_attrs *a);
/* Continuations shared by several handlers. */
void done_ok(struct srv *, struct wreq *, struct msb_frame *);
void done_attrs(struct srv *, struct wreq *, struct msb_frame *);
void done_statvfs(struct srv *, struct wreq *, struct msb_frame *);
void done_name1(struct srv *, struct wreq *, struct msb_frame *);
/* Log a SETATTRS change like sftp-server ("set \"x\" mode 0644"). */
void log_setstat(const char *name, const struct sftp_attrs *a);

#endif
