#!/bin/sh
# SFTP throughput of msb-sftp-server (a sandbox, through `msb ssh config`'s
# ProxyCommand: msb-proxy -> sshd -i -> msb-shell -> msb-sftp-server -> the
# agent's filesystem worker) side by side with OpenSSH's own sftp-server on
# a host directory behind the same kind of `sshd -i` ProxyCommand, with the
# same OpenSSH sftp client and cipher. Prints figures; asserts nothing.
#
#   bench/sftp-bench.sh [BUILD_DIR]      (root; default BUILD_DIR: ./build)
# Env: RUNS (default 3; the median is shown), MIB (default 1024: size of the
# bulk file), FILES (default 10000: small files for put -r and ls -l),
# CIPHER (default aes128-gcm@openssh.com; "default" lets ssh choose),
# STOCK_SFTP_SERVER (default /usr/lib/openssh/sftp-server).
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
B=$(cd "${1:-$SRC/build}" && pwd)
RUNS=${RUNS:-3}
MIB=${MIB:-1024}
FILES=${FILES:-10000}
CIPHER=${CIPHER:-aes128-gcm@openssh.com}
SSHD=${MSB_SSHD:-/usr/sbin/sshd}
STOCK=${STOCK_SFTP_SERVER:-/usr/lib/openssh/sftp-server}
[ "$(id -u)" = 0 ] || { echo "run as root (the baseline sshd -i serves a host account)" >&2; exit 2; }
[ -x "$STOCK" ] || { echo "no stock sftp-server at $STOCK (openssh-sftp-server)" >&2; exit 2; }

T=$(mktemp -d /tmp/msb-sftp-bench.XXXXXX)
cleanup() { MSB_HOME=$T/home "$B/msb/msb" rm -f sftpbench >/dev/null 2>&1 || :; rm -rf "$T"; }
trap cleanup EXIT
export MSB_HOME=$T/home MSB_AGENT=$B/msb-agent/msb-agent MSB_SHELL=$B/msb-shell/msb-shell \
    MSB_PROXY=$B/msb-proxy/msb-proxy MSB_SFTP_SERVER=$B/msb-sftp-server/msb-sftp-server
MSB=$B/msb/msb
COPT=
[ "$CIPHER" = default ] || COPT="Ciphers $CIPHER"

ssh-keygen -q -t ed25519 -N '' -f "$T/id"
ssh-keygen -q -t ed25519 -N '' -f "$T/hostkey"
$MSB create sftpbench >/dev/null
$MSB ssh authorize --file "$T/id.pub" >/dev/null
$MSB start sftpbench
{
	$MSB ssh config sftpbench
	printf 'Host *\n\tIdentityFile %s\n\tIdentitiesOnly yes\n\tBatchMode yes\n\tLogLevel ERROR\n\t%s\n' \
	    "$T/id" "$COPT"
} > "$T/msb.cfg"

# Baseline: stock sshd -i and sftp-server for a host account whose shell is
# /bin/sh (as msb's gateway accounts), files in a host directory on the same
# file system as the sandbox's upper layer.
BENCH_USER=msbbench
id "$BENCH_USER" >/dev/null 2>&1 || useradd -M -d / -s /bin/sh "$BENCH_USER"
usermod -p "*" "$BENCH_USER"
mkdir -p /run/sshd "$T/plain" "$T/stock"
chown "$BENCH_USER" "$T/stock"
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
UseDNS no
DisableForwarding yes
LogLevel ERROR
Subsystem sftp $STOCK
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
	$COPT
EOC

