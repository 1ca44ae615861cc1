/*
 * Error codes of the libmsb codec layer (buf, proto).
 *
 * Convention for this layer: a function returns 0 on success or one of the
 * negative MSB_ERR_* codes below; it never logs and never exits. On
 * MSB_ERR_SYSTEM the caller finds the cause in errno.
 *
 * Higher layers (state, sandbox, keys, agent client) report failures through
 * struct msb_error (see error.h) instead, because they need a message.
 */
#ifndef MSB_ERR_H
#define MSB_ERR_H

#define MSB_ERR_OK            0
#define MSB_ERR_INTERNAL     -1   /* bug: broken invariant */
#define MSB_ERR_ALLOC        -2   /* out of memory */
#define MSB_ERR_INCOMPLETE   -3   /* not enough bytes in the buffer */
#define MSB_ERR_TOO_LARGE    -4   /* length over a configured maximum */
#define MSB_ERR_FORMAT       -5   /* malformed input (embedded NUL, bad count) */
#define MSB_ERR_SYSTEM       -6   /* a system call failed: see errno */
#define MSB_ERR_EOF          -7   /* the peer closed the connection */
#define MSB_ERR_PROTOCOL     -8   /* peer broke the protocol (bad type, fds) */
#define MSB_ERR_INVALID_ARG  -9   /* caller passed an invalid argument */

/* Returns a static description of an MSB_ERR_* code. */
const char *msb_strerr(int code);

#endif
