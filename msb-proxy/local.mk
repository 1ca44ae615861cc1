# msb-proxy: runs stock sshd -i per connection
pkglibexec_PROGRAMS += msb-proxy/msb-proxy
msb_proxy_msb_proxy_SOURCES = msb-proxy/main.c msb-proxy/proxy.h \
	msb-proxy/session.c msb-proxy/accview.c msb-proxy/listen.c \
	msb-proxy/netns.c msb-proxy/mounts.c
msb_proxy_msb_proxy_LDFLAGS = $(AM_LDFLAGS) $(MSB_STATIC_LINK)
msb_proxy_msb_proxy_LDADD = $(MSB_LINK_LIBS)
