#!/bin/sh
# The system-sshd snippet (sshd_config.d/msb.conf): accepted by `sshd -t`
# when Included, its Match block applies, and a real sshd using it hands
# a host account to its own sandbox through `msb-shell --sandbox %u`
# (%u expanded by msb-shell), starting the sandbox if needed; the sftp
# subsystem goes to msb-sftp-server (a recording stand-in here).
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
msb_test_init
need_cmd ssh ssh-keygen

snippet="$MSB_BUILDDIR/sshd_config.d/msb.conf"
[ -f "$snippet" ] || fail "$snippet was not built"
me=$(id -un)
grp=$(id -gn)
ssh-keygen -q -t ed25519 -N '' -f "$T/hostkey"
ssh-keygen -q -t ed25519 -N '' -C sys -f "$T/id"
cp "$T/id.pub" "$T/authorized_keys"

# sshd -t as root wants /run/sshd: give it a private one when we can
sshd_check() {
	if [ "$(id -u)" = 0 ]; then
		unshare -m sh -c 'mount --make-rprivate / && mount -t tmpfs tmpfs /run &&
		    mkdir -m 755 /run/sshd && exec "$0" "$@"' "$MSB_SSHD" "$@"
	else
		"$MSB_SSHD" "$@"
	fi
}

cat >"$T/main.conf" <<EOC
HostKey $T/hostkey
AuthorizedKeysFile $T/authorized_keys
Include $snippet
EOC
sshd_check -t -f "$T/main.conf" || fail "sshd -t rejects a config that includes $snippet"
ok "sshd -t accepts the shipped snippet"

# The snippet as an admin would adapt it: our group, the build's msb-shell.
sed -e "s/^Match Group msb-users/Match Group $grp/" \
    -e "s|ForceCommand exec [^ ]*/msb-shell|ForceCommand exec $MSB_SHELL|" \
    "$snippet" >"$T/msb.conf"
grep -q "ForceCommand exec $MSB_SHELL --sandbox %u" "$T/msb.conf" ||
    fail "unexpected ForceCommand in the snippet: $(grep ForceCommand "$snippet")"
cat >"$T/fake-sftp-server" <<'EOS'
#!/bin/sh
echo "FAKE-SFTP args=[$*] user=[$MSB_SANDBOX_USER] sock=${MSB_AGENT_SOCKET##*/}"
EOS
chmod 755 "$T/fake-sftp-server"
cat >"$T/sys.conf" <<EOC
HostKey $T/hostkey
AuthorizedKeysFile $T/authorized_keys
StrictModes no
PidFile none
UsePAM no
LogLevel VERBOSE
Subsystem sftp /usr/lib/openssh/sftp-server
SetEnv "MSB_HOME=$MSB_HOME" "MSB_AGENT=$MSB_AGENT" "MSB_SFTP_SERVER=$T/fake-sftp-server"
Include $T/msb.conf
EOC
sshd_check -T -f "$T/sys.conf" -C "user=$me,host=h,addr=127.0.0.1" >"$T/effective" ||
    fail "sshd -T failed"
for want in "forcecommand exec $MSB_SHELL --sandbox %u" "permittty yes" \
    "allowtcpforwarding no" "allowagentforwarding no" "x11forwarding no" \
    "authenticationmethods publickey" "passwordauthentication no"; do
	grep -qxF "$want" "$T/effective" || fail "Match block does not set: $want"
done
ok "the Match block applies to members of the group"

# A real sshd with that config; the sandbox is named after the login name.
ssh_sandbox "$me"
"$MSB" stop "$me" >/dev/null
[ "$(id -u)" != 0 ] || mkdir -p -m 755 /run/sshd
sys_ssh() {
	timeout --kill-after=5 60 ssh -F /dev/null -i "$T/id" -o IdentitiesOnly=yes \
	    -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
	    -o LogLevel=ERROR -o "ProxyCommand=$MSB_SSHD -i -f $T/sys.conf -E $T/sshd.log" \
	    "$@"
}
run_rc sys_ssh "$me@gateway" 'echo out; hostname; echo err >&2; exit 4' >"$T/out" 2>"$T/err"
assert_eq 4 "$rc" "exit status through the system sshd"
assert_eq "out
$me" "$(cat "$T/out")" "stdout (hostname = the sandbox named after the login)"
assert_eq err "$(cat "$T/err")" "stderr"
ok "system sshd + msb-shell --sandbox %u: the user's own sandbox, auto-started"

# A system sshd runs as root: as another user it cannot give the pty to
# the login's tty group (chown fails and sshd gives up the session).
if have_root "sshd must chown the session's pty, as a system sshd does"; then
	got=$(sys_ssh -tt "$me@gateway" 'tty' </dev/null | tr -d '\r')
	assert_match '^/dev/pts/[0-9]+$' "$got" "pty through the system sshd"
	ok "pty sessions through the system sshd"
fi
got=$(sys_ssh -s "$me@gateway" sftp </dev/null)
assert_eq "FAKE-SFTP args=[] user=[] sock=agent.sock" "$got" "sftp subsystem dispatch"
ok "the sftp subsystem through the system sshd"
