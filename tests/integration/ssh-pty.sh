#!/bin/sh
# Interactive pty session driven from tmux: the login shell's prompt, the
# window size (initial and after a resize), TERM, Ctrl-C interrupting a
# command without ending the session, and `exit 5` ending it with status 5.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
msb_test_init
need_cmd ssh ssh-keygen tmux

ssh_sandbox devbox
ssh_setup devbox

TMUX_SOCK="$T/tmux.sock"
tm() { tmux -S "$TMUX_SOCK" "$@"; }
pane() { tm capture-pane -p -J -S -200 -t t; }
# wait_pane REGEX SECONDS: until the pane shows a line matching REGEX.
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

# ssh's exit status lands in a file (tmux does not report it).
cat >"$T/run-ssh.sh" <<EOS
ssh -F '$T/ssh_config' devbox.msb
echo \$? > '$T/ssh-rc'
EOS
tm -f /dev/null new-session -d -s t -x 100 -y 30 "sh '$T/run-ssh.sh'"
trap 'st=$?; set +e; cleanup_tmux; (exit $st); msb_test_cleanup' EXIT
tm set-option -g status off >/dev/null

# The prompt: a command typed at it runs (its output differs from the echo).
tm send-keys -t t 'echo READY-$((6*7))' Enter
wait_pane '^READY-42$' 30
ok "login shell prompt"

tm send-keys -t t 'echo TTY=$(tty) TERM=$TERM SIZE=$(stty size)' Enter
want_size=$(tm display-message -p -t t '#{pane_height} #{pane_width}')
wait_pane "^TTY=/dev/pts/[0-9]+ TERM=[a-z0-9-]+ SIZE=$want_size\$" 20
term=$(pane | sed -n 's/^TTY=[^ ]* TERM=\([^ ]*\) .*/\1/p' | tail -1)
[ "$term" != dumb ] && [ -n "$term" ] || fail "TERM inside is '$term'"
ok "pty inside the sandbox, TERM=$term, stty size = pane size ($want_size)"

tm resize-window -t t -x 120 -y 40
new_size=$(tm display-message -p -t t '#{pane_height} #{pane_width}')
[ "$new_size" != "$want_size" ] || fail "tmux did not resize ($new_size)"
sleep 0.5
tm send-keys -t t 'echo RESIZED=$(stty size)' Enter
wait_pane "^RESIZED=$new_size\$" 20
ok "window size follows a resize ($new_size)"

tm send-keys -t t 'sleep 100; echo SLEEP-DONE' Enter
sleep 1
tm send-keys -t t C-c
tm send-keys -t t 'echo AFTER-$((1+1))' Enter
wait_pane '^AFTER-2$' 20
if pane | grep -q '^SLEEP-DONE$'; then fail "sleep was not interrupted"; fi
"$MSB" exec devbox -- sh -c '! pgrep -x sleep' >/dev/null ||
    fail "sleep still runs in the sandbox after Ctrl-C"
ok "Ctrl-C interrupts sleep 100, the session stays"

tm send-keys -t t 'exit 5' Enter
wait_until 20 test -s "$T/ssh-rc" || fail "ssh did not end after exit 5"
assert_eq 5 "$(cat "$T/ssh-rc")" "ssh exit status after exit 5"
ok "exit 5 ends the session with status 5"
