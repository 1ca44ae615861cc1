#!/bin/sh
# From a fresh Debian 12 machine to a shell inside a sandbox over SSH:
# installs the Debian packages, builds and installs msb (/usr/local),
# creates the sandbox "devbox", authorizes your SSH key, adds the Host block
# to ~/.ssh/config and runs `ssh devbox.msb`. Safe to run again.
# Run as root, or as a user with sudo (the sandbox then belongs to you).
set -eu
cd "$(dirname "$0")"
SANDBOX=${1:-devbox}

if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
step() { printf '\n==> %s\n' "$*"; }

step "installing Debian packages"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2046
$SUDO apt-get install -y -qq --no-install-recommends $(grep -v '^#' debian-packages) >/dev/null

step "building and installing msb"
autoreconf -fi >/dev/null 2>&1
mkdir -p build-quickstart
(cd build-quickstart && ../configure >/dev/null && make -j2 >/dev/null && $SUDO make install >/dev/null)
hash -r 2>/dev/null || true
MSB=/usr/local/bin/msb

step "creating the sandbox $SANDBOX"
if $MSB inspect "$SANDBOX" >/dev/null 2>&1; then
	echo "$SANDBOX exists already"
else
	$MSB create "$SANDBOX"
fi

step "authorizing your SSH key"
mkdir -p "$HOME/.ssh" && chmod 700 "$HOME/.ssh"
[ -f "$HOME/.ssh/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$HOME/.ssh/id_ed25519"
$MSB ssh authorize --file "$HOME/.ssh/id_ed25519.pub"

step "adding Host $SANDBOX.msb to ~/.ssh/config"
touch "$HOME/.ssh/config" && chmod 600 "$HOME/.ssh/config"
if grep -q "^Host $SANDBOX.msb\$" "$HOME/.ssh/config"; then
	echo "already there"
else
	$MSB ssh config "$SANDBOX" >> "$HOME/.ssh/config"
	$MSB ssh config "$SANDBOX"
fi

step "ssh $SANDBOX.msb"
ssh "$SANDBOX.msb" 'echo "hello from $(hostname), a sandbox: $(ps -e --no-headers | wc -l) processes visible"; uname -sr; id'
printf '\nDone. Try: ssh %s.msb   sftp %s.msb   %s ls\n' "$SANDBOX" "$SANDBOX" "$MSB"
