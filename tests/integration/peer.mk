# differential tests against OpenSSH's own sftp-server and scp (peer-lib.sh)
INTEGRATION_TESTS += tests/integration/peer-sftp.sh tests/integration/peer-sftp-diff.sh \
	tests/integration/peer-scp.sh tests/integration/peer-field.sh
EXTRA_DIST += tests/integration/peer-lib.sh tests/integration/sftp/diff_test.py \
	tests/integration/sftp/paramiko_diff.py
