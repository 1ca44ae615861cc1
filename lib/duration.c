/* Duration parsing for command-line timeouts (see msb/duration.h). */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "msb/duration.h"

static const struct {
	const char *suffix;
	uint64_t ms;             /* milliseconds per unit */
} units[] = {
	{ "ms", 1 },
	{ "s", 1000 },
	{ "m", 60 * 1000 },
	{ "h", 3600 * 1000 },
	{ "d", 86400 * 1000 },
	{ NULL, 0 },
};

int
msb_duration_parse(const char *s, uint32_t *seconds, struct msb_error *err)
{
	const uint64_t max_ms = (uint64_t)MSB_DURATION_MAX_SECONDS * 1000;
	const char *p = s;
	uint64_t total = 0, n, secs;
	size_t i, l;
	int terms = 0;

	*seconds = 0;
	if (s == NULL || *s == '\0')
		return msb_error_set(err, EINVAL, "empty duration");
	while (*p != '\0') {
		if (*p < '0' || *p > '9')
			goto bad;
		for (n = 0; *p >= '0' && *p <= '9'; p++) {
			n = n * 10 + (uint64_t)(*p - '0');
			if (n > max_ms)
				goto range;
		}
		if (*p == '\0' && terms == 0) {
			/* A bare number is seconds. */
			if (n > MSB_DURATION_MAX_SECONDS)
				goto range;
			*seconds = (uint32_t)n;
			return 0;
		}
		for (i = 0; units[i].suffix != NULL; i++) {
			l = strlen(units[i].suffix);
			/* "m" must not swallow the "m" of "ms". */
			if (strncmp(p, units[i].suffix, l) == 0 &&
			    !(l == 1 && p[0] == 'm' && p[1] == 's'))
				break;
		}
		if (units[i].suffix == NULL)
			goto bad;
		p += l;
		if (n > max_ms / units[i].ms || total + n * units[i].ms > max_ms)
			goto range;
		total += n * units[i].ms;
		terms++;
	}
	secs = (total + 999) / 1000;
	if (secs > MSB_DURATION_MAX_SECONDS)
		goto range;
	*seconds = (uint32_t)secs;
	return 0;
bad:
	return msb_error_set(err, EINVAL,
	    "invalid duration '%.40s': use a number of seconds or a value such "
	    "as 500ms, 30s, 10m, 1h (0 disables)", s);
range:
	return msb_error_set(err, ERANGE,
	    "duration '%.40s' is too large (at most %u seconds)", s,
	    MSB_DURATION_MAX_SECONDS);
}
