#!/bin/sh
# scp through sshd and a real sandbox, in both modes: the default (SFTP,
# served by msb-sftp-server) and legacy -O (`scp -t/-f` run inside the
# sandbox through exec). put, get, -r, -p, `devbox.msb:~/x`, a nested
# remote directory. The sandbox log (SFTP logging on at INFO) shows which
# mode really carried each transfer.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
. "$MSB_SRCDIR/tests/integration/sftp/lib-sftp.sh"

need_cmd scp ssh sha256sum diff
sftp_test_init
sftp_sandbox devbox --sftp-log-level INFO
box "command -v scp" >/dev/null || skip "the sandbox image has no scp binary (needed by scp -O)"
LOG="$MSB_HOME/sandboxes/devbox/log"

S="$T/src"
mkdir -p "$S/sub/deep" "$S/empty"
head -c 1M /dev/urandom > "$S/sub/b.bin"
echo a > "$S/a.txt"
echo deep > "$S/sub/deep/c.txt"
echo sp > "$S/sp ace.txt"
chmod 640 "$S/a.txt"
chmod 750 "$S/sub"
touch -d '2003-02-01 10:00:00' "$S/a.txt" "$S/sub/b.bin"

same_tree() {  # local-dir fetched-dir what
	diff -r "$1" "$2" >/dev/null || fail "$3: trees differ: $(diff -r "$1" "$2" | head -5)"
}

for mode in sftp legacy; do
	o=
	[ $mode = legacy ] && o=-O
	R=/root/$mode
	box "mkdir -p $R/n1/n2/n3"
	G="$T/get-$mode"
	mkdir "$G"

	# put and get a file
	tscp $o "$S/a.txt" "devbox.msb:$R/a.txt" || fail "$mode: scp put"
	assert_eq a "$(box "cat $R/a.txt")" "$mode: put content"
	tscp $o "devbox.msb:$R/a.txt" "$G/a.txt" || fail "$mode: scp get"
	assert_eq a "$(cat "$G/a.txt")" "$mode: get content"
	ok "$mode: scp put and get"

	# -p: mode and mtime both ways
	tscp $o -p "$S/a.txt" "devbox.msb:$R/ap.txt" || fail "$mode: scp -p put"
	assert_eq "$(stat -c '%a %Y' "$S/a.txt")" "$(box "stat -c '%a %Y' $R/ap.txt")" \
	    "$mode: put -p mode+mtime"
	tscp $o -p "devbox.msb:$R/ap.txt" "$G/ap.txt" || fail "$mode: scp -p get"
	assert_eq "$(stat -c '%a %Y' "$S/a.txt")" "$(stat -c '%a %Y' "$G/ap.txt")" \
	    "$mode: get -p mode+mtime"
	ok "$mode: scp -p keeps mode and mtime"

	# -r into a nested remote directory and back
	tscp $o -r -p "$S" "devbox.msb:$R/n1/n2/n3/" || fail "$mode: scp -r put"
	assert_eq "$(sha256sum < "$S/sub/b.bin")" \
	    "$(box "sha256sum < $R/n1/n2/n3/src/sub/b.bin")" "$mode: -r content"
	assert_eq 750 "$(box "stat -c %a $R/n1/n2/n3/src/sub")" "$mode: -r -p dir mode"
	tscp $o -r -p "devbox.msb:$R/n1/n2/n3/src" "$G/back" || fail "$mode: scp -r get"
	same_tree "$S" "$G/back" "$mode: -r round trip"
	ok "$mode: scp -r -p to a nested remote dir and back"

	# ~ paths and names with spaces
	box "echo tilde > /root/x-$mode"
	(cd "$G" && tscp $o "devbox.msb:~/x-$mode" .) || fail "$mode: scp devbox.msb:~/x"
	assert_eq tilde "$(cat "$G/x-$mode")" "$mode: ~/x"
	tscp $o "$S/sp ace.txt" "devbox.msb:$R/" || fail "$mode: put of a name with a space"
	assert_eq sp "$(box "cat '$R/sp ace.txt'")" "$mode: space name"
	# ~user: SFTP mode needs expand-path@openssh.com for it
	if have_root "$mode: ~user needs the account app (useradd in the sandbox)"; then
		box "echo other > /home/app/u-$mode.txt"
		tscp $o "devbox.msb:~app/u-$mode.txt" "$G/u.txt" ||
		    fail "$mode: scp devbox.msb:~app/..."
		assert_eq other "$(cat "$G/u.txt")" "$mode: ~user path"
	fi
	ok "$mode: scp devbox.msb:~/x, ~user/x and names with spaces"
done

# The log tells the modes apart: only SFTP transfers are msb-sftp-server
# opens; legacy ones never reach it.
grep -q 'open "/root/sftp/a.txt" flags WRITE,CREATE' "$LOG" ||
    fail "no msb-sftp-server open logged for the SFTP-mode put"
if grep -q 'open "/root/legacy/' "$LOG"; then
	fail "a legacy (-O) transfer went through msb-sftp-server"
fi
ok "default scp used SFTP, scp -O ran the sandbox's scp"
