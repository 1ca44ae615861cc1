#!/bin/sh
# Sandbox lifecycle as root: create/ls/inspect/start/stop/rm, refusals, and
# what the sandbox sees (hostname, processes, its own files, network, the
# state dir mask, seccomp).
. "${MSB_SRCDIR:?}/tests/integration/lib.sh"
need_root "builds namespaces with an overlay of the host root"
need_cmd python3
msb_test_init

# A state dir the host image shows (/tmp is a fresh tmpfs inside), so the
# mask over it is really exercised.
H=$(mktemp -d /var/tmp/msb-rt-home.XXXXXX)
MSB_TEST_EXTRA_HOMES=$H      # cleanup removes its sandboxes, then the dir
export MSB_HOME=$H

M=$MSB
x() { with_timeout 30 "$M" exec a -- "$@"; }

# ---- refusals write nothing ----
for bad in 'bad name' -x .x 'a/b' "$(printf 'n%.0s' $(seq 129))"; do
	set +e
	out=$("$M" create -- "$bad" 2>&1); rc=$?
	set -e
	assert_eq 2 "$rc" "create '$bad': a usage error"
	assert_match "invalid sandbox name" "$out" "create '$bad' message"
	[ ! -e "$MSB_HOME/sandboxes" ] || [ -z "$(ls -A "$MSB_HOME/sandboxes")" ] ||
	    fail "create '$bad' left state: $(ls -A "$MSB_HOME/sandboxes")"
done
ok "invalid names refused, nothing written"
set +e
"$M" create >/dev/null 2>&1; rc=$?
set -e
assert_eq 2 "$rc" "create without a name is a usage error"
for cmd in start stop rm inspect exec; do
	set +e
	out=$("$M" $cmd 2>&1); rc=$?
	set -e
	assert_eq 2 "$rc" "$cmd without a name"
	assert_match "usage: msb $cmd" "$out" "$cmd usage"
done
ok "missing name: usage error (2) everywhere"
for cmd in start stop rm inspect; do
	set +e
	out=$("$M" $cmd nosuch 2>&1); rc=$?
	set -e
	assert_eq 1 "$rc" "$cmd of a missing sandbox"
	assert_eq "msb: sandbox 'nosuch' does not exist" "$out" "$cmd message"
done
ok "missing sandbox: clear error, exit 1"
"$M" create --help | grep -q -- '--sftp-read-only' || fail "create --help"
"$M" exec --help | grep -q -- '--workdir' || fail "exec --help"

# ---- create / ls / inspect ----
"$M" create a
"$M" create b --user nobody
out=$("$M" create a 2>&1) && fail "duplicate create succeeded"
assert_eq "msb: sandbox 'a' already exists" "$out" "duplicate message"
[ "$(stat -c %a "$MSB_HOME")" = 700 ] || fail "MSB_HOME is not 0700"
[ "$(stat -c %a "$MSB_HOME/sandboxes/a")" = 700 ] || fail "sandbox dir not 0700"
[ "$(stat -c %a "$MSB_HOME/sandboxes/a/config")" = 600 ] || fail "config not 0600"
assert_eq "a
b" "$("$M" ls -q)" "ls -q"
out=$("$M" ls)
assert_match '^NAME +STATE +IMAGE +PID +CREATED$' "$(echo "$out" | head -1)" "ls header"
assert_match '^a +stopped +host +- +[0-9]{4}-' "$(echo "$out" | sed -n 2p)" "ls row"
out=$("$M" inspect b)
assert_match '^state: stopped$' "$out" "inspect state"
assert_match '^user: nobody$' "$out" "inspect user"
assert_match '^image: host$' "$out" "inspect image"
ok "create, ls, inspect"

# ---- start ----
"$M" start a > "$T/start.out"
[ ! -s "$T/start.out" ] || fail "start printed on stdout: $(cat "$T/start.out")"
"$M" start a    # idempotent
out=$("$M" ls)
pid=$(echo "$out" | awk '$1 == "a" { print $4 }')
assert_match '^[0-9]+$' "$pid" "pid in ls"
assert_match '^a +running' "$(echo "$out" | sed -n 2p)" "ls running"
assert_match "^pid: $pid\$" "$("$M" inspect a)" "inspect pid"
[ -S "$MSB_HOME/sandboxes/a/run/agent.sock" ] || fail "no agent socket"
[ "$(stat -c %a "$MSB_HOME/sandboxes/a/run")" = 700 ] || fail "run dir not 0700"
ok "start (quiet, idempotent), running state"

