# unit tests of the ssh component
check_PROGRAMS += tests/unit/test_keys tests/unit/test_duration \
	tests/unit/test_sshd_config
tests_unit_test_keys_SOURCES = tests/unit/test_keys.c
tests_unit_test_keys_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_keys_LDFLAGS = $(UNIT_LD_FLAGS)
tests_unit_test_keys_LDADD = $(UNIT_LINK_LIBS)
tests_unit_test_duration_SOURCES = tests/unit/test_duration.c
tests_unit_test_duration_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_duration_LDFLAGS = $(UNIT_LD_FLAGS)
tests_unit_test_duration_LDADD = $(UNIT_LINK_LIBS)
tests_unit_test_sshd_config_SOURCES = tests/unit/test_sshd_config.c
tests_unit_test_sshd_config_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_sshd_config_LDFLAGS = $(UNIT_LD_FLAGS)
tests_unit_test_sshd_config_LDADD = $(UNIT_LINK_LIBS)
TESTS += tests/unit/test_keys tests/unit/test_duration \
	tests/unit/test_sshd_config
