#!/bin/sh
# Opt-in TCP forwarding that originates inside the sandbox: -L, -D (SOCKS,
# "localhost" and "127.0.0.1"), -W and -R against servers on the sandbox's
# own loopback; a VS Code-like `ssh -T -D PORT host bash` flow; the host's
# loopback stays out of reach; with forwarding off (the default) all of it
# is refused; stream-local forwarding stays off (agent, X11 and tun: see
# test_sshd_config, which reads sshd -T); `msb ssh serve
# --forwarding` only narrows; `msb ssh forwarding` changes the setting for
# new connections (also through a --port listener); the account view still
# works; a --net host sandbox forwards to the host's network.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
msb_test_init
need_cmd ssh ssh-keygen curl

BG=
bg_add() { BG="$BG $1"; }
cleanup_bg() {
	for p in $BG; do kill "$p" 2>/dev/null || true; done
	for p in $BG; do wait "$p" 2>/dev/null || true; done
}
trap 'st=$?; set +e; cleanup_bg; (exit $st); msb_test_cleanup' EXIT

ssh_sandbox devbox --ssh-forwarding all
ssh_setup devbox
MSB_SSH_TIMEOUT=60
# for background clients: $! must be the process to kill (not a subshell)
BSSH="timeout --kill-after=5 120 ssh -F $T/ssh_config"

# ---- the setting: create flag, inspect, msb ssh forwarding ----
assert_eq all "$("$MSB" ssh forwarding devbox)" "msb ssh forwarding devbox"
assert_match '^ssh-forwarding: all$' "$("$MSB" inspect devbox)" "msb inspect"
run_rc "$MSB" create bad --ssh-forwarding everything 2>"$T/err"
assert_eq 2 "$rc" "msb create --ssh-forwarding everything"
assert_match "ssh-forwarding must be" "$(cat "$T/err")" "create message"
[ ! -e "$MSB_HOME/sandboxes/bad" ] || fail "a refused create left state behind"
run_rc "$MSB" ssh forwarding devbox yes 2>"$T/err"
assert_eq 2 "$rc" "msb ssh forwarding devbox yes"
assert_match "invalid mode 'yes'" "$(cat "$T/err")" "forwarding message"
assert_eq all "$("$MSB" ssh forwarding devbox)" "unchanged after a bad mode"
run_rc "$MSB" ssh forwarding nosuch none 2>"$T/err"
assert_eq 1 "$rc" "msb ssh forwarding of a missing sandbox"
assert_match "does not exist" "$(cat "$T/err")" "missing sandbox message"
ok "--ssh-forwarding, msb inspect, msb ssh forwarding (bad input refused)"

# ---- servers: one on the sandbox's loopback, one on the host's ----
SP=$(free_port)
"$MSB" exec devbox -- sh -c "mkdir -p /tmp/www && echo inside-sandbox > /tmp/www/f" ||
    fail "cannot write the sandbox's web root"
"$MSB" exec devbox -- "$PYTHON3" -m http.server --bind 127.0.0.1 \
    --directory /tmp/www "$SP" >/dev/null 2>&1 &
bg_add $!
wait_until 30 "$MSB" exec devbox -- curl -sf "http://127.0.0.1:$SP/f" ||
    fail "the in-sandbox server never came up"
mkdir "$T/www" && echo host-only > "$T/www/f"
HP=$(free_port)
"$PYTHON3" -m http.server --bind 127.0.0.1 --directory "$T/www" "$HP" \
    >/dev/null 2>&1 &
bg_add $!
wait_until 30 curl -sf "http://127.0.0.1:$HP/f" || fail "the host server never came up"
run_rc curl -s -m 5 "http://127.0.0.1:$SP/f"
[ "$rc" != 0 ] || fail "the sandbox's loopback server is reachable from the host"
ok "a server on the sandbox's 127.0.0.1:$SP is not on the host's loopback"

# wait_listen PORT: a client-side forwarding listener is up
wait_listen() {
	wait_until 30 "$PYTHON3" -c "import socket; socket.create_connection(('127.0.0.1', $1), 1).close()"
}

