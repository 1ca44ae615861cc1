#!/bin/sh
# msb exec as root: stdio passing, exit codes, signals, users, env, cwd, pty.
. "${MSB_SRCDIR:?}/tests/integration/lib.sh"
need_root "builds namespaces with an overlay of the host root"
need_cmd script sha256sum
msb_test_init
M=$MSB
e() { with_timeout 60 "$M" exec "$@"; }

"$M" create a
# Auto-start: exec starts a stopped sandbox and leaves it running.
assert_eq hi "$(e a -- echo hi)" "exec output"
assert_match '^a +running' "$("$M" ls | sed -n 2p)" "auto-started"
ok "exec auto-starts a stopped sandbox and leaves it running"

# stdout and stderr stay separate; the exit status passes through.
set +e
e a -- sh -c 'echo out; echo err >&2; exit 3' >"$T/out" 2>"$T/err"; rc=$?
set -e
assert_eq 3 "$rc" "exit status"
assert_eq out "$(cat "$T/out")" "stdout"
assert_eq err "$(cat "$T/err")" "stderr"
ok "stdout/stderr separate, exit status 3"

assert_eq 2 "$(printf 'a\nb\n' | e a -- wc -l)" "stdin with EOF"
head -c 8M /dev/urandom > "$T/blob"
assert_eq "$(sha256sum < "$T/blob")" "$(e a -- cat < "$T/blob" | sha256sum)" "8 MiB through cat"
ok "stdin streamed with EOF; 8 MiB intact"

# Signal deaths: 128 + signal, and nothing extra printed.
set +e
e a -- sh -c 'kill -TERM $$' >"$T/out" 2>"$T/err"; rc=$?
set -e
assert_eq 143 "$rc" "killed by SIGTERM"
[ ! -s "$T/out" ] && [ ! -s "$T/err" ] || fail "signal death printed something"
# Our own SIGINT is forwarded to the command.
"$M" exec a -- sleep 100 & pid=$!
sleep 0.5
kill -INT $pid
set +e
wait $pid; rc=$?
set -e
assert_eq 130 "$rc" "SIGINT forwarded"
[ -z "$(e a -- ps -e -o comm= | grep -x sleep)" ] || fail "sleep survived"
ok "signal death = 128+N; SIGINT forwarded to the command"

# Unknown user / program: message, 127; not executable: 126.
set +e
out=$(e -u nosuch a -- id 2>&1); rc=$?
set -e
assert_eq 127 "$rc" "unknown user"
assert_match "unknown user 'nosuch'" "$out" "unknown user message"
set +e
out=$(e a -- no-such-program 2>&1); rc=$?
set -e
assert_eq 127 "$rc" "unknown program"
assert_match "no-such-program: No such file or directory" "$out" "unknown program message"
set +e
out=$(e a -- /etc/hostname 2>&1); rc=$?
set -e
assert_eq 126 "$rc" "not executable"
ok "unknown user/program 127, not executable 126"

# Users, env, cwd.
assert_eq 65534 "$(e -u nobody a -- id -u 2>/dev/null)" "-u nobody"
assert_eq 0 "$(e a -- id -u)" "default user root"
assert_eq "baz /tmp" "$(e -e FOO=bar -e FOO=baz -w /tmp a -- sh -c 'echo $FOO $PWD')" "-e and -w"
assert_eq "/root" "$(e a -- sh -c 'echo $HOME')" "HOME from the sandbox"
assert_eq "C.UTF-8" "$(LANG=C.UTF-8 e a -- sh -c 'echo $LANG')" "LANG forwarded"
assert_eq "" "$(SECRET=x e a -- sh -c 'echo ${SECRET:-}')" "other env not forwarded"
set +e
"$M" exec -e NOEQUALS a -- true 2>/dev/null; rc=$?
set -e
assert_eq 2 "$rc" "bad -e is a usage error"
set +e
e -w /nonexistent a -- true 2>/dev/null; rc=$?
set -e
[ "$rc" != 0 ] || fail "-w to a missing directory succeeded"
# argv is passed as is: no shell.
assert_eq 'a b;$x' "$(e a -- echo 'a b;$x')" "argv without a shell"
ok "-u, -e (last wins), -w, HOME, LANG; argv executed without a shell"

# pty: -t allocates one inside; default is a pty only on a terminal.
out=$(e -t a -- sh -c 'tty; stty size' </dev/null | tr -d '\r')
assert_match '^/dev/pts/[0-9]+$' "$(echo "$out" | head -1)" "-t gives a pty"
assert_eq "24 80" "$(echo "$out" | sed -n 2p)" "default size"
set +e
e a -- tty >/dev/null; rc=$?
set -e
assert_eq 1 "$rc" "no pty without a terminal"
# (script(1) may echo a ^@ into its terminal when its stdin ends: match
# the line, not the whole output.)
out=$(with_timeout 60 script -qec "$M exec a -- tty" /dev/null </dev/null | tr -d '\r')
assert_match '(^|\^@)/dev/pts/[0-9]+$' "$out" "pty by default on a terminal"
out=$(with_timeout 60 script -qec "$M exec -T a -- tty" /dev/null </dev/null | tr -d '\r')
assert_match '(^|\^@)not a tty$' "$out" "-T on a terminal"
set +e
e -t a -- sh -c 'exit 5' </dev/null >/dev/null; rc=$?
set -e
assert_eq 5 "$rc" "exit status through a pty"
ok "pty: -t, -T, automatic on a terminal, exit status"

set +e
out=$("$M" exec nosuch -- true 2>&1); rc=$?
set -e
assert_eq 1 "$rc" "exec in a missing sandbox"
assert_eq "msb: sandbox 'nosuch' does not exist" "$out" "missing sandbox message"
ok "exec in a missing sandbox: clear error"
