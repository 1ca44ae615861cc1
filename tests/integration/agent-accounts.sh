#!/bin/sh
# msb-agent reads accounts from the passwd/group files of its own root, with
# no name service: a private mount namespace gives the agent its own
# /etc/passwd and /etc/group (hostile lines included, and more accounts
# than fit in one ACCOUNTS_REPLY).
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/agent-lib.sh"
need_root "bind-mounts account files in a private mount namespace"
need_cmd unshare
agent_test_init

pw="$T/passwd"
gr="$T/group"
{
	echo "root:x:0:0:root:/root:/bin/sh"
	echo "# a comment:x:1:1::/:/bin/sh"
	echo "+nis::::::"
	echo "broken line without fields"
	echo "neg:x:-5:1::/:/bin/sh"
	echo "ghost:x:4242:4343:Not on the host:$T/ghost:/bin/sh"
	i=0
	while [ $i -lt 6000 ]; do
		echo "user$i:x:$((20000 + i)):100::/home/a-rather-long-home-directory-name/user$i:/bin/sh"
		i=$((i + 1))
	done
} >"$pw"
printf 'root:x:0:\nghostgrp:x:4343:\nextra:x:4444:ghost\nbad:x:zz:ghost\n' >"$gr"
mkdir "$T/ghost"
chown 4242:4343 "$T/ghost"

unshare -m --propagation private sh -c \
    'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/group && shift 2 && exec "$@"' \
    sh "$pw" "$gr" "$MSB_AGENT" --name agenttest --listen "$MSB_AGENT_SOCK" \
    --user ghost --log-level verbose 2>>"$T/agent.log" &
AGENT_PID=$!
wait_until 10 "$AGENT_CLI" ping || fail "agent did not start"

# A user that exists only in the sandbox's files.
out=$(acli exec -- sh -c 'echo "$(id -u) $(id -g) $(id -G) $USER $HOME $(pwd)"')
assert_eq "4242 4343 4343 4444 ghost $T/ghost $T/ghost" "$out" "default user from the private passwd"
ok "identity from the sandbox's own files (no NSS)"

# The list stops at the frame limit, in file order, and says so in the log.
acli accounts >"$T/acc"
assert_eq "default ghost" "$(head -n 1 "$T/acc")" "default user"
assert_eq "root 0 0 /root /bin/sh" "$(sed -n 2p "$T/acc")" "first entry"
assert_eq "ghost 4242 4343 $T/ghost /bin/sh" "$(sed -n 3p "$T/acc")" "malformed lines skipped"
assert_eq "user0 20000 100 /home/a-rather-long-home-directory-name/user0 /bin/sh" "$(sed -n 4p "$T/acc")" "third entry"
n=$(($(wc -l <"$T/acc") - 1))
[ "$n" -gt 1000 ] && [ "$n" -lt 6002 ] || fail "$n accounts listed"
last=$(tail -n 1 "$T/acc" | awk '{print $1}')
assert_eq "user$((n - 3))" "$last" "no gap in the list"
grep -q "accounts fit in one frame; list truncated" "$T/agent.log" || fail "truncation not logged"
ok "ACCOUNTS truncated at the frame limit ($n of 6002 listed)"
stop_agent
