/* Unit tests of duration parsing (--inactivity-timeout). */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "msb/duration.h"

Test(duration, accepted_forms)
{
	static const struct { const char *s; uint32_t secs; } ok[] = {
		{ "0", 0 }, { "1", 1 }, { "600", 600 }, { "30s", 30 },
		{ "10m", 600 }, { "1h", 3600 }, { "2d", 172800 },
		{ "500ms", 1 }, { "1ms", 1 }, { "1000ms", 1 }, { "1001ms", 2 },
		{ "0ms", 0 }, { "0s", 0 }, { "1h30m", 5400 }, { "1m30s", 90 },
		{ "2s500ms", 3 }, { "30m", 1800 }, { "2147483647", 2147483647u },
		{ NULL, 0 },
	};
	struct msb_error err = MSB_ERROR_INIT;
	uint32_t v;
	size_t i;

	for (i = 0; ok[i].s != NULL; i++) {
		v = 12345;
		cr_assert_eq(msb_duration_parse(ok[i].s, &v, &err), 0, "%s: %s",
		    ok[i].s, msb_error_msg(&err));
		cr_assert_eq(v, ok[i].secs, "%s: %u", ok[i].s, v);
	}
}

Test(duration, rejected_with_message)
{
	static const char *const bad[] = {
		"", "later", "-1", "1x", "s", "1.5h", " 1", "1 ", "1h 30m", "m1",
		"10M", "1e3", "0x10", "1hh", "ms", "+5", NULL,
	};
	struct msb_error err = MSB_ERROR_INIT;
	uint32_t v;
	size_t i;

	for (i = 0; bad[i] != NULL; i++) {
		cr_assert_eq(msb_duration_parse(bad[i], &v, &err), -1, "'%s'",
		    bad[i]);
		cr_assert_eq(v, 0);
		cr_assert(err.code == EINVAL, "'%s'", bad[i]);
		cr_assert(strstr(msb_error_msg(&err), "duration") != NULL);
		msb_error_clear(&err);
	}
}

Test(duration, overflow)
{
	static const char *const big[] = {
		"2147483648", "99999999999999999999999", "596524h", "24856d",
		"2147483647s1s", NULL,
	};
	struct msb_error err = MSB_ERROR_INIT;
	uint32_t v;
	size_t i;

	for (i = 0; big[i] != NULL; i++) {
		cr_assert_eq(msb_duration_parse(big[i], &v, &err), -1, "%s", big[i]);
		cr_assert_eq(err.code, ERANGE, "%s", big[i]);
		cr_assert_not_null(strstr(msb_error_msg(&err), "too large"));
		msb_error_clear(&err);
	}
}
