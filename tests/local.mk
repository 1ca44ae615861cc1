# make check: Criterion unit tests (tests/unit) and integration scripts that
# drive real sshd, real OpenSSH clients and real sandboxes (tests/integration).
UNIT_CC_FLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS) $(LIBCONFIG_CFLAGS) $(LIBBSD_CFLAGS)
UNIT_LD_FLAGS = $(AM_LDFLAGS) $(MSB_STATIC_LINK)
UNIT_LINK_LIBS = $(MSB_LINK_LIBS) $(CRITERION_LIBS)

check_PROGRAMS += tests/unit/test_buf tests/unit/test_proto tests/unit/test_name
tests_unit_test_buf_SOURCES = tests/unit/test_buf.c
tests_unit_test_buf_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_buf_LDFLAGS = $(UNIT_LD_FLAGS)
tests_unit_test_buf_LDADD = $(UNIT_LINK_LIBS)
tests_unit_test_proto_SOURCES = tests/unit/test_proto.c
tests_unit_test_proto_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_proto_LDFLAGS = $(UNIT_LD_FLAGS)
tests_unit_test_proto_LDADD = $(UNIT_LINK_LIBS)
tests_unit_test_name_SOURCES = tests/unit/test_name.c
tests_unit_test_name_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_name_LDFLAGS = $(UNIT_LD_FLAGS)
tests_unit_test_name_LDADD = $(UNIT_LINK_LIBS)
TESTS += tests/unit/test_buf tests/unit/test_proto tests/unit/test_name

TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	MSB_SRCDIR='$(abs_top_srcdir)'; MSB_BUILDDIR='$(abs_top_builddir)'; \
	MSB='$(abs_top_builddir)/msb/msb'; \
	MSB_AGENT='$(abs_top_builddir)/msb-agent/msb-agent'; \
	MSB_SHELL='$(abs_top_builddir)/msb-shell/msb-shell'; \
	MSB_PROXY='$(abs_top_builddir)/msb-proxy/msb-proxy'; \
	MSB_SFTP_SERVER='$(abs_top_builddir)/msb-sftp-server/msb-sftp-server'; \
	MSB_SSHD='$(SSHD_PATH)'; STOCK_SFTP_SERVER='$(STOCK_SFTP_SERVER)'; \
	export MSB_SRCDIR MSB_BUILDDIR MSB MSB_AGENT MSB_SHELL MSB_PROXY \
	  MSB_SFTP_SERVER MSB_SSHD STOCK_SFTP_SERVER;

EXTRA_DIST += tests/integration/lib.sh tests/integration/README

include $(srcdir)/tests/unit/runtime.mk
include $(srcdir)/tests/unit/agent.mk
include $(srcdir)/tests/unit/ssh.mk
include $(srcdir)/tests/unit/sftp.mk
include $(srcdir)/tests/integration/local.mk
