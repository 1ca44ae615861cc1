# integration tests of the ssh component: real sshd, real OpenSSH client,
# real sandboxes (ssh-lib.sh holds their shared helpers)
INTEGRATION_TESTS += tests/integration/ssh-exec.sh tests/integration/ssh-pty.sh \
	tests/integration/ssh-signal.sh tests/integration/ssh-auth.sh \
	tests/integration/ssh-volume.sh tests/integration/ssh-serve.sh \
	tests/integration/ssh-authorize.sh tests/integration/ssh-unprivileged.sh \
	tests/integration/ssh-system.sh tests/integration/ssh-forward.sh \
	tests/integration/ssh-forward-unpriv.sh tests/integration/ssh-session.sh \
	tests/integration/ssh-fullscreen.sh tests/integration/ssh-mounts.sh \
	tests/integration/ssh-manpage.sh tests/integration/ssh-connect.sh
EXTRA_DIST += tests/integration/ssh-lib.sh tests/integration/exit_signal.py
