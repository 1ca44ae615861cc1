/*
 * AF_UNIX addresses for paths of any length (internal to libmsb).
 * sun_path holds 108 bytes, but $MSB_HOME/sandboxes/NAME/run/agent.sock can
 * be longer; such paths are reached through /proc/self/fd/DIRFD/NAME with
 * the directory opened O_PATH.
 */
#ifndef MSB_SOCKADDR_H
#define MSB_SOCKADDR_H

#include <sys/un.h>

/*
 * Fill *sun for path. *dirfd is -1, or a directory fd to close after
 * bind()/connect(). Returns 0, or -1 with errno (ENAMETOOLONG when even the
 * /proc form does not fit, or the error of opening the directory).
 */
int msb_sockaddr_un(const char *path, struct sockaddr_un *sun, int *dirfd);

#endif
