#!/bin/sh
# --net none: the host's loopback services and abstract unix sockets are
# out of reach (the sandbox has a network namespace with only its own lo);
# --net host: the same probes connect, which shows they can fail.
. "${MSB_SRCDIR:?}/tests/integration/lib.sh"
need_cmd python3
msb_test_init

# A host TCP listener on 127.0.0.1 and an abstract unix socket.
ABS="msb-sec-test-$$"
cat > "$T/listen.py" <<'EOF'
import socket, sys, time
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("127.0.0.1", 0)); t.listen(8)
u = socket.socket(socket.AF_UNIX); u.bind("\0" + sys.argv[1]); u.listen(8)
print(t.getsockname()[1], flush=True)
time.sleep(float(sys.argv[2]))
EOF
python3 "$T/listen.py" "$ABS" 120 > "$T/port" &
LPID=$!
at_exit 'kill $LPID'
wait_until 10 test -s "$T/port" || fail "listener did not start"
PORT=$(cat "$T/port")

PROBE='
import socket, sys
def tcp():
    s = socket.socket(); s.settimeout(3)
    try: s.connect(("127.0.0.1", int(sys.argv[1]))); return "connected"
    except OSError as e: return type(e).__name__
def abstract():
    s = socket.socket(socket.AF_UNIX)
    try: s.connect("\0" + sys.argv[2]); return "connected"
    except OSError as e: return type(e).__name__
print(tcp(), abstract())
'
"$MSB" create none
"$MSB" create --net host hostnet
assert_eq "ConnectionRefusedError ConnectionRefusedError" \
    "$(with_timeout 30 "$MSB" exec none -- python3 -c "$PROBE" "$PORT" "$ABS")" \
    "--net none: host loopback and abstract socket"
ok "--net none: host loopback TCP and abstract unix sockets unreachable"
assert_eq "connected connected" \
    "$(with_timeout 30 "$MSB" exec hostnet -- python3 -c "$PROBE" "$PORT" "$ABS")" \
    "--net host: the probes work"
ok "--net host: the same probes connect (as documented)"

# Only lo, and the sandbox root cannot reconfigure it (the network
# namespace belongs to the runtime).
assert_eq "lo" "$(with_timeout 30 "$MSB" exec none -- ls /sys/class/net)" "interfaces"
if with_timeout 30 "$MSB" exec none -- python3 -c '
import fcntl, socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
fcntl.ioctl(s, 0x8914, struct.pack("16sh", b"lo", 0))  # SIOCSIFFLAGS: down
' 2>/dev/null; then fail "sandbox root brought lo down"; fi
ok "--net none: only lo, which the sandbox root cannot reconfigure"
