#!/bin/sh
# msb ssh authorize and msb ssh config from the command line: inputs,
# validation before any change, dedupe, permissions, --list/--remove, the
# printed ssh_config block (with an MSB_HOME that needs quoting).
. "$MSB_SRCDIR/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
msb_test_init
need_cmd ssh ssh-keygen sha256sum

ak="$MSB_HOME/ssh/authorized_keys"
for k in a b c; do ssh-keygen -q -t ed25519 -N '' -C "key-$k" -f "$T/$k"; done
ssh-keygen -q -t rsa -b 2048 -N '' -C key-rsa -f "$T/rsa"
ssh-keygen -q -t ecdsa -b 384 -N '' -C key-ecdsa -f "$T/ecdsa"

umask 000     # the file must be 0600 whatever the umask
got=$("$MSB" ssh authorize --file "$T/a.pub")
assert_match '^authorized: SHA256:[A-Za-z0-9+/]{43} ssh-ed25519 key-a$' "$got" "--file"
assert_eq 600 "$(stat -c %a "$ak")" "authorized_keys mode"
assert_eq 700 "$(stat -c %a "$MSB_HOME/ssh")" "ssh dir mode"
umask 022
"$MSB" ssh authorize --key "$(cat "$T/b.pub")" >/dev/null
cat "$T/rsa.pub" "$T/ecdsa.pub" | "$MSB" ssh authorize --stdin >"$T/out"
assert_eq 2 "$(grep -c '^authorized: ' "$T/out")" "two keys from --stdin"
assert_eq 4 "$(grep -c . "$ak")" "keys in the file"
ok "--file, --key, --stdin (several keys); file 0600 in a 0700 dir even with umask 000"

before=$(sha256sum "$ak")
got=$("$MSB" ssh authorize "$T/a.pub")
assert_match '^already authorized: .* ssh-ed25519 key-a$' "$got" "the same line again"
assert_eq "$before" "$(sha256sum "$ak")" "file untouched by an identical line"
a_key=$(cut -d' ' -f1,2 "$T/a.pub")
got=$("$MSB" ssh authorize --key "no-pty,from=\"127.0.0.1\" $a_key other comment")
assert_match '^updated: SHA256:[A-Za-z0-9+/]{43} ssh-ed25519 other comment' "$got" "same key, other options"
assert_match 'options: no-pty,from="127.0.0.1"' "$got" "new options shown"
assert_eq 4 "$(grep -c . "$ak")" "no duplicate added"
assert_eq "no-pty,from=\"127.0.0.1\" $a_key other comment" "$(head -1 "$ak")" \
    "replaced in place (first line)"
assert_eq 1 "$(grep -cF "$a_key" "$ak")" "one line for key a"
assert_eq 600 "$(stat -c %a "$ak")" "mode after the update"
# a hand-added unrestricted copy further down must not survive a restriction
echo "$a_key hand-added" >>"$ak"
got=$("$MSB" ssh authorize --key "restrict,command=\"false\" $a_key other comment")
assert_match '^updated: ' "$got" "restriction with a stray copy"
assert_eq "restrict,command=\"false\" $a_key other comment" "$(head -1 "$ak")" "restricted in place"
assert_eq 1 "$(grep -cF "$a_key" "$ak")" "stray unrestricted copy dropped"
assert_eq 4 "$(grep -c . "$ak")" "keys after the restriction"
ok "a known key with new options or comment replaces its line in place"
printf '%s\n\n# comment\n%s\n%s\n' "$(cat "$T/c.pub")" "$(cat "$T/c.pub")" "$(cat "$T/b.pub")" >"$T/batch"
got=$("$MSB" ssh authorize --file "$T/batch")
assert_eq 1 "$(printf '%s\n' "$got" | grep -c '^authorized: .*key-c$')" "key c added once"
assert_eq 2 "$(printf '%s\n' "$got" | grep -c '^already authorized: ')" "two duplicates"
assert_eq 5 "$(grep -c . "$ak")" "keys after the batch"
ok "dedupe of identical lines (within a batch too)"

