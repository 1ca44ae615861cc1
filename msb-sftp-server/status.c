/* errno -> SFTP status, in one table. */
#include "config.h"

#include <errno.h>
#include <stddef.h>

#include "sftp.h"
#include "status.h"

static const struct {
	int err;
	uint32_t status;
} errno_map[] = {
	{ 0, SSH2_FX_OK },
	{ ENOENT, SSH2_FX_NO_SUCH_FILE },
	{ ENOTDIR, SSH2_FX_NO_SUCH_FILE },
	{ EBADF, SSH2_FX_NO_SUCH_FILE },
	{ ELOOP, SSH2_FX_NO_SUCH_FILE },
	{ EPERM, SSH2_FX_PERMISSION_DENIED },
	{ EACCES, SSH2_FX_PERMISSION_DENIED },
	{ EFAULT, SSH2_FX_PERMISSION_DENIED },
	{ ENAMETOOLONG, SSH2_FX_BAD_MESSAGE },
	{ EINVAL, SSH2_FX_BAD_MESSAGE },
	{ ENOSYS, SSH2_FX_OP_UNSUPPORTED },
};

uint32_t
sftp_status_from_errno(int err)
{
	size_t i;

	for (i = 0; i < sizeof(errno_map) / sizeof(errno_map[0]); i++)
		if (errno_map[i].err == err)
			return errno_map[i].status;
	return SSH2_FX_FAILURE;    /* EEXIST, ENOTEMPTY, EISDIR, ENOSPC... */
}

const char *
sftp_status_message(uint32_t status)
{
	static const char *const msgs[] = {
		"Success", "End of file", "No such file", "Permission denied",
		"Failure", "Bad message", "No connection", "Connection lost",
		"Operation unsupported",
	};

	return status <= SSH2_FX_MAX ? msgs[status] : "Unknown error";
}
