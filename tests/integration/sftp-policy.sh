#!/bin/sh
# The per-sandbox SFTP policy reaches msb-sftp-server through sshd and
# msb-shell: --sftp-read-only refuses every change, --sftp-deny refuses
# the listed requests, --sftp-allow refuses the others, and
# --sftp-log-level logs file operations to the sandbox's log (off by
# default).
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
. "$MSB_SRCDIR/tests/integration/sftp/lib-sftp.sh"

need_cmd sftp ssh
sftp_test_init
echo local > "$T/up.txt"

# default: no file operation is logged
sftp_sandbox plain
box "echo hi > /root/f.txt"
printf 'put %s up.txt\nget f.txt %s/got0.txt\n' "$T/up.txt" "$T" |
    tsftp -b - plain.msb >/dev/null 2>&1 || fail "plain session"
LOG="$MSB_HOME/sandboxes/plain/log"
if grep -q 'msb-sftp-server.*open "' "$LOG"; then
	fail "file operations logged without --sftp-log-level: $(grep msb-sftp-server "$LOG")"
fi
ok "no SFTP operation logging by default"

# read-only + VERBOSE logging
sftp_sandbox ro --sftp-read-only --sftp-log-level VERBOSE
box "echo hi > /root/f.txt"
cat > "$T/b1" <<EOF
get f.txt $T/got.txt
-put $T/up.txt up.txt
-rm f.txt
-mkdir d
-rename f.txt g.txt
-chmod 600 f.txt
ls
EOF
tsftp -b "$T/b1" ro.msb > "$T/out1" 2>&1 || fail "read-only session: $(cat "$T/out1")"
assert_eq hi "$(cat "$T/got.txt")" "read-only get"
box "test ! -e /root/up.txt && test -f /root/f.txt && test ! -e /root/d && test ! -e /root/g.txt" ||
    fail "a read-only session changed files"
assert_eq 644 "$(box "stat -c %a /root/f.txt")" "chmod refused"
n=$(grep -c 'Permission denied' "$T/out1")
[ "$n" -ge 5 ] || fail "expected 5 refusals, got $n: $(cat "$T/out1")"
LOG="$MSB_HOME/sandboxes/ro/log"
grep -q 'msb-sftp-server\[[0-9]*\]: open "/root/f.txt" flags READ mode 0666' "$LOG" ||
    fail "no open line in the log: $(grep msb-sftp-server "$LOG")"
grep -q 'msb-sftp-server\[[0-9]*\]: close "/root/f.txt" bytes read 3 written 0' "$LOG" ||
    fail "no close line with byte counts in the log"
grep -q 'Refusing .* request in read-only mode' "$LOG" ||
    fail "refusals not logged"
ok "--sftp-read-only refuses changes; --sftp-log-level VERBOSE logs them"

# deny list
sftp_sandbox deny --sftp-deny remove,rmdir
box "echo hi > /root/f.txt; mkdir /root/d"
printf -- '-rm f.txt\n-rmdir d\nput %s up.txt\n' "$T/up.txt" |
    tsftp -b - deny.msb > "$T/out2" 2>&1 || fail "deny session: $(cat "$T/out2")"
box "test -f /root/f.txt && test -d /root/d && test -f /root/up.txt" ||
    fail "--sftp-deny: wrong outcome"
ok "--sftp-deny refuses the listed requests only"

# allow list: reading only
sftp_sandbox allow --sftp-allow open,close,read,stat,lstat,fstat,realpath,opendir,readdir
box "echo hi > /root/f.txt"
printf -- 'get f.txt %s/got2.txt\n-mkdir d\n' "$T" |
    tsftp -b - allow.msb > "$T/out3" 2>&1 || fail "allow session: $(cat "$T/out3")"
assert_eq hi "$(cat "$T/got2.txt")" "allowed get"
box "test ! -e /root/d" || fail "--sftp-allow let mkdir through"
assert_match 'Permission denied' "$(cat "$T/out3")" "mkdir refused"
ok "--sftp-allow refuses what is not listed"
