/* Filesystem channel worker: placeholder until implemented. */
#include "config.h"

#include <errno.h>

#include "msb/proto.h"
#include "fs-worker.h"

int
fs_worker_main(const struct fs_worker_args *args)
{
	msb_proto_send_error(args->sock, 0, ENOSYS,
	    "filesystem channel not implemented yet");
	return 1;
}
