#!/bin/sh
# msb ssh [connect] [SSH-OPTION...] [USER@]NAME[.msb] [COMMAND...]: the
# system's ssh with msb's settings as -o options, no Host block needed;
# the user's own ssh configuration (here: -F with identity settings only)
# still applies; ssh parses the words as it would for `ssh NAME.msb ...`.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
msb_test_init
need_cmd ssh ssh-keygen

ssh_sandbox devbox
ssh_setup
# Identity settings only: no Host block for any sandbox.
cat > "$T/base" <<EOC
Host *
	IdentityFile $T/id_ed25519
	IdentitiesOnly yes
	BatchMode yes
	LogLevel ERROR
	ConnectTimeout 30
EOC
m() { timeout --kill-after=5 120 "$MSB" ssh "$@"; }

run_rc m -F "$T/base" devbox 'echo out; echo err >&2; exit 3' \
    >"$T/out" 2>"$T/err"
assert_eq 3 "$rc" "exit status"
assert_eq out "$(cat "$T/out")" "stdout"
assert_eq err "$(cat "$T/err")" "stderr"
ok "msb ssh NAME CMD: stdout, stderr, exit status, no Host block"

assert_eq root "$(m -F "$T/base" root@devbox.msb id -un)" "USER@NAME.msb"
assert_eq devbox "$(m connect -F "$T/base" devbox hostname)" "connect NAME"
assert_eq x "$(m -F "$T/base" devbox -- printf x)" "-- after NAME"
run_rc m -F "$T/base" -tt devbox 'test -t 0 && exit 4' </dev/null \
    >/dev/null 2>&1
assert_eq 4 "$rc" "-tt gives a pty"
assert_eq 2 "$(printf 'a\nb\n' | m -F "$T/base" devbox wc -l)" "stdin"
ok "USER@NAME.msb, connect, '--', -tt, stdin"

# A sandbox named like a subcommand is reached with connect.
"$MSB" create config >/dev/null
assert_eq config "$(m connect -F "$T/base" config hostname)" "sandbox 'config'"
"$MSB" rm --force config >/dev/null
ok "connect reaches a sandbox named like a command"

"$MSB" stop devbox
assert_eq devbox "$(m -F "$T/base" devbox hostname)" "auto-start"
ok "a stopped sandbox is started"

run_rc m nosuch true 2>"$T/err"
assert_eq 2 "$rc" "unknown sandbox as command word: usage status"
grep -q "neither a command .* nor a sandbox" "$T/err" || fail "message: $(cat "$T/err")"
run_rc m -F "$T/base" nosuch true 2>"$T/err"
assert_eq 1 "$rc" "connect to a missing sandbox"
grep -q "does not exist" "$T/err" || fail "message: $(cat "$T/err")"
run_rc m connect -F "$T/base" 'bad/name' true 2>"$T/err"
assert_eq 2 "$rc" "invalid name (a usage error)"
[ -s "$T/err" ] || fail "no message for an invalid name"
run_rc m -Z devbox true 2>"$T/err"
assert_eq 2 "$rc" "unknown ssh option"
run_rc m connect 2>"$T/err"
assert_eq 2 "$rc" "no destination"
grep -q "^usage: msb ssh" "$T/err" || fail "no usage line"
ok "missing sandbox, invalid name, unknown option, no destination"

