/*
 * Filesystem channel worker (PROTOCOL.md 4.3). The agent forks a child per
 * filesystem connection after it has parsed a valid HELLO with channel 2,
 * and calls fs_worker_main() in that child.
 */
#ifndef MSB_AGENT_FS_WORKER_H
#define MSB_AGENT_FS_WORKER_H

#include <stdint.h>

struct fs_worker_args {
	int sock;                  /* the connection (blocking, CLOEXEC) */
	const char *user;          /* requested user; "" = default_user */
	const char *default_user;  /* the sandbox's default user */
	const char *sandbox;       /* sandbox name, for HELLO_OK */
	uint32_t version;          /* negotiated protocol version */
};

/*
 * Switch to the user (sandbox /etc/passwd and /etc/group), chdir to its
 * home, reply HELLO_OK (or ERROR and return non-zero), then serve requests
 * until EOF. Returns the exit status for the child's _exit().
 */
int fs_worker_main(const struct fs_worker_args *args);

#endif
