#!/bin/sh
# `sftp devbox.msb` with a batch file, through sshd and a real sandbox, as
# a non-root sandbox user: put/get (sha256), put -p/get -p (mode, mtime),
# reput/reget, mkdir/rmdir/rm, rename (v3 refuses an existing target,
# posix-rename replaces), ln and ln -s, chmod/chgrp/chown, ls -l with the
# sandbox's user names, df -h, cd .., globbing, UTF-8 and space names,
# permission denied; every result checked inside the sandbox.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
. "$MSB_SRCDIR/tests/integration/sftp/lib-sftp.sh"

need_root "useradd in the sandbox (the host image's /etc is read-only in unprivileged sandboxes)"
need_cmd sftp ssh sha256sum
sftp_test_init
sftp_sandbox devbox
U=app
uid=$(box "id -u $U")
gid=$(box "id -g $U")
box "mkdir -p /srv && echo top secret > /srv/secret.txt && chmod 600 /srv/secret.txt && chmod 700 /root"

# local files
L="$T/local"
mkdir "$L"
head -c 3M /dev/urandom > "$L/data.bin"
head -c 1M "$L/data.bin" > "$L/half.bin"
head -c 1536K "$L/data.bin" > "$L/resume-down.bin"
head -c 100K /dev/urandom > "$L/other.bin"
echo space > "$L/sp ace.txt"
echo unicode > "$L/ünïcödé.txt"
for f in g1.c g2.c g3.h; do echo "$f" > "$L/$f"; done
chmod 604 "$L/data.bin"
touch -d '2001-09-09 01:46:40' "$L/data.bin"
sed -e "s/@UID@/$uid/; s/@GID@/$gid/; s#@SECRET@#/srv/secret.txt#; s#@NOWRITE@#/root#" \
    "$SFTP_DIR/session.batch" > "$T/batch"

(cd "$L" && tsftp -b "$T/batch" "$U@devbox.msb") > "$T/out" 2>&1 ||
    fail "sftp batch failed: $(cat "$T/out")"
out=$(cat "$T/out")
H=/home/$U/work

sum() { sha256sum < "$1" | cut -d' ' -f1; }
bsum() { box "sha256sum < '$1'" | cut -d' ' -f1; }

# put / get
assert_eq "$(sum "$L/data.bin")" "$(bsum "$H/data-p.bin")" "put content"
assert_eq "$(sum "$L/data.bin")" "$(sum "$L/got.bin")" "get content"
ok "put and get keep the sha256"

# -p keeps mode and mtime, both ways
want=$(stat -c '%a %Y' "$L/data.bin")
assert_eq "$want" "$(box "stat -c '%a %Y' $H/data-p.bin")" "put -p mode+mtime"
assert_eq "$want" "$(stat -c '%a %Y' "$L/got-p.bin")" "get -p mode+mtime"
ok "put -p and get -p preserve mode and mtime"

# resume
assert_eq "$(sum "$L/data.bin")" "$(bsum "$H/resume-up.bin")" "reput"
assert_eq "$(sum "$L/data.bin")" "$(sum "$L/resume-down.bin")" "reget"
ok "reput and reget complete partial files"

# names
assert_eq space "$(box "cat '$H/sp ace.txt'")" "name with a space"
assert_eq unicode "$(box "cat '$H/ünïcödé.txt'")" "UTF-8 name"
assert_eq space "$(cat "$L/got sp ace.txt")" "get of a name with a space"
assert_eq unicode "$(cat "$L/got-ünïcödé.txt")" "get of a UTF-8 name"
ok "UTF-8 names and names with spaces"

# glob put (g*.c, not g3.h), then rm g1.c
box "test ! -e $H/g1.c && test -f $H/g2.c && test ! -e $H/g3.h" ||
    fail "glob put / rm: $(box "ls $H")"
assert_match ' g2\.c$' "$out" "ls -l *.c"
ok "globbing and rm"

# cd .. and mkdir/rmdir
assert_match "^Remote working directory: $H/sub\$" "$out" "cd sub"
[ "$(printf '%s\n' "$out" | grep -c "^Remote working directory: $H\$")" = 2 ] ||
    fail "cd .. did not come back to $H: $out"
box "test -d $H/keep && test ! -e $H/sub" || fail "mkdir/rmdir"
ok "cd .., mkdir, rmdir"

# rename: the v3 rename (-l) refused an existing target; posix-rename replaced
assert_match 'remote rename .*data-p\.bin.*: Failure' "$out" "rename -l onto a file"
assert_eq "$(sum "$L/data.bin")" "$(bsum "$H/data-p.bin")" "target untouched"
assert_eq "$(sum "$L/data.bin")" "$(bsum "$H/other.bin")" "posix-rename replaced"
box "test ! -e $H/renamed.bin && test ! -e $H/data.bin" || fail "rename left files"
ok "rename refuses an existing target; posix-rename replaces it"

# ln, ln -s
assert_eq "$(box "stat -c %i $H/other.bin")" "$(box "stat -c %i $H/hard.bin")" \
    "hard link inode"
assert_eq other.bin "$(box "readlink $H/soft.bin")" "symlink target"
assert_eq "$(sum "$L/data.bin")" "$(sum "$L/via-link.bin")" "get through the link"
ok "ln and ln -s create a hard link and a symlink inside the sandbox"

# chmod / chgrp / chown, ownership, ls -l names
assert_eq "640 $U:$U" "$(box "stat -c '%a %U:%G' $H/hard.bin")" "chmod/chown"
bad=$(box "find $H ! -user $U" || true)
[ -z "$bad" ] || fail "files not owned by $U: $bad"
assert_match "^-rw-r-----  +\\? $U +$U +[0-9]+ .* hard\\.bin\$" "$out" \
    "ls -l line with sandbox user names"
ok "chmod/chgrp/chown; files belong to the session user; ls -l names"

# df -h
assert_match '^ +Size +Used +Avail +\(root\) +%Capacity$' "$out" "df -h header"
ok "df -h"

# permission denied
assert_match 'open.*"/srv/secret\.txt".*: Permission denied' "$out" \
    "unreadable file"
assert_match 'open "/root/denied\.bin": Permission denied' "$out" \
    "unwritable dir"
[ ! -e "$L/denied.txt" ] || fail "a denied get left a local file"
box "test ! -e /root/denied.bin" || fail "a denied put wrote a file"
ok "permission denied where the sandbox user may not read or write"

# Directories larger than one worker reply, in the upper layer and merged
# with the image (an overlayfs directory): every entry listed exactly once.
box "mkdir $H/many && cd $H/many && seq -f 'n%g' 1 3000 | xargs touch && chown -R $U $H/many"
box "touch /usr/bin/zz-msb-upper-entry"
for d in "$H/many" /usr/bin; do
	want=$(box "ls -A $d" | LC_ALL=C sort)
	got=$(echo "ls -1a $d" | tsftp -b - "$U@devbox.msb" | grep -v '^sftp>' |
	    sed 's#.*/##' | grep -v '^\.\.\?$' | LC_ALL=C sort)
	[ "$want" = "$got" ] || fail "listing of $d differs: $(printf '%s\n' "$want" |
	    wc -l) entries inside, $(printf '%s\n' "$got" | wc -l) over sftp"
done
printf '%s\n' "$got" | grep -qx zz-msb-upper-entry || fail "upper-layer entry missing"
ok "large and overlay-merged directories list completely"