# ---- -L ----
LP=$(free_port)
$BSSH -N -o ExitOnForwardFailure=yes -L "$LP:127.0.0.1:$SP" devbox.msb &
L=$!; bg_add $L
wait_listen "$LP" || fail "ssh -L never listened"
assert_eq inside-sandbox "$(curl -sf -m 10 "http://127.0.0.1:$LP/f")" "curl through -L"
ok "ssh -L reaches the server on the sandbox's loopback"
kill $L

# ---- -D: SOCKS with a host name and an address ----
DP=$(free_port)
$BSSH -N -o ExitOnForwardFailure=yes -D "127.0.0.1:$DP" devbox.msb &
D=$!; bg_add $D
wait_listen "$DP" || fail "ssh -D never listened"
assert_eq inside-sandbox "$(curl -sf -m 10 --socks5-hostname "127.0.0.1:$DP" \
    "http://localhost:$SP/f")" "SOCKS to localhost"
assert_eq inside-sandbox "$(curl -sf -m 10 --socks5-hostname "127.0.0.1:$DP" \
    "http://127.0.0.1:$SP/f")" "SOCKS to 127.0.0.1"
# the security property: connections open inside, never on the host
run_rc curl -s -m 10 --socks5-hostname "127.0.0.1:$DP" "http://127.0.0.1:$HP/f"
[ "$rc" != 0 ] || fail "SOCKS reached the host's loopback server"
ok "ssh -D: localhost and 127.0.0.1 resolve inside the sandbox; the host's loopback is not reachable"
kill $D

# ---- -W ----
got=$(printf 'GET /f HTTP/1.0\r\n\r\n' | tssh -W "127.0.0.1:$SP" devbox.msb | tail -1)
assert_eq inside-sandbox "$got" "ssh -W 127.0.0.1:$SP"
run_rc tssh -o LogLevel=INFO -W "127.0.0.1:$HP" devbox.msb </dev/null >/dev/null 2>"$T/err"
assert_eq 255 "$rc" "ssh -W to the host-only port"
assert_match 'Connection refused' "$(cat "$T/err")" "-W to the host-only port"
ok "ssh -W reaches the sandbox's loopback, not the host's (connection refused)"

# ---- -R: a host loopback service appears on the sandbox's loopback ----
RP=$(free_port)
$BSSH -N -o ExitOnForwardFailure=yes -R "127.0.0.1:$RP:127.0.0.1:$HP" devbox.msb &
R=$!; bg_add $R
wait_until 30 "$MSB" exec devbox -- curl -sf -m 5 "http://127.0.0.1:$RP/f" ||
    fail "the -R listener never appeared inside the sandbox"
assert_eq host-only "$("$MSB" exec devbox -- curl -sf -m 5 "http://127.0.0.1:$RP/f")" \
    "curl inside the sandbox through -R"
run_rc curl -s -m 5 "http://127.0.0.1:$RP/f"
[ "$rc" != 0 ] || fail "the -R listener is on the host's loopback"
ok "ssh -R listens on the sandbox's 127.0.0.1:$RP (not the host's) and reaches the host service"
kill $R

