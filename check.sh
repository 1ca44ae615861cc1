#!/bin/sh
# Build msb from this checkout and run the whole test suite (unit tests and
# integration tests with real sshd, real OpenSSH clients and real sandboxes).
# Run as root to include the tests that need root (CI does); as another user
# those tests are skipped with a printed reason.
set -eu
cd "$(dirname "$0")"
if [ "$(id -u)" = 0 ]; then
	pkgs=$(grep -v '^#' debian-packages | tr '\n' ' ')
	missing=$(dpkg-query -W -f='${Status} ${Package}\n' $pkgs 2>/dev/null |
	    awk '$3 != "installed" {print $4}'; for p in $pkgs; do
	    dpkg-query -W "$p" >/dev/null 2>&1 || echo "$p"; done)
	if [ -n "$missing" ]; then
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
	fi
fi
autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
mkdir -p build-check
cd build-check
../configure --enable-werror >/dev/null
make -j2 >/dev/null
status=0
make -j2 check || status=$?
# One closing line with the totals, read from automake's result files.
pass=0 fail=0 skipped=0
for f in $(find . -name '*.trs'); do
	case $(sed -n 's/^:test-result: //p' "$f" | head -n 1) in
	PASS|XFAIL) pass=$((pass + 1)) ;;
	SKIP) skipped=$((skipped + 1)) ;;
	*) fail=$((fail + 1)) ;;
	esac
done
echo "tests: $pass passed, $fail failed, $skipped skipped"
exit $status