# ---- what the sandbox sees ----
assert_eq a "$(x hostname)" "hostname"
assert_eq a "$(x cat /etc/hostname)" "/etc/hostname"
assert_match '^127\.0\.0\.1.*localhost a$' "$(x cat /etc/hosts)" "/etc/hosts"
procs=$(x ps -e -o pid=,comm=)
assert_eq "msb-agent
ps" "$(echo "$procs" | awk '{ print $2 }')" "ps shows only the sandbox"
assert_eq 1 "$(echo "$procs" | awk '$2 == "msb-agent" { print $1 }')" "agent is PID 1"
[ "$(x ls /proc | grep -c '^[0-9]')" -le 3 ] || fail "/proc shows other pids"
ok "hostname, /etc/hosts, own pid namespace"

assert_eq lo "$(x ls /sys/class/net)" "only lo in /sys/class/net"
flags=$(x cat /sys/class/net/lo/flags)
[ $(( flags & 1 )) = 1 ] || fail "lo is not up (flags $flags)"
assert_eq lo "$(x sh -c "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '")" "/proc/net/dev"
ok "own network namespace: lo up, nothing else"

# --net host: the host's interfaces, /sys read-only.
"$M" create n --net host
assert_match '^net: host$' "$("$M" inspect n)" "inspect net"
assert_eq "$(ls /sys/class/net | sort)" "$("$M" exec n -- ls /sys/class/net | sort)" "host interfaces"
"$M" exec n -- sh -c 'echo > /sys/fs/cgroup/x' 2>/dev/null && fail "/sys writable with --net host"
assert_eq n "$("$M" exec n -- hostname)" "hostname with --net host"
"$M" rm --force n
ok "--net host: host interfaces, /sys read-only, own hostname"

x sh -c 'echo sandbox-data > /root/only-in-a; echo x > /etc/msb-test-file'
[ ! -e /root/only-in-a ] || fail "sandbox write reached the host's /root"
[ ! -e /etc/msb-test-file ] || fail "sandbox write reached the host's /etc"
"$M" exec -u root b -- test -e /root/only-in-a && fail "sandbox b sees a's file"
ok "writes stay in the sandbox (not on the host, not in another sandbox)"

# $MSB_HOME (and so other sandboxes' upper dirs and sockets) is masked.
assert_eq "" "$(x ls -A "$MSB_HOME")" "MSB_HOME is empty inside"
x test -e "$H/sandboxes" && fail "state dir visible inside"
x sh -c "umount '$MSB_HOME' 2>/dev/null" && fail "mask could be unmounted"
x sh -c "umount -l '$MSB_HOME' 2>/dev/null" && fail "mask could be detached"
x sh -c "mount --move '$MSB_HOME' /mnt 2>/dev/null" && fail "mask could be moved"
assert_eq "" "$(x ls -A "$MSB_HOME")" "MSB_HOME still empty"
ok "MSB_HOME masked; the mask cannot be unmounted, detached or moved"

x sh -c 'umount /proc/sys 2>/dev/null' && fail "/proc/sys unmounted"
x sh -c 'echo x > /proc/sys/kernel/hostname 2>/dev/null' && fail "/proc/sys writable"
x sh -c 'echo 1 > /proc/sysrq-trigger 2>/dev/null' && fail "sysrq-trigger writable"
assert_eq "" "$(x ls -A /sys/firmware)" "/sys/firmware hidden"
ok "/proc/sys and sysrq-trigger read-only and locked; /sys/firmware hidden"

