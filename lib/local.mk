# libmsb: wire buffer, errors, logging, agent protocol (core)
libmsb_la_SOURCES += \
	lib/buf.c lib/err.c lib/log.c lib/xmalloc.c lib/proto.c lib/name.c \
	lib/progpath.c lib/sftp-names.c
msbinclude_HEADERS += \
	lib/msb/buf.h lib/msb/err.h lib/msb/error.h lib/msb/log.h \
	lib/msb/xmalloc.h lib/msb/proto.h lib/msb/name.h lib/msb/agent.h \
	lib/msb/pty-relay.h lib/msb/passwd.h lib/msb/sandbox.h \
	lib/msb/sftp-names.h

include $(srcdir)/lib/runtime.mk
include $(srcdir)/lib/agent.mk
include $(srcdir)/lib/ssh.mk
include $(srcdir)/lib/fs.mk
