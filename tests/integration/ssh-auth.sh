#!/bin/sh
# Who gets in and as whom: authorized / never authorized / removed keys,
# per-key options honoured by sshd, password and keyboard-interactive auth
# refused, the SSH user name selecting the sandbox account, unknown
# accounts refused, every kind of forwarding refused, host key pinning, and
# clear errors for unknown sandboxes and invalid names.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
msb_test_init
need_cmd ssh ssh-keygen ssh-agent

ssh_sandbox devbox
ssh_setup devbox

# ---- keys ----
# kssh KEY ...: tssh with only KEY offered (IdentityFile in a config adds up)
kssh() {
	key=$1; shift
	grep -v IdentityFile "$T/ssh_config" >"$T/ssh_config.nokey"
	timeout --kill-after=5 120 ssh -F "$T/ssh_config.nokey" -o "IdentityFile=$key" "$@"
}
ssh-keygen -q -t ed25519 -N '' -C other -f "$T/other"
run_rc kssh "$T/other" devbox.msb true 2>"$T/err"
assert_eq 255 "$rc" "never authorized key"
assert_match 'Permission denied \(publickey\)' "$(cat "$T/err")" "message"
ok "a key that was never authorized is refused"

"$MSB" ssh authorize --file "$T/other.pub" >/dev/null
assert_eq ok "$(kssh "$T/other" devbox.msb 'echo ok')" "after authorize"
fp=$(ssh-keygen -lf "$T/other.pub" | cut -d' ' -f2)
"$MSB" ssh authorize --remove "$fp" >/dev/null
run_rc kssh "$T/other" devbox.msb true 2>"$T/err"
assert_eq 255 "$rc" "removed key"
assert_match 'Permission denied' "$(cat "$T/err")" "message"
ok "an authorized key works; once removed it is refused"

ssh-keygen -q -t ed25519 -N '' -C limited -f "$T/limited"
"$MSB" ssh authorize --key "from=\"192.0.2.1\" $(cat "$T/limited.pub")" >/dev/null
run_rc kssh "$T/limited" devbox.msb true 2>/dev/null
assert_eq 255 "$rc" "key restricted with from= used from elsewhere"
ssh-keygen -q -t ed25519 -N '' -C expired -f "$T/expired"
"$MSB" ssh authorize --key "expiry-time=\"20000101\" $(cat "$T/expired.pub")" >/dev/null
run_rc kssh "$T/expired" devbox.msb true 2>/dev/null
assert_eq 255 "$rc" "expired key"
ssh-keygen -q -t ed25519 -N '' -C nopty -f "$T/nopty"
"$MSB" ssh authorize --key "no-pty $(cat "$T/nopty.pub")" >/dev/null
run_rc kssh "$T/nopty" -tt devbox.msb true </dev/null >/dev/null 2>"$T/err"
assert_match 'PTY allocation request failed' "$(cat "$T/err")" "no-pty key with -tt"
got=$(kssh "$T/nopty" devbox.msb 'test -t 0 && echo tty || echo notty' </dev/null)
assert_eq notty "$got" "no-pty key without -t"
ok "authorized_keys options are honoured (from=, expiry-time=, no-pty)"

# command= (sshd ignores it under our ForceCommand; msb-shell applies it)
ssh-keygen -q -t ed25519 -N '' -C cmdkey -f "$T/cmdkey"
"$MSB" ssh authorize --key "command=\"echo \\\"forced:\$SSH_ORIGINAL_COMMAND\\\"\",no-pty $(cat "$T/cmdkey.pub")" >/dev/null
got=$(kssh "$T/cmdkey" devbox.msb 'touch /tmp/not-allowed; echo ran')
assert_eq "forced:touch /tmp/not-allowed; echo ran" "$got" "command= replaces the client's command"
"$MSB" exec devbox -- test ! -e /tmp/not-allowed || fail "the client's command ran"
assert_eq "forced:" "$(kssh "$T/cmdkey" -T devbox.msb </dev/null)" "command= replaces the shell"
got=$(kssh "$T/cmdkey" -s devbox.msb sftp </dev/null)
assert_match '^forced:/.*msb-sftp-server$' "$got" "command= replaces the sftp subsystem"
ok "a key's command= option replaces commands, shells and subsystems"

