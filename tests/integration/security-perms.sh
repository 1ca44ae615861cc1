#!/bin/sh
# State directory permissions, whatever the umask: $MSB_HOME and every
# directory 0700, files 0600 (the sandbox's hosts/hostname, which its users
# must read, sit in the 0700 run/), so that another host user can neither
# read a sandbox's state nor connect to its agent socket, for root's
# sandboxes and for an unprivileged owner's.
. "${MSB_SRCDIR:?}/tests/integration/lib.sh"
need_root "needs a second host user"
need_cmd python3 ssh-keygen
msb_test_init
setup_test_user

# Every path below $1 that another user could read, write or enter, but
# the trees the sandbox sees anyway (upper/, work/, the skeleton of the
# split layout and hosts/hostname, all inside 0700 directories).
loose() {
	find "$1" \( -path '*/upper/*' -o -path '*/work/*' -o \
	    -path '*/run/skel/*' \) -prune -o ! -type l -perm /077 -print |
	    grep -v -E '/(run/(hosts|hostname|skel)|upper|work)$' || true
}
# connect(2) to an agent socket as user $1: prints the errno name.
try_connect() {
	runuser -u "$1" -- python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
try: s.connect(sys.argv[1]); print("connected")
except OSError as e: print(type(e).__name__)
' "$2"
}

# ---- root's sandboxes, created and started under umask 000 ----
ssh-keygen -q -t ed25519 -N '' -f "$T/key"
(
	umask 000
	"$MSB" create r
	"$MSB" start r
	"$MSB" ssh authorize --file "$T/key.pub" >/dev/null
	with_timeout 30 "$MSB" exec r -- true
)
assert_eq 700 "$(stat -c %a "$MSB_HOME")" "MSB_HOME mode"
assert_eq "" "$(loose "$MSB_HOME")" "group/world-accessible state"
ok "root's state: 0700 dirs, 0600 files under umask 000"

sock="$MSB_HOME/sandboxes/r/run/agent.sock"
chmod 755 "$MSB_HOME"    # even a careless chmod of MSB_HOME ...
assert_eq PermissionError "$(try_connect "$TEST_USER" "$sock")" \
    "another user connects to root's agent"
for f in sandboxes/r/config sandboxes/r/log ssh/authorized_keys; do
	if runuser -u "$TEST_USER" -- cat "$MSB_HOME/$f" >/dev/null 2>&1; then
		fail "$TEST_USER read $f"
	fi
done
if runuser -u "$TEST_USER" -- ls "$MSB_HOME/sandboxes" >/dev/null 2>&1; then
	fail "$TEST_USER listed root's sandboxes"
fi
chmod 700 "$MSB_HOME"
ok "another user can neither connect to root's agent nor read its state"

# ---- an unprivileged owner's sandbox, likewise ----
as_test_user sh -c 'umask 000; "$MSB" create u && "$MSB" start u' \
    >/dev/null
uh="$T/userhome/msb"
assert_eq 700 "$(stat -c %a "$uh")" "unprivileged MSB_HOME mode"
assert_eq "" "$(loose "$uh")" "group/world-accessible state (unprivileged)"
usock="$uh/sandboxes/u/run/agent.sock"
chmod 755 "$T/userhome"
assert_eq PermissionError "$(try_connect nobody "$usock")" \
    "nobody connects to $TEST_USER's agent"
if runuser -u nobody -- cat "$uh/sandboxes/u/config" >/dev/null 2>&1; then
	fail "nobody read $TEST_USER's config"
fi
chmod 700 "$T/userhome"
assert_eq connected "$(try_connect "$TEST_USER" "$usock")" \
    "the owner connects (the probe works)"
ok "an unprivileged owner's sandboxes are out of other users' reach"
