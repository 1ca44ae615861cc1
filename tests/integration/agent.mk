# integration tests of the agent component (agent in dev mode on a socket
# under $T, driven by tests/tools/agent-cli; agent-pid1.sh runs it as PID 1)
INTEGRATION_TESTS += tests/integration/agent-exec.sh \
	tests/integration/agent-user.sh
EXTRA_DIST += tests/integration/agent-lib.sh
