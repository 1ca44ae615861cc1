#!/bin/sh
# msb-agent against broken and hostile peers: every bad frame costs that
# connection only (ERROR, then closed); a session on another connection
# keeps running; the agent leaks no fds.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/agent-lib.sh"
[ -x "$PYTHON3" ] || skip "$PYTHON3 is not installed"
agent_test_init
start_agent --user "$AGENT_USER"
base_fds=$(agent_nfds)

# A concurrent, well-behaved session that must survive all of this.
"$AGENT_CLI" exec -- sh -c 'sleep 3; echo survived' >"$T/bystander" &
bystander=$!

cat >"$T/hostile.py" <<'EOF'
import errno, os, socket, struct, sys, time
path = sys.argv[1]
EPROTO, EMSGSIZE, EPROTONOSUPPORT, ETIMEDOUT = 71, 90, 93, 110

def frame(t, i, p=b""): return struct.pack(">IBI", 5 + len(p), t, i) + p
def st(b): return struct.pack(">I", len(b)) + b
def hello(ch=1, user=b"", vmin=1, vmax=1, magic=b"msb-agent"):
    return frame(1, 0, st(magic) + struct.pack(">IIB", vmin, vmax, ch) + st(user))
def exec_payload(argv, flags=0, env=()):
    return st(b"") + struct.pack(">I", flags) + st(b"") + \
        struct.pack(">I", len(argv)) + b"".join(st(a) for a in argv) + \
        struct.pack(">I", len(env)) + b"".join(st(e) for e in env)
def conn():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(15)
    s.connect(path)
    return s
def recv(s):
    d = s.recv(300000)
    if not d: return None
    return d[4], struct.unpack(">I", d[5:9])[0], d[9:]
def ready():
    s = conn(); s.send(hello())
    r = recv(s); assert r and r[0] == 2, r
    return s
def send_fds(s, data, fds):
    s.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
        struct.pack("%di" % len(fds), *fds))])

def expect_error_close(name, s, err, send=None):
    if send is not None:
        send(s)
    r = recv(s)
    if r is None or r[0] != 3:
        sys.exit("%s: expected ERROR, got %r" % (name, r))
    got = struct.unpack(">I", r[2][:4])[0]
    if got != err:
        sys.exit("%s: expected errno %d, got %d (%r)" % (name, err, got, r[2][8:]))
    if recv(s) is not None:
        sys.exit("%s: connection not closed after the error" % name)
    s.close()
    print("ok - %s -> ERROR %s, closed" % (name, errno.errorcode[err]))

# The HELLO deadline: a silent connection, checked at the end.
silent = conn()
t0 = time.time()

cases = [
    ("garbage", EPROTO, lambda s: s.send(b"garbage")),
    ("empty packet", EPROTO, lambda s: s.send(b"")),
    ("length field lies", EPROTO, lambda s: s.send(struct.pack(">IBI", 50, 1, 0) + b"x")),
    ("oversized packet", EMSGSIZE, lambda s: s.send(b"\0" * 200000)),
    ("unknown type", EPROTO, lambda s: s.send(frame(0x99, 1))),
    ("EXEC before HELLO", EPROTO, lambda s: s.send(frame(0x10, 1, exec_payload([b"true"])))),
    ("wrong magic", EPROTO, lambda s: s.send(hello(magic=b"msb-agenx"))),
    ("future version", EPROTONOSUPPORT, lambda s: s.send(hello(vmin=2, vmax=5))),
    ("HELLO with trailing bytes", EPROTO, lambda s: s.send(
        frame(1, 0, st(b"msb-agent") + struct.pack(">IIB", 1, 1, 1) + st(b"") + b"X"))),
    ("HELLO truncated", EPROTO, lambda s: s.send(frame(1, 0, st(b"msb-agent") + b"\0\0"))),
    ("unknown channel", EPROTO, lambda s: s.send(hello(ch=9))),
    ("HELLO with an fd", EPROTO, lambda s: send_fds(s, hello(), [0])),
    ("4 fds", EPROTO, lambda s: send_fds(s, hello(), [0, 1, 2, 0])),
]
for name, err, send in cases:
    expect_error_close(name, conn(), err, send)

