# Integration tests: each script is one feature; exit 0 pass, 77 skip (with a
# printed reason), anything else fails. Add scripts to INTEGRATION_TESTS.
INTEGRATION_TESTS =
include $(srcdir)/tests/integration/runtime.mk
include $(srcdir)/tests/integration/agent.mk
include $(srcdir)/tests/integration/ssh.mk
include $(srcdir)/tests/integration/sftp.mk
include $(srcdir)/tests/integration/peer.mk
INTEGRATION_TESTS += tests/integration/programs-help.sh
TESTS += $(INTEGRATION_TESTS)
EXTRA_DIST += $(INTEGRATION_TESTS)
