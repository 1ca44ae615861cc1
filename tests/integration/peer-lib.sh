# Differential client tests (the peer-*.sh scripts); source after lib.sh,
# ssh-lib.sh and sftp/lib-sftp.sh.
#
# Every case runs the same client command twice:
#   stock: against OpenSSH's own sftp-server (and the system's scp for
#          scp -O), run locally as host user $TEST_USER in $W, through an
#          ssh stand-in ($T/stock-ssh);
#   msb:   through msb's gateway (sshd, msb-shell, msb-sftp-server, the
#          agent) into sandbox $PEER_BOX as the same user (same uid), where
#          $W is the same absolute path, bind-mounted from $T/wbox.
# The two trees are prepared identically from here, and afterwards the
# client's output (normalised), its exit status and both the remote and
# local trees must match. So every behaviour checked is OpenSSH's own.
#
# peer_init [msb create options]   set up both sides
# peer_prep 'SHELL'                run SHELL as $TEST_USER in both remote
#                                  trees (emptied first)
# peer_run NAME CMD...             run CMD in both worlds; CMD is a shell
#                                  function or program that uses $SSHCMD
#                                  ("-S prog" or "-F config") and $HOST
# peer_same NAME                   compare the last peer_run's results
# Results land in $T/res/NAME.{stock,msb}.{out,rc,tree,ltree}.

PEER_BOX=devbox
W=
LC=                      # the local directory of the current run

peer_init() {
	need_root "creates host and sandbox accounts for the comparison"
	need_cmd sftp scp ssh runuser sha256sum diff find
	[ -x "${STOCK_SFTP_SERVER:-}" ] ||
	    fail "stock sftp-server not found at '${STOCK_SFTP_SERVER:-}'"
	[ -n "$T" ] || sftp_test_init
	setup_test_user
	W=$T/w
	mkdir -p "$W" "$T/wbox" "$T/res" "$T/data"
	chown "$TEST_USER:" "$W" "$T/wbox"
	"$MSB" create "$PEER_BOX" -v "$T/wbox:$W" "$@" >/dev/null ||
	    fail "msb create $PEER_BOX"
	ssh_setup "$PEER_BOX"
	# the same account, starting in $W as the stock side does (-d)
	with_timeout 60 "$MSB" exec "$PEER_BOX" -- usermod -d "$W" "$TEST_USER" ||
	    fail "usermod in the sandbox"
	cat > "$T/stock-ssh" <<EOF
#!/bin/sh
# ssh stand-in for the stock side: the remote end runs here, as
# $TEST_USER in $W (sftp-server for "-s ... sftp", else the command).
sub=0
while [ \$# -gt 0 ]; do
	case \$1 in
	-s) sub=1; shift ;;
	--) shift; break ;;
	-[lpioFcJPbBeDELmQRSwW]) shift 2 ;;
	-*) shift ;;
	*) break ;;
	esac
done
shift                      # the host
cd "$W" || exit 255
if [ \$sub = 1 ]; then
	exec runuser -u $TEST_USER -- $STOCK_SFTP_SERVER -d "$W" \${PEER_STOCK_ARGS:-}
fi
exec runuser -u $TEST_USER -- env HOME="$W" sh -c "\$*"
EOF
	chmod 755 "$T/stock-ssh"
	# fixed test data: random, but the same for both sides
	head -c 1200000 /dev/urandom > "$T/data/data.bin"
	head -c 70000 /dev/urandom > "$T/data/small.bin"
}

# The remote trees: both emptied, then SHELL run as the user in each.
peer_prep() {
	for d in "$W" "$T/wbox"; do
		find "$d" -mindepth 1 -delete 2>/dev/null || true
		chmod -R u+rwX "$d" 2>/dev/null || true
		find "$d" -mindepth 1 -delete ||
		    fail "cannot empty $d"
		(cd "$d" && runuser -u "$TEST_USER" -- sh -ec "$1") ||
		    fail "preparing $d: $1"
	done
}

# A listing of a tree that two runs can be compared by: type, mode, size
# of non-directories, link target, content hash, owner.
tree_of() {
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort | while IFS= read -r p; do
		if [ -L "$p" ]; then
			printf '%s l %s\n' "$p" "$(readlink "$p")"
		elif [ -d "$p" ]; then
			printf '%s d %s %s\n' "$p" "$(stat -c '%a %U' "$p")"
		elif [ -f "$p" ]; then
			printf '%s f %s %s\n' "$p" "$(stat -c '%a %s %U' "$p")" \
			    "$(sha256sum < "$p" | cut -c1-16)"
		else
			printf '%s %s\n' "$p" "$(stat -c '%F %a' "$p")"
		fi
	done)
}

