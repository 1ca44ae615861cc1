# msb-agent: PID 1 of every sandbox. Fully static so that it runs in any
# root filesystem (it is executed from a host fd before the sandbox's own
# libraries are in place); ASan cannot link statically, so that build is
# dynamic and works with the `host` image only.
pkglibexec_PROGRAMS += msb-agent/msb-agent
msb_agent_msb_agent_SOURCES = msb-agent/main.c msb-agent/agent.h \
	msb-agent/loop.c msb-agent/conn.c msb-agent/cmd.c \
	msb-agent/session.c msb-agent/worker.c msb-agent/plan.h \
	msb-agent/plan.c msb-agent/child.c
if ENABLE_ASAN
msb_agent_msb_agent_LDFLAGS = $(AM_LDFLAGS) $(MSB_STATIC_LINK)
else
msb_agent_msb_agent_LDFLAGS = $(AM_LDFLAGS) -all-static
endif
msb_agent_msb_agent_LDADD = $(MSB_LINK_LIBS)
include $(srcdir)/msb-agent/fs.mk
