#!/bin/sh
# Full-screen programs over `ssh -t`, driven from tmux: TERM=xterm-256color
# reaches the sandbox and `tput cols`/`tput lines` match the pane; less
# pages a file (the screen changes on a keypress) and quits, restoring the
# screen; vi edits and saves a file; each session ends cleanly with
# status 0.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
msb_test_init
need_cmd ssh ssh-keygen tmux less vi

ssh_sandbox devbox
ssh_setup devbox
"$MSB" exec devbox -- sh -c 'seq 1 500 | sed "s/^/line-/" > /tmp/lines' ||
    fail "cannot write /tmp/lines in the sandbox"

TMUX_SOCK="$T/tmux.sock"     # one server per run_in_tmux (see there)
tm() { tmux -S "$TMUX_SOCK" "$@"; }
pane() { tm capture-pane -p -J -t t; }
# wait_pane REGEX SECONDS: until the visible pane has a line matching REGEX.
wait_pane() {
	end=$(( $(date +%s) + $2 ))
	while ! pane 2>/dev/null | grep -Eq -- "$1"; do
		if [ "$(date +%s)" -ge "$end" ]; then
			pane >&2 || true
			fail "pane never showed /$1/"
		fi
		sleep 0.1
	done
}
cleanup_tmux() { tm kill-server >/dev/null 2>&1 || true; }
trap 'st=$?; set +e; cleanup_tmux; (exit $st); msb_test_cleanup' EXIT

# run_in_tmux NAME SSH-ARGS...: a fresh 123x37 window running ssh with
# TERM=xterm-256color; ssh's exit status lands in $T/NAME.rc.
run_in_tmux() {
	n=$1; shift
	rm -f "$T/$n.rc"
	printf 'TERM=xterm-256color ssh -F %s %s\necho $? > %s\n' "$T/ssh_config" \
	    "$*" "$T/$n.rc" >"$T/$n.sh"
	# a new server on its own socket: a dying one would refuse us
	cleanup_tmux
	TMUX_SOCK="$T/tmux-$n.sock"
	tm -f /dev/null new-session -d -s t -x 123 -y 37 "sh '$T/$n.sh'; sleep 60"
	tm set-option -g status off >/dev/null
}
wait_rc() {  # NAME: ssh ended with status 0
	wait_until 20 test -s "$T/$1.rc" || fail "$1: ssh did not end"
	assert_eq 0 "$(cat "$T/$1.rc")" "$1: ssh exit status"
}

# ---- TERM and the size terminfo programs see ----
run_in_tmux size -t devbox.msb "'echo \"TERM=\$TERM COLS=\$(tput cols) LINES=\$(tput lines) COLORS=\$(tput colors)\"; sleep 1'"
wait_pane '^TERM=' 20
assert_match '^TERM=xterm-256color COLS=123 LINES=37 COLORS=256$' \
    "$(pane | grep '^TERM=')" "terminal seen inside the sandbox"
wait_rc size
ok "TERM=xterm-256color reaches the sandbox; tput cols/lines match the pane (123x37)"

# ---- less: page, keypress, quit ----
run_in_tmux less -t devbox.msb less /tmp/lines
wait_pane '^line-1$' 20
before=$(pane)
printf '%s\n' "$before" | grep -q '^line-36$' || fail "less did not fill the screen: $before"
if printf '%s\n' "$before" | grep -q '^line-37$'; then fail "less showed more than a screen"; fi
tm send-keys -t t Space
wait_pane '^line-72$' 20
if pane | grep -q '^line-1$'; then fail "the screen did not change after Space"; fi
tm send-keys -t t q
wait_rc less
if pane | grep -q '^line-72$'; then fail "less did not restore the screen on quit"; fi
ok "less pages on a keypress, quits on q, restores the screen; ssh exits 0"

# ---- vi: edit and save ----
run_in_tmux vi -t devbox.msb vi /tmp/edited
wait_pane '^~ *$' 20      # the empty buffer's filler lines
tm send-keys -t t i 'written in vi' Escape
tm send-keys -t t ':wq' Enter
wait_rc vi
assert_eq "written in vi" "$("$MSB" exec devbox -- cat /tmp/edited)" "the file vi saved"
ok "vi edits and saves a file in the sandbox; ssh exits 0"
