# integration tests of the agent component: the agent in dev mode on a
# socket under $T, driven by tests/tools/agent-cli (and python for raw
# frames and real terminals); agent-pid1.sh runs it as PID 1 of a pid
# namespace in launch mode.
INTEGRATION_TESTS += tests/integration/agent-exec.sh \
	tests/integration/agent-user.sh tests/integration/agent-pty.sh \
	tests/integration/agent-signal.sh tests/integration/agent-protocol.sh \
	tests/integration/agent-concurrency.sh tests/integration/agent-pid1.sh \
	tests/integration/agent-accounts.sh
EXTRA_DIST += tests/integration/agent-lib.sh