# certificates: a cert-authority line (with command=) and force-command
ssh-keygen -q -t ed25519 -N '' -C ca -f "$T/ca"
ssh-keygen -q -t ed25519 -N '' -C certuser -f "$T/certuser"
ssh-keygen -q -s "$T/ca" -I certuser -n "$(id -un)" "$T/certuser.pub"
"$MSB" ssh authorize --key "cert-authority,command=\"echo ca-forced\" $(cat "$T/ca.pub")" >/dev/null
assert_eq ca-forced "$(kssh "$T/certuser" devbox.msb 'echo free')" "cert-authority line with command="
ssh-keygen -q -t ed25519 -N '' -C ca2 -f "$T/ca2"
ssh-keygen -q -t ed25519 -N '' -C certuser2 -f "$T/certuser2"
ssh-keygen -q -s "$T/ca2" -I certuser2 -n "$(id -un)" -O force-command="echo cert-forced" "$T/certuser2.pub"
"$MSB" ssh authorize --key "cert-authority $(cat "$T/ca2.pub")" >/dev/null
assert_eq cert-forced "$(kssh "$T/certuser2" devbox.msb 'echo free')" "certificate force-command"
ssh-keygen -q -t ed25519 -N '' -C certuser3 -f "$T/certuser3"
ssh-keygen -q -s "$T/ca2" -I certuser3 -n "$(id -un)" "$T/certuser3.pub"
assert_eq free "$(kssh "$T/certuser3" devbox.msb 'echo free')" "certificate without force-command"
ok "certificates: cert-authority command= and force-command are applied"

for m in password keyboard-interactive; do
	run_rc tssh -o "PreferredAuthentications=$m" -o PubkeyAuthentication=no \
	    -o NumberOfPasswordPrompts=1 devbox.msb true 2>"$T/err" </dev/null
	assert_eq 255 "$rc" "$m authentication"
	assert_match 'Permission denied \(publickey\)' "$(cat "$T/err")" \
	    "$m: only publickey offered"
done
ok "password and keyboard-interactive authentication are refused"

# ---- accounts ----
# useradd writes the host image's /etc, which only root's sandboxes can.
if have_root "useradd in the sandbox (the host image's /etc is read-only in unprivileged sandboxes)"; then
	"$MSB" exec devbox -- useradd -m -s /bin/sh app
	assert_eq app "$(tssh app@devbox.msb 'id -un')" "ssh app@"
	assert_eq /home/app "$(tssh app@devbox.msb 'echo $HOME')" "app's HOME"
fi
assert_eq root "$(tssh root@devbox.msb 'id -un')" "ssh root@"
assert_eq root "$(tssh devbox.msb 'id -un')" "the owner's login name: default user"
run_rc tssh nosuchuser@devbox.msb true 2>"$T/err"
assert_eq 255 "$rc" "unknown account"
assert_match 'Permission denied' "$(cat "$T/err")" "unknown account message"
log_has devbox "Invalid user nosuchuser" || fail "no 'Invalid user' line in the log"
ok "the SSH user name selects the sandbox account; unknown ones are refused"

# ---- forwarding ----
run_rc tssh -W 127.0.0.1:22 devbox.msb 2>"$T/err" </dev/null
assert_eq 255 "$rc" "-W"
assert_match 'administratively prohibited|stdio forwarding failed' "$(cat "$T/err")" "-W message"
run_rc tssh -o ExitOnForwardFailure=yes -R 127.0.0.1:0:127.0.0.1:9 devbox.msb true 2>"$T/err"
assert_eq 255 "$rc" "-R"
assert_match 'forwarding failed' "$(cat "$T/err")" "-R message"
for opt in L D; do
	port=$(free_port)
	if [ "$opt" = L ]; then spec="127.0.0.1:$port:127.0.0.1:9"; else spec="127.0.0.1:$port"; fi
	ssh -F "$T/ssh_config" -o LogLevel=INFO -N "-$opt" "$spec" devbox.msb 2>"$T/err-$opt" &
	pid=$!
	# wait for the local listener, then use it once (SOCKS5 for -D)
	wait_until 30 "$PYTHON3" -c "import socket; socket.create_connection(('127.0.0.1', $port), 1).close()" ||
	    fail "-$opt listener never came up"
	"$PYTHON3" - "$port" "$opt" <<'EOP' || true
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5)
s.settimeout(5)
if sys.argv[2] == "D":
    s.sendall(b"\x05\x01\x00")
    s.recv(2)
    s.sendall(b"\x05\x01\x00\x01\x7f\x00\x00\x01\x00\x16")
