/*
 * Logging for msb programs (not for the codec layer, which never logs).
 *
 * Messages go to stderr as "prog: message" unless msb_log_open_file() chose a
 * log file, where lines are "YYYY-mm-ddTHH:MM:SS prog[pid]: message".
 * log_fatal() logs at FATAL and exits with status 1 (or msb_log_fatal_status).
 * Strings that come from a peer must be length-capped with "%.100s".
 */
#ifndef MSB_LOG_H
#define MSB_LOG_H

#include <stdarg.h>
#include <stddef.h>

enum msb_log_level {
	MSB_LOG_QUIET = 0,
	MSB_LOG_FATAL,
	MSB_LOG_ERROR,
	MSB_LOG_INFO,
	MSB_LOG_VERBOSE,
	MSB_LOG_DEBUG1,
	MSB_LOG_DEBUG2,
	MSB_LOG_DEBUG3,
};

/* Program name used as prefix; level: messages above it are dropped. */
void msb_log_init(const char *progname, enum msb_log_level level);
void msb_log_set_level(enum msb_log_level level);
enum msb_log_level msb_log_get_level(void);
/* Parse "QUIET", "ERROR", "INFO", "VERBOSE", "DEBUG", "DEBUG1".."DEBUG3"
 * (case-insensitive); -1 if unknown. */
int msb_log_level_from_name(const char *name);
/* The i-th accepted name (for messages and help), NULL after the last. */
const char *msb_log_level_name_at(size_t i);
/* Append log lines to path (O_APPEND, created 0600). 0 or -1 (errno). */
int msb_log_open_file(const char *path);
/* Log to an already open fd (-1 = back to stderr). */
void msb_log_set_fd(int fd);
/* Exit status used by log_fatal (default 1). */
void msb_log_set_fatal_status(int status);

void msb_log(enum msb_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void msb_vlog(enum msb_log_level level, const char *fmt, va_list ap);
void msb_log_fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#define log_fatal(...)   msb_log_fatal(__VA_ARGS__)
#define log_error(...)   msb_log(MSB_LOG_ERROR, __VA_ARGS__)
#define log_info(...)    msb_log(MSB_LOG_INFO, __VA_ARGS__)
#define log_verbose(...) msb_log(MSB_LOG_VERBOSE, __VA_ARGS__)
#define log_debug(...)   msb_log(MSB_LOG_DEBUG1, __VA_ARGS__)
#define log_debug2(...)  msb_log(MSB_LOG_DEBUG2, __VA_ARGS__)
#define log_debug3(...)  msb_log(MSB_LOG_DEBUG3, __VA_ARGS__)
/* Codec-layer failure: appends msb_strerr(r). */
#define log_fatal_r(r, fmt, ...) \
	msb_log_fatal(fmt ": %s", ##__VA_ARGS__, msb_strerr(r))
#define log_error_r(r, fmt, ...) \
	msb_log(MSB_LOG_ERROR, fmt ": %s", ##__VA_ARGS__, msb_strerr(r))

#endif
