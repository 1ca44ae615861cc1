#!/bin/sh
# rsync -a --delete over `ssh devbox.msb` (the sandbox's own rsync runs via
# exec), both ways, with a tree holding symlinks (relative, absolute,
# dangling, to a directory), an empty dir and modes; a second run transfers
# nothing (empty --itemize-changes); files belong to the session user.
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
. "$MSB_SRCDIR/tests/integration/sftp/lib-sftp.sh"

need_root "useradd in the sandbox (the host image's /etc is read-only in unprivileged sandboxes)"
need_cmd rsync ssh diff
sftp_test_init
sftp_sandbox devbox
box "command -v rsync" >/dev/null || skip "the sandbox image has no rsync"
U=app

S="$T/src"
mkdir -p "$S/dir/sub" "$S/empty"
head -c 300K /dev/urandom > "$S/dir/blob"
echo hello > "$S/dir/sub/hello.txt"
echo x > "$S/mode600"
chmod 600 "$S/mode600"
ln -s dir/sub/hello.txt "$S/rel-link"
ln -s /etc/hostname "$S/abs-link"
ln -s does/not/exist "$S/dangling"
ln -s dir "$S/dir-link"
touch -d '2005-05-05 05:05:05' "$S/dir/blob"

RS="ssh -F $T/ssh_config"
rs() { with_timeout 120 rsync -e "$RS" "$@"; }

# push
rs -a --delete "$S/" "$U@devbox.msb:tree/" || fail "rsync push"
H=/home/$U/tree
assert_eq "dir/sub/hello.txt" "$(box "readlink $H/rel-link")" "relative symlink"
assert_eq "/etc/hostname" "$(box "readlink $H/abs-link")" "absolute symlink"
assert_eq "does/not/exist" "$(box "readlink $H/dangling")" "dangling symlink"
assert_eq "$(sha256sum < "$S/dir/blob")" "$(box "sha256sum < $H/dir/blob")" "content"
assert_eq "600 $(stat -c %Y "$S/dir/blob")" \
    "$(box "stat -c %a $H/mode600") $(box "stat -c %Y $H/dir/blob")" "mode and mtime"
bad=$(box "find $H ! -user $U")
[ -z "$bad" ] || fail "not owned by $U: $bad"
ok "rsync -a push: symlinks, modes, times; files owned by $U"

out=$(rs -a --delete --itemize-changes "$S/" "$U@devbox.msb:tree/") ||
    fail "second push"
assert_eq "" "$out" "second push itemizes changes"
ok "a second push transfers nothing"

# --delete removes what the source no longer has
box "su $U -c 'echo stale > $H/stale'"
rm "$S/mode600"
rs -a --delete "$S/" "$U@devbox.msb:tree/" || fail "push with --delete"
box "test ! -e $H/stale && test ! -e $H/mode600" || fail "--delete left files"
ok "--delete removes extra files in the sandbox"

# pull back, and again with nothing to do
box "su $U -c 'echo new > $H/dir/new.txt'"
rs -a --delete "$U@devbox.msb:tree/" "$T/back/" || fail "rsync pull"
assert_eq new "$(cat "$T/back/dir/new.txt")" "pulled file"
rm "$T/back/dir/new.txt"
diff -r --no-dereference "$S" "$T/back" || fail "pulled tree differs"
[ "$(readlink "$T/back/dangling")" = does/not/exist ] || fail "pulled symlink"
out=$(rs -a --delete --itemize-changes "$U@devbox.msb:tree/" "$T/back/") ||
    fail "second pull"
# (the local rm also changed dir/'s mtime, which rsync may set back: ".d..t")
assert_eq ">f+++++++++ dir/new.txt" "$(printf '%s\n' "$out" | grep -v '^\.d')" \
    "second pull fetches only the deleted file"
out=$(rs -a --delete --itemize-changes "$U@devbox.msb:tree/" "$T/back/")
assert_eq "" "$out" "third pull"
ok "rsync -a --delete pull; a repeated pull transfers nothing"
