#!/bin/sh
# The sandbox's seccomp filter, probed from inside by a small C program:
# denied system calls fail with EPERM (clone3: ENOSYS, so that libc falls
# back to clone, whose flags the filter can read), no user or cgroup
# namespace can be made, other ABIs (i386 int 0x80, x32) kill the process,
# TIOCSTI/TIOCLINUX are refused (also with high bits set in the request),
# and PID 1 is out of reach for the sandbox's ordinary users.
. "${MSB_SRCDIR:?}/tests/integration/lib.sh"
need_cmd cc
msb_test_init

mkdir -p "$T/probe"
cat > "$T/probe.c" <<'EOF'
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void
report(const char *name, long r)
{
	printf("%s %s\n", name, r >= 0 ? "OK" : strerrorname_np(errno));
}

int
main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	if (strcmp(what, "int80") == 0) {
		long ret = 20;               /* i386 getpid */
		__asm__ volatile ("int $0x80" : "+a"(ret) : : "memory");
		printf("int80 returned %ld\n", ret);
		return 0;
	}
	if (strcmp(what, "x32") == 0) {
		long r = syscall(0x40000000L | SYS_getpid);
		printf("x32 returned %ld\n", r);
		return 0;
	}
	if (strcmp(what, "ptrace1") == 0) {
		report("ptrace1", ptrace(PTRACE_ATTACH, 1, 0, 0));
		report("kill1", kill(1, SIGTERM));
		return 0;
	}
	report("kexec_load", syscall(SYS_kexec_load, 0, 0, 0, 0));
	report("kexec_file_load", syscall(SYS_kexec_file_load, -1, -1, 0, "", 0));
	report("init_module", syscall(SYS_init_module, 0, 0, ""));
	report("finit_module", syscall(SYS_finit_module, -1, "", 0));
	report("delete_module", syscall(SYS_delete_module, "x", 0));
	report("bpf", syscall(SYS_bpf, 0, 0, 0));
	report("perf_event_open", syscall(SYS_perf_event_open, 0, 0, -1, -1, 0));
	report("keyctl", syscall(SYS_keyctl, 0, 0, 0, 0, 0));
	report("add_key", syscall(SYS_add_key, "user", "x", "y", 1, 0));
	report("request_key", syscall(SYS_request_key, "user", "x", 0, 0));
	report("userfaultfd", syscall(SYS_userfaultfd, 0));
	report("open_by_handle_at", syscall(SYS_open_by_handle_at, -1, 0, 0));
	report("acct", syscall(SYS_acct, 0));
	report("swapon", syscall(SYS_swapon, "/x", 0));
	report("swapoff", syscall(SYS_swapoff, "/x"));
	report("quotactl", syscall(SYS_quotactl, 0, 0, 0, 0));
	report("ioperm", syscall(SYS_ioperm, 0, 1, 1));
	report("iopl", syscall(SYS_iopl, 3));
	report("syslog", syscall(SYS_syslog, 3, 0, 0));
	report("io_uring_setup", syscall(SYS_io_uring_setup, 8, &(char[120]){0}));
	report("io_uring_enter", syscall(SYS_io_uring_enter, -1, 0, 0, 0, 0, 0));
	report("io_uring_register", syscall(SYS_io_uring_register, -1, 0, 0, 0));
	report("unshare_user", syscall(SYS_unshare, CLONE_NEWUSER));
	report("unshare_cgroup", syscall(SYS_unshare, CLONE_NEWCGROUP));
	report("clone_user", syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0,
	    0, 0));
	report("clone3", syscall(SYS_clone3, NULL, 0));
	{
		int m = posix_openpt(O_RDWR | O_NOCTTY), s;
		char c = 'x';

		grantpt(m);
		unlockpt(m);
		s = open(ptsname(m), O_RDWR);
		report("tiocsti", syscall(SYS_ioctl, s, TIOCSTI, &c));
		report("tiocsti_hi", syscall(SYS_ioctl, s,
		    (1UL << 32) | TIOCSTI, &c));
		report("tioclinux", syscall(SYS_ioctl, s, TIOCLINUX, &c));
		report("tiocgwinsz", ioctl(s, TIOCGWINSZ, &(char[8]){0}));
	}
	/* Allowed, for contrast: the filter is not simply denying all. */
	report("unshare_mnt", syscall(SYS_unshare, CLONE_NEWNS));
	report("getpid", syscall(SYS_getpid));
	return 0;
}
EOF
cc -O0 -o "$T/probe/probe" "$T/probe.c" || fail "cannot build the probe"

"$MSB" create s -v "$T/probe:/probe:ro"
x() { with_timeout 30 "$MSB" exec "$@"; }
out=$(x s -- /probe/probe)
expect() {  # name result
	assert_match "^$1 $2\$" "$(printf '%s\n' "$out" | grep "^$1 ")" "$1"
}
for c in kexec_load kexec_file_load init_module finit_module delete_module \
    bpf perf_event_open keyctl add_key request_key userfaultfd \
    open_by_handle_at acct swapon swapoff quotactl ioperm iopl syslog \
    io_uring_setup io_uring_enter io_uring_register unshare_user \
    unshare_cgroup clone_user tiocsti tiocsti_hi tioclinux; do
	expect "$c" EPERM
done
expect clone3 ENOSYS
expect tiocgwinsz OK
expect unshare_mnt OK
expect getpid OK
ok "denied system calls and ioctls fail with EPERM, clone3 with ENOSYS"

# Tools as a user would try them.
if x s -- unshare -U true 2>/dev/null; then fail "unshare -U worked"; fi
if x s -- unshare -C true 2>/dev/null; then fail "unshare -C worked"; fi
if x s -- sh -c 'mkdir -p /tmp/cg && mount -t cgroup -o memory none /tmp/cg' \
    2>/dev/null; then fail "a cgroup file system was mounted"; fi
ok "no user or cgroup namespace, no cgroup file system inside"

# Other ABIs are killed (SIGSYS), never run unfiltered.
set +e
x s -- /probe/probe int80 >/dev/null 2>&1; rc1=$?
x s -- /probe/probe x32 >/dev/null 2>&1; rc2=$?
set -e
assert_eq 159 "$rc1" "i386 int 0x80 (killed by SIGSYS)"
assert_eq 159 "$rc2" "x32 system call (killed by SIGSYS)"
ok "i386 and x32 system calls kill the process"

# PID 1 belongs to the sandbox's root, not to its other users (which an
# unprivileged owner only has with a subordinate id range).
if [ "$(id -u)" != 0 ] && { [ "${MSB_SUBIDS:-}" = 0 ] ||
    ! grep -q "^$(id -un):" /etc/subuid 2>/dev/null; }; then
	echo "SKIP part: $TEST_NAME: the sandbox has no user but root (no subordinate ids for $(id -un))"
else
	out=$(x -u nobody -w / s -- /probe/probe ptrace1)
	expect ptrace1 EPERM
	expect kill1 EPERM
	ok "an ordinary sandbox user can neither ptrace nor signal PID 1"
fi