try:
    s.recv(100)
except OSError:
    pass
EOP
	wait_until 10 grep -q 'administratively prohibited' "$T/err-$opt" ||
	    fail "-$opt: forwarded connection was not refused: $(cat "$T/err-$opt")"
	kill "$pid"
	wait "$pid" 2>/dev/null || true
done
eval "$(ssh-agent -s)" >/dev/null
ssh-add -q "$T/id_ed25519" 2>/dev/null
got=$(tssh -A devbox.msb 'echo "${SSH_AUTH_SOCK-none}"') || true
ssh-agent -k >/dev/null 2>&1 || true
assert_eq none "$got" "SSH_AUTH_SOCK with -A"
got=$(DISPLAY=:0 tssh -Y -o LogLevel=INFO devbox.msb 'echo "${DISPLAY-none}"' 2>"$T/err") || true
assert_eq none "$got" "DISPLAY with -Y"
assert_match 'X11 forwarding request failed' "$(cat "$T/err")" "-Y refused message"
ok "forwarding refused: -W, -R, -L, -D, -A, -Y (X11)"

# ---- host key pinning ----
mkdir "$T/emptyhome"
got=$(HOME="$T/emptyhome" tssh -o StrictHostKeyChecking=yes devbox.msb 'echo pinned')
assert_eq pinned "$got" "first connection with no known_hosts of the user's own"
[ ! -e "$T/emptyhome/.ssh/known_hosts" ] || fail "the client wrote a known_hosts file"
mv "$MSB_HOME/sandboxes/devbox/ssh/host_ed25519" "$T/old_host_key"
run_rc tssh devbox.msb true 2>"$T/err"
assert_eq 255 "$rc" "changed host key"
assert_match 'REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed' \
    "$(cat "$T/err")" "changed host key message"
ok "the first connection needs no prompt; a changed host key is refused"
ssh_setup devbox      # msb ssh config pins the new key
assert_eq again "$(tssh devbox.msb 'echo again')" "after msb ssh config"
ok "msb ssh config pins the current key again"

# ---- unknown sandbox, invalid name ----
run_rc ssh -F "$T/ssh_config" -o "ProxyCommand=$MSB ssh serve nosuch --stdio" nosuch.msb true 2>"$T/err"
assert_eq 255 "$rc" "unknown sandbox"
assert_match "sandbox 'nosuch' does not exist" "$(cat "$T/err")" "unknown sandbox message"
run_rc ssh -F "$T/ssh_config" -o "ProxyCommand=$MSB ssh serve -bad.name --stdio" bad.msb true 2>"$T/err"
assert_eq 255 "$rc" "invalid name"
assert_match "invalid sandbox name|unknown option" "$(cat "$T/err")" "invalid name message"
run_rc ssh -F "$T/ssh_config" -o "ProxyCommand=$MSB ssh serve 'a/b' --stdio" bad.msb true 2>"$T/err"
assert_eq 255 "$rc" "invalid name"
assert_match "invalid sandbox name 'a/b'" "$(cat "$T/err")" "invalid name message"
run_rc "$MSB" ssh config nosuch >"$T/out" 2>"$T/err"
assert_eq 1 "$rc" "msb ssh config nosuch"
[ ! -s "$T/out" ] || fail "msb ssh config printed something for an unknown sandbox"
run_rc "$MSB" ssh config devbox 'bad name' >"$T/out" 2>"$T/err"
assert_eq 2 "$rc" "msb ssh config with an invalid name (usage error)"
[ ! -s "$T/out" ] || fail "msb ssh config printed a partial result"
assert_match "invalid sandbox name" "$(cat "$T/err")" "config message"
ok "unknown sandbox and invalid names: clear messages, status 255 through ssh, 1 (2 for a bad name) from msb"
