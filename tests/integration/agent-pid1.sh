#!/bin/sh
# msb-agent in launch mode as PID 1 of a new pid namespace: inherited
# listening socket (fd 3) and readiness fd (fd 4), serves EXEC, reaps
# orphans, ignores SIGINT/SIGHUP, and on SIGTERM terminates every process
# (SIGKILL after the grace period) and exits 0.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/agent-lib.sh"
need_cmd unshare
# As root a plain pid namespace; otherwise one owned by a user namespace
# that maps only ourselves (the agent then runs programs as us).
if [ "$(id -u)" != 0 ]; then
	unshare --user --map-current-user --pid --fork --mount-proc true \
	    >/dev/null 2>&1 ||
	    skip "needs root, or unprivileged user namespaces with unshare --map-current-user"
fi
[ -x "$PYTHON3" ] || skip "$PYTHON3 is not installed"
agent_test_init

cat >"$T/launch.py" <<'EOF'
# The sandbox launcher's part: bind+listen, a readiness pipe, fds 3 and 4.
import os, select, socket, sys
agent, path, tdir, user = sys.argv[1:5]
userns = [] if os.getuid() == 0 else ["--user", "--map-current-user"]
ls = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
ls.bind(path)
os.chmod(path, 0o600)
ls.listen(64)
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    lfd = os.dup(ls.fileno()); wfd = os.dup(w)
    os.dup2(lfd, 3, inheritable=True)
    os.dup2(wfd, 4, inheritable=True)
    log = os.open(tdir + "/agent.log", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.dup2(log, 2)
    nul = os.open("/dev/null", os.O_RDWR)
    os.dup2(nul, 0); os.dup2(nul, 1)
    os.execvp("unshare", ["unshare"] + userns + ["--pid", "--fork",
        "--mount-proc", agent, "--name", "pid1test", "--user", user,
        "--listen-fd", "3", "--ready-fd", "4", "--log-level", "verbose"])
os.close(w)
ls.close()
with open(tdir + "/unshare.pid", "w") as f:
    f.write("%d\n" % pid)
ready = b""
while select.select([r], [], [], 10)[0]:
    d = os.read(r, 100)
    if not d:
        break
    ready += d
    if b"\n" in ready:     # unshare keeps a copy of fd 4: no EOF
        break
with open(tdir + "/ready", "wb") as f:
    f.write(ready)
_, status = os.waitpid(pid, 0)
with open(tdir + "/status.tmp", "w") as f:
    f.write("%d\n" % (os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)))
os.rename(tdir + "/status.tmp", tdir + "/status")
EOF
"$PYTHON3" "$T/launch.py" "$MSB_AGENT" "$MSB_AGENT_SOCK" "$T" "$AGENT_USER" &
launcher=$!
wait_until 15 test -s "$T/ready" || fail "no readiness message"
assert_eq ready "$(cat "$T/ready")" "readiness message"
unshare_pid=$(cat "$T/unshare.pid")
AGENT_PID=$(ps -o pid= --ppid "$unshare_pid" | tr -d ' ')
[ -n "$AGENT_PID" ] || fail "agent process not found"
assert_eq 1 "$(grep NSpid "/proc/$AGENT_PID/status" | awk '{print $NF}')" "agent pid inside its namespace"
ok "launch mode: inherited socket, ready written"

# Sessions run in the namespace, under the agent.
out=$(acli exec -- sh -c 'echo $$; tr "\0" " " </proc/1/cmdline')
pid_in=$(echo "$out" | sed -n 1p)
[ "$pid_in" -gt 1 ] && [ "$pid_in" -lt 1000 ] || fail "session pid inside the namespace: $pid_in"
assert_match "msb-agent --name pid1test" "$(echo "$out" | sed -n 2p)" "PID 1 of the namespace"
assert_eq "$(id -u) 1" "$(acli exec -- sh -c 'echo $(id -u) $(awk "{print \$4}" /proc/$$/stat)')" "uid and parent of a session"
ok "EXEC as PID 1"

# Orphans are reaped by PID 1.
acli exec -- sh -c 'sh -c "sleep 1 && :" >/dev/null 2>&1 </dev/null & exit 0'
sleep 2
z=$(acli exec -- sh -c 'grep -l "^State:[[:space:]]*Z" /proc/[0-9]*/status 2>/dev/null || true')
assert_eq "" "$z" "zombies in the namespace"
ok "orphans reaped by PID 1"

# SIGINT and SIGHUP do nothing to init.
kill -INT "$AGENT_PID"
kill -HUP "$AGENT_PID"
sleep 0.3
acli ping >/dev/null || fail "agent died of SIGINT/SIGHUP"
ok "SIGINT/SIGHUP ignored"

# SIGTERM: sessions are terminated (and SIGKILLed if they resist), exit 0.
"$AGENT_CLI" exec --report "$T/rep1" -- sleep 1031 &
c1=$!
"$AGENT_CLI" exec --report "$T/rep2" -- sh -c 'trap "" TERM; echo armed; exec sleep 1032' >"$T/armed" &
c2=$!
wait_until 10 grep -q armed "$T/armed" || fail "sessions did not start"
sleep 0.2
t0=$(date +%s)
kill -TERM "$AGENT_PID"
wait "$c1" || true
wait "$c2" || true
wait_until 15 test -s "$T/status" || fail "agent did not exit after SIGTERM"
t1=$(date +%s)
wait "$launcher" || true
AGENT_PID=
assert_eq 0 "$(cat "$T/status")" "exit status of PID 1 after SIGTERM"
assert_eq "signaled 15 core 0" "$(cat "$T/rep1")" "session terminated by SIGTERM"
assert_eq "signaled 9 core 0" "$(cat "$T/rep2")" "TERM-immune session killed"
[ $((t1 - t0)) -ge 4 ] || fail "SIGKILL came before the grace period ($((t1 - t0)) s)"
[ -z "$(pgrep -f '^sleep 103[12]$' || true)" ] || fail "sandbox processes survived"
log "stop took $((t1 - t0)) s"; ok "SIGTERM stops everything (SIGKILL after the grace period), exit 0"
