# msb-sftp-server: SFTP v3 + OpenSSH extensions over the filesystem channel
pkglibexec_PROGRAMS += msb-sftp-server/msb-sftp-server
msb_sftp_server_msb_sftp_server_SOURCES = msb-sftp-server/main.c
msb_sftp_server_msb_sftp_server_LDFLAGS = $(AM_LDFLAGS) $(MSB_STATIC_LINK)
msb_sftp_server_msb_sftp_server_LDADD = $(MSB_LINK_LIBS)
