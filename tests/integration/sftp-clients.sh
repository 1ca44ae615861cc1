#!/bin/sh
# Other SFTP clients against a real sandbox through sshd: paramiko (open
# modes, pipelining, stat/setstat, listdir_attr, links, statvfs), curl
# sftp:// (libssh2) download and upload, lftp, PuTTY's psftp, and an sshfs
# mount. curl and psftp cannot use a ProxyCommand: they reach the sandbox
# through `msb ssh serve --port` on loopback.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
. "$MSB_SRCDIR/tests/integration/sftp/lib-sftp.sh"

need_root "useradd in the sandbox (the host image's /etc is read-only in unprivileged sandboxes)"
need_cmd ssh sha256sum "$PYTHON3"
# The clients are test dependencies (debian-packages): missing ones fail.
for c in curl:curl psftp:putty-tools puttygen:putty-tools lftp:lftp \
    sshfs:sshfs; do
	command -v "${c%%:*}" >/dev/null ||
	    fail "${c%%:*} is missing (Debian package ${c#*:})"
done
sftp_test_init
sftp_sandbox devbox
U=app
H=/home/$U
# clients that keep state in ~ (psftp, lftp) must not touch the real one
export HOME="$T"

# ---- paramiko, over ssh with the ProxyCommand ----
"$PYTHON3" -c 'import paramiko' 2>/dev/null ||
    fail "python3-paramiko is missing (Debian package python3-paramiko)"
box "su $U -c 'mkdir $H/pm'"
with_timeout 300 "$PYTHON3" "$SFTP_DIR/paramiko_test.py" --dir "$H/pm" \
    --home "$H" --user "$U" --ssh devbox.msb --ssh-config "$T/ssh_config" ||
    fail "paramiko"

# ---- a loopback listener for curl and psftp ----
PORT=$(free_port)
"$MSB" ssh serve devbox --port "$PORT" 2>"$T/serve.log" &
bg_track $!
wait_until 20 "$PYTHON3" -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1)" ||
    fail "msb ssh serve --port did not listen: $(cat "$T/serve.log")"
fp=$(ssh-keygen -lf "$MSB_HOME/sandboxes/devbox/ssh/known_hosts" | awk '{ print $2; exit }')
head -c 2M /dev/urandom > "$T/blob"
want=$(sha256sum < "$T/blob" | cut -d' ' -f1)
box "cat > $H/blob && chown $U $H/blob" < "$T/blob"
echo up > "$T/up.txt"

# ---- curl sftp:// ----
if curl -V 2>/dev/null | grep -q '^Protocols:.* sftp'; then
	C="curl -sS --key $T/id_ed25519 --pubkey $T/id_ed25519.pub --hostpubsha256 ${fp#SHA256:}="
	with_timeout 60 $C -o "$T/curl.out" "sftp://$U@127.0.0.1:$PORT/~/blob" ||
	    fail "curl sftp download"
	assert_eq "$want" "$(sha256sum < "$T/curl.out" | cut -d' ' -f1)" "curl download"
	with_timeout 60 $C -T "$T/up.txt" "sftp://$U@127.0.0.1:$PORT/~/" ||
	    fail "curl sftp upload"
	assert_eq "up $U" "$(box "cat $H/up.txt; stat -c %U $H/up.txt" | tr '\n' ' ' | sed 's/ $//')" \
	    "curl upload content and owner"
	ok "curl sftp:// download and upload"
else
	log "curl was built without SFTP support: curl part not run"
fi

# ---- PuTTY psftp ----
puttygen "$T/id_ed25519" -O private -o "$T/id.ppk" >/dev/null 2>&1 ||
    fail "puttygen"
cat > "$T/psftp.batch" <<EOF
pwd
get blob psftp.blob
mkdir psdir
put $T/up.txt psdir/up.txt
ren psdir/up.txt psdir/moved.txt
ls psdir
EOF
(cd "$T" && with_timeout 60 psftp -batch -P "$PORT" -i "$T/id.ppk" \
    -hostkey "$fp" -b "$T/psftp.batch" "$U@127.0.0.1") > "$T/psftp.out" 2>&1 ||
    fail "psftp: $(cat "$T/psftp.out")"
assert_match "Remote (working )?directory is $H" "$(cat "$T/psftp.out")" "psftp pwd"
assert_eq "$want" "$(sha256sum < "$T/psftp.blob" | cut -d' ' -f1)" "psftp get"
box "test -f $H/psdir/moved.txt" || fail "psftp put/ren"
ok "PuTTY psftp session"

# ---- lftp, with ssh (and our ProxyCommand) as its connect program ----
with_timeout 60 lftp -c "set sftp:connect-program 'ssh -a -x -F $T/ssh_config'; \
    open sftp://$U:unused@devbox.msb; cd pm; put $T/up.txt -o lftp.txt; \
    get ../blob -o $T/lftp.blob; mkdir lftpdir; ls -l" > "$T/lftp.out" 2>&1 ||
    fail "lftp: $(cat "$T/lftp.out")"
assert_match " $U +$U .* lftp\\.txt\$" "$(cat "$T/lftp.out")" "lftp ls -l (long names)"
box "test -f $H/pm/lftp.txt && test -d $H/pm/lftpdir" || fail "lftp put/mkdir"
assert_eq "$want" "$(sha256sum < "$T/lftp.blob" | cut -d' ' -f1)" "lftp get"
ok "lftp session"

# ---- sshfs ----
if [ ! -c /dev/fuse ] || ! command -v fusermount3 >/dev/null; then
	log "FUSE is not usable here (/dev/fuse, fusermount3): sshfs part not run"
else
	mkdir "$T/mnt"
	if with_timeout 60 sshfs -o ssh_command="ssh -F $T/ssh_config" \
	    "$U@devbox.msb:$H" "$T/mnt" 2>"$T/sshfs.err"; then
		rc=0
		(
			set -e
			cmp "$T/blob" "$T/mnt/blob"
			echo via-sshfs > "$T/mnt/s.txt"
			mv "$T/mnt/s.txt" "$T/mnt/s2.txt"
			ln -s s2.txt "$T/mnt/s.lnk"
			[ "$(readlink "$T/mnt/s.lnk")" = s2.txt ]
			mkdir "$T/mnt/sdir"
			dd if=/dev/urandom of="$T/mnt/sdir/big" bs=1M count=8 2>/dev/null
			cmp "$T/mnt/sdir/big" "$T/mnt/sdir/big"
			ls -la "$T/mnt" > /dev/null
			df "$T/mnt" > /dev/null
		) || rc=$?
		fusermount3 -u "$T/mnt" || fusermount -u "$T/mnt" || true
		[ $rc = 0 ] || fail "file operations through the sshfs mount"
		assert_eq "via-sshfs $U" "$(box "cat $H/s2.txt; stat -c %U $H/s2.txt" | tr '\n' ' ' | sed 's/ $//')" \
		    "sshfs write, owner"
		assert_eq s2.txt "$(box "readlink $H/s.lnk")" "sshfs symlink"
		ok "sshfs mount: read, write, rename, symlink, mkdir, df"
	elif grep -qiE 'fuse: device not found|permission denied|operation not permitted|fusermount' "$T/sshfs.err"; then
		log "FUSE mounts are not allowed here: $(cat "$T/sshfs.err")"
	else
		fail "sshfs: $(cat "$T/sshfs.err")"
	fi
fi
