#!/bin/sh
# The runtime as an unprivileged user (image host: split overlay layout,
# id map through /etc/subuid + newuidmap when available).
. "${MSB_SRCDIR:?}/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/runtime-lib.sh"
need_cmd python3
msb_test_init
setup_test_user
U=$(id -u "$TEST_USER")
UH=$T/userhome
um() { as_test_user "$T/bin/msb" "$@"; }
ux() { as_test_user timeout --kill-after=5 30 "$T/bin/msb" exec "$@"; }

mkdir "$T/vol"
chown "$TEST_USER" "$T/vol"
um create u -v "$T/vol:/vol" -v "$UH:/uh"
[ "$(stat -c %U:%a "$UH/msb")" = "$TEST_USER:700" ] || fail "MSB_HOME not 0700 owned by the user"
um start u
pid=$(um ls | awk '$1 == "u" { print $4 }')
assert_match '^[0-9]+$' "$pid" "pid"
[ "$(stat -c %u /proc/$pid)" = "$U" ] || fail "agent does not run as the user on the host"
assert_eq "0 $U 1" "$(awk 'NR == 1 { print $1, $2, $3 }' /proc/$pid/uid_map)" "sandbox root = the user"
ok "create/start as $TEST_USER; sandbox root is $TEST_USER on the host"

assert_eq 0 "$(ux u -- id -u)" "root inside"
assert_eq u "$(ux u -- hostname)" "hostname"
assert_eq "msb-agent
ps" "$(ux u -- ps -e -o comm=)" "own pid namespace"
assert_eq lo "$(ux u -- ls /sys/class/net)" "own network namespace"
ok "root inside, hostname, pid and network namespaces"

# Writable: the top-level skeleton (e.g. /root), /tmp, volumes; the host's
# own files stay read-only (they belong to ids the sandbox cannot map).
ux u -- sh -c 'echo kept > /root/kept; echo t > /tmp/t'
[ ! -e /root/kept ] || fail "write reached the host's /root"
out=$(ux u -- sh -c 'echo x >> /etc/passwd' 2>&1) && fail "host /etc/passwd writable"
grep -q '^x$' /etc/passwd && fail "host /etc/passwd changed"
ok "writes stay in the sandbox; host-owned files read-only"

# /var/tmp is the sandbox's own: the host's belongs to host root, whom the
# sandbox cannot map (no copy-up possible), and holds other users' files.
hostvt=$(mktemp /var/tmp/msb-host.XXXXXX)
at_exit "rm -f '$hostvt'"
assert_eq "1777 0" "$(ux u -- stat -c '%a %u' /var/tmp)" "mode and owner of /var/tmp"
ux u -- test -e "$hostvt" && fail "the host's /var/tmp is visible"
ux u -- sh -c 'echo vt > /var/tmp/vt'
[ ! -e /var/tmp/vt ] || fail "write reached the host's /var/tmp"
ok "/var/tmp: private, writable, 1777"

ux u -- sh -c 'echo from-sandbox > /vol/f; mkdir /vol/d'
assert_eq "$U" "$(stat -c %u "$T/vol/f")" "volume file owner on the host"
assert_eq from-sandbox "$(cat "$T/vol/f")" "volume content"
echo from-host > "$T/vol/h"
assert_eq from-host "$(ux u -- cat /vol/h)" "host -> sandbox"
ok "volume both ways; files written by sandbox root belong to $TEST_USER"

# MSB_HOME is masked in a volume that contains it, and stays masked.
assert_eq "" "$(ux u -- ls -A /uh/msb)" "MSB_HOME masked"
ux u -- sh -c 'umount /uh/msb 2>/dev/null' && fail "mask unmounted"
ux u -- sh -c 'umount -l /uh/msb 2>/dev/null' && fail "mask detached"
assert_eq "" "$(ux u -- ls -A /uh/msb)" "MSB_HOME still masked"
ok "MSB_HOME masked, mask locked"

out=$(ux u -- python3 -c '
import ctypes, errno
libc = ctypes.CDLL(None, use_errno=True)
r = libc.syscall(250, 0, 0, 0, 0, 0)
print(errno.errorcode.get(ctypes.get_errno(), "?") if r == -1 else "ok")')
assert_eq EPERM "$out" "keyctl"
ok "seccomp filter active"

# Subordinate ids (if configured) and overlay work dirs must not block rm.
if ux u -- sh -c 'chown 1000:1000 /root/kept' 2>/dev/null; then
	ux u -- sh -c 'mkdir -p /root/deep/er && chown -R 1000:1000 /root/deep && chmod 000 /root/deep'
	ok "subordinate ids mapped (files owned by sandbox uid 1000)"
fi

um stop u
assert_match '^u +stopped' "$(um ls | sed -n 2p)" "stopped"
um start u
assert_eq kept "$(ux u -- cat /root/kept)" "survives stop/start"
assert_eq vt "$(ux u -- cat /var/tmp/vt)" "/var/tmp survives stop/start"
ok "stop/start, files persist"

out=$(um rm u 2>&1) && fail "rm of a running sandbox succeeded"
assert_match "is running" "$out" "rm refusal"
um rm --force u
[ ! -e "$UH/msb/sandboxes/u" ] || fail "state left after rm"
[ -z "$(ls -A "$UH/msb/sandboxes")" ] || fail "leftovers: $(ls -A "$UH/msb/sandboxes")"
ok "rm --force removes everything (also subordinate-owned files)"

# Without subordinate ids (MSB_SUBIDS=0, as on hosts without /etc/subuid):
# only the owner is mapped (setgroups denied), and everything still works.
as_test_user env MSB_SUBIDS=0 "$T/bin/msb" create s -v "$T/vol:/vol"
as_test_user env MSB_SUBIDS=0 "$T/bin/msb" start s
pid=$(um ls | awk '$1 == "s" { print $4 }')
assert_eq "0 $U 1" "$(cat /proc/$pid/uid_map | awk '{ print $1, $2, $3 }')" "single map"
assert_eq "0 s" "$(ux s -- sh -c 'echo $(id -u) $(hostname)')" "root inside"
ux s -- sh -c 'echo single > /vol/single; echo vt > /var/tmp/vt'
assert_eq vt "$(ux s -- cat /var/tmp/vt)" "/var/tmp with a single map"
assert_eq "$U" "$(stat -c %u "$T/vol/single")" "owner of a volume file"
out=$(ux -t s -- sh -c 'tty' </dev/null | tr -d '\r')
assert_match '^/dev/pts/[0-9]+$' "$out" "pty with a single map"
as_test_user env MSB_SUBIDS=0 "$T/bin/msb" rm --force s
[ ! -e "$UH/msb/sandboxes/s" ] || fail "state left after rm"
ok "single-id map (no subordinate ids): start, exec, pty, volume, rm"

# --image DIR unprivileged: a rootfs owned by the user is fully writable by
# the sandbox root (like one from mmdebstrap --mode=unshare).
make_rootfs "$T/rootfs"
echo image > "$T/rootfs/etc/from-image"
chown -R "$TEST_USER:$(id -g "$TEST_USER")" "$T/rootfs"
um create img --image "$T/rootfs"
assert_eq image "$(ux img -- cat /etc/from-image)" "image content"
ux img -- sh -c 'echo changed > /etc/from-image; touch /etc/new'
assert_eq image "$(cat "$T/rootfs/etc/from-image")" "image unchanged on the host"
assert_eq changed "$(ux img -- cat /etc/from-image)" "write through the overlay"
ux img -- test -e /usr/bin/python3 && fail "host files visible in the image"
um rm --force img
ok "--image DIR unprivileged: writable through the overlay, image untouched"
