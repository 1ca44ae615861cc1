# msb-shell: sshd's ForceCommand
pkglibexec_PROGRAMS += msb-shell/msb-shell
msb_shell_msb_shell_SOURCES = msb-shell/main.c msb-shell/shell.h \
	msb-shell/session.c msb-shell/sftp.c msb-shell/system.c \
	msb-shell/keycmd.c
msb_shell_msb_shell_LDFLAGS = $(AM_LDFLAGS) $(MSB_STATIC_LINK)
msb_shell_msb_shell_LDADD = $(MSB_LINK_LIBS)
