/* AF_UNIX addresses for long paths (see sockaddr.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sockaddr.h"

int
msb_sockaddr_un(const char *path, struct sockaddr_un *sun, int *dirfd)
{
	const char *slash;
	char *dir;
	int fd, n;

	*dirfd = -1;
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) < sizeof(sun->sun_path)) {
		memcpy(sun->sun_path, path, strlen(path));
		return 0;
	}
	if ((slash = strrchr(path, '/')) == NULL ||
	    strlen(slash) + 32 >= sizeof(sun->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((dir = strndup(path, slash == path ? 1 : (size_t)(slash - path)))
	    == NULL)
		return -1;
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	n = snprintf(sun->sun_path, sizeof(sun->sun_path), "/proc/self/fd/%d%s",
	    fd, slash);
	if (n < 0 || (size_t)n >= sizeof(sun->sun_path)) {
		close(fd);
		errno = ENAMETOOLONG;
		return -1;
	}
	*dirfd = fd;
	return 0;
}
