# msb ssh subcommands
msb_msb_SOURCES += msb/cmd-ssh.c
