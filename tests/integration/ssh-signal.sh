#!/bin/sh
# Signals and disconnects: a command killed by a signal is reported as
# exit-signal (paramiko sees TERM; OpenSSH's ssh, which ignores
# exit-signal, exits 255), and a client that goes away leaves nothing
# running in the sandbox (without and with a pty).
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
msb_test_init
need_cmd ssh ssh-keygen
"$PYTHON3" -c 'import paramiko' 2>/dev/null ||
    skip "python3-paramiko is not installed ($PYTHON3)"

ssh_sandbox devbox
ssh_setup devbox
proxy=$(sed -n 's/^[[:space:]]*ProxyCommand //p' "$T/ssh_config" | head -1)
kh="$MSB_HOME/sandboxes/devbox/ssh/known_hosts"
me=$(id -un)

got=$(with_timeout 60 "$PYTHON3" "$MSB_SRCDIR/tests/integration/exit_signal.py" \
    "$proxy" "$T/id_ed25519" "$kh" devbox.msb "$me" 'kill -TERM $$')
assert_eq "exit-signal TERM core=0" "$got" "paramiko: kill -TERM \$\$"
got=$(with_timeout 60 "$PYTHON3" "$MSB_SRCDIR/tests/integration/exit_signal.py" \
    "$proxy" "$T/id_ed25519" "$kh" devbox.msb "$me" 'kill -USR1 $$')
assert_eq "exit-signal USR1 core=0" "$got" "paramiko: kill -USR1 \$\$"
got=$(with_timeout 60 "$PYTHON3" "$MSB_SRCDIR/tests/integration/exit_signal.py" \
    "$proxy" "$T/id_ed25519" "$kh" devbox.msb "$me" 'kill -KILL $$')
assert_eq "exit-signal KILL core=0" "$got" "paramiko: kill -KILL \$\$"
got=$(with_timeout 60 "$PYTHON3" "$MSB_SRCDIR/tests/integration/exit_signal.py" \
    "$proxy" "$T/id_ed25519" "$kh" devbox.msb "$me" 'exit 7')
assert_eq "exit-status 7" "$got" "paramiko: exit 7"
ok "a signal death arrives as exit-signal (TERM, USR1, KILL); exit 7 as exit-status"

run_rc tssh devbox.msb 'kill -TERM $$' >/dev/null 2>&1
assert_eq 255 "$rc" "OpenSSH ssh after kill -TERM \$\$"
ok "OpenSSH ssh exits 255 for a signal death"

no_sleep_left() { ! sandbox_procs devbox | grep -qx sleep; }
sleep_running() { sandbox_procs devbox | grep -qx sleep; }

for mode in -T -tt; do
	# ssh itself (not tssh's timeout wrapper) is the client to kill
	ssh -F "$T/ssh_config" "$mode" devbox.msb 'sleep 1000' \
	    </dev/null >/dev/null 2>&1 &
	client=$!
	wait_until 30 sleep_running || fail "sleep 1000 ($mode) never started"
	kill -KILL "$client"
	wait "$client" 2>/dev/null || true
	wait_until 10 no_sleep_left ||
	    fail "sleep 1000 ($mode) still runs 10 s after the client was killed"
	ok "client killed during sleep 1000 ($mode): nothing left in the sandbox"
done
