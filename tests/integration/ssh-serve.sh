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

# ---- inactivity timeout ----
proxy=$(sed -n 's/^[[:space:]]*ProxyCommand //p' "$T/ssh_config" | head -1)
start=$(date +%s)
run_rc tssh -o "ProxyCommand=$proxy --inactivity-timeout 2s" devbox.msb \
    'sleep 30; echo not-cut' >"$T/out" 2>/dev/null
took=$(( $(date +%s) - start ))
[ "$took" -lt 20 ] || fail "an idle session survived ${took}s with --inactivity-timeout 2s"
[ "$(cat "$T/out")" != not-cut ] || fail "the idle command ran to its end"
start=$(date +%s)
run_rc tssh -N -o "ProxyCommand=$proxy --inactivity-timeout 2s" devbox.msb 2>/dev/null
took=$(( $(date +%s) - start ))
[ "$took" -lt 20 ] || fail "ssh -N (no channel) survived ${took}s"
got=$(tssh -o "ProxyCommand=$proxy --inactivity-timeout 2s" devbox.msb \
    'for i in 1 2 3 4 5; do echo tick; sleep 1; done; echo busy-ok' | tail -1)
assert_eq busy-ok "$got" "a session with traffic every second"
got=$(tssh -o "ProxyCommand=$proxy --inactivity-timeout 0" devbox.msb 'sleep 4; echo zero-ok')
assert_eq zero-ok "$got" "--inactivity-timeout 0 disables the timeout"
ok "the inactivity timeout closes idle sessions and connections, not busy ones"
