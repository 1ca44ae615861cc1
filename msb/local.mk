# msb: the CLI
bin_PROGRAMS += msb/msb
msb_msb_SOURCES = msb/main.c msb/cmd.h msb/opts.h msb/opts.c \
	msb/cmd-sandbox.c msb/cmd-exec.c
msb_msb_LDFLAGS = $(AM_LDFLAGS) $(MSB_STATIC_LINK)
msb_msb_LDADD = $(MSB_LINK_LIBS)
include $(srcdir)/msb/ssh.mk
