#!/bin/sh
# msb-agent under load: 100 concurrent sessions (pipes and ptys), reaping
# of double-forked orphans, and no zombie or fd left afterwards.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/agent-lib.sh"
agent_test_init
start_agent --user "$AGENT_USER"
base_fds=$(agent_nfds)

# 100 sessions at once, all alive at the same time (each waits for the go
# file), each with its own output and status.
mkdir "$T/c"
i=0
pids=
while [ $i -lt 100 ]; do
	if [ $((i % 10)) -eq 9 ]; then
		"$AGENT_CLI" exec -t -- sh -c "while [ ! -e $T/go ]; do sleep 0.05; done; echo session-$i; exit $((i % 7))" \
		    </dev/null >"$T/c/$i" 2>&1 &
	else
		"$AGENT_CLI" exec -- sh -c "while [ ! -e $T/go ]; do sleep 0.05; done; echo session-$i; exit $((i % 7))" \
		    >"$T/c/$i" 2>&1 &
	fi
	pids="$pids $!"
	i=$((i + 1))
done
# Wait until all 100 are running in the agent, then release them.
n=0
while [ "$(agent_children_matching "$T/go" | wc -l)" -lt 100 ]; do
	n=$((n + 1))
	[ $n -lt 300 ] || fail "only $(agent_children_matching "$T/go" | wc -l) of 100 sessions started"
	sleep 0.1
done
touch "$T/go"
i=0
for p in $pids; do
	st=0
	wait "$p" || st=$?
	assert_eq $((i % 7)) "$st" "status of session $i"
	assert_eq "session-$i" "$(tr -d '\r' <"$T/c/$i")" "output of session $i"
	i=$((i + 1))
done
ok "100 concurrent sessions (90 pipes, 10 ptys) all succeeded"

# Connection churn: quick connect/HELLO/close cycles.
i=0
while [ $i -lt 300 ]; do
	acli ping >/dev/null || fail "ping $i failed"
	i=$((i + 1))
done
ok "300 connect/disconnect cycles"

# Orphans: a double fork leaves a grandchild that the agent inherits (it
# is a child subreaper) and must reap.
acli exec -- sh -c 'sh -c "sleep 1.5 && :" >/dev/null 2>&1 </dev/null & exit 0'
n=0
while [ -z "$(agent_children_matching 'sleep 1.5 && :')" ]; do
	n=$((n + 1)); [ $n -lt 50 ] || fail "orphan not reparented to the agent"; sleep 0.1
done
orphan=$(agent_children_matching 'sleep 1.5 && :')
wait_until 10 sh -c "! kill -0 $orphan 2>/dev/null" || fail "orphan $orphan not reaped (still present)"
ok "double-forked orphan reparented to and reaped by the agent"

wait_until 5 sh -c "[ \$(ls /proc/$AGENT_PID/fd | wc -l) -eq $base_fds ]" ||
    fail "agent fds: $(agent_nfds), expected $base_fds"
[ -z "$(agent_zombies)" ] || fail "zombies left: $(agent_zombies)"
[ -z "$(ps -o pid= --ppid "$AGENT_PID")" ] || fail "children left: $(ps -o pid=,args= --ppid "$AGENT_PID")"
ok "no zombies, no children, no fd leak"
stop_agent
