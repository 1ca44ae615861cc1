# integration tests of the runtime component
INTEGRATION_TESTS += tests/integration/runtime-lifecycle.sh
INTEGRATION_TESTS += tests/integration/runtime-volumes.sh
INTEGRATION_TESTS += tests/integration/runtime-exec.sh
INTEGRATION_TESTS += tests/integration/runtime-unpriv.sh
