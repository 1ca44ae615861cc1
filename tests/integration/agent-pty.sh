#!/bin/sh
# msb-agent pty sessions, driven from a real terminal (a pty made by
# python): size, tty, TERM, the caller's termios modes, resize, ^C-style
# interrupts by the sandbox line discipline, exit status, and hangup.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/agent-lib.sh"
[ -x "$PYTHON3" ] || skip "$PYTHON3 is not installed"
agent_test_init
start_agent --user "$AGENT_USER"

# Without a local tty: --rows/--cols, default modes, TERM.
out=$(acli exec -t --rows 33 --cols 111 --term vt220 -- sh -c 'stty size; tty; echo "$TERM"; stty -a | grep -c " echo "' </dev/null | tr -d '\r')
assert_eq "33 111" "$(echo "$out" | sed -n 1p)" "stty size"
assert_match '^/dev/pts/[0-9]+$' "$(echo "$out" | sed -n 2p)" "tty"
assert_eq vt220 "$(echo "$out" | sed -n 3p)" "TERM"
assert_eq 1 "$(echo "$out" | sed -n 4p)" "default modes (echo on)"
# The exit status of a pty session, and output written just before exit.
st=0
acli exec -t -- sh -c 'seq 1 20000 | tail -n 1; exit 7' </dev/null >"$T/o" || st=$?
assert_eq 7 "$st" "pty exit status"
assert_eq 20000 "$(tr -d '\r' <"$T/o")" "last output drained"
# Bulk output through the pty arrives complete (drained after EXITED).
head -c 3000000 /dev/urandom | base64 -w 76 >"$T/b64"
acli exec -t -- cat "$T/b64" </dev/null | tr -d '\r' >"$T/b64.out"
assert_eq "$(sha256sum <"$T/b64")" "$(sha256sum <"$T/b64.out")" "4 MB through the pty"
ok "pty without a local terminal"

cat >"$T/ptytest.py" <<'EOF'
import fcntl, os, pty, select, signal, struct, sys, termios, time

cli = sys.argv[1]
def fail(msg):
    sys.stderr.write("ptytest.py: %s\nlast output: %r\n" % (msg, buf[-600:]))
    sys.exit(1)

pid, master = pty.fork()
if pid == 0:
    # The local terminal: 33x111, ^X as intr, then run agent-cli on it.
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 33, 111, 0, 0))
    a = termios.tcgetattr(0)
    a[6][termios.VINTR] = b"\x18"
    termios.tcsetattr(0, termios.TCSANOW, a)
    os.environ["TERM"] = "xterm-test"
    os.execv(cli, [cli, "exec", "-t", "-e", "PS1=msb-prompt$ ", "--", "/bin/sh", "-i"])

buf = b""
def read_until(token, secs=10):
    global buf
    end = time.time() + secs
    while token not in buf:
        left = end - time.time()
        if left <= 0:
            fail("timeout waiting for %r" % token)
        r, _, _ = select.select([master], [], [], left)
        if r:
            try:
                d = os.read(master, 4096)
            except OSError:
                d = b""
            if not d:
                fail("EOF waiting for %r" % token)
            buf += d
    i = buf.index(token) + len(token)
    out, buf = buf[:i], buf[i:]
    return out.decode(errors="replace").replace("\r", "")

def run(cmd):
    os.write(master, cmd.encode() + b"\n")
    return read_until(b"msb-prompt$ ")

read_until(b"msb-prompt$ ")
out = run("stty size; tty; echo T=$TERM")
if "33 111" not in out: fail("size: %r" % out)
if "/dev/pts/" not in out: fail("tty: %r" % out)
if "T=xterm-test" not in out: fail("TERM: %r" % out)
print("ok - size, tty and TERM")
out = run("stty -a | grep -o 'intr = [^;]*'")
if "intr = ^X" not in out: fail("termios not applied: %r" % out)
print("ok - caller's termios applied (intr = ^X)")
fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
time.sleep(0.5)
out = run("stty size")
if "40 120" not in out: fail("resize: %r" % out)
print("ok - window resize forwarded")
os.write(master, b"sleep 100; echo not-interrupted\n")
time.sleep(0.5)
os.write(master, b"\x18")
read_until(b"msb-prompt$ ")
out = run("echo alive")
if "alive" not in out or "not-interrupted" in out: fail("interrupt: %r" % out)
print("ok - ^X interrupts sleep, the session survives")
os.write(master, b"exit 5\n")
_, status = os.waitpid(pid, 0)
if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 5:
    fail("exit status %r" % status)
print("ok - exit 5 ends the session with status 5")
EOF
with_timeout 60 "$PYTHON3" "$T/ptytest.py" "$AGENT_CLI"

# The local side going away hangs the session up: nothing is left.
cat >"$T/huptest.py" <<'EOF'
import os, pty, sys, time
pid, master = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "exec", "-t", "--", "sleep", "1017"])
time.sleep(1)
os.close(master)        # terminal gone: agent-cli sees EIO and leaves
_, status = os.waitpid(pid, 0)
print(status)  # raw wait status: SIGHUP or an error exit
EOF
st=$(with_timeout 30 "$PYTHON3" "$T/huptest.py" "$AGENT_CLI")
[ "$st" != 0 ] || fail "agent-cli exited 0 after its terminal hung up"
wait_until 10 agent_no_child 'sleep 1017' ||
    fail "sleep 1017 still running after the terminal went away"
ok "terminal hangup ends the sandbox session"
[ -z "$(agent_zombies)" ] || fail "zombies left: $(agent_zombies)"
stop_agent
