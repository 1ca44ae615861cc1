/*
 * The request table: every SFTP request and OpenSSH extension, with its
 * sftp-server name (for -p/-P/-Q), argument layout, whether it writes
 * (refused by -R) and its handler. Extensions are listed in the order
 * OpenSSH advertises them; clients check the version strings exactly.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "ops.h"
#include "sftp.h"

#define F SFTP_HMASK_FILE
#define D SFTP_HMASK_DIR
#define A SFTP_HMASK_ANY

static const struct sftp_op ops[] = {
	/* OPEN checks -R itself: only writing opens are refused */
	{ "open", NULL, NULL, SSH2_FXP_OPEN, "pua", { 0 }, 0, op_open },
	{ "close", NULL, NULL, SSH2_FXP_CLOSE, "h", { A }, 0, op_close },
	{ "read", NULL, NULL, SSH2_FXP_READ, "hqu", { A }, 0, op_read },
	{ "write", NULL, NULL, SSH2_FXP_WRITE, "hqd", { A }, 1, op_write },
	{ "lstat", NULL, NULL, SSH2_FXP_LSTAT, "p", { 0 }, 0, op_lstat },
	{ "fstat", NULL, NULL, SSH2_FXP_FSTAT, "h", { A }, 0, op_fstat },
	{ "setstat", NULL, NULL, SSH2_FXP_SETSTAT, "pa", { 0 }, 1, op_setstat },
	{ "fsetstat", NULL, NULL, SSH2_FXP_FSETSTAT, "ha", { A }, 1,
	  op_fsetstat },
	{ "opendir", NULL, NULL, SSH2_FXP_OPENDIR, "p", { 0 }, 0, op_opendir },
	{ "readdir", NULL, NULL, SSH2_FXP_READDIR, "h", { A }, 0, op_readdir },
	{ "remove", NULL, NULL, SSH2_FXP_REMOVE, "p", { 0 }, 1, op_remove },
	{ "mkdir", NULL, NULL, SSH2_FXP_MKDIR, "pa", { 0 }, 1, op_mkdir },
	{ "rmdir", NULL, NULL, SSH2_FXP_RMDIR, "p", { 0 }, 1, op_rmdir },
	{ "realpath", NULL, NULL, SSH2_FXP_REALPATH, "p", { 0 }, 0,
	  op_realpath },
	{ "stat", NULL, NULL, SSH2_FXP_STAT, "p", { 0 }, 0, op_stat },
	{ "rename", NULL, NULL, SSH2_FXP_RENAME, "pp", { 0 }, 1, op_rename },
	{ "readlink", NULL, NULL, SSH2_FXP_READLINK, "p", { 0 }, 0,
	  op_readlink },
	/* OpenSSH order: target first (stored as given), then the link */
	{ "symlink", NULL, NULL, SSH2_FXP_SYMLINK, "tp", { 0 }, 1, op_symlink },
	/* extensions */
	{ "posix-rename", "posix-rename@openssh.com", "1", 0, "pp", { 0 }, 1,
	  op_posix_rename },
	{ "statvfs", "statvfs@openssh.com", "2", 0, "p", { 0 }, 0, op_statvfs },
	{ "fstatvfs", "fstatvfs@openssh.com", "2", 0, "h", { A }, 0,
	  op_fstatvfs },
	{ "hardlink", "hardlink@openssh.com", "1", 0, "pp", { 0 }, 1,
	  op_hardlink },
	{ "fsync", "fsync@openssh.com", "1", 0, "h", { A }, 1, op_fsync },
	{ "lsetstat", "lsetstat@openssh.com", "1", 0, "pa", { 0 }, 1,
	  op_lsetstat },
	{ "limits", "limits@openssh.com", "1", 0, "", { 0 }, 0, op_limits },
	{ "expand-path", "expand-path@openssh.com", "1", 0, "t", { 0 }, 0,
	  op_expand_path },
	{ "copy-data", "copy-data", "1", 0, "hqqhq", { F, F }, 1,
	  op_copy_data },
	{ "home-directory", "home-directory", "1", 0, "t", { 0 }, 0,
	  op_home_directory },
	{ "users-groups-by-id", "users-groups-by-id@openssh.com", "1", 0, "bb",
	  { 0 }, 0, op_users_groups_by_id },
};

#undef F
#undef D
#undef A

const struct sftp_op *
sftp_ops_all(size_t *n)
{
	*n = sizeof(ops) / sizeof(ops[0]);
	return ops;
}

const struct sftp_op *
sftp_op_by_type(uint8_t type)
{
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (ops[i].ext_name == NULL && ops[i].type == type)
			return &ops[i];
	return NULL;
}

const struct sftp_op *
sftp_op_by_ext(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (ops[i].ext_name != NULL && strcmp(ops[i].ext_name, name) == 0)
			return &ops[i];
	return NULL;
}

const struct sftp_op *
sftp_op_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(ops[i].name, name) == 0)
			return &ops[i];
	return NULL;
}
