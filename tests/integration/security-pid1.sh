#!/bin/sh
# The sandbox's root against the host through PID 1 (the agent) and the
# device nodes: as root the identity map makes the sandbox root the owner
# of host root's files, and it can ptrace PID 1 or open /proc/1/fd/N and
# /proc/1/exe. None of that may reach a host file: not the log, not the
# host's msb-agent binary (chmod u+s of it was a local root exploit), not
# the host's /dev nodes.
. "${MSB_SRCDIR:?}/tests/integration/lib.sh"
need_root "the identity map (sandbox root = host root's files) needs root"
msb_test_init
setup_test_user

# A copy of the agent whose mode and times we can watch.
cp "$MSB_AGENT" "$T/msb-agent"
chmod 755 "$T/msb-agent"
touch -d '2001-01-01 00:00:00' "$T/msb-agent"
agent_stat() { stat -c '%a %U %Y' "$T/msb-agent"; }
before=$(agent_stat)
MSB_AGENT="$T/msb-agent" MSB_SEC_TEST_SECRET=host-secret "$MSB" create p
MSB_AGENT="$T/msb-agent" MSB_SEC_TEST_SECRET=host-secret "$MSB" start p
LOG="$MSB_HOME/sandboxes/p/log"
x() { with_timeout 30 "$MSB" exec p -- "$@"; }

# ---- every fd of PID 1, seen from inside ----
fds=$(x sh -c 'for f in /proc/1/fd/*; do echo "${f##*/} $(readlink "$f")"; done')
n=0
while IFS=' ' read -r fd target; do
	n=$((n + 1))
	case $fd:$target in
	0:/dev/null|*:socket:*|*:anon_inode:*) ;;
	*:) ;;     # closed between readdir and readlink (a connection)
	*) fail "PID 1 holds fd $fd -> $target (a host file?)" ;;
	esac
done <<EOF
$fds
EOF
[ "$n" -ge 4 ] || fail "too few fds of PID 1 seen: $fds"
o1=$(printf '%s\n' "$fds" | sed -n 's/^1 //p')
o2=$(printf '%s\n' "$fds" | sed -n 's/^2 //p')
assert_match '^socket:' "$o2" "PID 1's stderr"
assert_eq "$o2" "$o1" "PID 1's stdout is its stderr"
ok "PID 1 holds only the sandbox's /dev/null, its log socket, sockets, anon inodes"

# ---- and from the host: nothing of the host's file systems ----
AP=$(cut -d' ' -f1 "$MSB_HOME/sandboxes/p/run/pid")
for f in /proc/"$AP"/fd/*; do
	t=$(readlink "$f") || continue
	case ${f##*/}:$t in
	0:/dev/null|*:socket:*|*:anon_inode:*) ;;
	*) fail "host view: PID 1 holds fd ${f##*/} -> $t" ;;
	esac
done
# fd 0 is the sandbox's read-only bind of the host's null device.
assert_eq "$(stat -Lc '%t:%T' /dev/null)" "$(stat -Lc '%t:%T' /proc/"$AP"/fd/0)" \
    "PID 1's stdin is a null device"
ok "host view: PID 1's fds are sockets, anon inodes and the null device"

# cwd and root are the sandbox's /, not a host directory.
assert_eq "$(x stat -c %d:%i /)" "$(x stat -Lc %d:%i /proc/1/cwd)" "PID 1 cwd"
assert_eq "$(x stat -c %d:%i /)" "$(x stat -Lc %d:%i /proc/1/root)" "PID 1 root"
assert_eq "/" "$(x readlink /proc/1/root)" "PID 1 root link"
touch "$T/host-marker"
if x test -e "/proc/1/root$T/host-marker" 2>/dev/null; then
	fail "host's /tmp reachable through /proc/1/root"
fi
ok "PID 1's cwd and root are the sandbox's /"

# exe: readable (it is the agent binary and nothing else), never writable.
assert_eq "$(sha256sum < "$T/msb-agent")" "$(x sh -c 'sha256sum < /proc/1/exe')" \
    "/proc/1/exe is exactly the agent"
out=$(x sh -c 'exec 3>>/proc/1/exe' 2>&1) && fail "opened /proc/1/exe for writing"
assert_match "Text file busy|Read-only|Permission denied" "$out" "write open of exe"
x python3 -c 'import os; os.truncate("/proc/1/exe", 0)' 2>/dev/null &&
    fail "truncated /proc/1/exe"
ok "/proc/1/exe reads as the agent and cannot be opened for writing"

# ---- the log socket: write-only, not reopenable, no host log behind it ----
out=$(x sh -c 'echo x >> /proc/1/fd/2' 2>&1) && fail "reopened PID 1's stderr"
assert_match "No such device or address" "$out" "reopening the log socket"
# A copy taken with pidfd_getfd can write (the lines become the agent's)
# but reads nothing: neither the host's log nor the agent's own lines.
LOGSOCK='
import ctypes, os, socket, sys
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.syscall(438, libc.syscall(434, 1, 0), 2, 0)   # pidfd_getfd
assert fd >= 0, os.strerror(ctypes.get_errno())
s = socket.socket(fileno=fd)
s.setblocking(False)
try:
    print("read:%r" % s.recv(4096))
except OSError as e:
    print("read-error:%s" % e.strerror)
