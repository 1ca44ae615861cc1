#!/bin/sh
# Sandbox start time: wall time of `msb start NAME` (fork of the monitor,
# namespaces, overlay root, /proc, /dev, pivot_root, seccomp, agent exec)
# until the agent reported ready. Median of RUNS runs after 3 warm-ups; the
# sandbox is stopped between runs (not timed). Target: < 20 ms.
#
# usage: bench/sandbox-start.sh [RUNS]      (default 30)
# env:   MSB, MSB_AGENT: the binaries (default: the build tree MSB_BUILDDIR,
#        else ./build); BENCH_USER: unprivileged user for the second variant
#        (default msbtest, if it exists and we are root; "" to skip);
#        BENCH_PAUSE: seconds between a stop and the next start (default 0,
#        back to back like hyperfine; the kernel tears the previous
#        sandbox's namespaces down asynchronously meanwhile).
# The machine should be otherwise idle: on 2 shared vCPUs the figures vary
# by a factor of 2 with other load.
set -eu

RUNS=${1:-30}
B=${MSB_BUILDDIR:-$(pwd)/build}
MSB=${MSB:-$B/msb/msb}
MSB_AGENT=${MSB_AGENT:-$B/msb-agent/msb-agent}
BENCH_USER=${BENCH_USER-msbtest}
BENCH_PAUSE=${BENCH_PAUSE:-0}
if [ ! -x "$MSB" ] || [ ! -x "$MSB_AGENT" ]; then
	echo "set MSB and MSB_AGENT (or MSB_BUILDDIR) to built binaries" >&2
	exit 2
fi
command -v python3 >/dev/null || { echo "needs python3" >&2; exit 2; }

T=$(mktemp -d /tmp/msb-bench.XXXXXX)
chmod 755 "$T"
as_user=
cleanup() {
	MSB_HOME=$T/home "$MSB" rm -f bench >/dev/null 2>&1 || true
	if [ -n "$as_user" ]; then
		$as_user "$T/bin/msb" rm -f bench >/dev/null 2>&1 || true
	fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The timer runs "MSB start bench" + "MSB stop bench" 3 + RUNS times and
# times the start only (a file, so the unprivileged variant can run it too).
cat > "$T/timer.py" <<'PY'
import statistics, subprocess, sys, time
runs, pause, cmd = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
timed, untimed = (["start", "bench"], ["stop", "bench"])
if cmd[0] == "--baseline":
    cmd, timed, untimed = cmd[1:], [], None
samples = []
for i in range(3 + runs):
    t0 = time.perf_counter()
    subprocess.run(cmd + timed, check=True)
    t1 = time.perf_counter()
    if untimed is not None:
        subprocess.run(cmd + untimed, check=True)
        time.sleep(pause)
    if i >= 3:
        samples.append((t1 - t0) * 1000)
samples.sort()
print("median %6.2f ms  min %6.2f  p90 %6.2f  max %6.2f  (%d runs)" % (
    statistics.median(samples), samples[0],
    samples[max(0, int(len(samples) * 0.9) - 1)], samples[-1], len(samples)))
PY
chmod 644 "$T/timer.py"

echo "kernel $(uname -r), $(nproc) cpus"
printf '%-52s' "baseline: msb ls -q (process start only)"
MSB_HOME=$T/home python3 "$T/timer.py" "$RUNS" 0 --baseline "$MSB" ls -q

export MSB_AGENT
MSB_HOME=$T/home "$MSB" create bench
printf '%-52s' "$(id -un): msb start (image host)"
MSB_HOME=$T/home python3 "$T/timer.py" "$RUNS" "$BENCH_PAUSE" "$MSB"
MSB_HOME=$T/home "$MSB" rm -f bench

if [ "$(id -u)" = 0 ] && [ -n "$BENCH_USER" ] &&
    id "$BENCH_USER" >/dev/null 2>&1; then
	mkdir -p "$T/bin" "$T/uhome"
	cp "$MSB" "$MSB_AGENT" "$T/bin/"
	chmod 755 "$T/bin" "$T/bin"/*
	chown "$BENCH_USER" "$T/uhome"
	for subids in 1 0; do
		as_user="runuser -u $BENCH_USER -- env -i PATH=/usr/bin:/bin
		    HOME=$T/uhome MSB_HOME=$T/uhome/msb
		    MSB_AGENT=$T/bin/msb-agent MSB_SUBIDS=$subids"
		mode="single id"
		if [ "$subids" = 1 ] && grep -q "^$BENCH_USER:" /etc/subuid; then
			mode="subordinate ids"
		fi
		$as_user "$T/bin/msb" create bench
		printf '%-52s' "$BENCH_USER: msb start (image host, $mode)"
		$as_user python3 "$T/timer.py" "$RUNS" "$BENCH_PAUSE" \
		    "$T/bin/msb"
		$as_user "$T/bin/msb" rm -f bench
	done
	as_user=
fi
