# integration tests of the runtime component (real sandboxes)
INTEGRATION_TESTS += tests/integration/runtime-lifecycle.sh \
	tests/integration/runtime-exec.sh \
	tests/integration/runtime-volumes.sh \
	tests/integration/runtime-unpriv.sh
EXTRA_DIST += tests/integration/runtime-lib.sh
