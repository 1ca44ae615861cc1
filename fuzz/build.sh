#!/bin/sh
# Build the libFuzzer harnesses with clang (-fsanitize=fuzzer,address,
# undefined). Not part of `make check`; `make fuzz` runs this.
#
#   fuzz/build.sh SRCDIR BUILDDIR [OUTDIR]
#
# BUILDDIR is a configured build tree (for config.h); OUTDIR defaults to
# BUILDDIR/fuzz. Needs clang and its fuzzer runtime (Debian: clang,
# libclang-rt-14-dev). Run a harness with its seed corpus, for example:
#
#   OUT/fuzz-agent-msg -max_total_time=300 OUT/corpus/agent-msg \
#       SRCDIR/fuzz/corpus/agent-msg
set -eu

SRC=$(cd "${1:?usage: build.sh SRCDIR BUILDDIR [OUTDIR]}" && pwd)
BLD=$(cd "${2:?usage: build.sh SRCDIR BUILDDIR [OUTDIR]}" && pwd)
OUT=${3:-$BLD/fuzz}
CC=${FUZZ_CC:-clang}
command -v "$CC" >/dev/null 2>&1 ||
    { echo "fuzz/build.sh: $CC not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
[ -f "$BLD/config.h" ] || { echo "fuzz/build.sh: $BLD/config.h missing: configure first" >&2; exit 1; }

SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
CFLAGS="-g -O1 -std=gnu11 -fno-omit-frame-pointer $SAN -I$BLD -I$SRC/lib \
    -I$SRC/msb-agent -I$SRC/msb-sftp-server -I$SRC/fuzz \
    -DMSB_BINDIR=\"/usr/local/bin\" -DMSB_LIBEXECDIR=\"/usr/local/libexec/msb\" \
    -DMSB_DATADIR=\"/usr/local/share/msb\" $(pkg-config --cflags libconfig libbsd-overlay 2>/dev/null || true)"
LIBS="$(pkg-config --libs libconfig libbsd 2>/dev/null || echo -lconfig -lbsd)"

mkdir -p "$OUT/obj" "$OUT/corpus"
# libmsb, instrumented for coverage.
objs=
for f in "$SRC"/lib/*.c "$SRC"/msb-agent/plan.c "$SRC"/msb-sftp-server/packet.c; do
	o="$OUT/obj/$(basename "$(dirname "$f")")-$(basename "$f" .c).o"
	# shellcheck disable=SC2086
	$CC $CFLAGS -fsanitize=fuzzer-no-link -c "$f" -o "$o"
	objs="$objs $o"
done
for h in "$SRC"/fuzz/fuzz-*.c; do
	name=$(basename "$h" .c)
	# shellcheck disable=SC2086
	$CC $CFLAGS -fsanitize=fuzzer "$h" $objs $LIBS -o "$OUT/$name"
	mkdir -p "$OUT/corpus/${name#fuzz-}"
	echo "built $OUT/$name"
done
