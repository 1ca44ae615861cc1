# Shared helpers for integration tests; every script sources this file.
#
# Conventions:
# - Run through `make check` (which exports MSB, MSB_AGENT, MSB_SHELL,
#   MSB_PROXY, MSB_SFTP_SERVER, MSB_SSHD, MSB_SRCDIR, MSB_BUILDDIR), or by
#   hand with those variables set.
# - Exit 0 = pass, 77 = skip (always print the reason with `skip`), anything
#   else = fail. Print one "ok - ..." line per checked behaviour.
# - Every test gets a private $T (0755, under /tmp) and MSB_HOME=$T/home;
#   sandboxes created there are stopped and removed on exit.
# - Bound every wait: use `with_timeout SECONDS cmd...`.
# - at_exit 'CMD': run CMD (without -e) at exit, before sandboxes are
#   removed; the test's exit status is kept.
# - MSB_TEST_EXTRA_HOMES: space-separated MSB_HOME dirs outside $T (e.g. one
#   the host image shows) whose sandboxes cleanup removes, then the dirs.

set -eu

: "${MSB:?run through make check (MSB is not set)}"
PYTHON3=${PYTHON3:-/usr/bin/python3}   # Debian's python3, with paramiko
TEST_NAME=$(basename "$0" .sh)
T=
TEST_USER=msbtest

log() { printf '%s: %s\n' "$TEST_NAME" "$*" >&2; }
ok() { printf 'ok - %s\n' "$*"; }
fail() { printf 'FAIL: %s: %s\n' "$TEST_NAME" "$*" >&2; exit 1; }
skip() { printf 'SKIP: %s: %s\n' "$TEST_NAME" "$*"; exit 77; }

need_root() {
	[ "$(id -u)" = 0 ] || skip "needs root: $*"
}

# have_root WHY: true as root; otherwise print that the part of the test
# that needs root (WHY) is skipped, and false: `if have_root ...; then`.
have_root() {
	[ "$(id -u)" = 0 ] && return 0
	printf 'SKIP part: %s: needs root: %s\n' "$TEST_NAME" "$*"
	return 1
}

need_cmd() {
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "$c is not installed"
	done
}

