# libmsb sources owned by the agent component: account files, the
# command-channel codecs (agent-msg.h is internal, not installed), the
# client library and the pty relay.
libmsb_la_SOURCES += lib/passwd.c lib/agent-msg.h lib/agent-msg.c \
	lib/agent-client.c lib/pty-relay.c lib/sockaddr.h lib/sockaddr.c
