#!/bin/sh
# The behaviours of OpenSSH's sftp regress tests (sftp-cmds, sftp-badcmds,
# sftp-batch, sftp-glob, sftp.sh's buffer/request matrix, sftp-uri) through
# msb's gateway into a real sandbox, each compared with OpenSSH's own
# sftp-server (peer-lib.sh): the client's output, its exit status and the
# remote and local trees must come out the same.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
. "$MSB_SRCDIR/tests/integration/sftp/lib-sftp.sh"
. "$MSB_SRCDIR/tests/integration/peer-lib.sh"

peer_init

D=$T/data
# a data file, names with quotes, spaces and glob characters, and a forest
FOREST="cp $D/data.bin data; cp $D/small.bin 'copy.\"blah\"';
	cp $D/small.bin 'copy this has spaces.txt';
	cp $D/small.bin 'copy [metachar].txt';
	for f in l1 l2 l3 lx; do echo \$f > \$f; done
	mkdir -p dd/a/d dd/b dd/c; for f in A B C D; do echo \$f > dd/a/\$f; done"

# ---- sftp-cmds: local commands, ls, pwd, help ----
peer_prep "$FOREST"
peer_run cmds-misc p_sftp "lpwd
lls
ls
ls -1
ls -la dd/a
ls -lS
ls -lt dd
ls -ln dd/a/A
ls -1 l?
pwd
!echo hi there
help
version
lmkdir lnew
lchdir lnew
lpwd
progress
quit"
peer_ok cmds-misc "lls, ls variants, !, help, version"

# ---- sftp-cmds: get ----
peer_prep "$FOREST"
peer_run cmds-get p_sftp "get data copy
get \"data\" copy2
get \"copy.\\\"blah\\\"\" q
get copy\\ this\\ has\\ spaces.txt sp
get \"copy [metachar].txt\" meta
lmkdir dd0
get data dd0
get l* dd0
lcd dd0
get l?
-get -R ../w-missing
lcd ..
get -R dd dd2
cd dd
get -R . dd3
cd b
get -R .. dd4
lmkdir dd5
lcd dd5
get -R ..
lcd ..
cd ..
cd ..
get -p data data-p
get -a data copy
reget data resumed"
peer_ok cmds-get "get: quoted, spaces, glob characters, to dirs, -R, -p, -a, reget"

# ---- sftp-cmds: put ----
peer_prep "mkdir dd"
peer_local "cp $D/data.bin data; cp $D/small.bin small;
	for f in l1 l2 l3; do echo \$f > \$f; done
	mkdir -p dd/a/d dd/b dd/c; for f in A B C D; do echo \$f > dd/a/\$f; done
	touch -d '2004-05-06 07:08:09' data; chmod 640 data"
peer_run cmds-put p_sftp "put data copy
put data \"copy.\\\"blah\\\"\"
put data copy\\ this\\ has\\ spaces.txt
put small \"x [meta].txt\"
put data dd
put l? dd
cd dd
put small
put l*
cd ..
put -R dd dd2
lcd dd
put -R . dd3
lcd b
put -R .. dd4
mkdir dd5
cd dd5
put -R ..
cd ..
lcd ..
lcd ..
put -p data data-p
put small part
reput data part
put -f small synced
-put -a data copy
put small part2
put -a data part2"
peer_ok cmds-put "put: quoted, spaces, glob characters, to dirs, -R, -p, reput, -f"
peer_local ""

# ---- sftp-cmds: rename, ln, cp, mkdir, rmdir, chmod ... ----
peer_prep "$FOREST; echo x > f; ln -s data sl"
peer_run cmds-ops p_sftp "rename data copy.1
rename dd dd2
ln copy.1 copy.2
ln -s copy.1 copy.3
ln -s nowhere dangling
cp copy.1 copy.4
mkdir copy.dd
chdir copy.dd
cd ..
rmdir copy.dd
chmod 600 f
chmod 4755 copy.4
chmod 0 l1
chgrp $(id -g "$TEST_USER") f
chown $(id -u "$TEST_USER") f
symlink f f-sym
rm l2
rm l?
ls -l sl
lumask 077
get copy.2 masked
ls -l"
peer_ok cmds-ops "rename, ln, ln -s, cp, mkdir, rmdir, chmod, chown, rm, df, lumask"

# df: the numbers change as others use the disk
PEER_NORM_EXTRA='s/[0-9][0-9.]*[KMGTP]*B*/N/g'
peer_run df p_sftp "df
df -h
df -i
df -h dd2"
peer_ok df "df, df -h, df -i"
PEER_NORM_EXTRA=

# ---- sftp-badcmds, and more failures: the exact errors ----
peer_prep "$FOREST; echo x > file; mkdir full; echo y > full/in; mkdir empty
	ln -s nowhere dangling; ln -s loop2 loop1; ln -s loop1 loop2
	mkdir ro; chmod 555 ro; echo s > secret; chmod 000 secret"
