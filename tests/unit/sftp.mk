# unit tests of the sftp component: msb-sftp-server's decoder and dispatcher,
# the agent's filesystem channel worker
check_PROGRAMS += tests/unit/test_sftp_packet tests/unit/test_sftp_dispatch \
	tests/unit/test_fs_worker
TESTS += tests/unit/test_sftp_packet tests/unit/test_sftp_dispatch \
	tests/unit/test_fs_worker
tests_unit_test_sftp_packet_SOURCES = tests/unit/test_sftp_packet.c \
	$(MSB_SFTP_CORE_SOURCES)
tests_unit_test_sftp_packet_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_sftp_packet_LDFLAGS = $(UNIT_LD_FLAGS)
tests_unit_test_sftp_packet_LDADD = $(UNIT_LINK_LIBS)
tests_unit_test_sftp_dispatch_SOURCES = tests/unit/test_sftp_dispatch.c \
	$(MSB_SFTP_CORE_SOURCES)
tests_unit_test_sftp_dispatch_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_sftp_dispatch_LDFLAGS = $(UNIT_LD_FLAGS)
tests_unit_test_sftp_dispatch_LDADD = $(UNIT_LINK_LIBS)
tests_unit_test_fs_worker_SOURCES = tests/unit/test_fs_worker.c \
	$(MSB_AGENT_FS_SOURCES)
tests_unit_test_fs_worker_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_fs_worker_LDFLAGS = $(UNIT_LD_FLAGS)
tests_unit_test_fs_worker_LDADD = $(UNIT_LINK_LIBS)