out=$(x python3 -c '
import ctypes, errno, os
libc = ctypes.CDLL(None, use_errno=True)
def call(nr, *args):
    r = libc.syscall(nr, *args)
    return errno.errorcode.get(ctypes.get_errno(), "?") if r == -1 else "ok"
print("keyctl", call(250, 0, 0, 0, 0, 0))         # KEYCTL_GET_KEYRING_ID
print("unshare-user", call(272, 0x10000000))      # CLONE_NEWUSER
print("bpf", call(321, 0, 0, 0))
')
assert_eq "keyctl EPERM
unshare-user EPERM
bpf EPERM" "$out" "seccomp denials"
assert_match '^Seccomp:[[:space:]]+2$' "$(x grep Seccomp: /proc/self/status)" "filter mode"
x unshare -m true || fail "a mount namespace inside is allowed"
ok "seccomp: keyctl/bpf/user namespaces EPERM, other namespaces allowed"

# ---- persistence across stop/start ----
"$M" stop a
assert_match '^a +stopped' "$("$M" ls | sed -n 2p)" "stopped after stop"
[ ! -e "$MSB_HOME/sandboxes/a/run/pid" ] || wait_until 5 test ! -e "$MSB_HOME/sandboxes/a/run/pid" ||
    fail "run/pid left behind"
kill -0 "$pid" 2>/dev/null && fail "agent $pid still alive after stop"
"$M" stop a    # stopping a stopped sandbox is fine
"$M" start a
assert_eq sandbox-data "$(x cat /root/only-in-a)" "file survives stop/start"
ok "stop; files survive stop/start"

# Concurrent starts start it once (one "started" line in its log).
"$M" stop a
before=$(grep -c "sandbox 'a' started" "$MSB_HOME/sandboxes/a/log")
"$M" start a & p1=$!
"$M" start a & p2=$!
"$M" start a & p3=$!
wait $p1 || fail "concurrent start 1"
wait $p2 || fail "concurrent start 2"
wait $p3 || fail "concurrent start 3"
after=$(grep -c "sandbox 'a' started" "$MSB_HOME/sandboxes/a/log")
assert_eq $((before + 1)) "$after" "starts recorded in the log"
ok "concurrent starts start the sandbox once"

# -t 0: SIGKILL right after SIGTERM.
"$M" stop -t 0 a
assert_match '^a +stopped' "$("$M" ls | sed -n 2p)" "stop -t 0"
ok "stop -t 0"

# A start that fails reports why, and leaves the sandbox stopped and usable.
"$M" stop a
set +e
out=$(MSB_AGENT=/bin/false "$M" start a 2>&1); rc=$?
set -e
assert_eq 1 "$rc" "start with an agent that exits"
assert_match "sandbox 'a' exited while starting" "$out" "failed start message"
set +e
out=$(MSB_AGENT=/nonexistent/msb-agent "$M" start a 2>&1); rc=$?
set -e
assert_eq 1 "$rc" "start without an agent"
assert_match "cannot open the agent /nonexistent/msb-agent" "$out" "missing agent message"
assert_match '^a +stopped' "$("$M" ls | sed -n 2p)" "stopped after failed starts"
"$M" start a
assert_eq sandbox-data "$(x cat /root/only-in-a)" "usable after failed starts"
ok "failed starts: clear message, sandbox stays stopped and usable"

# ---- renaming the image's directories (root: overlay redirect_dir) ----
"$M" start a
x sh -c 'mv /opt /opt-moved && mkdir -p /usr/share/doc/tar/x &&
    mv /usr/share/doc/tar /usr/share/doc/tar-moved' ||
    fail "rename of image directories inside the sandbox"
"$M" stop a
"$M" start a
assert_eq "/opt-moved /usr/share/doc/tar-moved/x" \
    "$(x sh -c 'ls -d /opt-moved /usr/share/doc/tar-moved/x | tr "\n" " " | sed "s/ $//"')" \
    "renamed directories after a restart"
if x test -e /opt; then fail "/opt still there after its rename"; fi
[ -d /opt ] && [ -d /usr/share/doc/tar ] && [ ! -e /opt-moved ] ||
    fail "the rename reached the host"
ok "directories of the image can be renamed (no EXDEV), persist, host untouched"

# ---- rm ----
out=$("$M" rm a 2>&1) && fail "rm of a running sandbox succeeded"
assert_eq "msb: sandbox 'a' is running (stop it first or use --force)" "$out" "rm message"
[ -d "$MSB_HOME/sandboxes/a" ] || fail "refused rm removed state"
"$M" rm --force a
[ ! -e "$MSB_HOME/sandboxes/a" ] || fail "rm --force left state"
"$M" stop b
"$M" rm b
assert_eq "" "$("$M" ls -q)" "ls -q after rm"
assert_eq "NAME  STATE  IMAGE  PID  CREATED" "$("$M" ls)" "empty ls is just the header"
[ -z "$(ls -A "$MSB_HOME/sandboxes")" ] || fail "leftovers: $(ls -A "$MSB_HOME/sandboxes")"
ok "rm refuses a running sandbox, rm --force stops and removes"
