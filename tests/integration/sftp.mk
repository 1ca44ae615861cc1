# integration tests of the sftp component
INTEGRATION_TESTS += tests/integration/sftp-proto.sh
EXTRA_DIST += tests/integration/sftp/lib-sftp.sh \
	tests/integration/sftp/sftpraw.py tests/integration/sftp/proto_test.py
