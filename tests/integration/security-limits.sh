#!/bin/sh
# Resource limits ($dir/limits -> cgroups, root only): a memory hog is
# OOM-killed, a fork bomb hits the process limit, CPU time is capped, the
# agent and other sandboxes carry on, the sandbox cannot raise its limits,
# the cgroups go away at stop; bad or unenforceable limits fail the start.
. "${MSB_SRCDIR:?}/tests/integration/lib.sh"
need_root "cgroup limits need root"
need_cmd python3
msb_test_init

mempath=$(sed -n 's/^[0-9]*:\([^:]*,\)\{0,1\}memory\(,[^:]*\)\{0,1\}:\(.*\)$/\3/p' /proc/self/cgroup)
memroot=$(awk '$9 == "cgroup" && $NF ~ /(^|[,])memory([,]|$)/ { print $5; exit }' /proc/self/mountinfo)
[ -n "$memroot" ] || skip "no cgroup v1 memory hierarchy mounted here"
memdir="$memroot${mempath%/}"

"$MSB" create lim --memory 64M --pids 40 --cpus 0.5
"$MSB" create other
"$MSB" start lim other
x() { with_timeout 60 "$MSB" exec "$@"; }

# The limits are where the sandbox's processes are, below our own cgroup.
cg=$(ls -d "$memdir"/msb-lim.* 2>/dev/null | head -n 1)
[ -n "$cg" ] || fail "no memory cgroup msb-lim.* below $memdir"
assert_eq 67108864 "$(cat "$cg/memory.limit_in_bytes")" "memory limit"
assert_match ':memory:/$' "$(x lim grep memory /proc/self/cgroup)" \
    "cgroup namespace rooted at the limit"
ok "memory, pids and cpu cgroups below ours; the sandbox sees itself at /"

# Memory: the hog dies (SIGKILL: 137), everything else lives.
set +e
x lim python3 -c 'b = bytearray(256 << 20); print("survived")' >/dev/null 2>&1
rc=$?
set -e
assert_eq 137 "$rc" "memory hog status (OOM kill)"
assert_eq ok "$(x lim echo ok)" "the agent after the OOM kill"
assert_eq ok "$(x other sh -c 'python3 -c "b = bytearray(256 << 20)" && echo ok')" \
    "another sandbox (no limit) allocates 256M"
ok "memory: a 256M allocation is OOM-killed at 64M; agent and neighbours fine"

# Processes: at most 40 (a fork bomb's children fail with EAGAIN).
out=$(x lim python3 -c '
import os, signal, time
kids, err = [], ""
for i in range(200):
    try:
        p = os.fork()
    except OSError as e:
        err = e.__class__.__name__; break
    if p == 0:
        time.sleep(30); os._exit(0)
    kids.append(p)
for p in kids: os.kill(p, signal.SIGKILL)
for p in kids: os.waitpid(p, 0)
print(len(kids), err)
')
n=${out% *}
[ "$n" -lt 40 ] || fail "forked $n processes under a limit of 40"
assert_match "BlockingIOError" "$out" "fork failure"
assert_eq ok "$(x lim echo ok)" "the agent after the fork bomb"
ok "pids: a fork bomb stops at the limit ($out); the agent still serves"

# CPU: half a CPU. A busy loop gets at most about half of the wall time.
ratio=$(x lim python3 -c '
import time
w0, c0 = time.monotonic(), time.process_time()
while time.monotonic() - w0 < 1.5: pass
print(int(100 * (time.process_time() - c0) / (time.monotonic() - w0)))
')
[ "$ratio" -le 70 ] || fail "busy loop got ${ratio}% of a CPU under a 50% limit"
ok "cpu: a busy loop got ${ratio}% of a CPU (limit 50%)"

# The sandbox cannot reach its limit files.
if x lim sh -c 'echo 1000000000 > /sys/fs/cgroup/memory/memory.limit_in_bytes' \
    2>/dev/null; then fail "limit raised through /sys"; fi
if x lim sh -c 'mkdir -p /tmp/c && mount -t cgroup -o memory c /tmp/c' \
    2>/dev/null; then fail "cgroup file system mounted inside"; fi
assert_eq 67108864 "$(cat "$cg/memory.limit_in_bytes")" "memory limit after"
ok "the sandbox cannot raise its own limits"

"$MSB" stop lim
# (The monitor removes them right after the agent is gone.)
wait_until 10 test ! -e "$cg" || fail "cgroup $cg left after stop"
ok "the cgroups are removed at stop"

# Bad limits fail the start, with the file named.
printf 'memroy = "64M";\n' > "$MSB_HOME/sandboxes/lim/limits"
set +e
out=$("$MSB" start lim 2>&1); rc=$?
set -e
[ "$rc" != 0 ] || fail "started with a misspelled limit"
assert_match "unknown setting 'memroy'" "$out" "misspelled limit message"
printf 'memory = "12Q";\n' > "$MSB_HOME/sandboxes/lim/limits"
assert_fails "invalid size" "$MSB" start lim
rm "$MSB_HOME/sandboxes/lim/limits"
"$MSB" start lim
ok "invalid limits are refused at start, with a message"

# Unprivileged there are no cgroups to use: a limit is refused, not dropped.
setup_test_user
as_test_user "$T/bin/msb" create ul >/dev/null
printf 'pids = 10;\n' > "$T/userhome/msb/sandboxes/ul/limits"
set +e
out=$(as_test_user "$T/bin/msb" start ul 2>&1); rc=$?
set -e
[ "$rc" != 0 ] || fail "unprivileged start applied no limit silently"
assert_match "need root" "$out" "unprivileged limits message"
ok "unprivileged: configured limits are refused with a message"
