# Helpers shared by the ssh-*.sh integration tests (sourced after lib.sh).

# ssh_sandbox NAME [msb create options...]: create a sandbox for the test.
ssh_sandbox() {
	name=$1; shift
	"$MSB" create "$name" "$@" >/dev/null || fail "msb create $name $*"
}

# run_rc cmd...: run cmd (stdout/stderr as redirected by the caller) and
# leave its exit status in $rc, without tripping set -e.
run_rc() {
	rc=0
	"$@" || rc=$?
}

# sandbox_procs NAME: command names of the processes inside the sandbox.
sandbox_procs() {
	"$MSB" exec "$1" -- ps -eo comm= 2>/dev/null
}

# free_port: a TCP port on 127.0.0.1 that nobody listens on right now.
free_port() {
	"$PYTHON3" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# log_has NAME TEXT: the sandbox log (sshd's) contains TEXT.
log_has() {
	grep -qF -- "$2" "$MSB_HOME/sandboxes/$1/log"
}
