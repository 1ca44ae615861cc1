#!/bin/sh
# msb-sftp-server against OpenSSH's sftp-server at the protocol level, with
# no sshd: sftp/diff_test.py (raw requests: every reply and the tree each
# sequence leaves) runs against both servers started in equal directories;
# the transcripts must be equal. (sftp/paramiko_diff.py is not run: against
# sftp-server itself paramiko's readv sometimes stalls until its timeout.)
# The one deliberate difference: a malformed users-groups-by-id request
# makes sftp-server exit, msb-sftp-server answers BAD_MESSAGE.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/sftp/lib-sftp.sh"

need_cmd "$PYTHON3"
[ -x "${STOCK_SFTP_SERVER:-}" ] ||
    fail "stock sftp-server not found at '${STOCK_SFTP_SERVER:-}'"
sftp_test_init
start_dev_agent
me=$(id -un)

# drop the deliberate difference from a transcript
drop_fatal_case() {
	awk '/^users-groups-by-id odd length / { next }
	    /^unknown extension / { next }
	    prev ~ /^users-groups-by-id: / && /^server exited$/ { next }
	    { prev = $0; print }' "$1"
}

for t in diff_test; do
	for side in stock msb; do
		rm -rf "$T/$side"
		mkdir -m 755 "$T/$side"
		if [ $side = stock ]; then
			set -- "$STOCK_SFTP_SERVER" -d "$T/$side"
		else
			set -- $(msb_sftp_server) -d "$T/$side"
		fi
		with_timeout 300 "$PYTHON3" "$SFTP_DIR/$t.py" --dir "$T/$side" \
		    --out "$T/$t.$side" -- "$@" 2>>"$T/$t.$side.err" ||
		    fail "$t.py against the $side server: $(tail -5 "$T/$t.$side.err")"
		drop_fatal_case "$T/$t.$side" > "$T/$t.$side.cmp"
	done
	[ "$(wc -l < "$T/$t.stock.cmp")" -gt 50 ] || fail "$t: transcript too short"
	diff -u "$T/$t.stock.cmp" "$T/$t.msb.cmp" > "$T/$t.diff" ||
	    fail "$t: msb-sftp-server differs from sftp-server (- stock, + msb):
$(head -60 "$T/$t.diff")"
	ok "$t: the same transcript as OpenSSH's sftp-server ($(wc -l < "$T/$t.stock.cmp") lines)"
done
