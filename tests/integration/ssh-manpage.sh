#!/bin/sh
# Every command example of man/msb-ssh.1 (its literal blocks, except the
# sample ssh_config output) runs as printed and succeeds, in a home of its
# own (~/.ssh, the default ~/.msb). Only fixed port numbers are replaced by
# free ones, and ssh reads the test's ~/.ssh/config (it takes ~ from the
# passwd entry, not $HOME).
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
msb_test_init
need_cmd ssh ssh-keygen ssh-agent ssh-add curl awk
page="$MSB_SRCDIR/man/msb-ssh.1"

export HOME="$T/h"
export MSB_HOME="$HOME/.msb"
MSB_TEST_EXTRA_HOMES="$MSB_HOME"
mkdir -p "$HOME/.ssh" "$T/wrap"
chmod 700 "$HOME" "$HOME/.ssh"
ssh-keygen -q -t ed25519 -N '' -C manpage -f "$HOME/.ssh/id_ed25519"
cat >"$T/wrap/ssh" <<EOF
#!/bin/sh
exec /usr/bin/ssh -F "$HOME/.ssh/config" "\$@"
EOF
cat >"$T/wrap/msb" <<EOF
#!/bin/sh
exec "$MSB" "\$@"
EOF
chmod +x "$T/wrap/ssh" "$T/wrap/msb"
PATH="$T/wrap:$PATH"
eval "$(ssh-agent -s)" >/dev/null
at_exit "kill $SSH_AGENT_PID"
ssh-add -q "$HOME/.ssh/id_ed25519"

p_listen=$(free_port)
p_socks=$(free_port)
p_web=$(free_port)
port_open() {
	"$PYTHON3" -c "import socket; socket.create_connection(('127.0.0.1', $1), 1).close()"
}

common_config() {
	cat >"$HOME/.ssh/config" <<EOC
Host *
	IdentityFile $HOME/.ssh/id_ed25519
	IdentitiesOnly yes
	BatchMode yes
	LogLevel ERROR
	ConnectTimeout 30
EOC
}

# The literal blocks, one file each.
awk -v dir="$T" '
	/^\.Bd -literal/ { n++; f = dir "/block." n; inb = 1; next }
	/^\.Ed/ { inb = 0; next }
	inb { print > f }
' "$page"
nblocks=$(ls "$T"/block.* | wc -l)
[ "$nblocks" -ge 5 ] || fail "only $nblocks literal blocks found in $page"

ran=0
for b in $(ls "$T"/block.* | sort -t. -k2 -n); do
	if head -1 "$b" | grep -q '^Host '; then
		continue        # sample output of msb ssh config
	fi
	common_config
	# A block that does not print its own Host block uses the standard one.
	if ! grep -q 'msb ssh config' "$b" && [ -d "$MSB_HOME/sandboxes/devbox" ]; then
		"$MSB" ssh config devbox >>"$HOME/.ssh/config"
	fi
	if grep -q 'localhost:3000' "$b"; then
		# the server the SOCKS example reaches, on the sandbox's loopback
		"$MSB" exec devbox -- python3 -m http.server "$p_web" \
		    --bind 127.0.0.1 >/dev/null 2>&1 &
		at_exit "kill $!"
		wait_until 30 "$MSB" exec devbox -- python3 -c "import socket; socket.create_connection(('127.0.0.1', $p_web), 1)" ||
		    fail "the sandbox's web server never came up"
	fi
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		cmd=$(printf '%s\n' "$line" | sed -e "s|~/|$HOME/|g" \
		    -e "s/2222/$p_listen/g" -e "s/1080/$p_socks/g" \
		    -e "s/3000/$p_web/g")
		case $cmd in
		*'&')
			eval "$cmd" >"$T/bg.out" 2>&1
			at_exit "kill $!"
			for p in "$p_listen" "$p_socks"; do
				case $cmd in *"$p"*)
					wait_until 30 port_open "$p" ||
					    fail "'$line': nothing listens on port $p: $(cat "$T/bg.out")"
				esac
			done
			;;
		*)
			run_rc eval "$cmd" </dev/null >"$T/out" 2>"$T/err"
			[ "$rc" = 0 ] || fail "'$line' exited $rc: $(cat "$T/err")"
			case $line in
			curl*) grep -q 'Directory listing' "$T/out" ||
				fail "'$line' did not reach the sandbox's server: $(cat "$T/out")" ;;
			*'authorize --list') grep -q ' ssh-ed25519 manpage$' "$T/out" ||
				fail "'$line' does not list the key: $(cat "$T/out")" ;;
			*'inactivity-timeout 30m'*) grep -q -- '--stdio --inactivity-timeout 30m$' \
			    "$HOME/.ssh/config" || fail "'$line': no timeout in the ProxyCommand" ;;
			esac
			;;
		esac
		ran=$((ran + 1))
	done <"$b"
done
[ "$ran" -ge 15 ] || fail "only $ran example commands ran"
ok "all $ran example commands of msb-ssh(1) work as printed"

# msb ssh COMMAND --help: full usage, status 0; usage errors: 2.
for c in authorize config serve forwarding; do
	run_rc "$MSB" ssh "$c" --help >"$T/out" 2>"$T/err"
	assert_eq 0 "$rc" "msb ssh $c --help"
	assert_match "^usage: msb ssh $c " "$(head -1 "$T/out")" "msb ssh $c --help"
	[ "$(wc -l <"$T/out")" -ge 4 ] || fail "msb ssh $c --help is one line only"
	[ ! -s "$T/err" ] || fail "msb ssh $c --help wrote to stderr"
done
for args in "authorize" "authorize a b" "authorize --bogus" "config" \
    "config devbox --bogus" "config devbox --port 0" \
    "config --all --port 2222" "config devbox --inactivity-timeout soon" \
    "serve devbox" "serve" "forwarding" "forwarding devbox sideways" "nosuch"; do
	# shellcheck disable=SC2086
	run_rc "$MSB" ssh $args </dev/null >"$T/out" 2>"$T/err"
	assert_eq 2 "$rc" "msb ssh $args"
	[ -s "$T/err" ] || fail "msb ssh $args: no message"
done
"$MSB" ssh config devbox --inactivity-timeout=45s >"$T/out" ||
    fail "msb ssh config --inactivity-timeout=45s"
grep -q -- '--stdio --inactivity-timeout 45s$' "$T/out" ||
    fail "--inactivity-timeout=VALUE not passed on: $(cat "$T/out")"
run_rc "$MSB" -V >/dev/null
assert_eq 0 "$rc" "msb -V"
assert_match '^msb [0-9]' "$("$MSB" -V)" "msb -V"
assert_eq "$("$MSB" -V)" "$("$MSB" --version)" "msb --version"
ok "--help of every ssh command exits 0; usage errors exit 2; msb -V"
