# Helpers for the runtime's integration tests (sourced after lib.sh).

# make_rootfs DIR: a small root filesystem from host binaries and their
# libraries (sh, coreutils bits, id, hostname) with root and app (1000)
# accounts; with a sanitizer build the agent's libraries as well.
make_rootfs() {
	R=$1
	mkdir -p "$R/etc" "$R/usr/bin" "$R/usr/lib" "$R/proc" "$R/dev" \
	    "$R/sys" "$R/tmp" "$R/root" "$R/home/app"
	ln -s usr/bin "$R/bin"
	ln -s usr/lib "$R/lib"
	if [ -e /lib64 ]; then
		mkdir -p "$R/usr/lib64"
		ln -s usr/lib64 "$R/lib64"
	fi
	rootfs_copy "$R" /bin/sh /bin/cat /bin/ls /usr/bin/id /bin/hostname \
	    /bin/echo /usr/bin/test /bin/touch
	if ldd "$MSB_AGENT" >/dev/null 2>&1; then
		rootfs_copy "$R" "$MSB_AGENT"
	fi
	printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n' \
	    > "$R/etc/passwd"
	printf 'root:x:0:\napp:x:1000:\n' > "$R/etc/group"
	# Only root can give it away (unprivileged callers chown the tree).
	if [ "$(id -u)" = 0 ]; then
		chown 1000:1000 "$R/home/app"
	fi
}

# rootfs_copy ROOT FILE...: copy files and the libraries they load, keeping
# their paths (below usr/ for the merged-/usr layout).
rootfs_copy() {
	root=$1; shift
	for f in "$@"; do
		for p in "$f" $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*'); do
			dest=$root$(echo "$p" | sed 's,^/lib,/usr/lib,; s,^/bin/,/usr/bin/,')
			mkdir -p "$(dirname "$dest")"
			[ -e "$dest" ] || cp "$(readlink -f "$p")" "$dest"
		done
	done
}
