# Example snippet for the system sshd (installed as documentation, never
# activated automatically).
sshdexampledir = $(pkgdatadir)/sshd_config.d
dist_sshdexample_DATA = sshd_config.d/msb.conf
