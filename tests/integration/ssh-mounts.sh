#!/bin/sh
# The private mount namespace msb-proxy gives each connection's sshd:
# ExposeAuthInfo's /tmp/sshauth.* files stay in it (none is left in the
# host's /tmp), and a FUSE mount (sshfs) that exists while a connection
# runs is not pinned by that connection's copy of the mount table: after
# fusermount -u the sshfs, its sshd and msb-proxy go away. Also the
# sandbox monitor's process title.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
msb_test_init
need_cmd ssh ssh-keygen

ssh_sandbox devbox
ssh_setup devbox
# The sshd processes serving this sandbox: they have its log open (-E).
# (sshd retitles itself, so its command line does not tell.)
sshd_left() {
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = sshd ] || continue
		ls -l "$p/fd" 2>/dev/null | grep -qF -- "$MSB_HOME/sandboxes/devbox/log" &&
		    echo "${p#/proc/}"
	done
	return 0
}
sshd_count() { sshd_left | wc -l; }
no_sshd() { [ "$(sshd_count)" = 0 ]; }
count_is() { [ "$(sshd_count)" = "$1" ]; }
in_sandbox() { "$MSB" exec devbox -- ps -eo comm= | grep -qx "$1"; }

# ---- /tmp/sshauth.* ----
# Other tests may run at the same time: count only files naming our key.
key=$(cut -d' ' -f2 "$T/id_ed25519.pub")
ours() { grep -lF -- "$key" /tmp/sshauth.* 2>/dev/null | wc -l; }
assert_eq 0 "$(ours)" "sshauth files with the test key before"
for i in 1 2 3 4 5; do
	assert_eq "c$i" "$(tssh devbox.msb "echo c$i")" "connection $i"
done
# One more, cut off hard while its session runs.
ssh -F "$T/ssh_config" devbox.msb 'sleep 60' >/dev/null 2>&1 &
cut=$!
at_exit "kill -KILL $cut"
wait_until 30 in_sandbox sleep || fail "the session to cut never started"
kill -KILL "$cut"
wait "$cut" 2>/dev/null || true
wait_until 30 no_sshd || fail "sshd of the killed connection is still there: $(for p in $(sshd_left); do cat /proc/$p/cmdline | tr "\0" " "; echo; done; ps -ef --forest | grep -A3 -B3 [s]shd)"
assert_eq 0 "$(ours)" "sshauth files with the test key left in /tmp"
ok "ExposeAuthInfo leaves nothing in the host's /tmp (6 connections)"

# The sandbox was started by msb-proxy: its monitor says what it is.
# (Other tests may run a sandbox devbox too: only ours have our log open.)
ours() {
	for p in $(pgrep -f "$1" || true); do
		ls -l "/proc/$p/fd" 2>/dev/null |
		    grep -qF -- "$MSB_HOME/sandboxes/devbox/log" && echo "$p"
	done
	return 0
}
[ -n "$(ours '^msb-monitor devbox$')" ] ||
    fail "no process titled 'msb-monitor devbox': $(pgrep -af '[m]sb-(proxy|monitor)')"
ok "the sandbox monitor's title is 'msb-monitor devbox'"

# ---- sshfs: no FUSE mount pinned ----
if ! have_root "the FUSE part (a copied FUSE mount can only be detached as root)"; then
	exit 0
fi
if ! command -v sshfs >/dev/null 2>&1 || ! command -v fusermount >/dev/null 2>&1; then
	echo "SKIP part: $TEST_NAME: sshfs or fusermount is not installed"
	exit 0
fi
if [ ! -c /dev/fuse ]; then
	echo "SKIP part: $TEST_NAME: /dev/fuse is missing"
	exit 0
fi
tssh devbox.msb 'mkdir -p /srv/share && echo hello >/srv/share/f' ||
    fail "cannot prepare /srv/share"
mkdir "$T/mnt"
# -f: sshfs stays our child, so we see it end.
timeout --kill-after=5 120 sshfs -f -F "$T/ssh_config" devbox.msb:/srv/share \
    "$T/mnt" 2>"$T/sshfs.err" &
sshfs_pid=$!
at_exit "fusermount -uz '$T/mnt'; kill $sshfs_pid"
if ! wait_until 30 mountpoint -q "$T/mnt"; then
	if grep -qiE 'fuse: device not found|fuse: failed to open|permission denied' "$T/sshfs.err"; then
		echo "SKIP part: $TEST_NAME: FUSE is not usable here: $(cat "$T/sshfs.err")"
		exit 0
	fi
	fail "sshfs did not mount: $(cat "$T/sshfs.err")"
fi
assert_eq hello "$(cat "$T/mnt/f")" "a file read through sshfs"
n_sshfs=$(sshd_count)
[ "$n_sshfs" -gt 0 ] || fail "no sshd found for the sshfs connection"

# A second connection while the mount exists: its namespace copies it.
ssh -F "$T/ssh_config" devbox.msb 'sleep 120' >/dev/null 2>&1 &
holder=$!
at_exit "kill $holder"
wait_until 30 in_sandbox sleep || fail "the second session never started"
n_both=$(sshd_count)
[ "$n_both" -gt "$n_sshfs" ] || fail "no sshd found for the second connection"

fusermount -u "$T/mnt" || fail "fusermount -u failed"
wait_until 30 sh -c "! kill -0 $sshfs_pid" ||
    fail "sshfs is still running after fusermount -u (its mount is pinned)"
run_rc mountpoint -q "$T/mnt"
[ "$rc" != 0 ] || fail "$T/mnt is still a mount point"
rmdir "$T/mnt" || fail "the unmounted mount point cannot be removed"
# Only the second connection's sshd is left; none once it ends.
wait_until 30 count_is $((n_both - n_sshfs)) ||
    fail "the sshfs connection's sshd is left: $(sshd_count) sshd processes, $((n_both - n_sshfs)) expected"
kill "$holder"
wait "$holder" 2>/dev/null || true
wait_until 30 no_sshd ||
    fail "an sshd is left after every client went away: $(sshd_left)"
left=$(ours '^msb-proxy devbox')
[ -z "$left" ] ||
    fail "a process still shows msb-proxy's arguments: $(tr '\0' ' ' <"/proc/$left/cmdline")"
ok "sshfs: fusermount -u frees the mount point while another connection runs; no sshd or msb-proxy left"