# side: "stock" or "msb" -> client config, host, remote dir
side() {
	if [ "$1" = stock ]; then
		CFG=$T/plain.cfg H=plain R=$T/stock
	else
		CFG=$T/msb.cfg H=sftpbench.msb R=/root
	fi
}
rsh() {  # side command: a shell command next to the files
	if [ "$1" = stock ]; then sh -c "$2"; else $MSB exec sftpbench -- sh -c "$2"; fi
}
batch() {  # side commands...: one sftp session running the commands
	s=$1
	shift
	side "$s"
	printf '%s\n' "$@" | sftp -q -F "$CFG" -b - "$H" >/dev/null
}
now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# measure NAME PREP COMMAND: RUNS sessions per side, stock and msb
# alternating so that load changes on the machine hit both alike; the
# median seconds go to $T/stock.NAME and $T/msb.NAME. In PREP and COMMAND,
# @R@ is the side's remote directory.
measure() {
	: > "$T/stock.$1.t"
	: > "$T/msb.$1.t"
	i=0
	while [ $i -lt "$RUNS" ]; do
		for s in stock msb; do
			side $s
			p=$(printf '%s' "$2" | sed "s#@R@#$R#g")
			c=$(printf '%s' "$3" | sed "s#@R@#$R#g")
			[ -z "$p" ] || rsh $s "$p"
			t0=$(now)
			batch $s "$c"
			t1=$(now)
			echo "$t1 - $t0" | bc -l >> "$T/$s.$1.t"
		done
		i=$((i + 1))
	done
	median < "$T/stock.$1.t" > "$T/stock.$1"
	median < "$T/msb.$1.t" > "$T/msb.$1"
}

batch stock pwd || { echo "baseline sftp does not work" >&2; exit 1; }
batch msb pwd || { echo "msb sftp does not work" >&2; exit 1; }

head -c "${MIB}M" /dev/urandom > "$T/big"
mkdir "$T/small"
i=0
while [ $i -lt "$FILES" ]; do
	printf 'file %d\n' $i > "$T/small/f$i"
	i=$((i + 1))
done

measure session "" "pwd"
measure put "rm -f @R@/big" "put $T/big @R@/big"
measure get "" "get @R@/big $T/big.down"
cmp -s "$T/big" "$T/big.down" || { echo "the downloaded file differs" >&2; exit 1; }
measure putr "rm -rf @R@/small" "put -r $T/small @R@/small"
measure ls "" "ls -l @R@/small"

rate() { echo "$1 / $2" | bc -l; }
row() {  # label stock-value msb-value higher-is-better(1/0)
	if [ "$4" = 1 ]; then r=$(echo "$3 / $2" | bc -l); else r=$(echo "$2 / $3" | bc -l); fi
	printf '%-34s %12.1f %12.1f %8.2f\n' "$1" "$2" "$3" "$r"
}
echo
echo "SFTP through sshd -i, OpenSSH sftp client, cipher $CIPHER, median of $RUNS"
printf '%-34s %12s %12s %8s\n' "" "stock" "msb" "ratio"
row "put ${MIB} MiB file (MB/s)" "$(rate "$MIB" "$(cat "$T/stock.put")")" \
    "$(rate "$MIB" "$(cat "$T/msb.put")")" 1
row "get ${MIB} MiB file (MB/s)" "$(rate "$MIB" "$(cat "$T/stock.get")")" \
    "$(rate "$MIB" "$(cat "$T/msb.get")")" 1
row "put -r $FILES small files (files/s)" "$(rate "$FILES" "$(cat "$T/stock.putr")")" \
    "$(rate "$FILES" "$(cat "$T/msb.putr")")" 1
ms() { echo "$1 * 1000" | bc -l; }
row "session start + pwd (ms)" "$(ms "$(cat "$T/stock.session")")" \
    "$(ms "$(cat "$T/msb.session")")" 0
row "ls -l of $FILES entries (ms)" \
    "$(ms "($(cat "$T/stock.ls") - $(cat "$T/stock.session"))")" \
    "$(ms "($(cat "$T/msb.ls") - $(cat "$T/msb.session"))")" 0
echo "(ratio: msb relative to stock, > 1 means msb is faster; each transfer"
echo " is one sftp session, ls -l has the session start subtracted)"
