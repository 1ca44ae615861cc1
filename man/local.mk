# mdoc manual pages
dist_man_MANS += man/msb.1
dist_man_MANS += man/msb-ssh.1 man/msb-proxy.8 man/msb-shell.8
dist_man_MANS += man/msb-agent.8
dist_man_MANS += man/msb-sftp-server.8