os.write(fd, sys.argv[1].encode())
'
out=$(x python3 -c "$LOGSOCK" \
    "$(printf '2001-01-01T00:00:00 msb-proxy[7]: forged\033[31m\nx')")
assert_eq "read:b''" "$out" "reading the log socket from inside"
wait_until 10 grep -q "forged" "$LOG" || fail "line written to PID 1's stderr not logged"
line=$(grep "forged" "$LOG")
assert_match '^[0-9-]+T[0-9:]+ msb-agent\[[0-9]+\]: 2001-01-01T00:00:00 msb-proxy\[7\]: forged\?\[31m$' \
    "$line" "sandbox bytes are attributed to the agent and sanitised"
if grep -q "$(printf '\033')" "$LOG"; then fail "escape byte reached the log"; fi
ok "the host log is neither readable nor forgeable from inside"

# ---- the agent binary and device nodes: no chmod/chown/touch/xattr ----
for cmd in 'chmod 4755 /proc/1/exe' 'chown 0:0 /proc/1/exe' \
    'touch /proc/1/exe' 'echo x >> /proc/1/exe' 'chmod 600 /proc/1/fd/0'; do
	if x sh -c "$cmd" 2>/dev/null; then fail "inside: '$cmd' succeeded"; fi
done
x python3 -c 'import os; os.setxattr("/proc/1/exe", "user.x", b"1")' \
    2>/dev/null && fail "xattr set on the host's msb-agent"
assert_eq "$before" "$(agent_stat)" "the host's msb-agent is unchanged"
ok "the host's msb-agent cannot be changed through /proc/1/exe"

for d in null zero full random urandom tty; do
	m=$(stat -c %a "/dev/$d")
	if x chmod 600 "/dev/$d" 2>/dev/null; then fail "chmod /dev/$d succeeded"; fi
	assert_eq "$m" "$(stat -c %a "/dev/$d")" "host /dev/$d mode"
done
assert_eq 4 "$(x sh -c 'echo x > /dev/null && head -c 4 /dev/urandom | wc -c')" \
    "devices still usable"
ok "device nodes: usable, but the host's inodes cannot be changed"

# ---- environment: nothing of the starter's reaches the sandbox ----
env1=$(x cat /proc/1/environ | tr '\0' '\n' | grep -v -E '^(PATH|[AUL]SAN_OPTIONS)=' || true)
assert_eq "" "$env1" "PID 1 environment beyond PATH"
case $(x env) in *host-secret*) fail "host environment reached a session" ;; esac
ok "no host environment in PID 1 or its sessions"

# ---- an impostor agent: host clients' fds stay out of reach ----
# The sandbox's root takes PID 1's listening socket (pidfd_getfd), accepts
# a host client (msb exec) and gets its pidfd (SO_PEERPIDFD). It must not
# be able to copy the client's fds (pidfd_getfd: the client is in the
# host's user namespace, the impostor in the sandbox's).
mkdir -p "$T/vol"
cat > "$T/vol/impostor.py" <<'PY'
import ctypes, os, socket
libc = ctypes.CDLL(None, use_errno=True)
pidfd_open = lambda pid: libc.syscall(434, pid, 0)
pidfd_getfd = lambda pfd, fd: libc.syscall(438, pfd, fd, 0)
ls = socket.socket(fileno=pidfd_getfd(pidfd_open(1), 3))
ls.settimeout(30)
open("/vol/ready", "w").close()
c, _ = ls.accept()
pfd = c.getsockopt(socket.SOL_SOCKET, 77)   # SO_PEERPIDFD
res = []
for n in range(64):
    fd = pidfd_getfd(pfd, n)
    res.append("stolen:%d" % n if fd >= 0 else os.strerror(ctypes.get_errno()))
print(sorted(set(res)), flush=True)
PY
"$MSB" create imp -v "$T/vol:/vol"
with_timeout 60 "$MSB" exec imp -- python3 /vol/impostor.py > "$T/imp.out" 2>&1 &
IMP=$!
wait_until 20 test -e "$T/vol/ready" || fail "impostor did not start"
# The real agent competes for the connection: try until the impostor wins.
i=0
while kill -0 "$IMP" 2>/dev/null && [ $i -lt 40 ]; do
	with_timeout 10 "$MSB" exec imp -- true >/dev/null 2>&1 || true
	i=$((i + 1))
done
wait "$IMP" || true
assert_eq "['Operation not permitted']" "$(cat "$T/imp.out")" \
    "pidfd_getfd on a host client by an impostor agent"
ok "an impostor agent cannot copy a host client's file descriptors"

# ---- a set-user-ID agent refuses to run (defence in depth) ----
cp "$MSB_AGENT" "$T/suid-agent"
chmod 4755 "$T/suid-agent"
mkdir -m 777 "$T/u"
set +e
out=$(with_timeout 10 runuser -u "$TEST_USER" -- "$T/suid-agent" --name z \
    --listen "$T/u/s" 2>&1)
rc=$?
set -e
[ "$rc" != 0 ] || fail "set-user-ID agent ran"
assert_match "refusing to run set-user-ID" "$out" "set-user-ID agent message"
ok "a set-user-ID msb-agent refuses to run"

"$MSB" stop p
assert_eq "$before" "$(agent_stat)" "agent unchanged after stop"
