# msb-agent filesystem channel worker
msb_agent_msb_agent_SOURCES += msb-agent/fs-worker.h msb-agent/fs-worker.c
