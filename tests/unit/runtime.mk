# unit tests of the runtime component
RUNTIME_UNIT_TESTS = tests/unit/test_volume tests/unit/test_home \
	tests/unit/test_sandbox_config
check_PROGRAMS += $(RUNTIME_UNIT_TESTS)
TESTS += $(RUNTIME_UNIT_TESTS)

tests_unit_test_volume_SOURCES = tests/unit/test_volume.c
tests_unit_test_volume_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_volume_LDFLAGS = $(UNIT_LD_FLAGS)
tests_unit_test_volume_LDADD = $(UNIT_LINK_LIBS)

tests_unit_test_home_SOURCES = tests/unit/test_home.c
tests_unit_test_home_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_home_LDFLAGS = $(UNIT_LD_FLAGS)
tests_unit_test_home_LDADD = $(UNIT_LINK_LIBS)

tests_unit_test_sandbox_config_SOURCES = tests/unit/test_sandbox_config.c
tests_unit_test_sandbox_config_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_sandbox_config_LDFLAGS = $(UNIT_LD_FLAGS)
tests_unit_test_sandbox_config_LDADD = $(UNIT_LINK_LIBS)

# The SFTP request names of libmsb against msb-sftp-server's table, and the
# create-time checks (links the server's request table, not a copy).
check_PROGRAMS += tests/unit/test_sftp_names
TESTS += tests/unit/test_sftp_names
tests_unit_test_sftp_names_SOURCES = tests/unit/test_sftp_names.c \
	$(MSB_SFTP_CORE_SOURCES)
tests_unit_test_sftp_names_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_sftp_names_LDFLAGS = $(UNIT_LD_FLAGS)
tests_unit_test_sftp_names_LDADD = $(UNIT_LINK_LIBS)
