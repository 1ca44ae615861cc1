# unit tests of the agent component, and the agent test driver
# (tests/tools/agent-cli, used by tests/integration/agent-*.sh and free for
# other components' tests).
check_PROGRAMS += tests/tools/agent-cli
tests_tools_agent_cli_SOURCES = tests/tools/agent-cli.c
tests_tools_agent_cli_LDFLAGS = $(AM_LDFLAGS) $(MSB_STATIC_LINK)
tests_tools_agent_cli_LDADD = $(MSB_LINK_LIBS)

AGENT_UNIT_TESTS = tests/unit/test_passwd tests/unit/test_agent_msg \
	tests/unit/test_agent_plan tests/unit/test_agent_client
check_PROGRAMS += $(AGENT_UNIT_TESTS)
TESTS += $(AGENT_UNIT_TESTS)

tests_unit_test_passwd_SOURCES = tests/unit/test_passwd.c
tests_unit_test_passwd_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_passwd_LDFLAGS = $(UNIT_LD_FLAGS)
tests_unit_test_passwd_LDADD = $(UNIT_LINK_LIBS)

tests_unit_test_agent_msg_SOURCES = tests/unit/test_agent_msg.c
tests_unit_test_agent_msg_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_agent_msg_LDFLAGS = $(UNIT_LD_FLAGS)
tests_unit_test_agent_msg_LDADD = $(UNIT_LINK_LIBS)

# Links the agent's plan builder itself (no copy, no #include of .c files).
tests_unit_test_agent_plan_SOURCES = tests/unit/test_agent_plan.c \
	msb-agent/plan.c
tests_unit_test_agent_plan_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/msb-agent
tests_unit_test_agent_plan_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_agent_plan_LDFLAGS = $(UNIT_LD_FLAGS)
tests_unit_test_agent_plan_LDADD = $(UNIT_LINK_LIBS)

tests_unit_test_agent_client_SOURCES = tests/unit/test_agent_client.c \
	tests/unit/fake-agent.c tests/unit/fake-agent.h
tests_unit_test_agent_client_CFLAGS = $(UNIT_CC_FLAGS)
tests_unit_test_agent_client_LDFLAGS = $(UNIT_LD_FLAGS)
tests_unit_test_agent_client_LDADD = $(UNIT_LINK_LIBS)

# The pty relay against a slow client (regressions found in the
# host-side audit: lost output after EXITED, a POLLHUP busy loop).
check_PROGRAMS += tests/unit/test_pty_relay
TESTS += tests/unit/test_pty_relay
tests_unit_test_pty_relay_SOURCES = tests/unit/test_pty_relay.c \
	tests/unit/fake-agent.c tests/unit/fake-agent.h
tests_unit_test_pty_relay_CFLAGS = $(UNIT_CC_FLAGS) -pthread
tests_unit_test_pty_relay_LDFLAGS = $(UNIT_LD_FLAGS)
tests_unit_test_pty_relay_LDADD = $(UNIT_LINK_LIBS) -lpthread
