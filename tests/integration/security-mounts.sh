#!/bin/sh
# What the sandbox sees of the host's mounts, and that the runtime's masks
# stay: nothing of the host's /tmp, /run, /dev/shm or other ptys, only the
# listed device nodes, /proc and /sys hardened, $MSB_HOME (also through a
# symlink) and ~/.msb hidden, and no umount, lazy umount, move, remount or
# new mount namespace takes a mask away.
. "${MSB_SRCDIR:?}/tests/integration/lib.sh"
need_root "runs sandboxes of the host image"
need_cmd python3
msb_test_init

# State dirs the host image shows (not below /tmp, which is the sandbox's
# own tmpfs), one of them reached through a symlink.
V=$(mktemp -d /var/tmp/msb-sec.XXXXXX)
MSB_TEST_EXTRA_HOMES="$V/real $V"
mkdir -m 700 "$V/real"
ln -s real "$V/link"
export MSB_HOME="$V/link"
echo secret > "$V/real/marker"

# Host things that must stay invisible.
tag="msb-sec-$$"
echo x > "/tmp/$tag"; echo x > "/run/$tag"; echo x > "/dev/shm/$tag"
python3 -c 'import os, time; m, s = os.openpty(); print(os.ttyname(s), flush=True); time.sleep(120)' > "$T/pty" &
PTYPID=$!
at_exit 'kill $PTYPID; rm -f "/tmp/$tag" "/run/$tag" "/dev/shm/$tag"'
wait_until 10 test -s "$T/pty" || fail "no host pty"
hostpty=$(cat "$T/pty")

"$MSB" create m
x() { with_timeout 30 "$MSB" exec m -- "$@"; }
for p in "/tmp/$tag" "/run/$tag" "/dev/shm/$tag" "$hostpty"; do
	if x test -e "$p"; then fail "host $p visible inside"; fi
done
assert_eq "ptmx" "$(x ls /dev/pts)" "a private devpts instance"
assert_eq "fd full null ptmx pts random shm stderr stdin stdout tty urandom zero" \
    "$(x ls /dev | tr '\n' ' ' | sed 's/ $//')" "device nodes"
ok "no host /tmp, /run, /dev/shm or ptys; only the listed devices"

# $MSB_HOME: through its real path and through the symlink.
assert_eq "" "$(x ls -A "$V/real")" "MSB_HOME (real path) inside"
assert_eq "" "$(x ls -A "$V/link/")" "MSB_HOME (symlink) inside"
assert_eq "" "$(x ls -A /root/.msb 2>/dev/null || true)" "~/.msb inside"
if x cat "$V/real/marker" 2>/dev/null; then fail "state file readable"; fi
ok "MSB_HOME hidden, also when it is a symlink"

# The same state directory reached under another path: MSB_HOME a bind
# mount of a data directory, which the host image also shows.
mkdir -m 700 "$V/data" "$V/bound"
echo secret > "$V/data/marker"
mount --bind "$V/data" "$V/bound"
at_exit 'MSB_HOME="$V/bound" "$MSB" rm --force b; umount "$V/bound"'
MSB_HOME="$V/bound" "$MSB" create b
y() { MSB_HOME="$V/bound" with_timeout 30 "$MSB" exec b -- "$@"; }
assert_eq "" "$(y ls -A "$V/bound")" "MSB_HOME (bind mount) inside"
if y cat "$V/data/marker" 2>/dev/null; then
	fail "state reachable through the bind mount's source"; fi
assert_eq "secret" "$(cat "$V/data/marker")" "host still sees its state"
MSB_HOME="$V/bound" "$MSB" rm --force b
# Another test's namespace may hold a propagated copy for a moment.
wait_until 10 umount "$V/bound" || fail "bind mount still busy 10 s after msb rm"
ok "MSB_HOME hidden also under the path its bind mount comes from"

# /proc and /sys.
if x sh -c 'echo 1 > /proc/sys/kernel/sysrq' 2>/dev/null; then
	fail "/proc/sys writable"; fi
if x sh -c 'echo h > /proc/sysrq-trigger' 2>/dev/null; then
	fail "/proc/sysrq-trigger writable"; fi
if x sh -c 'echo 1 > /sys/kernel/uevent_helper' 2>/dev/null; then
	fail "/sys writable"; fi
# Masked where the kernel has them (no kcore on some kernels).
for f in keys timer_list kcore sched_debug; do
	[ -e "/proc/$f" ] || continue
	[ -n "$(head -c 100 "/proc/$f" 2>/dev/null)" ] ||
	    [ "$f" = kcore ] || fail "host /proc/$f is empty: no contrast"
	assert_eq "" "$(x head -c 100 "/proc/$f" 2>/dev/null || true)" "/proc/$f masked"
done
ok "/proc/sys, sysrq-trigger, /sys read-only; /proc/keys, timer_list masked"

# The masks cannot be taken away, not even in a new mount namespace.
for cmd in "umount $V/real" "umount -l $V/real" "umount /proc/kcore" \
    "umount -l /proc/sys" "umount /dev/null" "umount /etc/hosts" \
    "mount --move $V/real /mnt" "mount -o remount,rw /proc/sys" \
    "mount -o remount,rw,bind /dev/null" \
    "unshare -m sh -c 'umount -l $V/real && ls -A $V/real | grep -q marker'" \
    "unshare -m sh -c 'mount --make-rprivate / && umount -l /proc/sys && echo 1 > /proc/sys/kernel/sysrq'"; do
	if x sh -c "$cmd" >/dev/null 2>&1; then fail "inside: '$cmd' succeeded"; fi
done
assert_eq "" "$(x ls -A "$V/real")" "MSB_HOME still hidden"
ok "umount, umount -l, mount --move, remount, unshare -m: masks stay"

# chroot/pivot_root do not lead anywhere new: the old root is gone.
assert_eq "/" "$(x sh -c 'cd / && cd .. && pwd')" "/.. is /"
if x sh -c "mkdir -p /tmp/nr && unshare -m sh -c 'mount -t tmpfs t /tmp/nr && mkdir /tmp/nr/old && cd /tmp/nr && pivot_root . old && ls /old$V/real | grep -q marker'" \
    >/dev/null 2>&1; then fail "pivot_root revealed MSB_HOME"; fi
ok "pivot_root inside a new mount namespace reveals nothing"
