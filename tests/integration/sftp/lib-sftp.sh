# Helpers for the sftp integration tests; source after lib.sh.
#
# start_dev_agent [ARGS...]: a standalone msb-agent (dev mode: the host's
#   root as the "sandbox") on $T/agent.sock; stopped when the test exits.
#   Used by the tests that exercise msb-sftp-server itself, without sshd.
# msb_sftp_server: the server command line for that agent (sftp -D).

SFTP_DIR="$MSB_SRCDIR/tests/integration/sftp"
AGENT_PID=
BG_PIDS=

# bg_track PID: a background process of the test, killed at exit.
bg_track() {
	BG_PIDS="$BG_PIDS $1"
}

sftp_test_cleanup() {
	rc=$?
	set +e                     # a failing kill/wait must not cut this short
	for p in $BG_PIDS; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	if [ -n "$AGENT_PID" ]; then
		kill "$AGENT_PID" 2>/dev/null
		wait "$AGENT_PID" 2>/dev/null
		AGENT_PID=
	fi
	(exit $rc)
	msb_test_cleanup
}

sftp_test_init() {
	msb_test_init
	trap sftp_test_cleanup EXIT
}

start_dev_agent() {
	rm -f "$T/agent.ready"
	"$MSB_AGENT" --name dev --listen "$T/agent.sock" --ready-fd 3 "$@" \
	    3>"$T/agent.ready" 2>>"$T/agent.log" &
	AGENT_PID=$!
	wait_until 10 grep -q ready "$T/agent.ready" ||
	    fail "the standalone agent did not start: $(cat "$T/agent.log")"
}

msb_sftp_server() {
	printf '%s -S %s' "$MSB_SFTP_SERVER" "$T/agent.sock"
}

# home_of USER: the directory a session of USER starts in (the home if it
# can be entered, else /), as the worker chooses it.
home_of() {
	h=$(getent passwd "$1" | cut -d: -f6)
	if [ -n "$h" ] && runuser -u "$1" -- test -x "$h" 2>/dev/null; then
		readlink -f "$h"
	elif [ "$(id -un)" = "$1" ] && [ -n "$h" ] && [ -x "$h" ]; then
		readlink -f "$h"
	else
		echo /
	fi
}

# sftp_sandbox NAME [msb create options...]: a sandbox with ssh access
# (ssh_setup) and, as root, a non-root account "app" inside it.
SFTP_BOX=
sftp_sandbox() {
	SFTP_BOX=$1
	shift
	"$MSB" create "$SFTP_BOX" "$@" >/dev/null || fail "msb create $SFTP_BOX $*"
	ssh_setup "$SFTP_BOX"
	if [ "$(id -u)" = 0 ]; then
		box "useradd -m -s /bin/sh app" || fail "useradd app in the sandbox"
	fi
}

# box CMD: run a shell command inside the sandbox as root.
box() {
	with_timeout 60 "$MSB" exec "$SFTP_BOX" -- sh -c "$1"
}
