# msb ssh subcommands
msb_msb_SOURCES += msb/cmd-ssh.c msb/cmd-ssh.h msb/cmd-ssh-connect.c
