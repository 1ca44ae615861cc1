/*
 * TCP forwarding that originates inside the sandbox (reference/openssh.md
 * 5.2, option 1). sshd opens the connections of -L/-D/-W and the
 * listeners of -R itself, in its own network namespace, and offers no hook
 * to do it elsewhere; so msb-proxy runs sshd in the sandbox's network
 * namespace, the one of its agent (PID 1). The SSH stream (pipes, or a
 * socket accepted on the host) keeps working across the switch; unix
 * sockets by path (the agent's) are not tied to a network namespace.
 *
 * As root, setns() works directly. Unprivileged, the sandbox's network
 * namespace belongs to the user namespace of the sandbox's monitor (the
 * parent of the agent's), which we created and therefore hold every
 * capability in: join that user namespace (NS_GET_USERNS names it), then
 * the network namespace. accview.c then nests its identity-mapped user
 * namespace inside it, so sshd still runs with the owner's uid.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proxy.h"

/* Is the namespace behind fd the one we are in (/proc/self/ns/KIND)? */
static int
ns_is_ours(int fd, const char *kind)
{
	struct stat a, b;
	char self[64];

	snprintf(self, sizeof(self), "/proc/self/ns/%s", kind);
	return fstat(fd, &a) == 0 && stat(self, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int
netns_enter(struct proxy *px, int *entered, struct msb_error *err)
{
	struct msb_sandbox_status st, again;
	char path[64];
	int netfd, userfd = -1, r = -1;

	*entered = 0;
	if (msb_sandbox_status(px->sb, &st, err) != 0)
		return -1;
	if (!st.running)
		return msb_error_set(err, ESRCH, "sandbox %s stopped",
		    px->opts.name);
	snprintf(path, sizeof(path), "/proc/%ld/ns/net", (long)st.pid);
	if ((netfd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return msb_error_sys(err, errno, "sandbox %s: cannot open %s",
		    px->opts.name, path);
	if (ns_is_ours(netfd, "net")) {
		/* --net host: sshd is in the sandbox's network already. */
		close(netfd);
		return 0;
	}
	/* The owner of the network namespace (close-on-exec fd). */
	if ((userfd = ioctl(netfd, NS_GET_USERNS)) < 0) {
		msb_error_sys(err, errno, "sandbox %s: cannot find the owner of "
		    "its network namespace", px->opts.name);
		goto out;
	}
	if (ns_is_ours(userfd, "user")) {
		close(userfd);
		userfd = -1;
	}
	/*
	 * The fds pin the namespaces we opened through the pid. If that pid
	 * is still the sandbox's agent now, they were its namespaces, not
	 * those of a process that reused the pid.
	 */
	if (msb_sandbox_status(px->sb, &again, err) != 0)
		goto out;
	if (!again.running || again.pid != st.pid) {
		msb_error_set(err, ESRCH, "sandbox %s stopped", px->opts.name);
		goto out;
	}
	if (userfd >= 0 && setns(userfd, CLONE_NEWUSER) != 0) {
		msb_error_sys(err, errno, "sandbox %s: cannot join the user "
		    "namespace that owns its network", px->opts.name);
		goto out;
	}
	if (setns(netfd, CLONE_NEWNET) != 0) {
		msb_error_sys(err, errno, "sandbox %s: cannot join its network "
		    "namespace", px->opts.name);
		goto out;
	}
	*entered = 1;
	r = 0;
out:
	if (userfd >= 0)
		close(userfd);
	close(netfd);
	return r;
}
