/*
 * The SFTP request names of msb-sftp-server's -p/-P lists (those of
 * OpenSSH's sftp-server -Q requests). `msb create --sftp-allow/--sftp-deny`
 * checks against this table so that a typo fails at create time instead of
 * silently refusing (or allowing) requests later; msb-sftp-server's request
 * table must list exactly these names (tests/unit/test_sftp_names checks).
 */
#ifndef MSB_SFTP_NAMES_H
#define MSB_SFTP_NAMES_H

#include "msb/error.h"

/* NULL-terminated, in the server's table order. */
extern const char *const msb_sftp_request_names[];

/* 1 if name is a request name, else 0. */
int msb_sftp_request_known(const char *name);
/*
 * A comma-separated list of request names: non-empty, no empty items, every
 * item known. 0, or -1 with an error naming `what` (e.g. "--sftp-allow")
 * and the offending item.
 */
int msb_sftp_request_list_check(const char *what, const char *list,
    struct msb_error *err);
/* --sftp-log-level: NULL (off) or a msb_log_level_from_name() name. */
int msb_sftp_log_level_check(const char *level, struct msb_error *err);

#endif
