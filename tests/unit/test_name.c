/* Unit tests of sandbox name validation. */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "msb/name.h"

Test(name, accepts_valid)
{
	const char *ok[] = { "a", "devbox", "A.b_c-9", "0x", NULL };
	char longest[MSB_NAME_MAX + 1];
	size_t i;

	for (i = 0; ok[i] != NULL; i++)
		cr_assert_eq(msb_name_validate(ok[i], NULL), 0, "%s", ok[i]);
	memset(longest, 'n', MSB_NAME_MAX);
	longest[MSB_NAME_MAX] = '\0';
	cr_assert_eq(msb_name_validate(longest, NULL), 0);
}

Test(name, rejects_invalid_with_message)
{
	const char *bad[] = { "", "-x", ".x", "_x", "a b", "a/b", "ä", "a\n",
	    "a:b", "..", NULL };
	char toolong[MSB_NAME_MAX + 2];
	struct msb_error err = MSB_ERROR_INIT;
	size_t i;

	for (i = 0; bad[i] != NULL; i++) {
		cr_assert_eq(msb_name_validate(bad[i], &err), -1, "%s", bad[i]);
		cr_assert_eq(err.code, EINVAL);
		cr_assert_not_null(strstr(msb_error_msg(&err), "invalid sandbox name"));
		cr_assert_null(strchr(msb_error_msg(&err), '\n'));
		msb_error_clear(&err);
	}
	memset(toolong, 'n', MSB_NAME_MAX + 1);
	toolong[MSB_NAME_MAX + 1] = '\0';
	cr_assert_eq(msb_name_validate(toolong, &err), -1);
	cr_assert_not_null(strstr(msb_error_msg(&err), "128"));
	msb_error_clear(&err);
}
