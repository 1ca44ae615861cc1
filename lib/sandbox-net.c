/*
 * UTS and network setup, done by the monitor right after it unshared the
 * sandbox's namespaces (it owns them, the sandbox root does not).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sandbox-int.h"

/* Hostnames are at most 64 bytes; longer sandbox names are cut. */
static int
set_hostname(const char *name, struct msb_error *err)
{
	size_t n = strnlen(name, 64);

	if (sethostname(name, n) != 0)
		return msb_error_sys(err, errno, "sethostname");
	return 0;
}

static int
lo_up(struct msb_error *err)
{
	struct ifreq ifr;
	int s, r = -1;

	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return msb_error_sys(err, errno, "socket");
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) == 0)
			r = 0;
	}
	if (r != 0)
		msb_error_sys(err, errno, "cannot bring up lo");
	close(s);
	return r;
}

/*
 * Per-netns sysctls, as container runtimes set them: any sandbox user may
 * bind low ports and use ICMP echo sockets in the sandbox's own network.
 * Best effort: older kernels lack one or the other.
 */
static void
net_sysctls(void)
{
	static const struct {
		const char *path, *value;
	} tab[] = {
		{ "/proc/sys/net/ipv4/ip_unprivileged_port_start", "0" },
		{ "/proc/sys/net/ipv4/ping_group_range", "0 2147483647" },
	};
	size_t i;
	int fd;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if ((fd = open(tab[i].path, O_WRONLY | O_CLOEXEC)) < 0)
			continue;
		(void)!write(fd, tab[i].value, strlen(tab[i].value));
		close(fd);
	}
}

int
sb_net_setup(const struct sb_launch *l, struct msb_error *err)
{
	if (set_hostname(l->sb->cfg.name, err) != 0)
		return -1;
	if (l->sb->cfg.net_host)
		return 0;
	if (lo_up(err) != 0)
		return -1;
	net_sysctls();
	return 0;
}
