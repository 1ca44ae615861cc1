#!/bin/sh
# Host-side code that walks what the sandbox controls (its upper dir, its
# writable volumes) must never follow a planted symbolic link out of the
# tree: not when mounting at the next start, not when removing.
. "${MSB_SRCDIR:?}/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/runtime-lib.sh"
need_root "sandbox root = host root's files: the dangerous case"
need_cmd chattr mkfifo
msb_test_init

# A stand-in for the host's /etc that a redirected mount would expose.
mkdir -p "$T/hostetc" "$T/srv/data" "$T/vol"
echo host > "$T/hostetc/passwd-like"

# ---- a volume below another, writable volume: swapped for a symlink ----
"$MSB" create nest -v "$T/srv:/srv" -v "$T/srv/data:/data"
x() { with_timeout 30 "$MSB" exec "$@"; }
x nest sh -c "rm -rf /srv/data && ln -s $T/hostetc /srv/data"
[ -L "$T/srv/data" ] || fail "setup: the link was not planted"
"$MSB" stop nest
set +e
out=$(with_timeout 30 "$MSB" start nest 2>&1); rc=$?
set -e
[ "$rc" != 0 ] || { x nest sh -c 'echo pwned > /data/passwd-like' || true; }
assert_eq host "$(cat "$T/hostetc/passwd-like")" "host dir behind the link"
[ "$rc" != 0 ] || fail "sandbox started with a volume redirected by a symlink"
assert_match "symbolic link" "$out" "start refusal message"
ok "a volume path redirected through another volume is refused at start"

# ---- an image inside a writable volume: swapped for a symlink ----
# (The small image has no mv: a second sandbox sharing the volume does it.)
make_rootfs "$T/vol/rootfs"
"$MSB" create img --image "$T/vol/rootfs" -v "$T/vol:/vol"
"$MSB" create helper -v "$T/vol:/vol"
x img sh -c :
x helper sh -c "mv /vol/rootfs /vol/rootfs.old && ln -s / /vol/rootfs"
"$MSB" stop img
if with_timeout 30 "$MSB" start img >/dev/null 2>&1; then
	fail "sandbox started on an image redirected to the host's /"
fi
ok "an image path redirected through a volume is refused at start"

# ---- msb rm of an upper dir full of traps ----
mkdir -p "$T/victim/dir"
echo keep > "$T/victim/file"
echo keep > "$T/victim/dir/inner"
"$MSB" create trap
x trap sh -c "
	ln -s $T/victim /root/abs-dir-link
	ln -s $T/victim/file /root/abs-file-link
	ln -s ../../../../../../../../$T/victim /root/rel-link
	mkdir -p /root/locked/sub && touch /root/locked/sub/f
	chmod 000 /root/locked/sub /root/locked
	mkfifo /root/fifo
	touch /root/target && ln /root/target /root/hardlink
	mkdir -p '/root/-rf' '/root/new
line' && touch '/root/-rf/--no-preserve-root' '/root/new
line/x'
	chmod 000 /root/target
"
if x trap sh -c 'touch /root/imm && chattr +i /root/imm' 2>/dev/null; then
	fail "the sandbox set the immutable attribute"
fi
if x trap sh -c 'touch /root/app && chattr +a /root/app' 2>/dev/null; then
	fail "the sandbox set the append-only attribute"
fi
ok "the sandbox cannot make files immutable or append-only"
"$MSB" rm -f trap
[ ! -e "$MSB_HOME/sandboxes/trap" ] || fail "sandbox dir left behind"
ls "$MSB_HOME/sandboxes" | grep -q trash && fail "trash left behind"
assert_eq keep "$(cat "$T/victim/file")" "link target file"
assert_eq keep "$(cat "$T/victim/dir/inner")" "link target dir"
ok "msb rm removes links, FIFOs, 000 dirs and odd names without following"

# ---- mount points the sandbox replaced with links, and the mask path ----
"$MSB" create pts
up="$MSB_HOME/sandboxes/pts/upper"
mkdir -p "$T/escape"
for d in dev proc sys run tmp; do ln -s "$T/escape" "$up/$d"; done
mkdir -p "$up/etc"
ln -s "$T/escape/hostname" "$up/etc/hostname"
"$MSB" start pts
[ -z "$(ls -A "$T/escape")" ] || fail "a runtime mount followed a planted link"
for d in /dev /proc /sys /run /tmp; do
	x pts test -d "$d" -a ! -L "$d" || fail "$d is not the runtime's"
done
assert_eq pts "$(x pts cat /etc/hostname)" "/etc/hostname"
ok "links planted at /dev /proc /sys /run /tmp /etc/hostname are replaced"
