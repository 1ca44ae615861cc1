# benchmarks (not run by make check)
dist_noinst_SCRIPTS += bench/ssh-bench.sh
EXTRA_DIST += bench/sandbox-start.sh
dist_noinst_SCRIPTS += bench/sftp-bench.sh
