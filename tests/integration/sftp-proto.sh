#!/bin/sh
# SFTP protocol behaviour of msb-sftp-server, checked at the wire level
# against a standalone agent (no sshd): extensions and limits, realpath and
# expand-path, all 64 open flag combinations (compared with OpenSSH's own
# sftp-server), > 4 GiB sparse files, O_APPEND/O_EXCL/TRUNC, pipelining and
# per-handle ordering, copy-data, malformed and oversized packets, -R/-p/-P,
# and a non-root session user whose permissions the kernel enforces.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/sftp/lib-sftp.sh"

need_cmd "$PYTHON3"
sftp_test_init
start_dev_agent
export SFTPRAW_QUIET=1
me=$(id -un)
home=$(home_of "$me")

# 1. msb-sftp-server as the agent's default user
mkdir -m 777 "$T/msb" "$T/stock"
(cd "$home" && with_timeout 300 "$PYTHON3" "$SFTP_DIR/proto_test.py" \
    --dir "$T/msb" --home "$home" --user "$me" --uid "$(id -u)" \
    -- $(msb_sftp_server)) || fail "protocol tests of msb-sftp-server"

# 2. the same expectations hold for OpenSSH's sftp-server (so they are
#    OpenSSH's behaviour, not ours), and the open flag outcomes match
[ -x "${STOCK_SFTP_SERVER:-}" ] ||
    fail "stock sftp-server not found at '${STOCK_SFTP_SERVER:-}' (Debian package openssh-sftp-server)"
(cd "$home" && with_timeout 300 "$PYTHON3" "$SFTP_DIR/proto_test.py" \
    --stock --dir "$T/stock" --home "$home" --user "$me" \
    -- "$STOCK_SFTP_SERVER") > "$T/stock.out" ||
    fail "the expectations do not hold for stock sftp-server: $(cat "$T/stock.out")"
sed "s#$T/msb#DIR#g" "$T/msb/flags.result" > "$T/flags.msb"
sed "s#$T/stock#DIR#g" "$T/stock/flags.result" > "$T/flags.stock"
[ "$(wc -l < "$T/flags.msb")" = 128 ] || fail "flag results missing"
diff "$T/flags.stock" "$T/flags.msb" ||
    fail "open flag outcomes differ from stock sftp-server"
ok "all 64 open flag combinations behave as with stock sftp-server"

# 3. -Q requests lists what sftp-server lists
"$MSB_SFTP_SERVER" -Q requests > "$T/q.msb"
"$STOCK_SFTP_SERVER" -Q requests > "$T/q.stock"
diff "$T/q.stock" "$T/q.msb" || fail "-Q requests differs"
ok "-Q requests"
assert_fails "-p with an unknown request name" "$MSB_SFTP_SERVER" \
    -S "$T/agent.sock" -p open,frobnicate
"$MSB_SFTP_SERVER" -S "$T/agent.sock" -P frobnicate </dev/null \
    2>"$T/err" && fail "-P frobnicate accepted"
assert_match 'unknown request name "frobnicate"' "$(cat "$T/err")" "-P error"
"$MSB_SFTP_SERVER" -S "$T/nosuch.sock" </dev/null 2>"$T/err" &&
    fail "a missing agent socket was accepted"
assert_match 'cannot connect to the agent' "$(cat "$T/err")" "no agent"
"$MSB_SFTP_SERVER" -S "$T/agent.sock" -U nosuchuser9 </dev/null \
    2>"$T/err" && fail "an unknown sandbox user was accepted"
assert_match "unknown user 'nosuchuser9'" "$(cat "$T/err")" "unknown user"
ok "bad command lines and users fail clearly"

# 4. a non-root session user (the agent switches users only as root)
if have_root "a second user for the session"; then
	setup_test_user
	echo secret > "$T/secret"
	chmod 600 "$T/secret"
	mkdir -m 777 "$T/user"
	uhome=$(home_of "$TEST_USER")
	(cd / && with_timeout 120 "$PYTHON3" "$SFTP_DIR/proto_test.py" \
	    --dir "$T/user" --home "$uhome" --user "$TEST_USER" \
	    --uid "$(id -u "$TEST_USER")" --unreadable "$T/secret" \
	    --only realpath_start_dir,session_user_permissions,excl_trunc_append_eof,large_sparse_file \
	    -- $(msb_sftp_server) -U "$TEST_USER") ||
	    fail "protocol tests as $TEST_USER"
fi
