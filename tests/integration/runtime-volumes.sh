#!/bin/sh
# Volumes (-v HOST:SANDBOX[:ro]) and --image DIR, as root.
. "${MSB_SRCDIR:?}/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/runtime-lib.sh"
need_root "builds namespaces with an overlay of the host root"
msb_test_init
M=$MSB

mkdir -p "$T/rw" "$T/ro" "$T/nested"
echo from-host > "$T/rw/host-file"
echo read-only > "$T/ro/ro-file"

# ---- refusals at create time ----
# a malformed -v is a usage error (2); what only create can see is 1
refuse() {  # [-2] pattern args...
	want=1
	[ "$1" != -2 ] || { want=2; shift; }
	pat=$1; shift
	set +e
	out=$("$M" create refused "$@" 2>&1); rc=$?
	set -e
	assert_eq "$want" "$rc" "create $*"
	assert_match "$pat" "$out" "create $* message"
	[ ! -e "$MSB_HOME/sandboxes/refused" ] || fail "refused create $* wrote state"
}
refuse "$T/missing: No such file or directory" -v "$T/missing:/data"
refuse "not a directory" -v "$T/rw/host-file:/data"
refuse -2 "inside /proc" -v "$T/rw:/proc/x"
refuse -2 "/proc" -v "$T/rw:/proc"
refuse -2 "inside /dev" -v "$T/rw:/dev/pts"
refuse -2 "would cover the whole sandbox" -v "$T/rw:/"
refuse -2 "/run/msb" -v "$T/rw:/run/msb"
refuse -2 "/run/msb" -v "$T/rw:/run"
refuse -2 "absolute" -v "$T/rw:data"
refuse -2 "unknown mode" -v "$T/rw:/data:rx"
refuse -2 "paths containing ':' cannot be used in -v" -v "$T/rw:x:/data"
refuse -2 "paths containing ':' cannot be used in -v" -v "$T/rw:/data:/x:ro"
refuse -2 "must not contain '..'" -v "$T/rw:/data/../x"
refuse "same target" -v "$T/rw:/data" -v "$T/ro:/data"
mkdir -m 700 "$MSB_HOME" "$MSB_HOME/sandboxes"
refuse "inside the msb state directory" -v "$MSB_HOME:/x"
refuse "inside the msb state directory" -v "$MSB_HOME/sandboxes:/x"
ok "bad volumes refused at create time, nothing written"

# ---- host <-> sandbox ----
"$M" create v -v "$T/rw:/data" -v "$T/ro:/ro:ro" -v "$T:/hostT" \
    -v "$T/nested:/data/nested"
assert_match "^volume: $T/rw:/data:rw\$" "$("$M" inspect v)" "inspect volume"
x() { with_timeout 30 "$M" exec v -- "$@"; }
assert_eq from-host "$(x cat /data/host-file)" "host file visible inside"
x sh -c 'echo from-sandbox > /data/sandbox-file'
assert_eq from-sandbox "$(cat "$T/rw/sandbox-file")" "sandbox file visible on host"
assert_eq "0:0" "$(stat -c %u:%g "$T/rw/sandbox-file")" "owner on the host"
echo later > "$T/rw/later"
assert_eq later "$(x cat /data/later)" "later host write visible"
ok "volume: host -> sandbox, sandbox -> host, owned by the sandbox owner (root)"

assert_eq read-only "$(x cat /ro/ro-file)" "ro volume readable"
out=$(x sh -c 'echo x > /ro/new' 2>&1) && fail "write to :ro volume succeeded"
assert_match "Read-only file system" "$out" "EROFS on :ro"
out=$(x sh -c 'mount -o remount,rw /ro' 2>&1) && fail "remount rw of :ro succeeded"
[ ! -e "$T/ro/new" ] || fail ":ro volume changed on the host"
ok ":ro volume: EROFS, cannot be remounted rw"

x sh -c 'echo n > /data/nested/n'
assert_eq n "$(cat "$T/nested/n")" "nested volume"
ok "nested volume lands on top"

# The state dir is inside the volume $T:/hostT: masked there too.
assert_eq "" "$(x ls -A /hostT/home)" "MSB_HOME masked inside a volume"
x sh -c 'umount /hostT/home 2>/dev/null' && fail "volume mask unmounted"
ok "MSB_HOME masked inside a volume that contains it"

# Symlinks planted in the sandbox's own upper dir (it persists) cannot
# redirect the runtime's mounts on the next start.
"$M" stop v
"$M" create w -v "$T/rw:/data"
up="$MSB_HOME/sandboxes/w/upper"
mkdir -p "$T/escape" "$up/etc"
ln -s "$T/escape" "$up/tmp"
ln -s "$T/escape/hosts" "$up/etc/hosts"
ln -s /srv "$up/data"      # followed inside the root only
"$M" start w
[ -z "$(ls -A "$T/escape")" ] || fail "a mount followed a planted symlink out of the root"
with_timeout 30 "$M" exec w -- test -d /tmp -a ! -L /tmp || fail "/tmp is not the runtime's"
assert_match "localhost w" "$(with_timeout 30 "$M" exec w -- cat /etc/hosts)" "/etc/hosts"
assert_eq from-host "$(with_timeout 30 "$M" exec w -- cat /data/host-file)" "volume"
"$M" rm --force w
ok "planted symlinks cannot redirect the runtime's mounts"

# ---- --image DIR: a small root filesystem built from host binaries ----
R=$T/rootfs
make_rootfs "$R"
echo image-file > "$R/etc/from-image"
chown 1000:1000 "$R/home/app"
"$M" create img --image "$R" --user app
assert_match "^image: $R\$" "$("$M" inspect img)" "inspect image"
assert_eq "uid=1000(app) gid=1000(app) groups=1000(app)" \
    "$(with_timeout 30 "$M" exec img -- id)" "default user from --user"
assert_eq image-file "$(with_timeout 30 "$M" exec img -- cat /etc/from-image)" "image content"
with_timeout 30 "$M" exec -u root img -- sh -c 'echo changed > /etc/from-image'
assert_eq image-file "$(cat "$R/etc/from-image")" "image dir unchanged on the host"
assert_eq changed "$(with_timeout 30 "$M" exec img -- cat /etc/from-image)" "write in upper"
with_timeout 30 "$M" exec img -- test -e /usr/bin/python3 && fail "host files leak into the image"
assert_eq img "$(with_timeout 30 "$M" exec img -- hostname)" "hostname in image"
ok "--image DIR: own root, writes in the upper dir only"

refuse "does not look like a root filesystem" --image "$T/rw"
refuse "No such file" --image "$T/none"
ok "--image refusals"
