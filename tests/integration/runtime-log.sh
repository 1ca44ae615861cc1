#!/bin/sh
# The sandbox's log is bounded: a sandbox that floods its agent's log
# socket (here: 6 MiB of lines written through a copy of PID 1's stderr,
# taken with pidfd_getfd as the sandbox's root may) makes the monitor rotate
# $dir/log to log.1 at 1 MiB, keeping one old file; nothing is lost before
# the rotation point and the last line arrives.
. "${MSB_SRCDIR:?}/tests/integration/lib.sh"
need_cmd python3
msb_test_init

"$MSB" create chatty
"$MSB" start chatty
D=$MSB_HOME/sandboxes/chatty
LIMIT=1048576
SLACK=65536

# The agent's own lines carry the monitor's stamp only (the agent knows its
# stderr goes to the monitor and does not stamp them again).
wait_until 10 grep -q "serving sandbox chatty" "$D/log" || fail "no agent line"
assert_match '^[0-9-]+T[0-9:]+ msb-agent\[[0-9]+\]: msb-agent [0-9.]+ serving sandbox chatty' \
    "$(grep "serving sandbox chatty" "$D/log")" "the agent's start line"
ok "agent lines are stamped once, by the monitor"

FLOOD='
import ctypes, os, select, sys
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.syscall(438, libc.syscall(434, 1, 0), 2, 0)   # pidfd_getfd
assert fd >= 0, os.strerror(ctypes.get_errno())
def put(b):
    while b:
        select.select([], [fd], [])
        try:
            b = b[os.write(fd, b):]
        except BlockingIOError:
            pass
line = b"flood " + b"x" * 194 + b"\n"
for i in range(int(sys.argv[1])):
    put(b"%08d " % i + line)
put(b"flood-end\n")
'
# 30000 lines of 210 bytes: about 6 MiB.
with_timeout 120 "$MSB" exec chatty -- python3 -c "$FLOOD" 30000 ||
    fail "flood failed"
wait_until 30 grep -q "flood-end" "$D/log" || fail "last line not logged"
[ -f "$D/log.1" ] || fail "no log.1 after 6 MiB"
s0=$(stat -c %s "$D/log")
s1=$(stat -c %s "$D/log.1")
[ "$s0" -le $((LIMIT + SLACK)) ] || fail "log is $s0 bytes"
[ "$s1" -le $((LIMIT + SLACK)) ] || fail "log.1 is $s1 bytes"
[ "$s1" -ge $((LIMIT - SLACK)) ] || fail "log.1 is only $s1 bytes"
[ -z "$(ls "$D" | grep -E '^log\.[2-9]')" ] || fail "more than one old log: $(ls "$D")"
ok "6 MiB of agent output: log $s0 + log.1 $s1 bytes (rotated at 1 MiB, one kept)"

# The lines are the monitor's, stamped and attributed to the agent, and
# none is lost between log.1 and log.
n=$(cat "$D/log.1" "$D/log" | grep -c ' msb-agent\[[0-9]*\]: [0-9]\{8\} flood x')
last=$(grep -o '[0-9]\{8\} flood' "$D/log" | tail -n 1 | cut -c1-8)
first=$(grep -o '[0-9]\{8\} flood' "$D/log.1" | head -n 1 | cut -c1-8)
assert_eq 00029999 "$last" "last flood line in log"
assert_eq $((30000 - 10#$first)) "$n" "flood lines in log.1 + log (from $first)"
ok "no line lost across the rotation"

# A restart with an oversized log rotates it first (starter side).
"$MSB" stop chatty
head -c $((LIMIT + 10)) /dev/zero | tr '\0' 'y' > "$D/log"
"$MSB" start chatty
[ "$(stat -c %s "$D/log.1")" = $((LIMIT + 10)) ] || fail "oversized log not rotated at start"
[ "$(stat -c %s "$D/log")" -lt "$LIMIT" ] || fail "log not fresh after start"
"$MSB" stop chatty
ok "an oversized log is rotated when the sandbox starts"
