#!/bin/sh
# ssh devbox.msb CMD through msb ssh config's ProxyCommand: stdout/stderr
# kept apart, exit status, stdin with EOF, 50 MiB binary-clean, the shell
# sees the sandbox (hostname, files, processes), stop/start and auto-start,
# which environment variables get in.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
msb_test_init
need_cmd ssh ssh-keygen sha256sum

ssh_sandbox devbox
ssh_setup devbox

run_rc tssh devbox.msb 'echo out; echo err >&2; exit 3' \
    >"$T/out" 2>"$T/err"
assert_eq 3 "$rc" "exit status of 'exit 3'"
assert_eq out "$(cat "$T/out")" "stdout"
assert_eq err "$(cat "$T/err")" "stderr"
ok "stdout and stderr separate, exit status 3"

got=$(printf 'a\nb\n' | tssh devbox.msb 'wc -l')
assert_eq 2 "$got" "wc -l of piped stdin"
got=$(tssh devbox.msb 'cat; echo done' </dev/null)
assert_eq done "$got" "stdin at EOF"
ok "stdin streamed with EOF"

head -c 50M /dev/urandom >"$T/big"
want=$(sha256sum <"$T/big" | cut -d' ' -f1)
got=$(tssh devbox.msb cat <"$T/big" | sha256sum | cut -d' ' -f1)
assert_eq "$want" "$got" "sha256 of 50 MiB through ssh devbox.msb cat"
rm -f "$T/big"
ok "50 MiB of random bytes arrive intact"

run_rc tssh -tt devbox.msb 'test -t 0 && exit 4' </dev/null >/dev/null 2>&1
assert_eq 4 "$rc" "ssh -tt exit status (command saw a tty)"
ok "ssh -t CMD gets a pty and passes the status"

assert_eq devbox "$(tssh devbox.msb hostname)" "hostname"
# /var/tmp: persistent (the sandbox's /tmp is a fresh tmpfs per start)
marker=/var/tmp/msb-ssh-marker.$$
tssh devbox.msb "echo inside > $marker"
[ ! -e "$marker" ] || fail "$marker written in the sandbox appeared on the host"
assert_eq inside "$(tssh devbox.msb "cat $marker")" "file inside"
ok "hostname is the sandbox name; a file written inside is not on the host"

procs=$(tssh devbox.msb 'ps -eo pid=,comm=')
assert_match '^ *1 msb-agent$' "$procs" "PID 1 is the agent"
n=$(printf '%s\n' "$procs" | wc -l)
[ "$n" -lt 10 ] || fail "ps shows $n processes, expected only the sandbox's: $procs"
if printf '%s\n' "$procs" | grep -Eq 'sshd|msb-proxy|msb-shell|make'; then
	fail "host processes visible inside: $procs"
fi
ok "ps shows only sandbox processes"

"$MSB" stop devbox >/dev/null
state=$("$MSB" ls | awk '$1 == "devbox" { print $2 }')
assert_eq stopped "$state" "state after msb stop"
assert_eq inside "$(tssh devbox.msb "cat $marker")" \
    "file after stop + ssh (auto-start)"
state=$("$MSB" ls | awk '$1 == "devbox" { print $2 }')
assert_eq running "$state" "state after ssh to a stopped sandbox"
"$MSB" stop devbox >/dev/null
"$MSB" start devbox >/dev/null
assert_eq devbox "$(tssh devbox.msb hostname)" "after msb start"
ok "survives msb stop/start; a stopped sandbox is started by ssh"

got=$(LANG=C.UTF-8 LC_TIME=C.UTF-8 MSB_TEST_HOSTONLY=leak tssh -o 'SendEnv=LANG LC_* MSB_TEST_HOSTONLY' devbox.msb \
    'echo "$LANG|$LC_TIME|${MSB_TEST_HOSTONLY-unset}|$USER|$HOME|${MSB_SANDBOX-unset}|${MSB_AGENT_SOCKET-unset}|${SSH_CONNECTION:+set}"')
assert_eq "C.UTF-8|C.UTF-8|unset|root|/root|unset|unset|set" "$got" "environment"
ok "LANG/LC_* forwarded; host-only and msb variables are not"

# The sftp subsystem is handed to msb-sftp-server with the sandbox's SFTP
# policy as sftp-server style flags and the session user (a recording
# stand-in replaces the server: msb-sftp-server has tests of its own).
ssh_sandbox policy --sftp-read-only --sftp-deny remove,rmdir --sftp-log-level VERBOSE
ssh_setup devbox policy
cat >"$T/fake-sftp-server" <<'EOS'
#!/bin/sh
echo "FAKE-SFTP args=[$*] user=[$MSB_SANDBOX_USER] sandbox=[$MSB_SANDBOX] sock=${MSB_AGENT_SOCKET##*/} env=$(env | grep -cv '^MSB_\|^PWD=\|^SHLVL=\|^_=')"
EOS
chmod 755 "$T/fake-sftp-server"
fake_proxy="env MSB_SFTP_SERVER=$T/fake-sftp-server $MSB ssh serve policy --stdio"
got=$(tssh -o "ProxyCommand=$fake_proxy" -s policy.msb sftp </dev/null)
assert_eq "FAKE-SFTP args=[-R -P remove,rmdir -l VERBOSE] user=[] sandbox=[policy] sock=agent.sock env=0" \
    "$got" "sftp subsystem of the owner"
got=$(tssh -o "ProxyCommand=$fake_proxy" -s nobody@policy.msb sftp </dev/null)
assert_match 'user=\[nobody\]' "$got" "sftp subsystem as nobody@"
ok "sftp subsystem: msb-sftp-server gets the policy flags, the user, a clean environment"

# Commands run by the account's own shell, as sshd does: bash syntax for a
# bash account, argv0 the shell's base name, nologin refuses.
shell=$(tssh devbox.msb 'getent passwd root' | cut -d: -f7)
case "$shell" in
*/bash)
	assert_eq "1 2 3 bash" "$(tssh devbox.msb 'echo {1..3} $0')" \
	    "bash brace expansion and \$0"
	;;
*)	assert_eq "${shell##*/}" "$(tssh devbox.msb 'echo $0')" "\$0" ;;
esac
if tssh devbox.msb 'getent passwd nobody' | grep -q ':/usr/sbin/nologin$'; then
	run_rc tssh nobody@devbox.msb 'echo ran' >"$T/out" 2>"$T/err"
	[ "$rc" != 0 ] || fail "nologin account ran a command"
	grep -q ran "$T/out" && fail "the command ran for a nologin account"
	assert_match "not available" "$(cat "$T/out" "$T/err")" "nologin's message"
fi
ok "remote commands run by the account's shell (\$0, bash syntax, nologin)"
