#!/bin/sh
# Field cases from other SFTP servers' and sandbox gateways' bug trackers,
# through msb's gateway, each compared with OpenSSH itself (peer-lib.sh):
# a full disk (ENOSPC on a small tmpfs), a read-only volume, directories of
# many readdir batches, symlink loops, mode 000 files with put -p / scp -p,
# truncation through scp's fsetstat, rsync --partial --inplace, git clone
# and push over ssh://, and a VS Code style install (a script on stdin of
# `ssh host sh`, a tarball uploaded with scp, then unpacked).
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
. "$MSB_SRCDIR/tests/integration/sftp/lib-sftp.sh"
. "$MSB_SRCDIR/tests/integration/peer-lib.sh"

need_root "mounts small tmpfs and read-only volumes"
need_cmd rsync git tar mount umount
sftp_test_init
# Special volumes, outside $W, at the same path on both sides: a 256 KiB
# tmpfs (full disk) and a read-only bind. The host ones are what the stock
# side sees, the *-box ones are bound into the sandbox.
V=$T/vol
at_exit "umount $V/full $V/full-box $V/ro $V/ro-box"
for v in full full-box ro ro-box ro-src; do
	mkdir -p "$V/$v"
done
for v in full full-box; do
	mount -t tmpfs -o size=256k,mode=0777 tmpfs "$V/$v" || fail "mount tmpfs"
done
echo sealed > "$V/ro-src/sealed"
for v in ro ro-box; do
	mount --bind "$V/ro-src" "$V/$v" && mount -o remount,bind,ro "$V/$v" ||
	    fail "read-only bind mount"
done
chmod 777 "$V/ro-src"
peer_init -v "$V/full-box:$V/full" -v "$V/ro-box:$V/ro:ro"
# the stock side sees $V/full and $V/ro directly: the same paths

D=$T/data
peer_local "cp $D/data.bin data; cp $D/small.bin small; echo z > zero; chmod 0 zero"

# ---- a full disk: ENOSPC is a failure, nothing half-written is claimed ----
peer_prep ""
peer_run enospc p_sftp "-put data $V/full/big
-ls -l $V/full
rm $V/full/big
put small $V/full/fits
-reput data $V/full/fits
-rm $V/full/fits"
peer_ok enospc "sftp put onto a full disk"
for mode in sftp legacy; do
	o=
	[ $mode = legacy ] && o=-O
	peer_run "$mode-enospc" p_scp $o data "R:$V/full/big"
	peer_same "$mode-enospc" "scp onto a full disk"
	[ "$(peer_rc "$mode-enospc")" != 0 ] || fail "$mode: scp onto a full disk succeeded"
	rm -f "$V/full/big" "$V/full-box/big"
done

# ---- a read-only volume ----
peer_run rovol p_sftp "-put small $V/ro/new
-put small $V/ro/sealed
-mkdir $V/ro/d
-rm $V/ro/sealed
-rename $V/ro/sealed $V/ro/x
-chmod 600 $V/ro/sealed
-ln -s x $V/ro/l
get $V/ro/sealed
ls $V/ro"
peer_ok rovol "a read-only volume"
peer_run scp-rovol p_scp small "R:$V/ro/new"
peer_same scp-rovol "scp onto a read-only volume"
grep -qx sealed "$V/ro-src/sealed" || fail "the read-only volume changed"

# ---- directories of many readdir batches; symlink loops ----
peer_prep "mkdir many; cd many; seq -f 'entry-%05g' 1 1500 | xargs touch
	ln -s loop-b loop-a; ln -s loop-a loop-b; ln -s . self; ln -s .. up
	mkdir ../loops; cd ../loops; echo f > f; ln -s loop-b loop-a
	ln -s loop-a loop-b; ln -s . self; ln -s .. up"
peer_run bigdir p_sftp "ls -1 many
ls -l many/entry-0149*
ls -l many/loop-a
-get many/loop-a
-cd many/loop-a
cd many/self/self/self
pwd"
peer_ok bigdir "1500 entries (several readdir batches), symlink loops"
[ "$(grep -c '^many/entry-' "$T/res/bigdir.msb.out")" = 1500 ] ||
    fail "ls -1 many: entries missing"
peer_run loops-get p_sftp "get -R loops"
peer_same loops-get "get -R of a dir with symlink loops"

