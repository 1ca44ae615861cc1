#!/bin/sh
# msb create refuses bad option values before writing anything: SFTP
# request names (the table msb-sftp-server uses), log levels, and a --user
# the image has no account for. Unprivileged (the checks need no root).
. "${MSB_SRCDIR:?}/tests/integration/lib.sh"
msb_test_init

nothing_written() {
	[ ! -e "$MSB_HOME/sandboxes" ] || [ -z "$(ls -A "$MSB_HOME/sandboxes")" ] ||
	    fail "$1 left state: $(ls -A "$MSB_HOME/sandboxes")"
}
# expect RC PATTERN what -- args...
expect() {
	rc_want=$1 pat=$2 what=$3
	shift 4
	set +e
	out=$("$MSB" create "$@" 2>&1)
	rc=$?
	set -e
	assert_eq "$rc_want" "$rc" "exit status of $what"
	assert_match "$pat" "$out" "message of $what"
	nothing_written "$what"
}

expect 2 "--sftp-allow: unknown SFTP request 'bogus' \(known: open, close, " \
    "--sftp-allow bogus" -- s --sftp-allow bogus
expect 2 "--sftp-deny: unknown SFTP request 'frobnicate'" \
    "--sftp-deny with one bad name" -- s --sftp-deny remove,frobnicate
expect 2 "--sftp-deny: empty item" "--sftp-deny a,,b" -- s --sftp-deny open,,read
expect 2 "--sftp-allow: empty list" "--sftp-allow ''" -- s --sftp-allow ''
expect 2 "--sftp-allow: unknown SFTP request 'posix-rename@openssh.com'" \
    "an extension's wire name" -- s --sftp-allow posix-rename@openssh.com
expect 2 "--sftp-log-level: unknown log level 'LOUD' \(known: QUIET, " \
    "--sftp-log-level LOUD" -- s --sftp-log-level LOUD
ok "bad SFTP request names and log levels: usage error (2), nothing written"

"$MSB" create good --sftp-allow open,read,close,lstat,stat,realpath,opendir,readdir \
    --sftp-deny hardlink,copy-data --sftp-log-level verbose
out=$("$MSB" inspect good)
assert_match "sftp-allow.*open,read,close" "$out" "allow list stored"
"$MSB" rm good
ok "every name of the table is accepted"

# --user: the host image's passwd is final.
expect 1 "user 'no-such-user-x' does not exist in the image's /etc/passwd" \
    "--user of an unknown account" -- s --user no-such-user-x
"$MSB" create withroot --user root
"$MSB" rm withroot
# A rootfs directory: its owner may still add the account, so a warning.
mkdir -p "$T/img/etc" "$T/img/bin"
echo 'root:x:0:0:root:/root:/bin/sh' > "$T/img/etc/passwd"
out=$("$MSB" create img --image "$T/img" --user app 2>&1) ||
    fail "create --image DIR --user app: $out"
assert_match "warning: user 'app' does not exist in .*/img/etc/passwd" "$out" \
    "warning for a rootfs directory"
"$MSB" rm img
echo 'app:x:1000:1000::/home/app:/bin/sh' >> "$T/img/etc/passwd"
out=$("$MSB" create img --image "$T/img" --user app 2>&1)
assert_eq "" "$out" "no warning once the account exists"
"$MSB" rm img
ok "--user: unknown account refused for the host image, warned for a rootfs"

# Resource limits: bad values are usage errors; good ones land in $dir/limits.
expect 2 "memory limit '1k' is below the minimum" "--memory 1k" -- s --memory 1k
expect 2 "process limit '0' is outside" "--pids 0" -- s --pids 0
expect 2 "invalid CPU count 'lots'" "--cpus lots" -- s --cpus lots
if [ "$(id -u)" = 0 ]; then
	"$MSB" create lim --memory 64M --pids 40 --cpus 0.5
	assert_eq 'memory = "67108864";
pids = "40";
cpus = "0.500";' "$(grep -v '^#' "$MSB_HOME/sandboxes/lim/limits")" "limits file"
	"$MSB" rm lim
	# Unprivileged there are no cgroups: refused at create, not at start.
	setup_test_user
	set +e
	out=$(as_test_user sh -c '"$MSB" create ulim --pids 40' 2>&1)
	rc=$?
	set -e
	assert_eq 1 "$rc" "unprivileged create with limits"
	assert_match "resource limits .* need root" "$out" "message"
	[ ! -e "$T/userhome/msb/sandboxes/ulim" ] || fail "ulim created"
else
	expect 1 "resource limits .* need root" "unprivileged --pids" -- s --pids 40
fi
ok "--memory/--pids/--cpus: checked values, written limits, root only"

# ---- usage errors (2) versus failures (1) across the commands ----
expect 2 "invalid sandbox name '.dot': must start" "create .dot" -- .dot
expect 2 "invalid volume '/tmp:/x:rx': unknown mode 'rx'" "-v with mode rx" \
    -- x -v /tmp:/x:rx
expect 2 "paths containing ':' cannot be used in -v" "-v host path with ':'" \
    -- x -v "$T/a:b:/x"
expect 2 "paths containing ':' cannot be used in -v" "-v four fields" \
    -- x -v "$T:/x:/y:ro"
expect 2 "must be an absolute path" "-v relative target" -- x -v "$T:x"
expect 1 "$T/missing: No such file or directory" "-v missing host dir" \
    -- x -v "$T/missing:/x"
# cli WANT PATTERN args...: exit status and message of msb ARGS
cli() {
	rc_want=$1 pat=$2
	shift 2
	set +e
	out=$("$MSB" "$@" </dev/null 2>&1)
	rc=$?
	set -e
	assert_eq "$rc_want" "$rc" "exit status of msb $*"
	assert_match "$pat" "$out" "message of msb $*"
}
bad_name="invalid sandbox name '.x': must start with a letter or digit"
for cmd in start stop rm inspect; do
	cli 2 "$bad_name" $cmd .x
	cli 1 "sandbox 'nosuch' does not exist" $cmd nosuch
done
cli 2 "invalid sandbox name 'a/b'" stop nosuch a/b
cli 2 "$bad_name" exec .x -- true
cli 1 "sandbox 'nosuch' does not exist" exec nosuch -- true
cli 2 "$bad_name" ssh config .x
cli 1 "sandbox 'nosuch' does not exist" ssh config nosuch
cli 2 "$bad_name" ssh forwarding .x
cli 2 "$bad_name" ssh connect .x
cli 2 "invalid sandbox name" ssh serve .x --stdio
ok "invalid names and malformed -v are usage errors (2); a missing sandbox or host dir is 1"
