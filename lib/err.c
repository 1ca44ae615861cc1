/* Codec-layer error strings and upper-layer error reports. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msb/err.h"
#include "msb/error.h"

const char *
msb_strerr(int code)
{
	switch (code) {
	case MSB_ERR_OK:          return "success";
	case MSB_ERR_INTERNAL:    return "internal error";
	case MSB_ERR_ALLOC:       return "out of memory";
	case MSB_ERR_INCOMPLETE:  return "message incomplete";
	case MSB_ERR_TOO_LARGE:   return "length too large";
	case MSB_ERR_FORMAT:      return "invalid format";
	case MSB_ERR_SYSTEM:      return strerror(errno);
	case MSB_ERR_EOF:         return "connection closed";
	case MSB_ERR_PROTOCOL:    return "protocol error";
	case MSB_ERR_INVALID_ARG: return "invalid argument";
	default:                  return "unknown error";
	}
}

static int
error_vset(struct msb_error *err, int code, int with_errno, const char *fmt,
    va_list ap)
{
	char *msg = NULL, *full = NULL;

	if (err == NULL)
		return -1;
	free(err->msg);
	err->msg = NULL;
	err->code = code;
	if (vasprintf(&msg, fmt, ap) < 0)
		return -1;
	if (with_errno) {
		if (asprintf(&full, "%s: %s", msg, strerror(code)) < 0)
			full = NULL;
		free(msg);
		msg = full;
	}
	err->msg = msg;
	return -1;
}

int
msb_error_set(struct msb_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	error_vset(err, code, 0, fmt, ap);
	va_end(ap);
	errno = saved;
	return -1;
}

int
msb_error_sys(struct msb_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	error_vset(err, code, 1, fmt, ap);
	va_end(ap);
	errno = saved;
	return -1;
}

int
msb_error_wrap(struct msb_error *err, const char *fmt, ...)
{
	va_list ap;
	char *prefix = NULL, *full = NULL;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	if (vasprintf(&prefix, fmt, ap) < 0)
		prefix = NULL;
	va_end(ap);
	if (prefix == NULL)
		return -1;
	if (asprintf(&full, "%s: %s", prefix, msb_error_msg(err)) >= 0) {
		free(err->msg);
		err->msg = full;
	}
	free(prefix);
	return -1;
}

void
msb_error_clear(struct msb_error *err)
{
	if (err == NULL)
		return;
	free(err->msg);
	err->msg = NULL;
	err->code = 0;
}

const char *
msb_error_msg(const struct msb_error *err)
{
	if (err == NULL || err->msg == NULL)
		return err != NULL && err->code != 0 ? strerror(err->code) :
		    "unknown error";
	return err->msg;
}
