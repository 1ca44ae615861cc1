#!/bin/sh
# --help/-h and --version/-V of the helper programs (msb-proxy, msb-shell,
# msb-sftp-server, msb-agent): usage on stdout and exit 0, the version of
# the package; an unknown option is still an error with nothing on stdout.
# Each option the usage text offers is in the program's man page.
. "${MSB_SRCDIR:?}/tests/integration/lib.sh"
. "$MSB_SRCDIR/tests/integration/ssh-lib.sh"
msb_test_init

version=$("$MSB" --version | awk '{print $2}')
[ -n "$version" ] || fail "msb --version printed no version"
for pair in "msb-proxy:$MSB_PROXY" "msb-shell:$MSB_SHELL" \
    "msb-sftp-server:$MSB_SFTP_SERVER" "msb-agent:$MSB_AGENT"; do
	name=${pair%%:*} prog=${pair#*:}
	page="$MSB_SRCDIR/man/$name.8"
	for opt in --help -h; do
		run_rc "$prog" $opt </dev/null >"$T/out" 2>"$T/err"
		assert_eq 0 "$rc" "$name $opt exit status"
		assert_match "^usage: $name " "$(head -1 "$T/out")" "$name $opt on stdout"
		assert_eq "" "$(cat "$T/err")" "$name $opt: nothing on stderr"
	done
	grep -q -- '--help | --version' "$T/out" ||
	    fail "$name --help does not mention --help and --version"
	for opt in --version -V; do
		run_rc "$prog" $opt </dev/null >"$T/out" 2>"$T/err"
		assert_eq 0 "$rc" "$name $opt exit status"
		assert_eq "$name $version" "$(cat "$T/out")" "$name $opt output"
	done
	run_rc "$prog" --no-such-option </dev/null >"$T/out" 2>"$T/err"
	[ "$rc" != 0 ] || fail "$name accepted --no-such-option"
	assert_eq "" "$(cat "$T/out")" "$name: a bad option prints nothing on stdout"
	[ -s "$T/err" ] || fail "$name: a bad option gave no message"
	for m in '^\.It Fl h , Fl -help' '^\.It Fl V , Fl -version'; do
		grep -q -- "$m" "$page" || fail "$page lacks '$m'"
	done
done
ok "helper programs: --help/-h (usage on stdout, 0), --version/-V, documented"
