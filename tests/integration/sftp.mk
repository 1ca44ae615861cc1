# integration tests of the sftp component
INTEGRATION_TESTS += tests/integration/sftp-proto.sh tests/integration/sftp-batch.sh \
	tests/integration/sftp-scp.sh tests/integration/sftp-rsync.sh \
	tests/integration/sftp-clients.sh tests/integration/sftp-policy.sh
EXTRA_DIST += tests/integration/sftp/lib-sftp.sh \
	tests/integration/sftp/sftpraw.py tests/integration/sftp/proto_test.py \
	tests/integration/sftp/paramiko_test.py tests/integration/sftp/session.batch
