/*
 * Regression (found by fuzz/fuzz-keys): the authorized_keys copy msb-proxy
 * gives sshd must keep one line per input line. A refused line becomes a
 * "# msb: ignored (REASON)" comment, and REASON may quote bytes of the
 * line itself (the key type inside the base64 blob): a newline there used
 * to start a line of its own that sshd would read unchecked.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msb/authkeys.h"
#include "msb/base64.h"
#include "msb/error.h"
#include "msb/keys.h"

/* "ssh-ed25519 BASE64" whose blob starts with the type string t. */
static char *
line_with_embedded_type(const char *t)
{
	uint8_t blob[256];
	size_t n = strlen(t);
	char *b64, *line;

	cr_assert_lt(n + 4 + 36, sizeof(blob));
	blob[0] = 0;
	blob[1] = 0;
	blob[2] = (uint8_t)(n >> 8);
	blob[3] = (uint8_t)n;
	memcpy(blob + 4, t, n);
	blob[4 + n] = 0;
	blob[5 + n] = 0;
	blob[6 + n] = 0;
	blob[7 + n] = 32;
	memset(blob + 8 + n, 0x41, 32);
	cr_assert_not_null(b64 = msb_b64_encode(blob, n + 40, 1));
	cr_assert_geq(asprintf(&line, "ssh-ed25519 %s\n", b64), 0);
	free(b64);
	return line;
}

Test(authkeys_snapshot, refused_line_stays_one_comment_line)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_pubkey k = MSB_PUBKEY_INIT;
	char *text, *out, *p, *nl;
	size_t nbad, lines = 0;

	text = line_with_embedded_type("x\ncert-authority ssh-ed25519 \x1b[2J");
	cr_assert_eq(msb_authkeys_snapshot(text, strlen(text), &out, &nbad,
	    &err), 0, "%s", msb_error_msg(&err));
	cr_assert_eq(nbad, 1);
	for (p = out; *p != '\0'; p = nl + 1) {
		cr_assert_not_null(nl = strchr(p, '\n'));
		lines++;
		cr_assert_eq(strncmp(p, "# msb: ignored (", 16), 0,
		    "line %zu: %.*s", lines, (int)(nl - p), p);
		for (; p < nl; p++)
			cr_assert(*p >= 0x20 && *p < 0x7f, "control byte %#x",
			    (unsigned char)*p);
	}
	cr_assert_eq(lines, 1, "snapshot has %zu lines: %s", lines, out);
	/* and sshd's view of it: a comment, no key */
	cr_assert_eq(msb_pubkey_parse_line(out, strlen(out) - 1, &k, &err), 0);
	free(out);
	free(text);
}
