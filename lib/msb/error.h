/*
 * Error reports for the upper layers of libmsb (state, sandbox runtime,
 * keys, agent client, config).
 *
 * Convention: a function that can fail takes `struct msb_error *err` as its
 * last argument, returns 0 (or a valid pointer) on success and -1 (or NULL)
 * on failure, and then has filled *err with an errno-style code and a
 * human-readable message meant for the user ("sandbox 'x' does not exist").
 * The message is heap-allocated; release it with msb_error_clear().
 * err may be NULL when the caller does not want the details.
 */
#ifndef MSB_ERROR_H
#define MSB_ERROR_H

#include <stdarg.h>

struct msb_error {
	int code;        /* errno value (ENOENT, EEXIST, EINVAL...) or 0 */
	char *msg;       /* heap string or NULL */
};

#define MSB_ERROR_INIT { 0, NULL }

/* Set *err (if not NULL) and return -1. Frees a previous message. */
int msb_error_set(struct msb_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Like msb_error_set, appending ": strerror(code)". */
int msb_error_sys(struct msb_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prefix the existing message with more context ("starting 'x': ..."). */
int msb_error_wrap(struct msb_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void msb_error_clear(struct msb_error *err);
/* Never NULL. */
const char *msb_error_msg(const struct msb_error *err);

#endif
