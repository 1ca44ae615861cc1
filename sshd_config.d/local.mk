# Example snippet for the system sshd (installed as documentation, never
# activated automatically). Generated so that it names the installed
# msb-shell.
sshdexampledir = $(pkgdatadir)/sshd_config.d
sshdexample_DATA = sshd_config.d/msb.conf
EXTRA_DIST += sshd_config.d/msb.conf.in
CLEANFILES += sshd_config.d/msb.conf
sshd_config.d/msb.conf: $(srcdir)/sshd_config.d/msb.conf.in Makefile
	$(AM_V_GEN)$(MKDIR_P) sshd_config.d && \
	sed -e 's|@pkglibexecdir[@]|$(pkglibexecdir)|g' \
	    $(srcdir)/sshd_config.d/msb.conf.in > $@.tmp && mv $@.tmp $@
