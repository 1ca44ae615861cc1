#!/bin/sh
# msb ssh serve: argument checking, the --port loopback listener (two
# concurrent clients, connection limit, clean stop) and the inactivity
# timeout (a tiny value through a custom ProxyCommand).
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
msb_test_init
need_cmd ssh ssh-keygen

ssh_sandbox devbox
ssh_setup devbox

# ---- argument checking ----
bad() {  # expected-message args...
	msg=$1; shift
	run_rc "$MSB" ssh serve "$@" </dev/null >"$T/out" 2>"$T/err"
	[ "$rc" != 0 ] || fail "msb ssh serve $* succeeded"
	[ ! -s "$T/out" ] || fail "msb ssh serve $* wrote to stdout"
	assert_match "$msg" "$(cat "$T/err")" "msb ssh serve $*"
}
bad 'exactly one of --stdio and --port' devbox
bad 'exactly one of --stdio and --port' devbox --stdio --port 2222
bad 'invalid port' devbox --port 0
bad 'invalid port' devbox --port 70000
bad 'invalid --host' devbox --port 2222 --host example.org
bad '--host needs --port' devbox --stdio --host 127.0.0.1
bad 'invalid duration' devbox --stdio --inactivity-timeout later
bad 'invalid duration' devbox --stdio --inactivity-timeout 1.5h
bad 'conflict' devbox --stdio --inactivity-timeout 5s --no-inactivity-timeout
bad 'invalid --log-level' devbox --stdio --log-level LOUD
bad 'missing sandbox name' --stdio
bad "sandbox 'nosuch' does not exist" nosuch --stdio
bad 'invalid sandbox name' 'x y' --stdio
ok "bad serve arguments: clear errors, nothing on stdout"

# ---- listener ----
port=$(free_port)
"$MSB" ssh serve devbox --port "$port" --max-connections 2 2>"$T/serve.err" &
server=$!
at_exit "kill -TERM $server"
wait_until 30 "$PYTHON3" -c "import socket; socket.create_connection(('127.0.0.1', $port), 1).close()" ||
    fail "listener on 127.0.0.1:$port never came up: $(cat "$T/serve.err")"
assert_match "serving sandbox devbox on 127.0.0.1:$port" "$(cat "$T/serve.err")" "banner"
grep -v -e ProxyCommand -e HostName "$T/ssh_config" >"$T/ssh_config.tcp"
pssh() { timeout --kill-after=5 60 ssh -F "$T/ssh_config.tcp" -p "$port" \
    -o HostName=127.0.0.1 "$@"; }

# client 1 can only finish while client 2 runs: proves they are concurrent
rm -f "$T/c1.out"
pssh devbox.msb 'touch /tmp/c1-up; i=0; while [ ! -e /tmp/c2-up ]; do
    i=$((i+1)); [ $i -lt 300 ] || exit 9; sleep 0.1; done; echo one' >"$T/c1.out" &
c1=$!
wait_until 30 "$MSB" exec devbox -- test -e /tmp/c1-up || fail "client 1 never started"
got=$(pssh devbox.msb 'touch /tmp/c2-up; echo two $SSH_CONNECTION')
assert_match '^two 127\.0\.0\.1 [0-9]+ 127\.0\.0\.1 '"$port"'$' "$got" "client 2"
wait "$c1" || fail "client 1 failed"
assert_eq one "$(cat "$T/c1.out")" "client 1"
ok "two concurrent clients through the --port listener"

# connection limit: 2 sessions open, the third is turned away at once
pssh devbox.msb 'sleep 30' >/dev/null 2>&1 &
h1=$!
pssh devbox.msb 'sleep 30' >/dev/null 2>&1 &
h2=$!
wait_until 30 sh -c "[ \$(\"$MSB\" exec devbox -- ps -eo comm= | grep -cx sleep) -ge 2 ]" ||
    fail "the two holding sessions never started"
run_rc pssh devbox.msb true 2>/dev/null
[ "$rc" = 255 ] || fail "a third connection over --max-connections 2 got in (rc $rc)"
kill "$h1" "$h2" 2>/dev/null || true
wait "$h1" "$h2" 2>/dev/null || true
ok "--max-connections: an extra connection is refused"

kill -TERM "$server"
run_rc wait "$server"
assert_eq 0 "$rc" "listener exit status after SIGTERM"
if "$PYTHON3" -c "import socket; socket.create_connection(('127.0.0.1', $port), 1).close()" 2>/dev/null; then
	fail "port $port still accepts connections after SIGTERM"
fi
ok "SIGTERM stops the listener cleanly"

