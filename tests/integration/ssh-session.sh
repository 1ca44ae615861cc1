#!/bin/sh
# Session cases from the field, each compared with what stock OpenSSH does:
# SSH_TTY in pty sessions, RequestTTY=force, ControlMaster multiplexing
# (two commands, a pty and an exec session at once), commands that ignore
# a stdin that stays open, `exit 0 </dev/null`, a background job left by a
# pty session, LANG/LC_ALL/GIT_PROTOCOL, a 120 KB command line and one too
# large for the agent, `ssh -T` fed a script on stdin, `ssh -N` and the
# inactivity timeout, a host /etc/ssh/sshrc (root), git clone/push over ssh.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
msb_test_init
need_cmd ssh ssh-keygen git

BG=
bg_add() { BG="$BG $1"; }
cleanup_bg() {
	for p in $BG; do kill "$p" 2>/dev/null || true; done
	for p in $BG; do wait "$p" 2>/dev/null || true; done
}
trap 'st=$?; set +e; cleanup_bg; (exit $st); msb_test_cleanup' EXIT

ssh_sandbox devbox
ssh_setup devbox
MSB_SSH_TIMEOUT=60
# elapsed since a `start=$(now_ms)`, in milliseconds
now_ms() { date +%s%3N; }

# ---- SSH_TTY, RequestTTY=force ----
got=$(tssh -tt devbox.msb 'echo "$SSH_TTY"; tty' </dev/null | tr -d '\r')
first=$(printf '%s\n' "$got" | sed -n 1p)
assert_match '^/dev/pts/[0-9]+$' "$first" "SSH_TTY in a pty session"
assert_eq "$first" "$(printf '%s\n' "$got" | sed -n 2p)" "SSH_TTY equals tty"
assert_eq unset "$(tssh devbox.msb 'echo ${SSH_TTY-unset}')" "SSH_TTY without a pty"
got=$(tssh -o RequestTTY=force devbox.msb 'test -t 0 && test -t 1 && echo "pty $SSH_TTY"' </dev/null | tr -d '\r')
assert_match '^pty /dev/pts/[0-9]+$' "$got" "ssh -o RequestTTY=force"
ok "SSH_TTY is the sandbox pty's path (unset without a pty); RequestTTY=force gives a pty"

# ---- stdin: at EOF, or open and ignored ----
start=$(now_ms)
run_rc tssh devbox.msb exit 0 </dev/null
assert_eq 0 "$rc" "ssh devbox.msb exit 0 </dev/null"
run_rc tssh devbox.msb exit 7 </dev/null
assert_eq 7 "$rc" "ssh devbox.msb exit 7 </dev/null"
mkfifo "$T/open-stdin"
sleep 60 >"$T/open-stdin" &
holder=$!; bg_add $holder
exec 8<"$T/open-stdin"    # stays open (the holder never writes or closes)
start=$(now_ms)
got=$(tssh devbox.msb 'echo ignored-stdin' <&8)
took=$(( $(now_ms) - start ))
assert_eq ignored-stdin "$got" "a command that ignores an open stdin"
[ "$took" -lt 5000 ] || fail "ssh waited ${took} ms for a stdin the command never read"
start=$(now_ms)
got=$(tssh -tt devbox.msb 'echo pty-ignored-stdin' <&8 | tr -d '\r')
took=$(( $(now_ms) - start ))
assert_eq pty-ignored-stdin "$got" "a pty command that ignores an open stdin"
[ "$took" -lt 5000 ] || fail "ssh -tt waited ${took} ms for an unread stdin"
exec 8<&-
kill $holder
ok "exit status with stdin at EOF; an open, unread stdin does not hold the session"

# ---- a background job left behind by a pty session ----
start=$(now_ms)
got=$(tssh -tt devbox.msb 'sleep 100 & echo started' </dev/null | tr -d '\r')
took=$(( $(now_ms) - start ))
assert_eq started "$got" "pty session with a background job"
[ "$took" -lt 3000 ] || fail "the client waited ${took} ms for a background job of a pty session"
no_sleep() { ! "$MSB" exec devbox -- pgrep -x sleep; }
wait_until 10 no_sleep || fail "the background sleep survived the pty's hangup"
ok "a pty session's background job does not hold the client (${took} ms) and gets SIGHUP, as with sshd"

# ---- ssh -T: an interactive shell fed on stdin ----
run_rc tssh -T devbox.msb >"$T/out" 2>"$T/err" <<'EOS'
echo "shell $(id -un)"
cd /tmp && pwd
x=41; echo $((x + 1))
(exit 3)
EOS
assert_eq 3 "$rc" "ssh -T: the status of the last command at EOF"
assert_eq "shell root
/tmp
42" "$(cat "$T/out")" "ssh -T: the commands' output"
assert_eq "" "$(cat "$T/err")" "ssh -T: stderr"
ok "ssh -T runs a script fed on stdin and exits at EOF with the last status"

# ---- environment ----
got=$(LANG=C.UTF-8 LC_ALL=C.UTF-8 GIT_PROTOCOL=version=2 tssh \
    -o 'SendEnv=LANG LC_* GIT_PROTOCOL' devbox.msb 'echo "$LANG|$LC_ALL|$GIT_PROTOCOL"')
assert_eq "C.UTF-8|C.UTF-8|version=2" "$got" "LANG, LC_ALL, GIT_PROTOCOL"
got=$(LC_ALL=C.UTF-8 tssh -tt -o 'SendEnv=LC_*' devbox.msb 'echo "$LC_ALL"' </dev/null | tr -d '\r')
assert_eq C.UTF-8 "$got" "LC_ALL in a pty session"
ok "LANG, LC_ALL and GIT_PROTOCOL reach the sandbox (also with a pty)"

