# integration tests of the sftp component
