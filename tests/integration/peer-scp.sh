#!/bin/sh
# The behaviours of OpenSSH's scp regress tests (scp.sh, scp3.sh,
# scp-uri.sh) through msb's gateway into real sandboxes, in both modes: SFTP
# (the default, msb-sftp-server) and legacy -O (the sandbox's scp -t/-f run
# by msb-shell). Each case is compared with OpenSSH itself (peer-lib.sh):
# the client's output and exit status and both trees must be the same.
# Plus: -r, -p, names with spaces, quotes and glob characters, a directory
# onto a non-directory, several sources onto a file, and scp -3 between two
# sandboxes and between one sandbox and itself.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
. "$MSB_SRCDIR/tests/integration/sftp/lib-sftp.sh"
. "$MSB_SRCDIR/tests/integration/peer-lib.sh"

peer_init
# a second sandbox on the same volume, for scp -3 between two sandboxes
PEER_BOX2=devbox2
"$MSB" create "$PEER_BOX2" -v "$T/wbox:$W" >/dev/null || fail "msb create $PEER_BOX2"
with_timeout 60 "$MSB" exec "$PEER_BOX2" -- usermod -d "$W" "$TEST_USER" ||
    fail "usermod in $PEER_BOX2"
ssh_setup "$PEER_BOX" "$PEER_BOX2"

D=$T/data
FOREST="mkdir dir; cp $D/data.bin dir/copy; ln -s copy dir/copy-sym
	mkdir dir/subdir; cp $D/small.bin dir/subdir/copy; ln -s subdir dir/subdir-sym
	cp $D/data.bin data; echo a > copy; echo b > copy2; echo x > 'sp ace'
	echo q > 'qu\"ote'; echo g > 'gl[o]b'; echo s > \"si'ngle\"
	mkdir emptydir; mkdir 'dir sp'; echo in > 'dir sp/f 1'
	touch -d '2005-06-07 08:09:10' data; chmod 640 data"
LOCAL="cp $D/data.bin data; cp $D/small.bin small; mkdir ldir
	cp $D/small.bin ldir/copy; ln -s copy ldir/copy-sym; mkdir ldir/sub
	echo x > ldir/sub/f; echo a > lfile; echo 'sp' > 'l sp'
	touch -d '2006-01-02 03:04:05' small; chmod 600 small"

