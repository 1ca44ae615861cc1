# msb-sftp-server: SFTP v3 + OpenSSH extensions over the filesystem channel
pkglibexec_PROGRAMS += msb-sftp-server/msb-sftp-server
# Everything but main.c, so unit tests can link the pieces.
MSB_SFTP_CORE_SOURCES = \
	msb-sftp-server/sftp.h msb-sftp-server/server.h msb-sftp-server/ops.h \
	msb-sftp-server/packet.h msb-sftp-server/packet.c \
	msb-sftp-server/handle.h msb-sftp-server/handle.c \
	msb-sftp-server/status.h msb-sftp-server/status.c \
	msb-sftp-server/longname.h msb-sftp-server/longname.c \
	msb-sftp-server/ops.c msb-sftp-server/policy.c \
	msb-sftp-server/reply.c msb-sftp-server/dispatch.c \
	msb-sftp-server/worker.c msb-sftp-server/loop.h msb-sftp-server/loop.c \
	msb-sftp-server/h-file.c msb-sftp-server/h-copy.c \
	msb-sftp-server/h-path.c msb-sftp-server/h-dir.c msb-sftp-server/h-ext.c
msb_sftp_server_msb_sftp_server_SOURCES = msb-sftp-server/main.c \
	$(MSB_SFTP_CORE_SOURCES)
msb_sftp_server_msb_sftp_server_LDFLAGS = $(AM_LDFLAGS) $(MSB_STATIC_LINK)
msb_sftp_server_msb_sftp_server_LDADD = $(MSB_LINK_LIBS)
