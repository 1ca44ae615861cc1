#!/bin/sh
# msb-agent command channel without a pty: stdio passed as fds, exit
# status, signal death, errors for unknown users and programs.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/agent-lib.sh"
need_cmd sha256sum head
agent_test_init
start_agent --user "$AGENT_USER"

# stdout and stderr stay separate; the status comes back.
st=0
acli exec -- sh -c 'echo out; echo err >&2; exit 3' >"$T/out" 2>"$T/err" || st=$?
assert_eq 3 "$st" "exit status"
assert_eq out "$(cat "$T/out")" "stdout"
assert_eq err "$(cat "$T/err")" "stderr"
ok "stdout/stderr separate, exit status 3"

# stdin is streamed and its EOF arrives.
assert_eq 2 "$(printf 'a\nb\n' | acli exec -- wc -l)" "wc -l of stdin"
assert_eq "" "$(acli exec -- cat </dev/null)" "cat of empty stdin"
ok "stdin streamed with EOF"

# 20 MiB of binary data through cat, unchanged.
head -c 20971520 /dev/urandom >"$T/blob"
acli exec -- cat <"$T/blob" >"$T/blob.out"
assert_eq "$(sha256sum <"$T/blob")" "$(sha256sum <"$T/blob.out")" "sha256 of 20 MiB"
ok "20 MiB binary through cat"

# Death by signal is reported as a signal, not as a status.
st=0
acli exec --report "$T/rep" -- sh -c 'kill -TERM $$' || st=$?
assert_eq 143 "$st" "exit code of a SIGTERM death"
assert_eq "signaled 15 core 0" "$(cat "$T/rep")" "exit record"
acli exec --report "$T/rep" -- sh -c 'exit 143' || true
assert_eq "exited 143" "$(cat "$T/rep")" "exit 143 is a status"
ok "signal death reported as signaled TERM"

# Unknown user: ENOENT, a clear message, 127, nothing run.
st=0
acli exec -u nosuchuser -- touch "$T/ran" 2>"$T/err" || st=$?
assert_eq 127 "$st" "status for an unknown user"
assert_match "unknown user 'nosuchuser'" "$(cat "$T/err")" "message"
[ ! -e "$T/ran" ] || fail "command ran for an unknown user"
ok "unknown user -> ENOENT"

# Unknown program: 127 with the shell's message; not executable: 126.
st=0
acli exec -- no-such-program-xyz 2>"$T/err" || st=$?
assert_eq 127 "$st" "status for an unknown program"
assert_match "no-such-program-xyz: No such file or directory" "$(cat "$T/err")" "message"
printf 'echo hi\n' >"$T/noexec"
chmod 644 "$T/noexec"
st=0
acli exec -- "$T/noexec" 2>"$T/err" || st=$?
assert_eq 126 "$st" "status for a non-executable file"
assert_match "Permission denied" "$(cat "$T/err")" "message"
ok "unknown program -> 127, not executable -> 126"

# A script without #! runs with /bin/sh (execvp semantics).
printf 'echo script "$1"\n' >"$T/script"
chmod 755 "$T/script"
assert_eq "script arg" "$(acli exec -- "$T/script" arg)" "shebang-less script"
ok "shebang-less script runs with sh"

# Environment: the sandbox user's base, then the request's entries.
if [ "$(id -u)" = 0 ]; then
	path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
else
	path=/usr/local/bin:/usr/bin:/bin:/usr/games
fi
out=$(acli exec -e LANG=C.UTF-8 -e FOO=1 -e FOO=2 -- sh -c 'echo "$USER|$LOGNAME|$HOME|$PATH|$LANG|$FOO|${TERM-unset}"')
assert_eq "$AGENT_USER|$AGENT_USER|$(awk -F: -v u="$AGENT_USER" '$1==u{print $6}' /etc/passwd)|$path|C.UTF-8|2|unset" "$out" "environment"
# Nothing of the caller's environment leaks.
assert_eq "" "$(LEAK=1 acli exec -- sh -c 'echo ${LEAK-}')" "caller env leak"
# PATH from the request is used for the lookup.
mkdir "$T/bin"
printf '#!/bin/sh\necho mine\n' >"$T/bin/mycmd"
chmod 755 "$T/bin/mycmd"
assert_eq mine "$(acli exec -e PATH="$T/bin:/bin" -- mycmd)" "PATH lookup in the new env"
ok "environment"

# Working directory: explicit, home by default, refused when missing.
assert_eq /tmp "$(acli exec -C /tmp -- pwd)" "explicit cwd"
st=0
acli exec -C "$T/missing" -- true 2>"$T/err" || st=$?
[ "$st" != 0 ] || fail "missing cwd accepted"
assert_match "cannot change to directory $T/missing" "$(cat "$T/err")" "message"
ok "working directory"

# Only 0-2 reach the program; the umask is 022.
assert_eq "0 1 2 3" "$(acli exec -- sh -c 'ls /proc/self/fd | sort -n | tr "\n" " "' | sed 's/ $//')" "fds of the program"
assert_eq 0022 "$(acli exec -- sh -c umask)" "umask"
ok "no fd leaks into programs, umask 022"

# Signal dispositions and mask are reset (SIGINT ignored by the caller).
out=$(trap '' INT; acli exec -- sh -c 'grep -E "^Sig(Blk|Ign)" /proc/self/status' | awk '{print $2}' | tr '\n' ' ')
assert_eq "0000000000000000 0000000000000000 " "$out" "blocked/ignored signals"
ok "signals reset"

# ACCOUNTS lists the passwd file in order with the default user.
acli accounts >"$T/acc"
assert_eq "default $AGENT_USER" "$(head -n 1 "$T/acc")" "default user"
assert_eq "$(awk -F: '{print $1}' /etc/passwd | head -n 3 | tr '\n' ' ')" \
    "$(sed -n '2,4p' "$T/acc" | awk '{print $1}' | tr '\n' ' ')" "account order"
ok "accounts"

[ -z "$(agent_zombies)" ] || fail "zombies left: $(agent_zombies)"
stop_agent
ok "agent stopped cleanly"

# Socket paths longer than sun_path (deep MSB_HOME, long sandbox names):
# both the dev-mode agent and the client library go through /proc/self/fd.
long="$T/$(printf 'd%.0s' $(seq 1 60))/$(printf 'e%.0s' $(seq 1 60))"
mkdir -p "$long"
MSB_AGENT_SOCK="$long/agent.sock"
[ ${#MSB_AGENT_SOCK} -gt 108 ] || fail "test path not long enough"
start_agent
assert_eq long-ok "$(acli exec -- echo long-ok)" "exec over a long socket path"
stop_agent
ok "socket path of ${#MSB_AGENT_SOCK} bytes"