ready_cases = [
    ("second HELLO", EPROTO, lambda s: s.send(hello())),
    ("EXEC without fds", EPROTO, lambda s: s.send(frame(0x10, 1, exec_payload([b"true"])))),
    ("EXEC with 2 fds", EPROTO, lambda s: send_fds(s, frame(0x10, 1, exec_payload([b"true"])), [0, 1])),
    ("EXEC huge argc", EMSGSIZE, lambda s: send_fds(s, frame(0x10, 1,
        st(b"") + struct.pack(">I", 0) + st(b"") + struct.pack(">I", 0xffffffff)), [0, 1, 2])),
    ("EXEC argc beyond payload", EPROTO, lambda s: send_fds(s, frame(0x10, 1,
        st(b"") + struct.pack(">I", 0) + st(b"") + struct.pack(">I", 4000) + st(b"x")), [0, 1, 2])),
    ("EXEC string past the end", EPROTO, lambda s: send_fds(s, frame(0x10, 1,
        struct.pack(">I", 200) + b"abc"), [0, 1, 2])),
    ("EXEC user name too long", EMSGSIZE, lambda s: send_fds(s, frame(0x10, 1,
        struct.pack(">I", 100000) + b"abc"), [0, 1, 2])),
    ("EXEC NUL in argv", EPROTO, lambda s: send_fds(s, frame(0x10, 1, exec_payload([b"tr\0ue"])), [0, 1, 2])),
    ("EXEC env without =", EPROTO, lambda s: send_fds(s, frame(0x10, 1, exec_payload([b"true"], env=[b"X"])), [0, 1, 2])),
    ("EXEC unknown flag", EPROTO, lambda s: send_fds(s, frame(0x10, 1, exec_payload([b"true"], flags=8)), [0, 1, 2])),
    ("EXEC trailing bytes", EPROTO, lambda s: send_fds(s, frame(0x10, 1, exec_payload([b"true"]) + b"z"), [0, 1, 2])),
    ("EXEC PTY with fds", EPROTO, lambda s: send_fds(s, frame(0x10, 1, exec_payload([b"true"], flags=1)), [0, 1, 2])),
    ("RESIZE (reserved)", EPROTO, lambda s: s.send(frame(0x14, 1, struct.pack(">IIII", 1, 1, 0, 0)))),
    ("ACCOUNTS with payload", EPROTO, lambda s: s.send(frame(0x15, 1, b"x"))),
    ("SIGNAL truncated", EPROTO, lambda s: s.send(frame(0x13, 1, b"\0\0"))),
    ("a reply type from the client", EPROTO, lambda s: s.send(frame(0x12, 1, b"\0" * 6))),
]
for name, err, send in ready_cases:
    expect_error_close(name, ready(), err, send)

# A second EXEC while one runs: protocol error, and the running one is
# hung up like any session whose client goes away.
s = ready()
send_fds(s, frame(0x10, 1, exec_payload([b"sleep", b"1021"])), [0, 1, 2])
r = recv(s); assert r[0] == 0x11, r
expect_error_close("EXEC while running", s, EPROTO,
    lambda s: send_fds(s, frame(0x10, 2, exec_payload([b"true"])), [0, 1, 2]))

# Many connections that vanish at every stage.
for i in range(200):
    s = conn()
    if i % 4 >= 1: s.send(hello())
    if i % 4 >= 2: recv(s)
    if i % 4 == 3: send_fds(s, frame(0x10, 1, exec_payload([b"true"])), [0, 1, 2])
    s.close()
print("ok - 200 connections closed at every stage")

r = recv(silent)
waited = time.time() - t0
if r is None or r[0] != 3 or struct.unpack(">I", r[2][:4])[0] != ETIMEDOUT:
    sys.exit("silent connection: expected ERROR ETIMEDOUT, got %r" % (r,))
if waited < 9:
    sys.exit("silent connection closed after only %.1f s" % waited)
print("ok - silent connection dropped after the HELLO deadline (%.1f s)" % waited)
EOF
with_timeout 60 "$PYTHON3" "$T/hostile.py" "$MSB_AGENT_SOCK"

st=0
wait "$bystander" || st=$?
assert_eq 0 "$st" "bystander session status"
assert_eq survived "$(cat "$T/bystander")" "bystander output"
ok "a concurrent session survived all of it"

wait_until 5 agent_no_child 'sleep 1021' || fail "sleep 1021 survived the protocol error"
ok "session of a connection closed for a protocol error is hung up"

# Everything is released: fds back to the baseline, no zombies.
wait_until 5 sh -c "[ \$(ls /proc/$AGENT_PID/fd | wc -l) -eq $base_fds ]" ||
    fail "agent fds: $(agent_nfds), expected $base_fds"
[ -z "$(agent_zombies)" ] || fail "zombies left: $(agent_zombies)"
ok "no fd leak ($base_fds fds), no zombies"
stop_agent