# ---- command-line size ----
big=$("$PYTHON3" -c 'print("x" * 120000)')
got=$(tssh devbox.msb "echo $big | wc -c")
assert_eq 120001 "$got" "a 120 KB command"
huge=$("$PYTHON3" -c 'print("y" * 131000)')
start=$(now_ms)
run_rc tssh devbox.msb "echo $huge | wc -c" >"$T/out" 2>"$T/err"
took=$(( $(now_ms) - start ))
assert_eq 126 "$rc" "a command too large for one agent request"
assert_match '^msb-shell: command too long for the sandbox: 131013 bytes' \
    "$(cat "$T/err")" "its message"
[ ! -s "$T/out" ] || fail "a refused command wrote to stdout"
[ "$took" -lt 5000 ] || fail "a refused command took ${took} ms"
ok "a 120 KB command runs; a 131 KB one fails at once with a clear message (126)"

# ---- ControlMaster ----
CM="$T/cm"
timeout --kill-after=5 120 ssh -F "$T/ssh_config" -M -S "$CM" -N devbox.msb 2>"$T/master.err" &
master=$!; bg_add $master
wait_until 30 ssh -F "$T/ssh_config" -S "$CM" -O check devbox.msb ||
    fail "the master never came up: $(cat "$T/master.err")"
# Sessions over the master only: a new connection would fail (ProxyCommand false).
mux() { timeout --kill-after=5 60 ssh -F "$T/ssh_config" -S "$CM" -o ControlMaster=no \
    -o ProxyCommand=false "$@"; }
assert_eq one "$(mux devbox.msb 'echo one')" "first command over the master"
run_rc mux devbox.msb 'echo two; exit 4' >"$T/out"
assert_eq "4 two" "$rc $(cat "$T/out")" "second command over the master"
rm -f "$T/pty.out"
mux -tt devbox.msb 'touch /tmp/mux-pty; i=0; while [ ! -e /tmp/mux-exec ]; do
    i=$((i+1)); [ $i -lt 300 ] || exit 9; sleep 0.1; done; echo pty-saw-exec; exit 5' \
    </dev/null >"$T/pty.out" 2>&1 &
ptyc=$!; bg_add $ptyc
wait_until 30 "$MSB" exec devbox -- test -e /tmp/mux-pty || fail "the pty session never started"
assert_eq exec-while-pty "$(mux devbox.msb 'touch /tmp/mux-exec; echo exec-while-pty')" \
    "an exec session while a pty session runs"
run_rc wait $ptyc
assert_eq 5 "$rc" "the pty session's status"
assert_eq pty-saw-exec "$(tr -d '\r' <"$T/pty.out")" "the pty session's output"
ssh -F "$T/ssh_config" -S "$CM" -O exit devbox.msb 2>/dev/null
run_rc wait $master
ok "ControlMaster: two commands, then a pty and an exec session at once, over one connection"

# ---- ssh -N: no channel at all, only the inactivity timeout ends it ----
proxy=$(sed -n 's/^[[:space:]]*ProxyCommand //p' "$T/ssh_config" | head -1)
start=$(now_ms)
run_rc tssh -N -o "ProxyCommand=$proxy --inactivity-timeout 2" devbox.msb 2>/dev/null
took=$(( $(now_ms) - start ))
assert_eq 255 "$rc" "ssh -N ended by the inactivity timeout"
[ "$took" -ge 1500 ] && [ "$took" -lt 8000 ] ||
    fail "ssh -N with --inactivity-timeout 2 lasted ${took} ms"
ok "ssh -N stays until the inactivity timeout (${took} ms for 2 s)"

# ---- the host's /etc/ssh/sshrc (sshd runs it for every session) ----
if have_root "a private mount namespace to give the host an /etc/ssh/sshrc" &&
    command -v unshare >/dev/null; then
	mkdir "$T/etc-ssh"
	printf 'echo SSHRC-RAN\n' >"$T/etc-ssh/sshrc"
	got=$(unshare -m sh -c "mount --make-rprivate / && mount --bind '$T/etc-ssh' /etc/ssh &&
	    exec timeout 60 ssh -F '$T/ssh_config' devbox.msb 'echo clean'")
	assert_eq clean "$got" "a session on a host with /etc/ssh/sshrc"
	ok "a host /etc/ssh/sshrc neither runs nor writes into sessions"
fi

# ---- git over ssh ----
export GIT_SSH_COMMAND="ssh -F $T/ssh_config" GIT_CONFIG_NOSYSTEM=1 HOME="$T/githome"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.invalid
export GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.invalid
mkdir "$HOME"
tssh devbox.msb 'mkdir -p /repos && git init -q --bare /repos/repo.git' || fail "git init --bare in the sandbox"
with_timeout 60 git clone -q devbox.msb:/repos/repo.git "$T/c1" 2>"$T/err" ||
    fail "git clone of an empty repo: $(cat "$T/err")"
echo "hello from the host" >"$T/c1/README"
git -C "$T/c1" add README
git -C "$T/c1" commit -q -m first
with_timeout 60 git -C "$T/c1" push -q origin HEAD:refs/heads/main 2>"$T/err" ||
    fail "git push: $(cat "$T/err")"
assert_eq first "$(tssh devbox.msb 'git --git-dir=/repos/repo.git log --format=%s main')" \
    "the commit inside the sandbox"
[ ! -e /repos ] || fail "the repository appeared on the host"
with_timeout 60 git clone -q -b main devbox.msb:/repos/repo.git "$T/c2" 2>"$T/err" ||
    fail "second git clone: $(cat "$T/err")"
assert_eq "hello from the host" "$(cat "$T/c2/README")" "cloned file"
ok "git clone and push over ssh to a bare repository inside the sandbox"
