#!/bin/sh
# msb-agent runs programs as another account of the passwd file: uid, gid,
# supplementary groups, HOME/USER/SHELL, home directory; and cannot go back.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/agent-lib.sh"
need_root "creates a user with useradd and switches to it"
need_cmd useradd userdel groupadd groupdel setpriv runuser
agent_test_init

U=msbagent$$
G=msbagentg$$
# useradd takes a lock on /etc/passwd; retry if another test holds it.
retry() {
	n=0
	until "$@" >/dev/null 2>&1; do
		n=$((n + 1))
		[ $n -lt 50 ] || return 1
		sleep 0.1
	done
}
cleanup_user() {
	retry userdel -r "$U" || true
	retry groupdel "$G" || true
}
trap 'rc=$?; set +e; cleanup_user; (exit $rc); agent_test_cleanup' EXIT
retry groupadd "$G" || fail "groupadd $G"
retry useradd -m -d "$T/home-$U" -s /bin/sh -G "$G" "$U" || fail "useradd $U"
uid=$(id -u "$U")
gid=$(id -g "$U")
sgid=$(getent group "$G" | cut -d: -f3)

start_agent
out=$(acli exec -u "$U" -- sh -c 'echo "$(id -u) $(id -g) $(id -G) $USER $LOGNAME $HOME $SHELL $PATH $(pwd)"')
assert_eq "$uid $gid $gid $sgid $U $U $T/home-$U /bin/sh /usr/local/bin:/usr/bin:/bin:/usr/games $T/home-$U" "$out" "identity of the session"
ok "uid/gid/groups/HOME/USER/SHELL/PATH and home directory"

# Files it creates belong to it (umask 022).
acli exec -u "$U" -- sh -c 'echo x > f'
assert_eq "$U $G 644" "$(stat -c '%U %G %a' "$T/home-$U/f" | sed "s/ $U / $G /")" "owner of a new file"
# Privileges cannot be regained, and root's files stay protected.
st=0
acli exec -u "$U" -- sh -c 'cat /etc/shadow' 2>/dev/null || st=$?
[ "$st" != 0 ] || fail "the user could read /etc/shadow"
assert_eq 0000000000000000 "$(acli exec -u "$U" -- sh -c 'grep ^CapEff /proc/self/status' | awk '{print $2}')" "effective capabilities"
ok "runs unprivileged"

# A missing home: warning like sshd, runs in /.
rm -rf "$T/home-$U"
out=$(acli exec -u "$U" -- pwd 2>"$T/err")
assert_eq / "$out" "cwd with a missing home"
assert_match "Could not chdir to home directory $T/home-$U: No such file or directory" "$(cat "$T/err")" "warning"
ok "missing home falls back to / with sshd's warning"

# The pty slave belongs to the session user.
owner=$(acli exec -t -C / -u "$U" -- sh -c 'stat -c %U $(tty)' </dev/null | tr -d '\r')
assert_eq "$U" "$owner" "owner of the pty"
ok "pty owned by the session user"
stop_agent

# An unprivileged agent (dev mode run by the user itself): its own account
# works without any switch; another account is refused with a clear error.
mkdir -p "$T/bin" "$T/home-$U"
chown "$U" "$T/home-$U"
cp "$MSB_AGENT" "$AGENT_CLI" "$T/bin/"
chmod 755 "$T/bin" "$T/bin"/*
# setpriv execs (runuser would stay as the parent and turn SIGTERM into 1).
setpriv --reuid="$U" --regid="$gid" --init-groups -- "$T/bin/msb-agent" --name unpriv --listen "$T/home-$U/agent.sock" \
    2>>"$T/agent.log" &
upid=$!
wait_until 10 runuser -u "$U" -- "$T/bin/agent-cli" -s "$T/home-$U/agent.sock" ping ||
    fail "unprivileged agent did not start"
assert_eq "$uid $U" "$(runuser -u "$U" -- "$T/bin/agent-cli" -s "$T/home-$U/agent.sock" exec -- sh -c 'echo "$(id -u) $USER"')" "session of an unprivileged agent"
st=0
runuser -u "$U" -- "$T/bin/agent-cli" -s "$T/home-$U/agent.sock" exec -u root -- id 2>"$T/err" || st=$?
assert_eq 126 "$st" "switching to root without privilege"
assert_match "cannot switch to user 'root'" "$(cat "$T/err")" "message"
kill -TERM "$upid"
wait "$upid" || fail "unprivileged agent exit status"
ok "unprivileged dev-mode agent: own account only"
