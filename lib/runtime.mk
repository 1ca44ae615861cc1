# libmsb sources owned by the runtime component: $MSB_HOME, volumes, the
# sandbox config and state, and the embedded namespace launcher.
libmsb_la_SOURCES += lib/sandbox-int.h lib/home.c lib/volume.c \
	lib/sandbox.c lib/sandbox-config.c lib/sandbox-util.c \
	lib/sandbox-state.c lib/sandbox-idmap.c lib/sandbox-launch.c \
	lib/sandbox-monitor.c lib/sandbox-mounts.c lib/sandbox-skel.c \
	lib/sandbox-net.c lib/sandbox-init.c lib/sandbox-seccomp.c \
	lib/sandbox-cgroup.c lib/sandbox-remove.c lib/sandbox-log.c \
	lib/sandbox-limits.c lib/sandbox-mask.c lib/sandbox-user.c