before=$(sha256sum "$ak")
bad() {  # message input
	run_rc "$MSB" ssh authorize --key "$2" >/dev/null 2>"$T/err"
	assert_eq 1 "$rc" "bad key: $2"
	assert_match "$1" "$(cat "$T/err")" "message for: $2"
	assert_eq "$before" "$(sha256sum "$ak")" "file untouched after: $2"
}
d_b64=$(cut -d' ' -f2 "$T/a.pub")
# 68 - 11 = 57 characters: one left over, which no base64 can be (cutting
# 10 left a 2-character tail, a valid unpadded byte for 1 key in 16)
bad 'not valid base64' "ssh-ed25519 ${d_b64%???????????} trunc"
bad 'key type mismatch' "ssh-rsa $d_b64 mismatch"
bad 'unknown key type' "ssh-ed448 $d_b64"
bad 'unknown key option' "bogus-option $(cat "$T/a.pub")"
bad 'unterminated quote' "command=\"x $(cat "$T/a.pub")"
bad 'DSA keys are not supported' "ssh-dss AAAAB3NzaC1kc3MAAACBAP8 x"
bad 'no public key found' "# only a comment"
bad 'line 2: ' "$(cat "$T/c.pub")
ssh-ed25519 AAAA"
bad 'appears twice with different options' "$(cat "$T/c.pub")
no-pty $(cat "$T/c.pub")"
run_rc "$MSB" ssh authorize --file "$T/nonexistent.pub" 2>"$T/err"
assert_eq 1 "$rc" "missing --file"
assert_match 'cannot open' "$(cat "$T/err")" "missing file message"
run_rc "$MSB" ssh authorize --file "$T/a" 2>"$T/err"
assert_eq 1 "$rc" "a private key file"
assert_match "this is a private key; give the \.pub file: msb ssh authorize $T/a\.pub" \
    "$(cat "$T/err")" "private key message (with the .pub next to it)"
if grep -q 'PRIVATE' "$T/err"; then fail "the private key was echoed"; fi
run_rc "$MSB" ssh authorize "$T/rsa" 2>"$T/err"
assert_eq 1 "$rc" "a private key as FILE"
assert_match 'this is a private key; give the \.pub file' "$(cat "$T/err")" "FILE private key"
ssh-keygen -q -t ecdsa -m PEM -N '' -f "$T/pem"
rm "$T/pem.pub"
run_rc "$MSB" ssh authorize --stdin <"$T/pem" 2>"$T/err"
assert_eq 1 "$rc" "a PEM private key on stdin"
assert_match 'standard input: this is a private key; give the \.pub file' \
    "$(cat "$T/err")" "PEM private key message"
assert_eq "$before" "$(sha256sum "$ak")" "file untouched after a private key"
for args in "" "--stdin --list" "--file $T/a.pub --key x" "--bogus" \
    "$T/a.pub $T/b.pub" "$T/a.pub --file $T/b.pub" "--file"; do
	# shellcheck disable=SC2086
	run_rc "$MSB" ssh authorize $args </dev/null >/dev/null 2>"$T/err"
	assert_eq 2 "$rc" "usage error for '$args'"
done
ok "bad keys and bad usage: clear errors, the file is untouched"

"$MSB" ssh authorize --list >"$T/list"
assert_eq 5 "$(grep -c "^SHA256:" "$T/list")" "--list keys"
grep -qx "  options: restrict,command=\"false\"" "$T/list" ||
    fail "--list lacks the options of key a: $(cat "$T/list")"
grep -qxF "$(ssh-keygen -lf "$T/rsa.pub" | cut -d' ' -f2) ssh-rsa key-rsa" "$T/list" ||
    fail "--list lacks the rsa key with ssh-keygen's fingerprint: $(cat "$T/list")"
"$MSB" ssh authorize --remove key-b >/dev/null
"$MSB" ssh authorize --remove "$(ssh-keygen -lf "$T/ecdsa.pub" | cut -d' ' -f2)" >/dev/null
assert_eq 3 "$(grep -c . "$ak")" "keys after two removals"
if grep -q key-b "$ak"; then fail "key-b still present"; fi
run_rc "$MSB" ssh authorize --remove nothing-like-this 2>"$T/err"
assert_eq 1 "$rc" "--remove of an unknown key"
ok "--list shows ssh-keygen's fingerprints; --remove by comment or fingerprint"

for k in d e; do ssh-keygen -q -t ed25519 -N '' -C shared -f "$T/$k"; done
"$MSB" ssh authorize "$T/d.pub" >/dev/null
"$MSB" ssh authorize "$T/e.pub" >/dev/null
before=$(sha256sum "$ak")
run_rc "$MSB" ssh authorize --remove shared >"$T/out" 2>"$T/err"
assert_eq 1 "$rc" "--remove by a comment two keys share"
assert_match "2 keys have the comment 'shared'" "$(cat "$T/err")" "ambiguous comment message"
for k in d e; do
	grep -qF "$(ssh-keygen -lf "$T/$k.pub" | cut -d' ' -f2)" "$T/err" ||
	    fail "the message lacks the fingerprint of $k: $(cat "$T/err")"
