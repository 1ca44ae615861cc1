/*
 * The sandbox's seccomp filter: a raw BPF denylist installed by init just
 * before it becomes msb-agent, inherited by everything in the sandbox.
 *
 * Installed without PR_SET_NO_NEW_PRIVS (init is root of its user namespace,
 * which the kernel accepts), so setuid programs inside (su, sudo) still work.
 * Only native x86_64 calls are allowed; other ABIs (i386, x32) kill the
 * process, so the table below cannot be bypassed through them.
 */
#include "config.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include "sandbox-int.h"

#if !defined(__x86_64__)
#error "the sandbox seccomp filter supports x86_64 only"
#endif

#define X32_SYSCALL_BIT 0x40000000u

/* Kernel attack surface the sandbox never needs (EPERM, like Docker). */
static const unsigned denied[] = {
	SYS_kexec_load, SYS_kexec_file_load, SYS_init_module, SYS_finit_module,
	SYS_delete_module, SYS_bpf, SYS_perf_event_open, SYS_keyctl,
	SYS_add_key, SYS_request_key, SYS_userfaultfd, SYS_open_by_handle_at,
	SYS_acct, SYS_swapon, SYS_swapoff, SYS_lookup_dcookie, SYS_quotactl,
	SYS_quotactl_fd, SYS_ioperm, SYS_iopl, SYS_syslog, SYS_uselib,
	/* A large, often vulnerable kernel surface; programs fall back. */
	SYS_io_uring_setup, SYS_io_uring_enter, SYS_io_uring_register,
};

/* Syscalls whose first argument is a clone flags word. */
static const unsigned flag_checked[] = { SYS_clone, SYS_unshare };

/*
 * Namespaces the sandbox may not create: a user namespace reopens kernel
 * attack surface, and a cgroup namespace of its own would let its root
 * mount a cgroup file system rooted at its cgroup, which the identity map
 * lets it write (its limits, or a host cgroup where it has none).
 */
#define CLONE_DENIED (CLONE_NEWUSER | CLONE_NEWCGROUP)

/*
 * ioctls on terminals the sandbox may be handed (msb exec without a pty
 * passes the caller's fds): no faking input into the host's terminal
 * (TIOCSTI) nor console tricks (TIOCLINUX). The kernel compares only the
 * low 32 bits of the request, so the filter does too.
 */
static const unsigned denied_ioctls[] = { TIOCSTI, TIOCLINUX };

#define ALLOW   BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
#define DENY(e) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((e) & 0xffff))
#define KILL    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS)

#define NDENIED (sizeof(denied) / sizeof(denied[0]))
#define NFLAG (sizeof(flag_checked) / sizeof(flag_checked[0]))
#define NIOCTL (sizeof(denied_ioctls) / sizeof(denied_ioctls[0]))
#define PROG_MAX (6 + 2 * NDENIED + 2 + 5 * NFLAG + 3 + 2 * NIOCTL + 1)

int
sb_seccomp_install(struct msb_error *err)
{
	struct sock_filter f[PROG_MAX];
	struct sock_fprog prog;
	size_t n = 0, i;

	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    AUDIT_ARCH_X86_64, 1, 0);
	f[n++] = (struct sock_filter)KILL;
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, nr));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
	    X32_SYSCALL_BIT, 0, 1);
	f[n++] = (struct sock_filter)KILL;
	for (i = 0; i < NDENIED; i++) {
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    denied[i], 0, 1);
		f[n++] = (struct sock_filter)DENY(EPERM);
	}
	/* clone3 passes its flags in memory BPF cannot read: make glibc
	 * fall back to clone, whose flags it can. */
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    SYS_clone3, 0, 1);
	f[n++] = (struct sock_filter)DENY(ENOSYS);
	for (i = 0; i < NFLAG; i++) {
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    flag_checked[i], 0, 4);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, args[0]));
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K,
		    CLONE_DENIED, 0, 1);
		f[n++] = (struct sock_filter)DENY(EPERM);
		f[n++] = (struct sock_filter)ALLOW;
	}
	/* ioctl: the low word of args[1] (x86_64 is little-endian). */
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    SYS_ioctl, 0, (unsigned char)(2 * NIOCTL + 1));
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, args[1]));
	for (i = 0; i < NIOCTL; i++) {
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    denied_ioctls[i], 0, 1);
		f[n++] = (struct sock_filter)DENY(EPERM);
	}
	f[n++] = (struct sock_filter)ALLOW;
	prog.len = (unsigned short)n;
	prog.filter = f;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0)
		return msb_error_sys(err, errno, "cannot install the seccomp "
		    "filter");
	return 0;
}
