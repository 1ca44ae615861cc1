# Security component: libFuzzer harnesses (built with clang by
# `make fuzz` / fuzz/build.sh, never by make check), the replay of their
# corpora as regression tests in make check (ordinary compiler, ASan with
# --enable-asan), and the unit test of the resource limit parsers.
FUZZ_HARNESSES = agent-msg frame passwd keys sftp exec-plan
EXTRA_DIST += fuzz/build.sh fuzz/seeds.py fuzz/fuzz.h fuzz/corpus \
	$(FUZZ_HARNESSES:%=fuzz/fuzz-%.c)

FUZZ_REPLAY_LD = $(AM_LDFLAGS) $(MSB_STATIC_LINK)
check_PROGRAMS += fuzz/replay-agent-msg fuzz/replay-frame \
	fuzz/replay-passwd fuzz/replay-keys fuzz/replay-sftp \
	fuzz/replay-exec-plan
TESTS += fuzz/replay-agent-msg fuzz/replay-frame fuzz/replay-passwd \
	fuzz/replay-keys fuzz/replay-sftp fuzz/replay-exec-plan
fuzz_replay_agent_msg_SOURCES = fuzz/replay.c fuzz/fuzz-agent-msg.c fuzz/fuzz.h
fuzz_replay_agent_msg_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_NAME='"agent-msg"'
fuzz_replay_agent_msg_LDFLAGS = $(FUZZ_REPLAY_LD)
fuzz_replay_agent_msg_LDADD = $(MSB_LINK_LIBS)
fuzz_replay_frame_SOURCES = fuzz/replay.c fuzz/fuzz-frame.c fuzz/fuzz.h
fuzz_replay_frame_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_NAME='"frame"'
fuzz_replay_frame_LDFLAGS = $(FUZZ_REPLAY_LD)
fuzz_replay_frame_LDADD = $(MSB_LINK_LIBS)
fuzz_replay_passwd_SOURCES = fuzz/replay.c fuzz/fuzz-passwd.c fuzz/fuzz.h
fuzz_replay_passwd_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_NAME='"passwd"'
fuzz_replay_passwd_LDFLAGS = $(FUZZ_REPLAY_LD)
fuzz_replay_passwd_LDADD = $(MSB_LINK_LIBS)
fuzz_replay_keys_SOURCES = fuzz/replay.c fuzz/fuzz-keys.c fuzz/fuzz.h
fuzz_replay_keys_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_NAME='"keys"'
fuzz_replay_keys_LDFLAGS = $(FUZZ_REPLAY_LD)
fuzz_replay_keys_LDADD = $(MSB_LINK_LIBS)
fuzz_replay_sftp_SOURCES = fuzz/replay.c fuzz/fuzz-sftp.c fuzz/fuzz.h \
	msb-sftp-server/packet.c
fuzz_replay_sftp_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_NAME='"sftp"' \
	-I$(top_srcdir)/msb-sftp-server
fuzz_replay_sftp_LDFLAGS = $(FUZZ_REPLAY_LD)
fuzz_replay_sftp_LDADD = $(MSB_LINK_LIBS)
fuzz_replay_exec_plan_SOURCES = fuzz/replay.c fuzz/fuzz-exec-plan.c \
	fuzz/fuzz.h msb-agent/plan.c
fuzz_replay_exec_plan_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_NAME='"exec-plan"' \
	-I$(top_srcdir)/msb-agent
fuzz_replay_exec_plan_LDFLAGS = $(FUZZ_REPLAY_LD)
fuzz_replay_exec_plan_LDADD = $(MSB_LINK_LIBS)

check_PROGRAMS += tests/unit/test_limits
TESTS += tests/unit/test_limits
tests_unit_test_limits_SOURCES = tests/unit/test_limits.c
tests_unit_test_limits_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_limits_LDFLAGS = $(UNIT_LD_FLAGS)
tests_unit_test_limits_LDADD = $(UNIT_LINK_LIBS)

# Regressions of bugs the harnesses found, as unit tests.
check_PROGRAMS += tests/unit/test_authkeys_snapshot
TESTS += tests/unit/test_authkeys_snapshot
tests_unit_test_authkeys_snapshot_SOURCES = tests/unit/test_authkeys_snapshot.c
tests_unit_test_authkeys_snapshot_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_authkeys_snapshot_LDFLAGS = $(UNIT_LD_FLAGS)
tests_unit_test_authkeys_snapshot_LDADD = $(UNIT_LINK_LIBS)

# Build the libFuzzer harnesses into fuzz/ of the build tree (clang).
fuzz:
	$(SHELL) $(srcdir)/fuzz/build.sh $(srcdir) $(abs_top_builddir) \
	    $(abs_top_builddir)/fuzz
.PHONY: fuzz
