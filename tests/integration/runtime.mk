# integration tests of the runtime component (real sandboxes)
INTEGRATION_TESTS += tests/integration/runtime-lifecycle.sh \
	tests/integration/runtime-create.sh tests/integration/runtime-log.sh \
	tests/integration/runtime-exec.sh \
	tests/integration/runtime-volumes.sh \
	tests/integration/runtime-unpriv.sh \
	tests/integration/security-pid1.sh \
	tests/integration/security-seccomp.sh \
	tests/integration/security-net.sh \
	tests/integration/security-mounts.sh \
	tests/integration/security-upper.sh \
	tests/integration/security-perms.sh \
	tests/integration/security-limits.sh
EXTRA_DIST += tests/integration/runtime-lib.sh
