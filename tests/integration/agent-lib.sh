# Helpers for the agent's integration tests (sourced after lib.sh).
# The agent runs in dev mode on a socket under $T; tests/tools/agent-cli
# drives it through the client library.

AGENT_CLI=${AGENT_CLI:-$MSB_BUILDDIR/tests/tools/agent-cli}
AGENT_PID=
[ -x "$AGENT_CLI" ] || fail "$AGENT_CLI missing (make check builds it)"
# Programs run as the user the tests run as: root (CI) or, unprivileged, the
# only user a dev-mode agent can "switch" to. Switching to another user is
# covered by agent-user.sh, which needs root.
AGENT_USER=$(id -un 2>/dev/null) ||
    skip "uid $(id -u) has no name in the passwd file"

agent_test_cleanup() {
	rc=$?
	set +e
	if [ -n "$AGENT_PID" ]; then
		kill -TERM "$AGENT_PID" 2>/dev/null
		wait "$AGENT_PID" 2>/dev/null
	fi
	if [ "$rc" != 0 ] && [ "$rc" != 77 ] && [ -f "$T/agent.log" ]; then
		echo "--- agent log:" >&2
		tail -n 40 "$T/agent.log" >&2
	fi
	(exit "$rc")
	msb_test_cleanup
}

agent_test_init() {
	msb_test_init
	trap agent_test_cleanup EXIT
	export MSB_AGENT_SOCK="$T/agent.sock"
}

# start_agent [agent options...]: dev mode, waits until it answers.
start_agent() {
	"$MSB_AGENT" --name agenttest --listen "$MSB_AGENT_SOCK" \
	    --log-level verbose "$@" 2>>"$T/agent.log" &
	AGENT_PID=$!
	wait_until 10 "$AGENT_CLI" ping || fail "agent did not start"
}

# stop_agent: SIGTERM, must exit 0 within 10 s and remove its socket.
stop_agent() {
	kill -TERM "$AGENT_PID" || fail "agent is not running"
	n=0
	while kill -0 "$AGENT_PID" 2>/dev/null; do
		n=$((n + 1))
		[ $n -lt 100 ] || fail "agent did not stop within 10 s"
		sleep 0.1
	done
	st=0
	wait "$AGENT_PID" || st=$?
	AGENT_PID=
	assert_eq 0 "$st" "agent exit status after SIGTERM"
	[ ! -e "$MSB_AGENT_SOCK" ] || fail "agent left its socket behind"
}

acli() { "$AGENT_CLI" "$@"; }

# Children of the agent in state Z (zombies), one pid per line.
agent_zombies() {
	ps -o pid=,stat= --ppid "$AGENT_PID" 2>/dev/null | awk '$2 ~ /^Z/ { print $1 }'
}

# Number of open fds of the agent.
agent_nfds() {
	ls "/proc/$AGENT_PID/fd" | wc -l
}

# pids of the agent's children whose command line contains $1.
agent_children_matching() {
	for p in $(ps -o pid= --ppid "$AGENT_PID" 2>/dev/null); do
		if tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -q -- "$1"; then
			echo "$p"
		fi
	done
}

# True when no child of the agent matches $1.
agent_no_child() {
	[ -z "$(agent_children_matching "$1")" ]
}
