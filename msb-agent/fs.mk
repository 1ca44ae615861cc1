# msb-agent filesystem channel worker (PROTOCOL.md 4.3)
MSB_AGENT_FS_SOURCES = \
	msb-agent/fs-worker.h msb-agent/fs-worker.c \
	msb-agent/fs-ops.h msb-agent/fs-ops.c msb-agent/fs-dir.c \
	msb-agent/fs-users.c msb-agent/fs-path.h msb-agent/fs-path.c
msb_agent_msb_agent_SOURCES += $(MSB_AGENT_FS_SOURCES)
