#!/bin/sh
# Volumes through ssh: a host file appears inside and a file written inside
# appears on the host (owned by the sandbox owner); a :ro volume refuses
# writes made over ssh.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
msb_test_init
need_cmd ssh ssh-keygen

mkdir "$T/rw" "$T/ro"
echo from-host >"$T/rw/host.txt"
echo read-only >"$T/ro/keep.txt"
ssh_sandbox devbox -v "$T/rw:/mnt/rw" -v "$T/ro:/mnt/ro:ro"
ssh_setup devbox

assert_eq from-host "$(tssh devbox.msb 'cat /mnt/rw/host.txt')" "host file inside"
tssh devbox.msb 'echo from-sandbox > /mnt/rw/sandbox.txt'
assert_eq from-sandbox "$(cat "$T/rw/sandbox.txt")" "sandbox file on the host"
assert_eq "$(id -u)" "$(stat -c %u "$T/rw/sandbox.txt")" "owner of the new file"
echo changed >"$T/rw/host.txt"
assert_eq changed "$(tssh devbox.msb 'cat /mnt/rw/host.txt')" "live view of host changes"
ok "a rw volume: host and sandbox see each other's files"

assert_eq read-only "$(tssh devbox.msb 'cat /mnt/ro/keep.txt')" "ro volume readable"
run_rc tssh devbox.msb 'echo x > /mnt/ro/keep.txt' 2>"$T/err"
[ "$rc" != 0 ] || fail "writing to the :ro volume succeeded"
assert_match 'Read-only file system' "$(cat "$T/err")" "error for the :ro volume"
run_rc tssh devbox.msb 'touch /mnt/ro/new.txt' 2>/dev/null
[ "$rc" != 0 ] || fail "creating a file in the :ro volume succeeded"
assert_eq read-only "$(cat "$T/ro/keep.txt")" "ro file on the host"
[ ! -e "$T/ro/new.txt" ] || fail "a file appeared in the :ro volume"
ok "a :ro volume refuses writes over ssh (EROFS)"