# Mask what legitimately differs between two runs: the local directory,
# recent times in long listings. And one known difference left to
# msb-shell: it runs commands as "/bin/sh -c", where sshd runs the user's
# shell with argv[0] "sh", so the shell's own errors start "/bin/sh: 1:".
peer_norm() {
	sed -e "s#$T/lc-stock#LOCAL#g; s#$T/lc-msb#LOCAL#g" \
	    -e 's/[A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9]/RECENT/g' \
	    -e 's/[A-Z][a-z][a-z] [ 0-9][0-9]  20[0-9][0-9]/RECENT/g' \
	    -e 's#^/bin/sh: \([0-9]*: \)#sh: \1#' \
	    -e "${PEER_NORM_EXTRA:-s/^//}"
}

# peer_local 'SHELL': what the local directories start with (both runs).
PEER_LOCAL=
peer_local() {
	PEER_LOCAL=$1
}

peer_run() {
	name=$1
	shift
	for side in stock msb; do
		LC=$T/lc-$side
		rm -rf "$LC"
		mkdir -p "$LC"
		if [ -n "$PEER_LOCAL" ]; then
			(cd "$LC" && sh -ec "$PEER_LOCAL") || fail "local prep: $PEER_LOCAL"
		fi
		if [ $side = stock ]; then
			SSHCMD="-S $T/stock-ssh"
		else
			SSHCMD="-F $T/ssh_config"
		fi
		rc=0
		(cd "$LC" && MSB_SSH_TIMEOUT=${MSB_SSH_TIMEOUT:-120} "$@") \
		    > "$T/res/$name.$side.raw" 2>&1 < /dev/null || rc=$?
		peer_norm < "$T/res/$name.$side.raw" > "$T/res/$name.$side.out"
		echo "$rc" > "$T/res/$name.$side.rc"
		tree_of "$LC" > "$T/res/$name.$side.ltree"
	done
	tree_of "$W" > "$T/res/$name.stock.tree"
	tree_of "$T/wbox" > "$T/res/$name.msb.tree"
}

# peer_same NAME [what]: the last run of NAME came out the same both ways.
peer_same() {
	r=$T/res/$1
	for k in rc out tree ltree; do
		if ! diff -u "$r.stock.$k" "$r.msb.$k" > "$r.diff.$k"; then
			fail "$1: ${2:-}: the $k differs from OpenSSH's (- stock, + msb):
$(head -40 "$r.diff.$k")"
		fi
	done
	ok "$1: same as OpenSSH${2:+: $2}"
}

# peer_ok NAME [what]: the same both ways, and the client succeeded (so a
# batch ran to its end).
peer_ok() {
	peer_same "$@"
	[ "$(peer_rc "$1")" = 0 ] ||
	    fail "$1: the client failed (both ways): $(tail -3 "$T/res/$1.stock.out")"
}

# The status of the last run of NAME (the same both ways after peer_same).
peer_rc() {
	cat "$T/res/$1.stock.rc"
}

peer_out() {
	cat "$T/res/$1.stock.out"
}

# The ssh command of the current side (for rsync -e, GIT_SSH_COMMAND).
peer_ssh() {
	case $SSHCMD in
	-S\ *) printf '%s\n' "${SSHCMD#-S }" ;;
	*) printf 'ssh %s\n' "$SSHCMD" ;;
	esac
}

# Run the client: sftp with a batch on stdin (-b -) and the remote user.
p_sftp() {  # batch-text [sftp options...]
	b=$1
	shift
	printf '%s\n' "$b" | timeout --kill-after=5 "$MSB_SSH_TIMEOUT" \
	    sftp $SSHCMD "$@" -b - "$TEST_USER@$PEER_BOX.msb"
}

# The same with the commands on stdin but not as a batch (what the regress
# suite does: failures do not end the session).
p_sftp_in() {  # commands [sftp options...]
	b=$1
	shift
	printf '%s\n' "$b" | timeout --kill-after=5 "$MSB_SSH_TIMEOUT" \
	    sftp $SSHCMD "$@" "$TEST_USER@$PEER_BOX.msb"
}

# sftp with arbitrary arguments (URIs, get-style invocations).
p_sftp_args() {
	timeout --kill-after=5 "$MSB_SSH_TIMEOUT" sftp $SSHCMD "$@"
}

# scp with the remote user: an argument "R:path" (or "R2:path", the
# second host) stands for that remote path.
p_scp() {
	n=$#
	for a in "$@"; do
		case $a in
		R:*) a="$TEST_USER@$PEER_BOX.msb:${a#R:}" ;;
		R2:*) a="$TEST_USER@${PEER_BOX2:-$PEER_BOX}.msb:${a#R2:}" ;;
		esac
		set -- "$@" "$a"
	done
	shift "$n"
	timeout --kill-after=5 "$MSB_SSH_TIMEOUT" scp $SSHCMD "$@"
}
