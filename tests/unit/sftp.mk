# unit tests of the sftp component
