/*
 * libFuzzer harness: public key lines and authorized_keys text
 * (lib/keys.c, lib/authkeys.c), which decide who gets into every sandbox.
 * A parsed key must format to a line that parses to the same key; the
 * per-connection snapshot that msb-proxy hands sshd must only contain
 * lines msb itself accepts (or comments).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msb/authkeys.h"
#include "msb/error.h"
#include "msb/keys.h"
#include "fuzz.h"

static void
one_line(const char *line, size_t len)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_pubkey k = MSB_PUBKEY_INIT, k2 = MSB_PUBKEY_INIT, ca =
	    MSB_PUBKEY_INIT;
	char *s, *fp, *fc = NULL, *v = NULL;

	if (msb_pubkey_parse_line(line, len, &k, &err) == 1) {
		FUZZ_CHECK((s = msb_pubkey_format(&k)) != NULL);
		FUZZ_CHECK(msb_pubkey_parse_line(s, strlen(s), &k2,
		    &err) == 1);
		FUZZ_CHECK(msb_pubkey_equal(&k, &k2));
		FUZZ_CHECK((fp = msb_pubkey_fingerprint(&k)) != NULL);
		if (k.options != NULL &&
		    msb_keyopts_get(k.options, "command", &v) == 1)
			free(v);
		if (msb_pubkey_is_cert(&k) &&
		    msb_pubkey_cert_info(&k, &ca, &fc, &err) == 0) {
			msb_pubkey_free(&ca);
			free(fc);
		}
		free(fp);
		free(s);
		msb_pubkey_free(&k2);
	}
	msb_pubkey_free(&k);
	msb_error_clear(&err);
}

static void
snapshot(const char *text, size_t len)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_pubkey k = MSB_PUBKEY_INIT;
	char *out, *line, *nl;
	size_t nbad;

	if (msb_authkeys_snapshot(text, len, &out, &nbad, &err) == 0) {
		for (line = out; *line != '\0'; line = nl + 1) {
			nl = strchr(line, '\n');
			if (nl == NULL)
				nl = line + strlen(line) - 1;
			FUZZ_CHECK(msb_pubkey_parse_line(line,
			    (size_t)(nl - line), &k, &err) >= 0);
			msb_pubkey_free(&k);
			msb_error_clear(&err);
			if (nl[1] == '\0')
				break;
		}
		free(out);
	}
	msb_error_clear(&err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msb_error err = MSB_ERROR_INIT;
	struct msb_pubkey *keys;
	size_t n;
	char *copy;

	if (size < 1 || (copy = malloc(size)) == NULL)
		return 0;
	memcpy(copy, data + 1, size - 1);
	switch (data[0] % 4) {
	case 0:
		one_line(copy, size - 1);
		break;
	case 1:
		if (msb_pubkeys_parse_text(copy, size - 1, &keys, &n,
		    &err) == 0)
			msb_pubkeys_free(keys, n);
		break;
	case 2:
		snapshot(copy, size - 1);
		break;
	default:
		copy[size - 1] = '\0';
		(void)msb_keyopts_validate(copy, &err);
		break;
	}
	msb_error_clear(&err);
	free(copy);
	return 0;
}
