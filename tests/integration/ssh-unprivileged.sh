#!/bin/sh
# The SSH path run by an unprivileged host user (sshd then runs in an
# identity-mapped user namespace with the generated account view): exec
# with status and separate streams, stdin, the sandbox's view, accounts,
# a pty (no tty group is needed), exit-signal, disconnect cleanup.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
msb_test_init
need_cmd ssh ssh-keygen
setup_test_user

as_test_user "$T/bin/msb" create devbox >/dev/null || fail "msb create as $TEST_USER"
U="$T/userhome"
as_test_user sh -c '
	set -e
	ssh-keygen -q -t ed25519 -N "" -C unpriv -f "$HOME/id"
	"$MSB" ssh authorize --file "$HOME/id.pub" >/dev/null
	"$MSB" ssh config devbox >"$HOME/ssh_config"
	printf "Host *\n\tIdentityFile %s/id\n\tIdentitiesOnly yes\n\tBatchMode yes\n\tLogLevel ERROR\n" \
	    "$HOME" >>"$HOME/ssh_config"
' || fail "ssh setup as $TEST_USER"
ussh() { as_test_user timeout --kill-after=5 120 ssh -F "$U/ssh_config" "$@"; }

run_rc ussh devbox.msb 'echo out; echo err >&2; exit 3' >"$T/out" 2>"$T/err"
assert_eq 3 "$rc" "exit status"
assert_eq out "$(cat "$T/out")" "stdout"
assert_eq err "$(cat "$T/err")" "stderr"
assert_eq 2 "$(printf 'a\nb\n' | ussh devbox.msb 'wc -l')" "stdin"
ok "unprivileged: status 3, stdout/stderr separate, stdin"

assert_eq devbox "$(ussh devbox.msb hostname)" "hostname"
ussh devbox.msb 'echo inside > /tmp/msb-unpriv-marker'
[ ! -e /tmp/msb-unpriv-marker ] || fail "a file written in the sandbox appeared on the host"
procs=$(ussh devbox.msb 'ps -eo comm=')
assert_match '^msb-agent$' "$(printf '%s\n' "$procs" | head -1)" "PID 1"
if printf '%s\n' "$procs" | grep -Eq 'sshd|msb-proxy'; then fail "host processes visible: $procs"; fi
ok "unprivileged: the shell sees the sandbox"

assert_eq "root 0" "$(ussh devbox.msb 'echo $(id -un) $(id -u)' 2>"$T/e")" \
    "owner's name: default user ($(cat "$T/e"))"
assert_eq "root 0" "$(ussh root@devbox.msb 'echo $(id -un) $(id -u)' 2>"$T/e")" \
    "root@ ($(cat "$T/e"))"
run_rc ussh nosuchuser@devbox.msb true 2>"$T/err"
assert_eq 255 "$rc" "unknown account"
assert_match 'Permission denied' "$(cat "$T/err")" "unknown account message"
ok "unprivileged: accounts selected by the SSH user name"

as_test_user sh -c '
	ssh-keygen -q -t ed25519 -N "" -C cmd -f "$HOME/cmd"
	"$MSB" ssh authorize --key "command=\"echo forced\" $(cat "$HOME/cmd.pub")" >/dev/null
	grep -v IdentityFile "$HOME/ssh_config" >"$HOME/ssh_config.cmd"
' || fail "command= key setup"
got=$(as_test_user timeout 60 ssh -F "$U/ssh_config.cmd" -i "$U/cmd" devbox.msb 'echo free')
assert_eq forced "$got" "command= key, unprivileged"
ok "unprivileged: a key's command= option is applied"

got=$(ussh -tt devbox.msb 'tty; stty size' </dev/null | tr -d '\r' | head -1)
assert_match '^/dev/pts/[0-9]+$' "$got" "pty inside the sandbox"
ok "unprivileged: pty sessions work"

run_rc ussh devbox.msb 'kill -TERM $$' 2>/dev/null
assert_eq 255 "$rc" "kill -TERM \$\$"
ok "unprivileged: a signal death ends ssh with 255 (exit-signal)"

sleep_running() { as_test_user "$T/bin/msb" exec devbox -- ps -eo comm= | grep -qx sleep; }
no_sleep_left() { ! sleep_running; }
tag="msb-unpriv-$$"
as_test_user ssh -F "$U/ssh_config" devbox.msb "sleep 1000; : $tag" </dev/null >/dev/null 2>&1 &
client=$!
wait_until 30 sleep_running || fail "sleep 1000 never started"
# the ssh client itself (a grandchild: subshell, [runuser,] ssh)
ssh_pid=$(pgrep -u "$TEST_USER" -f "^ssh .*$tag") || fail "cannot find the ssh client"
kill -KILL $ssh_pid
wait "$client" 2>/dev/null || true
wait_until 10 no_sleep_left || fail "sleep 1000 still runs after the client was killed"
ok "unprivileged: a killed client leaves nothing running"

# The connection's private /tmp: sshd's ExposeAuthInfo files (which name
# the key) stay out of the host's /tmp, unprivileged too.
key=$(cut -d' ' -f2 "$U/id.pub")
n=0
for f in /tmp/sshauth.*; do
	[ -e "$f" ] || continue
	if grep -qF -- "$key" "$f" 2>/dev/null; then n=$((n + 1)); fi
done
assert_eq 0 "$n" "sshauth files naming the test user's key in /tmp"
ok "unprivileged: nothing left in the host's /tmp"