peer_local "echo a > la; mkdir ldir; echo l > lfile"
peer_run badcmds p_sftp "-get /NONEXIST.$$ copy
-get l* /NONEXIST.$$
-get l* lfile
-put /NONEXIST.$$ copy
-put la nodir/copy
-put la* ldir-missing/
-put la full/in/x
-put la ro/x
-put la ro
-rename /NONEXIST.$$ copy.1
-rename file full
-rename file file
-rename -l file empty
-rename full full/sub
-mkdir file
-mkdir full
-mkdir nodir/x
-mkdir ro/x
-rmdir full
-rmdir /NONEXIST.$$
-rmdir file
-rmdir dangling
-rm /NONEXIST.$$
-rm full
-rm nodir/*
-ln file full/in
-ln file full
-ln /NONEXIST.$$ x
-ln -s file full/in
-ln -s file nodir/x
-cd /NONEXIST.$$
-cd file
-cd loop1
-cd dangling
-cd secret
-chmod 644 /NONEXIST.$$
-chmod 644 dangling
-chown 0 file
-chgrp 0 file
-ls /NONEXIST.$$
-ls nodir/*
-ls -l secret
-get full
-get secret
-get loop1
-get dangling
-get -R /NONEXIST.$$
-put -R /NONEXIST.$$
-df /NONEXIST.$$
-cp /NONEXIST.$$ x
-cp file full
-cp file file
-cp full x
-readlink file
-symlink
-lls /NONEXIST.$$
-jajajajaja
-rename full empty
-rename -l empty full
cd ro
-put la
-mkdir x
-rm ../file
cd ..
ls -1"
peer_ok badcmds "the errors of failing commands"
peer_local ""

# one failure ends a batch: the status is 1 and what follows never runs
peer_prep "$FOREST"
peer_run bad-batch p_sftp "get data copy
put copy copy.1
rm copy.*
put copy.3 copy.4
put copy copy.5"
peer_same bad-batch "a failing command ends the batch"
[ "$(peer_rc bad-batch)" = 1 ] || fail "bad-batch: status $(peer_rc bad-batch)"
peer_run junk p_sftp "# a comment

ls
jajajajaja
ls"
peer_same junk "an unknown command ends the batch"
[ "$(peer_rc junk)" = 1 ] || fail "junk: status $(peer_rc junk)"
peer_run good-batch p_sftp "	get data copy
	put copy copy.1
	rm copy.1
	-put copy.1 copy.2
	# This is a comment

	ls"
peer_ok good-batch "comments, blanks, and - before a failing command"

# commands on stdin without -b: failures do not end the session
peer_run stdin-cmds p_sftp_in "get /NONEXIST.$$ copy
rename /NONEXIST.$$ copy.1
get data copy
ls copy"
peer_ok stdin-cmds "commands on stdin, not a batch"

# ---- sftp-glob ----
peer_prep "mkdir dir; touch dir/file 'dir/g-wild*' dir/g-wildx 'dir/g-quote\"'
	touch 'dir/g-q space' 'dir/g-sl\\ash' 'dir/g-slash\\' 'dir/g-qs\\\"'"
peer_run glob p_sftp "ls -l dir/fil*
ls -l d*
ls -l dir/g-wild\"*\"
ls -l dir/g-wild\\*
ls -l dir/g-quote\\\"
ls -l \"dir/g-quote\\\"\"
ls -l 'dir/g-quote\"'
ls -l dir/g-q\\ space
ls -l 'dir/g-q space'
ls -l dir/g-sl\\\\ash
ls -l 'dir/g-sl\\\\ash'
ls -l dir/g-slash\\\\
ls -l 'dir/g-slash\\\\'
ls -l dir/g-qs\\\\\\\"
ls -l 'dir/g-qs\\\\\"'
ls -l dir/*
ls -l dir/[fg]-q*
ls -l */g-wild?
get dir/g-*"
peer_ok glob "globbing and quoting"

# ---- sftp.sh: buffer size x outstanding requests ----
peer_prep "cp $D/data.bin data"
peer_local "cp $D/data.bin up"
# (with -B 262144 OpenSSH's client refuses its own writes as too long)
for B in 5 1000 32000 64000 261120 262144; do
	for R in 1 2 10 64; do
		[ "$B" -ge 261120 ] || [ "$R" != 64 ] || continue
		peer_run "bufreq-$B-$R" p_sftp "version
get data copy.1
put up copy.2
get copy.2 copy.3" -B "$B" -R "$R"
		if [ "$B" = 262144 ]; then
			peer_same "bufreq-$B-$R"
		else
			peer_ok "bufreq-$B-$R"
		fi
		[ "$B" = 262144 ] ||
		    cmp "$D/data.bin" "$T/lc-msb/copy.3" || fail "bufreq-$B-$R: corrupted copy"
	done
done
peer_local ""

# ---- sftp-uri ----
peer_prep "cp $D/data.bin data; mkdir dir"
peer_run uri-file p_sftp_args -q "sftp://$TEST_USER@$PEER_BOX.msb/$W/data" copy
peer_ok uri-file "sftp:// URI to a local file"
peer_run uri-dir p_sftp_args -q "sftp://$TEST_USER@$PEER_BOX.msb/$W/data" .
peer_ok uri-dir "sftp:// URI to a local directory"
peer_local "cp $D/small.bin up"
uri_put() {  # URI: a batch session that starts in the URI's directory
	printf 'version\nput up copy\n' | p_sftp_args -q -b - "$1"
}
for u in "$W/dir/" "$W/dir"; do
	peer_run uri-cd uri_put "sftp://$TEST_USER@$PEER_BOX.msb/$u"
	peer_ok uri-cd "sftp:// URI of a directory ($u)"
done
peer_run host-path p_sftp_args -q "$TEST_USER@$PEER_BOX.msb:data" got
peer_ok host-path "sftp host:path fetches"
peer_run host-dir p_sftp_args -q -b /dev/null "$TEST_USER@$PEER_BOX.msb:dir"
peer_ok host-dir "sftp host:dir starts there"
peer_run host-missing p_sftp_args -q "$TEST_USER@$PEER_BOX.msb:nothere" got
peer_same host-missing "sftp host:missing fails"
peer_local ""