# ---- inactivity timeout: interactive sessions only ----
# `msb ssh config NAME --inactivity-timeout` passes it on to the ProxyCommand.
"$MSB" ssh config devbox --inactivity-timeout 3s >"$T/ssh_config.idle" ||
    fail "msb ssh config --inactivity-timeout"
assert_match 'ProxyCommand .* ssh serve devbox --stdio --inactivity-timeout 3s$' \
    "$(grep ProxyCommand "$T/ssh_config.idle")" "ProxyCommand with the timeout"
sed -n '/^Host \*/,$p' "$T/ssh_config" >>"$T/ssh_config.idle"
issh() { timeout --kill-after=5 60 ssh -F "$T/ssh_config.idle" "$@"; }

# A silent command is not idleness: it runs to its end (stock sshd does too).
got=$(issh devbox.msb 'sleep 6; echo done')
assert_eq done "$got" "a command silent for twice the timeout"

# An idle shell is closed although its input is still open. fd 7 holds the
# fifo open, so ssh's stdin never reaches EOF: only the timeout ends it.
mkfifo "$T/idle.in"
exec 7<>"$T/idle.in"
issh -T devbox.msb <"$T/idle.in" >"$T/idle.out" 2>"$T/idle.err" &
idle=$!
echo 'echo shell-up' >&7
wait_until 30 grep -q shell-up "$T/idle.out" || fail "the shell never answered"
wait_until 30 sh -c "! kill -0 $idle" ||
    fail "an idle shell was not closed with --inactivity-timeout 3s"
run_rc wait "$idle"
[ "$rc" != 124 ] && [ "$rc" != 137 ] || fail "ssh had to be killed (rc $rc)"
echo 'echo too-late' >&7 2>/dev/null || true
exec 7>&-
! grep -q too-late "$T/idle.out" || fail "the shell ran a command after the timeout"

# The same for an idle sftp session (subsystem).
mkfifo "$T/sftp.in"
exec 7<>"$T/sftp.in"
timeout --kill-after=5 60 sftp -F "$T/ssh_config.idle" devbox.msb \
    <"$T/sftp.in" >"$T/sftp.out" 2>&1 &
idle=$!
echo 'ls -1 /etc/passwd' >&7
wait_until 30 grep -qx '/etc/passwd' "$T/sftp.out" ||
    fail "sftp never answered: $(cat "$T/sftp.out")"
# sftp only notices at its next command; its ssh notices at once.
sftp_pid=$(pgrep -P "$idle" -x sftp) || fail "no sftp process"
wait_until 30 sh -c "! pgrep -P $sftp_pid -x ssh" ||
    fail "an idle sftp session was not closed"
echo 'bye' >&7
wait_until 30 sh -c "! kill -0 $idle" || fail "sftp did not end"
run_rc wait "$idle"
exec 7>&-

# A connection without a channel (ssh -N) is closed too.
run_rc issh -N devbox.msb 2>/dev/null
[ "$rc" != 124 ] && [ "$rc" != 137 ] || fail "ssh -N (no channel) was never closed"

# A shell with traffic stays; --no-inactivity-timeout disables it.
got=$(printf 'for i in 1 2 3 4 5 6; do echo tick; sleep 1; done; echo busy-ok\n' |
    issh -T devbox.msb | tail -1)
assert_eq busy-ok "$got" "a shell with output every second"
"$MSB" ssh config devbox --no-inactivity-timeout >"$T/ssh_config.noidle"
sed -n '/^Host \*/,$p' "$T/ssh_config" >>"$T/ssh_config.noidle"
grep -q 'ProxyCommand .* --no-inactivity-timeout$' "$T/ssh_config.noidle" ||
    fail "--no-inactivity-timeout not passed on"
ok "the inactivity timeout closes idle shells, sftp sessions and channel-less connections; silent commands run on"

# ---- exit status ----
run_rc "$MSB" ssh serve nosuch --stdio </dev/null >/dev/null 2>&1
assert_eq 1 "$rc" "msb ssh serve of a missing sandbox"
run_rc "$MSB" ssh serve devbox --stdio --port 1 </dev/null >/dev/null 2>&1
assert_eq 2 "$rc" "msb ssh serve usage error"
run_rc "$MSB_PROXY" devbox </dev/null >/dev/null 2>&1
assert_eq 2 "$rc" "msb-proxy usage error"
run_rc "$MSB_PROXY" nosuch --stdio </dev/null >/dev/null 2>&1
assert_eq 1 "$rc" "msb-proxy with a missing sandbox"
run_rc ssh -F "$T/ssh_config" -o "ProxyCommand=$MSB ssh serve nosuch --stdio" \
    nosuch.msb true 2>/dev/null
assert_eq 255 "$rc" "ssh through a failing ProxyCommand"
ok "serve exits 1 on failure, 2 on usage errors; ssh reports 255"