# ---- what stays off in every mode ----
"$PYTHON3" -c "
import socket, os
s = socket.socket(socket.AF_UNIX); s.bind('$T/host.sock'); s.listen(1)
c, _ = s.accept(); c.sendall(b'host-unix-socket\n'); c.close()
" &
bg_add $!
wait_until 10 test -S "$T/host.sock" || fail "no host unix socket"
SL=$(free_port)
$BSSH -N -L "$SL:$T/host.sock" devbox.msb 2>"$T/sl.err" &
bg_add $!
wait_listen "$SL" || fail "ssh -L port:socket never listened"
got=$("$PYTHON3" -c "
import socket
c = socket.create_connection(('127.0.0.1', $SL), 5); c.settimeout(5)
try: print(c.recv(100).decode().strip())
except Exception as e: print('error')
")
[ "$got" != host-unix-socket ] || fail "stream-local forwarding reached a host unix socket"
ok "stream-local forwarding (to host unix sockets) stays off"

# ---- the account view inside the sandbox's network namespace ----
# An account with a shell (nobody's, nologin, refuses commands as sshd's
# would), its home missing: sshd's "Could not chdir" warning.
"$MSB" exec devbox -- useradd -M -d /nonexistent -s /bin/sh fwduser
assert_eq "root fwduser" "$(tssh devbox.msb 'id -un') $(tssh fwduser@devbox.msb 'id -un' 2>/dev/null)" \
    "accounts with forwarding on"
assert_match "not available" "$(tssh nobody@devbox.msb 'id -un' 2>&1 || true)" \
    "nobody@: its nologin shell answers"
got=$(tssh -tt fwduser@devbox.msb 'echo $SSH_TTY; tty' </dev/null | tr -d '\r' |
    grep -v '^Could not chdir' | tr '\n' ' ')
assert_match '^/dev/pts/[0-9]+ /dev/pts/[0-9]+ $' "$got" "pty session with forwarding on"
run_rc tssh nosuchuser@devbox.msb true 2>/dev/null
assert_eq 255 "$rc" "an unknown account"
ok "accounts (root, fwduser, nobody's nologin, unknown refused) and ptys work with forwarding on"

# ---- VS Code-like: ssh -T -D PORT host bash, the script on stdin ----
cat >"$T/vscode.sh" <<'EOS'
echo "start: running"
uname -rsv >/dev/null
python3 -c '
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        b = b"vscode-server-ok\n"
        self.send_response(200); self.send_header("Content-Length", str(len(b)))
        self.end_headers(); self.wfile.write(b)
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print("listeningOn==%d==" % s.server_address[1], flush=True)
s.serve_forever()
' msb-fake-vscode-server &
while true; do sleep 1; printf ' '; done
EOS
mkfifo "$T/vs.in"
VP=$(free_port)
$BSSH -T -D "127.0.0.1:$VP" devbox.msb bash <"$T/vs.in" >"$T/vs.out" 2>"$T/vs.err" &
V=$!; bg_add $V
exec 7>"$T/vs.in"
cat "$T/vscode.sh" >&7
wait_until 30 grep -q 'listeningOn==[0-9]*==' "$T/vs.out" ||
    fail "the fake server never printed its port: $(cat "$T/vs.out" "$T/vs.err")"
vport=$(sed -n 's/.*listeningOn==\([0-9]*\)==.*/\1/p' "$T/vs.out" | head -1)
wait_listen "$VP" || fail "ssh -D of the VS Code flow never listened"
assert_eq vscode-server-ok "$(curl -sf -m 10 --socks5-hostname "127.0.0.1:$VP" \
    "http://127.0.0.1:$vport/")" "the in-sandbox server through the session's SOCKS proxy"
kill $V
exec 7>&-
no_fake_server() { ! "$MSB" exec devbox -- pgrep -f msb-fake-vscode-server; }
wait_until 10 no_fake_server || fail "the fake server outlived its session"
ok "VS Code-like flow: script on stdin starts a server on 127.0.0.1:0 ($vport), reached through -D"

# ---- serve --forwarding narrows, never widens ----
narrow() { echo "ProxyCommand=$MSB ssh serve devbox --stdio --forwarding $1"; }
got=$(printf 'GET /f HTTP/1.0\r\n\r\n' | tssh -o "$(narrow local)" -W "127.0.0.1:$SP" devbox.msb | tail -1)
assert_eq inside-sandbox "$got" "-W with --forwarding local"
run_rc tssh -o "$(narrow local)" -o ExitOnForwardFailure=yes -R "127.0.0.1:$(free_port):127.0.0.1:$HP" devbox.msb true 2>"$T/err"
assert_eq 255 "$rc" "-R with --forwarding local"
assert_match 'remote port forwarding failed' "$(cat "$T/err")" "-R refused message"
run_rc tssh -o LogLevel=INFO -o "$(narrow remote)" -W "127.0.0.1:$SP" devbox.msb </dev/null >/dev/null 2>"$T/err"
assert_eq 255 "$rc" "-W with --forwarding remote"
assert_match 'administratively prohibited' "$(cat "$T/err")" "-W refused message"
"$MSB" ssh forwarding devbox local
run_rc tssh -o "$(narrow all)" devbox.msb true 2>"$T/err"
assert_eq 255 "$rc" "--forwarding all on a 'local' sandbox"
assert_match "allows TCP forwarding 'local' only" "$(cat "$T/err")" "widening refused"
ok "msb ssh serve --forwarding narrows (local: no -R; remote: no -W) and cannot widen"

# ---- off: everything refused ----
"$MSB" ssh forwarding devbox none
assert_eq none "$("$MSB" ssh forwarding devbox)" "after msb ssh forwarding devbox none"
run_rc tssh -o LogLevel=INFO -W "127.0.0.1:$SP" devbox.msb </dev/null >/dev/null 2>"$T/err"
assert_eq 255 "$rc" "-W with forwarding off"
assert_match 'administratively prohibited' "$(cat "$T/err")" "-W refused (off)"
run_rc tssh -o ExitOnForwardFailure=yes -R "127.0.0.1:$(free_port):127.0.0.1:$HP" devbox.msb true 2>"$T/err"
assert_eq 255 "$rc" "-R with forwarding off"
LP=$(free_port)
$BSSH -N -L "$LP:127.0.0.1:$SP" devbox.msb 2>/dev/null &
L=$!; bg_add $L
wait_listen "$LP" || fail "ssh -L (off) never listened"
run_rc curl -s -m 10 "http://127.0.0.1:$LP/f"
[ "$rc" != 0 ] || fail "ssh -L worked with forwarding off"
kill $L
DP=$(free_port)
$BSSH -N -D "127.0.0.1:$DP" devbox.msb 2>/dev/null &
D=$!; bg_add $D
wait_listen "$DP" || fail "ssh -D (off) never listened"
run_rc curl -s -m 10 --socks5-hostname "127.0.0.1:$DP" "http://127.0.0.1:$SP/f"
[ "$rc" != 0 ] || fail "ssh -D worked with forwarding off"
kill $D
ok "forwarding off: -L, -D, -W and -R are all refused"

# ---- a --port listener reads the setting for each new connection ----
PP=$(free_port)
"$MSB" ssh forwarding devbox all
"$MSB" ssh serve devbox --port "$PP" 2>"$T/serve.err" &
bg_add $!
wait_listen "$PP" || fail "listener never came up: $(cat "$T/serve.err")"
grep -v -e ProxyCommand -e HostName "$T/ssh_config" >"$T/ssh_config.tcp"
pssh() { timeout --kill-after=5 60 ssh -F "$T/ssh_config.tcp" -p "$PP" -o HostName=127.0.0.1 "$@"; }
got=$(printf 'GET /f HTTP/1.0\r\n\r\n' | pssh -W "127.0.0.1:$SP" devbox.msb | tail -1)
assert_eq inside-sandbox "$got" "-W through the --port listener"
"$MSB" ssh forwarding devbox none
run_rc pssh -o LogLevel=INFO -W "127.0.0.1:$SP" devbox.msb </dev/null >/dev/null 2>"$T/err"
assert_eq 255 "$rc" "-W through the listener after msb ssh forwarding none"
assert_match 'administratively prohibited' "$(cat "$T/err")" "listener, off"
ok "a --port listener applies msb ssh forwarding to new connections"

# ---- --net host: forwarding reaches the host's network (documented) ----
ssh_sandbox hostnet --net host --ssh-forwarding local
ssh_setup devbox hostnet
got=$(printf 'GET /f HTTP/1.0\r\n\r\n' | tssh -W "127.0.0.1:$HP" hostnet.msb | tail -1)
assert_eq host-only "$got" "-W from a --net host sandbox"
ok "a --net host sandbox forwards to the host's network"