done
assert_eq "" "$(cat "$T/out")" "nothing reported removed"
assert_eq "$before" "$(sha256sum "$ak")" "file untouched by an ambiguous --remove"
got=$("$MSB" ssh authorize --remove "$(ssh-keygen -lf "$T/d.pub" | cut -d' ' -f2)")
assert_match '^removed: .* shared$' "$got" "--remove by fingerprint among shared comments"
got=$("$MSB" ssh authorize --remove shared)
assert_match '^removed: .* shared$' "$got" "--remove by a comment now unique"
assert_eq 3 "$(grep -c . "$ak")" "keys after removing d and e"
ok "--remove by a comment several keys share is refused; fingerprints still work"

got=$("$MSB" ssh authorize "$T/b.pub")
assert_match '^authorized: SHA256:.* ssh-ed25519 key-b$' "$got" "FILE without --file"
assert_eq 4 "$(grep -c . "$ak")" "keys after msb ssh authorize FILE"
ok "msb ssh authorize FILE (no --file)"

# ---- msb ssh config, with an MSB_HOME that needs quoting ----
MSB_HOME="$T/my home 100%"
export MSB_HOME
# lib.sh cleans up $T/home only: remove these sandboxes too
trap 'st=$?; set +e; "$MSB" rm --force devbox other >/dev/null 2>&1; (exit $st); msb_test_cleanup' EXIT
ssh_sandbox devbox
ssh_sandbox other
run_rc ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile=/dev/null -o "ProxyCommand=$MSB ssh serve devbox --stdio" \
    devbox.msb true 2>"$T/err"
assert_eq 255 "$rc" "ssh before any key is authorized"
assert_match "no key is authorized for msb sandboxes yet .*msb ssh authorize --file" \
    "$(cat "$T/err")" "hint to authorize a key"
ssh_setup devbox
"$MSB" ssh config devbox >"$T/block"
exe=$(readlink -f "$MSB")
assert_eq "Host devbox.msb" "$(head -1 "$T/block")" "first line"
grep -q "^	HostKeyAlias devbox.msb$" "$T/block" || fail "no HostKeyAlias"
grep -q "^	StrictHostKeyChecking yes$" "$T/block" || fail "no StrictHostKeyChecking"
grep -qF "'$exe' ssh serve devbox --stdio" "$T/block" || fail "ProxyCommand does not run $exe"
grep -qF "'MSB_HOME=$T/my home 100%%'" "$T/block" || fail "MSB_HOME not carried"
grep -qF "UserKnownHostsFile \"$T/my home 100%%/sandboxes/devbox/ssh/known_hosts\"" "$T/block" ||
    fail "UserKnownHostsFile not quoted"
assert_eq "devbox.msb $(ssh-keygen -yf "$MSB_HOME/sandboxes/devbox/ssh/host_ed25519" | cut -d' ' -f1,2)" \
    "$(cat "$MSB_HOME/sandboxes/devbox/ssh/known_hosts")" "known_hosts pin"
assert_eq 600 "$(stat -c %a "$MSB_HOME/sandboxes/devbox/ssh/host_ed25519")" "host key mode"
assert_eq devbox "$(tssh devbox.msb hostname)" "ssh through the printed block"
# tightening an authorized key takes effect: sshd sees the new line
got=$("$MSB" ssh authorize --key "from=\"10.9.9.9\",restrict,command=\"false\" $(cat "$T/id_ed25519.pub")")
assert_match '^updated: ' "$got" "restricting the test key"
run_rc tssh devbox.msb true 2>/dev/null
assert_eq 255 "$rc" "login from 127.0.0.1 with a key restricted to 10.9.9.9"
got=$("$MSB" ssh authorize "$T/id_ed25519.pub")
assert_match '^updated: ' "$got" "lifting the restriction"
assert_eq devbox "$(tssh devbox.msb hostname)" "ssh after lifting the restriction"
assert_eq 2 "$("$MSB" ssh config --all | grep -c '^Host ')" "--all"
run_rc "$MSB" ssh config >/dev/null 2>&1
assert_eq 2 "$rc" "config without a name"
ok "msb ssh config: pinned key, absolute msb path, quoting that ssh understands"
