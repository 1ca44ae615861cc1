#!/bin/sh
# TCP forwarding as an unprivileged host user: msb-proxy joins the user
# namespace that owns the sandbox's network namespace, then the network
# namespace, and nests the account view's user namespace inside. -L, -D
# and -R against the sandbox's loopback, the host's loopback out of reach,
# accounts and ptys still right, and forwarding off refuses it all.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
msb_test_init
need_cmd ssh ssh-keygen curl
setup_test_user

BG=
bg_add() { BG="$BG $1"; }
cleanup_bg() {
	for p in $BG; do kill "$p" 2>/dev/null || true; done
	for p in $BG; do wait "$p" 2>/dev/null || true; done
}
trap 'st=$?; set +e; cleanup_bg; (exit $st); msb_test_cleanup' EXIT

as_test_user "$T/bin/msb" create devbox --ssh-forwarding all >/dev/null ||
    fail "msb create --ssh-forwarding all as $TEST_USER"
U="$T/userhome"
as_test_user sh -c '
	set -e
	ssh-keygen -q -t ed25519 -N "" -C unpriv -f "$HOME/id"
	"$MSB" ssh authorize --file "$HOME/id.pub" >/dev/null
	"$MSB" ssh config devbox >"$HOME/ssh_config"
	printf "Host *\n\tIdentityFile %s/id\n\tIdentitiesOnly yes\n\tBatchMode yes\n\tLogLevel ERROR\n" \
	    "$HOME" >>"$HOME/ssh_config"
' || fail "ssh setup as $TEST_USER"
ussh() { as_test_user timeout --kill-after=5 60 ssh -F "$U/ssh_config" "$@"; }
umsb() { as_test_user "$T/bin/msb" "$@"; }
# Background jobs as simple commands, so that $! is runuser (or, already
# unprivileged, env's exec chain), which passes SIGTERM on (as_test_user is
# a function: $! would be a subshell).
UENV="$TEST_RUNNER env -i PATH=/usr/local/bin:/usr/bin:/bin
    HOME=$U USER=$TEST_USER LOGNAME=$TEST_USER MSB_HOME=$U/msb
    MSB=$T/bin/msb MSB_AGENT=$T/bin/msb-agent MSB_SHELL=$T/bin/msb-shell
    MSB_PROXY=$T/bin/msb-proxy MSB_SFTP_SERVER=$T/bin/msb-sftp-server
    MSB_SSHD=$MSB_SSHD"
BUSSH="$UENV timeout --kill-after=5 120 ssh -F $U/ssh_config"
wait_listen() {
	wait_until 30 "$PYTHON3" -c "import socket; socket.create_connection(('127.0.0.1', $1), 1).close()"
}

SP=$(free_port)
umsb exec devbox -- sh -c 'mkdir -p /tmp/www && echo inside-sandbox > /tmp/www/f' ||
    fail "cannot write the sandbox's web root"
$UENV "$T/bin/msb" exec devbox -- "$PYTHON3" -m http.server --bind 127.0.0.1 \
    --directory /tmp/www "$SP" >/dev/null 2>>"$T/bg.err" &
bg_add $!
wait_until 30 umsb exec devbox -- curl -sf "http://127.0.0.1:$SP/f" ||
    fail "the in-sandbox server never came up"
mkdir "$T/www" && echo host-only > "$T/www/f"
HP=$(free_port)
"$PYTHON3" -m http.server --bind 127.0.0.1 --directory "$T/www" "$HP" >/dev/null 2>&1 &
bg_add $!
wait_until 30 curl -sf "http://127.0.0.1:$HP/f" || fail "the host server never came up"

LP=$(free_port)
$BUSSH -N -o ExitOnForwardFailure=yes -L "$LP:127.0.0.1:$SP" devbox.msb 2>>"$T/bg.err" &
bg_add $!
wait_listen "$LP" || fail "ssh -L never listened"
assert_eq inside-sandbox "$(curl -sf -m 10 "http://127.0.0.1:$LP/f")" "curl through -L"
DP=$(free_port)
$BUSSH -N -o ExitOnForwardFailure=yes -D "127.0.0.1:$DP" devbox.msb 2>>"$T/bg.err" &
bg_add $!
wait_listen "$DP" || fail "ssh -D never listened"
assert_eq inside-sandbox "$(curl -sf -m 10 --socks5-hostname "127.0.0.1:$DP" \
    "http://localhost:$SP/f")" "SOCKS to localhost"
run_rc curl -s -m 10 --socks5-hostname "127.0.0.1:$DP" "http://127.0.0.1:$HP/f"
[ "$rc" != 0 ] || fail "SOCKS reached the host's loopback server"
ok "unprivileged: -L and -D reach the sandbox's loopback, not the host's"

RP=$(free_port)
$BUSSH -N -o ExitOnForwardFailure=yes -R "127.0.0.1:$RP:127.0.0.1:$HP" devbox.msb 2>>"$T/bg.err" &
bg_add $!
wait_until 30 umsb exec devbox -- curl -sf -m 5 "http://127.0.0.1:$RP/f" ||
    fail "the -R listener never appeared inside the sandbox"
assert_eq host-only "$(umsb exec devbox -- curl -sf -m 5 "http://127.0.0.1:$RP/f")" \
    "curl inside through -R"
run_rc curl -s -m 5 "http://127.0.0.1:$RP/f"
[ "$rc" != 0 ] || fail "the -R listener is on the host's loopback"
ok "unprivileged: -R listens inside the sandbox only"

assert_eq "root 0" "$(ussh devbox.msb 'echo $(id -un) $(id -u)')" "owner's name"
# nobody's shell, nologin, answers: the session ran as nobody.
assert_match "not available" "$(ussh nobody@devbox.msb 'id -un' 2>&1 || true)" "nobody@"
run_rc ussh nosuchuser@devbox.msb true 2>/dev/null
assert_eq 255 "$rc" "an unknown account"
got=$(ussh -tt devbox.msb 'echo $SSH_TTY; tty' </dev/null | tr -d '\r' | tr '\n' ' ')
assert_match '^(/dev/pts/[0-9]+) \1 $' "$got" "pty and SSH_TTY"
ok "unprivileged: the account view and ptys work inside the sandbox's network namespace"

umsb ssh forwarding devbox none || fail "msb ssh forwarding devbox none"
run_rc ussh -o LogLevel=INFO -W "127.0.0.1:$SP" devbox.msb </dev/null >/dev/null 2>"$T/err"
assert_eq 255 "$rc" "-W with forwarding off"
assert_match 'administratively prohibited' "$(cat "$T/err")" "-W refused"
run_rc ussh -o ExitOnForwardFailure=yes -R "127.0.0.1:$(free_port):127.0.0.1:$HP" devbox.msb true 2>/dev/null
assert_eq 255 "$rc" "-R with forwarding off"
ok "unprivileged: forwarding off refuses -W and -R"
