#!/bin/sh
# Session latency and exec stdio throughput through msb, side by side with
# plain `sshd -i` on the host (same sshd binary, same ProxyCommand transport,
# same client). Prints figures; asserts nothing.
#
#   bench/ssh-bench.sh [BUILD_DIR]      (root; default BUILD_DIR: ./build)
# Env: RUNS (default 30), MIB (default 1024: size of the cat transfer).
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
B=$(cd "${1:-$SRC/build}" && pwd)
RUNS=${RUNS:-30}
MIB=${MIB:-1024}
SSHD=${MSB_SSHD:-/usr/sbin/sshd}
[ "$(id -u)" = 0 ] || { echo "run as root (the baseline sshd -i logs in as root)" >&2; exit 2; }

T=$(mktemp -d /tmp/msb-bench.XXXXXX)
cleanup() { MSB_HOME=$T/home "$B/msb/msb" rm -f bench >/dev/null 2>&1 || :; rm -rf "$T"; }
trap cleanup EXIT
export MSB_HOME=$T/home MSB_AGENT=$B/msb-agent/msb-agent MSB_SHELL=$B/msb-shell/msb-shell \
    MSB_PROXY=$B/msb-proxy/msb-proxy MSB_SFTP_SERVER=$B/msb-sftp-server/msb-sftp-server
MSB=$B/msb/msb

ssh-keygen -q -t ed25519 -N '' -f "$T/id"
ssh-keygen -q -t ed25519 -N '' -f "$T/hostkey"
# Both sides log in as a host account whose shell is /bin/sh (the host
# image shows the host's passwd): like sshd, msb runs commands with the
# account's shell, and root's bash would source ~/.bashrc for every
# command (bash does so under sshd) and measure that file instead.
BENCH_USER=msbbench
id "$BENCH_USER" >/dev/null 2>&1 || useradd -M -d / -s /bin/sh "$BENCH_USER"
usermod -p "*" "$BENCH_USER"   # "!" (locked) is refused by sshd without PAM
$MSB create bench >/dev/null
$MSB ssh authorize --file "$T/id.pub" >/dev/null
$MSB start bench
{
	$MSB ssh config bench
	printf 'Host *\n\tUser %s\n\tIdentityFile %s\n\tIdentitiesOnly yes\n\tBatchMode yes\n\tLogLevel ERROR\n' "$BENCH_USER" "$T/id"
} > "$T/msb.cfg"

mkdir -p /run/sshd "$T/plain"
cp "$T/id.pub" "$T/plain/authorized_keys"
chmod 755 "$T" "$T/plain"
chmod 644 "$T/plain/authorized_keys"
cat > "$T/plain/sshd_config" <<EOC
HostKey $T/hostkey
AuthorizedKeysFile $T/plain/authorized_keys
PidFile none
UsePAM no
AuthenticationMethods publickey
StrictModes no
PrintMotd no
PrintLastLog no
UseDNS no
DisableForwarding yes
LogLevel ERROR
EOC
cat > "$T/plain.cfg" <<EOC
Host plain
	ProxyCommand $SSHD -i -f $T/plain/sshd_config
	User $BENCH_USER
	StrictHostKeyChecking no
	UserKnownHostsFile /dev/null
	IdentityFile $T/id
	IdentitiesOnly yes
	BatchMode yes
	LogLevel ERROR
EOC

ssh -F "$T/plain.cfg" plain true || { echo "baseline sshd -i does not work" >&2; exit 1; }
ssh -F "$T/msb.cfg" bench.msb true || { echo "msb ssh does not work" >&2; exit 1; }

now_ms() { date +%s%N | awk '{printf "%.3f", $1 / 1000000}'; }

# median_ms CMD...: median wall time of RUNS runs after 3 warm-ups
median_ms() {
	i=0
	while [ $i -lt 3 ]; do "$@" >/dev/null 2>&1; i=$((i + 1)); done
	i=0
	: > "$T/times"
	while [ $i -lt "$RUNS" ]; do
		t0=$(now_ms); "$@" >/dev/null 2>&1; t1=$(now_ms)
		awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", b - a}' >> "$T/times"
		i=$((i + 1))
	done
	sort -n "$T/times" | awk '{a[NR]=$1} END {printf "%.1f", (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

echo "ssh ... true, median of $RUNS (ms):"
p=$(median_ms ssh -F "$T/plain.cfg" plain true)
m=$(median_ms ssh -F "$T/msb.cfg" bench.msb true)
printf '  %-28s %8s ms\n  %-28s %8s ms   ratio %s (target <= 1.3)\n' \
    "plain sshd -i (host)" "$p" "msb (sandbox)" "$m" "$(ratio "$m" "$p")"

echo "cat ${MIB} MiB through ssh (MB/s):"
tp() {  # seconds for MIB through `ssh HOST cat > /dev/null`
	t0=$(now_ms)
	head -c "${MIB}M" /dev/zero | "$@" 'cat > /dev/null'
	t1=$(now_ms)
	awk -v m="$MIB" -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", m * 1.048576 * 1000 / (b - a)}'
}
p=$(tp ssh -F "$T/plain.cfg" plain)
m=$(tp ssh -F "$T/msb.cfg" bench.msb)
printf '  %-28s %8s MB/s\n  %-28s %8s MB/s   ratio %s (target >= 0.91)\n' \
    "plain sshd -i (host)" "$p" "msb (sandbox)" "$m" "$(ratio "$m" "$p")"

rss() {  # RSS (KiB) of msb-shell during an idle session
	ssh -F "$T/msb.cfg" bench.msb 'sleep 3' &
	pid=$!
	sleep 1.5
	ps -C msb-shell -o rss= | head -n 1
	wait $pid
}
echo "idle session: msb-shell RSS $(rss) KiB (target: < 2048 KiB on top of sshd)"