for mode in sftp legacy; do
	o=
	[ $mode = legacy ] && o=-O
	peer_local "$LOCAL"

	peer_prep "$FOREST"
	peer_run "$mode-put" p_scp $o data small R:copy-new
	peer_same "$mode-put" "several sources onto a new name"
	peer_run "$mode-simple" p_scp $o data R:copy-new
	peer_ok "$mode-simple" "local file to remote file"
	peer_run "$mode-clobber" p_scp $o small R:data
	peer_ok "$mode-clobber" "local file onto a longer remote file"
	peer_run "$mode-get" p_scp $o R:data got
	peer_ok "$mode-get" "remote file to local file"
	peer_run "$mode-get-clobber" p_scp $o R:copy data
	peer_ok "$mode-get-clobber" "remote file onto a longer local file"
	peer_run "$mode-todir" p_scp $o small lfile R:dir
	peer_ok "$mode-todir" "local files to a remote dir"
	peer_run "$mode-get-todir" p_scp $o R:data R:copy ldir
	peer_ok "$mode-get-todir" "remote files to a local dir"
	peer_run "$mode-p" p_scp $o -p small R:small-p
	peer_ok "$mode-p" "-p put keeps mode and times"
	peer_run "$mode-get-p" p_scp $o -p R:data data-p
	peer_ok "$mode-get-p" "-p get keeps mode and times"

	peer_prep "$FOREST"
	peer_run "$mode-r" p_scp $o -r ldir R:dir2
	peer_ok "$mode-r" "recursive local dir to a new remote dir"
	peer_run "$mode-r-into" p_scp $o -r ldir R:dir
	peer_ok "$mode-r-into" "recursive local dir into a remote dir"
	peer_run "$mode-get-r" p_scp $o -r R:dir got
	peer_same "$mode-get-r" "recursive remote dir to local"
	peer_run "$mode-get-rp" p_scp $o -rp R:dir R:emptydir ldir
	peer_same "$mode-get-rp" "recursive -p remote dirs into a local dir"

	# names: spaces, quotes, glob characters, a remote glob, ~
	peer_prep "$FOREST"
	peer_run "$mode-names-get" p_scp $o "R:sp ace" "R:qu\"ote" "R:gl[o]b" "R:si'ngle" ldir
	peer_same "$mode-names-get" "remote names with spaces, quotes, glob characters"
	peer_run "$mode-names-quoted" p_scp $o "R:'sp ace'" "R:\"gl[o]b\"" 'R:sp\ ace' ldir
	peer_same "$mode-names-quoted" "remote names quoted for the remote shell"
	peer_run "$mode-names-put" p_scp $o "l sp" "R:dir sp/new name"
	peer_same "$mode-names-put" "a remote target with spaces"
	peer_run "$mode-glob" p_scp $o "R:dir/c*" "R:dir sp/*" ldir
	peer_same "$mode-glob" "remote globs"
	peer_run "$mode-tilde" p_scp $o "R:~/copy" R:~ ldir
	peer_same "$mode-tilde" "~ and ~/path"
	peer_run "$mode-r-spaces" p_scp $o -r "R:dir sp" ldir
	peer_same "$mode-r-spaces" "a remote dir with a space, recursively"

	# unmatched globs are taken literally (scp.sh)
	peer_prep "$FOREST"
	peer_run "$mode-unmatched-put" p_scp $o data "R:copy.glob[123]"
	peer_same "$mode-unmatched-put" "unmatched glob local->remote"
	peer_run "$mode-unmatched-get" p_scp $o "R:copy.glob[123]" got
	peer_same "$mode-unmatched-get" "unmatched glob remote->local"
	peer_run "$mode-unmatched-r" p_scp $o -r ldir "R:dir.glob[456]"
	peer_same "$mode-unmatched-r" "unmatched glob dir recursive local->remote"
	peer_run "$mode-unmatched-get-r" p_scp $o -r "R:dir.glob[456]" got
	peer_same "$mode-unmatched-get-r" "unmatched glob dir recursive remote->local"

	# shell metacharacters in a name are not run by the remote shell
	peer_local "touch '\`touch metachartest\`'"
	peer_prep ""
	peer_run "$mode-metachar" p_scp $o ./*metachar* R:
	peer_same "$mode-metachar" "shell metacharacters in a name"
	[ ! -e "$T/wbox/metachartest" ] || fail "$mode: a name was run by the remote shell"
	peer_local "$LOCAL"

	# failures
	peer_prep "$FOREST; mkdir ro; chmod 555 ro; echo s > secret; chmod 0 secret"
	peer_run "$mode-nondir" p_scp $o data small R:copy2
	peer_same "$mode-nondir" "several sources onto a file"
	grep -qx b "$T/wbox/copy2" || fail "$mode: several sources clobbered a file"
	peer_run "$mode-dir-nondir" p_scp $o -r ldir R:copy2
	peer_same "$mode-dir-nondir" "a directory onto a file"
	peer_run "$mode-get-dir-nondir" p_scp $o -r R:dir lfile
	peer_same "$mode-get-dir-nondir" "a remote directory onto a local file"
	peer_run "$mode-dir-nor" p_scp $o ldir R:x
	peer_same "$mode-dir-nor" "a directory without -r"
	peer_run "$mode-get-dir-nor" p_scp $o R:dir x
	peer_same "$mode-get-dir-nor" "a remote directory without -r"
	peer_run "$mode-missing" p_scp $o R:missing R:data x
	peer_same "$mode-missing" "a missing remote source"
	peer_run "$mode-nodir" p_scp $o data R:nodir/x
	peer_same "$mode-nodir" "a target in a missing directory"
	peer_run "$mode-ro" p_scp $o data R:ro/x
	peer_same "$mode-ro" "a target in a read-only directory"
	peer_run "$mode-secret" p_scp $o R:secret R:data ldir
	peer_same "$mode-secret" "an unreadable remote file"
	peer_run "$mode-r-ro" p_scp $o -r ldir R:ro
	peer_same "$mode-r-ro" "recursive into a read-only directory"

	# scp -3: between two sandboxes, and from one sandbox to itself
	peer_prep "$FOREST"
	peer_run "$mode-3" p_scp $o -3 R:data R2:copy3
	peer_ok "$mode-3" "-3 remote file to remote file"
	peer_run "$mode-3-dir" p_scp $o -3 R:data R2:dir
	peer_ok "$mode-3-dir" "-3 remote file to remote dir"
	peer_run "$mode-3-r" p_scp $o -3r R:dir R2:dir3
	peer_same "$mode-3-r" "-3 -r remote dir to remote dir"
	peer_run "$mode-3-self" p_scp $o -3 R:data R:self
	peer_ok "$mode-3-self" "-3 from a sandbox to itself"
	peer_run "$mode-3-nondir" p_scp $o -3 R:data R:copy R2:copy2
	peer_same "$mode-3-nondir" "-3 several sources onto a file"

	# scp:// URIs (scp-uri.sh)
	U="scp://$TEST_USER@$PEER_BOX.msb"
	peer_prep "$FOREST"
	peer_run "$mode-uri-put" p_scp $o data "$U/$W/copy-uri"
	peer_ok "$mode-uri-put" "scp:// URI target"
	peer_run "$mode-uri-get" p_scp $o "$U/$W/data" got
	peer_ok "$mode-uri-get" "scp:// URI source"
	peer_run "$mode-uri-todir" p_scp $o small "$U/$W/dir"
	peer_ok "$mode-uri-todir" "scp:// URI of a directory"
	peer_run "$mode-uri-r" p_scp $o -r ldir "$U/$W/dir-uri"
	peer_ok "$mode-uri-r" "scp:// URI, recursive"
	peer_run "$mode-uri-get-r" p_scp $o -r "$U/$W/dir" got
	peer_same "$mode-uri-get-r" "scp:// URI, recursive get"
	peer_run "$mode-uri-home" p_scp $o "$U/~/data" got
	peer_ok "$mode-uri-home" "scp:// URI with ~"
done

# scp /path/.. is only supported in SFTP mode (scp.sh)
peer_prep "$FOREST"
peer_local "$LOCAL"
peer_run sftp-dotdot-put p_scp -r ldir/sub/.. R:dd
peer_ok sftp-dotdot-put "recursive local .. to remote"
peer_run sftp-dotdot-get p_scp -r R:dir/subdir/.. got
peer_same sftp-dotdot-get "recursive remote .. to local"
peer_run sftp-3-dotdot p_scp -3 -r R:dir/subdir/.. R2:dd3
peer_same sftp-3-dotdot "-3 recursive .."
peer_run legacy-dotdot p_scp -O -r R:dir/subdir/.. got
peer_same legacy-dotdot "legacy mode refuses .."
