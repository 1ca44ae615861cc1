# libmsb sources owned by the ssh component: key handling, the per-sandbox
# host key, durations, sshd config and account view generation.
libmsb_la_SOURCES += \
	lib/base64.c lib/sha256.c lib/keys.c lib/authkeys.c lib/duration.c \
	lib/hostkey.c lib/sshd-config.c lib/serve-opts.c lib/stdio-guard.c \
	lib/proctitle.c
msbinclude_HEADERS += \
	lib/msb/base64.h lib/msb/sha256.h lib/msb/keys.h lib/msb/authkeys.h \
	lib/msb/duration.h lib/msb/hostkey.h lib/msb/sshd-config.h \
	lib/msb/serve-opts.h lib/msb/stdio-guard.h lib/msb/proctitle.h