assert_eq() {  # expected actual what
	[ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"
}

assert_match() {  # pattern(grep -E) text what
	printf '%s\n' "$2" | grep -Eq -- "$1" || fail "$3: '$2' does not match /$1/"
}

assert_fails() {  # what cmd...: must exit non-zero
	what=$1; shift
	if "$@" >/dev/null 2>&1; then fail "$what: succeeded but should fail"; fi
}

with_timeout() {  # seconds cmd...
	secs=$1; shift
	timeout --kill-after=5 "$secs" "$@"
}

# wait_until SECONDS cmd...: poll every 0.1 s until cmd succeeds.
wait_until() {
	secs=$1; shift
	end=$(( $(date +%s) + secs ))
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.1
	done
}

MSB_TEST_AT_EXIT=
at_exit() { MSB_TEST_AT_EXIT="$MSB_TEST_AT_EXIT
$1"; }

msb_test_cleanup() {
	rc=$?
	set +e
	[ -z "$MSB_TEST_AT_EXIT" ] || eval "$MSB_TEST_AT_EXIT" >/dev/null 2>&1
	if [ -n "${T:-}" ] && [ -d "$T" ]; then
		for home in "$T/home" "$T/userhome/msb" ${MSB_TEST_EXTRA_HOMES:-}; do
			[ -d "$home/sandboxes" ] || continue
			for d in "$home"/sandboxes/*/; do
				[ -d "$d" ] || continue
				n=$(basename "$d")
				if [ "$home" = "$T/userhome/msb" ]; then
					as_test_user "$T/bin/msb" rm --force "$n" >/dev/null 2>&1
				else
					MSB_HOME=$home "$MSB" rm --force "$n" >/dev/null 2>&1
				fi
			done
		done
		for home in ${MSB_TEST_EXTRA_HOMES:-}; do
			rm -rf "$home" 2>/dev/null
		done
		if [ "${MSB_KEEP_TEST_DIR:-}" = 1 ] || { [ "$rc" != 0 ] && [ "$rc" != 77 ] && [ "${MSB_KEEP_FAILED:-}" = 1 ]; }; then
			log "kept $T"
		else
			rm -rf "$T" 2>/dev/null
		fi
	fi
	exit $rc
}

msb_test_init() {
	T=$(mktemp -d /tmp/msb-test.XXXXXX)
	chmod 755 "$T"
	export MSB_HOME="$T/home"
	trap msb_test_cleanup EXIT
	trap 'exit 130' INT TERM
}

# ssh_setup NAME...: a client key, authorized, and an ssh config with the
# Host blocks that `msb ssh config` prints. Use `tssh`/`tsftp`/`tscp` after.
ssh_setup() {
	if [ ! -f "$T/id_ed25519" ]; then
		ssh-keygen -q -t ed25519 -N '' -C msb-test -f "$T/id_ed25519"
		"$MSB" ssh authorize --file "$T/id_ed25519.pub" >/dev/null
	fi
	: > "$T/ssh_config.tmp"
	for n in "$@"; do
		"$MSB" ssh config "$n" >> "$T/ssh_config.tmp"
	done
	cat >> "$T/ssh_config.tmp" <<EOC
Host *
	IdentityFile $T/id_ed25519
	IdentitiesOnly yes
	BatchMode yes
	StrictHostKeyChecking yes
	LogLevel ERROR
	ConnectTimeout 30
EOC
	mv "$T/ssh_config.tmp" "$T/ssh_config"
}

# Bounded (MSB_SSH_TIMEOUT seconds, default 120): `with_timeout` cannot run
# shell functions, so these carry their own timeout.
tssh() { timeout --kill-after=5 "${MSB_SSH_TIMEOUT:-120}" ssh -F "$T/ssh_config" "$@"; }
tsftp() { timeout --kill-after=5 "${MSB_SSH_TIMEOUT:-120}" sftp -F "$T/ssh_config" "$@"; }
tscp() { timeout --kill-after=5 "${MSB_SSH_TIMEOUT:-120}" scp -F "$T/ssh_config" "$@"; }

# An unprivileged user for the "as an unprivileged user" variants. As root:
# $TEST_USER, created when missing, with a subordinate id range for
# newuidmap, reached through runuser. As any other user: that user itself
# (TEST_USER is set to its name), with whatever /etc/subuid gives it. Either
# way a copy of the build's programs it can execute (the build tree may be
# in a directory it cannot enter).
TEST_RUNNER=
setup_test_user() {
	if [ "$(id -u)" != 0 ]; then
		TEST_USER=$(id -un 2>/dev/null) ||
		    skip "uid $(id -u) has no name in the passwd file"
	else
		need_cmd runuser
		if ! id "$TEST_USER" >/dev/null 2>&1; then
			useradd -m -s /bin/sh "$TEST_USER" || fail "useradd $TEST_USER"
		fi
		if ! grep -q "^$TEST_USER:" /etc/subuid 2>/dev/null; then
			usermod --add-subuids 300000-365535 --add-subgids 300000-365535 \
			    "$TEST_USER" || fail "usermod subuids"
		fi
		TEST_RUNNER="runuser -u $TEST_USER --"
	fi
	mkdir -p "$T/bin" "$T/userhome"
	for p in "$MSB" "$MSB_AGENT" "$MSB_SHELL" "$MSB_PROXY" "$MSB_SFTP_SERVER"; do
		cp "$p" "$T/bin/"
	done
	chmod 755 "$T/bin" "$T/bin"/*
	chown "$TEST_USER" "$T/userhome"
	chmod 700 "$T/userhome"
}

# as_test_user cmd...: run as the unprivileged user with the copied programs
# and a clean environment.
as_test_user() {
	$TEST_RUNNER env -i \
	    PATH=/usr/local/bin:/usr/bin:/bin HOME="$T/userhome" \
	    USER="$TEST_USER" LOGNAME="$TEST_USER" \
	    MSB_HOME="$T/userhome/msb" MSB="$T/bin/msb" \
	    MSB_AGENT="$T/bin/msb-agent" MSB_SHELL="$T/bin/msb-shell" \
	    MSB_PROXY="$T/bin/msb-proxy" MSB_SFTP_SERVER="$T/bin/msb-sftp-server" \
	    MSB_SSHD="$MSB_SSHD" "$@"
}
