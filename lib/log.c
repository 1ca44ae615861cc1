/* Program-level logging (see msb/log.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "msb/err.h"
#include "msb/log.h"

static const char *log_prog = "msb";
static enum msb_log_level log_level = MSB_LOG_INFO;
static int log_fd = -1;        /* -1: stderr, plain format */
static int fatal_status = 1;

static const struct {
	const char *name;
	enum msb_log_level level;
} level_names[] = {
	{ "QUIET", MSB_LOG_QUIET },
	{ "FATAL", MSB_LOG_FATAL },
	{ "ERROR", MSB_LOG_ERROR },
	{ "INFO", MSB_LOG_INFO },
	{ "VERBOSE", MSB_LOG_VERBOSE },
	{ "DEBUG", MSB_LOG_DEBUG1 },
	{ "DEBUG1", MSB_LOG_DEBUG1 },
	{ "DEBUG2", MSB_LOG_DEBUG2 },
	{ "DEBUG3", MSB_LOG_DEBUG3 },
	{ NULL, MSB_LOG_QUIET },
};

void
msb_log_init(const char *progname, enum msb_log_level level)
{
	const char *slash;

	if (progname != NULL) {
		slash = strrchr(progname, '/');
		log_prog = slash != NULL ? slash + 1 : progname;
	}
	log_level = level;
}

void
msb_log_set_level(enum msb_log_level level)
{
	log_level = level;
}

enum msb_log_level
msb_log_get_level(void)
{
	return log_level;
}

const char *
msb_log_level_name_at(size_t i)
{
	return i < sizeof(level_names) / sizeof(level_names[0]) ?
	    level_names[i].name : NULL;
}

int
msb_log_level_from_name(const char *name)
{
	size_t i;

	for (i = 0; level_names[i].name != NULL; i++)
		if (strcasecmp(name, level_names[i].name) == 0)
			return (int)level_names[i].level;
	return -1;
}

int
msb_log_open_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	if (log_fd >= 0)
		close(log_fd);
	log_fd = fd;
	return 0;
}

void
msb_log_set_fd(int fd)
{
	log_fd = fd;
}

void
msb_log_set_fatal_status(int status)
{
	fatal_status = status;
}

void
msb_vlog(enum msb_log_level level, const char *fmt, va_list ap)
{
	char msg[1024], stamp[32], line[1200];
	struct tm tm;
	time_t now;
	int saved = errno, n;
	size_t i;

	if (level > log_level || level == MSB_LOG_QUIET)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* Never let control characters from peers reach a terminal or log. */
	for (i = 0; msg[i] != '\0'; i++)
		if (iscntrl((unsigned char)msg[i]) && msg[i] != '\t')
			msg[i] = '?';
	if (log_fd < 0) {
		n = snprintf(line, sizeof(line), "%s: %s\n", log_prog, msg);
		if (n > 0)
			(void)!write(STDERR_FILENO, line,
			    (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	} else {
		now = time(NULL);
		if (localtime_r(&now, &tm) == NULL ||
		    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
			strcpy(stamp, "-");
		n = snprintf(line, sizeof(line), "%s %s[%ld]: %s\n", stamp,
		    log_prog, (long)getpid(), msg);
		if (n > 0)
			(void)!write(log_fd, line,
			    (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	}
	errno = saved;
}

void
msb_log(enum msb_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msb_vlog(level, fmt, ap);
	va_end(ap);
}

void
msb_log_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msb_vlog(MSB_LOG_FATAL, fmt, ap);
	va_end(ap);
	_exit(fatal_status);
}
