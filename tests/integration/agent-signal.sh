#!/bin/sh
# msb-agent SIGNAL delivery to the session's process group, and the
# disconnect rule: a client that goes away leaves no process behind.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/agent-lib.sh"
agent_test_init
start_agent --user "$AGENT_USER"

# agent-cli forwards the signals it receives with SIGNAL; the whole
# process group gets it (the child sleep too, not just the shell).
"$AGENT_CLI" exec --report "$T/rep" -- sh -c 'sleep 1011 & wait' &
cli=$!
n=0
while [ -z "$(pgrep -f '^sleep 1011$' || true)" ]; do
	n=$((n + 1)); [ $n -lt 100 ] || fail "sleep 1011 did not start"; sleep 0.1
done
kill -USR1 "$cli"
st=0
wait "$cli" || st=$?
assert_eq 138 "$st" "exit code after SIGUSR1"
assert_eq "signaled 10 core 0" "$(cat "$T/rep")" "exit record"
wait_until 5 sh -c '! pgrep -f "^sleep 1011$" >/dev/null' || fail "the group's sleep survived"
ok "SIGNAL reaches the process group"

# A signal the program handles: it keeps running and reports it.
"$AGENT_CLI" exec -- sh -c 'trap "echo got-INT; exit 0" INT; touch '"$T"'/armed; while :; do sleep 0.1; done' >"$T/out" &
cli=$!
wait_until 10 test -e "$T/armed" || fail "session did not start"
kill -INT "$cli"
st=0
wait "$cli" || st=$?
assert_eq 0 "$st" "status of a session that handled SIGINT"
assert_match got-INT "$(cat "$T/out")" "trap output"
ok "handled signal delivered"

# SIGNAL errors keep the connection: invalid number, nothing running.
cat >"$T/sig.py" <<'EOF'
import os, socket, struct, sys
def frame(t, i, p): return struct.pack(">IBI", 5 + len(p), t, i) + p
def st(b): return struct.pack(">I", len(b)) + b
def recv(s):
    d = s.recv(200000)
    if not d: return None
    return d[4], struct.unpack(">I", d[5:9])[0], d[9:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.settimeout(10)
s.connect(sys.argv[1])
s.send(frame(1, 0, st(b"msb-agent") + struct.pack(">IIB", 1, 1, 1) + st(b"")))
assert recv(s)[0] == 2
for signo, err in ((0, 22), (65, 22), (15, 3)):   # EINVAL, EINVAL, ESRCH
    s.send(frame(0x13, 7, struct.pack(">I", signo)))
    t, i, p = recv(s)
    assert t == 3 and i == 7, (t, i)
    assert struct.unpack(">I", p[:4])[0] == err, (signo, p)
# Still usable: run something.
r, w = os.pipe()
argv = [b"echo", b"still-here"]
payload = st(b"") + struct.pack(">I", 0) + st(b"") + struct.pack(">I", len(argv)) + \
    b"".join(st(a) for a in argv) + struct.pack(">I", 0)
s.sendmsg([frame(0x10, 9, payload)], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
    struct.pack("3i", 0, w, 2))])
os.close(w)
t, i, p = recv(s)
assert t == 0x11 and i == 9, (t, i, p)
assert os.read(r, 100) == b"still-here\n"
t, i, p = recv(s)
assert t == 0x12 and i == 9 and p == b"\x00\x00\x00\x00\x00\x00", (t, i, p)
print("ok - SIGNAL errors (EINVAL, ESRCH) keep the connection usable")
EOF
with_timeout 30 "$PYTHON3" "$T/sig.py" "$MSB_AGENT_SOCK"

# Client killed during sleep 1000: hung up, nothing left within seconds.
"$AGENT_CLI" exec -- sleep 1013 &
cli=$!
n=0
while agent_no_child 'sleep 1013'; do
	n=$((n + 1)); [ $n -lt 100 ] || fail "sleep 1013 did not start"; sleep 0.1
done
kill -KILL "$cli"
wait "$cli" 2>/dev/null || true
wait_until 5 agent_no_child 'sleep 1013' || fail "sleep 1013 survived its client"
ok "client disconnect kills the session (SIGHUP)"

# A session that ignores SIGHUP is killed 2 s later.
"$AGENT_CLI" exec -- sh -c 'trap "" HUP; exec sleep 1014' &
cli=$!
n=0
while agent_no_child 'sleep 1014'; do
	n=$((n + 1)); [ $n -lt 100 ] || fail "sleep 1014 did not start"; sleep 0.1
done
kill -KILL "$cli"
wait "$cli" 2>/dev/null || true
sleep 1
[ -n "$(agent_children_matching 'sleep 1014')" ] || fail "SIGHUP-immune sleep died before the grace period"
wait_until 5 agent_no_child 'sleep 1014' || fail "SIGHUP-immune sleep survived"
grep -q "survived the hangup" "$T/agent.log" || fail "no SIGKILL logged"
ok "a session ignoring SIGHUP is killed after the grace period"

# Background processes outlive a session that ended normally (as sshd).
acli exec -- sh -c 'sleep 1015 >/dev/null 2>&1 </dev/null & exit 0'
n=0
while [ -z "$(pgrep -f '^sleep 1015$' || true)" ]; do
	n=$((n + 1)); [ $n -lt 50 ] || fail "background sleep not running"; sleep 0.1
done
bg=$(pgrep -f '^sleep 1015$')
assert_eq "$AGENT_PID" "$(ps -o ppid= -p "$bg" | tr -d ' ')" "orphan reparented to the agent (subreaper)"
kill "$bg"
wait_until 5 sh -c "[ -z \"\$(ps -o stat= -p $bg 2>/dev/null)\" ]" || fail "orphan not reaped by the agent"
ok "background process survives its session; the agent reaps it"
[ -z "$(agent_zombies)" ] || fail "zombies left: $(agent_zombies)"
stop_agent
