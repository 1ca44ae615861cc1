/* SFTP status codes: the one errno -> status table, and their texts. */
#ifndef MSB_SFTP_STATUS_H
#define MSB_SFTP_STATUS_H

#include <stdint.h>

/* sftp-server's errno_to_portable() mapping (reference/sftp.md 6.4). */
uint32_t sftp_status_from_errno(int err);
/* "Success", "No such file", ... as sftp-server words them. */
const char *sftp_status_message(uint32_t status);

#endif