# ---- mode 000 files: put -p / scp -p set the mode on the open handle ----
peer_prep ""
peer_run mode0 p_sftp "put -p zero zero-p
-put zero zero-p
ls -l zero-p"
peer_ok mode0 "put -p of a mode 000 file, then over it"
peer_run scp-mode0 p_scp -p zero R:zero-scp
peer_ok scp-mode0 "scp -p of a mode 000 file"
peer_prep "head -c 100000 $D/data.bin > longer"
peer_run scp-truncate p_scp small R:longer
peer_ok scp-truncate "scp onto a longer file truncates (fsetstat size)"

# ---- rsync over the gateway: --partial --inplace, resumed ----
p_rsync() {
	timeout --kill-after=5 "$MSB_SSH_TIMEOUT" rsync -e "$(peer_ssh)" "$@"
}
peer_prep "head -c 300000 $D/data.bin > data; mkdir tree"
peer_local "cp $D/data.bin data; mkdir -p tree/a; echo 1 > tree/a/one; echo 2 > tree/two"
peer_run rsync-inplace p_rsync --partial --inplace data "$TEST_USER@$PEER_BOX.msb:data"
peer_ok rsync-inplace "rsync --partial --inplace over a shorter file"
peer_run rsync-tree p_rsync -a --delete tree/ "$TEST_USER@$PEER_BOX.msb:tree/"
peer_ok rsync-tree "rsync -a --delete of a tree"
peer_run rsync-get p_rsync -a "$TEST_USER@$PEER_BOX.msb:tree" got
peer_ok rsync-get "rsync -a from the sandbox"

# ---- git over ssh:// : clone and push ----
peer_prep "git init -q --bare repo.git"
p_git() {
	GIT_SSH_COMMAND="$(peer_ssh)" timeout --kill-after=5 "$MSB_SSH_TIMEOUT" "$@"
}
git_round() {
	p_git git clone -q "ssh://$TEST_USER@$PEER_BOX.msb$W/repo.git" wc 2>&1 &&
	cd wc && git -c user.name=t -c user.email=t@t commit -q --allow-empty \
	    --date='2001-01-01T00:00:00Z' -m first &&
	GIT_COMMITTER_DATE='2001-01-01T00:00:00Z' git -c user.name=t -c user.email=t@t \
	    commit -q --amend --allow-empty --no-edit &&
	p_git git push -q origin HEAD:main 2>&1 && cd .. &&
	p_git git clone -q -b main "$TEST_USER@$PEER_BOX.msb:repo.git" wc2 2>&1 &&
	git -C wc2 log --format='%H %s'
}
peer_run git git_round
r=$T/res/git
if ! diff "$r.stock.out" "$r.msb.out" >/dev/null || [ "$(cat "$r.stock.rc")" != 0 ] ||
    [ "$(cat "$r.msb.rc")" != 0 ]; then
	fail "git clone/push: stock rc $(cat "$r.stock.rc"): $(cat "$r.stock.out"); msb rc $(cat "$r.msb.rc"): $(cat "$r.msb.out")"
fi
ok "git clone and push over ssh:// and host:path, same as OpenSSH"

# ---- a VS Code style server install: script on stdin, scp'd tarball ----
mkdir -p "$T/srv/bin"
printf '#!/bin/sh\necho server $*\n' > "$T/srv/bin/code-server"
chmod 755 "$T/srv/bin/code-server"
tar -C "$T/srv" -czf "$T/data/server.tgz" . || fail "tar"
cat > "$T/install.sh" <<'EOS'
set -e
echo "7c2a: running"
COMMIT=abc123
DIR="$HOME/.vscode-server/bin/$COMMIT"
mkdir -p "$DIR"
exec 9>"$HOME/.vscode-server/.lock"
if command -v flock >/dev/null; then flock 9; fi
if [ ! -x "$DIR/bin/code-server" ]; then
	tar -xzf "$HOME/.vscode-server/vscode-server.tar.gz" -C "$DIR" --no-same-owner
	rm "$HOME/.vscode-server/vscode-server.tar.gz"
fi
"$DIR/bin/code-server" --start-server --host=127.0.0.1 --port=0
cat <<EOF
listeningOn==127.0.0.1:0==
osReleaseId==$(. /etc/os-release && echo "$ID")==
arch==$(uname -m)==
7c2a: end
EOF
EOS
peer_prep "mkdir .vscode-server"
vscode_flow() {
	p_scp "$T/data/server.tgz" "R:.vscode-server/vscode-server.tar.gz" &&
	timeout 120 $(peer_ssh) -T "$TEST_USER@$PEER_BOX.msb" sh < "$T/install.sh"
}
peer_run vscode vscode_flow
peer_ok vscode "VS Code style install: scp, then a script on the stdin of sh"
grep -q '^listeningOn==' "$T/res/vscode.msb.out" || fail "vscode: no key block"
